#' Counts: the table every contingency statistic starts from
#'
#' A `zh_counts` object is a k-way table of (weighted) counts with what the
#' statistics need to know about each variable: its name, variable label,
#' category labels, category values (the scores of the linear-by-linear test,
#' Pearson's R and eta), whether its categories are ordered, and the cases
#' left out because the value is missing, by kind (system missing, and each
#' SPSS user-missing code with its label). [crosstab()],
#' [association_table()], [freq_table()] and [profile_table()] all compute
#' from such counts, however they were made:
#'
#' * `zh_counts()` counts the columns of a data frame in one pass in C (the
#'   first variable varies fastest: row x col x layer x ...);
#' * `zh_counts_table()` takes a `table`, `xtabs` or array of counts, with
#'   explicit `scores` and `ordered`;
#' * `zh_counts_data()` takes a data frame of counts: one row per cell, key
#'   columns and a count column (what a database `GROUP BY` or a survey
#'   design's totals give).
#'
#' @section The count rule:
#' SPSS CROSSTABS rounds each cell's summed weight to an integer before it
#' computes anything (`count = "round"`, half up); `"truncate"` truncates the
#' cells, `"asis"` keeps them, and `"case_round"` / `"case_truncate"` round
#' or truncate each case's weight before counting. The rule is applied to
#' the cells of weighted counts only, here and nowhere else; `sums` keeps the
#' cell sums before a cell rule, so that a margin (a table summed over some
#' variables) applies the rule to its own sums, as SPSS does for a table
#' without those variables.
#'
#' @section Missing values:
#' A case with a missing value of any variable (or a missing weight) is left
#' out of the table and counted in `left_out`. Per variable, `missing` lists
#' the cases whose value of that variable is missing (whatever the other
#' variables say): one row per user-missing code of a `haven_labelled_spss`
#' column (as read by `haven::read_sav(user_na = TRUE)`), with its value
#' label, then `System` for `NA` (SPSS's system-missing). Cases with a
#' missing weight are in no such row.
#'
#' @param data A data frame (or tibble). For `zh_counts_data()`, one row per
#'   cell of the table.
#' @param vars The variables: column names, strings or tidyselect helpers,
#'   in the order of the table's dimensions.
#' @param weights Optional frequency weights: a bare column name or string.
#' @param count The count rule (see above): `"round"`, `"asis"`,
#'   `"truncate"`, `"case_round"` or `"case_truncate"`.
#' @return An object of class `zh_counts`: a list with
#'   * `counts`: the k-way numeric array of counts after the count rule,
#'     dimnames named by the variable names;
#'   * `sums`: the same before a cell rule (equal to `counts` unless the
#'     counts are weighted and `count` is `"round"` or `"truncate"`);
#'   * `vars`: one list per dimension with `name`, `label` (variable label
#'     or `NA`), `levels` (category labels), `values` (numeric scores),
#'     `ordered` (logical) and `missing` (a data frame with columns `kind`
#'     (`"user"` or `"system"`), `code`, `label`, `n` (weighted) and
#'     `cases`);
#'   * `left_out`: `c(cases =, weight =)` of the cases left out;
#'   * `weighted`, `count`.
#' @seealso [crosstab()], which takes a `zh_counts` object as `data`.
#' @export
#' @examples
#' cn <- zh_counts(mtcars, c(cyl, gear, am))
#' dim(cn$counts)
#' cn$vars[[1]]$values
#'
#' # a table, with its scores given
#' tab <- table(cyl = mtcars$cyl, gear = mtcars$gear)
#' cn2 <- zh_counts_table(tab, scores = list(c(4, 6, 8), c(3, 4, 5)))
#' identical(crosstab(cn2), crosstab(mtcars, cyl, gear))
#'
#' # a data frame of counts, e.g. from a database GROUP BY
#' df <- as.data.frame(tab, stringsAsFactors = FALSE)
#' df$cyl <- as.numeric(df$cyl)
#' df$gear <- as.numeric(df$gear)
#' crosstab(zh_counts_data(df, c(cyl, gear), n = Freq))$tests
zh_counts <- function(data, vars, weights = NULL,
                      count = c("round", "asis", "truncate", "case_round", "case_truncate")) {
  count <- zh_match_arg(count, "count")
  zh_check_data(data)
  env <- parent.frame()
  names <- zh_columns(data, substitute(vars), "vars", env)
  w_name <- zh_column(data, substitute(weights), "weights", env, null_ok = TRUE)
  if (nrow(data) == 0L) zh_abort("`data` must have at least one row, not 0.", "data")
  zh_counts_build(data, names, rep("vars", length(names)), w_name, count)
}

# The data-frame constructor behind every front door: `cols` is a list of
# columns as zh_column() resolves them (names with their positions), `args`
# names the argument that selected each (for error messages).
zh_counts_build <- function(data, cols, args, w_name, count, all_missing_ok = FALSE,
                            weights_hint = NULL) {
  if (length(cols) > 16L) {
    zh_abort(sprintf("At most 16 variables can be counted together, not %d.", length(cols)),
             "size")
  }
  names <- vapply(cols, function(v) c(v)[[1]], "")
  codes <- lapply(seq_along(cols), function(k) {
    zh_codes_of(data, cols[[k]], args[k], all_missing_ok = all_missing_ok)
  })
  w <- zh_weights_of(data, w_name, weights_hint)
  nlev <- vapply(codes, function(z) max(length(z$labels), 1L), 1L)
  if (length(cols) == 2L && identical(args, c("row", "col"))) {
    zh_check_cells(nlev[1], nlev[2], names)
  } else if (prod(as.double(nlev)) > 2^28) {
    zh_abort(sprintf("%s have too many categories: the table would have %s cells (%s).",
                     paste0("`", unique(args), "`", collapse = " and "),
                     format(prod(as.double(nlev)), big.mark = ","),
                     paste(nlev, collapse = " x ")), "size")
  }
  if (!is.null(w) && count %in% c("case_round", "case_truncate")) {
    w <- zh_count_rule(w, if (count == "case_round") "round" else "truncate")
  }
  user <- lapply(seq_along(cols), function(k) zh_user_missing(zh_pull(data, cols[[k]]), codes[[k]]))
  res <- .Call(zh_count_kway, lapply(user, `[[`, "codes"), as.integer(nlev),
               vapply(user, function(u) nrow(u$codes_df), 1L), w, zh_threads())
  sums <- res$table
  vars <- lapply(seq_along(cols), function(k) {
    z <- codes[[k]]
    m <- res$missing[[k]]
    s <- length(m) / 2
    ud <- user[[k]]$codes_df
    miss <- data.frame(kind = c(rep("user", nrow(ud)), "system"),
                       code = c(ud$code, NA),
                       label = c(ud$label, "System"),
                       n = m[seq_len(s)], cases = m[s + seq_len(s)], stringsAsFactors = FALSE)
    out <- zh_counts_var(names[k], attr(zh_pull(data, cols[[k]]), "label", exact = TRUE),
                         if (length(z$labels)) z$labels else "",
                         if (length(z$scores)) z$scores else NA_real_, isTRUE(z$ordered), miss,
                         keys = if (length(z$labels)) z$keys else "")
    # a column without any valid value is counted as one empty category
    out$all_missing <- !length(z$labels)
    out
  })
  zh_counts_new(sums, vars, weighted = !is.null(w), count = count,
                left_out = res$left_out)
}

# `keys` pair the categories of two variables (kappa): the values as text
# where the column has values, else the labels.
zh_counts_var <- function(name, label, levels, values, ordered, missing = NULL, keys = levels) {
  if (is.null(missing)) {
    missing <- data.frame(kind = "system", code = NA_real_, label = "System", n = 0,
                          cases = 0, stringsAsFactors = FALSE)
  }
  list(name = name, label = if (is.character(label) && length(label) == 1L) label else NA_character_,
       levels = as.character(levels), values = as.double(values), ordered = ordered,
       keys = as.character(keys), missing = missing)
}

# Applies the count rule to the cell sums and names the dimensions.
zh_counts_new <- function(sums, vars, weighted, count, left_out) {
  dim(sums) <- vapply(vars, function(v) length(v$levels), 1L)
  dimnames(sums) <- stats::setNames(lapply(vars, `[[`, "levels"),
                                    vapply(vars, `[[`, "", "name"))
  counts <- if (weighted) zh_count_rule(sums, count) else sums
  structure(list(counts = counts, sums = sums, vars = vars, weighted = weighted, count = count,
                 left_out = c(cases = left_out[[1]], weight = left_out[[2]])),
            class = "zh_counts")
}

# The one rounding rule of counts: SPSS rounds halves up (ROUND), R's round()
# to even. "case_*" rules act on case weights before counting, not here.
zh_round_half_up <- function(x) floor(x + 0.5)

zh_count_rule <- function(x, count) {
  switch(count,
    round = zh_round_half_up(x),
    truncate = trunc(x),
    x)
}

# User-missing codes of a haven_labelled_spss column become codes after the
# valid ones (nlev + 1, ...), so that the counting pass tallies them one by
# one; NA stays system missing.
zh_user_missing <- function(x, z) {
  codes <- zh_int(z$codes)
  none <- list(codes = codes, codes_df = data.frame(code = numeric(), label = character(),
                                                    stringsAsFactors = FALSE))
  if (!inherits(x, "haven_labelled_spss")) return(none)
  v <- unclass(x)
  attributes(v) <- NULL
  if (!is.numeric(v) && !is.character(v)) return(none)
  na_values <- attr(x, "na_values", exact = TRUE)
  na_range <- attr(x, "na_range", exact = TRUE)
  user <- !is.na(v) & v %in% na_values
  if (length(na_range) == 2L) user <- user | (!is.na(v) & v >= na_range[1] & v <= na_range[2])
  if (!any(user)) return(none)
  ucodes <- sort(unique(v[user]), method = "radix")
  labs <- attr(x, "labels", exact = TRUE)
  lab <- names(labs)[match(ucodes, unname(labs))]
  bare <- is.na(lab) | !nzchar(lab)
  lab[bare] <- if (is.character(ucodes)) ucodes[bare] else zh_value_text(ucodes[bare])
  codes <- as.integer(codes)
  codes[user] <- max(length(z$labels), 1L) + match(v[user], ucodes)
  list(codes = codes, codes_df = data.frame(code = ucodes, label = lab, stringsAsFactors = FALSE))
}

#' @rdname zh_counts
#' @param x For `zh_counts_table()`: a `table`, `xtabs` object or numeric
#'   array of non-negative counts (dimension names become the variable
#'   names; unnamed dimensions are called `row`, `col`, `layer1`, ...).
#' @param scores `NULL` or a list with one numeric vector per dimension (the
#'   category values, in table order); a `NULL` element takes the default.
#'   The default (documented, and the same for every table): the labels as
#'   numbers when every label of that dimension is a number and they
#'   increase in table order, else the positions `1, 2, ...`.
#' @param ordered Whether each dimension's categories are ordered (recycled);
#'   default `TRUE`, as for the numeric columns of a data frame.
#' @param weighted Whether the counts are weighted (so that `count` applies
#'   to the cells). `NULL`, the default, means for a table: weighted when a
#'   cell is not a whole number; for a data frame of counts see `cases`.
#' @export
zh_counts_table <- function(x, scores = NULL, ordered = TRUE, weighted = NULL,
                            count = c("round", "asis", "truncate", "case_round",
                                      "case_truncate")) {
  count <- zh_match_arg(count, "count")
  if (!(is.numeric(x) && length(dim(x)) >= 1L)) {
    zh_abort(sprintf("`x` must be a table, xtabs or array of counts, not %s.", zh_describe(x)),
             "data")
  }
  tab <- unclass(x)
  storage.mode(tab) <- "double"
  attributes(tab) <- attributes(tab)[c("dim", "dimnames")]
  bad <- !is.finite(tab) | tab < 0
  if (any(bad)) {
    zh_abort(sprintf("`data` must hold non-negative finite counts, not %s (%d found).",
                     if (anyNA(tab)) "missing ones" else if (any(is.infinite(tab))) "infinite ones"
                     else "negative ones", sum(bad)), "data")
  }
  zh_check_total(sum(tab), "data", "data")
  nd <- length(dim(tab))
  dn <- dimnames(tab)
  if (is.null(dn)) dn <- vector("list", nd)
  for (k in seq_len(nd)) {
    if (is.null(dn[[k]])) dn[[k]] <- as.character(seq_len(dim(tab)[k]))
    # table(addNA(x)) names a category NA; labels must be distinct
    dn[[k]] <- zh_distinct_labels(dn[[k]], as.character(seq_along(dn[[k]])))
  }
  nm <- names(dn)
  if (is.null(nm)) nm <- rep("", nd)
  default_nm <- c("row", "col", sprintf("layer%d", seq_len(max(nd - 2L, 0L))))[seq_len(nd)]
  nm[!nzchar(nm)] <- default_nm[!nzchar(nm)]
  if (!is.null(scores) && !(is.list(scores) && length(scores) == nd)) {
    zh_abort(sprintf("`scores` must be NULL or a list of %d numeric vectors (one per dimension), not %s.",
                     nd, zh_describe(scores)), "input")
  }
  if (!is.logical(ordered) || anyNA(ordered) || !length(ordered)) {
    zh_abort(sprintf("`ordered` must be TRUE or FALSE, not %s.", zh_describe(ordered)), "input")
  }
  ordered <- rep_len(ordered, nd)
  vars <- lapply(seq_len(nd), function(k) {
    s <- if (is.null(scores)) NULL else scores[[k]]
    if (is.null(s)) {
      s <- zh_default_scores(dn[[k]])
    } else if (!is.numeric(s) || length(s) != length(dn[[k]]) || anyNA(s) || any(!is.finite(s))) {
      zh_abort(sprintf("`scores[[%d]]` must be %d finite numbers (one per category of %s), not %s.",
                       k, length(dn[[k]]), nm[k], zh_describe(s)), "input")
    }
    zh_counts_var(nm[k], NA_character_, dn[[k]], s, ordered[k])
  })
  if (is.null(weighted)) weighted <- any(tab != round(tab))
  if (!isTRUE(weighted) && !isFALSE(weighted)) {
    zh_abort(sprintf("`weighted` must be NULL, TRUE or FALSE, not %s.", zh_describe(weighted)),
             "input")
  }
  zh_counts_new(tab, vars, weighted = weighted, count = count, left_out = c(0, 0))
}

# Numeric labels that increase in table order are the scores; anything else
# gets the positions (tau-b and gamma use the table order, so scores out of
# that order would contradict them).
zh_default_scores <- function(labels) {
  v <- suppressWarnings(as.numeric(labels))
  if (length(v) && !anyNA(v) && all(is.finite(v)) && !is.unsorted(v, strictly = TRUE)) v
  else as.numeric(seq_along(labels))
}

#' @rdname zh_counts
#' @param n The count column of a data frame of counts (bare name or
#'   string): the summed weight of each cell.
#' @param cases Optional column with the number of cases of each cell. With
#'   `weighted = NULL` the counts are weighted when it differs from `n`
#'   somewhere (without `cases`: when `n` is not a whole number somewhere).
#' @export
zh_counts_data <- function(data, vars, n, cases = NULL, weighted = NULL,
                           count = c("round", "asis", "truncate", "case_round",
                                     "case_truncate")) {
  count <- zh_match_arg(count, "count")
  zh_check_data(data)
  env <- parent.frame()
  names <- zh_columns(data, substitute(vars), "vars", env)
  n_name <- zh_column(data, substitute(n), "n", env)
  c_name <- zh_column(data, substitute(cases), "cases", env, null_ok = TRUE)
  if (n_name %in% names) {
    zh_abort(sprintf("`vars` must not include the count column `%s`.", n_name), "column")
  }
  if (nrow(data) == 0L) zh_abort("`data` must have at least one row, not 0.", "data")
  if (is.null(weighted)) {
    nv <- data[[n_name]]
    weighted <- if (is.null(c_name)) any(nv != round(nv), na.rm = TRUE) else
      any(nv != data[[c_name]], na.rm = TRUE)
  }
  zh_counts_of_counts(data, names, rep("vars", length(names)), n_name, isTRUE(weighted), count)
}

# The constructor from a data frame of counts (`n_name` the count column):
# the count rule on the cells only when `weighted` (case rules were applied
# before the counts were summed).
zh_counts_of_counts <- function(data, cols, args, n_name, weighted, count) {
  out <- zh_counts_build(data, cols, args, n_name,
                         if (count %in% c("case_round", "case_truncate")) "asis" else count)
  out$weighted <- weighted
  out$count <- count
  out$counts <- if (weighted) zh_count_rule(out$sums, count) else out$sums
  out
}

# The table summed over every dimension but `keep`, with the count rule
# applied to the summed cells.
zh_counts_margin <- function(x, keep) {
  sums <- apply(x$sums, keep, sum)
  if (length(keep) == 1L) sums <- array(sums, length(sums))
  zh_counts_new(sums, x$vars[keep], x$weighted, x$count, x$left_out)
}

# The 2-way counts of one layer (cell l of the layer dimensions).
zh_counts_layer <- function(x, l) {
  d <- dim(x$sums)
  rc <- d[1] * d[2]
  sums <- x$sums[(l - 1) * rc + seq_len(rc)]
  zh_counts_new(sums, x$vars[1:2], x$weighted, x$count, x$left_out)
}

# The one empty-category rule: rows and columns without a count are dropped
# before the statistics, as SPSS does. Returns the kept table and scores and
# the dropped labels.
zh_drop_empty <- function(tab, row_scores, col_scores) {
  # rowSums() and colSums() of the matrix without their checks (a screen
  # calls this once per factor), named as they name them
  d <- dim(tab)
  dn <- dimnames(tab)
  keep_r <- .rowSums(tab, d[1], d[2]) > 0
  keep_c <- .colSums(tab, d[1], d[2]) > 0
  names(keep_r) <- dn[[1]]
  names(keep_c) <- dn[[2]]
  list(tab = tab[keep_r, keep_c, drop = FALSE],
       row_scores = as.double(row_scores[keep_r]), col_scores = as.double(col_scores[keep_c]),
       dropped = list(row = dn[[1]][!keep_r], col = dn[[2]][!keep_c]),
       keep_row = keep_r, keep_col = keep_c)
}

# Every statistic of a list of tables (already without empty categories),
# by the one C function; `pairs` for kappa (NULL elements: no kappa).
zh_stats_list <- function(tables, row_scores, col_scores, pairs, threads = zh_threads()) {
  .Call(zh_tables_stats, tables, row_scores, col_scores, pairs, threads)
}

#' @export
print.zh_counts <- function(x, ...) {
  d <- dim(x$counts)
  cat(sprintf("<zh_counts> %s table of %s%s; %s cases left out\n",
              paste(d, collapse = " x "),
              paste(vapply(x$vars, `[[`, "", "name"), collapse = " x "),
              if (x$weighted) sprintf(" (weighted; count = \"%s\")", x$count) else "",
              format(x$left_out[["cases"]])))
  invisible(x)
}

#' @export
as.data.frame.zh_counts <- function(x, row.names = NULL, optional = FALSE, ...) {
  keys <- do.call(expand.grid, c(lapply(x$vars, function(v) factor(v$levels, levels = v$levels)),
                                 list(KEEP.OUT.ATTRS = FALSE, stringsAsFactors = FALSE)))
  names(keys) <- vapply(x$vars, `[[`, "", "name")
  keys$n <- as.vector(x$counts)
  keys
}
