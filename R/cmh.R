# SPSS CROSSTABS /STATISTICS=CMH(psi0) on a 2 x 2 x K table of counts:
# Tests of Conditional Independence (Cochran's, Mantel-Haenszel), Tests of
# Homogeneity of the Odds Ratio (Breslow-Day, Tarone's) and the
# Mantel-Haenszel Common Odds Ratio Estimate with the Robins-Breslow-
# Greenland standard error of its log.
#
# Strata with fewer than two cases cannot contribute a variance and are left
# out of everything; strata with a zero margin add nothing to the tests and
# the estimate, have no homogeneity variance, and are left out of
# Breslow-Day and Tarone (whose df falls with them). Both kinds are returned
# by index so that the printed note can name them.
zh_cmh <- function(tab, null_or = 1) {
  a <- tab[1, 1, ]
  b <- tab[1, 2, ]
  c <- tab[2, 1, ]
  d <- tab[2, 2, ]
  n1 <- a + b
  n2 <- c + d
  m1 <- a + c
  m2 <- b + d
  n <- n1 + n2
  small <- n < 2
  margin0 <- !small & (n1 == 0 | n2 == 0 | m1 == 0 | m2 == 0)
  use <- !small
  a <- a[use]; b <- b[use]; c <- c[use]; d <- d[use]
  n1 <- n1[use]; n2 <- n2[use]; m1 <- m1[use]; m2 <- m2[use]; n <- n[use]
  e <- n1 * m1 / n
  dev <- sum(a - e)
  v_cochran <- sum(n1 * n2 * m1 * m2 / n^3)
  v_mh <- sum(n1 * n2 * m1 * m2 / (n^2 * (n - 1)))
  cochran <- dev^2 / v_cochran
  # SPSS removes the continuity correction only when the sum of the
  # differences is exactly 0 (R's mantelhaen.test when it is below 0.5)
  mh <- (abs(dev) - if (dev == 0) 0 else 0.5)^2 / v_mh
  cond <- data.frame(test = c("Cochran's", "Mantel-Haenszel"),
                     statistic = c(cochran, mh), df = 1,
                     p_value = stats::pchisq(c(cochran, mh), 1, lower.tail = FALSE),
                     stringsAsFactors = FALSE)
  cond$statistic[!is.finite(cond$statistic)] <- NA_real_
  cond$p_value[is.na(cond$statistic)] <- NA_real_

  R <- a * d / n
  S <- b * c / n
  P <- (a + d) / n
  Q <- (b + c) / n
  sr <- sum(R)
  ss <- sum(S)
  psi <- sr / ss
  var_ln <- sum(P * R) / (2 * sr^2) + sum(P * S + Q * R) / (2 * sr * ss) +
    sum(Q * S) / (2 * ss^2)
  finite <- is.finite(psi) && psi > 0
  ln_psi <- if (finite) log(psi) else NA_real_
  se <- if (finite) sqrt(var_ln) else NA_real_
  z <- (ln_psi - log(null_or)) / se
  zq <- stats::qnorm(0.975)
  odds <- list(estimate = if (is.nan(psi)) NA_real_ else psi, ln_estimate = ln_psi, se = se,
               z = z, p_value = 2 * stats::pnorm(-abs(z)),
               lower = exp(ln_psi - zq * se), upper = exp(ln_psi + zq * se),
               ln_lower = ln_psi - zq * se, ln_upper = ln_psi + zq * se,
               null_or = null_or)

  # homogeneity: the fitted a of each stratum under the common odds ratio
  hom <- !margin0[use]
  bd <- tarone <- NA_real_
  df_h <- sum(hom) - 1
  if (finite && df_h >= 1) {
    at <- zh_cmh_fitted(psi, n1[hom], n2[hom], m1[hom])
    v <- 1 / (1 / at + 1 / (n1[hom] - at) + 1 / (m1[hom] - at) + 1 / (n2[hom] - m1[hom] + at))
    dk <- a[hom] - at
    bd <- sum(dk^2 / v)
    tarone <- bd - sum(dk)^2 / sum(v)
  }
  homog <- data.frame(test = c("Breslow-Day", "Tarone's"), statistic = c(bd, tarone),
                      df = if (df_h >= 1) df_h else NA_real_,
                      p_value = stats::pchisq(c(bd, tarone), df_h, lower.tail = FALSE),
                      stringsAsFactors = FALSE)
  homog$p_value[is.na(homog$statistic)] <- NA_real_
  list(conditional = cond, homogeneity = homog, odds_ratio = odds,
       strata = length(small), dev = dev,
       skipped = list(small = which(small), zero_margin = which(margin0)))
}

# The root of (1 - psi) A^2 + (n2 - m1 + psi (n1 + m1)) A - psi n1 m1 = 0
# inside (max(0, m1 - n2), min(n1, m1)); psi = 1 gives the expected count.
zh_cmh_fitted <- function(psi, n1, n2, m1) {
  if (abs(psi - 1) < 1e-12) return(n1 * m1 / (n1 + n2))
  qa <- 1 - psi
  qb <- n2 - m1 + psi * (n1 + m1)
  qc <- -psi * n1 * m1
  disc <- sqrt(pmax(qb^2 - 4 * qa * qc, 0))
  # the numerically stable pair of roots
  q <- -0.5 * (qb + ifelse(qb >= 0, 1, -1) * disc)
  r1 <- q / qa
  r2 <- qc / q
  lo <- pmax(0, m1 - n2)
  hi <- pmin(n1, m1)
  ifelse(r1 >= lo - 1e-9 & r1 <= hi + 1e-9, r1, r2)
}
