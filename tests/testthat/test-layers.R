# crosstab(..., layer = ) against GNU PSPP 1.6.2 CROSSTABS with BY layers on
# five fixed data sets (weighted with and without /COUNT=CELL ROUND, empty
# categories within layers, two layer variables, mtcars); outputs in
# fixtures/pspp-layers/, made by fixtures/make-pspp-layers.sh.

lx_dir <- test_path("fixtures", "pspp-layers")
lfix <- utils::read.csv(file.path(lx_dir, "fixtures.csv"), stringsAsFactors = FALSE)
lpspp <- utils::read.csv(file.path(lx_dir, "pspp-layers.csv"), stringsAsFactors = FALSE,
                         na.strings = "NA")

read_layer_fixture <- function(i) {
  fx <- lfix[i, ]
  utils::read.table(file.path(lx_dir, paste0(fx$data, ".dat")), na.strings = ".",
                    col.names = strsplit(fx$vars, " ")[[1]])
}
run_layer_fixture <- function(i, d = read_layer_fixture(i)) {
  fx <- lfix[i, ]
  crosstab(d, fx$row, fx$col, layer = tidyselect::all_of(strsplit(fx$layers, " ")[[1]]),
           weights = if (fx$weight == "-") NULL else fx$weight, count = fx$count)
}
layer_keys <- function(ct) {
  do.call(paste, c(Map(function(n, v) paste0(n, "=", v), names(ct$layers), ct$layers),
                   list(sep = "|")))
}
near <- function(got, want, tol, what) {
  expect(isTRUE(abs(got - want) <= tol),
         sprintf("%s: got %s, want %s", what, format(got, digits = 10), format(want, digits = 10)))
}

test_that("the layer fixtures cover weights, empty categories and two layer variables", {
  expect_gte(nrow(lfix), 4)
  expect_true(any(lfix$weight != "-"))
  expect_true(any(grepl(" ", lfix$layers)))
  expect_true("empty" %in% lfix$fixture)
  expect_setequal(unique(lpspp$fixture), lfix$fixture)
})

for (i in seq_len(nrow(lfix))) {
  fx <- lfix$fixture[i]
  test_that(sprintf("layered crosstab() equals PSPP CROSSTABS BY layer on %s", fx), {
    ct <- run_layer_fixture(i)
    expect_s3_class(ct, "zh_crosstab_layers")
    ps <- lpspp[lpspp$fixture == fx & lpspp$layer != "", ]
    keys <- layer_keys(ct)
    expect_setequal(keys, unique(ps$layer))
    n_checked <- 0
    for (k in seq_along(keys)) {
      tab <- ct$tables[[k]]
      p <- ps[ps$layer == keys[k], ]
      what <- paste(fx, keys[k])
      is22 <- all(dim(tab$observed) == 2L)
      # Chi-Square Tests
      for (j in which(p$block == "tests")) {
        lab <- p$measure[j]
        if (lab == "N of Valid Cases") {
          near(tab$n, p$value[j], 1e-6, paste(what, lab))
          next
        }
        row <- tab$tests[tab$tests$test == lab, ]
        expect_equal(nrow(row), 1L, label = paste(what, lab))
        got <- switch(p$stat[j], estimate = row$statistic, df = row$df, p_value = row$p_value,
                      p_exact_2 = row$p_value, p_exact_1 = row$p_one_sided)
        tol <- if (grepl("^p_", p$stat[j])) 5e-4 + 1e-12 else 1e-6
        near(got, p$value[j], tol, paste(what, lab, p$stat[j]))
        n_checked <- n_checked + 1
      }
      # Symmetric and Directional Measures
      for (j in which(p$block == "measures")) {
        row <- tab$measures[tab$measures$measure == p$measure[j], ]
        expect_equal(nrow(row), 1L, label = paste(what, p$measure[j]))
        got <- row[[p$stat[j]]]
        want <- p$value[j]
        # PSPP pairs kappa's categories by position; crosstab() by value
        if (p$measure[j] == "Kappa" && is.na(row$estimate)) next
        if (is.na(want)) {  # PSPP's NaN (ASE0 = 0): an empty cell in SPSS
          expect_true(is.na(got), label = paste(what, p$measure[j], p$stat[j]))
          next
        }
        if (is22 && p$measure[j] == "Phi") got <- abs(got)  # PSPP prints phi unsigned
        if (p$measure[j] == "Kappa" && p$stat[j] == "ase") {
          # PSPP's ASE1 is not the delta method when the margins differ: PSPP
          # against its own form, crosstab() against the delta method
          near(ref_kappa(tab$observed, pspp = TRUE)[2], want, 1e-6, paste(what, "PSPP kappa ASE1"))
          want <- ref_kappa(tab$observed)[2]
        }
        tol <- if (p$stat[j] == "p_value") 5e-4 + 1e-12 else 1e-6
        near(got, want, tol, paste(what, p$measure[j], p$stat[j]))
        n_checked <- n_checked + 1
      }
      # cells and margins; PSPP lists a category empty in this layer with
      # zeros, crosstab() drops it before the statistics
      obs <- tab$observed
      obs <- rbind(cbind(obs, Total = rowSums(obs)), Total = c(colSums(obs), sum(obs)))
      # PSPP 1.6.2 prints the cells of a layer with an empty column shifted
      # (its rows then do not add up to its own row totals, while its
      # statistics are right): such a layer's cells are not compared
      pc <- p[p$block == "cells" & p$row != "Total", ]
      body <- tapply(ifelse(pc$col == "Total", 0, pc$value), pc$row, sum, na.rm = TRUE)
      tot <- tapply(ifelse(pc$col == "Total", pc$value, 0), pc$row, sum)
      if (any(abs(body - tot) > 1e-6)) {
        expect_true(any(colSums(tab$observed) == 0) || length(tab$dropped$col) > 0,
                    label = paste(what, "PSPP's shifted cells only with an empty column"))
        next
      }
      for (j in which(p$block == "cells")) {
        r <- p$row[j]
        cc <- p$col[j]
        if (r %in% rownames(obs) && cc %in% colnames(obs)) {
          near(obs[r, cc], p$value[j], 1e-6, paste(what, "cell", r, cc))
          n_checked <- n_checked + 1
        } else {
          expect_identical(p$value[j], 0, label = paste(what, "dropped cell", r, cc))
        }
      }
    }
    expect_gte(n_checked, 40 * length(keys))
    # Case Processing Summary
    sm <- lpspp[lpspp$fixture == fx & lpspp$block == "summary", ]
    cp <- ct$case_processing
    near(cp$n[cp$cases == "Valid"], sm$value[sm$measure == "valid"], 1e-6, paste(fx, "valid"))
    near(cp$n[cp$cases == "Missing"], sm$value[sm$measure == "missing"], 1e-6,
         paste(fx, "missing"))
  })

  test_that(sprintf("the Total layer of %s equals the crosstab without layers", fx), {
    d <- read_layer_fixture(i)
    ct <- run_layer_fixture(i, d)
    f <- lfix[i, ]
    plain <- crosstab(d, f$row, f$col, weights = if (f$weight == "-") NULL else f$weight,
                      count = f$count)
    expect_identical(ct$total, plain)
    # the layers add up to the total (before the count rule)
    if (f$count == "asis" || f$weight == "-") {
      obs <- Reduce(`+`, lapply(ct$tables, function(t) {
        o <- plain$observed * 0
        o[rownames(t$observed), colnames(t$observed)] <- t$observed
        o
      }))
      expect_equal(obs, plain$observed, tolerance = 1e-12)
    }
  })
}

test_that("a layer category without cases is left out and reported", {
  d <- read_layer_fixture(match("empty", lfix$fixture))
  d$l <- factor(d$l, levels = c(1, 2, 3, 4))
  ct <- crosstab(d, r, c, layer = l)
  expect_identical(ct$layers$l, c("1", "2", "3"))
  expect_identical(ct$empty_layers$l, "4")
  expect_match(format(ct), "Layers without cases", all = FALSE)
  # within layer 2 the empty row 3 is dropped before the statistics
  expect_identical(ct$tables[[2]]$dropped$row, "3")
  expect_identical(rownames(ct$tables[[2]]$observed), c("1", "2"))
})

test_that("tidy() and as.data.frame() are long, with a layer column and the Total layer", {
  ct <- crosstab(mtcars, cyl, gear, layer = am)
  td <- tidy(ct)
  expect_identical(names(td)[1], "am")
  expect_identical(unique(td$am), c("0", "1", "Total"))
  expect_equal(td[td$am == "Total", -1], tidy(crosstab(mtcars, cyl, gear)), ignore_attr = TRUE)
  expect_identical(nrow(td), 3L * nrow(tidy(crosstab(mtcars, cyl, gear))))
  df <- as.data.frame(ct)
  expect_identical(names(df)[1:3], c("am", "cyl", "gear"))
  expect_equal(sum(df$observed[df$am != "Total"]), 32)
  expect_equal(sum(df$observed[df$am == "Total"]), 32)
})

test_that("grouped data frames are layered by their groups, never pooled", {
  skip_if_not_installed("dplyr")
  g <- dplyr::group_by(mtcars, am)
  expect_identical(crosstab(g, cyl, gear), crosstab(mtcars, cyl, gear, layer = am))
  g2 <- dplyr::group_by(mtcars, am, vs)
  expect_identical(crosstab(g2, cyl, gear), crosstab(mtcars, cyl, gear, layer = c(am, vs)))
  expect_snapshot(error = TRUE, crosstab(g, cyl, gear, layer = vs))
})

test_that("layered crosstabs print every layer and the Total layer", {
  old <- options(width = 80)
  on.exit(options(old))
  expect_snapshot(print(crosstab(mtcars, am, vs, layer = gear)))
})

test_that("bad layers stop with a message naming the argument", {
  expect_snapshot(error = TRUE, {
    crosstab(mtcars, cyl, gear, layer = nope)
    crosstab(mtcars, cyl, gear, layer = cyl)
    crosstab(mtcars, cyl, gear, layer = wt, weights = wt)
  })
})

test_that("summary() of a layered crosstab shows every cell statistic in every layer", {
  old <- options(width = 80)
  on.exit(options(old))
  ct <- crosstab(mtcars, am, vs, layer = gear)
  s <- summary(ct)
  expect_s3_class(s, "summary.zh_crosstab_layers")
  out <- format(s)
  expect_lte(max(nchar(out)), 80)
  # an Expected Count line per non-empty row category and the Total row, in
  # each layer (gear 3: am = 0 only; gear 4: both; gear 5: am = 1 only) and
  # in the Total layer
  expect_equal(sum(grepl("Expected Count", out)), 2L + 3L + 2L + 3L)
  # the expected counts printed for gear = 4 are chisq.test()'s of that layer
  tab <- table(mtcars$am[mtcars$gear == 4], mtcars$vs[mtcars$gear == 4])
  e <- suppressWarnings(stats::chisq.test(tab, correct = FALSE))$expected
  s4 <- zh_tables(s)
  s4 <- s4[[which(vapply(s4, function(t) grepl("layer gear = 4", t$title) &&
                                    grepl("Crosstabulation", t$title), NA))]]
  total_row <- which(s4$stub[, 1] == "Total")
  body <- s4$cells$col <= 2L & s4$cells$row < total_row &
    grepl("Expected", s4$stub[s4$cells$row, ncol(s4$stub)])
  printed <- s4$cells$value[body]
  expect_equal(sort(printed), sort(as.vector(e)), tolerance = 1e-12)
  expect_snapshot(print(s))
})
