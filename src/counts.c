/* k-way counting: one pass over the rows counts the full table of k
 * variables (row x col x layer x ...) and, per variable, its missing cases by
 * kind (each user-missing code, and system missing). Every contingency
 * statistic starts from this table (R/counts.R builds the zh_counts object). */
#include "zhetysu.h"
#include <string.h>

#define ZH_MAXVARS 16
#define ZH_SMALL_CELLS 1024

typedef struct {
    int k;                       /* number of variables */
    const int *x[ZH_MAXVARS];    /* codes: 1..nl valid, nl+1..nl+nm user missing, NA system */
    unsigned nl[ZH_MAXVARS], nm[ZH_MAXVARS];
    size_t stride[ZH_MAXVARS];   /* cell index = sum (code - 1) * stride */
    size_t at[ZH_MAXVARS];       /* offset of each variable's missing slots */
    size_t nslots;               /* all missing slots: sum (nm + 1) */
    size_t cells;
    const double *w;
} kway;

/* A case that is not counted in the table: tallied as left out and, for
 * each variable whose value is missing, in that variable's slot (weight and
 * cases). Cases with a missing weight count only as left out (SPSS leaves
 * them out of every table). Returns 1 for a code outside every range. */
static int left_out(const kway *kw, R_xlen_t row, double wk, double *restrict left,
                    double *restrict mw, double *restrict mc)
{
    int bad = 0, wok = !ISNAN(wk);
    left[0] += 1;
    if (wok) left[1] += wk;
    for (int v = 0; v < kw->k; v++) {
        int c = kw->x[v][row];
        size_t slot;
        if (c == NA_INTEGER) {
            slot = kw->nm[v];
        } else {
            unsigned u = (unsigned) c - 1u;
            if (u < kw->nl[v]) continue;
            if (u - kw->nl[v] < kw->nm[v]) slot = u - kw->nl[v];  /* u >= nl here */
            else { bad = 1; continue; }
        }
        if (wok) {
            mw[kw->at[v] + slot] += wk;
            mc[kw->at[v] + slot] += 1;
        }
    }
    return bad;
}

/* The cell of row r (branch-free over the K variables); 0 when a code is
 * not a valid category (the index is then not used). */
static inline int cell_index(const kway *kw, int K, R_xlen_t r, size_t *idx)
{
    size_t i = 0;
    int ok = 1;
    for (int v = 0; v < K; v++) {
        unsigned u = (unsigned) kw->x[v][r] - 1u;
        ok &= u < kw->nl[v];
        i += (size_t) u * kw->stride[v];
    }
    *idx = i;
    return ok;
}

/* Rows [from, to) into tab; left[0..1] cases and weight left out; mw / mc
 * the missing slots. Unweighted small tables count into four interleaved
 * 32-bit copies (neighbouring rows hitting one cell do not wait on each
 * other); the caller passes at most 2^32 rows. K is the number of
 * variables, a constant in the calls below so that the loop over the
 * variables unrolls. */
static inline R_xlen_t count_block_k(const kway *kw, const int K, R_xlen_t from, R_xlen_t to,
                                     double *restrict tab, double *restrict left,
                                     double *restrict mw, double *restrict mc,
                                     unsigned *restrict lanes)
{
    const double *w = kw->w;
    R_xlen_t nbad = 0;
    if (!w && lanes) {
        const unsigned cells = (unsigned) kw->cells;
        memset(lanes, 0, 4 * (size_t) cells * sizeof(unsigned));
        for (R_xlen_t r = from; r < to; r++) {
            size_t idx;
            if (cell_index(kw, K, r, &idx)) lanes[(r & 3) * cells + idx]++;
            else nbad += left_out(kw, r, 1.0, left, mw, mc);
        }
        for (unsigned i = 0; i < cells; i++)
            tab[i] += (double) lanes[i] + lanes[cells + i] + lanes[2 * cells + i] +
                      lanes[3 * cells + i];
        return nbad;
    }
    for (R_xlen_t r = from; r < to; r++) {
        size_t idx;
        int ok = cell_index(kw, K, r, &idx);
        double wk = w ? w[r] : 1.0;
        if (ok && !ISNAN(wk)) tab[idx] += wk;
        else nbad += left_out(kw, r, wk, left, mw, mc);
    }
    return nbad;
}

static R_xlen_t count_block(const kway *kw, R_xlen_t from, R_xlen_t to, double *restrict tab,
                            double *restrict left, double *restrict mw, double *restrict mc,
                            unsigned *restrict lanes)
{
    switch (kw->k) {
    case 1: return count_block_k(kw, 1, from, to, tab, left, mw, mc, lanes);
    case 2: return count_block_k(kw, 2, from, to, tab, left, mw, mc, lanes);
    case 3: return count_block_k(kw, 3, from, to, tab, left, mw, mc, lanes);
    case 4: return count_block_k(kw, 4, from, to, tab, left, mw, mc, lanes);
    default: return count_block_k(kw, kw->k, from, to, tab, left, mw, mc, lanes);
    }
}

/* codes: list of k integer vectors of one length; nlev, nmiss: integer
 * vectors (valid categories, user-missing codes per variable); weights NULL
 * or doubles. Returns list(table = k-way double array, left_out = c(cases,
 * weight), missing = list of k double vectors c(weights of the user codes,
 * system; cases of the user codes, system)). */
SEXP zh_count_kway(SEXP codes, SEXP nlev, SEXP nmiss, SEXP weights, SEXP threads)
{
    if (TYPEOF(codes) != VECSXP || TYPEOF(nlev) != INTSXP || TYPEOF(nmiss) != INTSXP)
        zh_internal_error("bad argument types");
    kway kw;
    kw.k = (int) XLENGTH(codes);
    if (kw.k < 1 || kw.k > ZH_MAXVARS || XLENGTH(nlev) != kw.k || XLENGTH(nmiss) != kw.k)
        zh_internal_error("1 to %d variables, with as many levels", ZH_MAXVARS);
    R_xlen_t n = XLENGTH(VECTOR_ELT(codes, 0));
    double cells = 1;
    kw.nslots = 0;
    for (int v = 0; v < kw.k; v++) {
        SEXP xv = VECTOR_ELT(codes, v);
        int nl = INTEGER(nlev)[v], nm = INTEGER(nmiss)[v];
        if (TYPEOF(xv) != INTSXP || XLENGTH(xv) != n)
            zh_internal_error("codes must be integer vectors of one length");
        if (nl == NA_INTEGER || nl < 1 || nm == NA_INTEGER || nm < 0)
            zh_internal_error("bad number of levels");
        kw.x[v] = INTEGER(xv);
        kw.nl[v] = (unsigned) nl;
        kw.nm[v] = (unsigned) nm;
        kw.stride[v] = (size_t) cells;
        cells *= nl;
        kw.at[v] = kw.nslots;
        kw.nslots += (size_t) nm + 1;
    }
    if (cells > 4503599627370496.0) zh_internal_error("table too large");
    kw.cells = (size_t) cells;
    kw.w = NULL;
    if (!Rf_isNull(weights)) {
        if (TYPEOF(weights) != REALSXP || XLENGTH(weights) != n)
            zh_internal_error("weights must be a double vector as long as the codes");
        kw.w = REAL(weights);
    }

    int nt = n < 100000 ? 1 : zh_nthreads(threads);
    /* per-thread tables only where they are small next to the data */
    if (nt > 1 && (double) kw.cells * nt > (double) n / 4) nt = 1;
    int small = !kw.w && kw.cells <= ZH_SMALL_CELLS;
    size_t per = kw.cells + 2 + 2 * kw.nslots;
    double *acc = (double *) R_alloc(per * nt, sizeof(double));
    memset(acc, 0, per * nt * sizeof(double));
    unsigned *lanes = small ? (unsigned *) R_alloc(4 * kw.cells * nt, sizeof(unsigned)) : NULL;
    R_xlen_t *bad = (R_xlen_t *) R_alloc(nt, sizeof(R_xlen_t));
    for (int t = 0; t < nt; t++) bad[t] = 0;

    R_xlen_t step = ZH_BLOCK * nt;
    for (R_xlen_t start = 0; start < n; start += step) {
        R_xlen_t end = start + step < n ? start + step : n, len = end - start;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static, 1)
#endif
        for (int t = 0; t < nt; t++) {
            double *a = acc + per * t;
            R_xlen_t from = start + len * t / nt, to = start + len * (t + 1) / nt;
            bad[t] += count_block(&kw, from, to, a, a + kw.cells, a + kw.cells + 2,
                                  a + kw.cells + 2 + kw.nslots,
                                  small ? lanes + 4 * kw.cells * t : NULL);
        }
        R_CheckUserInterrupt();
    }
    R_xlen_t nbad = 0;
    for (int t = 0; t < nt; t++) nbad += bad[t];
    if (nbad > 0) zh_internal_error("%lld codes outside the table", (long long) nbad);
    for (int t = 1; t < nt; t++)
        for (size_t i = 0; i < per; i++) acc[i] += acc[per * t + i];

    const char *nm[] = {"table", "left_out", "missing", ""};
    SEXP out = PROTECT(Rf_mkNamed(VECSXP, nm));
    SEXP dim = PROTECT(Rf_allocVector(INTSXP, kw.k));
    for (int v = 0; v < kw.k; v++) INTEGER(dim)[v] = (int) kw.nl[v];
    SEXP tab = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t) kw.cells));
    memcpy(REAL(tab), acc, kw.cells * sizeof(double));
    Rf_setAttrib(tab, R_DimSymbol, dim);
    SET_VECTOR_ELT(out, 0, tab);
    SEXP lo = PROTECT(Rf_allocVector(REALSXP, 2));
    REAL(lo)[0] = acc[kw.cells];
    REAL(lo)[1] = acc[kw.cells + 1];
    SET_VECTOR_ELT(out, 1, lo);
    SEXP miss = PROTECT(Rf_allocVector(VECSXP, kw.k));
    const double *mw = acc + kw.cells + 2, *mc = mw + kw.nslots;
    for (int v = 0; v < kw.k; v++) {
        size_t s = (size_t) kw.nm[v] + 1;
        SEXP mv = Rf_allocVector(REALSXP, (R_xlen_t) (2 * s));
        SET_VECTOR_ELT(miss, v, mv);
        memcpy(REAL(mv), mw + kw.at[v], s * sizeof(double));
        memcpy(REAL(mv) + s, mc + kw.at[v], s * sizeof(double));
    }
    SET_VECTOR_ELT(out, 2, miss);
    UNPROTECT(5);
    return out;
}
