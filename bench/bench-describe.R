# Times describe() against base R in one R process and appends the ratios to
# bench/describe.csv (one set of rows per run: commit, date, load average;
# the machine may be shared, the ratios are measured in one process).
# Run from the package root with the package installed:
#   Rscript bench/bench-describe.R
# Target: 20 numeric columns x 1e6 rows, N, mean, SD, quartiles, minimum and
# maximum, >= 10x faster than sapply() over mean(), sd() and quantile() (the
# same statistics; describe() computes the other moments too).
# psych::describe() is timed too when psych is installed (make deps with
# group "bench"), against describe() asked for the statistics psych shows.
library(zhetysu)
stopifnot(requireNamespace("bench", quietly = TRUE))
set.seed(20261201)

time_it <- function(expr, iterations) {
  e <- substitute(expr)
  env <- parent.frame()
  b <- bench::mark(eval(e, env), iterations = iterations, check = FALSE, filter_gc = FALSE,
                   memory = FALSE)
  as.numeric(b$median)
}
commit <- tryCatch(system2("git", c("rev-parse", "--short", "HEAD"), stdout = TRUE),
                   error = function(e) NA_character_, warning = function(w) NA_character_)
load <- tryCatch(strsplit(readLines("/proc/loadavg"), " ")[[1]][1], error = function(e) NA)
row <- function(task, ours, theirs, peer, target) {
  data.frame(commit = commit[1], date = format(Sys.time(), "%Y-%m-%d %H:%M", tz = "UTC"),
             load = as.numeric(load), task = task, zhetysu_s = signif(ours, 4), peer = peer, peer_s = signif(theirs, 4),
             ratio = signif(theirs / ours, 4), target = target,
             met = if (is.na(target)) NA else theirs / ours >= as.numeric(sub(".*>= ", "", target)),
             threads = getOption("zhetysu.threads", 2L), stringsAsFactors = FALSE)
}
out <- list()

n <- 1e6
d <- as.data.frame(lapply(1:20, function(j) {
  x <- if (j %% 2) rnorm(n, 50, 10) else rgamma(n, 2) * 7
  x[sample(n, n / 100)] <- NA
  x
}))
names(d) <- paste0("v", 1:20)
stats <- c("n", "mean", "sd", "minimum", "maximum", "quartiles")
base_loop <- function(d) {
  sapply(d, function(x) {
    c(n = sum(!is.na(x)), mean = mean(x, na.rm = TRUE), sd = sd(x, na.rm = TRUE),
      quantile(x, c(0, 0.25, 0.5, 0.75, 1), na.rm = TRUE, type = 6))
  })
}
# the same numbers first
ours_tab <- as.data.frame(describe(d, everything(), statistics = stats))
ref <- base_loop(d)
stopifnot(isTRUE(all.equal(ours_tab$mean, unname(ref["mean", ]))),
          isTRUE(all.equal(ours_tab$sd, unname(ref["sd", ]))),
          isTRUE(all.equal(ours_tab$p25, unname(ref["25%", ]))),
          isTRUE(all.equal(ours_tab$p50, unname(ref["50%", ]))),
          isTRUE(all.equal(ours_tab$p75, unname(ref["75%", ]))),
          isTRUE(all.equal(ours_tab$minimum, unname(ref["0%", ]))),
          isTRUE(all.equal(ours_tab$maximum, unname(ref["100%", ]))),
          isTRUE(all.equal(ours_tab$n, unname(ref["n", ]))))
ours <- time_it(describe(d, everything(), statistics = stats), 5)
theirs <- time_it(base_loop(d), 2)
out[[1]] <- row("describe 20 x 1e6 (1% NA): n, mean, sd, quartiles, min, max", ours, theirs,
                "sapply(d, mean/sd/quantile)", "speedup >= 10")
w <- runif(n, 0.2, 3)
d$w <- w
ours_w <- time_it(describe(d, v1:v20, weights = w, statistics = stats), 2)
out[[2]] <- row("describe 20 x 1e6 weighted (sorts for the percentiles)", ours_w, theirs,
                "sapply(d, mean/sd/quantile), unweighted", NA)
d$w <- NULL
if (requireNamespace("psych", quietly = TRUE)) {
  # psych shows n, mean, sd, median, trimmed mean, mad, min, max, range,
  # skew, kurtosis, se; with quant = the quartiles
  ps <- c("n", "mean", "se_mean", "sd", "minimum", "maximum", "range", "skewness", "kurtosis",
          "quartiles")
  ours_p <- time_it(describe(d, everything(), statistics = ps), 5)
  theirs_p <- time_it(psych::describe(d, quant = c(0.25, 0.75)), 1)
  out[[3]] <- row("describe 20 x 1e6 (1% NA): n, mean, se, sd, min, max, range, skew, kurtosis, quartiles",
                  ours_p, theirs_p, "psych::describe(quant = c(.25, .75))", NA)
}
res <- do.call(rbind, out)
print(res)
file <- "bench/describe.csv"
old <- if (file.exists(file)) utils::read.csv(file, stringsAsFactors = FALSE) else NULL
if (!is.null(old)) {
  for (col in setdiff(names(res), names(old))) old[[col]] <- NA
  res <- rbind(old[names(res)], res)
}
write.csv(res, file, row.names = FALSE)
