# The replication report rendered on other data: a copy of `repatriates`
# with belonging reversed (6 - belonging). Every sentence that reads a
# direction must follow the sign of its number, computed here with base R.

test_that("the report renders on reversed belonging and its directions follow the data", {
  skip_on_cran()
  skip_if_not_installed("rmarkdown")
  skip_if_not_installed("knitr")
  skip_if_not(rmarkdown::pandoc_available("1.14"), "pandoc is not available")
  skip_if(nzchar(Sys.getenv("ZHETYSU_SANITIZE")))
  src <- system.file("doc", "zhetysu.Rmd", package = "zhetysu")
  skip_if(!nzchar(src), "the vignette is not installed (install from the tarball)")
  rev <- zhetysu::repatriates
  rev$belonging <- 6L - rev$belonging
  out <- tempfile("report")
  dir.create(out)
  html <- suppressWarnings(rmarkdown::render(
    src, output_format = rmarkdown::html_vignette(), output_dir = out,
    intermediates_dir = out, knit_root_dir = out, params = list(data = rev),
    envir = new.env(), quiet = TRUE))
  page <- paste(readLines(html, warn = FALSE, encoding = "UTF-8"), collapse = "\n")
  spans <- regmatches(page, gregexpr(
    "<span class=\"direction\" data-stat=\"[a-z_]+\" data-sign=\"-?[01]\">[a-z]+</span>", page))[[1]]
  stat <- sub(".*data-stat=\"([a-z_]+)\".*", "\\1", spans)
  word <- sub(".*>([a-z]+)</span>", "\\1", spans)
  b <- rev$belonging
  kendall <- function(x) stats::cor(as.integer(x), b, method = "kendall")
  married <- rev$marital_status == "Married"
  truth <- list(
    r_friends = c(stats::cor(b, rev$friends), "positively", "negatively"),
    r_norms = c(stats::cor(b, rev$norms), "positively", "negatively"),
    r_leisure = c(stats::cor(b, rev$leisure), "positively", "negatively"),
    tau_legal = c(kendall(rev$legal_status), "rises", "falls"),
    tau_edu = c(kendall(rev$education), "rises", "falls"),
    tau_age = c(kendall(rev$age_group), "rises", "falls"),
    married_gap = c(mean(b[married]) - mean(b[!married]), "higher", "lower"))
  expect_setequal(stat, names(truth))
  for (k in seq_along(stat)) {
    t <- truth[[stat[k]]]
    want <- if (as.numeric(t[1]) > 0) t[2] else t[3]
    expect_identical(word[k], want, label = stat[k])
  }
  # reversing belonging reverses every direction the synthetic data show
  expect_identical(word[stat == "r_friends"], "negatively")
  expect_identical(word[stat == "tau_legal"], "rises")
  # the run says it is not on the synthetic data, and no table shows NA
  text <- gsub("\\s+", " ", gsub("<[^>]+>", " ", page))
  expect_true(grepl("not the synthetic data", text, fixed = TRUE))
  expect_false(grepl("<td[^>]*>\\s*NA\\s*</td>", page))
})
