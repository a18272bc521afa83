/* Association screen: many factors against one outcome. One pass over the
 * rows counts every factor's table at once, in row blocks small enough that
 * the outcome codes (and weights) of a block stay in cache while each factor
 * is counted against them; OpenMP threads own disjoint sets of factors, so no
 * table is shared. The tables then go through crosstab()'s own count rule,
 * empty-category rule and statistics (zh_tables_stats()). */
#include "zhetysu.h"
#include <math.h>
#include <string.h>

/* Rows per cache block: 4096 outcome offsets and weights take 48 KB. */
#define ZH_SUB 4096

/* Outcome offsets of one block: 0..nc-1 for a countable case, -1 for a
 * missing outcome or weight (missing for every factor), -2 for a code
 * outside the table (refused, never used as an index). */
static void outcome_block(const int *restrict o, const double *restrict w, R_xlen_t from,
                          R_xlen_t to, int nc, int *restrict off, double *restrict wb)
{
    for (R_xlen_t k = from; k < to; k++) {
        double wk = w ? w[k] : 1.0;
        unsigned u = (unsigned) o[k] - 1u;
        int v;
        if (o[k] != NA_INTEGER && u >= (unsigned) nc) v = -2;
        else if (o[k] == NA_INTEGER || ISNAN(wk)) v = -1;
        else v = (int) u;
        off[k - from] = v;
        wb[k - from] = wk;
    }
}

/* Outcome slots of one block for the unweighted path (see count_block_int). */
static void outcome_slots(const int *restrict o, R_xlen_t from, R_xlen_t to, int nc,
                          int *restrict off)
{
    for (R_xlen_t k = from; k < to; k++) {
        unsigned u = (unsigned) o[k] - 1u;
        off[k - from] = u < (unsigned) nc ? (int) u : nc + (o[k] != NA_INTEGER);
    }
}

/* Counts one factor over one block into tab (nr x nc, column-major, the
 * factor in rows). miss[0] counts cases left out, miss[1] their weight. */
static void count_block(const int *restrict x, const int *restrict off, const double *restrict wb,
                        R_xlen_t from, R_xlen_t len, int nr, double *restrict tab,
                        double *restrict miss, R_xlen_t *restrict bad)
{
    const int *xb = x + from;
    double m0 = 0, m1 = 0;
    R_xlen_t nbad = 0;
    for (R_xlen_t k = 0; k < len; k++) {
        int ok = off[k];
        unsigned ux = (unsigned) xb[k] - 1u;
        if (ok >= 0 && ux < (unsigned) nr) {
            tab[(size_t) ok * nr + ux] += wb[k];
        } else if (ok == -2 || (ux >= (unsigned) nr && xb[k] != NA_INTEGER)) {
            /* a bad code anywhere is reported, even in a case left out */
            nbad++;
        } else {
            m0 += 1;
            if (!ISNAN(wb[k])) m1 += wb[k];
        }
    }
    miss[0] += m0;
    miss[1] += m1;
    *bad += nbad;
}

/* Unweighted counting, branch-free, into 32-bit counters (a chunk has at
 * most ZH_BLOCK rows, so they cannot overflow). The table has two extra
 * slots per side: index nr (nc) for a missing code, nr + 1 (nc + 1) for a
 * code outside the table, so every case lands somewhere and nothing is read
 * out of bounds. `off` holds the outcome slots of the block. */
#define ZH_SLOT(v, n) ((unsigned) (v) - 1u < (unsigned) (n) ? (unsigned) (v) - 1u \
                       : (unsigned) (n) + ((v) != NA_INTEGER))
static void count_block_int(const int *restrict x, const int *restrict off, R_xlen_t from,
                            R_xlen_t len, int nr, int *restrict tab)
{
    const int *xb = x + from;
    const unsigned stride = (unsigned) nr + 2u;
    for (R_xlen_t k = 0; k < len; k++) tab[(unsigned) off[k] * stride + ZH_SLOT(xb[k], nr)]++;
}

/* The same for four factors at once: one pass over the block's outcome
 * slots, and four independent tables so that increments do not wait on
 * each other. */
static void count_block_int4(const int *const *x, const int *restrict off, R_xlen_t from,
                             R_xlen_t len, const int *nr, int *const *tab)
{
    const int *restrict x0 = x[0] + from, *restrict x1 = x[1] + from;
    const int *restrict x2 = x[2] + from, *restrict x3 = x[3] + from;
    int *restrict t0 = tab[0], *restrict t1 = tab[1], *restrict t2 = tab[2], *restrict t3 = tab[3];
    const unsigned n0 = nr[0], n1 = nr[1], n2 = nr[2], n3 = nr[3];
    for (R_xlen_t k = 0; k < len; k++) {
        unsigned o = (unsigned) off[k];
        t0[o * (n0 + 2u) + ZH_SLOT(x0[k], n0)]++;
        t1[o * (n1 + 2u) + ZH_SLOT(x1[k], n1)]++;
        t2[o * (n2 + 2u) + ZH_SLOT(x2[k], n2)]++;
        t3[o * (n3 + 2u) + ZH_SLOT(x3[k], n3)]++;
    }
}

/* Adds a chunk's 32-bit counts into the double table (nr x nc) and the
 * missing cases; returns the number of codes outside the table. */
static R_xlen_t flush_int(int *restrict it, int nr, int nc, double *restrict tab,
                          double *restrict miss)
{
    int sr = nr + 2;
    R_xlen_t nbad = 0;
    for (int j = 0; j < nc + 2; j++)
        for (int i = 0; i < sr; i++) {
            int v = it[i + j * sr];
            if (!v) continue;
            if (i < nr && j < nc) tab[i + (size_t) j * nr] += v;
            else if (i == nr + 1 || j == nc + 1) nbad += v;
            else { miss[0] += v; miss[1] += v; }
            it[i + j * sr] = 0;
        }
    return nbad;
}

/* outcome: integer codes 1..ncat; factors: a list of integer code vectors,
 * factor f with levels[f] categories; weights: NULL or doubles. Returns
 * list(tables = the raw (weighted) tables, factor in rows, missing = nf x 2
 * matrix of the cases left out and their weight, bad = the number of codes
 * outside 1..levels, which the R side turns into the error naming the
 * malformed factor). The count rule, the
 * dropping of empty categories and the statistics are crosstab()'s own
 * (R/counts.R, zh_tables_stats()). */
SEXP zh_association_count(SEXP outcome, SEXP factors, SEXP weights, SEXP levels, SEXP ncat,
                          SEXP threads)
{
    if (TYPEOF(outcome) != INTSXP || TYPEOF(factors) != VECSXP || TYPEOF(levels) != INTSXP)
        zh_internal_error("bad argument types");
    R_xlen_t n = XLENGTH(outcome);
    int nf = (int) XLENGTH(factors), nc = Rf_asInteger(ncat);
    if (nc == NA_INTEGER || nc < 1)
        zh_internal_error("the outcome has no categories");
    if (XLENGTH(levels) != nf)
        zh_internal_error("factors and levels differ in length");
    const double *w = NULL;
    if (!Rf_isNull(weights)) {
        if (TYPEOF(weights) != REALSXP || XLENGTH(weights) != n)
            zh_internal_error("weights must be a double vector as long as the codes");
        w = REAL(weights);
    }
    const int *o = INTEGER(outcome), *lev = INTEGER(levels);
    const int **x = (const int **) R_alloc(nf > 0 ? nf : 1, sizeof(int *));
    size_t *at = (size_t *) R_alloc(nf + 1, sizeof(size_t));
    at[0] = 0;
    for (int f = 0; f < nf; f++) {
        SEXP xf = VECTOR_ELT(factors, f);
        if (TYPEOF(xf) != INTSXP || XLENGTH(xf) != n)
            zh_internal_error("factor codes must be integer vectors as long as the outcome");
        if (lev[f] == NA_INTEGER || lev[f] < 1)
            zh_internal_error("bad levels or scores of factor %d", f + 1);
        x[f] = INTEGER(xf);
        at[f + 1] = at[f] + (size_t) lev[f] * nc;
    }

    int nt = n < 100000 || nf < 2 ? 1 : zh_nthreads(threads);
    if (nt > nf) nt = nf > 0 ? nf : 1;
    double *tabs = (double *) R_alloc(at[nf] > 0 ? at[nf] : 1, sizeof(double));
    memset(tabs, 0, at[nf] * sizeof(double));
    double *miss = (double *) R_alloc(2 * (size_t) (nf > 0 ? nf : 1), sizeof(double));
    memset(miss, 0, 2 * (size_t) nf * sizeof(double));
    R_xlen_t *bad = (R_xlen_t *) R_alloc(nt, sizeof(R_xlen_t));
    memset(bad, 0, nt * sizeof(R_xlen_t));
    int *offs = (int *) R_alloc((size_t) nt * ZH_SUB, sizeof(int));
    double *wbs = (double *) R_alloc((size_t) nt * ZH_SUB, sizeof(double));

    /* 32-bit tables of the unweighted path, one per factor */
    size_t *iat = (size_t *) R_alloc(nf + 1, sizeof(size_t));
    iat[0] = 0;
    for (int f = 0; f < nf; f++) iat[f + 1] = iat[f] + (size_t) (lev[f] + 2) * (nc + 2);
    int *itabs = NULL;
    if (!w) {
        itabs = (int *) R_alloc(iat[nf] > 0 ? iat[nf] : 1, sizeof(int));
        memset(itabs, 0, iat[nf] * sizeof(int));
    }

    for (R_xlen_t start = 0; start < n && nf > 0; start += ZH_BLOCK) {
        R_xlen_t end = start + ZH_BLOCK < n ? start + ZH_BLOCK : n;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static, 1)
#endif
        for (int t = 0; t < nt; t++) {
            int f0 = (int) ((long long) nf * t / nt), f1 = (int) ((long long) nf * (t + 1) / nt);
            int *off = offs + (size_t) t * ZH_SUB;
            double *wb = wbs + (size_t) t * ZH_SUB;
            for (R_xlen_t from = start; from < end; from += ZH_SUB) {
                R_xlen_t to = from + ZH_SUB < end ? from + ZH_SUB : end;
                if (w) {
                    outcome_block(o, w, from, to, nc, off, wb);
                    for (int f = f0; f < f1; f++)
                        count_block(x[f], off, wb, from, to - from, lev[f], tabs + at[f],
                                    miss + 2 * (size_t) f, bad + t);
                } else {
                    outcome_slots(o, from, to, nc, off);
                    int f = f0;
                    for (; f + 4 <= f1; f += 4) {
                        int *tb[4];
                        for (int g = 0; g < 4; g++) tb[g] = itabs + iat[f + g];
                        count_block_int4(x + f, off, from, to - from, lev + f, tb);
                    }
                    for (; f < f1; f++)
                        count_block_int(x[f], off, from, to - from, lev[f], itabs + iat[f]);
                }
            }
            if (!w)
                for (int f = f0; f < f1; f++)
                    bad[t] += flush_int(itabs + iat[f], lev[f], nc, tabs + at[f],
                                        miss + 2 * (size_t) f);
        }
        R_CheckUserInterrupt();
    }
    R_xlen_t nbad = 0;
    for (int t = 0; t < nt; t++) nbad += bad[t];

    SEXP tables = PROTECT(Rf_allocVector(VECSXP, nf));
    SEXP mis = PROTECT(Rf_allocMatrix(REALSXP, nf, 2));
    for (int f = 0; f < nf; f++) {
        SEXP tab = Rf_allocMatrix(REALSXP, lev[f], nc);
        SET_VECTOR_ELT(tables, f, tab);
        memcpy(REAL(tab), tabs + at[f], (size_t) lev[f] * nc * sizeof(double));
        REAL(mis)[f] = miss[2 * (size_t) f];
        REAL(mis)[f + (size_t) nf] = miss[2 * (size_t) f + 1];
    }
    const char *nm[] = {"tables", "missing", "bad", ""};
    SEXP out = PROTECT(Rf_mkNamed(VECSXP, nm));
    SET_VECTOR_ELT(out, 0, tables);
    SET_VECTOR_ELT(out, 1, mis);
    SET_VECTOR_ELT(out, 2, Rf_ScalarReal((double) nbad));
    UNPROTECT(3);
    return out;
}
