test_that("internal errors from C carry the package's classes and say what they are", {
  # they used to be unclassed Rf_error("internal error: ...")
  expect_error(.Call(zhetysu:::zh_fisher_rxc, "a", 0, 0), class = "zhetysu_error_internal")
  expect_error(.Call(zhetysu:::zh_crosstab_count, 1:2, 1:3, NULL, 2L, 3L, 1L),
               class = "zhetysu_error_internal")
  expect_error(.Call(zhetysu:::zh_describe_cols, list("a"), NULL, 50, 1L, FALSE, FALSE, 1L),
               class = "zhetysu_error")
  e <- tryCatch(.Call(zhetysu:::zh_small_codes, "a", 10), error = identity)
  expect_s3_class(e, c("zhetysu_error_internal", "zhetysu_error"))
  expect_match(conditionMessage(e), "^Internal error in zhetysu: .*bug in the package")
  expect_snapshot(error = TRUE, .Call(zhetysu:::zh_fisher_rxc, "a", 0, 0))
})
