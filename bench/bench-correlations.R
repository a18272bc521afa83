# Times cor_matrix() against base R and pcaPP in one R process and writes the
# ratios to bench/correlations.csv. Run from the package root with the
# package installed:  Rscript bench/bench-correlations.R
# Targets: Pearson with p, 5e5 x 50 with 2% NA, >= 10x faster than
# cor(use = "pairwise.complete.obs"); Spearman 1e5 x 20 with NA >= 10x faster
# than base R; Kendall on one pair of 1e6 values <= 1.5x pcaPP::cor.fk and,
# on 1e4 rows, >= 100x faster than cor(method = "kendall").
library(zhetysu)
stopifnot(requireNamespace("bench", quietly = TRUE), requireNamespace("pcaPP", quietly = TRUE))
set.seed(20240603)

with_na <- function(n, p, rate) {
  m <- matrix(rnorm(n * p), n, p)
  m[, -1] <- m[, -1] + 0.3 * m[, 1]
  m[sample(length(m), round(rate * length(m)))] <- NA
  as.data.frame(m)
}
time_it <- function(expr, iterations) {
  e <- substitute(expr)
  env <- parent.frame()
  b <- bench::mark(eval(e, env), iterations = iterations, check = FALSE, filter_gc = FALSE,
                   memory = FALSE)
  as.numeric(b$median)
}
row <- function(task, ours, theirs, peer, target, faster) {
  data.frame(task = task, zhetysu_s = signif(ours, 4), peer = peer, peer_s = signif(theirs, 4),
             ratio = signif(if (faster) theirs / ours else ours / theirs, 4),
             target = target, met = if (faster) theirs / ours >= as.numeric(sub(".*>= ", "", target))
                                    else ours / theirs <= as.numeric(sub(".*<= ", "", target)),
             threads = getOption("zhetysu.threads", 2L), stringsAsFactors = FALSE)
}
out <- list()

d <- with_na(5e5, 50, 0.02)
ours <- time_it(cor_matrix(d, everything()), 3)
# base R has no p-values in cor(); its time without them is the lower bound
theirs <- time_it(cor(d, use = "pairwise.complete.obs"), 1)
out[[1]] <- row("pearson 5e5 x 50, 2% NA, with p", ours, theirs,
                "cor(use = \"pairwise.complete.obs\")", "speedup >= 10", TRUE)
rm(d)

d <- with_na(1e5, 20, 0.02)
ours <- time_it(cor_matrix(d, everything(), method = "spearman"), 3)
theirs <- time_it(cor(d, use = "pairwise.complete.obs", method = "spearman"), 1)
out[[2]] <- row("spearman 1e5 x 20, 2% NA", ours, theirs,
                "cor(method = \"spearman\", use = \"pairwise.complete.obs\")", "speedup >= 10", TRUE)
rm(d)

x <- rnorm(1e6)
y <- x + rnorm(1e6)
d <- data.frame(x, y)
ours <- time_it(cor_matrix(d, c(x, y), method = "kendall"), 10)
theirs <- time_it(pcaPP::cor.fk(x, y), 10)
out[[3]] <- row("kendall one pair, 1e6 rows", ours, theirs, "pcaPP::cor.fk",
                "time ratio <= 1.5", FALSE)

d <- d[1:1e4, ]
ours <- time_it(cor_matrix(d, c(x, y), method = "kendall"), 20)
theirs <- time_it(cor(d$x, d$y, method = "kendall"), 1)
out[[4]] <- row("kendall one pair, 1e4 rows", ours, theirs, "cor(method = \"kendall\")",
                "speedup >= 100", TRUE)

res <- do.call(rbind, out)
print(res, right = FALSE)
dir.create("bench", showWarnings = FALSE)
utils::write.csv(res, file.path("bench", "correlations.csv"), row.names = FALSE)
