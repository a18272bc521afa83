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
