# validate() against what its reference files hold, counted independently
# here, and a check that a wrong value shows as a difference.

test_that("validate() lists every PSPP fixture family with differences below 1e-6", {
  v <- validate()
  expect_named(v, c("family", "reference", "cases", "values", "decimals",
                    "max_abs_difference"))
  expect_true(all(c("GNU PSPP CROSSTABS", "GNU PSPP CORRELATIONS", "GNU PSPP FREQUENCIES",
                    "base R chisq.test()") %in% v$reference))
  expect_false(anyNA(v$max_abs_difference))
  expect_true(all(v$max_abs_difference < 1e-6))
  expect_true(all(v$values > 0))
  # every fixture table of the tests' PSPP CROSSTABS outputs is used
  fx <- utils::read.csv(test_path("fixtures", "pspp-crosstab", "fixtures.csv"))
  expect_true(all(v$cases[v$reference == "GNU PSPP CROSSTABS" & v$values > 10] == nrow(fx)))
  # the Chi-Square Tests values with 8 decimals in the PSPP file (statistic
  # and df), all compared
  ps <- utils::read.csv(test_path("fixtures", "pspp-crosstab", "pspp-crosstab.csv"))
  n_tests <- sum(ps$block == "tests" & ps$stat %in% c("estimate", "df") &
                   ps$measure != "N of Valid Cases")
  expect_identical(v$values[v$family == "Chi-square tests: statistic and df"], n_tests)
  # the printed correlation tables: 3 x 16 r, 3 x 12 p, 2 x 16 N
  expect_identical(v$values[v$reference == "GNU PSPP CORRELATIONS"], 48L + 36L + 32L)
  expect_identical(v$decimals[v$reference == "base R chisq.test()"], "full")
})

test_that("a value that differs from its reference shows its difference", {
  row <- zhetysu:::zh_validation_row("f", "r", 1L, c(0.1234, 2), c(0.123, 2.5), 3L)
  expect_equal(row$max_abs_difference, 0.5)
  expect_identical(row$values, 2L)
  # rounded as the reference printed it: .1235 shows as .124 (halves away)
  row <- zhetysu:::zh_validation_row("f", "r", 1L, 0.1235, 0.123, 3L)
  expect_equal(row$max_abs_difference, 0.001, tolerance = 1e-12)
  expect_error(zhetysu:::zh_validation_row("f", "r", 1L, NA, 0.1, 3L),
               class = "zhetysu_error_input")
})
