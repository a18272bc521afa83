# zhetysu: developer and CI entry points. See README.md.
R       ?= R
RSCRIPT ?= Rscript
PKG     := zhetysu
VERSION := $(shell sed -n 's/^Version: *//p' DESCRIPTION)
TARBALL := $(PKG)_$(VERSION).tar.gz
LIB     ?= $(CURDIR)/check/lib

.PHONY: deps deps-dev document build install check check-postgres test dev report bench clean sanitize valgrind

deps:
	$(RSCRIPT) tools/install-deps.R check

deps-dev:
	$(RSCRIPT) tools/install-deps.R dev

document: deps-dev
	$(RSCRIPT) -e 'roxygen2::roxygenise()'

build: deps
	rm -f $(TARBALL)
	$(R) CMD build .

# From the tarball, so that the built vignette is installed with it
# (vignette("zhetysu"), browseVignettes("zhetysu")).
install: build
	mkdir -p $(LIB)
	$(R) CMD INSTALL --no-multiarch -l $(LIB) $(TARBALL)

# R CMD check --as-cran. The checks that need the internet (CRAN incoming,
# the clock behind the future-timestamp check) are turned off here, not in
# the package; NOT_CRAN=true runs the snapshot tests (printed output and
# error messages) that testthat skips on CRAN; R_RD4PDF drops the inconsolata font (Debian has it only in the
# very large texlive-fonts-extra), the PDF manual is still built and checked;
# ZHETYSU_SOURCE_DIR lets the tests that read R/ and tools/ find the sources.
check: build
	rm -rf check/$(PKG).Rcheck
	mkdir -p check
	_R_CHECK_CRAN_INCOMING_REMOTE_=false _R_CHECK_FUTURE_FILE_TIMESTAMPS_=false _R_CHECK_SYSTEM_CLOCK_=false \
	  R_RD4PDF="times,hyper" NOT_CRAN=true ZHETYSU_SOURCE_DIR=$(CURDIR) \
	  $(R) CMD check --as-cran --output=check $(TARBALL); \
	  status=$$?; \
	  $(RSCRIPT) tools/test-summary.R check/$(PKG).Rcheck/tests/testthat.Rout; \
	  test $$status -eq 0
	$(RSCRIPT) tools/check-log.R check/$(PKG).Rcheck/00check.log

# make check with a real PostgreSQL server (tools/postgres.sh, installed as
# root if missing): the database tests then run against it, and fail
# instead of skipping when it cannot be reached (ZHETYSU_PG_REQUIRED).
PG_ENV := ZHETYSU_PG_HOST=127.0.0.1 ZHETYSU_PG_PORT=$${ZHETYSU_PG_PORT:-55432} \
	ZHETYSU_PG_USER=postgres ZHETYSU_PG_DB=zhetysu ZHETYSU_PG_REQUIRED=true
check-postgres:
	tools/postgres.sh start
	$(PG_ENV) $(MAKE) check; status=$$?; tools/postgres.sh stop; test $$status -eq 0

# Quick test run against an installed copy (no R CMD check).
test: install
	R_LIBS=$(LIB):$$R_LIBS $(RSCRIPT) -e 'testthat::test_dir("tests/testthat", package = "$(PKG)", load_package = "installed", stop_on_failure = TRUE)'

# Strict build: compiler warnings in src/ are errors here (never in Makevars).
dev: deps
	mkdir -p $(LIB)
	R_MAKEVARS_USER=$(CURDIR)/tools/Makevars.dev $(R) CMD INSTALL --preclean --no-multiarch -l $(LIB) .

# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer (gcc,
# private Makevars, private library); any sanitizer report fails the run.
# SANITIZE_FILTER=regex limits it to some test files; slow tests can skip
# themselves with skip_if(nzchar(Sys.getenv("ZHETYSU_SANITIZE"))).
sanitize: deps
	tools/sanitize.sh $(CURDIR)/check/lib-sanitize "$(SANITIZE_FILTER)"

# Every .Call entry point and exported function on normal and edge inputs
# under valgrind: no invalid reads/writes, no use of uninitialised values.
VALGRIND ?= valgrind --error-exitcode=1 --track-origins=yes --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --suppressions=$(CURDIR)/tools/valgrind.supp
valgrind: deps
	rm -rf check/lib-valgrind
	mkdir -p check/lib-valgrind
	R_MAKEVARS_USER=$(CURDIR)/tools/Makevars.valgrind $(R) CMD INSTALL --preclean --clean --no-multiarch -l check/lib-valgrind .
	R_LIBS=$(CURDIR)/check/lib-valgrind:$$R_LIBS $(R) --vanilla --no-echo -d "$(VALGRIND)" -f tools/valgrind-entry-points.R

# The report as HTML and Word in report/, then tools/check-report.R on them.
report: install
	$(RSCRIPT) tools/install-deps.R report
	R_LIBS=$(LIB):$$R_LIBS $(RSCRIPT) tools/report.R

bench: deps
	$(RSCRIPT) tools/install-deps.R bench
	mkdir -p $(LIB)
	$(R) CMD INSTALL --no-multiarch -l $(LIB) .
	for f in bench/bench-*.R; do R_LIBS=$(LIB):$$R_LIBS $(RSCRIPT) $$f || exit 1; done

clean:
	rm -rf check report $(PKG)_*.tar.gz src/*.o src/*.so
