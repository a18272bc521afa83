#' Pearson sufficient statistics
#'
#' A `zh_cor_stats` object holds what Pearson correlations are computed
#' from, for k variables, as k x k matrices with the variable names as
#' dimnames, over the cases complete for each pair (pairwise deletion) or
#' for all variables (listwise):
#'
#' * `n[i, j]`: the (weighted) number of cases;
#' * `mean[i, j]`: the mean of variable i over the cases complete for
#'   (i, j) (not symmetric);
#' * `ss[i, j]`: the sum of squares of variable i about `mean[i, j]` over
#'   those cases (not symmetric);
#' * `cp[i, j]`: the sum of `(x_i - mean[i, j]) (x_j - mean[j, i])` over
#'   those cases (symmetric).
#'
#' Then `r[i, j] = cp[i, j] / sqrt(ss[i, j] * ss[j, i])`. [cor_matrix()]
#' turns such an object into the correlation matrix with its N, p-values and
#' intervals, whoever computed the sums: the package's own Pearson engine
#' (whose result keeps them in `stats`), a database query or a survey
#' design. A pair with fewer than 3 cases, or where a variable has no
#' variance, gets `NA` with the reason.
#'
#' @param n,mean,ss,cp Numeric k x k matrices (see above), with the same
#'   dimnames (the variable names).
#' @param weighted Whether `n` is a sum of case weights.
#' @param use `"pairwise"` or `"listwise"`: how the cases were chosen (kept
#'   for the printed notes).
#' @return An object of class `zh_cor_stats`: a list with `n`, `mean`, `ss`,
#'   `cp`, `weighted` and `use`.
#' @seealso [cor_matrix()].
#' @export
#' @examples
#' cm <- cor_matrix(mtcars, c(mpg, wt, hp))
#' st <- cm$stats
#' st$cp["mpg", "wt"] / sqrt(st$ss["mpg", "wt"] * st$ss["wt", "mpg"])
#' cor_matrix(st)$r
#'
#' # sufficient statistics computed elsewhere (here by hand, listwise)
#' x <- mtcars[c("mpg", "wt")]
#' k <- ncol(x)
#' m <- matrix(colMeans(x), k, k, dimnames = list(names(x), names(x)))
#' cen <- scale(x, scale = FALSE)
#' ss <- matrix(colSums(cen^2), k, k, dimnames = dimnames(m))
#' own <- zh_cor_stats(n = matrix(32, k, k, dimnames = dimnames(m)), mean = m, ss = ss,
#'                     cp = crossprod(cen), use = "listwise")
#' cor_matrix(own)$r
zh_cor_stats <- function(n, mean, ss, cp, weighted = FALSE, use = c("pairwise", "listwise")) {
  use <- zh_match_arg(use, "use")
  for (a in c("n", "mean", "ss", "cp")) {
    if (do.call(missing, list(as.name(a)))) {
      zh_abort(sprintf("`%s` is missing: give a square numeric matrix.", a), "input")
    }
  }
  args <- list(n = n, mean = mean, ss = ss, cp = cp)
  dn <- dimnames(n)
  for (a in names(args)) {
    x <- args[[a]]
    if (!is.numeric(x) || !is.matrix(x) || nrow(x) != ncol(x) || nrow(x) < 2L) {
      zh_abort(sprintf("`%s` must be a square numeric matrix of at least 2 variables, not %s.",
                       a, zh_describe(x)), "input")
    }
    if (!identical(dim(x), dim(n))) {
      zh_abort(sprintf("`%s` must have the dimensions of `n` (%d x %d), not %d x %d.", a,
                       nrow(n), ncol(n), nrow(x), ncol(x)), "input")
    }
  }
  if (is.null(dn) || is.null(dn[[1]]) || !identical(dn[[1]], dn[[2]])) {
    zh_abort("`n` must have the variable names as row and column names.", "input")
  }
  if (any(n < 0, na.rm = TRUE) || any(ss < 0, na.rm = TRUE)) {
    zh_abort("`n` and `ss` must not be negative.", "input")
  }
  fix <- function(x) {
    x <- matrix(as.double(x), nrow(n), dimnames = list(dn[[1]], dn[[1]]))
    x
  }
  structure(list(n = fix(n), mean = fix(mean), ss = fix(ss), cp = fix(cp),
                 weighted = isTRUE(weighted), use = use), class = "zh_cor_stats")
}

# r and the reason codes of zh_cor_build() from sufficient statistics.
zh_cor_from_stats <- function(st, tails, conf_level, p_adjust) {
  ssx <- st$ss
  ssy <- t(st$ss)
  # one root at a time: ss of 1e150s multiply to 1e600 (and of 1e-150s to 0)
  r <- st$cp / sqrt(ssx) / sqrt(ssy)
  r <- pmin(pmax(r, -1), 1)
  reason <- matrix(0L, nrow(r), ncol(r))
  const <- !(ssx > 0) | !(ssy > 0)
  const[is.na(const)] <- TRUE
  reason[const] <- 2L
  reason[!(st$n >= 3) | is.na(st$n)] <- 1L
  r[reason > 0] <- NA_real_
  diag(r)[diag(reason) == 0L] <- 1
  vars <- rownames(st$n)
  zh_cor_build(r, st$n, "pearson", reason = reason, vars = vars, labels = vars, use = st$use,
               tails = tails, conf_level = conf_level, p_adjust = p_adjust,
               weighted = st$weighted)
}

#' @export
print.zh_cor_stats <- function(x, ...) {
  cat(sprintf("<zh_cor_stats> Pearson sufficient statistics of %d variables (%s)%s\n",
              nrow(x$n), x$use, if (x$weighted) ", weighted" else ""))
  invisible(x)
}
