# Every target of the synthetic `repatriates` data, checked against the
# published tables with base R only (table(), chisq.test(), cor()).

published <- function(name) {
  path <- system.file("extdata", paste0(name, ".csv"), package = "zhetysu")
  if (!nzchar(path)) stop("published table ", name, ".csv is not installed")
  utils::read.csv(path, stringsAsFactors = FALSE, colClasses = "character",
                  check.names = FALSE)
}
rp <- zhetysu::repatriates
demog <- c(gender = "gender", age_group = "age", residence = "residence",
           marital_status = "marital", children = "children", education = "education",
           employment = "employment", material = "material", country = "country")
items <- c("belonging", "friends", "norms", "leisure", "events", "ngo", "services", "admin",
           "discrimination", "identity")
group_means <- function(x) tapply(rp$belonging, x, mean)

test_that("repatriates has the documented shape and types", {
  expect_s3_class(rp, "data.frame")
  expect_identical(nrow(rp), 787L)
  expect_identical(names(rp), c("id", names(demog), items, "legal_status"))
  expect_identical(rp$id, 1:787)
  for (v in names(demog)) expect_true(is.factor(rp[[v]]), info = v)
  expect_identical(vapply(rp[names(demog)], is.ordered, logical(1)),
                   c(gender = FALSE, age_group = TRUE, residence = FALSE,
                     marital_status = FALSE, children = TRUE, education = TRUE,
                     employment = FALSE, material = FALSE, country = FALSE))
  for (v in items) {
    expect_true(is.integer(rp[[v]]), info = v)
    expect_false(anyNA(rp[[v]]), info = v)
  }
  expect_true(is.ordered(rp$legal_status))
  expect_identical(levels(rp$legal_status), c("Citizen of Kazakhstan",
                   "Permanent residence permit", "Temporary residence permit"))
  expect_identical(levels(rp$age_group), c("18-24", "25-34", "35-44", "45-54", "55-64", "65+"))
  expect_identical(range(rp$belonging), c(1L, 5L))
  expect_identical(range(rp$friends), c(0L, 3L))
  all_text <- unlist(lapply(rp, function(x) if (is.factor(x)) levels(x)))
  expect_true(all(!grepl("[^ -~]", all_text)))
})

test_that("Table 1: every marginal count is exact", {
  t1 <- published("table1")
  for (v in names(demog)) {
    d <- t1[t1$variable == demog[[v]], ]
    expect_setequal(levels(rp[[v]]), d$category)
    expect_identical(as.vector(table(rp[[v]])[d$category]), as.integer(d$n), info = v)
  }
})

test_that("profile_table() with default arguments prints every percentage of Table 1", {
  t1 <- published("table1")
  pt <- profile_table(rp, tidyselect::all_of(names(demog)))
  for (v in names(demog)) {
    d <- t1[t1$variable == demog[[v]] & nzchar(t1$percent), ]
    got <- pt$percent[pt$variable == v][match(d$category, pt$category[pt$variable == v])]
    # the paper's percentages, as printed (one decimal), against n / 787 by hand
    expect_identical(sprintf("%.1f", got), sprintf("%.1f", as.numeric(d$percent)), info = v)
    expect_equal(got, floor(1000 * as.numeric(d$n) / 787 + 0.5) / 10, info = v)
  }
  expect_identical(sum(nzchar(t1$percent)), nrow(t1) - 2L)
})

test_that("Table 2: chi-squares against belonging within 1%", {
  t2 <- published("table2")
  for (v in names(demog)) {
    target <- as.numeric(t2$statistic[t2$factor == demog[[v]]])
    x2 <- suppressWarnings(chisq.test(table(rp[[v]], rp$belonging), correct = FALSE))$statistic
    expect_lt(abs(unname(x2) / target - 1), 0.01)
  }
})

test_that("Table 3: all 45 correlations within .005, every significance mark as published", {
  t3 <- published("table3")
  stars <- published("table3_stars")
  expect_identical(t3$item, items)
  r <- cor(rp[items])
  n <- nrow(rp)
  checked <- 0
  for (i in 2:10) for (j in 1:(i - 1)) {
    a <- items[i]
    b <- items[j]
    target <- as.numeric(t3[[b]][t3$item == a])
    expect_lt(abs(r[a, b] - target), 0.005)
    t <- r[a, b] * sqrt((n - 2) / (1 - r[a, b]^2))
    p <- 2 * pt(-abs(t), n - 2)
    mark <- if (p < .01) "**" else if (p < .05) "*" else ""
    expect_identical(mark, stars[[b]][stars$item == a], info = paste(a, b))
    checked <- checked + 1
  }
  expect_identical(checked, 45)
})

test_that("legal status: Pearson, likelihood ratio, linear-by-linear and mean ordering", {
  pub <- published("legal_status")
  tab <- table(rp$legal_status, rp$belonging)
  x2 <- suppressWarnings(chisq.test(tab, correct = FALSE))
  expect_identical(unname(x2$parameter), 8L)
  expect_lt(abs(unname(x2$statistic) / 35.48 - 1), 0.01)
  expect_lt(abs(unname(x2$statistic) /
                  as.numeric(pub$statistic[pub$test == "Pearson Chi-Square"]) - 1), 0.01)
  e <- x2$expected
  g2 <- 2 * sum(ifelse(tab > 0, tab * log(tab / e), 0))
  expect_lt(abs(g2 / 43.848 - 1), 0.01)
  r <- cor(as.integer(rp$legal_status), rp$belonging)
  m2 <- (nrow(rp) - 1) * r^2
  expect_lt(abs(pchisq(m2, 1, lower.tail = FALSE) - 0.055), 0.003)
  m <- group_means(rp$legal_status)
  expect_gt(m[["Citizen of Kazakhstan"]], m[["Permanent residence permit"]])
  expect_gt(m[["Permanent residence permit"]], m[["Temporary residence permit"]])
})

test_that("the directions the paper reports hold", {
  m <- group_means(rp$age_group)
  expect_true(all(diff(m) < 0))
  m <- group_means(rp$residence)
  lev <- levels(rp$residence)
  urban <- grep("(urban -", lev, fixed = TRUE, value = TRUE)
  semi <- grep("semi-urban", lev, value = TRUE)
  rural <- grep("(rural)", lev, fixed = TRUE, value = TRUE)
  expect_identical(c(length(urban), length(semi), length(rural)), c(2L, 4L, 4L))
  expect_gt(min(m[urban]), max(m[semi]))
  expect_gt(min(m[semi]), max(m[rural]))
  m <- group_means(rp$country)
  expect_gt(min(m[c("China (PRC)", "Mongolia")]), max(m[c("Uzbekistan", "Russia")]))
  m <- group_means(rp$marital_status)
  expect_identical(names(which.max(m)), "Married")
  m <- group_means(rp$children)
  expect_true(all(diff(m) > 0))
  m <- group_means(rp$employment)
  top <- c("Employee in the public sector", "Student")
  expect_gt(min(m[top]), max(m[setdiff(names(m), top)]))
})

test_that("joint demographics are plausible", {
  n <- function(...) sum(Reduce(`&`, list(...)))
  age <- rp$age_group
  emp <- rp$employment
  mar <- rp$marital_status
  kids <- rp$children
  pens <- emp == "Pensioner"
  expect_identical(n(pens, age < "45-54"), 0L)
  expect_gte(n(pens, age >= "55-64") / sum(pens), 0.9)
  stud <- emp == "Student"
  expect_gte(n(stud, age <= "25-34") / sum(stud), 0.75)
  expect_identical(n(stud, age >= "55-64"), 0L)
  expect_identical(n(stud, mar == "Widowed"), 0L)
  wid <- mar == "Widowed"
  expect_identical(n(wid, age == "18-24"), 0L)
  expect_gte(n(wid, age >= "45-54") / sum(wid), 0.8)
  young <- age == "18-24"
  expect_gte(n(young, mar == "Single (never married)") / sum(young), 0.8)
  expect_gte(n(young, kids == "No children") / sum(young), 0.8)
  expect_lte(n(young, kids >= "3-4 children"), 2L)
  single <- mar == "Single (never married)"
  expect_gte(n(single, kids == "No children") / sum(single), 0.7)
  expect_lte(n(mar == "Married", kids == "No children"), 40L)
  expect_lte(n(rp$gender == "Male", emp == "Homemaker"), 6L)
  # no group's distribution of belonging dips below 60% of its neighbours' mean
  for (v in c(names(demog), "legal_status")) {
    tab <- unclass(table(rp[[v]], rp$belonging))
    for (k in 2:4) {
      expect_true(all(tab[, k] >= 0.3 * (tab[, k - 1] + tab[, k + 1]) - 1), info = v)
    }
  }
})

test_that("the codebook describes every column and code", {
  cb <- zhetysu::repatriates_codebook
  expect_setequal(unique(cb$variable), names(rp))
  for (v in setdiff(names(rp), "id")) {
    d <- cb[cb$variable == v, ]
    x <- rp[[v]]
    if (is.factor(x)) {
      expect_identical(d$label, levels(x), info = v)
      expect_identical(d$n, as.vector(table(x)), info = v)
    } else {
      expect_identical(d$code, sort(unique(x)), info = v)
      expect_identical(d$n, as.vector(table(x)), info = v)
    }
  }
})
