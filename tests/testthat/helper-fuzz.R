# Shared by test-fuzz.R and test-overflow.R: random columns of every type a
# user may hand the package, and the checks that a result is valid.

# Runs `code` with a fixed seed and restores the caller's random state.
with_seed <- function(seed, code) {
  old <- if (exists(".Random.seed", globalenv())) get(".Random.seed", globalenv()) else NULL
  on.exit(if (is.null(old)) rm(".Random.seed", envir = globalenv())
          else assign(".Random.seed", old, envir = globalenv()))
  set.seed(seed)
  code
}

# The package's exported functions (not re-exported generics, not data).
zh_exported_functions <- function() {
  ns <- asNamespace("zhetysu")
  ex <- setdiff(getNamespaceExports("zhetysu"), c("tidy", "glance"))
  ex[vapply(ex, function(f) is.function(get(f, envir = ns)), logical(1))]
}

# sample() that never treats a length-one numeric as 1:x.
pick <- function(v, n) v[sample.int(length(v), n, replace = TRUE)]

fuzz_types <- function() {
  c("factor", "ordered", "numeric", "integer", "character", "logical", "list", "Date",
    if (requireNamespace("haven", quietly = TRUE)) "labelled", "all_na", "one_level", "many_levels")
}

# One random column of length n and the given type, with a random NA pattern.
fuzz_column <- function(n, type = sample(fuzz_types(), 1)) {
  k <- sample(c(1L, 2L, 3L, 5L, 12L), 1)
  x <- switch(type,
    factor = factor(pick(letters[seq_len(k)], n), levels = letters[seq_len(k + sample(0:1, 1))]),
    ordered = factor(pick(seq_len(k), n), levels = seq_len(k), ordered = TRUE),
    numeric = {
      v <- pick(c(-2.5, 0, 1, 3.25, 1e8, -1e-8)[seq_len(min(k, 6L))], n)
      if (n > 0 && runif(1) < 0.3) v[sample(n, 1)] <- sample(c(NaN, Inf, -Inf), 1)
      v
    },
    integer = pick(c(-3L, 0L, 7L, .Machine$integer.max)[seq_len(min(k, 4L))], n),
    character = pick(c("a", "b", "", "\u00e9", "NA")[seq_len(min(k, 5L))], n),
    logical = pick(c(TRUE, FALSE), n),
    list = as.list(pick(seq_len(k), n)),
    Date = as.Date("2020-01-01") + pick(seq_len(k), n),
    labelled = haven::labelled(as.double(pick(seq_len(k), n)),
                               labels = stats::setNames(seq_len(k), paste0("L", seq_len(k)))),
    all_na = rep(sample(list(NA, NA_real_, NA_character_, factor(NA)), 1)[[1]], n),
    one_level = factor(rep("only", n)),
    many_levels = factor(pick(seq_len(1e5), n), levels = seq_len(1e5))
  )
  if (n > 0 && !is.list(x) && runif(1) < 0.5) {
    x[runif(n) < sample(c(0.05, 0.5, 1), 1)] <- NA
  }
  x
}

fuzz_weights <- function(n) {
  kind <- sample(c("none", "ones", "zeros", "some_zero", "na", "negative", "huge", "inf",
                   "fraction", "character", "list", "all_na"), 1)
  switch(kind,
    none = NULL,
    ones = rep(1, n),
    zeros = rep(0, n),
    some_zero = pick(c(0, 1, 2), n),
    na = replace(runif(n, 0, 3), runif(n) < 0.3, NA),
    negative = replace(runif(n), runif(n) < 0.3, -1),
    huge = pick(c(1e15, 1e12, 2^31, 1), n),
    inf = replace(rep(1, n), runif(n) < 0.3, Inf),
    fraction = runif(n, 0, 2),
    character = as.character(rep(1, n)),
    list = as.list(rep(1, n)),
    all_na = rep(NA_real_, n))
}

# A data frame of `ncol` random columns v1.. plus a weight column w (or none).
fuzz_data <- function(n = sample(c(0L, 1L, 2L, 3L, 10L, 50L, 300L), 1), ncol = 3L) {
  cols <- lapply(seq_len(ncol), function(i) fuzz_column(n))
  df <- data.frame(row.names = seq_len(n))
  for (i in seq_len(ncol)) df[[paste0("v", i)]] <- if (is.list(cols[[i]])) I(cols[[i]]) else cols[[i]]
  w <- fuzz_weights(n)
  if (!is.null(w)) df$w <- if (is.list(w)) I(w) else w
  df
}

# ---- one random call per function ----------------------------------------

# One column name, or something that is not one.
fuzz_column_arg <- function(df) {
  cols <- grep("^v", names(df), value = TRUE)
  if (runif(1) < 0.85) return(pick(cols, 1))
  pick(list("nope", NA_character_, 1, 99, c("v1", "v2"), NULL, list("v1"), TRUE, ""), 1)[[1]]
}

fuzz_columns_arg <- function(df) {
  cols <- grep("^v", names(df), value = TRUE)
  if (runif(1) < 0.85) return(cols[seq_len(sample(length(cols), 1))])
  pick(list("nope", character(0), NA_character_, 42, list("v1")), 1)[[1]]
}

fuzz_weights_arg <- function(df) {
  if (runif(1) < 0.1) return(pick(list("v1", "nope", 3, NA), 1)[[1]])
  if ("w" %in% names(df)) "w" else NULL
}

fuzz_describe_data <- function(df) {
  sprintf("<%d rows: %s>", nrow(df), paste(vapply(df, function(x) class(x)[1], ""), collapse = ", "))
}

fuzz_describe_args <- function(args) {
  paste(vapply(names(args), function(a) {
    v <- args[[a]]
    sprintf("%s = %s", a, if (is.data.frame(v)) fuzz_describe_data(v)
            else paste(utils::capture.output(dput(v, control = NULL)), collapse = ""))
  }, ""), collapse = ", ")
}

# Draws one call of `fun`: list(args, validate).
fuzz_case <- function(fun) {
  df <- fuzz_data()
  switch(fun,
    crosstab = {
      if (runif(1) < 0.15) {
        dims <- pick(list(c(0L, 0L), c(1L, 1L), c(1L, 3L), c(2L, 2L), c(3L, 4L), c(2L, 2L, 2L)), 1)[[1]]
        v <- pick(c(0, 1, 2.5, 7, 1e6, 1e12, NA, -1, Inf), prod(dims))
        return(list(args = list(data = as.table(array(v, dims))), validate = valid_crosstab))
      }
      args <- list(data = df, row = fuzz_column_arg(df), col = fuzz_column_arg(df),
                   weights = fuzz_weights_arg(df))
      if (runif(1) < 0.5) {
        args$count <- pick(c("round", "asis", "truncate", "case_round", "case_truncate", "bogus"), 1)
      }
      list(args = args, validate = valid_crosstab)
    },
    cor_matrix = {
      args <- list(data = df, vars = fuzz_columns_arg(df),
                   method = pick(c("pearson", "spearman", "kendall"), 1),
                   use = pick(c("pairwise", "listwise"), 1))
      list(args = args, validate = valid_cor_matrix)
    },
    freq_table = {
      args <- list(data = df, var = fuzz_column_arg(df), weights = fuzz_weights_arg(df))
      list(args = args, validate = function(x) valid_freq_table(x, df, !is.null(args$weights)))
    },
    profile_table = {
      args <- list(data = df, vars = fuzz_columns_arg(df), weights = fuzz_weights_arg(df))
      list(args = args, validate = function(x)
        valid_percent_table(x, c("variable", "category", "n", "percent")))
    },
    association_table = {
      args <- list(data = df, outcome = fuzz_column_arg(df), factors = fuzz_columns_arg(df),
                   weights = fuzz_weights_arg(df))
      list(args = args, validate = valid_association_table)
    },
    check_reported = {
      n <- sample(c(0L, 1L, 3L, 8L), 1)
      x <- data.frame(
        test = pick(c("chisq", "r", "t", "F", "z", "bogus", NA), n),
        statistic = pick(c(0, 0.5, 3.84, 25, -1, NA, Inf, 1e300), n),
        df = pick(c(1, 2, 28, 0, -1, NA, 1.5), n),
        df2 = pick(c(10, 100, NA, 0), n),
        n = pick(c(787, 10, 2, 0, NA), n),
        p_reported = pick(c("<0.001", ".406", "0.055", "p < .05", "", NA, "1.5", "ns"), n),
        stringsAsFactors = FALSE)
      if (runif(1) < 0.15) x <- pick(list(df, "x", NULL, list(a = 1), x[, -1, drop = FALSE]), 1)[[1]]
      list(args = list(x = x), validate = valid_check_reported)
    },
    {
      # any other export, and synthesize_survey(), whose arguments are not
      # part of the shared contract: bad first arguments only
      bad <- pick(list(NULL, NA, "x", -1, list(), list(a = "b"), data.frame(), df, function() 1), 1)[[1]]
      list(args = stats::setNames(list(bad), names(formals(get(fun, asNamespace("zhetysu"))))[1]),
           validate = valid_anything)
    })
}

# Hand-picked shapes that random draws rarely hit.
crosstab_edge_cases <- function() {
  list(
    list(data = data.frame(a = factor(character()), b = factor(character())), row = "a", col = "b"),
    list(data = data.frame(a = "x", b = "y"), row = "a", col = "b"),
    list(data = data.frame(a = factor(rep("x", 5)), b = factor(letters[1:5])), row = "a", col = "b"),
    list(data = data.frame(a = factor(1:3, levels = 1:1e5), b = factor(1:3, levels = 1:1e5)),
         row = "a", col = "b"),
    list(data = data.frame(a = factor(rep(1:2, 50), levels = 1:1e5), b = rep(1:5, 20)),
         row = "a", col = "b"),
    list(data = data.frame(a = as.character(1:1e5), b = rep(1:2, 5e4)), row = "a", col = "b"),
    list(data = data.frame(a = c(1, NaN, 2, 2), b = c(1, 2, 1, 2)), row = "a", col = "b"),
    list(data = data.frame(a = c(1, Inf, 2, 2), b = c(1, 2, 1, 2)), row = "a", col = "b"),
    list(data = data.frame(a = c(NA, NA), b = c(NA, NA)), row = "a", col = "b"),
    list(data = data.frame(a = 1:4, b = c(1, 1, 2, 2), w = c(0, 0, 0, 0)), row = "a", col = "b",
         weights = "w"),
    list(data = data.frame(a = 1:4, b = c(1, 1, 2, 2), w = c(1e300, 1e300, 1, 1)), row = "a",
         col = "b", weights = "w", count = "asis")
  )
}

# Draws `rounds` random calls of `fun`; returns the defects found.
fuzz_run <- function(fun, rounds, seed) {
  f <- get(fun, envir = asNamespace("zhetysu"))
  problems <- character()
  with_seed(seed, for (i in seq_len(rounds)) {
    case <- fuzz_case(fun)
    bad <- fuzz_outcome(fun, function() do.call(f, case$args), case$validate)
    if (!is.null(bad)) {
      problems <- c(problems, sprintf("%s(%s): %s", fun, fuzz_describe_args(case$args), bad))
    }
  })
  unique(problems)
}

# ---- the one contract every call must meet -------------------------------

# Calls `thunk` and returns NULL when it either returned an object accepted
# by `validate` (a function returning NULL or a description of what is
# wrong) or stopped with a "zhetysu_error" whose message names one of the
# arguments of `fun` in backticks. Otherwise a description of the defect.
fuzz_outcome <- function(fun, thunk, validate) {
  args <- names(formals(get(fun, envir = asNamespace("zhetysu"))))
  warned <- character()
  res <- withCallingHandlers(
    tryCatch(list(value = thunk()), error = function(e) list(error = e)),
    warning = function(w) {
      if (!inherits(w, "zhetysu_warning")) warned <<- c(warned, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  if (length(warned)) return(paste("warning:", warned[1]))
  if (!is.null(res$error)) {
    e <- res$error
    msg <- conditionMessage(e)
    if (!inherits(e, "zhetysu_error")) {
      return(sprintf("error without class zhetysu_error: %s", msg))
    }
    named <- regmatches(msg, gregexpr("`[^`]+`", msg))[[1]]
    named <- sub("[$[(].*$", "", gsub("`", "", named))
    if (!any(named %in% args)) {
      return(sprintf("zhetysu_error that names none of the arguments (%s): %s",
                     paste(args, collapse = ", "), msg))
    }
    return(NULL)
  }
  tryCatch(validate(res$value), error = function(e) paste("validation failed:", conditionMessage(e)))
}

in_range <- function(x, lo, hi, tol = 1e-9) all(is.na(x) | (x >= lo - tol & x <= hi + tol))

# Returns NULL or the first problem found.
first_problem <- function(...) {
  checks <- list(...)
  bad <- names(checks)[!vapply(checks, isTRUE, logical(1))]
  if (length(bad)) bad[1] else NULL
}

valid_crosstab <- function(x) {
  if (!inherits(x, "zh_crosstab")) return("not a zh_crosstab")
  ms <- stats::setNames(x$measures$estimate, x$measures$measure)
  unit <- c("Cramer's V", "Contingency Coefficient", "Lambda symmetric", "Lambda row dependent",
            "Lambda column dependent", "Goodman-Kruskal tau row dependent",
            "Goodman-Kruskal tau column dependent", "Uncertainty coefficient symmetric",
            "Uncertainty coefficient row dependent", "Uncertainty coefficient column dependent",
            "Eta row dependent", "Eta column dependent")
  # phi is sqrt(X2 / N) beyond 2 x 2 tables: at most sqrt(min(R, C) - 1)
  q <- min(dim(x$observed))
  phi_max <- if (q == 2L && max(dim(x$observed)) == 2L) 1 else sqrt(max(q - 1, 1))
  signed <- c("Kendall's tau-b", "Kendall's tau-c", "Gamma", "Somers' d symmetric",
              "Somers' d row dependent", "Somers' d column dependent", "Spearman correlation",
              "Pearson's R", "Kappa")
  rk <- x$risk
  out <- first_problem(
    "observed is a numeric matrix" = is.matrix(x$observed) && is.numeric(x$observed),
    "counts add to n" = isTRUE(all.equal(sum(x$observed), x$n, tolerance = 1e-12)),
    "n is non-negative" = length(x$n) == 1L && !is.na(x$n) && x$n >= 0,
    "counts are non-negative" = all(x$observed >= 0),
    "expected adds to n" = x$n == 0 || isTRUE(all.equal(sum(x$expected), x$n, tolerance = 1e-9)),
    "test p in [0, 1]" = in_range(c(x$tests$p_value, x$tests$p_one_sided), 0, 1),
    "test statistics >= 0" = all(is.na(x$tests$statistic) | x$tests$statistic >= 0),
    "measure p in [0, 1]" = in_range(x$measures$p_value, 0, 1),
    "V and the other [0, 1] measures in range" = in_range(ms[unit], 0, 1),
    "signed measures in [-1, 1]" = in_range(ms[signed], -1, 1),
    "phi in range" = in_range(ms[["Phi"]], -1, phi_max),
    "ASEs non-negative" = all(is.na(x$measures$ase) | x$measures$ase >= 0),
    "no NaN statistics" = !any(is.nan(c(x$tests$statistic, x$tests$p_value, ms))),
    "risk rows only for 2 x 2" = nrow(rk) == if (all(dim(x$observed) == 2L)) 3L else 0L,
    "risk: 0 < lower <= estimate <= upper" = all(is.na(rk$estimate) |
      (rk$lower > 0 & rk$lower <= rk$estimate & rk$estimate <= rk$upper)),
    "missing is non-negative" = all(x$missing >= 0)
  )
  if (!is.null(out)) return(out)
  if (length(x$observed) <= 60L) {
    utils::capture.output(print(x), print(summary(x)))
    as.data.frame(x)
    tidy(x)
    glance(x)
  }
  NULL
}

valid_cor_matrix <- function(x) {
  if (!inherits(x, "zh_cor_matrix")) return("not a zh_cor_matrix")
  first_problem(
    "r, n, p are square matrices" = all(vapply(x[c("r", "n", "p")], function(m)
      is.matrix(m) && nrow(m) == ncol(m), logical(1))),
    "|r| <= 1" = in_range(x$r, -1, 1),
    "p in [0, 1]" = in_range(x$p, 0, 1),
    "n non-negative" = all(is.na(x$n) | x$n >= 0),
    "r symmetric" = isTRUE(all.equal(unclass(x$r), t(unclass(x$r)), check.attributes = FALSE)),
    "no NaN" = !any(is.nan(c(x$r, x$p))))
}

valid_percent_table <- function(x, cols) {
  if (!is.data.frame(x)) return("not a data frame")
  if (!all(cols %in% names(x))) return(paste("missing columns:", paste(setdiff(cols, names(x)), collapse = ", ")))
  pc <- intersect(c("percent", "valid_percent", "cumulative_percent"), names(x))
  first_problem(
    "n non-negative" = all(is.na(x$n) | x$n >= 0),
    "percentages in [0, 100]" = all(vapply(pc, function(k) in_range(x[[k]], 0, 100, 1e-6), logical(1))),
    "no NaN" = !any(vapply(c("n", pc), function(k) any(is.nan(x[[k]])), logical(1))))
}

valid_freq_table <- function(x, data, weighted) {
  out <- valid_percent_table(x, c("value", "n", "percent", "valid_percent", "cumulative_percent"))
  if (!is.null(out)) return(out)
  # the categories and the Missing row add to the rows, and so does the Total row
  total <- x$value == "Total" & seq_len(nrow(x)) == nrow(x)
  valid_rows <- nrow(x) - 1L - isTRUE(attr(x, "n_missing") > 0)
  first_problem(
    "unweighted counts add to the number of rows" = weighted || nrow(data) == 0 ||
      (sum(total) == 1L && isTRUE(all.equal(sum(x$n[!total]), nrow(data))) &&
         isTRUE(all.equal(x$n[total], nrow(data)))),
    "cumulative percent never falls" = all(diff(stats::na.omit(x$cumulative_percent)) >= -1e-9),
    # no valid value (SPSS FREQUENCIES): the Missing row holds every case
    "without valid values, only Missing and Total at 100%" = valid_rows > 0 ||
      (identical(x$value, c("Missing", "Total")) && isTRUE(all.equal(x$percent, c(100, 100))) &&
         all(is.na(c(x$valid_percent, x$cumulative_percent))) && x$n[1] == x$n[2]))
}

valid_association_table <- function(x) {
  cols <- c("variable", "statistic", "df", "p_value", "cramers_v", "n", "min_expected", "cells_below_5")
  if (!is.data.frame(x)) return("not a data frame")
  if (!all(cols %in% names(x))) return(paste("missing columns:", paste(setdiff(cols, names(x)), collapse = ", ")))
  first_problem(
    "p in [0, 1]" = in_range(x$p_value, 0, 1),
    "Cramer's V in [0, 1]" = in_range(x$cramers_v, 0, 1),
    "statistic >= 0" = all(is.na(x$statistic) | x$statistic >= 0),
    "n non-negative" = all(is.na(x$n) | x$n >= 0),
    "cells_below_5 non-negative" = all(is.na(x$cells_below_5) | x$cells_below_5 >= 0))
}

valid_check_reported <- function(x) {
  if (!is.data.frame(x)) return("not a data frame")
  if (!all(c("p_computed", "consistent", "decision_error") %in% names(x))) return("missing columns")
  first_problem(
    "p_computed in [0, 1]" = in_range(x$p_computed, 0, 1),
    "consistent is logical" = is.logical(x$consistent),
    "decision_error is logical" = is.logical(x$decision_error))
}

valid_anything <- function(x) NULL
