# Layered cross-tabulations (SPSS CROSSTABS row BY col BY layer): one
# crosstab per layer, each from that layer's table alone, plus the Total
# layer (the table summed over the layers, with the count rule applied to
# its own cell sums, so that it equals the crosstab without layers of the
# same cases).

zh_crosstab_layers <- function(cn, fisher, B, statistics = character(), null_or = 1) {
  lv <- cn$vars[-(1:2)]
  keys <- do.call(expand.grid, c(lapply(lv, `[[`, "levels"),
                                 list(KEEP.OUT.ATTRS = FALSE, stringsAsFactors = FALSE)))
  names(keys) <- vapply(lv, `[[`, "", "name")
  parts <- lapply(seq_len(nrow(keys)), function(l) zh_counts_layer(cn, l))
  # layers without a case are left out, as SPSS does
  has <- vapply(parts, function(x) sum(x$counts) > 0, TRUE)
  tables <- lapply(parts[has], zh_crosstab_counts, fisher = fisher, B = B,
                   statistics = statistics, cmh_note = FALSE)
  total <- zh_crosstab_counts(zh_counts_margin(cn, 1:2), fisher = fisher, B = B,
                              statistics = statistics, cmh_note = FALSE)
  valid <- sum(vapply(tables, `[[`, 1, "n"))
  lay <- keys[has, , drop = FALSE]
  rownames(lay) <- NULL
  empty <- keys[!has, , drop = FALSE]
  rownames(empty) <- NULL
  cmh <- if ("cmh" %in% statistics) {
    zh_layers_cmh(parts[has], zh_layer_labels(list(layers = lay)), null_or)
  }
  structure(list(
    layers = lay,
    tables = tables,
    total = total,
    cmh = cmh,
    vars = vapply(cn$vars, `[[`, "", "name"),
    weighted = cn$weighted,
    count = cn$count,
    missing = total$missing,
    case_processing = zh_case_processing(valid, cn$left_out[["weight"]]),
    empty_layers = empty
  ), class = "zh_crosstab_layers")
}

# SPSS /STATISTICS=CMH over the strata: every layer with cases (with
# several layer variables, every combination of their categories that has
# cases). The row and column categories empty in every stratum are dropped;
# the rest must be 2 x 2, and there must be two strata at least, else the
# result is only a note.
zh_layers_cmh <- function(parts, labels, null_or) {
  v <- parts[[1]]$vars
  arr <- vapply(parts, function(p) {
    m <- p$counts
    dim(m) <- dim(p$counts)[1:2]
    m
  }, matrix(0, length(v[[1]]$levels), length(v[[2]]$levels)))
  arr <- array(arr, c(length(v[[1]]$levels), length(v[[2]]$levels), length(parts)))
  keep_r <- apply(arr, 1L, sum) > 0
  keep_c <- apply(arr, 2L, sum) > 0
  arr <- arr[keep_r, keep_c, , drop = FALSE]
  vars <- c(v[[1]]$name, v[[2]]$name)
  if (dim(arr)[1] != 2L || dim(arr)[2] != 2L) {
    return(list(note = zh_note("cmh_not_2x2", vars = vars, dims = dim(arr)[1:2],
                               where = "table")))
  }
  if (dim(arr)[3] < 2L) {
    return(list(note = zh_note("cmh_one_layer", strata = dim(arr)[3], where = "table")))
  }
  labels <- labels[seq_len(dim(arr)[3])]
  res <- zh_cmh(arr, null_or)
  res$strata_labels <- labels
  res$vars <- vars
  res$levels <- list(v[[1]]$levels[keep_r], v[[2]]$levels[keep_c])
  res$table <- arr
  # the fitted a of each stratum under the common odds ratio (Breslow-Day)
  rs <- apply(arr, c(1, 3), sum)
  res$fitted <- if (is.finite(res$odds_ratio$estimate) && res$odds_ratio$estimate > 0) {
    zh_cmh_fitted(res$odds_ratio$estimate, rs[1, ], rs[2, ], apply(arr, c(2, 3), sum)[1, ])
  } else rep(NA_real_, dim(arr)[3])
  if (length(res$skipped$small) || length(res$skipped$zero_margin)) {
    res$note <- zh_note("cmh_skipped", small = labels[res$skipped$small],
                        zero_margin = labels[res$skipped$zero_margin], where = "table")
  }
  res
}

# "l = 1, m = a" for each layer, and "Total".
zh_layer_labels <- function(x) {
  lab <- do.call(paste, c(Map(function(n, v) paste(n, "=", v), names(x$layers), x$layers),
                          list(sep = ", ")))
  c(lab, "Total")
}

#' Layered cross-tabulations
#'
#' `crosstab(data, row, col, layer = ...)` returns a `zh_crosstab_layers`
#' object: one [crosstab()] per layer (per combination of the layer
#' variables' categories that has cases), each computed from that layer's
#' table alone, and the `total` layer, the table summed over the layers, as
#' SPSS prints it. `tidy()` and `as.data.frame()` stack the layers into long
#' data frames with one column per layer variable (`"Total"` in the Total
#' layer's rows). With `statistics = "cmh"` (see [crosstab()]) the printed
#' output ends with SPSS's three CMH tables, `tidy()` adds their rows (type
#' `"cmh"`, the layer columns `NA`; the common odds ratio's `std.error` is
#' that of its log, `statistic` its Wald z) and `as.data.frame(x, what =
#' "cmh")` gives the common odds ratio with both intervals.
#'
#' @param x A `zh_crosstab_layers` object.
#' @param ... Passed on to [format.zh_crosstab()].
#' @param row.names,optional Ignored (for compatibility with the generic).
#' @param what `"cells"` (the default), `"col_props"` (the pairwise
#'   column-proportion tests of every layer) or `"cmh"` (the common odds
#'   ratio: estimate, log, standard error of the log, z, p, both 95%
#'   intervals and the null value).
#' @return `format()` a character vector of lines, `print()` its input
#'   invisibly, `tidy()` and `as.data.frame()` data frames.
#' @name crosstab-layers
#' @examples
#' ct <- crosstab(mtcars, cyl, gear, layer = am)
#' ct
#' summary(ct)
#' tidy(ct)[1:4, ]
#' head(as.data.frame(ct))
#'
#' cm <- crosstab(UCBAdmissions, statistics = "cmh")
#' as.data.frame(cm, what = "cmh")
NULL

#' @rdname crosstab-layers
#' @export
format.zh_crosstab_layers <- function(x, ...) zh_format_result(x, ...)

#' @rdname crosstab-layers
#' @export
print.zh_crosstab_layers <- function(x, ...) zh_print_result(x, ...)

#' @rdname crosstab-layers
#' @param object A `zh_crosstab_layers` object.
#' @export
summary.zh_crosstab_layers <- function(object, ...) {
  structure(list(x = object), class = "summary.zh_crosstab_layers")
}

#' @rdname crosstab-layers
#' @export
format.summary.zh_crosstab_layers <- function(x, ...) zh_format_result(x, ...)

#' @rdname crosstab-layers
#' @export
print.summary.zh_crosstab_layers <- function(x, ...) zh_print_result(x, ...)

# As summary() of one crosstab: every cell statistic, in every layer.
#' @export
zh_tables.summary.zh_crosstab_layers <- function(x, ...) {
  zh_tables(x$x, cells = zh_summary_cells, ...)
}

# The Case Processing Summary, then each layer's tables (and the Total
# layer's) with the layer named in their titles.
#' @export
zh_tables.zh_crosstab_layers <- function(x, ...) {
  labs <- zh_layer_labels(x)
  tabs <- c(x$tables, list(x$total))
  out <- list(zh_case_processing_otable(x$case_processing, paste(x$vars, collapse = " * ")))
  for (k in seq_along(tabs)) {
    ot <- zh_tables(tabs[[k]], ...)
    for (j in seq_along(ot)) ot[[j]]$title <- sprintf("%s (layer %s)", ot[[j]]$title, labs[k])
    out <- c(out, unclass(ot))
  }
  cm <- x$cmh
  if (!is.null(cm) && is.null(cm$odds_ratio)) {
    out[[1]]$notes <- c(out[[1]]$notes, list(cmh = cm$note))
  } else if (!is.null(cm)) {
    out <- c(out, zh_cmh_otables(cm))
  }
  if (nrow(x$empty_layers)) {
    e <- x$empty_layers
    out[[1]]$notes <- c(out[[1]]$notes, list(empty_layers = zh_note(
      "empty_layers", where = "table",
      layers = do.call(paste, c(Map(function(n, v) paste(n, "=", v), names(e), e),
                                list(sep = ", "))))))
  }
  zh_output(out)
}

# SPSS's three CMH tables.
zh_cmh_otables <- function(cm) {
  heads <- zh_headers(c("Chi-Squared", "df", "Asymp. Sig. (2-sided)"))
  test_cells <- function(d) {
    k <- nrow(d)
    cells <- rbind(zh_cells(seq_len(k), 1L, d$statistic, "stat"),
                   zh_cells(seq_len(k), 2L, d$df, "df"),
                   zh_cells(seq_len(k), 3L, d$p_value, "p"))
    cells[!is.na(cells$value), , drop = FALSE]
  }
  notes <- list(cmh = zh_note("cmh_conditional", where = "table"))
  if (!is.null(cm$note)) notes$skip <- cm$note
  cond <- zh_otable("Tests of Conditional Independence", cm$conditional$test, heads,
                    test_cells(cm$conditional), notes = notes)
  homog <- zh_otable("Tests of Homogeneity of the Odds Ratio", cm$homogeneity$test, heads,
                     test_cells(cm$homogeneity))
  o <- cm$odds_ratio
  stub <- cbind(c("Estimate", "ln(Estimate)", "Std. Error of ln(Estimate)",
                  "Asymp. Sig. (2-sided)", "Asymp. 95% Confidence Interval", "", "", ""),
                c("", "", "", "", "Common Odds Ratio", "", "ln(Common Odds Ratio)", ""),
                c("", "", "", "", "Lower Bound", "Upper Bound", "Lower Bound", "Upper Bound"))
  vals <- c(o$estimate, o$ln_estimate, o$se, o$p_value, o$lower, o$upper, o$ln_lower,
            o$ln_upper)
  cells <- zh_cells(1:8, 1L, vals, c("stat", "stat", "stat", "p", rep("stat", 4)))
  cells <- cells[!is.na(cells$value), , drop = FALSE]
  orn <- list(cmh = zh_note("cmh_odds_ratio", null_or = o$null_or, where = "table"))
  if (anyNA(vals)) orn$na <- zh_note("cmh_odds_ratio_na", where = "table")
  odds <- zh_otable("Mantel-Haenszel Common Odds Ratio Estimate", stub, zh_headers(""), cells,
                    stub_head = c("", "", ""), notes = orn)
  list(cond, homog, odds)
}

# One long data frame from a per-table function, with the layer columns.
zh_layers_long <- function(x, f) {
  tabs <- c(x$tables, list(x$total))
  keys <- rbind(x$layers, as.data.frame(stats::setNames(as.list(rep("Total", ncol(x$layers))),
                                                        names(x$layers)),
                                        stringsAsFactors = FALSE))
  out <- do.call(rbind, lapply(seq_along(tabs), function(k) {
    d <- f(tabs[[k]])
    cbind(keys[rep(k, nrow(d)), , drop = FALSE], d)
  }))
  rownames(out) <- NULL
  out
}

#' @rdname crosstab-layers
#' @method tidy zh_crosstab_layers
#' @export
tidy.zh_crosstab_layers <- function(x, ...) {
  out <- zh_layers_long(x, tidy.zh_crosstab)
  cm <- x$cmh
  if (is.null(cm$odds_ratio)) return(out)
  o <- cm$odds_ratio
  rows <- data.frame(
    term = c(cm$conditional$test, cm$homogeneity$test, "Mantel-Haenszel Common Odds Ratio"),
    label = c(cm$conditional$test, cm$homogeneity$test, "Mantel-Haenszel Common Odds Ratio Estimate"),
    type = "cmh", estimate = c(NA, NA, NA, NA, o$estimate),
    std.error = c(NA, NA, NA, NA, o$se),
    statistic = c(cm$conditional$statistic, cm$homogeneity$statistic, o$z),
    df = c(cm$conditional$df, cm$homogeneity$df, NA),
    p.value = c(cm$conditional$p_value, cm$homogeneity$p_value, o$p_value),
    stringsAsFactors = FALSE)
  # the CMH rows belong to no single layer
  keys <- as.data.frame(stats::setNames(rep(list(rep(NA_character_, nrow(rows))), ncol(x$layers)),
                                        names(x$layers)), stringsAsFactors = FALSE)
  rbind(out, cbind(keys, rows))
}

#' @rdname crosstab-layers
#' @export
as.data.frame.zh_crosstab_layers <- function(x, row.names = NULL, optional = FALSE, ...,
                                             what = c("cells", "col_props", "cmh")) {
  what <- zh_match_arg(what, "what")
  if (what == "cmh") {
    o <- x$cmh$odds_ratio
    if (is.null(o)) {
      zh_abort("`what = \"cmh\"` needs a layered crosstab of 2 x 2 tables made with `statistics = \"cmh\"`.",
               "input")
    }
    return(data.frame(o[c("estimate", "ln_estimate", "se", "z", "p_value", "lower", "upper",
                          "ln_lower", "ln_upper", "null_or")]))
  }
  zh_layers_long(x, function(t) as.data.frame.zh_crosstab(t, what = what))
}

# Grouped data frames (dplyr) are used as layers: their grouping columns.
zh_group_vars <- function(data) {
  if (!inherits(data, "grouped_df")) return(character())
  g <- attr(data, "groups")
  setdiff(names(g), ".rows")
}

zh_ungroup <- function(data) {
  attr(data, "groups") <- NULL
  class(data) <- setdiff(class(data), "grouped_df")
  data
}

# SPSS's Case Processing Summary (above every crosstab).
zh_case_processing_otable <- function(cp, title) {
  cols <- zh_headers(rep(c("N", "Percent"), 3), rep(c("Valid", "Missing", "Total"), each = 2))
  cells <- zh_cells(rep(1L, 6), 1:6, as.vector(rbind(cp$n, cp$percent)),
                    rep(c("count", "percent"), 3))
  zh_otable("Case Processing Summary", title, cols, cells, stub_head = "")
}
