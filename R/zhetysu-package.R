#' zhetysu: SPSS-compatible survey statistics in C
#'
#' Cross-tabulations with every statistic SPSS CROSSTABS prints
#' ([crosstab()]), correlation matrices with significance, frequency and
#' "Table 1" tables, and association screens, computed by C engines that
#' make one pass over the data. The package replicates the analysis of a
#' survey of repatriate integration in the Zhetysu region of Kazakhstan on
#' synthetic microdata reconstructed from the published tables.
#'
#' Options:
#' * `zhetysu.threads`: the number of OpenMP threads the engines may use
#'   (default 2; a whole number from 1 to 1024). The OpenMP limits
#'   `OMP_THREAD_LIMIT` and `OMP_NUM_THREADS` cap it, and a forked child
#'   (`parallel::mclapply()`) uses one thread.
#' * `zhetysu.decimal_mark`: the decimal mark used by `print()` and
#'   `format()` methods (default `"."`; `","` gives the SPSS style of many
#'   European locales).
#' * `zhetysu.max_categories`: above this number of categories (default
#'   100; `Inf` for no limit) a variable of [crosstab()], [freq_table()],
#'   [profile_table()] or [association_table()] gives a warning of class
#'   `zhetysu_warning_categories` that names it: usually a continuous
#'   variable taken as categories.
#' * `zhetysu.simd`: [association_table()] counts unweighted tables of up to
#'   64 cells with a vectorised kernel on x86-64 processors with AVX-512 or
#'   AVX2 (default `TRUE`: the widest the processor has); `"avx2"` stops at
#'   AVX2 and `FALSE` counts without it. The counts are the same every way;
#'   the option is there to check that.
#'
#' @keywords internal
#' @useDynLib zhetysu, .registration = TRUE
"_PACKAGE"

#' @importFrom generics tidy
#' @export
generics::tidy

#' @importFrom generics glance
#' @export
generics::glance
