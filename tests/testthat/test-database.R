# Lazy tables: every statistic computed from the database's counts and sums
# must equal the in-memory result on the collected data (whose engines are
# checked against PSPP, base R and published values in the other test
# files), on real engines: SQLite always, PostgreSQL when a server is given
# by ZHETYSU_PG_* (make check-postgres, .ci/run starts one).

skip_if_not_installed("DBI")
skip_if_not_installed("dbplyr")
skip_if_not_installed("dplyr")

# Keys, values and weights with NULLs; non-integer weights; means offset by
# 1e6..1e9; integers near 2^31; category 9 of `a` only where keep == 0.
db_data <- function(n = 600, seed = 14) {
  set.seed(seed)
  d <- data.frame(
    a = sample(c(1:4, NA), n, TRUE, prob = c(.3, .3, .2, .15, .05)),
    b = sample(c("x", "y", "z", NA), n, TRUE, prob = c(.4, .3, .25, .05)),
    g = sample(c(2147483600L, 2147483645L, 2147483647L, NA), n, TRUE, prob = c(.4, .4, .15, .05)),
    w = round(stats::runif(n, 0.2, 3), 4),
    x = stats::rnorm(n, 1e9, 3), y = stats::rnorm(n, 1e6, 2), z = stats::rnorm(n),
    keep = 1L)
  d$y <- d$y + 0.5 * (d$x - 1e9)
  d$w[sample(n, 25)] <- NA
  d$x[sample(n, 40)] <- NA
  d$y[sample(n, 15)] <- NA
  d$z[sample(n, 5)] <- NA
  d$a[1:10] <- 9L
  d$keep[1:10] <- 0L
  d
}

pg_con <- function() {
  host <- Sys.getenv("ZHETYSU_PG_HOST")
  required <- identical(Sys.getenv("ZHETYSU_PG_REQUIRED"), "true")
  if (!nzchar(host)) skip("no PostgreSQL server: set ZHETYSU_PG_* (make check-postgres)")
  if (!requireNamespace("RPostgreSQL", quietly = TRUE)) {
    if (required) stop("ZHETYSU_PG_REQUIRED is set but RPostgreSQL is not installed")
    skip("RPostgreSQL is not installed")
  }
  con <- tryCatch(
    DBI::dbConnect(RPostgreSQL::PostgreSQL(), host = host,
                   port = as.integer(Sys.getenv("ZHETYSU_PG_PORT", "5432")),
                   user = Sys.getenv("ZHETYSU_PG_USER", "postgres"),
                   dbname = Sys.getenv("ZHETYSU_PG_DB", "zhetysu")),
    error = function(e) {
      if (required) stop("ZHETYSU_PG_REQUIRED is set but PostgreSQL is unreachable: ",
                         conditionMessage(e))
      skip(paste("PostgreSQL unreachable:", conditionMessage(e)))
    })
  con
}

sqlite_con <- function() {
  skip_if_not_installed("RSQLite")
  DBI::dbConnect(RSQLite::SQLite(), ":memory:")
}

# The table in the database and the data frame it collects to.
db_table <- function(con, d, name) {
  DBI::dbWriteTable(con, name, d, overwrite = TRUE, row.names = FALSE)
  # dbplyr's one-time notice about RPostgreSQL's interface is not ours
  tbl <- suppressWarnings(dplyr::tbl(con, name))
  suppressWarnings(dplyr::collect(utils::head(tbl, 1L)))
  tbl
}

expect_same <- function(db, mem) {
  expect_equal(unclass(db), unclass(mem), tolerance = 1e-12)
}

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
  for (f in list(function(x) crosstab(x, a, b), function(x) association_table(x, a, b),
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
  expect_length(sql, 1 + 3)  # the means, then blocks 1-1, 1-2, 2-2
  expect_same(cor_matrix(t, dplyr::everything()), cor_matrix(d, dplyr::everything()))
})

test_that("Pearson on a lazy table: pairs far from the column mean, 1e300 and 1e-300, constants", {
  con <- sqlite_con()
  on.exit(DBI::dbDisconnect(con))
  set.seed(14)
  # x: 100 cases near 1e9 where y is missing, 50 near 0 with y; k constant
  # (0.3, not a double's exact sum) on the cases with y
  d <- data.frame(x = c(rnorm(100) + 1e9, rnorm(50)), y = c(rep(NA, 100), rnorm(50)),
                  k = c(rnorm(100) * 1e6, rep(0.1 * 3, 50)))
  ok <- 101:150
  cm <- cor_matrix(db_table(con, d, "far"), c(x, y, k))
  expect_equal(cm$r["x", "y"], stats::cor(d$x[ok], d$y[ok]), tolerance = 1e-10)
  expect_true(is.na(cm$reason["x", "y"]))
  expect_match(cm$reason["y", "k"], "constant")
  z <- data.frame(a = rnorm(40), b = rnorm(40))
  z$b <- z$b + z$a
  for (s in c(1e300, 1e-300)) {
    cs <- cor_matrix(db_table(con, z * s, paste0("scaled", s > 1)), c(a, b))
    expect_equal(cs$r[1, 2], stats::cor(z$a, z$b), tolerance = 1e-12)
  }
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
  }
})
