# Writes inst/extdata/*.csv, the study's published numbers, from the paper's
# tables as transcribed in data-raw/paper/ (UTF-8, as typed from the paper).
# Non-ASCII characters (en dashes) become ASCII hyphens so that the package
# stays ASCII; nothing else changes.
# Run from the package root: Rscript data-raw/published.R [path/to/paper]
args <- commandArgs(trailingOnly = TRUE)
paper <- if (length(args)) args[[1]] else file.path("data-raw", "paper")
out <- file.path("inst", "extdata")
dir.create(out, showWarnings = FALSE, recursive = TRUE)

ascii <- function(lines) {
  lines <- gsub("\u2013|\u2014", "-", lines)
  stopifnot(!any(grepl("[^ -~]", lines)))
  lines
}
for (f in c("table1.csv", "table2.csv", "legal_status.csv", "table3.csv", "table3_stars.csv")) {
  lines <- readLines(file.path(paper, f), encoding = "UTF-8", warn = FALSE)
  writeLines(ascii(lines), file.path(out, f))
}

# The correlations quoted in the text with their p (paper README and text).
writeLines(c("item1,item2,r,n,p_reported",
             "belonging,events,.013,787,.707",
             "belonging,ngo,-.044,787,.214",
             "belonging,admin,.061,787,.089"),
           file.path(out, "intext_correlations.csv"))
