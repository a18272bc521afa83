# means_table() (SPSS MEANS with ANOVA and linearity) against the worked
# values of formula sheet 2 (item 8), lm() and GNU PSPP MEANS/ONEWAY output
# (fixtures/make-describe-pspp.R). Its printed tables and error messages are
# in test-describe.R's snapshots, beside those of describe().

test_that("means_table() gives the sheet's worked values (item 8)", {
  d <- data.frame(g = c(1, 1, 1, 2, 2, 2, 2, 4, 4, 4), y = c(3, 5, 4, 6, 7, 5, 8, 9, 7, 10))
  m <- means_table(d, y, g)
  rep <- m$tables$g$report
  expect_sheet(rep$mean, c(4, 6.5, 8.666667, 6.4))
  expect_equal(rep$n, c(3, 4, 3, 10))
  expect_sheet(rep$sd, c(1, 1.290994, 1.527525, 2.221111))
  a <- m$tables$g$anova$table
  expect_equal(a$source, c("combined", "linearity", "deviation", "within", "total"))
  expect_sheet(a$ss, c(32.733333, 30.683688, 2.049645, 11.666667, 44.4))
  expect_equal(a$df, c(2, 1, 1, 7, 9))
  expect_sheet(a$f[1:3], c(9.82, 18.410213, 1.229787))
  expect_sheet(a$p[1:3], c(0.009300, 0.003608, 0.304089))
  expect_sheet(unname(m$tables$g$anova$association), c(0.831309, 0.691074, 0.858625, 0.737237))
  # against lm: linearity = the linear term, deviation = the rest
  fit <- anova(lm(y ~ g + factor(g), data = d))
  expect_equal(a$ss[2:4], fit[["Sum Sq"]], tolerance = 1e-10)
  expect_equal(a$f[2:3], fit[["F value"]][1:2], tolerance = 1e-10)
  expect_equal(a$p[2:3], fit[["Pr(>F)"]][1:2], tolerance = 1e-10)
})

test_that("means_table() agrees with lm() on weighted data and handles several by variables", {
  set.seed(4)
  n <- 400
  d <- data.frame(y = rnorm(n, 10), g = sample(c(1, 3, 4, 7), n, TRUE),
                  h = sample(c("a", "b", "c"), n, TRUE), w = runif(n, 0.2, 2))
  d$y <- d$y + d$g / 3
  d$y[c(5, 9)] <- NA
  m <- means_table(d, y, by = c(g, h), weights = w)
  expect_named(m$tables, c("g", "h"))
  ok <- !is.na(d$y)
  fit <- anova(lm(y ~ g + factor(g), data = d[ok, ], weights = w))
  a <- m$tables$g$anova$table
  expect_equal(a$ss[2:4], fit[["Sum Sq"]], tolerance = 1e-10)
  expect_equal(a$df[a$source == "within"], sum(d$w[ok]) - 4)
  rep <- m$tables$g$report
  sub <- d[ok & d$g == 3, ]
  expect_equal(rep$mean[2], weighted.mean(sub$y, sub$w), tolerance = 1e-12)
  expect_equal(rep$n[5], sum(d$w[ok]))
  r <- m$tables$g$anova$association
  expect_equal(unname(r["r"]), cov.wt(cbind(d$y, d$g)[ok, ], d$w[ok], cor = TRUE)$cor[1, 2],
               tolerance = 1e-10)
  # a character `by`: no linearity, no R
  ah <- m$tables$h$anova$table
  expect_equal(ah$source, c("combined", "within", "total"))
  expect_true(is.na(m$tables$h$anova$association[["r"]]))
  expect_equal(ah$ss[1], anova(lm(y ~ h, data = d[ok, ], weights = w))[["Sum Sq"]][1],
               tolerance = 1e-10)
  g <- glance(m)
  expect_equal(g$by, c("g", "h"))
  expect_equal(g$excluded, rep(sum(d$w[!ok]), 2), tolerance = 1e-12)
})

# Issue 17: the groups' moments overflowed or vanished at 1e300 and 1e-300.
test_that("means_table() of data scaled by 1e300 and 1e-300 scales exactly (groups, weights)", {
  set.seed(171)
  n <- 9000
  g <- sample(c(1, 2, 5), n, TRUE)
  y0 <- rgamma(n, 2) + g / 2
  w <- runif(n, 0.3, 2)
  st <- c("mean", "sd", "skewness", "kurtosis", "se_mean")
  for (k in c(300, -300)) {
    s <- 10^k
    for (wt in c(FALSE, TRUE)) {
      ww <- if (wt) w else rep(1, n)
      d <- data.frame(y = y0 * s, g = g, w = ww)
      m <- if (wt) means_table(d, y, g, weights = w, statistics = st) else
        means_table(d, y, g, statistics = st)
      rep <- m$tables$g$report
      lab <- sprintf("10^%d, weighted %s", k, wt)
      y <- d$y / s
      ref <- rbind(t(sapply(c(1, 2, 5), function(v) spss_moments(y[g == v], ww[g == v]))), spss_moments(y, ww))
      expect_equal(rep$mean / s, ref[, "mean"], tolerance = 1e-12, label = lab)
      expect_equal(rep$sd / s, ref[, "sd"], tolerance = 1e-12, label = lab)
      expect_equal(rep$skewness, ref[, "skewness"], tolerance = 1e-11, label = lab)
      expect_equal(rep$kurtosis, ref[, "kurtosis"], tolerance = 1e-11, label = lab)
      # F, eta and R do not depend on the scale
      # (SPSS's within df is W - K, the weights' sum)
      fit <- anova(lm(y ~ g + factor(g), weights = ww))
      a <- m$tables$g$anova$table
      ss <- fit[["Sum Sq"]]
      msw <- ss[3] / (sum(ww) - 3)
      expect_equal(a$f[a$source == "linearity"], ss[1] / msw, tolerance = 1e-10, label = lab)
      expect_equal(a$f[a$source == "deviation"], ss[2] / msw, tolerance = 1e-10, label = lab)
      as <- m$tables$g$anova$association
      expect_equal(as[["eta_squared"]], sum(ss[1:2]) / sum(ss), tolerance = 1e-10, label = lab)
      expect_equal(as[["r"]], cov.wt(cbind(y, g), ww, cor = TRUE)$cor[1, 2], tolerance = 1e-10,
                   label = lab)
      # the sums of squares: beyond the largest double at 1e300, below the
      # smallest at 1e-300
      expect_equal(a$ss, rep(if (k > 0) Inf else 0, nrow(a)), label = lab)
    }
  }
  # scores of 1e300 for the linearity
  d <- data.frame(y = y0, g = g * 1e300)
  a <- means_table(d, y, g)$tables$g$anova
  fit <- anova(lm(y0 ~ g + factor(g)))
  expect_equal(a$table$f[a$table$source == "linearity"], fit[["F value"]][1], tolerance = 1e-10)
  expect_equal(a$association[["r"]], cor(y0, g), tolerance = 1e-10)
})

# Issue 17's class: the between-groups sums came from the differences of
# the rounded group means, which lose digits to an offset (F off by 0.4% at
# 1e12); they now come from the means' exact parts.
test_that("between groups keeps its digits for data offset by 1e9 and 1e12", {
  set.seed(172)
  n <- 30000
  g <- sample(1:4, n, TRUE)
  y0 <- rnorm(n) + g * 0.01
  for (off in c(1e9, 1e12)) {
    y <- y0 + off
    back <- y - off  # exact: the data as stored, without the offset
    a <- means_table(data.frame(y = y, g = g), y, g)$tables$g$anova
    fit <- anova(lm(back ~ g + factor(g)))
    ss <- fit[["Sum Sq"]]
    lab <- format(off)
    expect_equal(a$table$ss[a$table$source == "combined"], sum(ss[1:2]), tolerance = 1e-9,
                 label = lab)
    expect_equal(a$table$f[a$table$source == "linearity"], fit[["F value"]][1],
                 tolerance = 1e-9, label = lab)
    expect_equal(a$association[["eta_squared"]], sum(ss[1:2]) / sum(ss), tolerance = 1e-9,
                 label = lab)
    expect_equal(a$association[["r"]], cor(back, g), tolerance = 1e-9, label = lab)
  }
})

test_that("means_table() matches PSPP MEANS and ONEWAY", {
  for (set in c("gen", "survey")) {
    d <- utils::read.csv(test_path("fixtures", "describe-pspp", paste0(set, ".csv")))
    tabs <- pspp_tables(paste0(set, "-out.csv"))
    titles <- vapply(tabs, `[[`, "", "title")
    y <- if (set == "gen") "x" else "life"
    g <- if (set == "gen") "g" else "pol"
    m <- means_table(d, y, by = tidyselect::all_of(g))
    rep <- m$tables[[g]]$report
    pr <- tabs[[which(titles == "Report")]]$rows[-1, ]
    expect_equal(rep$group, sub("\\.0+$", "", pr[[1]]))
    expect_equal(rep$mean, pspp_num(pr[[2]]), tolerance = 1e-7)
    expect_equal(rep$n, pspp_num(pr[[3]]))
    expect_equal(rep$sd, pspp_num(pr[[4]]), tolerance = 1e-7)
    pa <- tabs[[which(titles == "ANOVA")]]$rows[-1, ]
    a <- m$tables[[g]]$anova$table
    a <- a[a$source %in% c("combined", "within", "total"), ]
    expect_equal(a$ss, pspp_num(pa[[3]]), tolerance = 1e-7)
    expect_equal(a$df, pspp_num(pa[[4]]))
    expect_equal(a$ms[1:2], pspp_num(pa[[5]])[1:2], tolerance = 1e-7)
    expect_equal(a$f[1], pspp_num(pa[[6]])[1], tolerance = 1e-7)
    # PSPP prints Sig. to three decimals
    expect_lt(abs(a$p[1] - pspp_num(pa[[7]])[1]), 5e-4 + 1e-12)
  }
})
