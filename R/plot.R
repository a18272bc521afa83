#' Plot a cross-tabulation as a stacked percentage bar chart
#'
#' Draws one horizontal bar per category of the row variable, split into the
#' percentages of the column variable's categories within it (the row
#' percentages of the table), in base R graphics. By default the bars
#' diverge from zero, Likert style: categories below the middle of an
#' ordered scale go to the left, those above to the right, and a middle
#' category (odd number of categories) is split across zero, so that bars
#' are compared by how far they reach to each side. With
#' `diverging = FALSE` the bars are plain 100% stacks. The default fill is a
#' grey ramp from dark (first category) to light (last), readable in print
#' and in grey scale; percentages are written in the segments wide enough
#' to hold them.
#'
#' @param x A `zh_crosstab` object from [crosstab()].
#' @param diverging Whether the bars diverge from zero (`TRUE`, the
#'   default) or are plain 100% stacks.
#' @param swap Whether to swap the roles of the variables: one bar per
#'   column category, split by the row variable (column percentages).
#' @param col Fill colours, one per category of the split variable, or a
#'   function of the number of categories that returns them (such as
#'   [grDevices::hcl.colors()]). `NULL` gives the grey ramp.
#' @param labels Whether to write percentages in the segments that fit them.
#' @param digits Decimals of those percentages.
#' @param decimal_mark `"."` or `","` for the percentages written in the
#'   bars; defaults to the option `zhetysu.decimal_mark`, else `"."`.
#' @param main,xlab,ylab Title and axis labels; `NULL` gives defaults built
#'   from the variable names, `""` none.
#' @param legend_title Title of the legend; `NULL` gives the name of the
#'   split variable, `""` none.
#' @param cex Character expansion for labels and legend.
#' @param ... Not used; must be empty.
#' @return Invisibly, the geometry of the bars: a data frame with one row
#'   per segment and the columns `bar` and `category` (factors in the
#'   table's order), `n` (the count), `percent` (within the bar), `left`
#'   and `right` (the segment's ends on the percentage axis) and `y` (the
#'   bar's position, the first bar at the top).
#' @seealso [crosstab()]
#' @export
#' @examples
#' ct <- crosstab(mtcars, cyl, gear)
#' plot(ct)
#' plot(ct, diverging = FALSE)
#' plot(ct, swap = TRUE, col = hcl.colors)
#'
#' # a five-point scale by status (counts made up for the example)
#' counts <- as.table(matrix(c(10, 20, 40, 60, 70,
#'                             15, 25, 50, 45, 25,
#'                             20, 30, 40, 20, 10), nrow = 3, byrow = TRUE,
#'   dimnames = list(status = c("Citizen", "Permanent residence", "Temporary residence"),
#'                   belonging = c("Not at all", "Rather not", "Partly", "Rather yes",
#'                                 "Fully"))))
#' geometry <- plot(crosstab(counts), main = "Sense of belonging by status")
#' head(geometry)
plot.zh_crosstab <- function(x, diverging = TRUE, swap = FALSE, col = NULL, labels = TRUE,
                             digits = 0L, main = NULL, xlab = NULL, ylab = NULL,
                             legend_title = NULL, cex = 1, decimal_mark = NULL, ...) {
  zh_check_dots(...)
  mark <- zh_decimal_mark(decimal_mark)
  for (arg in c("diverging", "swap", "labels")) {
    v <- get(arg)
    if (!is.logical(v) || length(v) != 1L || is.na(v)) {
      zh_abort(sprintf("`%s` must be `TRUE` or `FALSE`, not %s.", arg, zh_describe(v)), "input")
    }
  }
  if (!is.numeric(digits) || length(digits) != 1L || is.na(digits) || digits < 0 || digits > 5 ||
      digits != round(digits)) {
    zh_abort(sprintf("`digits` must be a whole number from 0 to 5, not %s.", zh_describe(digits)),
             "input")
  }
  if (!is.numeric(cex) || length(cex) != 1L || is.na(cex) || cex <= 0) {
    zh_abort(sprintf("`cex` must be a positive number, not %s.", zh_describe(cex)), "input")
  }
  for (arg in c("main", "xlab", "ylab", "legend_title")) {
    v <- get(arg)
    if (!is.null(v) && !(is.character(v) && length(v) == 1L && !is.na(v))) {
      zh_abort(sprintf("`%s` must be NULL or a string, not %s.", arg, zh_describe(v)), "input")
    }
  }
  geo <- zh_bar_geometry(x, diverging, swap)
  vn <- zh_var_names(x)
  if (swap) vn <- rev(vn)
  cats <- levels(geo$category)
  fill <- zh_bar_colours(col, length(cats))
  main <- if (is.null(main)) sprintf("%s by %s", vn[2], vn[1]) else main
  xlab <- if (is.null(xlab)) sprintf("Percent within each %s", vn[1]) else xlab
  ylab <- if (is.null(ylab)) vn[1] else ylab
  legend_title <- if (is.null(legend_title)) vn[2] else legend_title
  zh_draw_bars(geo, fill, diverging, labels, as.integer(digits), main, xlab, ylab,
               legend_title, cex, mark)
  invisible(geo)
}

# The segments of the bars; the statistics side of the plot, kept apart
# from the drawing so that it can be checked.
zh_bar_geometry <- function(x, diverging, swap) {
  if (!inherits(x, "zh_crosstab")) {
    zh_abort(sprintf("`x` must be a zh_crosstab object, not %s.", zh_describe(x)), "input")
  }
  counts <- if (swap) t(x$observed) else x$observed
  pct <- if (swap) t(x$col_percent) else x$row_percent
  pct[!is.finite(pct)] <- 0
  nb <- nrow(pct)
  k <- ncol(pct)
  right <- t(apply(pct, 1, cumsum))
  if (k == 1L) right <- t(right)
  left <- right - pct
  if (diverging && k > 1L) {
    # shift each bar so that zero falls in the middle of the scale: at the
    # centre of the middle category (odd k) or between the two halves
    mid <- (k + 1) / 2
    below <- seq_len(floor(k / 2))
    shift <- rowSums(pct[, below, drop = FALSE])
    if (k %% 2 == 1) shift <- shift + pct[, mid] / 2
    left <- left - shift
    right <- right - shift
  }
  dn <- dimnames(pct)
  geo <- data.frame(
    bar = factor(rep(dn[[1]], times = k), levels = dn[[1]]),
    category = factor(rep(dn[[2]], each = nb), levels = dn[[2]]),
    n = as.vector(counts),
    percent = as.vector(pct),
    left = as.vector(left),
    right = as.vector(right),
    y = rep(rev(seq_len(nb)), times = k)
  )
  geo <- geo[order(rep(seq_len(nb), times = k)), , drop = FALSE]
  rownames(geo) <- NULL
  geo
}

zh_bar_colours <- function(col, k) {
  if (is.null(col)) return(grDevices::gray.colors(k, start = 0.25, end = 0.92))
  if (is.function(col)) col <- col(k)
  ok <- is.character(col) || (is.numeric(col) && all(col >= 0, na.rm = TRUE))
  valid <- ok && !anyNA(col) && length(col) >= k &&
    !inherits(tryCatch(grDevices::col2rgb(col), error = identity), "error")
  if (!valid) {
    zh_abort(sprintf("`col` must be %d colours or a function that returns them, not %s.",
                     k, zh_describe(col)), "input")
  }
  col[seq_len(k)]
}

# Black or white text, whichever reads better on each fill.
zh_text_colour <- function(fill) {
  rgb <- grDevices::col2rgb(fill) / 255
  lum <- 0.2126 * rgb[1, ] + 0.7152 * rgb[2, ] + 0.0722 * rgb[3, ]
  ifelse(lum < 0.5, "white", "black")
}

# Columns of a legend that fit `width` inches, with the rows they take.
zh_legend_layout <- function(items, title, width, cex) {
  w_item <- graphics::strwidth(items, "inches", cex) + 4 * graphics::strwidth("M", "inches", cex)
  for (ncol in rev(seq_along(items))) {
    per_col <- split(w_item, (seq_along(items) - 1L) %% ncol)
    if (sum(vapply(per_col, max, 0)) <= width) break
  }
  list(ncol = ncol, rows = ceiling(length(items) / ncol) + nzchar(title))
}

# The texts drawn on the bar chart: the axis ticks and the segment labels,
# through the one formatter (R/output.R), so that they follow `decimal_mark`.
zh_bar_texts <- function(ticks, percent, digits, decimal_mark = ".") {
  list(ticks = paste0(zh_fmt(abs(ticks), "int", decimal_mark = decimal_mark), "%"),
       labels = paste0(zh_fmt(percent, "stat", digits, decimal_mark = decimal_mark), "%"))
}

zh_draw_bars <- function(geo, fill, diverging, labels, digits, main, xlab, ylab,
                         legend_title, cex, decimal_mark = ".") {
  bars <- levels(geo$bar)
  cats <- levels(geo$category)
  nb <- length(bars)
  csi <- graphics::par("csi")
  din <- grDevices::dev.size("in")
  lab_lines <- max(graphics::strwidth(bars, "inches", cex)) / csi + 1
  lay <- zh_legend_layout(cats, legend_title, din[1] - 0.4, cex)
  old <- graphics::par(mar = c(3.9 + (lay$rows + 0.4) * cex, lab_lines + nzchar(ylab) * 1.5,
                               if (nzchar(main)) 2.6 else 1, 1.2))
  on.exit(graphics::par(old), add = TRUE)
  if (diverging) {
    reach <- max(abs(c(geo$left, geo$right)))
    step <- if (reach <= 30) 10 else if (reach <= 80) 20 else 25
    lim <- step * ceiling(reach / step - 1e-9)
    xlim <- c(-lim, lim)
    ticks <- seq(-lim, lim, by = step)
  } else {
    xlim <- c(0, 100)
    ticks <- seq(0, 100, by = 20)
  }
  graphics::plot.new()
  graphics::plot.window(xlim = xlim, ylim = c(0.4, nb + 0.6), xaxs = "i", yaxs = "i")
  graphics::abline(v = ticks, col = "grey85", lwd = 0.8)
  h <- 0.35
  graphics::rect(geo$left, geo$y - h, geo$right, geo$y + h,
                 col = fill[as.integer(geo$category)], border = "white", lwd = 0.8)
  if (diverging) graphics::abline(v = 0, col = "grey20", lwd = 1.2)
  texts <- zh_bar_texts(ticks, geo$percent, digits, decimal_mark)
  graphics::axis(1, at = ticks, labels = texts$ticks, cex.axis = 0.9 * cex)
  graphics::axis(2, at = rev(seq_len(nb)), labels = bars, las = 1, tick = FALSE,
                 line = -0.6, cex.axis = cex)
  if (labels && nrow(geo)) {
    txt <- texts$labels
    tcex <- 0.8 * cex
    fits <- graphics::strwidth(txt, cex = tcex) + graphics::strwidth("0", cex = tcex) <=
      geo$right - geo$left & graphics::strheight(txt, cex = tcex) <= 1.6 * h & geo$percent > 0
    if (any(fits)) {
      graphics::text((geo$left + geo$right)[fits] / 2, geo$y[fits], txt[fits], cex = tcex,
                     col = zh_text_colour(fill[as.integer(geo$category)][fits]))
    }
  }
  graphics::title(main = main, cex.main = 1.1 * cex)
  graphics::mtext(xlab, side = 1, line = 2.3, cex = cex)
  graphics::mtext(ylab, side = 2, line = lab_lines + 0.2, cex = cex)
  # the legend goes under the axis title, centred on the device, in as
  # many columns as fit its width
  usr <- graphics::par("usr")
  y_leg <- usr[3] - (3.6 * csi) / graphics::par("pin")[2] * diff(usr[3:4])
  x_mid <- graphics::grconvertX(0.5, "ndc", "user")
  room <- diff(graphics::grconvertX(c(0.02, 0.98), "ndc", "user"))
  leg <- function(ncol, plot) {
    graphics::legend(x = x_mid, y = y_leg, legend = cats, fill = fill, ncol = ncol,
                     title = if (nzchar(legend_title)) legend_title, xjust = 0.5, yjust = 1,
                     bty = "n", xpd = NA, cex = cex, border = "grey40", plot = plot)
  }
  ncol <- lay$ncol
  while (ncol > 1L && leg(ncol, FALSE)$rect$w > room) ncol <- ncol - 1L
  leg(ncol, TRUE)
}
