# Every result type through the output model (R/tables.R) and its
# renderers. References: the objects' own stored numbers (rounded here with
# base R's round() after the half-away-from-zero nudge, not the package's
# formatter), the console width, and the files read back by officer and
# openxlsx.

d <- repatriates
factors <- setdiff(names(d)[vapply(d, is.factor, TRUE)], "belonging")
items <- c("belonging", "friends", "norms", "leisure", "events", "ngo", "services",
           "admin", "discrimination", "identity")

all_results <- function() {
  res <- list()
  for (f in factors) {
    ct <- crosstab(d, f, "belonging")
    res[[paste0("crosstab_", f)]] <- ct
    res[[paste0("summary_", f)]] <- summary(ct)
  }
  for (v in c(factors, items)) res[[paste0("freq_", v)]] <- freq_table(d, v)
  res$profile <- profile_table(d, tidyselect::all_of(factors))
  res$profile_by <- profile_table(d, tidyselect::all_of(setdiff(factors, "legal_status")),
                                  by = legal_status)
  res$association <- association_table(d, belonging, tidyselect::all_of(factors))
  res$describe <- describe(d, tidyselect::all_of(items),
                           statistics = c("n", "mean", "median", "sd", "variance",
                                          "skewness", "kurtosis", "minimum", "maximum"),
                           percentiles = c(25, 50, 75))
  for (f in factors) {
    res[[paste0("means_", f)]] <- means_table(d, belonging, tidyselect::all_of(f),
                                              statistics = c("mean", "n", "sd", "se_mean",
                                                             "minimum", "maximum"))
  }
  res
}

test_that("no printed line is wider than the width, for every result on repatriates", {
  skip_if(nzchar(Sys.getenv("ZHETYSU_SANITIZE")))
  res <- all_results()
  cm <- cor_matrix(d, tidyselect::all_of(items))
  for (w in c(60L, 80L, 120L)) {
    for (nm in names(res)) {
      l <- format(res[[nm]], width = w)
      expect_lte(max(nchar(l, type = "width")), w, label = paste(nm, "at", w))
    }
    for (s in c("output", "spss", "apa")) {
      l <- format(cm, style = s, width = w)
      expect_lte(max(nchar(l, type = "width")), w, label = paste("cor_matrix", s, "at", w))
    }
  }
})

ref_round <- function(x, d) {
  m <- floor(abs(x) * 10^d + 0.5 + 1e-9) / 10^d
  sprintf(paste0("%.", d, "f"), sign(x) * m)
}

test_that("Symmetric Measures: Spearman inside Ordinal by Ordinal, Pearson's R after it", {
  pt <- printed_table(crosstab(d, legal_status, belonging), table = 3L)
  expect_identical(pt$stub[, 1], c("Nominal by Nominal", "", "", "Ordinal by Ordinal", "", "",
                                   "", "Interval by Interval", "N of Valid Cases"))
  expect_identical(pt$stub[7:8, 2], c("Spearman Correlation", "Pearson's R"))
  expect_identical(sum(pt$stub[, 1] == "Ordinal by Ordinal"), 1L)
})

test_that("printed numbers are the stored numbers rounded; p and bounded values as SPSS", {
  ct <- crosstab(d, legal_status, belonging)
  pt <- printed_table(ct, table = 2L)
  expect_identical(pt$body[1, 1], paste0(ref_round(ct$tests$statistic[1], 3), "a"))
  expect_identical(pt$body[1, 3], "<.001")
  cm <- cor_matrix(d, c(belonging, friends, events))
  pc <- printed_table(cm)
  expect_identical(pc$body[1, 3], sub("^0", "", ref_round(cm$r[1, 3], 3)))
  expect_identical(pc$body[2, 3], sub("^0", "", ref_round(cm$p[1, 3], 3)))
  ft <- freq_table(d, residence)
  pf <- printed_table(ft)
  expect_identical(pf$body[1, 2], ref_round(ft$percent[1], 1))
  # p prints the same way in crosstab, cor_matrix and freq-type tables
  at <- association_table(d, belonging, c(gender, legal_status))
  expect_identical(printed_table(at)$body[2, 3], pt$body[1, 3])
})

test_that("profile_table renders its percentages from the counts", {
  pt <- profile_table(d, c(gender, age_group), rounding = "nearest")
  pp <- printed_table(pt)
  n <- pt$n[pt$variable == "gender"]
  expect_identical(pp$body[1:2, 2], ref_round(100 * n / sum(n), 1))
})

test_that("notes come from codes; x$notes holds no sentences", {
  ct <- crosstab(data.frame(r = factor(c("a", "b", "a"), levels = c("a", "b", "c")),
                            c = c(1, 2, 2)), r, c)
  expect_true(all(vapply(ct$notes, function(n) is.character(n$code), TRUE)))
  expect_match(zhetysu:::zh_notes_text(ct$notes), "Empty categories of r", all = FALSE)
})

test_that("console output of every result type is snapshotted at width 80", {
  ct <- crosstab(mtcars, am, vs)
  expect_snapshot(print(ct, width = 80))
  expect_snapshot(print(summary(crosstab(mtcars, cyl, gear)), width = 80))
  cm <- cor_matrix(mtcars, c(mpg, wt, qsec))
  expect_snapshot({
    print(cm, width = 80)
    print(cm, style = "spss", width = 80)
    print(cm, style = "apa", width = 80)
  })
  expect_snapshot(print(freq_table(d, residence), width = 80))
  expect_snapshot(print(profile_table(d, c(gender, age_group), by = legal_status), width = 80))
  expect_snapshot(print(association_table(d, belonging, c(gender, legal_status)), width = 80))
  rep <- check_reported(data.frame(test = c("chisq", "r"), statistic = c("22.14", ".013"),
                                   df = c(4, NA), n = c(NA, 787),
                                   p_reported = c("<0.001", ".707")))
  expect_snapshot(print(rep, width = 80))
})

html_cells <- function(html) {
  doc <- xml2::read_html(html)
  td <- xml2::xml_find_all(doc, "//td[@data-value]")
  data.frame(value = as.numeric(xml2::xml_attr(td, "data-value")), text = xml2::xml_text(td),
             stringsAsFactors = FALSE)
}

test_that("HTML tables parse back to the object's numbers", {
  skip_if_not_installed("xml2")
  ct <- crosstab(d, legal_status, belonging)
  h <- html_cells(zhetysu:::zh_html(ct))
  expect_true(all(as.vector(ct$observed) %in% h$value))
  expect_true(any(abs(h$value - ct$tests$statistic[1]) < 1e-9))
  # the text shown is the value rounded (markers stripped)
  num <- suppressWarnings(as.numeric(sub("[a-z*%]+$", "", sub("^([-]?)[.]", "\\10.", h$text))))
  ok <- !is.na(num)
  expect_true(all(abs(num[ok] - h$value[ok]) <= 0.0005 + 1e-9 |
                    abs(num[ok] - h$value[ok]) <= 0.05 + 1e-9 & grepl("%|^[0-9]+[.][0-9]$", h$text[ok])))
  cm <- cor_matrix(d, c(belonging, friends, events))
  hc <- html_cells(zhetysu:::zh_html(cm))
  expect_true(all(signif(cm$r[upper.tri(cm$r)], 12) %in% signif(hc$value, 12)))
  ft <- freq_table(d, residence)
  hf <- html_cells(zhetysu:::zh_html(ft))
  expect_true(all(ft$n %in% hf$value))
  expect_snapshot(cat(zhetysu:::zh_html(crosstab(mtcars, am, vs), css = FALSE)), transform = snap_html_values)
  expect_snapshot(cat(zhetysu:::zh_html(cor_matrix(mtcars, c(mpg, wt)), css = FALSE)), transform = snap_html_values)
  expect_snapshot(cat(zhetysu:::zh_html(freq_table(mtcars, gear), css = FALSE)), transform = snap_html_values)
  expect_snapshot(cat(zhetysu:::zh_html(profile_table(mtcars, c(am, gear)), css = FALSE)), transform = snap_html_values)
  expect_snapshot(cat(zhetysu:::zh_html(association_table(mtcars, gear, c(am, vs)),
                                        css = FALSE)), transform = snap_html_values)
  expect_snapshot(cat(zhetysu:::zh_html(summary(crosstab(mtcars, am, vs)), css = FALSE)), transform = snap_html_values)
  expect_snapshot(cat(zhetysu:::zh_html(describe(mtcars, c(mpg, wt)), css = FALSE)), transform = snap_html_values)
  expect_snapshot(cat(zhetysu:::zh_html(means_table(mtcars, mpg, am), css = FALSE)), transform = snap_html_values)
  # describe() and means_table(): every statistic of the object is a cell
  ds <- describe(d, c(belonging, friends), statistics = c("n", "mean", "sd", "minimum"))
  hd <- html_cells(zhetysu:::zh_html(ds))
  for (s in c("n", "mean", "sd", "minimum")) {
    expect_true(all(signif(ds$table[[s]], 12) %in% signif(hd$value, 12)), label = s)
  }
  mt <- means_table(d, belonging, legal_status)
  hm <- html_cells(zhetysu:::zh_html(mt))
  rep <- mt$tables[[1]]$report
  expect_true(all(signif(c(rep$mean, rep$n, rep$sd), 12) %in% signif(hm$value, 12)))
})

test_that("export_docx and export_xlsx hold every number as displayed", {
  skip_if_not_installed("officer")
  skip_if_not_installed("flextable")
  skip_if_not_installed("openxlsx")
  ct <- crosstab(d, legal_status, belonging)
  cm <- cor_matrix(d, c(belonging, friends, events))
  ft <- freq_table(d, residence)
  f <- tempfile(fileext = ".docx")
  on.exit(unlink(f), add = TRUE)
  export_docx(ct, cm, ft, path = f)
  s <- officer::docx_summary(officer::read_docx(f))
  shown <- s$text[s$content_type == "table cell"]
  # every printed cell of every table (from the output model) is in the file
  for (x in list(ct, cm, ft)) {
    for (k in seq_along(zhetysu:::zh_tables(x))) {
      b <- printed_table(x, table = k)$body
      expect_true(all(b[nzchar(b)] %in% shown))
    }
  }
  g <- tempfile(fileext = ".xlsx")
  on.exit(unlink(g), add = TRUE)
  export_xlsx(crosstab = ct, correlations = cm, frequencies = ft, path = g)
  expect_identical(openxlsx::getSheetNames(g), c("crosstab", "correlations", "frequencies"))
  x1 <- openxlsx::read.xlsx(g, sheet = "crosstab", colNames = FALSE)
  v1 <- suppressWarnings(as.numeric(unlist(x1)))
  expect_true(all(as.vector(ct$observed) %in% v1))
  expect_true(any(abs(v1 - ct$tests$statistic[2]) < 1e-9, na.rm = TRUE))  # unrounded
  x2 <- openxlsx::read.xlsx(g, sheet = "correlations", colNames = FALSE)
  v2 <- suppressWarnings(as.numeric(unlist(x2)))
  r_off <- cm$r[row(cm$r) != col(cm$r)]
  expect_true(all(apply(abs(outer(r_off, v2, "-")) < 1e-9, 1, any, na.rm = TRUE)))
  x3 <- openxlsx::read.xlsx(g, sheet = "frequencies", colNames = FALSE)
  v3 <- suppressWarnings(as.numeric(unlist(x3)))
  hit <- abs(outer(ft$percent, v3, "-")) < 1e-9
  expect_true(all(apply(hit, 1, any, na.rm = TRUE)))
  # number formats: the displayed ones
  wb <- openxlsx::loadWorkbook(g)
  fmts <- unlist(lapply(wb$styleObjects, function(s) s$style$numFmt$formatCode))
  fmts <- gsub("&quot;", "\"", gsub("&lt;", "<", fmts, fixed = TRUE), fixed = TRUE)
  expect_true(any(fmts == "[<0.001]\"<.001\";.000"))
  expect_true(any(fmts == ".000;-.000"))
})

test_that("missing suggested packages give a classed error naming the package", {
  err <- tryCatch(zhetysu:::zh_need("zhetysuNoSuchPackage", "export_xlsx()"),
                  zhetysu_error_missing_package = function(e) e)
  expect_s3_class(err, "zhetysu_error_missing_package")
  expect_snapshot(error = TRUE, zhetysu:::zh_need("zhetysuNoSuchPackage", "export_xlsx()"))
})

test_that("glance() for every result type; tidy() labels, rows and Kappa", {
  ct <- crosstab(d, legal_status, belonging)
  td <- tidy(ct)
  expect_false("Kappa" %in% td$term)  # the categories differ: kappa undefined
  sq <- crosstab(data.frame(a = c(1, 2, 1, 2, 1), b = c(1, 2, 2, 2, 1)), a, b)
  expect_true("Kappa" %in% tidy(sq)$term)
  printed <- printed_table(ct, table = 3L)$stub[, 2]
  expect_true(all(setdiff(printed, "") %in% td$label))
  ft <- freq_table(d, residence)
  expect_false("Total" %in% tidy(ft)$value)
  expect_identical(sum(tidy(ft)$n), sum(ft$n[ft$value != "Total"]))
  for (x in list(ct, cor_matrix(d, c(belonging, friends)), ft, profile_table(d, gender),
                 association_table(d, belonging, gender))) {
    g <- glance(x)
    expect_s3_class(g, "data.frame")
    expect_identical(nrow(g), 1L)
  }
})

test_that("variable labels are the titles and headers; labels = FALSE gives names", {
  dl <- d
  attr(dl$legal_status, "label") <- "Legal status"
  attr(dl$belonging, "label") <- "Sense of belonging"
  ct <- crosstab(dl, legal_status, belonging)
  expect_identical(format(ct)[1], "Legal status * Sense of belonging Crosstabulation")
  expect_identical(format(ct, labels = FALSE)[1], "legal_status * belonging Crosstabulation")
  expect_identical(format(freq_table(dl, legal_status))[1], "Legal status")
})

# The p rule written out here (not the package's formatter): three decimals
# rounded half away from zero, no leading zero, below .001 as "<.001" in
# SPSS style and "< .001" in APA style.
ref_p <- function(p, style) {
  out <- sub("^0[.]", ".", ref_round(p, 3))
  out[p < 0.001] <- if (style == "apa") "< .001" else "<.001"
  out
}

# Every p cell of a result as printed, with its unrounded value.
printed_p <- function(x, style, ...) {
  tabs <- zhetysu:::zh_tables(x, ..., style = style)
  do.call(rbind, lapply(seq_along(tabs), function(k) {
    pt <- printed_table(x, ..., table = k, style = style)
    cl <- pt$tab$cells
    p <- cl[cl$type == "p" & is.na(cl$digits), , drop = FALSE]
    shown <- pt$body[cbind(p$row, p$col)]
    data.frame(value = p$value, shown = sub("[a-z*]+$", "", shown), stringsAsFactors = FALSE)
  }))
}

test_that("crosstab, cor_matrix and the frequency-type tables print p the same way in each style", {
  # freq_table has no p-values; profile_table (by) and association_table
  # are the frequency-type tables that print them
  res <- list(crosstab = crosstab(d, legal_status, belonging),
              summary = summary(crosstab(d, gender, belonging)),
              cor_output = cor_matrix(d, c(belonging, friends, events, ngo)),
              profile = profile_table(d, c(gender, education), by = legal_status),
              association = association_table(d, belonging, c(gender, legal_status, country)))
  for (style in c("spss", "apa")) {
    all_p <- NULL
    for (nm in names(res)) {
      pp <- printed_p(res[[nm]], style)
      expect_gt(nrow(pp), 0)
      expect_identical(pp$shown, ref_p(pp$value, style), label = paste(nm, style))
      all_p <- rbind(all_p, cbind(pp, result = nm))
    }
    # both branches of the rule are exercised, in more than one result type
    expect_gt(length(unique(all_p$result[all_p$value < 0.001])), 1L)
    expect_gt(length(unique(all_p$result[all_p$value >= 0.001])), 2L)
  }
  # cor_matrix's publication tables print no p; its Correlations table does,
  # and under both number styles the same way as a crosstab
  cm <- res$cor_output
  expect_identical(printed_p(cm, "apa", layout = "output")$shown,
                   ref_p(printed_p(cm, "apa", layout = "output")$value, "apa"))
})

test_that("footnote markers are superscripts in HTML and Word, in headers and cells", {
  skip_if_not_installed("xml2")
  ct <- crosstab(mtcars, am, vs)
  doc <- xml2::read_html(zhetysu:::zh_html(ct))
  sup <- xml2::xml_text(xml2::xml_find_all(doc, "//sup"))
  expect_true(length(sup) > 0)
  expect_true(all(grepl("^([a-z]+|[*]+)(,[a-z]+)*$", sup)))
  # header: "Asymp. Std. Error" carries note a as a superscript
  th <- xml2::xml_find_all(doc, "//th[sup]")
  expect_true(any(grepl("^Asymp. Std. Error", xml2::xml_text(th))))
  # cells: the Pearson chi-square value carries its note as a superscript,
  # and no letter is left outside <sup>
  td <- xml2::xml_find_all(doc, "//td[@data-value]")
  own <- vapply(td, function(n) paste(xml2::xml_text(xml2::xml_find_all(n, "text()")),
                                      collapse = ""), "")
  expect_false(any(grepl("[a-z]$", own)))
  expect_true(any(xml2::xml_length(td) > 0))
  head_own <- vapply(xml2::xml_find_all(doc, "//thead/tr/th"), function(n) {
    paste(xml2::xml_text(xml2::xml_find_all(n, "text()")), collapse = "")
  }, "")
  expect_false(any(grepl("Error[a-z]$|T[a-z]$", head_own)))
  # correlation stars are the note symbols, superscript too
  hc <- xml2::read_html(zhetysu:::zh_html(cor_matrix(mtcars, c(mpg, wt))))
  expect_true("**" %in% xml2::xml_text(xml2::xml_find_all(hc, "//td/sup")))
  skip_if_not_installed("officer")
  skip_if_not_installed("flextable")
  f <- tempfile(fileext = ".docx")
  on.exit(unlink(f), add = TRUE)
  export_docx(ct, path = f)
  x <- xml2::read_xml(unz(f, "word/document.xml"))
  runs <- xml2::xml_find_all(x, "//w:r[w:rPr/w:vertAlign[@w:val='superscript']]")
  txt <- xml2::xml_text(runs)
  expect_true(all(c("a", "b", "c", "d") %in% txt))
  expect_true(all(grepl("^([a-z]+|[*]+)(,[a-z]+)*$", txt)))
})

test_that("check_reported: fits the width; its HTML is snapshotted and parses back", {
  skip_if_not_installed("xml2")
  rep <- check_reported(data.frame(test = c("chisq", "r", "t"), statistic = c("22.14", ".013", "2.10"),
                                   df = c(4, NA, 30), n = c(NA, 787, NA),
                                   p_reported = c("<0.001", ".707", ".04")))
  for (w in c(60L, 80L, 120L)) {
    expect_lte(max(nchar(format(rep, width = w), type = "width")), w, label = paste("width", w))
  }
  h <- zhetysu:::zh_html(rep, css = FALSE)
  expect_snapshot(cat(h), transform = snap_html_values)
  hc <- html_cells(h)
  for (v in c("p_computed", "p_lower", "p_upper")) {
    expect_true(all(signif(rep[[v]][!is.na(rep[[v]])], 12) %in% signif(hc$value, 12)), label = v)
  }
  expect_true(all(rep$df[!is.na(rep$df)] %in% hc$value))
})

test_that("labelled data, layers and describe/means fit the width; console snapshots at 80", {
  skip_if(nzchar(Sys.getenv("ZHETYSU_SANITIZE")))
  # the codebook's questions as variable labels (long titles and headers)
  dl <- d
  cb <- repatriates_codebook
  for (v in names(dl)) attr(dl[[v]], "label") <- cb$question[match(v, cb$variable)]
  res <- list()
  for (f in factors) {
    ct <- crosstab(dl, f, "belonging")
    res[[paste0("crosstab_", f)]] <- ct
    res[[paste0("summary_", f)]] <- summary(ct)
    res[[paste0("freq_", f)]] <- freq_table(dl, f)
  }
  res$layers <- crosstab(d, gender, belonging, layer = legal_status)
  res$layers_labelled <- crosstab(dl, education, belonging, layer = legal_status)
  res$profile <- profile_table(dl, tidyselect::all_of(factors))
  res$association <- association_table(dl, belonging, tidyselect::all_of(factors))
  res$describe <- describe(dl, tidyselect::all_of(items))
  res$means <- means_table(dl, belonging, tidyselect::all_of(factors))
  for (w in c(60L, 80L, 120L)) {
    for (nm in names(res)) {
      l <- format(res[[nm]], width = w)
      expect_lte(max(nchar(l, type = "width")), w, label = paste(nm, "at", w))
    }
  }
  expect_snapshot(print(describe(d, c(belonging, friends, norms)), width = 80))
  expect_snapshot(print(means_table(d, belonging, legal_status), width = 80))
  expect_snapshot(print(crosstab(dl, legal_status, belonging), width = 80))
})

test_that("knit_print renders every result type as HTML tables in an HTML document", {
  skip_if_not_installed("knitr")
  skip_if_not_installed("xml2")
  old <- knitr::opts_knit$get("rmarkdown.pandoc.to")
  knitr::opts_knit$set(rmarkdown.pandoc.to = "html")
  on.exit(knitr::opts_knit$set(rmarkdown.pandoc.to = old), add = TRUE)
  rep <- check_reported(data.frame(test = "chisq", statistic = "22.14", df = 4, n = NA,
                                   p_reported = "<0.001"))
  res <- list(crosstab(d, legal_status, belonging), summary(crosstab(d, gender, belonging)),
              crosstab(d, gender, belonging, layer = legal_status),
              cor_matrix(d, c(belonging, friends)), freq_table(d, residence),
              profile_table(d, gender), association_table(d, belonging, gender),
              describe(d, c(belonging, friends)), means_table(d, belonging, gender), rep)
  for (x in res) {
    out <- knitr::knit_print(x)
    expect_s3_class(out, "knit_asis")
    out <- paste(as.vector(unclass(out)), collapse = "\n")
    # a raw HTML block: pandoc passes it through instead of reading Markdown
    expect_match(out, "^\\s*```\\{=html\\}")
    html <- sub("```\\s*$", "", sub("^\\s*```\\{=html\\}", "", out))
    doc <- xml2::read_html(html)
    n_tab <- length(xml2::xml_find_all(doc, "//table[@class='zh-table']"))
    expect_identical(n_tab, length(zhetysu:::zh_tables(x)), label = class(x)[1])
    expect_length(xml2::xml_find_all(doc, "//pre"), 0)
  }
})

test_that("variable labels title and head every result; labels = FALSE shows the names", {
  d <- mtcars
  attr(d$am, "label") <- "Transmission type"
  attr(d$cyl, "label") <- "Number of cylinders"
  attr(d$vs, "label") <- "Engine shape"
  attr(d$mpg, "label") <- "Miles per gallon"
  attr(d$wt, "label") <- "Weight in 1000 lbs"
  old <- options(width = 80)
  on.exit(options(old))
  has <- function(lines, s) any(grepl(s, lines, fixed = TRUE))
  pr <- profile_table(d, c(cyl, vs), by = am)
  out <- format(pr)
  expect_true(has(out, "Profile of the sample by Transmission type"))
  expect_true(has(out, "Number of cylinders") && has(out, "Engine shape"))
  out0 <- format(pr, labels = FALSE)
  expect_false(has(out0, "Number of cylinders") || has(out0, "Transmission type"))
  expect_true(has(out0, "Profile of the sample by am"))
  as <- association_table(d, am, c(cyl, vs, gear))
  out <- format(as)
  expect_true(has(out, "Association with Transmission type"))
  # gear has no label: its name
  expect_true(has(out, "Number of cylinders") && has(out, "Engine shape") && has(out, "gear"))
  expect_false(has(format(as, labels = FALSE), "Number of cylinders"))
  withr_opt <- options(zhetysu.labels = FALSE)
  expect_false(has(format(as), "Transmission type"))
  options(withr_opt)
  # the SPSS Correlations layout: labels as the crosstab's title shows them
  cm <- cor_matrix(d, c(mpg, wt))
  out <- format(cm)
  expect_true(has(out, "Miles per gallon") && has(out, "Weight in 1000 lbs"))
  expect_false(has(format(cm, labels = FALSE), "Miles per gallon"))
  expect_true(has(format(crosstab(d, am, vs)), "Transmission type * Engine shape Crosstabulation"))
  for (o in list(format(pr), format(as), format(cm))) expect_lte(max(nchar(o)), 80)
})
