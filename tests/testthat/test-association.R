# A survey-like data set with every kind of column: unordered and ordered
# factors (one with an unused level), numeric, character and logical
# columns, missing values in factors, outcome and weights, and quarter
# weights (exact in binary, so sums do not depend on their order).
assoc_data <- function(n = 400, seed = 1) {
  set.seed(seed)
  d <- data.frame(
    belong = sample(1:5, n, replace = TRUE, prob = c(1, 2, 3, 3, 2)),
    gender = factor(sample(c("Male", "Female"), n, replace = TRUE)),
    age = ordered(sample(c("18-24", "25-34", "35-44", "45+"), n, replace = TRUE),
                  levels = c("18-24", "25-34", "35-44", "45+", "unused")),
    region = sample(c("north", "south", "east"), n, replace = TRUE),
    kids = sample(0:4, n, replace = TRUE),
    urban = sample(c(TRUE, FALSE), n, replace = TRUE),
    rare = sample(c("a", "b"), n, replace = TRUE, prob = c(0.97, 0.03)),
    w = sample(1:12, n, replace = TRUE) / 4,
    stringsAsFactors = FALSE)
  # an association, so that p-values are small as well as large
  d$belong <- pmin(5L, d$belong + (d$kids > 2))
  d$belong[sample(n, 15)] <- NA
  d$region[sample(n, 20)] <- NA
  d$kids[sample(n, 10)] <- NA
  d$w[sample(n, 5)] <- NA
  d
}

# Every row of association_table() must equal crosstab() for its pair
# (factor in rows, outcome in columns), bit for bit.
expect_rows_equal_crosstab <- function(at, d, outcome, weights = NULL, count = "round") {
  for (i in seq_len(nrow(at))) {
    f <- at$variable[i]
    ct <- if (is.null(weights)) crosstab(d, f, outcome, count = count) else
      crosstab(d, f, outcome, weights = weights, count = count)
    te <- ct$tests
    ms <- ct$measures
    expect_identical(at$statistic[i], te$statistic[te$test == "Pearson Chi-Square"])
    expect_identical(at$df[i], te$df[1])
    expect_identical(at$p_value[i], te$p_value[1])
    expect_identical(at$lr_statistic[i], te$statistic[te$test == "Likelihood Ratio"])
    expect_identical(at$lr_p_value[i], te$p_value[te$test == "Likelihood Ratio"])
    expect_identical(at$cramers_v[i], ms$estimate[ms$measure == "Cramer's V"])
    expect_identical(at$n[i], ct$n)
    expect_identical(at$min_expected[i], ct$min_expected)
    expect_identical(at$cells_below_5[i], ct$cells_below_5)
    expect_identical(at$missing[i], unname(ct$missing[["cases"]]))
    if (all(ct$ordered)) {
      expect_identical(at$gamma[i], ms$estimate[ms$measure == "Gamma"])
      expect_identical(at$gamma_p_value[i], ms$p_value[ms$measure == "Gamma"])
      expect_identical(at$tau_b[i], ms$estimate[ms$measure == "Kendall's tau-b"])
      expect_identical(at$tau_b_p_value[i], ms$p_value[ms$measure == "Kendall's tau-b"])
    } else {
      expect_true(is.na(at$gamma[i]) && is.na(at$tau_b[i]))
    }
    tab <- attr(at, "tables")[[f]]
    keep <- rowSums(tab) > 0
    expect_identical(unname(tab[keep, colSums(tab) > 0, drop = FALSE]), unname(ct$observed))
  }
}

factors <- c("gender", "age", "region", "kids", "urban", "rare")

test_that("every association_table() row equals crosstab() for that pair", {
  d <- assoc_data()
  at <- association_table(d, belong, tidyselect::all_of(factors))
  expect_identical(at$variable, factors)
  expect_rows_equal_crosstab(at, d, "belong")
})

test_that("weighted rows equal crosstab() under every count rule", {
  d <- assoc_data(seed = 2)
  for (count in c("round", "asis", "truncate", "case_round", "case_truncate")) {
    at <- association_table(d, "belong", tidyselect::all_of(factors), weights = w,
                            count = count)
    expect_rows_equal_crosstab(at, d, "belong", weights = "w", count = count)
  }
})

test_that("rows equal crosstab() on data large enough for the threaded pass", {
  d <- assoc_data(n = 150000, seed = 3)
  at <- association_table(d, belong, c(age, kids, region), weights = w)
  expect_rows_equal_crosstab(at, d, "belong", weights = "w")
  at <- association_table(d, belong, c(age, kids, region, gender, urban))
  expect_rows_equal_crosstab(at, d, "belong")
})

test_that("rows equal crosstab() across more than one 2^20-row chunk", {
  set.seed(7)
  n <- 2^20 + 4321
  d <- data.frame(y = sample(c(1:3, NA), n, replace = TRUE, prob = c(4, 3, 2, 1)),
                  a = factor(sample(c("p", "q", NA), n, replace = TRUE)),
                  b = sample(1:4, n, replace = TRUE))
  at <- association_table(d, y, c(a, b))
  expect_rows_equal_crosstab(at, d, "y")
})

test_that("the statistics agree with base R chisq.test() and the likelihood ratio by hand", {
  d <- assoc_data(seed = 4)
  at <- association_table(d, belong, c(gender, age, region))
  for (f in c("gender", "age", "region")) {
    tab <- table(d[[f]], d$belong)
    tab <- tab[rowSums(tab) > 0, colSums(tab) > 0]
    ref <- suppressWarnings(stats::chisq.test(tab, correct = FALSE))
    row <- at[at$variable == f, ]
    expect_equal(row$statistic, unname(ref$statistic), tolerance = 1e-10)
    expect_equal(row$df, unname(ref$parameter))
    expect_equal(row$p_value, ref$p.value, tolerance = 1e-10)
    expect_equal(row$n, sum(tab))
    expect_equal(row$min_expected, min(ref$expected), tolerance = 1e-12)
    expect_identical(row$cells_below_5, sum(ref$expected < 5))
    expect_equal(row$cramers_v, sqrt(unname(ref$statistic) / (sum(tab) * (min(dim(tab)) - 1))),
                 tolerance = 1e-10)
    g2 <- 2 * sum(ifelse(tab > 0, tab * log(tab / ref$expected), 0))
    expect_equal(row$lr_statistic, g2, tolerance = 1e-10)
  }
})

test_that("p_adjust adjusts the Pearson p-values across rows", {
  d <- assoc_data(seed = 5)
  raw <- association_table(d, belong, tidyselect::all_of(factors))
  for (m in c("holm", "BH", "bonferroni")) {
    at <- association_table(d, belong, tidyselect::all_of(factors), p_adjust = m)
    expect_identical(at$p_value, raw$p_value)
    expect_equal(at$p_adjusted, stats::p.adjust(raw$p_value, m))
  }
  expect_false("p_adjusted" %in% names(raw))
})

test_that("an outcome that is empty for a factor's cases and one-category tables give NA, not errors", {
  d <- data.frame(y = c(1, 1, 2, 2, NA, 3), a = c("x", "y", "x", "y", "x", NA),
                  b = c("k", "k", "k", "k", "m", NA))
  at <- association_table(d, y, c(a, b))
  expect_rows_equal_crosstab(at, d, "y")
  expect_true(is.na(at$statistic[at$variable == "b"]))
})

test_that("haven_labelled factors count like crosstab(); columns without valid values stop", {
  skip_if_not_installed("haven")
  d <- assoc_data(n = 60)
  d$lab <- haven::labelled(as.double(d$kids), labels = c(none = 0, one = 1))
  at <- association_table(d, belong, c(gender, lab))
  expect_rows_equal_crosstab(at, d, "belong")
  expect_identical(rownames(attr(at, "tables")$lab), c("none", "one", "2", "3", "4"))
  d$empty <- NA_real_
  d$um <- haven::labelled_spss(rep(9, 60), labels = c(refused = 9), na_values = 9)
  expect_snapshot(error = TRUE, association_table(d, empty, c(gender, lab)))
  expect_snapshot(error = TRUE, association_table(d, belong, c(gender, um)))
  expect_snapshot(error = TRUE, association_table(d, um, lab))
})

test_that("a malformed factor (codes beyond its levels) stops instead of miscounting", {
  bad <- structure(c(1L, 2L, 3L, 1L), levels = c("a", "b"), class = "factor")
  d <- data.frame(y = c(1, 2, 1, 2))
  d$f <- bad
  expect_error(association_table(d, y, f), "outside")
  d$w <- 1
  expect_error(association_table(d, y, f, weights = w), "outside")
  # found by the counting pass also where the case is left out anyway
  d$y[3] <- NA
  for (w in list(NULL, "w")) {
    expect_error(association_table(d, y, f, weights = w), "column `f` is a malformed factor",
                 class = "zhetysu_error_type")
    expect_error(association_table(d, f, y, weights = w), "`outcome` column `f` is a malformed")
  }
})

test_that("printed output and formats", {
  d <- assoc_data(seed = 6)
  at <- association_table(d, belong, tidyselect::all_of(factors))
  expect_snapshot({
    at
    print(association_table(d, belong, c(age, kids), weights = w, p_adjust = "holm"),
          style = "spss", decimal_mark = ",")
    format(at[1:2, ])
  })
  p_text <- printed_table(at)$body[, c(3, 9)]
  expect_false(any(grepl("0[.,]000", p_text)))
  expect_true(any(p_text == "<.001"))
  expect_true(grepl("Pearson Chi-Square", zhetysu:::zh_html(at), fixed = TRUE))
  expect_identical(class(as.data.frame(at)), "data.frame")
  expect_named(tidy(at)[1:4], c("variable", "statistic", "df", "p.value"))
})

test_that("bad input stops with a message naming the argument", {
  d <- assoc_data(n = 20)
  d$l <- as.list(seq_len(nrow(d)))
  expect_snapshot(error = TRUE, association_table(d, belong, c(gender, nope)))
  expect_snapshot(error = TRUE, association_table(d, nope, gender))
  expect_snapshot(error = TRUE, association_table(d, belong, c(gender, l)))
  expect_snapshot(error = TRUE, association_table(d, l, gender))
  expect_snapshot(error = TRUE, association_table(d, belong, c(gender, belong)))
  expect_snapshot(error = TRUE, association_table(d, belong, c(gender, w), weights = w))
  expect_snapshot(error = TRUE, association_table(d[0, ], belong, gender))
  expect_snapshot(error = TRUE, association_table(d, belong, gender, count = "up"))
  expect_snapshot(error = TRUE, association_table(d, belong, gender, p_adjust = "sidak"))
  expect_snapshot(error = TRUE, association_table(d, belong, gender, wieghts = w))
  expect_snapshot(error = TRUE, association_table(as.list(d), belong, gender))
})

test_that("the statistics of many tables are the same on one thread and on two", {
  # association_table() hands all its tables to one C call that runs them in
  # parallel; crosstab() computes one table alone
  set.seed(11)
  n <- 600
  d <- data.frame(y2 = sample(c("no", "yes"), n, replace = TRUE),
                  y5 = ordered(sample(1:5, n, replace = TRUE)),
                  w = sample(1:16, n, replace = TRUE) / 4)
  for (k in 1:24) {
    lev <- 2 + k %% 6
    x <- sample(lev, n, replace = TRUE)
    x[sample(n, 20)] <- NA
    d[[sprintf("f%02d", k)]] <- if (k %% 2) ordered(x, levels = seq_len(lev + 1)) else x
  }
  fs <- sprintf("f%02d", 1:24)
  old <- options(zhetysu.threads = 1L)
  on.exit(options(old))
  one <- list(association_table(d, y5, tidyselect::all_of(fs)),
              association_table(d, y2, tidyselect::all_of(fs), weights = w))
  options(zhetysu.threads = 2L)
  two <- list(association_table(d, y5, tidyselect::all_of(fs)),
              association_table(d, y2, tidyselect::all_of(fs), weights = w))
  expect_identical(two, one)
  expect_rows_equal_crosstab(two[[1]], d, "y5")
  expect_rows_equal_crosstab(two[[2]], d, "y2", weights = "w")
  # large tables, which the C code shares out between threads
  options(zhetysu.max_categories = 100, zhetysu.threads = 1L)
  big <- data.frame(y = sample(60, 20000, replace = TRUE))
  for (k in 1:10) big[[sprintf("g%02d", k)]] <- sample(50 + 2 * k, 20000, replace = TRUE)
  gs <- sprintf("g%02d", 1:10)
  one <- association_table(big, y, tidyselect::all_of(gs))
  options(zhetysu.threads = 2L)
  two <- association_table(big, y, tidyselect::all_of(gs))
  expect_identical(two, one)
  expect_rows_equal_crosstab(two, big, "y")

  # every statistic (tests, measures with kappa, risk) of a list of tables
  # equals that of each table computed alone
  # (enough cells that the C code uses both threads)
  tabs <- lapply(1:40, function(i) {
    r <- if (i %% 4 == 0) 60 else 1 + i %% 4
    cc <- if (i %% 3 == 0) r else if (i %% 4 == 0) 50 else 2 + (i %/% 4) %% 3
    matrix(sample(1:30, r * cc, replace = TRUE) * (if (i %% 5 == 0) 0.25 else 1), r, cc)
  })
  rs <- lapply(tabs, function(t) as.double(seq_len(nrow(t))^2))
  cs <- lapply(tabs, function(t) as.double(seq_len(ncol(t))))
  pairs <- lapply(tabs, function(t) if (nrow(t) == ncol(t)) rev(seq_len(nrow(t))) else NULL)
  all2 <- zhetysu:::zh_stats_list(tabs, rs, cs, pairs, threads = 2L)
  all1 <- zhetysu:::zh_stats_list(tabs, rs, cs, pairs, threads = 1L)
  expect_identical(all2, all1)
  for (i in seq_along(tabs)) {
    alone <- zhetysu:::zh_stats_list(tabs[i], rs[i], cs[i], pairs[i], threads = 1L)[[1]]
    expect_identical(all2[[i]], alone)
  }
  expect_true(any(vapply(all2, function(s) !is.na(s$measures["kappa", "p_value"]), TRUE)))
  expect_true(any(vapply(all2, function(s) !is.na(s$tests[["fisher_2"]]), TRUE)))
  expect_true(any(vapply(all2, function(s) !is.na(s$risk["odds", "lower"]), TRUE)))
})

test_that("the vectorised count gives the tables of table(), as the plain count does", {
  # zhetysu.simd = "avx2" keeps to the AVX2 kernel, FALSE turns the
  # word-at-a-time kernels off (where the processor has them); every way
  # must give table()'s counts, on row counts that
  # end inside a word of 64 rows, with NA on both sides, tables on and past
  # the kernel's limits (16 categories a side, 64 cells) and the threaded pass
  set.seed(21)
  old <- options(zhetysu.simd = TRUE)
  on.exit(options(old))
  lev <- c(2, 5, 8, 12, 16, 17, 30)
  for (n in c(2, 63, 64, 65, 4097, 150037)) {
    d <- data.frame(y4 = sample(c(1:4, NA), n, replace = TRUE, prob = c(3, 3, 2, 2, 1)),
                    y16 = sample(16, n, replace = TRUE), y17 = sample(17, n, replace = TRUE))
    for (l in lev) {
      x <- sample(c(seq_len(l), NA), n, replace = TRUE, prob = c(rep(1, l), 0.3))
      x[1:2] <- 1:2  # no column without values
      d[[sprintf("f%02d", l)]] <- factor(x, levels = seq_len(l))
    }
    fs <- sprintf("f%02d", lev)
    for (y in c("y4", "y16", "y17")) {
      options(zhetysu.simd = TRUE)
      on <- suppressWarnings(association_table(d, tidyselect::all_of(y), tidyselect::all_of(fs)))
      options(zhetysu.simd = "avx2")
      avx2 <- suppressWarnings(association_table(d, tidyselect::all_of(y), tidyselect::all_of(fs)))
      options(zhetysu.simd = FALSE)
      off <- suppressWarnings(association_table(d, tidyselect::all_of(y), tidyselect::all_of(fs)))
      expect_identical(on, off)
      expect_identical(avx2, off)
      for (f in fs) {
        ref <- table(d[[f]], factor(d[[y]], levels = sort(unique(d[[y]]))))
        expect_identical(unname(attr(on, "tables")[[f]]), unname(matrix(as.double(ref), nrow(ref))))
        expect_equal(on$missing[on$variable == f], sum(is.na(d[[f]]) | is.na(d[[y]])))
      }
    }
  }
})

test_that("the vectorised count finds codes beyond the levels in every part of a column", {
  # inside the words of 64 rows, in the rows after the last whole word, and
  # in the outcome
  for (simd in list(TRUE, "avx2", FALSE)) {
    old <- options(zhetysu.simd = simd)
    for (at in c(1, 100, 2000, 2023)) {
      d <- data.frame(y = rep(1:2, length.out = 2023), f = factor(rep(c("a", "b", "c"), length.out = 2023)))
      codes <- rep(1:3, length.out = 2023)
      codes[at] <- 4L
      d$f <- structure(codes, levels = c("a", "b", "c"), class = "factor")
      expect_error(association_table(d, y, f), "column `f` is a malformed factor",
                   class = "zhetysu_error_type")
      expect_error(association_table(d, f, y), "`outcome` column `f` is a malformed")
      d$f[at] <- NA
      expect_no_error(association_table(d, f, y))
    }
    options(old)
  }
})

test_that("option zhetysu.simd must be TRUE, \"avx2\" or FALSE", {
  old <- options(zhetysu.simd = NA)
  on.exit(options(old))
  expect_snapshot(association_table(mtcars, am, vs), error = TRUE)
})

test_that("every factor over the category limit is named in its own warning, then the outcome", {
  d <- data.frame(a = factor(rep(1:2, 10)), b = factor(rep(1:5, 4)), c = factor(rep(1:2, 10)),
                  e = factor(rep(1:4, 5)), y = factor(rep(1:4, each = 5)))
  old <- options(zhetysu.max_categories = 3)
  on.exit(options(old))
  got <- character()
  withCallingHandlers(association_table(d, y, c(a, b, c, e)),
                      zhetysu_warning_categories = function(w) {
                        got <<- c(got, conditionMessage(w))
                        invokeRestart("muffleWarning")
                      })
  expect_identical(substr(got, 1, 40), c("`factors` column `b` has 5 categories, m",
                                         "`factors` column `e` has 4 categories, m",
                                         "`outcome` column `y` has 4 categories, m"))
})
