#' Frequency table of one variable (SPSS FREQUENCIES)
#'
#' Counts the categories of one variable, as SPSS FREQUENCIES does:
#' frequency, percent of all cases, valid percent (of the non-missing
#' cases), cumulative percent, a `Missing` row when there are missing values
#' and a `Total` row.
#'
#' @section Categories:
#' Factors keep their level order, numeric columns are sorted by value,
#' character columns alphabetically, and `haven_labelled` columns show their
#' value labels (values without a label show the value; user-missing values
#' of `haven_labelled_spss` columns count as missing, and so do `NA` and
#' `NaN`, SPSS's system-missing). Labels name their values exactly and are
#' distinct, as described in [crosstab()]. As in SPSS, only categories that occur are
#' listed. A variable without any valid value (or whose valid cases all have
#' zero weight) gives, as SPSS FREQUENCIES does, a table of only the
#' `Missing` row (all the cases, 100 percent) and the `Total` row, with empty
#' valid and cumulative percentages; only data without any case of positive
#' weight stop with an error.
#'
#' @section Weights:
#' With `weights`, `n` is the sum of the case weights (not rounded, as in
#' SPSS FREQUENCIES, whose percentages use the unrounded weights). Cases with
#' a missing weight are left out altogether.
#'
#' @param data A data frame (or tibble), or a survey design (see
#'   [survey-designs]).
#' @param var The variable: a bare column name or a string.
#' @param weights Optional frequency weights: a bare column name or string
#'   naming a non-negative numeric column.
#' @param sort `"none"` keeps the category order; `"descending"` and
#'   `"ascending"` sort by frequency (SPSS `/FORMAT=DFREQ` and `AFREQ`; ties
#'   keep the category order). The cumulative percent follows the order shown.
#' @param ... Not used; must be empty.
#' @return A data frame of class `zh_freq` with columns `value` (category
#'   labels, then `"Missing"` if any and `"Total"`), `n`, `percent`,
#'   `valid_percent`, `cumulative_percent` (unrounded; `print()` and
#'   `format()` round them) and `type`: `"category"`, `"missing"` (all
#'   missing cases), `"user_missing"` and `"system_missing"` (SPSS's Missing
#'   block: one row per user-missing code, and System, above the `"missing"`
#'   row, when a `haven_labelled_spss` column has user-missing codes) or
#'   `"total"`, which tells the summary rows from categories that happen to
#'   be called "Missing" or "Total". See [freq_table-methods].
#' @seealso [profile_table()] for many variables in the "Table 1" layout.
#' @export
#' @examples
#' freq_table(mtcars, cyl)
#' d <- data.frame(x = c("a", "b", "b", NA, "c", "b"), w = c(1, 2, 0.5, 1, 1, 1))
#' freq_table(d, x, weights = w, sort = "descending")
#' as.data.frame(freq_table(d, "x"))
freq_table <- function(data, var, weights = NULL, sort = c("none", "descending", "ascending"),
                       ...) {
  if (zh_is_design(data)) return(zh_design_freq(data, substitute(var), parent.frame(), substitute(weights), ...))
  if (inherits(data, "tbl_lazy")) return(zh_db_dispatch("freq_table", match.call(), parent.frame()))
  zh_check_dots(...)
  sort <- zh_match_arg(sort, "sort")
  zh_check_data(data)
  env <- parent.frame()
  name <- zh_column(data, substitute(var), "var", env,
                    hint = "freq_table() counts one variable; profile_table() takes several")
  w_name <- zh_column(data, substitute(weights), "weights", env, null_ok = TRUE)
  if (nrow(data) == 0L) {
    zh_abort("`data` must have at least one row, not 0.", "data")
  }
  cn <- zh_counts_build(data, list(name), "var", w_name, "asis", all_missing_ok = TRUE,
                        weights_hint = zh_weights_hint(sys.call(), "third", "freq_table",
                                                       "to count several variables, use profile_table()"))
  v <- cn$vars[[1]]
  # a column without any category (all missing) is counted as one of 1
  n <- if (v$all_missing) numeric() else as.vector(cn$counts)
  miss <- cn$left_out[["weight"]]
  if (!(sum(n) + miss > 0)) {
    # only weights can leave nothing to count
    zh_abort(sprintf("`data` has no cases to count: no row has a positive weight in `weights` (column `%s`).",
                     w_name), "empty")
  }
  keep <- n > 0
  n <- n[keep]
  labels <- v$levels[keep]
  zh_warn_categories(length(n), "var", name)
  if (sort != "none") {
    o <- order(if (sort == "descending") -n else n, method = "radix")
    n <- n[o]
    labels <- labels[o]
  }
  valid <- sum(n)
  total <- valid + miss
  pct <- function(a, b) if (b > 0) 100 * a / b else rep(NA_real_, length(a))
  vp <- pct(n, valid)
  out <- data.frame(value = labels, n = n, percent = pct(n, total), valid_percent = vp,
                    cumulative_percent = cumsum(vp), type = rep("category", length(n)),
                    stringsAsFactors = FALSE)
  # `type` tells the summary rows from categories that are called "Missing"
  # or "Total"
  mrows <- zh_missing_rows(v$missing, miss)
  if (nrow(mrows)) {
    out <- rbind(out, data.frame(value = mrows$value, n = mrows$n, percent = pct(mrows$n, total),
                                 valid_percent = NA_real_, cumulative_percent = NA_real_,
                                 type = mrows$type, stringsAsFactors = FALSE))
  }
  out <- rbind(out, data.frame(value = "Total", n = total, percent = pct(total, total),
                               valid_percent = if (miss > 0) NA_real_ else pct(valid, valid),
                               cumulative_percent = NA_real_, type = "total"))
  rownames(out) <- NULL
  attr(out, "label") <- zh_label_of(zh_pull(data, name))
  structure(out, class = c("zh_freq", "data.frame"), variable = c(name),
            weighted = isTRUE(cn$weighted), n_missing = miss, sort = sort,
            missing = v$missing)
}

# SPSS's Missing block of a frequency table: with user-missing codes that
# occur, one row per code (its value label, type "user_missing"), `System`
# when there are system-missing cases ("system_missing"), then the missing
# total (`Missing`, type "missing"); otherwise one `Missing` row with all the
# missing cases. `miss` is that total.
zh_missing_rows <- function(md, miss) {
  if (!(miss > 0)) return(data.frame(value = character(), n = numeric(), type = character()))
  user <- md[md$kind == "user" & md$cases > 0, , drop = FALSE]
  if (!nrow(user)) {
    return(data.frame(value = "Missing", n = miss, type = "missing", stringsAsFactors = FALSE))
  }
  sys <- md[md$kind == "system" & md$cases > 0, , drop = FALSE]
  data.frame(value = c(user$label, sys$label, "Missing"), n = c(user$n, sys$n, miss),
             type = c(rep("user_missing", nrow(user)), rep("system_missing", nrow(sys)), "missing"),
             stringsAsFactors = FALSE)
}

# Counts of one variable's categories; stops, as crosstab() does, when no
# case with a valid value has a positive weight.
zh_count_valid <- function(vc, name, arg, w, w_name) {
  counted <- zh_count_1d(vc$codes, length(vc$labels), w)
  if (!(sum(counted$n) > 0)) {
    zh_no_cases(stats::setNames(list(vc$codes, w), c(arg, "weights")), c(name, w_name), FALSE)
  }
  counted
}

# Weighted counts of codes 1..k by the k-way engine: n per code, and the
# weight of the cases with a missing code.
zh_count_1d <- function(codes, k, w) {
  ct <- .Call(zh_count_kway, list(zh_int(codes)), as.integer(k), 0L, w, zh_threads())
  list(n = as.vector(ct$table), missing = ct$left_out[[2]])
}

#' "Table 1": the profile of a sample, many variables at once
#'
#' The socio-demographic table that opens a survey report: for each
#' variable, in the order given, its categories with N and percent;
#' optionally the same per group of `by`, side by side, with the p-value of
#' the Pearson chi-square test of each variable against `by`.
#'
#' @section Percentages:
#' Percentages are of the valid (non-missing) cases of each variable, to
#' `digits` decimals. By default (`rounding = "nearest"`) each percentage
#' is rounded on its own (halves up), as SPSS and most published tables do;
#' a variable's column can then add up to 99.9 or 100.1. With
#' `rounding = "largest_remainder"` they add up to exactly 100 as printed:
#' each percentage is first rounded down, and the units still missing from
#' 100 go to the categories with the largest remainders (ties to the earlier
#' category). A `Missing` row
#' (with its N, without a percent) follows when a variable has missing
#' values.
#'
#' @section Categories and groups:
#' Every level of a factor is listed, also an unused one (N = 0); other
#' columns list the values that occur (see [freq_table()]); a variable or
#' `by` column without any valid value stops with an error. With `by`, the
#' group columns are named `n_<group>` and `percent_<group>`; cases with a
#' missing `by` count only in the overall columns. `p_value` is the Pearson
#' chi-square p of [crosstab()] for the variable against `by` (with weights,
#' cells rounded as SPSS does); it is repeated on every row of the variable,
#' and `format()` shows it once.
#'
#' @inheritParams freq_table
#' @param vars The variables: column names, strings or tidyselect helpers
#'   such as `c(gender, age)` or `starts_with("q")`.
#' @param by Optional grouping column (bare name or string).
#' @param digits Decimals of the percentages.
#' @param rounding `"nearest"` (SPSS) or `"largest_remainder"` (see
#'   Percentages).
#' @return A data frame of class `zh_profile` with columns `variable`,
#'   `category`, `n`, `percent`, with `by` `n_<group>`, `percent_<group>`
#'   for each group and `p_value`, and last `type` (`"category"` or
#'   `"missing"`). See [profile_table-methods].
#' @export
#' @examples
#' d <- within(mtcars, {
#'   cyl <- factor(cyl)
#'   am <- factor(am, labels = c("automatic", "manual"))
#' })
#' profile_table(d, c(cyl, gear))
#' profile_table(d, c(cyl, gear), by = am)
profile_table <- function(data, vars, weights = NULL, by = NULL, digits = 1L,
                          rounding = c("nearest", "largest_remainder"), ...) {
  if (zh_is_design(data)) return(zh_design_profile(data, substitute(vars), parent.frame(), substitute(weights), substitute(by), ...))
  if (inherits(data, "tbl_lazy")) return(zh_db_dispatch("profile_table", match.call(), parent.frame()))
  zh_check_dots(...)
  rounding <- zh_match_arg(rounding, "rounding")
  if (!is.numeric(digits) || length(digits) != 1L || is.na(digits) || digits < 0 ||
      digits > 6 || digits != round(digits)) {
    zh_abort(sprintf("`digits` must be a whole number from 0 to 6, not %s.", zh_describe(digits)),
             "input")
  }
  zh_check_data(data)
  env <- parent.frame()
  v_names <- zh_columns(data, substitute(vars), "vars", env)
  w_name <- zh_column(data, substitute(weights), "weights", env, null_ok = TRUE)
  by_name <- zh_column(data, substitute(by), "by", env, null_ok = TRUE)
  if (zh_among(by_name, v_names)) {
    zh_abort(sprintf("`vars` must not include the grouping column `%s`.", by_name), "column")
  }
  if (zh_among(w_name, v_names)) {
    zh_abort(sprintf("`vars` must not include the weights column `%s`.", w_name), "column")
  }
  if (nrow(data) == 0L) {
    zh_abort("`data` must have at least one row, not 0.", "data")
  }
  w <- zh_weights_of(data, w_name)
  bc <- if (is.null(by_name)) NULL else zh_codes_of(data, by_name, "by")
  if (!is.null(bc)) zh_warn_categories(length(bc$labels), "by", by_name)
  blocks <- lapply(zh_split_columns(v_names), function(v) {
    vc <- zh_codes_of(data, v, "vars")
    zh_warn_categories(length(vc$labels), "vars", v)
    zh_profile_block(vc, c(v), w, w_name, bc, by_name, digits, rounding)
  })
  out <- do.call(rbind, blocks)
  rownames(out) <- NULL
  # the variables' labels (haven's `label`), by name, for printing
  cols <- c(zh_split_columns(v_names), if (!is.null(by_name)) list(by_name))
  var_labels <- stats::setNames(vapply(cols, function(v) zh_label_of(zh_pull(data, v)), ""),
                                c(v_names, by_name))
  structure(out, class = c("zh_profile", "data.frame"), by = c(by_name),
            groups = if (is.null(bc)) NULL else bc$labels, weighted = !is.null(w),
            digits = as.integer(digits), rounding = rounding, var_labels = var_labels)
}

zh_profile_block <- function(vc, name, w, w_name, bc, by_name, digits, rounding) {
  k <- length(vc$labels)
  one <- zh_count_valid(vc, name, "vars", w, w_name)
  has_miss <- one$missing > 0
  lab <- c(vc$labels, if (has_miss) "Missing")
  out <- data.frame(variable = name, category = lab,
                    n = c(one$n, if (has_miss) one$missing),
                    percent = c(zh_round_percent(one$n, digits, rounding), if (has_miss) NA),
                    stringsAsFactors = FALSE)
  # the Missing row apart from a category called "Missing"
  type <- c(rep("category", k), if (has_miss) "missing")
  if (is.null(bc)) return(cbind(out, type = type, stringsAsFactors = FALSE))
  g <- length(bc$labels)
  ct <- .Call(zh_count_kway, list(zh_int(vc$codes), zh_int(bc$codes)), c(k, g), c(0L, 0L), w,
              zh_threads())
  tab <- ct$table
  dimnames(tab) <- stats::setNames(list(vc$labels, bc$labels), c(name, by_name))
  na_v <- is.na(vc$codes)
  gmiss <- zh_count_1d(bc$codes[na_v], g, if (is.null(w)) NULL else w[na_v])$n
  for (j in seq_len(g)) {
    out[[paste0("n_", bc$labels[j])]] <- c(tab[, j], if (has_miss) gmiss[j])
    out[[paste0("percent_", bc$labels[j])]] <-
      c(zh_round_percent(tab[, j], digits, rounding), if (has_miss) NA)
  }
  weighted <- !is.null(w)
  ct_tab <- if (weighted) zh_count_rule(tab, "round") else tab
  ct <- zh_crosstab_build(ct_tab, vc$scores, bc$scores, missing = ct$left_out,
                          weighted = weighted, count = "round")
  out$p_value <- ct$tests$p_value[1]
  out$type <- type
  out
}

# Percentages of n to `digits` decimals; "largest_remainder" makes them add
# up to exactly 100 (Hamilton's method), "nearest" rounds each (half up).
zh_round_percent <- function(n, digits, rounding) {
  tot <- sum(n)
  if (!(tot > 0)) return(rep(NA_real_, length(n)))
  unit <- 10^digits
  u <- 100 * unit * n / tot
  # a tolerance so that 12.5 computed as 12.4999999999 still counts as 12.5
  if (rounding == "nearest") return(floor(u + 0.5 + 1e-9) / unit)
  fl <- floor(u + 1e-9)
  left <- round(100 * unit - sum(fl))
  if (left > 0) {
    up <- order(-(u - fl), seq_along(u))[seq_len(left)]
    fl[up] <- fl[up] + 1
  }
  fl / unit
}

# ---- methods ---------------------------------------------------------------

#' Print, format and tidy frequency tables
#'
#' `print()` lays the table out as SPSS FREQUENCIES does (Valid and Missing
#' blocks; Frequency, Percent, Valid Percent, Cumulative Percent), titled
#' with the variable's label, fitted to `getOption("width")`; `format()`
#' returns the printed lines. `style = "apa"` heads the columns n, %, Valid
#' %, Cumulative %. Percentages print to one decimal. In R Markdown the
#' table renders as HTML ([zhetysu-output]). `tidy()` returns the category
#' rows (no Missing and Total rows), `glance()` one row with the valid,
#' missing and total counts, `as.data.frame()` every row.
#'
#' @param x A `zh_freq` object.
#' @param ... Output options (see [zhetysu-output]): `style`, `digits`,
#'   `decimal_mark`, `labels`, `width`.
#' @return `format()` a character vector of lines; `print()` its input,
#'   invisibly; `tidy()`, `glance()` and `as.data.frame()` data frames.
#' @name freq_table-methods
#' @examples
#' ft <- freq_table(mtcars, gear)
#' print(ft, style = "apa", decimal_mark = ",")
#' format(ft, width = 60)
#' tidy(ft)
NULL

zh_freq_cols <- c("value", "n", "percent", "valid_percent", "cumulative_percent", "type")

#' @rdname freq_table-methods
#' @export
format.zh_freq <- function(x, ...) {
  if (!zh_is_intact(x, zh_freq_cols, "variable")) return(NextMethod())
  zh_format_result(x, ...)
}

#' @rdname freq_table-methods
#' @export
print.zh_freq <- function(x, ...) {
  if (!zh_is_intact(x, zh_freq_cols, "variable")) return(NextMethod())
  zh_print_result(x, ...)
}

#' @rdname freq_table-methods
#' @param row.names,optional Ignored (for compatibility with the generic).
#' @export
as.data.frame.zh_freq <- function(x, row.names = NULL, optional = FALSE, ...) {
  zh_plain_df(x)
}

#' @rdname freq_table-methods
#' @method tidy zh_freq
#' @export
tidy.zh_freq <- function(x, ...) {
  if (!zh_is_intact(x, zh_freq_cols, "variable")) return(zh_plain_df(x))
  out <- zh_plain_df(x)[zh_freq_type(x) != "total", , drop = FALSE]
  rownames(out) <- NULL
  out
}

#' Print, format and tidy a "Table 1" profile
#'
#' `print()` lays the profile out with each variable's name on its first row
#' only, counts and percentages (with `by`, per group under a spanning
#' header) and the p-value once per variable (`"<.001"` when smaller, never
#' `".000"`), fitted to `getOption("width")`; `format()` returns the printed
#' lines. `style = "apa"` heads the columns Characteristic, Category, N, %,
#' p; `style = "spss"` (the default) Variable, Category, Frequency, Percent,
#' Sig. `tidy()` and `as.data.frame()` return plain data frames, `glance()`
#' one row per profile.
#'
#' @param x A `zh_profile` object.
#' @inheritParams freq_table-methods
#' @return `format()` a character vector of lines; `print()` its input,
#'   invisibly; `tidy()`, `glance()` and `as.data.frame()` data frames.
#' @name profile_table-methods
#' @examples
#' pt <- profile_table(mtcars, c(cyl, gear), by = am)
#' pt
#' print(pt, style = "apa", decimal_mark = ",")
NULL

#' @rdname profile_table-methods
#' @export
format.zh_profile <- function(x, ...) {
  if (!zh_is_intact(x, zh_profile_cols, "digits")) return(NextMethod())
  zh_format_result(x, ...)
}

#' @rdname profile_table-methods
#' @export
print.zh_profile <- function(x, ...) {
  if (!zh_is_intact(x, zh_profile_cols, "digits")) return(NextMethod())
  zh_print_result(x, ...)
}

zh_profile_cols <- c("variable", "category", "n", "percent")

#' @rdname profile_table-methods
#' @export
as.data.frame.zh_profile <- function(x, row.names = NULL, optional = FALSE, ...) {
  zh_plain_df(x)
}

#' @rdname profile_table-methods
#' @method tidy zh_profile
#' @export
tidy.zh_profile <- function(x, ...) {
  zh_plain_df(x)
}
