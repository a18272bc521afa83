# The printed cells of one of a result's output tables, as the renderers
# show them (with marks and footnote letters), its row labels and notes.
printed_table <- function(x, ..., table = 1L, style = "spss", decimal_mark = ".") {
  tab <- zhetysu:::zh_tables(x, ..., style = style)[[table]]
  nl <- zhetysu:::zh_note_letters(tab, zhetysu:::zh_formatter(style, decimal_mark))
  list(body = zhetysu:::zh_body_strings(tab, style, NULL, decimal_mark, nl$marker)$text,
       stub = tab$stub, notes = nl$lines, tab = tab)
}
