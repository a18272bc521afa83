# Category labels: the text that names each category in every table. A
# category is its value; its label must say which value it is, so numbers,
# dates and times are written without losing digits, and labels that would
# still coincide (two values with the same value label) are made distinct
# by adding the value: "Same (1)", "Same (2)".

# Numbers as category labels: exact to 15 significant digits (the shortest
# such form; 17 where distinct values agree to 15 digits); whole numbers
# below 1e15 in fixed notation, as codes are written (10000000001, not
# 1e+10).
zh_value_text <- function(v) {
  if (!length(v)) return(character())
  if (is.integer(v)) return(as.character(v))
  if (all(v == trunc(v)) && max(abs(v)) < 1e15) {
    out <- format(v, scientific = FALSE, trim = TRUE)
  } else {
    out <- format(v, digits = 15L, trim = TRUE)
  }
  if (anyDuplicated(out)) out <- format(v, digits = 17L, trim = TRUE)
  out
}

# Date-times as labels, as format.POSIXct() writes them (the date alone
# when every time is midnight, minutes when every second is 0) but with as
# many decimals of the second as the values have (up to microseconds).
# `secs` are seconds since 1970 in time zone `tz`.
zh_time_text <- function(secs, tz = "") {
  if (!length(secs)) return(character())
  x <- structure(secs, class = c("POSIXct", "POSIXt"), tzone = tz)
  lt <- as.POSIXlt(x)
  sec <- lt$sec
  if (all(sec == 0 & lt$min == 0 & lt$hour == 0)) {
    return(format(x, "%Y-%m-%d"))
  }
  if (all(sec == 0)) return(format(x, "%Y-%m-%d %H:%M"))
  d <- 0L
  # date-times near 2^31 s carry about 1e-7 s of representation error
  while (d < 6L && any(abs(sec * 10^d - round(sec * 10^d)) > 1e-3)) d <- d + 1L
  # %OSn truncates: shift by half a unit so that it rounds
  x <- x + 0.5 * 10^-d
  format(x, if (d == 0L) "%Y-%m-%d %H:%M:%S" else paste0("%Y-%m-%d %H:%M:%OS", d))
}

# The labels of a Date, POSIXct or difftime column's distinct values.
zh_class_labels <- function(x, vals) {
  if (inherits(x, "Date")) {
    if (all(vals == trunc(vals))) return(format(structure(vals, class = "Date")))
    # fractions of a day: the date-time they stand for (Dates are UTC days)
    return(zh_time_text(vals * 86400, "UTC"))
  }
  if (inherits(x, "POSIXct")) {
    tz <- attr(x, "tzone", exact = TRUE)
    return(zh_time_text(vals, if (is.null(tz)) "" else tz[[1]]))
  }
  paste(zh_value_text(vals), units(x))
}

# Makes labels distinct: `keys` (one per label, the values as text) are
# added to the labels that coincide; an NA label becomes "<NA>", as base R
# prints it.
zh_distinct_labels <- function(labels, keys = labels) {
  # labels are nearly always distinct already: asked first, cheaply
  if (anyNA(labels)) labels[is.na(labels)] <- "<NA>"
  if (anyDuplicated(labels)) {
    dup <- labels %in% labels[duplicated(labels)]
    labels[dup] <- sprintf("%s (%s)", labels[dup], keys[dup])
    if (anyDuplicated(labels)) labels <- make.unique(labels, sep = " ")
  }
  labels
}

# bit64's integer64 (as DBI drivers return bigint columns) without bit64:
# each double holds the bits of a 64-bit integer. Values beyond 2^53 have
# no exact double and stop; the minimum integer is bit64's NA.
zh_integer64 <- function(x, arg) {
  v <- unclass(x)
  attributes(v) <- NULL
  n <- length(v)
  out <- numeric(n)
  step <- 2^24
  for (from in seq(1, n, by = step)[n > 0]) {
    i <- from:min(n, from + step - 1)
    w <- readBin(writeBin(v[i], raw(), endian = "little"), "integer", n = 2L * length(i),
                 size = 4L, endian = "little")
    lo <- w[c(TRUE, FALSE)]
    hi <- w[c(FALSE, TRUE)]
    # readBin gives NA for the bit pattern 0x80000000
    lo <- ifelse(is.na(lo), 2^31, ifelse(lo < 0, lo + 2^32, lo))
    na <- is.na(hi) & lo == 0
    hi[is.na(hi)] <- -2^31
    # |value| < 2^53 exactly when -2^21 <= hi < 2^21 (the double sum below
    # would round larger values)
    big <- !na & (hi < -2^21 | hi >= 2^21)
    if (any(big)) {
      zh_abort(sprintf(paste0("`%s` must hold integer64 values between -2^53 and 2^53 (which ",
                              "doubles hold exactly), not ones beyond (%d found)."),
                       arg, sum(big)), "value")
    }
    val <- hi * 2^32 + lo
    val[na] <- NA_real_
    out[i] <- val
  }
  out
}
