test_that("a forked child runs the engines after the parent ran a parallel region", {
  skip_on_os("windows")
  # the parent opens an OpenMP region of two threads (crosstab counts rows
  # in parallel from 1e5 rows on)
  d <- data.frame(a = rep(1:3, length.out = 2e5), b = rep(1:4, each = 5e4))
  old <- options(zhetysu.threads = 2)
  on.exit(options(old), add = TRUE)
  parent <- crosstab(d, a, b)$observed
  expect_identical(sum(parent), 2e5)
  job <- parallel::mcparallel(crosstab(d, a, b)$observed)
  res <- NULL
  for (i in seq_len(600)) { # up to 60 s: the child hung forever before
    res <- parallel::mccollect(job, wait = FALSE)
    if (!is.null(res)) break
    Sys.sleep(0.1)
  }
  if (is.null(res)) {
    tools::pskill(job$pid)
    parallel::mccollect(job, wait = TRUE)
  }
  expect_false(is.null(res))
  expect_identical(res[[1]], parent)
  # mclapply, the common front end of fork
  out <- parallel::mclapply(1:2, function(i) crosstab(d, a, b)$observed, mc.cores = 2)
  expect_identical(out, list(parent, parent))
})

test_that("the OpenMP environment limits cap the option", {
  skip_on_os("windows")
  used <- function(n) .Call(zhetysu:::zh_threads_used, n)
  expect_identical(used(1L), 1L)
  expect_lte(used(64L), max(1L, parallel::detectCores()))
  old <- Sys.getenv("OMP_NUM_THREADS", unset = NA)
  on.exit(if (is.na(old)) Sys.unsetenv("OMP_NUM_THREADS") else Sys.setenv(OMP_NUM_THREADS = old))
  Sys.setenv(OMP_NUM_THREADS = "1")
  expect_identical(used(2L), 1L)
  # OMP_THREAD_LIMIT is read when the OpenMP runtime starts: a new process
  rscript <- file.path(R.home("bin"), "Rscript")
  out <- system2(rscript, c("-e", shQuote("cat(.Call(zhetysu:::zh_threads_used, 2L))")),
                 stdout = TRUE,
                 env = c(paste0("R_LIBS=", paste(.libPaths(), collapse = .Platform$path.sep)),
                         "OMP_THREAD_LIMIT=1", "OMP_NUM_THREADS="))
  expect_identical(out, "1")
})

test_that("a bad zhetysu.threads option is a classed error naming the option", {
  d <- data.frame(a = 1:3, b = c(1, 1, 2))
  for (bad in list(Inf, 1e10, 2.5, -1, "a", NA, 0)) {
    old <- options(zhetysu.threads = bad)
    expect_error(crosstab(d, a, b), class = "zhetysu_error_option")
    expect_error(crosstab(d, a, b), "zhetysu.threads")
    options(old)
  }
  old <- options(zhetysu.threads = Inf)
  on.exit(options(old))
  expect_snapshot(error = TRUE, {
    crosstab(d, a, b)
    options(zhetysu.threads = 2.5)
    crosstab(d, a, b)
    options(zhetysu.threads = 1e10)
    crosstab(d, a, b)
  })
})
