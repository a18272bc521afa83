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

# The widest vectorised kernel association_table() may count with, where
# the processor has it (2 AVX-512, 1 AVX2, 0 none): the option
# `zhetysu.simd`, TRUE, "avx2" or FALSE, for checking that every way gives
# the same counts.
zh_simd <- function() {
  v <- getOption("zhetysu.simd", TRUE)
  if (identical(v, TRUE)) return(2L)
  if (identical(v, "avx2")) return(1L)
  if (identical(v, FALSE)) return(0L)
  zh_abort(sprintf("Option `zhetysu.simd` must be TRUE, \"avx2\" or FALSE, not %s.",
                   zh_describe(v)), "option")
}
