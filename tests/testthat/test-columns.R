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

# zh_codes() against base R's factor(): the codes are the positions of the
# sorted distinct values, NA and NaN are missing.
reference_codes <- function(x) {
  f <- factor(x, levels = sort(unique(x[!is.na(x)])))
  list(codes = as.integer(f), scores = as.numeric(levels(f)))
}

test_that("numeric columns get the codes and scores of factor()", {
  set.seed(20261124)
  cases <- list(
    sample(1:5, 1000, TRUE),
    c(3L, NA, -2L, 3L, 7L),
    c(2, NaN, 5, 2, NA, -1),
    sample(c(-1e6, 0, 1e6), 50, TRUE),          # range too wide for the C path
    c(0.5, 1.5, NA, 0.5),                        # not whole numbers
    c(.Machine$integer.max, -.Machine$integer.max, 0L),
    as.double(sample(100:120, 200, TRUE)),
    c(NA_real_, NA_real_)
  )
  for (x in cases) {
    got <- zhetysu:::zh_codes(x, "x")
    ref <- reference_codes(x)
    expect_identical(got$codes, ref$codes)
    expect_equal(got$scores, ref$scores)
    expect_length(got$labels, length(ref$scores))
  }
})

test_that("infinite values are refused on both paths", {
  expect_error(zhetysu:::zh_codes(c(1, Inf, NA), "row"), "`row` must not contain infinite",
               class = "zhetysu_error_value")
  expect_error(zhetysu:::zh_codes(c(0.5, -Inf), "col"), "`col` must not contain infinite",
               class = "zhetysu_error_value")
})
