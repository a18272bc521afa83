# The k-way count (one pass over the rows) against the two-way count, in
# one R process: 1e7 rows, a 6 x 5 table by a 4-category layer, 1% NA in
# each variable. Target: the k-way count within 1.5 times the two-way one.
# Writes bench/counts.csv. Run from the package root with the package
# installed: Rscript bench/bench-counts.R
library(zhetysu)
set.seed(1)
n <- 1e7
mk <- function(k) {
  f <- factor(sample(sprintf("v%d", seq_len(k)), n, replace = TRUE), levels = sprintf("v%d", seq_len(k)))
  f[sample.int(n, n / 100)] <- NA
  f
}
d <- data.frame(x = mk(6), y = mk(5), z = mk(4))
# the same cases counted both ways: the layers add up to the two-way table
# of the cases with a layer value
k3 <- zh_counts(d, c(x, y, z))
stopifnot(all(apply(k3$counts, 1:2, sum) == table(d$x[!is.na(d$z)], d$y[!is.na(d$z)])))
reps <- as.integer(Sys.getenv("ZH_BENCH_REPS", "9"))
time_med <- function(expr) {
  expr <- substitute(expr)
  env <- parent.frame()
  stats::median(vapply(seq_len(reps), function(i) system.time(eval(expr, env))[["elapsed"]], 1))
}
t2 <- time_med(zh_counts(d, c(x, y)))
t3 <- time_med(zh_counts(d, c(x, y, z)))
out <- data.frame(task = "count 1e7 rows, 1% NA per variable",
                  method = c("two-way 6 x 5", "k-way 6 x 5 x 4 (layer)"),
                  threads = getOption("zhetysu.threads", 2L),
                  seconds = signif(c(t2, t3), 4), ratio_vs_two_way = round(c(1, t3 / t2), 3),
                  target_ratio = c(NA, 1.5))
print(out, row.names = FALSE)
out_file <- if (dir.exists("bench")) file.path("bench", "counts.csv") else "counts.csv"
utils::write.csv(out, out_file, row.names = FALSE)
