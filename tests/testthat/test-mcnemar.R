# McNemar against stats::binom.test() and the McNemar-Bowker test against
# stats::mcnemar.test() (which is Bowker's statistic for R >= 3) and a
# transcription; values of spss-formulas-2.md item 3.

test_that("2 x 2: the exact binomial p of the discordant cells", {
  m <- matrix(c(20, 12, 5, 13), 2, dimnames = list(a = c("no", "yes"), b = c("no", "yes")))
  r <- zh_mcnemar(m)
  expect_equal(r$test, "McNemar Test")
  expect_equal(r$p_value, 0.143463, tolerance = 1e-5)
  expect_equal(r$p_value, stats::binom.test(5, 17)$p.value, tolerance = 1e-12)
  for (bc in list(c(0, 0), c(0, 7), c(3, 3), c(40, 13), c(1, 0))) {
    m[1, 2] <- bc[1]
    m[2, 1] <- bc[2]
    ref <- if (sum(bc) == 0) 1 else stats::binom.test(bc[1], sum(bc))$p.value
    expect_equal(zh_mcnemar(m)$p_value, ref, tolerance = 1e-12)
  }
})

test_that("R x R: McNemar-Bowker", {
  m <- matrix(c(20, 10, 6, 5, 15, 8, 3, 2, 25), 3, dimnames = list(a = 1:3, b = 1:3))
  r <- zh_mcnemar(m)
  expect_equal(c(r$statistic, r$df, r$p_value), c(6.266667, 3, .099333), tolerance = 1e-5)
  ref <- stats::mcnemar.test(m)
  expect_equal(r$statistic, unname(ref$statistic), tolerance = 1e-12)
  expect_equal(r$p_value, ref$p.value, tolerance = 1e-12)
  set.seed(3)
  m4 <- matrix(stats::rpois(16, 9), 4, dimnames = list(x = letters[1:4], y = letters[1:4]))
  x2 <- 0
  for (i in 1:3) for (j in (i + 1):4) x2 <- x2 + (m4[i, j] - m4[j, i])^2 / (m4[i, j] + m4[j, i])
  expect_equal(zh_mcnemar(m4)$statistic, x2)
  expect_equal(zh_mcnemar(m4)$df, 6)
  # an empty pair leaves the sum and the degrees of freedom
  term12 <- (m4[1, 2] - m4[2, 1])^2 / (m4[1, 2] + m4[2, 1])
  m4[1, 2] <- m4[2, 1] <- 0
  expect_equal(zh_mcnemar(m4)$df, 5)
  expect_equal(zh_mcnemar(m4)$statistic, x2 - term12)
})

test_that("categories are paired by value, and a table that is not square gets a note", {
  m <- matrix(c(20, 12, 5, 13), 2, dimnames = list(a = c("no", "yes"), b = c("yes", "no")))
  # columns in the other order: the discordant cells are the diagonal here
  expect_equal(zh_mcnemar(m)$p_value, stats::binom.test(20, 33)$p.value, tolerance = 1e-12)
  nsq <- matrix(1:6, 2, dimnames = list(a = 1:2, b = 1:3))
  expect_identical(zh_mcnemar(nsq)$note, "mcnemar_square")
  expect_true(is.na(zh_mcnemar(nsq)$p_value))
  diff <- matrix(1:4, 2, dimnames = list(a = 1:2, b = 2:3))
  expect_identical(zh_mcnemar(diff)$note, "mcnemar_square")
})
