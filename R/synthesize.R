#' Synthesize survey microdata that reproduce published aggregates
#'
#' Builds a data frame of respondents whose marginal counts are exactly the
#' ones given and whose two-way statistics (Pearson and likelihood-ratio
#' chi-squares, Pearson correlations, whole tables) and linear rules on
#' cross-tabulation cells meet the targets. It starts from a random draw with
#' the exact marginals; a C routine then runs simulated annealing over swaps
#' of one variable's values between two respondents, which keep every
#' marginal exact, and updates every statistic incrementally in constant time
#' per move. The search stops as soon as every target is met.
#'
#' @section Targets:
#' * `chisq`: a data frame with columns `x`, `y` and `statistic`, and
#'   optionally `type` (`"pearson"`, the default, or `"lr"` for the
#'   likelihood ratio \eqn{G^2}) and `tolerance` (relative, default `0.01`).
#'   A named numeric vector is short for Pearson chi-squares of the named
#'   variables against `outcome`.
#' * `cor`: a symmetric correlation matrix with the variables as dimnames
#'   (`NA` where there is no target), or a data frame with columns `x`, `y`,
#'   `r` and optionally `tolerance` (absolute, default `0.005`). Correlations
#'   use the scores of the categories: the values of numeric variables, the
#'   level positions of factors (so that a correlation with an ordered factor
#'   is the square root of the linear-by-linear statistic over \eqn{N - 1}).
#' * `tables`: a list of two-way tables of counts with named dimnames, the
#'   row variable first. The row variable must have no other target: it is
#'   assigned at random within the levels of the column variable after the
#'   search, which reproduces the table exactly. A variable whose targets and
#'   rules all involve one other variable is solved the same way, on its own
#'   first (a small search over its table), because it would only slow down
#'   the joint search.
#' * `rules`: a list of linear inequalities on the cells of one
#'   cross-tabulation, each a list with `x`, `y` (variable names), `weights`
#'   (a matrix with one row per level of `x` and one column per level of `y`),
#'   `lower` and/or `upper`, and an optional `name`. The rule holds when
#'   `lower <= sum(weights * table(x, y)) <= upper`. Counts of implausible
#'   combinations (`upper = 0`), shares (at least 90% of one group in some
#'   categories) and orderings of group means (mean of `y` in one group above
#'   that of another: the weights are the scores of `y` divided by the group
#'   sizes) are all of this form.
#'
#' Each target scores \eqn{((v - t) / (\mathrm{tolerance}/2))^2}; a broken
#' rule adds a penalty that grows with its violation. The search aims at
#' `control$aim` times each tolerance (default 0.9), so that what it reports
#' met is met with a margin. A target that the margins make impossible (a
#' chi-square above \eqn{N (k - 1)}, a likelihood ratio above \eqn{2N} times
#' the smaller entropy, a correlation outside the range of the sorted
#' arrangements) is refused before the search. The search makes at most
#' `control$max_moves` moves, each in constant time, and shows a progress bar
#' when it runs for more than two seconds.
#'
#' @param margins A named list with one element per variable: a named vector
#'   of counts, the names being the categories. When every name is a number
#'   (`c("1" = 20, "2" = 50)`) the column is numeric with those values;
#'   otherwise it is a factor with the names as levels, in the order given.
#'   Every element must sum to the same number of respondents.
#' @param chisq,cor,tables,rules Targets; see the section Targets.
#' @param outcome The variable the chi-squares of a named `chisq` vector are
#'   taken against.
#' @param ordered Names of the factor variables that are ordered factors
#'   (`TRUE` for all of them).
#' @param seed An integer seed (a whole number of at most 2147483647 in
#'   absolute value) for a reproducible result, or `NULL` to use the
#'   current state of R's random number generator. With a seed, the caller's
#'   random number stream is left as it was.
#' @param control A list of search settings: `max_moves` (default `5e7`),
#'   `cycle` (moves per cooling cycle, default `1e7`; the temperature falls
#'   geometrically from `t_start = 30` to `t_end = 0.001` and starts again),
#'   `check_every` (moves between full checks and interrupt checks, default
#'   `4096`) and `aim` (default `0.9`).
#'
#' @return A data frame with one row per respondent and one column per
#'   variable, with attributes `fit` (a data frame with one row per target or
#'   rule: `type`, `x`, `y`, `name`, `target`, `lower`, `upper`, `achieved`,
#'   `met`, computed from the returned data) and `synthesis` (a list with
#'   `moves`, `accepted`, `passed` and `seed`). It warns when the search ends
#'   before every target is met.
#' @seealso [repatriates], built with this function.
#' @export
#' @examples
#' margins <- list(
#'   sex = c(Male = 45, Female = 55),
#'   age = c("18-39" = 40, "40-59" = 35, "60+" = 25),
#'   score = c("1" = 20, "2" = 30, "3" = 30, "4" = 20),
#'   other = c("1" = 25, "2" = 50, "3" = 25)
#' )
#' rules <- list(list(x = "age", y = "score", name = "the young score higher",
#'   weights = rbind(1:4 / 40, 0, -(1:4) / 25), lower = 0.3))
#' x <- synthesize_survey(margins,
#'   chisq = c(sex = 6, age = 20), outcome = "score",
#'   cor = data.frame(x = "score", y = "other", r = 0.3),
#'   rules = rules, ordered = "age", seed = 1)
#' head(x)
#' attr(x, "fit")
#' chisq.test(table(x$age, x$score))$statistic
synthesize_survey <- function(margins, chisq = NULL, cor = NULL, tables = NULL, rules = NULL,
                              outcome = NULL, ordered = NULL, seed = NULL, control = list()) {
  spec <- zh_synth_margins(margins)
  vars <- names(spec)
  ctl <- zh_synth_control(control)
  tables <- zh_synth_tables(tables, spec)
  spec <- tables$spec
  targets <- rbind(zh_synth_chisq(chisq, outcome, spec),
                   zh_synth_cor(cor, spec))
  rules <- zh_synth_rules(rules, spec)
  all_targets <- targets
  all_rules <- rules
  spec <- zh_synth_ordered(ordered, spec)
  zh_synth_unique_targets(targets)
  for (s in names(tables$tables)) {
    if (length(zh_synth_partners(s, targets, rules))) {
      zh_abort(sprintf(paste0("`tables` gives the whole table of `%s`, so `%s` can have no ",
                              "other target or rule."), s, s), "target")
    }
  }

  if (!is.null(seed)) {
    if (!is.numeric(seed) || length(seed) != 1L || is.na(seed) || !is.finite(seed) ||
        seed != round(seed) || abs(seed) > .Machine$integer.max) {
      zh_abort(sprintf(paste0("`seed` must be a whole number between -2147483647 and ",
                              "2147483647, or NULL, not %s."), zh_describe(seed)), "seed")
    }
    old <- if (exists(".Random.seed", globalenv(), inherits = FALSE)) {
      get(".Random.seed", globalenv(), inherits = FALSE)
    }
    on.exit(if (is.null(old)) {
      rm(".Random.seed", envir = globalenv())
    } else {
      assign(".Random.seed", old, envir = globalenv())
    }, add = TRUE)
    set.seed(seed)
  }

  n <- sum(spec[[1]]$counts)
  tabs <- tables$tables
  main_vars <- setdiff(names(spec), names(tabs))
  # Variables tied to one other variable only are solved on their own.
  for (s in zh_synth_satellites(main_vars, targets, rules)) {
    y <- zh_synth_partner(s, targets, rules)
    keep_t <- (targets$x == s | targets$y == s)
    keep_r <- vapply(rules, function(r) s %in% c(r$x, r$y), logical(1))
    sub <- zh_synth_run(spec[c(s, y)], n, targets[keep_t, , drop = FALSE],
                        rules[keep_r], ctl)
    tab <- table(factor(sub$codes[[1]], seq_along(spec[[s]]$levels)),
                 factor(sub$codes[[2]], seq_along(spec[[y]]$levels)))
    dimnames(tab) <- stats::setNames(list(spec[[s]]$levels, spec[[y]]$levels), c(s, y))
    tabs[[s]] <- list(table = unclass(tab), y = y, solved = sub)
    targets <- targets[!keep_t, , drop = FALSE]
    rules <- rules[!keep_r]
    main_vars <- setdiff(main_vars, s)
  }
  main <- zh_synth_run(spec[main_vars], n, targets, rules, ctl)
  codes <- stats::setNames(main$codes, main_vars)
  for (s in names(tabs)) {
    codes[[s]] <- zh_synth_assign(tabs[[s]]$table, codes[[tabs[[s]]$y]])
  }

  out <- lapply(names(spec), function(v) zh_synth_column(spec[[v]], codes[[v]]))
  out <- as.data.frame(stats::setNames(out, names(spec)), stringsAsFactors = FALSE)
  fit <- zh_synth_fit(out, spec, all_targets, all_rules, tabs)
  passed <- all(fit$met)
  attr(out, "fit") <- fit
  attr(out, "synthesis") <- list(
    moves = main$moves + sum(vapply(tabs, function(t) if (is.null(t$solved)) 0 else t$solved$moves, 0)),
    accepted = main$accepted, passed = passed, seed = seed)
  if (!passed) {
    zh_warn(sprintf(paste0("The search stopped after %s moves with %d of %d targets and rules ",
                           "not met; see `attr(x, \"fit\")` and raise `control$max_moves`."),
                    zh_fmt(main$moves, "int"), sum(!fit$met), nrow(fit)), "synthesis")
  }
  out
}

# ---- argument checks --------------------------------------------------------

zh_synth_margins <- function(margins) {
  if (!is.list(margins) || is.data.frame(margins) || length(margins) == 0L) {
    zh_abort(sprintf("`margins` must be a non-empty named list of count vectors, not %s.",
                     zh_describe(margins)), "margins")
  }
  nm <- names(margins)
  if (is.null(nm) || anyNA(nm) || any(nm == "") || anyDuplicated(nm)) {
    zh_abort("`margins` must have unique, non-empty names (the variable names).", "margins")
  }
  spec <- list()
  for (v in nm) {
    x <- margins[[v]]
    arg <- sprintf("margins$%s", v)
    if (is.table(x)) x <- stats::setNames(as.vector(x), names(x))
    if (!is.numeric(x) || !is.null(dim(x)) || length(x) < 1L) {
      zh_abort(sprintf("`%s` must be a named vector of non-negative whole counts, not %s.",
                       arg, zh_describe(x)), "margins")
    }
    if (anyNA(x) || any(x < 0) || any(x != round(x)) || any(is.infinite(x))) {
      zh_abort(sprintf("`%s` must hold non-negative whole counts, not %s.", arg,
                       paste(format(x[is.na(x) | x < 0 | x != round(x) | is.infinite(x)]),
                             collapse = ", ")), "margins")
    }
    if (sum(x) > 1e8) {
      zh_abort(sprintf("`%s` must describe at most 1e8 respondents, not %s.", arg, zh_fmt(sum(x), "int")),
               "margins")
    }
    lev <- names(x)
    if (is.null(lev) || anyNA(lev) || any(lev == "") || anyDuplicated(lev)) {
      zh_abort(sprintf("`%s` must name its categories, each once.", arg), "margins")
    }
    num <- suppressWarnings(as.numeric(lev))
    numeric <- !anyNA(num)
    if (numeric && anyDuplicated(num)) {
      d <- lev[num == num[anyDuplicated(num)]]
      zh_abort(sprintf(paste0("`%s` names categories that are the same number: %s. ",
                              "Name each value once."), arg,
                       paste0("\"", d, "\"", collapse = " and ")), "margins")
    }
    spec[[v]] <- list(levels = lev, counts = as.integer(x), numeric = numeric,
                      scores = if (numeric) num else as.numeric(seq_along(lev)),
                      ordered = FALSE)
  }
  sums <- vapply(spec, function(s) sum(as.double(s$counts)), numeric(1))
  if (any(sums != sums[1])) {
    bad <- which(sums != sums[1])[1]
    zh_abort(sprintf(paste0("`margins` must all sum to the same number of respondents: ",
                            "`margins$%s` sums to %.0f, but `margins$%s` sums to %.0f."),
                     nm[bad], sums[bad], nm[1], sums[1]), "margins")
  }
  if (sums[1] < 2) {
    zh_abort(sprintf("`margins` must describe at least 2 respondents, not %s.", zh_fmt(sums[1], "int")),
             "margins")
  }
  spec
}

zh_synth_control <- function(control) {
  if (!is.list(control)) {
    zh_abort(sprintf("`control` must be a list, not %s.", zh_describe(control)), "control")
  }
  def <- list(max_moves = 5e7, cycle = 1e7, t_start = 30, t_end = 0.001, check_every = 4096,
              aim = 0.9)
  unknown <- setdiff(names(control), names(def))
  if (length(unknown) || (length(control) && is.null(names(control)))) {
    zh_abort(sprintf("`control` has unknown setting%s %s; the settings are %s.",
                     if (length(unknown) > 1L) "s" else "",
                     paste0("`", if (length(unknown)) unknown else "", "`", collapse = ", "),
                     paste0("`", names(def), "`", collapse = ", ")), "control")
  }
  def[names(control)] <- control
  for (k in names(def)) {
    x <- def[[k]]
    if (!is.numeric(x) || length(x) != 1L || is.na(x) || x <= 0 || is.infinite(x)) {
      zh_abort(sprintf("`control$%s` must be a positive number, not %s.", k, zh_describe(x)),
               "control")
    }
  }
  if (def$t_end >= def$t_start) {
    zh_abort("`control$t_end` must be below `control$t_start`.", "control")
  }
  if (def$aim > 1) zh_abort("`control$aim` must be at most 1.", "control")
  def
}

zh_synth_var <- function(v, spec, arg) {
  if (!is.character(v) || length(v) != 1L || is.na(v)) {
    zh_abort(sprintf("`%s` must name variables as strings, not %s.", arg, zh_describe(v)),
             "column")
  }
  if (!v %in% names(spec)) {
    zh_abort(sprintf("`%s` refers to `%s`, which is not a variable of `margins`.", arg, v),
             "column")
  }
  v
}

zh_synth_tol <- function(df, default, arg) {
  tol <- if (is.null(df$tolerance)) rep(default, nrow(df)) else df$tolerance
  if (!is.numeric(tol) || anyNA(tol) || any(tol <= 0)) {
    zh_abort(sprintf("`%s$tolerance` must be positive numbers.", arg), "target")
  }
  tol
}

zh_synth_empty_targets <- function() {
  data.frame(type = character(), x = character(), y = character(), target = numeric(),
             tolerance = numeric(), stringsAsFactors = FALSE)
}

zh_synth_chisq <- function(chisq, outcome, spec) {
  if (is.null(chisq)) return(zh_synth_empty_targets())
  if (is.numeric(chisq) && is.null(dim(chisq))) {
    if (is.null(names(chisq)) || any(names(chisq) == "")) {
      zh_abort("`chisq` given as a vector must name the variable of each chi-square.", "target")
    }
    if (is.null(outcome)) {
      zh_abort("`outcome` must name the variable the chi-squares in `chisq` are taken against.",
               "target")
    }
    outcome <- zh_synth_var(outcome, spec, "outcome")
    chisq <- data.frame(x = names(chisq), y = outcome, statistic = unname(chisq),
                        stringsAsFactors = FALSE)
  }
  if (!is.data.frame(chisq) || !all(c("x", "y", "statistic") %in% names(chisq))) {
    zh_abort(sprintf(paste0("`chisq` must be a named numeric vector or a data frame with ",
                            "columns `x`, `y` and `statistic`, not %s."), zh_describe(chisq)),
             "target")
  }
  x <- vapply(as.character(chisq$x), zh_synth_var, "", spec = spec, arg = "chisq")
  y <- vapply(as.character(chisq$y), zh_synth_var, "", spec = spec, arg = "chisq")
  if (any(x == y)) zh_abort("`chisq` pairs a variable with itself.", "target")
  type <- if (is.null(chisq$type)) rep("pearson", nrow(chisq)) else as.character(chisq$type)
  if (anyNA(type) || !all(type %in% c("pearson", "lr"))) {
    zh_abort("`chisq$type` must be \"pearson\" or \"lr\".", "target")
  }
  st <- chisq$statistic
  if (!is.numeric(st) || anyNA(st) || any(st < 0)) {
    zh_abort("`chisq$statistic` must be non-negative numbers.", "target")
  }
  tol <- zh_synth_tol(chisq, 0.01, "chisq")
  for (k in seq_along(x)) {
    top <- zh_synth_chisq_max(spec[[x[k]]]$counts, spec[[y[k]]]$counts, type[k])
    if (st[k] * (1 - tol[k]) > top * (1 + 1e-12)) {
      zh_abort(sprintf(paste0("`chisq` asks for %s = %s between `%s` and `%s`, but their ",
                              "margins allow at most %s: the target cannot be reached."),
                       if (type[k] == "lr") "a likelihood ratio" else "a chi-square",
                       format(st[k]), x[k], y[k], format(signif(top, 6))), "target")
    }
  }
  data.frame(type = ifelse(type == "lr", "lr", "chisq"), x = unname(x), y = unname(y),
             target = st, tolerance = tol * st, stringsAsFactors = FALSE)
}

# The largest chi-square two variables with these margins can have: N (k - 1)
# for Pearson (k the smaller number of non-empty categories), 2 N times the
# smaller entropy for the likelihood ratio (the mutual information is at
# most either entropy).
zh_synth_chisq_max <- function(a, b, type) {
  a <- a[a > 0]
  b <- b[b > 0]
  n <- sum(a)
  if (type == "lr") {
    h <- function(v) -sum(v / n * log(v / n))
    return(2 * n * min(h(a), h(b)))
  }
  n * (min(length(a), length(b)) - 1)
}

# The range of Pearson's r for two variables with these margins and scores:
# the comonotone (largest) and antitone (smallest) arrangements.
zh_synth_cor_range <- function(sa, na, sb, nb) {
  sa <- zh_synth_unit(sa)
  sb <- zh_synth_unit(sb)
  pair_r <- function(sa, na, sb, nb) {
    # the k-th case in the order of a meets the k-th case in the order of b
    cuts <- sort(unique(c(cumsum(na), cumsum(nb))))
    len <- diff(c(0, cuts))
    ia <- findInterval(cuts - 0.5, c(0, cumsum(na)))
    ib <- findInterval(cuts - 0.5, c(0, cumsum(nb)))
    x <- sa[ia]
    y <- sb[ib]
    mx <- sum(len * x) / sum(len)
    my <- sum(len * y) / sum(len)
    sum(len * (x - mx) * (y - my)) /
      sqrt(sum(len * (x - mx)^2)) / sqrt(sum(len * (y - my)^2))
  }
  oa <- order(sa)
  ob <- order(sb)
  c(pair_r(sa[oa], na[oa], rev(sb[ob]), rev(nb[ob])), pair_r(sa[oa], na[oa], sb[ob], nb[ob]))
}

# Scores times an exact power of two, the largest below 1 in magnitude.
zh_synth_unit <- function(s) {
  m <- max(abs(s[is.finite(s)]), 0)
  if (m > 0) zh_ldexp(s, -zh_pow2(m)) else s
}

zh_synth_cor <- function(cor, spec) {
  if (is.null(cor)) return(zh_synth_empty_targets())
  if (is.matrix(cor)) {
    dn <- dimnames(cor)
    if (!is.numeric(cor) || nrow(cor) != ncol(cor) || is.null(dn[[1]]) ||
        !identical(dn[[1]], dn[[2]])) {
      zh_abort("`cor` must be a square numeric matrix with the variable names as row and column names.",
               "target")
    }
    for (v in dn[[1]]) zh_synth_var(v, spec, "cor")
    if (any(abs(cor - t(cor)) > 1e-12, na.rm = TRUE) || any(is.na(cor) != t(is.na(cor)))) {
      zh_abort("`cor` must be symmetric.", "target")
    }
    if (any(abs(diag(cor) - 1) > 1e-12, na.rm = TRUE)) {
      zh_abort("`cor` must have ones on its diagonal.", "target")
    }
    zh_synth_psd(cor)
    idx <- which(lower.tri(cor) & !is.na(cor), arr.ind = TRUE)
    cor <- data.frame(x = dn[[1]][idx[, 2]], y = dn[[1]][idx[, 1]], r = cor[idx],
                      stringsAsFactors = FALSE)
  }
  if (!is.data.frame(cor) || !all(c("x", "y", "r") %in% names(cor))) {
    zh_abort(sprintf(paste0("`cor` must be a correlation matrix or a data frame with columns ",
                            "`x`, `y` and `r`, not %s."), zh_describe(cor)), "target")
  }
  x <- vapply(as.character(cor$x), zh_synth_var, "", spec = spec, arg = "cor")
  y <- vapply(as.character(cor$y), zh_synth_var, "", spec = spec, arg = "cor")
  if (any(x == y)) zh_abort("`cor` pairs a variable with itself.", "target")
  r <- cor$r
  if (!is.numeric(r) || anyNA(r) || any(abs(r) > 1)) {
    zh_abort("`cor$r` must be numbers between -1 and 1.", "target")
  }
  for (v in unique(c(x, y))) {
    if (sum(spec[[v]]$counts > 0) < 2) {
      zh_abort(sprintf("`cor` targets a correlation with `%s`, which has only one category.", v),
               "target")
    }
  }
  tol <- zh_synth_tol(cor, 0.005, "cor")
  for (k in seq_along(x)) {
    sa <- spec[[x[k]]]
    sb <- spec[[y[k]]]
    rng <- zh_synth_cor_range(sa$scores, sa$counts, sb$scores, sb$counts)
    if (r[k] + tol[k] < rng[1] - 1e-12 || r[k] - tol[k] > rng[2] + 1e-12) {
      zh_abort(sprintf(paste0("`cor` asks for r = %s between `%s` and `%s`, but their margins ",
                              "allow only %s to %s: the target cannot be reached."),
                       format(r[k]), x[k], y[k], zh_fmt(rng[1], "stat", 4L),
                       zh_fmt(rng[2], "stat", 4L)), "target")
    }
  }
  data.frame(type = rep("r", length(x)), x = unname(x), y = unname(y), target = r,
             tolerance = tol, stringsAsFactors = FALSE)
}

# A correlation matrix must be positive semi-definite; with missing targets,
# every fully given principal submatrix must be.
zh_synth_psd <- function(m) {
  full <- !apply(is.na(m), 1, any)
  sub <- if (all(full)) m else m[full, full, drop = FALSE]
  if (nrow(sub) < 2L) return(invisible())
  ev <- min(eigen(sub, symmetric = TRUE, only.values = TRUE)$values)
  if (ev < -1e-8) {
    zh_abort(sprintf(paste0("`cor` must be a possible correlation matrix (positive ",
                            "semi-definite), but its smallest eigenvalue is %s."),
                     format(signif(ev, 3))), "target")
  }
  invisible()
}

zh_synth_tables <- function(tables, spec) {
  if (is.null(tables)) return(list(spec = spec, tables = list()))
  if (!is.list(tables) || is.data.frame(tables)) {
    zh_abort(sprintf("`tables` must be a list of two-way tables, not %s.", zh_describe(tables)),
             "target")
  }
  out <- list()
  for (k in seq_along(tables)) {
    tab <- tables[[k]]
    dn <- dimnames(tab)
    if (!(is.matrix(tab) || is.table(tab)) || length(dim(tab)) != 2L || !is.numeric(tab) ||
        length(names(dn)) != 2L || any(names(dn) == "") || is.null(dn[[1]]) ||
        is.null(dn[[2]])) {
      zh_abort(sprintf(paste0("`tables[[%d]]` must be a two-way table of counts whose dimnames ",
                              "are named by its two variables."), k), "target")
    }
    if (anyNA(tab) || any(tab < 0) || any(tab != round(tab))) {
      zh_abort(sprintf("`tables[[%d]]` must hold non-negative whole counts.", k), "target")
    }
    x <- names(dn)[1]
    y <- zh_synth_var(names(dn)[2], spec, sprintf("tables[[%d]]", k))
    if (!identical(dn[[2]], spec[[y]]$levels) ||
        !identical(as.integer(colSums(tab)), spec[[y]]$counts)) {
      zh_abort(sprintf(paste0("`tables[[%d]]` must have the categories of `%s` as columns, ",
                              "with the counts of `margins$%s` as column sums."), k, y, y),
               "target")
    }
    rs <- stats::setNames(as.integer(rowSums(tab)), dn[[1]])
    if (x %in% names(spec)) {
      if (!identical(names(rs), spec[[x]]$levels) || !identical(unname(rs), spec[[x]]$counts)) {
        zh_abort(sprintf("`tables[[%d]]` has row sums that differ from `margins$%s`.", k, x),
                 "target")
      }
    } else {
      spec[[x]] <- zh_synth_margins(stats::setNames(list(rs), x))[[1]]
    }
    if (x %in% names(out)) {
      zh_abort(sprintf("`tables` gives more than one table for `%s`.", x), "target")
    }
    out[[x]] <- list(table = matrix(as.integer(tab), nrow(tab), dimnames = dn), y = y)
  }
  list(spec = spec, tables = out)
}

zh_synth_rules <- function(rules, spec) {
  if (is.null(rules) || length(rules) == 0L) return(list())
  if (!is.list(rules) || is.data.frame(rules)) {
    zh_abort(sprintf("`rules` must be a list of rules, not %s.", zh_describe(rules)), "rule")
  }
  out <- vector("list", length(rules))
  for (k in seq_along(rules)) {
    r <- rules[[k]]
    arg <- sprintf("rules[[%d]]", k)
    if (!is.list(r) || is.null(r$x) || is.null(r$y) || is.null(r$weights)) {
      zh_abort(sprintf("`%s` must be a list with `x`, `y` and `weights`.", arg), "rule")
    }
    x <- zh_synth_var(r$x, spec, arg)
    y <- zh_synth_var(r$y, spec, arg)
    if (x == y) zh_abort(sprintf("`%s` pairs a variable with itself.", arg), "rule")
    w <- r$weights
    d <- c(length(spec[[x]]$levels), length(spec[[y]]$levels))
    if (!is.numeric(w) || !is.matrix(w) || !identical(dim(w), d) || anyNA(w) ||
        any(is.infinite(w))) {
      zh_abort(sprintf("`%s$weights` must be a finite numeric matrix of %d rows (`%s`) and %d columns (`%s`).",
                       arg, d[1], x, d[2], y), "rule")
    }
    lo <- if (is.null(r$lower)) -Inf else r$lower
    hi <- if (is.null(r$upper)) Inf else r$upper
    if (!is.numeric(lo) || !is.numeric(hi) || length(lo) != 1L || length(hi) != 1L ||
        is.na(lo) || is.na(hi) || lo > hi || (is.infinite(lo) && is.infinite(hi))) {
      zh_abort(sprintf("`%s` must have a `lower` and/or `upper` bound, `lower` <= `upper`.", arg),
               "rule")
    }
    name <- if (is.null(r$name)) sprintf("rule %d", k) else as.character(r$name)[1]
    out[[k]] <- list(x = x, y = y, weights = w, lower = lo, upper = hi, name = name)
  }
  out
}

zh_synth_ordered <- function(ordered, spec) {
  if (is.null(ordered)) return(spec)
  factors <- names(spec)[!vapply(spec, `[[`, logical(1), "numeric")]
  if (isTRUE(ordered)) ordered <- factors
  if (!is.character(ordered) || anyNA(ordered)) {
    zh_abort(sprintf("`ordered` must name factor variables or be `TRUE`, not %s.",
                     zh_describe(ordered)), "column")
  }
  for (v in ordered) {
    zh_synth_var(v, spec, "ordered")
    if (!v %in% factors) {
      zh_abort(sprintf("`ordered` names `%s`, which is numeric, not a factor.", v), "column")
    }
    spec[[v]]$ordered <- TRUE
  }
  spec
}

zh_synth_unique_targets <- function(targets) {
  key <- paste(targets$type, pmin(targets$x, targets$y), pmax(targets$x, targets$y))
  if (anyDuplicated(key)) {
    d <- targets[anyDuplicated(key), ]
    zh_abort(sprintf("More than one target of the same kind for `%s` and `%s`.", d$x, d$y),
             "target")
  }
  invisible()
}

# ---- search ------------------------------------------------------------------

zh_synth_partners <- function(v, targets, rules) {
  t <- c(targets$y[targets$x == v], targets$x[targets$y == v])
  r <- unlist(lapply(rules, function(r) if (r$x == v) r$y else if (r$y == v) r$x))
  unique(c(t, r))
}

zh_synth_partner <- function(v, targets, rules) zh_synth_partners(v, targets, rules)[1]

zh_synth_satellites <- function(vars, targets, rules) {
  out <- character()
  for (v in vars) {
    p <- zh_synth_partners(v, targets, rules)
    if (length(p) == 1L && p %in% vars && !p %in% out &&
        length(setdiff(zh_synth_partners(p, targets, rules), out)) > 1L) {
      out <- c(out, v)
    }
  }
  out
}

# Draws the start (exact marginals, random order) and runs the C search.
zh_synth_run <- function(spec, n, targets, rules, ctl) {
  vars <- names(spec)
  codes <- lapply(spec, function(s) sample(rep.int(seq_along(s$counts), s$counts)))
  # scores in units of a power of two above their largest: r does not change,
  # and scores of 1e300 (1e-300) neither overflow nor vanish in its sums
  scores <- lapply(spec, function(s) zh_synth_unit(as.double(s$scores)))
  idx <- function(v) match(v, vars) - 1L
  tt <- targets[targets$type %in% c("chisq", "lr"), , drop = FALSE]
  key <- function(x, y) paste(x, y, sep = "\r")
  pair_x <- character()
  pair_y <- character()
  add_pair <- function(x, y) {
    hit <- which((pair_x == x & pair_y == y) | (pair_x == y & pair_y == x))
    if (length(hit)) return(hit[1])
    pair_x <<- c(pair_x, x)
    pair_y <<- c(pair_y, y)
    length(pair_x)
  }
  tt_pair <- mapply(add_pair, tt$x, tt$y)
  rule_pair <- vapply(rules, function(r) add_pair(r$x, r$y), integer(1))
  np <- length(pair_x)
  x2_t <- x2_tol <- g2_t <- g2_tol <- rep(NA_real_, np)
  for (k in seq_len(nrow(tt))) {
    p <- tt_pair[k]
    if (tt$type[k] == "chisq") {
      x2_t[p] <- tt$target[k]
      x2_tol[p] <- tt$tolerance[k] * ctl$aim
    } else {
      g2_t[p] <- tt$target[k]
      g2_tol[p] <- tt$tolerance[k] * ctl$aim
    }
  }
  weights <- lapply(seq_along(rules), function(k) {
    r <- rules[[k]]
    w <- r$weights
    # a rule is kept on its table as stored (rows = the table's first variable)
    if (pair_x[rule_pair[k]] != r$x) w <- t(w)
    as.double(w)
  })
  unit <- vapply(weights, function(w) {
    m <- max(abs(w))
    if (m > 0) m else 1
  }, numeric(1))
  ct <- targets[targets$type == "r", , drop = FALSE]
  res <- .Call(zh_synthesize, unname(codes), unname(scores),
    list(a = idx(pair_x), b = idx(pair_y), x2_target = as.double(x2_t),
         x2_tol = as.double(x2_tol), g2_target = as.double(g2_t), g2_tol = as.double(g2_tol)),
    list(a = idx(ct$x), b = idx(ct$y), target = as.double(ct$target),
         tol = as.double(ct$tolerance * ctl$aim)),
    list(pair = as.integer(rule_pair - 1L), weights = weights,
         lower = vapply(rules, function(r) as.double(r$lower), 0),
         upper = vapply(rules, function(r) as.double(r$upper), 0), unit = as.double(unit)),
    as.double(c(ctl$max_moves, ctl$cycle, ctl$t_start, ctl$t_end, ctl$check_every)),
    zh_synth_progress(ctl$max_moves))
  res$codes <- stats::setNames(res$codes, vars)
  res
}

# A progress bar for a long search (cli shows it after two seconds): C
# calls the function with the number of moves made, about every 2^20 moves.
# It lives in the caller's frame, so that it closes when the search ends.
zh_synth_progress <- function(max_moves, env = parent.frame()) {
  if (max_moves < 2^21) return(NULL)
  bar <- cli::cli_progress_bar("Synthesizing (moves)", total = max_moves, .envir = env)
  function(moves) cli::cli_progress_update(id = bar, set = moves, .envir = env)
}

# Assigns the row variable of `tab` at random within the levels of the
# column variable, which reproduces the table exactly.
zh_synth_assign <- function(tab, ycodes) {
  out <- integer(length(ycodes))
  for (j in seq_len(ncol(tab))) {
    who <- which(ycodes == j)
    vals <- rep.int(seq_len(nrow(tab)), tab[, j])
    out[who] <- vals[sample.int(length(vals))]
  }
  out
}

zh_synth_column <- function(s, codes) {
  if (s$numeric) {
    v <- s$scores[codes]
    if (all(s$scores == round(s$scores)) && all(abs(s$scores) < .Machine$integer.max)) {
      v <- as.integer(v)
    }
    return(v)
  }
  factor(s$levels[codes], levels = s$levels, ordered = s$ordered)
}

# ---- achieved fit --------------------------------------------------------------

zh_synth_fit <- function(data, spec, targets, rules, tables) {
  # a numeric column by its values (its text may differ from the margin's
  # names: "1e300" is written 1e+300)
  code <- function(v) {
    s <- spec[[v]]
    if (isTRUE(s$numeric)) match(as.double(data[[v]]), s$scores) else
      match(as.character(data[[v]]), s$levels)
  }
  num <- function(v) spec[[v]]$scores[code(v)]
  tab <- function(x, y) {
    table(factor(code(x), seq_along(spec[[x]]$levels), spec[[x]]$levels),
          factor(code(y), seq_along(spec[[y]]$levels), spec[[y]]$levels))
  }
  achieved <- vapply(seq_len(nrow(targets)), function(k) {
    x <- targets$x[k]
    y <- targets$y[k]
    switch(targets$type[k],
      r = stats::cor(zh_synth_unit(num(x)), zh_synth_unit(num(y))),  # base cor() of 1e300s overflows
      zh_synth_chisq_stat(tab(x, y), targets$type[k]))
  }, numeric(1))
  fit <- data.frame(type = targets$type, x = targets$x, y = targets$y,
                    name = rep(NA_character_, nrow(targets)),
                    target = targets$target, lower = targets$target - targets$tolerance,
                    upper = targets$target + targets$tolerance, achieved = achieved,
                    stringsAsFactors = FALSE)
  if (length(rules)) {
    val <- vapply(rules, function(r) sum(r$weights * tab(r$x, r$y)), numeric(1))
    fit <- rbind(fit, data.frame(
      type = "rule", x = vapply(rules, `[[`, "", "x"), y = vapply(rules, `[[`, "", "y"),
      name = vapply(rules, `[[`, "", "name"), target = NA_real_,
      lower = vapply(rules, `[[`, 0, "lower"), upper = vapply(rules, `[[`, 0, "upper"),
      achieved = val, stringsAsFactors = FALSE))
  }
  for (s in names(tables)) {
    if (!is.null(tables[[s]]$solved)) next
    y <- tables[[s]]$y
    diff <- max(abs(tab(s, y) - tables[[s]]$table))
    fit <- rbind(fit, data.frame(type = "table", x = s, y = y, name = NA_character_,
                                 target = 0, lower = 0, upper = 0, achieved = diff,
                                 stringsAsFactors = FALSE))
  }
  eps <- 1e-9 * pmax(1, abs(fit$achieved))
  fit$met <- fit$achieved >= fit$lower - eps & fit$achieved <= fit$upper + eps
  fit
}

zh_synth_chisq_stat <- function(tab, type) {
  tab <- tab[rowSums(tab) > 0, colSums(tab) > 0, drop = FALSE]
  e <- outer(rowSums(tab), colSums(tab)) / sum(tab)
  if (type == "chisq") return(sum((tab - e)^2 / e))
  pos <- tab > 0
  2 * sum(tab[pos] * log(tab[pos] / e[pos]))
}
