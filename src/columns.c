/* Category codes for numeric columns whose values are whole numbers in a
 * small range (survey codes, SPSS values read by haven): a range scan, a
 * marking pass that stops once every value of the range is seen, and the
 * coding pass (none for integer codes 1..k); no sorting or hashing. Other
 * columns return NULL and the R side falls back to sort(unique()) + match(). */
#include "zhetysu.h"
#include <math.h>
#include <string.h>
#include <limits.h>

/* Rows between checks of whether every value of the range has been seen:
 * survey codes all occur within the first block, so the marking pass ends
 * there and a column costs one read (the range scan). */
#define ZH_SEEN_BLOCK 4096
/* accumulators of the range scan */
#define ZH_SCAN_W 16

/* Returns -1 if x has an infinite value, 0 if it is not whole numbers in a
 * range below max_range (or has no value at all), 1 otherwise, with the
 * minimum and maximum in *lo, *hi. Branch-free, with independent
 * accumulators, so that the scan is not one long dependency chain. */
static int scan_range(SEXP x, R_xlen_t n, double max_range, double *lo, double *hi)
{
    if (TYPEOF(x) == INTSXP) {
        /* NA_INTEGER is INT_MIN: it never raises a maximum, and is read as
         * INT_MAX for the minimum. The inner loop of fixed length lets gcc
         * vectorise at -O2. */
        const int *p = INTEGER(x);
        int mn[ZH_SCAN_W], mx[ZH_SCAN_W];
        for (int j = 0; j < ZH_SCAN_W; j++) {
            mn[j] = INT_MAX;
            mx[j] = INT_MIN;
        }
        R_xlen_t nw = n - n % ZH_SCAN_W;
        for (R_xlen_t i = 0; i < nw; i += ZH_SCAN_W) {
            for (int j = 0; j < ZH_SCAN_W; j++) {
                int v = p[i + j];
                int vm = v == NA_INTEGER ? INT_MAX : v;
                mn[j] = vm < mn[j] ? vm : mn[j];
                mx[j] = v > mx[j] ? v : mx[j];
            }
        }
        for (R_xlen_t i = nw; i < n; i++) {
            int v = p[i];
            int vm = v == NA_INTEGER ? INT_MAX : v;
            mn[0] = vm < mn[0] ? vm : mn[0];
            mx[0] = v > mx[0] ? v : mx[0];
        }
        for (int j = 1; j < ZH_SCAN_W; j++) {
            if (mn[j] < mn[0]) mn[0] = mn[j];
            if (mx[j] > mx[0]) mx[0] = mx[j];
        }
        if (mx[0] == INT_MIN) return 0;  /* no valid value */
        if ((double) mx[0] - (double) mn[0] >= max_range) return 0;
        *lo = mn[0];
        *hi = mx[0];
        return 1;
    }
    /* NaN fails every comparison, so it changes neither extreme, and
     * v - floor(v) > 0 is false for NaN and for whole numbers */
    const double *p = REAL(x);
    R_xlen_t n4 = n - n % 4;
    double mn[4] = {R_PosInf, R_PosInf, R_PosInf, R_PosInf};
    double mx[4] = {R_NegInf, R_NegInf, R_NegInf, R_NegInf};
    int frac = 0;
    for (R_xlen_t i = 0; i < n4; i += 4) {
        for (int j = 0; j < 4; j++) {
            double v = p[i + j];
            mn[j] = v < mn[j] ? v : mn[j];
            mx[j] = v > mx[j] ? v : mx[j];
            frac |= v - floor(v) > 0;
        }
    }
    for (R_xlen_t i = n4; i < n; i++) {
        double v = p[i];
        mn[0] = v < mn[0] ? v : mn[0];
        mx[0] = v > mx[0] ? v : mx[0];
        frac |= v - floor(v) > 0;
    }
    for (int j = 1; j < 4; j++) {
        if (mn[j] < mn[0]) mn[0] = mn[j];
        if (mx[j] > mx[0]) mx[0] = mx[j];
    }
    if (mn[0] == R_NegInf || mx[0] == R_PosInf) return -1;
    if (!(mx[0] >= mn[0])) return 0;  /* no valid value */
    if (frac || mx[0] - mn[0] >= max_range) return 0;
    *lo = mn[0];
    *hi = mx[0];
    return 1;
}

/* map[v - lo] = 1 for every value v of x; stops early once all span values
 * of the range have been seen. */
static void mark_seen(const int *pi, const double *pd, R_xlen_t n, double lo,
                      R_xlen_t span, int *restrict map)
{
    memset(map, 0, span * sizeof(int));
    R_xlen_t seen = 0;
    for (R_xlen_t start = 0; start < n; start += ZH_SEEN_BLOCK) {
        R_xlen_t end = start + ZH_SEEN_BLOCK < n ? start + ZH_SEEN_BLOCK : n;
        for (R_xlen_t i = start; i < end; i++) {
            if (pi) { if (pi[i] != NA_INTEGER) map[(R_xlen_t) (pi[i] - lo)] = 1; }
            else if (!ISNAN(pd[i])) map[(R_xlen_t) (pd[i] - lo)] = 1;
        }
        if (span <= ZH_SEEN_BLOCK) {
            seen = 0;
            for (R_xlen_t v = 0; v < span; v++) seen += map[v];
            if (seen == span) return;
        }
        if ((start / ZH_SEEN_BLOCK) % 256 == 255) R_CheckUserInterrupt();
    }
}

SEXP zh_small_codes(SEXP x, SEXP max_range)
{
    if (TYPEOF(x) != INTSXP && TYPEOF(x) != REALSXP) zh_internal_error("`x` must be numeric");
    R_xlen_t n = XLENGTH(x);
    double lo = 0, hi = 0;
    double limit = Rf_asReal(max_range);
    if (!(limit <= 16777216)) limit = 16777216;  /* scratch of at most 64 MB */
    int status = scan_range(x, n, limit, &lo, &hi);
    if (status < 0) return Rf_ScalarInteger(-1);
    if (status == 0) return R_NilValue;
    R_xlen_t span = (R_xlen_t) (hi - lo) + 1;
    int *map = (int *) R_alloc(span, sizeof(int));
    const int *pi = TYPEOF(x) == INTSXP ? INTEGER(x) : NULL;
    const double *pd = TYPEOF(x) == REALSXP ? REAL(x) : NULL;
    mark_seen(pi, pd, n, lo, span, map);
    int k = 0;
    for (R_xlen_t v = 0; v < span; v++) if (map[v]) map[v] = ++k;
    /* integer codes 1..k with every value used are their own codes: no copy */
    int identity = pi != NULL && lo == 1 && k == span;
    const char *nm[] = {"codes", "values", ""};
    SEXP out = PROTECT(Rf_mkNamed(VECSXP, nm));
    SEXP codes = PROTECT(identity ? x : Rf_allocVector(INTSXP, n));
    SEXP values = PROTECT(Rf_allocVector(REALSXP, k));
    int *pc = INTEGER(codes);
    double *pv = REAL(values);
    for (R_xlen_t v = 0; v < span; v++) if (map[v]) pv[map[v] - 1] = lo + (double) v;
    for (R_xlen_t start = 0; start < n && !identity; start += ZH_BLOCK) {
        R_xlen_t end = start + ZH_BLOCK < n ? start + ZH_BLOCK : n;
        for (R_xlen_t i = start; i < end; i++) {
            if (pi) pc[i] = pi[i] == NA_INTEGER ? NA_INTEGER : map[(R_xlen_t) (pi[i] - lo)];
            else pc[i] = ISNAN(pd[i]) ? NA_INTEGER : map[(R_xlen_t) (pd[i] - lo)];
        }
        R_CheckUserInterrupt();
    }
    SET_VECTOR_ELT(out, 0, codes);
    SET_VECTOR_ELT(out, 1, values);
    UNPROTECT(3);
    return out;
}

/* TRUE when every value is missing. Stops at the first valid value, so a
 * column with data costs nothing (anyNA() on a factor dispatches to
 * is.na() and allocates a copy). */
SEXP zh_all_missing(SEXP x)
{
    R_xlen_t n = XLENGTH(x);
    switch (TYPEOF(x)) {
    case INTSXP:
    case LGLSXP: {
        const int *p = TYPEOF(x) == INTSXP ? INTEGER(x) : LOGICAL(x);
        for (R_xlen_t i = 0; i < n; i++) if (p[i] != NA_INTEGER) return Rf_ScalarLogical(0);
        break;
    }
    case REALSXP: {
        const double *p = REAL(x);
        for (R_xlen_t i = 0; i < n; i++) if (!ISNAN(p[i])) return Rf_ScalarLogical(0);
        break;
    }
    default:
        zh_internal_error("`x` must be an integer, logical or double vector");
    }
    return Rf_ScalarLogical(1);
}
