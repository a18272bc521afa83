# Pearson sufficient statistics: the engine's n, means, sums of squares and
# cross-products against base R on each pair's complete cases, and
# cor_matrix() on them against cor_matrix() on the data and stats::cor().

test_that("the Pearson engine's sufficient statistics equal base R per pair", {
  set.seed(8)
  d <- data.frame(a = rnorm(200), b = rnorm(200), c = rnorm(200))
  d$b <- d$b + d$a
  d$a[sample(200, 20)] <- NA
  d$c[sample(200, 30)] <- NA
  d$w <- sample(c(0.5, 1, 2), 200, TRUE)
  for (wt in c(FALSE, TRUE)) {
    cm <- if (wt) cor_matrix(d, c(a, b, c), weights = w) else cor_matrix(d, c(a, b, c))
    st <- cm$stats
    expect_s3_class(st, "zh_cor_stats")
    for (i in c("a", "b", "c")) for (j in c("a", "b", "c")) {
      ok <- !is.na(d[[i]]) & !is.na(d[[j]])
      w <- if (wt) d$w[ok] else rep(1, sum(ok))
      x <- d[[i]][ok]
      y <- d[[j]][ok]
      mx <- sum(w * x) / sum(w)
      my <- sum(w * y) / sum(w)
      expect_equal(st$n[i, j], sum(w), tolerance = 1e-12)
      expect_equal(st$mean[i, j], mx, tolerance = 1e-10)
      expect_equal(st$ss[i, j], sum(w * (x - mx)^2), tolerance = 1e-10)
      expect_equal(st$cp[i, j], sum(w * (x - mx) * (y - my)), tolerance = 1e-10)
    }
    back <- cor_matrix(st)
    expect_equal(back$r, cm$r, tolerance = 1e-12)
    expect_equal(back$n, cm$n)
    expect_equal(back$p, cm$p, tolerance = 1e-10)
  }
  ok <- stats::complete.cases(d)
  expect_equal(cor_matrix(d, c(a, b, c), use = "listwise")$stats$cp / (sum(ok) - 1),
               stats::cov(d[ok, c("a", "b", "c")]), tolerance = 1e-10, ignore_attr = TRUE)
})

# Issue 17's class: r from sums of squares whose product overflows (data of
# 1e150: 1e600) or vanishes (1e-150: 1e-600).
test_that("statistics of data scaled by 1e150 and 1e-150 give the unscaled correlations", {
  x <- mtcars[c("mpg", "wt", "hp")]
  k <- 3
  dn <- list(names(x), names(x))
  for (s in c(1e150, 1e-150)) {
    cen <- scale(x, scale = FALSE) * s
    st <- zh_cor_stats(n = matrix(32, k, k, dimnames = dn),
                       mean = matrix(colMeans(x) * s, k, k, dimnames = dn),
                       ss = matrix(colSums(cen^2), k, k, dimnames = dn), cp = crossprod(cen),
                       use = "listwise")
    expect_equal(cor_matrix(st)$r, stats::cor(x), tolerance = 1e-12, ignore_attr = TRUE,
                 label = format(s))
  }
})

test_that("statistics computed elsewhere give the correlations, with NA and reasons", {
  x <- mtcars[c("mpg", "wt", "hp")]
  cen <- scale(x, scale = FALSE)
  k <- 3
  dn <- list(names(x), names(x))
  st <- zh_cor_stats(n = matrix(32, k, k, dimnames = dn),
                     mean = matrix(colMeans(x), k, k, dimnames = dn),
                     ss = matrix(colSums(cen^2), k, k, dimnames = dn), cp = crossprod(cen),
                     use = "listwise")
  cm <- cor_matrix(st)
  expect_equal(cm$r, stats::cor(x), tolerance = 1e-12, ignore_attr = TRUE)
  expect_equal(cm$p["mpg", "wt"], stats::cor.test(x$mpg, x$wt)$p.value, tolerance = 1e-10)
  # a constant variable and a pair with two cases
  st2 <- st
  st2$ss[, "hp"] <- 0
  st2$n["mpg", "wt"] <- st2$n["wt", "mpg"] <- 2
  cm2 <- cor_matrix(st2)
  expect_true(is.na(cm2$r["mpg", "wt"]) && is.na(cm2$r["hp", "mpg"]))
  expect_identical(unname(cm2$reason["mpg", "wt"]), "fewer than 3 cases")
  expect_identical(unname(cm2$reason["hp", "mpg"]), "no variance (a constant variable)")
  expect_snapshot(error = TRUE, {
    zh_cor_stats(n = 1, mean = 1, ss = 1, cp = 1)
    zh_cor_stats(n = st$n, mean = st$mean[1:2, 1:2], ss = st$ss, cp = st$cp)
    cor_matrix(st, method = "kendall")
  })
})
