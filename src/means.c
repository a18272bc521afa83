/* SPSS MEANS: the moments of y in each group of one pass (the engine of
 * src/describe.c, see moments.h); the ANOVA table is made from them in
 * R/means.R. */
#include "zhetysu.h"
#include "moments.h"
#include <math.h>

/* means_table(): y (double), weights (double or NULL), groups (integer codes
 * 1..K, NA = left out), K. Returns list(moments = (K + 1) x (ZH_NMOM + 1),
 * the last row all groups together, the last column each mean minus the
 * total's in units of its 2^e; missing = c(weight, cases) of missing y;
 * infinite). */
SEXP zh_means_groups(SEXP y, SEXP weights, SEXP groups, SEXP ngroups)
{
    int K = Rf_asInteger(ngroups);
    R_xlen_t n = XLENGTH(y);
    if (TYPEOF(y) != REALSXP || TYPEOF(groups) != INTSXP || XLENGTH(groups) != n || K < 1)
        zh_internal_error("invalid arguments");
    const double *w = Rf_isNull(weights) ? NULL : REAL(weights);
    if (w && XLENGTH(weights) != n) zh_internal_error("weights must have the length of y");
    zh_mom *acc = (zh_mom *) R_alloc((size_t) K + 1, sizeof(zh_mom));
    zh_psum *ps = (zh_psum *) R_alloc((size_t) K, sizeof(zh_psum));
    int *touched = (int *) R_alloc((size_t) K, sizeof(int));
    double miss[2];
    R_xlen_t ninf = zh_mom_pass(REAL(y), w, INTEGER(groups), K, n, acc, miss, ps, touched, 1,
                                NULL);
    zh_mom_init(acc + K);
    for (int k = 0; k < K; k++) zh_mom_merge(acc + K, acc + k);
    SEXP mom = PROTECT(Rf_allocMatrix(REALSXP, K + 1, ZH_NMOM + 1));
    for (int k = 0; k <= K; k++) zh_mom_out(acc + k, REAL(mom) + k, K + 1);
    /* each group's mean minus the total's in units of the total's 2^e, from
     * the means' exact parts: between groups of data offset by 1e12 keeps
     * its digits (the difference of the rounded means would not) */
    const zh_mom *T = acc + K;
    double *dev = REAL(mom) + (R_xlen_t) ZH_NMOM * (K + 1);
    for (int k = 0; k <= K; k++) {
        const zh_mom *a = acc + k;
        dev[k] = a->w > 0 && T->w > 0 ?
            (ldexp(a->base, -T->e) - ldexp(T->base, -T->e)) +
            (ldexp(a->off, -T->e) - ldexp(T->off, -T->e)) : NA_REAL;
    }
    SEXP ms = PROTECT(Rf_allocVector(REALSXP, 2));
    REAL(ms)[0] = miss[0];
    REAL(ms)[1] = miss[1];
    SEXP out = PROTECT(Rf_allocVector(VECSXP, 3));
    SET_VECTOR_ELT(out, 0, mom);
    SET_VECTOR_ELT(out, 1, ms);
    SET_VECTOR_ELT(out, 2, Rf_ScalarReal((double) ninf));
    SEXP nms = PROTECT(Rf_allocVector(STRSXP, 3));
    SET_STRING_ELT(nms, 0, Rf_mkChar("moments"));
    SET_STRING_ELT(nms, 1, Rf_mkChar("missing"));
    SET_STRING_ELT(nms, 2, Rf_mkChar("infinite"));
    Rf_setAttrib(out, R_NamesSymbol, nms);
    UNPROTECT(4);
    return out;
}
