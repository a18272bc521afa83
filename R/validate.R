#' The validation record: the package against independent references
#'
#' Recomputes, at call time, statistics whose correct values come from
#' outside the package, and returns one row per statistic family and
#' reference with the largest absolute difference found.
#'
#' @section References:
#' * **GNU PSPP 1.6.2** outputs shipped in the package
#'   (`system.file("validation", package = "zhetysu")`): `CROSSTABS
#'   /STATISTICS=ALL` on 19 tables (weighted and unweighted, 2 x 2 to 6 x 5,
#'   an empty row, a zero cell, the five `/COUNT` rules), `CORRELATIONS`
#'   (pairwise, listwise, weighted) and `FREQUENCIES` (unweighted and
#'   weighted). Where PSPP is known to differ from SPSS, the SPSS rule is
#'   kept and the value is not compared: phi of a 2 x 2 table (PSPP prints
#'   it unsigned: compared as absolute value), kappa of tables whose row and
#'   column categories differ (SPSS leaves it out), lambda's T where ASE0 is
#'   0 (PSPP prints NaN), kappa's asymptotic standard error (PSPP's formula
#'   is not the delta method when the margins differ; the package's is, and
#'   the published kappa output below checks it), Fisher's two-sided p of a table with a tie (PSPP
#'   uses another tie rule) and the risk estimate's bounds (PSPP bug #63747;
#'   the odds ratio is compared).
#' * **base R**: [stats::chisq.test()] (statistic, expected counts,
#'   adjusted residuals), [stats::fisher.test()], [stats::cor()] and
#'   [stats::cor.test()] on the same data.
#' * **textbook values**: Agresti (2002, Table 2.8) gamma and its ASE; a
#'   published SPSS kappa output (183 students, two observers).
#'
#' @section Differences:
#' A reference printed with `d` decimals is compared with the package's
#' value rounded to `d` decimals by the package's formatter (SPSS rounding,
#' halves away from zero), so that `max_abs_difference` is 0 when every
#' printed digit is reproduced. References at full precision (base R) are
#' compared unrounded (`decimals` is `"full"`).
#'
#' @param ... Not used; must be empty.
#' @return A data frame with one row per statistic family and reference:
#'   `family`, `reference`, `cases` (tables or data sets), `values` (numbers
#'   compared), `decimals` (as printed by the reference, e.g. `"3"` or
#'   `"0, 8"`; `"full"` = full precision) and `max_abs_difference`.
#' @export
#' @examples
#' v <- validate()
#' v[, c("family", "reference", "values", "max_abs_difference")]
validate <- function(...) {
  zh_check_dots(...)
  dir <- system.file("validation", package = "zhetysu")
  if (!nzchar(dir)) {
    zh_abort("The validation files are missing from the installed package.", "input")
  }
  out <- do.call(rbind, c(zh_validate_crosstab(file.path(dir, "pspp-crosstab")),
                          zh_validate_correlations(file.path(dir, "pspp-correlations")),
                          zh_validate_frequencies(file.path(dir, "pspp-frequencies")),
                          zh_validate_textbook()))
  rownames(out) <- NULL
  out
}

# One row of the record from pairs of (package value, reference value).
# `decimals` NA compares unrounded; else the package's value is printed as
# the reference was before the difference is taken.
zh_validation_row <- function(family, reference, cases, ours, ref, decimals) {
  ours <- as.numeric(ours)
  ref <- as.numeric(ref)
  if (length(decimals) == 1L) decimals <- rep(decimals, length(ref))
  shown <- ours
  for (d in unique(decimals[!is.na(decimals)])) {
    k <- !is.na(decimals) & decimals == d
    shown[k] <- as.numeric(zh_num(ours[k], d))
  }
  ok <- !is.na(ref)
  if (any(is.na(shown[ok]))) {
    zh_abort(sprintf("The package gives no value where %s prints one (%s).", reference, family),
             "input")
  }
  dec <- sort(unique(decimals[ok]), na.last = TRUE)
  data.frame(family = family, reference = reference, cases = cases, values = sum(ok),
             decimals = if (anyNA(dec)) "full" else paste(dec, collapse = ", "),
             max_abs_difference = if (any(ok)) max(abs(shown[ok] - ref[ok])) else NA_real_,
             stringsAsFactors = FALSE)
}

# ---- CROSSTABS --------------------------------------------------------------

zh_validate_crosstab <- function(dir) {
  fixtures <- utils::read.csv(file.path(dir, "fixtures.csv"), stringsAsFactors = FALSE)
  pspp <- utils::read.csv(file.path(dir, "pspp-crosstab.csv.gz"), stringsAsFactors = FALSE)
  dat <- function(data, vars) {
    f <- file.path(dir, paste0(data, ".dat"))
    if (!file.exists(f)) f <- paste0(f, ".gz")
    utils::read.table(f, na.strings = ".", col.names = strsplit(vars, " ")[[1]])
  }
  # PSPP prints Sig. with 3 decimals, residuals with 2, percentages with 1,
  # everything else with the 8 of SET FORMAT=F20.8
  dec <- function(stat) ifelse(grepl("^p_", stat), 3L, 8L)
  acc <- list(tests = list(), p = list(), measures = list(), counts = list(),
              percent = list(), residuals = list(), odds = list(),
              chisq_r = list(), fisher_r = list())
  # one list element per call; bound into vectors once at the end
  add <- function(key, ours, ref, d) acc[[key]][[length(acc[[key]]) + 1L]] <<-
    list(ours = as.numeric(ours), ref = as.numeric(ref), d = rep_len(d, length(ref)))
  for (i in seq_len(nrow(fixtures))) {
    fx <- fixtures[i, ]
    ct <- crosstab(dat(fx$data, fx$vars), fx$row, fx$col,
                   weights = if (fx$weight == "-") NULL else fx$weight, count = fx$count)
    ps <- pspp[pspp$fixture == fx$fixture, ]
    is22 <- all(dim(ct$observed) == 2L)
    tt <- ps[ps$block == "tests" & ps$measure != "N of Valid Cases", ]
    for (k in seq_len(nrow(tt))) {
      row <- ct$tests[ct$tests$test == tt$measure[k], ]
      st <- tt$stat[k]
      if (st == "p_exact_2" && fx$fixture == "fisher_tie") next
      got <- switch(st, estimate = row$statistic, df = row$df, p_value = row$p_value,
                    p_exact_2 = row$p_value, p_exact_1 = row$p_one_sided)
      add(if (grepl("^p_", st)) "p" else "tests", got, tt$value[k], dec(st))
    }
    mm <- ps[ps$block == "measures" & ps$measure %in% ct$measures$measure, ]
    for (k in seq_len(nrow(mm))) {
      row <- ct$measures[ct$measures$measure == mm$measure[k], ]
      got <- row[[mm$stat[k]]]
      if (is.na(got) && (mm$measure[k] == "Kappa" || is.nan(mm$value[k]))) next
      # PSPP's kappa ASE1 has (r_i + c_j)^2 where the delta method, which
      # crosstab() follows, has (c_i + r_j)^2: they differ when margins differ.
      if (mm$measure[k] == "Kappa" && mm$stat[k] == "ase") next
      if (is22 && mm$measure[k] == "Phi") got <- abs(got)
      add(if (mm$stat[k] == "p_value") "p" else "measures", got, mm$value[k], dec(mm$stat[k]))
    }
    rk <- ps[ps$block == "risk" & ps$measure == "odds" & ps$stat == "estimate", ]
    if (is22 && nrow(rk)) add("odds", ct$risk$estimate[1], rk$value[1], 8L)
    obs <- ct$observed
    rs <- rowSums(obs)
    cs <- colSums(obs)
    margins <- function(m, rm, cm, tot) rbind(cbind(m, rm), c(cm, tot))
    ours <- list(
      count = margins(obs, rs, cs, ct$n),
      expected = margins(ct$expected, NA * rs, NA * cs, NA),
      row_percent = margins(ct$row_percent, 100 + 0 * rs, 100 * cs / ct$n, 100),
      col_percent = margins(ct$col_percent, 100 * rs / ct$n, 100 + 0 * cs, 100),
      total_percent = margins(ct$total_percent, 100 * rs / ct$n, 100 * cs / ct$n, 100),
      residual = ct$residuals, std_residual = ct$std_residuals, adj_residual = ct$adj_residuals)
    key <- c(count = "counts", expected = "counts", row_percent = "percent",
             col_percent = "percent", total_percent = "percent", residual = "residuals",
             std_residual = "residuals", adj_residual = "residuals")
    digits <- c(counts = 8L, percent = 1L, residuals = 2L)
    cl <- ps[ps$block == "cells", ]
    rlab <- as.numeric(rownames(obs))
    clab <- as.numeric(colnames(obs))
    at <- function(lab, values) {
      ifelse(lab == "Total", length(values) + 1L,
             match(suppressWarnings(as.numeric(lab)), values))
    }
    i_r <- at(cl$row, rlab)
    i_c <- at(cl$col, clab)
    for (k in seq_len(nrow(cl))) {
      m <- ours[[cl$measure[k]]]
      if (i_r[k] > nrow(m) || i_c[k] > ncol(m) || is.na(m[i_r[k], i_c[k]])) next
      g <- key[[cl$measure[k]]]
      add(g, m[i_r[k], i_c[k]], cl$value[k], digits[[g]])
    }
    # base R on the same table (SPSS drops empty rows and columns first)
    if (all(dim(obs) >= 2L)) {
      cq <- suppressWarnings(stats::chisq.test(obs, correct = FALSE))
      pearson <- ct$tests[ct$tests$test == "Pearson Chi-Square", ]
      add("chisq_r", c(pearson$statistic, ct$expected, ct$adj_residuals),
          c(cq$statistic, cq$expected, cq$stdres), NA_integer_)
    }
    if (is22 && ct$n == round(ct$n)) {
      add("fisher_r", ct$tests$p_value[ct$tests$test == "Fisher's Exact Test"],
          stats::fisher.test(obs)$p.value, NA_integer_)
    }
  }
  n_fx <- nrow(fixtures)
  row <- function(key, family, reference, cases = n_fx) {
    part <- function(what) unlist(lapply(acc[[key]], `[[`, what))
    zh_validation_row(family, reference, cases, part("ours"), part("ref"), part("d"))
  }
  pspp_ref <- "GNU PSPP CROSSTABS"
  list(row("tests", "Chi-square tests: statistic and df", pspp_ref),
       row("p", "Chi-square tests and measures: p-values", pspp_ref),
       row("measures", "Symmetric and directional measures: value, ASE, T", pspp_ref),
       row("odds", "Risk estimate: odds ratio", pspp_ref, length(acc$odds)),
       row("counts", "Cell counts and expected counts", pspp_ref),
       row("percent", "Row, column and total percentages", pspp_ref),
       row("residuals", "Residuals: raw, standardized, adjusted", pspp_ref),
       row("chisq_r", "Pearson chi-square, expected counts, adjusted residuals",
           "base R chisq.test()", length(acc$chisq_r)),
       row("fisher_r", "Fisher's exact test, 2 x 2", "base R fisher.test()",
           length(acc$fisher_r)))
}

# ---- CORRELATIONS -----------------------------------------------------------

zh_validate_correlations <- function(dir) {
  d <- utils::read.csv(file.path(dir, "pspp-correlations-data.csv"))
  vars <- c("a", "b", "c", "e")
  lines <- readLines(file.path(dir, "pspp-correlations.csv"))
  starts <- grep("^Table: Correlations", lines)
  ends <- c(starts[-1] - 1L, length(lines))
  tabs <- lapply(seq_along(starts), function(k) {
    body <- lines[(starts[k] + 2L):ends[k]]
    body <- body[nzchar(body) & !grepl("^Footnote", body)]
    cells <- utils::read.csv(text = body, header = FALSE, colClasses = "character")
    cells[[1]] <- vars[cumsum(nzchar(cells[[1]]))]
    cells
  })
  # PSPP's order: pairwise, listwise, weighted pairwise
  runs <- list(cor_matrix(d, tidyselect::all_of(vars)),
               cor_matrix(d, tidyselect::all_of(vars), use = "listwise"),
               cor_matrix(d, tidyselect::all_of(vars), weights = "w"))
  acc <- list()
  for (k in seq_along(runs)) {
    cm <- runs[[k]]
    for (stat in c("Pearson Correlation", "Sig. (2-tailed)", "N")) {
      rows <- tabs[[k]][tabs[[k]][[2]] == stat, ]
      if (!nrow(rows)) next
      txt <- as.vector(gsub("\\[a\\]", "", as.matrix(rows[, -(1:2)])))
      ref <- suppressWarnings(as.numeric(txt))
      decimals <- nchar(sub("^[^.]*\\.?", "", txt))
      ours <- switch(stat, "Pearson Correlation" = cm$r, "Sig. (2-tailed)" = cm$p, N = cm$n)
      acc[[length(acc) + 1L]] <- data.frame(ours = as.vector(ours[vars, vars]), ref = ref,
                                            d = decimals, row.names = NULL)
    }
  }
  a <- do.call(rbind, acc)
  pspp <- zh_validation_row("Pearson correlations: r, p, N", "GNU PSPP CORRELATIONS",
                            length(runs), a$ours, a$ref, a$d)
  # base R: Pearson r and p pair by pair, Spearman and Kendall on the
  # complete cases, and the weighted r as cov.wt() gives it
  pr <- runs[[1]]
  ours <- ref <- numeric()
  for (i in 1:3) for (j in (i + 1):4) {
    ok <- stats::complete.cases(d[vars[c(i, j)]])
    t <- stats::cor.test(d[[vars[i]]][ok], d[[vars[j]]][ok])
    ours <- c(ours, pr$r[i, j], pr$p[i, j])
    ref <- c(ref, t$estimate, t$p.value)
  }
  cc <- stats::na.omit(d[vars])
  for (m in c("spearman", "kendall")) {
    rk <- cor_matrix(d, tidyselect::all_of(vars), method = m, use = "listwise")
    ours <- c(ours, rk$r)
    ref <- c(ref, stats::cor(cc, method = m))
  }
  cw <- stats::na.omit(d[c(vars, "w")])
  rw <- cor_matrix(cw, tidyselect::all_of(vars), weights = "w")
  ours <- c(ours, rw$r)
  ref <- c(ref, stats::cov.wt(cw[vars], wt = cw$w / sum(cw$w), cor = TRUE)$cor)
  base <- zh_validation_row("Pearson, Spearman and Kendall correlations",
                            "base R cor(), cor.test(), cov.wt()", 1L, ours, ref, NA_integer_)
  list(pspp, base)
}

# ---- FREQUENCIES ------------------------------------------------------------

zh_validate_frequencies <- function(dir) {
  d <- utils::read.csv(file.path(dir, "freq-pspp-data.csv"), na.strings = "",
                       stringsAsFactors = FALSE)
  # PSPP's value labels 1-3; 4 and 5 print as values
  d$x <- factor(d$x, levels = 1:5, labels = c("one", "two", "three", "4", "5"))
  lines <- readLines(file.path(dir, "freq-pspp.csv"))
  starts <- grep("^Table: ", lines)
  tabs <- lapply(seq_along(starts), function(k) {
    end <- if (k < length(starts)) starts[k + 1L] - 1L else length(lines)
    body <- lines[(starts[k] + 1L):end]
    utils::read.csv(text = body[nzchar(body)], header = TRUE, colClasses = "character",
                    check.names = FALSE)
  })
  tabs <- Filter(function(t) "Valid Percent" %in% names(t), tabs)
  # the tables in PSPP's order: x, s; sorted x, s; weighted x, s; sorted x
  runs <- list(freq_table(d, "x"), freq_table(d, "s"),
               freq_table(d, "x", sort = "descending"), freq_table(d, "s", sort = "descending"),
               freq_table(d, "x", weights = "w"), freq_table(d, "s", weights = "w"),
               freq_table(d, "x", weights = "w", sort = "ascending"))
  num <- function(v) suppressWarnings(as.numeric(sub("%$", "", v)))
  decimals <- function(v) nchar(sub("^[^.]*\\.?", "", sub("%$", "", v)))
  acc <- list()
  for (k in seq_along(runs)) {
    ft <- as.data.frame(runs[[k]])
    ref <- tabs[[k]]
    cols <- c(n = "Frequency", percent = "Percent", valid_percent = "Valid Percent",
              cumulative_percent = "Cumulative Percent")
    for (col in names(cols)) {
      txt <- ref[[cols[[col]]]]
      acc[[length(acc) + 1L]] <- data.frame(ours = ft[[col]], ref = num(txt), d = decimals(txt))
    }
  }
  a <- do.call(rbind, acc)
  list(zh_validation_row("Frequencies: counts and percentages", "GNU PSPP FREQUENCIES",
                         length(runs), a$ours, a$ref, a$d))
}

# ---- textbook values ---------------------------------------------------------

zh_validate_textbook <- function() {
  # Agresti (2002), Categorical Data Analysis, 2nd ed., Table 2.8: income by
  # job satisfaction, gamma .221 with ASE .117
  job <- as.table(matrix(c(1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11), 4))
  g <- crosstab(job)$measures
  g <- g[g$measure == "Gamma", ]
  # SPSS output for sex recorded by two observers (183 students): kappa .976,
  # Asymp. Std. Error .017, Approx. T 13.203
  sex <- as.table(matrix(c(118, 1, 1, 63), 2))
  kp <- crosstab(sex)$measures
  kp <- kp[kp$measure == "Kappa", ]
  list(zh_validation_row("Gamma and its ASE", "Agresti (2002), Table 2.8", 1L,
                         c(g$estimate, g$ase), c(0.221, 0.117), 3L),
       zh_validation_row("Kappa: value, ASE, T", "published SPSS output", 1L,
                         c(kp$estimate, kp$ase, kp$t), c(0.976, 0.017, 13.203), 3L))
}
