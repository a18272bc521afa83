# crosstab() against three independent references:
# 1. GNU PSPP 1.6.2 CROSSTABS /STATISTICS=ALL on 17 fixed tables (outputs in
#    fixtures/pspp-crosstab/, made by fixtures/make-pspp-crosstab.sh);
# 2. a plain R transcription of the SPSS formula sheet (ref_stats() below,
#    written for these tests and slow on purpose: loops, no package code),
#    for what PSPP leaves out or prints differently from SPSS;
# 3. base R (chisq.test, fisher.test, cor, cor.test) and textbook values.

fx_dir <- test_path("fixtures", "pspp-crosstab")
fixtures <- utils::read.csv(file.path(fx_dir, "fixtures.csv"), stringsAsFactors = FALSE)
pspp <- utils::read.csv(file.path(fx_dir, "pspp-crosstab.csv"), stringsAsFactors = FALSE)

read_fixture <- function(data, vars) {
  utils::read.table(file.path(fx_dir, paste0(data, ".dat")), na.strings = ".",
                    col.names = strsplit(vars, " ")[[1]])
}

run_fixture <- function(i) {
  fx <- fixtures[i, ]
  d <- read_fixture(fx$data, fx$vars)
  crosstab(d, fx$row, fx$col, weights = if (fx$weight == "-") NULL else fx$weight,
           count = fx$count)
}

# Absolute agreement, element by element, with the same NA pattern.
# With rel = TRUE the tolerance scales with |expected| above 1.
expect_close <- function(actual, expected, tol = 1e-6, what = "", rel = FALSE) {
  actual <- unname(as.vector(actual))
  expected <- unname(as.vector(expected))
  if (rel) tol <- tol * pmax(1, abs(expected))
  expect_identical(is.na(actual), is.na(expected), label = paste(what, "NA pattern"))
  ok <- !is.na(actual) & !is.na(expected)
  bad <- which(abs(actual[ok] - expected[ok]) > rep_len(tol, length(ok))[ok])
  expect(length(bad) == 0L, sprintf("%s: %s differs (got %s, want %s)", what,
                                    paste(which(ok)[bad], collapse = ","),
                                    paste(format(actual[ok][bad], digits = 10), collapse = ","),
                                    paste(format(expected[ok][bad], digits = 10), collapse = ",")))
}

# ---- the SPSS formula sheet, transcribed --------------------------------
# f: table of counts, X/Y: row/column scores. Returns list(tests, measures)
# in the package's layout (measures: estimate, ase, t, p_value).
ref_stats <- function(f, X = seq_len(nrow(f)), Y = seq_len(ncol(f))) {
  # kappa only when both variables have the same categories (in this order)
  paired <- nrow(f) == ncol(f) && nrow(f) >= 2 && identical(rownames(f), colnames(f))
  f <- unname(as.matrix(f))
  R <- nrow(f)
  C <- ncol(f)
  r <- rowSums(f)
  cc <- colSums(f)
  W <- sum(f)
  E <- outer(r, cc) / W
  q <- min(R, C)
  sig <- function(t) 2 * (1 - pnorm(abs(t)))
  below <- function(i) seq_len(i - 1)
  above <- function(i, n) setdiff(seq_len(n), seq_len(i))

  X2 <- sum((f - E)^2 / E)
  G2 <- 2 * sum(ifelse(f > 0, f * log(f / E), 0))
  df <- (R - 1) * (C - 1)
  pX2 <- pchisq(X2, df, lower.tail = FALSE)
  pG2 <- pchisq(G2, df, lower.tail = FALSE)

  # Pearson r on scores with its ASE1 (sec. 5)
  score_r <- function(Xs, Ys) {
    Sx <- sum(r * Xs^2) - sum(r * Xs)^2 / W
    Sy <- sum(cc * Ys^2) - sum(cc * Ys)^2 / W
    Sxy <- sum(f * outer(Xs, Ys)) - sum(r * Xs) * sum(cc * Ys) / W
    Tt <- sqrt(Sx * Sy)
    rho <- Sxy / Tt
    x <- Xs - sum(r * Xs) / W
    y <- Ys - sum(cc * Ys) / W
    b <- Tt * outer(x, y) - (Sxy / (2 * Tt)) * (outer(x^2 * Sy, rep(1, C)) + outer(rep(1, R), y^2 * Sx))
    t <- rho * sqrt((W - 2) / (1 - rho^2))
    c(rho, sqrt(sum(f * b^2)) / Tt^2, t, 2 * pt(-abs(t), W - 2))
  }
  pearson <- score_r(X, Y)
  midrank <- function(m) cumsum(m) - m + (m + 1) / 2
  spearman <- score_r(midrank(r), midrank(cc))
  lbl <- (W - 1) * pearson[1]^2

  tests <- data.frame(
    test = c("Pearson Chi-Square", "Likelihood Ratio", "Linear-by-Linear Association"),
    statistic = c(X2, G2, lbl), df = c(df, df, 1),
    p_value = c(pX2, pG2, pchisq(lbl, 1, lower.tail = FALSE)), p_one_sided = NA_real_)
  if (R == 2 && C == 2) {
    det <- f[1, 1] * f[2, 2] - f[1, 2] * f[2, 1]
    yates <- if (abs(det) > W / 2) W * (abs(det) - W / 2)^2 / prod(r, cc) else 0
    x <- max(0, cc[1] - r[2]):min(r[1], cc[1])
    px <- dhyper(x, r[1], r[2], cc[1])
    pobs <- dhyper(f[1, 1], r[1], r[2], cc[1])
    two <- sum(px[px <= pobs * (1 + 1e-7)])
    one <- if (det >= 0) sum(px[x >= f[1, 1]]) else sum(px[x <= f[1, 1]])
    if (det == 0) one <- min(sum(px[x >= f[1, 1]]), sum(px[x <= f[1, 1]]))
    tests <- rbind(tests, data.frame(
      test = c("Continuity Correction", "Fisher's Exact Test"), statistic = c(yates, NA),
      df = c(1, NA), p_value = c(pchisq(yates, 1, lower.tail = FALSE), min(1, two)),
      p_one_sided = c(NA, one)))
  }

  M <- matrix(NA_real_, 22, 4)
  # nominal (sec. 3)
  M[1, ] <- c(if (R == 2 && C == 2) det / sqrt(prod(r, cc)) else sqrt(X2 / W), NA, NA, pX2)
  M[2, ] <- c(sqrt(X2 / (W * (q - 1))), NA, NA, pX2)
  M[3, ] <- c(sqrt(X2 / (X2 + W)), NA, NA, pX2)
  # lambda; ties to the first index
  mi <- apply(f, 1, max); li <- apply(f, 1, which.max)
  nj <- apply(f, 2, max); kj <- apply(f, 2, which.max)
  cM <- max(cc); L <- which.max(cc)
  rM <- max(r); K <- which.max(r)
  lam_c <- (sum(mi) - cM) / (W - cM)
  ase1 <- sqrt((W - sum(mi)) * (sum(mi) + cM - 2 * sum(mi[li == L])) / (W - cM)^3)
  ase0 <- sqrt(sum((mi + f[, L])[li != L]) - (sum(mi) - cM)^2 / W) / (W - cM)
  M[6, ] <- c(lam_c, ase1, lam_c / ase0, sig(lam_c / ase0))
  lam_r <- (sum(nj) - rM) / (W - rM)
  ase1 <- sqrt((W - sum(nj)) * (sum(nj) + rM - 2 * sum(nj[kj == K])) / (W - rM)^3)
  ase0 <- sqrt(sum((nj + f[K, ])[kj != K]) - (sum(nj) - rM)^2 / W) / (W - rM)
  M[5, ] <- c(lam_r, ase1, lam_r / ase0, sig(lam_r / ase0))
  den <- 2 * W - rM - cM
  lam <- (sum(mi) + sum(nj) - rM - cM) / den
  a <- outer(seq_len(R), seq_len(C), function(i, j) (kj[j] == i) + (li[i] == j))
  b <- outer(seq_len(R), seq_len(C), function(i, j) (i == K) + (j == L))
  ase1 <- sqrt(sum(f * (a + (lam - 1) * b)^2) - 4 * W * lam^2) / den
  ase0 <- sqrt(sum(f * (a - b)^2) - (sum(mi) + sum(nj) - rM - cM)^2 / W) / den
  M[4, ] <- c(lam, ase1, lam / ase0, sig(lam / ase0))
  M[4:6, 3:4][!is.finite(M[4:6, 3])] <- NA
  # Goodman-Kruskal tau, column dependent (row dependent: transpose)
  gk <- function(f, r, cc, k) {
    delta <- W^2 - sum(cc^2)
    nu <- W * sum(f^2 / r) - sum(cc^2)
    g <- matrix(0, nrow(f), ncol(f))
    for (i in seq_len(nrow(f))) for (j in seq_len(ncol(f))) {
      g[i, j] <- delta * (W * (2 * f[i, j] / r[i] - sum(f[i, ]^2) / r[i]^2) - 2 * cc[j]) +
        2 * nu * cc[j]
    }
    tau <- nu / delta
    c(tau, sqrt(sum(f * g^2) - sum(f * g)^2 / W) / delta^2, NA,
      pchisq((W - 1) * k * tau, df, lower.tail = FALSE))
  }
  M[8, ] <- gk(f, r, cc, C - 1)
  M[7, ] <- gk(t(f), cc, r, R - 1)
  # uncertainty coefficients
  UR <- -sum(r / W * log(r / W))
  UC <- -sum(cc / W * log(cc / W))
  lf <- ifelse(f > 0, log(f / W), 0)
  URC <- -sum(f / W * lf)
  I <- UR + UC - URC
  lrc <- log(outer(r, cc) / W^2)
  Pu <- sum(ifelse(f > 0, f * (lrc - lf)^2, 0))
  Tu <- W * I / sqrt(Pu - W * I^2)
  lfr <- ifelse(f > 0, log(f / outer(r, rep(1, C))), 0)
  lfc <- ifelse(f > 0, log(f / outer(rep(1, R), cc)), 0)
  M[11, ] <- c(I / UC, sqrt(sum(f * (UC * lfr + (UR - URC) * log(outer(rep(1, R), cc) / W))^2)) /
                 (W * UC^2), Tu, pG2)
  M[10, ] <- c(I / UR, sqrt(sum(f * (UR * lfc + (UC - URC) * log(outer(r, rep(1, C)) / W))^2)) /
                 (W * UR^2), Tu, pG2)
  M[9, ] <- c(2 * I / (UR + UC), 2 * sqrt(sum(f * (URC * lrc - (UR + UC) * lf)^2)) /
                (W * (UR + UC)^2), Tu, pG2)
  # ordinal (sec. 4)
  Cm <- Dm <- matrix(0, R, C)
  for (i in seq_len(R)) for (j in seq_len(C)) {
    Cm[i, j] <- sum(f[below(i), below(j)]) + sum(f[above(i, R), above(j, C)])
    Dm[i, j] <- sum(f[below(i), above(j, C)]) + sum(f[above(i, R), below(j)])
  }
  P <- sum(f * Cm)
  Q <- sum(f * Dm)
  Dr <- W^2 - sum(r^2)
  Dc <- W^2 - sum(cc^2)
  S0 <- sqrt(sum(f * (Cm - Dm)^2) - (P - Q)^2 / W)
  taub <- (P - Q) / sqrt(Dr * Dc)
  v <- outer(r * Dc, rep(1, C)) + outer(rep(1, R), cc * Dr)
  ase1 <- sqrt(sum(f * (2 * sqrt(Dr * Dc) * (Cm - Dm) + taub * v)^2) -
                 W^3 * taub^2 * (Dr + Dc)^2) / (Dr * Dc)
  t <- taub / (2 * S0 / sqrt(Dr * Dc))
  M[12, ] <- c(taub, ase1, t, sig(t))
  tauc <- q * (P - Q) / (W^2 * (q - 1))
  ase <- 2 * q * S0 / ((q - 1) * W^2)
  M[13, ] <- c(tauc, ase, tauc / ase, sig(tauc / ase))
  gam <- (P - Q) / (P + Q)
  t <- gam / (2 * S0 / (P + Q))
  M[14, ] <- c(gam, 4 * sqrt(sum(f * (Q * Cm - P * Dm)^2)) / (P + Q)^2, t, sig(t))
  ri <- outer(r, rep(1, C))
  cj <- outer(rep(1, R), cc)
  d <- 2 * (P - Q) / (Dr + Dc)
  t <- d / (4 * S0 / (Dr + Dc))
  M[15, ] <- c(d, 4 * sqrt(sum(f * ((Dr + Dc) * (Cm - Dm) - (P - Q) * (2 * W - ri - cj))^2)) /
                 (Dr + Dc)^2, t, sig(t))
  d <- (P - Q) / Dc
  t <- d / (2 * S0 / Dc)
  M[16, ] <- c(d, 2 * sqrt(sum(f * (Dc * (Cm - Dm) - (P - Q) * (W - cj))^2)) / Dc^2, t, sig(t))
  d <- (P - Q) / Dr
  t <- d / (2 * S0 / Dr)
  M[17, ] <- c(d, 2 * sqrt(sum(f * (Dr * (Cm - Dm) - (P - Q) * (W - ri))^2)) / Dr^2, t, sig(t))
  M[18, ] <- spearman
  M[19, ] <- pearson
  # eta, column dependent; row dependent by transposition
  eta <- function(f, cc, Ys) {
    Ybar <- sum(cc * Ys) / sum(cc)
    Yi <- as.vector(f %*% Ys) / rowSums(f)
    sqrt(1 - sum(f * outer(Yi, Ys, function(a, b) (b - a)^2)) / sum(cc * (Ys - Ybar)^2))
  }
  M[21, 1] <- eta(f, cc, Y)
  M[20, 1] <- eta(t(f), r, X)
  if (paired) M[22, ] <- ref_kappa(f)
  list(tests = tests, measures = M)
}

# ---- 1. GNU PSPP ----------------------------------------------------------

pspp_measures <- c("Phi", "Cramer's V", "Contingency Coefficient", "Lambda symmetric",
                   "Lambda row dependent", "Lambda column dependent",
                   "Goodman-Kruskal tau row dependent", "Goodman-Kruskal tau column dependent",
                   "Uncertainty coefficient symmetric", "Uncertainty coefficient row dependent",
                   "Uncertainty coefficient column dependent", "Kendall's tau-b",
                   "Kendall's tau-c", "Gamma", "Somers' d symmetric", "Somers' d row dependent",
                   "Somers' d column dependent", "Spearman correlation", "Pearson's R",
                   "Eta row dependent", "Eta column dependent")

all_measures <- c(pspp_measures, "Kappa")

test_that("the PSPP fixtures cover what the issue asks for", {
  expect_gte(nrow(fixtures), 6)
  expect_true(all(c("weighted_asis", "weighted_round", "twobytwo", "empty", "zerocell",
                    "ordinal", "mtcars") %in% fixtures$fixture))
  expect_setequal(unique(pspp$fixture), fixtures$fixture)
  # every measure of the vocabulary appears in PSPP's output
  expect_setequal(intersect(pspp$measure, all_measures), all_measures)
  # a square agreement table with unequal margins, and a 2 x 2 for the risk
  expect_true(all(c("agreement", "aspirin") %in% fixtures$fixture))
})

for (i in seq_len(nrow(fixtures))) {
  fx <- fixtures$fixture[i]
  test_that(sprintf("crosstab() equals PSPP CROSSTABS on fixture %s", fx), {
    ct <- run_fixture(i)
    ps <- pspp[pspp$fixture == fx, ]
    is22 <- all(dim(ct$observed) == 2L)

    # Chi-Square Tests: values printed with 8 decimals, Sig. with 3
    tt <- ps[ps$block == "tests", ]
    for (k in seq_len(nrow(tt))) {
      lab <- tt$measure[k]
      if (lab == "N of Valid Cases") {
        expect_close(ct$n, tt$value[k], what = paste(fx, lab))
        next
      }
      row <- ct$tests[ct$tests$test == lab, ]
      expect_equal(nrow(row), 1L, label = paste(fx, lab))
      got <- switch(tt$stat[k], estimate = row$statistic, df = row$df, p_value = row$p_value,
                    p_exact_2 = row$p_value, p_exact_1 = row$p_one_sided)
      # PSPP's two-sided Fisher p adds the other tail's tables only when
      # strictly less probable than the observed one; SPSS (and fisher.test)
      # use <=. Only fisher_tie has such a tie; it is tested against the
      # formula and fisher.test below.
      if (tt$stat[k] == "p_exact_2" && fx == "fisher_tie") next
      tol <- if (grepl("^p_", tt$stat[k])) 5e-4 + 1e-12 else 1e-6
      expect_close(got, tt$value[k], tol, what = paste(fx, lab, tt$stat[k]))
    }
    expect_true(all(c("Pearson Chi-Square", "Likelihood Ratio",
                      "Linear-by-Linear Association") %in% tt$measure))

    # Symmetric and Directional Measures
    mm <- ps[ps$block == "measures" & ps$measure %in% all_measures, ]
    for (k in seq_len(nrow(mm))) {
      row <- ct$measures[ct$measures$measure == mm$measure[k], ]
      got <- row[[mm$stat[k]]]
      want <- mm$value[k]
      if (mm$measure[k] == "Kappa" && is.na(row$estimate)) {
        # PSPP computes kappa for any square table, pairing categories by
        # position; SPSS (and crosstab()) only when the values are the same.
        obs <- ct$observed
        expect_false(identical(rownames(obs), colnames(obs)), label = paste(fx, "kappa NA"))
        pos <- ref_kappa(obs, pspp = TRUE)[match(mm$stat[k], c("estimate", "ase", "t"))]
        expect_close(pos, want, 1e-6, what = paste(fx, "PSPP positional kappa", mm$stat[k]))
        next
      }
      if (is.nan(want)) {
        # PSPP prints NaN for lambda's T when ASE0 = 0 (lambda = 0 and
        # ASE1 = 0); SPSS leaves the cell empty: NA here.
        expect_true(is.na(got), label = paste(fx, mm$measure[k], mm$stat[k]))
        next
      }
      # PSPP prints phi unsigned for 2 x 2 tables; SPSS signs it (below).
      if (is22 && mm$measure[k] == "Phi") got <- abs(got)
      if (mm$measure[k] == "Kappa" && mm$stat[k] == "ase") {
        # PSPP's ASE1 is not the delta method when the margins differ: check
        # PSPP against its own form, crosstab() against the delta method.
        expect_close(ref_kappa(ct$observed, pspp = TRUE)[2], want, 1e-6,
                     what = paste(fx, "PSPP kappa ASE1 form"))
        want <- ref_kappa(ct$observed)[2]
      }
      tol <- if (mm$stat[k] == "p_value") 5e-4 + 1e-12 else 1e-6
      expect_close(got, want, tol, what = paste(fx, mm$measure[k], mm$stat[k]))
    }

    # Risk Estimate. PSPP 1.6.2 (bug #63747) prints one number in all three
    # columns of each row: the odds ratio's value, cohort 1's lower and
    # cohort 2's upper bound, and uses z = 1.960 where crosstab() uses
    # qnorm(0.975). Those three numbers are checked, bounds moved to z = 1.96.
    rk <- ps[ps$block == "risk", ]
    expect_identical(nrow(rk) > 0, is22, label = paste(fx, "risk block"))
    expect_identical(nrow(ct$risk), if (is22) 3L else 0L)
    if (is22 && nrow(rk)) {
      at196 <- function(est, bound) est * (bound / est)^(1.96 / stats::qnorm(0.975))
      pspp_val <- function(m) rk$value[rk$measure == m & rk$stat == "estimate"]
      expect_close(ct$risk$estimate[1], pspp_val("odds"), 1e-6, what = paste(fx, "odds ratio"))
      expect_close(at196(ct$risk$estimate[2], ct$risk$lower[2]), pspp_val("cohort1"), 1e-6,
                   what = paste(fx, "cohort 1 lower"))
      expect_close(at196(ct$risk$estimate[3], ct$risk$upper[3]), pspp_val("cohort2"), 1e-6,
                   what = paste(fx, "cohort 2 upper"))
    }

    # cells: counts and expected counts with 8 decimals, residuals with 2,
    # percentages with 1 (PSPP's fixed formats)
    cl <- ps[ps$block == "cells", ]
    obs <- ct$observed
    rlab <- as.numeric(rownames(obs))
    clab <- as.numeric(colnames(obs))
    with_margins <- function(m, rm, cm, tot) rbind(cbind(m, rm), c(cm, tot))
    rs <- rowSums(obs)
    cs <- colSums(obs)
    ours <- list(
      count = with_margins(obs, rs, cs, ct$n),
      expected = with_margins(ct$expected, NA * rs, NA * cs, NA),  # PSPP: proportions there
      row_percent = with_margins(ct$row_percent, 100 + 0 * rs, 100 * cs / ct$n, 100),
      col_percent = with_margins(ct$col_percent, 100 * rs / ct$n, 100 + 0 * cs, 100),
      total_percent = with_margins(ct$total_percent, 100 * rs / ct$n, 100 * cs / ct$n, 100),
      residual = ct$residuals, std_residual = ct$std_residuals, adj_residual = ct$adj_residuals)
    tol <- c(count = 1e-6, expected = 1e-6, row_percent = 0.05, col_percent = 0.05,
             total_percent = 0.05, residual = 0.005, std_residual = 0.005,
             adj_residual = 0.005) + 1e-9
    n_checked <- 0
    for (k in seq_len(nrow(cl))) {
      i_r <- if (cl$row[k] == "Total") length(rlab) + 1L else match(as.numeric(cl$row[k]), rlab)
      i_c <- if (cl$col[k] == "Total") length(clab) + 1L else match(as.numeric(cl$col[k]), clab)
      m <- ours[[cl$measure[k]]]
      expect_false(is.na(i_r) || is.na(i_c), label = paste(fx, "cell", cl$row[k], cl$col[k]))
      if (i_r > nrow(m) || i_c > ncol(m) || is.na(m[i_r, i_c])) next
      expect_close(m[i_r, i_c], cl$value[k], tol[[cl$measure[k]]],
                   what = paste(fx, cl$measure[k], cl$row[k], cl$col[k]))
      n_checked <- n_checked + 1
    }
    expect_gte(n_checked, 8 * length(obs))

    # case summary: valid and missing (weighted) cases
    sm <- ps[ps$block == "summary", ]
    expect_close(ct$n, sm$value[sm$measure == "valid"][1], what = paste(fx, "valid N"))
    expect_close(ct$missing[["weight"]], sm$value[sm$measure == "missing"][1],
                 what = paste(fx, "missing N"))
  })
}

# ---- 2. the formula sheet (what PSPP leaves out or gets differently) -----

for (i in seq_len(nrow(fixtures))) {
  fx <- fixtures$fixture[i]
  test_that(sprintf("crosstab() equals the SPSS formulas on fixture %s", fx), {
    ct <- run_fixture(i)
    ref <- ref_stats(ct$observed, ct$scores$row, ct$scores$col)
    expect_identical(ct$measures$measure, all_measures)
    for (k in 1:4) {
      expect_close(ct$measures[[k + 1]], ref$measures[, k], 1e-9, rel = TRUE,
                   what = paste(fx, names(ct$measures)[k + 1]))
    }
    expect_identical(ct$tests$test, ref$tests$test)
    for (k in c("statistic", "df", "p_value", "p_one_sided")) {
      expect_close(ct$tests[[k]], ref$tests[[k]], 1e-9, rel = TRUE, what = paste(fx, k))
    }
  })
}

# ---- 3. base R and textbook values ---------------------------------------

test_that("chi-square, expected counts and residuals equal chisq.test()", {
  for (i in seq_len(nrow(fixtures))) {
    ct <- run_fixture(i)
    obs <- ct$observed
    cs <- suppressWarnings(stats::chisq.test(obs, correct = FALSE))
    what <- fixtures$fixture[i]
    expect_close(ct$tests$statistic[1], cs$statistic, 1e-8, what)
    expect_close(ct$tests$p_value[1], cs$p.value, 1e-10, what)
    expect_close(ct$expected, cs$expected, 1e-8, what)
    expect_close(ct$residuals, obs - cs$expected, 1e-8, what)
    expect_close(ct$std_residuals, cs$residuals, 1e-8, what)
    expect_close(ct$adj_residuals, cs$stdres, 1e-8, what)
    expect_close(ct$row_percent, 100 * prop.table(obs, 1), 1e-8, what)
    expect_close(ct$col_percent, 100 * prop.table(obs, 2), 1e-8, what)
    expect_close(ct$total_percent, 100 * prop.table(obs), 1e-8, what)
    if (all(dim(obs) == 2L)) {
      yates <- suppressWarnings(stats::chisq.test(obs, correct = TRUE))
      row <- ct$tests[ct$tests$test == "Continuity Correction", ]
      expect_close(row$statistic, yates$statistic, 1e-8, what)
      expect_close(row$p_value, yates$p.value, 1e-10, what)
    }
  }
})

test_that("Fisher's exact test on 2 x 2 tables equals fisher.test() (SPSS's tie rule)", {
  for (i in which(vapply(seq_len(nrow(fixtures)), function(i) {
    all(dim(run_fixture(i)$observed) == 2L)
  }, TRUE))) {
    ct <- run_fixture(i)
    obs <- ct$observed
    row <- ct$tests[ct$tests$test == "Fisher's Exact Test", ]
    expect_close(row$p_value, stats::fisher.test(obs)$p.value, 1e-10, fixtures$fixture[i])
    det <- obs[1, 1] * obs[2, 2] - obs[1, 2] * obs[2, 1]
    alt <- if (det > 0) "greater" else "less"
    expect_close(row$p_one_sided, stats::fisher.test(obs, alternative = alt)$p.value, 1e-10,
                 fixtures$fixture[i])
  }
  # Fisher's tea-tasting table: two-sided .486, one-sided .243 (Agresti 2002,
  # Categorical Data Analysis, 2nd ed., sec. 3.5.2); PSPP prints .257.
  tea <- crosstab(as.table(matrix(c(3, 1, 1, 3), 2)))
  fi <- tea$tests[tea$tests$test == "Fisher's Exact Test", ]
  expect_equal(round(fi$p_value, 3), 0.486)
  expect_equal(round(fi$p_one_sided, 3), 0.243)
})

test_that("Fisher's test at the ends of the support: equals fisher.test() and finishes on huge weights", {
  # tables whose cell 1,1 sits at or next to an end of its support, where R's
  # phyper() runs one step per unit of the count
  tabs <- list(c(10, 0, 5, 5), c(5, 5, 10, 0), c(9, 1, 6, 4), c(0, 12, 9, 3), c(12, 0, 0, 9),
               c(1, 30, 20, 2))
  for (v in tabs) {
    obs <- matrix(v, 2)
    fi <- crosstab(as.table(obs))$tests
    fi <- fi[fi$test == "Fisher's Exact Test", ]
    det <- obs[1, 1] * obs[2, 2] - obs[1, 2] * obs[2, 1]
    alt <- if (det > 0) "greater" else "less"
    expect_close(fi$p_value, stats::fisher.test(obs)$p.value, 1e-10, paste(v, collapse = " "))
    expect_close(fi$p_one_sided, stats::fisher.test(obs, alternative = alt)$p.value, 1e-10,
                 paste(v, collapse = " "))
  }
  # one case of weight 1e12 against one of weight 1: the observed table is the
  # least probable of the two possible ones, so p = P(observed) = 1 / (1e12 + 1)
  # (R's dhyper() is good to about 1e-5 at this size)
  ct <- crosstab(data.frame(a = c(1, 0), w = c(1, 1e12)), a, a, weights = w)
  fi <- ct$tests[ct$tests$test == "Fisher's Exact Test", ]
  expect_equal(fi$p_value, 1 / (1e12 + 1), tolerance = 1e-4)
  expect_equal(fi$p_one_sided, 1 / (1e12 + 1), tolerance = 1e-4)
})

test_that("phi is signed for 2 x 2 tables, as SPSS prints it", {
  ct <- crosstab(as.table(matrix(c(5, 15, 12, 7), 2)))
  phi <- ct$measures$estimate[ct$measures$measure == "Phi"]
  expect_lt(phi, 0)
  expect_close(phi, (5 * 7 - 12 * 15) / sqrt(17 * 22 * 20 * 19), 1e-12, "phi")
  expect_close(phi, cor(rep(c(1, 2, 1, 2), c(5, 15, 12, 7)), rep(c(1, 1, 2, 2), c(5, 15, 12, 7))),
               1e-12, "phi = r")
})

test_that("correlations agree with cor() and cor.test() on the expanded cases", {
  for (fx in c("mtcars", "ordinal", "zerocell", "haireye", "twobytwo")) {
    ct <- run_fixture(match(fx, fixtures$fixture))
    obs <- ct$observed
    x <- rep(ct$scores$row[row(obs)], obs)
    y <- rep(ct$scores$col[col(obs)], obs)
    ms <- ct$measures
    get <- function(m, k = "estimate") ms[[k]][ms$measure == m]
    expect_close(get("Pearson's R"), cor(x, y), 1e-10, fx)
    expect_close(get("Spearman correlation"), cor(x, y, method = "spearman"), 1e-10, fx)
    expect_close(get("Kendall's tau-b"), cor(x, y, method = "kendall"), 1e-10, fx)
    # SPSS's Approx. T for r is the t statistic of cor.test()
    expect_close(get("Pearson's R", "t"), unname(cor.test(x, y)$statistic), 1e-8, fx)
    expect_close(get("Pearson's R", "p_value"), cor.test(x, y)$p.value, 1e-10, fx)
    lbl <- ct$tests[ct$tests$test == "Linear-by-Linear Association", ]
    expect_close(lbl$statistic, (length(x) - 1) * cor(x, y)^2, 1e-8, fx)
    # eta^2 is the R^2 of a one-way ANOVA of the dependent scores
    expect_close(get("Eta column dependent")^2, summary(lm(y ~ factor(x)))$r.squared, 1e-10, fx)
    expect_close(get("Eta row dependent")^2, summary(lm(x ~ factor(y)))$r.squared, 1e-10, fx)
  }
})

test_that("linear-by-linear equals the Mantel-Haenszel M^2 of a 2 x 2 x 1 layout", {
  # For a 2 x 2 table M^2 = (W - 1) r^2 is the uncorrected Cochran-Mantel-
  # Haenszel statistic of one stratum. mantelhaen.test() wants at least two
  # strata; with two identical strata its statistic is exactly 2 M^2.
  m <- matrix(c(5, 15, 12, 7), 2)
  ct <- crosstab(as.table(m))
  lbl <- ct$tests$statistic[ct$tests$test == "Linear-by-Linear Association"]
  W <- sum(m)
  expect_close(lbl, (W - 1) / W * ct$tests$statistic[1], 1e-10, "M^2")
  mh <- stats::mantelhaen.test(array(c(m, m), c(2, 2, 2)), correct = FALSE)
  # two identical strata: CMH = 2 (W - 1) r^2 with the within-stratum variance
  expect_close(unname(mh$statistic), 2 * lbl, 1e-10, "CMH")
})

test_that("gamma and its ASE1 match Agresti's job satisfaction example", {
  # Agresti (2002), Categorical Data Analysis, 2nd ed., Table 2.8 (income by
  # job satisfaction, GSS 1996): gamma = 0.221 (C = 1331, D = 849) with
  # ASE = 0.117 (also reproduced by vcdExtra::GKgamma(JobSat)).
  job <- as.table(matrix(c(1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11), 4,
                         dimnames = list(income = c("<15k", "15-25k", "25-40k", ">40k"),
                                         satisfaction = c("VD", "LD", "MS", "VS"))))
  ct <- crosstab(job)
  g <- ct$measures[ct$measures$measure == "Gamma", ]
  expect_equal(round(g$estimate, 3), 0.221)
  expect_equal(round(g$ase, 3), 0.117)
  expect_close(g$estimate, (1331 - 849) / (1331 + 849), 1e-12, "gamma")
})

# ---- kappa and the risk estimate ----------------------------------------

# The Risk Estimate written out: odds ratio (Woolf) and cohort relative
# risks (Katz), 95% log-scale intervals.
ref_risk <- function(m) {
  a <- m[1, 1]; b <- m[1, 2]; c <- m[2, 1]; d <- m[2, 2]
  z <- qnorm(0.975)
  ci <- function(est, se) c(est, est * exp(-z * se), est * exp(z * se))
  rbind(ci(a * d / (b * c), sqrt(1 / a + 1 / b + 1 / c + 1 / d)),
        ci((a / (a + b)) / (c / (c + d)), sqrt(b / (a * (a + b)) + d / (c * (c + d)))),
        ci((b / (a + b)) / (d / (c + d)), sqrt(a / (b * (a + b)) + c / (d * (c + d)))))
}

test_that("the risk estimate equals the formulas and base R's logistic models", {
  for (fx in c("twobytwo", "fisher_tie", "aspirin", "survey_gender_region")) {
    ct <- run_fixture(match(fx, fixtures$fixture))
    m <- ct$observed
    rk <- as.matrix(ct$risk[, c("estimate", "lower", "upper")])
    expect_close(rk, ref_risk(m), 1e-10, fx, rel = TRUE)
    # Wald intervals of saturated binomial GLMs: the logit slope is the log
    # odds ratio with Woolf's SE, the log-link slope the log relative risk
    # with Katz's SE (for column 1, and column 2 when the columns swap)
    d <- data.frame(g = factor(c("1", "2"), levels = c("2", "1")), y1 = m[, 1], y2 = m[, 2])
    wald <- function(fit) exp(c(stats::coef(fit)[2], stats::confint.default(fit)[2, ]))
    logit <- stats::glm(cbind(y1, y2) ~ g, stats::binomial, d)
    p <- m[, 1] / rowSums(m)
    loglin1 <- stats::glm(cbind(y1, y2) ~ g, stats::binomial("log"), d,
                          start = c(log(p[2]), log(p[1] / p[2])))
    loglin2 <- stats::glm(cbind(y2, y1) ~ g, stats::binomial("log"), d,
                          start = c(log(1 - p[2]), log((1 - p[1]) / (1 - p[2]))))
    expect_close(rk[1, ], wald(logit), 1e-6, paste(fx, "glm logit"), rel = TRUE)
    expect_close(rk[2, ], wald(loglin1), 1e-6, paste(fx, "glm log, cohort 1"), rel = TRUE)
    expect_close(rk[3, ], wald(loglin2), 1e-6, paste(fx, "glm log, cohort 2"), rel = TRUE)
  }
  # Physicians' Health Study: odds ratio 1.83 with 95% CI (1.44, 2.33),
  # relative risk 1.82 (Agresti 2007, An Introduction to Categorical Data
  # Analysis, 2nd ed., sec. 2.2.4 and 2.3.3)
  asp <- crosstab(as.table(matrix(c(189, 104, 10845, 10933), 2, dimnames = list(
    group = c("Placebo", "Aspirin"), mi = c("Yes", "No")))))
  expect_equal(round(unlist(asp$risk[1, 2:4]), 2), c(estimate = 1.83, lower = 1.44, upper = 2.33))
  expect_equal(round(asp$risk$estimate[2], 2), 1.82)
  expect_identical(asp$risk$measure, c("Odds Ratio for group (Placebo / Aspirin)",
                                       "For cohort mi = Yes", "For cohort mi = No"))
  expect_identical(names(asp$risk), c("measure", "estimate", "lower", "upper"))
})

test_that("the risk estimate is left out where a zero cell or the shape forbids it", {
  z <- crosstab(as.table(matrix(c(0, 5, 4, 6), 2)))
  expect_true(is.na(z$risk$estimate[1]) && is.na(z$risk$estimate[2]))  # odds ratio, cohort 1: 0
  expect_close(unlist(z$risk[3, 2:4]), ref_risk(matrix(c(0, 5, 4, 6), 2))[3, ], 1e-12, "cohort 2")
  expect_true(all(is.na(unlist(crosstab(as.table(matrix(c(0, 5, 0, 6), 2)))$risk[, 2:4]))))
  r3 <- crosstab(mtcars, cyl, gear)$risk
  expect_identical(nrow(r3), 0L)
  expect_identical(names(r3), c("measure", "estimate", "lower", "upper"))
})

test_that("kappa equals the formula sheet, PSPP and vcd::Kappa on the agreement fixture", {
  ct <- run_fixture(match("agreement", fixtures$fixture))
  kp <- unlist(ct$measures[ct$measures$measure == "Kappa", -1])
  expect_close(kp, ref_kappa(ct$observed), 1e-10, "agreement kappa", rel = TRUE)
  ps <- pspp[pspp$fixture == "agreement" & pspp$measure == "Kappa", ]
  same <- ps$stat != "ase"
  expect_close(kp[ps$stat[same]], ps$value[same], 1e-6, "agreement kappa vs PSPP")
  # the margins differ here, so PSPP's ASE1 form differs from the delta method
  expect_close(ps$value[!same], ref_kappa(ct$observed, pspp = TRUE)[2], 1e-6, "PSPP ASE1 form")
  expect_gt(abs(kp[["ase"]] - ps$value[!same]), 1e-3)
  skip_if_not_installed("vcd")
  for (fx in fixtures$fixture) {
    ct <- run_fixture(match(fx, fixtures$fixture))
    kp <- unlist(ct$measures[ct$measures$measure == "Kappa", -1])
    if (is.na(kp[1])) next
    vk <- vcd::Kappa(ct$observed)$Unweighted
    expect_close(kp[["estimate"]], vk[["value"]], 1e-10, paste(fx, "vcd kappa"))
    expect_close(kp[["ase"]], vk[["ASE"]], 1e-10, paste(fx, "vcd ASE"))
  }
})

# Kappa as a function of the cell proportions p (row i paired with column i).
num_kappa <- function(p) {
  p <- matrix(p, sqrt(length(p)))
  e <- sum(rowSums(p) * colSums(p))
  (sum(diag(p)) - e) / (1 - e)
}

test_that("kappa's ASE1 is the multinomial delta-method standard error", {
  # Var = g' (diag(p) - p p') g / N, g the central-difference gradient of
  # kappa in p; tables with unequal margins, where the index order matters
  tabs <- list(datasets::occupationalStatus,
               as.table(matrix(c(20, 5, 2, 10, 15, 3, 1, 8, 30), 3)),
               as.table(matrix(c(50, 3, 12, 9), 2)))
  for (k in seq_along(tabs)) {
    f <- unname(unclass(tabs[[k]]))
    dimnames(f) <- list(a = seq_len(nrow(f)), b = seq_len(ncol(f)))
    N <- sum(f)
    p <- as.vector(f) / N
    h <- 1e-6
    g <- vapply(seq_along(p), function(i) {
      up <- dn <- p
      up[i] <- up[i] + h
      dn[i] <- dn[i] - h
      (num_kappa(up) - num_kappa(dn)) / (2 * h)
    }, numeric(1))
    ase <- sqrt(drop(t(g) %*% (diag(p) - tcrossprod(p)) %*% g) / N)
    kp <- crosstab(as.table(f))$measures
    kp <- kp[kp$measure == "Kappa", ]
    expect_close(kp$estimate, num_kappa(p), 1e-12, paste(k, "kappa"))
    expect_close(kp$ase, ase, 1e-8, paste(k, "delta-method ASE1"))
  }
  kp <- crosstab(datasets::occupationalStatus)$measures
  expect_equal(round(kp$ase[kp$measure == "Kappa"], 6), 0.009521)
})

test_that("kappa matches a published SPSS output", {
  # Sex recorded by two observers, 183 students; SPSS 16 prints kappa .976,
  # Asymp. Std. Error .017, Approx. T 13.203, Sig. .000 (M. Bland, York,
  # clinimetrics exercise "observer agreement about sex")
  sex <- as.table(matrix(c(118, 1, 1, 63), 2, dimnames = list(
    first = c("female", "male"), second = c("female", "male"))))
  kp <- crosstab(sex)$measures
  kp <- kp[kp$measure == "Kappa", ]
  expect_equal(round(c(kp$estimate, kp$ase, kp$t), 3), c(0.976, 0.017, 13.203))
  expect_lt(kp$p_value, 0.0005)
})

test_that("kappa pairs categories by value and needs the same categories", {
  lev <- c("low", "mid", "high")
  r1 <- factor(lev[c(1, 1, 2, 2, 3, 3, 1, 2, 3, 3, 2, 1, 1)], levels = lev)
  r2 <- factor(lev[c(1, 2, 2, 2, 3, 1, 1, 3, 3, 3, 2, 1, 2)], levels = lev)
  kap <- function(ct) unlist(ct$measures[ct$measures$measure == "Kappa", -1])
  aligned <- kap(crosstab(data.frame(r1, r2), r1, r2))
  expect_false(anyNA(aligned))
  # the same ratings with the column's levels in another order
  perm <- data.frame(r1, r2 = factor(r2, levels = rev(lev)))
  expect_close(kap(crosstab(perm, r1, r2)), aligned, 1e-12, "permuted levels")
  expect_close(aligned, ref_kappa(table(r1, r2)), 1e-10, "factor kappa", rel = TRUE)
  # different categories, a category one rater never uses, a 1 x 1 table
  expect_true(all(is.na(kap(crosstab(mtcars, cyl, gear)))))
  one_sided <- data.frame(r1, r2 = factor(ifelse(r2 == "high", "mid", as.character(r2)), levels = lev))
  expect_true(all(is.na(kap(crosstab(one_sided, r1, r2)))))
  # a level neither rater uses is dropped from both: kappa as without it
  both <- data.frame(r1 = factor(r1, levels = c(lev, "n/a")), r2 = factor(r2, levels = c(lev, "n/a")))
  expect_close(kap(crosstab(both, r1, r2)), aligned, 1e-12, "unused level")
  # weighted counts as they are
  w <- seq_along(r1) / 4
  ct <- crosstab(data.frame(r1, r2, w), r1, r2, weights = w, count = "asis")
  expect_close(kap(ct), ref_kappa(ct$observed), 1e-10, "weighted kappa", rel = TRUE)
})

test_that("kappa pairs labelled and numeric categories by value, not by label", {
  skip_if_not_installed("haven")
  a <- c(1, 1, 2, 2, 3, 3, 1, 2, 3, 3, 2, 1, 1)
  b <- c(1, 2, 2, 2, 3, 1, 1, 3, 3, 3, 2, 1, 2)
  # Cohen's kappa of the value table, written out
  f <- unclass(table(a, b))
  W <- sum(f)
  S <- sum(rowSums(f) * colSums(f))
  ref <- (W * sum(diag(f)) - S) / (W^2 - S)
  kap <- function(d) {
    ct <- crosstab(d, a, b)
    ct$measures$estimate[ct$measures$measure == "Kappa"]
  }
  expect_equal(kap(data.frame(a, b)), ref, tolerance = 1e-12)
  # labelled against plain numbers, and labels that run the other way
  d <- data.frame(a = haven::labelled(a, c(low = 1, mid = 2, high = 3)), b = b)
  expect_equal(kap(d), ref, tolerance = 1e-12)
  d$b <- haven::labelled(b, c(high = 1, mid = 2, low = 3))
  expect_equal(kap(d), ref, tolerance = 1e-12)
  # two values with one label on both sides
  d <- data.frame(a = haven::labelled(a, c(Same = 1, Same = 2)),
                  b = haven::labelled(b, c(Same = 1, Same = 2)))
  expect_equal(kap(d), ref, tolerance = 1e-12)
})

# ---- inputs ----------------------------------------------------------------

small <- data.frame(
  a = c(1, 2, 2, 3, 1, 3, 2, 2, 1, 3, NA, 1),
  b = c("x", "y", "x", "y", "y", "x", "y", "y", "x", "x", "x", NA),
  w = c(1.5, 2, 0.5, 1, 2.5, 1, 0.25, 3, 1, 2, 1, 1),
  stringsAsFactors = FALSE
)
ref_table <- function(r, c, w = rep(1, length(r))) {
  ok <- !is.na(r) & !is.na(c) & !is.na(w)
  unclass(tapply(w[ok], list(factor(r[ok]), factor(c[ok])), sum, default = 0))
}

test_that("tibbles, bare names and strings give the same result", {
  skip_if_not_installed("tibble")
  a1 <- crosstab(small, a, b)
  a2 <- crosstab(tibble::as_tibble(small), "a", "b")
  col <- "b"
  a3 <- crosstab(small, a, col)
  expect_identical(a1$measures, a2$measures)
  expect_identical(a1$observed, a2$observed)
  expect_identical(a1$observed, a3$observed)
  expect_identical(names(dimnames(a1$observed)), c("a", "b"))
  expect_close(a1$observed, ref_table(small$a, small$b), 0, "counts")
})

test_that("NA rows are left out and counted in $missing", {
  ct <- crosstab(small, a, b, weights = w, count = "asis")
  expect_identical(unname(ct$missing[["cases"]]), 2)
  expect_identical(unname(ct$missing[["weight"]]), 2)
  expect_close(ct$n, sum(small$w) - 2, 1e-12, "n")
  d <- small
  d$w[1] <- NA
  ct <- crosstab(d, a, b, weights = w, count = "asis")
  expect_identical(unname(ct$missing[["cases"]]), 3)
  expect_identical(unname(ct$missing[["weight"]]), 2)  # the NA weight adds nothing
})

test_that("weights follow SPSS /COUNT: round (halves up), asis, truncate, case_round", {
  raw <- ref_table(small$a, small$b, small$w)
  get <- function(count) unname(crosstab(small, a, b, weights = w, count = count)$observed)
  expect_close(get("asis"), raw, 1e-12, "asis")
  expect_close(get("round"), floor(raw + 0.5), 0, "round")
  expect_close(get("truncate"), trunc(raw), 0, "truncate")
  expect_close(get("case_round"), ref_table(small$a, small$b, floor(small$w + 0.5)), 0, "case")
  expect_close(get("case_truncate"), ref_table(small$a, small$b, trunc(small$w)), 0, "case_t")
  # the default is SPSS's: rounded cells
  expect_identical(crosstab(small, a, b, weights = w)$observed,
                   crosstab(small, a, b, weights = w, count = "round")$observed)
  # a cell sum of exactly 2.5 rounds to 3, as SPSS rounds (R's round() gives 2)
  d <- data.frame(r = c(1, 1, 2, 2), c = c(1, 2, 1, 2), w = c(2.5, 1, 1, 1))
  expect_identical(crosstab(d, r, c, weights = w)$observed[1, 1], 3)
})

test_that("factors keep level order and drop unused levels with a note", {
  d <- data.frame(f = factor(c("lo", "hi", "lo", "hi", "mid", "hi"), levels = c("lo", "none", "mid", "hi")),
                  g = c(1, 1, 2, 2, 1, 2))
  ct <- crosstab(d, f, g)
  expect_identical(rownames(ct$observed), c("lo", "mid", "hi"))
  expect_identical(ct$dropped$row, "none")
  expect_match(zhetysu:::zh_notes_text(ct$notes), "Empty categories of f dropped before the statistics: none", all = FALSE)
  # level positions are the scores, kept after dropping (1, 3, 4)
  expect_identical(ct$scores$row, c(1, 3, 4))
  # the statistics that do not use the row scores equal those of the
  # table without the level (droplevels() would renumber the scores)
  dl <- crosstab(droplevels(d), f, g)$measures
  own <- !dl$measure %in% c("Pearson's R", "Eta row dependent")
  expect_identical(ct$measures[own, ], dl[own, ])
})

test_that("numeric columns are categories ordered by value with their values as scores", {
  d <- data.frame(x = c(10, 2, 2, 10, 5, 5, 2, 10), y = c(1, 0, 0, 1, 1, 0, 1, 1))
  ct <- crosstab(d, x, y)
  expect_identical(rownames(ct$observed), c("2", "5", "10"))
  expect_identical(ct$scores$row, c(2, 5, 10))
  r <- ct$measures$estimate[ct$measures$measure == "Pearson's R"]
  expect_close(r, cor(d$x, d$y), 1e-12, "r on values")
  # a factor of the same values scores 1, 2, 3 instead
  d$xf <- factor(d$x)
  rf <- crosstab(d, xf, y)$measures
  expect_close(rf$estimate[rf$measure == "Pearson's R"], cor(as.integer(d$xf), d$y), 1e-12, "r")
})

test_that("character, logical and haven_labelled columns work", {
  skip_if_not_installed("haven")
  d <- data.frame(ch = c("b", "a", "b", "c", "a", "a"), lg = c(TRUE, FALSE, TRUE, NA, FALSE, TRUE),
                  stringsAsFactors = FALSE)
  d$hl <- haven::labelled(c(2, 1, 2, 3, -9, 1), c(yes = 1, no = 2, refused = -9))
  d$hs <- haven::labelled_spss(c(2, 1, 2, 3, -9, 1), c(yes = 1, no = 2, refused = -9),
                               na_values = -9)
  ct <- crosstab(d, ch, lg)
  # "c" occurs only with a missing lg: an empty category, dropped
  expect_identical(dimnames(ct$observed), list(ch = c("a", "b"), lg = c("FALSE", "TRUE")))
  expect_identical(ct$dropped$row, "c")
  expect_close(ct$observed, table(d$ch, d$lg)[1:2, ], 0, "char x logical")
  expect_identical(unname(ct$missing[["cases"]]), 1)
  ct <- crosstab(d, hl, ch)
  expect_identical(rownames(ct$observed), c("refused", "yes", "no", "3"))
  expect_identical(ct$scores$row, c(-9, 1, 2, 3))
  # user-missing values of haven_labelled_spss are missing, as in SPSS
  ct <- crosstab(d, hs, ch)
  expect_identical(rownames(ct$observed), c("yes", "no", "3"))
  expect_identical(unname(ct$missing[["cases"]]), 1)
})

test_that("table, xtabs and a data frame of counts give the same statistics", {
  x <- xtabs(~ cyl + gear, mtcars)
  from_data <- crosstab(mtcars, cyl, gear)
  from_xtabs <- crosstab(x)
  from_table <- crosstab(table(cyl = mtcars$cyl, gear = mtcars$gear))
  counts <- as.data.frame(x, stringsAsFactors = FALSE)
  counts$cyl <- as.numeric(counts$cyl)
  counts$gear <- as.numeric(counts$gear)
  from_counts <- crosstab(counts, cyl, gear, weights = Freq)
  for (other in list(from_xtabs, from_table, from_counts)) {
    expect_identical(unname(other$observed), unname(from_data$observed))
    expect_close(as.matrix(other$measures[, -1]), as.matrix(from_data$measures[, -1]), 1e-12,
                 "measures")
    expect_close(as.matrix(other$tests[, -1]), as.matrix(from_data$tests[, -1]), 1e-12, "tests")
  }
  expect_identical(names(dimnames(from_xtabs$observed)), c("cyl", "gear"))
  # a data frame of counts is weighted data under the default rule (whole
  # counts round to themselves); a table of whole counts is not weighted
  expect_true(from_counts$weighted)
  expect_identical(from_counts$count, "round")
  expect_false(from_xtabs$weighted)
  expect_equal(from_counts$n, sum(x))
})

test_that("a single-row table gives NA statistics with the reason, and no warning", {
  d <- data.frame(r = c("a", "a", "a", "a"), c = c(1, 2, 2, 1))
  expect_no_warning(ct <- crosstab(d, r, c))
  expect_true(all(is.na(ct$tests$statistic)))
  expect_true(all(is.na(as.matrix(ct$measures[, -1]))))
  expect_match(zhetysu:::zh_notes_text(ct$notes), "No statistics are computed: r has 1 non-empty category", all = FALSE)
  expect_identical(ct$n, 4)
  expect_no_warning(crosstab(as.table(matrix(c(3, 0, 4, 0), 2))))
  expect_no_warning(format(ct))
})

test_that("an empty row from rounding is dropped with a note", {
  d <- data.frame(r = c(1, 1, 2, 2, 3), c = c(1, 2, 1, 2, 1), w = c(2, 3, 4, 1, 0.4))
  ct <- crosstab(d, r, c, weights = w)
  expect_identical(rownames(ct$observed), c("1", "2"))
  expect_identical(ct$dropped$row, "3")
  expect_length(ct$notes, 1)
  expect_identical(nrow(crosstab(d, r, c, weights = w, count = "asis")$observed), 3L)
})

test_that("tidy(), glance() and as.data.frame() carry the same numbers", {
  ct <- crosstab(mtcars, cyl, gear)
  td <- tidy(ct)
  ms <- ct$measures[ct$measures$measure != "Kappa" | !is.na(ct$measures$estimate), ]
  expect_identical(td$term, c(ct$tests$test, ms$measure))
  expect_identical(td$p.value, c(ct$tests$p_value, ms$p_value))
  gl <- glance(ct)
  expect_identical(gl$statistic, ct$tests$statistic[1])
  expect_identical(gl$n, 32)
  df <- as.data.frame(ct)
  expect_identical(names(df)[1:2], c("cyl", "gear"))
  expect_identical(df$observed, as.vector(ct$observed))
  expect_identical(df$adj_residual, as.vector(ct$adj_residuals))
})

# ---- bad input ---------------------------------------------------------------

test_that("bad input stops with a message naming the argument", {
  d <- data.frame(a = c(1, 2, 1, 2), b = c("x", "y", "y", "x"), w = c(1, 2, 3, 4))
  d$l <- I(list(1, 2, 3, 4))
  expect_snapshot(error = TRUE, {
    crosstab(d, a, nope)
    crosstab(d, "nope", b)
    crosstab(d, a, b, weights = nope)
    crosstab(d, a)
    crosstab(d, a, b, weights = b)
    crosstab(transform(d, w = c(1, -2, 3, 4)), a, b, weights = w)
    crosstab(transform(d, w = c(1, Inf, 3, 4)), a, b, weights = w)
    crosstab(d, l, b)
    crosstab(d, a, l)
    crosstab(d, a, b, weights = l)
    crosstab(d[0, ], a, b)
    crosstab(transform(d, a = NA_real_), a, b)
    crosstab(transform(d, b = NA_character_), a, b)
    crosstab(transform(d, a = NA), a, b)
    crosstab(transform(d, w = NA_real_), a, b, weights = w)
    crosstab(transform(d, w = 0), a, b, weights = w)
    crosstab(transform(d, w = 0.4), a, b, weights = w)
    crosstab(as.matrix(d), a, b)
    crosstab(list(a = 1, b = 2), a, b)
    crosstab(d, a, b, count = "sometimes")
    crosstab(d, a, b, count = NA)
    crosstab(d, a, b, weigths = w)
    crosstab(d, a, b, cuont = "asis")
    crosstab(d, a, b, fisher = "yes")
    crosstab(d, a, b, B = 0)
    crosstab(table(d$a), a, b)
    crosstab(table(d$a))
    crosstab(as.table(matrix(c(1, -1, 2, 3), 2)))
    crosstab(as.table(matrix(c(1, NA, 2, 3), 2)))
    crosstab(matrix(1:4, 2), a, b)
    crosstab(as.table(matrix(0, 2, 2)))
  })
})

test_that("a NA weight leaves the case out; negative and NaN weights are told apart", {
  d <- data.frame(a = c(1, 2, 1, 2), b = c(1, 1, 2, 2), w = c(1, NaN, 3, 4))
  expect_identical(unname(crosstab(d, a, b, weights = w)$missing[["cases"]]), 1)
  expect_error(crosstab(transform(d, w = -0.5), a, b, weights = w), class = "zhetysu_error_weights")
})

# ---- printed output ----------------------------------------------------------

test_that("print(), summary() and format() lay out the SPSS blocks", {
  ct <- crosstab(mtcars, cyl, gear)
  expect_snapshot(print(ct))
  expect_snapshot(summary(ct))
  expect_snapshot(cat(format(crosstab(mtcars, am, vs), decimal_mark = ","), sep = "\n"))
  expect_snapshot(print(crosstab(small, a, b, weights = w, count = "asis")))
  expect_snapshot(print(crosstab(data.frame(r = "a", c = c(1, 2)), r, c)))
  withr_mark <- options(zhetysu.decimal_mark = ",")
  on.exit(options(withr_mark), add = TRUE)
  expect_true(any(grepl(" ,751 ", format(ct), fixed = TRUE)))  # phi with a decimal comma
})

test_that("kappa and the risk estimate print as SPSS lays them out", {
  expect_snapshot(print(run_fixture(match("agreement", fixtures$fixture))))
  asp <- as.table(matrix(c(189, 104, 10845, 10933), 2, dimnames = list(
    group = c("Placebo", "Aspirin"), mi = c("Yes", "No"))))
  expect_snapshot(print(crosstab(asp)))
  expect_snapshot(cat(tail(format(crosstab(as.table(matrix(c(0, 5, 4, 6), 2))),
                               decimal_mark = ","), 9), sep = "\n"))
})

test_that("Pearson's R, eta and linear-by-linear do not overflow or underflow with extreme scores", {
  set.seed(11)
  x <- sample(1:3, 200, TRUE)
  y <- pmin(4, pmax(1, x + sample(-1:1, 200, TRUE)))
  r <- stats::cor(x, y)
  # eta (column dependent): the R^2 of y on the categories of x, and back
  eta_c <- sqrt(summary(stats::lm(y ~ factor(x)))$r.squared)
  eta_r <- sqrt(summary(stats::lm(x ~ factor(y)))$r.squared)
  for (s in c(1e300, 1e-300, 1)) {
    ct <- crosstab(data.frame(x = x * s, y = y * s), x, y)
    est <- function(m) ct$measures$estimate[ct$measures$measure == m]
    expect_equal(est("Pearson's R"), r, tolerance = 1e-10, label = paste("Pearson's R at", s))
    expect_equal(est("Eta column dependent"), eta_c, tolerance = 1e-10, label = paste("eta at", s))
    expect_equal(est("Eta row dependent"), eta_r, tolerance = 1e-10, label = paste("eta at", s))
    lbl <- ct$tests$statistic[ct$tests$test == "Linear-by-Linear Association"]
    expect_equal(lbl, (length(x) - 1) * r^2, tolerance = 1e-10, label = paste("M^2 at", s))
  }
  # scores far apart in magnitude in one variable
  ct <- crosstab(data.frame(x = c(1e-300, 1, 1e300)[x], y = y), x, y)
  expect_equal(ct$measures$estimate[ct$measures$measure == "Pearson's R"],
               stats::cor(c(1e-300, 1, 1e300)[x] / 1e300, y), tolerance = 1e-10)
})

test_that("Pearson's R, its ASE and eta keep their digits for codes close together near 2^31", {
  set.seed(12)
  codes <- c(2147483600, 2147483645, 2147483647)
  x <- sample(1:3, 300, TRUE)
  y <- pmin(4, pmax(1, x + sample(-1:1, 300, TRUE)))
  w <- round(stats::runif(300, 0.2, 3), 4)
  ct <- crosstab(data.frame(x = codes[x], y = y, w = w), x, y, weights = w, count = "asis")
  # the SPSS ASE1 of Pearson's R transcribed, on the codes minus 2147483600
  f <- tapply(w, list(x, y), sum)
  f[is.na(f)] <- 0
  sx <- codes - 2147483600
  sy <- 1:4
  W <- sum(f)
  dx <- sx - sum(rowSums(f) * sx) / W
  dy <- sy - sum(colSums(f) * sy) / W
  Sx <- sum(rowSums(f) * dx^2)
  Sy <- sum(colSums(f) * dy^2)
  Sxy <- sum(f * outer(dx, dy))
  Tt <- sqrt(Sx * Sy)
  b <- Tt * outer(dx, dy) - Sxy / (2 * Tt) * (outer(dx^2, rep(Sy, 4)) + outer(rep(Sx, 3), dy^2))
  m <- ct$measures[ct$measures$measure == "Pearson's R", ]
  expect_equal(m$estimate, Sxy / Tt, tolerance = 1e-12)
  expect_equal(m$ase, sqrt(sum(f * b^2)) / Tt^2, tolerance = 1e-12)
  # eta with the codes dependent: the weighted R^2 of the codes on y's categories
  eta <- sqrt(summary(stats::lm(sx[x] ~ factor(y), weights = w))$r.squared)
  expect_equal(ct$measures$estimate[ct$measures$measure == "Eta row dependent"], eta,
               tolerance = 1e-12)
})

test_that("a table whose statistics would not fit the memory limit stops before counting", {
  # 16384 x 16384 cells pass a limit on cells (2^28) but need about 24 GB
  d <- data.frame(a = seq_len(16384), b = rev(seq_len(16384)))
  expect_error(crosstab(d, a, b), class = "zhetysu_error_size")
  expect_error(association_table(d, a, b), class = "zhetysu_error_size")
  expect_snapshot(error = TRUE, crosstab(d, a, b))
  # the limit is the option's: 3 x 3 cells need 9 * 12 doubles
  old <- options(zhetysu.max_table_bytes = 9 * 12 * 8 - 1)
  on.exit(options(old))
  expect_error(crosstab(mtcars, cyl, gear), class = "zhetysu_error_size")
  options(zhetysu.max_table_bytes = 9 * 12 * 8)
  expect_s3_class(crosstab(mtcars, cyl, gear), "zh_crosstab")
  options(zhetysu.max_table_bytes = "big")
  expect_error(crosstab(mtcars, cyl, gear), class = "zhetysu_error_option")
})
