# The printed cells of one of a result's output tables, as the renderers
# show them (with marks and footnote letters), its row labels and notes.
printed_table <- function(x, ..., table = 1L, style = "spss", decimal_mark = ".") {
  tab <- zhetysu:::zh_tables(x, ..., style = style)[[table]]
  nl <- zhetysu:::zh_note_letters(tab, zhetysu:::zh_formatter(style, decimal_mark))
  list(body = zhetysu:::zh_body_strings(tab, style, NULL, decimal_mark, nl$marker)$text,
       stub = tab$stub, notes = nl$lines, tab = tab)
}

# HTML snapshots: data-value attributes to 10 significant digits, so that a
# change in the last digits of an unrounded value (summation order) does not
# change the snapshot; the parse-back tests compare the numbers themselves.
snap_html_values <- function(lines) {
  m <- gregexpr('data-value="[^"]*"', lines)
  regmatches(lines, m) <- lapply(regmatches(lines, m), function(v) {
    num <- suppressWarnings(as.numeric(sub('^data-value="(.*)"$', "\\1", v)))
    ifelse(is.na(num), v, sprintf('data-value="%s"', signif(num, 10)))
  })
  lines
}

# The package's source tree: `make check` says where it is (the tests then
# run from the installed copy), testthat::test_dir() runs inside it.
zh_source_path <- function(...) {
  root <- Sys.getenv("ZHETYSU_SOURCE_DIR", file.path("..", ".."))
  file.path(root, ...)
}
