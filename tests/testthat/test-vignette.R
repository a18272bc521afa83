# The replication report rendered on other data: a copy of `repatriates`
# with belonging reversed (6 - belonging). Every sentence that reads a
# direction must follow the sign of its number, computed here with base R
# and, for the survey-design section, with the survey package.

# Kendall's tau-b of a (weighted) two-way table: concordant minus discordant
# pairs over the square root of the two numbers of untied pairs.
tau_b_table <- function(tab) {
  tab <- unclass(as.matrix(tab))
  I <- nrow(tab)
  J <- ncol(tab)
  # after[i, j]: the sum of tab over rows > i and columns > j
  pairs <- function(m) {
    after <- t(apply(apply(m[I:1, J:1, drop = FALSE], 2, cumsum), 1, cumsum))[I:1, J:1]
    sum(m[-I, -J] * after[-1, -1])
  }
  n <- sum(tab)
  (pairs(tab) - pairs(tab[, J:1, drop = FALSE])) /
    sqrt((n^2 - sum(rowSums(tab)^2)) / 2 * (n^2 - sum(colSums(tab)^2)) / 2)
}

# The report's design section: places of residence as clusters within their
# settlement types, weights 1. Truth for its sentences: the Rao-Scott F p of
# survey::svychisq() against chisq.test()'s p, and the design effect of
# tau-b as the squared ratio of two jackknife standard errors (JKn on the
# design, JK1 on a simple random sample).
design_truth <- function(d) {
  d$settlement <- factor(sub(".*\\((semi-urban|urban|rural).*", "\\1", d$residence))
  d$w <- 1
  des <- survey::svydesign(ids = ~residence, strata = ~settlement, weights = ~w, data = d)
  srs <- survey::svydesign(ids = ~1, weights = ~w, data = d)
  jk_se <- function(design, type, v) {
    rep <- survey::as.svrepdesign(design, type = type)
    est <- survey::withReplicates(rep, function(w, data) {
      tau_b_table(stats::xtabs(w ~ data[[v]] + data$belonging))
    })
    sqrt(attr(est, "var"))
  }
  one <- function(v, key) {
    p_design <- unname(survey::svychisq(stats::reformulate(c(v, "belonging")), des,
                                        statistic = "F")$p.value)
    p_srs <- unname(suppressWarnings(stats::chisq.test(table(d[[v]], d$belonging)))$p.value)
    deff <- (jk_se(des, "JKn", v) / jk_se(srs, "JK1", v))^2
    stats::setNames(list(c(p_design - p_srs, "larger", "smaller"),
                         c(0.05 - p_design, "significant", "not significant"),
                         c(deff - 1, "larger", "smaller")),
                    paste0(c("p_design_", "sig_design_", "deff_"), key))
  }
  c(one("legal_status", "legal"), one("education", "edu"))
}

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
    "<span class=\"direction\" data-stat=\"[a-z_]+\" data-sign=\"-?[01]\">[a-z ]+</span>", page))[[1]]
  stat <- sub(".*data-stat=\"([a-z_]+)\".*", "\\1", spans)
  word <- sub(".*>([a-z ]+)</span>", "\\1", spans)
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
  if (requireNamespace("survey", quietly = TRUE)) {
    truth <- c(truth, design_truth(rev))
  }
  expect_setequal(stat, names(truth))
  for (k in seq_along(stat)) {
    t <- truth[[stat[k]]]
    want <- if (as.numeric(t[1]) > 0) t[2] else t[3]
    expect_identical(word[k], want, label = stat[k])
  }
  # reversing belonging reverses every direction the synthetic data show
  expect_identical(word[stat == "r_friends"], "negatively")
  expect_identical(word[stat == "tau_legal"], "rises")
  # the design section: its sentences follow survey's Rao-Scott test and the
  # jackknife standard errors, and reversing belonging changes none of them
  if (requireNamespace("survey", quietly = TRUE)) {
    expect_true(all(c("p_design_legal", "deff_edu") %in% stat))
    expect_identical(word[stat == "deff_legal"], "smaller")
    expect_identical(word[stat == "deff_edu"], "larger")
  }
  # the run says it is not on the synthetic data, and no table shows NA
  text <- gsub("\\s+", " ", gsub("<[^>]+>", " ", page))
  expect_true(grepl("not the synthetic data", text, fixed = TRUE))
  expect_false(grepl("<td[^>]*>\\s*NA\\s*</td>", page))
})

test_that("tools/check-report.R finds result dumps and tables wider than the text column", {
  skip_on_cran()
  tool <- zh_source_path("tools", "check-report.R")
  skip_if_not(file.exists(tool), "tools/ is not here (an installed copy)")
  chromium <- Sys.getenv("CHROMIUM", "/usr/bin/chromium")
  skip_if_not(file.exists(chromium), "headless Chromium is not installed")
  # under the sanitizers, Chromium would inherit the preloaded ASan runtime
  skip_if(nzchar(Sys.getenv("ZHETYSU_SANITIZE")), "not under the sanitizers (Chromium)")
  skip_if_not_installed("rmarkdown")
  skip_if_not(rmarkdown::pandoc_available("2.0"), "pandoc is not available")
  old <- options(rmarkdown.html_vignette.check_title = FALSE)
  on.exit(options(old), add = TRUE)
  env <- new.env()
  sys.source(tool, envir = env)
  dir <- tempfile("report-check")
  dir.create(dir)
  on.exit(unlink(dir, recursive = TRUE), add = TRUE)
  # a page as html_vignette renders it: one clean result table, then a
  # console dump of a result and a table far wider than the column
  ct <- crosstab(mtcars, am, vs)
  rmd <- file.path(dir, "page.Rmd")
  writeLines(c("---", "title: check", "output: rmarkdown::html_vignette", "---", "",
               "```{r, echo = FALSE}", "library(zhetysu)", "ct <- crosstab(mtcars, am, vs)",
               "ct", "```", "", "```{r, echo = FALSE}", "print(unclass(ct)$observed)", "```", "",
               "```{r, echo = FALSE, results = 'asis'}",
               "cat('<table><tr>', paste0('<td>', strrep('wide', 30), '</td>', collapse = ''), '</tr></table>')",
               "```"), rmd)
  html <- rmarkdown::render(rmd, output_dir = dir, intermediates_dir = dir, quiet = TRUE,
                            envir = new.env())
  problems <- env$check_report_html(html, chromium)
  expect_true(any(grepl("^(result output in a <pre> block|console output in a code block)", problems)))
  expect_true(any(grepl("^table wider than the text column", problems)))
  # the package's own table is neither
  expect_false(any(grepl("Crosstabulation|Chi-Square", problems)))
  # the same page without the two faults passes
  writeLines(c("---", "title: check", "output: rmarkdown::html_vignette", "---", "",
               "```{r, echo = FALSE}", "library(zhetysu)", "crosstab(mtcars, am, vs)", "```"), rmd)
  html <- rmarkdown::render(rmd, output_dir = dir, intermediates_dir = dir, quiet = TRUE,
                            envir = new.env())
  expect_identical(env$check_report_html(html, chromium), character())
})
