# Shared by test-describe.R and test-means.R.

# the formula sheet prints six decimals: equal to 1e-6
expect_sheet <- function(actual, expected) {
  expect_true(all(abs(actual - expected) <= 1e-6),
              label = sprintf("%s vs %s", paste(format(actual, digits = 10), collapse = " "),
                              paste(expected, collapse = " ")))
}

# The tables of a GNU PSPP output file (pspp -O format=csv) in
# fixtures/describe-pspp (made by fixtures/make-describe-pspp.R).
pspp_tables <- function(file) {
  lines <- readLines(test_path("fixtures", "describe-pspp", file))
  starts <- grep("^Table: ", lines)
  ends <- c(starts[-1] - 1L, length(lines))
  lapply(seq_along(starts), function(i) {
    body <- lines[(starts[i] + 1L):ends[i]]
    body <- body[nzchar(body)]
    list(title = sub("^Table: ", "", lines[starts[i]]),
         rows = utils::read.csv(text = body, header = FALSE, stringsAsFactors = FALSE,
                                colClasses = "character"))
  })
}

pspp_num <- function(s) suppressWarnings(as.numeric(sub("%$", "", s)))

# Skewness and kurtosis as SPSS's algorithms state them (weights as is).
spss_moments <- function(x, w = rep(1, length(x))) {
  ok <- !is.na(x) & !is.na(w) & w > 0
  x <- x[ok]
  w <- w[ok]
  W <- sum(w)
  m <- sum(w * x) / W
  M2 <- sum(w * (x - m)^2)
  M3 <- sum(w * (x - m)^3)
  M4 <- sum(w * (x - m)^4)
  S <- sqrt(M2 / (W - 1))
  se_skew <- sqrt(6 * W * (W - 1) / ((W - 2) * (W + 1) * (W + 3)))
  c(n = W, mean = m, sd = S, variance = S^2, se_mean = S / sqrt(W),
    skewness = W * M3 / ((W - 1) * (W - 2) * S^3), se_skewness = se_skew,
    kurtosis = (W * (W + 1) * M4 - 3 * M2^2 * (W - 1)) / ((W - 1) * (W - 2) * (W - 3) * S^4),
    se_kurtosis = sqrt(4 * (W^2 - 1) * se_skew^2 / ((W - 3) * (W + 5))),
    sum = sum(w * x), minimum = min(x), maximum = max(x), range = max(x) - min(x))
}
