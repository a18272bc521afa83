#' The published tables of the study
#'
#' The numbers printed in the paper, as data frames, so that a report
#' quotes each published number from one place. Files live in the package's
#' `extdata` folder; `data-raw/published.R` in the source repository made
#' them from the paper's tables (en dashes replaced by ASCII hyphens).
#'
#' * `"table1"`: Table 1, socio-demographic characteristics (N = 787):
#'   `variable`, `category`, `n`, `percent` (two percentages are not printed
#'   in the paper and are `NA`).
#' * `"table2"`: Table 2, each socio-demographic factor against the sense of
#'   belonging: `factor`, `statistic` (Pearson chi-square), `df`,
#'   `p_reported` (as printed), `interpretation`.
#' * `"table3"`, `"table3_stars"`: Table 3, the lower triangle of Pearson
#'   correlations between ten items, and the significance marks printed
#'   beside them.
#' * `"legal_status"`: the legal-status analysis (Pearson, likelihood ratio,
#'   linear-by-linear p).
#' * `"intext_correlations"`: correlations quoted in the text with their p.
#'
#' @param name Which table.
#' @return A data frame.
#' @export
#' @examples
#' published_table("table2")
#' published_table("intext_correlations")
published_table <- function(name = c("table1", "table2", "table3", "table3_stars",
                                     "legal_status", "intext_correlations")) {
  name <- zh_match_arg(name, "name")
  path <- system.file("extdata", paste0(name, ".csv"), package = "zhetysu")
  if (!nzchar(path)) {
    zh_abort(sprintf("`name`: the published table \"%s\" is not installed.", name), "input")
  }
  utils::read.csv(path, stringsAsFactors = FALSE, colClasses = zh_published_classes(name),
                  check.names = FALSE)
}

# p-values as printed must stay character (".406", "<0.001").
zh_published_classes <- function(name) {
  switch(name,
    table2 = c(p_reported = "character"),
    legal_status = c(p_reported = "character"),
    intext_correlations = c(p_reported = "character"),
    table3 = NA, table3_stars = "character", NA)
}
