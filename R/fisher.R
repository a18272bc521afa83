# Fisher's exact test for tables larger than 2 x 2 (crosstab(fisher = ...)).
# The engine is src/fisher.c: an exact network enumeration while it stays
# within a work limit, and Monte Carlo tables with the observed margins
# otherwise.

# Units of work (column vectors visited plus partial tables carried) the
# exact enumeration may spend before it gives up: a few seconds at most.
zh_fisher_work <- 1e8

# `tab` is a double matrix of counts without empty rows or columns.
# Returns list(p_value, note): note a list of zh_note() codes.
fisher_rxc <- function(tab, fisher = TRUE, B = 10000, work = zh_fisher_work) {
  args <- zh_fisher_args(fisher, B)
  mode <- args$mode
  B <- args$B
  if (mode == "none") return(list(p_value = NA_real_, note = list()))
  counts <- zh_fisher_counts(tab)
  if (mode != "simulate") {
    p <- .Call(zh_fisher_rxc, counts, 0, work)
    if (!is.na(p)) return(list(p_value = p, note = list()))
    if (mode == "exact") {
      zh_abort(sprintf(paste0(
        "`fisher = \"exact\"` is not feasible for this %d x %d table with %s cases: ",
        "the exact enumeration exceeds its work limit. Use `fisher = TRUE` or ",
        "`fisher = \"simulate\"` for a Monte Carlo p."),
        nrow(tab), ncol(tab), format(sum(counts), big.mark = ",")), "fisher")
    }
    note <- list(zh_note("fisher_not_feasible", B = B, where = "table"))
  } else {
    note <- list(zh_note("fisher_monte_carlo", B = B, where = "table"))
  }
  list(p_value = .Call(zh_fisher_rxc, counts, B, 0), note = note)
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
