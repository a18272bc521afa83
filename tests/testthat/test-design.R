# Design-based crosstabs against the survey package (the oracle), and the
# design-based SEs of the measures against two independent computations.
skip_if_not_installed("survey")
suppressPackageStartupMessages(library(survey))

data(api, package = "survey")
api_designs <- function() {
  dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
  dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
  dclus2 <- svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)
  list(dstrat = dstrat, dclus1 = dclus1, dclus2 = dclus2,
       jk1 = as.svrepdesign(dclus1, type = "JK1"),
       boot = {
         set.seed(3)
         as.svrepdesign(dstrat, type = "bootstrap", replicates = 50)
       })
}

# A stratified two-stage-looking sample: 4 strata, 6-9 PSUs each, with a
# finite population correction and missing values.
sim_design <- function(seed = 1, n_psu = c(6, 9, 7, 8)) {
  set.seed(seed)
  rows <- lapply(seq_along(n_psu), function(h) {
    do.call(rbind, lapply(seq_len(n_psu[h]), function(j) {
      m <- sample(8:20, 1)
      u <- rnorm(1)
      data.frame(stratum = h, psu = paste0(h, "-", j), N_h = 10 * n_psu[h],
                 a = factor(cut(rnorm(m) + u, c(-Inf, -0.5, 0.6, Inf), labels = c("lo", "mid", "hi"))),
                 b = factor(sample(c("x", "y", "z", "w"), m, TRUE, prob = c(.4, .3, .2, .1) + .1 * (u > 0)),
                            levels = c("x", "y", "z", "w")),
                 w = runif(m, 1, 4) * h)
    }))
  })
  d <- do.call(rbind, rows)
  d$b[sample(nrow(d), 5)] <- NA
  svydesign(id = ~psu, strata = ~stratum, weights = ~w, fpc = ~N_h, data = d)
}

expect_cells_match <- function(ct, des, row, col) {
  f <- stats::as.formula(sprintf("~interaction(%s, %s)", row, col))
  tot <- svytotal(f, des, deff = TRUE, na.rm = TRUE)
  expect_equal(ct$cells$count, unname(coef(tot)), tolerance = 1e-8)
  expect_equal(ct$cells$count_se, unname(SE(tot)), tolerance = 1e-8)
  expect_equal(ct$cells$count_deff, unname(diag(attr(tot, "deff"))), tolerance = 1e-8)
  m <- svymean(f, des, deff = TRUE, na.rm = TRUE)
  expect_equal(ct$cells$total_percent, 100 * unname(coef(m)), tolerance = 1e-8)
  expect_equal(ct$cells$total_se, 100 * unname(SE(m)), tolerance = 1e-8)
  expect_equal(ct$cells$total_deff, unname(diag(attr(m, "deff"))), tolerance = 1e-8)
  ci <- confint(m)
  expect_equal(ct$cells$total_lower, 100 * unname(ci[, 1]), tolerance = 1e-8)
  expect_equal(ct$cells$total_upper, 100 * unname(ci[, 2]), tolerance = 1e-8)
  # row percentages: the column variable's distribution within each row
  by_row <- svyby(stats::as.formula(paste0("~", col)), stats::as.formula(paste0("~", row)),
                  des, svymean, deff = TRUE, na.rm = TRUE)
  nr <- nlevels(droplevels(factor(des$variables[[row]])))
  nc <- nlevels(droplevels(factor(des$variables[[col]])))
  k <- seq_len(nc)
  expect_equal(ct$cells$row_percent, 100 * as.vector(as.matrix(by_row[, 1 + k])), tolerance = 1e-8)
  expect_equal(ct$cells$row_se, 100 * as.vector(as.matrix(by_row[, 1 + nc + k])), tolerance = 1e-8)
  expect_equal(ct$cells$row_deff, as.vector(as.matrix(by_row[, 1 + 2 * nc + k])), tolerance = 1e-8)
  by_col <- svyby(stats::as.formula(paste0("~", row)), stats::as.formula(paste0("~", col)),
                  des, svymean, deff = TRUE, na.rm = TRUE)
  k <- seq_len(nr)
  expect_equal(ct$cells$col_percent, 100 * as.vector(t(as.matrix(by_col[, 1 + k]))), tolerance = 1e-8)
  expect_equal(ct$cells$col_se, 100 * as.vector(t(as.matrix(by_col[, 1 + nr + k]))), tolerance = 1e-8)
  expect_equal(ct$cells$col_deff, as.vector(t(as.matrix(by_col[, 1 + 2 * nr + k]))), tolerance = 1e-8)
}

expect_tests_match <- function(ct, des, row, col) {
  f <- stats::as.formula(sprintf("~%s + %s", row, col))
  tt <- ct$tests
  s <- svychisq(f, des, statistic = "F")
  expect_equal(tt$statistic[1], unname(s$statistic), tolerance = 1e-8)
  expect_equal(c(tt$df[1], tt$df2[1]), unname(s$parameter), tolerance = 1e-8)
  expect_equal(tt$p_value[1], unname(s$p.value), tolerance = 1e-8)
  s <- svychisq(f, des, statistic = "Chisq")
  # survey reports the uncorrected X^2 and the p of X^2 / mean(eigenvalues)
  expect_equal(tt$uncorrected[2], unname(s$statistic), tolerance = 1e-8)
  expect_equal(tt$df[2], unname(s$parameter), tolerance = 1e-8)
  expect_equal(tt$p_value[2], unname(s$p.value), tolerance = 1e-8)
  expect_equal(tt$p_value[2], stats::pchisq(tt$statistic[2], tt$df[2], lower.tail = FALSE),
               tolerance = 1e-8)
  for (k in 5:6) {
    s <- svychisq(f, des, statistic = c("Wald", "adjWald")[k - 4])
    expect_equal(tt$statistic[k], unname(drop(s$statistic)), tolerance = 1e-8)
    expect_equal(c(tt$df[k], tt$df2[k]), unname(s$parameter), tolerance = 1e-8)
    expect_equal(tt$p_value[k], unname(drop(s$p.value)), tolerance = 1e-8)
  }
  # the likelihood ratio takes the same correction (Rao and Scott): G^2 of
  # the table scaled to the design's cases, over the same eigenvalues
  tab <- svytable(f, des, Ntotal = nrow(des$variables))
  e <- outer(rowSums(tab), colSums(tab)) / sum(tab)
  G2 <- 2 * sum(ifelse(tab > 0, tab * log(tab / e), 0))
  expect_equal(tt$uncorrected[3], G2, tolerance = 1e-8)
  expect_equal(tt$statistic[3] / tt$statistic[1], G2 / tt$uncorrected[1], tolerance = 1e-8)
  expect_equal(tt$df[3:4], tt$df[1:2])
}

test_that("cells and tests match survey on the api designs", {
  for (nm in names(api_designs())) {
    des <- api_designs()[[nm]]
    for (v in list(c("sch.wide", "stype"), c("stype", "awards"), c("comp.imp", "stype"))) {
      ct <- crosstab(des, v[1], v[2])
      expect_s3_class(ct, "zh_design_crosstab")
      expect_cells_match(ct, des, v[1], v[2])
      expect_tests_match(ct, des, v[1], v[2])
    }
  }
})

test_that("cells and tests match survey on simulated stratified cluster samples", {
  for (seed in 1:3) {
    des <- sim_design(seed)
    ct <- crosstab(des, a, b)
    expect_cells_match(ct, des, "a", "b")
    expect_tests_match(ct, des, "a", "b")
    rep <- as.svrepdesign(des, type = "JKn")
    ct <- crosstab(rep, a, b)
    expect_cells_match(ct, rep, "a", "b")
    expect_tests_match(ct, rep, "a", "b")
  }
})

test_that("lonely PSUs follow survey's options", {
  des <- sim_design(4, n_psu = c(6, 1, 7, 8))
  # stratum 2 (one PSU) has no case of a = "mid": for the row percentages of
  # "mid", survey's svyby() averages over the other three strata only
  expect_equal(sum(des$variables$stratum == 2 & des$variables$a == "mid"), 0)
  old <- options(survey.lonely.psu = "fail")
  on.exit(options(old))
  expect_error(crosstab(des, a, b), class = "zhetysu_error_design")
  expect_error(svytotal(~a, des))
  expect_snapshot(crosstab(des, a, b), error = TRUE)
  for (opt in c("remove", "adjust", "average", "certainty")) {
    options(survey.lonely.psu = opt)
    ct <- crosstab(des, a, b)
    expect_cells_match(ct, des, "a", "b")
    expect_tests_match(ct, des, "a", "b")
  }
})

test_that("a calibrated design matches survey", {
  des <- api_designs()$dclus1
  pop <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
  ps <- postStratify(des, ~stype, pop)
  ct <- crosstab(ps, sch.wide, stype)
  expect_cells_match(ct, ps, "sch.wide", "stype")
  expect_tests_match(ct, ps, "sch.wide", "stype")
})

test_that("bad designs give classed errors naming the argument", {
  des <- api_designs()$dclus1
  expect_error(crosstab(des, sch.wide, nonesuch), class = "zhetysu_error_column")
  expect_error(crosstab(des, sch.wide, stype, weights = pw), class = "zhetysu_error_input")
  expect_error(crosstab(des, sch.wide, stype, statistic = "F"), class = "zhetysu_error_dots")
  expect_snapshot(error = TRUE, {
    crosstab(des, sch.wide, nonesuch)
    crosstab(des, sch.wide, stype, weights = pw)
  })
})

# (a) Simple random sampling with replacement and equal weights w:
# svydesign(ids = ~1, weights = ~w) estimates the covariance of the cell
# totals T by n/(n-1) * sum_i (z_i - zbar)(z_i - zbar)' with z_i = w e_k(i),
# that is V_T = w^2 n^2 / (n-1) (D_p - p p'). Every measure m is homogeneous
# of degree 0 in the counts, so grad_T m = grad_p m / (w n), and
#   Var(m) = grad_p' (D_p - p p') grad_p / (n - 1) = ASE1^2 * n / (n - 1),
# ASE1^2 = grad_p' (D_p - p p') grad_p / n being the multinomial variance
# (the SPSS ASE1 of the measures that have one). The factor is sqrt(n/(n-1)).
test_that("(a) under SRS with replacement the SEs are the multinomial ASE1 times sqrt(n/(n-1))", {
  set.seed(11)
  n <- 500
  d <- data.frame(a = sample(1:3, n, TRUE, prob = c(.2, .3, .5)),
                  b = sample(1:4, n, TRUE, prob = c(.1, .2, .3, .4)),
                  c = sample(1:3, n, TRUE))
  d$b[d$a == 1 & runif(n) < .6] <- 1
  same <- runif(n) < .3
  d$c[same] <- d$a[same]
  d$w <- 3.5
  des <- svydesign(ids = ~1, weights = ~w, data = d)
  ct <- crosstab(des, a, b)
  ref <- crosstab(d, a, b, count = "asis")
  tab <- ref$observed
  # no ties among the row or column maxima, so lambda is differentiable
  expect_true(all(apply(tab, 1, function(r) sum(r == max(r))) == 1))
  expect_true(all(apply(tab, 2, function(r) sum(r == max(r))) == 1))
  f <- sqrt(n / (n - 1))
  with_ase <- c("Lambda symmetric", "Lambda row dependent", "Lambda column dependent",
                "Goodman-Kruskal tau row dependent", "Goodman-Kruskal tau column dependent",
                "Uncertainty coefficient symmetric", "Uncertainty coefficient row dependent",
                "Uncertainty coefficient column dependent", "Kendall's tau-b", "Kendall's tau-c",
                "Gamma", "Somers' d symmetric", "Somers' d row dependent",
                "Somers' d column dependent", "Pearson's R")
  k <- match(with_ase, ct$measures$measure)
  expect_equal(ct$measures$se[k], f * ref$measures$ase[k], tolerance = 1e-6)
  # phi, V and the contingency coefficient have no SPSS ASE: the multinomial
  # delta method written out. phi^2 = sum p_ij^2 / (p_i. p_.j) - 1.
  p <- tab / sum(tab)
  pr <- rowSums(p)
  pc <- colSums(p)
  phi2 <- sum(p^2 / outer(pr, pc)) - 1
  A <- p^2 / outer(pr, pc)
  g_phi2 <- 2 * p / outer(pr, pc) - outer(rowSums(A) / pr, rep(1, 4)) -
    outer(rep(1, 3), colSums(A) / pc)
  mult_se <- function(g) sqrt((sum(p * g^2) - sum(p * g)^2) / n)
  q <- min(dim(tab)) - 1
  se_phi <- mult_se(g_phi2 / (2 * sqrt(phi2)))
  se_v <- se_phi / sqrt(q)
  se_cc <- mult_se(g_phi2 / (2 * sqrt(phi2 / (1 + phi2)) * (1 + phi2)^2))
  expect_equal(ct$measures$se[1:3], f * c(se_phi, se_v, se_cc), tolerance = 1e-6)
  # eta with the row variable dependent (its values as scores, the columns
  # as groups): eta^2 = 1 - W / T, T = sum p y^2 - (sum p y)^2 and
  # W = sum_j (sum_i p_ij y_i^2 - (sum_i p_ij y_i)^2 / p_.j), written out
  y <- as.numeric(rownames(tab))
  mu <- sum(pr * y)
  Tt <- sum(pr * y^2) - mu^2
  mj <- colSums(p * y) / pc
  Wt <- sum(colSums(p * y^2) - colSums(p * y)^2 / pc)
  eta <- sqrt(1 - Wt / Tt)
  dT <- outer(y^2 - 2 * mu * y, rep(1, 4))
  dW <- outer(y^2, rep(1, 4)) - 2 * outer(y, mj) + outer(rep(1, 3), mj^2)
  g_eta <- -(dW * Tt - Wt * dT) / Tt^2 / (2 * eta)
  k <- match("Eta row dependent", ct$measures$measure)
  expect_equal(ct$measures$estimate[k], eta, tolerance = 1e-10)
  expect_equal(ct$measures$se[k], f * mult_se(g_eta), tolerance = 1e-6)
  # kappa = (po - pe) / (1 - pe), written out (the SPSS ASE1 of kappa is a
  # different expression, so it is not the reference here)
  ck <- crosstab(des, a, c)
  p <- crosstab(d, a, c, count = "asis")$observed
  p <- p / sum(p)
  pr <- rowSums(p)
  pc <- colSums(p)
  po <- sum(diag(p))
  pe <- sum(pr * pc)
  g <- (diag(3) * (1 - pe) - (outer(pc, rep(1, 3)) + outer(rep(1, 3), pr)) * (1 - po)) / (1 - pe)^2
  expect_equal(ck$measures$se[22], f * mult_se(g), tolerance = 1e-6)
})

# (b) On a jackknife (JK1) design, the delta-method variance against the
# replicate variance of each measure recomputed by crosstab() itself on each
# replicate's weights. Replicates of a JK1 design move the totals by O(1/n)
# of n PSUs, and the two variances differ by the curvature of the measure,
# O(1/n) relative; replicates shrunk towards the full sample,
# w + eps (w_r - w) with the scale divided by eps^2 (a JK1 design of the same
# covariance for every linear statistic), and central replicates at -eps,
# make that difference O(eps^2): within 1e-6 with eps = 1e-3.
test_that("(b) the SEs match the replicate variance of the measures recomputed per replicate", {
  des <- sim_design(5, n_psu = c(20, 25, 22, 18))
  jk <- as.svrepdesign(svydesign(id = ~psu, weights = ~w, data = des$variables), type = "JK1")
  ct <- crosstab(jk, a, b)
  d <- jk$variables
  keep <- !is.na(d$a) & !is.na(d$b)
  w <- weights(jk, "sampling")
  W <- weights(jk, "analysis")
  est <- function(wt) {
    dd <- data.frame(a = d$a, b = d$b, wt = wt)[keep, ]
    crosstab(dd, a, b, weights = wt, count = "asis")$measures$estimate
  }
  smooth <- !grepl("Lambda", ct$measures$measure) & !is.na(ct$measures$estimate)
  eps <- 1e-3
  dev <- sapply(seq_len(ncol(W)), function(r) {
    (est(w + eps * (W[, r] - w)) - est(w - eps * (W[, r] - w))) / (2 * eps)
  })
  v_lin <- jk$scale * rowSums(dev^2)
  expect_equal(ct$measures$se[smooth]^2, v_lin[smooth], tolerance = 1e-6)
  # the plain JK1 replicate variance agrees to O(1/n) only: 85 PSUs here,
  # largest relative difference 0.085 (gamma-type measures curve most)
  m <- sapply(seq_len(ncol(W)), function(r) est(W[, r]))
  v_jk <- jk$scale * rowSums((m - rowMeans(m))^2)
  rel <- abs(v_jk[smooth] / ct$measures$se[smooth]^2 - 1)
  expect_lt(max(rel), 0.1)
})

test_that("the printed design crosstab", {
  des <- api_designs()$dclus1
  old <- options(width = 80)
  on.exit(options(old))
  expect_snapshot(print(crosstab(des, sch.wide, stype), cells = c("count", "row", "col")))
})

test_that("freq_table and profile_table on a design match svymean() and svytotal()", {
  designs <- c(api_designs(), list(sim = sim_design(2)))
  for (des in designs) {
    for (v in c("stype", "awards", "b")) {
      if (!v %in% names(des$variables)) next
      f <- stats::as.formula(paste0("~", v))
      m <- svymean(f, des, deff = TRUE, na.rm = TRUE)
      tot <- svytotal(f, des, deff = TRUE, na.rm = TRUE)
      ft <- freq_table(des, v)$table
      expect_equal(ft$percent, 100 * unname(coef(m)), tolerance = 1e-8)
      expect_equal(ft$se, 100 * unname(SE(m)), tolerance = 1e-8)
      expect_equal(ft$deff, unname(diag(attr(m, "deff"))), tolerance = 1e-8)
      expect_equal(ft$lower, 100 * unname(confint(m)[, 1]), tolerance = 1e-8)
      expect_equal(ft$count, unname(coef(tot)), tolerance = 1e-8)
      expect_equal(ft$count_se, unname(SE(tot)), tolerance = 1e-8)
      expect_equal(ft$count_deff, unname(diag(attr(tot, "deff"))), tolerance = 1e-8)
    }
  }
  des <- api_designs()$dclus2
  pt <- profile_table(des, c(stype, awards))$table
  m <- svymean(~stype + awards, des, deff = TRUE)
  expect_equal(pt$percent, 100 * unname(coef(m)), tolerance = 1e-8)
  expect_equal(pt$se, 100 * unname(SE(m)), tolerance = 1e-8)
  expect_equal(pt$deff, unname(diag(attr(m, "deff"))), tolerance = 1e-8)
  expect_error(profile_table(des, stype, by = awards), class = "zhetysu_error_input")
  expect_error(freq_table(des, nonesuch), class = "zhetysu_error_column")
  old <- options(width = 80)
  on.exit(options(old))
  expect_snapshot({
    print(freq_table(des, stype))
    print(profile_table(des, c(stype, awards)))
  })
})

test_that("cor_matrix on a design: r and its SE as svymean() + svycontrast()", {
  designs <- api_designs()
  for (des in designs) {
    cm <- cor_matrix(des, c(api00, ell, meals))
    v <- c("api00", "ell", "meals")
    for (i in 1:2) for (j in (i + 1):3) {
      dd <- des
      dd$variables$xx <- dd$variables[[v[i]]]^2
      dd$variables$yy <- dd$variables[[v[j]]]^2
      dd$variables$xy <- dd$variables[[v[i]]] * dd$variables[[v[j]]]
      dd$variables$x <- dd$variables[[v[i]]]
      dd$variables$y <- dd$variables[[v[j]]]
      m <- svymean(~x + y + xx + yy + xy, dd, na.rm = TRUE)
      ref <- svycontrast(m, quote((xy - x * y) / sqrt((xx - x^2) * (yy - y^2))))
      expect_equal(cm$r[i, j], unname(coef(ref)), tolerance = 1e-8)
      expect_equal(cm$se[i, j], unname(SE(ref)), tolerance = 1e-8)
      # the point estimate is the weighted Pearson r
      w <- weights(des, "sampling")
      expect_equal(cm$r[i, j], cov.wt(cbind(dd$variables$x, dd$variables$y), wt = w,
                                      cor = TRUE)$cor[1, 2], tolerance = 1e-8)
      expect_equal(cm$p[i, j], 2 * pt(-abs(cm$r[i, j] / cm$se[i, j]), degf(des)),
                   tolerance = 1e-8)
    }
  }
  expect_error(cor_matrix(designs$dclus1, c(api00, ell), method = "kendall"),
               class = "zhetysu_error_input")
  expect_error(cor_matrix(designs$dclus1, c(api00, stype)), class = "zhetysu_error_type")
  old <- options(width = 80)
  on.exit(options(old))
  expect_snapshot(print(cor_matrix(designs$dclus1, c(api00, ell))))
})

test_that("cor_matrix on a design: data far from zero or near the ends of the range", {
  # r and its SE do not depend on the origin or unit of x and y, so the
  # reference is svymean() + svycontrast() on the data as given by survey
  des <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
  m <- svymean(~api00 + ell + I(api00^2) + I(ell^2) + I(api00 * ell), des)
  names(m) <- c("x", "y", "xx", "yy", "xy")
  ref <- svycontrast(m, quote((xy - x * y) / sqrt((xx - x^2) * (yy - y^2))))
  # (api00 is whole numbers: + 1e12 stores them exactly)
  for (f in list(function(v) v + 1e12, function(v) v * 1e300, function(v) v * 1e-300)) {
    dd <- des
    dd$variables$api00 <- f(dd$variables$api00)
    cm <- cor_matrix(dd, c(api00, ell))
    expect_equal(cm$r[1, 2], unname(coef(ref)), tolerance = 1e-8)
    expect_equal(cm$se[1, 2], unname(SE(ref)), tolerance = 1e-8)
  }
  # a variable constant over the pair's cases has no r
  dd <- des
  dd$variables$k <- 0.1 * 3
  expect_true(is.na(cor_matrix(dd, c(api00, k))$r[1, 2]))
})

test_that("association_table on a design: the rows of the design crosstabs, tests as svychisq()", {
  des <- api_designs()$dclus2
  at <- association_table(des, sch.wide, c(stype, awards, comp.imp), p_adjust = "holm")
  expect_s3_class(at, "zh_design_association")
  tb <- at$table
  for (k in seq_len(nrow(tb))) {
    f <- stats::as.formula(sprintf("~%s + sch.wide", tb$variable[k]))
    s <- svychisq(f, des, statistic = "F")
    expect_equal(tb$statistic[k], unname(s$statistic), tolerance = 1e-8)
    expect_equal(c(tb$df[k], tb$df2[k]), unname(s$parameter), tolerance = 1e-8)
    expect_equal(tb$p_value[k], unname(s$p.value), tolerance = 1e-8)
    ct <- crosstab(des, tb$variable[k], "sch.wide")
    expect_equal(tb$cramers_v_se[k], ct$measures$se[ct$measures$measure == "Cramer's V"])
  }
  expect_equal(tb$p_adjusted, p.adjust(tb$p_value, "holm"))
  # gamma and tau-b only where both variables are ordered: none are here
  expect_true(all(is.na(tb$gamma)))
  expect_error(association_table(des, sch.wide, c(sch.wide, stype)), class = "zhetysu_error_column")
  old <- options(width = 80)
  on.exit(options(old))
  expect_snapshot(print(at))
})

test_that("subsets, the ultimate-cluster option and missing values match survey", {
  des <- api_designs()
  sub <- subset(des$dclus1, stype != "H")
  ct <- crosstab(sub, sch.wide, stype)
  # crosstab() drops the empty category, as SPSS does; survey keeps it as 0
  expect_identical(levels(ct$cells$stype), c("E", "M"))
  sub$variables$stype <- droplevels(sub$variables$stype)
  expect_cells_match(ct, sub, "sch.wide", "stype")
  expect_tests_match(ct, sub, "sch.wide", "stype")
  sub2 <- subset(des$dstrat, api00 > 600)
  ct <- crosstab(sub2, sch.wide, stype)
  expect_cells_match(ct, sub2, "sch.wide", "stype")
  old <- options(survey.ultimate.cluster = TRUE)
  on.exit(options(old))
  ct <- crosstab(des$dclus2, sch.wide, stype)
  expect_cells_match(ct, des$dclus2, "sch.wide", "stype")
  expect_tests_match(ct, des$dclus2, "sch.wide", "stype")
  options(old)
  # a variable with missing values: the cases are left out, as na.rm = TRUE
  d <- apistrat
  d$cat <- cut(d$avg.ed, c(0, 2.5, 3, Inf))
  d$cat[c(3, 50, 120)] <- NA
  d$sch.wide[c(7, 51)] <- NA
  dd <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = d, fpc = ~fpc)
  ct <- crosstab(dd, cat, sch.wide)
  expect_cells_match(ct, dd, "cat", "sch.wide")
  expect_tests_match(ct, dd, "cat", "sch.wide")
})

test_that("objects that are not survey designs of a known kind are refused", {
  des <- api_designs()$dclus1
  class(des) <- "survey.design"
  expect_error(crosstab(des, sch.wide, stype), class = "zhetysu_error_design")
})

test_that("design results print through the output model: fit the width, HTML numbers", {
  skip_if_not_installed("xml2")
  des <- api_designs()$dclus1
  res <- list(crosstab(des, sch.wide, stype), freq_table(des, stype),
              profile_table(des, c(stype, awards)), cor_matrix(des, c(api00, ell, meals)),
              association_table(des, sch.wide, c(stype, awards)))
  for (w in c(60L, 80L, 120L)) {
    for (x in res) {
      l <- format(x, width = w)
      expect_lte(max(nchar(l, type = "width")), w, label = paste(class(x)[1], "at", w))
    }
  }
  # the design summary line is a note from a code, rendered at print time
  ft <- res[[2]]
  tab <- zhetysu:::zh_tables(ft)[[1]]
  expect_identical(tab$notes$design$code, "design")
  expect_match(format(ft, decimal_mark = ","), "estimated population 5194,00|population [0-9]+,[0-9]{2}",
               all = FALSE)
  td <- xml2::xml_find_all(xml2::read_html(zhetysu:::zh_html(ft)), "//td[@data-value]")
  v <- as.numeric(xml2::xml_attr(td, "data-value"))
  m <- svymean(~stype, des, na.rm = TRUE)
  expect_true(all(apply(abs(outer(100 * unname(coef(m)), v, "-")) < 1e-9, 1, any)))
  expect_snapshot(cat(zhetysu:::zh_html(res[[4]], css = FALSE)), transform = snap_html_values)
})

test_that("design results: console at width 80 and HTML snapshotted; the HTML holds the object's numbers", {
  skip_if_not_installed("xml2")
  des <- api_designs()$dclus1
  cells_of <- function(x) {
    doc <- xml2::read_html(zhetysu:::zh_html(x))
    as.numeric(xml2::xml_attr(xml2::xml_find_all(doc, "//td[@data-value]"), "data-value"))
  }
  # every value must be some data-value of the page, to 12 significant digits
  expect_all_in <- function(v, page, label) {
    v <- v[is.finite(v)]
    expect_gt(length(v), 0)
    expect_true(all(signif(v, 12) %in% signif(page, 12)), label = label)
  }
  ct <- crosstab(des, sch.wide, stype)
  page <- cells_of(ct)
  expect_all_in(ct$cells$count, page, "crosstab counts")
  expect_all_in(ct$tests$statistic, page, "crosstab tests")
  expect_all_in(ct$tests$p_value, page, "crosstab p")
  shown <- zhetysu:::zh_tables(ct)[[3]]$cells$value
  expect_all_in(shown, page, "crosstab measures")
  ft <- freq_table(des, stype)
  page <- cells_of(ft)
  expect_all_in(ft$table$percent, page, "freq percent")
  expect_all_in(ft$table$se, page, "freq se")
  pt <- profile_table(des, c(stype, awards))
  expect_all_in(pt$table$percent, cells_of(pt), "profile percent")
  cm <- cor_matrix(des, c(api00, ell, meals))
  page <- cells_of(cm)
  expect_all_in(cm$r[row(cm$r) != col(cm$r)], page, "cor r")
  expect_all_in(cm$se[row(cm$se) != col(cm$se)], page, "cor se")
  at <- association_table(des, sch.wide, c(stype, awards))
  page <- cells_of(at)
  expect_all_in(at$table$statistic, page, "association F")
  expect_all_in(at$table$p_value, page, "association p")
  expect_all_in(at$table$cramers_v, page, "association V")
  old <- options(width = 80)
  on.exit(options(old))
  expect_snapshot({
    print(ft)
    print(pt)
    print(cm)
    print(at)
  })
  # the measures table is left out of the snapshot (a standard error of
  # 1e-12 for a zero lambda is noise); the parse-back above checks it
  ct_html <- zhetysu:::zh_html(zhetysu:::zh_output(zhetysu:::zh_tables(ct)[1:3]), css = FALSE)
  expect_snapshot(cat(ct_html), transform = snap_html_values)
  expect_snapshot(cat(zhetysu:::zh_html(ft, css = FALSE)), transform = snap_html_values)
  expect_snapshot(cat(zhetysu:::zh_html(pt, css = FALSE)), transform = snap_html_values)
  expect_snapshot(cat(zhetysu:::zh_html(at, css = FALSE)), transform = snap_html_values)
})

test_that("design results show the variables' labels, names with labels = FALSE, as the data-frame results do", {
  set.seed(11)
  n <- 120
  d <- data.frame(status = factor(sample(c("citizen", "resident", "none"), n, TRUE)),
                  region = factor(sample(c("north", "south"), n, TRUE)),
                  score_one = rnorm(n), score_two = rnorm(n),
                  psu = rep(1:12, each = 10), w = runif(n, 1, 3))
  d$score_two <- d$score_two + d$score_one
  attr(d$status, "label") <- "Legal status of the respondent"
  attr(d$region, "label") <- "Region of residence"
  attr(d$score_one, "label") <- "Score on the first test"
  attr(d$score_two, "label") <- "Score on the second test"
  des <- svydesign(ids = ~psu, weights = ~w, data = d)
  shown <- function(x, ...) paste(format(x, width = 80L, ...), collapse = "\n")
  has <- function(x, s) grepl(s, x, fixed = TRUE)
  old <- options(width = 80)
  on.exit(options(old))
  # crosstab: the data-frame crosstab's title, header and "% within" use the labels
  plain <- shown(crosstab(d, status, region))
  expect_true(has(plain, "Legal status of the respondent * Region of residence"))
  ct <- crosstab(des, status, region)
  expect_identical(ct$labels, c(status = "Legal status of the respondent",
                                region = "Region of residence"))
  out <- shown(ct, cells = c("count", "row", "col"))
  expect_true(has(out, "Legal status of the respondent * Region of residence (complex sample)"))
  tabs <- zhetysu:::zh_tables(ct, cells = c("row", "col"))
  expect_identical(tabs[[1]]$stub_head, c("Legal status of the respondent", "Region of residence"))
  expect_match(tabs[[1]]$title, "% within Legal status of the respondent", fixed = TRUE)
  expect_match(tabs[[2]]$title, "% within Region of residence", fixed = TRUE)
  for (off in list(shown(ct, labels = FALSE), local({
    o <- options(zhetysu.labels = FALSE)
    on.exit(options(o))
    shown(ct)
  }))) {
    expect_true(has(off, "status * region (complex sample)"))
    expect_false(has(off, "Legal status"))
  }
  # freq_table: the label is the title, as in the data-frame frequency table
  expect_match(shown(freq_table(d, status)), "Legal status of the respondent", fixed = TRUE)
  ft <- freq_table(des, status)
  expect_true(has(shown(ft), "Legal status of the respondent (complex sample)"))
  expect_true(has(shown(ft, labels = FALSE), "status (complex sample)"))
  expect_false(has(shown(ft, labels = FALSE), "Legal status"))
  # profile_table: each variable's first row shows its label
  pt <- profile_table(des, c(status, region))
  stub <- zhetysu:::zh_tables(pt)[[1]]$stub
  expect_identical(stub[stub[, 1] != "", 1], c("Legal status of the respondent", "Region of residence"))
  stub <- zhetysu:::zh_tables(pt, labels = FALSE)[[1]]$stub
  expect_identical(stub[stub[, 1] != "", 1], c("status", "region"))
  # cor_matrix: row labels and column headers, as cor_matrix(labels = TRUE) on the data frame
  plain <- zhetysu:::zh_tables(cor_matrix(d, c(score_one, score_two)), labels = TRUE)[[1]]
  cm <- cor_matrix(des, c(score_one, score_two))
  tab <- zhetysu:::zh_tables(cm)[[1]]
  expect_identical(tab$columns$label, plain$columns$label)
  expect_identical(tab$stub[tab$stub[, 1] != "", 1], plain$stub[plain$stub[, 1] != "", 1])
  expect_identical(tab$columns$label, c("Score on the first test", "Score on the second test"))
  tab <- zhetysu:::zh_tables(cm, labels = FALSE)[[1]]
  expect_identical(tab$columns$label, c("score_one", "score_two"))
  expect_identical(tab$stub[tab$stub[, 1] != "", 1], c("score_one", "score_two"))
  # association_table: the outcome's label in the title, the factors' in the stub
  at <- association_table(des, region, c(status))
  out <- shown(at)
  expect_true(has(out, "Association with Region of residence (complex sample)"))
  expect_identical(zhetysu:::zh_tables(at)[[1]]$stub[, 1], "Legal status of the respondent")
  off <- shown(at, labels = FALSE)
  expect_true(has(off, "Association with region (complex sample)"))
  expect_false(has(off, "Legal status"))
  expect_error(format(at, labels = NA), class = "zhetysu_error_format")
  # labelled titles and stubs still fit the width
  for (x in list(ct, ft, pt, cm, at)) {
    l <- format(x, width = 80L)
    expect_lte(max(nchar(l, type = "width")), 80, label = class(x)[1])
  }
  expect_snapshot({
    print(ft)
    print(at)
  })
  # a column as haven::read_sav() gives it: its label and its value labels
  skip_if_not_installed("haven")
  d$sex <- haven::labelled(rep(c(1, 2), n / 2), c(male = 1, female = 2),
                           label = "Sex of the respondent")
  des <- svydesign(ids = ~psu, weights = ~w, data = d)
  out <- shown(freq_table(des, sex))
  expect_true(has(out, "Sex of the respondent (complex sample)"))
  expect_true(has(out, "female"))
  expect_match(shown(freq_table(d, sex)), "Sex of the respondent", fixed = TRUE)
})
