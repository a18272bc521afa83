#' Means of groups with the ANOVA table (SPSS MEANS)
#'
#' The mean, N and standard deviation of `outcome` in each group of `by`
#' and in total (SPSS MEANS's "Report"), with, as
#' `MEANS /STATISTICS=ANOVA LINEARITY` prints them, the ANOVA table (between
#' groups: combined, linearity and deviation from linearity; within groups;
#' total; F and Sig.) and the measures of association R, R squared, eta and
#' eta squared. Several `by` variables give one set of tables each.
#'
#' @section Definitions:
#' With W_k, ybar_k the (weighted) N and mean of group k and W, ybar those
#' of all groups: between-groups sum of squares sum W_k (ybar_k - ybar)^2
#' with K - 1 df, within-groups the sum of the groups' squared deviations
#' with W - K df. Linearity is the part of the between-groups sum of squares
#' explained by a straight line in the values of `by` (its numeric values;
#' for an ordered factor, the level positions): the square of
#' sum W_k (ybar_k - ybar)(g_k - gbar), divided by
#' sum W_k (g_k - gbar)^2, with 1 df; the deviation from linearity is the
#' rest, with K - 2 df (not shown for two groups). R is the Pearson
#' correlation of `outcome` with `by` (sign included), eta the square root of
#' between over total. A character or unordered-factor `by` has no
#' linearity and no R. Weights
#' are used as they are (W is their sum, df included); cases with a missing
#' `outcome` or `by` value, or a missing or non-positive weight, are left
#' out. Only groups with cases are shown.
#'
#' @param data A data frame (or tibble), or a lazy table of a database
#'   (see [database]).
#' @param outcome The numeric dependent variable (bare name or string).
#' @param by The grouping variables: column names, strings or tidyselect
#'   helpers; one set of tables per variable.
#' @param weights Optional case weights: a bare column name or string.
#' @param anova Whether to add the ANOVA and Measures of Association tables.
#' @param statistics The columns of the report: any of `"mean"`, `"n"`,
#'   `"sd"`, `"se_mean"`, `"variance"`, `"sum"`, `"minimum"`, `"maximum"`,
#'   `"range"`, `"skewness"`, `"kurtosis"` (the last two with their
#'   standard errors).
#' @param ... Not used; must be empty.
#' @return An object of class `zh_means`; see [means_table-methods].
#' @seealso [describe()].
#' @export
#' @examples
#' means_table(mtcars, mpg, by = cyl)
#' means_table(mtcars, mpg, by = c(cyl, gear), weights = wt, anova = FALSE)
means_table <- function(data, outcome, by, weights = NULL, anova = TRUE,
                        statistics = c("mean", "n", "sd"), ...) {
  if (inherits(data, "tbl_lazy")) return(zh_db_dispatch("means_table", match.call(), parent.frame()))
  zh_check_dots(...)
  zh_check_data(data)
  env <- parent.frame()
  y_name <- zh_column(data, substitute(outcome), "outcome", env)
  by_names <- zh_columns(data, substitute(by), "by", env)
  w_name <- zh_column(data, substitute(weights), "weights", env, null_ok = TRUE)
  zh_means_args(anova, statistics, y_name, by_names, w_name)
  if (nrow(data) == 0L) zh_abort("`data` must have at least one row, not 0.", "data")
  w <- zh_positive_weights(data, w_name)
  y <- zh_numeric_values(data[[y_name]], y_name, "outcome")
  total_w <- if (is.null(w)) length(y) else sum(w[w > 0], na.rm = TRUE)
  tables <- lapply(by_names, function(b) {
    zh_means_one(y, y_name, data[[b]], b, w, total_w)
  })
  names(tables) <- by_names
  zh_means_new(y_name, zh_label_of(data[[y_name]]), tables, statistics, anova, !is.null(w))
}

zh_means_new <- function(y_name, y_label, tables, statistics, anova, weighted) {
  structure(list(outcome = y_name, outcome_label = y_label, tables = tables,
                 statistics = statistics, anova = anova, weighted = weighted),
            class = "zh_means")
}

# The arguments checked (for data frames and lazy tables alike).
zh_means_args <- function(anova, statistics, y_name, by_names, w_name) {
  if (!is.logical(anova) || length(anova) != 1L || is.na(anova)) {
    zh_abort(sprintf("`anova` must be `TRUE` or `FALSE`, not %s.", zh_describe(anova)), "input")
  }
  choices <- c("mean", "n", "sd", "se_mean", "variance", "sum", "minimum", "maximum", "range",
               "skewness", "kurtosis")
  if (!is.character(statistics) || !length(statistics) || anyNA(statistics) ||
      !all(statistics %in% choices)) {
    bad <- if (is.character(statistics)) setdiff(statistics, choices)[1] else NA
    zh_abort(sprintf("`statistics` must be among %s, not %s.",
                     paste0("\"", choices, "\"", collapse = ", "),
                     if (is.na(bad)) zh_describe(statistics) else sprintf("\"%s\"", bad)),
             "input")
  }
  if (y_name %in% by_names) {
    zh_abort(sprintf("`by` must not include the outcome column `%s`.", y_name), "column")
  }
  if (!is.null(w_name) && w_name %in% c(y_name, by_names)) {
    zh_abort(sprintf("`outcome` and `by` must not include the weights column `%s`.", w_name),
             "column")
  }
}

zh_means_one <- function(y, y_name, g, g_name, w, total_w) {
  gc <- zh_means_codes(g, g_name)
  K <- length(gc$labels)
  res <- .Call(zh_means_groups, y, w, zh_int(gc$codes), K)
  zh_check_infinite(res$infinite, y_name, "outcome")
  zh_means_from_moments(res$moments, gc, g, g_name, y_name, !is.null(w), total_w)
}

# The groups of a `by` variable (its codes, labels and scores).
zh_means_codes <- function(g, g_name) {
  gc <- zh_codes(g, sprintf("by` column `%s", g_name))
  if (!length(gc$labels)) {
    zh_abort(sprintf("`by` must have at least one non-missing value; column `%s` has only missing values.",
                     g_name), "empty")
  }
  gc
}

# One `by` variable's tables from the moments of its K groups and of all of
# them (rows; columns as zh_moment_stats() takes them), whoever computed
# them (the C engine, or a database's sums); `gc` the codes of `g`.
zh_means_from_moments <- function(mom, gc, g, g_name, y_name, weighted, total_w) {
  K <- length(gc$labels)
  keep <- c(mom[seq_len(K), 1] > 0, TRUE)
  if (!(mom[K + 1L, 1] > 0)) {
    zh_abort(sprintf(paste0("`data` has no valid cases: no row has non-missing `%s` and `%s` ",
                            "values%s."), y_name, g_name,
                     if (weighted) " with a positive weight" else ""), "empty")
  }
  mom <- mom[keep, , drop = FALSE]
  report <- cbind(data.frame(group = c(gc$labels[keep[-(K + 1L)]], "Total"),
                             n = mom[, 1], cases = mom[, 2], stringsAsFactors = FALSE),
                  zh_moment_stats(mom))
  # linearity needs ordered values: none for text or unordered factors
  unordered <- is.character(g) || (is.factor(g) && !is.ordered(g)) ||
    (inherits(g, "haven_labelled") && is.character(unclass(g)))
  scores <- if (unordered) NULL else gc$scores[keep[-(K + 1L)]]
  list(by = g_name, by_label = zh_label_of(g), report = report,
       anova = zh_means_anova(mom, scores),
       included = mom[nrow(mom), 1], excluded = total_w - mom[nrow(mom), 1])
}

# The ANOVA table and measures of association from the groups' moments
# (rows: groups, then the total) and the groups' scores (NULL: no linearity).
zh_means_anova <- function(mom, scores) {
  k <- nrow(mom) - 1L
  Wk <- mom[seq_len(k), 1]
  W <- mom[k + 1L, 1]
  # sums of squares in units of 2^E (E that of the total), as the moments
  # come: data of 1e300 or 1e-300 keep F, eta and R
  E <- mom[k + 1L, 9]
  # the groups' means minus the total's, in those units, from the engine
  # (exact parts of the means; not the difference of the rounded means)
  dk <- mom[seq_len(k), 10]
  sst <- W * mom[k + 1L, 4]
  ssw <- sum(Wk * zh_ldexp(mom[seq_len(k), 4], 2 * (mom[seq_len(k), 9] - E)))
  ssb <- sum(Wk * dk^2)
  dfw <- W - k
  r <- NA_real_
  ssl <- NA_real_
  if (!is.null(scores) && k >= 2L) {
    # scores in units of a power of two too (scores of 1e300)
    gs <- zh_ldexp(scores, -zh_pow2(max(abs(scores))))
    gbar <- sum((Wk / W) * gs)
    sgg <- sum(Wk * (gs - gbar)^2)
    syg <- sum(Wk * dk * (gs - gbar))
    ssl <- syg / sgg * syg
    r <- if (sst > 0) syg / sqrt(sgg) / sqrt(sst) else NA_real_
  }
  src <- c("combined", "linearity", "deviation", "within", "total")
  ss_s <- c(ssb, ssl, ssb - ssl, ssw, sst)
  df <- c(k - 1, 1, k - 2, dfw, W - 1)
  ms_s <- ss_s / df
  ms_s[df <= 0] <- NA_real_
  ms_s[5] <- NA_real_  # SPSS shows no mean square for the total
  ss <- zh_ldexp(ss_s, 2 * E)
  ms <- zh_ldexp(ms_s, 2 * E)
  f <- ms_s / ms_s[4]
  f[4:5] <- NA_real_
  if (!(dfw > 0) || !(ms_s[4] > 0)) f[] <- NA_real_
  p <- stats::pf(f, df, dfw, lower.tail = FALSE)
  table <- data.frame(source = src, ss = ss, df = df, ms = ms, f = f, p = p,
                      stringsAsFactors = FALSE)
  if (is.null(scores)) table <- table[-(2:3), ]
  else if (k == 2L) table <- table[-3, ]
  if (k < 2L) table <- table[-1, ]
  rownames(table) <- NULL
  eta2 <- if (sst > 0) ssb / sst else NA_real_
  list(table = table, association = c(r = r, r_squared = r^2, eta = sqrt(eta2),
                                      eta_squared = eta2))
}

# ---- methods ---------------------------------------------------------------

#' Print, tidy and export a MEANS result
#'
#' `print()` shows, for each `by` variable, SPSS's "Report" and, with
#' `anova = TRUE`, the "ANOVA Table" and "Measures of Association", through
#' the package's output tables (also `knit_print()`, `as_flextable()` and
#' the exports); `format()` returns its lines. `tidy()` and
#' `as.data.frame()` give one row per `by` variable and group (the Total
#' row included) with every statistic; `glance()` one row per `by` variable
#' with F, its df and p (combined), eta, eta squared, R and R squared.
#'
#' @param x A `zh_means` object.
#' @param ... Renderer arguments (`style`, `digits`, `decimal_mark`,
#'   `labels`, `width`).
#' @return `format()` a character vector; `print()` its input, invisibly;
#'   the others data frames.
#' @name means_table-methods
#' @examples
#' m <- means_table(mtcars, mpg, by = cyl)
#' m
#' tidy(m)
#' glance(m)
NULL

zh_means_cols <- list(mean = "Mean", n = "N", sd = "Std. Deviation",
                      se_mean = "Std. Error of Mean", variance = "Variance", sum = "Sum",
                      minimum = "Minimum", maximum = "Maximum", range = "Range",
                      skewness = "Skewness", se_skewness = "Std. Error of Skewness",
                      kurtosis = "Kurtosis", se_kurtosis = "Std. Error of Kurtosis")

#' @export
zh_tables.zh_means <- function(x, labels = NULL, ...) {
  y_lab <- zh_var_label(x$outcome, x$outcome_label, labels)
  stats <- x$statistics
  if ("skewness" %in% stats) stats <- append(stats, "se_skewness", match("skewness", stats))
  if ("kurtosis" %in% stats) stats <- append(stats, "se_kurtosis", match("kurtosis", stats))
  out <- list()
  for (t in x$tables) {
    g_lab <- zh_var_label(t$by, t$by_label, labels)
    rep <- t$report
    cells <- do.call(rbind, lapply(seq_along(stats), function(j) {
      zh_cells(seq_len(nrow(rep)), j, rep[[stats[j]]], if (stats[j] == "n") "count" else "stat")
    }))
    out[[length(out) + 1L]] <- zh_otable(
      "Report", matrix(rep$group, ncol = 1L),
      zh_headers(unlist(zh_means_cols[stats]), group = y_lab), cells, stub_head = g_lab)
    if (!x$anova) next
    a <- t$anova$table
    if (!nrow(a)) next
    lab <- c(combined = "Between Groups", linearity = "", deviation = "",
             within = "Within Groups", total = "Total")
    lab2 <- c(combined = "(Combined)", linearity = "Linearity",
              deviation = "Deviation from Linearity", within = "", total = "")
    if (!"combined" %in% a$source) lab["linearity"] <- "Between Groups"
    stub <- cbind(c(sprintf("%s * %s", y_lab, g_lab), rep("", nrow(a) - 1L)),
                  lab[a$source], lab2[a$source])
    i <- seq_len(nrow(a))
    cells <- rbind(zh_cells(i, 1L, a$ss, "stat"), zh_cells(i, 2L, a$df, "df"),
                   zh_cells(i, 3L, a$ms, "stat"), zh_cells(i, 4L, a$f, "stat"),
                   zh_cells(i, 5L, a$p, "p"))
    cells <- cells[!is.na(cells$value), , drop = FALSE]
    out[[length(out) + 1L]] <- zh_otable(
      "ANOVA Table", stub,
      zh_headers(c("Sum of Squares", "df", "Mean Square", "F", "Sig.")), cells,
      stub_head = c("", "", ""))
    m <- t$anova$association
    cells <- zh_cells(1L, 1:4, m, "bounded")
    cells <- cells[!is.na(cells$value), , drop = FALSE]
    out[[length(out) + 1L]] <- zh_otable(
      "Measures of Association", matrix(sprintf("%s * %s", y_lab, g_lab), 1L),
      zh_headers(c("R", "R Squared", "Eta", "Eta Squared")), cells)
  }
  zh_output(out)
}

#' @rdname means_table-methods
#' @export
format.zh_means <- function(x, ...) zh_format_result(x, ...)

#' @rdname means_table-methods
#' @export
print.zh_means <- function(x, ...) zh_print_result(x, ...)

#' @rdname means_table-methods
#' @method tidy zh_means
#' @export
tidy.zh_means <- function(x, ...) {
  out <- do.call(rbind, lapply(x$tables, function(t) {
    r <- t$report
    cbind(data.frame(outcome = rep(x$outcome, nrow(r)), by = rep(t$by, nrow(r)),
                     stringsAsFactors = FALSE), r)
  }))
  rownames(out) <- NULL
  out
}

#' @rdname means_table-methods
#' @method glance zh_means
#' @export
glance.zh_means <- function(x, ...) {
  out <- do.call(rbind, lapply(x$tables, function(t) {
    a <- t$anova$table
    comb <- a[a$source == "combined", , drop = FALSE]
    one <- function(v) if (nrow(comb)) v else NA_real_
    data.frame(outcome = x$outcome, by = t$by, groups = nrow(t$report) - 1L,
               n = t$included, excluded = t$excluded, f = one(comb$f), df1 = one(comb$df),
               df2 = a$df[a$source == "within"], p_value = one(comb$p),
               eta = t$anova$association[["eta"]],
               eta_squared = t$anova$association[["eta_squared"]],
               r = t$anova$association[["r"]], r_squared = t$anova$association[["r_squared"]],
               stringsAsFactors = FALSE)
  }))
  rownames(out) <- NULL
  out
}

#' @rdname means_table-methods
#' @param row.names,optional Ignored (for compatibility with the generic).
#' @export
as.data.frame.zh_means <- function(x, row.names = NULL, optional = FALSE, ...) tidy.zh_means(x)
