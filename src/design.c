/* Survey-design engine: one pass over the rows gives the weighted cell
 * totals of a table, per sampling unit (for the linearised variance, which
 * R then assembles per stratum) and per replicate (replicate designs). All
 * design-based statistics are functions of these totals. */
#include "zhetysu.h"
#include <string.h>

/* The sampling units (integer codes, or NULL) and the replicate weights (an
 * n x R double matrix, or NULL) of both engines, checked against n rows. */
static void design_units(SEXP unit, SEXP reps, R_xlen_t n, const int **u, int *R,
                         const double **rw)
{
    *u = NULL;
    *R = 0;
    *rw = NULL;
    if (!Rf_isNull(unit)) {
        if (TYPEOF(unit) != INTSXP || XLENGTH(unit) != n)
            zh_internal_error("units must be an integer vector with a value per row");
        *u = INTEGER(unit);
    }
    if (!Rf_isNull(reps)) {
        if (TYPEOF(reps) != REALSXP || !Rf_isMatrix(reps) || Rf_nrows(reps) != n)
            zh_internal_error("replicate weights must be a double matrix with a row per case");
        *R = Rf_ncols(reps);
        *rw = REAL(reps);
    }
}

/* cell: integer cell codes 1..K (NA = left out); w: the sampling weights;
 * unit: integer unit codes 1..U (or NULL); reps: n x R replicate (analysis)
 * weights (or NULL). Returns list(total = K, unit = U x K, rep = R x K,
 * cases = K: cases per cell, cases_pos = K: those of positive weight). */
SEXP zh_design_totals(SEXP cell, SEXP w, SEXP unit, SEXP nunit, SEXP reps, SEXP ncell)
{
    if (TYPEOF(cell) != INTSXP || TYPEOF(w) != REALSXP)
        zh_internal_error("cells must be integer and weights double");
    R_xlen_t n = XLENGTH(cell);
    if (XLENGTH(w) != n) zh_internal_error("weights differ in length");
    int K = Rf_asInteger(ncell), U = Rf_asInteger(nunit);
    if (K == NA_INTEGER || K < 1) zh_internal_error("the table needs a positive size");
    if (U == NA_INTEGER || U < 0) zh_internal_error("bad number of units");
    const int *c = INTEGER(cell);
    const int *u;
    int R;
    const double *rw;
    design_units(unit, reps, n, &u, &R, &rw);
    const double *pw = REAL(w);

    const char *nm[] = {"total", "unit", "rep", "cases", "cases_pos", ""};
    SEXP out = PROTECT(Rf_mkNamed(VECSXP, nm));
    SEXP tot = PROTECT(Rf_allocVector(REALSXP, K));
    SEXP ut = PROTECT(Rf_allocMatrix(REALSXP, u ? U : 0, K));
    SEXP rt = PROTECT(Rf_allocMatrix(REALSXP, R, K));
    SEXP ca = PROTECT(Rf_allocVector(REALSXP, K));
    SEXP cp = PROTECT(Rf_allocVector(REALSXP, K));
    double *pt = REAL(tot), *pu = REAL(ut), *pr = REAL(rt), *pca = REAL(ca), *pcp = REAL(cp);
    memset(pca, 0, (size_t) K * sizeof(double));
    memset(pcp, 0, (size_t) K * sizeof(double));
    memset(pt, 0, (size_t) K * sizeof(double));
    if (u) memset(pu, 0, (size_t) U * K * sizeof(double));
    if (R) memset(pr, 0, (size_t) R * K * sizeof(double));

    /* codes are checked, never trusted: a bad one is an error, not a read */
    R_xlen_t nbad = 0;
    for (R_xlen_t start = 0; start < n; start += ZH_BLOCK) {
        R_xlen_t end = start + ZH_BLOCK < n ? start + ZH_BLOCK : n;
        for (R_xlen_t i = start; i < end; i++) {
            if (c[i] == NA_INTEGER) continue;
            unsigned k = (unsigned) c[i] - 1u;
            if (k >= (unsigned) K || ISNAN(pw[i])) { nbad++; continue; }
            pt[k] += pw[i];
            pca[k] += 1;
            if (pw[i] > 0) pcp[k] += 1;
            if (u) {
                unsigned j = (unsigned) u[i] - 1u;
                if (j >= (unsigned) U) { nbad++; continue; }
                pu[(size_t) k * U + j] += pw[i];
            }
        }
        R_CheckUserInterrupt();
    }
    if (nbad) zh_internal_error("%lld cell or unit codes out of range", (long long) nbad);
    /* replicate weights column by column: each is read once, in order */
    for (int r = 0; r < R; r++) {
        const double *col = rw + (size_t) r * n;
        for (R_xlen_t start = 0; start < n; start += ZH_BLOCK) {
            R_xlen_t end = start + ZH_BLOCK < n ? start + ZH_BLOCK : n;
            for (R_xlen_t i = start; i < end; i++) {
                if (c[i] == NA_INTEGER) continue;
                pr[(size_t) (c[i] - 1) * R + r] += col[i];
            }
            R_CheckUserInterrupt();
        }
    }
    SET_VECTOR_ELT(out, 0, tot);
    SET_VECTOR_ELT(out, 1, ut);
    SET_VECTOR_ELT(out, 2, rt);
    SET_VECTOR_ELT(out, 3, ca);
    SET_VECTOR_ELT(out, 4, cp);
    UNPROTECT(6);
    return out;
}

/* Weighted sums of p values per row (an n x p double matrix; a row with an
 * NA value is left out), in total, per unit and per replicate: the
 * sufficient statistics of design-based means and moments. */
SEXP zh_design_sums(SEXP values, SEXP w, SEXP unit, SEXP nunit, SEXP reps)
{
    if (TYPEOF(values) != REALSXP || !Rf_isMatrix(values) || TYPEOF(w) != REALSXP)
        zh_internal_error("values must be a double matrix, weights double");
    R_xlen_t n = Rf_nrows(values);
    int p = Rf_ncols(values), U = Rf_asInteger(nunit);
    if (XLENGTH(w) != n) zh_internal_error("weights differ in length");
    if (U == NA_INTEGER || U < 0) zh_internal_error("bad number of units");
    const int *u;
    int R;
    const double *rw;
    design_units(unit, reps, n, &u, &R, &rw);
    if (u)
        for (R_xlen_t i = 0; i < n; i++)
            if ((unsigned) u[i] - 1u >= (unsigned) U) zh_internal_error("unit code out of range");
    const double *x = REAL(values), *pw = REAL(w);
    const char *nm[] = {"total", "unit", "rep", ""};
    SEXP out = PROTECT(Rf_mkNamed(VECSXP, nm));
    SEXP tot = PROTECT(Rf_allocVector(REALSXP, p));
    SEXP ut = PROTECT(Rf_allocMatrix(REALSXP, u ? U : 0, p));
    SEXP rt = PROTECT(Rf_allocMatrix(REALSXP, R, p));
    double *pt = REAL(tot), *pu = REAL(ut), *pr = REAL(rt);
    memset(pt, 0, (size_t) p * sizeof(double));
    if (u) memset(pu, 0, (size_t) U * p * sizeof(double));
    if (R) memset(pr, 0, (size_t) R * p * sizeof(double));
    for (R_xlen_t start = 0; start < n; start += ZH_BLOCK) {
        R_xlen_t end = start + ZH_BLOCK < n ? start + ZH_BLOCK : n;
        for (R_xlen_t i = start; i < end; i++) {
            int ok = !ISNAN(pw[i]);
            for (int j = 0; j < p && ok; j++) ok = !ISNAN(x[i + (size_t) j * n]);
            if (!ok) continue;
            for (int j = 0; j < p; j++) {
                double v = x[i + (size_t) j * n];
                pt[j] += pw[i] * v;
                if (u) pu[(size_t) j * U + (u[i] - 1)] += pw[i] * v;
                for (int r = 0; r < R; r++) pr[(size_t) j * R + r] += rw[i + (size_t) r * n] * v;
            }
        }
        R_CheckUserInterrupt();
    }
    SET_VECTOR_ELT(out, 0, tot);
    SET_VECTOR_ELT(out, 1, ut);
    SET_VECTOR_ELT(out, 2, rt);
    UNPROTECT(4);
    return out;
}
