# Category labels (R/labels.R): each names its value exactly, and no two
# categories share a label. The references are the values themselves, read
# back from the labels, and base R's table().

test_that("numeric category labels keep every digit: codes, decimals, large values", {
  cases <- list(
    codes11 = c(10000000000, 10000000001, 10000000002, 12345678901),
    round_codes = c(2e10, 3e10),
    decimals = c(0.1, 0.25, 1/3),
    close = c(0.3, 0.1 + 0.2),
    huge = c(1.5e20, 1.5e20 * (1 + 2^-50)),
    tiny = c(1e-300, 2e-300),
    mixed = c(-2.5, 0, 1e8, -1e-8)
  )
  for (k in names(cases)) {
    v <- cases[[k]]
    d <- data.frame(x = v)
    ft <- freq_table(d, x)
    lab <- ft$value[ft$type == "category"]
    expect_false(anyDuplicated(lab) > 0, label = k)
    back <- as.numeric(lab)
    ref <- sort(unique(v))
    expect_length(lab, length(ref))
    # exact to 15 significant digits; distinct values that agree to 15 digits
    # are told apart to 17
    expect_true(all(abs(back - ref) <= 5e-15 * abs(ref)), label = k)
    expect_identical(order(back), seq_along(back), label = k)
  }
  # whole codes below 1e15 are written in fixed notation, as typed
  expect_identical(freq_table(data.frame(x = c(2e10, 3e10)), x)$value[1:2],
                   c("20000000000", "30000000000"))
  expect_identical(rownames(crosstab(data.frame(x = c(1e10, 1e10 + 1), y = 1:2), x, y)$observed),
                   c("10000000000", "10000000001"))
})

test_that("date-times and dates are labelled to the precision of their values", {
  t <- as.POSIXct(c("2020-01-01 10:00:00", "2020-01-01 10:00:01", "2020-01-01 10:00:00.5",
                    "2020-01-01 10:00:00.25"), tz = "UTC")
  ft <- freq_table(data.frame(t = t), t)
  expect_identical(ft$value[ft$type == "category"],
                   c("2020-01-01 10:00:00.00", "2020-01-01 10:00:00.25",
                     "2020-01-01 10:00:00.50", "2020-01-01 10:00:01.00"))
  # read back, the labels are the times
  back <- as.POSIXct(ft$value[1:4], tz = "UTC", format = "%Y-%m-%d %H:%M:%OS")
  expect_equal(as.numeric(back), sort(as.numeric(t)), tolerance = 1e-9)
  # whole seconds, whole minutes, midnights: no needless digits
  lab <- function(x) freq_table(data.frame(x = x), x)$value[1:2]
  expect_identical(lab(as.POSIXct(c("2020-01-01 10:00:00", "2020-01-01 10:00:07"), tz = "UTC")),
                   c("2020-01-01 10:00:00", "2020-01-01 10:00:07"))
  expect_identical(lab(as.POSIXct(c("2020-01-01 10:00", "2020-01-01 10:30"), tz = "UTC")),
                   c("2020-01-01 10:00", "2020-01-01 10:30"))
  expect_identical(lab(as.POSIXct(c("2020-01-01", "2020-01-02"), tz = "UTC")),
                   c("2020-01-01", "2020-01-02"))
  # a time zone's clock time is used, and the hour the clock is set back twice is told apart
  ny <- as.POSIXct(c("2020-11-01 05:30:00", "2020-11-01 06:30:00"), tz = "UTC")
  attr(ny, "tzone") <- "America/New_York"
  expect_identical(format(ny), c("2020-11-01 01:30:00", "2020-11-01 01:30:00"))
  expect_identical(lab(ny), c("2020-11-01 01:30 (EDT)", "2020-11-01 01:30 (EST)"))
  # Dates with fractions of a day are the date-times they stand for
  days <- structure(c(18000, 18000.5, 18001), class = "Date")
  expect_identical(freq_table(data.frame(d = days), d)$value[1:3],
                   c("2019-04-14 00:00", "2019-04-14 12:00", "2019-04-15 00:00"))
  expect_identical(lab(as.Date(c("2020-02-29", "2020-03-01"))), c("2020-02-29", "2020-03-01"))
})

test_that("repeated value labels are made distinct by their values, and keyed by value", {
  skip_if_not_installed("haven")
  d <- data.frame(g = haven::labelled(c(1, 2, 1, 2, 3, 2), labels = c(Same = 1, Same = 2)),
                  v = c("a", "a", "b", "b", "a", "b"))
  ref <- table(as.vector(unclass(d$g)), d$v)
  ft <- freq_table(d, g)
  expect_identical(ft$value[ft$type == "category"], c("Same (1)", "Same (2)", "3"))
  expect_equal(ft$n[ft$type == "category"], as.vector(table(as.vector(unclass(d$g)))))
  # profile_table(by = ): one column pair per group, none overwritten
  pt <- profile_table(d, v, by = g)
  expect_true(all(c("n_Same (1)", "n_Same (2)", "n_3") %in% names(pt)))
  expect_equal(pt[["n_Same (1)"]], as.vector(ref["1", ]))
  expect_equal(pt[["n_Same (2)"]], as.vector(ref["2", ]))
  expect_equal(pt[["n_3"]], as.vector(ref["3", ]))
  ct <- crosstab(d, g, v)
  expect_identical(rownames(ct$observed), c("Same (1)", "Same (2)", "3"))
  expect_equal(unname(ct$observed), unname(unclass(ref)), ignore_attr = TRUE)
  # a value label that is another value's number, and an empty label
  d$h <- haven::labelled(c(1, 2, 2, 3, 3, 3), labels = stats::setNames(c(1, 3), c("2", "")))
  expect_identical(freq_table(d, h)$value[1:3], c("2 (1)", "2 (2)", "3"))
  # character labelled values with one label for two values
  d$s <- haven::labelled(c("a", "b", "b", "c", "c", "c"), labels = c(Same = "a", Same = "b"))
  expect_identical(freq_table(d, s)$value[1:3], c("Same (a)", "Same (b)", "c"))
  # two groups whose labels would coincide still give two group columns
  d$k <- c(10000000000, 10000000001, 10000000000, 10000000001, 10000000000, 10000000001)
  pk <- profile_table(d, v, by = k)
  expect_equal(pk[["n_10000000000"]], as.vector(table(d$v[d$k == 1e10])))
  expect_equal(pk[["n_10000000001"]], as.vector(table(d$v[d$k == 1e10 + 1])))
})

test_that("a category labelled NA (addNA) prints as <NA>, and table dimnames are distinct", {
  f <- addNA(factor(c("a", NA, "b", NA)))
  ft <- freq_table(data.frame(f = f), f)
  expect_identical(ft$value, c("a", "b", "<NA>", "Total"))
  expect_equal(ft$n, c(as.vector(table(f)), 4))
  expect_match(utils::capture.output(print(ft)), "<NA>", fixed = TRUE, all = FALSE)
  ct <- crosstab(data.frame(f = f, g = c(1, 1, 2, 2)), f, g)
  expect_identical(rownames(ct$observed), c("a", "b", "<NA>"))
  # a table with an NA category and repeated names
  tab <- table(f, c("x", "y", "x", "y"))
  expect_identical(rownames(crosstab(tab)$observed), c("a", "b", "<NA>"))
  m <- matrix(1:4, 2, dimnames = list(c("s", "s"), c("u", "v")))
  expect_identical(rownames(crosstab(as.table(m))$observed), c("s (1)", "s (2)"))
  # a level "<NA>" besides the NA level
  g <- factor(c("<NA>", NA), levels = c("<NA>", NA), exclude = NULL)
  expect_identical(freq_table(data.frame(g = g), g)$value[1:2], c("<NA> (1)", "<NA> (2)"))
})
