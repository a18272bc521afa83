# describe() and means_table() on a lazy table: the moments of each
# variable (or of each group) from two queries. The first sums the weights
# and the weighted values (in two parts that neither overflow nor vanish:
# the mean), counts the cases and gets the minimum and maximum; the second
# sums the weighted powers 1 to 4 of d = x / 2^e - K, K 2^e the mean and 2^e
# from the range (so that 1e300s do not overflow in SQL nor 1e-300s vanish).
# R turns these into central moments (exact up to rounding however large the
# mean) and then into the statistics, by the same code as for a data frame. Percentiles, medians and
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
              # the weighted sum in two parts that neither overflow nor vanish
              b = function(i) sprintf("SUM(CASE WHEN ABS(%s) >= 1 THEN %s * (%s * %.17g) END)",
                                      qi(".zh_x", i), q(".zh_w"), qi(".zh_x", i), 2^-64),
              s = function(i) sprintf("SUM(CASE WHEN ABS(%s) < 1 THEN %s * (%s * %.17g) END)",
                                      qi(".zh_x", i), q(".zh_w"), qi(".zh_x", i), 2^64),
              n = function(i) zh_db_dbl(con, sprintf("COUNT(%s)", qi(".zh_x", i))),
              mW = function(i) sprintf("SUM(%s)", qi(".zh_m", i)),
              mn = function(i) zh_db_dbl(con, sprintf("COUNT(%s)", qi(".zh_m", i))),
              min = function(i) sprintf("MIN(%s)", qi(".zh_x", i)),
              max = function(i) sprintf("MAX(%s)", qi(".zh_x", i))), nv))
    first <- zh_db_group_query(tbl, g, p1, cols1)
    sqls <- c(sqls, first$sql)
    if (isTRUE(opts$show_sql)) {
      # the second query needs the means in its text: placeholders here
      at <- if (length(g)) sprintf("_by_%s", g) else ""
      dev_sql <- sprintf("%s * :scale_%s%s - :shift_%s%s", x, v_names, at, v_names, at)
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
      # each group's shift and scale (as for Pearson: d = x / 2^e - K)
      shift <- lapply(seq_along(x), function(i) {
        m1 <- function(nm) as.double(s1[[sprintf(".zh_%s%d", nm, i)]])
        lo <- m1("min")
        hi <- m1("max")
        if (any(!is.na(lo) & !is.finite(lo) | !is.na(hi) & !is.finite(hi))) {
          zh_abort(sprintf("`%s` column `%s` must not contain infinite values.",
                           if (fun == "describe") "vars" else "outcome", v_names[i]), "value")
        }
        W <- m1("W")
        b <- m1("b")
        sm <- m1("s")
        b[is.na(b)] <- 0
        sm[is.na(sm)] <- 0
        mean <- ifelse(b != 0, zh_ldexp(b / W + zh_ldexp(sm / W, -128), 64), zh_ldexp(sm / W, -64))
        ek <- vapply(seq_along(lo), function(j) {
          if (is.na(lo[j]) || !(W[j] > 0)) return(c(0, 0))
          zh_db_cor_shift(min(max(mean[j], lo[j]), hi[j]), lo[j], hi[j])
        }, c(0, 0))
        list(e = ek[1, ], K = ek[2, ])
      })
      dev_sql <- vapply(seq_along(x), function(i) {
        e <- shift[[i]]$e
        K <- shift[[i]]$K
        if (!length(g)) return(zh_db_cor_dev(x[i], e, K))
        zh_db_case_dev(con, q(g), s1[[g]], x[i], e, K)
      }, "")
    }
    cols2 <- c(list(.zh_w = w), stats::setNames(lapply(nv, function(i) {
      sprintf("CASE WHEN %s THEN %s END", valid(i), dev_sql[i])
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
    if (fun == "describe") {
      mom <- do.call(rbind, lapply(rows, function(r) {
        c(zh_db_merge(r), sum(r$mW), sum(r$mn))
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
    accs <- c(lapply(seq_along(gc$labels), function(k) {
      zh_db_merge(r, !is.na(code) & code == k, acc = TRUE)
    }), list(zh_db_merge(r, acc = TRUE)))
    mom <- do.call(rbind, lapply(accs, zh_db_mom_row))
    # each group's mean minus the total's in units of its 2^e, from the
    # means' exact parts (as the engine gives them, src/means.c)
    tot <- accs[[length(accs)]]
    mom <- cbind(mom, vapply(accs, function(a) {
      if (is.null(a)) return(NA_real_)
      (zh_ldexp(a$base, -tot$e) - zh_ldexp(tot$base, -tot$e)) +
        (zh_ldexp(a$off, -tot$e) - zh_ldexp(tot$off, -tot$e))
    }, 1))
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
# cases, the shift K 2^e and scale 2^e of d = x / 2^e - K, the sums s of d
# to the powers 1 to 4 (columns), min, max.
zh_db_central <- function(s1, s2, i, shift) {
  col <- function(s, nm) {
    v <- as.double(s[[sprintf(".zh_%s%d", nm, i)]])
    v[is.na(v)] <- 0
    v
  }
  mm <- function(nm) as.double(s1[[sprintf(".zh_%s%d", nm, i)]])
  list(W = col(s1, "W"), n = col(s1, "n"), mW = col(s1, "mW"), mn = col(s1, "mn"), e = shift$e,
       K = shift$K, s = do.call(cbind, lapply(paste0("s", 1:4), function(nm) col(s2, nm))),
       min = mm("min"), max = mm("max"))
}

# The moments (W, cases, mean, v2, v3, v4, min, max, e: the columns of the
# engine, see zh_moment_stats()) of the rows `keep` of `r` together: each
# row's central moments per unit of weight from its sums about its own
# shift, in units of its 2^e; the rows merged as the engine merges blocks
# (src/describe.c, zh_mom_merge), means as shift + offset so that neither
# step loses digits to a large mean.
zh_db_merge <- function(r, keep = rep(TRUE, length(r$W)), acc = FALSE) {
  keep <- which(keep & r$W > 0)
  if (!length(keep)) return(if (acc) NULL else zh_db_mom_row(NULL))
  a <- NULL
  for (k in keep) {
    W <- r$W[k]
    s <- r$s[k, ] / W
    mu <- s[1]
    b <- list(w = W, n = r$n[k], base = zh_ldexp(r$K[k], r$e[k]), off = zh_ldexp(mu, r$e[k]),
              v2 = max(s[2] - mu * s[1], 0), v3 = s[3] - 3 * mu * s[2] + 2 * mu^3,
              v4 = max(s[4] - 4 * mu * s[3] + 6 * mu^2 * s[2] - 3 * mu^4, 0), e = r$e[k],
              min = r$min[k], max = r$max[k])
    a <- if (is.null(a)) b else zh_mom_merge(a, b)
  }
  if (acc) a else zh_db_mom_row(a)
}

# The engine's columns from a merged set (NULL: no case).
zh_db_mom_row <- function(a) {
  if (is.null(a)) return(c(0, 0, rep(NA_real_, 6), 0))
  c(a$w, a$n, a$base + a$off, a$v2, a$v3, a$v4, a$min, a$max, a$e)
}

# a + b, as zh_mom_merge() in src/describe.c (per unit of weight, in units
# of the larger scale or of the means' difference when it is far larger).
zh_mom_merge <- function(a, b) {
  W <- a$w + b$w
  fa <- a$w / W
  fb <- b$w / W
  dl <- (b$base - a$base) + (b$off - a$off)
  E <- max(a$e, b$e)
  rebase <- !is.finite(dl)
  if (rebase) {
    hd <- (0.5 * b$base - 0.5 * a$base) + (0.5 * b$off - 0.5 * a$off)
    E <- max(E, zh_pow2(abs(hd)) + 1)
    ds <- zh_ldexp(hd, 1 - E)
  } else {
    if (dl != 0 && zh_pow2(abs(dl)) - E > 200) E <- zh_pow2(abs(dl))
    ds <- zh_ldexp(dl, -E)
  }
  sc <- function(v, k, e) zh_ldexp(v, k * (e - E))
  a2 <- sc(a$v2, 2, a$e); a3 <- sc(a$v3, 3, a$e); a4 <- sc(a$v4, 4, a$e)
  b2 <- sc(b$v2, 2, b$e); b3 <- sc(b$v3, 3, b$e); b4 <- sc(b$v4, 4, b$e)
  ff <- fa * fb
  out <- list(w = W, n = a$n + b$n, e = E, min = min(a$min, b$min), max = max(a$max, b$max),
              v2 = fa * a2 + fb * b2 + ds^2 * ff,
              v3 = fa * a3 + fb * b3 + ds^3 * ff * (fa - fb) + 3 * ds * ff * (b2 - a2),
              v4 = fa * a4 + fb * b4 + ds^4 * ff * (fa^2 - fa * fb + fb^2) +
                6 * ds^2 * ff * (fa * b2 + fb * a2) + 4 * ds * ff * (b3 - a3))
  if (rebase) {
    out$base <- fa * (a$base + a$off) + fb * (b$base + b$off)
    out$off <- 0
  } else {
    out$base <- a$base
    out$off <- a$off + fb * dl
  }
  out
}

# `CASE WHEN g = key THEN x / 2^e - K ... END`, the keys as literals of the
# dialect (doubles with every digit).
zh_db_case_dev <- function(con, g, keys, x, e, K) {
  lit <- vapply(seq_along(keys), function(j) {
    k <- keys[[j]]
    if (is.numeric(k)) zh_sql_number(k) else as.character(dbplyr::escape(k, con = con))
  }, "")
  sprintf("CASE %s END", paste(sprintf("WHEN %s = %s THEN %s", g, lit, zh_db_cor_dev(x, e, K)),
                               collapse = " "))
}
