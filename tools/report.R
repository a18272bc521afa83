# Renders the replication report (the package vignette) to report/zhetysu.html
# and report/zhetysu.docx, checks the HTML (tools/check-report.R) and prints
# both paths. Run through `make report` (the package installed first).
#   Rscript tools/report.R [data.rds]   a data set other than `repatriates`
args <- commandArgs(trailingOnly = TRUE)
out_dir <- file.path(getwd(), "report")
dir.create(out_dir, showWarnings = FALSE)
src <- normalizePath("vignettes/zhetysu.Rmd")
params <- list(data = if (length(args)) normalizePath(args[[1]]) else "repatriates")
render <- function(format) {
  rmarkdown::render(src, output_format = format, output_dir = out_dir, quiet = TRUE,
                    intermediates_dir = tempdir(), knit_root_dir = tempdir(),
                    params = params, envir = new.env())
}
html <- render(rmarkdown::html_vignette(fig_caption = TRUE))
docx <- render(rmarkdown::word_document(fig_caption = TRUE))
source(file.path("tools", "check-report.R"))
problems <- check_report(html, docx)
cat("Report written to", normalizePath(html), "\n")
cat("Report written to", normalizePath(docx), "\n")
if (length(problems)) {
  cat("The report check failed:\n", paste0("  ", problems, "\n"), sep = "")
  quit(status = 1)
}
cat("The report check passed: no result dumps, nothing wider than the text column, no NA cell.\n")
