# Word and Excel renderers of the output model (R/output.R): flextable
# tables, .docx files (officer) and .xlsx files (openxlsx). These packages
# are suggested, not imported: a missing one stops with a classed error.

zh_need <- function(pkg, what) {
  if (!requireNamespace(pkg, quietly = TRUE)) {
    zh_abort(sprintf("%s needs the %s package; install it with install.packages(\"%s\").",
                     what, pkg, pkg), "missing_package")
  }
}

# The strings of one output table as a data frame (stub columns, then the
# data columns), and the header rows above it.
zh_otable_strings <- function(tab, opts) {
  fmt <- zh_formatter(opts$style, opts$decimal_mark, opts$digits)
  nl <- zh_note_letters(tab, fmt)
  body <- zh_body_strings(tab, opts$style, opts$digits, opts$decimal_mark, nl$marker)
  list(stub = tab$stub, body = body$text, numeric = body$numeric,
       labels = zh_headers_marked(tab, nl$marker), title = zh_title_marked(tab, nl$marker),
       notes = nl$lines, plain = body$plain, markers = body$markers,
       header_plain = tab$columns$label, header_markers = zh_header_markers(tab, nl$marker))
}

zh_flextable_one <- function(tab, opts, caption = TRUE) {
  s <- zh_otable_strings(tab, opts)
  ns <- ncol(s$stub)
  nc <- ncol(s$body)
  df <- as.data.frame(cbind(s$stub, s$body), stringsAsFactors = FALSE)
  keys <- paste0("c", seq_len(ns + nc))
  names(df) <- keys
  ft <- flextable::flextable(df)
  ft <- flextable::set_header_labels(ft, values = stats::setNames(
    as.list(c(tab$stub_head, s$labels)), keys))
  for (g in list(tab$columns$group, tab$columns$group2)) {
    if (is.null(g) || all(is.na(g))) next
    runs <- zh_runs(g)
    vals <- character()
    widths <- integer()
    j <- 1L
    if (ns) {
      vals <- ""
      widths <- ns
    }
    while (j <= nc) {
      run <- Filter(function(r) r[1] == j, runs)
      if (length(run)) {
        vals <- c(vals, g[j])
        widths <- c(widths, length(run[[1]]))
        j <- run[[1]][length(run[[1]])] + 1L
      } else {
        vals <- c(vals, "")
        widths <- c(widths, 1L)
        j <- j + 1L
      }
    }
    ft <- flextable::add_header_row(ft, values = vals, colwidths = widths)
  }
  ft <- zh_flextable_sup(ft, s, ns)
  if (caption) ft <- flextable::set_caption(ft, s$title)
  if (length(s$notes)) ft <- flextable::add_footer_lines(ft, s$notes)
  ft <- flextable::align(ft, j = seq_len(ns), align = "left", part = "all")
  if (nc) ft <- flextable::align(ft, j = ns + seq_len(nc), align = "right", part = "body")
  ft <- flextable::align(ft, i = 1, align = "center", part = "header")
  flextable::autofit(flextable::theme_booktabs(ft))
}

# Footnote markers as superscripts, in the body and the column labels (the
# last header row), as the HTML renderer sets them.
zh_flextable_sup <- function(ft, s, ns) {
  para <- function(txt, m) flextable::as_paragraph(flextable::as_chunk(txt), flextable::as_sup(m))
  at <- which(matrix(nzchar(s$markers), nrow(s$markers)), arr.ind = TRUE)
  for (k in seq_len(nrow(at))) {
    i <- at[k, 1]
    j <- at[k, 2]
    ft <- flextable::compose(ft, i = i, j = ns + j, part = "body",
                             value = para(s$plain[i, j], s$markers[i, j]))
  }
  last <- flextable::nrow_part(ft, "header")
  for (j in which(nzchar(s$header_markers))) {
    ft <- flextable::compose(ft, i = last, j = ns + j, part = "header",
                             value = para(s$header_plain[j], s$header_markers[j]))
  }
  ft
}

zh_flextables <- function(x, ..., style = NULL, digits = NULL, decimal_mark = NULL,
                          caption = TRUE) {
  zh_need("flextable", "as_flextable()")
  opts <- zh_render_opts(style, digits, decimal_mark)
  out <- zh_tables(x, ..., style = opts$style, digits = opts$digits,
                   decimal_mark = opts$decimal_mark)
  lapply(out, zh_flextable_one, opts = opts, caption = caption)
}

#' Results as Word and Excel tables
#'
#' Every result of the package (a [crosstab()], its [summary()][crosstab-methods],
#' a [cor_matrix()], [freq_table()], [profile_table()], [association_table()],
#' [check_reported()]) is a list of output tables laid out as SPSS prints
#' them: title, spanning column headers, row labels, typed cells and lettered
#' footnotes. `as_flextable()` gives one of them as a
#' [flextable][flextable::flextable()] (for Word and PowerPoint through
#' officer); `export_docx()` writes several results into one `.docx` file,
#' one table each with its title and notes; `export_xlsx()` writes them into
#' one `.xlsx` file, one sheet per result (or all on one sheet), with numbers
#' stored as numbers (unrounded) and shown with the number format of the
#' printed table (`.751`, `<.001`, `27.8`). Excel shows the decimal mark of
#' its own locale.
#'
#' These need the suggested packages flextable and officer (Word) or
#' openxlsx (Excel); without them they stop with an error of class
#' `zhetysu_error_missing_package`.
#'
#' @param x A result of the package.
#' @param table Which of the result's tables (a crosstab has four or five).
#' @param ... For `as_flextable()`: output options ([zhetysu-output]). For
#'   the exports: the results, optionally named (names become sheet names).
#' @param path The file to write.
#' @param style,digits,decimal_mark Output options, see [zhetysu-output].
#' @param sheets `"result"` (a sheet per result) or `"one"` (all tables on
#'   one sheet).
#' @return `as_flextable()` a flextable; the exports `path`, invisibly.
#' @name export
#' @examples
#' ft <- freq_table(mtcars, gear)
#' if (requireNamespace("openxlsx", quietly = TRUE)) {
#'   f <- tempfile(fileext = ".xlsx")
#'   export_xlsx(gears = ft, path = f)
#'   unlink(f)
#' }
#' # export_docx() builds each table with as_flextable()
#' if (requireNamespace("officer", quietly = TRUE) &&
#'     requireNamespace("flextable", quietly = TRUE)) {
#'   f <- tempfile(fileext = ".docx")
#'   export_docx(ft, path = f)
#'   unlink(f)
#' }
NULL

#' @rdname export
#' @export
as_flextable <- function(x, ...) UseMethod("as_flextable")

#' @export
as_flextable.default <- function(x, ...) {
  zh_need("flextable", "as_flextable()")
  tryCatch(flextable::as_flextable(x, ...), error = function(e) {
    zh_abort(sprintf("`x` must be a result of the package or an object flextable can show, not %s (%s).",
                     zh_describe(x), conditionMessage(e)), "input")
  })
}

zh_as_flextable <- function(x, table = 1L, ...) {
  fts <- zh_flextables(x, ...)
  if (!is.numeric(table) || length(table) != 1L || is.na(table) || table < 1 ||
      table > length(fts)) {
    zh_abort(sprintf("`table` must be a whole number from 1 to %d, not %s.", length(fts),
                     zh_describe(table)), "input")
  }
  fts[[table]]
}

#' @rdname export
#' @export
as_flextable.zh_crosstab <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)
#' @export
as_flextable.summary.zh_crosstab <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)
#' @export
as_flextable.zh_cor_matrix <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)
#' @export
as_flextable.zh_freq <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)
#' @export
as_flextable.zh_profile <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)
#' @export
as_flextable.zh_association <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)
#' @export
as_flextable.zh_reported <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)
#' @export
as_flextable.zh_output <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)
#' @export
as_flextable.zh_describe <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)
#' @export
as_flextable.zh_means <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)
#' @export
as_flextable.zh_design_crosstab <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)
#' @export
as_flextable.zh_design_freq <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)
#' @export
as_flextable.zh_design_profile <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)
#' @export
as_flextable.zh_design_cor <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)
#' @export
as_flextable.zh_design_association <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)
#' @export
as_flextable.zh_crosstab_layers <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)
#' @export
as_flextable.summary.zh_crosstab_layers <- function(x, table = 1L, ...) zh_as_flextable(x, table, ...)

zh_export_results <- function(...) {
  res <- list(...)
  if (!length(res)) zh_abort("`...` must hold at least one result.", "input")
  for (i in seq_along(res)) zh_tables(res[[i]])  # fails early on a non-result
  res
}

#' @rdname export
#' @export
export_docx <- function(..., path = NULL, style = NULL, digits = NULL, decimal_mark = NULL) {
  zh_need("officer", "export_docx()")
  zh_need("flextable", "export_docx()")
  zh_check_path(path)
  res <- zh_export_results(...)
  doc <- officer::read_docx()
  for (r in res) {
    opts <- zh_render_opts(style, digits, decimal_mark)
    for (tab in zh_tables(r, style = opts$style, digits = opts$digits,
                          decimal_mark = opts$decimal_mark)) {
      # the title as a paragraph above the table (Word's caption numbering
      # is left to the user)
      title <- zh_otable_strings(tab, opts)$title
      doc <- officer::body_add_fpar(doc, officer::fpar(officer::ftext(
        title, officer::fp_text(bold = TRUE))))
      doc <- flextable::body_add_flextable(doc, zh_flextable_one(tab, opts, caption = FALSE))
      doc <- officer::body_add_par(doc, "")
    }
  }
  print(doc, target = path)
  invisible(path)
}

zh_check_path <- function(path) {
  if (!is.character(path) || length(path) != 1L || is.na(path) || !nzchar(path)) {
    zh_abort(sprintf("`path` must be a file name, not %s.", zh_describe(path)), "input")
  }
}

# Excel number formats that show a number as zh_fmt() does.
# `suffix`: footnote letters or stars printed after the number, kept as a
# literal of the format so the cell stays a number.
zh_xlsx_numfmt <- function(type, digits, style, suffix = "") {
  f <- zh_xlsx_numfmt_plain(type, digits, style)
  if (!nzchar(suffix)) return(f)
  paste(paste0(strsplit(f, ";", fixed = TRUE)[[1]], "\"", suffix, "\""), collapse = ";")
}

zh_xlsx_numfmt_plain <- function(type, digits, style) {
  dec <- if (digits > 0) paste0(".", strrep("0", digits)) else ""
  switch(type,
    percent = if (style == "spss") paste0("0", dec, "\"%\"") else paste0("0", dec),
    bounded = if (digits > 0) paste0(dec, ";-", dec) else "0",
    p = if (digits > 0) {
      sprintf("[<%s]\"%s.%s1\";%s", format(10^-digits, scientific = FALSE),
              if (style == "apa") "< " else "<", strrep("0", digits - 1L), dec)
    } else "0",
    paste0("0", dec))
}

#' @rdname export
#' @export
export_xlsx <- function(..., path = NULL, style = NULL, digits = NULL, sheets = c("result", "one")) {
  zh_need("openxlsx", "export_xlsx()")
  zh_check_path(path)
  sheets <- zh_match_arg(sheets, "sheets")
  res <- zh_export_results(...)
  opts <- zh_render_opts(style, digits, ".")
  nms <- names(res)
  if (is.null(nms)) nms <- rep("", length(res))
  wb <- openxlsx::createWorkbook()
  bold <- openxlsx::createStyle(textDecoration = "bold")
  styles <- list()
  sheet_of <- function(i) {
    nm <- if (nzchar(nms[i])) nms[i] else paste("Result", i)
    substr(gsub("[][*?/\\\\:]", " ", nm), 1L, 31L)
  }
  row <- 1L
  for (i in seq_along(res)) {
    if (sheets == "result" || i == 1L) {
      sheet <- if (sheets == "one") "Results" else sheet_of(i)
      openxlsx::addWorksheet(wb, sheet)
      row <- 1L
    }
    for (tab in zh_tables(res[[i]], style = opts$style, digits = opts$digits)) {
      s <- zh_otable_strings(tab, opts)
      ns <- ncol(s$stub)
      openxlsx::writeData(wb, sheet, s$title, startRow = row, startCol = 1L)
      openxlsx::addStyle(wb, sheet, bold, rows = row, cols = 1L)
      row <- row + 1L
      for (g in list(tab$columns$group2, tab$columns$group)) {
        if (is.null(g) || all(is.na(g))) next
        gg <- ifelse(is.na(g) | duplicated(g) & c(FALSE, g[-1] == g[-length(g)]), "", g)
        openxlsx::writeData(wb, sheet, t(gg), startRow = row, startCol = ns + 1L,
                            colNames = FALSE)
        row <- row + 1L
      }
      openxlsx::writeData(wb, sheet, t(c(tab$stub_head, s$labels)), startRow = row,
                          startCol = 1L, colNames = FALSE)
      openxlsx::addStyle(wb, sheet, bold, rows = row, cols = seq_len(ns + nrow(tab$columns)),
                         gridExpand = TRUE)
      row <- row + 1L
      body_row <- row
      openxlsx::writeData(wb, sheet, s$stub, startRow = row, startCol = 1L, colNames = FALSE)
      cells <- tab$cells
      d <- cells$digits
      if (!is.null(opts$digits)) {
        d[is.na(d) & cells$type %in% c("stat", "bounded", "p", "df")] <- opts$digits
      }
      cnt <- cells$type == "count" & is.na(d)
      for (j in unique(cells$col[cnt])) {
        k <- cnt & cells$col == j
        d[k] <- zh_count_digits(cells$value[k])
      }
      auto <- is.na(d)
      d[auto] <- zh_type_digits(cells$type[auto], cells$value[auto])
      for (k in seq_len(nrow(cells))) {
        r <- body_row + cells$row[k] - 1L
        cc <- ns + cells$col[k]
        shown <- s$body[cells$row[k], cells$col[k]]
        plain <- zh_fmt(cells$value[k], cells$type[k], d[k], opts$style)
        if (cells$type[k] == "text" || !startsWith(shown, plain)) {
          openxlsx::writeData(wb, sheet, shown, startRow = r, startCol = cc)
          next
        }
        # a number, with its footnote marks (if any) in the number format
        openxlsx::writeData(wb, sheet, cells$value[k], startRow = r, startCol = cc)
        f <- zh_xlsx_numfmt(cells$type[k], d[k], opts$style,
                            substring(shown, nchar(plain) + 1L))
        if (is.null(styles[[f]])) styles[[f]] <- openxlsx::createStyle(numFmt = f)
        openxlsx::addStyle(wb, sheet, styles[[f]], rows = r, cols = cc)
      }
      row <- body_row + nrow(tab$stub)
      if (length(s$notes)) {
        openxlsx::writeData(wb, sheet, s$notes, startRow = row, startCol = 1L)
        row <- row + length(s$notes)
      }
      row <- row + 1L
    }
  }
  openxlsx::saveWorkbook(wb, path, overwrite = TRUE)
  invisible(path)
}

# Methods for generics of suggested packages, registered when those load.
zh_register_s3 <- function(pkg, generic, fun) {
  register <- function(...) {
    env <- asNamespace(pkg)
    for (cls in zh_result_classes) registerS3method(generic, cls, fun, envir = env)
  }
  if (isNamespaceLoaded(pkg)) register()
  setHook(packageEvent(pkg, "onLoad"), register)
}

.onLoad <- function(libname, pkgname) {
  zh_register_s3("knitr", "knit_print", zh_knit_print)
  zh_register_s3("flextable", "as_flextable", function(x, ...) zh_as_flextable(x, ...))
  invisible()
}
