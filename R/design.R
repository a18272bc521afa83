# Complex survey designs. A `survey.design2` or `svyrep.design` (package
# survey) is taken apart here; C counts the weighted cell totals in one
# pass (per sampling unit, or per replicate), and every design-based
# statistic is a function of those totals:
#   * linearisation designs: the covariance V of the cell totals, assembled
#     per stratum (and per stage when later stages have a finite population
#     correction) as survey's svyrecvar() defines it; the SE of any smooth
#     function g(T) of the totals is sqrt(g' V g) (delta method);
#   * replicate designs: the totals per replicate; percentages are
#     recomputed per replicate (as svymean() does), tests and measures use
#     the replicate covariance of the totals.
# Point estimates of the measures come from the table of estimated
# population counts through the same statistics code crosstab() uses.

zh_is_design <- function(x) inherits(x, c("survey.design", "svyrep.design"))

zh_need_survey <- function() {
  if (!requireNamespace("survey", quietly = TRUE)) {
    zh_abort("Package `survey` must be installed to analyse a survey design.", "package")
  }
}

# The parts of a design that the engine needs, checked.
zh_design_parts <- function(design) {
  zh_need_survey()
  if (inherits(design, "svyrep.design")) {
    w <- as.double(stats::weights(design, "sampling"))
    reps <- stats::weights(design, "analysis")
    storage.mode(reps) <- "double"
    return(list(kind = "replicate", variables = design$variables, w = w,
                reps = unname(as.matrix(reps)), scale = design$scale,
                rscales = design$rscales, mse = isTRUE(design$mse),
                df = survey::degf(design), type = design$type,
                n_rep = ncol(reps)))
  }
  if (!inherits(design, "survey.design2")) {
    zh_abort(sprintf(paste0("`data` must be a survey design made by survey::svydesign() ",
                            "(class survey.design2) or a replicate design (svyrep.design), ",
                            "not one of class %s."), class(design)[1]), "design")
  }
  w <- 1 / as.double(design$prob)  # prob = Inf marks a case outside a subset: weight 0
  st <- design$strata
  cl <- design$cluster
  list(kind = "linear", variables = design$variables, w = w, design = design,
       # degrees of freedom as svychisq() counts them: PSUs minus strata
       df = length(unique(cl[, 1])) - length(unique(st[, 1])),
       n_strata = length(unique(st[, 1])), n_psu = length(unique(cl[, 1])),
       calibrated = !is.null(design$postStrata))
}

# Integer ids of the combinations of the columns of a data frame, in order
# of first appearance (ids of earlier columns first).
zh_group_ids <- function(cols) {
  id <- NULL
  for (x in cols) {
    g <- match(x, unique(x))
    id <- if (is.null(id)) g else {
      k <- id * (max(g) + 1) + g
      match(k, unique(k))
    }
  }
  id
}

# Cell totals of a table: `cell` holds codes 1..K (NA = left out). Returns
# list(total, V) for linearisation designs, list(total, rep) for replicate
# designs, plus n (cases in the table), N (their weight).
zh_design_cell_totals <- function(parts, cell, K) {
  cell <- as.integer(cell)
  w <- parts$w
  if (parts$kind == "replicate") {
    out <- .Call(zh_design_totals, cell, w, NULL, 0L, parts$reps, as.integer(K))
    return(list(total = out$total, rep = out$rep, cases = out$cases,
                cases_pos = out$cases_pos))
  }
  d <- parts$design
  if (parts$calibrated) {
    # calibration residualises the case-level values before the strata
    # sums; that step is survey's own (a case-level matrix, not one pass)
    out <- .Call(zh_design_totals, cell, w, NULL, 0L, NULL, as.integer(K))
    x <- outer(cell, seq_len(K), "==") * w
    x[is.na(x)] <- 0
    V <- survey::svyrecvar(x, d$cluster, d$strata, d$fpc, postStrata = d$postStrata)
    return(list(total = out$total, V = unname(as.matrix(V)), cases = out$cases,
                cases_pos = out$cases_pos))
  }
  un <- zh_design_units(d)
  out <- .Call(zh_design_totals, cell, w, un$unit, un$U, NULL, as.integer(K))
  V <- zh_stage_var(out$unit, un$info, stage = 1L, multi = un$multi)
  res <- list(total = out$total, V = V, cases = out$cases, cases_pos = out$cases_pos)
  if (identical(getOption("survey.lonely.psu"), "average")) {
    res$average <- zh_average_strata(out$unit, un$info)
    f <- zh_average_factor(res$average, seq_len(K))
    res$V <- res$V * f
  }
  res
}

# lonely.psu = "average" scales the variance by the number of strata over
# the number that have a variance, and survey counts only the strata with
# cases of the estimate's domain (a subset drops the others). The variance
# above counted all strata: zh_average_factor() gives the correction for a
# domain (a set of cells).
zh_average_strata <- function(unit_totals, info) {
  h <- info$strata[, 1]
  n_psu <- info$n_psu[, 1]
  f <- if (is.null(info$popsize)) rep(1, length(h)) else
    ifelse(info$popsize[, 1] == Inf, 1, (info$popsize[, 1] - n_psu) / info$popsize[, 1])
  ok <- tapply(n_psu > 1 | f < 1e-7, h, all)
  present <- rowsum((unit_totals > 0) * 1, h, reorder = TRUE) > 0
  list(present = present, ok = as.vector(ok[rownames(present)]),
       base = length(ok) / sum(ok))
}

zh_average_factor <- function(avg, cells) {
  pres <- apply(avg$present[, cells, drop = FALSE], 1, any)
  (sum(pres) / sum(pres & avg$ok)) / avg$base
}

# Variance of totals from unit totals x (units x K), as survey's
# multistage(): the first stage's between-PSU variance, plus, when later
# stages have a finite population correction, each PSU's within-PSU
# variance times that PSU's sampling fraction.
zh_stage_var <- function(x, info, stage, multi) {
  v <- zh_onestage(x, info$strata[, 1], info$cluster[, 1], info$n_psu[, 1],
                   if (!is.null(info$popsize)) info$popsize[, 1], stage)
  if (multi && !is.null(info$popsize) && ncol(info$cluster) > 1L) {
    for (idx in split(seq_len(nrow(x)), as.numeric(info$cluster[, 1]))) {
      sub <- lapply(info, function(m) if (!is.null(m)) m[idx, -1L, drop = FALSE])
      v <- v + zh_stage_var(x[idx, , drop = FALSE], sub, stage + 1L, multi) *
        info$n_psu[idx[1], 1] / info$popsize[idx[1], 1]
    }
  }
  v
}

zh_onestage <- function(x, strata, cluster, n_psu, popsize, stage) {
  K <- ncol(x)
  if (!nrow(x)) return(matrix(0, K, K))
  lonely <- getOption("survey.lonely.psu", "fail")
  by_stratum <- split(seq_len(nrow(x)), factor(strata))
  vs <- lapply(by_stratum, function(idx) {
    zh_onestrat(x[idx, , drop = FALSE], cluster[idx], n_psu[idx[1]],
                if (!is.null(popsize)) popsize[idx], lonely, strata[idx[1]], stage)
  })
  ok <- !vapply(vs, function(m) anyNA(m), TRUE)
  # lonely.psu = "average": the strata that have a variance stand in for
  # those that have none
  v <- Reduce(`+`, lapply(vs[ok], function(m) { m[is.na(m)] <- 0; m }), matrix(0, K, K))
  v * length(vs) / sum(ok)
}

zh_onestrat <- function(x, cluster, n_psu, popsize, lonely, stratum, stage) {
  K <- ncol(x)
  f <- if (is.null(popsize)) 1 else ifelse(popsize == Inf, 1, (popsize - n_psu) / popsize)
  if (all(f < 1e-7)) return(matrix(0, K, K))
  scale <- f[1] * if (n_psu > 1) n_psu / (n_psu - 1) else 1
  x <- rowsum(x, cluster, reorder = TRUE)
  m <- nrow(x)
  # PSUs of the stratum without a case in this table (or subset) count as zeros
  if (m < n_psu) x <- rbind(x, matrix(0, n_psu - m, K))
  domain_lonely <- isTRUE(getOption("survey.adjust.domain.lonely", FALSE))
  if (lonely != "adjust" || m > 1 || (n_psu > 1 && !domain_lonely)) {
    x <- sweep(x, 2, colMeans(x))
  }
  if (m == 1 && n_psu > 1 && domain_lonely) {
    zh_warn(sprintf("Stratum (%s) has only one PSU at stage %d.", stratum, stage), "design")
    if (lonely == "average") scale <- NA
  }
  if (n_psu == 1) {
    if (lonely == "fail") {
      zh_abort(sprintf(paste0("`data` has a stratum (%s) with only one PSU at stage %d; ",
                              "set options(survey.lonely.psu = ) to \"remove\", \"adjust\", ",
                              "\"average\" or \"certainty\"."), stratum, stage), "design")
    }
    if (!lonely %in% c("certainty", "remove", "adjust", "average")) {
      zh_abort(sprintf("Option `survey.lonely.psu` must be one of \"fail\", \"remove\", \"adjust\", \"average\", \"certainty\", not %s.",
                       zh_describe(lonely)), "design")
    }
    if (lonely == "average") return(matrix(NA_real_, K, K))
  }
  unname(crossprod(x) * scale)
}

# survey's svrVar(): replicate variance of the rows of `theta` (replicates x
# statistics), centred at the full-sample value (mse) or the replicate mean.
zh_rep_var <- function(theta, full, parts) {
  theta <- as.matrix(theta)
  centre <- if (parts$mse) full else colMeans(theta[parts$rscales > 0, , drop = FALSE])
  d <- sweep(theta, 2, centre) * sqrt(parts$rscales)
  crossprod(d) * parts$scale
}

# Estimates and SEs of ratios (L1 T) / (L2 T) of linear combinations of the
# cell totals (L2 = NULL: the totals L1 T themselves). Replicate designs
# recompute each ratio per replicate (svymean()'s rule); linearisation
# designs take the gradient (L1 - r L2) / (L2 T).
zh_design_ratio <- function(tot, parts, L1, L2 = NULL) {
  num <- drop(L1 %*% tot$total)
  den <- if (is.null(L2)) rep(1, length(num)) else drop(L2 %*% tot$total)
  est <- num / den
  if (parts$kind == "replicate") {
    rn <- tot$rep %*% t(L1)
    rd <- if (is.null(L2)) 1 else tot$rep %*% t(L2)
    v <- diag(zh_rep_var(rn / rd, est, parts))
  } else {
    G <- if (is.null(L2)) L1 else (L1 - est * L2) / den
    v <- rowSums((G %*% tot$V) * G)
    if (!is.null(tot$average) && !is.null(L2)) {
      # a domain's variance over the strata with cases of the domain
      all_f <- zh_average_factor(tot$average, seq_len(ncol(L1)))
      v <- v * vapply(seq_len(nrow(L2)), function(i) {
        zh_average_factor(tot$average, which(L2[i, ] != 0)) / all_f
      }, 1)
    }
  }
  list(est = est, se = sqrt(pmax(v, 0)))
}

# Covariance of the cell totals: linearisation V, or the replicate one.
zh_design_vcov <- function(tot, parts) {
  if (parts$kind == "replicate") zh_rep_var(tot$rep, tot$total, parts) else tot$V
}

# ---- crosstab on a design --------------------------------------------------

zh_design_crosstab <- function(design, row_expr, col_expr, env, weights = NULL, ...) {
  parts <- zh_design_parts(design)
  zh_check_dots(...)
  zh_design_no_weights(weights)
  data <- parts$variables
  row_name <- zh_column(data, row_expr, "row", env)
  col_name <- zh_column(data, col_expr, "col", env)
  rc <- zh_codes(data[[row_name]], "row")
  cc <- zh_codes(data[[col_name]], "col")
  nr <- length(rc$labels)
  nc <- length(cc$labels)
  if (!nr || !nc) zh_no_cases(list(row = rc$codes, col = cc$codes), c(row_name, col_name), FALSE)
  zh_check_cells(nr, nc, c(row_name, col_name))
  cell <- (as.integer(cc$codes) - 1L) * nr + as.integer(rc$codes)
  tot <- zh_design_cell_totals(parts, cell, nr * nc)
  tab <- matrix(tot$total, nr, nc,
                dimnames = stats::setNames(list(rc$labels, cc$labels), c(row_name, col_name)))
  if (!(sum(tab) > 0)) zh_no_cases(list(row = rc$codes, col = cc$codes), c(row_name, col_name), FALSE)
  # the table with the statistics crosstab() computes on it (count "asis")
  base <- zh_crosstab_build(tab, rc$scores, cc$scores, missing = c(0, 0), weighted = TRUE,
                            count = "asis", ordered = c(rc$ordered, cc$ordered))
  keep <- as.vector(outer(rowSums(tab) > 0, colSums(tab) > 0, "&"))
  tot$total <- tot$total[keep]
  if (!is.null(tot$V)) tot$V <- tot$V[keep, keep, drop = FALSE]
  if (!is.null(tot$rep)) tot$rep <- tot$rep[, keep, drop = FALSE]
  if (!is.null(tot$average)) tot$average$present <- tot$average$present[, keep, drop = FALSE]
  tot$cases <- tot$cases[keep]
  tot$cases_pos <- tot$cases_pos[keep]
  R <- nrow(base$observed)
  C <- ncol(base$observed)
  N_rows <- nrow(data)
  cells <- zh_design_cells(tot, parts, R, C, dimnames(base$observed), N_rows)
  stats <- if (R >= 2L && C >= 2L) zh_design_tests(tot, parts, R, C, N_rows) else NULL
  ms <- base$measures
  grad <- zh_measure_gradient(base$observed, base$scores, dimnames(base$observed))
  Vt <- zh_design_vcov(tot, parts)
  se <- sqrt(pmax(rowSums((grad %*% Vt) * grad), 0))
  se[is.na(ms$estimate)] <- NA_real_
  z <- ms$estimate / se
  z[!is.finite(z)] <- NA_real_
  measures <- data.frame(measure = ms$measure, estimate = ms$estimate, se = se, z = z,
                         p_value = 2 * stats::pnorm(-abs(z)), stringsAsFactors = FALSE)
  structure(list(
    observed = base$observed, cells = cells, tests = stats, measures = measures,
    n = sum(tot$cases), population = sum(base$observed),
    design = zh_design_summary(parts), scores = base$scores, ordered = base$ordered,
    dropped = base$dropped, notes = Filter(function(n) !startsWith(n$code, "fisher"), base$notes),
    labels = zh_design_labels(data, c(row_name, col_name))
  ), class = "zh_design_crosstab")
}

# Variable labels (haven's "label" attribute) of design variables, named by
# variable, NA where a variable has none: read when the result is made.
zh_design_labels <- function(data, vars) {
  vars <- as.character(vars)
  stats::setNames(vapply(vars, function(v) zh_label_of(data[[v]]), ""), vars)
}

# Display names of the variables `vars` of a design result (labels on by
# default, as SPSS shows them; names with labels = FALSE).
zh_design_var_label <- function(x, vars, labels = NULL) {
  vars <- as.character(vars)
  lab <- if (is.null(x$labels)) NULL else unname(x$labels[vars])
  zh_var_label(vars, lab, labels)
}

zh_design_summary <- function(parts) {
  if (parts$kind == "replicate") {
    list(kind = "replicate", type = parts$type, replicates = parts$n_rep, df = parts$df)
  } else {
    list(kind = "linear", strata = parts$n_strata, psu = parts$n_psu, df = parts$df,
         calibrated = parts$calibrated)
  }
}

# Counts, total / row / column percentages with SEs, 95% CIs and design
# effects (svytotal(), svymean() on the cells, svyby() per row / column).
zh_design_cells <- function(tot, parts, R, C, dn, N_rows) {
  K <- R * C
  ri <- rep(seq_len(R), C)
  ci <- rep(seq_len(C), each = R)
  I <- diag(K)
  ones <- matrix(1, K, K)
  rowsum_L <- outer(ri, ri, "==") * 1  # row total of the cell's row
  colsum_L <- outer(ci, ci, "==") * 1
  count <- zh_design_ratio(tot, parts, I)
  total <- zh_design_ratio(tot, parts, I, ones)
  rowp <- zh_design_ratio(tot, parts, I, rowsum_L)
  colp <- zh_design_ratio(tot, parts, I, colsum_L)
  z <- stats::qnorm(0.975)
  # design effects: the variance over that of simple random sampling of the
  # same number of cases without replacement, as survey computes them (cases
  # of positive weight for linearisation designs, all cases for replicate ones)
  cases <- if (parts$kind == "replicate") tot$cases else tot$cases_pos
  deff <- function(est, v, n, psum) {
    vsrs <- est * (1 - est) * n / (n - 1) * (psum - n) / (psum * n)
    if (parts$kind == "linear") vsrs[psum < n] <- NA_real_
    v / vsrs
  }
  N <- sum(tot$total)
  n <- sum(cases)
  n_row <- rowsum(cases, ri)[, 1]
  n_col <- rowsum(cases, ci)[, 1]
  w_row <- rowsum(tot$total, ri)[, 1]
  w_col <- rowsum(tot$total, ci)[, 1]
  deff_count <- deff(tot$total / N, count$se^2, n, N) / N^2
  deff_total <- deff(total$est, total$se^2, n, N)
  deff_row <- deff(rowp$est, rowp$se^2, n_row[ri], w_row[ri])
  deff_col <- deff(colp$est, colp$se^2, n_col[ci], w_col[ci])
  pct <- function(r) list(est = 100 * r$est, se = 100 * r$se)
  tp <- pct(total)
  rp <- pct(rowp)
  cp <- pct(colp)
  out <- data.frame(
    row = factor(dn[[1]][ri], levels = dn[[1]]), col = factor(dn[[2]][ci], levels = dn[[2]]),
    count = count$est, count_se = count$se, count_deff = deff_count,
    total_percent = tp$est, total_se = tp$se, total_lower = tp$est - z * tp$se,
    total_upper = tp$est + z * tp$se, total_deff = deff_total,
    row_percent = rp$est, row_se = rp$se, row_lower = rp$est - z * rp$se,
    row_upper = rp$est + z * rp$se, row_deff = deff_row,
    col_percent = cp$est, col_se = cp$se, col_lower = cp$est - z * cp$se,
    col_upper = cp$est + z * cp$se, col_deff = deff_col,
    stringsAsFactors = FALSE)
  names(out)[1:2] <- names(dn)
  out
}

# The tests of svychisq(): Pearson's X^2 and the likelihood ratio G^2 on the
# table scaled to the number of cases in the design, with Rao and Scott's
# first-order (chi-square) and second-order (F) corrections, and the Wald
# and adjusted Wald F tests of the interaction contrasts.
zh_design_tests <- function(tot, parts, R, C, N_rows) {
  K <- R * C
  Tt <- tot$total
  N <- sum(Tt)
  p <- Tt / N
  ri <- rep(seq_len(R), C)
  ci <- rep(seq_len(C), each = R)
  pr <- rowsum(p, ri)[, 1]
  pcol <- rowsum(p, ci)[, 1]
  e <- pr[ri] * pcol[ci]
  X2 <- N_rows * sum((p - e)^2 / e)
  G2 <- 2 * N_rows * sum(ifelse(p > 0, p * log(p / e), 0))
  # covariance of the cell proportions (svymean() on the cell indicators)
  Vp <- if (parts$kind == "replicate") {
    zh_rep_var(tot$rep / rowSums(tot$rep), p, parts)
  } else {
    J <- (diag(K) - outer(p, rep(1, K))) / N
    J %*% tot$V %*% t(J)
  }
  # contrasts of the interaction, orthogonal to the main effects
  X1 <- cbind(1, outer(ri, seq_len(R)[-1], "==") * 1, outer(ci, seq_len(C)[-1], "==") * 1)
  X12 <- do.call(cbind, lapply(seq_len(C)[-1], function(j) {
    outer(ri, seq_len(R)[-1], "==") * (ci == j)
  }))
  Cm <- qr.resid(qr(X1), X12)
  iD <- ifelse(p == 0, 0, 1 / p)
  denom <- crossprod(Cm * iD, Cm) / N_rows
  numr <- crossprod(Cm * iD, Vp %*% (Cm * iD))
  Delta <- solve(denom, numr)
  tr <- sum(diag(Delta))
  d0 <- tr^2 / sum(diag(Delta %*% Delta))
  df <- (R - 1) * (C - 1)
  nu <- parts$df
  # Wald: the cell totals minus their value under independence
  Vt <- zh_design_vcov(tot, parts)
  Tr <- rowsum(Tt, ri)[, 1]
  Tc <- rowsum(Tt, ci)[, 1]
  Y <- Tt - Tr[ri] * Tc[ci] / N
  G <- diag(K) - outer(Tc[ci], rep(1, K)) * outer(ri, ri, "==") / N -
    outer(Tr[ri], rep(1, K)) * outer(ci, ci, "==") / N + outer(Tr[ri] * Tc[ci], rep(1, K)) / N^2
  VY <- G %*% Vt %*% t(G)
  use <- ri > 1 & ci > 1
  # the covariance of the contrasts has rank at most nu: with fewer design
  # degrees of freedom than contrasts the Wald tests do not exist
  wald <- if (nu >= df) {
    tryCatch(drop(crossprod(Y[use], solve(VY[use, use, drop = FALSE], Y[use]))),
             error = function(e) NA_real_)
  } else NA_real_
  adj_df2 <- if (nu - df + 1 > 0) nu - df + 1 else NA_real_
  fs <- function(stat, d1, d2) stats::pf(stat, d1, d2, lower.tail = FALSE)
  data.frame(
    test = c("Pearson Chi-Square, Rao-Scott F", "Pearson Chi-Square, Rao-Scott chi-square",
             "Likelihood Ratio, Rao-Scott F", "Likelihood Ratio, Rao-Scott chi-square",
             "Wald F", "Adjusted Wald F"),
    statistic = c(X2 / tr, X2 / mean(diag(Delta)), G2 / tr, G2 / mean(diag(Delta)),
                  wald / df, wald * adj_df2 / (df * nu)),
    df = c(d0, df, d0, df, df, df),
    df2 = c(d0 * nu, NA, d0 * nu, NA, nu, adj_df2),
    p_value = c(fs(X2 / tr, d0, d0 * nu),
                stats::pchisq(X2 / mean(diag(Delta)), df, lower.tail = FALSE),
                fs(G2 / tr, d0, d0 * nu),
                stats::pchisq(G2 / mean(diag(Delta)), df, lower.tail = FALSE),
                fs(wald / df, df, nu), fs(wald * adj_df2 / (df * nu), df, adj_df2)),
    uncorrected = c(X2, X2, G2, G2, NA, NA),
    stringsAsFactors = FALSE)
}

# Gradient of every measure with respect to the cell totals (measures x
# cells), by central differences of the statistics code crosstab() uses:
# each measure is a smooth function of the cell proportions away from ties,
# and a relative step of 1e-4 leaves a truncation error near 1e-8 relative.
# Empty cells have no design variance; their gradient is left at 0.
zh_measure_gradient <- function(tab, scores, dn) {
  pair <- zh_kappa_pair(dn)
  est <- function(t) zh_stats_list(list(t), list(scores$row), list(scores$col), list(pair))[[1]]$measures[, 1]
  K <- length(tab)
  g <- matrix(0, length(zh_measure_names), K)
  for (k in which(tab > 0)) {
    h <- 1e-4 * tab[k]
    up <- tab
    dn_ <- tab
    up[k] <- up[k] + h
    dn_[k] <- dn_[k] - h
    g[, k] <- (est(up) - est(dn_)) / (2 * h)
  }
  g[is.na(g)] <- 0
  g
}

# ---- output tables (R/output.R) --------------------------------------------

# The design summary line, a table note of every design result.
zh_design_note <- function(d, n, population = NA_real_) {
  zh_note("design", kind = d$kind, type = d$type, replicates = d$replicates,
          strata = d$strata, psu = d$psu, calibrated = isTRUE(d$calibrated), df = d$df,
          n = n, population = population, where = "table")
}

# Estimate, Std. Error, 95% CI (Lower, Upper) and Deff columns of a block of
# rows; a design effect is infinite when the weights add up to the sample
# size (no population to sample from): left empty.
zh_design_est_cells <- function(rows, est, se, lower, upper, deff, type, digits, col0 = 0L) {
  deff[!is.finite(deff)] <- NA_real_
  cells <- rbind(zh_cells(rows, col0 + 1L, est, type, digits),
                 zh_cells(rows, col0 + 2L, se, "stat", digits),
                 if (!is.null(lower)) zh_cells(rows, col0 + 3L, lower, "stat", digits),
                 if (!is.null(upper)) zh_cells(rows, col0 + 4L, upper, "stat", digits),
                 zh_cells(rows, col0 + if (is.null(lower)) 3L else 5L, deff, "stat"))
  cells[!is.na(cells$value), , drop = FALSE]
}

zh_design_est_headers <- function(ci = TRUE) {
  if (!ci) return(zh_headers(c("Estimate", "Std. Error", "Deff")))
  zh_headers(c("Estimate", "Std. Error", "Lower", "Upper", "Deff"),
             c(NA, NA, "95% CI", "95% CI", NA))
}

#' @export
zh_tables.zh_design_crosstab <- function(x, cells = c("count", "row"), labels = NULL, ...) {
  cells <- match.arg(cells, c("count", "total", "row", "col"), several.ok = TRUE)
  vn <- zh_design_var_label(x, zh_var_names(x), labels)
  ce <- x$cells
  dn <- dimnames(x$observed)
  ce <- ce[order(match(as.character(ce[[1]]), dn[[1]]), match(as.character(ce[[2]]), dn[[2]])), ,
           drop = FALSE]
  out <- list()
  for (k in cells) {
    cols <- switch(k, count = c("count", "count_se", NA, NA, "count_deff"),
                   total = c("total_percent", "total_se", "total_lower", "total_upper", "total_deff"),
                   row = c("row_percent", "row_se", "row_lower", "row_upper", "row_deff"),
                   col = c("col_percent", "col_se", "col_lower", "col_upper", "col_deff"))
    what <- switch(k, count = "Estimated population count", total = "% of Total",
                   row = sprintf("%% within %s", vn[1]), col = sprintf("%% within %s", vn[2]))
    r1 <- as.character(ce[[1]])
    stub <- cbind(ifelse(!duplicated(r1), r1, ""), as.character(ce[[2]]))
    i <- seq_len(nrow(ce))
    ci <- k != "count"
    body <- zh_design_est_cells(i, ce[[cols[1]]], ce[[cols[2]]],
                                if (ci) ce[[cols[3]]], if (ci) ce[[cols[4]]], ce[[cols[5]]],
                                if (ci) "stat" else "count", if (ci) 1L else 2L)
    notes <- if (!length(out)) list(design = zh_design_note(x$design, x$n, x$population))
    out[[length(out) + 1L]] <- zh_otable(
      sprintf("%s * %s (complex sample): %s", vn[1], vn[2], what), stub,
      zh_design_est_headers(ci), body, stub_head = vn, notes = if (is.null(notes)) list() else notes)
  }
  if (!is.null(x$tests)) {
    tt <- x$tests
    i <- seq_len(nrow(tt))
    body <- rbind(zh_cells(i, 1L, tt$statistic, "stat"), zh_cells(i, 2L, tt$df, "df"),
                  zh_cells(i, 3L, tt$df2, "df"), zh_cells(i, 4L, tt$p_value, "p"))
    out[[length(out) + 1L]] <- zh_otable(
      "Design-based Chi-Square Tests", tt$test, zh_headers(c("Value", "df1", "df2", "Sig.")),
      body[!is.na(body$value), , drop = FALSE])
  }
  ms <- x$measures[!is.na(x$measures$estimate), ]
  i <- seq_len(nrow(ms))
  body <- rbind(zh_cells(i, 1L, ms$estimate, "bounded"), zh_cells(i, 2L, ms$se, "bounded"),
                zh_cells(i, 3L, ms$z, "stat"), zh_cells(i, 4L, ms$p_value, "p"))
  notes <- c(list(se = zh_note("design_delta_cells")), zh_result_notes(x))
  columns <- zh_headers(c("Value", "Std. Error", "z", "Sig."))
  columns$notes <- c("", "se", "", "")
  out[[length(out) + 1L]] <- zh_otable(
    "Measures with design-based standard errors", ms$measure, columns,
    body[!is.na(body$value), , drop = FALSE], notes = notes)
  zh_output(out)
}

# One distribution table: a row per category (and per variable in a
# profile), the estimated population count and the percent of the valid
# cases with its SE, 95% CI and design effect.
zh_design_dist_otable <- function(title, tab, by_var, notes, shown = tab$variable) {
  first <- !duplicated(tab$variable)
  stub <- if (by_var) cbind(ifelse(first, shown, ""), tab$category) else
    matrix(tab$category, ncol = 1L)
  i <- seq_len(nrow(tab))
  cells <- rbind(zh_cells(i, 1L, tab$count, "count"),
                 zh_design_est_cells(i, tab$percent, tab$se, tab$lower, tab$upper, tab$deff,
                                     "stat", 1L, col0 = 1L))
  cells <- cells[!is.na(cells$value), , drop = FALSE]
  columns <- zh_headers(c("Population Estimate", "Percent", "Std. Error", "Lower", "Upper",
                          "Deff"),
                        c(NA, NA, NA, "95% CI", "95% CI", NA))
  columns$notes <- c("", "valid", "", "", "", "")
  notes$valid <- zh_note("design_percent_valid")
  zh_otable(title, stub, columns, cells,
            stub_head = if (by_var) c("Variable", "Category") else "", notes = notes)
}

#' @export
zh_tables.zh_design_freq <- function(x, labels = NULL, ...) {
  tab <- x$table
  tab$variable <- rep(as.character(x$variable), nrow(tab))
  title <- zh_design_var_label(x, x$variable, labels)
  zh_output(zh_design_dist_otable(sprintf("%s (complex sample)", title), tab, FALSE,
                                  list(design = zh_design_note(x$design, x$n, x$population))))
}

#' @export
zh_tables.zh_design_profile <- function(x, labels = NULL, ...) {
  tab <- x$table
  pop <- sum(tab$count[tab$variable == tab$variable[1]])
  zh_output(zh_design_dist_otable("Profile of the sample (complex sample)", tab, TRUE,
                                  list(design = zh_design_note(x$design, x$n, pop)),
                                  zh_design_var_label(x, tab$variable, labels)))
}

#' @export
zh_tables.zh_design_cor <- function(x, labels = NULL, ...) {
  v <- zh_design_var_label(x, rownames(x$r), labels)
  k <- length(v)
  stub <- matrix("", 4L * k, 2L)
  cl <- list()
  for (i in seq_len(k)) {
    r0 <- 4L * (i - 1L)
    stub[r0 + 1:4, ] <- cbind(c(v[i], "", "", ""),
                              c("Pearson Correlation", "Std. Error", "Sig. (2-tailed)", "N (cases)"))
    rr <- zh_cells(r0 + 1L, seq_len(k), x$r[i, ], "bounded")
    rr$type[i] <- "int"
    cl <- c(cl, list(rr, zh_cells(r0 + 2L, seq_len(k), x$se[i, ], "bounded"),
                     zh_cells(r0 + 3L, seq_len(k), x$p[i, ], "p"),
                     zh_cells(r0 + 4L, seq_len(k), x$n[i, ], "count")))
  }
  cells <- do.call(rbind, cl)
  cells <- cells[!is.na(cells$value), , drop = FALSE]
  notes <- list(se = zh_note("design_delta_means", df = x$df, use = x$use),
                design = zh_design_note(x$design, max(x$n, na.rm = TRUE)))
  out <- zh_otable("Correlations (complex sample)", stub, zh_headers(v), cells,
                   stub_head = c("", ""), notes = notes)
  out$notes$se$where <- "title"
  zh_output(out)
}

#' @export
zh_tables.zh_design_association <- function(x, labels = NULL, ...) {
  tb <- x$table
  vl <- zh_design_var_label(x, c(x$outcome, tb$variable), labels)
  k <- nrow(tb)
  i <- seq_len(k)
  adj <- "p_adjusted" %in% names(tb)
  cols <- list(list(tb$statistic, "stat", "Rao-Scott F", NA_character_),
               list(tb$df, "df", "df1", NA_character_),
               list(tb$df2, "df", "df2", NA_character_),
               list(tb$p_value, "p", "Sig.", NA_character_))
  if (adj) cols <- c(cols, list(list(tb$p_adjusted, "p", sprintf("Sig. (%s)", x$p_adjust), NA_character_)))
  cols <- c(cols, list(list(tb$cramers_v, "bounded", "Value", "Cramer's V"),
                       list(tb$cramers_v_se, "bounded", "Std. Error", "Cramer's V")))
  if (any(!is.na(tb$gamma))) {
    cols <- c(cols, list(list(tb$gamma, "bounded", "Value", "Gamma"),
                         list(tb$gamma_se, "bounded", "Std. Error", "Gamma")))
  }
  cells <- do.call(rbind, lapply(seq_along(cols), function(j) {
    zh_cells(i, j, cols[[j]][[1]], cols[[j]][[2]])
  }))
  cells <- cells[!is.na(cells$value), , drop = FALSE]
  notes <- list(rs = zh_note("design_rao_scott", where = "table"),
                design = zh_design_note(x$design, max(tb$n)))
  zh_output(zh_otable(sprintf("Association with %s (complex sample)", vl[1]), vl[-1],
                      zh_headers(vapply(cols, `[[`, "", 3L), vapply(cols, `[[`, NA_character_, 4L)),
                      cells, stub_head = "Variable", notes = notes))
}

#' @export
format.zh_design_crosstab <- function(x, ...) zh_format_result(x, ...)
#' @export
print.zh_design_crosstab <- function(x, ...) zh_print_result(x, ...)
#' @export
format.zh_design_freq <- function(x, ...) zh_format_result(x, ...)
#' @export
print.zh_design_freq <- function(x, ...) zh_print_result(x, ...)
#' @export
format.zh_design_profile <- function(x, ...) zh_format_result(x, ...)
#' @export
print.zh_design_profile <- function(x, ...) zh_print_result(x, ...)
#' @export
format.zh_design_cor <- function(x, ...) zh_format_result(x, ...)
#' @export
print.zh_design_cor <- function(x, ...) zh_print_result(x, ...)
#' @export
format.zh_design_association <- function(x, ...) zh_format_result(x, ...)
#' @export
print.zh_design_association <- function(x, ...) zh_print_result(x, ...)

# ---- frequencies and profiles on a design ----------------------------------

# The distribution of one variable: estimated population counts (svytotal())
# and percentages of the valid cases with SEs, 95% CIs and design effects
# (svymean() on the factor, missing values left out).
zh_design_distribution <- function(parts, x, name, arg) {
  vc <- zh_codes(x, arg)
  K <- length(vc$labels)
  if (!K) zh_no_cases(stats::setNames(list(vc$codes), arg), name, FALSE)
  tot <- zh_design_cell_totals(parts, vc$codes, K)
  if (!(sum(tot$total) > 0)) zh_no_cases(stats::setNames(list(vc$codes), arg), name, FALSE)
  count <- zh_design_ratio(tot, parts, diag(K))
  pct <- zh_design_ratio(tot, parts, diag(K), matrix(1, K, K))
  cases <- if (parts$kind == "replicate") tot$cases else tot$cases_pos
  N <- sum(tot$total)
  n <- sum(cases)
  vsrs <- pct$est * (1 - pct$est) * n / (n - 1) * (N - n) / (N * n)
  if (parts$kind == "linear" && N < n) vsrs[] <- NA_real_
  z <- stats::qnorm(0.975)
  data.frame(variable = as.character(name), category = vc$labels, cases = tot$cases, count = count$est,
             count_se = count$se, count_deff = count$se^2 / (vsrs * N^2),
             percent = 100 * pct$est, se = 100 * pct$se, lower = 100 * (pct$est - z * pct$se),
             upper = 100 * (pct$est + z * pct$se), deff = pct$se^2 / vsrs,
             stringsAsFactors = FALSE)
}

zh_design_freq <- function(design, var_expr, env, weights = NULL, ...) {
  parts <- zh_design_parts(design)
  zh_check_dots(...)
  zh_design_no_weights(weights)
  name <- zh_column(parts$variables, var_expr, "var", env)
  out <- zh_design_distribution(parts, parts$variables[[name]], name, "var")
  structure(list(table = out[, -1], variable = name, design = zh_design_summary(parts),
                 n = sum(out$cases), population = sum(out$count),
                 labels = zh_design_labels(parts$variables, name)),
            class = "zh_design_freq")
}

zh_design_profile <- function(design, vars_expr, env, weights = NULL, by = NULL, ...) {
  parts <- zh_design_parts(design)
  zh_check_dots(...)
  zh_design_no_weights(weights)
  if (!is.null(by)) {
    zh_abort("`by` is not supported when `data` is a survey design; use crosstab() on the design.",
             "input")
  }
  v_names <- zh_columns(parts$variables, vars_expr, "vars", env)
  out <- do.call(rbind, lapply(v_names, function(v) {
    zh_design_distribution(parts, parts$variables[[v]], v, sprintf("vars` column `%s", v))
  }))
  rownames(out) <- NULL
  structure(list(table = out, design = zh_design_summary(parts),
                 n = nrow(parts$variables), labels = zh_design_labels(parts$variables, v_names)),
            class = "zh_design_profile")
}

zh_design_no_weights <- function(weights) {
  if (!is.null(weights)) {
    zh_abort("`weights` must not be given when `data` is a survey design: the design has its weights.",
             "input")
  }
}

#' Complex survey designs
#'
#' [crosstab()], [freq_table()], [profile_table()], [association_table()] and
#' [cor_matrix()] (Pearson) accept, as `data`, a
#' survey design made by the survey package: a `survey.design2`
#' ([survey::svydesign()]: strata, clusters, finite population corrections,
#' post-stratified or calibrated weights) or a `svyrep.design` (replicate
#' weights). The design supplies the weights, so `weights` is not given.
#'
#' @section Estimates:
#' The table holds estimated population counts (the sums of the sampling
#' weights). Counts, percentages of the total, row and column percentages
#' come with design-based standard errors, 95% confidence intervals
#' (estimate +/- 1.96 SE) and design effects (the variance over that of
#' simple random sampling of the same number of cases without replacement),
#' as [survey::svytotal()], [survey::svymean()] and [survey::svyby()] give
#' them. Linearisation designs use the covariance of the cell totals (per
#' stratum, and per stage where later stages have a finite population
#' correction, following survey's options `survey.lonely.psu` and
#' `survey.ultimate.cluster`); replicate designs recompute each percentage
#' on every replicate. A stratum with a single PSU stops with an error
#' unless `options(survey.lonely.psu = )` says how to treat it; with
#' `"average"`, as in survey, a row's (column's) percentages average over the
#' strata that have cases of that row (column).
#'
#' @section Tests:
#' As [survey::svychisq()]: Pearson's \eqn{X^2} with Rao and Scott's
#' second-order correction (`statistic = "F"`, an F on \eqn{d_0} and
#' \eqn{d_0 \nu} df) and first-order correction (`"Chisq"`; `statistic` here
#' is the corrected value, `uncorrected` the plain one), the likelihood ratio
#' \eqn{G^2} with the same two corrections, and the Wald and adjusted Wald F
#' tests. \eqn{\nu} is the design's degrees of freedom (PSUs minus strata, or
#' the replicate design's).
#'
#' @section Measures:
#' Every measure of the Symmetric and Directional Measures blocks is
#' computed, as by `crosstab(count = "asis")`, from the table of estimated
#' counts. Its design-based standard error is the delta method: the gradient
#' of the measure with respect to the cell totals (central differences of
#' the same statistics code) and the design covariance of the totals. Under
#' simple random sampling with replacement it equals the multinomial ASE1
#' times \eqn{\sqrt{n/(n-1)}}. `z` is the estimate over that SE, with a
#' two-sided normal p (a Wald test that the measure is 0).
#'
#' @section Correlations and association screens:
#' `cor_matrix()` on a design gives the Pearson r of the weighted moments
#' (over the cases complete for each pair, or for all variables with `use =
#' "listwise"`), its SE by the delta method with the design covariance of
#' the weighted means of \eqn{x, y, x^2, y^2, xy} (as [survey::svymean()]
#' followed by [survey::svycontrast()]), and the two-sided p of
#' \eqn{t = r / SE} on the design's degrees of freedom.
#' `association_table()` on a design gives, per factor, the rows of the
#' design crosstab: the Rao-Scott F (and the corrected likelihood ratio),
#' Cramer's V, gamma and tau-b with their design-based SEs.
#'
#' @section Variable labels:
#' As in the other results, a variable's label (the `label` attribute that
#' `haven::read_sav()` sets), read from the design's variables when the result
#' is made, is its name in titles, headers and row labels; `labels = FALSE` in
#' `print()` or `format()` (or `options(zhetysu.labels = FALSE)`) shows the
#' variable names instead.
#'
#' @name survey-designs
#' @examples
#' if (requireNamespace("survey", quietly = TRUE)) {
#'   # repatriates_design: the study's sample analysed as a stratified
#'   # cluster sample. This is an assumption of the example, not a fact of
#'   # the survey: the places of residence (districts and cities) are taken
#'   # as the clusters, the settlement types (urban, semi-urban, rural) as
#'   # the strata, and every respondent weighs 1 (so the "population" is the
#'   # sample, and design effects, relative to sampling without replacement
#'   # from it, are left blank).
#'   rp <- repatriates
#'   rp$settlement <- factor(sub(".*\\((semi-urban|urban|rural).*", "\\1", rp$residence),
#'                           levels = c("urban", "semi-urban", "rural"))
#'   rp$weight <- 1
#'   repatriates_design <- survey::svydesign(ids = ~residence, strata = ~settlement,
#'                                           weights = ~weight, data = rp)
#'   ct <- crosstab(repatriates_design, legal_status, education)
#'   ct$tests
#'   subset(ct$measures, measure %in% c("Cramer's V", "Gamma"))
#'   freq_table(repatriates_design, legal_status)
#' }
NULL

# ---- Pearson correlations on a design --------------------------------------

# Weighted sums of the columns of X (rows with an NA left out) and their
# design covariance: list(total, V) or list(total, rep).
zh_design_sum_totals <- function(parts, X) {
  storage.mode(X) <- "double"
  if (parts$kind == "replicate") {
    out <- .Call(zh_design_sums, X, parts$w, NULL, 0L, parts$reps)
    return(list(total = out$total, rep = out$rep))
  }
  d <- parts$design
  if (parts$calibrated) {
    Z <- X * parts$w
    Z[is.na(Z)] <- 0
    Z[rowSums(is.na(X)) > 0, ] <- 0
    V <- survey::svyrecvar(Z, d$cluster, d$strata, d$fpc, postStrata = d$postStrata)
    return(list(total = colSums(Z), V = unname(as.matrix(V))))
  }
  un <- zh_design_units(d)
  out <- .Call(zh_design_sums, X, parts$w, un$unit, un$U, NULL)
  list(total = out$total, V = zh_stage_var(out$unit, un$info, stage = 1L, multi = un$multi))
}

# Sampling units of a linearisation design: the PSUs (or, when later
# stages have a finite population correction, the smallest units), with
# their strata, clusters and PSU counts per stage.
zh_design_units <- function(d) {
  ultimate <- isTRUE(getOption("survey.ultimate.cluster", FALSE))
  stages <- if (ultimate || is.null(d$fpc$popsize) || ncol(d$cluster) == 1L) 1L else ncol(d$cluster)
  unit <- zh_group_ids(c(list(d$strata[, 1]), as.list(d$cluster[, seq_len(stages), drop = FALSE])))
  U <- max(unit)
  first <- match(seq_len(U), unit)
  s <- seq_len(stages)
  info <- list(strata = as.matrix(d$strata)[first, s, drop = FALSE],
               cluster = as.matrix(d$cluster)[first, s, drop = FALSE],
               n_psu = as.matrix(d$fpc$sampsize)[first, s, drop = FALSE],
               popsize = if (!is.null(d$fpc$popsize)) as.matrix(d$fpc$popsize)[first, s, drop = FALSE])
  list(unit = as.integer(unit), U = as.integer(U), info = info, multi = !ultimate)
}

# Design-based Pearson r of x and y over the cases complete for both: r of
# the weighted means of x, y, x^2, y^2 and xy, its SE by the delta method
# with the design covariance of those means (svymean() + svycontrast()).
zh_design_r <- function(parts, x, y) {
  ok <- !is.na(x) & !is.na(y)
  # r and its SE do not change when x or y is shifted or rescaled by a
  # constant: centred on the pair's mean and scaled by a power of two, the
  # moments neither cancel (data far from zero) nor overflow or underflow
  # (1e300, 1e-300); a variable is constant when its extremes are equal
  pos <- ok & parts$w > 0
  if (!any(pos) || diff(range(x[pos])) == 0 || diff(range(y[pos])) == 0) {
    return(list(r = NA_real_, se = NA_real_, n = sum(ok), N = sum(parts$w[ok])))
  }
  x <- zh_centre_scale(x, pos, parts$w)
  y <- zh_centre_scale(y, pos, parts$w)
  X <- cbind(1, x, y, x^2, y^2, x * y)
  X[!ok, ] <- NA_real_
  s <- zh_design_sum_totals(parts, X)
  N <- s$total[1]
  mu <- s$total[-1] / N
  V <- if (parts$kind == "replicate") {
    zh_rep_var(s$rep[, -1, drop = FALSE] / s$rep[, 1], mu, parts)
  } else {
    J <- cbind(-mu / N, diag(5) / N)
    J %*% s$V %*% t(J)
  }
  a <- mu[3] - mu[1]^2
  b <- mu[4] - mu[2]^2
  r <- (mu[5] - mu[1] * mu[2]) / sqrt(a * b)
  g <- c(-mu[2] / sqrt(a * b) + r * mu[1] / a, -mu[1] / sqrt(a * b) + r * mu[2] / b,
         -r / (2 * a), -r / (2 * b), 1 / sqrt(a * b))
  list(r = r, se = sqrt(max(drop(g %*% V %*% g), 0)), n = sum(ok), N = N)
}

# x / 2^k - m: scaled by a power of two (exact) near max |x| over the cases
# `ok`, then centred on their weighted mean.
zh_centre_scale <- function(x, ok, w) {
  top <- max(abs(x[ok]))
  if (top > 0) x <- x / 2^floor(log2(top))
  x - sum(w[ok] * x[ok]) / sum(w[ok])
}

zh_design_cor <- function(design, vars_expr, env, method = "pearson", use = "pairwise",
                          weights = NULL, ...) {
  parts <- zh_design_parts(design)
  zh_check_dots(...)
  zh_design_no_weights(weights)
  if (!identical(method, "pearson") && !identical(method, c("pearson", "spearman", "kendall"))) {
    zh_abort("`method` must be \"pearson\" when `data` is a survey design.", "input")
  }
  use <- zh_match_arg(use, "use", c("pairwise", "listwise"))
  v <- zh_columns(parts$variables, vars_expr, "vars", env, min = 2L)
  cols <- lapply(v, function(nm) {
    x <- parts$variables[[nm]]
    if (!is.numeric(x)) {
      zh_abort(sprintf("`vars` column `%s` must be numeric, not %s.", nm, zh_describe(x)), "type")
    }
    as.double(x)
  })
  if (use == "listwise") {
    cc <- Reduce(`&`, lapply(cols, function(x) !is.na(x)))
    cols <- lapply(cols, function(x) { x[!cc] <- NA_real_; x })
  }
  k <- length(v)
  blank <- matrix(NA_real_, k, k, dimnames = list(v, v))
  r <- se <- n <- blank
  diag(r) <- 1
  for (i in seq_len(k - 1L)) for (j in (i + 1L):k) {
    e <- zh_design_r(parts, cols[[i]], cols[[j]])
    r[i, j] <- r[j, i] <- e$r
    se[i, j] <- se[j, i] <- e$se
    n[i, j] <- n[j, i] <- e$n
  }
  diag(n) <- vapply(cols, function(x) sum(!is.na(x)), 1)
  t <- r / se
  diag(t) <- NA_real_
  p <- 2 * stats::pt(-abs(t), parts$df)
  structure(list(r = r, se = se, t = t, p = p, n = n, df = parts$df, use = use,
                 design = zh_design_summary(parts), labels = zh_design_labels(parts$variables, v)),
            class = "zh_design_cor")
}


# ---- association screen on a design ----------------------------------------

# One row per factor: the design-based crosstab of the factor (rows) by the
# outcome (columns), reduced to its Rao-Scott tests and the design-based
# SEs of Cramer's V, gamma and tau-b.
zh_design_association <- function(design, outcome_expr, factors_expr, env, weights = NULL,
                                   p_adjust = "none", ...) {
  parts <- zh_design_parts(design)
  zh_check_dots(...)
  zh_design_no_weights(weights)
  p_adjust <- zh_match_arg(p_adjust, "p_adjust",
                           c("none", "holm", "hochberg", "hommel", "bonferroni", "BH", "BY", "fdr"))
  data <- parts$variables
  out_name <- zh_column(data, outcome_expr, "outcome", env)
  f_names <- zh_columns(data, factors_expr, "factors", env)
  if (out_name %in% f_names) {
    zh_abort(sprintf("`factors` must not include the outcome `%s`.", out_name), "column")
  }
  rows <- lapply(f_names, function(f) {
    ct <- zh_design_crosstab(design, f, out_name, env)
    m <- ct$measures
    get <- function(name, what) m[[what]][m$measure == name]
    te <- ct$tests
    ordinal <- all(ct$ordered)
    na_if <- function(v) if (ordinal) v else NA_real_
    data.frame(variable = f,
               statistic = if (is.null(te)) NA_real_ else te$statistic[1],
               df = if (is.null(te)) NA_real_ else te$df[1],
               df2 = if (is.null(te)) NA_real_ else te$df2[1],
               p_value = if (is.null(te)) NA_real_ else te$p_value[1],
               cramers_v = get("Cramer's V", "estimate"), cramers_v_se = get("Cramer's V", "se"),
               lr_statistic = if (is.null(te)) NA_real_ else te$statistic[3],
               lr_p_value = if (is.null(te)) NA_real_ else te$p_value[3],
               gamma = na_if(get("Gamma", "estimate")), gamma_se = na_if(get("Gamma", "se")),
               gamma_p_value = na_if(get("Gamma", "p_value")),
               tau_b = na_if(get("Kendall's tau-b", "estimate")),
               tau_b_se = na_if(get("Kendall's tau-b", "se")),
               tau_b_p_value = na_if(get("Kendall's tau-b", "p_value")),
               n = ct$n, population = ct$population, stringsAsFactors = FALSE)
  })
  out <- do.call(rbind, rows)
  if (p_adjust != "none") out$p_adjusted <- stats::p.adjust(out$p_value, p_adjust)
  rownames(out) <- NULL
  structure(list(table = out, outcome = out_name, p_adjust = p_adjust,
                 design = zh_design_summary(parts),
                 labels = zh_design_labels(data, c(out_name, f_names))),
            class = "zh_design_association")
}

