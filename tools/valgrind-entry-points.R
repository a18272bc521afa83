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
set.seed(1)
# correlation columns as cor_matrix() hands them over: double, integer, logical
pearson_cols <- list(c(rnorm(59), NA), c(NA, sample.int(5, 58, TRUE), NA),
                     rep(c(TRUE, FALSE, NA), 20), rnorm(60) * 1e8 + 1e12)
rank_cols <- list(c(round(rnorm(59), 1), NA), c(NA, sample.int(5, 59, TRUE)),
                  rep(c(TRUE, FALSE, NA), 20))
big_cols <- list(c(rnorm(3e4 - 1), NA), sample.int(7, 3e4, TRUE), rnorm(3e4))
long_cols <- list(c(sample.int(50, 1.2e5 - 1, TRUE), NA), rnorm(1.2e5))
# describe() and means_table() columns: doubles with NA; large ones take
# the percentile brackets
desc_cols <- list(c(rnorm(59), NA), round(runif(60) * 4))
desc_big <- list(c(rnorm(3e4 - 1), NA), rexp(3e4), round(rnorm(3e4), 1))
# zh_synthesize arguments as zh_synth_run() builds them: three variables of
# 2, 3 and 2 levels, one chi-square target on the first two
synth_codes <- list(codes(40, 2), codes(40, 3), codes(40, 2))
synth_pairs <- function(a, b, x2_target, x2_tol, g2_target, g2_tol) {
  list(a = as.integer(a), b = as.integer(b), x2_target = as.double(x2_target),
       x2_tol = as.double(x2_tol), g2_target = as.double(g2_target), g2_tol = as.double(g2_tol))
}
synth_cors <- function(a, b, target, tol) {
  list(a = as.integer(a), b = as.integer(b), target = as.double(target), tol = as.double(tol))
}
synth_rules <- function(pair, weights, lower, upper, unit) {
  list(pair = as.integer(pair), weights = weights, lower = as.double(lower),
       upper = as.double(upper), unit = as.double(unit))
}
synth_args <- function(codes = synth_codes, scores = list(c(1, 2), c(1, 2, 3), c(1, 2)),
                       pairs = synth_pairs(0, 1, 12, 1, NA, NA),
                       cors = synth_cors(integer(), integer(), numeric(), numeric()),
                       rules = synth_rules(integer(), list(), numeric(), numeric(), numeric()),
                       control = c(2e4, 1e4, 30, 1e-3, 256), progress = NULL) {
  list(codes, scores, pairs, cors, rules, control, progress)
}
# the argument sets of the former two-way counter, in the k-way engine's form
as_kway <- function(a) list(list(a[[1]], a[[2]]), c(a[[4]], a[[5]]), c(0L, 0L), a[[3]], a[[6]])
as_stats <- function(a) list(list(a[[1]]), list(a[[2]]), list(a[[3]]), list(a[[4]]), 1L)
# each input with and without the vectorised kernel (valgrind has AVX2, not AVX-512)
as_assoc <- function(a, simd) list(a[[1]], a[[2]], a[[3]], a[[4]], length(a[[5]]), a[[8]], simd)
assoc_inputs <- list(
    list(codes(300, 3), list(replace(codes(300, 4), 70, 9L), codes(300, 16)), NULL, c(4L, 16L),
         c(1, 2, 3), NULL, 0L, 1L),                            # a bad factor code in a word
    list(replace(codes(300, 3), 5, -4L), list(codes(300, 4)), NULL, 4L, c(1, 2, 3), NULL, 0L,
         1L),                                                  # a bad outcome code
    list(codes(200, 3, na = 1), lapply(2:6, function(k) codes(200, k)), NULL, 2:6,
         c(1, 2, 3), lapply(2:6, function(k) as.double(seq_len(k))), 0L, 1L),
    list(codes(200, 3), lapply(2:3, function(k) codes(200, k, na = 1)), runif(200), 2:3,
         c(1, 2, 3), list(c(1, 2), c(1, 2, 3)), 1L, 2L),
    list(codes(200, 3), list(codes(200, 2)), c(rep(1e300, 199), NaN), 2L, c(1, 2, 3),
         list(c(1, 2)), 2L, 1L),                               # huge weights
    list(codes(200, 3), list(codes(200, 2)), rep(0, 200), 2L, c(1, 2, 3), list(c(1, 2)),
         1L, 1L),                                              # zero weights
    list(codes(1.5e5, 4, na = 1), lapply(c(2:6, 3L), function(k) codes(1.5e5, k, na = 1)), NULL,
         c(2:6, 3L), as.double(1:4), lapply(c(2:6, 3L), function(k) as.double(seq_len(k))), 0L,
         2L),                                                  # threads, unweighted
    list(codes(1.5e5, 4), lapply(2:4, function(k) codes(1.5e5, k)), runif(1.5e5), 2:4,
         as.double(1:4), lapply(2:4, function(k) as.double(seq_len(k))), 1L, 2L),
    list(integer(), list(integer(), integer()), NULL, c(2L, 3L), c(1, 2),
         list(c(1, 2), c(1, 2, 3)), 0L, 1L),                   # zero rows
    list(1L, list(2L), NULL, 2L, c(1, 2), list(c(1, 2)), 0L, 1L),   # one row
    list(rep(NA_integer_, 10), list(codes(10, 2)), NULL, 2L, c(1, 2), list(c(1, 2)), 0L, 1L),
    list(codes(10, 2), list(rep(NA_integer_, 10)), runif(10), 2L, c(1, 2), list(c(1, 2)), 1L, 1L),
    list(rep(1L, 10), list(rep(1L, 10)), NULL, 1L, 1, list(1), 0L, 1L),   # 1 x 1
    list(codes(10, 2), list(), NULL, integer(), c(1, 2), list(), 0L, 1L), # no factor
    list(c(1L, 3L, 2L), list(1:3), NULL, 3L, c(1, 2), list(c(1, 2, 3)), 0L, 1L),  # refused
    list(c(1L, 2L, 2L), list(c(0L, 1L, -5L)), NULL, 3L, c(1, 2), list(c(1, 2, 3)), 0L, 1L),
    list(c(1L, 2L, 2L), list(c(4L, 1L, 2L)), c(1, 1, 1), 3L, c(1, 2), list(c(1, 2, 3)), 1L, 1L),
    list(c(1L, 2L), list(1:3), NULL, 3L, c(1, 2), list(c(1, 2, 3)), 0L, 1L),
    list(c(1L, 2L), list(c(1, 2)), NULL, 2L, c(1, 2), list(c(1, 2)), 0L, 1L),
    list(c(1, 2), list(1:2), NULL, 2L, c(1, 2), list(c(1, 2)), 0L, 1L),
    list(1:2, list(1:2), NULL, NA_integer_, c(1, 2), list(c(1, 2)), 0L, 1L),
    list(1:2, list(1:2), NULL, 0L, c(1, 2), list(numeric()), 0L, 1L),
    list(1:2, list(1:2), NULL, 2L, c(1, 2), list(c(1, 2, 3)), 0L, 1L),
    list(1:2, list(1:2), NULL, 2:3, c(1, 2), list(c(1, 2)), 0L, 1L),
    list(1:2, list(1:2), NULL, 2L, numeric(), list(c(1, 2)), 0L, 1L),
    list(1:2, list(1:2), c(1, 1, 1), 2L, c(1, 2), list(c(1, 2)), 0L, 1L),
    list(1:2, list(1:2), 1:2, 2L, c(1, 2), list(c(1, 2)), NA_integer_, NA_integer_))
known <- list(
  zh_count_kway = c(lapply(list(
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
    list(NULL, NULL, NULL, NULL, NULL, NULL)), as_kway), list(
    # three variables, user-missing codes (4 and 5 for a 3-level variable)
    list(list(codes(300, 5, na = 1), codes(300, 2), codes(300, 4)), c(3L, 2L, 4L),
         c(2L, 0L, 0L), runif(300), 1L),
    list(list(codes(2e5, 5, na = 1), codes(2e5, 2), codes(2e5, 4)), c(3L, 2L, 4L),
         c(2L, 0L, 0L), NULL, 2L),                           # threads, small-table path
    list(list(c(1L, 6L), c(1L, 1L)), c(3L, 1L), c(2L, 0L), NULL, 1L),  # outside every range
    list(list(), integer(), integer(), NULL, 1L),
    list(list(1:2), 2L, -1L, NULL, 1L),
    list(rep(list(1L), 17), rep(1L, 17), rep(0L, 17), NULL, 1L))),
  zh_tables_stats = c(lapply(list(
    list(m, c(1, 2), c(1, 2, 3), NULL),
    list(matrix(c(6e8, 5e8, 5.5e8, 6.1e8), 2), c(1, 2), c(1, 2), 1:2),
    list(matrix(c(0, 1e12, 1, 1), 2), c(1, 2), c(1, 2), 2:1),
    list(matrix(0, 2, 2), c(1, 2), c(1, 2), 1:2),
    list(matrix(c(0, 3, 0, 0, 2, 0, 5, 0, 0), 3), 1:3 + 0, 1:3 + 0, c(3L, 1L, 2L)),
    list(m, c(1, 2) * 1e300, c(1, 2, 3) * 1e-300, NULL),    # extreme scores
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
    list(NULL, NULL, NULL, NULL)), as_stats), list(
    list(list(m, matrix(1, 2, 2)), list(c(1, 2), c(1, 2)), list(c(1, 2, 3), c(1, 2)),
         list(NULL, 1:2), 2L),
    # enough cells for the parallel chunks, some square with a pairing
    list(lapply(1:12, function(i) matrix(as.double(1 + (seq_len(60 * 50) * i) %% 17), 60, 50)),
         rep(list(as.double(1:60)), 12), rep(list(as.double(1:50)), 12), rep(list(NULL), 12), 2L),
    list(lapply(1:12, function(i) matrix(as.double(1 + (seq_len(200^2) * i) %% 7), 200, 200)),
         rep(list(as.double(1:200)), 12), rep(list(as.double(1:200)), 12),
         rep(list(200:1), 12), 2L),
    list(list(m), list(c(1, 2)), list(c(1, 2, 3)), list(), 1L),   # lengths differ
    list(list(m), list(c(1, 2)), list(c(1, 2, 3)), list(NULL), NA_integer_),
    list(NULL, NULL, NULL, NULL, NULL))),
  zh_small_codes = list(
    list(c(3L, NA, -2L, 3L), 2^20),
    list(c(2, NaN, 5, NA, -1), 2^20),
    list(c(.Machine$integer.max, -.Machine$integer.max), 2^40),  # refused: range
    list(c(0.5, 1), 2^20),
    list(c(1, Inf), 2^20),
    list(integer(), 2^20),
    list(c(NA_real_, NA_real_), 2^20),
    # the 16-wide scan with a tail, the marking pass past its first blocks
    list(c(rep(c(1L, 2L, 4L), 5000), 5L, NA, 3L), 2^20),
    list(c(rep(c(2, 4, NA), 3000), 3, 9), 2^20),
    list(c(rep(c(-3, 2), 3000), 0.5), 2^20),
    list("a", 2^20)),
  zh_all_missing = list(list(c(NA, 1L)), list(c(NA_real_, NaN)), list(logical()), list(factor(NA)),
                        list("a")),
  zh_cor_pearson = list(
    list(pearson_cols, NULL, 1L),
    list(pearson_cols, runif(60), 2L),
    list(big_cols, c(NA, runif(3e4 - 1)), 2L),                # the threaded path
    list(big_cols[1:2], NULL, 2L),
    list(list(rnorm(60) * 1e300, rnorm(60) * 1e-300, c(-1.5e308, 1.5e308, rnorm(58))), NULL,
         1L),                                                 # extreme scales
    list(pearson_cols[1:2], rep(0, 60), 1L),                  # zero weights
    list(pearson_cols[1:2], rep(1e300, 60), 1L),              # huge weights
    list(pearson_cols[1:2], c(rep(2^40, 59), NaN), 1L),
    list(list(numeric(), integer()), NULL, 1L),               # zero rows
    list(list(1, 2L), NULL, 1L),                              # one row
    list(list(c(1, 2), c(NA, 1)), NULL, 1L),
    list(list(rep(NA_real_, 60), pearson_cols[[1]]), NULL, 1L),  # all NA
    list(list(rep(NaN, 60), rep(NA_integer_, 60), rep(NA, 60)), NULL, 1L),
    list(list(rep(3, 60), pearson_cols[[1]]), NULL, 1L),      # constant column
    list(list(c(Inf, pearson_cols[[1]][-1]), pearson_cols[[1]]), NULL, 1L),
    list(list(c(-Inf, 1, Inf, 2), c(1, 2, 3, 4)), runif(4), 1L),
    list(pearson_cols[1], NULL, 1L),                          # one column
    list(rep(pearson_cols[1:3], 3), NULL, 1L),                # nine: padded tiles
    list(list(), NULL, 1L),                                   # refused: no column
    list(pearson_cols[[1]], NULL, 1L),                        # refused: not a list
    list(list(1:3, 1:2), NULL, 1L),                           # refused: lengths differ
    list(list(1:3, c("a", "b", "c")), NULL, 1L),
    list(list(1:3, list(1, 2, 3)), NULL, 1L),
    list(list(1:3, 1:3), 1:3, 1L),                            # refused: integer weights
    list(list(1:3, 1:3), c(1, 2), 1L),
    list(list(1:3, 1:3), NULL, NA_integer_),
    list(list(1:3, 1:3), NULL, "a")),
  zh_cor_rank = c(
    unlist(lapply(1:2, function(meth) list(
      list(rank_cols, lapply(rank_cols, order, na.last = NA, method = "radix"), meth, NULL, 1L),
      list(rank_cols, lapply(rank_cols, order, na.last = NA, method = "radix"), meth, NULL, 2L),
      list(big_cols, lapply(big_cols, order, na.last = NA), meth, NULL, 2L),   # threads over pairs
      list(long_cols, lapply(long_cols, order, na.last = NA), meth, NULL, 2L), # threads in a pair
      list(list(numeric(), numeric()), list(integer(), integer()), meth, NULL, 1L),
      list(list(1, 2L), list(1L, 1L), meth, NULL, 1L),
      list(list(c(1, NA, 3), c(NA, 2, 3)), list(c(1L, 3L), 2:3), meth, NULL, 1L),
      list(list(rep(NA_real_, 5), 1:5), list(integer(), 1:5), meth, NULL, 1L),
      list(list(rep(3, 5), 1:5, c(TRUE, FALSE, TRUE, NA, FALSE)),
           list(1:5, 1:5, c(2L, 5L, 1L, 3L)), meth, NULL, 1L),      # constant, logical
      list(rank_cols[1], list(order(rank_cols[[1]], na.last = NA)), meth, NULL, 1L),
      list(list(c(3, 1, 2), c(1, 2, 3)), list(c(2, 3, 1), c(1, 2, 3)), meth, NULL, 1L),
      # whole-number case weights (no copies): huge, and as threads see them
      list(list(c(3, 1, 2), c(1, 2, 3)), list(c(2, 3, 1), c(1, 2, 3)), meth, c(7e8, 1, 3e9), 1L),
      list(rank_cols, lapply(rank_cols, order, na.last = NA, method = "radix"), meth,
           as.double(rep_len(1:4, 60)), 2L),
      list(list(c(1, 2), c(2, 1)), list(1:2, 2:1), meth, c(1, 1), 1L),
      list(list(1:3, 1:3), list(1:3, 1:3), meth, 1:3, 1L))),      # refused: integer weights
      recursive = FALSE),
    list(
      list(list(1:3, 1:3), list(1:3, 1:3), 3L, NULL, 1L),           # refused: method
      list(list(1:3, 1:3), list(1:3), 1L, NULL, 1L),                # refused: one order short
      list(list(1:3, 1:3), list(1:3, c(1L, 2L, 4L)), 2L, NULL, 1L), # refused: outside the rows
      list(list(1:3, 1:3), list(1:3, c(0L, 1L, 2L)), 2L, NULL, 1L),
      list(list(1:3, 1:3), list(1:3, c(NA, 1L, 2L)), 2L, NULL, 1L),
      list(list(1:3, 1:3), list(1:3, c(NaN, 1, 2)), 2L, NULL, 1L),
      list(list(1:3, 1:3), list(1:3, c(1e300, 1, 2)), 2L, NULL, 1L),
      list(list(1:3, 1:3), list(1:3, c(1L, 1L, 2L, 3L, 3L)), 2L, NULL, 1L),  # longer than the rows
      list(list(1:3, 1:3), list(1:3, c(1L, 1L, 2L)), 1L, NULL, 1L), # a row twice
      list(list(c(1, NA, 3), 1:3), list(1:3, 1:3), 2L, NULL, 1L),   # an order through NA
      list(list(1:3, 1:3), list(1:3, c("1", "2", "3")), 1L, NULL, 1L),
      list(list(1:3, 1:3), 1:3, 1L, NULL, 1L),
      list(list(1:3, "a"), list(1:3, 1L), 1L, NULL, 1L))),
  zh_association_count = c(lapply(assoc_inputs, as_assoc, simd = 2L),
                           lapply(assoc_inputs, as_assoc, simd = 0L)),
  zh_synthesize = c(list(
    synth_args(),
    synth_args(cors = synth_cors(0, 1, 0.3, 0.05)),
    synth_args(pairs = synth_pairs(c(0, 1), c(1, 2), c(NA, NA), c(NA, NA), c(5, 8), c(1, 1)),
               control = c(2e4, 1e4, 30, 1e-3, 64)),
    synth_args(rules = synth_rules(0, list(c(1, 0, 0, 0, 0, 0)), 20, 25, 0)),  # unit 0
    synth_args(codes = list(integer(), integer(), integer())),  # zero rows
    synth_args(codes = list(1L, 1L, 2L)),                        # one row
    synth_args(codes = list(c(1L, 2L), c(2L, 1L), c(1L, 2L))),   # two rows
    synth_args(codes = list(rep(1L, 40), synth_codes[[2]], synth_codes[[3]])),  # one level used
    synth_args(control = c(NaN, NaN, NaN, NaN, NaN)),
    synth_args(control = c(1e3, 0, 30, 1e-3, -1)),
    synth_args(control = c(3e6, 1e6, 30, 1e-3, 4096), progress = function(moves) NULL),
    synth_args(progress = "a")),                                 # refused: not a function
    lapply(list(                                                 # refused
      list(codes = list()),
      list(codes = list(1:40)),
      list(codes = lapply(synth_codes, as.double)),
      list(codes = list(c(0L, synth_codes[[1]][-1]), synth_codes[[2]], synth_codes[[3]])),
      list(codes = list(c(NA, synth_codes[[1]][-1]), synth_codes[[2]], synth_codes[[3]])),
      list(codes = list(synth_codes[[1]], synth_codes[[2]][-1], synth_codes[[3]])),
      list(scores = list(c(1, 2), c(1, 2, 3))),
      list(scores = list(c(1, 2), 1:3, c(1, 2))),
      list(pairs = synth_pairs(0, 1, c(5, 5), 1, NA, NA)),   # targets longer: fine
      list(pairs = synth_pairs(c(0, 1), 1, 5, 1, NA, NA)),   # b shorter than a
      list(pairs = synth_pairs(c(0, 1), c(1, 2), 5, 1, NA, NA)),
      list(pairs = synth_pairs(c(0, 1), c(1, 2), c(5, 5), c(1, 1), NA, NA)),
      list(pairs = synth_pairs(0, 3, 5, 1, NA, NA)),
      list(pairs = synth_pairs(1, 1, 5, 1, NA, NA)),
      list(pairs = synth_pairs(0, -1, 5, 1, NA, NA)),
      list(pairs = list(a = 0L, b = 1L, x2_target = 5L, x2_tol = 1, g2_target = NA_real_,
                        g2_tol = NA_real_)),
      list(pairs = list(0L, 1L, 5, 1, NA_real_, NA_real_)),
      list(pairs = list(a = 0, b = 1, x2_target = 5, x2_tol = 1, g2_target = NA_real_,
                        g2_tol = NA_real_)),
      list(cors = synth_cors(c(0, 1), 2, 0.3, 0.05)),
      list(cors = synth_cors(0, 1, 0.3, numeric())),
      list(cors = synth_cors(0, 0, 0.3, 0.05)),
      list(codes = list(rep(1L, 40), synth_codes[[2]], synth_codes[[3]]),
           cors = synth_cors(0, 1, 0.3, 0.05)),                  # constant variable
      list(rules = synth_rules(0, list(c(1, 0, 0, 0, 0, 0)), c(20, 1), 25, 1)),
      list(rules = synth_rules(c(0, 0), list(c(1, 0, 0, 0, 0, 0)), c(20, 1), c(25, 1), c(1, 1))),
      list(rules = synth_rules(0, list(c(1, 0, 0)), 20, 25, 1)),
      list(rules = synth_rules(0, list(1:6), 20, 25, 1)),
      list(rules = synth_rules(1, list(c(1, 0, 0, 0, 0, 0)), 20, 25, 1)),
      list(rules = synth_rules(0, c(1, 0, 0, 0, 0, 0), 20, 25, 1)),
      list(control = c(1e3, 1e3, 30, 1e-3)),
      list(control = 1:5)), function(a) do.call(synth_args, a))),
  zh_design_totals = list(
    list(c(1L, 2L, NA, 4L), c(1, 2, 3, 0), c(1L, 1L, 2L, 2L), 2L, NULL, 4L),
    list(c(1L, 2L, NA, 4L), c(1, 2, 3, 0), NULL, 0L, matrix(runif(12), 4), 4L),
    list(integer(), numeric(), integer(), 0L, NULL, 1L),
    list(c(1L, 5L), c(1, 1), NULL, 0L, NULL, 4L),                  # a code outside the table
    list(c(1L, 2L), c(1, 1), c(1L, 3L), 2L, NULL, 4L),             # a unit outside
    list(c(1L, 2L), c(1, NaN), NULL, 0L, NULL, 4L),
    list(c(1L, 2L), c(1, 1), NULL, 0L, matrix(1, 3, 2), 4L),       # replicate rows differ
    list(c(1L, 2L), c(1, 1), NULL, NA_integer_, NULL, 0L)),
  zh_design_sums = list(
    list(cbind(1, c(1, NA, 3)), c(1, 2, 3), c(1L, 2L, 2L), 2L, NULL),
    list(cbind(1, c(1, NA, 3)), c(1, 2, 3), NULL, 0L, matrix(runif(6), 3)),
    list(matrix(numeric(), 0, 2), numeric(), integer(), 0L, NULL),
    list(cbind(1, 2), 1, 5L, 2L, NULL),                            # a unit outside
    list(cbind(1, 2), c(1, 2), NULL, 0L, NULL),
    list(1:3, c(1, 2, 3), NULL, 0L, NULL)),
  zh_describe_cols = c(
    lapply(1:5, function(meth) {
      list(desc_cols, NULL, c(0, 5, 25, 50, 75, 100), meth, FALSE, FALSE, 1L)
    }),
    lapply(1:5, function(meth) {                              # brackets, several threads
      list(desc_big, NULL, c(1, 5, 25, 50, 75, 95, 99), meth, FALSE, FALSE, 2L)
    }),
    list(
      list(desc_big, NULL, seq(2, 98, by = 6), 1L, FALSE, FALSE, 2L),  # more than 15
      list(desc_big, runif(3e4), c(25, 50, 75), 1L, FALSE, TRUE, 2L),  # sorted, weighted
      list(desc_cols, c(runif(59), NA), c(10, 50, 90), 2L, FALSE, TRUE, 1L),
      list(desc_cols, rep(c(0, 0.4, 1.7), 20), c(10, 50, 90), 3L, FALSE, FALSE, 1L),
      list(list(rep_len(c(1, 2, 3, 4, 5, NA), 60)), runif(60), c(1, 50, 99), 1L, TRUE, FALSE,
           1L),                                               # grouped, outside the midpoints
      list(list(rep_len(c(1, 2, 3, 4, 5), 3e4)), NULL, c(25, 50, 75), 1L, FALSE, FALSE, 1L),
      list(list(rep(NA_real_, 60), c(Inf, desc_cols[[1]][-1])), NULL, c(25, 50), 1L, FALSE,
           TRUE, 1L),                                         # all missing, infinite
      list(list(c(-Inf, rnorm(3e4 - 1))), NULL, c(25, 50), 1L, FALSE, FALSE, 1L),
      list(desc_cols, rep(0, 60), c(25, 50), 1L, FALSE, TRUE, 1L),   # zero weights
      list(desc_cols, NULL, numeric(), 1L, FALSE, FALSE, 1L), # moments only
      list(list(numeric()), NULL, c(25, 50), 1L, FALSE, TRUE, 1L),   # zero rows
      list(list(), NULL, c(25, 50), 1L, FALSE, FALSE, 1L),    # no column
      list(list(1, 2), NULL, 50, 1L, FALSE, TRUE, 1L),        # one row
      list(list(1:3), NULL, 50, 1L, FALSE, FALSE, 1L),        # refused: integer column
      list(list(c(1, 2), c(1, 2, 3)), NULL, 50, 1L, FALSE, FALSE, 1L),  # lengths differ
      list(desc_cols, runif(3), 50, 1L, FALSE, FALSE, 1L),    # weights too short
      # extreme scales: blocks summed again in powers of two (1e300, 1e-300,
      # a range past the largest double, subnormals, weights of 1e-300)
      list(list(c(rnorm(59), NA) * 1e300, rexp(60) * 1e-300, c(-1.5e308, 1.5e308, rnorm(58)),
                c(5e-324, 1e-310, rep(0, 58))), NULL, c(25, 50), 1L, FALSE, FALSE, 1L),
      list(list(c(rnorm(59), NA) * 1e300, rexp(60) * 1e-300), c(rep(1e-300, 30), runif(30)),
           c(25, 50), 1L, FALSE, TRUE, 1L),
      list(lapply(desc_big, function(x) x * 1e300), NULL, c(25, 50, 75), 1L, FALSE, FALSE, 2L),
      list(list(c(rep(0, 5000), rep(1e300, 5000), rnorm(5000) * 1e-300)), runif(15000),
           c(25, 50), 1L, FALSE, FALSE, 1L),
      list(desc_cols, NULL, c(50, 101), 1L, FALSE, FALSE, 1L), # refused: percentile
      list(desc_cols, NULL, NaN, 1L, FALSE, FALSE, 1L),
      list(desc_cols, NULL, 50L, 1L, FALSE, FALSE, 1L),
      list(desc_cols, NULL, 50, NA_integer_, NA, NA, NA_integer_))),
  zh_means_groups = list(
    list(desc_cols[[1]], NULL, codes(60, 3, na = 1), 3L),
    list(desc_cols[[2]], runif(60), codes(60, 4), 4L),
    list(rnorm(2e5) + 1e9, c(NA, runif(2e5 - 1)), codes(2e5, 5, na = 1), 5L),
    list(rnorm(2e4) * 1e300, NULL, codes(2e4, 5, na = 1), 5L),  # extreme scales
    list(c(rnorm(30) * 1e-300, rnorm(30) * 1e300), c(rep(1e-300, 30), runif(30)), codes(60, 3),
         3L),
    list(c(-1.5e308, 1.5e308, 0, 1, 2, 3), NULL, c(1L, 1L, 2L, 2L, 1L, 2L), 2L),
    list(c(1, 2, 3, Inf), NULL, c(1L, 7L, -1L, 2L), 3L),     # codes outside 1..K
    list(c(1, NA, 3), rep(0, 3), 1:3, 3L),                   # zero weights
    list(numeric(), NULL, integer(), 1L),                    # zero rows
    list(1:3, NULL, 1:3, 3L),                                # refused: integer y
    list(c(1, 2, 3), NULL, c(1, 2, 3), 3L),                  # refused: double codes
    list(c(1, 2, 3), NULL, 1:2, 3L),                         # lengths differ
    list(c(1, 2, 3), c(1, 1), 1:3, 3L),
    list(c(1, 2, 3), NULL, 1:3, 0L),
    list(c(1, 2, 3), NULL, 1:3, NA_integer_)),
  zh_fisher_rxc = list(
    list(matrix(c(3L, 1L, 4L, 1L, 5L, 9L), 2), 0, c(1e8, 2^28), NULL),
    list(matrix(c(3L, 1L, 4L, 1L, 5L, 9L, 2L, 6L, 5L), 3), 0, c(1e8, 2^28), NULL),
    list(matrix(c(3L, 1L, 4L, 1L, 5L, 9L, 2L, 6L, 5L), 3), 200, c(0, 0), NULL),   # Monte Carlo
    list(matrix(c(2L, 1L, 1L, 2L, 1L, 2L), 3), 0, c(1e8, 2^28), NULL),              # transposed
    list(matrix(rep(c(8L, 3L, 5L, 2L, 7L), 5), 5), 0, c(1e4, 2^28), NULL),          # work limit: NA
    list(matrix(rep(c(8L, 3L, 5L, 2L, 7L), 5), 5), 50, c(0, 0), NULL),
    list(matrix(c(4L, 0L, 2L, 0L, 0L, 0L), 2), 0, c(1e8, 2^28), NULL),             # empty row and columns
    list(matrix(0L, 2, 2), 0, c(1e8, 2^28), NULL),
    list(matrix(0L, 2, 2), 10, c(0, 0), NULL),
    list(matrix(c(1L, 2L, 3L), 1), 0, c(1e8, 2^28), NULL),                          # one row
    list(matrix(c(1L, 2L, 3L), 1), 10, c(0, 0), NULL),
    list(matrix(5L, 1, 1), 0, c(1e8, 2^28), NULL),
    list(matrix(integer(), 0, 0), 0, c(1e8, 2^28), NULL),
    list(matrix(integer(), 0, 3), 10, c(0, 0), NULL),
    list(matrix(c(600000L, 400001L, 3L, 4L), 2), 0, c(1e8, 2^28), NULL),            # past the exact limit
    list(matrix(c(600000L, 400001L, 3L, 4L), 2), 20, c(0, 0), NULL),
    list(matrix(c(2000000000L, 2000000000L, 1L, 1L), 2), 0, c(1e8, 2^28), NULL),  # refused: total
    list(matrix(c(1L, NA, 3L, 4L), 2), 0, c(1e8, 2^28), NULL),
    list(matrix(c(1L, -1L, 3L, 4L), 2), 0, c(1e8, 2^28), NULL),
    list(matrix(c(1, 2, 3, 4), 2), 0, c(1e8, 2^28), NULL),
    list(1:4, 0, c(1e8, 2^28), NULL),
    list(matrix(1:4, 2), NA_real_, c(1e8, 2^28), NULL),
    list(matrix(1:4, 2), -1, c(1e8, 2^28), NULL),
    list(matrix(1:4, 2), 0, c(NaN, 1), NULL),
    list(matrix(1:4, 2), "a", c(1e8, 2^28), NULL),
    list(matrix(1:4, 2), 0, 1e8, NULL),                              # refused: one limit
    list(matrix(1:4, 2), 0, c(1e8, 2^28), "a"),                      # refused: progress
    list(matrix(rep(c(8L, 3L, 5L, 2L, 7L), 5), 5), 0, c(3e6, 2^20), NULL),  # memory limit
    list(matrix(rep(c(8L, 3L, 5L, 2L, 7L), 5), 5), 0, c(3e6, 2^28),
         function(f) NULL),                                          # progress calls
    list(rbind(rep(1L, 5000), rep(1L, 5000)), 0, c(1e5, 2^26), NULL),  # 5000 columns
    list(rbind(rep(1L, 5000), rep(2L, 5000)), 3, c(0, 0), NULL),
    list(matrix(c(3L, 1L, 4L, 1L, 5L, 9L), 2), 0, c(1e8, 100), NULL)),
  zh_threads_used = list(list(1L), list(64L), list(NA_integer_), list(-3L), list("a"), list(NULL))
)

unknown_entry_points <- character()
for (name in routines) {
  argsets <- known[[name]]
  if (is.null(argsets)) {
    # an entry point this script does not know yet: its own checks must
    # refuse junk without touching memory they should not, and the run
    # fails until it has real inputs here
    n_args <- getDLLRegisteredRoutines("zhetysu")$.Call[[name]]$numParameters
    junk <- list(NULL, integer(), 1L, NA_real_, "a", list())
    argsets <- lapply(junk, function(j) rep(list(j), n_args))
    unknown_entry_points <- c(unknown_entry_points, name)
    cat(sprintf("%s: not known to this script, junk arguments only\n", name))
  }
  for (a in argsets) invisible(do.call(call_entry, c(list(name), a)))
  cat(sprintf("%s: %d calls\n", name, length(argsets)))
}

# Every exported function through the wrappers.
problems <- if (length(unknown_entry_points)) {
  paste("entry point without inputs in tools/valgrind-entry-points.R:", unknown_entry_points)
} else {
  character()
}
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
