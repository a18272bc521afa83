# Argument checking and column handling shared by every user-facing function:
# the R side of "the path of data" in the package's design. Columns are
# selected by bare name or string, and turned into plain vectors (integer
# category codes with labels and scores, or doubles) before they reach C.

zh_check_data <- function(data, arg = "data") {
  if (!is.data.frame(data)) {
    zh_abort(sprintf("`%s` must be a data frame, not %s.", arg, zh_describe(data)), "data")
  }
  invisible(data)
}

# Resolves one column given as a bare name, a string or a position.
# `expr` is the unevaluated argument (from substitute()), `env` the caller's
# environment, used when a bare name is not a column but a variable that
# holds a column name.
zh_column <- function(data, expr, arg, env, null_ok = FALSE) {
  if (is.null(expr)) {
    if (null_ok) return(NULL)
    zh_abort(sprintf("`%s` must name a column of `data`, not NULL.", arg), "column")
  }
  if (identical(expr, quote(expr = ))) {
    zh_abort(sprintf("`%s` is missing: name a column of `data`.", arg), "column")
  }
  nms <- names(data)
  if (is.symbol(expr)) {
    name <- as.character(expr)
    if (name %in% nms) return(name)
    value <- tryCatch(eval(expr, env), error = function(e) NULL)
    if (!(is.character(value) && length(value) == 1L)) {
      zh_abort(sprintf("`%s` must name a column of `data`; there is no column `%s`.", arg, name),
               "column")
    }
  } else if (is.call(expr)) {
    value <- eval(expr, env)
  } else {
    value <- expr
  }
  if (is.null(value) && null_ok) return(NULL)
  if (is.numeric(value) && length(value) == 1L && !is.na(value) &&
      value >= 1 && value <= length(nms) && value == round(value)) {
    return(nms[[value]])
  }
  if (!(is.character(value) && length(value) == 1L && !is.na(value))) {
    zh_abort(sprintf("`%s` must be a single column name (a bare name or a string), not %s.",
                     arg, zh_describe(value)), "column")
  }
  if (!value %in% nms) {
    zh_abort(sprintf("`%s` must name a column of `data`; there is no column `%s`.", arg, value),
             "column")
  }
  value
}

# Resolves several columns with tidyselect (bare names, strings, helpers
# such as starts_with()). Returns the column names.
zh_columns <- function(data, expr, arg, env, min = 1L) {
  if (identical(expr, quote(expr = ))) {
    zh_abort(sprintf("`%s` is missing: select columns of `data`.", arg), "column")
  }
  pos <- tryCatch(
    tidyselect::eval_select(expr, data, env = env, allow_rename = FALSE),
    error = function(e) {
      msg <- conditionMessage(e)
      msg <- gsub("\n", " ", sub("^[^\n]*\n", "", msg))
      zh_abort(sprintf("`%s` must select columns of `data`: %s", arg,
                       trimws(gsub("[\u2139\u2716x!] ", "", msg))), "column")
    }
  )
  if (length(pos) < min) {
    zh_abort(sprintf("`%s` must select at least %d column%s of `data`, not %d.",
                     arg, min, if (min == 1L) "" else "s", length(pos)), "column")
  }
  names(data)[pos]
}

# Turns one column into integer category codes for the counting engines.
# Returns a list: codes (integer, NA for missing; for factors the factor
# itself, no copy), labels (character, one per code), scores (numeric, one
# per code: the values for numeric columns, level positions for factors),
# ordered (whether the categories have a meaningful order).
zh_codes <- function(x, arg) {
  if (inherits(x, "haven_labelled")) return(zh_codes_labelled(x, arg))
  if (is.factor(x)) {
    lev <- levels(x)
    return(list(codes = x, labels = lev, scores = as.numeric(seq_along(lev)),
                ordered = is.ordered(x)))
  }
  if (is.logical(x) && is.null(dim(x))) {
    return(list(codes = as.integer(x) + 1L, labels = c("FALSE", "TRUE"), scores = c(0, 1),
                ordered = TRUE))
  }
  if (is.character(x) && is.null(dim(x))) {
    u <- sort(unique(x[!is.na(x)]), method = "radix")
    return(list(codes = match(x, u), labels = u, scores = as.numeric(seq_along(u)),
                ordered = FALSE))
  }
  if (is.numeric(x) && is.null(dim(x)) && !is.object(x)) {
    return(zh_codes_numeric(x, arg, labels = NULL))
  }
  if (inherits(x, c("Date", "POSIXct")) && is.null(dim(x))) {
    out <- zh_codes_numeric(unclass(x), arg, labels = NULL)
    out$labels <- format(structure(out$scores, class = class(x), tzone = attr(x, "tzone")))
    return(out)
  }
  zh_abort(sprintf(paste0("`%s` must be a factor, or a numeric, character, logical or ",
                          "labelled vector, not %s."), arg, zh_describe(x)), "type")
}

zh_codes_numeric <- function(x, arg, labels) {
  # whole numbers in a small range (survey codes): coded in C without sorting
  small <- .Call(zh_small_codes, x, 2^20)
  if (identical(small, -1L) || (is.null(small) && any(is.infinite(x)))) {
    zh_abort(sprintf("`%s` must not contain infinite values (found %d).", arg,
                     sum(is.infinite(x))), "value")
  }
  if (!is.null(small)) {
    vals <- small$values
    return(list(codes = small$codes,
                labels = if (is.integer(x)) as.character(vals) else format(vals, trim = TRUE),
                scores = vals, ordered = TRUE))
  }
  vals <- sort(unique(x[!is.na(x)]))
  list(codes = match(x, vals), labels = if (is.null(labels)) format(vals, trim = TRUE) else labels,
       scores = as.numeric(vals), ordered = TRUE)
}

# haven_labelled (and haven_labelled_spss, whose user-missing values are
# treated as missing, as SPSS does): numeric values with value labels.
zh_codes_labelled <- function(x, arg) {
  labs <- attr(x, "labels", exact = TRUE)
  na_values <- attr(x, "na_values", exact = TRUE)
  na_range <- attr(x, "na_range", exact = TRUE)
  v <- unclass(x)
  attributes(v) <- NULL
  if (is.character(v)) {
    out <- zh_codes(v, arg)
  } else {
    if (length(na_values)) v[v %in% na_values] <- NA
    if (length(na_range) == 2L) v[!is.na(v) & v >= na_range[1] & v <= na_range[2]] <- NA
    out <- zh_codes_numeric(as.double(v), arg, labels = NULL)
  }
  if (length(labs)) {
    vals <- if (is.character(v)) out$labels else out$scores
    hit <- match(vals, unname(labs))
    out$labels[!is.na(hit)] <- names(labs)[hit[!is.na(hit)]]
  }
  out
}

# Checks a frequency-weight column: numeric, finite and non-negative;
# NA marks a case to leave out.
zh_weights <- function(w, arg = "weights") {
  if (is.null(w)) return(NULL)
  if (inherits(w, "haven_labelled")) w <- as.vector(unclass(w))
  if (!is.numeric(w) || is.object(w) || !is.null(dim(w))) {
    zh_abort(sprintf("`%s` must be a non-negative numeric vector, not %s.", arg, zh_describe(w)),
             "weights")
  }
  if (any(w < 0, na.rm = TRUE)) {
    zh_abort(sprintf("`%s` must be a non-negative numeric vector, not one with negative values (%d found).",
                     arg, sum(w < 0, na.rm = TRUE)), "weights")
  }
  if (any(is.infinite(w))) {
    zh_abort(sprintf("`%s` must be a non-negative numeric vector of finite values, not one with `Inf`.", arg),
             "weights")
  }
  zh_check_total(sum(w, na.rm = TRUE), arg)
  as.double(w)
}

# Weighted counts stay exact integers in double up to 2^53; beyond that
# (and long before products of totals overflow) the statistics are noise.
zh_check_total <- function(total, arg, kind = "weights") {
  if (total > 2^53) {
    zh_abort(sprintf("`%s` must add up to at most 2^53 (about 9e15) so that counts stay exact, not %s.",
                     arg, format(total, digits = 3)), kind)
  }
}

# Codes of one column, naming the argument that selected it in errors
# ("`factors` column `x` must be ..."). A column without a valid value (all
# NA, NaN or user-missing) stops here, as in crosstab(): it may have no
# category at all, which the counting engines cannot take.
zh_codes_of <- function(data, name, arg, all_missing_ok = FALSE) {
  out <- zh_codes(data[[name]], sprintf("%s` column `%s", arg, name))
  if (!all_missing_ok && (!length(out$labels) || zh_is_all_missing(out$codes))) {
    zh_no_cases(stats::setNames(list(out$codes), arg), name, FALSE)
  }
  out
}

zh_is_all_missing <- function(x) {
  if (typeof(x) %in% c("integer", "logical", "double")) .Call(zh_all_missing, x) else all(is.na(x))
}

# Called when no case is left to count: names the culprit (an all-NA
# column) where there is one. `cols` holds the codes (and weights, when
# given) under the names of the arguments that selected them, `names` the
# column names.
zh_no_cases <- function(cols, names, rounded) {
  cols <- cols[!vapply(cols, is.null, TRUE)]
  for (arg in names(cols)) {
    x <- cols[[arg]]
    if (zh_is_all_missing(x)) {
      zh_abort(sprintf("`%s` must have at least one non-missing value; column `%s` has only missing values.",
                       arg, names[[match(arg, names(cols))]]), "empty")
    }
  }
  args <- sprintf("`%s`", names(cols))
  if (length(args) > 1L) {
    args <- paste(paste(args[-length(args)], collapse = ", "), "and", args[length(args)])
  }
  zh_abort(paste0("`data` has no valid cases: no row has non-missing ", args, " values",
                  if ("weights" %in% names(cols)) " with a positive weight" else "",
                  if (rounded) " (the weighted cells all round to 0; see `count`)" else "",
                  "."), "empty")
}
