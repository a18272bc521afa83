/* Fisher's exact test for r x c tables (the Freeman-Halton extension): the
 * p-value is the total probability, under independence with the observed
 * margins fixed, of the tables no more probable than the observed one.
 *
 * Exact p: a network algorithm in the spirit of Mehta & Patel (1983). The
 * table is filled one column at a time; a node is the sorted vector of row
 * totals still to be filled, and the probability of a table is the product
 * of one multivariate hypergeometric factor per column. For every node the
 * largest and smallest probability of any completion are computed once
 * (memoised); a partial table whose past probability times the largest
 * completion is <= the threshold contributes all its completions at once,
 * one whose past times the smallest completion is above it contributes
 * none, and only the rest are carried to the next column, where paths that
 * reach the same node with the same past probability are merged.
 *
 * Monte Carlo p: random tables with the observed margins, each cell drawn
 * from its hypergeometric distribution given the cells before it
 * (Patefield 1981, Applied Statistics algorithm AS 159), with R's RNG. */
#include "zhetysu.h"
#include <Rmath.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Tables with p <= p(observed) * (1 + ZH_FISHER_TOL) count as "no more
 * probable": ties computed along different paths differ by rounding only. */
#define ZH_FISHER_TOL 1e-7
/* Largest table total for the exact algorithm and for the log-factorial
 * lookup table. */
#define ZH_FISHER_MAXN 1000000

typedef struct {
    const double *lf; /* log k! for k <= nlf */
    int nlf;
} lfact_t;

static inline double lfac(const lfact_t *t, int k)
{
    return k <= t->nlf ? t->lf[k] : lgammafn(k + 1.0);
}

static void lfact_init(lfact_t *t, int n)
{
    int m = n < ZH_FISHER_MAXN ? n : ZH_FISHER_MAXN;
    double *lf = (double *) R_alloc((size_t) m + 1, sizeof(double));
    for (int k = 0; k <= m; k++) lf[k] = lgammafn(k + 1.0);
    t->lf = lf;
    t->nlf = m;
}

/* Reads an integer matrix of counts; returns R_alloc'd copies of the row and
 * column totals (transposed so that *R <= *C) and the cells. */
static int *read_table(SEXP table, int *R, int *C, int **rs, int **cs, double *N)
{
    if (TYPEOF(table) != INTSXP || !Rf_isMatrix(table))
        zh_internal_error("the table must be an integer matrix");
    int nr = Rf_nrows(table), nc = Rf_ncols(table);
    const int *f = INTEGER(table);
    int tr = nr > nc; /* transpose: rows become the shorter side */
    *R = tr ? nc : nr;
    *C = tr ? nr : nc;
    int *g = (int *) R_alloc((size_t) nr * nc + 1, sizeof(int));
    int *r = (int *) R_alloc((size_t) *R + 1, sizeof(int));
    int *c = (int *) R_alloc((size_t) *C + 1, sizeof(int));
    memset(r, 0, (size_t) *R * sizeof(int));
    memset(c, 0, (size_t) *C * sizeof(int));
    double tot = 0;
    for (int j = 0; j < nc; j++) {
        for (int i = 0; i < nr; i++) {
            int v = f[i + (size_t) j * nr];
            if (v == NA_INTEGER || v < 0) zh_internal_error("counts must be non-negative");
            tot += v;
        }
    }
    if (tot > INT_MAX) zh_internal_error("the table total must be below 2^31");
    for (int j = 0; j < nc; j++) {
        for (int i = 0; i < nr; i++) {
            int v = f[i + (size_t) j * nr];
            int a = tr ? j : i, b = tr ? i : j;
            g[a + (size_t) b * *R] = v;
            r[a] += v;
            c[b] += v;
        }
    }
    *rs = r;
    *cs = c;
    *N = tot;
    return g;
}

/* ---- exact: the network ------------------------------------------------ */

typedef struct {
    int R, C;
    const int *col;     /* column totals in processing order */
    const int *after;   /* after[s] = sum of col[s..C-1] */
    lfact_t lf;
    /* node pool: key (R sorted ints) and stage per node, memoised bounds */
    int *keys, *stage;
    double *hi, *lo;
    char *done;
    R_xlen_t nnodes, cap;
    R_xlen_t *hash; /* open addressing, -1 = empty */
    R_xlen_t hcap;
    /* one frame per stage for the depth-first bounds (no recursion: the
     * depth is the number of columns) */
    int *mbuf, *xbuf, *ybuf, *fok;
    R_xlen_t *fid;
    double *fhi, *flo, *flp;
    /* work units spent and bytes allocated, against their limits */
    double work, limit, tick, mem, mem_limit;
    int over;
    SEXP progress; /* R function(fraction of the work limit) or NULL */
} fx_ctx;

/* Spends w units of work, or marks the search over when they would pass
 * the limit (so the work spent never exceeds it). */
static void fx_work(fx_ctx *cx, double w)
{
    if (cx->work + w > cx->limit) {
        cx->over = 1;
        return;
    }
    cx->work += w;
    if (cx->work >= cx->tick) {
        cx->tick = cx->work + (double) ZH_BLOCK;
        R_CheckUserInterrupt();
        if (cx->progress != R_NilValue) {
            SEXP call = PROTECT(Rf_lang2(cx->progress, PROTECT(Rf_ScalarReal(cx->work / cx->limit))));
            Rf_eval(call, R_GlobalEnv);
            UNPROTECT(2);
        }
    }
}

/* Whether `bytes` more scratch stay within the memory limit; marks the
 * search over when they would not (checked before a table grows, so that
 * the limit holds without overshoot). */
static int fx_room(fx_ctx *cx, double bytes)
{
    if (cx->mem + bytes > cx->mem_limit) cx->over = 1;
    return !cx->over;
}

/* R_alloc scratch, counted against the memory limit: the search stops
 * (over) instead of growing without bound. */
static void *fx_alloc(fx_ctx *cx, size_t n, size_t size)
{
    cx->mem += (double) n * size;
    if (cx->mem > cx->mem_limit) cx->over = 1;
    return R_alloc(n, size);
}

static size_t fx_hash(int s, const int *key, int R)
{
    size_t h = 1469598103934665603ULL ^ (size_t) s;
    for (int i = 0; i < R; i++) h = (h ^ (size_t) (unsigned) key[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static void *grow(fx_ctx *cx, void *old, size_t n_old, size_t n_new, size_t size)
{
    void *p = fx_alloc(cx, n_new, size);
    if (n_old) memcpy(p, old, n_old * size);
    return p;
}

static void fx_rehash(fx_ctx *cx, R_xlen_t hcap)
{
    R_xlen_t *h = (R_xlen_t *) fx_alloc(cx, (size_t) hcap, sizeof(R_xlen_t));
    for (R_xlen_t k = 0; k < hcap; k++) h[k] = -1;
    for (R_xlen_t id = 0; id < cx->nnodes; id++) {
        size_t k = fx_hash(cx->stage[id], cx->keys + (size_t) id * cx->R, cx->R) & (size_t) (hcap - 1);
        while (h[k] >= 0) k = (k + 1) & (size_t) (hcap - 1);
        h[k] = id;
    }
    cx->hash = h;
    cx->hcap = hcap;
}

/* The node (stage s, sorted key), added if new. */
static R_xlen_t fx_node(fx_ctx *cx, int s, const int *key)
{
    int R = cx->R;
    size_t mask = (size_t) (cx->hcap - 1);
    size_t k = fx_hash(s, key, R) & mask;
    for (;;) {
        R_xlen_t id = cx->hash[k];
        if (id < 0) break;
        if (cx->stage[id] == s && memcmp(cx->keys + (size_t) id * R, key, (size_t) R * sizeof(int)) == 0)
            return id;
        k = (k + 1) & mask;
    }
    if (cx->nnodes == cx->cap) {
        R_xlen_t nc = 2 * cx->cap;
        if (!fx_room(cx, (double) nc * ((double) R * sizeof(int) + sizeof(int) + 2 * sizeof(double) + 1)))
            return 0; /* the caller sees cx->over */
        cx->keys = grow(cx, cx->keys, (size_t) cx->cap * R, (size_t) nc * R, sizeof(int));
        cx->stage = grow(cx, cx->stage, cx->cap, nc, sizeof(int));
        cx->hi = grow(cx, cx->hi, cx->cap, nc, sizeof(double));
        cx->lo = grow(cx, cx->lo, cx->cap, nc, sizeof(double));
        cx->done = grow(cx, cx->done, cx->cap, nc, sizeof(char));
        cx->cap = nc;
    }
    R_xlen_t id = cx->nnodes++;
    memcpy(cx->keys + (size_t) id * R, key, (size_t) R * sizeof(int));
    cx->stage[id] = s;
    cx->done[id] = 0;
    cx->hash[k] = id;
    if (2 * cx->nnodes > cx->hcap && fx_room(cx, 2.0 * cx->hcap * sizeof(R_xlen_t)))
        fx_rehash(cx, 2 * cx->hcap);
    return id;
}

/* Compositions x of c with 0 <= x_i <= m_i, in decreasing lexicographic
 * order: the first fills the earliest rows; the next moves one unit out of
 * the rightmost position that can give one. */
static int comp_first(int R, const int *m, int c, int *x)
{
    int rem = c;
    for (int i = 0; i < R; i++) {
        x[i] = m[i] < rem ? m[i] : rem;
        rem -= x[i];
    }
    return rem == 0;
}

static int comp_next(int R, const int *m, int *x)
{
    int spare = 0, suffix = 0;
    for (int i = R - 2; i >= 0; i--) {
        spare += m[i + 1] - x[i + 1];
        suffix += x[i + 1];
        if (x[i] > 0 && spare > 0) {
            x[i]--;
            int rem = suffix + 1;
            for (int k = i + 1; k < R; k++) {
                x[k] = m[k] < rem ? m[k] : rem;
                rem -= x[k];
            }
            return 1;
        }
    }
    return 0;
}

/* Rows with equal remaining totals are interchangeable: only compositions
 * non-increasing within each run of equal m_i are visited, each standing for
 * its distinct permutations, whose number is returned (0 = not canonical). */
static double comp_weight(int R, const int *m, const int *x)
{
    double w = 1;
    int i = 0;
    while (i < R) {
        int e = i + 1;
        while (e < R && m[e] == m[i]) {
            if (x[e] > x[e - 1]) return 0;
            e++;
        }
        if (e - i > 1) {
            /* (run length)! / prod (multiplicity of each value)! */
            double num = 1, den = 1;
            int run = 1;
            for (int k = i + 1; k <= e; k++) {
                num *= k - i;
                if (k < e && x[k] == x[k - 1]) {
                    run++;
                    den *= run;
                } else {
                    run = 1;
                }
            }
            w *= num / den;
        }
        i = e;
    }
    return w;
}

/* log of the probability of column x given remaining row totals m (sum M). */
static double col_logp(const fx_ctx *cx, const int *m, const int *x, int M, int c)
{
    const lfact_t *t = &cx->lf;
    double lp = -(lfac(t, M) - lfac(t, c) - lfac(t, M - c));
    for (int i = 0; i < cx->R; i++)
        lp += lfac(t, m[i]) - lfac(t, x[i]) - lfac(t, m[i] - x[i]);
    return lp;
}

static int int_cmp(const void *a, const void *b)
{
    int p = *(const int *) a, q = *(const int *) b;
    return (p > q) - (p < q);
}

/* Ascending: insertion sort for the short keys, qsort for long vectors (the
 * column totals of a 2 x 200000 table). */
static void sort_ints(int *a, int n)
{
    if (n > 32) {
        qsort(a, (size_t) n, sizeof(int), int_cmp);
        return;
    }
    for (int i = 1; i < n; i++) {
        int v = a[i], k = i;
        while (k > 0 && a[k - 1] > v) {
            a[k] = a[k - 1];
            k--;
        }
        a[k] = v;
    }
}

/* y = sort(m - x), the node a column x leads to. */
static void child_key(int R, const int *m, const int *x, int *y)
{
    for (int i = 0; i < R; i++) y[i] = m[i] - x[i];
    sort_ints(y, R);
}

/* Largest and smallest log probability of completing a node (stage s <
 * C - 1) with columns s..C-1; memoised. Depth first over the nodes not yet
 * bounded, with an explicit stack of one frame per stage (a recursion would
 * go one level per column: 200000 columns overflow the C stack). */
static void fx_frame(fx_ctx *cx, int s, R_xlen_t id)
{
    int R = cx->R;
    int *m = cx->mbuf + (size_t) s * R;
    memcpy(m, cx->keys + (size_t) id * R, (size_t) R * sizeof(int));
    cx->fid[s] = id;
    cx->fhi[s] = R_NegInf;
    cx->flo[s] = R_PosInf;
    cx->fok[s] = comp_first(R, m, cx->col[s], cx->xbuf + (size_t) s * R);
}

static void fx_bounds(fx_ctx *cx, R_xlen_t root)
{
    int R = cx->R, s0 = cx->stage[root], s = s0;
    fx_frame(cx, s, root);
    for (;;) {
        int *m = cx->mbuf + (size_t) s * R, *x = cx->xbuf + (size_t) s * R,
            *y = cx->ybuf + (size_t) s * R;
        if (!cx->fok[s]) {
            /* every column of this node seen: its bounds are known */
            R_xlen_t id = cx->fid[s];
            cx->hi[id] = cx->fhi[s];
            cx->lo[id] = cx->flo[s];
            cx->done[id] = 1;
            if (s == s0) return;
            s--;
            m = cx->mbuf + (size_t) s * R;
            x = cx->xbuf + (size_t) s * R;
            R_xlen_t ch = cx->fid[s + 1];
            double h = cx->flp[s] + cx->hi[ch], l = cx->flp[s] + cx->lo[ch];
            if (h > cx->fhi[s]) cx->fhi[s] = h;
            if (l < cx->flo[s]) cx->flo[s] = l;
            cx->fok[s] = comp_next(R, m, x);
            continue;
        }
        fx_work(cx, 1);
        if (cx->over) return;
        if (comp_weight(R, m, x) != 0) {
            double lp = col_logp(cx, m, x, cx->after[s], cx->col[s]);
            double h = lp, l = lp; /* the last column is determined */
            if (s + 1 < cx->C - 1) {
                child_key(R, m, x, y);
                R_xlen_t ch = fx_node(cx, s + 1, y);
                if (cx->over) return;
                if (!cx->done[ch]) {
                    cx->flp[s] = lp;
                    s++;
                    fx_frame(cx, s, ch);
                    continue;
                }
                h += cx->hi[ch];
                l += cx->lo[ch];
            }
            if (h > cx->fhi[s]) cx->fhi[s] = h;
            if (l < cx->flo[s]) cx->flo[s] = l;
        }
        cx->fok[s] = comp_next(R, m, x);
    }
}

/* Partial tables carried to the next column: the node they reach and their
 * log past probability. Paths reaching the same node with the same past
 * (equal up to rounding, as ties are) are merged, cnt counting them. */
typedef struct {
    R_xlen_t node;
    long long q; /* lp on a grid of 1e-9, the merge key */
    double lp, cnt;
} fx_entry;

typedef struct {
    fx_entry *e;
    R_xlen_t n, cap; /* cap a power of two; e[k].node < 0 marks a free slot */
    fx_ctx *cx;      /* where the memory is counted */
} fx_set;

static void set_init(fx_set *st, R_xlen_t cap, fx_ctx *cx)
{
    st->cx = cx;
    st->e = (fx_entry *) fx_alloc(cx, cap, sizeof(fx_entry));
    for (R_xlen_t k = 0; k < cap; k++) st->e[k].node = -1;
    st->n = 0;
    st->cap = cap;
}

static void set_add(fx_set *st, R_xlen_t node, double lp, double cnt);

static void set_grow(fx_set *st)
{
    fx_set old = *st;
    if (!fx_room(old.cx, 2.0 * old.cap * sizeof(fx_entry))) return; /* the caller stops */
    set_init(st, 2 * old.cap, old.cx);
    for (R_xlen_t k = 0; k < old.cap; k++)
        if (old.e[k].node >= 0) set_add(st, old.e[k].node, old.e[k].lp, old.e[k].cnt);
}

static void set_add(fx_set *st, R_xlen_t node, double lp, double cnt)
{
    long long q = llround(lp * 1e9);
    size_t h = ((size_t) node * 0x9E3779B97F4A7C15ULL) ^ ((size_t) q * 0xC2B2AE3D27D4EB4FULL);
    h ^= h >> 31;
    size_t mask = (size_t) st->cap - 1;
    for (size_t k = h & mask;; k = (k + 1) & mask) {
        fx_entry *e = st->e + k;
        if (e->node < 0) {
            e->node = node;
            e->q = q;
            e->lp = lp;
            e->cnt = cnt;
            if (2 * ++st->n > st->cap) set_grow(st);
            return;
        }
        if (e->node == node && e->q == q) {
            e->cnt += cnt * exp(lp - e->lp);
            return;
        }
    }
}

static int entry_cmp(const void *a, const void *b)
{
    const fx_entry *p = a, *q = b;
    if (p->node != q->node) return p->node < q->node ? -1 : 1;
    return (p->lp > q->lp) - (p->lp < q->lp);
}

/* First index in [a, b) with lp > z (lp ascending). */
static R_xlen_t first_above(const fx_entry *e, R_xlen_t a, R_xlen_t b, double z)
{
    while (a < b) {
        R_xlen_t mid = a + (b - a) / 2;
        if (e[mid].lp > z) b = mid; else a = mid + 1;
    }
    return a;
}

/* The network search; NA when cx->over (work or memory past its limit). */
static double fisher_network(fx_ctx *cx, const int *g, int R, int C, const int *rs,
                             const int *cs, int N)
{
    cx->R = R;
    cx->C = C;
    lfact_init(&cx->lf, N);
    cx->mem += ((double) cx->lf.nlf + 1) * sizeof(double);
    const lfact_t *t = &cx->lf;

    /* the observed probability and the threshold */
    double lpobs = -lfac(t, N);
    for (int i = 0; i < R; i++) lpobs += lfac(t, rs[i]);
    for (int j = 0; j < C; j++) lpobs += lfac(t, cs[j]);
    for (size_t k = 0; k < (size_t) R * C; k++) lpobs -= lfac(t, g[k]);
    double thr = lpobs + log1p(ZH_FISHER_TOL);
    double scale = lpobs > -700 ? lpobs : -700; /* sums kept as multiples of exp(scale) */

    /* columns in increasing order of their totals: the largest comes last,
     * where it is determined by the others */
    int *col = (int *) fx_alloc(cx, C, sizeof(int));
    memcpy(col, cs, C * sizeof(int));
    sort_ints(col, C);
    int *after = (int *) fx_alloc(cx, (size_t) C + 1, sizeof(int));
    after[C] = 0;
    for (int j = C - 1; j >= 0; j--) after[j] = after[j + 1] + col[j];
    cx->col = col;
    cx->after = after;
    cx->cap = 1024;
    cx->keys = (int *) fx_alloc(cx, (size_t) cx->cap * R, sizeof(int));
    cx->stage = (int *) fx_alloc(cx, cx->cap, sizeof(int));
    cx->hi = (double *) fx_alloc(cx, cx->cap, sizeof(double));
    cx->lo = (double *) fx_alloc(cx, cx->cap, sizeof(double));
    cx->done = (char *) fx_alloc(cx, cx->cap, sizeof(char));
    fx_rehash(cx, 4096);
    cx->mbuf = (int *) fx_alloc(cx, (size_t) C * R, sizeof(int));
    cx->xbuf = (int *) fx_alloc(cx, (size_t) C * R, sizeof(int));
    cx->ybuf = (int *) fx_alloc(cx, (size_t) C * R, sizeof(int));
    cx->fok = (int *) fx_alloc(cx, C, sizeof(int));
    cx->fid = (R_xlen_t *) fx_alloc(cx, C, sizeof(R_xlen_t));
    cx->fhi = (double *) fx_alloc(cx, C, sizeof(double));
    cx->flo = (double *) fx_alloc(cx, C, sizeof(double));
    cx->flp = (double *) fx_alloc(cx, C, sizeof(double));
    cx->tick = (double) ZH_BLOCK;
    if (cx->over) return NA_REAL;

    int *root = (int *) fx_alloc(cx, R, sizeof(int));
    int *x = (int *) fx_alloc(cx, R, sizeof(int)), *y = (int *) fx_alloc(cx, R, sizeof(int));
    int *m = (int *) fx_alloc(cx, R, sizeof(int));
    memcpy(root, rs, R * sizeof(int));
    sort_ints(root, R);

    /* The set of carried pasts and the sorted arrays made from it are reused
     * from stage to stage (memory grows with the largest stage, not with the
     * number of columns). */
    double total = 0;
    R_xlen_t ncur = 1, curcap = 64;
    fx_entry *cur = (fx_entry *) fx_alloc(cx, curcap, sizeof(fx_entry));
    double *pre = (double *) fx_alloc(cx, curcap, sizeof(double));
    fx_set next;
    set_init(&next, 64, cx);
    cur[0].node = fx_node(cx, 0, root);
    cur[0].lp = 0;
    cur[0].cnt = 1;
    pre[0] = exp(-scale);

    for (int s = 0; s < C - 1; s++) {
        int c = col[s], M = after[s];
        int last = s + 1 == C - 1;
        for (R_xlen_t a = 0; a < ncur;) {
            /* the pasts at this node, lp ascending, pre[] their running
             * probability sums (in units of exp(scale)) */
            R_xlen_t b = a + 1;
            while (b < ncur && cur[b].node == cur[a].node) b++;
            memcpy(m, cx->keys + (size_t) cur[a].node * R, (size_t) R * sizeof(int));
            for (int ok = comp_first(R, m, c, x); ok; ok = comp_next(R, m, x)) {
                fx_work(cx, 1);
                if (cx->over) return NA_REAL;
                double w = comp_weight(R, m, x);
                if (w == 0) continue;
                double lp = col_logp(cx, m, x, M, c);
                double h = 0, l = 0;
                R_xlen_t ch = -1;
                if (!last) {
                    child_key(R, m, x, y);
                    ch = fx_node(cx, s + 1, y);
                    if (cx->over) return NA_REAL;
                    if (!cx->done[ch]) {
                        fx_bounds(cx, ch);
                        if (cx->over) return NA_REAL;
                    }
                    h = cx->hi[ch];
                    l = cx->lo[ch];
                }
                /* pasts [a, k1): every completion counts; [k1, k2): carried;
                 * [k2, b): no completion counts */
                R_xlen_t k1 = first_above(cur, a, b, thr - lp - h);
                if (k1 > a) total += w * exp(lp) * pre[k1 - 1];
                if (last) continue;
                R_xlen_t k2 = first_above(cur, k1, b, thr - lp - l);
                fx_work(cx, (double) (k2 - k1));
                for (R_xlen_t e = k1; e < k2; e++) {
                    set_add(&next, ch, cur[e].lp + lp, w * cur[e].cnt);
                    if (cx->over) return NA_REAL;
                }
            }
            a = b;
        }
        if (last) break;
        /* the carried pasts, grouped by node, lp ascending */
        ncur = 0;
        if (next.n > curcap) {
            while (curcap < next.n) curcap *= 2;
            if (!fx_room(cx, (double) curcap * (sizeof(fx_entry) + sizeof(double)))) return NA_REAL;
            cur = (fx_entry *) fx_alloc(cx, curcap, sizeof(fx_entry));
            pre = (double *) fx_alloc(cx, curcap, sizeof(double));
            if (cx->over) return NA_REAL;
        }
        for (R_xlen_t k = 0; k < next.cap; k++)
            if (next.e[k].node >= 0) {
                cur[ncur++] = next.e[k];
                next.e[k].node = -1;
            }
        next.n = 0;
#ifdef ZH_FISHER_DEBUG
        REprintf("stage %d: carried %lld, nodes %lld, work %.0f\n", s, (long long) ncur,
                 (long long) cx->nnodes, cx->work);
#endif
        if (ncur == 0) break;
        fx_work(cx, (double) ncur * log2((double) ncur + 1)); /* the sort */
        if (cx->over) return NA_REAL;
        qsort(cur, ncur, sizeof(fx_entry), entry_cmp);
        for (R_xlen_t e = 0; e < ncur; e++) {
            double v = cur[e].cnt * exp(cur[e].lp - scale);
            pre[e] = (e > 0 && cur[e - 1].node == cur[e].node) ? pre[e - 1] + v : v;
        }
    }
    double p = total * exp(scale);
    return p > 1 ? 1 : p;
}

/* Exact p, or NA when the search would spend more than lim[0] units of
 * work or lim[1] bytes of scratch memory; used[0..1] report what it spent. */
static double fisher_exact(const int *g, int R, int C, const int *rs, const int *cs, int N,
                           const double *lim, SEXP progress, double *used)
{
    used[0] = used[1] = 0;
    if (R < 2 || C < 2 || N == 0) return 1.0;
    fx_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.limit = lim[0];
    cx.mem_limit = lim[1];
    cx.progress = progress;
    double p = fisher_network(&cx, g, R, C, rs, cs, N);
    used[0] = cx.work;
    used[1] = cx.mem;
    return cx.over ? NA_REAL : p;
}

/* ---- Monte Carlo ------------------------------------------------------- */

/* A hypergeometric draw: successes among n drawn from K successes in a
 * population of M, by inversion, visiting the support in decreasing order of
 * probability starting from the mode (as AS 159 does). */
static int rhyper_mode(int K, int M, int n, const lfact_t *t)
{
    if (n == 0 || K == 0) return 0;
    if (K == M) return n;
    if (n == M) return K;
    int lo_b = n - (M - K) > 0 ? n - (M - K) : 0, hi_b = n < K ? n : K;
    if (lo_b == hi_b) return lo_b;
    int mode = (int) floor(((double) n + 1) * ((double) K + 1) / ((double) M + 2));
    if (mode < lo_b) mode = lo_b;
    if (mode > hi_b) mode = hi_b;
    double pm = exp(lfac(t, K) - lfac(t, mode) - lfac(t, K - mode) +
                    lfac(t, M - K) - lfac(t, n - mode) - lfac(t, M - K - n + mode) -
                    (lfac(t, M) - lfac(t, n) - lfac(t, M - n)));
    double u = unif_rand() - pm;
    if (u <= 0) return mode;
    int lo = mode, hi = mode;
    double plo = pm, phi = pm;
    /* probabilities of the next points below and above */
    double nlo = lo > lo_b ? plo * (double) lo * (M - K - n + lo) / ((double) (K - lo + 1) * (n - lo + 1)) : -1;
    double nhi = hi < hi_b ? phi * (double) (K - hi) * (n - hi) / ((double) (hi + 1) * (M - K - n + hi + 1)) : -1;
    for (;;) {
        if (nlo < 0 && nhi < 0) return mode; /* rounding left u > 0 at the end */
        if (nhi >= nlo) {
            hi++;
            phi = nhi;
            u -= phi;
            if (u <= 0) return hi;
            nhi = hi < hi_b ? phi * (double) (K - hi) * (n - hi) / ((double) (hi + 1) * (M - K - n + hi + 1)) : -1;
        } else {
            lo--;
            plo = nlo;
            u -= plo;
            if (u <= 0) return lo;
            nlo = lo > lo_b ? plo * (double) lo * (M - K - n + lo) / ((double) (K - lo + 1) * (n - lo + 1)) : -1;
        }
    }
}

/* Sum of log x_ij! over one random table with row totals rs and column
 * totals cs, filled column by column; within a column each cell is
 * hypergeometric given the cells above it. rem is scratch (R ints). */
static double random_table_lsum(int R, int C, const int *rs, const int *cs, int N, int *rem,
                                const lfact_t *t)
{
    memcpy(rem, rs, (size_t) R * sizeof(int));
    double lsum = 0;
    int left = N; /* total of rem */
    for (int j = 0; j < C - 1; j++) {
        int need = cs[j], pool = left;
        for (int i = 0; i < R - 1 && need > 0; i++) {
            int xij = rhyper_mode(rem[i], pool, need, t);
            pool -= rem[i];
            rem[i] -= xij;
            need -= xij;
            lsum += lfac(t, xij);
        }
        if (need > 0) {
            rem[R - 1] -= need;
            lsum += lfac(t, need);
        }
        left -= cs[j];
    }
    for (int i = 0; i < R; i++) lsum += lfac(t, rem[i]);
    return lsum;
}

/* The number of B random tables no more probable than the observed one. */
static double fisher_simulate(const int *g, int R, int C, const int *rs, const int *cs, int N,
                              double B)
{
    if (R < 2 || C < 2 || N == 0) return B;
    lfact_t t;
    lfact_init(&t, N);
    double obs = 0;
    for (size_t k = 0; k < (size_t) R * C; k++) obs += lfac(&t, g[k]);
    /* p(table) <= p(obs) (1 + tol)  <=>  sum log x! >= observed - log1p(tol) */
    double cut = obs - log1p(ZH_FISHER_TOL);
    int *rem = (int *) R_alloc(R, sizeof(int));
    /* Blocks of about ZH_BLOCK cells: nothing between GetRNGstate() and
     * PutRNGstate() can jump out (no interrupt check, no R error, no
     * allocation), so an interrupt between blocks leaves .Random.seed at the
     * draws made, as base R's chisqsim.c does. */
    double per = floor((double) ZH_BLOCK / ((double) R * C));
    if (per < 1) per = 1;
    double hits = 0;
    for (double b = 0; b < B;) {
        double end = b + per < B ? b + per : B;
        GetRNGstate();
        for (; b < end; b++)
            if (random_table_lsum(R, C, rs, cs, N, rem, &t) >= cut) hits++;
        PutRNGstate();
        R_CheckUserInterrupt();
    }
    return hits;
}

/* ---- entry points ------------------------------------------------------ */

/* B = 0: the exact p, or NA when the search would exceed work[0] units of
 * work or work[1] bytes of memory, with attribute "used" (work, bytes);
 * progress is NULL or an R function called now and then with the fraction
 * of the work limit spent. B >= 1: the number of B random tables no more
 * probable than the observed one (the caller sums blocks into the Monte
 * Carlo p). */
SEXP zh_fisher_rxc(SEXP table, SEXP B, SEXP work, SEXP progress)
{
    int R, C, *rs, *cs;
    double N;
    int *g = read_table(table, &R, &C, &rs, &cs, &N);
    double b = Rf_asReal(B);
    if (ISNAN(b) || b < 0 || TYPEOF(work) != REALSXP || XLENGTH(work) != 2 ||
        ISNAN(REAL(work)[0]) || ISNAN(REAL(work)[1]) ||
        (progress != R_NilValue && !Rf_isFunction(progress)))
        zh_internal_error("B, the work and memory limits or the progress function are malformed");
    if (b >= 1) return Rf_ScalarReal(fisher_simulate(g, R, C, rs, cs, (int) N, floor(b)));
    double used[2] = {0, 0};
    double p = N > ZH_FISHER_MAXN ? NA_REAL
                                  : fisher_exact(g, R, C, rs, cs, (int) N, REAL(work), progress, used);
    SEXP out = PROTECT(Rf_ScalarReal(p));
    SEXP u = PROTECT(Rf_allocVector(REALSXP, 2));
    REAL(u)[0] = used[0];
    REAL(u)[1] = used[1];
    Rf_setAttrib(out, Rf_install("used"), u);
    UNPROTECT(2);
    return out;
}
