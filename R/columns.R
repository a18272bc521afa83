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

# Resolves one column given as a bare name, a string, a position or a
# tidyselect call that selects one column (`hint` ends the message when it
# selects several). `expr` is the unevaluated
# argument (from substitute()), `env` the caller's environment, used when a
# bare name is not a column but a variable that holds a column name.
# Returns the column's name with its position in the attribute "position"
# (names can repeat in a data frame; zh_pull() reads by position).
zh_column <- function(data, expr, arg, env, null_ok = FALSE, hint = NULL) {
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
    if (name %in% nms) return(zh_named_position(nms, name, arg))
    value <- tryCatch(eval(expr, env), error = function(e) NULL)
    if (!(is.character(value) && length(value) == 1L)) {
      zh_abort(sprintf("`%s` must name a column of `data`; there is no column `%s`.", arg, name),
               "column")
    }
  } else if (is.call(expr)) {
    # a call that evaluates gives a name or a position (paste0("q", 1));
    # one that does not, such as c(a, b) or starts_with("q"), is a
    # selection: tidyselect evaluates it, and one column must come out. A
    # vector (d$w) is never read as positions.
    value <- tryCatch(eval(expr, env), error = function(e) e)
    if (inherits(value, "error")) {
      cols <- zh_columns(data, expr, arg, env, min = 0L)
      if (length(cols) == 0L && null_ok) return(NULL)
      if (length(cols) != 1L) {
        zh_abort(sprintf("`%s` must select a single column of `data`, not %s%s.", arg,
                         zh_count_columns(cols), if (is.null(hint)) "" else paste0("; ", hint)),
                 "column")
      }
      return(cols)
    }
  } else {
    value <- expr
  }
  if (is.null(value) && null_ok) return(NULL)
  if (is.numeric(value) && length(value) == 1L && !is.na(value) &&
      value >= 1 && value <= length(nms) && value == round(value)) {
    return(structure(nms[[value]], position = as.integer(value)))
  }
  if (!(is.character(value) && length(value) == 1L && !is.na(value))) {
    zh_abort(sprintf("`%s` must be a single column: a bare name, a string or a position, not %s.",
                     arg, zh_describe(value)), "column")
  }
  if (!value %in% nms) {
    zh_abort(sprintf("`%s` must name a column of `data`; there is no column `%s`.", arg, value),
             "column")
  }
  zh_named_position(nms, value, arg)
}

# A name that `data` has once, with its position; a name it has several
# times is ambiguous, whichever column was meant.
zh_named_position <- function(nms, name, arg) {
  at <- which(nms == name)
  if (length(at) > 1L) {
    zh_abort(sprintf(paste0("`%s` must select one column, but `data` has %d columns named `%s` ",
                            "(positions %s): select it by position or give the columns ",
                            "distinct names."),
                     arg, length(at), name, zh_and(as.character(at))), "column")
  }
  structure(name, position = at)
}

zh_count_columns <- function(cols) {
  if (!length(cols)) return("none")
  shown <- paste0("`", utils::head(cols, 5L), "`")
  sprintf("%d columns (%s%s)", length(cols), paste(shown, collapse = ", "),
          if (length(cols) > 5L) ", ..." else "")
}

# The column that zh_column() or zh_columns() resolved, read by position.
zh_pull <- function(data, col) {
  pos <- attr(col, "position", exact = TRUE)
  if (is.null(pos)) return(data[[col]])
  # what `[[.data.frame` does with one position, without the cost of its
  # argument checks (a screen reads every column twice)
  if (identical(oldClass(data), "data.frame")) .subset2(data, pos) else data[[pos]]
}

# Whether the column `col` (from zh_column()) is one of `cols` (from
# zh_columns()): the same position, not just the same name.
zh_among <- function(col, cols) {
  !is.null(col) && attr(col, "position", exact = TRUE) %in% attr(cols, "position", exact = TRUE)
}

# The columns of zh_columns() one by one, each a name with its position.
zh_split_columns <- function(cols) {
  pos <- attr(cols, "position", exact = TRUE)
  lapply(seq_along(cols), function(i) {
    col <- cols[[i]]
    attr(col, "position") <- pos[[i]]
    col
  })
}

# Resolves several columns with tidyselect (bare names, strings, positions,
# helpers such as starts_with()). Returns the column names, their positions
# in the attribute "position".
zh_columns <- function(data, expr, arg, env, min = 1L) {
  if (identical(expr, quote(expr = ))) {
    zh_abort(sprintf("`%s` is missing: select columns of `data`.", arg), "column")
  }
  nms <- names(data)
  pos <- zh_string_positions(expr, nms, env)
  if (is.null(pos)) pos <- zh_eval_select(data, nms, expr, arg, env)
  if (length(pos) < min) {
    zh_abort(sprintf("`%s` must select at least %d column%s of `data`, not %d.",
                     arg, min, if (min == 1L) "" else "s", length(pos)), "column")
  }
  structure(nms[pos], position = unname(as.integer(pos)))
}

# The positions of a selection that only names columns by strings ("a",
# c("a", "b"), all_of(x) or any_of(x) with x a character vector), where
# tidyselect would give them too: every name a column of `data` exactly
# once, the names of `data` unique and non-empty. NULL for anything else
# (and every error), which tidyselect resolves: eval_select() costs about
# as much as counting 50 columns of 1000 rows.
zh_string_positions <- function(expr, nms, env) {
  strings <- if (is.character(expr)) expr else zh_strings_in(expr, env)
  if (!is.character(strings) || !length(strings) || !is.null(attributes(strings)) ||
      anyNA(strings) || anyDuplicated(strings) || anyDuplicated(nms) || anyNA(nms) ||
      !all(nzchar(nms))) {
    return(NULL)
  }
  pos <- match(strings, nms)
  if (anyNA(pos)) NULL else pos
}

# The strings of c("a", "b") (unnamed string literals), or the value of x in
# all_of(x) / any_of(x) (with or without tidyselect::) when x is a string
# literal or a variable of `env`; NULL otherwise. tidyselect evaluates x
# above `env` under its own helpers, so a variable named like one of them
# is left to it; x is only looked up, never called, so nothing runs twice.
zh_strings_in <- function(expr, env) {
  if (!is.call(expr)) return(NULL)
  head <- expr[[1]]
  args <- as.list(expr)[-1]
  if (!is.null(names(args))) return(NULL)
  if (identical(head, quote(c))) {
    if (!all(vapply(args, function(a) is.character(a) && length(a) == 1L, TRUE))) return(NULL)
    return(as.character(unlist(args)))
  }
  helper <- c("all_of", "any_of")
  is_helper <- (is.symbol(head) && as.character(head) %in% helper) ||
    (is.call(head) && identical(head[[1]], quote(`::`)) &&
       identical(head[[2]], quote(tidyselect)) && as.character(head[[3]]) %in% helper)
  if (!is_helper || length(args) != 1L) return(NULL)
  x <- args[[1]]
  if (is.character(x)) return(x)
  if (!is.symbol(x)) return(NULL)
  name <- as.character(x)
  if (!nzchar(name) || name %in% getNamespaceExports("tidyselect")) return(NULL)
  # a missing argument errors: tidyselect says so in its words
  tryCatch(get0(name, envir = env, inherits = TRUE), error = function(e) NULL)
}

# tidyselect's positions of a selection, its errors made the package's.
zh_eval_select <- function(data, nms, expr, arg, env) {
  proxy <- data
  dup <- nms %in% nms[duplicated(nms)]
  if (any(dup)) {
    # tidyselect refuses repeated names; positions and helpers still have
    # a meaning, a repeated name itself has none
    named <- intersect(zh_names_in(expr), nms[dup])
    if (length(named)) zh_named_position(nms, named[[1]], arg)
  }
  # tidyselect also refuses empty names: such columns are selected by position
  odd <- dup | is.na(nms) | !nzchar(nms)
  if (any(odd)) names(proxy)[odd] <- paste0(ifelse(is.na(nms[odd]), "", nms[odd]), "...", which(odd))
  pos <- tryCatch(
    tidyselect::eval_select(expr, proxy, env = env, allow_rename = FALSE),
    error = function(e) {
      lines <- strsplit(conditionMessage(e), "\n")[[1]]
      lines <- trimws(sub("^[\u2139\u2716x!*] ", "", lines[!grepl("^Caused by", lines)]))
      # the headline ("Can't subset columns that don't exist.") only when
      # it is all there is; kept when it quotes the call that failed
      if (length(lines) > 1L && !grepl("^Problem while", lines[1])) lines <- lines[-1]
      lines[1] <- sub("^Problem while evaluating (.*)\\.$", "cannot evaluate \\1:", lines[1])
      zh_abort(sprintf("`%s` must select columns of `data`: %s", arg,
                       paste(lines, collapse = " ")), "column")
    }
  )
}

# The names and strings written in a selection expression.
zh_names_in <- function(expr) {
  if (is.symbol(expr)) return(as.character(expr))
  if (is.character(expr)) return(expr)
  if (is.call(expr)) return(unlist(lapply(as.list(expr)[-1], zh_names_in)))
  character()
}

# Turns one column into integer category codes for the counting engines.
# Returns a list: codes (integer, NA for missing; for factors the factor
# itself, no copy), labels (character, one per code, distinct), scores
# (numeric, one per code: the values for numeric columns, level positions
# for factors), ordered (whether the categories have a meaningful order).
zh_codes <- function(x, arg, check = TRUE) {
  out <- zh_codes_raw(x, arg, check)
  out$labels <- zh_distinct_labels(out$labels, out$keys)
  # what pairs the categories of two variables (kappa): the value where the
  # column has values, else the label
  out$keys <- if (is.null(out$values)) out$labels else out$values
  out$values <- NULL
  out
}

zh_codes_raw <- function(x, arg, check = TRUE) {
  if (inherits(x, "AsIs")) x <- zh_strip_asis(x)
  if (inherits(x, "POSIXlt")) x <- as.POSIXct(x)
  if (inherits(x, "haven_labelled")) return(zh_codes_labelled(x, arg))
  if (is.factor(x)) {
    zh_check_factor(x, arg, check_codes = check)
    lev <- levels(x)
    return(list(codes = x, labels = lev, scores = as.numeric(seq_along(lev)),
                ordered = is.ordered(x), keys = as.character(seq_along(lev))))
  }
  if (!is.null(dim(x))) zh_refuse_type(x, arg)
  if (is.logical(x)) {
    return(list(codes = as.integer(x) + 1L, labels = c("FALSE", "TRUE"), scores = c(0, 1),
                ordered = TRUE))
  }
  if (is.character(x)) {
    u <- sort(unique(x[!is.na(x)]), method = "radix")
    return(list(codes = match(x, u), labels = u, scores = as.numeric(seq_along(u)),
                ordered = FALSE))
  }
  if (is.numeric(x) && !is.object(x)) return(zh_codes_numeric(x, arg))
  if (inherits(x, "integer64")) return(zh_codes_numeric(zh_integer64(x, arg), arg))
  if (inherits(x, c("Date", "POSIXct", "difftime")) && is.numeric(unclass(x))) {
    v <- unclass(x)
    attributes(v) <- NULL
    out <- zh_codes_numeric(as.double(v), arg)
    out$keys <- out$labels
    out$labels <- zh_class_labels(x, out$scores)
    if (inherits(x, "POSIXct")) {
      tz <- attr(x, "tzone", exact = TRUE)
      # the same clock time twice (the hour a clock is set back) differs in its zone
      out$keys <- format(structure(out$scores, class = c("POSIXct", "POSIXt"),
                                   tzone = if (is.null(tz)) "" else tz[[1]]), "%Z")
    }
    return(out)
  }
  zh_refuse_type(x, arg)
}

# A factor is handed to C as its integer codes: codes outside 1..nlevels (a
# factor built with structure() or by editing its attributes) are refused
# here, with the argument's name, not by the engine. `check_codes = FALSE` checks
# only the type: for a caller whose counting pass finds such codes itself
# (association_table(), which then calls this again).
zh_check_factor <- function(x, arg, check_codes = TRUE) {
  lev <- levels(x)
  # the type of a factor is that of its codes: no copy of them to ask it
  if (typeof(x) != "integer" || is.null(lev) || !is.character(lev)) {
    zh_abort(sprintf(paste0("`%s` is a malformed factor: a factor holds integer codes and ",
                            "character levels, not %s codes."), arg, typeof(x)), "type")
  }
  if (!check_codes) return(invisible(x))
  codes <- unclass(x)
  k <- length(lev)
  r <- suppressWarnings(range(codes, na.rm = TRUE))
  if (length(codes) && is.finite(r[1]) && (r[1] < 1L || r[2] > k)) {
    bad <- codes[!is.na(codes) & (codes < 1L | codes > k)]
    zh_abort(sprintf(paste0("`%s` is a malformed factor: its codes must lie between 1 and its ",
                            "number of levels (%d), but %d %s outside (%s)."),
                     arg, k, length(bad), if (length(bad) == 1L) "is" else "are",
                     paste(utils::head(unique(bad), 3), collapse = ", ")), "type")
  }
  invisible(x)
}

zh_refuse_type <- function(x, arg) {
  zh_abort(sprintf(paste0("`%s` must be a factor, or a numeric, character, logical, date, ",
                          "date-time or labelled vector, not %s."), arg, zh_describe(x)), "type")
}

# I(x) in a data frame: the vector inside.
zh_strip_asis <- function(x) {
  class(x) <- setdiff(oldClass(x), "AsIs")
  x
}

zh_codes_numeric <- function(x, arg) {
  # whole numbers in a small range (survey codes): coded in C without sorting
  small <- .Call(zh_small_codes, x, 2^20)
  if (identical(small, -1L) || (is.null(small) && any(is.infinite(x)))) {
    zh_abort(sprintf("`%s` must not contain infinite values (found %d).", arg,
                     sum(is.infinite(x))), "value")
  }
  if (!is.null(small)) {
    vals <- small$values
    text <- zh_value_text(if (is.integer(x)) as.integer(vals) else vals)
    return(list(codes = small$codes, labels = text, scores = vals, ordered = TRUE,
                values = text))
  }
  vals <- sort(unique(x[!is.na(x)]))
  text <- zh_value_text(vals)
  list(codes = match(x, vals), labels = text, scores = as.numeric(vals), ordered = TRUE,
       values = text)
}

# A haven_labelled_spss column with its user-missing values (`na_values`,
# `na_range`) made NA, as SPSS and haven's is.na() treat them; any other
# labelled column as its plain values.
zh_labelled_values <- function(x) {
  na_values <- attr(x, "na_values", exact = TRUE)
  na_range <- attr(x, "na_range", exact = TRUE)
  v <- unclass(x)
  attributes(v) <- NULL
  if (length(na_values)) v[v %in% na_values] <- NA
  if (length(na_range) == 2L) v[!is.na(v) & v >= na_range[1] & v <= na_range[2]] <- NA
  v
}

# haven_labelled (and haven_labelled_spss, whose user-missing values are
# treated as missing, as SPSS does): numeric or character values with value
# labels. Values without a label (or with an empty one) show the value.
zh_codes_labelled <- function(x, arg) {
  labs <- attr(x, "labels", exact = TRUE)
  v <- zh_labelled_values(x)
  out <- if (is.character(v)) zh_codes_raw(v, arg) else zh_codes_numeric(as.double(v), arg)
  out$keys <- out$values <- out$labels
  if (length(labs)) {
    vals <- if (is.character(v)) out$labels else out$scores
    hit <- match(vals, unname(labs))
    lab <- names(labs)[hit]
    use <- !is.na(lab) & nzchar(lab)
    out$labels[use] <- lab[use]
  }
  out
}

# The one message for negative weights, wherever they are found (in R or
# counted by a database).
zh_negative_weights <- function(arg, n) {
  zh_abort(sprintf("`%s` must be a non-negative numeric vector, not one with negative values (%d found).",
                   arg, as.integer(n)), "weights")
}

# Checks a frequency-weight column: numeric, finite and non-negative;
# NA marks a case to leave out.
# `hint` is added to the message about a non-numeric column (a weight given
# by position where a second variable was meant).
zh_weights <- function(w, arg = "weights", hint = NULL) {
  if (is.null(w)) return(NULL)
  if (inherits(w, "AsIs")) w <- zh_strip_asis(w)
  if (inherits(w, "haven_labelled")) w <- zh_labelled_values(w)
  if (inherits(w, "integer64")) w <- zh_integer64(w, arg)
  if (!is.numeric(w) || is.object(w) || !is.null(dim(w))) {
    zh_abort(sprintf("`%s` must be a non-negative numeric vector, not %s.%s", arg, zh_describe(w),
                     if (is.null(hint)) "" else paste0(" ", hint)), "weights")
  }
  if (any(w < 0, na.rm = TRUE)) zh_negative_weights(arg, sum(w < 0, na.rm = TRUE))
  if (any(is.infinite(w))) {
    zh_abort(sprintf("`%s` must be a non-negative numeric vector of finite values, not one with `Inf`.", arg),
             "weights")
  }
  zh_check_total(sum(w, na.rm = TRUE), arg)
  as.double(w)
}

# The weights column that zh_column() resolved (NULL for none), checked.
zh_weights_of <- function(data, w_name, hint = NULL) {
  if (is.null(w_name)) return(NULL)
  zh_weights(zh_pull(data, w_name), sprintf("weights` column `%s", w_name), hint)
}

# A hint for the message about a weights column that is not numeric, when
# `weights` was filled by position (the caller's `call` names no
# argument `weights`): the user may have meant another variable.
zh_weights_hint <- function(call, position, fun, several = NULL) {
  nms <- names(call)[-1]
  if (!is.null(nms) && any(nzchar(nms) & startsWith("weights", nms))) return(NULL)
  paste0(sprintf("`weights` is the %s argument of %s() and was given without a name", position,
                 fun),
         if (is.null(several)) "." else sprintf("; %s.", several))
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
zh_codes_of <- function(data, name, arg, all_missing_ok = FALSE, check = TRUE) {
  out <- zh_codes(zh_pull(data, name), sprintf("%s` column `%s", arg, name), check)
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

# A table with very many categories is rarely what was meant (a numeric
# variable taken as categories prints hundreds of lines): above the option
# `zhetysu.max_categories` a classed warning names the variable. `k` is the
# number of categories the table shows; `k` and `name` may be vectors, one
# element per variable (the option is read once for a whole screen).
zh_warn_categories <- function(k, arg, name, part = "column") {
  limit <- zh_max_categories()
  for (i in which(k > limit)) {
    zh_warn(sprintf(paste0("`%s` %s `%s` has %d categories, more than %s (the option ",
                           "`zhetysu.max_categories`): a continuous variable taken as ",
                           "categories? Set options(zhetysu.max_categories = ) to allow more."),
                    arg, part, name[[i]], k[[i]], format(limit)), "categories")
  }
  invisible(k)
}

zh_max_categories <- function() {
  limit <- getOption("zhetysu.max_categories", 100)
  if (!is.numeric(limit) || length(limit) != 1L || is.na(limit) || limit < 1 ||
      (is.finite(limit) && limit != round(limit))) {
    zh_abort(sprintf("Option `zhetysu.max_categories` must be a whole number of at least 1 or `Inf`, not %s.",
                     zh_describe(limit)), "option")
  }
  limit
}
