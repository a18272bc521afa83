# describe() and means_table() on lazy tables: the moments from the
# database's shifted sums must equal the in-memory result on the collected
# data (checked against PSPP and base R in test-describe.R and
# test-means.R), on SQLite always and on PostgreSQL when a server is given
# (helper-database.R).

skip_if_not_installed("DBI")
skip_if_not_installed("dbplyr")
skip_if_not_installed("dplyr")

sum_stats <- c("n", "mean", "se_mean", "sd", "variance", "skewness", "kurtosis", "range",
               "minimum", "maximum", "sum")
means_stats <- c("mean", "n", "sd", "se_mean", "variance", "sum", "minimum", "maximum", "range",
                 "skewness", "kurtosis")

# db_data() plus zero weights and a skewed variable offset by 1e9 (whose
# skewness and kurtosis are far from 0, so that relative differences mean
# something)
moment_data <- function() {
  d <- db_data()
  d$w[c(20, 40, 60)] <- 0
  d$s <- 1e9 + stats::rexp(nrow(d))^2
  d$s[c(5, 50, 500)] <- NA
  d
}

check_moments <- function(con) {
  t0 <- db_table(con, moment_data(), "zh_moments")
  t <- dplyr::mutate(dplyr::filter(t0, keep == 1L), x2 = x + 2 * z)
  loc <- as.data.frame(dplyr::collect(t))
  expect_false(9L %in% loc$a)
  sorted <- c("median", "mode")
  # the same calls without and with weights
  calls <- function(x, wt) {
    list(
      describe = if (is.null(wt)) describe(x, c(x, y, z, g, s, x2), statistics = sum_stats) else
        describe(x, c(x, y, z, g, s, x2), weights = wt, statistics = sum_stats),
      means = if (is.null(wt)) means_table(x, s, by = c(a, b, g), statistics = means_stats) else
        means_table(x, s, by = c(a, b, g), weights = wt, statistics = means_stats),
      means_x = if (is.null(wt)) means_table(x, x, by = c(a, g)) else
        means_table(x, x, by = c(a, g), weights = wt))
  }
  for (wt in list(NULL, "w")) {
    db <- calls(t, wt)
    mem <- calls(loc, wt)
    expect_same(db$describe$table[setdiff(names(db$describe$table), sorted)],
                mem$describe$table[setdiff(names(mem$describe$table), sorted)])
    expect_identical(db$describe$statistics, mem$describe$statistics)
    expect_identical(db$describe$weighted, mem$describe$weighted)
    expect_same(db$means, mem$means)
    expect_same(db$means_x, mem$means_x)
  }
  # the user's order of the categories
  expect_same(means_table(t, s, by = a, levels = list(a = c(4, 3, 2, 1))),
              means_table(transform(loc, a = factor(a, levels = 4:1)), s, by = a))
  # independently: base R on the valid cases of each group
  ok <- !is.na(loc$s) & !is.na(loc$a)
  m <- means_table(t, s, by = a)$tables$a$report
  expect_equal(m$mean[-nrow(m)], as.vector(tapply(loc$s[ok], loc$a[ok], mean)), tolerance = 1e-15)
  expect_equal(m$sd[-nrow(m)], as.vector(tapply(loc$s[ok], loc$a[ok], stats::sd)), tolerance = 1e-12)
  d <- describe(t, x, weights = w)$table
  okw <- !is.na(loc$x) & !is.na(loc$w) & loc$w > 0
  expect_equal(d$mean, stats::weighted.mean(loc$x[okw], loc$w[okw]), tolerance = 1e-15)
  expect_equal(d$n, sum(loc$w[okw]), tolerance = 1e-15)
  # the default statistics without the median, which needs the sorted values
  expect_identical(describe(t, x)$statistics,
                   setdiff(describe(loc, x)$statistics, "median"))

  # 0 rows after a filter: the error of an empty data frame
  e <- dplyr::filter(t0, keep == 2L)
  for (f in list(function(x) describe(x, c(x, y)), function(x) means_table(x, y, by = a))) {
    expect_error(f(e), class = "zhetysu_error_data")
    expect_identical(tryCatch(f(e), error = conditionMessage),
                     tryCatch(f(loc[0, ]), error = conditionMessage))
  }
}

test_that("SQLite: describe() and means_table() equal the in-memory result", {
  con <- sqlite_con()
  on.exit(DBI::dbDisconnect(con))
  check_moments(con)
})

test_that("PostgreSQL: describe() and means_table() equal the in-memory result", {
  con <- pg_con()
  on.exit(DBI::dbDisconnect(con))
  check_moments(con)
})

# Issue 17: the second query summed raw fourth powers (1e1200 overflows in
# SQL, 1e-1200 vanishes) and the first summed the raw values.
check_moments_extreme <- function(con) {
  set.seed(1718)
  n <- 500
  base <- data.frame(x = c(stats::rgamma(n - 1, 2), 40), a = sample(1:3, n, TRUE),
                     w = round(stats::runif(n, 0.3, 2), 3))
  base$x[c(3, 70)] <- NA
  # groups of data offset by 1e12: between groups from the means' exact parts
  t <- db_table(con, transform(base, x = x / 8 + 1e12), "offset_moments")
  loc <- as.data.frame(dplyr::collect(t))
  a <- means_table(t, x, by = a, weights = w)$tables$a$anova
  b <- means_table(loc, x, by = a, weights = w)$tables$a$anova
  expect_equal(a$table$f, b$table$f, tolerance = 1e-12)
  expect_equal(a$association, b$association, tolerance = 1e-12)
  st <- c("mean", "sd", "skewness", "kurtosis", "se_mean")
  for (k in c(300, -300)) {
    d <- transform(base, x = x * 10^k)
    t <- db_table(con, d, "extreme_moments")
    loc <- as.data.frame(dplyr::collect(t))
    lab <- sprintf("10^%d", k)
    # the data frame's engine, checked at these scales against the formulas
    # in test-describe.R and test-means.R
    for (wt in c(FALSE, TRUE)) {
      got <- if (wt) describe(t, x, weights = w, statistics = st)$table else
        describe(t, x, statistics = st)$table
      want <- if (wt) describe(loc, x, weights = w, statistics = st)$table else
        describe(loc, x, statistics = st)$table
      expect_equal(unlist(got[c(st, "sd")]), unlist(want[c(st, "sd")]), tolerance = 1e-12,
                   label = lab)
      expect_true(all(is.finite(unlist(got[st]))), label = lab)
      mg <- if (wt) means_table(t, x, by = a, weights = w, statistics = st) else
        means_table(t, x, by = a, statistics = st)
      mm <- if (wt) means_table(loc, x, by = a, weights = w, statistics = st) else
        means_table(loc, x, by = a, statistics = st)
      expect_equal(mg$tables$a$report[st], mm$tables$a$report[st], tolerance = 1e-12,
                   label = lab)
      expect_equal(mg$tables$a$anova$table$f, mm$tables$a$anova$table$f, tolerance = 1e-12,
                   label = lab)
    }
    # and the SD against the formula on the data rescaled
    ok <- !is.na(loc$x)
    expect_equal(describe(t, x, statistics = "sd")$table$sd / 10^k, stats::sd(loc$x[ok] / 10^k),
                 tolerance = 1e-12, label = lab)
  }
}

test_that("SQLite: moments of data of 1e300 and 1e-300 on lazy tables", {
  con <- sqlite_con()
  on.exit(DBI::dbDisconnect(con))
  check_moments_extreme(con)
})

test_that("PostgreSQL: moments of data of 1e300 and 1e-300 on lazy tables", {
  con <- pg_con()
  on.exit(DBI::dbDisconnect(con))
  check_moments_extreme(con)
})

test_that("moments on lazy tables: weights checked, sorted statistics refused, SQL shown", {
  con <- sqlite_con()
  on.exit(DBI::dbDisconnect(con))
  d <- moment_data()
  d$w[3] <- -1
  t <- db_table(con, d, "bad")
  for (f in list(function(x) describe(x, c(x, y), weights = w),
                 function(x) means_table(x, y, by = a, weights = w))) {
    expect_error(f(t), class = "zhetysu_error_weights")
    expect_identical(tryCatch(f(t), error = conditionMessage),
                     tryCatch(f(d), error = conditionMessage))
  }
  expect_error(describe(t, x, statistics = "median"), class = "zhetysu_error_input")
  expect_error(describe(t, x, statistics = "mean", percentiles = 10),
               class = "zhetysu_error_input")
  expect_error(means_table(t, b, by = a), class = "zhetysu_error_type")
  expect_snapshot(error = TRUE, {
    describe(t, x, statistics = c("mean", "median"))
    describe(t, x, statistics = "mode")
    describe(t, x, statistics = "mean", percentiles = c(10, 90))
  })
  sql <- describe(t, c(x, y), weights = w, show_sql = TRUE)
  expect_length(sql, 2L)
  expect_match(sql[2], ":shift_x", fixed = TRUE)
  sql <- means_table(t, y, by = c(a, b), show_sql = TRUE)
  expect_length(sql, 4L)
  expect_match(sql[1], "GROUP BY", fixed = TRUE)
})

test_that("the SQL of the moments, in the dialects of Spark SQL and PostgreSQL", {
  cons <- list(hive = dbplyr::simulate_hive(), postgres = dbplyr::simulate_postgres())
  for (nm in names(cons)) {
    t <- dbplyr::lazy_frame(g = 1, w = 1, x = 1, con = cons[[nm]], .name = "survey")
    expect_snapshot(cat(means_table(t, x, by = g, weights = w, show_sql = TRUE), sep = "\n\n"),
                    variant = nm)
  }
})
