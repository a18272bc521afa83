# The count object: the k-way one-pass count against base R's xtabs(), the
# table and data-frame-of-counts constructors against the data-frame path,
# and the documented default scores of a table.

test_that("the k-way count equals xtabs(), weighted and with missing values", {
  set.seed(5)
  n <- 3000
  d <- data.frame(a = sample(c(1:4, NA), n, TRUE), b = factor(sample(c("x", "y", NA), n, TRUE)),
                  l1 = sample(1:3, n, TRUE), l2 = sample(c("p", "q"), n, TRUE),
                  w = sample(c(0.25, 1, 2.5, NA), n, TRUE))
  cn <- zh_counts(d, c(a, b, l1, l2), weights = w, count = "asis")
  ref <- xtabs(w ~ a + b + l1 + l2, d)
  expect_identical(dim(cn$counts), dim(ref))
  expect_equal(unname(cn$counts), unname(unclass(ref)), tolerance = 1e-12, ignore_attr = TRUE)
  expect_identical(names(dimnames(cn$counts)), c("a", "b", "l1", "l2"))
  left <- !stats::complete.cases(d[c("a", "b", "w")])
  expect_identical(unname(cn$left_out[["cases"]]), as.double(sum(left)))
  expect_equal(unname(cn$left_out[["weight"]]), sum(d$w[left], na.rm = TRUE))
  # per variable: its own missing cases (with a weight), whatever the others say
  ma <- cn$vars[[1]]$missing
  expect_identical(ma$kind, "system")
  expect_equal(ma$n, sum(d$w[is.na(d$a)], na.rm = TRUE))
  expect_identical(ma$cases, as.double(sum(is.na(d$a) & !is.na(d$w))))
  # the count rule: cells rounded half up, the sums kept
  cr <- zh_counts(d, c(a, b), weights = w)
  expect_identical(cr$counts, floor(cr$sums + 0.5))
  expect_identical(zh_counts(d, c(a, b), weights = w, count = "truncate")$counts, trunc(cr$sums))
  # unweighted counts on more than 1e5 rows (the threaded path) equal table()
  big <- data.frame(x = sample(c(1:6, NA), 3e5, TRUE), y = sample(1:5, 3e5, TRUE),
                    z = sample(1:4, 3e5, TRUE))
  expect_equal(unname(zh_counts(big, c(x, y, z))$counts),
               unname(unclass(table(big$x, big$y, big$z))), ignore_attr = TRUE)
})

test_that("user-missing codes are counted one by one, with their labels", {
  skip_if_not_installed("haven")
  s <- haven::labelled_spss(c(1, 8, 2, 9, 9, NA, 1, 95), labels = c(yes = 1, no = 2,
                            "don't know" = 8, refused = 9), na_values = c(8, 9),
                            na_range = c(90, 99))
  cn <- zh_counts(data.frame(s = s), s)
  m <- cn$vars[[1]]$missing
  expect_identical(m$kind, c("user", "user", "user", "system"))
  expect_identical(m$code, c(8, 9, 95, NA))
  expect_identical(m$label, c("don't know", "refused", "95", "System"))
  expect_identical(m$cases, c(1, 2, 1, 1))
  expect_identical(as.vector(cn$counts), c(2, 1))
})

test_that("a table with its scores and the data frame give identical crosstabs", {
  tab <- table(cyl = mtcars$cyl, gear = mtcars$gear)
  expect_identical(crosstab(tab), crosstab(mtcars, cyl, gear))
  expect_identical(crosstab(tab, scores = list(c(4, 6, 8), c(3, 4, 5))),
                   crosstab(mtcars, cyl, gear))
  d <- data.frame(g = factor(mtcars$am, labels = c("auto", "manual")),
                  e = factor(mtcars$vs, labels = c("V", "straight")))
  expect_identical(crosstab(table(g = d$g, e = d$e), ordered = FALSE), crosstab(d, g, e))
  # a data frame of counts through zh_counts_data()
  cnt <- as.data.frame(tab, stringsAsFactors = FALSE)
  cnt$cyl <- as.numeric(cnt$cyl)
  cnt$gear <- as.numeric(cnt$gear)
  expect_identical(crosstab(zh_counts_data(cnt, c(cyl, gear), n = Freq)),
                   crosstab(mtcars, cyl, gear))
  # three-way tables: the third dimension is the layer
  expect_identical(crosstab(table(cyl = mtcars$cyl, gear = mtcars$gear, am = mtcars$am)),
                   crosstab(mtcars, cyl, gear, layer = am))
})

test_that("labels that are not numbers, or numbers out of order, get positions as scores", {
  m <- matrix(c(10, 3, 4, 2, 8, 5, 1, 6, 9), 3)
  # Pearson's R on the scores 1, 2, 3 (rows and columns), from the expanded cases
  r_pos <- function(m) {
    i <- rep(row(m), m)
    j <- rep(col(m), m)
    stats::cor(i, j)
  }
  out_of_order <- as.table(m)
  dimnames(out_of_order) <- list(r = c("10", "2", "30"), c = c("a", "b", "c"))
  ct <- crosstab(out_of_order)
  expect_identical(ct$scores, list(row = c(1, 2, 3), col = c(1, 2, 3)))
  expect_equal(ct$measures$estimate[ct$measures$measure == "Pearson's R"], r_pos(m),
               tolerance = 1e-12)
  increasing <- out_of_order
  dimnames(increasing)$r <- c("1", "5", "30")
  expect_identical(crosstab(increasing)$scores$row, c(1, 5, 30))
  # explicit scores win
  ct <- crosstab(out_of_order, scores = list(c(10, 2, 30), NULL))
  expect_identical(ct$scores$row, c(10, 2, 30))
  expect_snapshot(error = TRUE, {
    crosstab(out_of_order, scores = list(1:2, NULL))
    crosstab(out_of_order, scores = c(1, 2, 3))
    crosstab(mtcars, cyl, gear, scores = list(1:3, 1:3))
  })
})

test_that("the count object reads columns by position and carries the value keys", {
  # repeated names: each column by its position, layers too
  d <- data.frame(a = c(1, 1, 2, 2, 1, 2), a = c(1, 2, 1, 2, 2, 2), a = c(1, 1, 1, 2, 2, 2),
                  check.names = FALSE)
  lay <- crosstab(d, 1, 2, layer = 3)
  for (l in 1:2) {
    keep <- d[[3]] == l
    expect_equal(unname(lay$tables[[l]]$observed),
                 unname(unclass(table(d[[1]][keep], d[[2]][keep]))))
  }
  expect_error(crosstab(d, 1, 2, layer = 1), class = "zhetysu_error_column")
  # kappa pairs categories by value (keys), not by label: labels that differ
  # between the variables do not stop it
  x <- haven::labelled(c(1, 2, 2, 1, 2, 1, 1, 2), c(low = 1, high = 2))
  y <- haven::labelled(c(1, 2, 1, 1, 2, 2, 1, 2), c(Low = 1, High = 2))
  cn <- zh_counts(data.frame(x = x, y = y), c(x, y))
  expect_identical(cn$vars[[1]]$keys, c("1", "2"))
  ct <- crosstab(cn)
  tab <- unclass(table(as.vector(x), as.vector(y)))
  expect_equal(ct$measures$estimate[ct$measures$measure == "Kappa"], ref_kappa(tab)[1],
               tolerance = 1e-12)
  expect_identical(ct, crosstab(data.frame(x = x, y = y), x, y))
})
