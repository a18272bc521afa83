# One condition family for the whole package: every error the package
# signals has class "zhetysu_error" and a subclass "zhetysu_error_<kind>",
# so that callers can catch them with tryCatch(zhetysu_error = ...).
zh_abort <- function(message, kind = "input", call = NULL) {
  cond <- structure(
    class = c(paste0("zhetysu_error_", kind), "zhetysu_error", "error", "condition"),
    list(message = message, call = call)
  )
  stop(cond)
}

zh_warn <- function(message, kind = "warning") {
  cond <- structure(
    class = c(paste0("zhetysu_warning_", kind), "zhetysu_warning", "warning", "condition"),
    list(message = message, call = NULL)
  )
  warning(cond)
}

# A short description of an object for "must be ..., not <this>" messages.
zh_describe <- function(x) {
  if (is.null(x)) return("NULL")
  if (is.data.frame(x)) return("a data frame")
  if (is.factor(x)) return(if (length(x) == 1L) "a factor of length 1" else "a factor")
  if (is.function(x)) return("a function")
  if (is.environment(x)) return("an environment")
  # classed vectors by their class: a difftime is not "a numeric vector"
  cls <- oldClass(x)
  cls <- cls[!cls %in% c("AsIs", "vctrs_vctr")]
  if (length(cls) && !is.data.frame(x)) {
    what <- if (cls[[1]] %in% c("POSIXct", "POSIXlt")) "date-time" else cls[[1]]
    article <- if (grepl("^[aeiouAEIOU]", what)) "an" else "a"
    if (!is.null(dim(x))) return(sprintf("%s %s object with %d dimensions", article, what,
                                         length(dim(x))))
    n <- length(x)
    if (inherits(x, "POSIXlt")) n <- length(x$sec)
    return(sprintf("%s %s vector%s", article, what,
                   if (n == 1L) " of length 1" else sprintf(" of length %d", n)))
  }
  if (is.list(x)) return("a list")
  if (is.matrix(x) && !is.character(x)) return("a matrix")
  type <- switch(typeof(x),
    logical = "logical", integer = "integer", double = "numeric",
    complex = "complex", character = "character", raw = "raw",
    symbol = "a symbol", language = "a call", typeof(x))
  if (type %in% c("a symbol", "a call")) return(type)
  if (length(x) == 0L) return(sprintf("an empty %s vector", type))
  if (length(x) == 1L) {
    if (is.na(x)) return("`NA`")
    if (is.character(x)) return(sprintf("the string %s", encodeString(x, quote = "\"")))
    if (is.logical(x)) return(sprintf("`%s`", x))
    return(sprintf("the number %s", format(x)))
  }
  sprintf("a%s %s vector of length %d", if (type == "integer") "n" else "", type, length(x))
}

# Called from C (src/conditions.c) when a check that the R wrappers make
# impossible fails: a defect of the package, never of the input.
zh_internal_abort <- function(message) {
  zh_abort(sprintf(paste0("Internal error in zhetysu: %s. This is a bug in the package, ",
                          "not in your data; please report it with the call that gave it."),
                   message), "internal")
}
