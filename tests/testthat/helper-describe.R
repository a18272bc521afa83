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
