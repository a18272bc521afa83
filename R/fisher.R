# Fisher's exact test for tables larger than 2 x 2 (crosstab(fisher = ...)).
# The engine is src/fisher.c: an exact network enumeration while it stays
# within a work limit, and Monte Carlo tables with the observed margins
# otherwise.

# What the exact enumeration may spend before it gives up, in units of work
# (column vectors visited, partial tables carried and sorted) and bytes of
# scratch memory. `fisher = TRUE` decides with a small budget, about a
# tenth of a second, and simulates past it (fisher.test() too stops at its
# workspace); `fisher = "exact"` spends up to the larger one, with a progress
# bar. Memory is bounded as well as time: a 2 x 30 table of 3000 cases
# would otherwise carry gigabytes of partial tables.
zh_fisher_limits <- list(auto = c(work = 3e6, memory = 64 * 2^20),
                         exact = c(work = 3e8, memory = 2^30))

# `tab` is a double matrix of counts without empty rows or columns.
# Returns list(p_value, note).
fisher_rxc <- function(tab, fisher = TRUE, B = 10000, limits = NULL) {
  args <- zh_fisher_args(fisher, B)
  mode <- args$mode
  B <- args$B
  if (mode == "none") return(list(p_value = NA_real_, note = character()))
  counts <- zh_fisher_counts(tab)
  if (mode != "simulate") {
    if (is.null(limits)) limits <- zh_fisher_limits[[if (mode == "exact") "exact" else "auto"]]
    p <- zh_fisher_exact(counts, limits, progress = mode == "exact")
    if (!is.na(p)) return(list(p_value = as.vector(p), note = character()))
    if (mode == "exact") {
      zh_abort(sprintf(paste0(
        "`fisher = \"exact\"` is not feasible for this %d x %d table with %s cases: ",
        "the exact enumeration exceeds its work or memory limit. Use `fisher = TRUE` or ",
        "`fisher = \"simulate\"` for a Monte Carlo p."),
        nrow(tab), ncol(tab), format(sum(counts), big.mark = ",")), "fisher")
    }
    note <- sprintf(paste0("Fisher's exact test: the exact p is not feasible for this table; ",
                           "Monte Carlo p from %s random tables."), zh_format_count(B))
  } else {
    note <- sprintf("Fisher's exact test: Monte Carlo p from %s random tables.",
                    zh_format_count(B))
  }
  list(p_value = zh_fisher_simulate(counts, B), note = note)
}

# The decision: the exact p within `limits` (work units, bytes), or NA when
# the search would spend more; attribute "used" says what it spent, never
# more than the limits (plus one allocation). Tables above 1e6 cases are
# not tried.
zh_fisher_exact <- function(counts, limits, progress = FALSE) {
  bar <- NULL
  cb <- NULL
  if (progress) {
    bar <- cli::cli_progress_bar("Fisher's exact test (work limit)", total = 100,
                                 .envir = environment())
    cb <- function(f) cli::cli_progress_update(id = bar, set = min(100, 100 * f))
  }
  .Call(zh_fisher_rxc, counts, 0, as.double(limits[c("work", "memory")]), cb)
}

# Monte Carlo p from B random tables, (1 + hits) / (B + 1), in blocks of
# about 2^24 cells so that a progress bar can follow long runs (cli shows it
# after two seconds). The random number stream does not depend on the blocks.
zh_fisher_simulate <- function(counts, B) {
  per <- max(1, floor(2^24 / length(counts)))
  sizes <- c(rep(per, B %/% per), B %% per)
  sizes <- sizes[sizes > 0]
  bar <- if (length(sizes) > 1L) {
    cli::cli_progress_bar("Fisher's exact test (Monte Carlo)", total = B,
                          .envir = environment())
  }
  hits <- 0
  for (b in sizes) {
    hits <- hits + .Call(zh_fisher_rxc, counts, b, c(0, 0), NULL)
    if (!is.null(bar)) cli::cli_progress_update(id = bar, inc = b)
  }
  (1 + hits) / (B + 1)
}

zh_format_count <- function(x) format(x, big.mark = ",", scientific = FALSE, trim = TRUE)

# Checks crosstab()'s `fisher` and `B`; mode is "none" (FALSE), "auto"
# (TRUE: exact where feasible), "exact" or "simulate".
zh_fisher_args <- function(fisher, B) {
  list(mode = zh_fisher_mode(fisher), B = zh_fisher_B(B))
}

zh_fisher_mode <- function(fisher) {
  if (isFALSE(fisher)) return("none")
  if (isTRUE(fisher)) return("auto")
  if (is.character(fisher) && length(fisher) == 1L && !is.na(fisher) &&
      fisher %in% c("exact", "simulate")) {
    return(fisher)
  }
  zh_abort(sprintf("`fisher` must be `TRUE`, `FALSE`, \"exact\" or \"simulate\", not %s.",
                   zh_describe(fisher)), "input")
}

zh_fisher_B <- function(B) {
  if (!is.numeric(B) || length(B) != 1L || is.na(B) || !is.finite(B) || B < 1 ||
      B != round(B) || B > 1e9) {
    zh_abort(sprintf("`B` must be a whole number between 1 and 1e9, not %s.", zh_describe(B)),
             "input")
  }
  as.double(B)
}

zh_fisher_counts <- function(tab) {
  if (any(abs(tab - round(tab)) > 1e-8 * pmax(1, abs(tab)))) {
    zh_abort(paste0("`fisher` needs integer cell counts, but the weighted counts are not ",
                    "whole numbers: use `count = \"round\"` (the SPSS default) or ",
                    "`\"truncate\"`."), "fisher")
  }
  if (sum(tab) > .Machine$integer.max) {
    zh_abort(sprintf("`fisher` needs a table with fewer than 2^31 cases, not %s.",
                     zh_format_count(sum(tab))), "fisher")
  }
  counts <- round(tab)
  storage.mode(counts) <- "integer"
  dimnames(counts) <- NULL
  counts
}
