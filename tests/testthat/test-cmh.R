# CMH statistics against stats::mantelhaen.test() and an independent
# transcription of Breslow-Day / Tarone (uniroot for the fitted counts, not
# the closed-form root the package uses), plus the formula sheet's worked
# values (spss-formulas-2.md item 2).

sheet <- array(c(10, 4, 5, 11, 6, 3, 9, 12, 15, 8, 5, 12), c(2, 2, 3))

# Breslow-Day and Tarone, written from Breslow & Day (1980) / Tarone (1985)
ref_bd <- function(tab) {
  num <- apply(tab, 3, function(m) m[1, 1] * m[2, 2] / sum(m))
  den <- apply(tab, 3, function(m) m[1, 2] * m[2, 1] / sum(m))
  psi <- sum(num) / sum(den)
  dev <- v <- numeric(dim(tab)[3])
  for (k in seq_len(dim(tab)[3])) {
    m <- tab[, , k]
    n1 <- sum(m[1, ]); n2 <- sum(m[2, ]); m1 <- sum(m[, 1])
    lo <- max(0, m1 - n2); hi <- min(n1, m1)
    f <- function(A) A * (n2 - m1 + A) - psi * (n1 - A) * (m1 - A)
    A <- stats::uniroot(f, c(lo, hi), tol = 1e-13)$root
    dev[k] <- m[1, 1] - A
    v[k] <- 1 / (1 / A + 1 / (n1 - A) + 1 / (m1 - A) + 1 / (n2 - m1 + A))
  }
  bd <- sum(dev^2 / v)
  c(bd = bd, tarone = bd - sum(dev)^2 / sum(v))
}

test_that("CMH reproduces the formula sheet's worked values", {
  r <- zh_cmh(sheet)
  expect_equal(r$dev, 8)
  expect_equal(r$conditional$statistic, c(10.874336, 9.271843), tolerance = 1e-6)
  expect_equal(r$conditional$p_value, c(.000975, .002327), tolerance = 1e-3)
  o <- r$odds_ratio
  expect_equal(c(o$estimate, o$ln_estimate, o$se, o$z),
               c(4.116883, 1.415096, 0.441200, 3.207381), tolerance = 1e-6)
  expect_equal(c(o$lower, o$upper, o$ln_lower, o$ln_upper),
               c(1.733878, 9.775042, 0.550360, 2.279832), tolerance = 1e-6)
  expect_equal(o$p_value, .001339, tolerance = 1e-3)
  expect_equal(zh_cmh_fitted(o$estimate, c(15, 15, 20), c(15, 15, 20), c(14, 9, 23)),
               c(9.535095, 6.597430, 14.811059), tolerance = 1e-6)
  expect_equal(r$homogeneity$statistic, c(0.421283, 0.420658), tolerance = 1e-6)
  expect_equal(r$homogeneity$df, c(2, 2))
  expect_equal(r$homogeneity$p_value, c(.810064, .810318), tolerance = 1e-5)
})

stratified <- function() {
  set.seed(11)
  w <- array(stats::rpois(2 * 2 * 6, 30), c(2, 2, 6))
  list(
    ucb = unclass(UCBAdmissions)[, , ],
    sheet = sheet,
    # Agresti's penicillin/rabbits is not in base R; Titanic by class
    titanic = apply(Titanic, c(2, 4, 1), sum),
    random = array(stats::rpois(2 * 2 * 8, 12) + 1, c(2, 2, 8)),
    # a weighted table: cells from summed non-integer weights, rounded as
    # CROSSTABS does before any statistic
    weighted = round(w * 1.37),
    toothpaste = array(c(2, 8, 3, 7, 5, 5, 6, 4, 9, 1, 7, 3), c(2, 2, 3))
  )
}

test_that("Cochran, Mantel-Haenszel and the common odds ratio equal mantelhaen.test()", {
  for (nm in names(stratified())) {
    tab <- stratified()[[nm]]
    r <- zh_cmh(tab)
    uncorr <- stats::mantelhaen.test(tab, correct = FALSE)
    corr <- stats::mantelhaen.test(tab, correct = TRUE)
    # Cochran's statistic is MH without correction and with n^3 in place of
    # n^2 (n - 1): rescale the reference stratum by stratum
    expect_equal(r$conditional$statistic[1],
                 local({
                   d <- sum(apply(tab, 3, function(m) m[1, 1] - sum(m[1, ]) * sum(m[, 1]) / sum(m)))
                   v <- sum(apply(tab, 3, function(m) prod(rowSums(m), colSums(m)) / sum(m)^3))
                   d^2 / v
                 }), tolerance = 1e-10, label = nm)
    if (abs(r$dev) >= 0.5) {
      expect_equal(r$conditional$statistic[2], unname(corr$statistic), tolerance = 1e-10,
                   label = nm)
      expect_equal(r$conditional$p_value[2], corr$p.value, tolerance = 1e-10, label = nm)
    }
    expect_equal(r$odds_ratio$estimate, unname(uncorr$estimate), tolerance = 1e-10, label = nm)
    expect_equal(c(r$odds_ratio$lower, r$odds_ratio$upper), as.vector(uncorr$conf.int),
                 tolerance = 1e-10, label = nm)
    expect_equal(unname(r$homogeneity$statistic), unname(ref_bd(tab)), tolerance = 1e-8,
                 label = nm)
  }
})

test_that("the SPSS continuity rule drops 0.5 only when the deviation is exactly 0", {
  # D = 0.25 with integer counts: R drops the correction, the SPSS rule keeps it
  tab <- array(c(1, 1, 1, 1, 1, 0, 1, 0), c(2, 2, 2))
  tab[, , 2] <- matrix(c(2, 1, 1, 0), 2)
  r <- zh_cmh(tab)
  expect_true(abs(r$dev) > 0 && abs(r$dev) < 0.5)
  v <- sum(apply(tab, 3, function(m) prod(rowSums(m), colSums(m)) / (sum(m)^2 * (sum(m) - 1))))
  expect_equal(r$conditional$statistic[2], (abs(r$dev) - 0.5)^2 / v, tolerance = 1e-12)
  bal <- array(c(5, 5, 5, 5, 3, 3, 3, 3), c(2, 2, 2))
  expect_equal(zh_cmh(bal)$conditional$statistic, c(0, 0))
})

test_that("a null odds ratio other than 1 moves only the test of the estimate", {
  r1 <- zh_cmh(sheet)
  r2 <- zh_cmh(sheet, null_or = 2)
  expect_equal(r2$odds_ratio$z, (log(r1$odds_ratio$estimate) - log(2)) / r1$odds_ratio$se)
  expect_equal(r2$odds_ratio$p_value, 2 * pnorm(-abs(r2$odds_ratio$z)))
  expect_equal(r2$conditional, r1$conditional)
})

test_that("strata with fewer than two cases or a zero margin are set aside", {
  tab <- array(0, c(2, 2, 5))
  tab[, , 1:3] <- sheet
  tab[1, 1, 4] <- 1                      # one case: no variance
  tab[, , 5] <- matrix(c(4, 0, 6, 0), 2) # zero margin: no homogeneity term
  r <- zh_cmh(tab)
  expect_equal(r$skipped$small, 4L)
  expect_equal(r$skipped$zero_margin, 5L)
  ref <- zh_cmh(sheet)
  expect_equal(r$conditional$statistic, ref$conditional$statistic)
  expect_equal(r$odds_ratio$estimate, ref$odds_ratio$estimate)
  expect_equal(r$homogeneity$df, c(2, 2))
  zero <- array(c(5, 0, 5, 5, 4, 0, 6, 3), c(2, 2, 2))  # every b*c = 0 ... S sums to 0
  zero[2, 1, ] <- 0
  rz <- zh_cmh(zero)
  expect_true(is.infinite(rz$odds_ratio$estimate))
  expect_true(is.na(rz$odds_ratio$se) && is.na(rz$odds_ratio$lower))
})
