# Data in a database (dbplyr lazy tables, sparklyr's tbl_spark included).
# The database does the one pass over the rows: a GROUP BY that returns a
# data frame of counts (keys, summed weight, number of cases), or, for
# Pearson, sums and cross-products shifted by a first-pass mean. Everything
# else runs in R on those few numbers through the same code as for a data
# frame. The front doors call zh_db_dispatch() when `data` is a lazy table.

#' Statistics of a table in a database
#'
#' [crosstab()], [association_table()], [freq_table()], [profile_table()],
#' [describe()], [means_table()] and [cor_matrix()] (Pearson) accept a lazy
#' table from dbplyr as `data`:
#' `dplyr::tbl(con, "survey")`, also after `dplyr::filter()` or
#' `dplyr::mutate()`, and sparklyr's Spark tables. Only the counting runs in
#' the database; the result equals that of the same call on
#' `dplyr::collect(data)`.
#'
#' @section What the database computes:
#' For the contingency statistics, one query
#' `SELECT keys, SUM(w), COUNT(*), COUNT(w) ... GROUP BY keys` over the
#' variables of the call, every aggregate cast to double precision in SQL
#' (no integer overflow, no exact-numeric sums). `NULL` keys form their own
#' groups and are counted as missing values, as `NA` is in a data frame;
#' empty cells are filled in R. The count rule is SPSS's: cell rounding
#' (`count = "round"`, `"truncate"`) is applied in R after the `GROUP BY`,
#' case rounding (`"case_round"`, `"case_truncate"`) is a SQL expression on
#' each row's weight. Categories are ordered, and numeric ones scored, by the
#' values of the column, as for a data frame. A layered crosstab (`layer`,
#' or the groups of a `dplyr::group_by()` table) adds the layer variables to
#' the keys of the same one query; the counts of every layer and of the
#' Total layer then come from those groups in R.
#'
#' For Pearson correlations, a first query gets each column's mean; a second
#' sums the weights, the values minus those means, their squares and
#' cross-products, grouped by the pattern of `NULL`s of the variables, so
#' that every pair gets its pairwise-complete sums (in blocks of variables
#' when there are many). From these sums R forms the sufficient statistics
#' (n, means, sums of squares and cross-products per pair) and then r, N and
#' p as for a data frame.
#'
#' For [describe()] and [means_table()], a first query sums the weights
#' and the weighted values of each variable (per group of `by`), counts the
#' cases and missing values and gets the minimum and maximum; a second sums
#' the weighted powers 1 to 4 of the values minus the first query's mean
#' (of the group). R forms the central moments from these shifted sums and
#' merges groups about a common shift, so that a mean of 1e9 loses no
#' digits; then SD, variance, SE, skewness, kurtosis, sum and the ANOVA
#' table follow as for a data frame.
#'
#' Percentiles, medians and modes (and Spearman's and Kendall's
#' correlations) need the sorted values: asking for them gives a classed
#' error that says to collect the data, or bin the variable in the
#' database, first. [describe()]'s default statistics leave the median out
#' for a lazy table.
#'
#' @section Extra arguments:
#' With a lazy table the functions take these further arguments:
#' * `show_sql`: `TRUE` returns the SQL statements (a character vector)
#'   instead of running them; a function is called with each statement
#'   before it is run (e.g. `show_sql = message`).
#' * `value_labels`: a named list, one element per variable, of named
#'   vectors `c(label = value)`: categories keep their values (order and
#'   scores) and print with the labels.
#' * `levels`: a named list of the category values of each variable in
#'   the order wanted (like factor levels); values not listed are missing.
#' * `max_cells`: the largest number of groups the query may return
#'   (default `getOption("zhetysu.max_cells", 1e6)`); past it, a classed
#'   error, before more rows are read.
#'
#' @name database
#' @examples
#' if (requireNamespace("RSQLite", quietly = TRUE) &&
#'     requireNamespace("dbplyr", quietly = TRUE)) {
#'   con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
#'   DBI::dbWriteTable(con, "cars", mtcars)
#'   cars <- dplyr::tbl(con, "cars")
#'   crosstab(cars, cyl, gear)$tests
#'   crosstab(cars, cyl, gear, show_sql = TRUE)
#'   DBI::dbDisconnect(con)
#' }
NULL

zh_db_extra <- c("show_sql", "value_labels", "levels", "max_cells")

# The columns each front door counts: single columns, column sets and the
# weights, by argument name.
zh_db_spec <- list(
  crosstab = list(one = c("row", "col"), many = "layer"),
  association_table = list(one = "outcome", many = "factors"),
  freq_table = list(one = "var", many = character()),
  profile_table = list(one = "by", many = "vars"),
  cor_matrix = list(one = character(), many = "vars"),
  describe = list(one = character(), many = "vars"),
  means_table = list(one = "outcome", many = "by")
)

zh_db_need <- function() {
  for (p in c("DBI", "dbplyr", "dplyr")) {
    if (!requireNamespace(p, quietly = TRUE)) {
      zh_abort(sprintf("`data` is a lazy table: package `%s` must be installed to use it.", p),
               "package")
    }
  }
}

# The hook of every front door: `call` is its match.call(), `env` its
# caller. Resolves the columns on a 0-row copy of the table, lets the
# database count, then calls the same front door on the counts.
zh_db_dispatch <- function(fun, call, env) {
  zh_db_need()
  args <- as.list(call)[-1L]
  opts <- lapply(args[intersect(names(args), zh_db_extra)], eval, envir = env)
  args <- args[setdiff(names(args), zh_db_extra)]
  tbl <- eval(args$data, env)
  # a grouped table (dplyr::group_by()) is layered by its groups, as a
  # grouped data frame is; the groups do not change the SQL of the rows
  groups <- dplyr::group_vars(tbl)
  if (length(groups)) tbl <- dplyr::ungroup(tbl)
  # the columns (and their types) from a 0-row query; show_sql = TRUE sends
  # nothing to the database, so it works on simulated connections too
  proto <- if (isTRUE(opts$show_sql)) {
    as.data.frame(stats::setNames(lapply(colnames(tbl), function(x) numeric()), colnames(tbl)))
  } else {
    zh_db_proto(tbl)
  }
  spec <- zh_db_spec[[fun]]
  one <- list()
  for (a in intersect(spec$one, names(args))) {
    one[[a]] <- zh_column(proto, args[[a]], a, env, null_ok = TRUE)
  }
  many <- list()
  for (a in intersect(spec$many, names(args))) {
    if (is.null(args[[a]])) next
    many[[a]] <- zh_columns(proto, args[[a]], a, env, min = if (fun == "cor_matrix") 2L else 1L)
  }
  w_name <- if (is.null(args$weights)) NULL else
    zh_column(proto, args$weights, "weights", env, null_ok = TRUE)
  if (fun == "crosstab") many$layer <- zh_db_layers(proto, groups, many$layer, one, w_name, args)
  keys <- unique(c(unlist(one), unlist(many)))
  opts <- zh_db_check_opts(opts, keys)
  opts$w_name <- w_name
  if (fun %in% c("describe", "means_table")) {
    return(zh_db_moments(fun, tbl, proto, one, many, w_name, args, opts, env))
  }
  if (fun == "cor_matrix") {
    return(zh_db_cor(tbl, proto, keys, w_name, args, opts, env))
  }
  count <- if (is.null(args$count)) "round" else eval(args$count, env)
  count <- zh_match_arg(count, "count", c("round", "asis", "truncate", "case_round",
                                          "case_truncate"))
  sql <- zh_db_count_sql(tbl, keys, w_name, count)
  if (isTRUE(opts$show_sql)) return(sql$sql)
  counts <- zh_db_fetch_counts(tbl, sql, keys, proto, opts)
  if (fun == "crosstab") {
    return(zh_db_crosstab(counts, one$row, one$col, many$layer, w_name, count, args, env))
  }
  for (a in names(one)) args[[a]] <- one[[a]]
  for (a in names(many)) args[[a]] <- many[[a]]
  res <- zh_db_from_counts(fun, args, counts$df, env)
  zh_db_finish(res, fun, counts, one, many, weighted = !is.null(w_name))
}

# The columns of a lazy table and their types, from a query that returns
# no rows.
zh_db_proto <- function(tbl) {
  con <- zh_db_con(tbl)
  if (!inherits(con, "DBIConnection")) return(as.data.frame(dplyr::collect(utils::head(tbl, 0L))))
  sql <- sprintf("SELECT * FROM (\n%s\n) zh_t WHERE 1 = 0", as.character(dbplyr::sql_render(tbl)))
  as.data.frame(DBI::dbGetQuery(con, sql))
}

# The count seam for the functions other than crosstab() (which goes
# through zh_counts_of_counts(), see zh_db_crosstab()): a data frame of
# counts (keys + summed weight `.zh_n`) becomes a result through the front
# door's data-frame-of-counts path (`weights = .zh_n`, column arguments as
# strings).
zh_db_from_counts <- function(fun, args, counts, env) {
  args$data <- counts
  args$weights <- ".zh_n"
  do.call(get(fun, envir = asNamespace("zhetysu")), args, envir = env)
}

# The layers of a lazy crosstab: `layer`, or the groups of a grouped table
# (not both), checked as crosstab() checks them for a data frame.
zh_db_layers <- function(proto, groups, layer, one, w_name, args) {
  if (length(groups)) {
    if (length(layer)) {
      zh_abort(sprintf(paste0("`data` is grouped (by %s) and `layer` is given: use the groups ",
                              "as layers (leave out `layer`) or ungroup `data` first."),
                       paste0("`", groups, "`", collapse = ", ")), "input")
    }
    layer <- structure(groups, position = match(groups, names(proto)))
  }
  for (v in list(one$row, one$col, w_name)) {
    if (zh_among(v, layer)) {
      zh_abort(sprintf("`layer` must not include the row, column or weights column `%s`.", v),
               "column")
    }
  }
  if (!is.null(args$scores) || !is.null(args$ordered)) {
    zh_abort(paste0("`scores` and `ordered` must not be given when `data` is a lazy table: ",
                    "columns carry their own."), "input")
  }
  layer
}

# A lazy crosstab from the database's counts, through the count contract:
# the counts of every cell (and layer) as a zh_counts object, completed with
# what the groups cannot say (the cases behind each group), checked as
# crosstab() checks a data frame's counts, then the statistics of
# crosstab(<zh_counts>), layered or not.
zh_db_crosstab <- function(counts, row, col, layer, w_name, count, args, env) {
  df <- counts$df
  info <- counts$info
  keys <- c(row, col, layer)
  # columns by their positions in the counts (not in the table)
  cols <- lapply(keys, function(k) structure(k, position = match(k, names(df))))
  weighted <- !is.null(w_name)
  cn <- zh_counts_of_counts(df, cols, c("row", "col", rep("layer", length(layer))), ".zh_n",
                            weighted, count)
  cn$left_out[["cases"]] <- zh_db_missing_cases(info, keys)
  for (k in seq_along(cn$vars)) {
    m <- cn$vars[[k]]$missing
    m$cases[m$kind == "system"] <- sum(info$.zh_cases_w[is.na(info[[keys[k]]])])
    cn$vars[[k]]$missing <- m
  }
  if (!(sum(cn$counts) > 0)) {
    zh_no_cases(list(row = df[[row]], col = df[[col]], weights = if (weighted) df$.zh_n),
                c(row, col, w_name), rounded = sum(cn$sums) > 0)
  }
  zh_warn_categories(sum(apply(cn$counts, 1L, sum) > 0), "row", row)
  zh_warn_categories(sum(apply(cn$counts, 2L, sum) > 0), "col", col)
  rest <- args[setdiff(names(args), c("data", "row", "col", "layer", "weights", "count"))]
  do.call(crosstab, c(list(data = cn), rest), envir = env)
}

zh_db_check_opts <- function(opts, keys) {
  if (is.null(opts$max_cells)) opts$max_cells <- getOption("zhetysu.max_cells", 1e6)
  m <- opts$max_cells
  if (!is.numeric(m) || length(m) != 1L || is.na(m) || m < 1) {
    zh_abort(sprintf("`max_cells` must be a positive number, not %s.", zh_describe(m)), "input")
  }
  s <- opts$show_sql
  if (!is.null(s) && !is.function(s) && !(is.logical(s) && length(s) == 1L && !is.na(s))) {
    zh_abort(sprintf("`show_sql` must be `TRUE`, `FALSE` or a function, not %s.",
                     zh_describe(s)), "input")
  }
  for (a in c("value_labels", "levels")) {
    x <- opts[[a]]
    if (is.null(x)) next
    if (!is.list(x) || is.null(names(x)) || !all(names(x) %in% keys)) {
      zh_abort(sprintf("`%s` must be a named list with one element per variable of the call, not %s.",
                       a, zh_describe(x)), "input")
    }
    if (a == "value_labels" && !all(vapply(x, function(v) !is.null(names(v)), TRUE))) {
      zh_abort("`value_labels` must hold named vectors, `c(label = value)`.", "input")
    }
  }
  opts
}

# ---- SQL ---------------------------------------------------------------------

zh_db_con <- function(tbl) dbplyr::remote_con(tbl)

zh_db_q <- function(con, x) as.character(dbplyr::escape(dbplyr::ident(x), con = con))

# The double type of the dialect (dbplyr's as.double() is NUMERIC, an exact
# type, on some engines).
zh_db_double <- function(con) {
  if (inherits(con, c("Microsoft SQL Server", "MsSQLConnection"))) return("FLOAT")
  if (inherits(con, c("Hive", "spark_connection", "DBISparkConnection", "Spark SQL"))) {
    return("DOUBLE")
  }
  "DOUBLE PRECISION"
}

zh_db_dbl <- function(con, expr) sprintf("CAST(%s AS %s)", expr, zh_db_double(con))

# The number of negative weights: a count, not a sum of exact-numeric
# literals (NUMERIC sums are slow and of another type than the others).
zh_db_neg <- function(con, w) zh_db_dbl(con, sprintf("COUNT(CASE WHEN %s < 0 THEN 1 END)", w))

# Case rounding: half up (floor(w + 0.5)) or truncation, on non-negative
# weights; SQLite has no FLOOR() in every build, and its CAST to INTEGER
# truncates.
zh_db_round_case <- function(con, w, count) {
  x <- if (count == "case_round") sprintf("%s + 0.5", w) else w
  if (inherits(con, "SQLiteConnection") || inherits(con, "TestConnection") &&
      inherits(dbplyr::simulate_sqlite(), class(con)[1])) {
    return(sprintf("CAST(%s AS INTEGER)", x))
  }
  sprintf("FLOOR(%s)", x)
}

# The counting query: keys, summed weight, cases, cases with a weight, the
# smallest weight. The sign check is MIN(w), an aggregate of the column
# itself: a CASE per row costs a tenth of the query's time on PostgreSQL,
# and the negative weights are counted (for the error) only when there
# are some.
zh_db_count_sql <- function(tbl, keys, w_name, count) {
  con <- zh_db_con(tbl)
  q <- function(x) zh_db_q(con, x)
  if (is.null(w_name)) {
    aggs <- list(.zh_n = zh_db_dbl(con, "COUNT(*)"), .zh_cases = zh_db_dbl(con, "COUNT(*)"),
                 .zh_cases_w = zh_db_dbl(con, "COUNT(*)"))
  } else {
    w <- q(w_name)
    wv <- if (count %in% c("case_round", "case_truncate")) zh_db_round_case(con, w, count) else w
    aggs <- list(.zh_n = sprintf("SUM(%s)", zh_db_dbl(con, wv)),
                 .zh_cases = zh_db_dbl(con, "COUNT(*)"),
                 .zh_cases_w = zh_db_dbl(con, sprintf("COUNT(%s)", w)),
                 .zh_min = zh_db_dbl(con, sprintf("MIN(%s)", w)))
  }
  list(con = con, sql = zh_db_select(tbl, keys, aggs), tbl = tbl, w = w_name)
}

# The one query builder: SELECT keys, aggregates FROM the lazy table (with
# the per-row columns `cols` added first) GROUP BY keys. Written here rather
# than through dplyr::summarise(), which costs a second or so of R time per
# call: more than the database takes for millions of rows.
zh_db_select <- function(tbl, keys, aggs, cols = NULL) {
  con <- zh_db_con(tbl)
  q <- function(x) vapply(x, function(v) zh_db_q(con, v), "", USE.NAMES = FALSE)
  base <- as.character(dbplyr::sql_render(tbl))
  # a plain table by its name, anything else as a subquery
  plain <- regmatches(base, regexec("^SELECT \\*\\s+FROM\\s+(\\S+)\\s*$", base))[[1]]
  from <- if (length(plain)) plain[2] else sprintf("(\n%s\n) zh_t", base)
  if (length(cols)) {
    from <- sprintf("(\nSELECT\n  *,\n  %s\nFROM %s\n) zh_c",
                    paste(sprintf("%s AS %s", unlist(cols), q(names(cols))), collapse = ",\n  "),
                    from)
  }
  sel <- c(q(keys), sprintf("%s AS %s", unlist(aggs), q(names(aggs))))
  paste0("SELECT\n  ", paste(sel, collapse = ",\n  "), "\nFROM ", from,
         if (length(keys)) paste0("\nGROUP BY ", paste(q(keys), collapse = ", ")) else "")
}

# Runs a query, reading at most `max_rows` rows (a classed error past them).
zh_db_run <- function(con, sql, opts, max_rows = Inf, what = "cells") {
  if (is.function(opts$show_sql)) opts$show_sql(sql)
  if (is.finite(max_rows) && inherits(con, "DBIConnection")) {
    rs <- DBI::dbSendQuery(con, sql)
    on.exit(DBI::dbClearResult(rs))
    # in chunks: drivers allocate the n rows asked for up front
    parts <- list()
    got <- 0
    repeat {
      part <- DBI::dbFetch(rs, n = 4096L)
      parts[[length(parts) + 1L]] <- part
      got <- got + nrow(part)
      if (got > max_rows || nrow(part) == 0L || DBI::dbHasCompleted(rs)) break
    }
    out <- do.call(rbind, parts)
  } else {
    out <- as.data.frame(dplyr::collect(dplyr::tbl(con, dbplyr::sql(sql))))
  }
  if (nrow(out) > max_rows) {
    zh_abort(sprintf(paste0("`data` has too many %s: the query returns more than %s groups ",
                            "(`max_cells`); use variables with fewer categories, or bin them ",
                            "in the database first."),
                     what, format(max_rows, big.mark = ",", scientific = FALSE)), "size")
  }
  as.data.frame(out)
}

zh_db_fetch_counts <- function(tbl, sql, keys, proto, opts) {
  df <- zh_db_run(sql$con, sql$sql, opts, opts$max_cells)
  if (nrow(df) == 0L) zh_abort("`data` must have at least one row, not 0.", "data")
  if (any(df$.zh_min < 0, na.rm = TRUE)) {
    neg <- zh_db_select(sql$tbl, character(),
                        list(.zh_neg = zh_db_neg(sql$con, zh_db_q(sql$con, sql$w))))
    zh_negative_weights(sprintf("weights` column `%s", opts$w_name),
                        as.double(zh_db_run(sql$con, neg, opts)$.zh_neg))
  }
  for (k in keys) df[[k]] <- zh_db_key(df[[k]], proto[[k]], k, opts)
  for (v in c(".zh_n", ".zh_cases", ".zh_cases_w")) df[[v]] <- as.double(df[[v]])
  list(df = df[c(keys, ".zh_n")], info = df)
}

# A key column as it would come back from collect(): integer or double as
# the table's column (a 0-row query says no more: SQLite reports columns
# without a declared type as logical), then the user's levels or value
# labels.
zh_db_key <- function(x, like, name, opts) {
  if (is.integer(like) && is.numeric(x) && !is.integer(x) &&
      all(is.na(x) | abs(x) <= .Machine$integer.max)) {
    x <- as.integer(x)
  } else if (is.double(like) && is.integer(x)) {
    x <- as.double(x)
  }
  lev <- opts$levels[[name]]
  if (!is.null(lev)) return(factor(x, levels = lev, labels = as.character(lev)))
  labs <- opts$value_labels[[name]]
  if (!is.null(labs)) {
    return(structure(x, labels = labs, class = c("haven_labelled", "vctrs_vctr", class(x))))
  }
  x
}

# Cases left out: rows with a NULL key among `keys`, and rows with a NULL
# weight.
zh_db_missing_cases <- function(info, keys) {
  na <- Reduce(`|`, lapply(keys, function(k) is.na(info[[k]])))
  sum(info$.zh_cases[na]) + sum((info$.zh_cases - info$.zh_cases_w)[!na])
}

# What the counts cannot know by themselves: the number of cases behind each
# group (the front door saw one row per group) and whether the data were
# weighted. The one place where results from the counts are completed.
zh_db_finish <- function(res, fun, counts, one, many, weighted) {
  info <- counts$info
  if (fun == "association_table") {
    res$missing <- vapply(many$factors, function(f) {
      zh_db_missing_cases(info, c(one$outcome, f))
    }, 1)
    attr(res, "weighted") <- weighted
  } else {
    attr(res, "weighted") <- weighted
    md <- attr(res, "missing", exact = TRUE)
    if (fun == "freq_table" && !is.null(md)) {
      # the system-missing cases (NULL keys) with a weight, by their number
      na <- is.na(info[[unlist(one)]])
      md$cases[md$kind == "system"] <- sum(info$.zh_cases_w[na])
      attr(res, "missing") <- md
    }
  }
  res
}

# ---- Pearson -----------------------------------------------------------------

# Variables per query: the sums of a block of b variables need about
# b^2 / 2 + 3 b select items; engines limit them (SQLite 2000, others more).
zh_db_block <- function(con) if (inherits(con, "SQLiteConnection")) 24L else 40L

zh_db_cor <- function(tbl, proto, vars, w_name, args, opts, env) {
  method <- if (is.null(args$method)) "pearson" else eval(args$method, env)
  method <- zh_match_arg(method, "method", c("pearson", "spearman", "kendall"))
  if (method != "pearson") {
    zh_abort(sprintf(paste0("`method` must be \"pearson\" for a lazy table, not \"%s\": rank ",
                            "correlations need the sorted data; collect() them first."), method),
             "input")
  }
  use <- if (is.null(args$use)) "pairwise" else eval(args$use, env)
  use <- zh_match_arg(use, "use", c("pairwise", "listwise"))
  for (v in vars) zh_cor_column(proto[[v]], v)
  con <- zh_db_con(tbl)
  q <- function(x) zh_db_q(con, x)
  if (use == "listwise") {
    cond <- paste(sprintf("%s IS NOT NULL", vapply(c(vars, w_name), q, "")), collapse = " AND ")
    tbl <- dplyr::filter(tbl, dbplyr::sql(cond))
  }
  zero <- zh_db_dbl(con, "0")
  w <- if (is.null(w_name)) zh_db_dbl(con, "1") else
    sprintf("COALESCE(%s, %s)", zh_db_dbl(con, q(w_name)), zero)
  x <- vapply(vars, function(v) zh_db_dbl(con, q(v)), "")
  # the checks first: rows, negative weights, infinite values (by MAX(ABS()),
  # which cannot overflow, where a sum of 1e300s would)
  wpos <- sprintf("CASE WHEN %s > %s THEN %%s END", w, zero)
  p0 <- c(list(.zh_rows = zh_db_dbl(con, "COUNT(*)"), .zh_neg = if (is.null(w_name)) zero else
                 zh_db_neg(con, q(w_name))),
          stats::setNames(lapply(seq_along(vars), function(i) {
            sprintf("MAX(%s)", sprintf(wpos, sprintf("ABS(%s)", x[i])))
          }), paste0(".zh_a", seq_along(vars))))
  sql0 <- zh_db_select(tbl, character(), p0)
  if (!isTRUE(opts$show_sql)) {
    m <- zh_db_run(con, sql0, opts)
    if (!(as.double(m$.zh_rows) > 0)) zh_abort("`data` must have at least one row, not 0.", "data")
    if (sum(m$.zh_neg, na.rm = TRUE) > 0) {
      zh_negative_weights(sprintf("weights` column `%s", w_name), sum(m$.zh_neg))
    }
    top <- vapply(seq_along(vars), function(i) as.double(m[[paste0(".zh_a", i)]]), 1)
    bad <- which(!is.na(top) & !is.finite(top))
    if (length(bad)) {
      zh_abort(sprintf("`vars` column `%s` must not contain infinite values.", vars[bad[1]]),
               "value")
    }
  }
  k <- length(vars)
  b <- zh_db_block(con)
  starts <- seq(1L, k, by = b)
  blocks <- lapply(starts, function(s) s:min(k, s + b - 1L))
  stats <- zh_db_cor_empty(vars)
  sqls <- sql0
  # every pair of blocks (a block with itself included) in two queries
  for (bi in seq_along(blocks)) for (bj in bi:length(blocks)) {
    idx <- unique(c(blocks[[bi]], blocks[[bj]]))
    pairs <- which(outer(idx, idx, function(a, c) {
      (a %in% blocks[[bi]] & c %in% blocks[[bj]]) | (a %in% blocks[[bj]] & c %in% blocks[[bi]])
    }) & upper.tri(diag(length(idx)), diag = TRUE), arr.ind = TRUE)
    res <- zh_db_cor_block(tbl, con, x[idx], vars[idx], w, pairs, opts)
    sqls <- c(sqls, res$sql)
    if (!is.null(res$sums)) stats <- zh_db_cor_add(stats, res$sums, res$groups, idx, pairs)
  }
  if (isTRUE(opts$show_sql)) return(sqls)
  labels <- stats::setNames(vars, vars)
  zh_db_cor_result(stats, w_name, args, env, labels)
}

zh_db_cor_empty <- function(vars) {
  k <- length(vars)
  z <- matrix(NA_real_, k, k, dimnames = list(vars, vars))
  # the sums by pair, filled block by block; zh_cor_stats() at the end
  list(n = z, mean = z, ss = z, cp = z)
}

# Two queries per block, grouped by the NULL pattern of the block's
# variables (one integer key). The first gets each pattern's weight and, per
# variable, its minimum, maximum and mean (the weighted sum in two parts,
# |x| >= 1 times 2^-64 and |x| < 1 times 2^64, so that neither 1e300s
# overflow nor 1e-300s vanish). The second sums the weighted deviations
# d = x / 2^e - K and their products, K 2^e each pattern's own mean and 2^e
# from its range (zh_db_cor_shift(); a CASE over the keys; past 64 patterns
# only those far from the block's mean get their own), so that no sum
# overflows or underflows and no pattern loses digits to a shift far from
# its data. zh_db_cor_add() combines the patterns exactly.
zh_db_cor_block <- function(tbl, con, x, names, w, pairs, opts) {
  nb <- length(x)
  q <- function(v) zh_db_q(con, v)
  zero <- zh_db_dbl(con, "0")
  sq <- cbind(seq_len(nb), seq_len(nb))
  pairs <- unique(rbind(pairs, sq))
  key <- list(.zh_key = paste(sprintf("(CASE WHEN %s IS NULL THEN %s ELSE 0 END)", x,
                                      zh_sql_number(2^(seq_len(nb) - 1))), collapse = " + "))
  pos <- function(e) sprintf("CASE WHEN %s > %s THEN %s END", w, zero, e)
  big <- zh_sql_number(2^-64)
  small <- zh_sql_number(2^64)
  a1 <- c(list(.zh_n = sprintf("SUM(%s)", w)),
          zh_db_agg_names(list(
            lo = function(i) sprintf("MIN(%s)", pos(x[i])),
            hi = function(i) sprintf("MAX(%s)", pos(x[i])),
            b = function(i) sprintf("SUM(CASE WHEN ABS(%s) >= 1 THEN %s * (%s * %s) END)",
                                    x[i], w, x[i], big),
            s = function(i) sprintf("SUM(CASE WHEN ABS(%s) < 1 THEN %s * (%s * %s) END)",
                                    x[i], w, x[i], small)), seq_len(nb)))
  sql1 <- zh_db_select(tbl, names(key), a1, key)
  if (isTRUE(opts$show_sql)) {
    # the second query needs the patterns' means in its text: placeholders
    d <- sprintf("CASE %s WHEN :key THEN %s * :scale_%s - :shift_%s END",
                 q(".zh_key"), x, names, names)
    groups <- NULL
  } else {
    g1 <- zh_db_run(con, sql1, opts)
    groups <- zh_db_cor_groups(g1, nb)
    d <- vapply(seq_len(nb), function(i) {
      own <- groups$own[, i]
      whens <- if (any(own)) paste(sprintf("WHEN %s THEN %s", zh_sql_number(groups$key[own]),
                                           zh_db_cor_dev(x[i], groups$e[own, i],
                                                         groups$K[own, i])),
                                   collapse = " ") else NULL
      sprintf("CASE %s %s ELSE %s END", q(".zh_key"), paste(whens, collapse = " "),
              zh_db_cor_dev(x[i], groups$e0[i], groups$K0[i]))
    }, "")
  }
  a2 <- c(list(.zh_n = sprintf("SUM(%s)", w)),
          stats::setNames(lapply(seq_len(nb), function(i) sprintf("SUM(%s * %s)", w, q(paste0(".zh_d", i)))),
                          paste0(".zh_s", seq_len(nb))),
          stats::setNames(lapply(seq_len(nrow(pairs)), function(p) {
            sprintf("SUM(%s * %s * %s)", w, q(paste0(".zh_d", pairs[p, 1])),
                    q(paste0(".zh_d", pairs[p, 2])))
          }), sprintf(".zh_p%d_%d", pairs[, 1], pairs[, 2])))
  # the deviations read the key of a subquery
  keyed <- dplyr::mutate(tbl, .zh_key = dbplyr::sql(key[[1]]))
  sql2 <- zh_db_select(keyed, names(key), a2,
                       stats::setNames(as.list(d), paste0(".zh_d", seq_len(nb))))
  if (isTRUE(opts$show_sql)) return(list(sql = c(sql1, sql2), sums = NULL))
  sums <- zh_db_run(con, sql2, opts)
  sums <- sums[match(groups$key, as.double(sums$.zh_key)), , drop = FALSE]
  list(sql = c(sql1, sql2), sums = sums, groups = groups)
}

# The patterns of a block from its first query: key, weight, per variable
# (columns) present, min, max, mean, the shift c and exponent e of the
# second query, and whether the pattern has its own (else c0, e0).
zh_db_cor_groups <- function(g1, nb) {
  num <- function(v) { v <- as.double(v); v[is.na(v)] <- 0; v }
  key <- as.double(g1$.zh_key)
  n <- num(g1$.zh_n)
  col <- function(nm) sapply(seq_len(nb), function(i) as.double(g1[[paste0(".zh_", nm, i)]]))
  mat <- function(v) matrix(v, length(key), nb)
  lo <- mat(col("lo"))
  hi <- mat(col("hi"))
  bsum <- mat(col("b"))
  ssum <- mat(col("s"))
  bsum[is.na(bsum)] <- 0
  ssum[is.na(ssum)] <- 0
  present <- !is.na(lo) & n > 0
  # the mean: sum x = b 2^64 + s 2^-64
  mean <- ifelse(bsum != 0, zh_ldexp(bsum / n + zh_ldexp(ssum / n, -128), 64),
                 zh_ldexp(ssum / n, -64))
  mean <- pmin(pmax(mean, lo), hi)
  mean[!present] <- NA_real_
  e <- K <- matrix(0, length(key), nb)
  for (i in seq_len(nb)) for (g in which(present[, i])) {
    se <- zh_db_cor_shift(mean[g, i], lo[g, i], hi[g, i])
    e[g, i] <- se[1]
    K[g, i] <- se[2]
  }
  # the block's shift and scale for the patterns without their own
  K0 <- e0 <- numeric(nb)
  own <- matrix(FALSE, length(key), nb)
  for (i in seq_len(nb)) {
    p <- present[, i]
    if (!any(p)) next
    c0 <- sum((n[p] / sum(n[p])) * mean[p, i])
    se <- zh_db_cor_shift(c0, min(lo[p, i]), max(hi[p, i]))
    e0[i] <- se[1]
    K0[i] <- se[2]
    own[p, i] <- if (sum(p) <= 64) TRUE else
      abs(mean[p, i] / 4 - c0 / 4) > 2 * (hi[p, i] / 4 - lo[p, i] / 4) | e[p, i] < e0[i] - 200
    e[p & !own[, i], i] <- e0[i]
    K[p & !own[, i], i] <- K0[i]
  }
  list(key = key, n = n, present = present, lo = lo, hi = hi, e = e, K = K, own = own,
       K0 = K0, e0 = e0)
}

# The deviations' shift and scale for values of mean m in [lo, hi]:
# d = x / 2^e - K, K an integer below 2^53 (its literal exact in every
# engine, as are powers of two), 2^e a millionth of a power of two above the
# deviations from m, or finer when m needs it; K 2^e is m to those digits
# (a constant: exactly). Returns c(e, K).
zh_db_cor_shift <- function(m, lo, hi) {
  if (lo == hi) {
    e <- if (lo == 0) 0 else zh_pow2(abs(lo)) - 53
    return(c(e, zh_ldexp(lo, -e)))
  }
  e <- zh_pow2(max(hi / 4 - m / 4, m / 4 - lo / 4)) + 2 - 20
  if (m != 0) e <- max(e, zh_pow2(abs(m)) - 53)
  c(e, round(zh_ldexp(m, -e)))
}

# SQL for x / 2^e - K: two powers of two, each within the normal doubles.
zh_db_cor_dev <- function(x, e, K) {
  h <- (-e) %/% 2
  sprintf("%s * %s * %s - %s", x, zh_sql_number(2^h), zh_sql_number(2^(-e - h)),
          zh_sql_number(K))
}

# Adds a block's pattern sums to the sufficient statistics. Per pattern and
# variable, the mean and central sums (in units of its 2^e) from the
# deviations about its own shift; the patterns where both variables of a
# pair are present then combine exactly, in units of a power of two above
# the pair's range: ss = sum_g [ss_g + n_g (m_g - m)^2], cp likewise. r
# comes from those units (ss and cp in the data's units may overflow), a
# constant variable from its minimum and maximum.
zh_db_cor_add <- function(stats, sums, groups, idx, pairs) {
  num <- function(v) { v <- as.double(v); v[is.na(v)] <- 0; v }
  n <- groups$n
  S <- sapply(seq_along(idx), function(i) num(sums[[paste0(".zh_s", i)]]))
  S <- matrix(S, length(n), length(idx))
  P <- function(a, b) num(sums[[sprintf(".zh_p%d_%d", min(a, b), max(a, b))]])
  pair_var <- function(a, both) {
    ng <- n[both]
    sa <- S[both, a]
    e <- groups$e[both, a]
    K <- groups$K[both, a]
    N <- sum(ng)
    lo <- min(groups$lo[both, a])
    hi <- max(groups$hi[both, a])
    E <- if (lo == hi) 0 else zh_pow2(hi / 4 - lo / 4) + 2
    # each pattern's mean minus the largest one's shift, in units of 2^E:
    # the shifts' difference is exact, so offsets of 1e9 cost nothing
    r <- which.max(ng)
    dm <- (zh_ldexp(K, e - E) - zh_ldexp(K[r], e[r] - E)) + zh_ldexp(sa / ng, e - E)
    mu <- sum((ng / N) * dm)
    dm <- dm - mu
    m <- min(max(zh_ldexp(K[r], e[r]) + zh_ldexp(mu, E), lo), hi)
    ss_g <- pmax(P(a, a)[both] - sa * (sa / ng), 0)
    list(N = N, m = m, E = E, e = e, sa = sa, dm = dm, const = lo == hi,
         ss = sum(zh_ldexp(ss_g, 2 * (e - E)) + ng * dm^2))
  }
  for (p in seq_len(nrow(pairs))) {
    a <- pairs[p, 1]
    b <- pairs[p, 2]
    both <- groups$present[, a] & groups$present[, b]
    i <- idx[a]
    j <- idx[b]
    if (!any(both)) {
      stats$n[i, j] <- stats$n[j, i] <- 0
      next
    }
    va <- pair_var(a, both)
    vb <- pair_var(b, both)
    ng <- n[both]
    cp_g <- P(a, b)[both] - va$sa * (vb$sa / ng)
    cp <- sum(zh_ldexp(cp_g, va$e + vb$e - va$E - vb$E) + ng * va$dm * vb$dm)
    stats$n[i, j] <- stats$n[j, i] <- va$N
    stats$mean[i, j] <- va$m
    stats$mean[j, i] <- vb$m
    stats$ss[i, j] <- zh_ldexp(va$ss, 2 * va$E)
    stats$ss[j, i] <- zh_ldexp(vb$ss, 2 * vb$E)
    stats$cp[i, j] <- stats$cp[j, i] <- zh_ldexp(cp, va$E + vb$E)
    r <- if (va$const || vb$const || !(va$ss > 0) || !(vb$ss > 0)) NA_real_ else
      if (i == j) 1 else max(-1, min(1, cp / sqrt(va$ss) / sqrt(vb$ss)))
    attr(stats, "pair")[[sprintf("%d_%d", min(i, j), max(i, j))]] <- r
  }
  stats
}

# r, N and p from the sufficient statistics, by the rules of the in-memory
# engine (fewer than 3 cases, or no variance: r is NA with the reason).
# The one place that turns zh_cor_stats into a zh_cor_matrix here; it routes
# through the zh_cor_stats method of cor_matrix() once that exists.
zh_db_cor_result <- function(stats, w_name, args, env, labels) {
  vars <- rownames(stats$n)
  k <- length(vars)
  r <- matrix(NA_real_, k, k)
  reason <- matrix(0L, k, k)
  pr <- attr(stats, "pair")
  for (i in seq_len(k)) for (j in seq_len(k)) {
    n <- stats$n[i, j]
    if (!(n >= 3)) { reason[i, j] <- 1L; next }
    # NA from zh_db_cor_add(): a constant variable (min = max) or no variance
    rij <- pr[[sprintf("%d_%d", min(i, j), max(i, j))]]
    if (is.na(rij)) {
      reason[i, j] <- 2L
      next
    }
    r[i, j] <- rij
  }
  opt <- function(a, default) if (is.null(args[[a]])) default else eval(args[[a]], env)
  tails <- zh_cor_check_tails(opt("tails", 2))
  conf_level <- opt("conf_level", NULL)
  zh_cor_check_conf(conf_level)
  p_adjust <- zh_match_arg(opt("p_adjust", "none"), "p_adjust", stats::p.adjust.methods)
  use <- zh_match_arg(opt("use", "pairwise"), "use", c("pairwise", "listwise"))
  out <- zh_cor_build(r, stats$n, "pearson", reason = reason, vars = vars, labels = unname(labels),
                      use = use, tails = tails, conf_level = conf_level, p_adjust = p_adjust,
                      weighted = !is.null(w_name))
  # the sufficient statistics, as cor_matrix() keeps them for a data frame
  out$stats <- zh_cor_stats(stats$n, stats$mean, stats$ss, stats$cp,
                            weighted = !is.null(w_name), use = use)
  out
}
