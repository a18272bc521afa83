#' Check reported test results against their statistics
#'
#' Recomputes the p-value of each reported test from its statistic and
#' degrees of freedom, and says whether the p printed beside it could have
#' come from that statistic (in the spirit of the statcheck package). Use it
#' on a paper's tables to find p-values that do not fit their statistics and
#' the ones where the conclusion at `alpha` flips.
#'
#' @section Tests:
#' * `"chisq"`: chi-square with `df`, upper tail.
#' * `"F"`: F with `df` and `df2`, upper tail.
#' * `"t"`: t with `df`, two-sided.
#' * `"z"`: standard normal, two-sided.
#' * `"r"`: Pearson correlation, two-sided through
#'   \eqn{t = r\sqrt{df/(1-r^2)}} on `df` degrees of freedom, with
#'   `df = n - 2` when `df` is missing (as SPSS CORRELATIONS does).
#'
#' The test names are matched ignoring case and surrounding blanks.
#'
#' @section How a reported p is read:
#' `p_reported` is the p-value as printed. Accepted forms, with or without a
#' leading `p`, blanks, and a decimal point or comma: an exact value
#' (`".406"`, `"0.055"`, `"= .05"`, `",214"`, `"1.2e-5"`), an inequality
#' (`"<0.001"`, `"< .05"`, `"p<.01"`, `"<= .05"`, `"> .10"`), and `"ns"` or
#' `"n.s."` (not significant: p at least `alpha`). Empty strings and `NA`
#' mean that no p was printed; the row gets `NA`. Anything else is an error
#' that names the rows.
#'
#' @section When is a report consistent:
#' Both numbers were rounded when they were printed, so both stand for an
#' interval. A statistic printed with k decimals stands for every value
#' within half a unit of its last decimal (`.013` for \[.0125, .0135\]);
#' the p-values of that interval run from `p_lower` to `p_upper`. An exact p
#' printed with k decimals stands for \[p - 0.5 x 10^-k, p + 0.5 x 10^-k\].
#' The report is `consistent` when the two intervals meet; `"< b"` is
#' consistent when `p_lower < b`, `"> b"` when `p_upper > b`, `"ns"` when
#' `p_upper >= alpha`. This is the rule statcheck uses. It matters for small
#' statistics: r = .013 with N = 787 gives p = .716 when taken as exact, yet
#' any r in \[.0125, .0135\] could have been printed as .013, and r = .01346
#' gives the printed p = .707.
#'
#' The number of decimals of a statistic is read from the string when
#' `statistic` is character (`"1.50"` has two); a numeric statistic has as
#' many as it needs (`1.5` has one), so give statistics as character when
#' trailing zeros were printed.
#'
#' `decision_error` is `TRUE` when the report is inconsistent and no
#' statistic in the interval gives the printed conclusion: the printed p is
#' significant (an exact p at most `alpha`, as statcheck counts `p = .05`, or
#' `"< b"` with `b <= alpha`) while every computed p is at least `alpha`, or
#' the reverse. It is `NA` when the printed p does not say which side of
#' `alpha` it is on (`"< .10"`).
#'
#' @param x A data frame of reported results with the columns `test`,
#'   `statistic` (numeric, or character as printed) and `p_reported`
#'   (character, as printed), and as the tests need them `df`, `df2` (the
#'   denominator df of F) and `n` (the sample size, for `"r"`). Missing
#'   optional columns count as `NA`. Rows whose statistic is `NA` (not
#'   printed) are kept with `NA` results.
#' @param alpha The significance level for `decision_error` and `"ns"`.
#' @return `x` with the columns `p_computed` (the p of the statistic as
#'   printed), `p_lower` and `p_upper` (the range of p over the statistics
#'   that round to the printed one), `consistent` and `decision_error`
#'   (logical).
#' @seealso [check_percentages()] for a frequency table's percentages.
#' @export
#' @examples
#' reported <- data.frame(
#'   test = c("chisq", "chisq", "r", "t", "F"),
#'   statistic = c(22.14, 155.77, 0.013, 2.10, 3.5),
#'   df = c(4, 16, NA, 30, 2),
#'   df2 = c(NA, NA, NA, NA, 57),
#'   n = c(NA, NA, 787, NA, NA),
#'   p_reported = c("<0.001", ".406", ".707", "p = .04", "< .05")
#' )
#' check_reported(reported)
#'
#' # correlations quoted in the text of the study (N = 787)
#' intext <- published_table("intext_correlations")
#' intext$test <- "r"
#' intext$statistic <- intext$r
#' check_reported(intext)
check_reported <- function(x, alpha = 0.05) {
  zh_check_data(x, "x")
  if (!is.numeric(alpha) || length(alpha) != 1L || is.na(alpha) || alpha <= 0 || alpha >= 1) {
    zh_abort(sprintf("`alpha` must be a number between 0 and 1, not %s.", zh_describe(alpha)),
             "input")
  }
  needed <- c("test", "statistic", "p_reported")
  absent <- setdiff(needed, names(x))
  if (length(absent)) {
    zh_abort(sprintf("`x` must have the columns %s; %s missing.",
                     zh_and(paste0("`", needed, "`")),
                     zh_and(paste0("`", absent, "`"), if (length(absent) > 1L) " are" else " is")),
             "column")
  }
  if (nrow(x) == 0L) return(zh_reported_add(x, numeric(), numeric(), numeric(), logical(), logical()))
  test <- zh_reported_test(x$test)
  stat <- zh_printed_column(x$statistic, "statistic")
  opt <- function(name) {
    v <- x[[name]]
    if (is.null(v)) return(rep(NA_real_, nrow(x)))
    if (!is.numeric(v) && !all(is.na(v))) {
      zh_abort(sprintf("`x$%s` must be numeric, not %s.", name, zh_describe(v)), "column")
    }
    as.double(v)
  }
  df <- opt("df")
  df2 <- opt("df2")
  n <- opt("n")
  rep_p <- zh_parse_p(x$p_reported)

  has <- !is.na(stat$value)
  df[test == "r" & is.na(df)] <- n[test == "r" & is.na(df)] - 2
  need <- function(ok, rows, what) {
    bad <- which(has & rows & !ok)
    if (length(bad)) zh_abort(sprintf("%s; see %s.", what, zh_rows(bad)), "input")
  }
  need(!is.na(df) & df > 0, test %in% c("chisq", "t", "F"),
       "`x$df` must be a positive number for the chisq, t and F tests")
  need(!is.na(df2) & df2 > 0, test == "F", "`x$df2` must be a positive number for the F test")
  need(!is.na(df) & df > 0, test == "r",
       "`x$n` (more than 2) or `x$df` (positive) must be given for the r test")
  need(stat$value >= 0, test %in% c("chisq", "F"),
       "`x$statistic` must be non-negative for the chisq and F tests")
  need(abs(stat$value) <= 1, test == "r", "`x$statistic` must lie in [-1, 1] for the r test")

  # Work on |statistic| for the two-sided tests; the interval of values
  # that round to the printed one is clipped to the possible range.
  a <- abs(stat$value)
  a_min <- pmax(0, a - stat$unit / 2)
  a_max <- a + stat$unit / 2
  a_max[test == "r"] <- pmin(1, a_max[test == "r"])
  p_of <- function(s) {
    out <- rep(NA_real_, length(s))
    k <- test == "chisq"
    out[k] <- stats::pchisq(s[k], df[k], lower.tail = FALSE)
    k <- test == "F"
    out[k] <- stats::pf(s[k], df[k], df2[k], lower.tail = FALSE)
    k <- test == "t"
    out[k] <- 2 * stats::pt(-s[k], df[k])
    k <- test == "z"
    out[k] <- 2 * stats::pnorm(-s[k])
    k <- test == "r"
    out[k] <- 2 * stats::pt(-s[k] * sqrt(df[k] / (1 - s[k]^2)), df[k])
    out
  }
  p_computed <- p_of(a)
  p_upper <- p_of(a_min)
  p_lower <- p_of(a_max)

  v <- rep_p$value
  half <- rep_p$unit / 2
  eps <- 1e-12
  consistent <- switch_op(rep_p$op,
    "=" = p_lower <= v + half + eps & p_upper >= v - half - eps,
    "<" = p_lower < v,
    "<=" = p_lower <= v + eps,
    ">" = p_upper > v,
    ">=" = p_upper >= v - eps,
    ns = p_upper >= alpha)
  sig_reported <- switch_op(rep_p$op,
    "=" = v <= alpha,
    "<" = ifelse(v <= alpha, TRUE, NA),
    "<=" = ifelse(v <= alpha, TRUE, NA),
    ">" = ifelse(v >= alpha, FALSE, NA),
    ">=" = ifelse(v >= alpha, FALSE, NA),
    ns = FALSE)
  flips <- ifelse(sig_reported, p_lower >= alpha, p_upper < alpha)
  decision_error <- !consistent & flips
  zh_reported_add(x, p_computed, p_lower, p_upper, consistent, decision_error)
}

zh_reported_add <- function(x, p_computed, p_lower, p_upper, consistent, decision_error) {
  x$p_computed <- p_computed
  x$p_lower <- p_lower
  x$p_upper <- p_upper
  x$consistent <- consistent
  x$decision_error <- decision_error
  class(x) <- unique(c("zh_reported", class(x)))
  x
}

# Evaluates one logical expression per operator and picks, row by row, the
# one that matches the row's operator.
switch_op <- function(op, ...) {
  alts <- list(...)
  out <- rep(NA, length(op))
  for (o in names(alts)) {
    k <- !is.na(op) & op == o
    out[k] <- rep_len(alts[[o]], length(op))[k]
  }
  out
}

zh_reported_tests <- c("chisq", "r", "t", "F", "z")

zh_reported_test <- function(test) {
  if (is.factor(test)) test <- as.character(test)
  if (!is.character(test)) {
    zh_abort(sprintf("`x$test` must be a character column, not %s.", zh_describe(test)), "column")
  }
  key <- tolower(trimws(test))
  m <- match(key, tolower(zh_reported_tests))
  bad <- which(is.na(m))
  if (length(bad)) {
    zh_abort(sprintf("`x$test` must be one of %s; not %s.",
                     paste0("\"", zh_reported_tests, "\"", collapse = ", "),
                     zh_rows(bad, test[bad])), "input")
  }
  zh_reported_tests[m]
}

# "row 3 (\"abc\")", "rows 3 (\"abc\") and 5 (\"x\")"; long lists are cut.
zh_rows <- function(rows, values = NULL) {
  show <- utils::head(seq_along(rows), 5L)
  items <- as.character(rows[show])
  if (!is.null(values)) {
    items <- paste0(items, " (", encodeString(as.character(values[show]), quote = "\""), ")")
  }
  more <- length(rows) - length(show)
  if (more > 0L) items <- c(items, sprintf("%d more", more))
  paste(if (length(rows) == 1L) "row" else "rows", zh_and(items))
}

zh_and <- function(items, suffix = "") {
  n <- length(items)
  out <- if (n <= 1L) items else paste(paste(items[-n], collapse = ", "), "and", items[n])
  paste0(out, suffix)
}

# ---- reading numbers as printed ---------------------------------------------

# A number as printed: value and the place value of its last digit (the
# unit of rounding). Accepts a decimal point or comma, a missing leading
# zero, a Unicode minus and an exponent. Unparsable strings give NA value.
zh_parse_number <- function(s) {
  s <- gsub("\u2212", "-", trimws(s), fixed = TRUE)
  re <- "^([-+]?)([0-9]*)(?:[.,]([0-9]*))?(?:[eE]([-+]?[0-9]+))?$"
  ok <- !is.na(s) & grepl(re, s, perl = TRUE) & grepl("[0-9]", sub("[eE].*$", "", s))
  value <- unit <- rep(NA_real_, length(s))
  if (any(ok)) {
    t <- s[ok]
    frac <- sub(re, "\\3", t, perl = TRUE)
    expo <- sub(re, "\\4", t, perl = TRUE)
    expo <- ifelse(nzchar(expo), as.numeric(expo), 0)
    value[ok] <- as.numeric(sub(",", ".", t, fixed = TRUE))
    unit[ok] <- 10^(expo - nchar(frac))
  }
  list(value = value, unit = unit)
}

# The unit of the last decimal a numeric value needs (1.5 -> 0.1).
zh_numeric_unit <- function(x) {
  unit <- rep(NA_real_, length(x))
  for (d in 0:12) {
    k <- is.na(unit) & is.finite(x) & abs(x - round(x, d)) <= 1e-9 * pmax(1, abs(x))
    unit[k] <- 10^-d
  }
  unit
}

# A column of printed numbers, numeric or character; NA and "" stay NA,
# anything else unreadable is an error naming the rows.
zh_printed_column <- function(v, name, strip = "") {
  arg <- if (name == "percent") "`percent`" else sprintf("`x$%s`", name)
  eg <- if (name == "percent") "\"37.5\", \"37,5%\"" else "\"1.96\", \",406\""
  if (is.factor(v)) v <- as.character(v)
  if (is.numeric(v)) {
    if (any(is.infinite(v))) {
      zh_abort(sprintf("%s must be finite; see %s.", arg, zh_rows(which(is.infinite(v)))), "input")
    }
    return(list(value = as.double(v), unit = zh_numeric_unit(v)))
  }
  if (is.logical(v) && all(is.na(v))) {
    return(list(value = as.double(v), unit = as.double(v)))
  }
  if (!is.character(v)) {
    zh_abort(sprintf("%s must be numeric or character, not %s.", arg, zh_describe(v)), "column")
  }
  blank <- is.na(v) | !nzchar(trimws(v))
  out <- zh_parse_number(if (nzchar(strip)) gsub(strip, "", v) else v)
  bad <- which(!blank & is.na(out$value))
  if (length(bad)) {
    zh_abort(sprintf("%s must hold numbers as printed (e.g. %s); not %s.",
                     arg, eg, zh_rows(bad, v[bad])), "input")
  }
  out
}

# Reported p-values as printed: operator ("=", "<", "<=", ">", ">=", "ns"),
# value and unit of rounding.
zh_parse_p <- function(p) {
  if (is.factor(p)) p <- as.character(p)
  if (is.logical(p) && all(is.na(p))) p <- as.character(p)
  if (!is.character(p)) {
    zh_abort(sprintf(paste0("`x$p_reported` must be character, the p-values as printed ",
                            "(e.g. \".406\", \"<0.001\"), not %s: numbers lose the printed decimals."),
                     zh_describe(p)), "column")
  }
  s <- tolower(gsub("[[:space:]]", "", p))
  s <- gsub("\u2264", "<=", gsub("\u2265", ">=", s, fixed = TRUE), fixed = TRUE)
  blank <- is.na(s) | !nzchar(s)
  s <- sub("^p", "", s)
  ns <- !blank & s %in% c("ns", "n.s.", "n.s")
  op <- regmatches(s, regexpr("^(<=|>=|<|>|=)", s))
  has_op <- !blank & grepl("^(<=|>=|<|>|=)", s)
  ops <- rep("=", length(s))
  ops[has_op] <- op
  num <- zh_parse_number(sub("^(<=|>=|<|>|=)", "", s))
  bad <- which(!blank & !ns & (is.na(num$value) | num$value < 0 | num$value > 1))
  if (length(bad)) {
    zh_abort(sprintf(paste0("`x$p_reported` must hold p-values as printed (e.g. \".406\", ",
                            "\"<0.001\", \"p = .05\", \"ns\"); not %s."),
                     zh_rows(bad, p[bad])), "input")
  }
  ops[ns] <- "ns"
  ops[blank] <- NA_character_
  list(op = ops, value = num$value, unit = num$unit)
}

# ---- percentages -------------------------------------------------------------

#' Check a frequency table's percentages against its counts
#'
#' Recomputes each percentage from its count and the total it is based on,
#' and says whether the printed percentage is the computed one rounded to
#' the printed decimals. Percentages that were not printed (`NA`) are
#' filled in `percent_computed` with `consistent = NA`. With `group` (for
#' example the variable column of a "Table 1"), totals and sums are taken
#' within each group.
#'
#' A printed percentage with k decimals is consistent when it lies within
#' half a unit of its last decimal of the computed one (either rounding of
#' halves is accepted). Printed percentages of a group need not sum to
#' exactly 100 (rounding); `percent_sum` shows what they sum to, and
#' `group_n` against `total` shows counts that do not add up to N.
#'
#' @param n Counts (non-negative numbers; weighted counts are fine).
#' @param percent The percentages as printed: numeric, or character such as
#'   `"37.5"`, `"37,5"`, `"37.5%"`. `NA` for a percentage not printed.
#' @param total The number the percentages are based on: `NULL` (the
#'   default) for the sum of `n` within each group, or a positive number
#'   (such as the sample size) or one number per row.
#' @param digits The number of decimals the percentages were printed with;
#'   `NULL` (the default) takes the most decimals found in `percent` (a
#'   numeric `1.0` shows none, so give `digits` or character percentages).
#' @param group Optional grouping vector of the same length as `n`.
#' @return A data frame with `group` (when given), `n`, `percent`, `total`,
#'   `percent_computed` (unrounded), `difference` (printed minus computed),
#'   `consistent`, `group_n` (the sum of `n` in the group) and `percent_sum`
#'   (the sum of the printed percentages in the group, `NA` when one is
#'   missing).
#' @seealso [check_reported()] for test statistics and p-values.
#' @export
#' @examples
#' # gender in the study's Table 1 (N = 787)
#' check_percentages(c(295, 492), c(37.5, 62.5))
#'
#' # marital status in Table 1: one percentage not printed (NA), and 4.3
#' # altered to 4.4 to show an inconsistency
#' check_percentages(c(131, 549, 73, 34), c(NA, 69.8, 9.3, 4.4),
#'                   total = 787, digits = 1)
check_percentages <- function(n, percent, total = NULL, digits = NULL, group = NULL) {
  if (!is.numeric(n) || length(n) == 0L) {
    zh_abort(sprintf("`n` must be a non-empty numeric vector of counts, not %s.",
                     zh_describe(n)), "input")
  }
  bad <- which(is.na(n) | !is.finite(n) | n < 0)
  if (length(bad)) {
    zh_abort(sprintf("`n` must hold non-negative finite counts; not %s.", zh_rows(bad, n[bad])),
             "input")
  }
  if (length(percent) != length(n)) {
    zh_abort(sprintf("`percent` must have one value per count (%d), not %d.",
                     length(n), length(percent)), "input")
  }
  pct <- zh_printed_column(percent, "percent", strip = "%")
  if (!is.null(group) && length(group) != length(n)) {
    zh_abort(sprintf("`group` must have one value per count (%d), not %d.",
                     length(n), length(group)), "input")
  }
  g <- if (is.null(group)) rep(1L, length(n)) else factor(group, levels = unique(group))
  if (anyNA(g)) zh_abort("`group` must not contain missing values.", "input")
  group_n <- stats::ave(as.double(n), g, FUN = sum)
  if (any(is.infinite(group_n))) {
    zh_abort(sprintf("`n` must add up to a finite number%s; the sum overflows (%s).",
                     if (is.null(group)) "" else " in each group",
                     zh_rows(which(is.infinite(group_n)))), "input")
  }
  if (is.null(total)) {
    if (any(group_n == 0)) {
      zh_abort(sprintf(paste0("`n` must not add up to 0%s: there is no percentage of no cases ",
                              "(%s; give `total`)."),
                       if (is.null(group)) "" else " in a group", zh_rows(which(group_n == 0))),
               "input")
    }
    total <- group_n
  } else if (!is.numeric(total) || !length(total) %in% c(1L, length(n)) || anyNA(total) ||
             any(!is.finite(total)) || any(total <= 0)) {
    zh_abort(sprintf("`total` must be NULL, a positive number or one per count, not %s.",
                     zh_describe(total)), "input")
  }
  total <- rep_len(as.double(total), length(n))
  if (is.null(digits)) {
    unit <- if (all(is.na(pct$unit))) 1 else min(pct$unit, na.rm = TRUE)
  } else {
    if (!is.numeric(digits) || length(digits) != 1L || is.na(digits) || digits < 0 ||
        digits > 10 || digits != round(digits)) {
      zh_abort(sprintf("`digits` must be NULL or a whole number from 0 to 10, not %s.",
                       zh_describe(digits)), "input")
    }
    unit <- 10^-digits
  }
  computed <- 100 * (n / total)  # n / total first: 100 * n may overflow
  difference <- pct$value - computed
  percent_sum <- stats::ave(pct$value, g, FUN = sum)
  out <- data.frame(n = n, percent = pct$value, total = total, percent_computed = computed,
                    difference = difference,
                    consistent = abs(difference) <= unit / 2 + 1e-9,
                    group_n = group_n, percent_sum = percent_sum)
  if (!is.null(group)) out <- cbind(group = group, out, stringsAsFactors = FALSE)
  out
}
