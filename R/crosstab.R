#' Cross-tabulation with every statistic SPSS CROSSTABS prints
#'
#' Counts two categorical variables in one pass in C and computes, from the
#' table of (weighted) counts, the Chi-Square Tests, Symmetric Measures and
#' Directional Measures blocks of SPSS `CROSSTABS /STATISTICS=ALL`, and per
#' cell the expected counts, percentages and residuals.
#'
#' @section Categories and scores:
#' Factors keep their level order; numeric columns are categories ordered by
#' value, and their values are the scores of the linear-by-linear test and of
#' Pearson's R (as in SPSS); character columns are sorted, logical columns
#' are `FALSE` < `TRUE`, and `haven_labelled` columns use their values with
#' the value labels as category names (user-missing values of
#' `haven_labelled_spss` columns, `na_values` and `na_range`, numeric or
#' character, are missing). `Date`, date-time (`POSIXct`), `difftime` and
#' `integer64` columns are categories ordered by value.
#'
#' Categories are values; their labels say which value: numbers keep all
#' their digits (15 significant, codes such as 10000000001 in full), times
#' their fractions of a second. Two values with the same value label are
#' told apart by their values (`"Same (1)"`, `"Same (2)"`), and a factor
#' level `NA` (from [addNA()]) is called `"<NA>"`. Rows with a missing row,
#' column or weight value are left out and counted in `missing`. Empty rows
#' and columns (unused factor levels, or cells that round to zero) are
#' dropped before the statistics are computed, as SPSS does, and `notes`
#' says so.
#'
#' @section Weights:
#' `weights` are frequency weights. SPSS CROSSTABS without a `/COUNT`
#' subcommand rounds each cell's summed weight to an integer before it
#' computes anything; `count = "round"` (the default) does the same.
#' `"asis"` keeps the unrounded weighted counts, `"truncate"` truncates the
#' cells, and `"case_round"` / `"case_truncate"` round or truncate each
#' case's weight before counting (SPSS's `/COUNT CASE`).
#'
#' @section Statistics:
#' Pearson chi-square, likelihood ratio \eqn{G^2 = 2\sum f \ln(f/E)},
#' linear-by-linear \eqn{(W-1)r^2}; for 2 x 2 tables the continuity
#' correction and Fisher's exact test (two-sided: the sum over tables no
#' more probable than the observed one; one-sided in the direction of the
#' observed association). Measures: phi (signed for 2 x 2), Cramer's V,
#' contingency coefficient, lambda, Goodman-Kruskal tau, uncertainty
#' coefficient, Kendall's tau-b and tau-c, gamma, Somers' d, Spearman
#' correlation, Pearson's R and eta. `ase` is the asymptotic standard error
#' not assuming independence (ASE1); `t` is the estimate divided by the
#' standard error assuming independence (ASE0), and `p_value` its two-sided
#' normal p, as SPSS prints them. Exceptions, as in SPSS: the p of phi, V and
#' the contingency coefficient is the Pearson chi-square p; Goodman-Kruskal
#' tau uses its chi-square approximation; the uncertainty coefficients use the
#' likelihood-ratio p; Pearson's R and Spearman use \eqn{t = r\sqrt{(W-2)/(1-r^2)}}
#' with a t distribution on \eqn{W - 2} degrees of freedom.
#'
#' @section Kappa and risk:
#' Cohen's kappa (the last row of `measures`) is computed, as in SPSS, only
#' when both variables have the same non-empty categories (the same values,
#' or the same labels for factors); categories are paired by value, not by
#' position, and the row is `NA` otherwise. Its `ase` is ASE1, the
#' delta-method standard error of Fleiss, Cohen and Everitt (1969) (as in
#' `vcd::Kappa()`), `t` uses ASE0. For 2 x 2 tables `risk` holds SPSS's
#' Risk Estimate: the odds ratio (row 1 over row 2) and the relative risks
#' of the two column categories ("cohorts"), with 95% intervals
#' \eqn{\exp(\ln(est) \pm z_{0.975} SE)}; a ratio that a zero cell makes 0 or
#' infinite is `NA`. For other tables `risk` has no rows.
#'
#' @param data A data frame (or tibble). It may also be a two-way `table` or
#'   `xtabs` object, in which case `row` and `col` are not given.
#'   A survey design gives design-based results: see [survey-designs].
#' @param row,col The row and column variables: bare column names, strings,
#'   positions, or a tidyselect call that selects one column. Where `data`
#'   has repeated column names, select those columns by position.
#' @param weights Optional frequency weights: a bare column name or string
#'   naming a non-negative numeric column. A data frame of counts with a
#'   count column works with `weights = n`.
#' @param count How weighted cell counts are made integers: `"round"` (the
#'   SPSS default), `"asis"`, `"truncate"`, `"case_round"` or
#'   `"case_truncate"`. Unweighted counts are not affected.
#' @param fisher For tables larger than 2 x 2: `FALSE` (the default) skips
#'   Fisher's exact test, `TRUE` computes it exactly where a search bounded
#'   in work and memory (about a tenth of a second, 64 MB) finishes and by
#'   Monte Carlo otherwise, with a note that says so; `"exact"` insists on
#'   the exact p (a larger budget, up to 1 GB, with a progress bar; a classed
#'   error past it); `"simulate"` uses Monte Carlo with `B` tables
#'   (reproducible with [set.seed()]; a progress bar for long runs).
#' @param B The number of Monte Carlo tables for Fisher's test.
#' @param ... Not used; must be empty.
#'
#' @return An object of class `zh_crosstab`: a list with `observed` and
#'   `expected` (matrices with named dimnames), `row_percent`,
#'   `col_percent`, `total_percent`, `residuals`, `std_residuals`,
#'   `adj_residuals`, `n` (valid weighted cases), `tests` (columns `test`,
#'   `statistic`, `df`, `p_value`, `p_one_sided`), `measures` (columns
#'   `measure`, `estimate`, `ase`, `t`, `p_value`), `risk` (columns
#'   `measure`, `estimate`, `lower`, `upper`; 2 x 2 tables only), `min_expected`,
#'   `cells_below_5`, `missing` (cases left out and their weight), `dropped`
#'   (empty categories dropped) and `notes`.
#' @seealso [association_table()] for many factors against one outcome.
#' @export
#' @examples
#' ct <- crosstab(mtcars, cyl, gear)
#' ct
#' ct$tests
#' subset(ct$measures, measure %in% c("Cramer's V", "Gamma"))
#'
#' # weighted data, a 2 x 2 table, and a table object
#' crosstab(mtcars, "am", "vs", weights = "wt", count = "asis")$tests
#' crosstab(mtcars, am, vs)$risk
#' crosstab(table(esoph$agegp, esoph$alcgp))
crosstab <- function(data, row, col, weights = NULL,
                     count = c("round", "asis", "truncate", "case_round", "case_truncate"),
                     fisher = FALSE, B = 10000, ...) {
  if (zh_is_design(data)) return(zh_design_crosstab(data, substitute(row), substitute(col), parent.frame(), substitute(weights), ...))
  if (inherits(data, "tbl_lazy")) return(zh_db_dispatch("crosstab", match.call(), parent.frame()))
  zh_check_dots(...)
  count <- zh_match_arg(count, "count")
  zh_fisher_args(fisher, B)  # checked here so a 2 x 2 table does not skip it
  if (is.table(data) || inherits(data, "xtabs")) {
    if (!missing(row) || !missing(col) || !is.null(substitute(weights))) {
      zh_abort("`row`, `col` and `weights` must not be given when `data` is a table.", "input")
    }
    return(crosstab_from_table(data, count = count, fisher = fisher, B = B))
  }
  zh_check_data(data)
  env <- parent.frame()
  row_name <- zh_column(data, substitute(row), "row", env)
  col_name <- zh_column(data, substitute(col), "col", env)
  w_name <- zh_column(data, substitute(weights), "weights", env, null_ok = TRUE)
  if (nrow(data) == 0L) {
    zh_abort("`data` must have at least one row, not 0.", "data")
  }
  rc <- zh_codes(zh_pull(data, row_name), sprintf("row` column `%s", row_name))
  cc <- zh_codes(zh_pull(data, col_name), sprintf("col` column `%s", col_name))
  w <- zh_weights_of(data, w_name, zh_weights_hint(sys.call(), "fourth", "crosstab"))
  if (!length(rc$labels) || !length(cc$labels)) {
    zh_no_cases(list(row = rc$codes, col = cc$codes), c(row_name, col_name), FALSE)
  }
  zh_check_cells(length(rc$labels), length(cc$labels))
  if (!is.null(w) && count %in% c("case_round", "case_truncate")) {
    w <- if (count == "case_round") zh_round_half_up(w) else trunc(w)
  }
  counted <- .Call(zh_crosstab_count, zh_int(rc$codes), zh_int(cc$codes), w,
                   length(rc$labels), length(cc$labels), zh_threads())
  tab <- counted$table
  dimnames(tab) <- stats::setNames(list(rc$labels, cc$labels), c(row_name, col_name))
  if (!is.null(w)) tab <- zh_count_cells(tab, count)
  if (!(sum(tab) > 0)) {
    zh_no_cases(list(row = rc$codes, col = cc$codes, weights = w),
                c(row_name, col_name, w_name), rounded = sum(counted$table) > 0)
  }
  zh_warn_categories(sum(rowSums(tab) > 0), "row", row_name)
  zh_warn_categories(sum(colSums(tab) > 0), "col", col_name)
  zh_crosstab_build(tab, rc$scores, cc$scores, missing = counted$missing,
                    weighted = !is.null(w), count = count, fisher = fisher, B = B,
                    ordered = c(rc$ordered, cc$ordered), keys = list(rc$keys, cc$keys))
}

crosstab_from_table <- function(x, count, fisher, B) {
  if (length(dim(x)) != 2L) {
    nd <- length(dim(x))
    zh_abort(sprintf("`data` must be a two-way table, not one with %d dimension%s.",
                     nd, if (nd == 1L) "" else "s"), "data")
  }
  tab <- unclass(x)
  storage.mode(tab) <- "double"
  attr(tab, "call") <- NULL
  bad <- !is.finite(tab) | tab < 0
  if (any(bad)) {
    zh_abort(sprintf("`data` must hold non-negative finite counts, not %s (%d found).",
                     if (anyNA(tab)) "missing ones" else if (any(is.infinite(tab))) "infinite ones"
                     else "negative ones", sum(bad)), "data")
  }
  zh_check_total(sum(tab), "data", "data")
  dn <- dimnames(tab)
  if (is.null(dn)) dn <- list(NULL, NULL)
  for (k in 1:2) {
    if (is.null(dn[[k]])) dn[[k]] <- as.character(seq_len(dim(tab)[k]))
    # table(addNA(x)) names a category NA; labels must be distinct
    dn[[k]] <- zh_distinct_labels(dn[[k]], as.character(seq_along(dn[[k]])))
  }
  nm <- names(dn)
  if (is.null(nm)) nm <- c("", "")
  nm[!nzchar(nm)] <- c("row", "col")[!nzchar(nm)]
  dimnames(tab) <- stats::setNames(dn, nm)
  score <- function(lab) {
    v <- suppressWarnings(as.numeric(lab))
    if (anyNA(v) || anyDuplicated(v)) as.numeric(seq_along(lab)) else v
  }
  weighted <- any(tab != round(tab))
  if (weighted) tab <- zh_count_cells(tab, count)
  zh_warn_categories(sum(rowSums(tab) > 0), "data", nm[1], "dimension")
  zh_warn_categories(sum(colSums(tab) > 0), "data", nm[2], "dimension")
  if (!(sum(tab) > 0)) {
    zh_abort(sprintf("`data` must hold at least one positive count%s.",
                     if (weighted) sprintf(" after rounding (count = \"%s\")", count) else ""),
             "empty")
  }
  zh_crosstab_build(tab, score(dn[[1]]), score(dn[[2]]), missing = c(0, 0),
                    weighted = weighted, count = count, fisher = fisher, B = B,
                    ordered = c(TRUE, TRUE))
}

# SPSS rounds halves up (ROUND); R's round() rounds them to even.
zh_round_half_up <- function(x) floor(x + 0.5)

zh_count_cells <- function(tab, count) {
  switch(count,
    round = zh_round_half_up(tab),
    truncate = trunc(tab),
    tab)
}

zh_int <- function(codes) {
  if (is.integer(codes) && is.null(attr(codes, "class"))) return(codes)
  if (is.factor(codes)) return(codes)  # factors are integer codes already
  as.integer(codes)
}

zh_check_cells <- function(nr, nc) {
  if (as.double(nr) * nc > 2^28) {
    zh_abort(sprintf("`row` and `col` have too many categories: the table would have %s cells (%d x %d).",
                     format(as.double(nr) * nc, big.mark = ","), nr, nc), "size")
  }
}

zh_check_dots <- function(...) {
  if (...length()) {
    # names only: evaluating `...` would fail first on a misspelled
    # argument that holds a bare column name (weigths = w)
    nms <- names(substitute(list(...)))[-1]
    what <- if (is.null(nms) || !nzchar(nms[1])) "an unnamed argument" else sprintf("`%s`", nms[1])
    zh_abort(sprintf("`...` must be empty, but %s was given (misspelled argument?).", what),
             "dots")
  }
}

zh_match_arg <- function(x, arg, choices = eval(formals(sys.function(sys.parent()))[[arg]])) {
  if (identical(x, choices)) return(choices[[1]])
  if (!is.character(x) || length(x) != 1L || is.na(x) || !x %in% choices) {
    zh_abort(sprintf("`%s` must be one of %s, not %s.", arg,
                     paste0("\"", choices, "\"", collapse = ", "), zh_describe(x)), "input")
  }
  x
}

zh_measure_names <- c(
  "Phi", "Cramer's V", "Contingency Coefficient",
  "Lambda symmetric", "Lambda row dependent", "Lambda column dependent",
  "Goodman-Kruskal tau row dependent", "Goodman-Kruskal tau column dependent",
  "Uncertainty coefficient symmetric", "Uncertainty coefficient row dependent",
  "Uncertainty coefficient column dependent",
  "Kendall's tau-b", "Kendall's tau-c", "Gamma",
  "Somers' d symmetric", "Somers' d row dependent", "Somers' d column dependent",
  "Spearman correlation", "Pearson's R",
  "Eta row dependent", "Eta column dependent", "Kappa"
)

# Kappa pairs categories by value (SPSS computes it only when both
# variables have the same categories): row i is column pair[i]. NULL when
# the (non-empty) categories differ.
zh_kappa_pair <- function(dn) {
  if (length(dn[[1]]) != length(dn[[2]]) || length(dn[[1]]) < 2L) return(NULL)
  pair <- match(dn[[1]], dn[[2]])
  if (anyNA(pair) || anyDuplicated(pair)) NULL else pair
}

# Everything after counting: drop empty categories, then the statistics.
# `tab` is a double matrix with named dimnames.
# `keys` pair the row and column categories for kappa (values, or labels
# where the variables have no values).
zh_crosstab_build <- function(tab, row_scores, col_scores, missing, weighted, count,
                              fisher = FALSE, B = 10000, ordered = c(TRUE, TRUE),
                              keys = dimnames(tab)) {
  notes <- character()
  keep_r <- rowSums(tab) > 0
  keep_c <- colSums(tab) > 0
  dn <- dimnames(tab)
  dropped <- list(row = dn[[1]][!keep_r], col = dn[[2]][!keep_c])
  for (k in 1:2) {
    if (length(dropped[[k]])) {
      d <- dropped[[k]]
      listed <- if (length(d) > 10L) c(d[1:10], sprintf("... (%d in all)", length(d))) else d
      notes <- c(notes, sprintf("Empty categories of %s dropped before the statistics: %s.",
                                names(dn)[k], paste(listed, collapse = ", ")))
    }
  }
  tab <- tab[keep_r, keep_c, drop = FALSE]
  row_scores <- as.double(row_scores[keep_r])
  col_scores <- as.double(col_scores[keep_c])
  st <- .Call(zh_crosstab_stats, tab, row_scores, col_scores,
              zh_kappa_pair(list(keys[[1]][keep_r], keys[[2]][keep_c])))
  W <- st$n
  nr <- nrow(tab)
  nc <- ncol(tab)
  if (nr < 2L || nc < 2L) {
    notes <- c(notes, sprintf(paste0("No statistics are computed: %s has %d non-empty ",
                                     "categor%s; each variable needs at least two."),
                              if (nr < 2L) names(dn)[1] else names(dn)[2],
                              min(nr, nc), if (min(nr, nc) == 1L) "y" else "ies"))
  }
  rs <- rowSums(tab)
  cs <- colSums(tab)
  expected <- if (W > 0) outer(rs, cs) / W else tab * NA_real_
  dimnames(expected) <- dimnames(tab)
  resid <- tab - expected
  adj <- resid / sqrt(expected * outer(1 - rs / W, 1 - cs / W))
  adj[!is.finite(adj)] <- NA_real_
  te <- st$tests
  is22 <- nr == 2L && nc == 2L
  tests <- data.frame(
    test = c("Pearson Chi-Square", "Likelihood Ratio", "Linear-by-Linear Association"),
    statistic = te[c(1, 3, 6)],
    df = c(te[5], te[5], if (nr >= 2L && nc >= 2L) 1 else NA_real_),
    p_value = te[c(2, 4, 7)],
    p_one_sided = NA_real_,
    stringsAsFactors = FALSE
  )
  if (is22) {
    tests <- rbind(tests, data.frame(
      test = c("Continuity Correction", "Fisher's Exact Test"),
      statistic = c(te[8], NA_real_), df = c(1, NA_real_),
      p_value = c(te[9], te[10]), p_one_sided = c(NA_real_, te[11]),
      stringsAsFactors = FALSE))
    if (is.na(te[10]) && W > 0) {
      notes <- c(notes, "Fisher's exact test needs integer counts; use count = \"round\".")
    }
  } else if (!isFALSE(fisher) && nr >= 2L && nc >= 2L) {
    fx <- fisher_rxc(tab, fisher = fisher, B = B)
    tests <- rbind(tests, data.frame(test = "Fisher's Exact Test", statistic = NA_real_,
                                     df = NA_real_, p_value = fx$p_value, p_one_sided = NA_real_,
                                     stringsAsFactors = FALSE))
    notes <- c(notes, fx$note)
  }
  rownames(tests) <- NULL
  mm <- st$measures
  measures <- data.frame(measure = zh_measure_names, estimate = mm[, 1], ase = mm[, 2],
                         t = mm[, 3], p_value = mm[, 4], stringsAsFactors = FALSE)
  rk <- st$risk
  risk <- if (is22) {
    rl <- dimnames(tab)
    data.frame(measure = c(sprintf("Odds Ratio for %s (%s / %s)", names(rl)[1], rl[[1]][1], rl[[1]][2]),
                           sprintf("For cohort %s = %s", names(rl)[2], rl[[2]])),
               estimate = rk[, 1], lower = rk[, 2], upper = rk[, 3], stringsAsFactors = FALSE)
  } else {
    data.frame(measure = character(), estimate = numeric(), lower = numeric(),
               upper = numeric(), stringsAsFactors = FALSE)
  }
  pct <- function(x, d) {
    out <- if (is.null(d)) 100 * x / W else 100 * sweep(x, d, if (d == 1) rs else cs, "/")
    out[!is.finite(out)] <- NA_real_
    out
  }
  structure(list(
    observed = tab,
    expected = expected,
    row_percent = pct(tab, 1),
    col_percent = pct(tab, 2),
    total_percent = pct(tab, NULL),
    residuals = resid,
    std_residuals = resid / sqrt(expected),
    adj_residuals = adj,
    n = W,
    tests = tests,
    measures = measures,
    risk = risk,
    min_expected = st$min_expected,
    cells_below_5 = st$cells_below_5,
    missing = c(cases = missing[[1]], weight = missing[[2]]),
    dropped = dropped,
    weighted = weighted,
    count = count,
    scores = list(row = row_scores, col = col_scores),
    ordered = ordered,
    notes = notes
  ), class = "zh_crosstab")
}

# ---- methods ---------------------------------------------------------------

zh_var_names <- function(x) names(dimnames(x$observed))

#' Print, format and summarise a cross-tabulation
#'
#' `format()` lays the result out as the SPSS CROSSTABS output blocks (the
#' table with its margins, Chi-Square Tests, Symmetric Measures, Directional
#' Measures) and returns the lines; `print()` writes them. `summary()` adds
#' the cell statistics (row, column and total percentages, expected counts
#' and adjusted standardized residuals).
#'
#' @param x,object A `zh_crosstab` object.
#' @param digits Decimals for statistics.
#' @param decimal_mark `"."` or `","`; defaults to the option
#'   `zhetysu.decimal_mark`, else `"."`.
#' @param cells For `format()`: which cell statistics to show in the table,
#'   any of `"count"`, `"expected"`, `"row"`, `"col"`, `"total"`,
#'   `"residual"`, `"std_residual"`, `"adj_residual"`.
#' @param ... Passed on to `format()`.
#' @return `format()` a character vector of lines; `print()` and
#'   `summary()` return their input invisibly or a summary object.
#' @name crosstab-methods
#' @examples
#' ct <- crosstab(mtcars, cyl, gear)
#' print(ct, decimal_mark = ",")
#' summary(ct)
#' as.data.frame(ct)[1:3, ]
#' tidy(ct)
#' glance(ct)
NULL

#' @rdname crosstab-methods
#' @export
format.zh_crosstab <- function(x, digits = 3L, decimal_mark = NULL, cells = "count", ...) {
  mark <- zh_decimal_mark(decimal_mark)
  cells <- match.arg(cells, c("count", "expected", "row", "col", "total", "residual",
                              "std_residual", "adj_residual"), several.ok = TRUE)
  vn <- zh_var_names(x)
  out <- c(sprintf("Crosstab: %s * %s%s", vn[1], vn[2],
                   if (x$weighted) sprintf(" (weighted; count = \"%s\")", x$count) else ""),
           "", zh_crosstab_table_lines(x, cells, mark), "")
  num <- function(v, d = digits) zh_num(v, d, mark)
  tt <- x$tests
  # SPSS layout: the asymptotic p of the chi-square tests in one column,
  # Fisher's exact p (two- and one-sided) in two more
  exact <- tt$test == "Fisher's Exact Test"
  p_asymp <- ifelse(exact, NA_real_, tt$p_value)
  chi <- cbind(tt$test, num(tt$statistic), zh_num(tt$df, 0), zh_p(p_asymp, digits, mark),
               zh_p(ifelse(exact, tt$p_value, NA_real_), digits, mark),
               zh_p(tt$p_one_sided, digits, mark))
  chi <- rbind(chi, c("N of Valid Cases", zh_count(x$n, mark),
                      "", "", "", ""))
  hdr <- c("", "Value", "df", "Asymp. Sig. (2-sided)", "Exact Sig. (2-sided)",
           "Exact Sig. (1-sided)")
  if (!any(exact)) {
    chi <- chi[, 1:4, drop = FALSE]
    hdr <- hdr[1:4]
  }
  foot <- sprintf("%d cells (%s%%) have expected count less than 5. The minimum expected count is %s.",
                  x$cells_below_5,
                  zh_num(100 * x$cells_below_5 / length(x$observed), 1, mark),
                  num(x$min_expected, 2))
  out <- c(out, zh_block("Chi-Square Tests", zh_text_table(chi, hdr), c(foot, x$notes)))
  ms <- x$measures
  # label columns: the SPSS group ("Nominal by Nominal"), the measure and,
  # for directional measures, which variable is dependent
  fmt_m <- function(k, labels) {
    cbind(labels, num(ms$estimate[k]), num(ms$ase[k]), num(ms$t[k]),
          zh_p(ms$p_value[k], digits, mark))
  }
  mhdr <- c("Value", "Asymp. Std. Error", "Approx. T", "Approx. Sig.")
  sym <- c(1, 2, 3, 12, 13, 14, 19, 18)
  sym_lab <- cbind(c("Nominal by Nominal", "", "", "Ordinal by Ordinal", "", "",
                     "Interval by Interval", "Ordinal by Ordinal"),
                   c("Phi", "Cramer's V", "Contingency Coefficient", "Kendall's tau-b",
                     "Kendall's tau-c", "Gamma", "Pearson's R", "Spearman Correlation"))
  kappa <- match("Kappa", ms$measure)
  if (!is.na(kappa) && !is.na(ms$estimate[kappa])) {
    sym <- c(sym, kappa)
    sym_lab <- rbind(sym_lab, c("Measure of Agreement", "Kappa"))
  }
  out <- c(out, zh_block("Symmetric Measures",
                         zh_text_table(fmt_m(sym, sym_lab), c("", "", mhdr), left = 1:2)))
  dep <- c("Symmetric", sprintf("%s Dependent", vn))
  dir <- c(4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 17, 20, 21)
  dir_lab <- cbind(c("Nominal by Nominal", rep("", 7), "Ordinal by Ordinal", "", "",
                     "Nominal by Interval", ""),
                   c("Lambda", "", "", "Goodman and Kruskal tau", "", "Uncertainty Coefficient",
                     "", "", "Somers' d", "", "", "Eta", ""),
                   c(dep, dep[2:3], dep, dep, dep[2:3]))
  out <- c(out, zh_block("Directional Measures",
                         zh_text_table(fmt_m(dir, dir_lab), c("", "", "", mhdr), left = 1:3),
                         paste("Goodman and Kruskal tau: Sig. based on chi-square approximation;",
                               "uncertainty coefficient: likelihood ratio chi-square probability.")))
  if (NROW(x$risk)) out <- c(out, zh_risk_block(x, num))
  out
}

# SPSS's Risk Estimate block of a 2 x 2 table.
zh_risk_block <- function(x, num) {
  rk <- x$risk
  cells <- cbind(rk$measure, num(rk$estimate), num(rk$lower), num(rk$upper))
  cells <- rbind(cells, c("N of Valid Cases", num(x$n, zh_count_digits(x$n)), "", ""))
  foot <- if (anyNA(rk$estimate)) {
    "Left empty where a zero cell makes the ratio 0 or infinite."
  }
  zh_block("Risk Estimate",
           zh_text_table(cells, c("", "Value", "95% CI Lower", "95% CI Upper")), foot)
}

# The table itself, with margins; several cell statistics stack per row.
zh_crosstab_table_lines <- function(x, cells, mark) {
  obs <- x$observed
  vn <- zh_var_names(x)
  rs <- rowSums(obs)
  cs <- colSums(obs)
  with_margins <- function(m, rm, cm, tot) rbind(cbind(m, Total = rm), Total = c(cm, tot))
  lab <- c(count = "Count", expected = "Expected Count", row = sprintf("%% within %s", vn[1]),
           col = sprintf("%% within %s", vn[2]), total = "% of Total", residual = "Residual",
           std_residual = "Standardized Residual", adj_residual = "Adjusted Residual")
  blocks <- lapply(cells, function(k) {
    m <- switch(k,
      count = with_margins(obs, rs, cs, x$n),
      expected = with_margins(x$expected, rs, cs, x$n),
      row = with_margins(x$row_percent, rep(100, length(rs)), 100 * cs / x$n, 100),
      col = with_margins(x$col_percent, 100 * rs / x$n, rep(100, length(cs)), 100),
      total = with_margins(x$total_percent, 100 * rs / x$n, 100 * cs / x$n, 100),
      residual = with_margins(x$residuals, NA * rs, NA * cs, NA),
      std_residual = with_margins(x$std_residuals, NA * rs, NA * cs, NA),
      adj_residual = with_margins(x$adj_residuals, NA * rs, NA * cs, NA))
    d <- switch(k, count = zh_count_digits(obs), expected = 1L, row = , col = , total = 1L, 1L)
    s <- matrix(zh_num(m, d, mark), nrow(m), dimnames = dimnames(m))
    if (k %in% c("row", "col", "total")) s[!is.na(m)] <- paste0(s[!is.na(m)], "%")
    s
  })
  rows <- NULL
  nms <- rownames(blocks[[1]])
  several <- length(cells) > 1L
  residual <- cells %in% c("residual", "std_residual", "adj_residual")
  for (i in seq_along(nms)) {
    for (b in seq_along(blocks)) {
      if (i == length(nms) && residual[b]) next  # no residuals in the Total row
      label <- c(if (b == 1L || !several) nms[i] else "", if (several) lab[[cells[b]]])
      rows <- rbind(rows, c(label, blocks[[b]][i, ]))
    }
  }
  zh_text_table(rows, c(sprintf("%s \\ %s", vn[1], vn[2]), if (several) "",
                        colnames(blocks[[1]])), left = if (several) 1:2 else 1L)
}

#' @rdname crosstab-methods
#' @export
print.zh_crosstab <- function(x, ...) {
  cat(format(x, ...), sep = "\n")
  invisible(x)
}

#' @rdname crosstab-methods
#' @export
summary.zh_crosstab <- function(object, ...) {
  structure(list(x = object), class = "summary.zh_crosstab")
}

#' @rdname crosstab-methods
#' @export
print.summary.zh_crosstab <- function(x, ...) {
  cat(format(x$x, cells = c("count", "expected", "row", "col", "total", "adj_residual"), ...),
      sep = "\n")
  invisible(x)
}

#' @rdname crosstab-methods
#' @param row.names,optional Ignored (for compatibility with the generic).
#' @export
as.data.frame.zh_crosstab <- function(x, row.names = NULL, optional = FALSE, ...) {
  vn <- zh_var_names(x)
  dn <- dimnames(x$observed)
  out <- data.frame(
    row = factor(rep(dn[[1]], times = length(dn[[2]])), levels = dn[[1]]),
    col = factor(rep(dn[[2]], each = length(dn[[1]])), levels = dn[[2]]),
    observed = as.vector(x$observed), expected = as.vector(x$expected),
    row_percent = as.vector(x$row_percent), col_percent = as.vector(x$col_percent),
    total_percent = as.vector(x$total_percent), residual = as.vector(x$residuals),
    std_residual = as.vector(x$std_residuals), adj_residual = as.vector(x$adj_residuals),
    stringsAsFactors = FALSE)
  names(out)[1:2] <- vn
  out
}

#' @rdname crosstab-methods
#' @method tidy zh_crosstab
#' @export
tidy.zh_crosstab <- function(x, ...) {
  tt <- x$tests
  ms <- x$measures
  data.frame(
    term = c(tt$test, ms$measure),
    type = c(rep("test", nrow(tt)), rep("measure", nrow(ms))),
    estimate = c(rep(NA_real_, nrow(tt)), ms$estimate),
    std.error = c(rep(NA_real_, nrow(tt)), ms$ase),
    statistic = c(tt$statistic, ms$t),
    df = c(tt$df, rep(NA_real_, nrow(ms))),
    p.value = c(tt$p_value, ms$p_value),
    stringsAsFactors = FALSE)
}

#' @rdname crosstab-methods
#' @method glance zh_crosstab
#' @export
glance.zh_crosstab <- function(x, ...) {
  data.frame(n = x$n, statistic = x$tests$statistic[1], df = x$tests$df[1],
             p.value = x$tests$p_value[1],
             cramers_v = x$measures$estimate[x$measures$measure == "Cramer's V"],
             min_expected = x$min_expected, cells_below_5 = x$cells_below_5,
             missing = unname(x$missing[["cases"]]))
}
