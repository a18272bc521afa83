# Builds data/repatriates.rda, data/repatriates_codebook.rda and
# inst/extdata/synthesis_targets.csv (every target and rule of the synthesis
# with its bounds and the value achieved, read by the report): synthetic
# microdata reconstructed from the published tables of the Zhetysu survey
# (inst/extdata/table1.csv, table2.csv, table3.csv, table3_stars.csv,
# legal_status.csv) with synthesize_survey(). Run from the package root with
# the package installed:  Rscript data-raw/repatriates.R  (seconds).
library(zhetysu)

ext <- function(f) utils::read.csv(file.path("inst", "extdata", f), stringsAsFactors = FALSE,
                                   colClasses = "character", check.names = FALSE)
t1 <- ext("table1.csv")
t2 <- ext("table2.csv")
t3 <- ext("table3.csv")
stars <- ext("table3_stars.csv")
ls_pub <- ext("legal_status.csv")
N <- 787L

# ---- marginals -----------------------------------------------------------------
# Table 1, in a sensible order of categories (ordered ones from low to high).
published <- function(var, order = NULL) {
  d <- t1[t1$variable == var, ]
  x <- stats::setNames(as.integer(d$n), d$category)
  if (!is.null(order)) x <- x[order]
  stopifnot(sum(x) == N, !anyNA(x))
  x
}
lev_children <- c("No children", "1-2 children", "3-4 children", "More than 4 children")
lev_education <- c("No formal education", "Primary and general secondary education",
                   "Secondary vocational education (college)",
                   "Higher education (bachelor's degree)",
                   "Postgraduate education (master's, doctoral)")
demog <- list(
  gender = published("gender"),
  age_group = published("age"),
  residence = published("residence"),
  marital_status = published("marital"),
  children = published("children", lev_children),
  education = published("education", lev_education),
  employment = published("employment"),
  material = published("material"),
  country = published("country")
)
table2_name <- c(gender = "gender", age_group = "age", residence = "residence",
                 marital_status = "marital", children = "children", education = "education",
                 employment = "employment", material = "material", country = "country")

# The item scales are not published: unimodal, plausible marginals. Higher
# codes mean more (belonging, friends, ...), and for admin and
# discrimination fewer difficulties / less discrimination, so that the
# published positive correlations read naturally.
scale <- function(...) {
  x <- c(...)
  stopifnot(sum(x) == N)
  x
}
items <- list(
  belonging = scale("1" = 95, "2" = 130, "3" = 170, "4" = 235, "5" = 157),
  friends = scale("0" = 120, "1" = 250, "2" = 260, "3" = 157),
  norms = scale("1" = 60, "2" = 180, "3" = 330, "4" = 217),
  leisure = scale("1" = 90, "2" = 170, "3" = 250, "4" = 190, "5" = 87),
  events = scale("1" = 130, "2" = 210, "3" = 240, "4" = 140, "5" = 67),
  ngo = scale("1" = 310, "2" = 240, "3" = 160, "4" = 77),
  services = scale("1" = 70, "2" = 140, "3" = 250, "4" = 220, "5" = 107),
  admin = scale("1" = 110, "2" = 220, "3" = 260, "4" = 197),
  discrimination = scale("1" = 60, "2" = 150, "3" = 250, "4" = 327),
  identity = scale("1" = 40, "2" = 90, "3" = 200, "4" = 260, "5" = 197)
)
# Legal status counts are not published either. With these sizes the
# linear-by-linear statistic has a value with p = .055 (checked below).
legal <- c("Citizen of Kazakhstan" = 520L, "Permanent residence permit" = 190L,
           "Temporary residence permit" = 77L)
margins <- c(demog, items, list(legal_status = legal))
lev <- lapply(margins, names)

# ---- targets -------------------------------------------------------------------
chisq <- data.frame(x = names(table2_name), y = "belonging",
                    statistic = as.numeric(t2$statistic[match(table2_name, t2$factor)]))
stopifnot(!anyNA(chisq$statistic))

# Table 3: tolerance .005, narrowed so that no significance mark can flip.
item_names <- t3$item
R <- as.matrix(sapply(item_names, function(v) as.numeric(t3[[v]])))
dimnames(R) <- list(item_names, item_names)
R[upper.tri(R)] <- t(R)[upper.tri(R)]
cut <- function(p) {
  tq <- stats::qt(1 - p / 2, N - 2)
  tq / sqrt(N - 2 + tq^2)
}
cuts <- c(cut(.05), cut(.01))
ct <- which(lower.tri(R), arr.ind = TRUE)
cors <- data.frame(x = item_names[ct[, 2]], y = item_names[ct[, 1]], r = R[ct])
cors$tolerance <- pmin(0.005, sapply(abs(cors$r), function(r) min(abs(r - cuts))) - 0.0005)
stopifnot(all(cors$tolerance > 0.002))

# Legal status against belonging: Pearson, likelihood ratio, and the
# linear-by-linear statistic (N - 1) r^2 on the level positions, whose r moves
# on a grid of 1 / sqrt(SSx SSy); take the grid point nearest p = .055 and
# make sure it lies within p = .055 +- .003.
sc <- function(x) rep(as.numeric(names(x)), x)
ss <- function(x) sum((x - mean(x))^2)
lx <- rep(1:3, legal)
by <- sc(items$belonging)
k0 <- sum(lx) * sum(by) / N
k1 <- sqrt(ss(lx) * ss(by))
r_p <- function(p) -sqrt(stats::qchisq(1 - p, 1) / (N - 1))   # negative: citizens highest
C <- round(k0 + k1 * r_p(.055))
r_grid <- (C - k0) / k1
p_grid <- stats::pchisq((N - 1) * r_grid^2, 1, lower.tail = FALSE)
stopifnot(abs(p_grid - .055) < .003)
legal_chisq <- data.frame(x = "legal_status", y = "belonging", type = c("pearson", "lr"),
                          statistic = as.numeric(ls_pub$statistic[1:2]))
cors <- rbind(cors, data.frame(x = "legal_status", y = "belonging", r = r_grid,
                               tolerance = 0.45 / k1))

# ---- rules ---------------------------------------------------------------------
W <- function(x, y) matrix(0, length(lev[[x]]), length(lev[[y]]), dimnames = list(lev[[x]], lev[[y]]))
cells <- function(x, y, xl, yl, lower = NULL, upper = NULL, name) {
  w <- W(x, y)
  stopifnot(all(xl %in% lev[[x]]), all(yl %in% lev[[y]]))
  w[xl, yl] <- 1
  list(x = x, y = y, weights = w, lower = lower, upper = upper, name = name)
}
# at least `share` of group `yl` of y falls in categories `xl` of x
share <- function(x, y, xl, yl, share, name) {
  w <- W(x, y)
  w[, yl] <- -share
  w[xl, yl] <- 1 - share
  list(x = x, y = y, weights = w, lower = 0, name = name)
}
# mean belonging of group `hi` of x above that of group `lo` by `gap`
above <- function(x, hi, lo, gap = 0.05, y = "belonging") {
  w <- W(x, y)
  s <- as.numeric(lev[[y]])
  w[hi, ] <- s / margins[[x]][[hi]]
  w[lo, ] <- -s / margins[[x]][[lo]]
  list(x = x, y = y, weights = w, lower = gap,
       name = sprintf("mean %s: %s above %s", y, hi, lo))
}
pairs_above <- function(x, hi, lo, gap = 0.05) {
  g <- expand.grid(hi = hi, lo = lo, stringsAsFactors = FALSE)
  Map(function(h, l) above(x, h, l, gap), g$hi, g$lo)
}
# no dip: each inner category at least 60% of the mean of its neighbours
# (one respondent of slack), so that rows are not two-peaked
no_dips <- function(x, y = "belonging") {
  out <- list()
  k <- length(lev[[y]])
  for (i in lev[[x]]) for (j in 2:(k - 1)) {
    w <- W(x, y)
    w[i, j] <- 1
    w[i, j - 1] <- -0.3
    w[i, j + 1] <- -0.3
    out[[length(out) + 1L]] <- list(x = x, y = y, weights = w, lower = -1,
                                    name = sprintf("no dip: %s, %s = %s", i, y, lev[[y]][j]))
  }
  out
}
a <- lev$age_group
res <- lev$residence
emp <- lev$employment
rules <- c(
  # directions the paper reports
  lapply(1:5, function(k) above("age_group", a[k], a[k + 1], 0.1)),
  pairs_above("residence", res[1:2], res[3:6]),
  pairs_above("residence", res[3:6], res[7:10]),
  pairs_above("country", c("China (PRC)", "Mongolia"), c("Uzbekistan", "Russia")),
  pairs_above("marital_status", "Married", setdiff(lev$marital_status, "Married")),
  lapply(1:3, function(k) above("children", lev_children[k + 1], lev_children[k])),
  pairs_above("employment", c("Employee in the public sector", "Student"),
              setdiff(emp, c("Employee in the public sector", "Student"))),
  pairs_above("education", lev_education[4:5], lev_education[1:2]),
  pairs_above("material", lev$material[5], lev$material[1:2]),
  list(above("legal_status", names(legal)[1], names(legal)[2]),
       above("legal_status", names(legal)[2], names(legal)[3]),
       cells("legal_status", "belonging", names(legal)[3], "5", upper = 3,
             name = "temporary residents rarely fully belong"),
       list(x = "legal_status", y = "belonging", lower = 0,
            name = "temporary residents 'not at all' at least as often as citizens",
            weights = rbind(c(-1 / legal[[1]], 0, 0, 0, 0), 0, c(1 / legal[[3]], 0, 0, 0, 0)))),
  # plausible joint demographics
  list(
    cells("age_group", "employment", a[1:3], "Pensioner", upper = 0, name = "no pensioners under 45"),
    share("age_group", "employment", a[5:6], "Pensioner", 0.9, "90% of pensioners aged 55+"),
    cells("age_group", "employment", "65+", "Pensioner", lower = 11, name = "half of the 65+ pensioners"),
    share("age_group", "employment", a[1:2], "Student", 0.75, "75% of students under 35"),
    cells("age_group", "employment", a[5:6], "Student", upper = 0, name = "no students aged 55+"),
    cells("marital_status", "employment", "Widowed", "Student", upper = 0, name = "no widowed students"),
    cells("age_group", "marital_status", "18-24", "Widowed", upper = 0, name = "no widowed 18-24s"),
    cells("age_group", "marital_status", "18-24", "Divorced", upper = 2, name = "few divorced 18-24s"),
    share("age_group", "marital_status", a[4:6], "Widowed", 0.8, "80% of the widowed aged 45+"),
    share("marital_status", "age_group", "Single (never married)", "18-24", 0.8,
          "80% of 18-24s single"),
    share("children", "age_group", "No children", "18-24", 0.8, "80% of 18-24s childless"),
    cells("age_group", "children", "18-24", lev_children[3:4], upper = 2,
          name = "few 18-24s with 3 or more children"),
    cells("age_group", "children", "25-34", lev_children[4], upper = 10,
          name = "few 25-34s with more than 4 children"),
    share("children", "marital_status", "No children", "Single (never married)", 0.7,
          "70% of singles childless"),
    cells("marital_status", "children", "Married", "No children", upper = 40,
          name = "few married without children"),
    cells("gender", "employment", "Male", "Homemaker", upper = 6, name = "few male homemakers")
  ),
  unlist(lapply(c(names(demog), "legal_status"), no_dips), recursive = FALSE)
)

# ---- search --------------------------------------------------------------------
t0 <- proc.time()[["elapsed"]]
x <- synthesize_survey(
  margins,
  chisq = rbind(cbind(chisq, type = "pearson"), legal_chisq),
  cor = cors, rules = rules,
  ordered = c("age_group", "children", "education", "legal_status"),
  seed = 20240787L,
  control = list(max_moves = 2e8, cycle = 1e7)
)
elapsed <- proc.time()[["elapsed"]] - t0
fit <- attr(x, "fit")
syn <- attr(x, "synthesis")
cat(sprintf("%.0f moves, %.1f s, all targets met: %s\n", syn$moves, elapsed, syn$passed))
stopifnot(syn$passed)

repatriates <- data.frame(id = seq_len(N), x)
attr(repatriates, "fit") <- NULL
attr(repatriates, "synthesis") <- NULL

# ---- codebook ------------------------------------------------------------------
questions <- c(
  gender = "Gender", age_group = "Age group", residence = "Place of residence",
  marital_status = "Marital status", children = "Number of children", education = "Education",
  employment = "Employment status", material = "Material well-being of the household",
  country = "Country of origin",
  stats::setNames(t3$label, t3$item),
  legal_status = "Legal status in Kazakhstan"
)
item_labels <- list(
  belonging = c("not at all", "rather not", "partly", "rather yes", "fully"),
  friends = c("none", "one or two", "three to five", "more than five"),
  norms = c("not at all", "poorly", "fairly well", "very well"),
  leisure = c("never", "rarely", "sometimes", "often", "very often"),
  events = c("never", "rarely", "sometimes", "often", "very often"),
  ngo = c("never", "rarely", "sometimes", "regularly"),
  services = c("very difficult", "rather difficult", "average", "rather easy", "very easy"),
  admin = c("very often", "sometimes", "rarely", "never"),
  discrimination = c("often", "sometimes", "rarely", "never"),
  identity = c("very uncomfortable", "rather uncomfortable", "neutral", "rather comfortable",
               "very comfortable")
)
codebook <- do.call(rbind, lapply(names(margins), function(v) {
  col <- repatriates[[v]]
  codes <- if (is.factor(col)) seq_along(levels(col)) else as.integer(lev[[v]])
  labels <- if (is.factor(col)) levels(col) else item_labels[[v]]
  type <- if (is.ordered(col)) "ordered factor" else if (is.factor(col)) "factor" else "integer"
  source <- if (v %in% names(demog)) "Table 1 (counts), Table 2 (chi-square with belonging)" else
    if (v == "legal_status") "legal-status analysis (chi-square, likelihood ratio, linear-by-linear p)" else
      "Table 3 (correlations); scale chosen for the synthesis"
  data.frame(variable = v, question = unname(questions[v]), type = type, code = codes,
             label = labels, n = as.integer(table(factor(col, levels = if (is.factor(col)) levels(col) else codes))),
             source = source, stringsAsFactors = FALSE)
}))
codebook <- rbind(data.frame(variable = "id", question = "Respondent number (synthetic)",
                             type = "integer", code = NA_integer_, label = NA_character_,
                             n = NA_integer_, source = "row number", stringsAsFactors = FALSE),
                  codebook)
rownames(codebook) <- NULL
repatriates_codebook <- codebook

save(repatriates, file = "data/repatriates.rda", compress = "xz")
save(repatriates_codebook, file = "data/repatriates_codebook.rda", compress = "xz")
tools::resaveRdaFiles("data", compress = "auto")
targets <- fit
targets[c("target", "lower", "upper", "achieved")] <-
  lapply(targets[c("target", "lower", "upper", "achieved")], signif, 10)
utils::write.csv(targets, file.path("inst", "extdata", "synthesis_targets.csv"), row.names = FALSE,
                na = "")
print(fit[fit$type != "rule", ], digits = 4)
cat(sprintf("rules met: %d of %d\n", sum(fit$met[fit$type == "rule"]), sum(fit$type == "rule")))
