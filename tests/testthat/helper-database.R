# Helpers of the database tests (test-database.R, test-database-moments.R):
# the hostile data, the connections to real engines, the comparison.

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
  if (!nzchar(host)) {
    if (required) stop("ZHETYSU_PG_REQUIRED is set but ZHETYSU_PG_HOST is not")
    skip("no PostgreSQL server: set ZHETYSU_PG_* (make check-postgres)")
  }
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

