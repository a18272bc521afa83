# Fisher's exact test for r x c tables (crosstab(fisher = ...), src/fisher.c).
# The reference is base R's stats::fisher.test (the FEXACT network algorithm
# for the exact p, which counts ties with a relative tolerance as we do).

fisher_p <- function(ct) {
  tt <- ct$tests
  expect_identical(sum(tt$test == "Fisher's Exact Test"), 1L)
  tt$p_value[tt$test == "Fisher's Exact Test"]
}

test_that("exact p equals fisher.test on fixed tables", {
  tabs <- list(
    t23 = matrix(c(3, 1, 0, 4, 2, 5), 2),
    t23b = matrix(c(762, 327, 468, 484, 239, 477), 2) %/% 40,
    t33 = matrix(c(2, 3, 5, 4, 1, 2, 0, 6, 3), 3),
    t43_zeros = matrix(c(5, 0, 2, 1, 0, 3, 4, 0, 2, 2, 0, 6), 4),
    # Agresti (2002, p. 57): job satisfaction by income
    job = matrix(c(1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11), 4, 4),
    # Mehta & Patel (1983), the 5 x 7 example
    mp6 = rbind(c(1, 2, 2, 1, 1, 0, 1), c(2, 0, 0, 2, 3, 0, 0), c(0, 1, 1, 1, 2, 7, 3),
                c(1, 1, 2, 0, 0, 0, 1), c(0, 1, 1, 1, 1, 0, 0)),
    # ties: every table with these margins is as probable as its mirror image
    ties = matrix(c(2, 1, 1, 1, 2, 1, 1, 1, 2), 3),
    flat = matrix(1, 2, 3),
    wide = matrix(c(1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1), 2)
  )
  for (nm in names(tabs)) {
    m <- tabs[[nm]]
    ref <- stats::fisher.test(m, workspace = 2e6)$p.value
    fx <- zhetysu:::fisher_rxc(m, fisher = "exact")
    expect_equal(fx$p_value, ref, tolerance = 1e-8, label = nm)
    expect_identical(fx$note, character())
    # and the transposed table, which the engine turns around
    expect_equal(zhetysu:::fisher_rxc(t(m))$p_value, ref, tolerance = 1e-8, label = nm)
  }
})

test_that("exact p equals fisher.test on random small tables", {
  set.seed(20240611)
  n_done <- 0L
  while (n_done < 40L) {
    nr <- sample(2:4, 1)
    nc <- sample(3:5, 1)
    m <- matrix(stats::rpois(nr * nc, sample(c(0.7, 1.5, 3, 5), 1)), nr, nc)
    if (any(rowSums(m) == 0) || any(colSums(m) == 0)) next
    n_done <- n_done + 1L
    ref <- stats::fisher.test(m, workspace = 2e6)$p.value
    expect_equal(zhetysu:::fisher_rxc(m)$p_value, ref, tolerance = 1e-8,
                 label = paste(deparse(m), collapse = ""))
  }
})

test_that("crosstab() reports the r x c Fisher test only on request", {
  job <- as.table(matrix(c(1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11), 4, 4))
  expect_false("Fisher's Exact Test" %in% crosstab(job)$tests$test)
  ref <- stats::fisher.test(unclass(job))$p.value
  expect_equal(fisher_p(crosstab(job, fisher = TRUE)), ref, tolerance = 1e-8)
  expect_equal(fisher_p(crosstab(job, fisher = "exact")), ref, tolerance = 1e-8)

  # from a data frame, with an empty category dropped first
  d <- data.frame(g = factor(rep(c("a", "b", "c"), c(6, 5, 7)), levels = c("a", "b", "z", "c")),
                  h = c(1, 1, 2, 2, 3, 3, 1, 2, 2, 3, 3, 1, 1, 1, 1, 1, 2, 3))
  ct <- crosstab(d, g, h, fisher = TRUE)
  expect_equal(fisher_p(ct), stats::fisher.test(table(d$g, d$h)[-3, ])$p.value,
               tolerance = 1e-8)
})

test_that("Monte Carlo p is within sampling error of the exact p and reproducible", {
  tabs <- list(
    job = matrix(c(1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11), 4, 4),
    t43 = matrix(c(4, 3, 11, 8, 4, 7, 7, 6, 14, 5, 9, 3), 4),
    small_p = matrix(c(8, 1, 1, 1, 8, 1, 0, 1, 9), 3)
  )
  B <- 20000
  for (nm in names(tabs)) {
    m <- tabs[[nm]]
    ref <- stats::fisher.test(m)$p.value
    set.seed(1)
    mc <- zhetysu:::fisher_rxc(m, fisher = "simulate", B = B)
    # 4.5 standard errors: a false alarm about once in 150,000 runs
    expect_lt(abs(mc$p_value - ref), 4.5 * sqrt(ref * (1 - ref) / B) + 1 / B, label = nm)
    set.seed(1)
    expect_identical(zhetysu:::fisher_rxc(m, fisher = "simulate", B = B)$p_value, mc$p_value)
  }
  # the p counts the observed table: (1 + hits) / (B + 1)
  set.seed(3)
  p <- zhetysu:::fisher_rxc(tabs$small_p, fisher = "simulate", B = 99)$p_value
  expect_equal(p * 100, round(p * 100))
  expect_gte(p, 1 / 100)

  set.seed(42)
  ct1 <- crosstab(as.table(tabs$job), fisher = "simulate", B = 2000)
  set.seed(42)
  ct2 <- crosstab(as.table(tabs$job), fisher = "simulate", B = 2000)
  expect_identical(fisher_p(ct1), fisher_p(ct2))
  expect_snapshot(ct1$notes)
})

test_that("fisher = TRUE falls back to Monte Carlo when the exact p is not feasible", {
  big <- as.table(matrix(c(250000, 150000, 100000, 200000, 160000, 140000, 10, 20, 30), 3))
  set.seed(7)
  ct <- crosstab(big, fisher = TRUE, B = 500)
  expect_snapshot(ct$notes)
  # chi-square p is far below any Monte Carlo p: the smallest is 1 / (B + 1)
  expect_equal(fisher_p(ct), 1 / 501)
  # the same through the work limit on a small table
  job <- matrix(c(1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11), 4, 4)
  set.seed(7)
  fx <- zhetysu:::fisher_rxc(job, fisher = TRUE, B = 5000, limits = c(work = 10, memory = 2^30))
  expect_match(fx$note, "not feasible")
  expect_lt(abs(fx$p_value - stats::fisher.test(job)$p.value), 0.05)
  expect_snapshot(zhetysu:::fisher_rxc(job, fisher = "exact", limits = c(work = 10, memory = 2^30)), error = TRUE)
  expect_snapshot(crosstab(big, fisher = "exact"), error = TRUE)
})

test_that("bad `fisher`, `B` and non-integer counts stop with clear messages", {
  job <- as.table(matrix(c(1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9), 4, 3))
  expect_snapshot(crosstab(job, fisher = "yes"), error = TRUE)
  expect_snapshot(crosstab(job, fisher = NA), error = TRUE)
  expect_snapshot(crosstab(job, fisher = c(TRUE, FALSE)), error = TRUE)
  expect_snapshot(crosstab(job, fisher = "simulate", B = 0), error = TRUE)
  expect_snapshot(crosstab(job, fisher = TRUE, B = 2.5), error = TRUE)
  expect_snapshot(crosstab(job, fisher = TRUE, B = "many"), error = TRUE)
  expect_error(crosstab(job, fisher = TRUE, B = NA), class = "zhetysu_error_input")
  d <- data.frame(x = rep(1:3, 4), y = rep(1:4, each = 3), w = seq(0.5, 6, by = 0.5))
  expect_snapshot(crosstab(d, x, y, weights = w, count = "asis", fisher = TRUE), error = TRUE)
  # rounded weighted cells are integers and work
  ct <- crosstab(d, x, y, weights = w, fisher = TRUE)
  expect_equal(fisher_p(ct), stats::fisher.test(unclass(ct$observed))$p.value, tolerance = 1e-8)
})

test_that("an interrupted Monte Carlo p leaves the random number stream advanced", {
  # An interrupt (here the elapsed-time limit, which R_CheckUserInterrupt()
  # raises as an error) used to skip PutRNGstate(): .Random.seed stayed where
  # it was before the call, and the next draws repeated the ones used.
  tab <- matrix(c(30, 20, 25, 40, 35, 30, 20, 25, 45, 30, 28, 33), 3)
  set.seed(11)
  fresh <- runif(3)
  set.seed(11)
  res <- tryCatch({
    setTimeLimit(elapsed = 0.5, transient = TRUE)
    zhetysu:::fisher_rxc(tab, fisher = "simulate", B = 1e9)
  }, error = function(e) e)
  setTimeLimit()
  expect_s3_class(res, "error")
  expect_false(identical(runif(3), fresh))
})

test_that("the exact search is bounded in work and memory, and big tables fall back", {
  # A 2 x 30 table of 3000 cases used to carry about 20 GB of partial
  # tables before failing; a 2 x 200000 table overflowed the C stack (one
  # recursion level per column); the survey's 3 x 5 table searched for
  # seconds before it simulated.
  set.seed(1)
  t30 <- rbind(tabulate(sample(30, 1500, TRUE), 30), tabulate(sample(30, 1500, TRUE), 30))
  wide <- rbind(rep(1L, 2e5), rep(1L, 2e5))
  rep3 <- unclass(table(repatriates$legal_status, repatriates$belonging))
  lim <- zhetysu:::zh_fisher_limits$auto
  for (m in list(t30, wide, rep3)) {
    p <- zhetysu:::zh_fisher_exact(zhetysu:::zh_fisher_counts(m), lim)
    expect_true(is.na(p))
    used <- attr(p, "used")
    expect_lte(used[1], lim[["work"]])
    expect_lte(used[2], lim[["memory"]])
  }
  # the same budget finishes the small tables of the other tests, exactly
  job <- matrix(c(1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11), 4, 4)
  p <- zhetysu:::zh_fisher_exact(zhetysu:::zh_fisher_counts(job), lim)
  expect_equal(as.vector(p), stats::fisher.test(job)$p.value, tolerance = 1e-8)
  expect_lt(attr(p, "used")[1], lim[["work"]])
  # a tighter memory limit is kept too
  p <- zhetysu:::zh_fisher_exact(zhetysu:::zh_fisher_counts(t30), c(work = 1e9, memory = 2^22))
  expect_true(is.na(p))
  expect_lte(attr(p, "used")[2], 2^22)

  # the front doors fall back to Monte Carlo with the documented note
  set.seed(2)
  fx <- zhetysu:::fisher_rxc(t30, fisher = TRUE, B = 2000)
  expect_match(fx$note, "the exact p is not feasible for this table; Monte Carlo p from 2,000")
  expect_gte(fx$p_value, 1 / 2001)
  fx <- zhetysu:::fisher_rxc(wide, fisher = TRUE, B = 20)
  expect_match(fx$note, "not feasible")
  # every random table of a 2 x n table of ones is as probable as any other
  expect_equal(fx$p_value, 1)
  set.seed(3)
  ct <- crosstab(repatriates, legal_status, belonging, fisher = TRUE)
  expect_match(ct$notes, "the exact p is not feasible", all = FALSE)
  ref <- stats::chisq.test(rep3)$p.value
  expect_lt(fisher_p(ct), 0.01)
  expect_lt(ref, 0.01)
})
