# crosstab() on a lazy table (the counting pushed down to the database)
# against crosstab(collect(tbl)) (every row brought into R first), in one R
# process, on tables of 1e6 and 1e7 rows (6 x 5 categories, NULLs, weights)
# in PostgreSQL and SQLite. Writes seconds, the ratio and R's memory use
# (the increase of gc()'s "max used" over the call, Mb) to
# bench/database.csv.
# Targets: pushdown at least 10x faster than collect() on PostgreSQL at 1e7
# rows, and its R memory the same at 1e6 and 1e7 rows.
# PostgreSQL: a server given by ZHETYSU_PG_* (tools/postgres.sh start, as in
# make check-postgres); without one only SQLite is measured.
# Run from the package root with the package installed:
#   Rscript bench/bench-database.R
suppressPackageStartupMessages({
  library(zhetysu)
  library(DBI)
})
sizes <- c(1e6, 1e7)
reps <- as.integer(Sys.getenv("ZH_BENCH_REPS", "3"))
# ZH_BENCH_ENGINES=postgres measures one engine and keeps the other's rows
engines <- strsplit(Sys.getenv("ZH_BENCH_ENGINES", "sqlite,postgres"), ",")[[1]]

# the table is made inside the database, without passing through R
make_table <- function(con, n, kind) {
  dbExecute(con, "DROP TABLE IF EXISTS big")
  if (kind == "postgres") {
    dbExecute(con, sprintf(paste(
      "CREATE TABLE big AS SELECT",
      "CASE WHEN random() < 0.01 THEN NULL ELSE floor(random() * 6)::int + 1 END AS x,",
      "CASE WHEN random() < 0.01 THEN NULL ELSE floor(random() * 5)::int + 1 END AS y,",
      "0.5 + random() * 2 AS w FROM generate_series(1, %.0f)"), n))
    dbExecute(con, "ANALYZE big")
  } else {
    dbExecute(con, sprintf(paste(
      "CREATE TABLE big AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s",
      "WHERE i < %.0f) SELECT",
      "CASE WHEN abs(random()) %% 100 = 0 THEN NULL ELSE abs(random()) %% 6 + 1 END AS x,",
      "CASE WHEN abs(random()) %% 100 = 0 THEN NULL ELSE abs(random()) %% 5 + 1 END AS y,",
      "0.5 + (abs(random()) %% 1000000) / 500000.0 AS w FROM s"), n))
  }
}

# seconds (median of reps) and the rise of R's peak memory (Mb) over one call
measure <- function(f) {
  gc()
  base <- sum(gc(reset = TRUE)[, "max used"] * c(56, 8)) / 2^20
  f()
  peak <- sum(gc()[, "max used"] * c(56, 8)) / 2^20
  secs <- vapply(seq_len(reps), function(i) system.time(f())[["elapsed"]], 1)
  c(seconds = stats::median(secs), mem_mb = peak - base)
}

run <- function(con, kind) {
  out <- list()
  for (n in sizes) {
    make_table(con, n, kind)
    tbl <- suppressWarnings(dplyr::tbl(con, "big"))
    a <- crosstab(tbl, x, y, weights = w)
    b <- crosstab(dplyr::collect(tbl), x, y, weights = w)
    stopifnot(isTRUE(all.equal(unclass(a), unclass(b), tolerance = 1e-12)))
    push <- measure(function() crosstab(tbl, x, y, weights = w))
    coll <- measure(function() crosstab(dplyr::collect(tbl), x, y, weights = w))
    task <- sprintf("%s, %.0e rows, 6 x 5, weighted", kind, n)
    out[[length(out) + 1]] <- data.frame(
      task = task, method = c("crosstab(tbl) pushdown", "crosstab(collect(tbl))"),
      seconds = c(push[["seconds"]], coll[["seconds"]]),
      ratio_vs_pushdown = round(c(1, coll[["seconds"]] / push[["seconds"]]), 1),
      r_mem_mb = round(c(push[["mem_mb"]], coll[["mem_mb"]]), 2))
    print(out[[length(out)]])
    dbExecute(con, "DROP TABLE big")
  }
  do.call(rbind, out)
}

res <- list()
if ("sqlite" %in% engines) {
  lite <- dbConnect(RSQLite::SQLite(), tempfile(fileext = ".sqlite"))
  res$sqlite <- run(lite, "sqlite")
  dbDisconnect(lite)
}
if (!"postgres" %in% engines) {
} else if (nzchar(Sys.getenv("ZHETYSU_PG_HOST"))) {
  pg <- dbConnect(RPostgreSQL::PostgreSQL(), host = Sys.getenv("ZHETYSU_PG_HOST"),
                  port = as.integer(Sys.getenv("ZHETYSU_PG_PORT", "5432")),
                  user = Sys.getenv("ZHETYSU_PG_USER", "postgres"),
                  dbname = Sys.getenv("ZHETYSU_PG_DB", "zhetysu"))
  res$postgres <- run(pg, "postgres")
  dbDisconnect(pg)
} else {
  message("no PostgreSQL server (ZHETYSU_PG_*): SQLite only")
}
res <- do.call(rbind, res)
old <- if (file.exists("bench/database.csv")) utils::read.csv("bench/database.csv") else NULL
if (!is.null(old)) {
  res <- rbind(old[!sub(",.*", "", old$task) %in% engines, ], res)
}
rownames(res) <- NULL
print(res)
utils::write.csv(res, "bench/database.csv", row.names = FALSE)
if (!is.null(res$task) && any(grepl("^postgres, 1e\\+07", res$task))) {
  pg10 <- res[grepl("^postgres, 1e\\+07", res$task), ]
  pg6 <- res[grepl("^postgres, 1e\\+06", res$task), ]
  cat(sprintf("PostgreSQL 1e7 rows: pushdown %.1fx faster; pushdown R memory %.2f Mb at 1e6, %.2f Mb at 1e7\n",
              pg10$ratio_vs_pushdown[2], pg6$r_mem_mb[1], pg10$r_mem_mb[1]))
}
