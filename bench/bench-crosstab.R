# Times crosstab() on 1e7 rows (6 x 5 factors, 1% NA in each) against
# chisq.test(table(x, y)) and collapse::qtab(x, y), in one R process, and
# writes the median seconds and their ratios to bench/crosstab.csv.
# Run from the package root with the package installed:
#   Rscript bench/bench-crosstab.R
# Targets: crosstab at least 30x faster than chisq.test(table()), and faster
# than qtab (which only counts). The machine may be shared: medians of a few
# runs; the one-thread row shows what a busy second core costs.
suppressPackageStartupMessages({
  library(zhetysu)
  library(bench)
  library(collapse)
})
set.seed(1)
n <- 1e7
x <- factor(sample(sprintf("r%d", 1:6), n, replace = TRUE), levels = sprintf("r%d", 1:6))
y <- factor(sample(sprintf("c%d", 1:5), n, replace = TRUE), levels = sprintf("c%d", 1:5))
x[sample.int(n, n / 100)] <- NA
y[sample.int(n, n / 100)] <- NA
d <- data.frame(x = x, y = y)

# the three must agree on the table before they are timed
ct <- crosstab(d, x, y)
base_tab <- table(x, y)
stopifnot(all(ct$observed == unclass(base_tab)),
          all(unclass(qtab(x, y)) == unclass(base_tab)),
          abs(ct$tests$statistic[1] - suppressWarnings(chisq.test(base_tab))$statistic) < 1e-6)

reps <- as.integer(Sys.getenv("ZH_BENCH_REPS", "5"))
one_thread <- function() {
  old <- options(zhetysu.threads = 1)
  on.exit(options(old))
  crosstab(d, x, y)
}
res <- bench::mark(
  zhetysu = crosstab(d, x, y),
  zhetysu_1_thread = one_thread(),
  chisq_table = chisq.test(table(x, y)),
  qtab = qtab(x, y),
  iterations = reps, check = FALSE, memory = FALSE, filter_gc = FALSE
)
secs <- vapply(res$time, function(t) stats::median(as.numeric(t)), numeric(1))
out <- data.frame(
  task = "crosstab 1e7 rows, 6 x 5 factors, 1% NA",
  method = c(sprintf("zhetysu::crosstab (%d threads)", getOption("zhetysu.threads", 2L)),
             "zhetysu::crosstab (1 thread)", "chisq.test(table(x, y))", "collapse::qtab(x, y)"),
  seconds = signif(secs, 4),
  ratio_vs_zhetysu = round(secs / secs[1], 2)
)
print(out, row.names = FALSE)
utils::write.csv(out, file.path("bench", "crosstab.csv"), row.names = FALSE)
