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
    c(NA_real_, NA_real_),
    # values first seen after the first blocks of the marking pass, a value
    # of the range that never occurs, the extremes in the last rows (the
    # scan's tail after its 16-wide blocks)
    c(rep(c(1L, 2L, 4L), 5000), 5L, NA, 3L),
    c(rep(2L, 9000), NA, 7L, 1L),
    c(rep(c(1L, 3L), 4000), 6L),
    c(rep(c(2, 4, NA), 3000), 3, 9),
    c(rep(c(-3, 2), 3000), 0.5),                 # a fraction in the last row
    c(rep(-2L, 17), -40000L, 40000L),
    c(NA_integer_, NA_integer_, 5L)
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
  expect_error(zhetysu:::zh_codes(c(rep(c(1, 2), 5000), Inf), "col"),
               "`col` must not contain infinite", class = "zhetysu_error_value")
})

# ---- user-missing values of haven_labelled_spss ------------------------------

# haven's own is.na() is the reference for which values are user-missing.
test_that("user-missing values of character and numeric labelled_spss columns are missing everywhere", {
  skip_if_not_installed("haven")
  chr <- haven::labelled_spss(c("A", "B", "X", "A", "Z", NA, "B", "Y"),
                              labels = c(Yes = "A", No = "B", Refused = "X"), na_values = "X",
                              na_range = c("Y", "Z"))
  num <- haven::labelled_spss(c(1, 2, 8, 1, 99, NA, 2, 97),
                              labels = c(yes = 1, no = 2, refused = 8), na_values = 8,
                              na_range = c(90, 99))
  d <- data.frame(g = c(1, 1, 2, 2, 1, 2, 1, 2), w = c(1, 2, 1, 1, 3, 1, 1, 2))
  for (x in list(chr, num)) {
    d$x <- x
    miss <- is.na(x)
    expect_equal(sum(miss), 4L)
    ft <- freq_table(d, x)
    expect_equal(ft$n[ft$type == "missing"], sum(miss))
    expect_equal(ft$value[ft$type == "category"], c("Yes", "No", "yes", "no")[
      if (is.character(x)) 1:2 else 3:4])
    expect_equal(sum(ft$n[ft$type == "category"]), sum(!miss))
    ct <- crosstab(d, x, g)
    expect_equal(unname(ct$missing[["cases"]]), sum(miss))
    expect_equal(sum(ct$observed), sum(!miss))
    expect_equal(unname(ct$observed), unclass(table(as.vector(unclass(x))[!miss], d$g[!miss])),
                 ignore_attr = TRUE)
    pt <- profile_table(d, x, by = g)
    expect_equal(pt$n[pt$type == "missing"], sum(miss))
    at <- association_table(d, g, x)
    expect_equal(at$missing, sum(miss))
    # weighted: the same cases, their weights
    fw <- freq_table(d, x, weights = w)
    expect_equal(fw$n[fw$type == "missing"], sum(d$w[miss]))
  }
  # a numeric labelled_spss weight: its user-missing values leave the case out
  d$wl <- haven::labelled_spss(c(1, 2, -9, 1, 1, 1, 1, 1), na_values = -9)
  fw <- freq_table(d, g, weights = wl)
  expect_equal(fw$n[fw$type == "total"], 8)
  expect_equal(fw$n[fw$type == "category"], c(5, 3))
  # correlations: user-missing values drop the pair, as complete cases of zap_missing()
  d$y <- c(3, 1, 4, 1, 5, 9, 2, 6)
  d$x <- num
  cm <- cor_matrix(d, c(x, y))
  ok <- !is.na(num)
  expect_equal(cm$n[1, 2], sum(ok))
  expect_equal(cm$r[1, 2], cor(as.vector(unclass(num))[ok], d$y[ok]), tolerance = 1e-12)
})

# ---- columns by position when names repeat -----------------------------------

test_that("a column chosen by position is that column, also when names repeat", {
  d <- data.frame(a = c(1, 2, 1, 2, 1, 2), a = c(1, 1, 2, 2, 2, 2),
                  b = c("x", "y", "y", "x", "y", "y"), w = c(1, 2, 1, 1, 2, 1),
                  check.names = FALSE)
  ref <- d
  names(ref) <- c("a1", "a2", "b", "w")
  ct <- crosstab(d, 1, 2)
  expect_identical(unname(ct$observed), unname(crosstab(ref, a1, a2)$observed))
  expect_equal(unclass(ct$observed), unclass(table(d[[1]], d[[2]])), ignore_attr = TRUE)
  expect_identical(unname(crosstab(d, 2, "b", weights = 4)$observed),
                   unname(crosstab(ref, a2, b, weights = w)$observed))
  expect_identical(freq_table(d, 2)$n, freq_table(ref, a2)$n)
  expect_identical(profile_table(d, 1:2, by = 3)$n, profile_table(ref, a1:a2, by = b)$n)
  expect_identical(profile_table(d, 2, by = 1)$n_1, profile_table(ref, a2, by = a1)$n_1)
  expect_identical(association_table(d, 3, 1:2)$statistic,
                   association_table(ref, b, c(a1, a2))$statistic)
  expect_equal(cor_matrix(d, c(1, 2, 4))$r, cor(as.matrix(d[c(1, 2, 4)])), ignore_attr = TRUE)
  # the same column twice by position is a column against itself
  expect_identical(sum(diag(crosstab(d, 2, 2)$observed)), 6)
  # a repeated name is ambiguous: an error naming the argument, never the first column
  expect_error(crosstab(d, a, b), class = "zhetysu_error_column")
  expect_error(cor_matrix(d, c(a, w)), class = "zhetysu_error_column")
  expect_snapshot(error = TRUE, {
    crosstab(d, a, b)
    crosstab(d, "b", "a")
    freq_table(d, w, weights = a)
    profile_table(d, c(a, b))
    association_table(d, b, starts_with("w") | a)
    cor_matrix(d, c(a, w))
  })
  # columns without a name are selected by position too
  e <- data.frame(1:4, c(1, 1, 2, 2), c(1, 2, 1, 2))
  names(e) <- c("", "", "b")
  expect_equal(profile_table(e, 1:2)$n, c(rep(1, 4), 2, 2))
  expect_equal(cor_matrix(e, everything())$r, cor(as.matrix(unname(e))), ignore_attr = TRUE)
  # positions are compared, not names: by = 1 with vars = 2 is allowed ...
  expect_no_error(profile_table(d, 2, by = 1))
  # ... the same position is not
  expect_error(profile_table(d, 1:2, by = 1), class = "zhetysu_error_column")
})

test_that("a call that selects several columns, or a weight given by position, says so", {
  d <- data.frame(gender = factor(c("m", "f", "f")), country = factor(c("x", "y", "x")),
                  age = c(20, 30, 40))
  expect_error(freq_table(d, c(gender, country)), class = "zhetysu_error_column")
  expect_error(freq_table(d, "gender", "country"), class = "zhetysu_error_weights")
  expect_snapshot(error = TRUE, {
    freq_table(d, c(gender, country))
    freq_table(d, "gender", "country")
    crosstab(d, gender, country, age > 25)
    crosstab(d, gender, c(country, age))
    crosstab(d, gender, country, "country")
  })
  # a call that selects one column works as the column
  expect_identical(freq_table(d, all_of("gender"))$n, freq_table(d, gender)$n)
  expect_identical(freq_table(d, paste0("gen", "der"))$n, freq_table(d, gender)$n)
  expect_identical(crosstab(d, gender, starts_with("coun"))$observed,
                   crosstab(d, gender, country)$observed)
})

test_that("columns named by strings are tidyselect's columns, and its errors", {
  columns <- zhetysu:::zh_columns
  # `fs` is also a column: all_of() reads the variable, not the column
  d <- data.frame(a = 1, b = 2, c = 3, fs = 4)
  fs <- c("c", "a")
  one <- "b"
  # tidyselect's helpers come before the caller's variables
  all_of <- function(x) "b"
  env <- environment()
  # what tidyselect itself selects, in the form zh_columns() returns
  tidyselect_columns <- function(expr) {
    pos <- tidyselect::eval_select(expr, d, env = env, allow_rename = FALSE)
    structure(names(d)[pos], position = unname(as.integer(pos)))
  }
  exprs <- alist("b", c("c", "a"), c("fs"), all_of(fs), tidyselect::all_of(fs), any_of(fs),
                 tidyselect::any_of(fs), all_of("c"), all_of(one), all_of(c("b", "a")),
                 any_of(c("a", "zz")), all_of(c("a", "a")), c("a", "a"), c(a, "b"), c(fs, "a"),
                 starts_with("f"), any_of(fs[2]))
  for (expr in exprs) {
    expect_identical(columns(d, expr, "vars", env), tidyselect_columns(expr),
                     info = deparse(expr))
  }
  # repeated and empty names of `data`: columns are read by position
  dd <- data.frame(1, 2, 3, 4)
  names(dd) <- c("a", "a", "c", "")
  expect_identical(columns(dd, quote(all_of("c")), "vars", env), structure("c", position = 3L))
  expect_identical(columns(dd, quote(c("c")), "vars", env), structure("c", position = 3L))
  expect_error(columns(dd, quote(all_of(c("a", "c"))), "vars", env), class = "zhetysu_error_column")
  f <- function(x) columns(d, quote(all_of(x)), "vars", environment())
  everything <- "a"
  nope <- c("a", "zz")
  expect_snapshot(error = TRUE, {
    columns(d, quote(all_of(nope)), "factors", env)
    columns(d, quote(tidyselect::all_of(c("a", NA))), "factors", env)
    columns(d, quote(any_of(c(x = "a"))), "factors", env)
    columns(d, quote(c("a", "zz")), "factors", env)
    columns(d, quote("zz"), "factors", env)
    columns(d, quote(c(x = "a")), "factors", env)
    columns(d, quote(all_of(everything)), "factors", env)
    columns(d, quote(all_of(character())), "factors", env)
    columns(d, quote(all_of(undefined_variable)), "factors", env)
    f()
  })
})

# ---- classed columns -------------------------------------------------------------

# integer64 (bit64) as its bits: a double vector holding 64-bit integers, built
# here without bit64 from the two 32-bit halves.
as_int64 <- function(v) {
  halves <- as.vector(rbind(as.integer(v), ifelse(v < 0, -1L, 0L)))
  bits <- readBin(writeBin(halves, raw(), endian = "little"), "double", n = length(v),
                  endian = "little")
  structure(bits, class = "integer64")
}

test_that("zh_describe() names classed vectors by their class", {
  describe <- zhetysu:::zh_describe
  expect_identical(describe(as.difftime(1:3, units = "mins")), "a difftime vector of length 3")
  expect_identical(describe(as.Date("2020-01-01")), "a Date vector of length 1")
  expect_identical(describe(as.POSIXct("2020-01-01", tz = "UTC")),
                   "a date-time vector of length 1")
  expect_identical(describe(as.POSIXlt(c("2020-01-01", "2020-01-02"), tz = "UTC")),
                   "a date-time vector of length 2")
  expect_identical(describe(as_int64(1:2)), "an integer64 vector of length 2")
  expect_identical(describe(utils::as.roman(1:4)), "a roman vector of length 4")
  expect_identical(describe(table(1:2, 1:2)), "a table object with 2 dimensions")
  expect_identical(describe(1:3), "an integer vector of length 3")
})

test_that("Date, date-time, difftime and integer64 columns are accepted; other classes refused by class", {
  d <- data.frame(g = c(1, 2, 1, 2))
  d$t <- as.difftime(c(1, 2, 2, 90), units = "mins")
  d$day <- as.Date(c("2020-01-01", "2020-01-02", "2020-01-02", "2021-06-30"))
  d$i64 <- as_int64(c(5, -3, 5, 2147483647))
  d$i64w <- as_int64(c(1, 2, 3, 4))
  d$r <- utils::as.roman(c(1, 2, 2, 3))
  expect_identical(freq_table(d, t)$value[1:3], c("1 mins", "2 mins", "90 mins"))
  expect_identical(freq_table(d, day)$value[1:3], c("2020-01-01", "2020-01-02", "2021-06-30"))
  # a POSIXlt column (data frames can hold one) is its date-times
  d$lt <- as.POSIXlt(c("2020-01-01 10:00", "2020-01-01 10:00", "2020-01-02 09:30",
                       "2020-01-01 10:00"), tz = "UTC")
  expect_identical(freq_table(d, lt)$value[1:2], c("2020-01-01 10:00", "2020-01-02 09:30"))
  expect_equal(cor_matrix(d, c(lt, g))$r[1, 2], cor(as.numeric(as.POSIXct(d$lt)), d$g))
  expect_identical(freq_table(d, i64)$value[1:3], c("-3", "5", "2147483647"))
  expect_identical(crosstab(d, i64, g)$scores$row, c(-3, 5, 2147483647))
  expect_identical(freq_table(d, g, weights = i64w)$n, c(4, 6, 10))
  # correlations do not depend on the unit: dates as days, difftimes as their numbers
  cm <- cor_matrix(d, c(t, day, i64))
  num <- cbind(c(1, 2, 2, 90), as.numeric(d$day), c(5, -3, 5, 2147483647))
  expect_equal(cm$r, cor(num), ignore_attr = TRUE, tolerance = 1e-12)
  # integer64 beyond 2^53 has no exact double
  big <- structure(readBin(writeBin(c(0L, as.integer(2^21)), raw(), endian = "little"), "double",
                           endian = "little"), class = "integer64")
  d2 <- data.frame(x = 1)
  d2$x <- big
  expect_error(freq_table(d2, x), class = "zhetysu_error_value")
  expect_snapshot(error = TRUE, {
    freq_table(d, r)
    freq_table(d, g, weights = t)
    freq_table(d, g, weights = day)
    cor_matrix(d, c(g, r))
    freq_table(d2, x)
  })
})

test_that("a vector given for a column is refused, never read as column positions", {
  d <- data.frame(x = c("a", "b", "a"), g = c(1, 2, 2), w = c(1, 1, 1))
  expect_error(crosstab(d, x, g, weights = d$w), class = "zhetysu_error_column")
  expect_error(freq_table(d, d$g), class = "zhetysu_error_column")
  expect_error(crosstab(d, c("x", "g"), g), class = "zhetysu_error_column")
  expect_snapshot(error = TRUE, {
    crosstab(d, x, g, weights = d$w)
    freq_table(d, c("x", "g"))
  })
  # calls that give one name or one position are that column
  expect_identical(crosstab(d, paste0("", "x"), 1 + 1)$observed, crosstab(d, x, g)$observed)
})

test_that("a malformed factor is refused by the wrappers, naming it, before any engine", {
  # codes outside 1..nlevels used to reach the C engines' internal check
  # ("1 codes outside the table"), an unclassed error
  d <- data.frame(x = c(1, 2, 1, 2))
  d$f <- structure(c(1L, 2L, 3L, 1L), levels = c("a", "b"), class = "factor")
  d$g <- structure(c(1L, 0L, 2L, NA), levels = c("a", "b"), class = "factor")
  calls <- list(
    quote(crosstab(d, V, x)), quote(freq_table(d, V)), quote(association_table(d, x, V)),
    quote(means_table(d, x, V)), quote(profile_table(d, V)), quote(cor_matrix(d, c(x, V))))
  for (cl in calls) for (v in c("f", "g")) {
    e <- do.call(substitute, list(cl, list(V = as.name(v))))
    expect_error(eval(e), class = "zhetysu_error_type")
    expect_error(eval(e), sprintf("column `%s` is a malformed factor", v))
  }
  expect_snapshot(error = TRUE, {
    crosstab(d, f, x)
    freq_table(d, g)
  })
})
