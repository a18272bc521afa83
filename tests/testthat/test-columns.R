# The shared column helpers (R/columns.R); the user-facing messages are
# snapshot-tested with each function.

test_that("zh_codes_of() stops on a column without valid values, whatever its type", {
  codes_of <- zhetysu:::zh_codes_of
  cols <- list(num = c(NA, NaN), lgl = c(NA, NA), chr = c(NA_character_, NA),
               fct = factor(c(NA, NA), levels = "a"), date = as.Date(c(NA, NA)))
  for (k in names(cols)) {
    d <- data.frame(v = 1:2)
    d$v <- cols[[k]]
    expect_error(codes_of(d, "v", "var"), class = "zhetysu_error_empty", info = k)
  }
  expect_identical(codes_of(data.frame(v = c(NaN, 2, NA)), "v", "var")$codes, c(NA, 1L, NA))
})

test_that("zh_no_cases() names every argument that selected a column", {
  no_cases <- function(...) tryCatch(zhetysu:::zh_no_cases(...), error = conditionMessage)
  expect_match(no_cases(list(var = 1:2), "x", FALSE), "non-missing `var` values\\.$")
  expect_match(no_cases(list(var = 1:2, weights = c(0, 0)), c("x", "w"), FALSE),
               "non-missing `var` and `weights` values with a positive weight\\.$")
  expect_match(no_cases(list(row = 1:2, col = 1:2, weights = NULL), c("a", "b"), FALSE),
               "non-missing `row` and `col` values\\.$")
  expect_match(no_cases(list(row = 1:2, col = c(NA, NA)), c("a", "b"), FALSE),
               "^`col` must have at least one non-missing value; column `b`")
})
