# association_table() on 50 factors of 5 levels against one outcome on 1e6
# rows, against a loop of chisq.test(table()) in the same R process.
# Target: at least 50 times faster. Appends the medians to
# bench/association.csv under a run label (first argument), with the load
# average of the machine at the start in the label.
# Run from the package root: Rscript bench/bench-association.R "after (...)"
library(zhetysu)
set.seed(42)
n <- 1e6
k <- 50
lev <- c("a", "b", "c", "d", "e")
d <- as.data.frame(stats::setNames(
  lapply(seq_len(k), function(i) factor(sample(lev, n, replace = TRUE), levels = lev)),
  sprintf("f%02d", seq_len(k))))
d$y <- factor(sample(lev, n, replace = TRUE), levels = lev)
fs <- sprintf("f%02d", seq_len(k))

base_loop <- function(d) {
  vapply(fs, function(f) suppressWarnings(stats::chisq.test(table(d[[f]], d$y)))$statistic, 1)
}
time_it <- function(expr, reps) {
  expr <- substitute(expr)
  env <- parent.frame()
  t <- vapply(seq_len(reps), function(i) {
    gc(FALSE)
    system.time(eval(expr, env))[["elapsed"]]
  }, 1)
  median(t)
}
run <- commandArgs(TRUE)[1]
if (is.na(run)) run <- "unlabelled"
load <- tryCatch(scan("/proc/loadavg", n = 1, quiet = TRUE), error = function(e) NA)
run <- sprintf("%s; load average %s at the start", run, format(load))

# the same numbers first
stopifnot(isTRUE(all.equal(unname(base_loop(d)),
                           association_table(d, y, tidyselect::all_of(fs))$statistic)))

rows <- list()
for (type in c("factor", "integer")) {
  # integer: the same data as codes 1-5 (numeric survey items)
  dd <- if (type == "factor") d else as.data.frame(lapply(d, as.integer))
  # interleaved (3 runs of one, 1 of the other, 5 rounds) so that a change
  # of the machine's load falls on both sides
  t <- replicate(5, c(zh = time_it(association_table(dd, y, tidyselect::all_of(fs)), 3),
                      base = time_it(base_loop(dd), 1)))
  t_zh <- median(t["zh", ])
  t_base <- median(t["base", ])
  rm(dd)
  rows[[type]] <- data.frame(
    benchmark = "association_table, 50 factors x 5 levels, 1e6 rows",
    columns = type, threads = getOption("zhetysu.threads", 2L),
    zhetysu_s = t_zh, chisq_table_loop_s = t_base, ratio = t_base / t_zh,
    target_ratio = 50, run = run, stringsAsFactors = FALSE)
}
out <- do.call(rbind, rows)
print(out, row.names = FALSE)
out_file <- if (dir.exists("bench")) file.path("bench", "association.csv") else "association.csv"
old <- if (file.exists(out_file)) utils::read.csv(out_file, stringsAsFactors = FALSE) else NULL
utils::write.csv(rbind(old, out), out_file, row.names = FALSE)
