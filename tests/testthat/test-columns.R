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
