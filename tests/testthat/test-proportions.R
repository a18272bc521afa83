# Column-proportion z-tests against stats::prop.test(correct = FALSE)
# (z^2 = X^2), subscript letters and adjusted-residual p-values as in
# spss-formulas-2.md items 4 and 5.

sheet <- matrix(c(20, 10, 5, 10, 20, 10, 0, 12, 33), 3,
                dimnames = list(r = c("r1", "r2", "r3"), c = c("A", "B", "C")))

test_that("pairwise z equals the two-sample proportion test", {
  set.seed(7)
  tabs <- list(sheet, matrix(stats::rpois(20, 15) + 1, 4,
                             dimnames = list(x = 1:4, y = letters[1:5])))
  for (tab in tabs) {
    r <- zh_col_props(tab)
    cs <- colSums(tab)
    for (k in seq_len(nrow(r$pairs))) {
      pr <- r$pairs[k, ]
      x <- tab[pr$row, c(pr$col1, pr$col2)]
      ref <- stats::prop.test(x, cs[c(pr$col1, pr$col2)], correct = FALSE)
      expect_equal(pr$z^2, unname(ref$statistic), tolerance = 1e-10)
      expect_equal(pr$p_value, ref$p.value, tolerance = 1e-10)
      expect_equal(sign(pr$z), sign(x[[1]] / cs[[pr$col1]] - x[[2]] / cs[[pr$col2]]))
    }
  }
})

test_that("the sheet's z, p and letters", {
  r <- zh_col_props(sheet)
  p <- r$pairs
  expect_equal(p$z[p$row == "r1"], 2.834734, tolerance = 1e-6)
  expect_equal(p$z[p$row == "r2"], c(-1.889822, 0.189278, 2.216203), tolerance = 1e-6)
  expect_equal(p$p_value[p$row == "r2"], c(.058782, .849875, .026678), tolerance = 1e-5)
  expect_equal(p$z[p$row == "r3"][2:3], c(-5.246519, -4.448705), tolerance = 1e-6)
  expect_equal(unname(r$letters), matrix(c("a", "a,b", "a", "b", "a", "a", "", "b", "b"), 3))
  expect_equal(unname(r$excluded[1, ]), c(FALSE, FALSE, TRUE))
  b <- zh_col_props(sheet, bonferroni = TRUE)
  expect_equal(b$pairs$p_adjusted[b$pairs$row == "r2"], c(.176345, 1, .080033), tolerance = 1e-5)
  expect_equal(b$pairs$p_adjusted[b$pairs$row == "r1"], .004586, tolerance = 1e-3)
  expect_equal(unname(b$letters[2, ]), c("a", "a", "a"))
})

test_that("letters are the maximal sets without a significant pair", {
  # A-B and B-C not different, A-C different: {A, B}, {B, C}
  expect_equal(zh_subset_letters(3, 1:3, 1L, 3L), c("a", "a,b", "b"))
  # nothing different: one set
  expect_equal(zh_subset_letters(4, 1:4, integer(), integer()), rep("a", 4))
  # everything different: one letter each
  pr <- utils::combn(4, 2)
  expect_equal(zh_subset_letters(4, 1:4, pr[1, ], pr[2, ]), c("a", "b", "c", "d"))
  expect_equal(vapply(c(1, 26, 27, 52, 53), zh_letter, ""), c("a", "z", "aa", "az", "ba"))
})

test_that("adjusted residual p-values", {
  adj <- suppressWarnings(stats::chisq.test(sheet))$stdres
  expect_equal(adj[1, 1], 5.217939, tolerance = 1e-6)
  p <- zh_adj_residual_p(adj)
  expect_equal(p[1, 1], 1.8092e-7, tolerance = 1e-3)
  expect_equal(p[2, 2], .014851, tolerance = 1e-4)
  pb <- zh_adj_residual_p(adj, bonferroni = TRUE)
  expect_equal(pb[1, 1], 1.6283e-6, tolerance = 1e-3)
  expect_equal(pb[2, 2], .13366, tolerance = 1e-4)
})

# ---- through crosstab() ------------------------------------------------------

test_that("crosstab(statistics = \"prop\"/\"bprop\"): sheet items 4 and 5", {
  ct <- crosstab(as.table(sheet), statistics = "prop")
  p <- as.data.frame(ct, what = "col_props")
  expect_named(p, c("r", "col1", "col2", "z", "p_value", "p_adjusted"))
  near <- function(x, y) expect_true(all(abs(x - y) <= 1e-6), label = deparse(x))
  near(p$z[p$r == "r1"], 2.834734)
  near(p$p_value[p$r == "r1"], .004586)
  near(p$z[p$r == "r2"], c(-1.889822, 0.189278, 2.216203))
  near(p$p_value[p$r == "r2"], c(.058782, .849875, .026678))
  near(p$p_value[p$r == "r3"][1], .247160)
  near(p$z[p$r == "r3"][2:3], c(-5.246519, -4.448705))
  expect_equal(p$p_value[p$r == "r3"][2:3], c(1.55e-7, 8.64e-6), tolerance = 1e-2)
  expect_equal(unname(ct$col_props$letters), matrix(c("a", "a,b", "a", "b", "a", "a", "", "b", "b"), 3))
  bp <- crosstab(as.table(sheet), statistics = "bprop")
  pb <- as.data.frame(bp, what = "col_props")
  near(pb$p_adjusted[pb$r == "r2"], c(.176345, 1, .080033))
  near(pb$p_adjusted[pb$r == "r1"], .004586)  # one comparison in r1: C is left out
  expect_equal(unname(bp$col_props$letters[2, ]), c("a", "a", "a"))
  # every pair against the two-sample test
  for (k in seq_len(nrow(p))) {
    cs <- colSums(sheet)[c(p$col1[k], p$col2[k])]
    ref <- stats::prop.test(sheet[p$r[k], c(p$col1[k], p$col2[k])], cs, correct = FALSE)
    expect_equal(p$z[k]^2, unname(ref$statistic), tolerance = 1e-10)
  }
  # item 5: the residual p-values
  df <- as.data.frame(ct)
  ref <- suppressWarnings(stats::chisq.test(sheet))$stdres
  near(df$adj_residual, as.vector(ref))
  near(matrix(df$adj_residual, 3), matrix(c(5.217939, -0.947412, -3.689640, 0, 2.435994,
                                            -2.371708, -4.898979, -1.482499, 5.773503), 3))
  expect_equal(df$adj_residual_p[1], 1.8092e-7, tolerance = 1e-4)
  expect_equal(df$adj_residual_p_bonferroni[1], 1.6283e-6, tolerance = 1e-4)
  near(df$adj_residual_p[5], .014851)
  expect_equal(df$adj_residual_p_bonferroni[5], .13366, tolerance = 1e-4)
  expect_equal(df$adj_residual_p, 2 * pnorm(-abs(as.vector(ref))), tolerance = 1e-12)
})

test_that("column proportions per layer and from weighted data", {
  set.seed(12)
  d <- data.frame(r = sample(1:3, 300, TRUE), c = sample(c("x", "y", "z"), 300, TRUE),
                  g = sample(1:2, 300, TRUE), w = runif(300, 0.3, 2.2))
  ct <- crosstab(d, r, c, layer = g, weights = w, statistics = "bprop")
  p <- as.data.frame(ct, what = "col_props")
  expect_identical(names(p)[1:2], c("g", "r"))
  sub <- p[p$g == "1" & p$r == "2", ]
  tab <- round(stats::xtabs(w ~ r + c, d[d$g == 1, ]))
  ref <- stats::prop.test(tab["2", c("x", "y")], colSums(tab)[c("x", "y")], correct = FALSE)
  expect_equal(sub$z[1]^2, unname(ref$statistic), tolerance = 1e-10)
  expect_equal(sub$p_adjusted[1], min(1, 3 * ref$p.value), tolerance = 1e-10)
  expect_true(all(p$g %in% c("1", "2", "Total")))
  expect_error(as.data.frame(crosstab(d, r, c), what = "col_props"),
               class = "zhetysu_error_input")
})

test_that("the letters and residual p print in the crosstab, within the width", {
  local_reproducible_output(width = 80)
  ct <- crosstab(as.table(sheet), statistics = "prop")
  out <- format(ct, cells = c("count", "col", "adj_residual_p", "adj_residual_p_bonferroni"))
  expect_snapshot(cat(out[1:(grep("^Chi-Square Tests", out) - 2)], sep = "\n"))
  bp <- format(crosstab(as.table(sheet), statistics = "bprop"), cells = "row")
  expect_snapshot(cat(bp[1:(grep("^Chi-Square Tests", bp) - 2)], sep = "\n"))
  for (w in c(60, 80)) expect_true(all(nchar(format(ct, width = w, cells = c("count", "col"))) <= w))
  html <- zhetysu:::zh_html(ct, cells = c("count", "col"))
  expect_match(html, ">10<sub>a,b</sub></td>", fixed = TRUE)
  expect_match(html, ">28.6%<sub>a,b</sub></td>", fixed = TRUE)
  expect_match(html, "Each subscript letter", fixed = TRUE)
  skip_if_not_installed("flextable")
  ft <- as_flextable(ct)
  expect_true("10 a,b" %in% unlist(ft$body$dataset))
})
