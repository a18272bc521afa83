# Draws into a null device and returns what plot() returned, visibly or not.
plot_quietly <- function(...) {
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  plot(...)
}

row_pct <- function(tab) 100 * unclass(prop.table(tab, 1))

test_that("the bars are the row percentages of the table", {
  ct <- crosstab(mtcars, cyl, gear)
  ref <- row_pct(table(mtcars$cyl, mtcars$gear))
  for (div in c(TRUE, FALSE)) {
    grDevices::pdf(NULL)
    expect_silent(geo <- withVisible(plot(ct, diverging = div)))
    grDevices::dev.off()
    expect_false(geo$visible)
    geo <- geo$value
    expect_s3_class(geo, "data.frame")
    expect_named(geo, c("bar", "category", "n", "percent", "left", "right", "y"))
    expect_equal(levels(geo$bar), c("4", "6", "8"))
    expect_equal(levels(geo$category), c("3", "4", "5"))
    m <- matrix(geo$percent, 3, byrow = TRUE)
    expect_equal(m, unname(ref))
    expect_equal(geo$right - geo$left, geo$percent)
    expect_equal(matrix(geo$n, 3, byrow = TRUE),
                 unname(unclass(table(mtcars$cyl, mtcars$gear))))
    # segments of a bar follow each other without gaps
    for (b in split(geo, geo$bar)) expect_equal(b$left[-1], b$right[-3])
    # first bar at the top
    expect_equal(unique(geo$y), 3:1)
  }
})

test_that("diverging bars split the middle category across zero", {
  ct <- crosstab(mtcars, cyl, gear)
  geo <- plot_quietly(ct)
  mid <- geo[geo$category == "4", ]
  expect_equal(mid$left, -mid$right)
  ref <- row_pct(table(mtcars$cyl, mtcars$gear))
  first <- geo[geo$category == "3", ]
  expect_equal(first$left, -unname(ref[, 1] + ref[, 2] / 2))
  plain <- plot_quietly(ct, diverging = FALSE)
  expect_equal(plain$left[plain$category == "3"], c(0, 0, 0))
  expect_equal(plain$right[plain$category == "5"], c(100, 100, 100))
  # an even number of categories: zero between the two halves
  ct4 <- crosstab(mtcars, am, carb)
  tab <- table(mtcars$am, mtcars$carb)
  geo <- plot_quietly(ct4)
  ref <- row_pct(tab)
  k <- ncol(tab)
  half <- geo[geo$category == colnames(tab)[k / 2], ]
  expect_equal(half$right, c(0, 0))
  expect_equal(geo$left[geo$category == colnames(tab)[1]],
               -unname(rowSums(ref[, seq_len(k / 2)])))
})

test_that("swap draws one bar per column category with column percentages", {
  ct <- crosstab(mtcars, cyl, gear)
  geo <- plot_quietly(ct, swap = TRUE, diverging = FALSE)
  ref <- 100 * unclass(prop.table(table(mtcars$gear, mtcars$cyl), 1))
  expect_equal(levels(geo$bar), c("3", "4", "5"))
  expect_equal(matrix(geo$percent, 3, byrow = TRUE), unname(ref))
})

test_that("a Likert table from counts plots with every option and restores par()", {
  counts <- as.table(matrix(c(10, 20, 40, 60, 70, 15, 25, 50, 45, 25, 0, 30, 40, 20, 10),
                            nrow = 3, byrow = TRUE,
                            dimnames = list(status = c("Citizen", "Permanent residence",
                                                       "Temporary residence permit holder"),
                                            belonging = c("Not at all", "Rather not", "Partly",
                                                          "Rather yes", "Fully"))))
  ct <- crosstab(counts)
  grDevices::pdf(NULL, width = 4, height = 3)
  on.exit(grDevices::dev.off())
  mar <- graphics::par("mar")
  expect_silent(plot(ct, col = c("red", "orange", "grey", "skyblue", "blue"),
                     labels = FALSE, main = "", xlab = "", ylab = "", legend_title = ""))
  expect_silent(plot(ct, col = grDevices::hcl.colors, digits = 1, cex = 0.7))
  expect_silent(geo <- plot(ct, swap = TRUE))
  expect_equal(graphics::par("mar"), mar)
  expect_equal(geo$percent[geo$bar == "Not at all"], 100 * c(10, 15, 0) / 25)
  # the empty cell is a zero-width segment
  expect_equal(nrow(geo), 15L)
})

test_that("plot() rejects bad arguments with clear messages", {
  ct <- crosstab(mtcars, cyl, gear)
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_snapshot(error = TRUE, {
    plot(ct, diverging = NA)
    plot(ct, swap = "yes")
    plot(ct, col = c("black", "white"))
    plot(ct, col = "not a colour")
    plot(ct, digits = -1)
    plot(ct, cex = 0)
    plot(ct, main = 1)
    plot(ct, colour = "red")
  })
})

# Every string the plot drew (text, axis labels, titles), read from the
# device's display list: what a reader sees, not what the code meant to draw.
drawn_text <- function(expr) {
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  grDevices::dev.control("enable")
  force(expr)
  dl <- grDevices::recordPlot()[[1]]
  out <- list()
  for (e in dl) {
    f <- e[[2]][[1]]
    nm <- if (is.list(f) && !is.null(f$name)) f$name else ""
    if (nm %in% c("C_text", "C_axis", "C_mtext", "C_title")) {
      args <- e[[2]][-1]
      colour <- vapply(args, function(a) is.character(a) &&
                         all(a %in% c(grDevices::colors(), "solid", "i")), TRUE)
      out[[nm]] <- c(out[[nm]], unname(unlist(Filter(is.character, args[!colour]))))
    }
  }
  out
}

with_comma <- function(expr) {
  old <- options(zhetysu.decimal_mark = ",")
  on.exit(options(old))
  expr
}

test_that("every number drawn on a plot follows decimal_mark", {
  ct <- crosstab(mtcars, cyl, gear)
  ref <- row_pct(table(mtcars$cyl, mtcars$gear))
  # the reference: base rounding half away from zero, one decimal, comma
  one <- function(x) sub(".", ",", sprintf("%.1f", floor(x * 10 + 0.5 + 1e-9) / 10), fixed = TRUE)
  for (how in c("argument", "option")) {
    txt <- if (how == "argument") {
      drawn_text(plot(ct, digits = 1, decimal_mark = ","))
    } else {
      with_comma(drawn_text(plot(ct, digits = 1)))
    }
    seg <- grep("%", txt$C_text, value = TRUE)  # the legend is text too
    expect_true(length(seg) > 0, label = how)
    expect_true(all(grepl("^[0-9]+,[0-9]%$", seg)), label = how)
    expect_true(all(seg %in% paste0(one(t(ref)[t(ref) > 0]), "%")), label = how)
    expect_false(any(grepl(".", unlist(txt), fixed = TRUE)), label = how)
    expect_true(all(grepl("^[0-9]+%$", txt$C_axis[grepl("%", txt$C_axis)])))
  }
  # the point by default
  seg <- grep("%", drawn_text(plot(ct, digits = 1))$C_text, value = TRUE)
  expect_true(all(grepl("^[0-9]+[.][0-9]%$", seg)))
  # the correlation heat map: coefficients and the N of the title
  cm <- cor_matrix(mtcars, c(mpg, wt, qsec))
  txt <- with_comma(drawn_text(plot(cm)))
  coef <- txt$C_text
  expect_true(all(grepl("^-?,[0-9]{2}[*]{0,2}$", coef)))
  r <- cm$r[row(cm$r) != col(cm$r)]
  two <- function(x) sub("^(-?)0[.]", "\\1,", sprintf("%.2f", sign(x) * floor(abs(x) * 100 + 0.5 + 1e-9) / 100))
  expect_setequal(sub("[*]+$", "", coef), two(r))
  expect_true(any(grepl("N = 32", txt$C_title, fixed = TRUE)))
  # the label-building function itself
  bt <- zhetysu:::zh_bar_texts(c(-50, 0, 50), c(12.25, 3.75), 1L, ",")
  expect_identical(bt$ticks, c("50%", "0%", "50%"))
  expect_identical(bt$labels, c("12,3%", "3,8%"))
  expect_error(plot(ct, decimal_mark = ";"), class = "zhetysu_error_format")
})
