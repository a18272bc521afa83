# The output model (R/output.R) and the console renderer (R/render.R).
# References: the SPSS display rules written out here (half away from zero,
# no leading zero for values bounded by 1 and p, "<.001"), a plain R
# transcription of half-away-from-zero rounding on exactly representable
# decimals, and display widths counted by hand.

zh_fmt <- zhetysu:::zh_fmt
zh_otable <- zhetysu:::zh_otable
zh_cells <- zhetysu:::zh_cells
zh_headers <- zhetysu:::zh_headers
zh_note <- zhetysu:::zh_note

test_that("zh_fmt rounds exact halves away from zero", {
  # k/8 are exact binary fractions: ties really are ties
  x <- c(0.0625, 0.1875, 2.5, -2.5, 0.125, -0.375, 1.4375)
  d <- c(3L, 3L, 0L, 0L, 2L, 2L, 3L)
  ref <- function(x, d) {
    m <- floor(abs(x) * 10^d + 0.5) / 10^d
    s <- sprintf(paste0("%.", d, "f"), m)
    ifelse(x < 0 & m > 0, paste0("-", s), s)
  }
  expect_identical(zh_fmt(x, "stat", d), mapply(ref, x, d, USE.NAMES = FALSE))
  expect_identical(zh_fmt(6.25, "stat", 1L), "6.3")
  expect_identical(zh_fmt(-0.0001, "stat"), "0.000")
  expect_identical(zh_fmt(NA_real_, "stat"), "")
})

test_that("zh_fmt applies the rules of each cell type in both styles", {
  expect_identical(zh_fmt(c(0.7514, -0.5), "bounded"), c(".751", "-.500"))
  expect_identical(zh_fmt(c(0.0312, 0.0004, 0.001, 0), "p"), c(".031", "<.001", ".001", "<.001"))
  expect_identical(zh_fmt(0.0004, "p", style = "apa"), "< .001")
  expect_identical(zh_fmt(c(0.00004, 0.0004), "p", 4L), c("<.0001", ".0004"))
  expect_identical(zh_fmt(12.25, "percent"), "12.3%")
  expect_identical(zh_fmt(12.25, "percent", style = "apa"), "12.3")
  expect_identical(zh_fmt(c(1, 20, 300), "count"), c("1", "20", "300"))
  expect_identical(zh_fmt(c(1.5, 20), "count"), c("1.50", "20.00"))
  expect_identical(zh_fmt(c(1, 2.5), "df"), c("1", "2.500"))
  expect_identical(zh_fmt(42, "int"), "42")
  expect_identical(zh_fmt(c(3.14159, 0.0004), c("stat", "p"), decimal_mark = ","),
                   c("3,142", "<,001"))
  expect_identical(zh_fmt(0.5, "bounded", style = "apa", decimal_mark = ","), ",500")
})

tiny <- function(notes = list()) {
  zh_otable(
    "Chi-Square Tests",
    stub = c("Pearson Chi-Square", "Likelihood Ratio", "Fisher's Exact Test", "N of Valid Cases"),
    columns = zh_headers(c("Value", "df", "Asymptotic Significance (2-sided)",
                           "Exact Sig. (2-sided)", "Exact Sig. (1-sided)"),
                         c(NA, NA, NA, "Exact Sig.", "Exact Sig.")),
    cells = rbind(zh_cells(1:2, 1, c(4.2104, 4.3), "stat", notes = c("low", "")),
                  zh_cells(1:2, 2, 1, "df"), zh_cells(1:2, 3, c(0.04, 0.00002), "p"),
                  zh_cells(3, 4:5, c(0.05, 0.03), "p"), zh_cells(4, 1, 200, "count")),
    notes = notes)
}

test_that("notes get letters in order of first use; table notes none", {
  tab <- tiny(list(low = zh_note("min_expected", cells = 1, percent = 25, min = 3.125),
                   w = zh_note("weighted", count = "round", where = "table"),
                   t = zh_note("fisher_2x2", where = "title")))
  out <- format(tab, width = 80)
  expect_identical(out[1], "Chi-Square Testsa")
  expect_true("a. Computed only for a 2x2 table" %in% out)
  expect_true(any(grepl("^b\\. 1 cells \\(25\\.0%\\) have expected count less than 5\\.", out)))
  expect_true(any(grepl("4.210b", out, fixed = TRUE)))
  flat <- gsub(" +", " ", paste(out, collapse = " "))
  expect_true(grepl("minimum expected count is 3.13.", flat, fixed = TRUE))
  expect_identical(out[length(out)], "Weighted counts (count = \"round\").")
})

test_that("the console renderer is snapshotted at width 80", {
  tab <- tiny(list(low = zh_note("min_expected", cells = 0, percent = 0, min = 12.5)))
  expect_snapshot(print(tab, width = 80))
  expect_snapshot(print(tab, width = 80, style = "apa", decimal_mark = ","))
})

# A wide table with Cyrillic and Kazakh labels: 2 display columns each for
# none of them (they are narrow), so widths are character counts here; the
# CJK label below is 2 columns per character.
wide_table <- function() {
  set.seed(1)
  nr <- 6L
  nc <- 14L
  v <- matrix(round(runif(nr * nc, 0, 2000), 2), nr)
  zh_otable(
    "\u049a\u0430\u0437\u0430\u049b\u0441\u0442\u0430\u043d * a long title that must wrap at the narrow widths of a console window",
    stub = cbind(c("\u0422\u0430\u043b\u0434\u044b\u049b\u043e\u0440\u0493\u0430\u043d \u049b\u0430\u043b\u0430\u0441\u044b \u043c\u0435\u043d \u0430\u0443\u044b\u043b\u0434\u0430\u0440\u044b",
                   "", "", "\u6771\u4eac\u90fd", "", "Total"),
                 rep(c("Count", "Expected Count", "% within a very long variable name"), 2)),
    stub_head = c("Region", ""),
    columns = zh_headers(paste("Column category number", seq_len(nc)),
                         c(rep("First group of categories", 7), rep("Second group", 7))),
    cells = zhetysu:::zh_cells_matrix(v, "count"))
}

test_that("no console line is wider than the width; every number is printed whole", {
  tab <- wide_table()
  nums <- zh_fmt(as.vector(tab$cells$value), "count", 2L)
  for (w in c(40, 60, 80, 120)) {
    out <- format(tab, width = w)
    expect_true(all(nchar(out, type = "width") <= w), info = paste("width", w))
    tokens <- unlist(strsplit(out, " +"))
    expect_true(all(nums %in% tokens), info = paste("width", w))
  }
  # at 120 the 14 columns need panels; the stub is repeated in each
  out <- format(tab, width = 120)
  expect_gt(sum(grepl("^Total", out)), 1L)
})

test_that("a label wider than the width stays whole", {
  long <- strrep("x", 70)
  tab <- zh_otable("T", stub = long, columns = "Value",
                   cells = zh_cells(1, 1, 1.5, "stat"))
  out <- format(tab, width = 60)
  expect_true(any(grepl(long, out, fixed = TRUE)))
  expect_true(any(grepl("1.500", out, fixed = TRUE)))
})

test_that("zh_output renders several tables; bad input gives classed errors", {
  both <- zhetysu:::zh_output(tiny(), tiny())
  expect_s3_class(both, "zh_output")
  expect_identical(sum(format(both) == "Chi-Square Tests"), 2L)
  expect_identical(zhetysu:::zh_tables(both), both)
  expect_snapshot(error = TRUE, {
    zh_otable("T", stub = "a", columns = "b", cells = zh_cells(1, 1, 1, "number"))
    zh_otable("T", stub = "a", columns = "b", cells = zh_cells(2, 1, 1, "stat"))
    zhetysu:::zh_output(1)
    format(tiny(), style = "excel")
    zhetysu:::zh_note_text("no_such_code")
  })
})
