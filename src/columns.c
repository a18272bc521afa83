/* Category codes for numeric columns whose values are whole numbers in a
 * small range (survey codes, SPSS values read by haven): two passes over
 * the vector (one for integer codes 1..k), no sorting or hashing. Other
 * columns return NULL and the R side falls back to sort(unique()) + match(). */
#include "zhetysu.h"
#include <math.h>
#include <string.h>
#include <limits.h>

/* Values in [ZH_WIN_LO, ZH_WIN_LO + ZH_WIN) are marked during the range scan,
 * so that columns of such values (nearly every survey item) need no second
 * pass to learn which values occur. */
#define ZH_WIN_LO (-32768)
#define ZH_WIN 65536

/* Returns -1 if x has an infinite value, 0 if it is not whole numbers in a
 * range below max_range (or has no value at all), 1 otherwise, with the
 * minimum and maximum in *lo, *hi; win[v - ZH_WIN_LO] is set for every value
 * v inside the window. */
static int scan_range(SEXP x, R_xlen_t n, double max_range, double *lo, double *hi,
                      unsigned char *restrict win)
{
    double mn = R_PosInf, mx = R_NegInf;
    int integral = 1;
    if (TYPEOF(x) == INTSXP) {
        const int *p = INTEGER(x);
        int imn = INT_MAX, imx = INT_MIN, any = 0;
        for (R_xlen_t i = 0; i < n; i++) {
            int v = p[i];
            if (v == NA_INTEGER) continue;
            any = 1;
            if (v < imn) imn = v;
            if (v > imx) imx = v;
            unsigned u = (unsigned) v - (unsigned) ZH_WIN_LO;
            if (u < (unsigned) ZH_WIN) win[u] = 1;
        }
        if (any) {
            mn = imn;
            mx = imx;
        }
    } else {
        const double *p = REAL(x);
        for (R_xlen_t i = 0; i < n; i++) {
            double v = p[i];
            if (ISNAN(v)) continue;
            if (!R_FINITE(v)) return -1;
            if (v != floor(v)) integral = 0;
            if (v < mn) mn = v;
            if (v > mx) mx = v;
            if (v >= ZH_WIN_LO && v < ZH_WIN_LO + ZH_WIN) win[(int) v - ZH_WIN_LO] = 1;
        }
    }
    if (!integral || !(mx >= mn) || mx - mn >= max_range) return 0;
    *lo = mn;
    *hi = mx;
    return 1;
}

SEXP zh_small_codes(SEXP x, SEXP max_range)
{
    if (TYPEOF(x) != INTSXP && TYPEOF(x) != REALSXP) zh_internal_error("`x` must be numeric");
    R_xlen_t n = XLENGTH(x);
    double lo = 0, hi = 0;
    double limit = Rf_asReal(max_range);
    if (!(limit <= 16777216)) limit = 16777216;  /* scratch of at most 64 MB */
    unsigned char *win = (unsigned char *) R_alloc(ZH_WIN, 1);
    memset(win, 0, ZH_WIN);
    int status = scan_range(x, n, limit, &lo, &hi, win);
    if (status < 0) return Rf_ScalarInteger(-1);
    if (status == 0) return R_NilValue;
    R_xlen_t span = (R_xlen_t) (hi - lo) + 1;
    int *map = (int *) R_alloc(span, sizeof(int));
    const int *pi = TYPEOF(x) == INTSXP ? INTEGER(x) : NULL;
    const double *pd = TYPEOF(x) == REALSXP ? REAL(x) : NULL;
    if (lo >= ZH_WIN_LO && hi < ZH_WIN_LO + ZH_WIN) {
        for (R_xlen_t v = 0; v < span; v++) map[v] = win[(R_xlen_t) lo - ZH_WIN_LO + v];
    } else {
        memset(map, 0, span * sizeof(int));
        for (R_xlen_t i = 0; i < n; i++) {
            if (pi) { if (pi[i] != NA_INTEGER) map[(R_xlen_t) (pi[i] - lo)] = 1; }
            else if (!ISNAN(pd[i])) map[(R_xlen_t) (pd[i] - lo)] = 1;
        }
    }
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
