# ---- freq_table against GNU PSPP FREQUENCIES ------------------------------

# The frequency tables of a PSPP CSV output file, in order: each a data
# frame of the cells as printed.
read_pspp_freq <- function(path) {
  lines <- readLines(path)
  starts <- grep("^Table: ", lines)
  tabs <- lapply(seq_along(starts), function(k) {
    end <- if (k < length(starts)) starts[k + 1] - 1 else length(lines)
    body <- lines[(starts[k] + 1):end]
    body <- body[nzchar(body)]
    utils::read.csv(text = body, header = TRUE, colClasses = "character",
                    check.names = FALSE)
  })
  Filter(function(t) "Frequency" %in% names(t), tabs)
}

expect_matches_pspp <- function(ft, ref) {
  ft <- as.data.frame(ft)
  expect_equal(nrow(ft), nrow(ref))
  kind <- ifelse(ref[[1]] == "", NA, ref[[1]])
  for (i in seq_along(kind)) if (is.na(kind[i])) kind[i] <- kind[i - 1]
  valid <- kind == "Valid"
  expect_identical(ft$value[valid], ref[[2]][valid])
  expect_identical(ft$value[!valid], kind[!valid])
  expect_identical(ft$n, as.numeric(ref$Frequency))
  pct <- function(v) ifelse(is.na(v), "", paste0(sprintf("%.1f", v), "%"))
  expect_identical(pct(ft$percent), ref$Percent)
  expect_identical(pct(ft$valid_percent[valid]), ref[["Valid Percent"]][valid])
  expect_identical(pct(ft$cumulative_percent), ref[["Cumulative Percent"]])
}

test_that("freq_table() agrees with GNU PSPP FREQUENCIES", {
  skip_if_not_installed("haven")
  d <- utils::read.csv(test_path("fixtures", "freq-pspp-data.csv"), na.strings = "")
  d$x <- haven::labelled(d$x, c(one = 1, two = 2, three = 3))
  ref <- read_pspp_freq(test_path("fixtures", "freq-pspp.csv"))
  expect_length(ref, 9)
  expect_matches_pspp(freq_table(d, x), ref[[1]])
  expect_matches_pspp(freq_table(d, s), ref[[2]])
  expect_matches_pspp(freq_table(d, x, sort = "descending"), ref[[3]])
  expect_matches_pspp(freq_table(d, s, sort = "descending"), ref[[4]])
  expect_matches_pspp(freq_table(d, x, weights = w), ref[[5]])
  expect_matches_pspp(freq_table(d, "s", weights = "w"), ref[[6]])
  expect_matches_pspp(freq_table(d, x, weights = w, sort = "ascending"), ref[[7]])
  # m has only missing values: PSPP prints the Missing and Total rows without
  # the valid and cumulative percent columns
  d$m <- as.numeric(d$m)
  for (k in 8:9) {
    ft <- as.data.frame(if (k == 8) freq_table(d, m, weights = w) else freq_table(d, m))
    expect_identical(ft$value, ref[[k]][[1]])
    expect_identical(ft$n, as.numeric(ref[[k]]$Frequency))
    expect_identical(ft$percent[1], as.numeric(sub("%", "", ref[[k]]$Percent[1])))
    # PSPP prints the Total row's percent as .0%; SPSS prints 100.0, as here
    expect_identical(ft$percent[2], 100)
    expect_identical(ft$valid_percent, c(NA_real_, NA_real_))
    expect_identical(ft$cumulative_percent, c(NA_real_, NA_real_))
  }
})

test_that("freq_table() counts and percentages equal base R", {
  d <- data.frame(g = factor(c("b", "a", "c", "a", NA, "a", "b"), levels = c("c", "b", "a")),
                  w = c(1.5, 2, 0.25, 1, 3, 0.5, 1))
  ft <- freq_table(d, g)
  tab <- table(d$g)
  expect_identical(ft$value, c(names(tab), "Missing", "Total"))
  expect_equal(ft$n, c(as.vector(tab), 1, 7))
  expect_equal(ft$percent, 100 * c(as.vector(tab), 1, 7) / 7)
  expect_equal(ft$valid_percent[1:3], as.vector(100 * prop.table(tab)))
  expect_equal(ft$cumulative_percent[1:3], cumsum(as.vector(100 * prop.table(tab))))
  fw <- freq_table(d, g, weights = w)
  xt <- xtabs(w ~ g, d)
  expect_equal(fw$n, c(as.vector(xt), 3, sum(d$w)))
  expect_equal(fw$valid_percent[1:3], as.vector(100 * xt / sum(xt)))
  # no missing values: no Missing row, and the Total row has valid percent 100
  ft2 <- freq_table(mtcars, "gear")
  expect_identical(ft2$value, c("3", "4", "5", "Total"))
  expect_equal(ft2$valid_percent[4], 100)
})

test_that("freq_table() prints like SPSS, formats for kable, tidies", {
  d <- data.frame(x = c("a", "b", "b", NA, "c", "b"), w = c(1, 2, 0.5, 1, 1, 1))
  expect_snapshot({
    freq_table(d, x)
    print(freq_table(d, x, weights = w, sort = "descending"), style = "apa",
          decimal_mark = ",")
    format(freq_table(d, x))
  })
  expect_s3_class(tidy(freq_table(d, x)), "data.frame")
  expect_identical(class(as.data.frame(freq_table(d, x))), "data.frame")
  expect_true(grepl("<th>Valid Percent</th>", zhetysu:::zh_html(freq_table(d, x)), fixed = TRUE))
})

test_that("freq_table() rejects bad input, naming the argument", {
  d <- data.frame(x = 1:3, w = c(1, -1, 1))
  d$l <- list(1, 2, 3)
  expect_snapshot(error = TRUE, freq_table(d, y))
  expect_snapshot(error = TRUE, freq_table(d, l))
  expect_snapshot(error = TRUE, freq_table(d[0, ], x))
  expect_snapshot(error = TRUE, freq_table(d, x, weights = w))
  expect_snapshot(error = TRUE, freq_table(d, x, sort = "up"))
  expect_snapshot(error = TRUE, freq_table(list(x = 1), x))
})

test_that("NaN and user-missing values count as missing; the rows add up to the cases", {
  d <- data.frame(x = c(1, NaN, 2, NA, 2, 1, 2))
  ft <- freq_table(d, x)
  expect_identical(ft$value, c("1", "2", "Missing", "Total"))
  expect_equal(ft$n, c(2, 3, 2, 7))
  expect_equal(sum(ft$n[ft$value != "Total"]), nrow(d))
  expect_equal(ft$valid_percent[1:2], 100 * c(2, 3) / 5)
  skip_if_not_installed("haven")
  s <- haven::labelled_spss(c(1, 9, 2, 9, NA, 1), labels = c(yes = 1, no = 2, refused = 9),
                            na_values = 9)
  fs <- freq_table(data.frame(s = s), s)
  # SPSS's Missing block: the user-missing code, System, the missing total
  expect_identical(fs$value, c("yes", "no", "refused", "System", "Missing", "Total"))
  expect_equal(fs$n, c(2, 1, 2, 1, 3, 6))
})

test_that("freq_table()'s Missing rows equal PSPP FREQUENCIES on a .sav with user-missing codes", {
  skip_if_not_installed("haven")
  # fixtures/make-pspp-freq-missing.sh: haven::write_sav() and PSPP 1.6.2
  d <- haven::read_sav(test_path("fixtures", "freq-missing.sav"), user_na = TRUE)
  lines <- readLines(test_path("fixtures", "freq-missing.csv"), encoding = "UTF-8")
  pspp_block <- function(title) {
    at <- match(paste("Table:", title), lines)
    blank <- which(!nzchar(lines[-(1:at)]))
    end <- if (length(blank)) at + blank[1] - 1 else length(lines)
    utils::read.csv(text = lines[(at + 1):end], header = TRUE, colClasses = "character",
                    check.names = FALSE)
  }
  num <- function(x) as.numeric(sub("%$", "", x))
  for (v in c("opinion", "scale")) {
    ps <- pspp_block(if (v == "opinion") "Opinion" else v)
    names(ps)[1:2] <- c("block", "label")
    ps$block <- ifelse(nzchar(ps$block), ps$block, NA)
    for (k in seq_len(nrow(ps))[-1]) if (is.na(ps$block[k])) ps$block[k] <- ps$block[k - 1]
    ft <- freq_table(d, v, weights = w)
    miss <- ps[ps$block == "Missing", ]
    # PSPP labels system-missing "."; SPSS (and freq_table) "System"
    miss$label[trimws(miss$label) == "."] <- "System"
    user <- setdiff(miss$label, "System")
    rows <- ft[match(miss$label, ft$value), ]
    expect_false(anyNA(rows$n), label = paste(v, "every PSPP Missing row"))
    expect_equal(rows$n, num(miss$Frequency), tolerance = 1e-8)
    expect_equal(rows$percent, num(miss$Percent), tolerance = 0.05 + 1e-9)
    # then the missing total and the grand total
    expect_equal(ft$n[ft$value == "Missing"], sum(num(miss$Frequency)), tolerance = 1e-8)
    expect_equal(ft$n[ft$value == "Total"], num(ps$Frequency[ps$block == "Total"]),
                 tolerance = 1e-8)
    # SPSS's order: the user-missing codes, System, the missing total, Total
    expect_identical(tail(ft$value, length(miss$label) + 2L),
                     c(user, if ("System" %in% miss$label) "System", "Missing", "Total"))
    valid <- ps[ps$block == "Valid", ]
    expect_equal(ft$n[seq_len(nrow(valid))], num(valid$Frequency), tolerance = 1e-8)
  }
  # the same counts in profile_table() and in the crosstab's Case Processing Summary
  ft <- freq_table(d, opinion, weights = w)
  pt <- profile_table(d, opinion, weights = w)
  expect_equal(pt$n[pt$category == "Missing"], ft$n[ft$value == "Missing"])
  d$g <- rep(1:2, length.out = nrow(d))
  ct <- crosstab(d, opinion, g, weights = w, count = "asis")
  expect_equal(ct$case_processing$n[2], ft$n[ft$value == "Missing"])
})

test_that("freq_table() of a variable without valid values has only Missing and Total", {
  d <- data.frame(x = c(NA, NaN, NA), l = NA, f = factor(c(NA, NA, NA), levels = c("a", "b")),
                  s = NA_character_, y = c(1, NA, 2), w = c(0.5, NA, 2), z = c(0, 1, 0))
  only_missing <- function(ft, n) {
    expect_s3_class(ft, "zh_freq")
    expect_identical(ft$value, c("Missing", "Total"))
    expect_equal(ft$n, c(n, n))
    expect_equal(ft$percent, c(100, 100))
    expect_identical(ft$valid_percent, c(NA_real_, NA_real_))
    expect_identical(ft$cumulative_percent, c(NA_real_, NA_real_))
    expect_identical(attr(ft, "n_missing"), n)
  }
  for (v in c("x", "l", "f", "s")) only_missing(freq_table(d, v), 3)
  only_missing(freq_table(d, x, sort = "descending"), 3)
  # weighted: the case with a missing weight is left out
  only_missing(freq_table(d, x, weights = w), 2.5)
  # valid values only on cases of zero weight: nothing valid is counted
  only_missing(freq_table(d, y, weights = z), 1)
  expect_snapshot({
    freq_table(d, x)
    print(freq_table(d, f, weights = w), style = "apa")
  })
  skip_if_not_installed("haven")
  d$u <- haven::labelled_spss(c(9, 9, NA), labels = c(yes = 1, refused = 9), na_values = 9)
  # with user-missing codes, SPSS's Missing block: each code, System, the total
  fu <- freq_table(d, u)
  expect_identical(fu$value, c("refused", "System", "Missing", "Total"))
  expect_equal(fu$n, c(2, 1, 3, 3))
  expect_equal(fu$percent, 100 * c(2, 1, 3, 3) / 3)
  expect_true(all(is.na(fu$valid_percent)))
})

test_that("no case of positive weight, and all-missing columns in profiles, stop", {
  d <- data.frame(x = c(NA, NaN, NA), f = factor(c(NA, NA, NA), levels = c("a", "b")),
                  y = 1:3, w = c(0, 0, 0), v = NA_real_)
  expect_snapshot(error = TRUE, freq_table(d, y, weights = w))
  expect_snapshot(error = TRUE, freq_table(d, x, weights = v))
  expect_snapshot(error = TRUE, profile_table(d, c(y, x)))
  expect_snapshot(error = TRUE, profile_table(d, y, by = f))
  expect_snapshot(error = TRUE, profile_table(d, y, weights = w))
})

# ---- profile_table and the paper's Table 1 ---------------------------------

paper_table1 <- function() {
  utils::read.csv(test_path("fixtures", "paper-table1.csv"), fileEncoding = "UTF-8",
                  stringsAsFactors = FALSE)
}

# Individual respondents rebuilt from the published counts: each variable a
# factor with the categories in the published order.
paper_respondents <- function(t1) {
  vars <- unique(t1$variable)
  cols <- lapply(vars, function(v) {
    s <- t1[t1$variable == v, ]
    factor(rep(s$category, s$n), levels = s$category)
  })
  stats::setNames(as.data.frame(cols, stringsAsFactors = FALSE), vars)
}

test_that("profile_table() reproduces every N and % of the paper's Table 1", {
  t1 <- paper_table1()
  d <- paper_respondents(t1)
  expect_equal(nrow(d), 787)
  # the paper rounds each percentage on its own, as SPSS does: the default
  pt <- profile_table(d, names(d))
  expect_identical(pt$variable, t1$variable)
  expect_identical(pt$category, t1$category)
  expect_identical(pt$n, as.numeric(t1$n))
  printed <- !is.na(t1$percent)
  expect_identical(sum(printed), nrow(t1) - 2L)
  expect_equal(pt$percent[printed], t1$percent[printed], tolerance = 1e-12)
  # the two percentages the paper leaves out: 100 minus the printed others
  for (k in which(!printed)) {
    others <- t1$variable == t1$variable[k] & seq_len(nrow(t1)) != k
    expect_equal(pt$percent[k], 100 - sum(t1$percent[others]), tolerance = 1e-9)
  }
})

test_that("largest-remainder percentages add up to 100 and match the paper where it does", {
  t1 <- paper_table1()
  d <- paper_respondents(t1)
  pt <- profile_table(d, tidyselect::everything(), rounding = "largest_remainder")
  sums <- tapply(pt$percent, pt$variable, sum)
  expect_equal(as.vector(sums), rep(100, length(sums)), tolerance = 1e-9)
  # where the published column (missing ones filled as 100 - others) adds up
  # to 100.0 it must be reproduced; elsewhere it cannot be
  filled <- t1$percent
  for (k in which(is.na(filled))) {
    filled[k] <- 100 - sum(filled[t1$variable == t1$variable[k]], na.rm = TRUE)
  }
  pub_sum <- tapply(filled, t1$variable, sum)
  adds_up <- names(pub_sum)[abs(pub_sum - 100) < 1e-9]
  expect_setequal(setdiff(names(pub_sum), adds_up), c("education", "employment", "material"))
  rows <- t1$variable %in% adds_up
  expect_equal(pt$percent[rows], filled[rows], tolerance = 1e-9)
  # Hamilton's method by hand on education (91, 169, 426, 84, 17 of 787):
  # floors 11.5 21.4 54.1 10.6 2.1 leave 0.3 for the largest remainders
  expect_equal(pt$percent[pt$variable == "education"], c(11.6, 21.5, 54.1, 10.7, 2.1))
})

test_that("profile_table() by group: counts, group percentages and crosstab() p", {
  d <- data.frame(
    sex = factor(c("m", "f", "f", "m", "f", "f", "m", "f", NA, "m", "f", "f")),
    age = c(1, 2, 3, 1, 2, NA, 3, 3, 2, 1, 1, 2),
    grp = c("A", "B", "A", "B", "A", "B", "A", NA, "B", "A", "B", "B"),
    w = c(1, 1.5, 2, 0.5, 1, 1, 2.25, 1, 1, 0.75, 1, 1))
  pt <- profile_table(d, c(sex, age), by = grp)
  expect_named(pt, c("variable", "category", "n", "percent", "n_A", "percent_A", "n_B",
                     "percent_B", "p_value", "type"))
  tab <- table(d$sex, d$grp)
  sex <- pt$variable == "sex" & pt$category != "Missing"
  expect_equal(pt$n_A[sex], as.vector(tab[, "A"]))
  expect_equal(pt$n_B[sex], as.vector(tab[, "B"]))
  expect_equal(pt$n[pt$variable == "sex"], c(as.vector(table(d$sex)), 1))
  expect_equal(pt$n_B[pt$variable == "sex" & pt$category == "Missing"], 1)
  expect_equal(sum(pt$percent_A[sex]), 100)
  expect_identical(pt$p_value[sex][1], crosstab(d, sex, grp)$tests$p_value[1])
  age <- pt$variable == "age"
  expect_identical(unique(pt$p_value[age]), crosstab(d, age, grp)$tests$p_value[1])
  pw <- profile_table(d, c(sex, age), by = grp, weights = w)
  expect_identical(pw$p_value[pw$variable == "age"][1],
                   crosstab(d, age, grp, weights = w)$tests$p_value[1])
  expect_equal(pw$n_A[pw$variable == "sex" & pw$category != "Missing"],
               as.vector(xtabs(w ~ sex + grp, d)[, "A"]))
  expect_snapshot({
    pt
    print(pw, style = "spss", decimal_mark = ",")
  })
})

test_that("profile_table() keeps unused factor levels and shows missing values", {
  d <- data.frame(f = factor(c("a", "a", NA, "b"), levels = c("a", "b", "z")))
  pt <- profile_table(d, f)
  expect_identical(pt$category, c("a", "b", "z", "Missing"))
  expect_identical(pt$n, c(2, 1, 0, 1))
  expect_equal(pt$percent, c(66.7, 33.3, 0, NA))
  expect_snapshot(pt)
})

test_that("profile_table() rejects bad input, naming the argument", {
  d <- data.frame(x = 1:3, y = c("a", "b", "a"), w = c(1, 2, 1))
  d$l <- list(1, 2, 3)
  expect_snapshot(error = TRUE, profile_table(d, c(x, nope)))
  expect_snapshot(error = TRUE, profile_table(d, c(x, l)))
  expect_snapshot(error = TRUE, profile_table(d, c(x, y), by = y))
  expect_snapshot(error = TRUE, profile_table(d, x, by = nope))
  expect_snapshot(error = TRUE, profile_table(d[0, ], x))
  expect_snapshot(error = TRUE, profile_table(d, x, digits = -1))
  expect_snapshot(error = TRUE, profile_table(d, x, rounding = "bankers"))
})

test_that("categories called Missing or Total are told from the summary rows", {
  d <- data.frame(s = c("Total", "Missing", "a", NA, "Total"))
  ft <- freq_table(d, s)
  expect_identical(ft$type, c("category", "category", "category", "missing", "total"))
  expect_identical(ft$value, c("Missing", "Total", "a", "Missing", "Total"))
  # the category rows hold the counts of the strings, the summary rows NA and all
  expect_equal(ft$n[ft$type == "category"], as.vector(table(d$s)))
  expect_equal(ft$n[ft$type == "missing"], sum(is.na(d$s)))
  expect_equal(ft$n[ft$type == "total"], nrow(d))
  expect_snapshot({
    ft
    format(ft)
  })
  pt <- profile_table(d, s)
  expect_identical(pt$type, c("category", "category", "category", "missing"))
  expect_identical(pt$category, c("Missing", "Total", "a", "Missing"))
})

test_that("very many categories give a classed warning naming the variable, in every table", {
  d <- data.frame(x = 1:150, g = rep(1:2, 75), f = factor(rep("a", 150), levels = c("a", 1:500)))
  expect_warning(freq_table(d, x), "`var` column `x` has 150 categories",
                 class = "zhetysu_warning_categories")
  expect_warning(crosstab(d, x, g), "`row` column `x` has 150 categories",
                 class = "zhetysu_warning_categories")
  expect_warning(crosstab(d, g, x), "`col` column `x`", class = "zhetysu_warning_categories")
  expect_warning(profile_table(d, x), "`vars` column `x`", class = "zhetysu_warning_categories")
  expect_warning(profile_table(d, g, by = x), "`by` column `x`",
                 class = "zhetysu_warning_categories")
  expect_warning(association_table(d, g, x), "`factors` column `x`",
                 class = "zhetysu_warning_categories")
  expect_warning(association_table(d, x, g), "`outcome` column `x`",
                 class = "zhetysu_warning_categories")
  # a table handed to crosstab() too
  expect_warning(crosstab(table(x = d$x, g = d$g)), "`data` dimension `x` has 150 categories",
                 class = "zhetysu_warning_categories")
  # the categories shown count: unused factor levels are dropped by crosstab()
  expect_no_warning(crosstab(d, f, g))
  expect_snapshot(freq_table(d, x)$n[1:3])
  # the limit is an option
  with_limit <- function(limit, expr) {
    old <- options(zhetysu.max_categories = limit)
    on.exit(options(old))
    expr
  }
  expect_no_warning(with_limit(150, freq_table(d, x)))
  expect_warning(with_limit(149, freq_table(d, x)), class = "zhetysu_warning_categories")
  expect_no_warning(with_limit(Inf, crosstab(d, x, g)))
  expect_snapshot(error = TRUE, with_limit(0, freq_table(d, g)))
  expect_error(with_limit("many", crosstab(d, g, g)), class = "zhetysu_error_option")
})
