# SPSS CROSSTABS /CELLS=PROP and BPROP: within each row, pairwise z-tests of
# the column proportions f_ij / c_j, and the subscript letters SPSS prints.
# A column whose proportion in the row is 0 or 1 is left out of that row's
# comparisons. BPROP multiplies each p by the number of comparisons in the
# row, k (k - 1) / 2 over the k columns compared there.
zh_col_props <- function(tab, bonferroni = FALSE, alpha = 0.05) {
  cs <- colSums(tab)
  nr <- nrow(tab)
  nc <- ncol(tab)
  rows <- vector("list", nr)
  letters_m <- matrix("", nr, nc, dimnames = dimnames(tab))
  excluded <- matrix(FALSE, nr, nc, dimnames = dimnames(tab))
  for (i in seq_len(nr)) {
    p <- tab[i, ] / cs
    use <- which(cs > 0 & p > 0 & p < 1)
    excluded[i, ] <- !seq_len(nc) %in% use
    k <- length(use)
    m <- k * (k - 1) / 2
    if (k >= 2L) {
      pr <- utils::combn(use, 2L)
      j <- pr[1, ]
      h <- pr[2, ]
      pbar <- (tab[i, j] + tab[i, h]) / (cs[j] + cs[h])
      z <- (p[j] - p[h]) / sqrt(pbar * (1 - pbar) * (1 / cs[j] + 1 / cs[h]))
      pv <- 2 * stats::pnorm(-abs(z))
      padj <- if (bonferroni) pmin(1, m * pv) else pv
      rows[[i]] <- data.frame(row = rownames(tab)[i], col1 = colnames(tab)[j],
                              col2 = colnames(tab)[h], z = unname(z), p_value = unname(pv),
                              p_adjusted = unname(padj), stringsAsFactors = FALSE)
      sig <- padj < alpha
      letters_m[i, ] <- zh_subset_letters(nc, use, j[sig], h[sig])
    } else if (k == 1L) {
      letters_m[i, use] <- "a"
    }
  }
  pairs <- do.call(rbind, rows)
  if (is.null(pairs)) {
    pairs <- data.frame(row = character(), col1 = character(), col2 = character(),
                        z = numeric(), p_value = numeric(), p_adjusted = numeric(),
                        stringsAsFactors = FALSE)
  }
  list(pairs = pairs, letters = letters_m, excluded = excluded, bonferroni = bonferroni)
}

# Subscript letters of one row: the maximal sets of compared columns that
# hold no significantly different pair (maximal cliques of the "not
# different" graph, singletons included), ordered by their members'
# positions, lettered a, b, ...; a cell gets the letters of every set that
# holds its column.
zh_subset_letters <- function(nc, use, sig_j, sig_h) {
  adj <- matrix(FALSE, nc, nc)
  adj[use, use] <- TRUE
  diag(adj) <- FALSE
  adj[cbind(sig_j, sig_h)] <- FALSE
  adj[cbind(sig_h, sig_j)] <- FALSE
  cliques <- list()
  # Bron-Kerbosch with pivoting, iterative: the stack holds (R, P, X)
  stack <- list(list(r = integer(), p = use, x = integer()))
  while (length(stack)) {
    top <- stack[[length(stack)]]
    stack[[length(stack)]] <- NULL
    if (!length(top$p) && !length(top$x)) {
      cliques[[length(cliques) + 1L]] <- sort(top$r)
      next
    }
    px <- c(top$p, top$x)
    pivot <- px[which.max(vapply(px, function(u) sum(adj[u, top$p]), 0))]
    p <- top$p
    x <- top$x
    for (v in setdiff(p, which(adj[pivot, ]))) {
      nb <- which(adj[v, ])
      stack[[length(stack) + 1L]] <- list(r = c(top$r, v), p = intersect(p, nb),
                                          x = intersect(x, nb))
      p <- setdiff(p, v)
      x <- c(x, v)
    }
  }
  key <- vapply(cliques, function(s) paste(sprintf("%06d", s), collapse = " "), "")
  cliques <- cliques[order(key)]
  out <- character(nc)
  for (s in seq_along(cliques)) {
    lab <- zh_letter(s)
    for (v in cliques[[s]]) out[v] <- if (nzchar(out[v])) paste0(out[v], ",", lab) else lab
  }
  out
}

# a, b, ..., z, aa, ab, ... for tables with more than 26 subsets
zh_letter <- function(i) {
  out <- character()
  while (i > 0) {
    out <- c(letters[(i - 1) %% 26 + 1], out)
    i <- (i - 1) %/% 26
  }
  paste(out, collapse = "")
}

# Two-sided normal p-values of the adjusted standardized residuals, with
# the Bonferroni adjustment over all R x C cells on request.
zh_adj_residual_p <- function(adj, bonferroni = FALSE) {
  p <- 2 * stats::pnorm(-abs(adj))
  if (bonferroni) p[] <- pmin(1, length(adj) * p)
  p
}

# The `statistics` argument of crosstab(): SPSS's extra families by their
# subcommand names.
zh_statistics_choices <- c("cmh", "mcnemar", "prop", "bprop")

zh_check_statistics <- function(statistics) {
  if (is.null(statistics) || !length(statistics)) return(character())
  if (!is.character(statistics) || anyNA(statistics) || !all(statistics %in% zh_statistics_choices)) {
    zh_abort(sprintf("`statistics` must be a subset of %s, not %s.",
                     paste0("\"", zh_statistics_choices, "\"", collapse = ", "),
                     zh_describe(statistics)), "input")
  }
  unique(statistics)
}

zh_check_null_or <- function(null_or) {
  if (!is.numeric(null_or) || length(null_or) != 1L || is.na(null_or) || !is.finite(null_or) ||
      null_or <= 0) {
    zh_abort(sprintf("`null_or` must be one positive number, not %s.", zh_describe(null_or)),
             "input")
  }
  as.double(null_or)
}

# The two-way families of a crosstab's table (after empty categories are
# dropped): McNemar, column proportions, residual p-values.
zh_crosstab_extras <- function(tab, adj, statistics) {
  out <- list(adj_residual_p = zh_adj_residual_p(adj),
              adj_residual_p_adjusted = zh_adj_residual_p(adj, bonferroni = TRUE))
  if ("mcnemar" %in% statistics) out$mcnemar <- zh_mcnemar(tab)
  if (any(c("prop", "bprop") %in% statistics)) {
    out$col_props <- zh_col_props(tab, bonferroni = "bprop" %in% statistics)
  }
  out
}
