# Prints testthat's result line from an R CMD check test log as
# "testthat: N passed, N failed" so that CI logs state what ran.
args <- commandArgs(trailingOnly = TRUE)
f <- args[[1]]
if (!file.exists(f)) f <- paste0(f, ".fail")
if (!file.exists(f)) {
  cat("testthat: no test log found\n")
  quit(status = 0)
}
log <- readLines(f, warn = FALSE)
line <- grep("\\[ FAIL [0-9]+ \\| WARN [0-9]+ \\| SKIP [0-9]+ \\| PASS [0-9]+ \\]", log, value = TRUE)
if (!length(line)) {
  cat("testthat: no summary line in", f, "\n")
  quit(status = 0)
}
line <- line[length(line)]
num <- function(what) as.integer(sub(paste0(".*", what, " ([0-9]+).*"), "\\1", line))
cat(sprintf("testthat: %d passed, %d failed, %d skipped\n", num("PASS"), num("FAIL"), num("SKIP")))
