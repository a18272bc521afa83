# Times crosstab() on a 1e6-row stratified cluster sample (50 strata x 20
# PSUs, a 4 x 5 table) against what survey needs for the same numbers:
# svychisq() (Rao-Scott F) plus svymean(~interaction(x, y)) (cell
# percentages with SEs), in one R process; writes bench/design.csv.
# Run from the package root with the package installed:
#   Rscript bench/bench-design.R
# Target: crosstab at least 20x faster. The machine may be shared: medians
# of a few runs (survey's side is timed fewer times, it is slow).
suppressPackageStartupMessages({
  library(zhetysu)
  library(survey)
})
set.seed(1)
n <- 1e6
n_strata <- 50
n_psu <- 20
stratum <- sample.int(n_strata, n, replace = TRUE)
psu <- stratum * 100 + sample.int(n_psu, n, replace = TRUE)
u <- rnorm(n_strata * 100 + n_psu)[psu]
d <- data.frame(
  stratum = stratum, psu = psu,
  x = factor(findInterval(rnorm(n) + u, c(-1, 0, 1)) + 1, labels = sprintf("r%d", 1:4)),
  y = factor(sample.int(5, n, replace = TRUE), labels = sprintf("c%d", 1:5)),
  w = runif(n, 1, 3)
)
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d)

survey_side <- function() {
  list(chisq = svychisq(~x + y, des, statistic = "F"), cells = svymean(~interaction(x, y), des))
}
# equal numbers before timing
ct <- crosstab(des, x, y)
sv <- survey_side()
stopifnot(abs(ct$tests$statistic[1] / unname(sv$chisq$statistic) - 1) < 1e-8,
          max(abs(ct$cells$total_se - 100 * unname(SE(sv$cells)))) < 1e-8)

median_time <- function(f, reps) {
  stats::median(vapply(seq_len(reps), function(i) system.time(f())[["elapsed"]], numeric(1)))
}
t_zh <- median_time(function() crosstab(des, x, y), 5)
t_sv <- median_time(survey_side, 3)
out <- data.frame(
  task = "design crosstab, 1e6 rows, 50 strata x 20 PSUs, 4 x 5",
  method = c("zhetysu::crosstab(design)", "survey::svychisq() + svymean(~interaction())"),
  seconds = signif(c(t_zh, t_sv), 4),
  ratio_vs_zhetysu = round(c(t_zh, t_sv) / t_zh, 2)
)
print(out, row.names = FALSE)
utils::write.csv(out, file.path("bench", "design.csv"), row.names = FALSE)
