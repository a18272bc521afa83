test_that("crosstab() agrees with chisq.test() on mtcars", {
  ct <- crosstab(mtcars, cyl, gear)
  ref <- suppressWarnings(chisq.test(table(mtcars$cyl, mtcars$gear)))
  expect_equal(ct$tests$statistic[1], unname(ref$statistic), tolerance = 1e-10)
  expect_equal(ct$tests$p_value[1], ref$p.value, tolerance = 1e-10)
})
