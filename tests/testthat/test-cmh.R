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

# A CMH result against stats::mantelhaen.test() on the same 2 x 2 x K
# table: Mantel-Haenszel with the continuity correction (where SPSS's rule
# keeps it, |deviation| >= 0.5), the common odds ratio and its interval, and
# Breslow-Day against the transcription above.
expect_mantelhaen <- function(cm, tab, label) {
  corr <- stats::mantelhaen.test(tab, correct = TRUE)
  uncorr <- stats::mantelhaen.test(tab, correct = FALSE)
  if (abs(cm$dev) >= 0.5) {
    expect_equal(cm$conditional$statistic[2], unname(corr$statistic), tolerance = 1e-10,
                 label = label)
    expect_equal(cm$conditional$p_value[2], corr$p.value, tolerance = 1e-10, label = label)
  }
  expect_equal(cm$odds_ratio$estimate, unname(uncorr$estimate), tolerance = 1e-10, label = label)
  expect_equal(c(cm$odds_ratio$lower, cm$odds_ratio$upper), as.vector(uncorr$conf.int),
               tolerance = 1e-10, label = label)
  expect_equal(unname(cm$homogeneity$statistic), unname(ref_bd(tab)), tolerance = 1e-8,
               label = label)
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
    # Cochran's statistic is MH without correction and with n^3 in place of
    # n^2 (n - 1): rescale the reference stratum by stratum
    expect_equal(r$conditional$statistic[1],
                 local({
                   d <- sum(apply(tab, 3, function(m) m[1, 1] - sum(m[1, ]) * sum(m[, 1]) / sum(m)))
                   v <- sum(apply(tab, 3, function(m) prod(rowSums(m), colSums(m)) / sum(m)^3))
                   d^2 / v
                 }), tolerance = 1e-10, label = nm)
    expect_mantelhaen(r, tab, nm)
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

# ---- through crosstab() ------------------------------------------------------

sheet_tab <- as.table(array(sheet, c(2, 2, 3),
                            dimnames = list(x = c("1", "2"), y = c("1", "2"), l = 1:3)))

near <- function(x, y, tol = 1e-6) expect_true(all(abs(x - y) <= tol), label = deparse(x))

test_that("crosstab(statistics = \"cmh\") reproduces every worked value of sheet item 2", {
  ct <- crosstab(sheet_tab, statistics = "cmh")
  cm <- ct$cmh
  expect_equal(cm$dev, 8)
  near(cm$conditional$statistic, c(10.874336, 9.271843))
  near(cm$conditional$p_value, c(.000975, .002327))
  o <- cm$odds_ratio
  near(c(o$estimate, o$ln_estimate, o$se, o$z, o$p_value),
       c(4.116883, 1.415096, 0.441200, 3.207381, .001339))
  near(c(o$lower, o$upper, o$ln_lower, o$ln_upper), c(1.733878, 9.775042, 0.550360, 2.279832))
  near(cm$fitted, c(9.535095, 6.597430, 14.811059))
  near(cm$homogeneity$statistic, c(0.421283, 0.420658))
  expect_equal(cm$homogeneity$df, c(2, 2))
  near(cm$homogeneity$p_value, c(.810064, .810318))
  # MH without the 0.5 (not printed by SPSS) is R's correct = FALSE
  near(unname(stats::mantelhaen.test(sheet_tab, correct = FALSE)$statistic), 10.549297)
  # the same from a data frame of cases and from counts with `weights`
  d <- as.data.frame(sheet_tab)
  long <- d[rep(seq_len(nrow(d)), d$Freq), 1:3]
  c2 <- crosstab(long, x, y, layer = l, statistics = "cmh")
  expect_equal(c2$cmh$conditional, cm$conditional)
  expect_equal(c2$cmh$odds_ratio, cm$odds_ratio)
  c3 <- crosstab(d, x, y, layer = l, weights = Freq, statistics = "cmh")
  expect_equal(c3$cmh$homogeneity, cm$homogeneity)
  td <- tidy(ct)
  td <- td[td$type == "cmh", ]
  expect_identical(td$term, c("Cochran's", "Mantel-Haenszel", "Breslow-Day", "Tarone's",
                              "Mantel-Haenszel Common Odds Ratio"))
  near(td$p.value, c(.000975, .002327, .810064, .810318, .001339))
  expect_true(all(is.na(td$l)))
  df <- as.data.frame(ct, what = "cmh")
  near(unlist(df[c("estimate", "lower", "upper", "ln_lower", "ln_upper")]),
       c(4.116883, 1.733878, 9.775042, 0.550360, 2.279832))
  expect_equal(crosstab(sheet_tab, statistics = "cmh", null_or = 2)$cmh$odds_ratio$z,
               (log(o$estimate) - log(2)) / o$se)
})

test_that("crosstab() CMH equals mantelhaen.test() on stratified tables, weighted data too", {
  tabs <- stratified()
  tabs$ucb <- UCBAdmissions
  for (nm in names(tabs)) {
    tab <- tabs[[nm]]
    if (is.null(dimnames(tab))) {
      dimnames(tab) <- list(a = 1:2, b = 1:2, s = seq_len(dim(tab)[3]))
    }
    ct <- crosstab(as.table(tab), statistics = "cmh")
    expect_mantelhaen(ct$cmh, unclass(tab), nm)
  }
  # a weighted data frame: cells of summed non-integer weights, each cell
  # rounded (the default count rule) before any statistic
  set.seed(5)
  n <- 400
  d <- data.frame(x = sample(c("no", "yes"), n, TRUE), y = sample(c("lo", "hi"), n, TRUE),
                  s = sample(c("A", "B", "C", "D"), n, TRUE), w = runif(n, 0.2, 2.7))
  ct <- crosstab(d, x, y, layer = s, weights = w, statistics = "cmh")
  ref <- round(stats::xtabs(w ~ x + factor(y, levels = c("hi", "lo")) + s, d))
  expect_equal(ct$cmh$conditional$statistic[2],
               unname(stats::mantelhaen.test(ref, correct = TRUE)$statistic), tolerance = 1e-10)
  expect_equal(ct$cmh$odds_ratio$estimate,
               unname(stats::mantelhaen.test(ref, correct = FALSE)$estimate), tolerance = 1e-10)
  expect_equal(unname(ct$cmh$homogeneity$statistic), unname(ref_bd(unclass(ref))),
               tolerance = 1e-8)
  # count = "asis": the unrounded sums
  ca <- crosstab(d, x, y, layer = s, weights = w, count = "asis", statistics = "cmh")
  raw <- stats::xtabs(w ~ x + factor(y, levels = c("hi", "lo")) + s, d)
  expect_equal(ca$cmh$odds_ratio$estimate,
               unname(stats::mantelhaen.test(raw, correct = FALSE)$estimate), tolerance = 1e-10)
})

test_that("the SPSS continuity rule through crosstab(), where R's rule differs", {
  tab <- array(c(1, 1, 1, 1, 2, 1, 1, 0), c(2, 2, 2),
               dimnames = list(a = 1:2, b = 1:2, s = 1:2))
  cm <- crosstab(as.table(tab), statistics = "cmh")$cmh
  expect_true(abs(cm$dev) > 0 && abs(cm$dev) < 0.5)
  # R drops the correction here: its corrected and uncorrected values agree
  expect_equal(stats::mantelhaen.test(tab, correct = TRUE)$statistic,
               stats::mantelhaen.test(tab, correct = FALSE)$statistic)
  v <- sum(apply(tab, 3, function(m) prod(rowSums(m), colSums(m)) / (sum(m)^2 * (sum(m) - 1))))
  expect_equal(cm$conditional$statistic[2], (abs(cm$dev) - 0.5)^2 / v, tolerance = 1e-12)
})

test_that("several layer variables: each combination is a stratum", {
  set.seed(9)
  d <- data.frame(x = sample(1:2, 300, TRUE), y = sample(1:2, 300, TRUE),
                  g = sample(c("m", "f"), 300, TRUE), r = sample(c("n", "s", "e"), 300, TRUE))
  ct <- crosstab(d, x, y, layer = c(g, r), statistics = "cmh")
  ref <- stats::xtabs(~ x + y + interaction(g, r), d)
  expect_equal(ct$cmh$strata, 6L)
  expect_equal(ct$cmh$odds_ratio$estimate,
               unname(stats::mantelhaen.test(ref, correct = FALSE)$estimate), tolerance = 1e-10)
  # the strata of the independent xtabs() in the same order
  expect_equal(ct$cmh$conditional, zh_cmh(unclass(ref))$conditional)
  expect_identical(ct$cmh$strata_labels[1:2], c("g = f, r = e", "g = m, r = e"))
})

test_that("CMH notes: no layer, non-2x2 layers, one stratum, strata left out", {
  nt <- function(x) zhetysu:::zh_notes_text(list(x))
  c0 <- crosstab(mtcars, am, vs, statistics = "cmh")
  expect_match(zhetysu:::zh_notes_text(c0$notes), "need a layer variable", all = FALSE)
  c1 <- crosstab(mtcars, am, gear, layer = vs, statistics = "cmh")
  expect_null(c1$cmh$odds_ratio)
  expect_match(nt(c1$cmh$note), "am has 2 and gear 3 non-empty")
  m1 <- transform(mtcars[mtcars$vs == 1, ], four = cyl == 4)
  c2 <- crosstab(m1, am, four, layer = vs, statistics = "cmh")
  expect_match(nt(c2$cmh$note), "at least two strata")
  tab <- array(0, c(2, 2, 5), dimnames = list(a = 1:2, b = 1:2, s = letters[1:5]))
  tab[, , 1:3] <- sheet
  tab[1, 1, 4] <- 1
  tab[, , 5] <- matrix(c(4, 0, 6, 0), 2)
  cm <- crosstab(as.table(tab), statistics = "cmh")$cmh
  expect_equal(cm$odds_ratio$estimate, zh_cmh(sheet)$odds_ratio$estimate)
  expect_match(nt(cm$note), "fewer than two cases left out: s = d\\.")
  expect_match(nt(cm$note), "homogeneity tests: s = e\\.")
  expect_equal(cm$homogeneity$df, c(2, 2))
})

test_that("CMH tables print as SPSS's blocks, within the width", {
  local_reproducible_output(width = 80)
  ct <- crosstab(sheet_tab, statistics = "cmh")
  out <- format(ct)
  start <- grep("^Tests of Conditional Independence", out)
  expect_snapshot(cat(out[start:length(out)], sep = "\n"))
  for (w in c(60, 80)) {
    expect_true(all(nchar(format(ct, width = w)) <= w))
  }
  bad <- crosstab(mtcars, am, gear, layer = vs, statistics = "cmh")
  expect_snapshot(cat(format(bad)[1:10], sep = "\n"))
  nolayer <- format(crosstab(mtcars, am, vs, statistics = "cmh"))
  expect_snapshot(cat(nolayer[grep("^CMH", nolayer) + 0:1], sep = "\n"))
})

test_that("CMH tables in HTML and flextable", {
  ct <- crosstab(sheet_tab, statistics = "cmh")
  html <- zhetysu:::zh_html(ct)
  for (s in c("Tests of Conditional Independence", "Tests of Homogeneity of the Odds Ratio",
              "Mantel-Haenszel Common Odds Ratio Estimate", "4.117", "Breslow-Day")) {
    expect_match(html, s, fixed = TRUE)
  }
  skip_if_not_installed("knitr")
  old <- knitr::opts_knit$get("rmarkdown.pandoc.to")
  knitr::opts_knit$set(rmarkdown.pandoc.to = "html")
  on.exit(knitr::opts_knit$set(rmarkdown.pandoc.to = old))
  kp <- knitr::knit_print(ct)
  expect_match(kp, "<caption>Mantel-Haenszel Common Odds Ratio Estimate</caption>", fixed = TRUE)
  expect_match(kp, "<caption>Tests of Conditional Independence</caption>", fixed = TRUE)
  skip_if_not_installed("flextable")
  n <- length(zhetysu:::zh_tables(ct))
  ft <- as_flextable(ct, table = n)
  expect_s3_class(ft, "flextable")
  expect_true("4.117" %in% unlist(ft$body$dataset))
})

test_that("bad statistics and null_or stop with classed errors naming the argument", {
  expect_snapshot(error = TRUE, crosstab(mtcars, am, vs, statistics = "foo"))
  expect_snapshot(error = TRUE, crosstab(mtcars, am, vs, statistics = "cmh", null_or = -1))
  expect_error(crosstab(mtcars, am, vs, statistics = "foo"), class = "zhetysu_error_input")
  expect_error(crosstab(mtcars, am, vs, null_or = -1), class = "zhetysu_error_input")
  one <- format(crosstab(table(a = c(1, 1, 1), b = c(1, 2, 3)),
                        statistics = c("cmh", "mcnemar", "prop")))
  # a 1 x k table has no measures: the tables stop after Chi-Square Tests
  expect_false(any(grepl("^Symmetric Measures", one)))
  expect_snapshot(cat(one, sep = "\n"))
})

test_that("association_table(layer =) adds the CMH columns where they apply", {
  set.seed(2)
  d <- data.frame(y = sample(0:1, 200, TRUE), f1 = sample(c("a", "b"), 200, TRUE),
                  f2 = sample(1:3, 200, TRUE), l = sample(1:4, 200, TRUE))
  at <- association_table(d, y, c(f1, f2), layer = l)
  ref <- stats::mantelhaen.test(stats::xtabs(~ f1 + y + l, d))
  expect_equal(at$cmh_statistic[1], unname(ref$statistic), tolerance = 1e-10)
  expect_equal(at$cmh_p_value[1], ref$p.value, tolerance = 1e-10)
  expect_equal(at$common_or[1], unname(ref$estimate), tolerance = 1e-10)
  expect_equal(at$breslow_day_p_value[1],
               crosstab(d, f1, y, layer = l, statistics = "cmh")$cmh$homogeneity$p_value[1])
  expect_true(is.na(at$cmh_statistic[2]))
  expect_true(all(nchar(format(at, width = 60)) <= 60))
  expect_error(association_table(d, y, c(f1, f2), layer = f1), class = "zhetysu_error_column")
})
