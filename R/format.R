# Formatting helpers shared by every result type: the renderer settings,
# numbers with a chosen decimal mark, p-values and significance stars, all
# thin wrappers of the one formatter (zh_fixed()/zh_fmt() in R/output.R).

# A renderer setting given as an argument or, when NULL, by its option:
# one of `choices` (the first is the default).
zh_setting <- function(value, arg, choices) {
  if (is.null(value)) value <- getOption(paste0("zhetysu.", arg), choices[1])
  if (!is.character(value) || length(value) != 1L || !value %in% choices) {
    zh_abort(sprintf("`%s` must be %s, not %s.", arg,
                     paste0("\"", choices, "\"", collapse = " or "), zh_describe(value)),
             "format")
  }
  value
}

zh_decimal_mark <- function(decimal_mark = NULL) zh_setting(decimal_mark, "decimal_mark", c(".", ","))

# Fixed-decimal numbers; NA prints as `na`. `lead_zero = FALSE` gives the
# ".368" / ",368" style of SPSS tables and APA.
zh_num <- function(x, digits = 3L, decimal_mark = ".", lead_zero = TRUE, na = "") {
  out <- zh_fixed(x, digits, decimal_mark, lead_zero)  # the one formatter (R/output.R)
  out[is.na(x)] <- na
  out
}

# Counts: whole numbers without decimals; weighted (fractional) counts
# with two, as SPSS prints them.
zh_count_digits <- function(n) if (all(n == round(n), na.rm = TRUE)) 0L else 2L

zh_count <- function(n, decimal_mark = ".") zh_num(n, zh_count_digits(n), decimal_mark)

# p-values: never "0.000"; below 10^-digits they print as "<.001".
zh_p <- function(p, digits = 3L, decimal_mark = ".", lead_zero = TRUE, na = "") {
  small <- !is.na(p) & p < 10^-digits
  out <- zh_num(p, digits, decimal_mark, lead_zero, na)
  out[small] <- paste0("<", zh_num(10^-digits, digits, decimal_mark, lead_zero))
  out
}

# Numbers as SQL literals (not for display): 17 significant digits, so that
# the database gets the double R holds.
zh_sql_number <- function(x) sprintf("%.17g", x)

zh_stars <- function(p) {
  out <- character(length(p))
  out[!is.na(p) & p < 0.05] <- "*"
  out[!is.na(p) & p < 0.01] <- "**"
  out
}

#' Format p-values as SPSS users print them
#'
#' Fixed decimals, never `0.000`: p-values below `10^-digits` print as
#' `<.001` (or `<0.001`). Optionally without the leading zero (APA style) and
#' with a decimal comma.
#'
#' @param p Numeric vector of p-values, between 0 and 1 (`NA` allowed).
#' @param digits Number of decimals.
#' @param decimal_mark `"."` or `","`; defaults to the option
#'   `zhetysu.decimal_mark`, else `"."`.
#' @param lead_zero Whether to keep the zero before the decimal mark.
#' @return A character vector; `NA` gives `""`.
#' @export
#' @examples
#' format_p(c(0.2, 0.0312, 0.00001, NA))
#' format_p(0.0312, lead_zero = FALSE, decimal_mark = ",")
format_p <- function(p, digits = 3L, decimal_mark = NULL, lead_zero = TRUE) {
  if (!is.numeric(p) || is.object(p)) {
    zh_abort(sprintf("`p` must be a numeric vector, not %s.", zh_describe(p)), "input")
  }
  bad <- !is.na(p) & (p < 0 | p > 1)
  if (any(bad)) {
    zh_abort(sprintf("`p` must hold probabilities between 0 and 1; %s (the first: %s).",
                     if (sum(bad) == 1L) "1 value is not" else sprintf("%d values are not", sum(bad)),
                     format(p[bad][1], digits = 15)), "value")
  }
  if (!is.numeric(digits) || length(digits) != 1L || is.na(digits) || digits < 0 ||
      digits > 15 || digits != round(digits)) {
    zh_abort(sprintf("`digits` must be a whole number from 0 to 15, not %s.", zh_describe(digits)),
             "input")
  }
  if (!is.logical(lead_zero) || length(lead_zero) != 1L || is.na(lead_zero)) {
    zh_abort(sprintf("`lead_zero` must be `TRUE` or `FALSE`, not %s.", zh_describe(lead_zero)),
             "input")
  }
  zh_p(p, as.integer(digits), zh_decimal_mark(decimal_mark), lead_zero)
}
