paper_table <- function(name) {
  utils::read.csv(test_path("fixtures", paste0("paper-", name, ".csv")),
                  colClasses = c(p_reported = "character"), stringsAsFactors = FALSE)
}

# ---- check_reported() ------------------------------------------------------

test_that("Table 2 of the paper: exactly education and material well-being are flagged", {
  t2 <- utils::read.csv(test_path("fixtures", "paper-table2.csv"),
                        colClasses = c(p_reported = "character"))
  t2$test <- "chisq"
  res <- check_reported(t2)
  expect_equal(res$p_computed, pchisq(t2$statistic, t2$df, lower.tail = FALSE))
  expect_equal(res$factor[!res$consistent], c("education", "material"))
  expect_equal(res$factor[res$decision_error], c("education", "material"))
  # the columns of x are kept as they were
  expect_identical(tidy(res)[names(t2)], t2)
})

test_that("the in-text correlations pass once the rounding of r is allowed for", {
  r <- c(0.013, -0.044, 0.061)
  x <- data.frame(test = "r", statistic = r, n = 787,
                  p_reported = c(".707", ".214", ".089"))
  res <- check_reported(x)
  df <- 787 - 2
  p_exact <- 2 * pt(-abs(r) * sqrt(df / (1 - r^2)), df)
  expect_equal(res$p_computed, p_exact)
  expect_true(all(res$consistent))
  expect_false(any(res$decision_error))
  # taken as exact, r = .013 gives .716, not the printed .707
  expect_equal(round(p_exact[1], 3), 0.716)
  # but r = .0135, which also prints as .013, gives less than .707
  expect_equal(res$p_lower[1], 2 * pt(-0.0135 * sqrt(df / (1 - 0.0135^2)), df))
  expect_lt(res$p_lower[1], 0.7065)
  # giving df instead of n is the same
  x$df <- 785
  x$n <- NULL
  expect_equal(check_reported(x)$p_computed, p_exact)
})

test_that("the in-text correlations as published with the package pass", {
  x <- published_table("intext_correlations")
  x$test <- "r"
  x$statistic <- x$r
  expect_true(all(check_reported(x)$consistent))
})

test_that("every test type matches base R", {
  x <- data.frame(
    test = c("chisq", "F", "t", "t", "z", "r", "R", " f "),
    statistic = c(3.84, 4.2, -2.5, 1.7, -1.96, 0.25, -0.3, 2.71),
    df = c(1, 3, 20, 12.4, NA, 40, NA, 2),
    df2 = c(NA, 60, NA, NA, NA, NA, NA, 100),
    n = c(NA, NA, NA, NA, NA, NA, 52, NA),
    p_reported = ".05"
  )
  p <- c(pchisq(3.84, 1, lower.tail = FALSE),
         pf(4.2, 3, 60, lower.tail = FALSE),
         2 * pt(-2.5, 20),
         2 * pt(-1.7, 12.4),
         2 * pnorm(-1.96),
         2 * pt(-0.25 * sqrt(40 / (1 - 0.25^2)), 40),
         2 * pt(-0.3 * sqrt(50 / (1 - 0.09)), 50),
         pf(2.71, 2, 100, lower.tail = FALSE))
  expect_equal(check_reported(x)$p_computed, p)
})

test_that("the interval of a statistic follows its printed decimals", {
  # z = 2.0 stands for [1.95, 2.05] and can give p = .050; z = 2.00 cannot
  x <- data.frame(test = "z", statistic = c("2.0", "2.00", "2"), p_reported = ".050")
  res <- check_reported(x)
  expect_equal(res$p_lower, 2 * pnorm(-c(2.05, 2.005, 2.5)))
  expect_equal(res$p_upper, 2 * pnorm(-c(1.95, 1.995, 1.5)))
  expect_equal(res$consistent, c(TRUE, FALSE, TRUE))
  # numeric statistics have the decimals they need
  x$statistic <- c(2, 2.01, 2.001)
  expect_equal(check_reported(x)$p_lower, 2 * pnorm(-c(2.5, 2.015, 2.0015)))
  # a decimal comma, a missing leading zero and a Unicode minus are read
  x <- data.frame(test = "t", statistic = c("2,10", "\u22122.10", ",5"), df = 30,
                  p_reported = "0.1")
  expect_equal(check_reported(x)$p_computed, 2 * pt(-c(2.1, 2.1, 0.5), 30))
  # the interval is clipped where the statistic cannot go
  x <- data.frame(test = c("r", "chisq", "z"), statistic = c("1.00", "0", "0.0"),
                  df = c(10, 1, NA), p_reported = c("<.001", "1.00", "1.00"))
  res <- check_reported(x)
  expect_equal(res$p_lower[1], 0)
  expect_equal(res$p_upper[2:3], c(1, 1))
  expect_true(all(res$consistent))
})

test_that("printed p-values are read in their usual forms", {
  # z printed as 3.0 stands for [2.95, 3.05]: p in [.00229, .00318]
  forms <- c("<0.001", "< .01", "p<.01", "P = .003", "=,003", "0.003", "<= .05", "p \u2264 .05",
             "> .10", "ns", "n.s.", ".3", "2.7e-3", "p < .001", ".002", "")
  res <- check_reported(data.frame(test = "z", statistic = "3.0", p_reported = forms))
  expect_equal(res$p_lower, rep(2 * pnorm(-3.05), length(forms)))
  expect_equal(res$p_upper, rep(2 * pnorm(-2.95), length(forms)))
  expect_equal(res$consistent,
               c(FALSE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE,
                 FALSE, FALSE, FALSE, FALSE, TRUE, FALSE, TRUE, NA))
  expect_equal(res$decision_error,
               c(FALSE, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE,
                 TRUE, TRUE, TRUE, TRUE, FALSE, FALSE, FALSE, NA))
})

test_that("decision errors need the conclusion to flip at alpha", {
  x <- data.frame(test = "chisq", statistic = c("2.00", "10.00", "2.00", "10.00", "2.00"),
                  df = 1, p_reported = c(".04", ".20", "< .10", "> .001", ".15"))
  res <- check_reported(x)
  expect_equal(res$p_computed, pchisq(c(2, 10, 2, 10, 2), 1, lower.tail = FALSE))
  expect_equal(res$consistent, c(FALSE, FALSE, FALSE, TRUE, FALSE))
  expect_equal(res$decision_error, c(TRUE, TRUE, NA, FALSE, FALSE))
  # with alpha = .20 the first is significant either way
  expect_equal(check_reported(x, alpha = 0.2)$decision_error[1], FALSE)
  # p = .05 counts as significant, as statcheck counts it
  y <- data.frame(test = "z", statistic = 1.5, p_reported = ".05")
  expect_true(check_reported(y)$decision_error)
})

test_that("rows without a statistic or a p are kept with NA results", {
  ls <- data.frame(test = "chisq", statistic = c(35.48, 43.848, NA), df = c(8, 8, 1),
                   p_reported = c("<0.001", "<0.001", "0.055"))
  res <- check_reported(ls)
  expect_equal(res$consistent, c(TRUE, TRUE, NA))
  expect_equal(res$decision_error, c(FALSE, FALSE, NA))
  expect_equal(res$p_computed[1:2], pchisq(c(35.48, 43.848), 8, lower.tail = FALSE))
  res <- check_reported(data.frame(test = "z", statistic = 2, p_reported = NA))
  expect_true(is.na(res$consistent))
  res <- check_reported(data.frame(test = character(), statistic = numeric(),
                                   p_reported = character()))
  expect_equal(nrow(res), 0L)
  expect_true(all(c("p_computed", "consistent", "decision_error") %in% names(res)))
})

test_that("check_reported() rejects bad input with clear messages", {
  ok <- data.frame(test = c("chisq", "r"), statistic = c(3, 0.2), df = c(1, NA),
                   n = c(NA, 50), p_reported = c(".08", ".16"))
  bad <- function(col, value) {
    ok[[col]] <- value
    ok
  }
  expect_snapshot(error = TRUE, {
    check_reported(list(test = "z"))
    check_reported(ok, alpha = 5)
    check_reported(ok[c("test", "df")])
    check_reported(bad("test", c("chisq", "anova")))
    check_reported(bad("test", c(1, 2)))
    check_reported(bad("p_reported", c("abc", "1.5")))
    check_reported(bad("p_reported", c("<", "p")))
    check_reported(bad("p_reported", c(0.08, 0.16)))
    check_reported(bad("statistic", c("3.0", "two")))
    check_reported(bad("statistic", c(-3, 0.2)))
    check_reported(bad("statistic", c(3, 1.2)))
    check_reported(bad("df", c(NA, NA)))
    check_reported(bad("df", c("1", NA)))
    check_reported(bad("n", c(NA, 2)))
  })
  many <- data.frame(test = "z", statistic = 1, p_reported = paste0("x", 1:8))
  expect_snapshot(check_reported(many), error = TRUE)
  expect_error(check_reported(bad("p_reported", c("abc", "1.5"))),
               class = "zhetysu_error_input")
})

# ---- check_percentages() ---------------------------------------------------

test_that("Table 1 of the paper: printed percentages fit, two are missing", {
  t1 <- utils::read.csv(test_path("fixtures", "paper-table1.csv"))
  res <- check_percentages(t1$n, t1$percent, total = 787, digits = 1, group = t1$variable)
  expect_equal(res$percent_computed, 100 * t1$n / 787)
  # every printed percentage is its count over N = 787, rounded to 1 decimal
  printed <- !is.na(t1$percent)
  expect_true(all(res$consistent[printed]))
  expect_equal(t1$percent[printed], round(100 * t1$n[printed] / 787, 1))
  # the two not printed would have been 27.8 (Taldykorgan) and 16.6 (single)
  missing <- which(!printed)
  expect_equal(t1$category[missing], c("Taldykorgan (urban - regional capital)",
                                       "Single (never married)"))
  expect_equal(round(res$percent_computed[missing], 1), c(27.8, 16.6))
  expect_true(all(is.na(res$consistent[missing])))
  # each variable's counts add up to N
  expect_equal(unique(res$group_n), 787)
  # rounding makes three variables sum to 100.1 or 99.9, not errors
  sums <- vapply(split(res$percent_sum, res$group), unique, 1)
  expect_equal(round(sums[c("education", "employment", "material")], 1),
               c(education = 100.1, employment = 99.9, material = 100.1))
  expect_equal(unname(round(sums[c("gender", "age", "children", "country")], 1)), rep(100, 4))
  # with the default total (the sum in each group) the result is the same
  expect_equal(check_percentages(t1$n, t1$percent, digits = 1, group = t1$variable), res)
})

test_that("check_percentages() catches misprints and reads printed forms", {
  res <- check_percentages(c(1, 2, 3, 4), c("10.0%", "20,0", "31.0", NA))
  expect_equal(res$consistent, c(TRUE, TRUE, FALSE, NA))
  expect_equal(res$percent_computed, c(10, 20, 30, 40))
  # digits default to the printed decimals: 33 fits 1/3 at 0 decimals, 33.0 does not
  expect_true(check_percentages(c(1, 2), c(33, 67))$consistent[1])
  expect_false(check_percentages(c(1, 2), c("33.0", "66.7"))$consistent[1])
  expect_false(check_percentages(c(1, 2), c(33, 67), digits = 1)$consistent[1])
  # both roundings of a half are accepted
  expect_true(all(check_percentages(c(1, 7), c(12, 88), digits = 0)$consistent))
  expect_true(all(check_percentages(c(1, 7), c(13, 87), digits = 0)$consistent))
})

test_that("check_percentages() rejects bad input with clear messages", {
  expect_snapshot(error = TRUE, {
    check_percentages("a", 1)
    check_percentages(c(1, -2), c(1, 2))
    check_percentages(c(1, 2), 50)
    check_percentages(c(1, 2), c("50", "fifty"))
    check_percentages(c(1, 2), c(50, 50), total = 0)
    check_percentages(c(1, 2), c(50, 50), digits = 1.5)
    check_percentages(c(1, 2), c(50, 50), group = "a")
  })
})

test_that("check_percentages() stops on a zero or overflowing total instead of returning NaN", {
  expect_error(check_percentages(c(0, 0), c(NA, NA)), class = "zhetysu_error_input")
  expect_error(check_percentages(c(1, 0, 0), c(100, NA, NA), group = c("a", "b", "b")),
               class = "zhetysu_error_input")
  expect_error(check_percentages(c(1e308, 1e308), c(50, 50)), class = "zhetysu_error_input")
  expect_snapshot(error = TRUE, {
    check_percentages(c(0, 0), c(NA, NA))
    check_percentages(c(1, 0, 0), c(100, NA, NA), group = c("a", "b", "b"))
    check_percentages(c(1e308, 1e308), c(50, 50))
  })
  # a zero count with a given total is a percentage of 0, and huge counts
  # whose sum is finite are fine: 100 * n would overflow, n / total does not
  expect_identical(check_percentages(c(0, 0), c(0, 0), total = 10)$percent_computed, c(0, 0))
  res <- check_percentages(c(1e307, 3e307), c(25, 75))
  expect_equal(res$percent_computed, c(25, 75))
  expect_true(all(res$consistent))
})

