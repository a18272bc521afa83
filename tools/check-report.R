# check_report(html, docx): the problems of a rendered report, as sentences
# (none = character(0)).
# HTML, measured in headless Chromium at a desktop window width: a <pre>
# block that holds result output (anything but R source code, or lines that
# start with a console prompt such as "#>" or "##"), a <pre> that scrolls,
# a table, figure or other element wider than the text column, a table cell
# that reads "NA". Word: a table cell that reads "NA".
chromium_args <- c("--headless", "--no-sandbox", "--disable-gpu",
                   "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", "--no-first-run", "--window-size=1200,900",
                   "--virtual-time-budget=10000", "--dump-dom")

measure_js <- "
<script>
window.addEventListener('load', function () {
  var out = [];
  var main = document.body;
  var cs = getComputedStyle(main);
  var right = main.getBoundingClientRect().left + main.clientWidth - parseFloat(cs.paddingRight);
  var name = function (el) {
    var cap = el.querySelector && el.querySelector('caption');
    var t = (cap ? cap.textContent : el.textContent).replace(/\\s+/g, ' ').trim();
    return el.tagName.toLowerCase() + ' \"' + t.substring(0, 60) + '\"';
  };
  document.querySelectorAll('pre').forEach(function (p) {
    var code = p.querySelector('code');
    var cls = (p.className + ' ' + (code ? code.className : '')).split(/\\s+/);
    var source = cls.indexOf('r') >= 0 || cls.indexOf('sourceCode') >= 0;
    if (!source) out.push('result output in a <pre> block: ' + name(p));
    else if (/^(#>|##)/m.test(p.textContent)) out.push('console output in a code block: ' + name(p));
    if (p.scrollWidth > p.clientWidth + 1) out.push('a code block wider than the text column: ' + name(p));
  });
  document.querySelectorAll('table, img, svg, div, p').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > right + 1) {
      out.push(el.tagName.toLowerCase() + ' wider than the text column by ' +
               Math.round(r.right - right) + 'px: ' + name(el));
    }
  });
  document.querySelectorAll('td, th').forEach(function (c) {
    if (c.textContent.trim() === 'NA') out.push('an NA cell in ' + name(c.closest('table')));
  });
  var d = document.createElement('div');
  d.id = 'zh-report-check';
  d.setAttribute('data-result', JSON.stringify(out));
  document.body.appendChild(d);
});
</script>"

check_report_html <- function(html, chromium = Sys.getenv("CHROMIUM", "/usr/bin/chromium")) {
  page <- readLines(html, warn = FALSE, encoding = "UTF-8")
  probe <- tempfile(fileext = ".html")
  end <- max(grep("</body>", page, fixed = TRUE))
  page[end] <- sub("</body>", paste0(measure_js, "</body>"), page[end], fixed = TRUE)
  writeLines(page, probe, useBytes = TRUE)
  # a hung browser must not hang the build: give up after two minutes
  dom <- suppressWarnings(system2(chromium, c(chromium_args, paste0("file://", probe)),
                                  stdout = TRUE, stderr = FALSE, timeout = 120))
  hit <- regmatches(dom, regexpr("data-result=\"[^\"]*\"", dom))
  if (!length(hit)) return("the HTML could not be measured in headless Chromium")
  json <- gsub("&quot;", "\"", sub("^data-result=\"(.*)\"$", "\\1", hit[[1]]), fixed = TRUE)
  ent <- c(lt = "<", gt = ">", amp = "&")
  for (e in names(ent)) json <- gsub(sprintf("&%s;", e), ent[[e]], json, fixed = TRUE)
  items <- regmatches(json, gregexpr("\"(\\\\.|[^\"\\\\])*\"", json))[[1]]
  items <- gsub("\\\\(.)", "\\1", substring(items, 2, nchar(items) - 1))
  unique(items)
}

check_report_docx <- function(docx) {
  dir <- tempfile()
  utils::unzip(docx, files = "word/document.xml", exdir = dir)
  doc <- xml2::read_xml(file.path(dir, "word", "document.xml"))
  cells <- xml2::xml_find_all(doc, "//w:tc")
  text <- trimws(vapply(cells, function(c) paste(xml2::xml_text(xml2::xml_find_all(c, ".//w:t")),
                                                 collapse = ""), ""))
  if (any(text == "NA")) sprintf("%d NA cells in the Word document", sum(text == "NA")) else
    character()
}

check_report <- function(html, docx = NULL) {
  c(check_report_html(html), if (!is.null(docx)) check_report_docx(docx))
}
