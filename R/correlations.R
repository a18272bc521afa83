#' Correlation matrix with significance, as SPSS CORRELATIONS and NONPAR CORR
#'
#' Pearson, Spearman or Kendall (tau-b) correlations between several
#' variables with their pairwise number of cases and p-values, computed in C:
#' Pearson in one blocked pass over the rows, the rank correlations per pair
#' from value codes made once per column.
#'
#' @section Missing values:
#' `use = "pairwise"` (SPSS's `/MISSING=PAIRWISE`, the default) uses, for
#' each pair, every case where both variables are present; Spearman's ranks
#' are recomputed on each pair's complete cases, as SPSS does.
#' `use = "listwise"` first drops every case with a missing value in any of
#' the variables (or in the weight).
#'
#' @section Statistics:
#' Pearson and Spearman: \eqn{t = r\sqrt{(N-2)/(1-r^2)}} with a t
#' distribution on \eqn{N - 2} degrees of freedom. Spearman's rho is
#' Pearson's r of midranks (ties get the mean of their ranks). Kendall's
#' tau-b is \eqn{S/\sqrt{(n_0-n_1)(n_0-n_2)}}, with \eqn{S} the number of
#' concordant minus discordant pairs and \eqn{n_1}, \eqn{n_2} the pairs tied
#' on either variable, counted in \eqn{O(N \log N)} (Knight 1966); its p uses
#' SPSS's normal approximation \eqn{z = S/\sqrt{Var(S)}} with the
#' tie-corrected variance of Kendall (1970), the same as
#' `cor.test(method = "kendall", exact = FALSE)`. One-tailed p-values
#' (`tails = 1`) are half the two-tailed ones, in the direction of the
#' observed correlation, as SPSS prints them.
#'
#' Confidence intervals use Fisher's z: standard error \eqn{1/\sqrt{N-3}}
#' for Pearson (as [stats::cor.test()]), \eqn{\sqrt{(1 + r^2/2)/(N-3)}} for
#' Spearman (Bonett and Wright 2000) and \eqn{\sqrt{0.437/(N-4)}} for
#' Kendall (Fieller, Hartley and Pearson 1957).
#'
#' A coefficient that cannot be computed (a variable without variance among
#' the pair's cases, or fewer than 3 cases) is `NA`; `reason` says why.
#'
#' @section Weights:
#' `weights` are frequency weights. For Pearson they are used as they are,
#' as SPSS CORRELATIONS does: N is the sum of the weights and the degrees of
#' freedom are N - 2. For Spearman and Kendall each case's weight is rounded
#' to a whole number and the case counted that many times, as SPSS NONPAR
#' CORR does. Cases with a missing or zero weight are left out.
#'
#' @param data A data frame (or tibble), a survey design (Pearson only; see
#'   [survey-designs]), or a [zh_cor_stats] object of Pearson sufficient
#'   statistics (then `vars`, `use` and `weights` are not used).
#' @param vars The variables: bare names, strings or tidyselect helpers such
#'   as `starts_with()`; at least two. Numeric, logical, ordered factor,
#'   two-level factor and `haven_labelled` columns (factors by level
#'   position; user-missing values of `haven_labelled_spss` columns are
#'   missing); `Date`, date-time, `difftime` and `integer64` columns by
#'   their numbers (days, seconds, units: correlations do not depend on
#'   the unit).
#' @param method `"pearson"`, `"spearman"` or `"kendall"` (tau-b).
#' @param use `"pairwise"` or `"listwise"` deletion of missing values.
#' @param weights Optional frequency weights: a bare column name or string.
#' @param tails `2` (default) for two-tailed p-values, `1` for one-tailed.
#' @param conf_level `NULL` (default) for no confidence intervals, or a
#'   confidence level such as `0.95`.
#' @param p_adjust A method of [stats::p.adjust()] applied to the p-values of
#'   the distinct pairs; `"none"` (the default, as SPSS).
#' @param ... Not used; must be empty.
#'
#' @return An object of class `zh_cor_matrix`: a list with square matrices
#'   `r`, `n` (pairwise N), `p`, `statistic` (t, or z for Kendall), `df`,
#'   `lower`, `upper` (confidence limits, `NULL` unless asked for) and
#'   `reason` (why a coefficient is `NA`), all with named dimnames; and
#'   `method`, `use`, `tails`, `conf_level`, `p_adjust`, `weighted` and
#'   `labels` (variable labels, from `haven` label attributes where present);
#'   for Pearson from a data frame also `stats`, the [zh_cor_stats] the
#'   coefficients were computed from.
#' @references Knight, W. R. (1966). A computer method for calculating
#'   Kendall's tau with ungrouped data. *Journal of the American Statistical
#'   Association*, 61, 436-439.
#' @seealso [format.zh_cor_matrix()] for the publication table,
#'   [as_cor_matrix()] to build the table from a published matrix.
#' @export
#' @examples
#' cm <- cor_matrix(mtcars, c(mpg, disp, hp, wt))
#' cm
#' cm$p
#'
#' # rank correlations with missing values, pairwise deletion
#' aq <- cor_matrix(airquality, Ozone:Temp, method = "kendall")
#' aq$n
#' tidy(aq)
#'
#' # the publication table with a decimal comma
#' format(cm, style = "spss", decimal_mark = ",")
cor_matrix <- function(data, vars, method = c("pearson", "spearman", "kendall"),
                       use = c("pairwise", "listwise"), weights = NULL, tails = 2,
                       conf_level = NULL, p_adjust = "none", ...) {
  if (zh_is_design(data)) return(zh_design_cor(data, substitute(vars), parent.frame(), method, use, substitute(weights), ...))
  if (inherits(data, "tbl_lazy")) return(zh_db_dispatch("cor_matrix", match.call(), parent.frame()))
  zh_check_dots(...)
  method <- zh_match_arg(method, "method")
  use <- zh_match_arg(use, "use")
  tails <- zh_cor_check_tails(tails)
  zh_cor_check_conf(conf_level)
  p_adjust <- zh_match_arg(p_adjust, "p_adjust", stats::p.adjust.methods)
  if (inherits(data, "zh_cor_stats")) {
    if (method != "pearson") {
      zh_abort("`method` must be \"pearson\" when `data` holds Pearson sufficient statistics.",
               "input")
    }
    return(zh_cor_from_stats(data, tails, conf_level, p_adjust))
  }
  zh_check_data(data)
  env <- parent.frame()
  names <- zh_columns(data, substitute(vars), "vars", env, min = 2L)
  w_name <- zh_column(data, substitute(weights), "weights", env, null_ok = TRUE)
  if (nrow(data) == 0L) zh_abort("`data` must have at least one row, not 0.", "data")
  picked <- zh_split_columns(names)
  names <- c(names)
  cols <- lapply(picked, function(nm) zh_cor_column(zh_pull(data, nm), nm))
  names(cols) <- names
  labels <- vapply(picked, function(nm) {
    lab <- attr(zh_pull(data, nm), "label", exact = TRUE)
    if (is.character(lab) && length(lab) == 1L && !is.na(lab)) lab else c(nm)
  }, "")
  w <- zh_weights_of(data, w_name)
  if (use == "listwise") {
    keep <- Reduce(`&`, lapply(cols, Negate(is.na)))
    if (!is.null(w)) keep <- keep & !is.na(w)
    if (!all(keep)) {
      cols <- lapply(cols, function(x) x[keep])
      if (!is.null(w)) w <- w[keep]
    }
  }
  res <- if (method == "pearson") {
    out <- .Call(zh_cor_pearson, unname(cols), w, zh_threads())
    zh_cor_check_finite(cols, which(!out$finite))
    out
  } else {
    zh_cor_rank_engine(cols, w, method)
  }
  out <- zh_cor_build(res$r, res$n, method, z = res$z, reason = res$reason, vars = names,
                      labels = labels, use = use, tails = tails, conf_level = conf_level,
                      p_adjust = p_adjust, weighted = !is.null(w))
  if (method == "pearson") {
    dn <- list(names, names)
    m <- function(x) matrix(x, length(names), dimnames = dn)
    out$stats <- zh_cor_stats(m(res$n), m(res$mean), m(res$ss), m(res$cp),
                              weighted = !is.null(w), use = use)
  }
  out
}

# NONPAR CORR: rounded case weights count each case that many times (C
# weighs the codes and pairs, no copies are made); each column is sorted
# once (radix) and C makes value codes from the order.
zh_cor_rank_engine <- function(cols, w, method) {
  if (!is.null(w)) {
    w <- zh_round_half_up(w)
    keep <- !is.na(w) & w > 0
    if (!all(keep)) {
      cols <- lapply(cols, function(x) x[keep])
      w <- w[keep]
    }
  }
  ords <- lapply(cols, order, na.last = NA, method = "radix")
  ends <- vapply(seq_along(cols), function(j) {
    o <- ords[[j]]
    length(o) > 0L && any(is.infinite(cols[[j]][o[c(1L, length(o))]]))
  }, NA)
  zh_cor_check_finite(cols, which(ends))
  .Call(zh_cor_rank, unname(cols), ords, if (method == "spearman") 1L else 2L, w, zh_threads())
}

# One selected column as a plain numeric, integer or logical vector.
zh_cor_column <- function(x, name) {
  bad <- function(what) {
    zh_abort(sprintf(paste0("`vars` must select numeric, logical, ordered factor or labelled ",
                            "columns; `%s` is %s."), name, what), "type")
  }
  if (inherits(x, "AsIs")) x <- zh_strip_asis(x)
  if (inherits(x, "POSIXlt")) x <- as.POSIXct(x)
  if (inherits(x, "haven_labelled")) {
    if (!is.numeric(unclass(x))) bad("a character labelled vector")
    x <- zh_labelled_values(x)
  } else if (inherits(x, "integer64")) {
    x <- zh_integer64(x, sprintf("vars` column `%s", name))
  } else if (inherits(x, c("Date", "POSIXct", "difftime")) && is.numeric(unclass(x)) &&
             is.null(dim(x))) {
    # numbers on a scale (days, seconds, units), as SPSS stores dates:
    # correlations do not depend on the unit
    x <- as.double(unclass(x))
  } else if (is.factor(x)) {
    zh_check_factor(x, sprintf("vars` column `%s", name))
    if (!is.ordered(x) && nlevels(x) > 2L) {
      bad(sprintf("an unordered factor with %d levels", nlevels(x)))
    }
    x <- as.integer(x)
  } else if (is.list(x)) {
    bad("a list")
  } else if (!(is.numeric(x) || is.logical(x)) || !is.null(dim(x)) || is.object(x)) {
    bad(zh_describe(x))
  }
  if (!is.null(attributes(x))) attributes(x) <- NULL
  x
}

# Infinite values are found cheaply where the engines look anyway (column
# sums, sorted extremes); this names the column.
zh_cor_check_finite <- function(cols, suspects = seq_along(cols)) {
  for (nm in names(cols)[suspects]) {
    k <- sum(is.infinite(cols[[nm]]))
    if (k > 0) {
      zh_abort(sprintf("`vars` must not contain infinite values; `%s` has %d.", nm, k), "value")
    }
  }
}

zh_cor_check_tails <- function(tails) {
  if (!is.numeric(tails) || length(tails) != 1L || is.na(tails) || !tails %in% c(1, 2)) {
    zh_abort(sprintf("`tails` must be 1 or 2, not %s.", zh_describe(tails)), "input")
  }
  as.integer(tails)
}

zh_cor_check_conf <- function(conf_level) {
  if (is.null(conf_level)) return(invisible())
  if (!is.numeric(conf_level) || length(conf_level) != 1L || is.na(conf_level) ||
      conf_level <= 0 || conf_level >= 1) {
    zh_abort(sprintf("`conf_level` must be NULL or a number between 0 and 1, not %s.",
                     zh_describe(conf_level)), "input")
  }
}

zh_cor_reasons <- c("fewer than 3 cases", "no variance (a constant variable)")

# Statistics from r and N (and Kendall's z): the seam where correlations
# computed anywhere (C here, a published table, a database) become a
# zh_cor_matrix.
zh_cor_build <- function(r, n, method, z = NULL, reason = NULL, vars, labels, use = "pairwise",
                         tails = 2L, conf_level = NULL, p_adjust = "none", weighted = FALSE) {
  k <- length(vars)
  dn <- list(vars, vars)
  shape <- function(v) matrix(as.double(v), k, k, dimnames = dn)
  r <- shape(r)
  n <- shape(n)
  off <- row(r) != col(r)
  if (method == "kendall") {
    statistic <- shape(z)
    df <- shape(NA)
    p <- 2 * stats::pnorm(-abs(statistic))
  } else {
    df <- n - 2
    statistic <- r * sqrt(df / (1 - r^2))
    p <- 2 * stats::pt(-abs(statistic), df)
  }
  statistic[!off] <- NA
  df[!off] <- NA
  p[!off] <- NA
  if (tails == 1L) p <- p / 2
  if (p_adjust != "none") {
    low <- lower.tri(p)
    p[low] <- stats::p.adjust(p[low], p_adjust)
    p[upper.tri(p)] <- t(p)[upper.tri(p)]
  }
  why <- matrix(NA_character_, k, k, dimnames = dn)
  if (!is.null(reason)) {
    code <- as.vector(reason)
    why[code > 0] <- zh_cor_reasons[code[code > 0]]
  }
  lower <- upper <- NULL
  if (!is.null(conf_level)) {
    se <- switch(method,
      pearson = 1 / sqrt(n - 3),
      spearman = sqrt((1 + r^2 / 2) / (n - 3)),
      kendall = sqrt(0.437 / (n - 4)))
    se[se <= 0 | !is.finite(se)] <- NA
    q <- stats::qnorm((1 + conf_level) / 2)
    lower <- tanh(atanh(r) - q * se)
    upper <- tanh(atanh(r) + q * se)
    lower[!off] <- upper[!off] <- NA
  }
  structure(list(r = r, n = n, p = p, statistic = statistic, df = df, lower = lower,
                 upper = upper, reason = why, method = method, use = use, tails = tails,
                 conf_level = conf_level, p_adjust = p_adjust, weighted = weighted,
                 labels = stats::setNames(labels, vars)),
            class = "zh_cor_matrix")
}

#' A correlation matrix from published (or otherwise computed) coefficients
#'
#' Builds a `zh_cor_matrix` from a matrix of correlations and the number of
#' cases, with the p-values SPSS would print for them, so that a published
#' table can be checked, re-formatted or plotted.
#'
#' @param r A square numeric matrix (or data frame) of correlations; a
#'   lower (or upper) triangle with the other half `NA` is completed. Where
#'   both triangles are given they must agree (to 1e-8).
#'   Variable names come from its column names.
#' @param n The number of cases: one number, or a matrix like `r`.
#' @param method `"pearson"` or `"spearman"` (both use the t test on
#'   \eqn{N - 2} degrees of freedom).
#' @param labels Optional variable labels, one per variable.
#' @param tails `2` or `1`, as in [cor_matrix()].
#' @return A `zh_cor_matrix` (see [cor_matrix()]).
#' @export
#' @examples
#' r <- matrix(c(1, .368, .351, NA, 1, .280, NA, NA, 1), 3,
#'             dimnames = list(NULL, c("belonging", "friends", "norms")))
#' cm <- as_cor_matrix(r, n = 787)
#' format(cm, style = "spss", decimal_mark = ",")
as_cor_matrix <- function(r, n, method = c("pearson", "spearman"), labels = NULL, tails = 2) {
  method <- zh_match_arg(method, "method")
  tails <- zh_cor_check_tails(tails)
  if (is.data.frame(r)) r <- as.matrix(r)
  if (!is.matrix(r) || !is.numeric(r) || nrow(r) != ncol(r) || nrow(r) < 2L) {
    what <- if (is.matrix(r)) sprintf("a %d x %d %s matrix", nrow(r), ncol(r), typeof(r))
            else zh_describe(r)
    zh_abort(sprintf("`r` must be a square numeric matrix with at least 2 rows, not %s.", what),
             "input")
  }
  k <- nrow(r)
  fill <- is.na(r) & !is.na(t(r))
  r[fill] <- t(r)[fill]
  diag(r)[is.na(diag(r))] <- 1
  if (any(abs(r) > 1, na.rm = TRUE)) {
    zh_abort("`r` must hold correlations between -1 and 1.", "input")
  }
  # both triangles given: they must agree (tidy() reads one, format() the
  # other); the tolerance allows for arithmetic, not for a different value
  gap <- abs(r - t(r))
  gap[is.na(gap)] <- 0
  if (any(gap > 1e-8)) {
    at <- which(gap == max(gap), arr.ind = TRUE)[1, ]
    zh_abort(sprintf(paste0("`r` must be symmetric (or give one triangle): r[%d, %d] is %s but ",
                            "r[%d, %d] is %s."),
                     at[[1]], at[[2]], format(r[at[[1]], at[[2]]], digits = 15),
                     at[[2]], at[[1]], format(r[at[[2]], at[[1]]], digits = 15)), "input")
  }
  vars <- colnames(r)
  if (is.null(vars)) vars <- rownames(r)
  if (is.null(vars)) vars <- paste0("V", seq_len(k))
  if (!is.numeric(n) || !(length(n) == 1L || length(n) == k * k) || anyNA(n) || any(n < 0)) {
    zh_abort(sprintf("`n` must be one non-negative number or a matrix like `r`, not %s.",
                     zh_describe(n)), "input")
  }
  if (is.null(labels)) labels <- vars
  if (!is.character(labels) || length(labels) != k) {
    zh_abort(sprintf("`labels` must be NULL or a character vector of length %d, not %s.",
                     k, zh_describe(labels)), "input")
  }
  n <- matrix(as.double(n), k, k)
  if (any(n != t(n))) {
    at <- which(n != t(n), arr.ind = TRUE)[1, ]
    zh_abort(sprintf("`n` must be symmetric: n[%d, %d] is %s but n[%d, %d] is %s.",
                     at[[1]], at[[2]], format(n[at[[1]], at[[2]]]), at[[2]], at[[1]],
                     format(n[at[[2]], at[[1]]])), "input")
  }
  reason <- ifelse(n < 3, 1L, 0L)
  r[n < 3] <- NA
  zh_cor_build(r, n, method, reason = reason, vars = vars, labels = unname(labels),
               tails = tails)
}

#' Print, format and tidy a correlation matrix
#'
#' `print()` shows the SPSS Correlations table (`style = "output"`): per
#' variable the coefficient, `Sig. (2-tailed)` and `N`, with `**` / `*` on
#' the coefficients significant at the .01 / .05 level and their footnotes.
#' `style = "spss"` and `"apa"` give the publication table of papers: the
#' lower triangle with numbered columns, coefficients without the leading
#' zero and stars (`,368**` with a decimal comma); `"apa"` numbers the rows,
#' puts a dash on the diagonal and the star legend under the table. All fit
#' `getOption("width")`, splitting the columns into panels with the row
#' labels repeated. `format()` returns the printed lines. `tidy()` gives
#' one row per pair, `as.data.frame()` one row per cell of the matrix.
#'
#' @param x A `zh_cor_matrix`.
#' @param style `"output"` (SPSS output table), `"spss"` or `"apa"`
#'   (publication table).
#' @param digits Decimals of the coefficients and p-values (default 3).
#' @param decimal_mark `"."` or `","`; defaults to the option
#'   `zhetysu.decimal_mark`, else `"."`.
#' @param labels Use the variable labels (`TRUE`; the default, from the
#'   option `zhetysu.labels`, as in every result) or the names (`FALSE`) as
#'   row and column labels.
#' @param ... Passed on to `format()` by `print()`; `width` (see
#'   [zhetysu-output]).
#' @return `format()`: a character vector of lines; `print()`: `x`,
#'   invisibly. `tidy()`: a data frame with `var1`, `var2`, `label1`,
#'   `label2` (the printed labels), `estimate`, `n`, `statistic`, `df`,
#'   `p.value`, (`conf.low`, `conf.high`), `method` and `note`.
#'   `glance()`: one row with the method, the number of variables and of
#'   pairs, the range of N and the number of pairs significant at .05.
#'   `as.data.frame()`: `var1`, `var2`, `r`, `n`, `statistic`, `df`,
#'   `p_value`, (`lower`, `upper`) and `reason`.
#' @name cor_matrix-methods
#' @examples
#' cm <- cor_matrix(mtcars, c(mpg, hp, wt, qsec), conf_level = 0.95)
#' print(cm, decimal_mark = ",")
#' format(cm, style = "apa")
#' tidy(cm)
#' head(as.data.frame(cm))
NULL

zh_cor_names <- function(method) {
  switch(method,
    pearson = c(title = "Correlations", coef = "Pearson Correlation", short = "Pearson"),
    spearman = c(title = "Nonparametric Correlations: Spearman's rho",
                 coef = "Correlation Coefficient", short = "Spearman"),
    kendall = c(title = "Nonparametric Correlations: Kendall's tau_b",
                coef = "Correlation Coefficient", short = "Kendall"))
}

#' @rdname cor_matrix-methods
#' @export
format.zh_cor_matrix <- function(x, style = c("output", "spss", "apa"), digits = NULL,
                                 decimal_mark = NULL, labels = NULL, ...) {
  style <- zh_match_arg(style, "style")
  zh_format_result(x, layout = if (style == "output") "output" else "publication",
                   style = if (style == "output") NULL else style, digits = digits,
                   decimal_mark = decimal_mark, labels = labels, ...)
}

#' @rdname cor_matrix-methods
#' @export
print.zh_cor_matrix <- function(x, ...) {
  cat(format(x, ...), sep = "\n")
  invisible(x)
}

#' @rdname cor_matrix-methods
#' @method tidy zh_cor_matrix
#' @export
tidy.zh_cor_matrix <- function(x, ...) {
  up <- which(upper.tri(x$r), arr.ind = TRUE)
  up <- up[order(up[, 1], up[, 2]), , drop = FALSE]
  vars <- rownames(x$r)
  lab <- zh_var_label(vars, x$labels, TRUE)
  out <- data.frame(var1 = vars[up[, 1]], var2 = vars[up[, 2]], label1 = lab[up[, 1]],
                    label2 = lab[up[, 2]], estimate = x$r[up],
                    n = x$n[up], statistic = x$statistic[up], df = x$df[up],
                    p.value = x$p[up], stringsAsFactors = FALSE)
  if (!is.null(x$lower)) {
    out$conf.low <- x$lower[up]
    out$conf.high <- x$upper[up]
  }
  out$method <- zh_cor_names(x$method)[["short"]]
  out$note <- x$reason[up]
  out
}

#' @rdname cor_matrix-methods
#' @param row.names,optional Ignored (for compatibility with the generic).
#' @export
as.data.frame.zh_cor_matrix <- function(x, row.names = NULL, optional = FALSE, ...) {
  vars <- rownames(x$r)
  k <- length(vars)
  out <- data.frame(var1 = factor(rep(vars, times = k), levels = vars),
                    var2 = factor(rep(vars, each = k), levels = vars),
                    r = as.vector(x$r), n = as.vector(x$n),
                    statistic = as.vector(x$statistic), df = as.vector(x$df),
                    p_value = as.vector(x$p), stringsAsFactors = FALSE)
  if (!is.null(x$lower)) {
    out$lower <- as.vector(x$lower)
    out$upper <- as.vector(x$upper)
  }
  out$reason <- as.vector(x$reason)
  out
}

#' Heat map of a correlation matrix
#'
#' Draws the coefficients as a grid of shaded cells (base graphics), with the
#' coefficient and its stars written in each cell. The diverging palette has
#' lightness that depends on the size of r only, so the plot stays readable
#' in grey scale, where the printed sign tells the direction.
#'
#' @param x A `zh_cor_matrix`.
#' @param main The title; by default it names the method and N.
#' @param digits Decimals of the printed coefficients.
#' @param decimal_mark `"."` or `","`.
#' @param lower Only the lower triangle (as in the publication table).
#' @param ... Passed on to [graphics::image()].
#' @return `x`, invisibly.
#' @export
#' @examples
#' plot(cor_matrix(mtcars, c(mpg, cyl, disp, hp, wt)))
plot.zh_cor_matrix <- function(x, main = NULL, digits = 2L, decimal_mark = NULL,
                               lower = FALSE, ...) {
  mark <- zh_decimal_mark(decimal_mark)
  k <- nrow(x$r)
  vars <- rownames(x$r)
  if (is.null(main)) {
    nn <- x$n[row(x$n) != col(x$n)]
    main <- sprintf("%s correlations (%s)", zh_cor_names(x$method)[["short"]],
                    if (length(unique(nn)) == 1L) paste("N =", zh_fmt(nn[1], "count", decimal_mark = mark))
                    else "pairwise N")
  }
  r <- x$r
  diag(r) <- NA  # the 1s would dominate the scale
  if (lower) r[upper.tri(r)] <- NA
  pal <- grDevices::hcl.colors(21, "Blue-Red 3")
  # rows top to bottom: image() draws from the bottom left
  z <- t(r[k:1, , drop = FALSE])
  room <- 1 + 0.6 * max(nchar(vars))  # margin lines for the longest name
  old <- graphics::par(mar = c(min(room, 15), min(room, 15), 4, 1))
  on.exit(graphics::par(old))
  graphics::image(seq_len(k), seq_len(k), z, zlim = c(-1, 1), col = pal, axes = FALSE,
                  xlab = "", ylab = "", main = main, ...)
  graphics::axis(1, at = seq_len(k), labels = vars, las = 2, tick = FALSE)
  graphics::axis(2, at = seq_len(k), labels = rev(vars), las = 1, tick = FALSE)
  graphics::box()
  txt <- paste0(zh_num(z, digits, mark, lead_zero = FALSE), zh_stars(t(x$p[k:1, , drop = FALSE])))
  show <- !is.na(z) & row(z) != (k + 1L - col(z))
  dark <- abs(z) > 0.6
  if (any(show)) {
    # labels shrink to fit their cell (one user unit wide), so that neighbours never overlap
    cex <- if (k > 12) 0.7 else 0.9
    cex <- min(cex, cex * 0.92 / max(graphics::strwidth(txt[show], cex = cex)))
    graphics::text(row(z)[show], col(z)[show], txt[show],
                   col = ifelse(dark[show], "white", "black"), cex = cex)
  } else {
    graphics::mtext("No coefficient could be computed (see the `reason` matrix).", side = 3,
                    line = 0.3, cex = 0.9)
  }
  invisible(x)
}
