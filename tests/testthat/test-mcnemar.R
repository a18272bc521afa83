# McNemar against stats::binom.test() and the McNemar-Bowker test against
# stats::mcnemar.test() (which is Bowker's statistic for R >= 3) and a
# transcription; values of spss-formulas-2.md item 3.

test_that("2 x 2: the exact binomial p of the discordant cells", {
  m <- matrix(c(20, 12, 5, 13), 2, dimnames = list(a = c("no", "yes"), b = c("no", "yes")))
  r <- zh_mcnemar(m)
  expect_equal(r$test, "McNemar Test")
  expect_equal(r$p_value, 0.143463, tolerance = 1e-5)
  expect_equal(r$p_value, stats::binom.test(5, 17)$p.value, tolerance = 1e-12)
  for (bc in list(c(0, 0), c(0, 7), c(3, 3), c(40, 13), c(1, 0))) {
    m[1, 2] <- bc[1]
    m[2, 1] <- bc[2]
    ref <- if (sum(bc) == 0) 1 else stats::binom.test(bc[1], sum(bc))$p.value
    expect_equal(zh_mcnemar(m)$p_value, ref, tolerance = 1e-12)
  }
})

test_that("R x R: McNemar-Bowker", {
  m <- matrix(c(20, 10, 6, 5, 15, 8, 3, 2, 25), 3, dimnames = list(a = 1:3, b = 1:3))
  r <- zh_mcnemar(m)
  expect_equal(c(r$statistic, r$df, r$p_value), c(6.266667, 3, .099333), tolerance = 1e-5)
  ref <- stats::mcnemar.test(m)
  expect_equal(r$statistic, unname(ref$statistic), tolerance = 1e-12)
  expect_equal(r$p_value, ref$p.value, tolerance = 1e-12)
  set.seed(3)
  m4 <- matrix(stats::rpois(16, 9), 4, dimnames = list(x = letters[1:4], y = letters[1:4]))
  x2 <- 0
  for (i in 1:3) for (j in (i + 1):4) x2 <- x2 + (m4[i, j] - m4[j, i])^2 / (m4[i, j] + m4[j, i])
  expect_equal(zh_mcnemar(m4)$statistic, x2)
  expect_equal(zh_mcnemar(m4)$df, 6)
  # an empty pair leaves the sum and the degrees of freedom
  term12 <- (m4[1, 2] - m4[2, 1])^2 / (m4[1, 2] + m4[2, 1])
  m4[1, 2] <- m4[2, 1] <- 0
  expect_equal(zh_mcnemar(m4)$df, 5)
  expect_equal(zh_mcnemar(m4)$statistic, x2 - term12)
})

test_that("categories are paired by value, and a table that is not square gets a note", {
  m <- matrix(c(20, 12, 5, 13), 2, dimnames = list(a = c("no", "yes"), b = c("yes", "no")))
  # columns in the other order: the discordant cells are the diagonal here
  expect_equal(zh_mcnemar(m)$p_value, stats::binom.test(20, 33)$p.value, tolerance = 1e-12)
  nsq <- matrix(1:6, 2, dimnames = list(a = 1:2, b = 1:3))
  expect_identical(zh_mcnemar(nsq)$note, "mcnemar_square")
  expect_true(is.na(zh_mcnemar(nsq)$p_value))
  diff <- matrix(1:4, 2, dimnames = list(a = 1:2, b = 2:3))
  expect_identical(zh_mcnemar(diff)$note, "mcnemar_square")
})

# ---- through crosstab() ------------------------------------------------------

test_that("crosstab(statistics = \"mcnemar\"): sheet item 3 and the references", {
  m <- as.table(matrix(c(20, 12, 5, 13), 2, dimnames = list(a = c("no", "yes"),
                                                         b = c("no", "yes"))))
  ct <- crosstab(m, statistics = "mcnemar")
  row <- ct$tests[ct$tests$test == "McNemar Test", ]
  expect_true(abs(row$p_value - 0.143463) <= 1e-6)
  expect_equal(row$p_value, stats::binom.test(5, 17)$p.value, tolerance = 1e-12)
  expect_true(is.na(row$statistic) && is.na(row$df))
  td <- tidy(ct)
  expect_equal(td$p.value[td$term == "McNemar Test"], row$p_value)
  m3 <- as.table(matrix(c(20, 10, 6, 5, 15, 8, 3, 2, 25), 3,
                        dimnames = list(a = 1:3, b = 1:3)))
  b <- crosstab(m3, statistics = "mcnemar")$tests
  b <- b[b$test == "McNemar-Bowker Test", ]
  expect_true(all(abs(c(b$statistic, b$p_value) - c(6.266667, .099333)) <= 1e-6))
  expect_equal(b$df, 3)
  ref <- stats::mcnemar.test(m3)
  expect_equal(b$statistic, unname(ref$statistic), tolerance = 1e-12)
  expect_equal(b$p_value, ref$p.value, tolerance = 1e-12)
  # from data: categories paired by value, not position
  set.seed(4)
  d <- data.frame(pre = sample(1:4, 150, TRUE), post = sample(1:4, 150, TRUE))
  d$post[d$post == 1] <- 2
  d$pre[1] <- 1
  bw <- crosstab(d, pre, post, statistics = "mcnemar")
  expect_false(any(bw$tests$test %in% c("McNemar Test", "McNemar-Bowker Test")))
  expect_match(zhetysu:::zh_notes_text(bw$notes), "PxP", all = FALSE)
  d2 <- d[d$pre != 1, ]
  bw2 <- crosstab(d2, pre, post, statistics = "mcnemar")$tests
  tab <- table(d2$pre, d2$post)
  x2 <- 0
  for (i in 1:2) for (j in (i + 1):3) x2 <- x2 + (tab[i, j] - tab[j, i])^2 / (tab[i, j] + tab[j, i])
  expect_equal(bw2$statistic[bw2$test == "McNemar-Bowker Test"], x2)
})

test_that("McNemar per layer, on rounded weighted cells, and a note for unrounded ones", {
  set.seed(8)
  d <- data.frame(a = sample(0:1, 120, TRUE), b = sample(0:1, 120, TRUE),
                  g = sample(c("m", "f"), 120, TRUE), w = runif(120, 0.5, 2))
  ct <- crosstab(d, a, b, layer = g, weights = w, statistics = "mcnemar")
  for (k in seq_along(ct$tables)) {
    tab <- round(stats::xtabs(w ~ a + b, d[d$g == ct$layers$g[k], ]))
    p <- ct$tables[[k]]$tests$p_value[ct$tables[[k]]$tests$test == "McNemar Test"]
    expect_equal(p, stats::binom.test(tab[1, 2], tab[1, 2] + tab[2, 1])$p.value,
                 tolerance = 1e-12)
  }
  asis <- crosstab(d, a, b, weights = w, count = "asis", statistics = "mcnemar")
  expect_false("McNemar Test" %in% asis$tests$test)
  expect_match(zhetysu:::zh_notes_text(asis$notes), "integer counts", all = FALSE)
})

test_that("McNemar rows print with SPSS's footnote", {
  local_reproducible_output(width = 80)
  m <- as.table(matrix(c(20, 12, 5, 13), 2, dimnames = list(a = c("no", "yes"),
                                                         b = c("no", "yes"))))
  out <- format(crosstab(m, statistics = "mcnemar"))
  chi <- grep("^Chi-Square Tests", out)
  sym <- grep("^Symmetric Measures", out)
  expect_snapshot(cat(out[chi:(sym - 2)], sep = "\n"))
  m3 <- as.table(matrix(c(20, 10, 6, 5, 15, 8, 3, 2, 25), 3, dimnames = list(a = 1:3, b = 1:3)))
  out3 <- format(crosstab(m3, statistics = "mcnemar"), width = 60)
  expect_true(all(nchar(out3) <= 60))
  chi <- grep("^Chi-Square Tests", out3)
  sym <- grep("^Symmetric Measures", out3)
  expect_snapshot(cat(out3[chi:(sym - 2)], sep = "\n"))
  nsq <- format(crosstab(mtcars, am, gear, statistics = "mcnemar"))
  expect_snapshot(cat(grep("PxP", nsq, value = TRUE), sep = "\n"))
})

test_that("statistics work from a lazy table and are refused for a survey design", {
  skip_if_not_installed("RSQLite")
  skip_if_not_installed("dbplyr")
  con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
  on.exit(DBI::dbDisconnect(con))
  set.seed(1)
  d <- data.frame(a = sample(1:2, 100, TRUE), b = sample(1:2, 100, TRUE))
  DBI::dbWriteTable(con, "d", d)
  x <- crosstab(dplyr::tbl(con, "d"), a, b, statistics = c("mcnemar", "prop"))
  tab <- table(d$a, d$b)
  expect_equal(x$tests$p_value[x$tests$test == "McNemar Test"],
               stats::binom.test(tab[1, 2], tab[1, 2] + tab[2, 1])$p.value, tolerance = 1e-12)
  expect_identical(nrow(as.data.frame(x, what = "col_props")), 2L)
  skip_if_not_installed("survey")
  des <- survey::svydesign(ids = ~1, data = d, weights = ~ rep(1, 100))
  expect_snapshot(error = TRUE, crosstab(des, a, b, statistics = "mcnemar"))
  expect_error(association_table(des, a, b, layer = a), class = "zhetysu_error_input")
})
