#' Association screen: many factors against one outcome ("Table 2")
#'
#' Cross-tabulates every factor against one outcome and returns one row per
#' factor with the Pearson chi-square test, Cramer's V, the likelihood ratio
#' and, where both variables are ordered, gamma and Kendall's tau-b: the
#' "Table 2" of a survey report. One C call counts all factors against the
#' outcome in a single pass over the rows; each row's numbers are those
#' [crosstab()] gives for the pair (`factor` in rows, `outcome` in columns).
#'
#' @section Rows equal crosstab():
#' For each factor, cases with a missing factor, outcome or weight are left
#' out (so `n` may differ between rows); weighted cell counts are made
#' integers as `count` says, exactly as in [crosstab()]; empty categories are
#' dropped before the statistics, as SPSS does. `min_expected` and
#' `cells_below_5` are the footnote of the SPSS Chi-Square Tests table.
#'
#' @section Ordered variables:
#' Gamma and Kendall's tau-b (with the p of their approximate T, as SPSS
#' prints it) are given only where both the factor and the outcome are
#' ordered: ordered factors, numeric, logical or `haven_labelled` columns.
#' For unordered factors and character columns they are `NA`.
#'
#' @section p-value adjustment:
#' `p_adjust` names a method of [stats::p.adjust()]; the Pearson p-values of
#' all rows are adjusted together and returned in an extra column
#' `p_adjusted` (`p_value` stays unadjusted).
#'
#' @inheritParams crosstab
#' @param outcome The outcome: a bare column name or string.
#' @param factors The factors: column names, strings or tidyselect helpers
#'   such as `c(gender, age)` or `-id`. Must not include `outcome`.
#' @param p_adjust `"none"` (the default) or a method of [stats::p.adjust()]
#'   applied to the Pearson p-values across the rows.
#' @return A data frame of class `zh_association`, one row per factor, with
#'   columns `variable`, `statistic` (Pearson chi-square), `df`, `p_value`,
#'   (`p_adjusted`), `cramers_v`, `n` (valid cases, after cell rounding),
#'   `min_expected`, `cells_below_5`, `lr_statistic`, `lr_p_value`, `gamma`,
#'   `gamma_p_value`, `tau_b`, `tau_b_p_value` and `missing` (cases left
#'   out). The tables are kept in the attribute `"tables"`.
#' @seealso [crosstab()] for one pair with every statistic; the methods in
#'   [association_table-methods].
#' @export
#' @examples
#' d <- within(mtcars, {
#'   cyl <- factor(cyl)
#'   gear <- ordered(gear)
#'   carb <- ordered(carb)
#' })
#' at <- association_table(d, gear, c(cyl, am, vs, carb))
#' at
#' format(at, style = "spss", decimal_mark = ",")
#' association_table(d, gear, c(cyl, am, vs), p_adjust = "holm")$p_adjusted
association_table <- function(data, outcome, factors, weights = NULL,
                              count = c("round", "asis", "truncate", "case_round",
                                        "case_truncate"),
                              p_adjust = c("none", "holm", "hochberg", "hommel", "bonferroni",
                                           "BH", "BY", "fdr"),
                              ...) {
  if (zh_is_design(data)) return(zh_design_association(data, substitute(outcome), substitute(factors), parent.frame(), substitute(weights), p_adjust, ...))
  if (inherits(data, "tbl_lazy")) return(zh_db_dispatch("association_table", match.call(), parent.frame()))
  zh_check_dots(...)
  count <- zh_match_arg(count, "count")
  p_adjust <- zh_match_arg(p_adjust, "p_adjust")
  zh_check_data(data)
  env <- parent.frame()
  out_name <- zh_column(data, substitute(outcome), "outcome", env)
  f_names <- zh_columns(data, substitute(factors), "factors", env)
  w_name <- zh_column(data, substitute(weights), "weights", env, null_ok = TRUE)
  if (zh_among(out_name, f_names)) {
    zh_abort(sprintf("`factors` must not include the outcome `%s`.", out_name), "column")
  }
  if (zh_among(w_name, f_names)) {
    zh_abort(sprintf("`factors` must not include the weights column `%s`.", w_name), "column")
  }
  if (nrow(data) == 0L) {
    zh_abort("`data` must have at least one row, not 0.", "data")
  }
  oc <- zh_codes_of(data, out_name, "outcome")
  fc <- lapply(zh_split_columns(f_names), zh_codes_of, data = data, arg = "factors")
  w <- zh_weights_of(data, w_name)
  nlev <- vapply(fc, function(z) length(z$labels), 1L)
  for (k in seq_along(fc)) {
    zh_check_cells(nlev[k], length(oc$labels), c(f_names[k], out_name), c("factors", "outcome"))
  }
  if (!is.null(w) && count %in% c("case_round", "case_truncate")) {
    w <- zh_count_rule(w, if (count == "case_round") "round" else "truncate")
  }
  # one pass counts every table; then crosstab()'s count rule, empty-category
  # rule and statistics (zh_tables_stats) on the list of tables
  res <- .Call(zh_association_count, zh_int(oc$codes), lapply(fc, function(z) zh_int(z$codes)),
               w, as.integer(nlev), length(oc$labels), zh_threads())
  tables <- Map(function(tab, z, name) {
    dimnames(tab) <- stats::setNames(list(z$labels, oc$labels), c(name, out_name))
    if (is.null(w)) tab else zh_count_rule(tab, count)
  }, res$tables, fc, f_names)
  names(tables) <- f_names
  used <- function(tab, d) sum(apply(tab, d, sum) > 0)
  for (k in seq_along(fc)) zh_warn_categories(used(tables[[k]], 1L), "factors", f_names[k])
  zh_warn_categories(max(vapply(tables, used, 1L, d = 2L)), "outcome", out_name)
  kept <- Map(zh_drop_empty, tables, lapply(fc, `[[`, "scores"), list(oc$scores))
  st <- zh_stats_list(lapply(kept, `[[`, "tab"), lapply(kept, `[[`, "row_scores"),
                      lapply(kept, `[[`, "col_scores"), vector("list", length(kept)))
  zh_association_build(st, tables, res$missing, c(f_names), c(out_name), fc, oc,
                       weighted = !is.null(w), count = count, p_adjust = p_adjust)
}

zh_association_build <- function(st, tables, missing, f_names, out_name, fc, oc, weighted, count,
                                 p_adjust) {
  test <- function(slot) vapply(st, function(s) s$tests[[slot]], 1)
  meas <- function(id, what) vapply(st, function(s) s$measures[id, what], 1)
  ordinal <- oc$ordered & vapply(fc, function(z) isTRUE(z$ordered), TRUE)
  ord <- function(v) ifelse(ordinal, v, NA_real_)
  out <- data.frame(
    variable = f_names,
    statistic = test("pearson"),
    df = test("df"),
    p_value = test("pearson_p"),
    cramers_v = meas("v", "estimate"),
    n = vapply(st, `[[`, 1, "n"),
    min_expected = vapply(st, `[[`, 1, "min_expected"),
    cells_below_5 = vapply(st, `[[`, 1L, "cells_below_5"),
    lr_statistic = test("lr"),
    lr_p_value = test("lr_p"),
    gamma = ord(meas("gamma", "estimate")),
    gamma_p_value = ord(meas("gamma", "p_value")),
    tau_b = ord(meas("taub", "estimate")),
    tau_b_p_value = ord(meas("taub", "p_value")),
    missing = missing[, 1],
    stringsAsFactors = FALSE)
  if (p_adjust != "none") {
    out <- cbind(out[1:4], p_adjusted = stats::p.adjust(out$p_value, p_adjust), out[-(1:4)])
  }
  structure(out, class = c("zh_association", "data.frame"), outcome = out_name,
            weighted = weighted, count = count, p_adjust = p_adjust, tables = tables)
}

# ---- methods ---------------------------------------------------------------

#' Print, format and tidy an association screen
#'
#' `format()` returns the table as a data frame of strings, ready for
#' `knitr::kable()`: `style = "apa"` gives the statistics to two decimals
#' with short column names, `style = "spss"` three decimals and the SPSS
#' names. Both print p-values, Cramer's V, gamma and tau-b without a leading
#' zero, and p-values below .001 as `"<.001"`, never as `".000"`. `print()` lays out `format()` as text.
#' `tidy()` returns the numbers with broom-style names and `as.data.frame()`
#' a plain data frame.
#'
#' @param x A `zh_association` object.
#' @param style `"apa"` or `"spss"`.
#' @param digits Decimals of the statistics.
#' @param decimal_mark `"."` or `","`; defaults to the option
#'   `zhetysu.decimal_mark`, else `"."`.
#' @param ... Passed on to `format()`.
#' @return `format()` a data frame of character columns; `print()` its input,
#'   invisibly; `tidy()` and `as.data.frame()` data frames.
#' @name association_table-methods
#' @examples
#' at <- association_table(mtcars, gear, c(cyl, am, vs))
#' print(at, style = "spss")
#' if (requireNamespace("knitr", quietly = TRUE)) knitr::kable(format(at))
#' tidy(at)
NULL

zh_is_intact <- function(x, cols, attrs) {
  all(cols %in% names(x)) && all(vapply(attrs, function(a) !is.null(attr(x, a)), TRUE))
}

zh_assoc_cols <- c("variable", "statistic", "df", "p_value", "cramers_v", "n")

#' @rdname association_table-methods
#' @export
format.zh_association <- function(x, style = c("apa", "spss"), digits = NULL,
                                  decimal_mark = NULL, ...) {
  if (!zh_is_intact(x, zh_assoc_cols, "outcome")) return(NextMethod())
  style <- zh_match_arg(style, "style")
  mark <- zh_decimal_mark(decimal_mark)
  apa <- style == "apa"
  d <- if (is.null(digits)) if (apa) 2L else 3L else digits
  num <- function(v, dd = d, lead = TRUE) zh_num(v, dd, mark, lead_zero = lead)
  p <- function(v) zh_p(v, 3L, mark, lead_zero = FALSE)
  p_main <- if ("p_adjusted" %in% names(x)) x$p_adjusted else x$p_value
  out <- data.frame(x$variable, num(x$statistic), zh_num(x$df, 0L), p(p_main),
                    num(x$cramers_v, 3L, lead = FALSE), zh_count(x$n, mark),
                    num(x$min_expected, 2L), as.character(x$cells_below_5),
                    num(x$lr_statistic), p(x$lr_p_value), stringsAsFactors = FALSE)
  names(out) <- if (apa) {
    c("Variable", "Chi-square", "df", "p", "V", "N", "Min. expected", "Cells < 5",
      "G2", "p (G2)")
  } else {
    c("Variable", "Pearson Chi-Square", "df", "Sig.", "Cramer's V", "N", "Min. Expected",
      "Cells < 5", "Likelihood Ratio", "Sig. (LR)")
  }
  if ("p_adjusted" %in% names(x)) {
    names(out)[4] <- if (apa) sprintf("p (%s)", attr(x, "p_adjust")) else
      sprintf("Sig. (%s)", attr(x, "p_adjust"))
  }
  if (all(c("gamma", "tau_b") %in% names(x)) && any(!is.na(x$gamma) | !is.na(x$tau_b))) {
    ord <- data.frame(num(x$gamma, 3L, lead = FALSE), p(x$gamma_p_value),
                      num(x$tau_b, 3L, lead = FALSE), p(x$tau_b_p_value),
                      stringsAsFactors = FALSE)
    names(ord) <- if (apa) c("Gamma", "p (Gamma)", "tau-b", "p (tau-b)") else
      c("Gamma", "Sig. (Gamma)", "Kendall's tau-b", "Sig. (tau-b)")
    out <- cbind(out, ord)
  }
  rownames(out) <- NULL
  out
}

#' @rdname association_table-methods
#' @export
print.zh_association <- function(x, ...) {
  if (!zh_is_intact(x, zh_assoc_cols, "outcome")) return(NextMethod())
  cells <- format(x, ...)
  title <- sprintf("Association with %s: Pearson chi-square, one row per factor%s",
                   attr(x, "outcome"),
                   if (isTRUE(attr(x, "weighted"))) sprintf(" (weighted; count = \"%s\")",
                                                            attr(x, "count")) else "")
  notes <- character()
  low <- sum(x$cells_below_5 > 0, na.rm = TRUE)
  if (low > 0) {
    notes <- c(notes, sprintf("%d of %d tables have cells with expected count less than 5.",
                              low, nrow(x)))
  }
  if ("p_adjusted" %in% names(x)) {
    notes <- c(notes, sprintf("p-values adjusted across the %d rows (%s).", nrow(x),
                              attr(x, "p_adjust")))
  }
  cat(zh_block(title, zh_text_table(cells), notes), sep = "\n")
  invisible(x)
}

#' @rdname association_table-methods
#' @param row.names,optional Ignored (for compatibility with the generic).
#' @export
as.data.frame.zh_association <- function(x, row.names = NULL, optional = FALSE, ...) {
  zh_plain_df(x)
}

#' @rdname association_table-methods
#' @method tidy zh_association
#' @export
tidy.zh_association <- function(x, ...) {
  out <- zh_plain_df(x)
  names(out)[names(out) == "p_value"] <- "p.value"
  names(out)[names(out) == "p_adjusted"] <- "p.adjusted"
  out
}

# A data frame without the package's class and attributes.
zh_plain_df <- function(x) {
  out <- x
  attributes(out) <- NULL
  names(out) <- names(x)
  structure(out, class = "data.frame", row.names = seq_len(nrow(x)))
}
