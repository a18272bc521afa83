# crosstab() on a lazy table (the counting pushed down to the database)
# against crosstab(collect(tbl)) (every row brought into R first), in one R
# process, on tables of 1e6 and 1e7 rows (6 x 5 categories, NULLs, weights)
# in PostgreSQL and SQLite. Writes seconds, the ratio and R's memory use
# (the increase of gc()'s "max used" over the call, and the process's peak
# resident memory during it, Mb) to bench/database.csv, appended to the
# earlier runs with a run label (ZH_BENCH_RUN, default the time), the
# machine's load and the server's settings. The two calls are timed in
# turn, so that the ratio holds on a machine shared with other jobs; run
# it with `nice` there.
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
sizes <- as.numeric(strsplit(Sys.getenv("ZH_BENCH_SIZES", "1e6,1e7"), ",")[[1]])
reps <- as.integer(Sys.getenv("ZH_BENCH_REPS", "3"))
# ZH_BENCH_ENGINES=postgres measures one engine and keeps the other's rows
engines <- strsplit(Sys.getenv("ZH_BENCH_ENGINES", "sqlite,postgres"), ",")[[1]]

# the table is made inside the database, without passing through R
make_table <- function(con, n, kind, big) {
  dbExecute(con, sprintf("DROP TABLE IF EXISTS %s", big))
  if (kind == "postgres") {
    dbExecute(con, sprintf(paste(
      "CREATE TABLE", big, "AS SELECT",
      "CASE WHEN random() < 0.01 THEN NULL ELSE floor(random() * 6)::int + 1 END AS x,",
      "CASE WHEN random() < 0.01 THEN NULL ELSE floor(random() * 5)::int + 1 END AS y,",
      "0.5 + random() * 2 AS w FROM generate_series(1, %.0f)"), n))
    # as a loaded table would be: hint bits set, statistics gathered
    dbExecute(con, paste("VACUUM ANALYZE", big))
  } else {
    dbExecute(con, sprintf(paste(
      "CREATE TABLE", big, "AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s",
      "WHERE i < %.0f) SELECT",
      "CASE WHEN abs(random()) %% 100 = 0 THEN NULL ELSE abs(random()) %% 6 + 1 END AS x,",
      "CASE WHEN abs(random()) %% 100 = 0 THEN NULL ELSE abs(random()) %% 5 + 1 END AS y,",
      "0.5 + (abs(random()) %% 1000000) / 500000.0 AS w FROM s"), n))
  }
}

# The process's peak resident memory (Mb) since the last reset (Linux:
# writing 5 to /proc/self/clear_refs resets it); NA elsewhere.
rss_reset <- function() {
  if (file.exists("/proc/self/clear_refs")) try(writeLines("5", "/proc/self/clear_refs"), TRUE)
}
rss_peak <- function() {
  if (!file.exists("/proc/self/status")) return(NA_real_)
  st <- readLines("/proc/self/status")
  as.numeric(sub("[^0-9]*([0-9]+).*", "\\1", grep("^VmHWM", st, value = TRUE))) / 1024
}

# the rise of R's peak memory (Mb, gc()'s "max used") over one call, and
# the process's peak RSS during that call
memory <- function(f) {
  gc()
  base <- sum(gc(reset = TRUE)[, "max used"] * c(56, 8)) / 2^20
  rss_reset()
  f()
  peak <- sum(gc()[, "max used"] * c(56, 8)) / 2^20
  c(mem_mb = peak - base, rss_mb = rss_peak())
}

# seconds (median of reps) of two calls timed in turn, so that a change of
# the machine's load during the run falls on both
timings <- function(f, g) {
  secs <- vapply(seq_len(reps), function(i) {
    c(system.time(f())[["elapsed"]], system.time(g())[["elapsed"]])
  }, c(1, 1))
  apply(secs, 1, stats::median)
}

load1 <- function() {
  if (file.exists("/proc/loadavg")) as.numeric(strsplit(readLines("/proc/loadavg"), " ")[[1]][1])
  else NA_real_
}

# Every pushdown's memory first, before any collect() has grown R's heap,
# so that its memory at 1e6 and 1e7 rows is compared on the same footing.
run <- function(con, kind) {
  names <- sprintf("big%d", seq_along(sizes))
  tbls <- list()
  push <- list()
  for (i in seq_along(sizes)) {
    make_table(con, sizes[i], kind, names[i])
    tbls[[i]] <- suppressWarnings(dplyr::tbl(con, names[i]))
    push[[i]] <- memory(function() crosstab(tbls[[i]], x, y, weights = w))
  }
  out <- list()
  for (i in seq_along(sizes)) {
    tbl <- tbls[[i]]
    a <- crosstab(tbl, x, y, weights = w)
    b <- crosstab(dplyr::collect(tbl), x, y, weights = w)
    stopifnot(isTRUE(all.equal(unclass(a), unclass(b), tolerance = 1e-12)))
    coll <- memory(function() crosstab(dplyr::collect(tbl), x, y, weights = w))
    l0 <- load1()
    secs <- timings(function() crosstab(tbl, x, y, weights = w),
                    function() crosstab(dplyr::collect(tbl), x, y, weights = w))
    l1 <- load1()
    p <- push[[i]]
    task <- sprintf("%s, %.0e rows, 6 x 5, weighted", kind, sizes[i])
    out[[i]] <- data.frame(
      task = task, method = c("crosstab(tbl) pushdown", "crosstab(collect(tbl))"),
      seconds = secs,
      ratio_vs_pushdown = round(c(1, secs[2] / secs[1]), 1),
      r_mem_mb = round(c(p[["mem_mb"]], coll[["mem_mb"]]), 2),
      peak_rss_mb = round(c(p[["rss_mb"]], coll[["rss_mb"]]), 1),
      run = run_label,
      machine = sprintf("%s; load average %.1f -> %.1f on %d cores; %s", niceness, l0, l1,
                        parallel::detectCores(), if (isTRUE(max(l0, l1) > 1.5))
                          "loaded (shared with other jobs)" else "not loaded"),
      server = server_settings(con, kind))
    print(out[[i]])
  }
  for (nm in names) dbExecute(con, sprintf("DROP TABLE %s", nm))
  do.call(rbind, out)
}

# the settings of the server the run used (tools/postgres.sh sets them)
server_settings <- function(con, kind) {
  if (kind != "postgres") return(paste("SQLite", RSQLite::rsqliteVersion()[["library"]]))
  set <- c("server_version", "jit", "max_parallel_workers_per_gather", "work_mem",
           "shared_buffers")
  paste(vapply(set, function(s) paste0(s, "=", dbGetQuery(con, paste("SHOW", s))[[1]]), ""),
        collapse = ", ")
}

run_label <- Sys.getenv("ZH_BENCH_RUN", format(Sys.time(), "%Y-%m-%d %H:%M UTC", tz = "UTC"))
niceness <- sprintf("nice %s", tools::psnice())
cat(sprintf("load average at the start: %.2f; %d cores; %s\n", load1(), parallel::detectCores(),
            niceness))
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
# appended to the earlier runs (each row says which run it is from)
old <- if (file.exists("bench/database.csv")) utils::read.csv("bench/database.csv") else NULL
new <- res
if (!is.null(old)) {
  if (is.null(old$run)) old$run <- "earlier run (before run labels)"
  for (v in setdiff(names(res), names(old))) old[[v]] <- NA
  res <- rbind(old[names(res)], res)
}
rownames(res) <- NULL
print(new)
utils::write.csv(res, "bench/database.csv", row.names = FALSE)
if (!is.null(new$task) && any(grepl("^postgres, 1e\\+07", new$task))) {
  pg10 <- new[grepl("^postgres, 1e\\+07", new$task), ]
  pg6 <- new[grepl("^postgres, 1e\\+06", new$task), ]
  cat(sprintf(paste0("PostgreSQL 1e7 rows: pushdown %.1fx faster; pushdown R memory %.2f Mb at 1e6, ",
                     "%.2f Mb at 1e7 (peak RSS %.0f and %.0f Mb)\n"),
              pg10$ratio_vs_pushdown[2], pg6$r_mem_mb[1], pg10$r_mem_mb[1], pg6$peak_rss_mb[1],
              pg10$peak_rss_mb[1]))
}
