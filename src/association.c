/* Association screen: many factors against one outcome. One pass over the
 * rows counts every factor's table at once, in row blocks small enough that
 * the outcome codes (and weights) of a block stay in cache while each factor
 * is counted against them; OpenMP threads own disjoint sets of factors, so no
 * table is shared. The tables then go through crosstab()'s own count rule,
 * empty-category rule and statistics (zh_tables_stats()). */
#include "zhetysu.h"
#include <math.h>
#include <stdint.h>
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

/* Vectorised unweighted counting (x86-64 with AVX-512 or AVX2, chosen at
 * run time). 64 rows make one word: the codes of a word are packed to
 * saturated bytes (a code of 1..16 stays itself, anything else becomes a
 * byte outside 1..16, NA the byte -128), and each category gives a 64-bit
 * mask of the rows that have it. A cell of the table is then the population
 * count of the AND of a factor mask and an outcome mask: no scattered
 * increments, which are what limits counting with a table in memory. The
 * outcome masks of a chunk are made once per thread and serve every factor.
 * Codes outside the categories are the codes of a word that are neither in
 * a mask nor NA. */
#if defined(__x86_64__) && defined(__GNUC__)
#define ZH_WORDS 1
#include <immintrin.h>

/* Words per sub-block: the factor masks of a sub-block stay in L1, and the
 * byte counters of the AVX2 population count (at most 8 per 4 words) cannot
 * pass 255. */
#define ZH_SW 64
/* Categories a vectorised table may have on a side, and cells in all: past
 * about 64 cells, one AND and count per cell and word costs more than one
 * increment per row. */
#define ZH_SIMD_SIDE 16
#define ZH_SIMD_CELLS 64
/* Prefetch distance, in codes: one sub-block ahead. */
#define ZH_AHEAD (64 * ZH_SW)

/* The widest kernel the processor has: 2 AVX-512 (with the population count
 * of vectors), 1 AVX2, 0 none. */
static int zh_words_isa(void)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vpopcntdq") && __builtin_cpu_supports("popcnt"))
        return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt")) return 1;
    return 0;
}

/* AVX2. The 64 codes of a word are packed to bytes in two vectors (the
 * packing permutes the rows within the word; factor and outcome are packed
 * alike, so their masks agree); NA codes are counted in the lanes of a
 * vector. */
#define ZH_TARGET __attribute__((target("avx2,popcnt")))

ZH_TARGET static inline R_xlen_t word_masks_avx2(const int *p, int ncat, uint64_t *ms,
                                                 __m256i *nacc)
{
    const __m256i na = _mm256_set1_epi32(NA_INTEGER);
    __m256i v[8], b[2];
    for (int k = 0; k < 8; k++) {
        v[k] = _mm256_loadu_si256((const __m256i *) (p + 8 * k));
        *nacc = _mm256_sub_epi32(*nacc, _mm256_cmpeq_epi32(v[k], na));
    }
    b[0] = _mm256_packs_epi16(_mm256_packs_epi32(v[0], v[1]), _mm256_packs_epi32(v[2], v[3]));
    b[1] = _mm256_packs_epi16(_mm256_packs_epi32(v[4], v[5]), _mm256_packs_epi32(v[6], v[7]));
    uint64_t any = 0;
    for (int j = 0; j < ncat; j++) {
        __m256i l = _mm256_set1_epi8((char) (j + 1));
        uint32_t lo = (uint32_t) _mm256_movemask_epi8(_mm256_cmpeq_epi8(b[0], l));
        uint32_t hi = (uint32_t) _mm256_movemask_epi8(_mm256_cmpeq_epi8(b[1], l));
        uint64_t mk = (uint64_t) lo | ((uint64_t) hi << 32);
        ms[(size_t) j * ZH_SW] = mk;
        any |= mk;
    }
    return __builtin_popcountll(any);
}

ZH_TARGET static inline R_xlen_t nacc_sum_avx2(__m256i a)
{
    int32_t t[8];
    _mm256_storeu_si256((__m256i *) t, a);
    R_xlen_t s = 0;
    for (int k = 0; k < 8; k++) s += t[k];
    return s;
}

/* The population count of a[w] & b[w] over ZH_SW words (Mula's nibble
 * lookup, four words at a time). */
ZH_TARGET static inline R_xlen_t and_count_avx2(const uint64_t *a, const uint64_t *b)
{
    const __m256i lut = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
                                         0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
    const __m256i low = _mm256_set1_epi8(0x0f);
    __m256i acc = _mm256_setzero_si256();
    for (int q = 0; q < ZH_SW; q += 4) {
        __m256i v = _mm256_and_si256(_mm256_loadu_si256((const __m256i *) (a + q)),
                                     _mm256_loadu_si256((const __m256i *) (b + q)));
        __m256i lo = _mm256_and_si256(v, low), hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low);
        acc = _mm256_add_epi8(acc, _mm256_add_epi8(_mm256_shuffle_epi8(lut, lo),
                                                   _mm256_shuffle_epi8(lut, hi)));
    }
    __m256i sad = _mm256_sad_epu8(acc, _mm256_setzero_si256());
    int64_t t[4];
    _mm256_storeu_si256((__m256i *) t, sad);
    return (R_xlen_t) (t[0] + t[1] + t[2] + t[3]);
}

#define ZH_ISA avx2
#define ZH_NACC __m256i
#define ZH_NACC_ZERO _mm256_setzero_si256()
#include "association-words.h"
#undef ZH_ISA
#undef ZH_NACC
#undef ZH_NACC_ZERO
#undef ZH_TARGET

/* AVX-512: the 64 codes of a word become one vector of bytes in row order,
 * a category's mask is one compare, and the population count is of
 * vectors. */
#define ZH_TARGET __attribute__((target("avx512f,avx512bw,avx512vpopcntdq,popcnt")))

ZH_TARGET static inline R_xlen_t word_masks_avx512(const int *p, int ncat, uint64_t *ms,
                                                   R_xlen_t *nacc)
{
    const __m512i na = _mm512_set1_epi32(NA_INTEGER);
    __m512i v[4];
    uint64_t nam = 0;
    for (int k = 0; k < 4; k++) {
        v[k] = _mm512_loadu_si512((const void *) (p + 16 * k));
        nam |= (uint64_t) _mm512_cmpeq_epi32_mask(v[k], na) << (16 * k);
    }
    *nacc += __builtin_popcountll(nam);
    __m512i b = _mm512_castsi128_si512(_mm512_cvtsepi32_epi8(v[0]));
    b = _mm512_inserti32x4(b, _mm512_cvtsepi32_epi8(v[1]), 1);
    b = _mm512_inserti32x4(b, _mm512_cvtsepi32_epi8(v[2]), 2);
    b = _mm512_inserti32x4(b, _mm512_cvtsepi32_epi8(v[3]), 3);
    uint64_t any = 0;
    for (int j = 0; j < ncat; j++) {
        uint64_t mk = _mm512_cmpeq_epi8_mask(b, _mm512_set1_epi8((char) (j + 1)));
        ms[(size_t) j * ZH_SW] = mk;
        any |= mk;
    }
    return __builtin_popcountll(any);
}

static inline R_xlen_t nacc_sum_avx512(R_xlen_t a)
{
    return a;
}

ZH_TARGET static inline R_xlen_t and_count_avx512(const uint64_t *a, const uint64_t *b)
{
    __m512i acc = _mm512_setzero_si512();
    for (int q = 0; q < ZH_SW; q += 8) {
        __m512i v = _mm512_and_si512(_mm512_loadu_si512((const void *) (a + q)),
                                     _mm512_loadu_si512((const void *) (b + q)));
        acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(v));
    }
    return (R_xlen_t) _mm512_reduce_add_epi64(acc);
}

#define ZH_ISA avx512
#define ZH_NACC R_xlen_t
#define ZH_NACC_ZERO 0
#include "association-words.h"
#undef ZH_ISA
#undef ZH_NACC
#undef ZH_NACC_ZERO
#undef ZH_TARGET
#endif

/* The unweighted counts of factors f0..f1-1 over rows start..end-1 into
 * their 32-bit tables: the factors marked in vec (NULL: none) by words of 64
 * rows against the outcome masks (om, xm: scratch), their last rows and the
 * other factors through the outcome slots of a block (off) and increments. */
static void count_chunk_int(const int *o, const int *const *x, const int *lev, int f0, int f1,
                            R_xlen_t start, R_xlen_t end, int nc, int *itabs, const size_t *iat,
                            const unsigned char *vec, int isa, int *off, void *om, void *xm,
                            R_xlen_t *bad)
{
    int nvec = 0;
    if (vec)
        for (int f = f0; f < f1; f++) nvec += vec[f];
#ifdef ZH_WORDS
    if (nvec > 0) {
        R_xlen_t nw = (end - start) / 64, tail = start + 64 * nw;
        uint64_t *m = (uint64_t *) om;
        *bad += isa == 2 ? column_masks_avx512(o + start, nw, nc, m, o + start + 64 * nw)
                         : column_masks_avx2(o + start, nw, nc, m, o + start + 64 * nw);
        for (int f = f0; f < f1; f++) {
            if (!vec[f]) continue;
            if (isa == 2)
                count_words_avx512(x[f] + start, nw, m, lev[f], nc, itabs + iat[f], (uint64_t *) xm);
            else
                count_words_avx2(x[f] + start, nw, m, lev[f], nc, itabs + iat[f], (uint64_t *) xm);
        }
        if (tail < end) {
            outcome_slots(o, tail, end, nc, off);
            for (int f = f0; f < f1; f++)
                if (vec[f]) count_block_int(x[f], off, tail, end - tail, lev[f], itabs + iat[f]);
        }
    }
#else
    (void) isa;
    (void) om;
    (void) xm;
#endif
    if (nvec == f1 - f0) return;
    for (R_xlen_t from = start; from < end; from += ZH_SUB) {
        R_xlen_t to = from + ZH_SUB < end ? from + ZH_SUB : end;
        outcome_slots(o, from, to, nc, off);
        const int *xg[4];
        int ng[4], g = 0;
        int *tb[4];
        for (int f = f0; f < f1; f++) {
            if (vec && vec[f]) continue;
            xg[g] = x[f];
            ng[g] = lev[f];
            tb[g] = itabs + iat[f];
            if (++g == 4) {
                count_block_int4(xg, off, from, to - from, ng, tb);
                g = 0;
            }
        }
        for (int k = 0; k < g; k++) count_block_int(xg[k], off, from, to - from, ng[k], tb[k]);
    }
}

/* outcome: integer codes 1..ncat; factors: a list of integer code vectors,
 * factor f with levels[f] categories; weights: NULL or doubles. Returns
 * list(tables = the raw (weighted) tables, factor in rows, missing = nf x 2
 * matrix of the cases left out and their weight, bad = the number of codes
 * outside 1..levels, which the R side turns into the error naming the
 * malformed factor). simd: the widest vectorised kernel that may be used
 * (0 none, 1 AVX2, 2 AVX-512; the results are the same, this is for
 * checking them). The count rule, the
 * dropping of empty categories and the statistics are crosstab()'s own
 * (R/counts.R, zh_tables_stats()). */
SEXP zh_association_count(SEXP outcome, SEXP factors, SEXP weights, SEXP levels, SEXP ncat,
                          SEXP threads, SEXP simd)
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

    /* the factors counted by words, and the scratch of their masks */
    unsigned char *vec = NULL;
    void *oms = NULL, *xms = NULL;
    size_t om_size = 0, xm_size = 0;
    int isa = 0;
#ifdef ZH_WORDS
    isa = zh_words_isa();
    if (Rf_asInteger(simd) < isa) isa = Rf_asInteger(simd);
    if (!w && isa > 0 && nc <= ZH_SIMD_SIDE) {
        vec = (unsigned char *) R_alloc(nf > 0 ? nf : 1, 1);
        int any = 0;
        for (int f = 0; f < nf; f++) {
            vec[f] = lev[f] <= ZH_SIMD_SIDE && lev[f] * nc <= ZH_SIMD_CELLS;
            any |= vec[f];
        }
        if (any) {
            R_xlen_t rows = n < ZH_BLOCK ? n : ZH_BLOCK;
            size_t nsb = (size_t) ((rows / 64 + ZH_SW - 1) / ZH_SW);
            om_size = (nsb > 0 ? nsb : 1) * ZH_SW * (size_t) nc;
            xm_size = (size_t) ZH_SW * ZH_SIMD_SIDE;
            oms = R_alloc(om_size * nt, sizeof(uint64_t));
            xms = R_alloc(xm_size * nt, sizeof(uint64_t));
        } else {
            vec = NULL;
        }
    }
#else
    (void) simd;
#endif

    for (R_xlen_t start = 0; start < n && nf > 0; start += ZH_BLOCK) {
        R_xlen_t end = start + ZH_BLOCK < n ? start + ZH_BLOCK : n;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static, 1)
#endif
        for (int t = 0; t < nt; t++) {
            int f0 = (int) ((long long) nf * t / nt), f1 = (int) ((long long) nf * (t + 1) / nt);
            int *off = offs + (size_t) t * ZH_SUB;
            if (w) {
                double *wb = wbs + (size_t) t * ZH_SUB;
                for (R_xlen_t from = start; from < end; from += ZH_SUB) {
                    R_xlen_t to = from + ZH_SUB < end ? from + ZH_SUB : end;
                    outcome_block(o, w, from, to, nc, off, wb);
                    for (int f = f0; f < f1; f++)
                        count_block(x[f], off, wb, from, to - from, lev[f], tabs + at[f],
                                    miss + 2 * (size_t) f, bad + t);
                }
            } else {
                count_chunk_int(o, x, lev, f0, f1, start, end, nc, itabs, iat, vec, isa, off,
                                oms ? (uint64_t *) oms + om_size * t : NULL,
                                xms ? (uint64_t *) xms + xm_size * t : NULL, bad + t);
                for (int f = f0; f < f1; f++)
                    bad[t] += flush_int(itabs + iat[f], lev[f], nc, tabs + at[f],
                                        miss + 2 * (size_t) f);
            }
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
