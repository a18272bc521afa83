# Every result's output tables (the output model of R/output.R): one
# zh_tables() method per result class. print(), format(), knit_print(),
# as_flextable() and the exports all render what these build.

# A variable's label (haven's "label" attribute, as read_sav() sets it), NA
# when it has none.
zh_label_of <- function(v) {
  lab <- attr(v, "label", exact = TRUE)
  if (is.character(lab) && length(lab) == 1L && !is.na(lab) && nzchar(lab)) lab else NA_character_
}

# ---- crosstab --------------------------------------------------------------

zh_crosstab_cells <- c(count = "Count", expected = "Expected Count", row = "% within %r",
                       col = "% within %c", total = "% of Total", residual = "Residual",
                       std_residual = "Standardized Residual",
                       adj_residual = "Adjusted Residual",
                       adj_residual_p = "Sig. of Adjusted Residual",
                       adj_residual_p_bonferroni = "Sig. of Adj. Residual (Bonferroni)")

zh_crosstab_vars <- function(x, labels = NULL) {
  vn <- zh_var_names(x)
  zh_var_label(vn, if (is.null(x$labels)) NULL else unname(x$labels), labels)
}

#' @export
zh_tables.zh_crosstab <- function(x, cells = "count", labels = NULL, ...) {
  cells <- match.arg(cells, names(zh_crosstab_cells), several.ok = TRUE)
  # SPSS shows the column-proportion subscripts on the counts when neither
  # counts nor column percentages are asked for
  if (!is.null(x$col_props) && !any(c("count", "col") %in% cells)) cells <- c("count", cells)
  vl <- zh_crosstab_vars(x, labels)
  # a variable with one non-empty category: no measures exist, and the
  # Chi-Square Tests table carries the note that says why (as SPSS's does)
  if (min(dim(x$observed)) < 2L) {
    return(zh_output(zh_crosstab_otable(x, cells, vl), zh_chisq_otable(x)))
  }
  zh_output(zh_crosstab_otable(x, cells, vl), zh_chisq_otable(x), zh_symmetric_otable(x),
            zh_directional_otable(x, vl), if (NROW(x$risk)) zh_risk_otable(x, vl))
}

# The Crosstabulation: cell statistics stacked per row category.
zh_crosstab_otable <- function(x, cells, vl) {
  obs <- x$observed
  rs <- rowSums(obs)
  cs <- colSums(obs)
  W <- x$n
  with_margins <- function(m, rm, cm, tot) rbind(cbind(m, rm), c(cm, tot))
  blocks <- lapply(cells, function(k) {
    switch(k,
      count = with_margins(obs, rs, cs, W),
      expected = with_margins(x$expected, rs, cs, W),
      row = with_margins(x$row_percent, 100 * (rs > 0), 100 * cs / W, 100),
      col = with_margins(x$col_percent, 100 * rs / W, 100 * (cs > 0), 100),
      total = with_margins(x$total_percent, 100 * rs / W, 100 * cs / W, 100),
      residual = with_margins(x$residuals, NA * rs, NA * cs, NA),
      std_residual = with_margins(x$std_residuals, NA * rs, NA * cs, NA),
      adj_residual = with_margins(x$adj_residuals, NA * rs, NA * cs, NA),
      adj_residual_p = with_margins(zh_adj_residual_p(x$adj_residuals), NA * rs, NA * cs, NA),
      adj_residual_p_bonferroni = with_margins(zh_adj_residual_p(x$adj_residuals, TRUE),
                                               NA * rs, NA * cs, NA))
  })
  type <- ifelse(cells == "count", "count", ifelse(cells %in% c("row", "col", "total"),
                                                    "percent", ifelse(grepl("_p", cells),
                                                                      "p", "stat")))
  dig <- ifelse(cells == "count" | type == "p", NA_integer_, 1L)
  cp <- x$col_props
  # the column-proportion subscripts go on the count and column-percent rows
  marked <- if (is.null(cp)) rep(FALSE, length(cells)) else cells %in% c("count", "col")
  stat_lab <- sub("%c", vl[2], sub("%r", vl[1], zh_crosstab_cells[cells], fixed = TRUE),
                  fixed = TRUE)
  cats <- c(rownames(obs), "Total")
  stub <- NULL
  out <- list()
  r <- 0L
  residual <- cells %in% c("residual", "std_residual", "adj_residual", "adj_residual_p",
                           "adj_residual_p_bonferroni")
  for (i in seq_along(cats)) {
    for (b in seq_along(cells)) {
      if (i == length(cats) && residual[b]) next  # no residuals in the Total row
      r <- r + 1L
      first <- b == 1L
      stub <- rbind(stub, c(if (i == 1L && first) vl[1] else if (i == length(cats) && first)
                              "Total" else "",
                            if (first && i < length(cats)) cats[i] else "", stat_lab[b]))
      out[[r]] <- zh_cells(r, seq_len(ncol(blocks[[b]])), blocks[[b]][i, ], type[b], dig[b])
      if (marked[b] && i < length(cats)) {
        lt <- cp$letters[i, ]
        out[[r]]$mark <- c(ifelse(nzchar(lt), paste0(" ", lt), ""), "")
        out[[r]]$notes <- c(ifelse(cp$excluded[i, ], "excl", ""), "")
      }
    }
  }
  cells_df <- do.call(rbind, out)
  cells_df <- cells_df[!is.na(cells_df$value), , drop = FALSE]
  columns <- zh_headers(c(colnames(obs), "Total"), c(rep(vl[2], ncol(obs)), NA))
  notes <- list()
  if (isTRUE(x$weighted)) notes$w <- zh_note("weighted", count = x$count, where = "table")
  if (any(marked)) {
    notes$props <- zh_note("prop_subsets", var = vl[2], bonferroni = cp$bonferroni,
                           where = "table")
    if (any(cp$excluded)) notes$excl <- zh_note("prop_excluded", symbol = "#")
  }
  zh_otable(sprintf("%s * %s Crosstabulation", vl[1], vl[2]), stub, columns, cells_df,
            stub_head = c("", "", ""), notes = notes)
}

# Notes of a result from their codes: x$notes holds zh_note() lists.
zh_result_notes <- function(x) {
  nn <- x$notes
  if (is.character(nn)) nn <- lapply(nn, function(s) zh_note("text", text = s, where = "table"))
  if (length(nn)) names(nn) <- paste0("r", seq_along(nn))
  nn
}

zh_chisq_otable <- function(x) {
  tt <- x$tests
  k <- nrow(tt)
  exact <- tt$test %in% c("Fisher's Exact Test", "McNemar Test")
  has_exact <- any(exact) || any(!is.na(tt$p_one_sided))
  stub <- c(tt$test, "N of Valid Cases")
  cells <- rbind(
    zh_cells(seq_len(k), 1L, tt$statistic, "stat"),
    zh_cells(seq_len(k), 2L, tt$df, "df"),
    zh_cells(seq_len(k), 3L, ifelse(exact, NA_real_, tt$p_value), "p"),
    if (has_exact) zh_cells(seq_len(k), 4L, ifelse(exact, tt$p_value, NA_real_), "p"),
    if (has_exact) zh_cells(seq_len(k), 5L, tt$p_one_sided, "p"),
    zh_cells(k + 1L, 1L, x$n, "count"))
  cells <- cells[!is.na(cells$value), , drop = FALSE]
  labs <- c("Value", "df", "Asymp. Sig. (2-sided)")
  grp <- c(NA, NA, NA)
  if (has_exact) {
    labs <- c(labs, "(2-sided)", "(1-sided)")
    grp <- c(grp, "Exact Sig.", "Exact Sig.")
  }
  notes <- list()
  if (k && !is.na(x$min_expected)) {
    notes$low <- zh_note("min_expected", cells = x$cells_below_5,
                         percent = 100 * x$cells_below_5 / length(x$observed),
                         min = x$min_expected)
    cells$notes[cells$row == 1L & cells$col == 1L] <- "low"
  }
  yates <- match("Continuity Correction", tt$test)
  if (!is.na(yates)) {
    notes$cc <- zh_note("fisher_2x2")
    cells$notes[cells$row == yates & cells$col == 1L] <- "cc"
  }
  mcn <- match("McNemar Test", tt$test)
  if (!is.na(mcn)) {
    notes$mcn <- zh_note("mcnemar_binomial")
    cells$notes[cells$row == mcn & cells$col == 4L] <- "mcn"
  }
  for (nn in names(zh_result_notes(x))) notes[[nn]] <- zh_result_notes(x)[[nn]]
  zh_otable("Chi-Square Tests", stub, zh_headers(labs, grp), cells, notes = notes)
}

# Measures rows: index into x$measures, a stub, the cells (value, ASE, T, p).
zh_measure_cells <- function(ms, idx, col0 = 0L) {
  r <- seq_along(idx)
  cells <- rbind(zh_cells(r, 1L, ms$estimate[idx], "bounded"),
                 zh_cells(r, 2L, ms$ase[idx], "bounded"),
                 zh_cells(r, 3L, ms$t[idx], "stat"),
                 zh_cells(r, 4L, ms$p_value[idx], "p"))
  cells[!is.na(cells$value), , drop = FALSE]
}

zh_measure_headers <- function() {
  out <- zh_headers(c("Value", "Asymp. Std. Error", "Approx. T", "Approx. Sig."))
  out$notes <- c("", "ase1", "ase0", "")
  out
}

zh_measure_notes <- function() {
  list(ase1 = zh_note("not_assumed_null"), ase0 = zh_note("asymptotic_null"))
}

zh_symmetric_otable <- function(x) {
  ms <- x$measures
  m <- function(name) match(name, ms$measure)
  idx <- m(c("Phi", "Cramer's V", "Contingency Coefficient", "Kendall's tau-b",
             "Kendall's tau-c", "Gamma", "Spearman correlation", "Pearson's R"))
  stub <- cbind(c("Nominal by Nominal", "", "", "Ordinal by Ordinal", "", "", "",
                  "Interval by Interval"),
                c("Phi", "Cramer's V", "Contingency Coefficient", "Kendall's tau-b",
                  "Kendall's tau-c", "Gamma", "Spearman Correlation", "Pearson's R"))
  kappa <- m("Kappa")
  if (!is.na(kappa) && !is.na(ms$estimate[kappa])) {
    idx <- c(idx, kappa)
    stub <- rbind(stub, c("Measure of Agreement", "Kappa"))
  }
  cells <- zh_measure_cells(ms, idx)
  notes <- zh_measure_notes()
  notes$normal <- zh_note("normal_approx")
  norm <- which(stub[, 2] %in% c("Spearman Correlation", "Pearson's R"))
  cells$notes[cells$row %in% norm & cells$col == 4L] <- "normal"
  stub <- rbind(stub, c("N of Valid Cases", ""))
  cells <- rbind(cells, zh_cells(nrow(stub), 1L, x$n, "count"))
  zh_otable("Symmetric Measures", stub, zh_measure_headers(), cells, stub_head = c("", ""),
            notes = notes)
}

zh_directional_otable <- function(x, vl) {
  ms <- x$measures
  dep <- c("Symmetric", sprintf("%s Dependent", vl))
  idx <- c(4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 17, 20, 21)
  stub <- cbind(c("Nominal by Nominal", rep("", 7), "Ordinal by Ordinal", "", "",
                  "Nominal by Interval", ""),
                c("Lambda", "", "", "Goodman and Kruskal tau", "", "Uncertainty Coefficient",
                  "", "", "Somers' d", "", "", "Eta", ""),
                c(dep, dep[2:3], dep, dep, dep[2:3]))
  cells <- zh_measure_cells(ms, idx)
  notes <- zh_measure_notes()
  notes$chisq <- zh_note("chisq_approx")
  notes$lr <- zh_note("lr_prob")
  cells$notes[cells$row %in% 4:5 & cells$col == 4L] <- "chisq"
  cells$notes[cells$row %in% 6:8 & cells$col == 4L] <- "lr"
  zh_otable("Directional Measures", stub, zh_measure_headers(), cells,
            stub_head = c("", "", ""), notes = notes)
}

zh_risk_otable <- function(x, vl) {
  rk <- x$risk
  k <- nrow(rk)
  rl <- dimnames(x$observed)
  lab <- c(sprintf("Odds Ratio for %s (%s / %s)", vl[1], rl[[1]][1], rl[[1]][2]),
           sprintf("For cohort %s = %s", vl[2], rl[[2]]))[seq_len(k)]
  cells <- rbind(zh_cells(seq_len(k), 1L, rk$estimate, "stat"),
                 zh_cells(seq_len(k), 2L, rk$lower, "stat"),
                 zh_cells(seq_len(k), 3L, rk$upper, "stat"),
                 zh_cells(k + 1L, 1L, x$n, "count"))
  cells <- cells[!is.na(cells$value), , drop = FALSE]
  notes <- if (anyNA(rk$estimate)) list(zero = zh_note("risk_zero", where = "table")) else list()
  zh_otable("Risk Estimate", c(lab, "N of Valid Cases"),
            zh_headers(c("Value", "Lower", "Upper"),
                       c(NA, "95% Confidence Interval", "95% Confidence Interval")),
            cells, notes = notes)
}

#' @export
zh_tables.summary.zh_crosstab <- function(x, ...) zh_tables(x$x, cells = zh_summary_cells, ...)

# The cell statistics summary() shows, of a crosstab and of each layer.
zh_summary_cells <- c("count", "expected", "row", "col", "total", "adj_residual")

# ---- cor_matrix ------------------------------------------------------------

# `layout`: "output" (the SPSS Correlations table: coefficient, Sig., N per
# variable) or "publication" (the lower triangle of papers); the number
# style ("spss" or "apa") decides the details of the publication table.
#' @export
zh_tables.zh_cor_matrix <- function(x, layout = "output", style = "spss", labels = NULL, ...) {
  vars <- rownames(x$r)
  k <- length(vars)
  nm <- zh_cor_names(x$method)
  use_labels <- zh_use_labels(labels)
  lab <- zh_var_label(vars, x$labels, use_labels)
  off <- row(x$r) != col(x$r)
  star <- matrix(zh_stars(x$p), k, k)
  star[!off | is.na(x$r)] <- ""
  notes <- list()
  reasons <- unique(stats::na.omit(as.vector(x$reason[off])))
  if (layout == "output") {
    blocks <- list(list(x$r, "bounded", nm[["coef"]]),
                   list(x$p, "p", sprintf("Sig. (%d-tailed)", x$tails)),
                   list(x$n, "count", "N"))
    if (!is.null(x$lower)) {
      ci <- zh_fmt(100 * x$conf_level, "int")
      blocks <- c(blocks, list(list(x$lower, "bounded", sprintf("%s%% CI Lower", ci)),
                               list(x$upper, "bounded", sprintf("%s%% CI Upper", ci))))
    }
    m <- length(blocks)
    stub <- matrix("", k * m, 2L)
    cl <- list()
    for (i in seq_len(k)) {
      for (b in seq_len(m)) {
        r <- (i - 1L) * m + b
        stub[r, ] <- c(if (b == 1L) lab[i] else "", blocks[[b]][[3]])
        v <- blocks[[b]][[1]][i, ]
        if (b == 2L || b > 3L) v[i] <- NA  # no Sig. or CI of a variable with itself
        cc <- zh_cells(r, seq_len(k), v, blocks[[b]][[2]])
        if (b == 1L) {
          cc$type[i] <- "int"
          cc$notes <- ifelse(star[i, ] == "**", "s01", ifelse(star[i, ] == "*", "s05", ""))
          na_r <- is.na(v) & seq_len(k) != i
          cc$type[na_r] <- "text"
          cc$text[na_r] <- "."
        }
        cl[[r]] <- cc[!is.na(cc$value) | cc$type == "text", , drop = FALSE]
      }
    }
    cells <- do.call(rbind, cl)
    if (any(star == "**")) notes$s01 <- zh_note("sig_01", tails = x$tails, symbol = "**")
    if (any(star == "*")) notes$s05 <- zh_note("sig_05", tails = x$tails, symbol = "*")
    title <- nm[["title"]]
    columns <- zh_headers(lab)
  } else {
    low <- which(lower.tri(x$r), arr.ind = TRUE)
    v <- x$r[low]
    cells <- zh_cells(low[, 1], low[, 2], v, "bounded")
    cells$type[is.na(v)] <- "text"
    cells$text[is.na(v)] <- "."
    s <- star[low]
    if (style == "apa") {
      cells$mark <- s
      if (any(nzchar(s))) notes$stars <- zh_note("apa_stars", tails = x$tails, where = "table")
      cells <- rbind(cells, zh_cells(seq_len(k), seq_len(k), NA, "text", text = "\u2014"))
    } else {
      cells$notes <- ifelse(s == "**", "s01", ifelse(s == "*", "s05", ""))
      if (any(s == "**")) notes$s01 <- zh_note("sig_01", tails = x$tails, symbol = "**")
      if (any(s == "*")) notes$s05 <- zh_note("sig_05", tails = x$tails, symbol = "*")
      cells <- rbind(cells, zh_cells(seq_len(k), seq_len(k), 1, "int"))
    }
    stub <- if (style == "apa") paste0(seq_len(k), ". ", lab) else lab
    nn <- x$n[lower.tri(x$n)]
    title <- sprintf("%s (%s)", nm[["title"]],
                     if (length(unique(nn)) == 1L) paste0("N = ", zh_fmt(nn[1], "count"))
                     else "pairwise N")
    columns <- zh_headers(as.character(seq_len(k)))
  }
  if (x$p_adjust != "none") {
    notes$adj <- zh_note("p_adjusted", k = k * (k - 1) / 2, method = x$p_adjust, where = "table")
  }
  if (length(reasons)) notes$nc <- zh_note("not_computed", reasons = reasons, where = "table")
  zh_output(zh_otable(title, stub, columns, cells, notes = notes))
}

# ---- freq_table ------------------------------------------------------------

# Row kinds of a frequency table: its `type` column where it has one, else
# the last row is the Total and a "Missing" row before it the missing cases.
zh_freq_type <- function(x) {
  if (!is.data.frame(x) || is.null(x$value)) {
    zh_abort("`x` must be a frequency table made by freq_table().", "input")
  }
  if (!is.null(x$type)) return(x$type)
  k <- nrow(x)
  ifelse(seq_len(k) == k, "total",
         ifelse(x$value == "Missing" & seq_len(k) == k - 1L, "missing", "category"))
}

#' @export
zh_tables.zh_freq <- function(x, style = "spss", labels = NULL, ...) {
  type <- zh_freq_type(x)
  name <- attr(x, "variable")
  title <- zh_var_label(name, attr(x, "label"), labels)
  k <- nrow(x)
  group <- ifelse(type == "category", "Valid", ifelse(type == "missing", "Missing", "Total"))
  first <- !duplicated(group)
  stub <- cbind(ifelse(first, group, ""), ifelse(type == "category", x$value, ""))
  vals <- cbind(x$n, x$percent, x$valid_percent, x$cumulative_percent)
  cells <- zh_cells(rep(seq_len(k), 4L), rep(1:4, each = k), as.vector(vals),
                    rep(c("count", "stat", "stat", "stat"), each = k), rep(c(NA, 1L, 1L, 1L), each = k))
  cells <- cells[!is.na(cells$value), , drop = FALSE]
  labs <- if (style == "apa") c("n", "%", "Valid %", "Cumulative %") else
    c("Frequency", "Percent", "Valid Percent", "Cumulative Percent")
  notes <- list()
  if (isTRUE(attr(x, "weighted"))) notes$w <- zh_note("weighted_freq", where = "table")
  zh_output(zh_otable(title, stub, zh_headers(labs), cells, stub_head = c("", ""),
                      notes = notes))
}

# ---- profile_table ---------------------------------------------------------

# Percentages are rendered from the counts (unrounded) with the one
# formatter; the largest-remainder rule is a data decision (the column adds
# up to 100), so those stored values are shown as they are.
#' @export
zh_tables.zh_profile <- function(x, style = "spss", labels = NULL, ...) {
  d <- attr(x, "digits")
  exact <- attr(x, "rounding") != "largest_remainder"
  miss <- x$category == "Missing" & is.na(x$percent)
  raw <- function(n) {
    out <- rep(NA_real_, length(n))
    for (v in unique(x$variable)) {
      k <- x$variable == v & !miss
      out[k] <- 100 * n[k] / sum(n[k])
    }
    out
  }
  pc <- function(n, stored) if (exact) raw(n) else stored
  first <- !duplicated(x$variable)
  vlab <- attr(x, "var_labels")
  shown <- function(v) zh_var_label(v, if (is.null(vlab)) NULL else unname(vlab[v]), labels)
  stub <- cbind(ifelse(first, shown(x$variable), ""), x$category)
  k <- nrow(x)
  groups <- attr(x, "groups")
  lab <- if (style == "apa") c("N", "%", "p") else c("Frequency", "Percent", "Sig.")
  cl <- list(zh_cells(seq_len(k), 1L, x$n, "count"),
             zh_cells(seq_len(k), 2L, pc(x$n, x$percent), "stat", d))
  labs <- lab[1:2]
  grp <- c("Total", "Total")
  j <- 2L
  for (g in groups) {
    n_g <- x[[paste0("n_", g)]]
    cl <- c(cl, list(zh_cells(seq_len(k), j + 1L, n_g, "count"),
                     zh_cells(seq_len(k), j + 2L, pc(n_g, x[[paste0("percent_", g)]]), "stat", d)))
    labs <- c(labs, lab[1:2])
    grp <- c(grp, g, g)
    j <- j + 2L
  }
  if ("p_value" %in% names(x)) {
    cl <- c(cl, list(zh_cells(which(first), j + 1L, x$p_value[first], "p")))
    labs <- c(labs, lab[3])
    grp <- c(grp, NA)
  }
  cells <- do.call(rbind, cl)
  cells <- cells[!is.na(cells$value), , drop = FALSE]
  if (!length(groups)) grp <- NA
  by <- attr(x, "by")
  if (!is.null(by)) by <- shown(by)
  title <- sprintf("Profile of the sample%s", if (is.null(by)) "" else sprintf(" by %s", by))
  notes <- list(pct = zh_note("profile_percent", rounding = attr(x, "rounding"), where = "table"))
  if (!is.null(by)) notes$p <- zh_note("profile_p", by = by, where = "table")
  if (isTRUE(attr(x, "weighted"))) notes$w <- zh_note("weighted_freq", where = "table")
  zh_output(zh_otable(title, stub, zh_headers(labs, grp), cells,
                      stub_head = if (style == "apa") c("Characteristic", "Category") else
                        c("Variable", "Category"), notes = notes))
}

# ---- association_table -----------------------------------------------------

#' @export
zh_tables.zh_association <- function(x, style = "spss", digits = NULL, labels = NULL, ...) {
  apa <- style == "apa"
  k <- nrow(x)
  p_main <- if ("p_adjusted" %in% names(x)) x$p_adjusted else x$p_value
  d <- if (apa && is.null(digits)) 2L else NA_integer_
  cols <- list(list(x$statistic, "stat", d, "Chi-square", "Pearson Chi-Square"),
               list(x$df, "df", NA, "df", "df"),
               list(p_main, "p", NA, "p", "Sig."),
               list(x$cramers_v, "bounded", NA, "V", "Cramer's V"),
               list(x$n, "count", NA, "N", "N"),
               list(x$min_expected, "stat", 2L, "Min. expected", "Min. Expected"),
               list(x$cells_below_5, "int", NA, "Cells < 5", "Cells < 5"),
               list(x$lr_statistic, "stat", d, "G2", "Likelihood Ratio"),
               list(x$lr_p_value, "p", NA, "p (G2)", "Sig. (LR)"))
  if ("p_adjusted" %in% names(x)) {
    cols[[3]][[4]] <- sprintf("p (%s)", attr(x, "p_adjust"))
    cols[[3]][[5]] <- sprintf("Sig. (%s)", attr(x, "p_adjust"))
  }
  if (all(c("gamma", "tau_b") %in% names(x)) && any(!is.na(x$gamma) | !is.na(x$tau_b))) {
    cols <- c(cols, list(list(x$gamma, "bounded", NA, "Gamma", "Gamma"),
                         list(x$gamma_p_value, "p", NA, "p (Gamma)", "Sig. (Gamma)"),
                         list(x$tau_b, "bounded", NA, "tau-b", "Kendall's tau-b"),
                         list(x$tau_b_p_value, "p", NA, "p (tau-b)", "Sig. (tau-b)")))
  }
  if ("cmh_statistic" %in% names(x)) {
    cols <- c(cols, list(list(x$cmh_statistic, "stat", d, "MH", "Mantel-Haenszel"),
                         list(x$cmh_p_value, "p", NA, "p (MH)", "Sig. (MH)"),
                         list(x$common_or, "stat", NA, "Common OR", "Common Odds Ratio"),
                         list(x$breslow_day_p_value, "p", NA, "p (BD)", "Sig. (Breslow-Day)")))
  }
  cells <- do.call(rbind, lapply(seq_along(cols), function(j) {
    zh_cells(seq_len(k), j, cols[[j]][[1]], cols[[j]][[2]], cols[[j]][[3]])
  }))
  cells <- cells[!is.na(cells$value), , drop = FALSE]
  labs <- vapply(cols, function(c) c[[if (apa) 4L else 5L]], "")
  notes <- list()
  low <- sum(x$cells_below_5 > 0, na.rm = TRUE)
  if (low > 0) notes$low <- zh_note("tables_low_expected", k = low, n = k, where = "table")
  if ("p_adjusted" %in% names(x)) {
    notes$adj <- zh_note("p_adjusted_rows", k = k, method = attr(x, "p_adjust"), where = "table")
  }
  if (isTRUE(attr(x, "weighted"))) {
    notes$w <- zh_note("weighted", count = attr(x, "count"), where = "table")
  }
  if ("cmh_statistic" %in% names(x)) {
    notes$cmh <- zh_note("assoc_cmh", layer = attr(x, "layer"), where = "table")
  }
  vlab <- attr(x, "var_labels")
  shown <- function(v) zh_var_label(v, if (is.null(vlab)) NULL else unname(vlab[v]), labels)
  zh_output(zh_otable(sprintf("Association with %s", shown(attr(x, "outcome"))), shown(x$variable),
                      zh_headers(labs), cells, stub_head = "Variable", notes = notes))
}

# ---- check_reported --------------------------------------------------------

#' @export
zh_tables.zh_reported <- function(x, ...) {
  k <- nrow(x)
  stat <- x$statistic
  stat_cell <- if (is.character(stat)) {
    zh_cells(seq_len(k), 2L, NA, "text", text = stat)
  } else zh_cells(seq_len(k), 2L, stat, "stat")
  verdict <- ifelse(is.na(x$consistent), "", ifelse(x$consistent, "consistent",
                    ifelse(x$decision_error %in% TRUE, "decision error", "inconsistent")))
  cells <- rbind(zh_cells(seq_len(k), 1L, NA, "text", text = as.character(x$test)),
                 stat_cell,
                 zh_cells(seq_len(k), 3L, if (is.null(x$df)) NA else x$df, "df"),
                 zh_cells(seq_len(k), 4L, NA, "text", text = as.character(x$p_reported)),
                 zh_cells(seq_len(k), 5L, x$p_computed, "p", 4L),
                 zh_cells(seq_len(k), 6L, x$p_lower, "p", 4L),
                 zh_cells(seq_len(k), 7L, x$p_upper, "p", 4L),
                 zh_cells(seq_len(k), 8L, NA, "text", text = verdict))
  cells <- cells[!is.na(cells$value) | (cells$type == "text" & !is.na(cells$text)), ,
                 drop = FALSE]
  zh_output(zh_otable("Reported statistics checked", as.character(seq_len(k)),
                      zh_headers(c("Test", "Statistic", "df", "p reported", "p computed",
                                   "p lower", "p upper", "Verdict"),
                                 c(NA, NA, NA, NA, NA, "Range of p", "Range of p", NA)),
                      cells, stub_head = "Row"))
}

#' @export
format.zh_reported <- function(x, ...) zh_format_result(x, ...)

#' @export
print.zh_reported <- function(x, ...) zh_print_result(x, ...)

# ---- glance ----------------------------------------------------------------

#' @method glance zh_cor_matrix
#' @export
glance.zh_cor_matrix <- function(x, ...) {
  off <- row(x$r) < col(x$r)
  data.frame(method = zh_cor_names(x$method)[["short"]], variables = nrow(x$r),
             pairs = sum(off), n_min = min(x$n[off]), n_max = max(x$n[off]),
             significant_05 = sum(x$p[off] < 0.05, na.rm = TRUE), use = x$use,
             p_adjust = x$p_adjust, stringsAsFactors = FALSE)
}

#' @method glance zh_freq
#' @export
glance.zh_freq <- function(x, ...) {
  if (!zh_is_intact(x, zh_freq_cols, "variable")) {
    zh_abort("`x` must be a frequency table made by freq_table().", "input")
  }
  type <- zh_freq_type(x)
  data.frame(variable = attr(x, "variable"), categories = sum(type == "category"),
             valid = sum(x$n[type == "category"]), missing = sum(x$n[type == "missing"]),
             total = x$n[type == "total"][1], weighted = isTRUE(attr(x, "weighted")),
             stringsAsFactors = FALSE)
}

#' @method glance zh_profile
#' @export
glance.zh_profile <- function(x, ...) {
  data.frame(variables = length(unique(x$variable)), rows = nrow(x),
             by = if (is.null(attr(x, "by"))) NA_character_ else attr(x, "by"),
             weighted = isTRUE(attr(x, "weighted")), rounding = attr(x, "rounding"),
             stringsAsFactors = FALSE)
}

#' @method glance zh_association
#' @export
glance.zh_association <- function(x, ...) {
  p <- if ("p_adjusted" %in% names(x)) x$p_adjusted else x$p_value
  data.frame(outcome = attr(x, "outcome"), factors = nrow(x),
             significant_05 = sum(p < 0.05, na.rm = TRUE),
             low_expected = sum(x$cells_below_5 > 0, na.rm = TRUE),
             weighted = isTRUE(attr(x, "weighted")), stringsAsFactors = FALSE)
}

#' @method glance zh_reported
#' @export
glance.zh_reported <- function(x, ...) {
  data.frame(reports = nrow(x), checked = sum(!is.na(x$consistent)),
             inconsistent = sum(x$consistent %in% FALSE),
             decision_errors = sum(x$decision_error %in% TRUE))
}

#' @method tidy zh_reported
#' @export
tidy.zh_reported <- function(x, ...) {
  out <- x
  class(out) <- "data.frame"
  out
}
