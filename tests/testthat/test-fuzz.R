# Random shapes and bad values at every exported function (helpers in
# helper-fuzz.R). Each call must return a valid object (statistics in range,
# counts adding to n) or stop with a "zhetysu_error" naming an argument;
# a crash, an unclassed error, a warning or an out-of-range statistic fails.
# Functions are picked up as they are exported; seeded, a few seconds.

fuzz_rounds <- c(crosstab = 250, cor_matrix = 150, freq_table = 150, profile_table = 100,
                 association_table = 100, check_reported = 120)

test_that("every exported function survives random input", {
  funs <- zh_exported_functions()
  expect_true("crosstab" %in% funs)
  ns <- asNamespace("zhetysu")
  for (fun in funs) {
    rounds <- if (fun %in% names(fuzz_rounds)) fuzz_rounds[[fun]] else 20
    problems <- fuzz_run(fun, rounds, seed = 20240607 + match(fun, funs))
    expect(length(problems) == 0L,
           sprintf("%d defect(s) in %s():\n%s", length(problems), fun,
                   paste(utils::head(problems, 5), collapse = "\n")))
  }
})

test_that("crosstab() edge shapes: 0 and 1 rows, one level, 1e5 levels, NaN and Inf", {
  cases <- crosstab_edge_cases()
  for (args in cases) {
    bad <- fuzz_outcome("crosstab", function() do.call(crosstab, args), valid_crosstab)
    expect(is.null(bad), sprintf("crosstab(%s): %s", fuzz_describe_args(args), bad))
  }
})
