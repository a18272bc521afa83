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
  cols <- tab$columns
  nc <- nrow(cols)
  stub <- tab$stub
  ns <- ncol(stub)
  has_stub <- ns > 0L && (any(nzchar(stub)) || any(nzchar(tab$stub_head)))

  # data column widths: the widest cell; labels wrap, up to 10 columns wide
  # before they make a column wider than its numbers
  cellw <- if (nrow(txt)) apply(matrix(zh_width(txt), nrow(txt)), 2, max) else rep(0L, nc)
  cellw <- rep_len(cellw, nc)
  w <- integer(nc)
  for (j in seq_len(nc)) {
    lab <- cols$label[j]
    w[j] <- max(1L, cellw[j], zh_longest_word(lab), min(zh_width(lab), max(cellw[j], 10L)))
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
  w <- widen(cols$group, w)
  if (!is.null(cols$group2)) w <- widen(cols$group2, w)

  # stub widths: natural if everything fits, else shrunk (wrapping the
  # labels) towards 45% of the width, never below a label's longest word
  sw <- integer(ns)
  swmin <- integer(ns)
  if (has_stub) {
    for (k in seq_len(ns)) {
      v <- c(stub[, k], tab$stub_head[k])
      sw[k] <- max(0L, zh_width(v))
      swmin[k] <- zh_longest_word(v)
    }
    total <- function(sw) sum(sw) + gap * (ns - 1L)
    data_w <- sum(w) + gap * (nc - 1L)
    target <- if (total(sw) + gap + data_w <= width) total(sw) else
      max(floor(width * 0.45), width - gap - data_w)
    target <- min(target, width - gap - max(c(w, 0L)))
    while (total(sw) > target) {
      k <- which.max(sw - swmin)
      if (sw[k] <= swmin[k]) break
      sw[k] <- sw[k] - 1L
    }
  }
  stub_total <- if (has_stub) sum(sw) + gap * (ns - 1L) + gap else 0L

  # panels of columns
  avail <- width - stub_total
  panels <- list()
  cur <- integer()
  used <- 0L
  for (j in seq_len(nc)) {
    need <- w[j] + if (length(cur)) gap else 0L
    if (length(cur) && used + need > avail) {
      panels[[length(panels) + 1L]] <- cur
      cur <- integer()
      used <- 0L
      need <- w[j]
    }
    cur <- c(cur, j)
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
    m <- regmatches(note, regexpr("^[^ ]+ ", note))
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
