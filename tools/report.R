# Renders the replication report (the package vignette) to report/zhetysu.html.
out_dir <- file.path(getwd(), "report")
dir.create(out_dir, showWarnings = FALSE)
src <- "vignettes/zhetysu.Rmd"
if (file.exists(src)) {
  out <- rmarkdown::render(src, output_dir = out_dir, quiet = TRUE,
                           intermediates_dir = tempdir(),
                           knit_root_dir = tempdir(), envir = new.env())
} else {
  library(zhetysu)
  out <- file.path(out_dir, "demo.txt")
  sink(out)
  print(crosstab(mtcars, cyl, gear))
  sink()
}
cat("Report written to", normalizePath(out), "\n")
