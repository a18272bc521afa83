# Layered cross-tabulations (SPSS CROSSTABS row BY col BY layer): one
# crosstab per layer, each from that layer's table alone, plus the Total
# layer (the table summed over the layers, with the count rule applied to
# its own cell sums, so that it equals the crosstab without layers of the
# same cases).

zh_crosstab_layers <- function(cn, fisher, B) {
  lv <- cn$vars[-(1:2)]
  keys <- do.call(expand.grid, c(lapply(lv, `[[`, "levels"),
                                 list(KEEP.OUT.ATTRS = FALSE, stringsAsFactors = FALSE)))
  names(keys) <- vapply(lv, `[[`, "", "name")
  parts <- lapply(seq_len(nrow(keys)), function(l) zh_counts_layer(cn, l))
  # layers without a case are left out, as SPSS does
  has <- vapply(parts, function(x) sum(x$counts) > 0, TRUE)
  tables <- lapply(parts[has], zh_crosstab_counts, fisher = fisher, B = B)
  total <- zh_crosstab_counts(zh_counts_margin(cn, 1:2), fisher = fisher, B = B)
  valid <- sum(vapply(tables, `[[`, 1, "n"))
  lay <- keys[has, , drop = FALSE]
  rownames(lay) <- NULL
  empty <- keys[!has, , drop = FALSE]
  rownames(empty) <- NULL
  structure(list(
    layers = lay,
    tables = tables,
    total = total,
    vars = vapply(cn$vars, `[[`, "", "name"),
    weighted = cn$weighted,
    count = cn$count,
    missing = total$missing,
    case_processing = zh_case_processing(valid, cn$left_out[["weight"]]),
    empty_layers = empty
  ), class = "zh_crosstab_layers")
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
#' layer's rows).
#'
#' @param x A `zh_crosstab_layers` object.
#' @param ... Passed on to [format.zh_crosstab()].
#' @param row.names,optional Ignored (for compatibility with the generic).
#' @return `format()` a character vector of lines, `print()` its input
#'   invisibly, `tidy()` and `as.data.frame()` data frames.
#' @name crosstab-layers
#' @examples
#' ct <- crosstab(mtcars, cyl, gear, layer = am)
#' ct
#' tidy(ct)[1:4, ]
#' head(as.data.frame(ct))
NULL

#' @rdname crosstab-layers
#' @export
format.zh_crosstab_layers <- function(x, ...) zh_format_result(x, ...)

#' @rdname crosstab-layers
#' @export
print.zh_crosstab_layers <- function(x, ...) zh_print_result(x, ...)

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
  if (nrow(x$empty_layers)) {
    e <- x$empty_layers
    out[[1]]$notes <- c(out[[1]]$notes, list(empty_layers = zh_note(
      "empty_layers", where = "table",
      layers = do.call(paste, c(Map(function(n, v) paste(n, "=", v), names(e), e),
                                list(sep = ", "))))))
  }
  zh_output(out)
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
tidy.zh_crosstab_layers <- function(x, ...) zh_layers_long(x, tidy.zh_crosstab)

#' @rdname crosstab-layers
#' @export
as.data.frame.zh_crosstab_layers <- function(x, row.names = NULL, optional = FALSE, ...) {
  zh_layers_long(x, function(t) as.data.frame.zh_crosstab(t))
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
