#' Descriptive statistics (SPSS FREQUENCIES /STATISTICS and DESCRIPTIVES)
#'
#' For each numeric variable, the statistics SPSS FREQUENCIES and
#' DESCRIPTIVES print, with their definitions: N valid and missing, mean and
#' its standard error, median, mode, standard deviation, variance, skewness
#' and kurtosis with their standard errors, range, minimum, maximum, sum,
#' quartiles and any percentiles.
#'
#' @section Definitions:
#' With W the sum of the weights of the valid cases and M_r the weighted sums
#' of the r-th powers of the deviations from the mean: variance M_2 / (W - 1),
#' standard error of the mean S / sqrt(W), skewness
#' W M_3 / ((W - 1)(W - 2) S^3) (for W >= 3), kurtosis
#' (W (W + 1) M_4 - 3 M_2^2 (W - 1)) / ((W - 1)(W - 2)(W - 3) S^4) (for
#' W >= 4), with SPSS's standard errors. Range, minimum and maximum ignore
#' the weights. The mode is the value with the largest (weighted) count;
#' when several values share it, the smallest is shown with SPSS's footnote.
#' The moments are computed in one pass with a numerically stable update.
#'
#' @section Percentiles:
#' The median, the quartiles and `percentiles` follow `method`, one of the
#' five definitions of SPSS (EXAMINE `/PERCENTILES`): `"haverage"` (the
#' default, that of FREQUENCIES; without weights it equals
#' `quantile(type = 6)`), `"waverage"`, `"round"`, `"empirical"` and
#' `"aempirical"`, with non-integer weights entering the cumulative weights
#' as SPSS does. `grouped = TRUE` treats the values as midpoints of classes
#' (SPSS `/GROUPED`, for Likert items): the median and percentiles are then
#' interpolated between class midpoints; a percentile below the first or
#' above the last midpoint is missing, with a warning.
#'
#' @section Weights and missing values:
#' Weights are used as they are (not rounded), as in SPSS FREQUENCIES; cases
#' with a missing, zero or negative weight are left out. `NA` and `NaN` are
#' missing, and so are the user-missing codes of labelled SPSS variables
#' (`haven_labelled_spss`: `na_values`, `na_range`).
#'
#' @param data A data frame (or tibble), or a lazy table of a database
#'   (see [database]).
#' @param vars The numeric variables: column names, strings or tidyselect
#'   helpers.
#' @param weights Optional case weights: a bare column name or string.
#' @param statistics The statistics to show, any of `"n"` (N valid and
#'   missing), `"mean"`, `"se_mean"`, `"median"`, `"mode"`, `"sd"`,
#'   `"variance"`, `"skewness"` (with its standard error), `"kurtosis"`
#'   (with its standard error), `"range"`, `"minimum"`, `"maximum"`, `"sum"`,
#'   `"quartiles"`, or `"all"`. This chooses the rows printed (and the rows
#'   of `tidy()`); `as.data.frame()` has every statistic but the mode, which
#'   needs the values sorted and is computed only when asked for.
#' @param percentiles Optional percentiles to add, numbers from 0 to 100.
#' @param method The percentile definition (see Percentiles).
#' @param grouped Whether the values are class midpoints (see Percentiles).
#' @param ... Not used; must be empty.
#' @return An object of class `zh_describe`; see [describe-methods].
#' @seealso [means_table()] for the means of groups; [freq_table()].
#' @export
#' @examples
#' describe(mtcars, c(mpg, hp, wt))
#' describe(mtcars, c(mpg, hp), weights = wt, statistics = "all", percentiles = c(10, 90))
#' tidy(describe(mtcars, mpg, statistics = c("mean", "sd")))
describe <- function(data, vars, weights = NULL,
                     statistics = c("n", "mean", "median", "sd", "minimum", "maximum"),
                     percentiles = NULL, method = "haverage", grouped = FALSE, ...) {
  if (inherits(data, "tbl_lazy")) return(zh_db_dispatch("describe", match.call(), parent.frame()))
  zh_check_dots(...)
  zh_check_data(data)
  env <- parent.frame()
  v_names <- zh_columns(data, substitute(vars), "vars", env)
  w_name <- zh_column(data, substitute(weights), "weights", env, null_ok = TRUE)
  a <- zh_describe_args(statistics, percentiles, method, grouped, v_names, w_name)
  statistics <- a$statistics
  percentiles <- a$percentiles
  method <- a$method
  if (nrow(data) == 0L) zh_abort("`data` must have at least one row, not 0.", "data")
  w <- zh_positive_weights(data, w_name)
  cols <- lapply(v_names, function(v) zh_numeric_values(data[[v]], v, "vars"))
  labels <- vapply(v_names, function(v) zh_label_of(data[[v]]), "")
  pct <- sort(unique(c(25, 50, 75, percentiles)))
  res <- .Call(zh_describe_cols, cols, w, as.double(pct), match(method, zh_pct_methods),
               grouped, "mode" %in% statistics, zh_threads())
  zh_check_infinite(res$infinite, v_names, "vars")
  zh_describe_new(res$moments, res$percentiles, res$mode, res$multiple_modes, v_names, labels,
                  statistics, percentiles, method, grouped, weighted = !is.null(w))
}

# The result from the variables' moments (rows; the columns of the engine:
# W, cases, mean, v2, v3, v4, min, max, e, missing W, missing cases), their
# percentiles (columns 25, 50, 75 and `percentiles`) and modes, whoever
# computed them (the C engine, or a database's sums).
zh_describe_new <- function(mom, pm, mode, multiple_modes, v_names, labels, statistics,
                            percentiles, method, grouped, weighted) {
  empty <- !(mom[, 1] > 0)
  if (any(empty)) {
    zh_abort(sprintf("`vars` column `%s` must have at least one non-missing value%s; it has none.",
                     v_names[empty][1], if (weighted) " with a positive weight" else ""),
             "empty")
  }
  stats <- zh_moment_stats(mom)
  pct <- sort(unique(c(25, 50, 75, percentiles)))
  dimnames(pm) <- list(v_names, as.character(pct))
  if (grouped && anyNA(pm)) {
    bad <- which(is.na(pm), arr.ind = TRUE)
    zh_warn(sprintf(paste0("Grouped percentile %s of `%s` is missing: it falls outside the ",
                           "midpoints of the first and last classes, whose bounds are unknown."),
                    colnames(pm)[bad[1, 2]], v_names[bad[1, 1]]), "grouped")
  }
  table <- data.frame(variable = v_names, label = unname(labels), n = mom[, 1],
                      missing = mom[, 10], cases = mom[, 2], missing_cases = mom[, 11],
                      stats, median = pm[, "50"], mode = mode,
                      multiple_modes = multiple_modes, stringsAsFactors = FALSE)
  table <- table[c("variable", "label", "n", "missing", "cases", "missing_cases", "mean",
                   "se_mean", "median", "mode", "multiple_modes", "sd", "variance", "skewness",
                   "se_skewness", "kurtosis", "se_kurtosis", "range", "minimum", "maximum",
                   "sum")]
  rownames(table) <- NULL
  structure(list(table = table, percentiles = pm, statistics = statistics,
                 shown_percentiles = sort(unique(c(if ("quartiles" %in% statistics) c(25, 50, 75),
                                                   percentiles))),
                 method = method, grouped = grouped, weighted = weighted),
            class = "zh_describe")
}

# The arguments checked (for data frames and lazy tables alike).
zh_describe_args <- function(statistics, percentiles, method, grouped, v_names, w_name) {
  statistics <- zh_describe_statistics(statistics)
  percentiles <- zh_check_percentiles(percentiles)
  method <- zh_match_arg(method, "method", zh_pct_methods)
  if (!is.logical(grouped) || length(grouped) != 1L || is.na(grouped)) {
    zh_abort(sprintf("`grouped` must be `TRUE` or `FALSE`, not %s.", zh_describe(grouped)), "input")
  }
  if (!is.null(w_name) && w_name %in% v_names) {
    zh_abort(sprintf("`vars` must not include the weights column `%s`.", w_name), "column")
  }
  list(statistics = statistics, percentiles = percentiles, method = method)
}

zh_pct_methods <- c("haverage", "waverage", "round", "empirical", "aempirical")

zh_describe_names <- c("n", "mean", "se_mean", "median", "mode", "sd", "variance", "skewness",
                       "kurtosis", "range", "minimum", "maximum", "sum", "quartiles")

zh_describe_statistics <- function(statistics) {
  if (!is.character(statistics) || !length(statistics) || anyNA(statistics)) {
    zh_abort(sprintf("`statistics` must be a character vector of statistic names, not %s.",
                     zh_describe(statistics)), "input")
  }
  if ("all" %in% statistics) return(zh_describe_names)
  bad <- setdiff(statistics, zh_describe_names)
  if (length(bad)) {
    zh_abort(sprintf("`statistics` must be among %s or \"all\", not \"%s\".",
                     paste0("\"", zh_describe_names, "\"", collapse = ", "), bad[1]), "input")
  }
  zh_describe_names[zh_describe_names %in% statistics]
}

zh_check_percentiles <- function(p) {
  if (is.null(p)) return(numeric())
  if (!is.numeric(p) || is.object(p) || !length(p) || anyNA(p) || any(p < 0 | p > 100)) {
    what <- if (is.numeric(p) && length(p) && !anyNA(p)) {
      sprintf("%s", format(p[p < 0 | p > 100][1]))
    } else zh_describe(p)
    zh_abort(sprintf("`percentiles` must be numbers from 0 to 100, not %s.", what), "input")
  }
  as.double(p)
}

# The case weights, NULL without; all zero (or missing) stops.
zh_positive_weights <- function(data, w_name) {
  if (is.null(w_name)) return(NULL)
  w <- zh_weights(data[[w_name]], "weights")
  if (!any(w > 0, na.rm = TRUE)) {
    zh_abort(sprintf("`weights` must have at least one positive value; column `%s` has none.",
                     w_name), "weights")
  }
  w
}

# A numeric variable as doubles: user-missing codes of labelled SPSS
# variables become NA.
zh_numeric_values <- function(x, name, arg) {
  if (inherits(x, "haven_labelled")) {
    v <- zh_labelled_values(x)
    if (is.numeric(v)) return(as.double(v))
    x <- v
  }
  if (!is.numeric(x) || is.object(x) || !is.null(dim(x))) {
    zh_abort(sprintf("`%s` column `%s` must be numeric (or a labelled numeric vector), not %s.",
                     arg, name, zh_describe(x)), "type")
  }
  as.double(x)
}

zh_check_infinite <- function(n_inf, names, arg) {
  bad <- which(n_inf > 0)
  if (length(bad)) {
    zh_abort(sprintf("`%s` column `%s` must not contain infinite values (found %s).", arg,
                     names[bad[1]], format(n_inf[bad[1]])), "value")
  }
}

# SPSS's statistics from the weighted moments (columns W, cases, mean, v2,
# v3, v4, min, max, e of the engine: v_k the central moments per unit of
# weight of the values in units of 2^e), one row per variable or group.
# Written with the weights as ratios and the moments in those units, so
# that data of 1e300 or 1e-300 and weights of any size give the statistics
# wherever they exist as doubles (the variance of 1e300 data does not).
zh_moment_stats <- function(mom) {
  W <- mom[, 1]
  v2 <- mom[, 4]
  e <- mom[, 9]
  var_s <- ifelse(W > 1, v2 * (W / (W - 1)), NA_real_)
  s <- zh_ldexp(sqrt(var_s), e)
  ok3 <- W >= 3 & !is.na(v2) & v2 > 0
  ok4 <- W >= 4 & !is.na(v2) & v2 > 0
  se_skew <- ifelse(W >= 3, sqrt(6 * (W / (W - 2)) * ((W - 1) / (W + 1)) / (W + 3)), NA_real_)
  b2 <- mom[, 6] / v2 / v2
  data.frame(
    mean = mom[, 3], se_mean = s / sqrt(W), sd = s, variance = zh_ldexp(var_s, 2 * e),
    skewness = ifelse(ok3, sqrt(W) * sqrt(W - 1) / (W - 2) * mom[, 5] / v2 / sqrt(v2), NA_real_),
    se_skewness = se_skew,
    kurtosis = ifelse(ok4, (W - 1) / (W - 2) * (((W + 1) * b2 - 3 * (W - 1)) / (W - 3)),
                      NA_real_),
    se_kurtosis = ifelse(W >= 4, sqrt(4 * ((W - 1) / (W - 3)) * ((W + 1) / (W + 5)) * se_skew^2),
                         NA_real_),
    range = mom[, 8] - mom[, 7], minimum = mom[, 7], maximum = mom[, 8], sum = W * mom[, 3]
  )
}

# The e with m < 2^e (m a positive double; 0 otherwise), as frexp() gives it.
zh_pow2 <- function(m) {
  if (!is.finite(m) || !(m > 0)) return(0)
  e <- floor(log2(m)) + 1
  # log2 rounds near powers of two
  if (zh_ldexp(1, e - 1) > m) e <- e - 1 else if (zh_ldexp(1, e) <= m) e <- e + 1
  e
}

# x * 2^e in two steps, so that neither power overflows (e up to 2098).
zh_ldexp <- function(x, e) {
  h <- e %/% 2
  x * 2^h * 2^(e - h)
}

# ---- methods ---------------------------------------------------------------

#' Print, tidy and export descriptive statistics
#'
#' `print()` shows SPSS's "Statistics" table, variables as columns, through
#' the package's output tables (also `knit_print()`, `as_flextable()` and
#' the exports); `format()` returns its lines. `tidy()` gives one row per
#' variable and statistic shown (`variable`, `statistic`, `percentile`,
#' `value`); `glance()` one row about the call; `as.data.frame()` one row
#' per variable with every statistic.
#'
#' @param x A `zh_describe` object.
#' @param ... Renderer arguments (`style`, `digits`, `decimal_mark`,
#'   `labels`, `width`).
#' @return `format()` a character vector; `print()` its input, invisibly;
#'   the others data frames.
#' @name describe-methods
#' @examples
#' d <- describe(mtcars, c(mpg, hp), statistics = "all", percentiles = 10)
#' d
#' tidy(d)
#' glance(d)
NULL

zh_describe_rows <- list(
  mean = c("Mean", ""), se_mean = c("Std. Error of Mean", ""), median = c("Median", ""),
  mode = c("Mode", ""), sd = c("Std. Deviation", ""), variance = c("Variance", ""),
  skewness = c("Skewness", ""), se_skewness = c("Std. Error of Skewness", ""),
  kurtosis = c("Kurtosis", ""), se_kurtosis = c("Std. Error of Kurtosis", ""),
  range = c("Range", ""), minimum = c("Minimum", ""), maximum = c("Maximum", ""),
  sum = c("Sum", "")
)

# The statistics shown, in SPSS's order: names of table columns.
zh_describe_shown <- function(x) {
  s <- x$statistics
  out <- c(if ("n" %in% s) c("n", "missing"), intersect(names(zh_describe_rows), s))
  if ("skewness" %in% s) out <- append(out, "se_skewness", match("skewness", out))
  if ("kurtosis" %in% s) out <- append(out, "se_kurtosis", match("kurtosis", out))
  out
}

#' @export
zh_tables.zh_describe <- function(x, labels = NULL, ...) {
  tab <- x$table
  shown <- zh_describe_shown(x)
  pct <- x$shown_percentiles
  nv <- nrow(tab)
  stub <- do.call(rbind, c(
    lapply(shown, function(s) {
      switch(s, n = c("N", "Valid"), missing = c("", "Missing"), zh_describe_rows[[s]])
    }),
    lapply(seq_along(pct), function(i) c(if (i == 1L) "Percentiles" else "", format(pct[i])))
  ))
  if (is.null(stub)) stub <- matrix("", 0L, 2L)
  cells <- list()
  notes <- list()
  for (i in seq_along(shown)) {
    s <- shown[i]
    type <- if (s %in% c("n", "missing")) "count" else "stat"
    note <- ""
    if (s == "mode" && any(tab$multiple_modes)) {
      note <- ifelse(tab$multiple_modes, "modes", "")
      notes$modes <- zh_note("multiple_modes")
    }
    if (s == "median" && x$grouped) {
      note <- "grouped_median"
      notes$grouped_median <- zh_note("grouped_median")
    }
    cells[[i]] <- zh_cells(i, seq_len(nv), tab[[s]], type, notes = note)
  }
  for (k in seq_along(pct)) {
    note <- if (x$grouped) "grouped_pct" else ""
    if (x$grouped) notes$grouped_pct <- zh_note("grouped_percentiles")
    cells[[length(cells) + 1L]] <- zh_cells(length(shown) + k, seq_len(nv),
                                            x$percentiles[, as.character(pct[k])],
                                            "stat", notes = note)
  }
  cells <- if (length(cells)) do.call(rbind, cells) else {
    zh_cells(integer(), integer(), numeric(), character(), text = character())
  }
  cols <- zh_headers(zh_var_label(tab$variable, tab$label, labels))
  zh_output(zh_otable("Statistics", stub, cols, cells, stub_head = c("", ""), notes = notes))
}

#' @rdname describe-methods
#' @export
format.zh_describe <- function(x, ...) zh_format_result(x, ...)

#' @rdname describe-methods
#' @export
print.zh_describe <- function(x, ...) zh_print_result(x, ...)

#' @rdname describe-methods
#' @method tidy zh_describe
#' @export
tidy.zh_describe <- function(x, ...) {
  tab <- x$table
  shown <- zh_describe_shown(x)
  long <- lapply(shown, function(s) {
    data.frame(variable = tab$variable, statistic = s, percentile = NA_real_, value = tab[[s]],
               stringsAsFactors = FALSE)
  })
  for (p in x$shown_percentiles) {
    long[[length(long) + 1L]] <- data.frame(
      variable = tab$variable, statistic = "percentile", percentile = p,
      value = unname(x$percentiles[, as.character(p)]), stringsAsFactors = FALSE)
  }
  out <- do.call(rbind, long)
  out <- out[order(match(out$variable, tab$variable), seq_len(nrow(out))), , drop = FALSE]
  rownames(out) <- NULL
  out
}

#' @rdname describe-methods
#' @method glance zh_describe
#' @export
glance.zh_describe <- function(x, ...) {
  data.frame(variables = nrow(x$table), weighted = x$weighted, method = x$method,
             grouped = x$grouped, stringsAsFactors = FALSE)
}

#' @rdname describe-methods
#' @param row.names,optional Ignored (for compatibility with the generic).
#' @export
as.data.frame.zh_describe <- function(x, row.names = NULL, optional = FALSE, ...) {
  pm <- x$percentiles
  extra <- as.data.frame(unclass(pm), stringsAsFactors = FALSE)
  names(extra) <- paste0("p", colnames(pm))
  rownames(extra) <- NULL
  cbind(x$table, extra)
}
