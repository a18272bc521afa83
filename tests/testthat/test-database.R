# Lazy tables: every statistic computed from the database's counts and sums
# must equal the in-memory result on the collected data (whose engines are
# checked against PSPP, base R and published values in the other test
# files), on real engines: SQLite always, PostgreSQL when a server is given
# by ZHETYSU_PG_* (make check-postgres, .ci/run starts one).

skip_if_not_installed("DBI")
skip_if_not_installed("dbplyr")
skip_if_not_installed("dplyr")

check_engine <- function(con) {
  d <- db_data()
  t0 <- db_table(con, d, "zh_survey")
  t <- dplyr::filter(t0, keep == 1L)
  t <- dplyr::mutate(t, x2 = x + 2 * z)
  loc <- as.data.frame(dplyr::collect(t))
  expect_false(9L %in% loc$a)  # the filtered-out category is not counted
  expect_type(loc$g, "integer")

  for (count in c("round", "asis", "truncate", "case_round", "case_truncate")) {
    expect_same(crosstab(t, a, b, weights = w, count = count),
                crosstab(loc, a, b, weights = w, count = count))
  }
  expect_same(crosstab(t, "g", a), crosstab(loc, "g", a))
  expect_same(crosstab(t, b, g, weights = "w", fisher = TRUE),
              crosstab(loc, b, g, weights = "w", fisher = TRUE))
  # the cells are the counts of the collected data (base R)
  ct <- crosstab(t, a, b)
  expect_equal(unname(ct$observed), unname(unclass(table(loc$a, loc$b))))
  expect_equal(ct$missing[["cases"]], sum(is.na(loc$a) | is.na(loc$b)))

  # layers: every layer's statistics and the Total layer's, NULL layer keys
  # as missing, layer category 9 of `a` only in the filtered-out rows
  tl <- dplyr::mutate(t, h = ifelse(z > 0, 1L, 0L))
  locl <- as.data.frame(dplyr::collect(tl))
  expect_true(anyNA(locl$h) && anyNA(locl$g))
  for (count in c("round", "asis", "truncate", "case_round", "case_truncate")) {
    expect_same(crosstab(tl, b, g, layer = a, weights = w, count = count),
                crosstab(locl, b, g, layer = a, weights = w, count = count))
  }
  # Fisher's p by Monte Carlo in some layers: the same random tables
  expect_same({set.seed(5); crosstab(tl, a, b, layer = c(h, g), weights = w, fisher = TRUE)},
              {set.seed(5); crosstab(locl, a, b, layer = c(h, g), weights = w, fisher = TRUE)})
  expect_same(crosstab(tl, g, b, layer = c(a, h)), crosstab(locl, g, b, layer = c(a, h)))
  # a layer's order and labels given by the user
  expect_same(crosstab(tl, b, g, layer = a, weights = w, levels = list(a = c(4, 3, 2, 1)),
                       value_labels = list(g = c(low = 2147483600, high = 2147483647))),
              crosstab(transform(locl, a = factor(a, levels = 4:1),
                                 g = haven::labelled(g, c(low = 2147483600L, high = 2147483647L))),
                       b, g, layer = a, weights = w))
  lay <- crosstab(tl, b, g, layer = a, weights = w)
  expect_s3_class(lay, "zh_crosstab_layers")
  expect_identical(lay$layers$a, c("1", "2", "3", "4"))
  # independently: the Total layer's cells and the cases left out (base R)
  lay <- crosstab(tl, a, b, layer = h)
  expect_equal(unname(lay$total$observed),
               unname(unclass(table(locl$a[!is.na(locl$h)], locl$b[!is.na(locl$h)]))))
  expect_equal(lay$missing[["cases"]], sum(is.na(locl$a) | is.na(locl$b) | is.na(locl$h)))
  expect_equal(unname(lay$tables[[2]]$observed),
               unname(unclass(table(locl$a[locl$h %in% 1L], locl$b[locl$h %in% 1L]))))
  # a grouped lazy table is layered by its groups, as a grouped data frame is
  expect_same(crosstab(dplyr::group_by(tl, h, g), a, b, weights = w),
              crosstab(dplyr::group_by(locl, h, g), a, b, weights = w))
  expect_error(crosstab(dplyr::group_by(tl, h), a, b, layer = g), class = "zhetysu_error_input")
  expect_identical(
    tryCatch(crosstab(dplyr::group_by(tl, h), a, b, layer = g), error = conditionMessage),
    tryCatch(crosstab(dplyr::group_by(locl, h), a, b, layer = g), error = conditionMessage))
  expect_error(crosstab(tl, a, b, layer = c(g, a)), class = "zhetysu_error_column")

  for (count in c("round", "case_truncate")) {
    expect_same(association_table(t, a, c(b, g), weights = w, count = count, p_adjust = "holm"),
                association_table(loc, a, c(b, g), weights = w, count = count, p_adjust = "holm"))
  }
  expect_same(association_table(t, b, c(a, g)), association_table(loc, b, c(a, g)))

  expect_same(freq_table(t, b, weights = w), freq_table(loc, b, weights = w))
  expect_same(freq_table(t, g, sort = "descending"), freq_table(loc, g, sort = "descending"))
  # levels and value labels supplied by the user
  expect_same(freq_table(t, a, levels = list(a = c(4, 3, 2, 1))),
              freq_table(transform(loc, a = factor(a, levels = 4:1)), a))
  labs <- c(one = 1, two = 2, three = 3, four = 4)
  expect_same(crosstab(t, a, b, weights = w, value_labels = list(a = labs)),
              crosstab(transform(loc, a = haven::labelled(a, labs)), a, b, weights = w))

  expect_same(profile_table(t, c(a, b), weights = w), profile_table(loc, c(a, b), weights = w))
  expect_same(profile_table(t, c(a, b), by = g, weights = w, digits = 2),
              profile_table(loc, c(a, b), by = g, weights = w, digits = 2))

  for (use in c("pairwise", "listwise")) {
    expect_same(cor_matrix(t, c(x, y, z, x2, g), use = use),
                cor_matrix(loc, c(x, y, z, x2, g), use = use))
    expect_same(cor_matrix(t, c(x, y, z, x2, g), use = use, weights = w, conf_level = 0.95,
                           p_adjust = "holm", tails = 1),
                cor_matrix(loc, c(x, y, z, x2, g), use = use, weights = w, conf_level = 0.95,
                           p_adjust = "holm", tails = 1))
  }
  # r of the offset variables, independently: base R on the complete pairs
  r <- cor_matrix(t, c(x, y))$r[1, 2]
  ok <- !is.na(loc$x) & !is.na(loc$y)
  expect_equal(r, stats::cor(loc$x[ok], loc$y[ok]), tolerance = 1e-12)

  # 0 rows after a filter: the error of an empty data frame
  e <- dplyr::filter(t0, keep == 2L)
  empty <- loc[0, ]
  for (f in list(function(x) crosstab(x, a, b), function(x) crosstab(x, a, b, layer = g),
                 function(x) association_table(x, a, b),
                 function(x) freq_table(x, a), function(x) profile_table(x, a),
                 function(x) cor_matrix(x, c(x, y)))) {
    expect_error(f(e), class = "zhetysu_error_data")
    expect_identical(tryCatch(f(e), error = conditionMessage),
                     tryCatch(f(empty), error = conditionMessage))
  }
}

test_that("SQLite: every statistic equals the in-memory result", {
  con <- sqlite_con()
  on.exit(DBI::dbDisconnect(con))
  check_engine(con)
})

test_that("PostgreSQL: every statistic equals the in-memory result", {
  skip_if_not_installed("haven")
  con <- pg_con()
  on.exit(DBI::dbDisconnect(con))
  check_engine(con)
})

test_that("Pearson in blocks of columns: many variables as in memory", {
  con <- sqlite_con()
  on.exit(DBI::dbDisconnect(con))
  set.seed(3)
  k <- 30
  m <- matrix(stats::rnorm(200 * k), 200, k) + rep(10^(seq_len(k) %% 4 + 5), each = 200)
  m[sample(length(m), 300)] <- NA
  d <- as.data.frame(m)
  t <- db_table(con, d, "wide")
  sql <- cor_matrix(t, dplyr::everything(), show_sql = TRUE)
  expect_length(sql, 1 + 2 * 3)  # the checks, then two for each of blocks 1-1, 1-2, 2-2
  expect_same(cor_matrix(t, dplyr::everything()), cor_matrix(d, dplyr::everything()))
})

# Issue 17: the lazy-table Pearson summed raw squares about each column's
# mean: 1e300s overflowed in SQL, 1e-300s vanished, and a pair whose
# complete cases sit far from the column's mean lost every digit.
check_cor_extreme <- function(con) {
  set.seed(1717)
  n <- 400
  base <- data.frame(x = stats::rnorm(n), y = stats::rnorm(n), z = stats::rexp(n))
  base$y <- base$y + 0.6 * base$x
  base$x[1:20] <- NA
  base$z[c(5, 30:45)] <- NA
  pair_r <- function(d, a, b) {
    ok <- !is.na(d[[a]]) & !is.na(d[[b]])
    stats::cor(d[[a]][ok], d[[b]][ok])
  }
  rel <- function(got, want) expect_lt(abs(got / want - 1), 1e-12)
  collected <- function(t) as.data.frame(dplyr::collect(t))
  for (k in c(300, -300, 0)) {
    d <- base * 10^k
    if (k == 0) d <- transform(d, x = x + 1e9, y = y - 1e9)  # means offset by 1e9
    d$w <- round(stats::runif(n, 0.5, 2), 3)
    t <- db_table(con, d, "extreme")
    r <- cor_matrix(t, c(x, y, z))$r
    # the collected data (a driver may round what it writes); base cor()
    # overflows at 1e300 itself: the reference on the data rescaled (r does
    # not depend on the scale)
    loc <- collected(t)
    for (ab in list(c("x", "y"), c("x", "z"), c("y", "z"))) {
      rel(r[ab[1], ab[2]], pair_r(loc[c("x", "y", "z")] / 10^k, ab[1], ab[2]))
    }
    # weighted: the data frame's engine (itself checked at these scales in
    # test-correlations.R)
    expect_same(cor_matrix(t, c(x, y, z), weights = w)$r,
                cor_matrix(loc, c(x, y, z), weights = w)$r)
  }
  # x's complete cases with y at 1e9 + N(0, 1), its other values near 0:
  # the pair is far from x's mean over all its values
  far <- data.frame(x = c(1e9 + stats::rnorm(100), stats::rnorm(900)),
                    y = c(stats::rnorm(100), rep(NA, 900)))
  far$y[1:100] <- far$y[1:100] + 0.5 * (far$x[1:100] - 1e9)
  t <- db_table(con, far, "far")
  rel(cor_matrix(t, c(x, y))$r[1, 2], pair_r(collected(t), "x", "y"))
  # many NULL patterns (past 64: the patterns near the block's mean share
  # its shift), offsets and scales differing by column
  m <- matrix(stats::rnorm(3000 * 8), 3000, 8)
  m[, 2] <- m[, 2] + m[, 1]
  m <- sweep(m, 2, 10^c(0, 3, -200, 200, 9, 0, 0, 1), "*")
  m[, 5] <- m[, 5] + 1e12
  m[sample(length(m), 4000)] <- NA
  many <- as.data.frame(m)
  t <- db_table(con, many, "patterns")
  r <- cor_matrix(t, dplyr::everything())$r
  many <- collected(t)
  for (a in 1:7) for (b in (a + 1):8) rel(r[a, b], pair_r(many, names(many)[a], names(many)[b]))
  # constant over a pair's complete cases: no variance
  cst <- data.frame(x = c(rep(1e300, 10), 1:5), y = c(stats::rnorm(10), rep(NA, 5)))
  t <- db_table(con, cst, "constant")
  expect_true(is.na(cor_matrix(t, c(x, y))$r[1, 2]))
}

test_that("SQLite: Pearson at 1e300 and 1e-300, means offset by 1e9, pairs far from the column", {
  con <- sqlite_con()
  on.exit(DBI::dbDisconnect(con))
  check_cor_extreme(con)
})

test_that("PostgreSQL: Pearson at 1e300 and 1e-300, means offset by 1e9, pairs far from the column", {
  con <- pg_con()
  on.exit(DBI::dbDisconnect(con))
  check_cor_extreme(con)
})

test_that("weights, limits and arguments are checked on lazy tables", {
  con <- sqlite_con()
  on.exit(DBI::dbDisconnect(con))
  d <- db_data(100)
  d$w[3] <- -1
  t <- db_table(con, d, "bad")
  expect_error(crosstab(t, a, b, weights = w), class = "zhetysu_error_weights")
  expect_identical(tryCatch(crosstab(t, a, b, weights = w), error = conditionMessage),
                   tryCatch(crosstab(d, a, b, weights = w), error = conditionMessage))
  expect_error(cor_matrix(t, c(x, y), weights = w), class = "zhetysu_error_weights")
  # no valid cases: the messages of a data frame (weights all NULL, or all
  # cells rounding to 0), layered or not
  d0 <- transform(d, w = NA_real_)
  d1 <- transform(d, w = 0.004)
  t0 <- db_table(con, d0, "no_w")
  t1 <- db_table(con, d1, "small_w")
  for (l in list(NULL, quote(g))) {
    for (p in list(list(t0, d0), list(t1, d1))) {
      db <- tryCatch(eval(bquote(crosstab(p[[1]], a, b, weights = w, layer = .(l)))),
                     error = identity)
      mem <- tryCatch(eval(bquote(crosstab(p[[2]], a, b, weights = w, layer = .(l)))),
                      error = identity)
      expect_s3_class(db, "zhetysu_error_empty")
      expect_identical(conditionMessage(db), conditionMessage(mem))
    }
  }
  expect_error(crosstab(t, a, x, max_cells = 50), class = "zhetysu_error_size")
  expect_error(cor_matrix(t, c(x, y), method = "kendall"), class = "zhetysu_error_input")
  expect_error(crosstab(t, a, nope), class = "zhetysu_error_column")
  expect_snapshot(error = TRUE, {
    crosstab(t, a, x, max_cells = 50)
    cor_matrix(t, c(x, y), method = "spearman")
    crosstab(t, a, b, levels = list(q = 1))
    crosstab(t, a, b, show_sql = "yes")
  })
  seen <- character()
  crosstab(t, a, b, show_sql = function(s) seen <<- c(seen, s))
  expect_length(seen, 1L)
  expect_match(seen, "GROUP BY")
})

test_that("the SQL sent, in the dialects of Spark SQL, PostgreSQL, SQLite and SQL Server", {
  cons <- list(hive = dbplyr::simulate_hive(), postgres = dbplyr::simulate_postgres(),
               sqlite = dbplyr::simulate_sqlite(), mssql = dbplyr::simulate_mssql())
  for (nm in names(cons)) {
    t <- dbplyr::lazy_frame(a = 1, b = 1, w = 1, x = 1, y = 1, con = cons[[nm]],
                            .name = "survey")
    expect_snapshot(cat(crosstab(t, a, b, weights = w, count = "case_round", show_sql = TRUE)),
                    variant = nm)
    expect_snapshot(cat(cor_matrix(t, c(x, y), weights = w, show_sql = TRUE), sep = "\n\n"),
                    variant = nm)
    # layers: their keys in the GROUP BY, also as the groups of a grouped table
    expect_snapshot(cat(crosstab(t, a, b, layer = c(x, y), weights = w, show_sql = TRUE)),
                    variant = nm)
    expect_snapshot(cat(crosstab(dplyr::group_by(t, x), a, b, show_sql = TRUE)), variant = nm)
  }
})
