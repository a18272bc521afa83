# format_p() and the formatting helpers (R/format.R).

test_that("format_p() formats probabilities and refuses anything outside [0, 1]", {
  # the rule written out: fixed decimals, below 10^-digits as "<"
  expect_identical(format_p(c(0, 0.0004, 0.05, 0.2, 1, NA, NaN)),
                   c("<0.001", "<0.001", "0.050", "0.200", "1.000", "", ""))
  expect_identical(format_p(0.0312, lead_zero = FALSE, decimal_mark = ","), ",031")
  for (bad in list(1.5, -0.01, Inf, -Inf, c(0.2, 2), 1 + 1e-9)) {
    expect_error(format_p(bad), class = "zhetysu_error_value")
  }
  expect_snapshot(error = TRUE, {
    format_p(c(0.5, 2, Inf))
    format_p(-1e-3)
    format_p(0.5, digits = 2.5)
    format_p(0.5, lead_zero = NA)
    format_p(as.difftime(0.5, units = "secs"))
  })
})

test_that("numbers become text for display only in the one formatter (R/output.R, R/format.R)", {
  src <- zh_source_path("R")
  skip_if_not(dir.exists(src), "the R/ sources are not here (an installed copy)")
  files <- setdiff(list.files(src, pattern = "[.]R$", full.names = TRUE),
                   file.path(src, c("output.R", "format.R")))
  pat <- "formatC|sprintf\\([^)]*%[0-9.]*[fge]|format\\(.*nsmall|format\\(round\\("
  hits <- unlist(lapply(files, function(f) {
    l <- readLines(f, warn = FALSE)
    k <- grep(pat, l)
    if (length(k)) paste0(basename(f), ":", k, ": ", trimws(l[k]))
  }))
  expect_identical(hits, NULL)
})
