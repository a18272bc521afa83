# Fisher's exact test for r x c tables (placeholder: replaced by the C
# network/Monte Carlo engine in src/fisher.c).
fisher_rxc <- function(tab, fisher = TRUE, B = 10000) {
  if (identical(fisher, "simulate")) {
    p <- stats::fisher.test(tab, simulate.p.value = TRUE, B = B)$p.value
    return(list(p_value = p, note = sprintf("Fisher's exact test: Monte Carlo p from %d tables.", B)))
  }
  p <- stats::fisher.test(round(tab), workspace = 2e7)$p.value
  list(p_value = p, note = character())
}
