# Shared by test-crosstab.R and test-layers.R (the formula sheet's kappa).

# Cohen's kappa of a square table, row i paired with column i (sec. 5), in
# counts as the sheet writes it. ASE1's last sum has (c_i + r_j)^2 (Fleiss,
# Cohen & Everitt 1969, the delta method, as vcd::Kappa); pspp = TRUE puts
# PSPP's (r_i + c_j)^2 there instead; the two agree when r_i = c_i.
ref_kappa <- function(f, pspp = FALSE) {
  f <- unname(as.matrix(f))
  r <- rowSums(f)
  cc <- colSums(f)
  W <- sum(f)
  Fd <- sum(diag(f))
  S <- sum(r * cc)
  D <- W^2 - S
  kappa <- (W * Fd - S) / D
  pairs <- if (pspp) outer(r, cc, "+") else outer(cc, r, "+")
  ase1 <- sqrt(W * (Fd * (W - Fd) / D^2 +
                      2 * (W - Fd) * (2 * Fd * S - W * sum(diag(f) * (r + cc))) / D^3 +
                      (W - Fd)^2 * (W * sum(f * pairs^2) - 4 * S^2) / D^4))
  ase0 <- sqrt((W^2 * S + S^2 - W * sum(r * cc * (r + cc))) / (W * D^2))
  t <- kappa / ase0
  c(kappa, ase1, t, 2 * pnorm(-abs(t)))
}
