# make valgrind: run under `R -d "valgrind --error-exitcode=1 ..."`. Calls
# every registered .Call entry point directly on normal and edge inputs, and
# every exported function through the fuzz generators of the test suite
# (tests/testthat/helper-fuzz.R), so that valgrind sees every C path on
# odd shapes. Any invalid read or write or use of an uninitialised value
# makes valgrind exit with status 1; a defect the R checks find stops here.
suppressPackageStartupMessages(library(zhetysu))
options(warn = 1)
source("tests/testthat/helper-fuzz.R")
ns <- asNamespace("zhetysu")
routines <- names(getDLLRegisteredRoutines("zhetysu")$.Call)
cat("entry points:", paste(routines, collapse = ", "), "\n")

# Calls an entry point; errors from its own argument checks are fine.
call_entry <- function(name, ...) {
  tryCatch(.Call(get(name, envir = ns), ...), error = function(e) conditionMessage(e))
}

# Normal and edge inputs for the entry points whose arguments are known;
# the table is a list of argument lists.
codes <- function(n, k, na = 0) {
  x <- rep_len(seq_len(k), n)
  x[seq_len(n) %% 7 == 0 & na > 0] <- NA_integer_
  x
}
m <- matrix(c(12, 5, 3, 7, 9, 4), 2)
known <- list(
  zh_crosstab_count = list(
    list(codes(100, 3), codes(100, 4), NULL, 3L, 4L, 1L),
    list(codes(100, 3, na = 1), codes(100, 4), runif(100), 3L, 4L, 2L),
    list(codes(2e5, 5, na = 1), codes(2e5, 2), NULL, 5L, 2L, 2L),  # the threaded path
    list(codes(2e5, 5), codes(2e5, 2), c(NA, rep(2^40, 2e5 - 1)), 5L, 2L, 2L),
    list(integer(), integer(), NULL, 1L, 1L, 1L),
    list(c(1L, 5L), c(1L, 1L), NULL, 2L, 1L, 1L),            # a code outside the table
    list(c(1L, NA), c(0L, -1L), c(1, NaN), 2L, 2L, 1L),
    list(1:3, 1:2, NULL, 3L, 3L, 1L),                        # lengths differ
    list(1:3, 1:3, c(1, 2), 3L, 3L, 1L),
    list(1:3, 1:3, NULL, NA_integer_, 0L, NA_integer_),
    list(as.double(1:3), 1:3, NULL, 3L, 3L, 1L),
    list(NULL, NULL, NULL, NULL, NULL, NULL)),
  zh_crosstab_stats = list(
    list(m, c(1, 2), c(1, 2, 3), NULL),
    list(matrix(c(6e8, 5e8, 5.5e8, 6.1e8), 2), c(1, 2), c(1, 2), 1:2),
    list(matrix(c(0, 1e12, 1, 1), 2), c(1, 2), c(1, 2), 2:1),
    list(matrix(0, 2, 2), c(1, 2), c(1, 2), 1:2),
    list(matrix(c(0, 3, 0, 0, 2, 0, 5, 0, 0), 3), 1:3 + 0, 1:3 + 0, c(3L, 1L, 2L)),
    list(matrix(5, 1, 1), 1, 1, 1L),                         # kappa of a 1 x 1 table
    list(matrix(5, 1, 3), 1, c(1, 2, 3), NULL),
    list(matrix(numeric(), 0, 0), numeric(), numeric(), integer()),
    list(matrix(numeric(), 0, 3), numeric(), c(1, 2, 3), NULL),
    list(matrix(c(1, NA, 3, 4), 2), c(1, 2), c(1, 2), NULL),
    list(matrix(c(1, -1, 3, 4), 2), c(1, 2), c(1, 2), NULL),
    list(matrix(c(1, Inf, 3, 4), 2), c(1, 2), c(1, 2), NULL),
    list(m, c(1, 2), c(1, 2), NULL),                         # scores too short
    list(m, 1:2, c(1, 2, 3), NULL),
    list(m, c(1, 2), c(1, 2, 3), 1:2),                       # pair on a non-square table
    list(matrix(1, 2, 2), c(1, 2), c(1, 2), c(1L, 1L)),      # pair not a permutation
    list(matrix(1, 2, 2), c(1, 2), c(1, 2), c(1L, NA)),
    list(matrix(1, 2, 2), c(1, 2), c(1, 2), c(0L, 3L)),
    list(matrix(1, 2, 2), c(1, 2), c(1, 2), c(1, 2)),        # pair not integer
    list(c(1, 2, 3, 4), c(1, 2), c(1, 2), NULL),
    list(NULL, NULL, NULL, NULL)),
  zh_small_codes = list(
    list(c(3L, NA, -2L, 3L), 2^20),
    list(c(2, NaN, 5, NA, -1), 2^20),
    list(c(.Machine$integer.max, -.Machine$integer.max), 2^40),  # refused: range
    list(c(0.5, 1), 2^20),
    list(c(1, Inf), 2^20),
    list(integer(), 2^20),
    list(c(NA_real_, NA_real_), 2^20),
    list("a", 2^20)),
  zh_all_missing = list(list(c(NA, 1L)), list(c(NA_real_, NaN)), list(logical()), list(factor(NA)),
                        list("a"))
)

for (name in routines) {
  argsets <- known[[name]]
  if (is.null(argsets)) {
    # an entry point this script does not know yet: its own checks must
    # refuse junk without touching memory they should not
    n_args <- getDLLRegisteredRoutines("zhetysu")$.Call[[name]]$numParameters
    junk <- list(NULL, integer(), 1L, NA_real_, "a", list())
    argsets <- lapply(junk, function(j) rep(list(j), n_args))
    cat(sprintf("%s: not known to this script, junk arguments only\n", name))
  }
  for (a in argsets) invisible(do.call(call_entry, c(list(name), a)))
  cat(sprintf("%s: %d calls\n", name, length(argsets)))
}

# Every exported function through the wrappers.
problems <- character()
for (args in crosstab_edge_cases()) {
  bad <- fuzz_outcome("crosstab", function() do.call(crosstab, args), valid_crosstab)
  if (!is.null(bad)) problems <- c(problems, paste("crosstab edge case:", bad))
}
funs <- zh_exported_functions()
for (fun in funs) {
  problems <- c(problems, fuzz_run(fun, rounds = 40, seed = 7 + match(fun, funs)))
  cat(sprintf("%s: 40 random calls\n", fun))
}
if (length(problems)) {
  cat("Defects:\n", paste(problems, collapse = "\n"), "\n")
  quit(status = 1)
}
cat("valgrind-entry-points: done\n")
