# synthesize_survey() on a small made-up set of targets; every achieved value
# is recomputed here with base R.

# The targets are the statistics of a made-up source data set, computed with
# base R, so that they can all be met at once.
src <- local({
  set.seed(99)
  n <- 200
  sex <- factor(sample(c("Male", "Female"), n, TRUE, c(0.45, 0.55)), c("Male", "Female"))
  age <- factor(sample(c("18-39", "40-59", "60+"), n, TRUE, c(0.4, 0.35, 0.25)),
                c("18-39", "40-59", "60+"))
  score <- as.integer(cut(rnorm(n, 0.8 * (sex == "Female") - 0.8 * as.integer(age)),
                          c(-Inf, -2.2, -1.4, -0.6, Inf)))
  other <- as.integer(cut(score + rnorm(n, 0, 2), c(-Inf, 1.5, 3.5, Inf)))
  status <- factor(c("A", "B", "C")[as.integer(cut(-score + rnorm(n, 0, 2.5),
                                                    c(-Inf, -2.5, -0.5, Inf)))], c("A", "B", "C"))
  data.frame(sex, age, score, other, status)
})
counts <- function(x) {
  tab <- table(x)
  stats::setNames(as.vector(tab), names(tab))
}
margins <- lapply(src, counts)
x2 <- function(d, a, b) {
  unname(suppressWarnings(chisq.test(table(d[[a]], d[[b]]), correct = FALSE))$statistic)
}
g2 <- function(d, a, b) {
  tab <- table(d[[a]], d[[b]])
  e <- outer(rowSums(tab), colSums(tab)) / sum(tab)
  2 * sum(ifelse(tab > 0, tab * log(tab / e), 0))
}
mean_gap <- function(d) {
  m <- tapply(d$score, d$age, mean)
  m[["18-39"]] - m[["60+"]]
}
old_men <- function(d) sum(d$sex == "Male" & d$age == "60+")
target <- list(
  sex = x2(src, "sex", "score"), age = x2(src, "age", "score"),
  status = x2(src, "status", "score"), status_lr = g2(src, "status", "score"),
  other = cor(src$score, src$other), status_r = cor(src$score, as.integer(src$status)),
  gap = mean_gap(src), old_men = old_men(src)
)
young_higher <- list(x = "age", y = "score", name = "the young score higher",
                     weights = rbind((1:4) / margins$age[["18-39"]], 0,
                                     -(1:4) / margins$age[["60+"]]),
                     lower = target$gap)
few_old_men <- list(x = "sex", y = "age", weights = rbind(c(0, 0, 1), 0),
                    upper = target$old_men)
targets <- function(seed = 42) {
  synthesize_survey(margins,
    chisq = data.frame(x = c("sex", "age", "status", "status"), y = "score",
                       statistic = c(target$sex, target$age, target$status, target$status_lr),
                       type = c("pearson", "pearson", "pearson", "lr")),
    cor = data.frame(x = c("score", "score"), y = c("other", "status"),
                     r = c(target$other, target$status_r)),
    rules = list(young_higher, few_old_men), ordered = "age", seed = seed,
    control = list(cycle = 2e5, max_moves = 2e6))
}

test_that("synthesize_survey() meets small targets exactly where it must", {
  x <- targets()
  expect_s3_class(x, "data.frame")
  expect_identical(names(x), names(margins))
  expect_identical(nrow(x), 200L)
  for (v in names(margins)) {
    expect_identical(as.vector(table(x[[v]])[names(margins[[v]])]),
                     as.integer(margins[[v]]), info = v)
  }
  expect_true(is.ordered(x$age))
  expect_false(is.ordered(x$sex))
  expect_true(is.integer(x$score))
  chi <- function(a) {
    unname(suppressWarnings(chisq.test(table(x[[a]], x$score), correct = FALSE))$statistic)
  }
  expect_lt(abs(chi("sex") / target$sex - 1), 0.01)
  expect_lt(abs(chi("age") / target$age - 1), 0.01)
  expect_lt(abs(chi("status") / target$status - 1), 0.01)
  expect_lt(abs(g2(x, "status", "score") / target$status_lr - 1), 0.01)
  expect_lt(abs(cor(x$score, x$other) - target$other), 0.005)
  expect_lt(abs(cor(x$score, as.integer(x$status)) - target$status_r), 0.005)
  expect_gte(mean_gap(x), target$gap - 1e-12)
  expect_lte(old_men(x), target$old_men)
  # a real search happened: the start was a random draw
  expect_gt(attr(x, "synthesis")$accepted, 0)

  fit <- attr(x, "fit")
  expect_identical(nrow(fit), 8L)
  expect_true(all(fit$met))
  expect_equal(fit$achieved[fit$type == "r" & fit$y == "other"], cor(x$score, x$other))
  expect_true(attr(x, "synthesis")$passed)
})

test_that("synthesize_survey() is reproducible and leaves the caller's RNG alone", {
  set.seed(1)
  before <- .Random.seed
  a <- targets(7)
  expect_identical(.Random.seed, before)
  b <- targets(7)
  expect_identical(a, b)
  c <- targets(8)
  expect_false(identical(a$score, c$score))
})

test_that("whole tables are reproduced exactly", {
  g1 <- round(margins$score * c(0.8, 0.6, 0.4, 0.2))
  tab <- rbind(g1 = g1, g2 = margins$score - g1)
  names(dimnames(tab)) <- c("group", "score")
  x <- synthesize_survey(margins[c("sex", "score")], tables = list(tab),
                         chisq = c(sex = 5), outcome = "score", seed = 3)
  expect_identical(names(x), c("sex", "score", "group"))
  expect_identical(unclass(table(group = x$group, score = x$score)),
                   array(as.integer(tab), dim(tab), dimnames(tab)))
  fit <- attr(x, "fit")
  expect_identical(fit$type, c("chisq", "table"))
  expect_true(all(fit$met))
})

test_that("synthesize_survey() warns when the search stops short", {
  expect_warning(
    # a 2 x 4 table of 200 cases has a chi-square of at most 200 (250 is
    # refused up front); 190 is far more than 1000 moves reach
    x <- synthesize_survey(margins[c("sex", "score")], chisq = c(sex = 190), outcome = "score",
                           seed = 1, control = list(max_moves = 1000, check_every = 500)),
    class = "zhetysu_warning_synthesis")
  expect_false(attr(x, "synthesis")$passed)
  expect_false(attr(x, "fit")$met)
})

test_that("bad targets stop with clear messages", {
  bad_cor <- matrix(c(1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1), 3,
                    dimnames = list(c("score", "other", "sex"), c("score", "other", "sex")))
  expect_snapshot(error = TRUE, {
    synthesize_survey(list(a = c(x = 10, y = 5), b = c(u = 7, v = 7)))
    synthesize_survey(list(a = c(10, 5)))
    synthesize_survey(list(a = c(x = -1, y = 5)))
    synthesize_survey("a")
    synthesize_survey(margins, cor = bad_cor)
    synthesize_survey(margins, cor = data.frame(x = "score", y = "income", r = 0.2))
    synthesize_survey(margins, chisq = c(income = 3), outcome = "score")
    synthesize_survey(margins, chisq = c(sex = 3))
    synthesize_survey(margins, rules = list(list(x = "sex", y = "nope", weights = diag(2))))
    synthesize_survey(margins, rules = list(list(x = "sex", y = "age", weights = diag(2),
                                                 lower = 0)))
    synthesize_survey(margins, cor = data.frame(x = "score", y = "other", r = 1.5))
    synthesize_survey(margins, ordered = "score")
    synthesize_survey(margins, seed = "a")
    synthesize_survey(margins, control = list(moves = 10))
  })
  expect_error(synthesize_survey(margins, cor = bad_cor), class = "zhetysu_error_target")
})

test_that("an interrupted search leaves the random number stream advanced", {
  # An interrupt between GetRNGstate() and PutRNGstate() used to leave
  # .Random.seed where the search started (after the R-level start draw).
  margins <- list(a = c(x = 500, y = 500), b = c(u = 300, v = 300, w = 400))
  # met at the start: no move, .Random.seed as the start draw left it
  set.seed(5)
  suppressWarnings(synthesize_survey(margins, chisq = data.frame(x = "a", y = "b",
    statistic = 1, tolerance = 1e9)))
  start <- .Random.seed
  set.seed(5)
  res <- tryCatch({
    setTimeLimit(elapsed = 0.5, transient = TRUE)
    synthesize_survey(margins, chisq = data.frame(x = "a", y = "b", statistic = 5000,
      tolerance = 1e-6), control = list(max_moves = 1e12, cycle = 1e12))
  }, error = function(e) e)
  setTimeLimit()
  expect_s3_class(res, "error")
  expect_false(identical(.Random.seed, start))
})

test_that("margins alone give a data frame with exactly those margins", {
  # used to stop with "arguments imply differing number of rows: 0, 1"
  m <- list(a = c(x = 5, y = 5), b = c("1" = 4, "2" = 6), c = c(lo = 7, hi = 3))
  x <- synthesize_survey(m, seed = 1)
  expect_identical(as.vector(table(x$a)), c(5L, 5L))
  expect_identical(as.vector(table(x$b)), c(4L, 6L))
  expect_identical(as.vector(table(x$c)), c(7L, 3L))
  expect_identical(nrow(attr(x, "fit")), 0L)
  expect_true(attr(x, "synthesis")$passed)
})

test_that("categories equal as numbers, a seed out of range and unreachable targets are refused", {
  m <- list(a = c(x = 50, y = 50), b = c("1" = 40, "1.0" = 60))
  expect_error(synthesize_survey(m), class = "zhetysu_error_margins")
  ok <- list(a = c(x = 50, y = 50), b = c("1" = 40, "2" = 60))
  for (bad in list(1e10, Inf, -3e9)) {
    expect_error(expect_no_warning(synthesize_survey(ok, seed = bad)),
                 class = "zhetysu_error_seed")
  }
  # the margins bound the statistics: chi-square <= N (min(k) - 1), G2 <= 2 N
  # min(entropy), r between the antitone and comonotone arrangements
  expect_error(synthesize_survey(ok, chisq = data.frame(x = "a", y = "b", statistic = 110)),
               class = "zhetysu_error_target")
  expect_error(synthesize_survey(margins[c("sex", "score")], chisq = c(sex = 250),
                                 outcome = "score"), class = "zhetysu_error_target")
  expect_error(synthesize_survey(ok, chisq = data.frame(x = "a", y = "b", statistic = 139,
                                                        type = "lr")),
               class = "zhetysu_error_target")
  # 2 N ln 2 = 138.63 for the even `a`: a target just below is accepted
  expect_no_error(suppressWarnings(synthesize_survey(ok, chisq = data.frame(
    x = "a", y = "b", statistic = 100 * 0.9, type = "lr"), seed = 1,
    control = list(max_moves = 1e4))))
  # the largest r: both variables sorted (a scored 1, 2 by level position)
  xa <- rep(1:2, c(50, 50))
  xb <- rep(c(1, 2), c(40, 60))
  top <- stats::cor(xa, xb)
  expect_error(synthesize_survey(ok, cor = data.frame(x = "a", y = "b", r = top + 0.05)),
               class = "zhetysu_error_target")
  expect_snapshot(error = TRUE, {
    synthesize_survey(m)
    synthesize_survey(ok, seed = 1e10)
    synthesize_survey(ok, chisq = data.frame(x = "a", y = "b", statistic = 110))
    synthesize_survey(ok, cor = data.frame(x = "a", y = "b", r = -0.95))
  })
})

test_that("the search recomputes from the codes about once per N moves, not every block", {
  # it used to recompute every `check_every` moves, O(N) each: at N = 1e7 an
  # unreachable target ran for many minutes
  n <- 2e4
  spec <- zhetysu:::zh_synth_margins(list(a = c(x = n / 2, y = n / 2),
                                          b = c(u = n / 4, v = n / 4, w = n / 2)))
  ctl <- zhetysu:::zh_synth_control(list(max_moves = 4e5, check_every = 1000))
  targets <- zhetysu:::zh_synth_chisq(data.frame(x = "a", y = "b", statistic = 1e4,
                                                 tolerance = 1e-9), NULL, spec)
  set.seed(1)
  res <- zhetysu:::zh_synth_run(spec, n, targets, list(), ctl)
  expect_false(res$passed)
  expect_gte(res$moves, 4e5)
  expect_lte(res$recomputes, res$moves / n + 2)
})

# Issue 17's class: scores of 1e300 overflowed the correlation's sums (and
# those of 1e-300 vanished); the achieved fit read numeric columns by their
# text, which for "1e300" is "1e+300".
test_that("scores of 1e300 or 1e-300 give the search and the fit of the unscaled scores", {
  m <- list(a = c("1" = 30, "2" = 40, "3" = 30), b = c("1" = 50, "2" = 20, "4" = 30))
  cr <- data.frame(x = "a", y = "b", r = 0.35)
  ref <- synthesize_survey(m, cor = cr, seed = 3)
  for (k in c("e300", "e-300")) {
    s <- as.numeric(paste0(1, k))
    ms <- lapply(m, function(x) stats::setNames(x, paste0(names(x), k)))
    x <- synthesize_survey(ms, cor = cr, seed = 3)
    expect_equal(x$a / s, ref$a, tolerance = 1e-12, label = k)
    expect_equal(x$b / s, ref$b, tolerance = 1e-12, label = k)
    fit <- attr(x, "fit")
    expect_equal(fit$achieved, stats::cor(x$a / s, x$b / s), tolerance = 1e-12, label = k)
    expect_true(all(fit$met), label = k)
  }
})
