#!/usr/bin/env bash
# make sanitize: build the package with ASan + UBSan (gcc) into a private
# library and run the testthat suite under it. R itself is not built with
# ASan, so the ASan runtime is preloaded into the R process. Any sanitizer
# report, test failure or test error fails the run.
# Usage: tools/sanitize.sh LIBDIR [test filter regex]
set -euo pipefail
cd "$(dirname "$0")/.."
lib=${1:?library directory}
filter=${2:-}
R=${R:-R}
RSCRIPT=${RSCRIPT:-Rscript}
log=$lib/../sanitize.log

rm -rf "$lib"
mkdir -p "$lib"
# --preclean/--clean: the sanitized objects must never be left in src/,
# where a later ordinary build would pick them up.
R_MAKEVARS_USER="$PWD/tools/Makevars.sanitize" \
  $R CMD INSTALL --preclean --clean --no-multiarch --no-test-load -l "$lib" .

libasan=$(gcc -print-file-name=libasan.so)
if [ ! -e "$libasan" ]; then
  echo "sanitize: gcc has no libasan.so ($libasan)" >&2
  exit 1
fi
# R leaks by design (detect_leaks=0); R's own allocator tricks upset ASan's
# mismatch and container checks, which are about R, not the package.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:exitcode=99:detect_leaks=0:print_stacktrace=1:allocator_may_return_null=1:detect_odr_violation=0:strict_init_order=0"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=0:exitcode=99:print_stacktrace=1"
export ZHETYSU_SANITIZE=1
export NOT_CRAN=true

set +e
LD_PRELOAD="$libasan" R_LIBS="$lib${R_LIBS:+:$R_LIBS}" $RSCRIPT --vanilla -e "
  options(warn = 1)
  library(testthat)
  res <- testthat::test_dir('tests/testthat', package = 'zhetysu', load_package = 'installed',
                            filter = if (nzchar('$filter')) '$filter' else NULL,
                            reporter = 'summary', stop_on_failure = TRUE)
  df <- as.data.frame(res)
  cat(sprintf('sanitize: %d tests files, %d expectations, %d failed, %d errors, %d skipped\n',
              length(unique(df\$file)), sum(df\$nb), sum(df\$failed), sum(df\$error), sum(df\$skipped)))
  cat(sprintf('%d passed, %d failed, %d skipped\n', sum(df\$nb) - sum(df\$failed) - sum(df\$skipped),
              sum(df\$failed) + sum(df\$error), sum(df\$skipped)), file = '$log.summary')
" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# Belt and braces: a report that did not end the process still fails the run.
if grep -qE 'ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer|UndefinedBehaviorSanitizer' "$log"; then
  echo "sanitize: sanitizer report found in $log" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "sanitize: test run failed (exit status $status); see $log" >&2
  exit "$status"
fi
echo "sanitize: OK"
# the closing line CI reads: N passed, N failed
echo "sanitize: $(cat "$log.summary")"
