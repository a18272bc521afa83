# The output model: every result's printed form is data first -- a list of
# output tables (the SPSS pivot table: title, spanning column headers, stub
# groups, typed cells with unrounded values, lettered footnotes) -- and one
# renderer per medium (R/render.R: console and HTML; R/export.R: Word and
# Excel). zh_fmt() below is the one place numbers become strings.

# ---- one output table ------------------------------------------------------

zh_cell_types <- c("count", "percent", "stat", "bounded", "p", "df", "int", "text")

# Body cells as a data frame; every argument recycles to the longest.
zh_cells <- function(row, col, value = NA_real_, type = "stat", digits = NA_integer_,
                     text = NA_character_, notes = "", mark = "") {
  n <- max(length(row), length(col), length(value), length(type), length(text))
  if (n == 0L) {
    return(data.frame(row = integer(), col = integer(), value = numeric(),
                      text = character(), type = character(), digits = integer(),
                      notes = character(), mark = character(), stringsAsFactors = FALSE))
  }
  rep_n <- function(v) rep_len(v, n)
  data.frame(row = rep_n(as.integer(row)), col = rep_n(as.integer(col)),
             value = rep_n(as.double(value)), text = rep_n(as.character(text)),
             type = rep_n(as.character(type)), digits = rep_n(as.integer(digits)),
             notes = rep_n(as.character(notes)), mark = rep_n(as.character(mark)),
             stringsAsFactors = FALSE)
}

# Cells from a numeric matrix laid out as the body (or a block of it, at
# row/column offsets); NA values give no cell unless `keep_na`.
zh_cells_matrix <- function(m, type = "stat", digits = NA_integer_, row0 = 0L, col0 = 0L,
                            keep_na = FALSE, mark = "") {
  m <- as.matrix(m)
  idx <- if (keep_na) seq_along(m) else which(!is.na(m))
  r <- row(m)[idx]
  k <- col(m)[idx]
  mk <- if (is.matrix(mark)) mark[idx] else mark
  zh_cells(row0 + r, col0 + k, m[idx], if (is.matrix(type)) type[idx] else type,
           if (is.matrix(digits)) digits[idx] else digits, mark = mk)
}

# Column headers: one row per data column.
zh_headers <- function(label, group = NA_character_, group2 = NULL) {
  out <- data.frame(label = as.character(label),
                    group = rep_len(as.character(group), length(label)),
                    stringsAsFactors = FALSE)
  if (!is.null(group2)) out$group2 <- rep_len(as.character(group2), length(label))
  out
}

zh_otable <- function(title, stub, columns, cells, stub_head = NULL, notes = list(),
                      caption_vars = NULL) {
  if (!is.character(title) || length(title) != 1L) {
    zh_abort(sprintf("`title` must be a single string, not %s.", zh_describe(title)), "output")
  }
  if (is.null(stub)) stub <- matrix("", 0L, 1L)
  if (!is.matrix(stub)) stub <- matrix(as.character(stub), ncol = 1L)
  stub[is.na(stub)] <- ""
  storage.mode(stub) <- "character"
  if (is.character(columns)) columns <- zh_headers(columns)
  if (!is.data.frame(columns) || is.null(columns$label)) {
    zh_abort("`columns` must be a data frame with a `label` column.", "output")
  }
  if (is.null(columns$group)) columns$group <- NA_character_
  if (is.null(stub_head)) stub_head <- rep("", ncol(stub))
  stub_head <- rep_len(as.character(stub_head), ncol(stub))
  defaults <- zh_cells(integer(), integer())
  for (nm in setdiff(names(defaults), names(cells))) {
    cells[[nm]] <- if (nrow(cells)) {
      switch(nm, value = NA_real_, text = NA_character_, type = "stat", digits = NA_integer_,
             notes = "", mark = "")
    } else defaults[[nm]]
  }
  cells <- cells[, names(defaults), drop = FALSE]
  cells$notes[is.na(cells$notes)] <- ""
  cells$mark[is.na(cells$mark)] <- ""
  bad <- setdiff(unique(cells$type), zh_cell_types)
  if (length(bad)) {
    zh_abort(sprintf("`cells$type` must be one of %s, not \"%s\".",
                     paste0("\"", zh_cell_types, "\"", collapse = ", "), bad[1]), "output")
  }
  if (nrow(cells) && (any(cells$row < 1L | cells$row > nrow(stub)) ||
                      any(cells$col < 1L | cells$col > nrow(columns)))) {
    zh_abort(sprintf("`cells` must lie inside the table body (%d rows, %d columns).",
                     nrow(stub), nrow(columns)), "output")
  }
  for (i in seq_along(notes)) {
    if (is.null(notes[[i]]$where)) notes[[i]]$where <- "cell"
    if (is.null(notes[[i]]$args)) notes[[i]]$args <- list()
  }
  if (length(notes) && is.null(names(notes))) names(notes) <- paste0("n", seq_along(notes))
  structure(list(title = title, stub = stub, stub_head = stub_head, columns = columns,
                 cells = cells, notes = notes, caption_vars = caption_vars),
            class = "zh_otable")
}

# A note: `code` names a template of zh_note_text(); `where` = "title"
# (lettered, marker after the title), "cell" (lettered, marker on the cells
# that name it) or "table" (unlettered, printed under the table); `symbol`
# replaces the letter (the "**" of a correlation table).
zh_note <- function(code, ..., where = "cell", symbol = NULL) {
  list(code = code, args = list(...), where = where, symbol = symbol)
}

# ---- a result's output -----------------------------------------------------

zh_output <- function(...) {
  tabs <- list(...)
  if (length(tabs) == 1L && !inherits(tabs[[1]], "zh_otable") && is.list(tabs[[1]])) {
    tabs <- tabs[[1]]
  }
  tabs <- Filter(Negate(is.null), tabs)
  for (t in tabs) {
    if (!inherits(t, "zh_otable")) {
      zh_abort(sprintf("`...` must be output tables (`zh_otable`), not %s.",
                       zh_describe(t)), "output")
    }
  }
  structure(unname(tabs), class = "zh_output")
}

# Every result class has a method; the renderers call it.
zh_tables <- function(x, ...) UseMethod("zh_tables")

#' @export
zh_tables.zh_output <- function(x, ...) x

#' @export
zh_tables.zh_otable <- function(x, ...) zh_output(x)

#' @export
zh_tables.default <- function(x, ...) {
  zh_abort(sprintf("No output tables for an object of class `%s`.", class(x)[1]), "output")
}

# The renderers' shared options, resolved once.
zh_style <- function(style = NULL) zh_setting(style, "style", c("spss", "apa"))

zh_digits <- function(digits = NULL) {
  if (is.null(digits)) return(NULL)
  if (!is.numeric(digits) || length(digits) != 1L || is.na(digits) || digits < 0 ||
      digits > 15 || digits != round(digits)) {
    zh_abort(sprintf("`digits` must be a whole number from 0 to 15, not %s.",
                     zh_describe(digits)), "format")
  }
  as.integer(digits)
}

zh_use_labels <- function(labels = NULL) {
  labels <- if (is.null(labels)) getOption("zhetysu.labels", TRUE) else labels
  if (!is.logical(labels) || length(labels) != 1L || is.na(labels)) {
    zh_abort(sprintf("`labels` must be `TRUE` or `FALSE`, not %s.", zh_describe(labels)),
             "format")
  }
  labels
}

# A variable's display name: its label (haven's "label" attribute) when
# labels are on and it has one, else its name.
zh_var_label <- function(name, label = NULL, labels = NULL) {
  if (!zh_use_labels(labels) || is.null(label)) return(name)
  label <- as.character(label)
  ifelse(is.na(label) | !nzchar(label), name, label)
}

# ---- the one formatter -----------------------------------------------------

# Fixed decimals, half away from zero (SPSS rounds 6.25 to 6.3; printf
# rounds ties to even, so ties are nudged outward by a few ulps first).
zh_fixed <- function(x, digits, decimal_mark = ".", lead_zero = TRUE) {
  shape <- list(dim = dim(x), dimnames = dimnames(x))
  x <- as.double(x)
  out <- character(length(x))
  digits <- rep_len(as.integer(digits), length(x))
  ok <- is.finite(x)
  xn <- x + sign(x) * abs(x) * 8 * .Machine$double.eps
  for (d in unique(digits[ok])) {
    k <- ok & digits == d
    out[k] <- formatC(xn[k], format = "f", digits = d)
  }
  out[ok] <- sub("^-(0(\\.0*)?)$", "\\1", out[ok])  # no "-0.000"
  if (!lead_zero) out <- sub("^(-?)0\\.", "\\1.", out)
  if (decimal_mark != ".") out <- sub(".", decimal_mark, out, fixed = TRUE)
  out[!ok & !is.na(x)] <- ifelse(is.nan(x[!ok & !is.na(x)]), "NaN",
                                 ifelse(x[!ok & !is.na(x)] > 0, "Inf", "-Inf"))
  out[is.na(x) & !is.nan(x)] <- NA_character_
  if (!is.null(shape$dim)) attributes(out) <- shape[!vapply(shape, is.null, TRUE)]
  out
}

# The default decimals of each cell type.
zh_type_digits <- function(type, value, digits = NULL) {
  d <- if (is.null(digits)) 3L else digits
  out <- rep(d, length(type))
  out[type == "percent"] <- 1L
  out[type == "int"] <- 0L
  out[type == "count"] <- zh_count_digits(value[type == "count"])
  df <- type == "df"
  out[df] <- ifelse(is.na(value[df]) | value[df] == round(value[df]), 0L, d)
  out
}

# value: numeric; type: cell types (recycled); digits: NA = the type's
# default (for "count", the zh_count rule over the values given: pass one
# table column at a time); style "spss" or "apa". NA values give "".
zh_fmt <- function(value, type = "stat", digits = NA_integer_, style = "spss",
                   decimal_mark = ".") {
  n <- length(value)
  if (n == 0L) return(character())
  type <- rep_len(type, n)
  digits <- rep_len(as.integer(digits), n)
  auto <- is.na(digits)
  if (any(auto)) {
    digits[auto] <- zh_type_digits(type[auto], value[auto])
  }
  lead <- !type %in% c("bounded", "p")
  out <- character(n)
  for (lz in unique(lead)) {
    k <- lead == lz
    out[k] <- zh_fixed(value[k], digits[k], decimal_mark, lz)
  }
  p <- type == "p" & !is.na(value) & value < 10^-digits & value >= 0
  if (any(p)) {
    lim <- zh_fixed(10^-digits[p], digits[p], decimal_mark, FALSE)
    out[p] <- paste0(if (style == "apa") "< " else "<", lim)
  }
  pct <- type == "percent" & !is.na(out) & style == "spss"
  out[pct] <- paste0(out[pct], "%")
  out[is.na(out)] <- ""
  out
}

# zh_fmt with the style and decimal mark bound: what note templates get.
zh_formatter <- function(style = "spss", decimal_mark = ".", digits = NULL) {
  function(value, type = "stat", d = NA_integer_) {
    if (is.null(digits) || !all(is.na(d))) return(zh_fmt(value, type, d, style, decimal_mark))
    zh_fmt(value, type, ifelse(type %in% c("stat", "bounded", "p"), digits, NA_integer_),
           style, decimal_mark)
  }
}

# ---- notes: text from codes, at render time --------------------------------

# One template per code: function(args, fmt) -> the note's text. New result
# types add their codes here.
zh_note_templates <- list(
  min_expected = function(a, fmt) {
    sprintf("%s cells (%s%%) have expected count less than 5. The minimum expected count is %s.",
            fmt(a$cells, "int"), fmt(a$percent, "stat", 1L), fmt(a$min, "stat", 2L))
  },
  dropped_empty = function(a, fmt) {
    lv <- a$levels
    if (length(lv) > 10L) lv <- c(lv[1:10], sprintf("... (%s in all)", fmt(length(lv), "int")))
    sprintf("Empty categories of %s dropped before the statistics: %s.", a$var,
            paste(lv, collapse = ", "))
  },
  no_statistics = function(a, fmt) {
    sprintf("No statistics are computed: %s has %s non-empty categor%s; each variable needs at least two.",
            a$var, fmt(a$n, "int"), if (a$n == 1) "y" else "ies")
  },
  empty_layers = function(a, fmt) {
    sprintf("Layers without cases (left out): %s.", paste(a$layers, collapse = "; "))
  },
  fisher_integer = function(a, fmt) {
    "Fisher's exact test needs integer counts; use count = \"round\"."
  },
  fisher_not_feasible = function(a, fmt) {
    sprintf("Fisher's exact test: the exact p is not feasible for this table; Monte Carlo p from %s random tables.",
            zh_format_count(a$B))
  },
  fisher_monte_carlo = function(a, fmt) {
    sprintf("Fisher's exact test: Monte Carlo p from %s random tables.", zh_format_count(a$B))
  },
  fisher_2x2 = function(a, fmt) "Computed only for a 2x2 table",
  weighted = function(a, fmt) {
    sprintf("Weighted counts (count = \"%s\").", a$count)
  },
  not_assumed_null = function(a, fmt) "Not assuming the null hypothesis.",
  asymptotic_null = function(a, fmt) {
    "Using the asymptotic standard error assuming the null hypothesis."
  },
  normal_approx = function(a, fmt) "Based on normal approximation.",
  chisq_approx = function(a, fmt) "Based on chi-square approximation.",
  lr_prob = function(a, fmt) "Likelihood ratio chi-square probability.",
  risk_zero = function(a, fmt) "Left empty where a zero cell makes the ratio 0 or infinite.",
  sig_01 = function(a, fmt) {
    sprintf("Correlation is significant at the %s level (%s).", fmt(0.01, "stat", 2L),
            if (identical(a$tails, 1L) || identical(a$tails, 1)) "1-tailed" else "2-tailed")
  },
  sig_05 = function(a, fmt) {
    sprintf("Correlation is significant at the %s level (%s).", fmt(0.05, "stat", 2L),
            if (identical(a$tails, 1L) || identical(a$tails, 1)) "1-tailed" else "2-tailed")
  },
  apa_stars = function(a, fmt) {
    one <- identical(a$tails, 1L) || identical(a$tails, 1)
    sprintf("* p %s %s. ** p %s %s%s.", "<", fmt(0.05, "p", 2L), "<", fmt(0.01, "p", 2L),
            if (one) " (one-tailed)" else "")
  },
  listwise_n = function(a, fmt) sprintf("Listwise N = %s.", fmt(a$n, "count")),
  p_adjusted = function(a, fmt) {
    sprintf("p-values adjusted for %s comparisons (%s).", fmt(a$k, "int"), a$method)
  },
  p_adjusted_rows = function(a, fmt) {
    sprintf("p-values adjusted across the %s rows (%s).", fmt(a$k, "int"), a$method)
  },
  tables_low_expected = function(a, fmt) {
    sprintf("%s of %s tables have cells with expected count less than 5.",
            fmt(a$k, "int"), fmt(a$n, "int"))
  },
  not_computed = function(a, fmt) {
    sprintf("Cannot be computed: %s.", paste(a$reasons, collapse = "; "))
  },
  percent_of_valid = function(a, fmt) sprintf("Percent of valid cases; %s.", a$detail),
  multiple_modes = function(a, fmt) "Multiple modes exist. The smallest value is shown",
  grouped_median = function(a, fmt) "Calculated from grouped data.",
  grouped_percentiles = function(a, fmt) "Percentiles are calculated from grouped data.",
  weighted_freq = function(a, fmt) "Weighted counts.",
  profile_percent = function(a, fmt) {
    sprintf("Percent of valid cases; %s.", if (identical(a$rounding, "largest_remainder")) {
      "rounded by largest remainder, so each variable adds up to 100"
    } else "each percent rounded on its own")
  },
  profile_p = function(a, fmt) {
    sprintf("p: Pearson chi-square test of each variable against %s.", a$by)
  },
  design = function(a, fmt) {
    what <- if (identical(a$kind, "replicate")) {
      sprintf("%s replicate weights, %s replicates", a$type, fmt(a$replicates, "int"))
    } else {
      sprintf("%s strat%s, %s PSUs%s", fmt(a$strata, "int"), if (a$strata == 1) "um" else "a",
              fmt(a$psu, "int"), if (isTRUE(a$calibrated)) ", calibrated" else "")
    }
    sprintf("Design: %s, df = %s; %s cases%s.", what, fmt(a$df, "df"), fmt(a$n, "count"),
            if (is.null(a$population) || is.na(a$population)) "" else
              sprintf(", estimated population %s", fmt(a$population, "count")))
  },
  design_delta_cells = function(a, fmt) {
    paste("Delta method with the design covariance of the estimated cell totals;",
          "z = Value / Std. Error, two-sided normal p.")
  },
  design_delta_means = function(a, fmt) {
    sprintf(paste("Delta method with the design covariance of the weighted means;",
                  "Sig.: t = r / Std. Error on %s design df; %s deletion."),
            fmt(a$df, "df"), a$use)
  },
  design_rao_scott = function(a, fmt) {
    paste("Rao-Scott F: Pearson chi-square with the second-order correction;",
          "Std. Error: delta method with the design covariance of the cell totals.")
  },
  design_percent_valid = function(a, fmt) "Of the cases with a valid value.",
  mcnemar_binomial = function(a, fmt) "Binomial distribution used.",
  mcnemar_square = function(a, fmt) {
    "McNemar: Computed only for a PxP table, where P must be greater than 1."
  },
  mcnemar_integer = function(a, fmt) "McNemar's test needs integer counts; use count = \"round\".",
  cmh_no_layer = function(a, fmt) {
    "CMH statistics need a layer variable (`layer`): they are computed over the strata of 2x2 tables."
  },
  cmh_not_2x2 = function(a, fmt) {
    sprintf("CMH statistics are computed only for 2x2 tables in each stratum; %s has %s and %s %s non-empty categories.",
            a$vars[1], fmt(a$dims[1], "int"), a$vars[2], fmt(a$dims[2], "int"))
  },
  cmh_one_layer = function(a, fmt) {
    sprintf("CMH statistics need at least two strata with cases; there %s %s.",
            if (a$strata == 1) "is" else "are", fmt(a$strata, "int"))
  },
  cmh_skipped = function(a, fmt) {
    paste(c(if (length(a$small)) sprintf("Strata with fewer than two cases left out: %s.",
                                         paste(a$small, collapse = "; ")),
            if (length(a$zero_margin)) sprintf(
              "Strata with an empty row or column, left out of the homogeneity tests: %s.",
              paste(a$zero_margin, collapse = "; "))), collapse = " ")
  },
  cmh_conditional = function(a, fmt) {
    paste("Under the conditional independence assumption, Cochran's statistic is asymptotically",
          "distributed as a 1 df chi-squared distribution, only if the number of strata is fixed,",
          "while the Mantel-Haenszel statistic is always asymptotically distributed as a 1 df",
          "chi-squared distribution. Note that the continuity correction is removed from the",
          "Mantel-Haenszel statistic when the sum of the differences between the observed and",
          "the expected is 0.")
  },
  cmh_odds_ratio = function(a, fmt) {
    sprintf(paste("The Mantel-Haenszel common odds ratio estimate is asymptotically normally",
                  "distributed under the common odds ratio of %s assumption. So is the natural",
                  "log of the estimate."), fmt(a$null_or, "stat", 3L))
  },
  cmh_odds_ratio_na = function(a, fmt) {
    "Left empty where a sum of b*c/n or a*d/n over the strata is 0 (the estimate is then 0 or infinite)."
  },
  prop_subsets = function(a, fmt) {
    paste0(sprintf(paste("Each subscript letter denotes a subset of %s categories whose column",
                         "proportions do not differ significantly from each other at the %s level."),
                   a$var, fmt(0.05, "p", 2L)),
           if (isTRUE(a$bonferroni)) paste(" Tests are adjusted for all pairwise comparisons",
                                           "within a row using the Bonferroni correction.") else "")
  },
  assoc_cmh = function(a, fmt) {
    sprintf(paste("Mantel-Haenszel (with continuity correction), common odds ratio and",
                  "Breslow-Day over the strata of %s; only for factors that are 2x2 with the",
                  "outcome."), a$layer)
  },
  prop_excluded = function(a, fmt) {
    "This category is not used in comparisons because its column proportion is equal to zero or one."
  },
  # A note whose text is data (a user's or a published source's words).
  text = function(a, fmt) a$text
)

zh_note_text <- function(code, args = list(), fmt = zh_formatter()) {
  tpl <- zh_note_templates[[code]]
  if (is.null(tpl)) zh_abort(sprintf("Unknown note code \"%s\".", code), "output")
  tpl(args, fmt)
}

# The texts of a list of notes (e.g. a result's x$notes).
zh_notes_text <- function(notes, fmt = zh_formatter()) {
  vapply(notes, function(n) zh_note_text(n$code, n$args, fmt), "")
}

# Letters in order of first use, as SPSS assigns them: title notes first,
# then the column headers (columns$notes, optional), then the cells row by row; "table" notes are unlettered. Returns the
# markers (named by note id) and the notes' lines in display order.
zh_note_letters <- function(tab, fmt) {
  notes <- tab$notes
  if (!length(notes)) return(list(marker = character(), lines = character()))
  ids <- names(notes)
  where <- vapply(notes, function(n) n$where, "")
  cells <- tab$cells
  ord <- order(cells$row, cells$col)
  head_notes <- if (is.null(tab$columns$notes)) character() else tab$columns$notes
  used <- unlist(strsplit(c(head_notes, cells$notes[ord]), ",", fixed = TRUE))
  used <- trimws(used[nzchar(used)])
  seq_ids <- unique(c(ids[where == "title"], used, ids[where == "cell"]))
  seq_ids <- seq_ids[seq_ids %in% ids[where != "table"]]
  marker <- character()
  k <- 0L
  for (id in seq_ids) {
    sym <- notes[[id]]$symbol
    if (is.null(sym)) {
      k <- k + 1L
      sym <- zh_note_letter(k)
    }
    marker[id] <- sym
  }
  text <- function(id) zh_note_text(notes[[id]]$code, notes[[id]]$args, fmt)
  lines <- c(vapply(names(marker), function(id) paste0(marker[[id]], ". ", text(id)), ""),
             vapply(ids[where == "table"], text, ""))
  list(marker = marker, lines = unname(lines))
}

zh_note_letter <- function(k) {
  out <- character(length(k))
  for (i in seq_along(k)) {
    n <- k[i]
    s <- ""
    while (n > 0) {
      s <- paste0(letters[(n - 1) %% 26 + 1], s)
      n <- (n - 1) %/% 26
    }
    out[i] <- s
  }
  out
}

# The body as strings: every cell formatted (count digits per table column,
# as the zh_count rule says), its marks and note markers appended.
zh_body_strings <- function(tab, style = "spss", digits = NULL, decimal_mark = ".",
                            marker = character()) {
  cells <- tab$cells
  body <- matrix("", nrow(tab$stub), nrow(tab$columns))
  numeric_cell <- matrix(FALSE, nrow(body), ncol(body))
  notes_m <- body
  if (!nrow(cells)) return(list(text = body, numeric = numeric_cell, plain = body, markers = body))
  d <- cells$digits
  if (!is.null(digits)) d[is.na(d) & cells$type %in% c("stat", "bounded", "p", "df")] <- digits
  # count digits: one rule per table column
  cnt <- cells$type == "count" & is.na(d)
  for (j in unique(cells$col[cnt])) {
    k <- cnt & cells$col == j
    d[k] <- zh_count_digits(cells$value[k])
  }
  s <- zh_fmt(cells$value, cells$type, d, style, decimal_mark)
  txt <- cells$type == "text"
  s[txt] <- ifelse(is.na(cells$text[txt]), "", cells$text[txt])
  s <- paste0(s, cells$mark)
  # the note markers apart too: HTML and Word set them as superscripts
  m_s <- character(length(s))
  if (length(marker)) {
    has <- nzchar(cells$notes)
    m_s[has] <- vapply(which(has), function(i) {
      ids <- trimws(strsplit(cells$notes[i], ",", fixed = TRUE)[[1]])
      paste(marker[ids[ids %in% names(marker)]], collapse = ",")
    }, "")
  }
  plain <- body
  plain[cbind(cells$row, cells$col)] <- s
  notes_m[cbind(cells$row, cells$col)] <- m_s
  body[cbind(cells$row, cells$col)] <- paste0(s, m_s)
  numeric_cell[cbind(cells$row, cells$col)] <- !txt
  list(text = body, numeric = numeric_cell, plain = plain, markers = notes_m)
}

# A table's title with its title-note markers.
zh_title_marked <- function(tab, marker) paste0(tab$title, zh_title_markers(tab, marker))

zh_title_markers <- function(tab, marker) {
  ids <- names(tab$notes)[vapply(tab$notes, function(n) n$where == "title", TRUE)]
  paste(marker[intersect(ids, names(marker))], collapse = ",")
}

# Column labels with their header-note markers.
zh_headers_marked <- function(tab, marker) {
  paste0(tab$columns$label, zh_header_markers(tab, marker))
}

# The header-note markers of each column ("" where none).
zh_header_markers <- function(tab, marker) {
  hn <- tab$columns$notes
  out <- character(length(tab$columns$label))
  if (is.null(hn) || !length(marker)) return(out)
  for (j in seq_along(out)) {
    ids <- trimws(strsplit(hn[j], ",", fixed = TRUE)[[1]])
    out[j] <- paste(marker[ids[ids %in% names(marker)]], collapse = ",")
  }
  out
}
