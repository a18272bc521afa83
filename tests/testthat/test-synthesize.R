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
    # a 2 x 4 table of 200 cases cannot have a chi-square above 200
    x <- synthesize_survey(margins[c("sex", "score")], chisq = c(sex = 250), outcome = "score",
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
