# SPSS CROSSTABS /STATISTICS=MCNEMAR on a table of counts: for 2 x 2 the
# exact binomial two-sided p of the discordant cells (always exact, unlike
# NPAR TESTS), for square R x R tables (R >= 3) the McNemar-Bowker test.
# Categories are paired by value as for kappa; a table that is not square
# in that sense gives no test and the code "mcnemar_square" for its note.
#
# Bowker: a pair of cells with f_ij + f_ji = 0 carries no information; its
# term is left out and the degrees of freedom are the number of pairs that
# remain (the SPSS rule for such pairs is not documented).
zh_mcnemar <- function(tab) {
  pair <- zh_kappa_pair(dimnames(tab))
  if (is.null(pair) || nrow(tab) < 2L) {
    return(list(test = NA_character_, statistic = NA_real_, df = NA_real_,
                p_value = NA_real_, note = "mcnemar_square"))
  }
  tab <- tab[, pair, drop = FALSE]
  if (any(tab != round(tab))) {
    return(list(test = if (nrow(tab) == 2L) "McNemar Test" else "McNemar-Bowker Test",
                statistic = NA_real_, df = NA_real_, p_value = NA_real_,
                note = "mcnemar_integer"))
  }
  if (nrow(tab) == 2L) {
    b <- tab[1, 2]
    c <- tab[2, 1]
    p <- if (b + c == 0) 1 else min(1, 2 * stats::pbinom(min(b, c), b + c, 0.5))
    return(list(test = "McNemar Test", statistic = NA_real_, df = NA_real_, p_value = p,
                note = "mcnemar_binomial"))
  }
  up <- upper.tri(tab)
  f <- tab[up]
  g <- t(tab)[up]
  keep <- f + g > 0
  x2 <- sum((f[keep] - g[keep])^2 / (f[keep] + g[keep]))
  df <- sum(keep)
  list(test = "McNemar-Bowker Test", statistic = if (df > 0) x2 else NA_real_,
       df = if (df > 0) df else NA_real_,
       p_value = if (df > 0) stats::pchisq(x2, df, lower.tail = FALSE) else NA_real_,
       note = NA_character_)
}
