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
#' @section Layers:
#' `layer` names one or more layer variables (SPSS `CROSSTABS row BY col BY
#' layer`): the result is then a `zh_crosstab_layers` object (see
#' [crosstab-layers]) with one crosstab per layer, each computed from that
#' layer's table alone, and the Total layer (the table summed over the
#' layers). A grouped data frame (`dplyr::group_by()`) is layered by its
#' groups; giving `layer` as well is refused (a grouped lazy table too).
#' Cases with a missing layer value are left out of every layer and of the
#' Total layer.
#'
#' @section Tables and counts:
#' `data` may be a `table` or `xtabs` object (two dimensions; further
#' dimensions are layers) or a [zh_counts] object; then `row`, `col`,
#' `layer` and `weights` are not given. A table's scores are `scores`, or by
#' default the labels as numbers when every label is a number and they
#' increase in table order, else the positions 1, 2, ... (see
#' [zh_counts_table()]); `ordered` says whether its categories are ordered
#' (default `TRUE`). A table has no missing cases. With the same scores, a
#' table and the data it was counted from give identical results.
#'
#' @section CMH, McNemar and column proportions:
#' `statistics` asks for SPSS's further families, by their subcommand
#' names (any subset):
#' * `"cmh"` (`/STATISTICS=CMH(null_or)`): over the strata of a layered
#'   table of 2 x 2 tables, the Tests of Conditional Independence
#'   (Cochran's, and Mantel-Haenszel with a continuity correction of 0.5
#'   that SPSS drops only when the sum of observed minus expected counts is
#'   exactly 0; [stats::mantelhaen.test()] drops it whenever that sum is
#'   below 0.5), the Tests of Homogeneity of the Odds Ratio (Breslow-Day,
#'   Tarone's) and the Mantel-Haenszel Common Odds Ratio Estimate with the
#'   Robins-Breslow-Greenland standard error of its log. Its
#'   `Asymp. Sig.` is the Wald test of `ln(estimate) = ln(null_or)`, and the
#'   95% intervals are \eqn{\exp(\ln\hat\psi \pm 1.96 SE)}. The strata
#'   are the layers with cases; with several layer variables, every
#'   combination of their categories that has cases is one stratum (as SPSS
#'   does). Row or column categories empty in every stratum are dropped;
#'   the rest must be 2 x 2 and there must be two strata, else a note says
#'   why no CMH table is printed (and so does a table without `layer`).
#'   Strata with fewer than two cases are left out; strata with an empty
#'   row or column add nothing to the tests and the estimate and are left
#'   out of Breslow-Day and Tarone's, whose df fall with them; a note names
#'   them. The result is in `$cmh` of the layered crosstab.
#' * `"mcnemar"` (`/STATISTICS=MCNEMAR`): for a 2 x 2 table the exact
#'   two-sided binomial p of the discordant cells (always exact, as
#'   CROSSTABS does), for a square table with three categories or more the
#'   McNemar-Bowker test; categories are paired by value as for kappa. A
#'   pair of cells with no case carries no information: its term is left
#'   out and the df are the number of pairs that remain. The row is added
#'   to `tests`; a table that is not square gets a note instead.
#' * `"prop"` / `"bprop"` (`/CELLS=PROP` / `BPROP`): within each row, the
#'   pairwise z-tests of the column proportions (pooled standard error, no
#'   continuity correction; a column whose proportion is 0 or 1 in the row
#'   is left out of that row), at the .05 level, `"bprop"` with the
#'   Bonferroni correction over the \eqn{k(k-1)/2} pairs of the \eqn{k}
#'   columns compared in the row. The printed table marks the counts and
#'   column percentages with subscript letters (`"20 a"`): each letter is a
#'   maximal set of columns none of which differ significantly, sets
#'   ordered by their columns and lettered a, b, ...; a cell has the
#'   letters of every set that holds its column. Columns left out of a row
#'   are marked `#`. The pairwise z and p (and the Bonferroni p) are
#'   `as.data.frame(x, what = "col_props")`.
#'
#' Where SPSS's rule is not documented (the 0.5 rule, strata without a
#' variance, Bowker's df, the Bonferroni multiplier, the letter algorithm),
#' the rules above are the package's choice.
#'
#' The p-values of the adjusted standardized residuals (two-sided normal,
#' and with the Bonferroni correction over the R x C cells) are the cell
#' statistics `"adj_residual_p"` and `"adj_residual_p_bonferroni"` of
#' `print()` and columns of `as.data.frame()`, with or without
#' `statistics`. All of these use the cells after the count rule (rounded by
#' default for weighted data), as every CROSSTABS statistic.
#'
#' @section Size:
#' A crosstab keeps about a dozen numeric matrices of the table's size; a
#' table whose statistics would need more memory than the option
#' `zhetysu.max_table_bytes` (default 2 GB) stops with a classed error
#' before anything is counted.
#'
#' @param data A data frame (or tibble), a `table` / `xtabs` object or a
#'   [zh_counts] object. A survey design gives design-based results: see
#'   [survey-designs].
#' @param row,col The row and column variables: bare column names, strings,
#'   positions, or a tidyselect call that selects one column. Where `data`
#'   has repeated column names, select those columns by position.
#' @param layer Optional layer variables: column names, strings, positions
#'   or tidyselect helpers such as `c(region, gender)` (data frames and lazy
#'   tables).
#' @param scores,ordered For a `table` only: the category scores (a list of
#'   two numeric vectors, `NULL` elements for the default) and whether the
#'   categories are ordered; see [zh_counts_table()].
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
#' @param statistics Extra families: any of `"cmh"`, `"mcnemar"`,
#'   `"prop"` and `"bprop"` (see the section below; with both, the
#'   column-proportion tests are Bonferroni-adjusted); default none.
#' @param null_or The null value of the common odds ratio for `"cmh"`: one
#'   positive number, default 1.
#'
#' @return An object of class `zh_crosstab`: a list with `observed` and
#'   `expected` (matrices with named dimnames), `row_percent`,
#'   `col_percent`, `total_percent`, `residuals`, `std_residuals`,
#'   `adj_residuals`, `n` (valid weighted cases), `tests` (columns `test`,
#'   `statistic`, `df`, `p_value`, `p_one_sided`), `measures` (columns
#'   `measure`, `estimate`, `ase`, `t`, `p_value`), `risk` (columns
#'   `measure`, `estimate`, `lower`, `upper`; 2 x 2 tables only), `min_expected`,
#'   `cells_below_5`, `missing` (cases left out and their weight), `dropped`
#'   (empty categories dropped), `notes` and `case_processing` (SPSS's Case
#'   Processing Summary: valid, missing and total weighted cases with their
#'   percentages), `adj_residual_p` and `adj_residual_p_adjusted` (the
#'   residuals' p-values), and with `statistics = "prop"` or `"bprop"`
#'   `col_props` (`pairs`, `letters`, `excluded`). With `layer`, a
#'   `zh_crosstab_layers` object.
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
#' crosstab(table(mtcars$cyl, mtcars$gear), scores = list(c(4, 6, 8), NULL))
#'
#' # layers: one table per category of am, and the Total layer
#' crosstab(mtcars, cyl, gear, layer = am)
#'
#' # CMH over the departments, McNemar, column proportions
#' ucb <- crosstab(UCBAdmissions, statistics = "cmh")
#' ucb$cmh$odds_ratio$estimate
#' tail(tidy(ucb), 5)
#' crosstab(table(before = c(1, 1, 2, 2, 1), after = c(1, 2, 2, 2, 2)),
#'          statistics = "mcnemar")$tests
#' ct <- crosstab(mtcars, gear, cyl, statistics = "bprop")
#' print(ct, cells = c("count", "col", "adj_residual_p"))
#' as.data.frame(ct, what = "col_props")
crosstab <- function(data, row, col, weights = NULL,
                     count = c("round", "asis", "truncate", "case_round", "case_truncate"),
                     fisher = FALSE, B = 10000, layer = NULL, scores = NULL, ordered = TRUE,
                     ..., statistics = NULL, null_or = 1) {
  statistics <- zh_check_statistics(statistics)
  null_or <- zh_check_null_or(null_or)
  if (zh_is_design(data) && length(statistics)) {
    zh_abort("`statistics` must not be given when `data` is a survey design: CMH, McNemar and column proportions need counts of cases.",
             "input")
  }
  if (zh_is_design(data) && !is.null(substitute(layer))) {
    zh_abort("`layer` must not be given when `data` is a survey design: layers need a data frame, a lazy table, a table or counts.",
             "input")
  }
  if (zh_is_design(data)) return(zh_design_crosstab(data, substitute(row), substitute(col), parent.frame(), substitute(weights), ...))
  if (inherits(data, "tbl_lazy")) return(zh_db_dispatch("crosstab", match.call(), parent.frame()))
  zh_check_dots(...)
  count <- zh_match_arg(count, "count")
  zh_fisher_args(fisher, B)  # checked here so a 2 x 2 table does not skip it
  is_tab <- is.table(data) || inherits(data, "xtabs")
  if (is_tab || inherits(data, "zh_counts")) {
    if (!missing(row) || !missing(col) || !is.null(substitute(weights)) ||
        !is.null(substitute(layer))) {
      zh_abort("`row`, `col`, `layer` and `weights` must not be given when `data` is a table.",
               "input")
    }
    if (is_tab) {
      if (length(dim(data)) < 2L) {
        nd <- length(dim(data))
        zh_abort(sprintf("`data` must be a two-way table, not one with %d dimension%s.",
                         nd, if (nd == 1L) "" else "s"), "data")
      }
      cn <- zh_counts_table(data, scores = scores, ordered = ordered, count = count)
      for (k in 1:2) {
        zh_warn_categories(sum(apply(cn$counts, k, sum) > 0), "data", cn$vars[[k]]$name,
                           "dimension")
      }
      if (!(sum(cn$counts) > 0)) {
        zh_abort(sprintf("`data` must hold at least one positive count%s.",
                         if (cn$weighted) sprintf(" after rounding (count = \"%s\")", count) else ""),
                 "empty")
      }
    } else {
      cn <- data
    }
    return(zh_crosstab_counts(cn, fisher = fisher, B = B, statistics = statistics,
                              null_or = null_or))
  }
  if (!is.null(scores) || !isTRUE(ordered)) {
    zh_abort("`scores` and `ordered` must not be given when `data` is a data frame: columns carry their own.",
             "input")
  }
  zh_check_data(data)
  env <- parent.frame()
  row_name <- zh_column(data, substitute(row), "row", env)
  col_name <- zh_column(data, substitute(col), "col", env)
  layer_expr <- substitute(layer)
  l_names <- if (is.null(layer_expr)) character() else zh_columns(data, layer_expr, "layer", env)
  groups <- zh_group_vars(data)
  if (length(groups)) {
    if (length(l_names)) {
      zh_abort(sprintf(paste0("`data` is grouped (by %s) and `layer` is given: use the groups ",
                              "as layers (leave out `layer`) or ungroup `data` first."),
                       paste0("`", groups, "`", collapse = ", ")), "input")
    }
    l_names <- groups
    data <- zh_ungroup(data)
  }
  w_name <- zh_column(data, substitute(weights), "weights", env, null_ok = TRUE)
  for (v in list(row_name, col_name, w_name)) {
    if (zh_among(v, l_names)) {
      zh_abort(sprintf("`layer` must not include the row, column or weights column `%s`.", v),
               "column")
    }
  }
  if (nrow(data) == 0L) {
    zh_abort("`data` must have at least one row, not 0.", "data")
  }
  cols <- c(list(row_name, col_name), zh_split_columns(l_names))
  cn <- zh_counts_build(data, cols, c("row", "col", rep("layer", length(l_names))), w_name, count,
                        weights_hint = zh_weights_hint(sys.call(), "fourth", "crosstab"))
  if (!(sum(cn$counts) > 0)) {
    codes <- lapply(cols[1:2], function(v) zh_codes(zh_pull(data, v), v)$codes)
    zh_no_cases(list(row = codes[[1]], col = codes[[2]],
                     weights = if (is.null(w_name)) NULL else zh_pull(data, w_name)),
                c(row_name, col_name, w_name), rounded = sum(cn$sums) > 0)
  }
  zh_warn_categories(sum(apply(cn$counts, 1L, sum) > 0), "row", row_name)
  zh_warn_categories(sum(apply(cn$counts, 2L, sum) > 0), "col", col_name)
  zh_crosstab_counts(cn, fisher = fisher, B = B, statistics = statistics, null_or = null_or)
}

# The statistics of a 2-way zh_counts object, or of every layer (and the
# Total layer) of a k-way one. `statistics`: the extra families
# (zh_statistics_choices); "cmh" needs layers and is computed over them.
zh_crosstab_counts <- function(cn, fisher, B, statistics = character(), null_or = 1,
                               cmh_note = TRUE) {
  if (length(cn$vars) > 2L) return(zh_crosstab_layers(cn, fisher, B, statistics, null_or))
  v <- cn$vars
  tab <- cn$counts
  out <- zh_crosstab_build(tab, v[[1]]$values, v[[2]]$values,
                           missing = cn$left_out, weighted = cn$weighted, count = cn$count,
                           fisher = fisher, B = B, ordered = c(v[[1]]$ordered, v[[2]]$ordered),
                           keys = list(v[[1]]$keys, v[[2]]$keys))
  out$case_processing <- zh_case_processing(out$n, cn$left_out[["weight"]])
  out$labels <- vapply(v[1:2], function(z) if (is.null(z$label)) NA_character_ else z$label, "")
  zh_crosstab_add_extras(out, statistics, cmh_note)
}

# McNemar (a row of `tests`), column proportions (`col_props`) and the
# p-values of the adjusted residuals, from the table after empty categories
# are dropped; "cmh" on a table without layers is a note.
zh_crosstab_add_extras <- function(x, statistics, cmh_note = TRUE) {
  x$statistics <- statistics
  tab <- x$observed
  ok <- nrow(tab) >= 2L && ncol(tab) >= 2L  # else the no_statistics note says why
  ex <- zh_crosstab_extras(tab, x$adj_residuals, if (ok) statistics else character())
  x$adj_residual_p <- ex$adj_residual_p
  x$adj_residual_p_adjusted <- ex$adj_residual_p_adjusted
  mc <- ex$mcnemar
  if (!is.null(mc)) {
    if (!is.na(mc$p_value)) {
      x$tests <- rbind(x$tests, data.frame(test = mc$test, statistic = mc$statistic, df = mc$df,
                                           p_value = mc$p_value, p_one_sided = NA_real_,
                                           stringsAsFactors = FALSE))
    }
    if (!is.na(mc$note) && mc$note != "mcnemar_binomial") {
      x$notes <- c(x$notes, list(zh_note(mc$note, where = "table")))
    }
  }
  if (!is.null(ex$col_props)) x$col_props <- ex$col_props
  if ("cmh" %in% statistics && cmh_note) {
    x$notes <- c(x$notes, list(zh_note("cmh_no_layer", where = "table")))
  }
  x
}

# SPSS's Case Processing Summary: valid cases (after the count rule, as
# CROSSTABS counts them), the weight of the cases left out, and their total.
zh_case_processing <- function(valid, missing) {
  n <- c(valid, missing, valid + missing)
  tot <- valid + missing
  data.frame(cases = c("Valid", "Missing", "Total"), n = n,
             percent = if (tot > 0) 100 * n / tot else NA_real_, stringsAsFactors = FALSE)
}

zh_int <- function(codes) {
  if (is.integer(codes) && is.null(attr(codes, "class"))) return(codes)
  if (is.factor(codes)) return(codes)  # factors are integer codes already
  as.integer(codes)
}

# Stops before counting when the table, or the memory its statistics take,
# is too large: a crosstab keeps about a dozen double matrices of the
# table's size (observed, expected, residuals, percentages, the
# statistics' workspace), so the limit is on that memory, not on the cells
# alone. `vars` names the two variables in the message.
zh_check_cells <- function(nr, nc, vars = NULL, args = c("row", "col")) {
  cells <- as.double(nr) * nc
  what <- paste0("`", args, "`", collapse = " and ")
  tab <- if (is.null(vars)) sprintf("%d x %d", nr, nc) else
    sprintf("`%s` x `%s`: %d x %d", vars[[1]], vars[[2]], nr, nc)
  need <- zh_table_bytes * cells
  limit <- zh_max_table_bytes()
  if (need > limit) {
    zh_abort(sprintf(paste0("%s have too many categories: the table (%s, %s cells) and its ",
                            "statistics would need about %s of memory, more than %s (the option ",
                            "`zhetysu.max_table_bytes`)."),
                     what, tab, format(cells, big.mark = ",", scientific = FALSE),
                     zh_bytes_text(need), zh_bytes_text(limit)), "size")
  }
  if (cells > 2^28) {
    zh_abort(sprintf("%s have too many categories: the table would have %s cells (%s).",
                     what, format(cells, big.mark = ","), tab), "size")
  }
}

# Bytes per cell of a crosstab: twelve double matrices.
zh_table_bytes <- 12 * 8

zh_max_table_bytes <- function() {
  limit <- getOption("zhetysu.max_table_bytes", 2^31)
  if (!is.numeric(limit) || length(limit) != 1L || is.na(limit) || !(limit > 0)) {
    zh_abort(sprintf("Option `zhetysu.max_table_bytes` must be a positive number of bytes, not %s.",
                     zh_describe(limit)), "option")
  }
  limit
}

zh_bytes_text <- function(b) {
  if (is.infinite(b)) return("Inf")
  u <- c("bytes", "KB", "MB", "GB", "TB")
  k <- max(0, min(length(u) - 1, floor(log(b, 1024))))
  sprintf("%s %s", format(signif(b / 1024^k, 3)), u[k + 1])
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

# The measures in the order of the `measures` data frame, under the names
# the C engine gives them.
zh_measure_names <- c(
  phi = "Phi", v = "Cramer's V", cc = "Contingency Coefficient",
  lambda_s = "Lambda symmetric", lambda_r = "Lambda row dependent",
  lambda_c = "Lambda column dependent",
  gktau_r = "Goodman-Kruskal tau row dependent", gktau_c = "Goodman-Kruskal tau column dependent",
  uc_s = "Uncertainty coefficient symmetric", uc_r = "Uncertainty coefficient row dependent",
  uc_c = "Uncertainty coefficient column dependent",
  taub = "Kendall's tau-b", tauc = "Kendall's tau-c", gamma = "Gamma",
  somers_s = "Somers' d symmetric", somers_r = "Somers' d row dependent",
  somers_c = "Somers' d column dependent",
  spearman = "Spearman correlation", pearson = "Pearson's R",
  eta_r = "Eta row dependent", eta_c = "Eta column dependent", kappa = "Kappa"
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
  notes <- list()  # zh_note() codes; text at render time
  dn <- dimnames(tab)
  kept <- zh_drop_empty(tab, row_scores, col_scores)
  dropped <- kept$dropped
  for (k in 1:2) {
    if (length(dropped[[k]])) {
      notes <- c(notes, list(zh_note("dropped_empty", var = names(dn)[k], levels = dropped[[k]],
                                     where = "table")))
    }
  }
  tab <- kept$tab
  row_scores <- kept$row_scores
  col_scores <- kept$col_scores
  pair <- zh_kappa_pair(list(keys[[1]][kept$keep_row], keys[[2]][kept$keep_col]))
  st <- zh_stats_list(list(tab), list(row_scores), list(col_scores), list(pair))[[1]]
  W <- st$n
  nr <- nrow(tab)
  nc <- ncol(tab)
  if (nr < 2L || nc < 2L) {
    notes <- c(notes, list(zh_note("no_statistics", var = names(dn)[if (nr < 2L) 1L else 2L],
                                   n = min(nr, nc), where = "table")))
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
    statistic = unname(te[c("pearson", "lr", "lbl")]),
    df = c(te[["df"]], te[["df"]], if (nr >= 2L && nc >= 2L) 1 else NA_real_),
    p_value = unname(te[c("pearson_p", "lr_p", "lbl_p")]),
    p_one_sided = NA_real_,
    stringsAsFactors = FALSE
  )
  if (is22) {
    tests <- rbind(tests, data.frame(
      test = c("Continuity Correction", "Fisher's Exact Test"),
      statistic = c(te[["yates"]], NA_real_), df = c(1, NA_real_),
      p_value = c(te[["yates_p"]], te[["fisher_2"]]), p_one_sided = c(NA_real_, te[["fisher_1"]]),
      stringsAsFactors = FALSE))
    if (is.na(te[["fisher_2"]]) && W > 0) {
      notes <- c(notes, list(zh_note("fisher_integer", where = "table")))
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
  mm <- mm[names(zh_measure_names), , drop = FALSE]
  measures <- data.frame(measure = unname(zh_measure_names), estimate = mm[, "estimate"],
                         ase = mm[, "ase"], t = mm[, "t"], p_value = mm[, "p_value"],
                         stringsAsFactors = FALSE, row.names = NULL)
  rk <- st$risk
  risk <- if (is22) {
    rl <- dimnames(tab)
    data.frame(measure = c(sprintf("Odds Ratio for %s (%s / %s)", names(rl)[1], rl[[1]][1], rl[[1]][2]),
                           sprintf("For cohort %s = %s", names(rl)[2], rl[[2]])),
               estimate = rk[, "estimate"], lower = rk[, "lower"], upper = rk[, "upper"],
               stringsAsFactors = FALSE, row.names = NULL)
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
#' `print()` shows the SPSS CROSSTABS output tables (the Crosstabulation
#' with its margins, Chi-Square Tests, Symmetric Measures, Directional
#' Measures and, for a 2 x 2 table, the Risk Estimate), fitted to
#' `getOption("width")`; `format()` returns the same lines. `summary()` adds
#' the cell statistics (row, column and total percentages, expected counts
#' and adjusted standardized residuals), stacked per row as SPSS does. In
#' R Markdown the tables render as HTML ([zhetysu-output]).
#'
#' @param x,object A `zh_crosstab` object (or its summary).
#' @param ... Output options (see [zhetysu-output]): `style`, `digits`,
#'   `decimal_mark`, `labels`, `width`; and `cells`, the cell statistics of
#'   the table, any of `"count"`, `"expected"`, `"row"`, `"col"`, `"total"`,
#'   `"residual"`, `"std_residual"`, `"adj_residual"`, `"adj_residual_p"`
#'   and `"adj_residual_p_bonferroni"` (the two-sided normal p of the
#'   adjusted residual, without and with the Bonferroni correction over the
#'   cells).
#' @return `format()` a character vector of lines; `print()` its input,
#'   invisibly; `summary()` a `summary.zh_crosstab` object.
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
format.zh_crosstab <- function(x, ...) zh_format_result(x, ...)

#' @rdname crosstab-methods
#' @export
print.zh_crosstab <- function(x, ...) zh_print_result(x, ...)

#' @rdname crosstab-methods
#' @export
summary.zh_crosstab <- function(object, ...) {
  structure(list(x = object), class = "summary.zh_crosstab")
}

#' @rdname crosstab-methods
#' @export
format.summary.zh_crosstab <- function(x, ...) zh_format_result(x, ...)

#' @rdname crosstab-methods
#' @export
print.summary.zh_crosstab <- function(x, ...) zh_print_result(x, ...)

#' @rdname crosstab-methods
#' @param row.names,optional Ignored (for compatibility with the generic).
#' @param what `"cells"` (the default): one row per cell with the cell
#'   statistics; `"col_props"`: the pairwise column-proportion tests of a
#'   crosstab made with `statistics = "prop"` or `"bprop"` (columns: the
#'   row category, `col1`, `col2`, `z`, `p_value`, `p_adjusted`).
#' @export
as.data.frame.zh_crosstab <- function(x, row.names = NULL, optional = FALSE, ...,
                                      what = c("cells", "col_props")) {
  what <- zh_match_arg(what, "what")
  if (what == "col_props") return(zh_col_props_df(x))
  vn <- zh_var_names(x)
  dn <- dimnames(x$observed)
  out <- data.frame(
    row = factor(rep(dn[[1]], times = length(dn[[2]])), levels = dn[[1]]),
    col = factor(rep(dn[[2]], each = length(dn[[1]])), levels = dn[[2]]),
    observed = as.vector(x$observed), expected = as.vector(x$expected),
    row_percent = as.vector(x$row_percent), col_percent = as.vector(x$col_percent),
    total_percent = as.vector(x$total_percent), residual = as.vector(x$residuals),
    std_residual = as.vector(x$std_residuals), adj_residual = as.vector(x$adj_residuals),
    adj_residual_p = as.vector(zh_adj_residual_p(x$adj_residuals)),
    adj_residual_p_bonferroni = as.vector(zh_adj_residual_p(x$adj_residuals, TRUE)),
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
  # the printed labels: the Symmetric / Directional Measures rows
  vl <- zh_crosstab_vars(x)
  printed <- c(Phi = "Phi", "Cramer's V" = "Cramer's V",
               "Contingency Coefficient" = "Contingency Coefficient",
               "Lambda symmetric" = "Lambda: Symmetric",
               "Lambda row dependent" = sprintf("Lambda: %s Dependent", vl[1]),
               "Lambda column dependent" = sprintf("Lambda: %s Dependent", vl[2]),
               "Goodman-Kruskal tau row dependent" =
                 sprintf("Goodman and Kruskal tau: %s Dependent", vl[1]),
               "Goodman-Kruskal tau column dependent" =
                 sprintf("Goodman and Kruskal tau: %s Dependent", vl[2]),
               "Uncertainty coefficient symmetric" = "Uncertainty Coefficient: Symmetric",
               "Uncertainty coefficient row dependent" =
                 sprintf("Uncertainty Coefficient: %s Dependent", vl[1]),
               "Uncertainty coefficient column dependent" =
                 sprintf("Uncertainty Coefficient: %s Dependent", vl[2]),
               "Kendall's tau-b" = "Kendall's tau-b", "Kendall's tau-c" = "Kendall's tau-c",
               Gamma = "Gamma", "Somers' d symmetric" = "Somers' d: Symmetric",
               "Somers' d row dependent" = sprintf("Somers' d: %s Dependent", vl[1]),
               "Somers' d column dependent" = sprintf("Somers' d: %s Dependent", vl[2]),
               "Spearman correlation" = "Spearman Correlation", "Pearson's R" = "Pearson's R",
               "Eta row dependent" = sprintf("Eta: %s Dependent", vl[1]),
               "Eta column dependent" = sprintf("Eta: %s Dependent", vl[2]), Kappa = "Kappa")
  ms <- ms[ms$measure != "Kappa" | !is.na(ms$estimate), , drop = FALSE]  # only when defined
  data.frame(
    term = c(tt$test, ms$measure),
    label = c(tt$test, unname(printed[ms$measure])),
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

# The pairwise column-proportion tests of a crosstab made with statistics =
# "prop" or "bprop": one row per row category and pair of columns.
zh_col_props_df <- function(x) {
  if (is.null(x$col_props)) {
    zh_abort("`what = \"col_props\"` needs a crosstab made with `statistics = \"prop\"` or \"bprop\".",
             "input")
  }
  out <- x$col_props$pairs
  names(out)[1] <- zh_var_names(x)[1]
  out
}
