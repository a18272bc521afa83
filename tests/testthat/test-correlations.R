# References: base R cor()/cor.test(), pcaPP::cor.fk(), GNU PSPP 1.6.2
# CORRELATIONS output (fixtures/, made by fixtures/make-pspp-correlations.R)
# and the paper's published Table 3 (inst/extdata/table3*.csv).

made_up <- function(n = 150, seed = 1) {
  set.seed(seed)
  d <- data.frame(
    cont = rnorm(n),
    likert = sample(1:5, n, replace = TRUE),
    rounded = round(rnorm(n), 1),
    binary = sample(c(TRUE, FALSE), n, replace = TRUE),
    skewed = rexp(n)
  )
  d$likert <- d$likert + (d$cont > 0)
  d$cont[sample(n, 12)] <- NA
  d$likert[sample(n, 20)] <- NA
  d$rounded[sample(n, 7)] <- NA
  d
}

# Pairwise references computed one pair at a time by base R.
base_pairwise <- function(d, method) {
  k <- ncol(d)
  p <- n <- matrix(NA_real_, k, k)
  for (i in seq_len(k)) for (j in seq_len(k)) {
    ok <- !is.na(d[[i]]) & !is.na(d[[j]])
    n[i, j] <- sum(ok)
    if (i != j) {
      p[i, j] <- suppressWarnings(stats::cor.test(as.numeric(d[[i]][ok]), as.numeric(d[[j]][ok]),
                                                  method = method, exact = FALSE)$p.value)
    }
  }
  r <- suppressWarnings(stats::cor(sapply(d, as.numeric), use = "pairwise.complete.obs",
                                   method = method))
  list(r = r, n = n, p = p)
}

withr_options_threads <- function(n, expr) {
  old <- options(zhetysu.threads = n)
  on.exit(options(old))
  expr
}

expect_matches_base <- function(cm, d, method) {
  ref <- base_pairwise(d, method)
  expect_equal(unname(cm$r), unname(ref$r), tolerance = 1e-10)
  expect_equal(unname(cm$n), ref$n)
  expect_equal(unname(cm$p), ref$p, tolerance = 1e-10)
}

test_that("r, n and p equal base R on made-up data with NAs and ties", {
  d <- made_up()
  for (method in c("pearson", "spearman", "kendall")) {
    cm <- cor_matrix(d, everything(), method = method)
    expect_s3_class(cm, "zh_cor_matrix")
    expect_identical(cm$method, method)
    expect_identical(dimnames(cm$r), list(names(d), names(d)))
    expect_matches_base(cm, d, method)
  }
})

test_that("r, n and p equal base R on a data set shipped with R", {
  for (method in c("pearson", "spearman", "kendall")) {
    expect_matches_base(cor_matrix(airquality, Ozone:Temp, method = method),
                        airquality[, 1:4], method)
    expect_matches_base(cor_matrix(mtcars, c(mpg, cyl, gear, carb, wt), method = method),
                        mtcars[, c("mpg", "cyl", "gear", "carb", "wt")], method)
  }
})

test_that("listwise deletion equals base R on complete cases", {
  d <- made_up(seed = 2)
  cc <- d[stats::complete.cases(d), ]
  for (method in c("pearson", "spearman", "kendall")) {
    cm <- cor_matrix(d, everything(), method = method, use = "listwise")
    expect_equal(unname(cm$r), unname(stats::cor(sapply(cc, as.numeric), method = method)),
                 tolerance = 1e-10)
    expect_true(all(cm$n == nrow(cc)))
  }
})

test_that("no complete case (listwise) or no positive weight: N = 0 and no coefficient", {
  # as SPSS prints it: "." with N = 0 (the rank engine once passed a NULL
  # buffer to memset() here, which UBSan reports)
  d <- data.frame(a = c(1, NA, 3), b = c(NA, 2, NA), w = 0)
  for (method in c("pearson", "spearman", "kendall")) {
    for (cm in list(cor_matrix(d, c(a, b), method = method, use = "listwise"),
                    cor_matrix(d, c(a, b), method = method, weights = w))) {
      expect_true(all(cm$n == 0), info = method)
      expect_true(all(is.na(cm$r) & is.na(cm$p)), info = method)
    }
  }
})

test_that("Kendall's tau-b equals pcaPP::cor.fk without NAs", {
  skip_if_not_installed("pcaPP")
  set.seed(3)
  n <- 5000
  d <- data.frame(x = sample(1:7, n, TRUE), y = rnorm(n), z = round(runif(n), 2))
  d$y <- d$y + d$x
  cm <- cor_matrix(d, everything(), method = "kendall")
  expect_equal(unname(cm$r), unname(pcaPP::cor.fk(as.matrix(d))), tolerance = 1e-10)
  # a long pair: merge sort over more than one run and both threads
  set.seed(4)
  x <- rnorm(2e5)
  y <- round(x + rnorm(2e5), 1)
  for (th in 1:2) {
    k <- withr_options_threads(th, cor_matrix(data.frame(x, y), c(x, y), method = "kendall"))
    expect_equal(k$r[1, 2], pcaPP::cor.fk(x, y), tolerance = 1e-12)
  }
})

read_pspp_tables <- function(path) {
  lines <- readLines(path)
  starts <- grep("^Table: Correlations", lines)
  ends <- c(starts[-1] - 1L, length(lines))
  lapply(seq_along(starts), function(k) {
    body <- lines[(starts[k] + 2L):ends[k]]
    body <- body[nzchar(body) & !grepl("^Footnote", body)]
    cells <- utils::read.csv(text = body, header = FALSE, colClasses = "character")
    cur <- ""
    for (i in seq_len(nrow(cells))) {
      if (nzchar(cells[i, 1])) cur <- cells[i, 1] else cells[i, 1] <- cur
    }
    cells
  })
}

pspp_stat <- function(tab, stat, vars) {
  rows <- tab[tab[[2]] == stat, ]
  m <- as.matrix(rows[, -(1:2)])
  m <- gsub("\\[a\\]", "", m)
  dimnames(m) <- list(rows[[1]], vars)
  m[vars, vars]
}

test_that("Pearson r, Sig. and N equal GNU PSPP CORRELATIONS output", {
  d <- utils::read.csv(test_path("fixtures", "pspp-correlations-data.csv"))
  tabs <- read_pspp_tables(test_path("fixtures", "pspp-correlations.csv"))
  vars <- c("a", "b", "c", "e")
  num <- function(m) matrix(as.numeric(m), nrow(m))
  off <- function(m) unname(m[row(m) != col(m)])
  check <- function(cm, tab, with_n = TRUE) {
    # PSPP prints r with 3 decimals whatever the format: half a unit of the
    # last place; Sig. and N carry 8 decimals (OUTPUT MODIFY in the script)
    r <- num(pspp_stat(tab, "Pearson Correlation", vars))
    expect_lte(max(abs(unname(cm$r) - r)), 5e-4 + 1e-12)
    sig <- num(pspp_stat(tab, "Sig. (2-tailed)", vars))
    expect_lte(max(abs(off(cm$p) - off(sig))), 1e-6)
    if (with_n) {
      expect_lte(max(abs(unname(cm$n) - num(pspp_stat(tab, "N", vars)))), 1e-6)
    }
  }
  check(cor_matrix(d, all_of(vars)), tabs[[1]])
  check(cor_matrix(d, all_of(vars), use = "listwise"), tabs[[2]], with_n = FALSE)
  # WEIGHT BY w: weights as they are, N = sum of weights
  check(cor_matrix(d, all_of(vars), weights = w), tabs[[3]])
})

test_that("weighted Pearson equals cov.wt on each pair, with df = sum(w) - 2", {
  d <- utils::read.csv(test_path("fixtures", "pspp-correlations-data.csv"))
  cm <- cor_matrix(d, c(a, b, c, e), weights = "w")
  ok <- !is.na(d$a) & !is.na(d$c)
  w <- d$w[ok]
  r <- stats::cov.wt(cbind(d$a[ok], d$c[ok]), wt = w / sum(w), cor = TRUE, method = "ML")$cor[1, 2]
  expect_equal(cm$r["a", "c"], r, tolerance = 1e-12)
  expect_equal(cm$n["a", "c"], sum(w))
  t <- r * sqrt((sum(w) - 2) / (1 - r^2))
  expect_equal(cm$p["a", "c"], 2 * stats::pt(-abs(t), sum(w) - 2), tolerance = 1e-12)
})

test_that("rank methods round each case weight and count the case that often", {
  d <- made_up(n = 80, seed = 5)[, c("cont", "likert", "rounded")]
  d$w <- c(0.4, 1.5, 2.49, 3, 0)[rep(1:5, 16)]
  rep_rows <- rep(seq_len(nrow(d)), floor(d$w + 0.5))
  expanded <- d[rep_rows, 1:3]
  for (method in c("spearman", "kendall")) {
    cm <- cor_matrix(d, cont:rounded, method = method, weights = w)
    expect_matches_base(cm, expanded, method)
  }
})

test_that("rank methods with huge case weights use the weights without copying cases", {
  # tau-b and Spearman's rho of the data with each case repeated w times,
  # by their definitions over pairs of cases: copies of one case are tied
  d <- data.frame(x = c(1, 2, 2, 3, 4), y = c(2, 1, 3, 3, NA), w = c(1e9, 2e9, 3, 7e8, 5e9))
  ok <- 1:4
  x <- d$x[ok]
  y <- d$y[ok]
  w <- d$w[ok]
  N <- sum(w)
  pairs <- outer(w, w)
  pairs[lower.tri(pairs, diag = TRUE)] <- 0
  S <- sum(pairs * outer(x, x, function(a, b) sign(b - a)) * outer(y, y, function(a, b) sign(b - a)))
  untied_x <- sum(pairs * outer(x, x, "!="))
  untied_y <- sum(pairs * outer(y, y, "!="))
  tau <- S / sqrt(untied_x * untied_y)
  tx <- tapply(w, x, sum)
  ty <- tapply(w, y, sum)
  v_s <- (N * (N - 1) * (2 * N + 5) - sum(tx * (tx - 1) * (2 * tx + 5)) -
            sum(ty * (ty - 1) * (2 * ty + 5))) / 18 +
    sum(tx * (tx - 1) * (tx - 2)) * sum(ty * (ty - 1) * (ty - 2)) / (9 * N * (N - 1) * (N - 2)) +
    sum(tx * (tx - 1)) * sum(ty * (ty - 1)) / (2 * N * (N - 1))
  cm <- cor_matrix(d, c(x, y), method = "kendall", weights = w)
  expect_equal(cm$r["x", "y"], tau, tolerance = 1e-12)
  expect_equal(cm$n["x", "y"], N)
  expect_equal(cm$n["x", "x"], sum(d$w))
  expect_equal(cm$statistic["x", "y"], S / sqrt(v_s), tolerance = 1e-12)
  expect_equal(cm$p["x", "y"], 2 * stats::pnorm(-abs(S) / sqrt(v_s)), tolerance = 1e-10)
  # Spearman: weighted Pearson r of the midranks of the repeated data
  midrank <- function(v) {
    t <- tapply(w, v, sum)
    (cumsum(t) - (t - 1) / 2)[as.character(v)]
  }
  rho <- stats::cov.wt(cbind(midrank(x), midrank(y)), wt = w, cor = TRUE)$cor[1, 2]
  cs <- cor_matrix(d, c(x, y), method = "spearman", weights = w)
  expect_equal(cs$r["x", "y"], rho, tolerance = 1e-12)
  expect_equal(cs$n["x", "y"], N)
  # three cases of weight 7e8 (copies would take some 17 GB): the pairs
  # (1, 2) and (1, 3) concordant, (2, 3) discordant, w^2 each: tau = 1/3
  d3 <- data.frame(x = 1:3, y = c(1, 3, 2), w = 7e8)
  expect_equal(cor_matrix(d3, c(x, y), method = "kendall", weights = w)$r[1, 2], 1 / 3,
               tolerance = 1e-12)
})

test_that("weighted rank correlations equal base R on the repeated cases, with ties and NAs", {
  set.seed(13)
  d <- made_up(n = 120, seed = 8)[, c("cont", "likert", "rounded", "skewed")]
  d$w <- sample(0:6, nrow(d), replace = TRUE)
  d$w[c(4, 9)] <- NA
  w0 <- d$w
  w0[is.na(w0)] <- 0
  expanded <- d[rep(seq_len(nrow(d)), w0), 1:4]
  for (method in c("spearman", "kendall")) {
    cm <- cor_matrix(d, cont:skewed, method = method, weights = w)
    expect_matches_base(cm, expanded, method)
    ref_diag <- vapply(expanded, function(v) sum(!is.na(v)), 1)
    expect_equal(unname(diag(cm$n)), unname(ref_diag))
  }
})

test_that("columns whose mean is 1e6 times their SD are as accurate as base R", {
  set.seed(6)
  n <- 5000
  z <- matrix(rnorm(3 * n), n)
  z[, 2] <- z[, 1] + 0.5 * z[, 2]
  for (scale in c(1, 1e-3, 1e3)) {
    d <- as.data.frame(1e6 * scale + scale * z)
    d[sample(n, 100), 1] <- NA
    d[sample(n, 100), 2] <- NA
    # reference: the same stored numbers, shifted exactly (Sterbenz) before cor()
    exact <- stats::cor(as.matrix(d) - 1e6 * scale, use = "pairwise.complete.obs")
    base_err <- max(abs(stats::cor(d, use = "pairwise.complete.obs") - exact))
    cm <- cor_matrix(d, everything())
    our_err <- max(abs(unname(cm$r) - unname(exact)))
    expect_lt(our_err, max(10 * base_err, 1e-13))
    expect_lt(our_err, 1e-10)
  }
})

test_that("Pearson of data near the ends of the double range equals base R on unscaled data", {
  # r does not depend on the unit: the reference is cor() / cov.wt() of the
  # same numbers before scaling (base R's own sums overflow or underflow)
  set.seed(11)
  n <- 60
  z <- data.frame(a = rnorm(n), b = rnorm(n), c = rexp(n))
  z$b <- z$b + z$a
  z$a[c(3, 17)] <- NA
  z$c[c(5, 40, 41)] <- NA
  ref <- stats::cor(z, use = "pairwise.complete.obs")
  w <- runif(n, 0.5, 3)
  ok <- !is.na(z$a) & !is.na(z$c)
  ref_w <- stats::cov.wt(cbind(z$a, z$c)[ok, ], wt = w[ok], cor = TRUE)$cor[1, 2]
  for (s in c(1e300, 1e-300, 1e155, 1e-160)) {
    d <- z * s
    cm <- cor_matrix(d, everything())
    expect_equal(unname(cm$r), unname(ref), tolerance = 1e-12)
    expect_true(all(is.na(cm$reason)))
    d$w <- w
    expect_equal(cor_matrix(d, c(a, c), weights = w)$r[1, 2], ref_w, tolerance = 1e-12)
  }
})

test_that("a pair whose cases lie far from the rest of a column is computed on its own cases", {
  set.seed(12)
  # x: 100 cases near 1e9 where y is missing, then 50 near 0 with y
  d <- data.frame(x = c(rnorm(100) + 1e9, rnorm(50)), y = c(rep(NA, 100), rnorm(50)))
  d$y[101:150] <- d$y[101:150] + 0.5 * d$x[101:150]
  ok <- 101:150
  cm <- cor_matrix(d, c(x, y))
  expect_equal(cm$r["x", "y"], stats::cor(d$x[ok], d$y[ok]), tolerance = 1e-10)
  expect_true(is.na(cm$reason["x", "y"]))
  # the same with a tiny spread on the pair's cases, and weighted
  d$x[ok] <- 5e8 + d$x[ok] * 1e-3
  w <- rep(c(1, 2.5), 75)
  cm <- cor_matrix(d, c(x, y))
  expect_equal(cm$r["x", "y"], stats::cor(d$x[ok] - 5e8, d$y[ok]), tolerance = 1e-8)
  cw <- cor_matrix(cbind(d, w = w), c(x, y), weights = w)
  ref <- stats::cov.wt(cbind(d$x[ok] - 5e8, d$y[ok]), wt = w[ok], cor = TRUE)$cor[1, 2]
  expect_equal(cw$r["x", "y"], ref, tolerance = 1e-8)
  # pair weight far below the column's: N and r from the pair's own cases
  w2 <- c(rep(1e12, 100), rep(c(1, 2), 25))
  cw <- cor_matrix(cbind(d, w2 = w2), c(x, y), weights = w2)
  expect_equal(cw$n["x", "y"], sum(w2[ok]))
  ref <- stats::cov.wt(cbind(d$x[ok] - 5e8, d$y[ok]), wt = w2[ok], cor = TRUE)$cor[1, 2]
  expect_equal(cw$r["x", "y"], ref, tolerance = 1e-8)
})

test_that("'no variance' is decided exactly, not by a threshold that cancellation fools", {
  # constant on the pair's cases, with a mean that is not a double (0.1 * 3)
  d <- data.frame(x = c(rep(0.1, 7), 1e10, -1e10), y = c(1:7, NA, NA),
                  z = c(1e15 + c(0, 2, 0, 2, 4, 0, 2), NA, NA))
  cm <- cor_matrix(d, c(x, y, z))
  expect_match(cm$reason["x", "y"], "constant")
  # values one or two units in the last place apart are not constant
  ok <- 1:7
  expect_equal(cm$r["y", "z"], stats::cor(d$y[ok], d$z[ok] - 1e15), tolerance = 1e-12)
  expect_true(is.na(cm$reason["y", "z"]))
  expect_equal(cm$r["z", "z"], 1)
})

test_that("results do not depend on the number of threads", {
  set.seed(7)
  n <- 60000
  m <- matrix(rnorm(n * 6), n)
  m[sample(n * 6, 3000)] <- NA
  d <- as.data.frame(m)
  one <- withr_options_threads(1, cor_matrix(d, everything()))
  two <- withr_options_threads(2, cor_matrix(d, everything()))
  expect_equal(one$r, two$r, tolerance = 1e-13)
  expect_identical(one$n, two$n)
  one <- withr_options_threads(1, cor_matrix(d, V1:V3, method = "spearman"))
  two <- withr_options_threads(2, cor_matrix(d, V1:V3, method = "spearman"))
  expect_equal(one$r, two$r, tolerance = 1e-14)
})

# Issue 17: the rank codes of each column (dense_codes) ran on several
# threads reading the columns through the R API; the pointers are now taken
# before the parallel region. Integer, logical, factor and double columns on
# the threaded path (n p >= 1e5) give base R's coefficients and the same
# ones as on one thread (sanitize and valgrind watch the region itself).
test_that("rank correlations of integer, logical, ordered factor and double columns on threads", {
  set.seed(171)
  n <- 30000
  d <- data.frame(i = sample.int(40, n, TRUE), l = sample(c(TRUE, FALSE, NA), n, TRUE),
                  f = factor(sample(letters[1:5], n, TRUE), ordered = TRUE), x = round(rnorm(n), 2))
  d$i[sample(n, 300)] <- NA
  d$x <- d$x + d$i / 10
  for (meth in c("spearman", "kendall")) {
    one <- withr_options_threads(1, cor_matrix(d, c(i, l, f, x), method = meth))
    two <- withr_options_threads(2, cor_matrix(d, c(i, l, f, x), method = meth))
    expect_equal(two$r, one$r, tolerance = 1e-14)
    num <- data.frame(i = d$i, l = as.numeric(d$l), f = as.numeric(d$f), x = d$x)
    if (meth == "spearman") {
      expect_equal(unname(two$r), unname(stats::cor(num, method = meth, use = "pairwise")),
                   tolerance = 1e-12)
    } else {
      ok <- stats::complete.cases(num[c("i", "x")])
      expect_equal(two$r["i", "x"], stats::cor(num$i[ok], num$x[ok], method = "kendall"),
                   tolerance = 1e-12)
    }
  }
})

test_that("confidence intervals, one-tailed and adjusted p-values", {
  cm <- cor_matrix(mtcars, c(mpg, wt, qsec), conf_level = 0.9, tails = 1)
  ct <- stats::cor.test(mtcars$mpg, mtcars$qsec, conf.level = 0.9, alternative = "greater")
  ct2 <- stats::cor.test(mtcars$mpg, mtcars$qsec, conf.level = 0.9)
  expect_equal(c(cm$lower["mpg", "qsec"], cm$upper["mpg", "qsec"]), as.vector(ct2$conf.int),
               tolerance = 1e-12)
  expect_equal(cm$p["mpg", "qsec"], ct$p.value, tolerance = 1e-12)
  adj <- cor_matrix(mtcars, c(mpg, wt, qsec), p_adjust = "holm")
  raw <- cor_matrix(mtcars, c(mpg, wt, qsec))
  low <- lower.tri(raw$p)
  expect_equal(adj$p[low], stats::p.adjust(raw$p[low], "holm"))
  expect_equal(adj$p, t(adj$p))
})

test_that("factors, logicals and labelled columns are used by their codes", {
  d <- data.frame(x = c(1, 3, 2, 5, 4, 6), l = c(TRUE, FALSE, TRUE, TRUE, FALSE, TRUE))
  d$o <- factor(c("lo", "hi", "mid", "hi", "mid", "lo"), levels = c("lo", "mid", "hi"),
                ordered = TRUE)
  cm <- cor_matrix(d, c(x, l, o), method = "spearman")
  expect_equal(cm$r["x", "o"], stats::cor(d$x, as.integer(d$o), method = "spearman"))
  expect_equal(cm$r["x", "l"], stats::cor(d$x, as.numeric(d$l), method = "spearman"))
  skip_if_not_installed("haven")
  d$h <- haven::labelled_spss(c(1, 2, 9, 3, 2, 1), labels = c(low = 1, high = 3),
                              na_values = 9, label = "A labelled item")
  cm <- cor_matrix(d, c(x, h))
  expect_equal(cm$r["x", "h"], stats::cor(d$x, c(1, 2, NA, 3, 2, 1), use = "complete.obs"))
  expect_equal(cm$n["x", "h"], 5)
  expect_identical(cm$labels[["h"]], "A labelled item")
})

test_that("constant variables and too few cases give NA with a reason", {
  d <- data.frame(x = c(1, 2, 3, 4, NA, NA), k = rep(2.5, 6), y = c(NA, NA, NA, 1, 2, 3),
                  z = c(0.1, 0.4, 0.2, 0.9, 0.3, 0.5))
  for (method in c("pearson", "spearman", "kendall")) {
    cm <- cor_matrix(d, everything(), method = method)
    expect_true(is.na(cm$r["x", "k"]))
    expect_match(cm$reason["x", "k"], "constant")
    expect_true(is.na(cm$r["k", "k"]))
    expect_true(is.na(cm$r["x", "y"]))
    expect_equal(cm$n["x", "y"], 1)
    expect_match(cm$reason["x", "y"], "fewer than 3")
    expect_false(is.na(cm$r["x", "z"]))
    expect_true(is.na(cm$reason["x", "z"]))
  }
  # a pair that is constant only on its complete cases
  d2 <- data.frame(x = c(0.1, 0.1, 0.1, 0.7, 0.3), y = c(1, 2, 3, NA, NA))
  expect_match(cor_matrix(d2, c(x, y))$reason["x", "y"], "constant")
})

test_that("the paper's Table 3 is reproduced from its published r (N = 787)", {
  t3 <- published_table("table3")
  stars <- published_table("table3_stars")
  vars <- t3$item
  r <- as.matrix(t3[, vars])
  dimnames(r) <- list(vars, vars)
  cm <- as_cor_matrix(r, n = 787, labels = t3$label)
  pt <- printed_table(cm, layout = "publication", decimal_mark = ",")
  tab <- pt$body
  expect_identical(tab[2, 1], ",368**")
  expect_identical(tab[6, 1], "-,044")
  expect_identical(tab[4, 2], ",088*")
  expect_identical(tab[8, 4], "-,002")
  expect_identical(tab[10, 10], "1")
  expect_identical(pt$stub[1, 1], "Do you feel that you are part of the local community?")
  expect_identical(pt$tab$columns$label, as.character(1:10))
  # every printed cell: the published number with a decimal comma and its stars
  low <- lower.tri(r)
  st <- as.matrix(stars[, vars])
  st <- rbind(matrix("", 1, 10), st[, ])[1:10, ]
  st[is.na(st)] <- ""
  published <- paste0(sub("0.", ",", formatC(abs(r[low]), format = "f", digits = 3),
                          fixed = TRUE), st[low])
  published <- ifelse(r[low] < 0, paste0("-", published), published)
  expect_identical(tab[low], published)
  expect_identical(pt$notes, c(
    "**. Correlation is significant at the 0,01 level (2-tailed).",
    "*. Correlation is significant at the 0,05 level (2-tailed)."))
})

test_that("print, format, tidy and as.data.frame", {
  cm <- cor_matrix(mtcars, c(mpg, wt, qsec), conf_level = 0.95)
  expect_snapshot(print(cm))
  expect_snapshot(print(cm, decimal_mark = ","))
  expect_snapshot(format(cm, style = "apa"))
  expect_snapshot(cor_matrix(airquality, Ozone:Temp, method = "kendall"))
  td <- tidy(cm)
  expect_identical(names(td), c("var1", "var2", "label1", "label2", "estimate", "n", "statistic", "df", "p.value",
                                "conf.low", "conf.high", "method", "note"))
  expect_identical(td$var1, c("mpg", "mpg", "wt"))
  expect_identical(td$var2, c("wt", "qsec", "qsec"))
  expect_equal(td$estimate[1], stats::cor(mtcars$mpg, mtcars$wt))
  df <- as.data.frame(cm)
  expect_identical(nrow(df), 9L)
  expect_equal(df$r, as.vector(cm$r))
})

test_that("plot draws a titled heat map", {
  cm <- cor_matrix(mtcars, c(mpg, cyl, disp, hp))
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_invisible(plot(cm))
  expect_invisible(plot(cm, lower = TRUE, main = "Lower triangle", decimal_mark = ","))
})

test_that("bad input stops with a message naming the argument", {
  d <- data.frame(x = c(1, 2, 3), y = c(2, 1, 3), s = c("a", "b", "c"), i = c(1, Inf, 2))
  d$l <- list(1, 2, 3)
  expect_snapshot(error = TRUE, {
    cor_matrix(d, c(x, s))
    cor_matrix(d, x)
    cor_matrix(d, c(x, i))
    cor_matrix(d, c(x, l))
    cor_matrix(d[0, ], c(x, y))
    cor_matrix(d, c(x, y), method = "kendal")
    cor_matrix(d, c(x, y), use = "all")
    cor_matrix(d, c(x, nope))
    cor_matrix(d, c(x, y), weights = s)
    cor_matrix(d, c(x, y), tails = 3)
    cor_matrix(d, c(x, y), conf_level = 95)
    cor_matrix(d, c(x, y), p_adjust = "fdr2")
    cor_matrix(d, c(x, y), foo = 1)
    cor_matrix(list(x = 1), x)
    cor_matrix(data.frame(f = factor(c("a", "b", "c")), x = 1:3), c(f, x))
    as_cor_matrix(matrix(1:6, 2), n = 10)
    as_cor_matrix(diag(2), n = -1)
  })
})

test_that("as_cor_matrix() refuses a matrix whose triangles disagree", {
  r <- matrix(c(1, .5, .2, 1), 2, dimnames = list(NULL, c("a", "b")))
  expect_error(as_cor_matrix(r, n = 100), class = "zhetysu_error_input")
  # agreeing triangles, up to arithmetic, are fine; tidy() and format() then agree
  r2 <- matrix(c(1, .5, .5 + 1e-12, 1), 2, dimnames = list(NULL, c("a", "b")))
  cm <- as_cor_matrix(r2, n = 100)
  expect_equal(tidy(cm)$estimate, 0.5, tolerance = 1e-10)
  expect_equal(cm$r[2, 1], cm$r[1, 2], tolerance = 1e-10)
  # a pair given in one triangle only is completed
  r3 <- matrix(c(1, .5, NA, 1), 2)
  expect_identical(as_cor_matrix(r3, n = 100)$r[1, 2], 0.5)
  n <- matrix(c(100, 90, 80, 100), 2)
  expect_error(as_cor_matrix(r3, n = n), class = "zhetysu_error_input")
  expect_snapshot(error = TRUE, {
    as_cor_matrix(r, n = 100)
    as_cor_matrix(matrix(c(1, .3, .1, .3, 1, .2, .1, .25, 1), 3), n = 50)
    as_cor_matrix(r3, n = n)
  })
})

test_that("plot() of a matrix without any coefficient draws and says so", {
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  none <- as_cor_matrix(matrix(NA_real_, 2, 2, dimnames = list(NULL, c("a", "b"))), n = 2)
  expect_true(all(is.na(none$r[1, 2])))
  expect_invisible(plot(none))
  flat <- cor_matrix(data.frame(a = c(1, 1, 1), b = c(2, 2, 2), c = c(1, 2, 3)), c(a, b, c))
  expect_invisible(plot(flat, lower = TRUE))
})

test_that("tails = 1: stars, footnotes and the Sig. row follow sheet 2 item 9", {
  local_reproducible_output(width = 80)
  d <- data.frame(x = 1:10, y = c(2, 1, 4, 3, 7, 5, 4, 8, 3, 6))
  ref <- stats::cor.test(d$x, d$y)
  two <- cor_matrix(d, c(x, y))
  one <- cor_matrix(d, c(x, y), tails = 1)
  expect_true(abs(one$r[1, 2] - .588548) <= 1e-6)
  expect_true(abs(two$p[1, 2] - .073468) <= 1e-6)
  expect_true(abs(one$p[1, 2] - .036734) <= 1e-6)
  expect_equal(one$p[1, 2], stats::cor.test(d$x, d$y, alternative = "greater")$p.value,
               tolerance = 1e-10)
  expect_equal(two$p[1, 2], ref$p.value, tolerance = 1e-10)
  sp <- cor_matrix(d, c(x, y), method = "spearman", tails = 1)
  expect_true(abs(sp$r[1, 2] - .597572) <= 1e-6)
  expect_true(abs(sp$p[1, 2] - .034045) <= 1e-6)
  o1 <- format(one)
  o2 <- format(two)
  # 2-tailed .073: no star; 1-tailed .037: one star, and the footnote says so
  expect_false(any(grepl("*", o2, fixed = TRUE)))
  expect_true(any(grepl(".589*", o1, fixed = TRUE)))
  expect_true("*. Correlation is significant at the 0.05 level (1-tailed)." %in% o1)
  expect_true(any(grepl("Sig. (1-tailed)", o1, fixed = TRUE)))
  expect_false(any(grepl("2-tailed", o1, fixed = TRUE)))
  expect_true(any(grepl("Sig. (1-tailed)", format(sp), fixed = TRUE)))
  expect_true("*. Correlation is significant at the 0.05 level (1-tailed)." %in%
                format(one, style = "spss"))
  expect_true(any(grepl("one-tailed", format(one, style = "apa"), fixed = TRUE)))
  expect_false(any(grepl("one-tailed", format(two, style = "apa"), fixed = TRUE)))
  # the critical r of n = 10: starred exactly from .5494 (1-tailed .05)
  crit <- function(r) as_cor_matrix(matrix(c(1, r, r, 1), 2, dimnames = list(c("a", "b"),
                                                                             c("a", "b"))),
                                    n = 10, tails = 1)
  expect_false(any(grepl("*", format(crit(.549)), fixed = TRUE)))
  expect_true(any(grepl(".550*", format(crit(.5495)), fixed = TRUE)))
  expect_true(any(grepl(".716**", format(crit(.7156)), fixed = TRUE)))
})
