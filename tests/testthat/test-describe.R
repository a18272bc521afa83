# describe() (SPSS FREQUENCIES /STATISTICS, DESCRIPTIVES) and means_table()
# (SPSS MEANS with ANOVA and linearity), against the worked values of
# formula sheet 2 (items 6 and 8), base R, formula transcriptions written
# here and GNU PSPP output (fixtures/make-describe-pspp.R).

# ---- independent transcriptions ----------------------------------------------

# The five SPSS percentile definitions on distinct values and cumulative
# weights, as the formula sheet states them.
spss_percentile <- function(x, w, pct, method) {
  ok <- !is.na(x) & w > 0
  y <- sort(unique(x[ok]))
  cw <- as.vector(rowsum(w[ok], x[ok]))  # in the order of sort(unique())
  cc <- cumsum(cw)
  W <- sum(cw)
  p <- pct / 100
  t <- if (method == "haverage") (W + 1) * p else W * p
  k <- sum(cc <= t + 1e-9)
  m <- length(y)
  if (k == m) return(y[m])
  yk <- if (k == 0) y[1] else y[k]
  ccsum <- if (k == 0) 0 else cc[k]
  gs <- t - ccsum
  if (abs(gs) < 1e-9) gs <- 0
  c1 <- cw[k + 1]
  y1 <- y[k + 1]
  g <- gs / c1
  switch(method,
    haverage = , waverage = if (gs >= 1) y1 else if (c1 >= 1) (1 - gs) * yk + gs * y1 else
      (1 - g) * yk + g * y1,
    round = if ((if (c1 < 1) g else gs) < 0.5) yk else y1,
    empirical = if (gs == 0) yk else y1,
    aempirical = if (gs == 0) (yk + y1) / 2 else y1)
}

# Grouped percentiles (class midpoints), formula sheet item 6.
spss_grouped <- function(x, w, pct) {
  y <- sort(unique(x))
  cw <- vapply(y, function(v) sum(w[x == v]), 0)
  mid <- cumsum(cw) - cw / 2
  t <- sum(cw) * pct / 100
  if (t < mid[1] || t > mid[length(mid)]) return(NA_real_)
  if (t == mid[length(mid)]) return(y[length(y)])
  i <- which(mid > t)[1]
  R <- (t - mid[i - 1]) / (mid[i] - mid[i - 1])
  (1 - R) * y[i - 1] + R * y[i]
}

stat_of <- function(d, s) as.data.frame(d)[[s]]
methods5 <- c("haverage", "waverage", "round", "empirical", "aempirical")

# ---- the formula sheet's worked values ---------------------------------------

test_that("describe() gives the sheet's worked values (item 6, unweighted)", {
  d <- data.frame(x = c(2, 3, 3, 5, 7, 7, 7, 8, 10, 12))
  r <- describe(d, x, statistics = "all")
  expect_sheet(stat_of(r, "mean"), 6.4)
  expect_sheet(stat_of(r, "se_mean"), 1.013246)
  expect_sheet(stat_of(r, "sd"), 3.204164)
  expect_sheet(stat_of(r, "variance"), 10.266667)
  expect_sheet(stat_of(r, "skewness"), 0.255350)
  expect_sheet(stat_of(r, "se_skewness"), 0.687043)
  expect_sheet(stat_of(r, "kurtosis"), -0.603300)
  expect_sheet(stat_of(r, "se_kurtosis"), 1.334249)
  expect_equal(stat_of(r, "range"), 10)
  expect_equal(stat_of(r, "sum"), 64)
  p <- c(5, 10, 25, 50, 75, 90, 95)
  want <- list(haverage = c(2, 2.1, 3, 7, 8.5, 11.8, 12), waverage = c(2, 2, 3, 7, 7.5, 10, 11),
               round = c(2, 2, 3, 7, 8, 10, 12), empirical = c(2, 2, 3, 7, 8, 10, 12),
               aempirical = c(2, 2.5, 3, 7, 8, 11, 12))
  for (m in methods5) {
    got <- describe(d, x, percentiles = p, method = m)$percentiles[1, as.character(p)]
    expect_sheet(unname(got), want[[m]])
    # the same values by the sorted path (the mode asks for it)
    got2 <- describe(d, x, percentiles = p, method = m, statistics = "mode")$percentiles
    expect_sheet(unname(got2[1, as.character(p)]), want[[m]])
  }
})

test_that("describe() gives the sheet's worked values (item 6, weighted)", {
  d <- data.frame(x = 1:5, w = c(1.5, 2, 0.5, 3, 1.2))
  r <- describe(d, x, weights = w, statistics = "all")
  expect_equal(stat_of(r, "n"), 8.2)
  expect_sheet(stat_of(r, "mean"), 3.048780)
  expect_sheet(stat_of(r, "sd"), 1.480451)
  expect_sheet(stat_of(r, "se_mean"), 0.516996)
  expect_sheet(stat_of(r, "skewness"), -0.210047)
  expect_sheet(stat_of(r, "se_skewness"), 0.744646)
  expect_sheet(stat_of(r, "kurtosis"), -1.529129)
  expect_sheet(stat_of(r, "se_kurtosis"), 1.463024)
  p <- c(10, 25, 40, 45, 50, 75, 90, 95)
  want <- list(haverage = c(1, 1.8, 2.36, 3.14, 3.6, 4, 5, 5),
               waverage = c(1, 1.55, 2, 2.38, 3.1, 4, 4.38, 4.79),
               round = c(1, 2, 2, 2, 3, 4, 4, 5), empirical = c(1, 2, 2, 3, 4, 4, 5, 5),
               aempirical = c(1, 2, 2, 3, 4, 4, 5, 5))
  for (m in methods5) {
    got <- describe(d, x, weights = w, percentiles = p, method = m)$percentiles
    expect_sheet(unname(got[1, as.character(p)]), want[[m]])
  }
  expect_sheet(describe(d, x, weights = w, grouped = TRUE)$table$median, 3.2)
})

test_that("the weighted mean and SD give the sheet's DESCRIPTIVES z-scores (item 7)", {
  # DESCRIPTIVES /SAVE: Z = (x - mean) / SD with the weighted mean and SD;
  # the package has no /SAVE, the z-scores follow from describe()'s values
  d <- data.frame(x = 1:5, w = c(1.5, 2, 0.5, 3, 1.2))
  r <- describe(d, x, weights = w, statistics = c("mean", "sd"))
  expect_sheet((d$x - stat_of(r, "mean")) / stat_of(r, "sd"),
               c(-1.383890, -0.708420, -0.032950, 0.642520, 1.317990))
})

test_that("the mode is the smallest of several, flagged; grouped percentiles match the sheet", {
  r <- describe(data.frame(x = c(1, 2, 2, 3, 3, 4)), x, statistics = "mode")
  expect_equal(r$table$mode, 2)
  expect_true(r$table$multiple_modes)
  r1 <- describe(data.frame(x = c(1, 2, 2, 3)), x, statistics = "mode")
  expect_false(r1$table$multiple_modes)
  g <- data.frame(x = rep(1:5, c(10, 20, 30, 25, 15)))
  r <- describe(g, x, grouped = TRUE, statistics = "quartiles")
  expect_sheet(unname(r$percentiles[1, c("25", "50", "75")]), c(2.2, 3.181818, 4.125))
  # outside the first/last midpoints: missing, with a warning
  expect_warning(r <- describe(g, x, grouped = TRUE, percentiles = 2), class = "zhetysu_warning")
  expect_true(is.na(r$percentiles[1, "2"]))
})

# ---- base R and the formula transcriptions -----------------------------------

test_that("moments match base R and the SPSS formulas, weighted and unweighted", {
  set.seed(1)
  n <- 5000
  d <- data.frame(a = rgamma(n, 2) * 10, b = round(rnorm(n), 1), w = runif(n, 0, 3))
  d$a[sample(n, 50)] <- NA
  d$w[sample(n, 30)] <- 0
  r <- as.data.frame(describe(d, c(a, b), statistics = "all"))
  expect_equal(r$mean, c(mean(d$a, na.rm = TRUE), mean(d$b)), tolerance = 1e-12)
  expect_equal(r$variance, c(var(d$a, na.rm = TRUE), var(d$b)), tolerance = 1e-12)
  expect_equal(r$missing, c(50, 0))
  for (v in c("a", "b")) {
    ref <- spss_moments(d[[v]])
    got <- unlist(r[r$variable == v, names(ref)])
    expect_equal(unname(got), unname(ref), tolerance = 1e-10, label = v)
  }
  rw <- as.data.frame(describe(d, c(a, b), weights = w, statistics = "all"))
  ok <- !is.na(d$a)
  expect_equal(rw$mean[1], stats::weighted.mean(d$a[ok], d$w[ok]), tolerance = 1e-12)
  for (v in c("a", "b")) {
    ref <- spss_moments(d[[v]], d$w)
    got <- unlist(rw[rw$variable == v, names(ref)])
    expect_equal(unname(got), unname(ref), tolerance = 1e-10, label = v)
  }
  # missing N is weighted; cases with zero weight count nowhere
  expect_equal(rw$missing[1], sum(d$w[!ok]))
  expect_equal(rw$cases[1], sum(ok & d$w > 0))
})

test_that("an offset of 1e9 leaves the SD unchanged (one stable pass)", {
  set.seed(2)
  z <- round(rnorm(2e5) * 8) / 8  # on a grid that 1e9 + z keeps exactly
  w <- rep_len(c(0.5, 1.25, 2), length(z))
  d <- data.frame(z = z, z9 = z + 1e9, w = w)
  r <- describe(d, c(z, z9), statistics = "all")$table
  expect_equal(r$sd[2], r$sd[1], tolerance = 1e-9)
  expect_equal(r$skewness[2], r$skewness[1], tolerance = 1e-6)
  expect_equal(r$kurtosis[2], r$kurtosis[1], tolerance = 1e-6)
  expect_lt(abs(r$mean[2] - 1e9 - r$mean[1]), 1e-6)
  rw <- describe(d, c(z, z9), weights = w, statistics = "all")$table
  expect_equal(rw$sd[2], rw$sd[1], tolerance = 1e-9)
  expect_equal(rw$sd[1], unname(spss_moments(z, w)["sd"]), tolerance = 1e-10)
  m <- means_table(data.frame(y = z + 1e9, g = rep_len(1:3, length(z))), y, g)
  m0 <- means_table(data.frame(y = z, g = rep_len(1:3, length(z))), y, g)
  expect_equal(m$tables$g$report$sd, m0$tables$g$report$sd, tolerance = 1e-9)
})

# Issue 17: the moments of data of 1e300 or 1e-300 overflowed or vanished
# (sums of squares of 1e600, fourth powers of 1e-1200).
test_that("moments of data scaled by 1e300, 1e150, 1e-150 and 1e-300 scale exactly", {
  set.seed(17)
  n <- 10000  # several blocks of the engine
  x <- c(rgamma(n - 1, 2), 60)
  w <- runif(n, 0.25, 3)
  g <- rep_len(1:3, n)
  for (k in c(300, 150, -150, -300)) {
    s <- 10^k
    d <- data.frame(x = x * s, w = w)
    for (wt in c(FALSE, TRUE)) {
      r <- if (wt) describe(d, x, weights = w, statistics = "all")$table else
        describe(d, x, statistics = "all")$table
      ref <- spss_moments(d$x / s, if (wt) w else rep(1, n))
      lab <- sprintf("10^%d, weighted %s", k, wt)
      expect_equal(r$mean / s, ref[["mean"]], tolerance = 1e-12, label = lab)
      expect_equal(r$sd / s, ref[["sd"]], tolerance = 1e-12, label = lab)
      expect_equal(r$se_mean / s, ref[["se_mean"]], tolerance = 1e-12, label = lab)
      expect_equal(r$skewness, ref[["skewness"]], tolerance = 1e-11, label = lab)
      expect_equal(r$kurtosis, ref[["kurtosis"]], tolerance = 1e-11, label = lab)
      expect_equal(r$se_skewness, ref[["se_skewness"]], tolerance = 1e-12, label = lab)
      expect_equal(r$se_kurtosis, ref[["se_kurtosis"]], tolerance = 1e-12, label = lab)
      # the variance exists as a double at 1e+-150; at 1e300 it is beyond
      # the largest double, at 1e-300 below the smallest
      if (abs(k) == 150) {
        expect_equal(r$variance / s^2, ref[["variance"]], tolerance = 1e-12, label = lab)
      } else if (k > 0) {
        expect_equal(r$variance, Inf, label = lab)
      } else {
        expect_equal(r$variance, 0, label = lab)
      }
    }
  }
  # values of both signs near the largest double (their range overflows)
  z <- c(-1, 1, 0, 0.5, -0.25) * 1.5e308
  r <- describe(data.frame(z = z), z, statistics = "all")$table
  ref <- spss_moments(z / 1e308)
  expect_equal(r$mean / 1e308, ref[["mean"]], tolerance = 1e-12)
  expect_equal(r$sd / 1e308, ref[["sd"]], tolerance = 1e-12)
  expect_equal(r$skewness, ref[["skewness"]], tolerance = 1e-12)
  expect_equal(r$kurtosis, ref[["kurtosis"]], tolerance = 1e-12)
  # zeros and values of 1e300 in separate blocks, and weights of 1e-300
  y <- c(rep(0, 5000), rep(1e300, 3000), rnorm(2000) * 1e300)
  r <- describe(data.frame(y = y), y, statistics = "all")$table
  ref <- spss_moments(y / 1e300)
  expect_equal(c(r$mean, r$sd) / 1e300, ref[c("mean", "sd")], tolerance = 1e-12,
               ignore_attr = TRUE)
  expect_equal(c(r$skewness, r$kurtosis), ref[c("skewness", "kurtosis")], tolerance = 1e-11,
               ignore_attr = TRUE)
  wt <- c(rep(1e-300, 100), rep(1, 100))
  r <- describe(data.frame(x = x[1:200], wt = wt), x, weights = wt, statistics = "all")$table
  ref <- spss_moments(x[1:200], wt)
  expect_equal(unlist(r[c("mean", "sd", "skewness", "kurtosis")]),
               ref[c("mean", "sd", "skewness", "kurtosis")], tolerance = 1e-12,
               ignore_attr = TRUE)
})

test_that("percentiles follow each of the five definitions (weights below and above 1)", {
  set.seed(3)
  n <- 300
  d <- data.frame(x = sample(c(1:9, 2.5), n, TRUE), c = round(rnorm(n), 2),
                  w = sample(c(0.3, 0.7, 1, 1.6, 2.25), n, TRUE))
  p <- c(0, 1, 5, 12.5, 25, 33, 50, 66.6, 75, 90, 99, 100)
  for (m in methods5) {
    for (v in c("x", "c")) {
      got <- describe(d, tidyselect::all_of(v), weights = w, percentiles = p, method = m)$percentiles[1, as.character(p)]
      want <- vapply(p, function(q) spss_percentile(d[[v]], d$w, q, m), 0)
      expect_equal(unname(got), want, tolerance = 1e-10, label = paste(m, v, "weighted"))
      # unweighted: the selection path against the definition with unit weights
      got1 <- describe(d, tidyselect::all_of(v), percentiles = p, method = m)$percentiles[1, as.character(p)]
      want1 <- vapply(p, function(q) spss_percentile(d[[v]], rep(1, n), q, m), 0)
      expect_equal(unname(got1), want1, tolerance = 1e-10, label = paste(m, v))
    }
  }
  # HAVERAGE without weights is quantile(type = 6)
  x <- c(rnorm(1001), rep(0.5, 40))
  p <- c(1, 7, 25, 50, 75, 93, 99)
  got <- describe(data.frame(x = x), x, percentiles = p)$percentiles[1, as.character(p)]
  expect_equal(unname(got), unname(quantile(x, p / 100, type = 6)), tolerance = 1e-12)
  # large data (percentiles found by bracketing, not sorting): against
  # quantile() and against the sorted path that the mode asks for
  big <- data.frame(x = c(rnorm(6e4), rep(c(-0.25, 0, 1), 5000), NA, NA), l = NA_real_)
  big$l <- rep_len(c(1:5, 3, 3, 4), nrow(big))
  p <- c(0, 0.1, 1, 25, 50, 50.5, 75, 99.9, 100)
  for (v in c("x", "l")) {
    got <- describe(big, tidyselect::all_of(v), percentiles = p)$percentiles[1, as.character(p)]
    expect_equal(unname(got), unname(quantile(big[[v]], p / 100, type = 6, na.rm = TRUE)),
                 tolerance = 1e-12, label = v)
    for (m in methods5) {
      fast <- describe(big, tidyselect::all_of(v), percentiles = p, method = m)$percentiles
      sorted <- describe(big, tidyselect::all_of(v), percentiles = p, method = m,
                         statistics = "mode")$percentiles
      expect_equal(fast, sorted, tolerance = 1e-12, label = paste(v, m))
    }
  }
  # many percentiles on large data (several brackets counted at a time),
  # skewed and tied values, NA: against quantile() and the transcription
  big2 <- data.frame(a = c(rexp(9e4), rep(NA, 500)), b = c(round(rnorm(9e4), 2), rep(NA, 500)))
  p <- c(1, 2.5, 5, 10, 20, 25, 33, 40, 50, 60, 66, 75, 80, 90, 95, 97.5, 99)
  for (v in c("a", "b")) {
    got <- describe(big2, tidyselect::all_of(v), percentiles = p)$percentiles[1, as.character(p)]
    expect_equal(unname(got), unname(quantile(big2[[v]], p / 100, type = 6, na.rm = TRUE)),
                 tolerance = 1e-12, label = v)
    for (m in methods5[-1]) {
      got <- describe(big2, tidyselect::all_of(v), percentiles = p[c(2, 9, 16)],
                      method = m)$percentiles[1, ]
      want <- vapply(p[c(2, 9, 16)], function(q) {
        spss_percentile(big2[[v]], rep(1, nrow(big2)), q, m)
      }, 0)
      expect_equal(unname(got[as.character(p[c(2, 9, 16)])]), want, tolerance = 1e-12,
                   label = paste(v, m))
    }
  }
  # weighted data large enough for the radix sort: negative values, -0,
  # ties, zero weights; the mode against table()
  set.seed(31)
  n3 <- 4000
  d3 <- data.frame(x = c(round(rnorm(n3 - 3) * 50, 1), -0, 0, -1e300),
                   w = sample(c(0, 0.25, 1, 1.5, 3), n3, TRUE))
  p <- c(0.5, 10, 25, 50, 75, 90, 99.5)
  for (m in methods5) {
    got <- describe(d3, x, weights = w, percentiles = p, method = m)$percentiles
    want <- vapply(p, function(q) spss_percentile(d3$x, d3$w, q, m), 0)
    expect_equal(unname(got[1, as.character(p)]), want, tolerance = 1e-12, label = m)
  }
  r3 <- describe(d3, x, weights = w, statistics = "mode")$table
  tw <- tapply(d3$w[d3$w > 0], d3$x[d3$w > 0], sum)
  expect_equal(r3$mode, min(as.numeric(names(tw))[tw == max(tw)]))
  expect_equal(r3$multiple_modes, sum(tw == max(tw)) > 1)
  # grouped percentiles against the transcription
  got <- describe(d, x, weights = w, grouped = TRUE, percentiles = c(30, 60))$percentiles
  expect_equal(unname(got[1, c("30", "60")]),
               c(spss_grouped(d$x, d$w, 30), spss_grouped(d$x, d$w, 60)), tolerance = 1e-10)
})

test_that("labelled SPSS user-missing codes are missing", {
  skip_if_not_installed("haven")
  x <- haven::labelled_spss(c(1, 2, 3, 4, 9, 8), labels = c(low = 1, high = 4, "no answer" = 9),
                            na_values = 9, na_range = c(7, 8), label = "An item")
  d <- data.frame(x = 1:6)
  d$x <- x
  r <- describe(d, x, statistics = "all")$table
  expect_equal(r$mean, 2.5)
  expect_equal(r$missing, 2)
  expect_equal(r$label, "An item")
})

# ---- GNU PSPP ----------------------------------------------------------------

# FREQUENCIES "Statistics" (variables as columns) -> named list per variable.
pspp_freq <- function(tab) {
  r <- tab$rows
  vars <- unlist(r[1, -(1:2)])
  keys <- c("N Valid" = "n", "N Missing" = "missing", "Mean" = "mean", "S.E. Mean" = "se_mean",
            "Median" = "median", "Mode" = "mode", "Std Dev" = "sd", "Variance" = "variance",
            "Kurtosis" = "kurtosis", "S.E. Kurt" = "se_kurtosis", "Skewness" = "skewness",
            "S.E. Skew" = "se_skewness", "Range" = "range", "Minimum" = "minimum",
            "Maximum" = "maximum", "Sum" = "sum")
  lab <- r[-1, 1]
  for (i in seq_along(lab)) if (!nzchar(lab[i])) lab[i] <- lab[i - 1]
  lab <- trimws(paste(lab, r[-1, 2]))
  out <- lapply(seq_along(vars), function(j) {
    v <- pspp_num(r[-1, 2 + j])
    names(v) <- keys[lab]
    v
  })
  names(out) <- vars
  out
}

pspp_desc <- function(tab) {
  r <- tab$rows
  hdr <- unlist(r[1, ])
  keys <- c(N = "n", Mean = "mean", "S.E. Mean" = "se_mean", "Std Dev" = "sd",
            Variance = "variance", Kurtosis = "kurtosis", "S.E. Kurt" = "se_kurtosis",
            Skewness = "skewness", "S.E. Skew" = "se_skewness", Range = "range",
            Minimum = "minimum", Maximum = "maximum", Sum = "sum")
  body <- r[-1, ][!grepl("listwise", r[-1, 1]), , drop = FALSE]
  out <- lapply(seq_len(nrow(body)), function(i) {
    v <- pspp_num(unlist(body[i, -1]))
    names(v) <- keys[hdr[-1]]
    v
  })
  names(out) <- body[, 1]
  out
}

expect_pspp_close <- function(ours, theirs, label) {
  keep <- intersect(names(theirs)[!is.na(theirs)], names(ours))
  # PSPP prints 8 decimals
  expect_equal(unname(unlist(ours[keep])), unname(theirs[keep]),
               tolerance = 1e-7, label = label)
}

test_that("describe() matches PSPP FREQUENCIES and DESCRIPTIVES on four data sets", {
  for (set in c("sheet", "sheetw", "gen", "survey")) {
    d <- utils::read.csv(test_path("fixtures", "describe-pspp", paste0(set, ".csv")))
    tabs <- pspp_tables(paste0(set, "-out.csv"))
    titles <- vapply(tabs, `[[`, "", "title")
    freq <- tabs[titles == "Statistics"]
    desc <- tabs[titles == "Descriptive Statistics"]
    runs <- if ("w" %in% names(d)) list(NULL, "w") else list(NULL)
    expect_length(freq, length(runs))
    for (k in seq_along(runs)) {
      vars <- setdiff(names(d), c("w", "g", "pol"))
      r <- as.data.frame(describe(d, tidyselect::all_of(vars), weights = runs[[k]],
                                  statistics = "all"))
      pf <- pspp_freq(freq[[k]])
      pd <- pspp_desc(desc[[k]])
      for (v in vars) {
        row <- as.list(r[r$variable == v, ])
        # PSPP is no oracle for several modes, nor for the median and the
        # mode with weights (see the formula sheet): those are tested above
        if (row$multiple_modes || k == 2L) row$mode <- NULL
        if (k == 2L) row$median <- NULL
        expect_pspp_close(row, pf[[v]], paste(set, v, k, "FREQUENCIES"))
        expect_pspp_close(row, pd[[v]], paste(set, v, k, "DESCRIPTIVES"))
      }
    }
  }
})

# ---- bad input and printing --------------------------------------------------

test_that("bad input gives classed errors naming the argument", {
  d <- data.frame(x = c(1, 2, 3), s = c("a", "b", "c"), m = NA_real_, w0 = 0, g = c(1, 1, 2))
  expect_snapshot(error = TRUE, {
    describe(d, s)
    describe(d, m)
    describe(d, x, weights = w0)
    describe(d, x, percentiles = 101)
    describe(d, x, percentiles = "a")
    describe(d, x, method = "type7")
    describe(d, x, statistics = "iqr")
    means_table(d, s, g)
    means_table(d, x, m)
    means_table(d, x, g, weights = w0)
  })
  expect_error(describe(d, s), class = "zhetysu_error_type")
  expect_error(describe(d, m), class = "zhetysu_error_empty")
  expect_error(describe(d, x, weights = w0), class = "zhetysu_error_weights")
  expect_error(describe(d, x, percentiles = -1), class = "zhetysu_error")
  expect_error(describe(data.frame(x = c(1, Inf)), x), class = "zhetysu_error_value")
})

test_that("printed tables", {
  local_reproducible_output(width = 80)
  d <- data.frame(x = c(2, 3, 3, 5, 7, 7, 7, 8, 10, 12), y = c(1, 1, 2, 2, 3, 3, 4, 4, 5, 5),
                  w = c(1, 2, 1, 0.5, 1, 1, 2, 1, 1, 1.5), g = rep(c("a", "b"), 5))
  expect_snapshot({
    describe(d, c(x, y), statistics = "all", percentiles = c(10, 90))
    describe(d, c(x, y), weights = w)
    describe(d, y, grouped = TRUE, statistics = c("median", "mode"))
    means_table(d, x, by = c(y, g))
    means_table(d, x, by = y, weights = w, statistics = c("mean", "n", "sd", "se_mean"),
                anova = FALSE)
    print(describe(d, x, statistics = c("mean", "sd")), style = "apa", decimal_mark = ",")
  })
  expect_equal(format(describe(d, x)), capture.output(print(describe(d, x))))
  td <- tidy(describe(d, c(x, y), statistics = c("mean", "quartiles")))
  expect_equal(nrow(td), 2 * 4)
  expect_equal(td$statistic[1:4], c("mean", "percentile", "percentile", "percentile"))
})
