# Weighted N beyond 2^31 (with weights, not 2^31 rows): counts must stay
# exact in double and the statistics must match base R on the same table.

big_weighted_data <- function() {
  with_seed(31, {
    n <- 240
    data.frame(a = factor(sample(c("x", "y", "z"), n, TRUE)),
               b = sample(1:4, n, TRUE),
               w = 1e8 + sample(0:999, n, TRUE))  # N about 2.4e10
  })
}

test_that("crosstab() counts a weighted N beyond 2^31 exactly", {
  d <- big_weighted_data()
  ref <- unclass(stats::xtabs(w ~ a + b, d))
  expect_gt(sum(d$w), 2^31)
  for (count in c("round", "asis")) {
    ct <- crosstab(d, a, b, weights = w, count = count)
    expect_identical(unname(ct$observed), unname(matrix(as.double(ref), nrow(ref))))
    expect_identical(ct$n, sum(d$w))
    expect_identical(sum(ct$observed), sum(d$w))
  }
})

test_that("crosstab() statistics on a weighted N beyond 2^31 match base R", {
  d <- big_weighted_data()
  ct <- crosstab(d, a, b, weights = w)
  tab <- unclass(stats::xtabs(w ~ a + b, d))
  chi <- suppressWarnings(stats::chisq.test(tab, correct = FALSE))
  tests <- stats::setNames(ct$tests$statistic, ct$tests$test)
  expect_equal(tests[["Pearson Chi-Square"]], unname(chi$statistic), tolerance = 1e-9)
  e <- chi$expected
  expect_equal(tests[["Likelihood Ratio"]], 2 * sum(tab * log(tab / e)), tolerance = 1e-9)
  # linear-by-linear: (N - 1) r^2, r the weighted correlation of the scores
  cw <- stats::cov.wt(cbind(as.numeric(d$a), d$b), wt = d$w / sum(d$w), cor = TRUE)
  expect_equal(tests[["Linear-by-Linear Association"]], (sum(d$w) - 1) * cw$cor[1, 2]^2,
               tolerance = 1e-9)
  ms <- stats::setNames(ct$measures$estimate, ct$measures$measure)
  expect_equal(ms[["Cramer's V"]], sqrt(unname(chi$statistic) / (sum(tab) * 2)), tolerance = 1e-9)
  expect_equal(ms[["Pearson's R"]], cw$cor[1, 2], tolerance = 1e-9)
  expect_true(all(ct$tests$p_value >= 0 & ct$tests$p_value <= 1, na.rm = TRUE))
  expect_true(all(ct$measures$p_value >= 0 & ct$measures$p_value <= 1, na.rm = TRUE))
})

test_that("crosstab() measures do not change when every count is multiplied past 2^31", {
  small <- as.table(matrix(c(12, 5, 3, 7, 9, 4, 2, 8, 15, 1, 6, 10), 3,
                           dimnames = list(r = 1:3, c = 1:4)))
  for (k in c(1e8, 1e12)) {
    big <- crosstab(small * k)
    ref <- crosstab(small)
    expect_gt(big$n, 2^31)
    expect_equal(big$measures$estimate, ref$measures$estimate, tolerance = 1e-9)
    expect_equal(big$tests$statistic[1:2], k * ref$tests$statistic[1:2], tolerance = 1e-9)
    r <- ref$measures$estimate[ref$measures$measure == "Pearson's R"]
    expect_equal(big$tests$statistic[3], (big$n - 1) * r^2, tolerance = 1e-9)
    expect_true(all(abs(big$measures$estimate) <= 1 + 1e-12, na.rm = TRUE))
  }
})

test_that("a 2 x 2 table with N beyond 2^31 gets Fisher's test at once", {
  tab <- as.table(matrix(c(6e8, 5e8 + 1, 5.5e8, 6.1e8), 2))
  elapsed <- system.time(ct <- crosstab(tab))[["elapsed"]]
  expect_lt(elapsed, 5)
  fisher <- ct$tests[ct$tests$test == "Fisher's Exact Test", ]
  expect_true(fisher$p_value >= 0 && fisher$p_value <= 1)
  # one category holding nearly all of a huge N: no cancellation beyond [-1, 1]
  lop <- crosstab(as.table(matrix(c(0, 1e12, 1, 1), 2)))
  expect_true(all(abs(lop$measures$estimate) <= 1, na.rm = TRUE))
  expect_equal(lop$measures$estimate[lop$measures$measure == "Somers' d column dependent"],
               -2e12 / (2e12 + 2), tolerance = 1e-12)
})

test_that("weights adding up beyond 2^53 are refused, naming the argument", {
  d <- data.frame(a = 1:4, b = c(1, 1, 2, 2), w = c(1e300, 1e300, 1, 1))
  expect_error(crosstab(d, a, b, weights = w), class = "zhetysu_error")
  expect_snapshot(crosstab(d, a, b, weights = w), error = TRUE)
  expect_snapshot(crosstab(as.table(matrix(1e17, 2, 2))), error = TRUE)
})

test_that("the other functions handle a weighted N beyond 2^31", {
  d <- big_weighted_data()
  ft <- freq_table(d, a, weights = w)
  ref <- tapply(d$w, d$a, sum)
  expect_identical(as.double(ft$n[match(names(ref), as.character(ft$value))]), as.double(ref))
  expect_true(all(ft$percent >= 0 & ft$percent <= 100, na.rm = TRUE))
  pt <- profile_table(d, c(a, b), weights = w)
  expect_identical(sum(pt$n[pt$variable == "a"]), sum(d$w))
  expect_true(all(pt$percent >= 0 & pt$percent <= 100, na.rm = TRUE))
  at <- association_table(d, b, a, weights = w)
  chi <- suppressWarnings(stats::chisq.test(stats::xtabs(w ~ a + b, d), correct = FALSE))
  expect_equal(at$statistic[1], unname(chi$statistic), tolerance = 1e-9)
  expect_identical(as.double(at$n[1]), sum(d$w))
  expect_true(at$p_value[1] >= 0 && at$p_value[1] <= 1)
})
