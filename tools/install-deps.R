# Installs the R packages (and, as root on Debian, the system tools) that
# `make check`, `make report` and the benchmarks need. Idempotent: does
# nothing when everything is there. Usage: Rscript tools/install-deps.R [group]
# where group is "check" (default), "dev", "bench" or "report".
args <- commandArgs(trailingOnly = TRUE)
group <- if (length(args)) args[[1]] else "check"

pkgs <- c("cli", "generics", "tidyselect", "knitr", "rmarkdown", "haven", "pcaPP", "vcd",
          "collapse", "tibble", "testthat",
          # Suggests of the output renderers, database and survey-design front doors
          "xml2", "flextable", "officer", "openxlsx", "survey", "DBI", "dbplyr", "dplyr",
          "RSQLite", "RPostgreSQL")
if (group %in% c("dev", "bench")) pkgs <- c(pkgs, "roxygen2", "pkgbuild", "bench")
if (group == "bench") pkgs <- c(pkgs, "psych")  # bench/bench-describe.R's peer
# command -> Debian packages that provide it (the PDF manual that
# R CMD check --as-cran builds needs pdflatex, its fonts and texi2dvi)
tools_needed <- c(pandoc = "pandoc", tidy = "tidy", qpdf = "qpdf",
                  pdflatex = "texlive-latex-base texlive-latex-recommended texlive-fonts-recommended",
                  texi2dvi = "texinfo")
# make report measures the rendered HTML in headless Chromium
if (group == "report") tools_needed <- c(tools_needed, chromium = "chromium")

have <- function(p) nzchar(system.file(package = p))
missing_pkgs <- pkgs[!vapply(pkgs, have, logical(1))]
missing_tools <- tools_needed[!nzchar(Sys.which(names(tools_needed)))]

is_root_debian <- function() {
  file.exists("/etc/debian_version") && nzchar(Sys.which("apt-get")) &&
    identical(unname(Sys.info()[["effective_user"]]), "root")
}

apt_install <- function(debs) {
  if (!length(debs)) return(TRUE)
  cmd <- paste("DEBIAN_FRONTEND=noninteractive apt-get install -y",
               "--no-install-recommends", paste(debs, collapse = " "))
  ok <- system(cmd) == 0
  if (!ok) {
    system("apt-get update -qq")
    ok <- system(cmd) == 0
  }
  ok
}

if (length(missing_pkgs) || length(missing_tools)) {
  if (is_root_debian()) {
    debs <- c(paste0("r-cran-", tolower(missing_pkgs)),
              unlist(strsplit(unname(missing_tools), " ")))
    if (!apt_install(debs)) {
      # one by one, so that one unknown name does not block the rest
      for (d in debs) apt_install(d)
    }
  }
  still <- pkgs[!vapply(pkgs, have, logical(1))]
  if (length(still)) {
    message("Installing from CRAN: ", paste(still, collapse = ", "))
    lib <- .libPaths()[1]
    utils::install.packages(still, lib = lib,
                            repos = c(CRAN = "https://cloud.r-project.org"))
  }
}
still <- pkgs[!vapply(pkgs, have, logical(1))]
if (length(still)) {
  stop("Could not install: ", paste(still, collapse = ", "), call. = FALSE)
}
invisible(TRUE)
