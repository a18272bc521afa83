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
#' @section CMH by a layer:
#' With `layer` (data frames only), four columns are added for every
#' factor whose table with the outcome is 2 x 2 in each stratum of the
#' layer (`NA` for the others): `cmh_statistic` and `cmh_p_value` (the
#' Mantel-Haenszel test with SPSS's continuity rule), `common_or` (the
#' Mantel-Haenszel common odds ratio) and `breslow_day_p_value`, as
#' `crosstab(data, factor, outcome, layer = layer, statistics = "cmh")`
#' gives them. Cases with a missing layer value are left out of these
#' columns only. McNemar's test compares paired variables and does not
#' apply to a screen.
#'
#' @inheritParams crosstab
#' @param outcome The outcome: a bare column name or string.
#' @param factors The factors: column names, strings or tidyselect helpers
#'   such as `c(gender, age)` or `-id`. Must not include `outcome`.
#' @param layer Optional layer variables for the CMH columns (see above):
#'   column names, strings or tidyselect helpers.
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
#' association_table(mtcars, am, c(vs, cyl), layer = gear)
association_table <- function(data, outcome, factors, weights = NULL,
                              count = c("round", "asis", "truncate", "case_round",
                                        "case_truncate"),
                              p_adjust = c("none", "holm", "hochberg", "hommel", "bonferroni",
                                           "BH", "BY", "fdr"),
                              ..., layer = NULL) {
  if ((zh_is_design(data) || inherits(data, "tbl_lazy")) && !is.null(substitute(layer))) {
    zh_abort("`layer` must not be given when `data` is a survey design or a lazy table: the CMH columns need a data frame.",
             "input")
  }
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
  # factor codes outside the levels are found by the counting pass, not by
  # one more pass over every column here (zh_association_bad_codes)
  oc <- zh_codes_of(data, out_name, "outcome", check = FALSE)
  f_list <- zh_split_columns(f_names)
  fc <- lapply(f_list, zh_codes_of, data = data, arg = "factors", check = FALSE)
  w <- zh_weights_of(data, w_name)
  nlev <- vapply(fc, function(z) length(z$labels), 1L)
  # the limits grow with the cells: when the largest table passes, all do;
  # else the first that fails is named
  check <- function(k) {
    zh_check_cells(nlev[k], length(oc$labels), c(f_names[k], out_name), c("factors", "outcome"))
  }
  if (!tryCatch({check(which.max(nlev)); TRUE}, error = function(e) FALSE)) {
    for (k in seq_along(fc)) check(k)
  }
  if (!is.null(w) && count %in% c("case_round", "case_truncate")) {
    w <- zh_count_rule(w, if (count == "case_round") "round" else "truncate")
  }
  # one pass counts every table; then crosstab()'s count rule, empty-category
  # rule and statistics (zh_tables_stats) on the list of tables
  res <- .Call(zh_association_count, zh_int(oc$codes), lapply(fc, function(z) zh_int(z$codes)),
               w, as.integer(nlev), length(oc$labels), zh_threads(), zh_simd())
  if (res$bad > 0) zh_association_bad_codes(data, out_name, f_names)
  tables <- Map(function(tab, z, name) {
    dn <- list(z$labels, oc$labels)
    names(dn) <- c(name, out_name)
    dimnames(tab) <- dn
    if (is.null(w)) tab else zh_count_rule(tab, count)
  }, res$tables, fc, f_names)
  names(tables) <- f_names
  kept <- Map(zh_drop_empty, tables, lapply(fc, `[[`, "scores"), list(oc$scores))
  zh_warn_categories(vapply(kept, function(z) sum(z$keep_row), 1L), "factors", f_names)
  zh_warn_categories(max(vapply(kept, function(z) sum(z$keep_col), 1L)), "outcome", out_name)
  st <- zh_stats_list(lapply(kept, `[[`, "tab"), lapply(kept, `[[`, "row_scores"),
                      lapply(kept, `[[`, "col_scores"), vector("list", length(kept)))
  out <- zh_association_build(st, tables, res$missing, c(f_names), c(out_name), fc, oc,
                              weighted = !is.null(w), count = count, p_adjust = p_adjust)
  # the variables' labels (haven's `label`), by name, for printing
  attr(out, "var_labels") <- stats::setNames(
    vapply(c(f_list, list(out_name)), function(v) zh_label_of(zh_pull(data, v)), ""),
    c(f_names, out_name))
  layer_expr <- substitute(layer)
  if (!is.null(layer_expr)) {
    l_names <- zh_columns(data, layer_expr, "layer", env)
    for (v in c(list(out_name, w_name), f_list)) {
      if (zh_among(v, l_names)) {
        zh_abort(sprintf("`layer` must not include the outcome, a factor or the weights column `%s`.", v),
                 "column")
      }
    }
    out <- zh_association_cmh(out, data, f_names, out_name, l_names, w_name, count)
  }
  out
}

# CMH by the layer: for each factor whose table with the outcome is 2 x 2 in
# every stratum, the Mantel-Haenszel test, the common odds ratio and the
# Breslow-Day p, from the factor x outcome x layer counts (cases with a
# missing layer value are left out of these columns only).
zh_association_cmh <- function(out, data, f_names, out_name, l_names, w_name, count) {
  f_list <- zh_split_columns(f_names)
  l_list <- zh_split_columns(l_names)
  res <- lapply(f_list, function(f) {
    cn <- zh_counts_build(data, c(list(f, out_name), l_list),
                          c("factors", "outcome", rep("layer", length(l_list))), w_name, count)
    nl <- prod(dim(cn$counts)[-(1:2)])
    parts <- lapply(seq_len(nl), function(l) zh_counts_layer(cn, l))
    has <- vapply(parts, function(x) sum(x$counts) > 0, TRUE)
    if (!any(has)) return(c(NA_real_, NA_real_, NA_real_, NA_real_))
    cm <- zh_layers_cmh(parts[has], as.character(which(has)), 1)
    if (is.null(cm$odds_ratio)) return(c(NA_real_, NA_real_, NA_real_, NA_real_))
    c(cm$conditional$statistic[2], cm$conditional$p_value[2], cm$odds_ratio$estimate,
      cm$homogeneity$p_value[1])
  })
  m <- do.call(rbind, res)
  add <- data.frame(cmh_statistic = m[, 1], cmh_p_value = m[, 2], common_or = m[, 3],
                    breslow_day_p_value = m[, 4])
  keep <- attributes(out)
  out <- cbind(zh_plain_df(out), add)
  keep$names <- names(out)
  attributes(out) <- keep
  attr(out, "layer") <- paste(l_names, collapse = ", ")
  out
}

# The counting pass met codes outside a table: a malformed factor, refused
# with its name as everywhere else.
zh_association_bad_codes <- function(data, out_name, f_names) {
  cols <- c(out_name, f_names)
  args <- c("outcome", rep("factors", length(f_names)))
  for (k in seq_along(cols)) {
    x <- zh_pull(data, cols[[k]])
    if (inherits(x, "AsIs")) x <- zh_strip_asis(x)
    if (is.factor(x)) zh_check_factor(x, sprintf("%s` column `%s", args[k], cols[[k]]))
  }
  zh_internal_abort("codes outside the tables")
}

zh_association_build <- function(st, tables, missing, f_names, out_name, fc, oc, weighted, count,
                                 p_adjust) {
  # one matrix of each kind, read by name (a row per table)
  tests <- do.call(rbind, lapply(st, `[[`, "tests"))
  # only the measures shown: measure x what x table
  m <- vapply(st, function(s) s$measures[c("v", "gamma", "taub"), c("estimate", "p_value")],
              matrix(0, 3L, 2L))
  test <- function(slot) unname(tests[, slot])
  meas <- function(id, what) unname(m[id, what, ])
  ordinal <- oc$ordered & vapply(fc, function(z) isTRUE(z$ordered), TRUE)
  ord <- function(v) ifelse(ordinal, v, NA_real_)
  cols <- list(
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
    missing = missing[, 1])
  # what data.frame() makes of these columns (all as long), without its checks
  out <- structure(cols, row.names = c(NA_integer_, -length(f_names)), class = "data.frame")
  if (p_adjust != "none") {
    out <- cbind(out[1:4], p_adjusted = stats::p.adjust(out$p_value, p_adjust), out[-(1:4)])
  }
  structure(out, class = c("zh_association", "data.frame"), outcome = out_name,
            weighted = weighted, count = count, p_adjust = p_adjust, tables = tables)
}

# ---- methods ---------------------------------------------------------------

#' Print, format and tidy an association screen
#'
#' `print()` shows one row per factor: the Pearson chi-square, df, p,
#' Cramer's V, N, the smallest expected count, the cells below 5 and the
#' likelihood ratio (and gamma and tau-b for ordered pairs), fitted to
#' `getOption("width")`; `format()` returns the printed lines. `style =
#' "spss"` (the default) uses the SPSS names and three decimals, `style =
#' "apa"` short names and two decimals for the statistics. Both print
#' p-values, Cramer's V, gamma and tau-b without a leading zero, and p-values
#' below .001 as `"<.001"`, never as `".000"`. `tidy()` returns the numbers
#' with broom-style names, `glance()` one row for the screen and
#' `as.data.frame()` a plain data frame.
#'
#' @param x A `zh_association` object.
#' @param ... Output options (see [zhetysu-output]): `style`, `digits`,
#'   `decimal_mark`, `width`.
#' @return `format()` a character vector of lines; `print()` its input,
#'   invisibly; `tidy()`, `glance()` and `as.data.frame()` data frames.
#' @name association_table-methods
#' @examples
#' at <- association_table(mtcars, gear, c(cyl, am, vs))
#' print(at, style = "spss")
#' format(at, width = 60)
#' tidy(at)
NULL

zh_is_intact <- function(x, cols, attrs) {
  all(cols %in% names(x)) && all(vapply(attrs, function(a) !is.null(attr(x, a)), TRUE))
}

zh_assoc_cols <- c("variable", "statistic", "df", "p_value", "cramers_v", "n")

#' @rdname association_table-methods
#' @export
format.zh_association <- function(x, ...) {
  if (!zh_is_intact(x, zh_assoc_cols, "outcome")) return(NextMethod())
  zh_format_result(x, ...)
}

#' @rdname association_table-methods
#' @export
print.zh_association <- function(x, ...) {
  if (!zh_is_intact(x, zh_assoc_cols, "outcome")) return(NextMethod())
  zh_print_result(x, ...)
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
