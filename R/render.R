# Renderers of the output model (R/output.R). The console renderer fits
# getOption("width"): a table too wide is split into panels of columns with
# the row labels repeated, labels wrap inside their column, numbers are
# never cut; widths are UTF-8 display widths.

zh_width <- function(s) nchar(s, type = "width")

# Greedy word wrap to `width` display columns; a word longer than the width
# stays whole on its own line (it cannot be broken).
zh_wrap <- function(s, width) {
  if (is.na(s) || !nzchar(s)) return("")
  out <- character()
  for (para in strsplit(s, "\n", fixed = TRUE)[[1]]) {
    words <- strsplit(para, " ", fixed = TRUE)[[1]]
    words <- words[nzchar(words)]
    line <- ""
    for (w in words) {
      if (!nzchar(line)) {
        line <- w
      } else if (zh_width(line) + 1L + zh_width(w) <= width) {
        line <- paste(line, w)
      } else {
        out <- c(out, line)
        line <- w
      }
    }
    out <- c(out, line)
  }
  out
}

zh_longest_word <- function(s) {
  w <- unlist(strsplit(s[!is.na(s)], "[ \n]"))
  if (!length(w)) 0L else max(0L, zh_width(w))
}

zh_pad <- function(s, width, align = "left") {
  gap <- pmax(0L, width - zh_width(s))
  switch(align,
    left = paste0(s, strrep(" ", gap)),
    right = paste0(strrep(" ", gap), s),
    center = paste0(strrep(" ", gap %/% 2), s, strrep(" ", gap - gap %/% 2)))
}

# Resolve the arguments every renderer understands.
zh_render_opts <- function(style = NULL, digits = NULL, decimal_mark = NULL) {
  list(style = zh_style(style), digits = zh_digits(digits),
       decimal_mark = zh_decimal_mark(decimal_mark))
}

# ---- console ---------------------------------------------------------------

zh_console_table <- function(tab, width = getOption("width", 80L), opts = zh_render_opts()) {
  width <- max(20L, as.integer(width))
  gap <- 2L
  fmt <- zh_formatter(opts$style, opts$decimal_mark, opts$digits)
  nl <- zh_note_letters(tab, fmt)
  body <- zh_body_strings(tab, opts$style, opts$digits, opts$decimal_mark, nl$marker)
  txt <- body$text
  tab$columns$label <- zh_headers_marked(tab, nl$marker)
  cols <- tab$columns
  nc <- nrow(cols)
  stub <- tab$stub
  ns <- ncol(stub)
  has_stub <- ns > 0L && (any(nzchar(stub)) || any(nzchar(tab$stub_head)))

  # data column widths: the widest cell and the label on one line; when the
  # table is too wide, labels wrap (first down to 10 columns, then the stub
  # labels wrap, then down to the longest word)
  cellw <- if (nrow(txt)) apply(matrix(zh_width(txt), nrow(txt)), 2, max) else rep(0L, nc)
  cellw <- rep_len(cellw, nc)
  w <- integer(nc)
  floor1 <- floor2 <- integer(nc)
  for (j in seq_len(nc)) {
    lab <- cols$label[j]
    w[j] <- max(1L, cellw[j], zh_width(lab))
    floor2[j] <- max(1L, cellw[j], zh_longest_word(lab))
    floor1[j] <- max(floor2[j], min(zh_width(lab), 10L))
  }
  # spanning headers wider than their columns widen the last column
  widen <- function(groups, w) {
    for (run in zh_runs(groups)) {
      span <- sum(w[run]) + gap * (length(run) - 1L)
      need <- zh_longest_word(groups[run[1]])
      if (need > span) w[run[length(run)]] <- w[run[length(run)]] + need - span
    }
    w
  }
  fix_groups <- function(w) {
    w <- widen(cols$group, w)
    if (!is.null(cols$group2)) w <- widen(cols$group2, w)
    w
  }
  sw <- integer(ns)
  swmin <- integer(ns)
  if (has_stub) {
    for (k in seq_len(ns)) {
      v <- c(stub[, k], tab$stub_head[k])
      sw[k] <- max(0L, zh_width(v))
      swmin[k] <- zh_longest_word(v)
    }
  }
  stub_w <- function(sw) if (has_stub) sum(sw) + gap * ns else 0L
  data_w <- function(w) sum(w) + gap * (nc - 1L)
  shrink <- function(w, lo, room) {
    while (data_w(w) > room) {
      k <- which.max(w - lo)
      if (w[k] <= lo[k]) break
      w[k] <- w[k] - 1L
    }
    w
  }
  w <- fix_groups(shrink(w, floor1, width - stub_w(sw)))
  # wrapping a header costs lines once, wrapping the stub on every row
  w2 <- fix_groups(shrink(w, floor2, width - stub_w(sw)))
  if (stub_w(sw) + data_w(w2) <= width) w <- w2
  if (has_stub && stub_w(sw) + data_w(w) > width) {
    # the stub wraps: as far as needed to keep one panel, else to 45%
    room <- width - data_w(w)
    target <- if (stub_w(swmin) <= room) room else max(floor(width * 0.45), room)
    target <- min(target, width - max(c(w, 0L)))
    while (stub_w(sw) > target) {
      k <- which.max(sw - swmin)
      if (sw[k] <= swmin[k]) break
      sw[k] <- sw[k] - 1L
    }
  }
  w <- fix_groups(shrink(w, floor2, width - stub_w(sw)))
  stub_total <- stub_w(sw)

  # panels of columns; a spanning group stays in one panel when it fits one
  avail <- width - stub_total
  units <- list()
  j <- 1L
  g <- if (!is.null(cols$group2)) paste(cols$group2, cols$group) else cols$group
  while (j <= nc) {
    k <- j
    while (k < nc && !is.na(cols$group[j]) && identical(g[k + 1L], g[j])) k <- k + 1L
    u <- j:k
    if (length(u) > 1L && sum(w[u]) + gap * (length(u) - 1L) > avail) {
      # a group wider than a panel is split: each column holds its label
      need <- zh_longest_word(c(cols$group[j], if (!is.null(cols$group2)) cols$group2[j]))
      w[u] <- pmax(w[u], need)
      units <- c(units, as.list(u))
    } else {
      units <- c(units, list(u))
    }
    j <- k + 1L
  }
  panels <- list()
  cur <- integer()
  used <- 0L
  for (u in units) {
    uw <- sum(w[u]) + gap * (length(u) - 1L)
    need <- uw + if (length(cur)) gap else 0L
    if (length(cur) && used + need > avail) {
      panels[[length(panels) + 1L]] <- cur
      cur <- integer()
      used <- 0L
      need <- uw
    }
    cur <- c(cur, u)
    used <- used + need
  }
  if (length(cur) || !length(panels)) panels[[length(panels) + 1L]] <- cur

  text_col <- vapply(seq_len(nc), function(j) {
    k <- tab$cells$col == j
    any(k) && all(tab$cells$type[k] == "text")
  }, TRUE)

  out <- zh_wrap(zh_title_marked(tab, nl$marker), width)
  for (p in seq_along(panels)) {
    J <- panels[[p]]
    if (p > 1L) out <- c(out, "")
    lines <- zh_console_panel(tab, txt, J, w, sw, gap, has_stub, text_col)
    out <- c(out, lines)
  }
  for (note in nl$lines) {
    m <- regmatches(note, regexpr("^([a-z]+|[*]+)\\. ", note))
    ind <- if (length(m) && zh_width(m) < width / 3) zh_width(m) else 0L
    wrapped <- zh_wrap(substring(note, if (ind) nchar(m) + 1L else 1L), width - ind)
    if (ind) wrapped <- paste0(c(m, rep(strrep(" ", ind), length(wrapped) - 1L)), wrapped)
    out <- c(out, wrapped)
  }
  sub("[ ]+$", "", out)
}

# Runs of consecutive equal, non-missing values: a list of index vectors.
zh_runs <- function(g, idx = seq_along(g)) {
  runs <- list()
  i <- 1L
  n <- length(idx)
  while (i <= n) {
    v <- g[idx[i]]
    k <- i
    while (k < n && !is.na(v) && identical(g[idx[k + 1L]], v)) k <- k + 1L
    if (!is.na(v) && nzchar(v)) runs[[length(runs) + 1L]] <- idx[i:k]
    i <- k + 1L
  }
  runs
}

zh_console_panel <- function(tab, txt, J, w, sw, gap, has_stub, text_col) {
  cols <- tab$columns
  sep <- strrep(" ", gap)
  stub_blank <- if (has_stub) paste0(paste(vapply(sw, function(x) strrep(" ", x), ""),
                                           collapse = sep), sep) else ""
  # one header level of spanning groups -> lines
  span_lines <- function(groups) {
    runs <- zh_runs(groups, J)
    if (!length(runs)) return(character())
    pieces <- list()
    pos <- 1L
    cells <- list()
    rule <- list()
    for (j in J) {
      run <- Filter(function(r) r[1] == j, runs)
      inside <- any(vapply(runs, function(r) j %in% r[-1], TRUE))
      if (inside) next
      if (length(run)) {
        r <- run[[1]]
        sp <- sum(w[r]) + gap * (length(r) - 1L)
        cells[[length(cells) + 1L]] <- list(width = sp, lines = zh_wrap(groups[j], sp), rule = TRUE)
      } else {
        cells[[length(cells) + 1L]] <- list(width = w[j], lines = "", rule = FALSE)
      }
    }
    h <- max(vapply(cells, function(c) length(c$lines), 1L))
    out <- character(h + 1L)
    for (i in seq_len(h)) {
      out[i] <- paste0(stub_blank, paste(vapply(cells, function(c) {
        l <- c(rep("", h - length(c$lines)), c$lines)[i]
        zh_pad(l, c$width, "center")
      }, ""), collapse = sep))
    }
    out[h + 1L] <- paste0(stub_blank, paste(vapply(cells, function(c) {
      if (c$rule) strrep("-", c$width) else strrep(" ", c$width)
    }, ""), collapse = sep))
    out
  }
  head <- character()
  if (!is.null(cols$group2)) head <- c(head, span_lines(cols$group2))
  head <- c(head, span_lines(cols$group))
  # leaf labels, bottom-aligned; the stub head on the same lines
  leaf <- lapply(J, function(j) zh_wrap(cols$label[j], w[j]))
  sh <- if (has_stub) lapply(seq_along(sw), function(k) zh_wrap(tab$stub_head[k], sw[k])) else list()
  h <- max(c(1L, lengths(leaf), lengths(sh)))
  for (i in seq_len(h)) {
    s <- if (has_stub) paste0(paste(vapply(seq_along(sw), function(k) {
      l <- c(rep("", h - length(sh[[k]])), sh[[k]])[i]
      zh_pad(l, sw[k], "left")
    }, ""), collapse = sep), sep) else ""
    d <- vapply(seq_along(J), function(q) {
      l <- c(rep("", h - length(leaf[[q]])), leaf[[q]])[i]
      zh_pad(l, w[J[q]], if (text_col[J[q]]) "left" else "right")
    }, "")
    head <- c(head, paste0(s, paste(d, collapse = sep)))
  }
  total_w <- (if (has_stub) sum(sw) + gap * length(sw) else 0L) + sum(w[J]) +
    gap * (length(J) - 1L)
  body <- character()
  for (i in seq_len(nrow(tab$stub))) {
    st <- if (has_stub) lapply(seq_along(sw), function(k) zh_wrap(tab$stub[i, k], sw[k])) else list()
    h <- max(c(1L, lengths(st)))
    for (l in seq_len(h)) {
      s <- if (has_stub) paste0(paste(vapply(seq_along(sw), function(k) {
        zh_pad(if (l <= length(st[[k]])) st[[k]][l] else "", sw[k], "left")
      }, ""), collapse = sep), sep) else ""
      d <- vapply(J, function(j) {
        zh_pad(if (l == 1L) txt[i, j] else "", w[j], if (text_col[j]) "left" else "right")
      }, "")
      body <- c(body, paste0(s, paste(d, collapse = sep)))
    }
  }
  c(head, strrep("-", total_w), body)
}

#' @export
format.zh_output <- function(x, width = getOption("width", 80L), style = NULL, digits = NULL,
                             decimal_mark = NULL, ...) {
  opts <- zh_render_opts(style, digits, decimal_mark)
  out <- character()
  for (i in seq_along(x)) {
    if (i > 1L) out <- c(out, "")
    out <- c(out, zh_console_table(x[[i]], width, opts))
  }
  out
}

#' @export
format.zh_otable <- function(x, ...) format(zh_output(x), ...)

#' @export
print.zh_output <- function(x, ...) {
  cat(format(x, ...), sep = "\n")
  invisible(x)
}

#' @export
print.zh_otable <- function(x, ...) {
  cat(format(x, ...), sep = "\n")
  invisible(x)
}

# The one print path of every result: its output tables, rendered.
# Renderer arguments go to format(); the rest to the zh_tables() method.
zh_format_result <- function(x, ..., width = getOption("width", 80L), style = NULL,
                             digits = NULL, decimal_mark = NULL) {
  opts <- zh_render_opts(style, digits, decimal_mark)
  format(zh_tables(x, ..., style = opts$style, digits = opts$digits,
                   decimal_mark = opts$decimal_mark),
         width = width, style = opts$style, digits = opts$digits,
         decimal_mark = opts$decimal_mark)
}

zh_print_result <- function(x, ...) {
  cat(zh_format_result(x, ...), sep = "\n")
  invisible(x)
}

# ---- HTML ------------------------------------------------------------------

zh_html_escape <- function(s) {
  s <- gsub("&", "&amp;", s, fixed = TRUE)
  s <- gsub("<", "&lt;", s, fixed = TRUE)
  s <- gsub(">", "&gt;", s, fixed = TRUE)
  gsub("\"", "&quot;", s, fixed = TRUE)
}

# One output table as an HTML <table>: the title as caption, spanning
# headers with colspan, the stub as row headers, the notes in <tfoot>.
# Number cells carry their unrounded value in data-value.
zh_html_table <- function(tab, opts = zh_render_opts()) {
  fmt <- zh_formatter(opts$style, opts$decimal_mark, opts$digits)
  nl <- zh_note_letters(tab, fmt)
  body <- zh_body_strings(tab, opts$style, opts$digits, opts$decimal_mark, nl$marker)
  cols <- tab$columns
  e <- zh_html_escape
  # footnote markers as superscripts, in the title, the headers and the cells
  sup <- function(m) ifelse(nzchar(m), paste0("<sup>", e(m), "</sup>"), "")
  labels <- paste0(e(cols$label), sup(zh_header_markers(tab, nl$marker)))
  nc <- nrow(cols)
  ns <- ncol(tab$stub)
  span_row <- function(groups) {
    runs <- zh_runs(groups)
    if (!length(runs)) return(character())
    out <- sprintf("<th colspan=\"%d\"></th>", ns)
    j <- 1L
    while (j <= nc) {
      run <- Filter(function(r) r[1] == j, runs)
      if (length(run)) {
        r <- run[[1]]
        out <- c(out, sprintf("<th colspan=\"%d\" class=\"zh-span\">%s</th>", length(r),
                              e(groups[j])))
        j <- r[length(r)] + 1L
      } else {
        out <- c(out, "<th></th>")
        j <- j + 1L
      }
    }
    paste0("<tr>", paste(out, collapse = ""), "</tr>")
  }
  head <- c(if (!is.null(cols$group2)) span_row(cols$group2), span_row(cols$group),
            paste0("<tr>", paste(sprintf("<th class=\"zh-stubhead\">%s</th>", e(tab$stub_head)),
                                 collapse = ""),
                   paste(sprintf("<th>%s</th>", labels), collapse = ""), "</tr>"))
  value <- matrix(NA_real_, nrow(tab$stub), nc)
  cells <- tab$cells
  num <- cells$type != "text"
  value[cbind(cells$row[num], cells$col[num])] <- cells$value[num]
  # a mark that starts with a space is a subscript (column-proportion letters)
  mk <- matrix("", nrow(tab$stub), nc)
  mk[cbind(cells$row, cells$col)] <- cells$mark
  # then the footnote markers as superscripts
  cell_html <- function(i, j) {
    txt <- body$plain[i, j]
    m <- mk[i, j]
    sp <- sup(body$markers[i, j])
    if (!startsWith(m, " ") || !endsWith(txt, m)) return(paste0(e(txt), sp))
    paste0(e(substr(txt, 1L, nchar(txt) - nchar(m))), "<sub>", e(substring(m, 2L)), "</sub>", sp)
  }
  rows <- vapply(seq_len(nrow(tab$stub)), function(i) {
    st <- paste(sprintf("<th scope=\"row\">%s</th>", e(tab$stub[i, ])), collapse = "")
    td <- vapply(seq_len(nc), function(j) {
      if (is.na(value[i, j])) return(sprintf("<td>%s</td>", cell_html(i, j)))
      sprintf("<td data-value=\"%s\">%s</td>", format(value[i, j], digits = 15),
              cell_html(i, j))
    }, "")
    paste0("<tr>", st, paste(td, collapse = ""), "</tr>")
  }, "")
  foot <- if (length(nl$lines)) {
    paste0("<tfoot>", paste(sprintf("<tr><td colspan=\"%d\">%s</td></tr>", ns + nc,
                                    e(nl$lines)), collapse = ""), "</tfoot>")
  } else ""
  paste0("<table class=\"zh-table\">\n<caption>", e(tab$title),
         sup(zh_title_markers(tab, nl$marker)),
         "</caption>\n<thead>\n", paste(head, collapse = "\n"), "\n</thead>\n<tbody>\n",
         paste(rows, collapse = "\n"), "\n</tbody>\n", foot, "\n</table>\n")
}

zh_html_css <- paste0(
  "<style>table.zh-table{border-collapse:collapse;margin:1em 0;font-size:0.9em;",
  "font-variant-numeric:tabular-nums}",
  # the page's own table rules (row borders, line heights) do not apply
  "table.zh-table th,table.zh-table td{border:none;line-height:1.3}",
  "table.zh-table caption{caption-side:top;text-align:left;font-weight:bold;padding:0.3em 0}",
  "table.zh-table th,table.zh-table td{padding:0.15em 0.5em;vertical-align:top}",
  "table.zh-table thead th{text-align:center;border-bottom:1px solid #999}",
  "table.zh-table tbody th{text-align:left;font-weight:normal}",
  "table.zh-table td{text-align:right;white-space:nowrap}",
  "table.zh-table tbody{border-bottom:1px solid #999}",
  "table.zh-table tfoot td{text-align:left;font-size:0.85em;white-space:normal}</style>\n")

# The HTML of a result: every output table.
zh_html <- function(x, ..., style = NULL, digits = NULL, decimal_mark = NULL, css = TRUE) {
  opts <- zh_render_opts(style, digits, decimal_mark)
  out <- zh_tables(x, ..., style = opts$style, digits = opts$digits,
                   decimal_mark = opts$decimal_mark)
  paste0(if (css) zh_html_css, paste(vapply(out, zh_html_table, "", opts = opts),
                                      collapse = "\n"))
}

# knit_print(): HTML tables in HTML documents; a Word table (flextable) in
# other documents when flextable is there, else the console text.
zh_knit_print <- function(x, options = NULL, ...) {
  if (knitr::is_html_output()) {
    # a raw block, so that pandoc passes the table through as it is instead
    # of reading its cells as Markdown ("1. Belonging" would become a list)
    return(knitr::asis_output(paste0("\n\n```{=html}\n", zh_html(x, ...), "\n```\n\n")))
  }
  if (requireNamespace("flextable", quietly = TRUE)) {
    fts <- zh_flextables(x, ...)
    return(knitr::asis_output(paste(vapply(fts, function(ft) {
      knitr::knit_print(ft)
    }, ""), collapse = "\n\n")))
  }
  knitr::asis_output(paste0("\n```\n", paste(format(x, ...), collapse = "\n"), "\n```\n"))
}

zh_result_classes <- c("zh_crosstab", "summary.zh_crosstab", "zh_cor_matrix", "zh_freq",
                       "zh_profile", "zh_association", "zh_reported", "zh_describe", "zh_means",
                       "zh_design_crosstab", "zh_design_freq", "zh_design_profile",
                       "zh_design_cor", "zh_design_association", "zh_output", "zh_otable",
                       "zh_crosstab_layers", "summary.zh_crosstab_layers")

#' How results are printed: console, HTML, Word and Excel
#'
#' Every result of the package is, for printing, a list of output tables
#' laid out as SPSS prints them (title, spanning column headers, row labels,
#' typed cells, lettered footnotes), with the numbers stored unrounded. One
#' formatter turns numbers into text for every medium: SPSS's rounding (half
#' away from zero), no leading zero for p and for values bounded by 1
#' (`.751`), p below `10^-digits` as `<.001`, never `.000`.
#'
#' * `print()` writes the tables to the console, fitted to
#'   `getOption("width")`: a table too wide is split into panels of columns
#'   with the row labels repeated, labels wrap inside their column, numbers
#'   are never cut. `format()` returns the same lines as a character vector,
#'   for every result type.
#' * In R Markdown and Quarto, a result in a chunk renders as HTML tables
#'   (`knit_print()`; in Word documents as flextable tables).
#' * [as_flextable()], [export_docx()] and [export_xlsx()] give Word and
#'   Excel tables.
#'
#' Options understood by all of them:
#' * `style`: `"spss"` (the default; SPSS's own look: `Asymp. Sig. (2-sided)`
#'   headers, `%` after percentages in cross-tabulations, `<.001`) or
#'   `"apa"` (APA 7: short headers, `< .001`, notes under the table). The
#'   default comes from `getOption("zhetysu.style", "spss")`. For
#'   [cor_matrix()], `style = "output"` (the default) is the SPSS
#'   Correlations table and `"spss"` / `"apa"` the publication tables.
#' * `digits`: decimals of statistics and p-values (`NULL`: 3; counts,
#'   percentages and df have their own rules).
#' * `decimal_mark`: `"."` or `","`, default `getOption("zhetysu.decimal_mark", ".")`.
#' * `labels`: variable labels (haven's `label` attribute, as `read_sav()`
#'   sets it) as titles and headers (`TRUE`, default
#'   `getOption("zhetysu.labels", TRUE)`) or the variable names.
#' * `width`: console width for `print()` and `format()`.
#'
#' @name zhetysu-output
#' @examples
#' ct <- crosstab(mtcars, am, vs)
#' print(ct, width = 60)
#' print(summary(ct), style = "apa", decimal_mark = ",")
#' length(format(ct))
NULL
