# The number of OpenMP threads the engines are asked for: the option
# `zhetysu.threads`, checked here; src/threads.c caps it by the machine, the
# OpenMP environment limits, and to 1 in a forked child.
zh_threads <- function() {
  n <- getOption("zhetysu.threads", 2L)
  if (!is.numeric(n) || length(n) != 1L || is.na(n) || !is.finite(n) || n < 1 ||
      n != round(n) || n > 1024) {
    zh_abort(sprintf(paste0("Option `zhetysu.threads` must be a whole number between 1 and ",
                            "1024, not %s."), zh_describe(n)), "option")
  }
  as.integer(n)
}

# Whether association_table() may count with the vectorised kernel (where
# the processor has one): the option `zhetysu.simd`, for checking that both
# ways give the same counts.
zh_simd <- function() {
  v <- getOption("zhetysu.simd", TRUE)
  if (!is.logical(v) || length(v) != 1L || is.na(v)) {
    zh_abort(sprintf("Option `zhetysu.simd` must be TRUE or FALSE, not %s.", zh_describe(v)),
             "option")
  }
  v
}
