# describe() and means_table() on a lazy table: the moments of each
# variable (or of each group) from two queries. The first sums the weights
# and the weighted values (the mean, used as a shift), counts the cases and
# gets the minimum and maximum; the second sums the weighted powers 1 to 4 of
# the values minus that shift. R turns these shifted sums into central
# moments (exact up to rounding however large the mean) and then into the
# statistics, by the same code as for a data frame. Percentiles, medians and
# modes need the sorted values: a classed error says to collect or to bin.

zh_db_moments <- function(fun, tbl, proto, one, many, w_name, args, opts, env) {
  opt <- function(a, default) if (is.null(args[[a]])) default else eval(args[[a]], env)
  if (fun == "describe") {
    v_names <- many$vars
    a <- zh_describe_args(opt("statistics", eval(formals(describe)$statistics)),
                          opt("percentiles", NULL), opt("method", "haverage"),
                          opt("grouped", FALSE), v_names, w_name)
    # the median of the default statistics is left out rather than refused
    if (is.null(args$statistics)) a$statistics <- setdiff(a$statistics, "median")
    sorted <- intersect(a$statistics, c("median", "mode", "quartiles"))
    how <- paste("need the sorted values; collect() the data first, or bin the variable in",
                 "the database and use freq_table().")
    if (length(sorted)) {
      what <- c(median = "the median", mode = "the mode", quartiles = "the quartiles")
      zh_abort(sprintf("`statistics` must not include \"%s\" for a lazy table: %s %s", sorted[1],
                       what[[sorted[1]]],
                       if (sorted[1] == "quartiles") how else sub("^need", "needs", how)), "input")
    }
    if (length(a$percentiles)) {
      zh_abort(paste("`percentiles` must be NULL for a lazy table: percentiles", how), "input")
    }
    for (v in v_names) zh_numeric_values(zh_db_proto_col(proto[[v]]), v, "vars")
  } else {
    v_names <- one$outcome
    statistics <- opt("statistics", eval(formals(means_table)$statistics))
    anova <- opt("anova", TRUE)
    zh_means_args(anova, statistics, v_names, many$by, w_name)
    zh_numeric_values(zh_db_proto_col(proto[[v_names]]), v_names, "outcome")
  }
  con <- zh_db_con(tbl)
  q <- function(x) zh_db_q(con, x)
  w <- zh_db_dbl(con, if (is.null(w_name)) "1" else q(w_name))
  x <- stats::setNames(vapply(v_names, function(v) zh_db_dbl(con, q(v)), ""), v_names)
  # a case counts when its value is not NULL and its weight positive; the
  # missing ones are those with a NULL value and a positive weight
  wpos <- if (is.null(w_name)) NULL else sprintf("%s > 0", q(w_name))
  when <- function(...) paste(c(...), collapse = " AND ")
  qi <- function(prefix, i) q(paste0(prefix, i))
  nv <- seq_along(x)
  # per variable: the value of a case that counts (else NULL), the weight
  # of a case with a missing value (else NULL)
  valid <- function(i) when(sprintf("%s IS NOT NULL", q(v_names[i])), wpos)
  cols1 <- c(list(.zh_w = w),
             stats::setNames(lapply(nv, function(i) {
               sprintf("CASE WHEN %s THEN %s END", valid(i), x[i])
             }), paste0(".zh_x", nv)),
             stats::setNames(lapply(nv, function(i) {
               sprintf("CASE WHEN %s THEN %s END", when(sprintf("%s IS NULL", q(v_names[i])), wpos), w)
             }), paste0(".zh_m", nv)))
  groups <- if (fun == "describe") list(character()) else as.list(many$by)
  sqls <- character()
  tables <- list()
  for (g in groups) {
    p1 <- c(list(.zh_rows = zh_db_dbl(con, "COUNT(*)"),
                 .zh_neg = if (is.null(w_name)) zh_db_dbl(con, "0") else zh_db_neg(con, q(".zh_w")),
                 .zh_wsum = sprintf("SUM(%s)", q(".zh_w"))),
            zh_db_agg_names(list(
              W = function(i) sprintf("SUM(CASE WHEN %s IS NOT NULL THEN %s END)", qi(".zh_x", i), q(".zh_w")),
              S = function(i) sprintf("SUM(%s * %s)", q(".zh_w"), qi(".zh_x", i)),
              n = function(i) zh_db_dbl(con, sprintf("COUNT(%s)", qi(".zh_x", i))),
              mW = function(i) sprintf("SUM(%s)", qi(".zh_m", i)),
              mn = function(i) zh_db_dbl(con, sprintf("COUNT(%s)", qi(".zh_m", i))),
              min = function(i) sprintf("MIN(%s)", qi(".zh_x", i)),
              max = function(i) sprintf("MAX(%s)", qi(".zh_x", i))), nv))
    first <- zh_db_group_query(tbl, g, p1, cols1)
    sqls <- c(sqls, first$sql)
    if (isTRUE(opts$show_sql)) {
      # the second query needs the means in its text: placeholders here
      shift_sql <- sprintf(":mean_%s%s", v_names, if (length(g)) sprintf("_by_%s", g) else "")
    } else {
      s1 <- zh_db_run(first$con, first$sql, opts, opts$max_cells)
      zh_db_moment_checks(s1, w_name, fun)
      total_w <- if (is.null(w_name)) sum(as.double(s1$.zh_rows)) else
        sum(as.double(s1$.zh_wsum), na.rm = TRUE)
      if (length(g)) {
        # NULL keys (and values outside the user's levels) are missing
        key <- zh_db_key(s1[[g]], proto[[g]], g, opts)
        s1 <- s1[!is.na(key), , drop = FALSE]
        key <- key[!is.na(key)]
        gc <- zh_means_codes(key, g)
      }
      shift <- lapply(seq_along(x), function(i) {
        m <- as.double(s1[[paste0(".zh_S", i)]]) / as.double(s1[[paste0(".zh_W", i)]])
        m[!is.finite(m)] <- 0
        m
      })
      # each group's own shift, by a CASE over the groups' keys
      shift_sql <- vapply(seq_along(x), function(i) {
        if (length(g)) zh_db_case(con, q(g), s1[[g]], shift[[i]]) else sprintf("%.17g", shift[[i]])
      }, "")
    }
    cols2 <- c(list(.zh_w = w), stats::setNames(lapply(nv, function(i) {
      sprintf("CASE WHEN %s THEN %s - %s END", valid(i), x[i], shift_sql[i])
    }), paste0(".zh_d", nv)))
    p2 <- zh_db_agg_names(stats::setNames(lapply(1:4, function(k) {
      force(k)
      function(i) sprintf("SUM(%s)", paste(c(q(".zh_w"), rep(qi(".zh_d", i), k)), collapse = " * "))
    }), paste0("s", 1:4)), nv)
    second <- zh_db_group_query(tbl, g, p2, cols2)
    sqls <- c(sqls, second$sql)
    if (isTRUE(opts$show_sql)) next
    s2 <- zh_db_run(second$con, second$sql, opts, opts$max_cells)
    if (length(g)) {
      s2 <- s2[!is.na(s2[[g]]), , drop = FALSE]
      s2 <- s2[match(s1[[g]], s2[[g]]), , drop = FALSE]
    }
    rows <- lapply(seq_along(x), function(i) zh_db_central(s1, s2, i, shift[[i]]))
    bad <- which(vapply(rows, function(r) any(r$W > 0 & !is.finite(r$s[, 1])), TRUE))
    if (length(bad)) {
      zh_abort(sprintf("`%s` column `%s` must not contain infinite values.",
                       if (fun == "describe") "vars" else "outcome", v_names[bad[1]]), "value")
    }
    if (fun == "describe") {
      mom <- do.call(rbind, lapply(rows, function(r) {
        c(zh_db_merge(r)[1:9], sum(r$mW), sum(r$mn))
      }))
      np <- length(sort(unique(c(25, 50, 75, a$percentiles))))
      pm <- matrix(NA_real_, length(v_names), np)
      labels <- stats::setNames(rep(NA_character_, length(v_names)), v_names)
      return(zh_describe_new(mom, pm, rep(NA_real_, length(v_names)),
                             rep(FALSE, length(v_names)), v_names, labels, a$statistics,
                             a$percentiles, a$method, opt("grouped", FALSE),
                             weighted = !is.null(w_name)))
    }
    r <- rows[[1]]
    code <- as.integer(gc$codes)
    mom <- rbind(do.call(rbind, lapply(seq_along(gc$labels), function(k) {
      zh_db_merge(r, !is.na(code) & code == k)
    })), zh_db_merge(r))
    tables[[g]] <- zh_means_from_moments(mom, gc, key, g, v_names, !is.null(w_name), total_w)
  }
  if (isTRUE(opts$show_sql)) return(sqls)
  zh_means_new(v_names, NA_character_, tables, statistics, anova, !is.null(w_name))
}

# A 0-row column as the type checks take it: SQLite reports columns
# without a declared type (computed ones) as logical.
zh_db_proto_col <- function(x) if (is.logical(x) && !length(x)) double() else x

# Aggregates named .zh_<name><i>, for each variable i.
zh_db_agg_names <- function(makers, idx) {
  out <- list()
  for (nm in names(makers)) for (i in idx) out[[sprintf(".zh_%s%d", nm, i)]] <- makers[[nm]](i)
  out
}

# A query of aggregates over the columns `cols` computed first, grouped by
# `g` (or not).
zh_db_group_query <- function(tbl, g, aggs, cols) {
  list(con = zh_db_con(tbl), sql = zh_db_select(tbl, g, aggs, cols))
}

# `CASE WHEN g = key THEN value ... END`, the keys as literals of the
# dialect (doubles with every digit).
zh_db_case <- function(con, g, keys, values) {
  lit <- vapply(seq_along(keys), function(j) {
    k <- keys[[j]]
    if (is.numeric(k)) sprintf("%.17g", k) else as.character(dbplyr::escape(k, con = con))
  }, "")
  sprintf("CASE %s END", paste(sprintf("WHEN %s = %s THEN %.17g", g, lit, values),
                               collapse = " "))
}

# The checks of a data frame, in its order: rows, negative weights, a
# positive weight, the total.
zh_db_moment_checks <- function(s1, w_name, fun) {
  num <- function(v) sum(as.double(v), na.rm = TRUE)
  rows <- num(s1$.zh_rows)
  if (!(rows > 0)) zh_abort("`data` must have at least one row, not 0.", "data")
  if (num(s1$.zh_neg) > 0) zh_negative_weights("weights", num(s1$.zh_neg))
  if (!is.null(w_name)) {
    if (!(num(s1$.zh_wsum) > 0)) {
      zh_abort(sprintf("`weights` must have at least one positive value; column `%s` has none.",
                       w_name), "weights")
    }
    zh_check_total(num(s1$.zh_wsum), "weights")
  }
}

# Variable i's sums per row of the first query: W, cases, missing W and
# cases, shift c, shifted sums s (columns 1 to 4), min, max.
zh_db_central <- function(s1, s2, i, shift) {
  col <- function(s, nm) {
    v <- as.double(s[[sprintf(".zh_%s%d", nm, i)]])
    v[is.na(v)] <- 0
    v
  }
  mm <- function(nm) as.double(s1[[sprintf(".zh_%s%d", nm, i)]])
  list(W = col(s1, "W"), n = col(s1, "n"), mW = col(s1, "mW"), mn = col(s1, "mn"), c = shift,
       s = do.call(cbind, lapply(paste0("s", 1:4), function(nm) col(s2, nm))), min = mm("min"), max = mm("max"))
}

# The moments (W, cases, mean, M2, M3, M4, min, max) of the rows `keep` of
# `r` together. Each row's central moments come from its sums shifted by
# its own mean; rows are merged about a common shift, whose differences to
# the rows' shifts are exact, so that neither step loses digits to a large
# mean.
zh_db_merge <- function(r, keep = rep(TRUE, length(r$W))) {
  keep <- keep & r$W > 0
  W <- sum(r$W[keep])
  if (!(W > 0)) return(c(W, sum(r$n[keep]), rep(NA_real_, 6), 0))
  Wk <- r$W[keep]
  s <- r$s[keep, , drop = FALSE]
  e <- s[, 1] / Wk
  m2 <- s[, 2] - s[, 1] * e
  m3 <- s[, 3] - 3 * e * s[, 2] + 2 * Wk * e^3
  m4 <- s[, 4] - 4 * e * s[, 3] + 6 * e^2 * s[, 2] - 3 * Wk * e^4
  c0 <- r$c[keep][which.max(Wk)]
  dk <- (r$c[keep] - c0) + e
  ebar <- sum(Wk * dk) / W
  dk <- dk - ebar
  M2 <- sum(m2) + sum(Wk * dk^2)
  M3 <- sum(m3 + 3 * dk * m2 + Wk * dk^3)
  M4 <- sum(m4 + 4 * dk * m3 + 6 * dk^2 * m2 + Wk * dk^4)
  c(W, sum(r$n[keep]), c0 + ebar, M2 / W, M3 / W, M4 / W, min(r$min[keep]), max(r$max[keep]), 0)
}
