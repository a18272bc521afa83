/* Descriptive statistics as SPSS FREQUENCIES / DESCRIPTIVES / MEANS compute
 * them: weighted moments in one pass, percentiles by the five SPSS
 * definitions, the mode and the grouped median.
 *
 * Moments: each block of ZH_MOM_CHUNK rows accumulates power sums of
 * d = x - c about the first value c the block sees (per group), which has no
 * division in the inner loop; the block's central moments are then merged
 * into the running ones with the pairwise formulas of Pebay (2008). A mean
 * is kept as base + offset, base a data value, so that data far from zero
 * (1e9 + small deviations) lose nothing to the representation of the mean.
 *
 * Percentiles: values sorted (weighted data, or when the mode or grouped
 * percentiles are asked) and read by the definitions on distinct values and
 * cumulative weights; unweighted data without those only need order
 * statistics, found by selection without a full sort. */
#include "zhetysu.h"
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ZH_MOM_CHUNK 4096

/* m2, m3, m4 are kept in units of 2^e (M2 = m2 4^e, ...), e the exponent
 * of the largest |x| seen, so that the powers of 1e300 do not overflow nor
 * those of 1e-300 underflow; the mean stays in the data's units. */
typedef struct {
    double w, n, base, off, m2, m3, m4, min, max;
    int e;
} zh_mom;

enum { ZH_P_HAVERAGE = 1, ZH_P_WAVERAGE, ZH_P_ROUND, ZH_P_EMPIRICAL, ZH_P_AEMPIRICAL };

static void zh_mom_init(zh_mom *a)
{
    memset(a, 0, sizeof(*a));
    a->min = R_PosInf;
    a->max = R_NegInf;
}

/* a <- a + b (Pebay's pairwise update of central moments), in the units of
 * the larger of the two scales. */
static void zh_mom_merge(zh_mom *a, const zh_mom *b)
{
    if (b->w <= 0) return;
    if (a->w <= 0) {
        *a = *b;
        return;
    }
    int E = a->e > b->e ? a->e : b->e, da = a->e - E, db = b->e - E;
    double am2 = ldexp(a->m2, 2 * da), am3 = ldexp(a->m3, 3 * da), am4 = ldexp(a->m4, 4 * da);
    double bm2 = ldexp(b->m2, 2 * db), bm3 = ldexp(b->m3, 3 * db), bm4 = ldexp(b->m4, 4 * db);
    double wa = a->w, wb = b->w, W = wa + wb;
    double delta = (ldexp(b->base, -E) - ldexp(a->base, -E)) + (ldexp(b->off, -E) - ldexp(a->off, -E));
    double d1 = delta / W, d2 = d1 * d1;
    double m2 = am2 + bm2 + delta * d1 * wa * wb;
    double m3 = am3 + bm3 + delta * d2 * wa * wb * (wa - wb) + 3.0 * d1 * (wa * bm2 - wb * am2);
    double m4 = am4 + bm4 + delta * d1 * d2 * wa * wb * (wa * wa - wa * wb + wb * wb) +
                6.0 * d2 * (wa * wa * bm2 + wb * wb * am2) + 4.0 * d1 * (wa * bm3 - wb * am3);
    a->off += ldexp(wb * d1, E);
    a->w = W;
    a->n += b->n;
    a->m2 = m2;
    a->m3 = m3;
    a->m4 = m4;
    a->e = E;
    if (b->min < a->min) a->min = b->min;
    if (b->max > a->max) a->max = b->max;
}

/* Power sums of one block, per group, of d = x f - c f (f = 2^-e, e the
 * exponent of the block's largest |x|, amax, found first). */
typedef struct {
    double c, s0, s1, s2, s3, s4, n, min, max, f, amax;
    int e;
} zh_psum;

static void zh_psum_fold(zh_mom *acc, zh_psum *p)
{
    p->amax = 0;
    if (p->n == 0) return;
    double mu = p->s1 / p->s0;
    zh_mom b;
    b.w = p->s0;
    b.n = p->n;
    b.base = p->c;
    b.off = ldexp(mu, p->e);
    b.m2 = p->s2 - mu * p->s1;
    if (b.m2 < 0) b.m2 = 0;
    b.m3 = p->s3 - 3.0 * mu * p->s2 + 2.0 * mu * mu * p->s1;
    b.m4 = p->s4 - 4.0 * mu * p->s3 + 6.0 * mu * mu * p->s2 - 3.0 * mu * mu * mu * p->s1;
    if (b.m4 < 0) b.m4 = 0;
    b.min = p->min;
    b.max = p->max;
    b.e = p->e;
    zh_mom_merge(acc, &b);
    p->n = 0;
}

static inline void zh_psum_add(zh_psum *p, double x, double w)
{
    if (p->n == 0) {
        p->c = x;
        p->f = zh_pow2_inv(p->amax, &p->e);
        p->s0 = p->s1 = p->s2 = p->s3 = p->s4 = 0;
        p->min = p->max = x;
    }
    double d = x * p->f - p->c * p->f, wd = w * d, wd2 = wd * d;
    p->s0 += w;
    p->s1 += wd;
    p->s2 += wd2;
    p->s3 += wd2 * d;
    p->s4 += wd2 * d * d;
    p->n += 1;
    if (x < p->min) p->min = x;
    if (x > p->max) p->max = x;
}

/* Brackets of the unweighted percentiles, counted in the moments' pass (see
 * zh_pct_brackets below): bounds b (ascending), counts of the values between
 * consecutive bounds, and the values inside each bracket [b[2q], b[2q+1]). */
#define ZH_FAST_MAXP 16
typedef struct {
    int nb;
    double b[2 * ZH_FAST_MAXP];
    R_xlen_t cnt[2 * ZH_FAST_MAXP + 1], kq[ZH_FAST_MAXP], cap;
    double *buf;
} zh_brackets;

/* Counts a block of values into the brackets: ge[e] = number of values at
 * or above bound e (independent sums, no store-to-load chains); the values
 * inside a bracket go to its buffer. Up to three brackets (the quartiles)
 * take a fixed-length loop, the unused bounds +Inf. */
static void zh_bracket_block(zh_brackets *br, const double *x, R_xlen_t from, R_xlen_t to)
{
    R_xlen_t ge[2 * ZH_FAST_MAXP] = {0};
    double b[2 * ZH_FAST_MAXP];
    int nb = br->nb, fixed = nb <= 6;
    for (int e = 0; e < 2 * ZH_FAST_MAXP; e++) b[e] = e < nb ? br->b[e] : R_PosInf;
    for (R_xlen_t i = from; i < to; i++) {
        double v = x[i];
        if (!isfinite(v)) continue;
        int idx = 0;
        if (fixed) {
            for (int e = 0; e < 6; e++) {
                int c = v >= b[e];
                ge[e] += c;
                idx += c;
            }
        } else {
            for (int e = 0; e < nb; e++) {
                int c = v >= b[e];
                ge[e] += c;
                idx += c;
            }
        }
        if (idx & 1) {
            int q = idx >> 1;
            if (br->kq[q] < br->cap) br->buf[q * br->cap + br->kq[q]] = v;
            br->kq[q]++;
        }
    }
    for (int e = 0; e < nb; e++) br->cnt[e] += ge[e];
}

/* One pass over x (weights w or NULL, group codes g 1..K or NULL): moments
 * per group into acc[0..K-1]; miss[0], miss[1] = weight and number of the
 * cases with a missing x (and a valid group and positive weight). Cases with
 * a missing or non-positive weight or a missing group are left out. Returns
 * the number of infinite values. Scratch: K zh_psum and K ints. */
static R_xlen_t zh_mom_pass(const double *x, const double *w, const int *g, int K, R_xlen_t n,
                            zh_mom *acc, double *miss, zh_psum *ps, int *touched, int interrupt,
                            zh_brackets *br)
{
    R_xlen_t ninf = 0;
    int ntouched = 0;
    for (int k = 0; k < K; k++) {
        zh_mom_init(acc + k);
        ps[k].n = 0;
        ps[k].amax = 0;
    }
    miss[0] = miss[1] = 0;
    for (R_xlen_t start = 0; start < n; start += ZH_MOM_CHUNK) {
        R_xlen_t end = start + ZH_MOM_CHUNK < n ? start + ZH_MOM_CHUNK : n;
        if (!g && !w) {
            /* the common case, with the sums in registers */
            R_xlen_t i = start;
            while (i < end && !isfinite(x[i])) {
                if (ISNAN(x[i])) miss[0] += 1, miss[1] += 1; else ninf++;
                i++;
            }
            if (i == end) continue;
            double amax = 0;
            for (R_xlen_t t = i; t < end; t++) {
                double v = fabs(x[t]);
                amax = v > amax && v <= DBL_MAX ? v : amax;
            }
            int e;
            double f = zh_pow2_inv(amax, &e);
            double c = x[i], cf = c * f, s1 = 0, s2 = 0, s3 = 0, s4 = 0, cnt = 0, mn = c, mx = c;
            R_xlen_t nmiss = 0, nbad = 0;
            for (; i < end; i++) {
                double xi = x[i];
                if (!isfinite(xi)) {
                    if (ISNAN(xi)) nmiss++; else nbad++;
                    continue;
                }
                double d = xi * f - cf, d2 = d * d;
                s1 += d;
                s2 += d2;
                s3 += d2 * d;
                s4 += d2 * d2;
                cnt += 1;
                mn = xi < mn ? xi : mn;
                mx = xi > mx ? xi : mx;
            }
            if (br) zh_bracket_block(br, x, start, end);
            miss[0] += (double) nmiss;
            miss[1] += (double) nmiss;
            ninf += nbad;
            zh_psum p = {c, cnt, s1, s2, s3, s4, cnt, mn, mx, f, amax, e};
            zh_psum_fold(acc, &p);
        } else {
            /* each group's largest |x| in the block first: its scale */
            for (R_xlen_t i = start; i < end; i++) {
                double wi = w ? w[i] : 1.0, v = fabs(x[i]);
                if (!(wi > 0) || !(v <= DBL_MAX)) continue;
                int k = 0;
                if (g) {
                    if (g[i] == NA_INTEGER || g[i] < 1 || g[i] > K) continue;
                    k = g[i] - 1;
                }
                if (v > ps[k].amax) ps[k].amax = v;
            }
            for (R_xlen_t i = start; i < end; i++) {
                double wi = w ? w[i] : 1.0;
                if (!(wi > 0)) continue;
                int k = 0;
                if (g) {
                    if (g[i] == NA_INTEGER || g[i] < 1 || g[i] > K) continue;
                    k = g[i] - 1;
                }
                double xi = x[i];
                if (ISNAN(xi)) {
                    miss[0] += wi;
                    miss[1] += 1;
                } else if (!isfinite(xi)) {
                    ninf++;
                } else {
                    if (ps[k].n == 0) touched[ntouched++] = k;
                    zh_psum_add(ps + k, xi, wi);
                }
            }
            for (int t = 0; t < ntouched; t++) zh_psum_fold(acc + touched[t], ps + touched[t]);
            ntouched = 0;
        }
        if (interrupt && (end % ZH_BLOCK) < ZH_MOM_CHUNK) R_CheckUserInterrupt();
    }
    return ninf;
}

/* Moments as numbers: W, cases, mean, M2, M3, M4 (in units of 2^e), min,
 * max, e. */
#define ZH_NMOM 9
static void zh_mom_out(const zh_mom *a, double *out, R_xlen_t stride)
{
    double v[ZH_NMOM] = {a->w, a->n, a->base + a->off, a->m2, a->m3, a->m4, a->min, a->max,
                         (double) a->e};
    if (a->w <= 0) {
        for (int j = 2; j < ZH_NMOM - 1; j++) v[j] = NA_REAL;
    }
    for (int j = 0; j < ZH_NMOM; j++) out[j * stride] = v[j];
}

/* ---- percentiles ---------------------------------------------------------- */

/* Relative tolerance of the comparisons with cumulative weights, so that a
 * cumulative weight equal to t up to rounding counts as equal. */
#define ZH_PCT_TOL 1e-10

/* The percentile pct (0-100) by `method` from distinct sorted values y[0..m-1]
 * with weights c and cumulative weights cc (cc[i] = c[0] + ... + c[i]). */
static double zh_pct_distinct(const double *y, const double *c, const double *cc, R_xlen_t m,
                              double W, double pct, int method)
{
    double t = (method == ZH_P_HAVERAGE ? (W + 1.0) : W) * pct / 100.0;
    double tol = ZH_PCT_TOL * (W + 1.0);
    /* k = number of distinct values with cc <= t */
    R_xlen_t lo = 0, hi = m;
    while (lo < hi) {
        R_xlen_t mid = lo + (hi - lo) / 2;
        if (cc[mid] <= t + tol) lo = mid + 1; else hi = mid;
    }
    R_xlen_t k = lo;
    if (k >= m) return y[m - 1];
    double cck = k ? cc[k - 1] : 0.0;
    double gs = t - cck;
    if (fabs(gs) <= tol) gs = 0;
    double ck1 = c[k], yk1 = y[k], yk = k ? y[k - 1] : y[0];
    double g = gs / ck1;
    switch (method) {
    case ZH_P_HAVERAGE:
    case ZH_P_WAVERAGE:
        if (gs >= 1.0 - tol) return yk1;
        if (ck1 >= 1.0) return (1.0 - gs) * yk + gs * yk1;
        return (1.0 - g) * yk + g * yk1;
    case ZH_P_ROUND: {
        double v = ck1 >= 1.0 ? gs : g;
        return v + tol < 0.5 ? yk : yk1;
    }
    case ZH_P_EMPIRICAL:
        return gs == 0 ? yk : yk1;
    default:
        return gs == 0 ? (yk + yk1) / 2.0 : yk1;
    }
}

/* Grouped percentile (values = class midpoints): NaN when t falls below the
 * midpoint of the first class or above that of the last one. */
static double zh_pct_grouped(const double *y, const double *c, const double *cc, R_xlen_t m,
                             double W, double pct)
{
    double t = W * pct / 100.0, tol = ZH_PCT_TOL * (W + 1.0);
    double first = c[0] / 2.0, last = cc[m - 1] - c[m - 1] / 2.0;
    if (t < first - tol || t > last + tol) return R_NaN;
    if (fabs(t - last) <= tol) return y[m - 1];
    if (fabs(t - first) <= tol) return y[0];
    for (R_xlen_t i = 1; i < m; i++) {
        double a = cc[i - 1] - c[i - 1] / 2.0, b = cc[i] - c[i] / 2.0;
        if (t >= a && t < b) {
            double R = (t - a) / (b - a);
            return (1.0 - R) * y[i - 1] + R * y[i];
        }
    }
    return y[m - 1];
}

/* Moves the k-th smallest of a[lo..hi-1] to a[k], smaller ones before it,
 * larger ones after it (three-way partitions: ties, as in Likert items,
 * cost nothing). */
static void zh_select(double *a, R_xlen_t lo, R_xlen_t hi, R_xlen_t k)
{
    while (hi - lo > 1) {
        R_xlen_t mid = lo + (hi - lo) / 2;
        double p0 = a[lo], p1 = a[mid], p2 = a[hi - 1], p;
        if (p0 < p1) p = p1 < p2 ? p1 : (p0 < p2 ? p2 : p0);
        else p = p0 < p2 ? p0 : (p1 < p2 ? p2 : p1);
        R_xlen_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            double v = a[i];
            if (v < p) {
                a[i] = a[lt];
                a[lt] = v;
                lt++;
                i++;
            } else if (v > p) {
                gt--;
                a[i] = a[gt];
                a[gt] = v;
            } else {
                i++;
            }
        }
        if (k < lt) hi = lt;
        else if (k >= gt) lo = gt;
        else return;
    }
}

/* The percentile from the order statistics x(j) = lo, x(j + 1) = hi and the
 * fractional part f of t. */
static double zh_pct_combine(double lo, double hi, double f, int method, double tol)
{
    switch (method) {
    case ZH_P_HAVERAGE:
    case ZH_P_WAVERAGE:
        return (1.0 - f) * lo + f * hi;
    case ZH_P_ROUND:
        return f + tol < 0.5 ? lo : hi;
    case ZH_P_EMPIRICAL:
        return f == 0 ? lo : hi;
    default:
        return f == 0 ? (lo + hi) / 2.0 : hi;
    }
}

/* t, j (x(j) and x(j + 1) are needed, clamped to 1..m) and f of a percentile. */
static void zh_pct_position(double W, double pct, int method, double *f, R_xlen_t *j)
{
    double tol = ZH_PCT_TOL * (W + 1.0);
    double t = (method == ZH_P_HAVERAGE ? (W + 1.0) : W) * pct / 100.0;
    double jf = floor(t + tol);
    *f = t - jf;
    if (*f <= tol) *f = 0;
    *j = jf < 0 ? 0 : (jf >= W ? (R_xlen_t) W : (R_xlen_t) jf);
}

/* Percentiles of n unweighted values a (reordered): the same definitions
 * as zh_pct_distinct, in terms of order statistics x(j), x(j + 1) with
 * x(0) = x(1) and x(n + 1) = x(n). pct sorted ascending via `order`. */
static void zh_pct_select(double *a, R_xlen_t n, const double *pct, const int *order, int np,
                          int method, double *out)
{
    /* a[0..done-1] hold the `done` smallest values, in no order, and
     * below_max is their largest (x(done)) */
    R_xlen_t done = 0;
    double below_max = 0;
    double W = (double) n, tol = ZH_PCT_TOL * (W + 1.0);
    for (int q = 0; q < np; q++) {
        int o = order[q];
        double f;
        R_xlen_t j;
        zh_pct_position(W, pct[o], method, &f, &j);
        double lo, hi;
        if (j >= n) {
            /* x(n), the largest value */
            zh_select(a, done, n, n - 1);
            hi = lo = a[n - 1];
        } else {
            if (j > done || done == 0) zh_select(a, done, n, j);
            hi = a[j];
            if (j == 0) {
                lo = hi;
            } else if (j == done) {
                lo = below_max;
            } else {
                /* a[done] is at least every value before it */
                lo = a[done];
                for (R_xlen_t i = done + 1; i < j; i++) if (a[i] > lo) lo = a[i];
            }
            done = j;
            below_max = lo;
        }
        out[o] = zh_pct_combine(lo, hi, f, method, tol);
    }
}

/* Unweighted percentiles without reordering the data: order statistics of
 * a strided sample give each percentile's pair of ranks a bracket [lo, hi);
 * the moments' pass counts the values between consecutive bracket bounds
 * (branch-free) and keeps those inside a bracket; a selection in that small
 * buffer finishes. zh_pct_brackets returns 0 when it cannot set brackets
 * (small or overlapping); zh_pct_bracketed returns 0 when a rank falls
 * outside its bracket or a buffer overflowed: the caller then selects in a
 * full copy. */
static void zh_pct_ranks(R_xlen_t m, double pct, int method, double *f, R_xlen_t *r)
{
    R_xlen_t j;
    zh_pct_position((double) m, pct, method, f, &j);
    r[1] = j < m ? j : m - 1;                        /* x(j + 1), 0-based */
    r[0] = j >= 1 ? (j - 1 < m ? j - 1 : m - 1) : r[1];
}

static int zh_pct_brackets(const double *x, R_xlen_t n, const double *pct, const int *order,
                           int np, int method, double *samp, R_xlen_t scap, double *buf,
                           R_xlen_t bcap, zh_brackets *br)
{
    if (np < 1 || np > ZH_FAST_MAXP || n < 20000) return 0;
    R_xlen_t stride = n / scap > 1 ? n / scap : 1, s = 0, seen = 0;
    for (R_xlen_t i = stride / 2; i < n && seen < scap; i += stride, seen++) {
        if (isfinite(x[i])) samp[s++] = x[i];
    }
    if (s < 1000) return 0;
    /* the number of valid values, estimated from the sample */
    R_xlen_t m = (R_xlen_t) ((double) n * (double) s / (double) seen);
    for (int qq = 0; qq < np; qq++) {
        double f;
        R_xlen_t rk[2];
        zh_pct_ranks(m, pct[order[qq]], method, &f, rk);
        double p = ((double) rk[0] + (double) rk[1] + 1.0) / (2.0 * (double) m);
        double pos = p * (double) s, delta = 3.5 * sqrt((double) s * p * (1.0 - p)) + 4.0;
        R_xlen_t a = (R_xlen_t) floor(pos - delta), c = (R_xlen_t) ceil(pos + delta);
        double lo = R_NegInf, hi = R_PosInf;
        if (a > 0) {
            zh_select(samp, 0, s, a);
            lo = samp[a];
        }
        if (c < s - 1) {
            zh_select(samp, 0, s, c);
            hi = samp[c];
        }
        if (qq > 0 && lo < br->b[2 * qq - 1]) return 0; /* overlapping brackets */
        br->b[2 * qq] = lo;
        br->b[2 * qq + 1] = hi;
    }
    br->nb = 2 * np;
    for (int i = 0; i <= br->nb; i++) br->cnt[i] = 0;
    for (int q = 0; q < np; q++) br->kq[q] = 0;
    br->cap = bcap / np;
    br->buf = buf;
    return 1;
}

static int zh_pct_bracketed(zh_brackets *br, R_xlen_t m, const double *pct, const int *order,
                            int np, int method, double *out)
{
    double tol = ZH_PCT_TOL * ((double) m + 1.0);
    for (int qq = 0; qq < np; qq++) {
        int q = order[qq];
        double f;
        R_xlen_t rk[2];
        zh_pct_ranks(m, pct[q], method, &f, rk);
        /* cnt[e]: values at or above bound e */
        R_xlen_t below = m - br->cnt[2 * qq], k = br->cnt[2 * qq] - br->cnt[2 * qq + 1];
        if (k != br->kq[qq]) return 0;
        if (k > br->cap) return 0;
        R_xlen_t r0 = rk[0] - below, r1 = rk[1] - below;
        if (r0 < 0 || r1 >= k) return 0;
        double *bq = br->buf + qq * br->cap, v0, v1;
        zh_select(bq, 0, k, r0);
        v0 = v1 = bq[r0];
        /* the next rank: the smallest value after r0 */
        if (r1 > r0) {
            v1 = bq[r0 + 1];
            for (R_xlen_t i = r0 + 2; i < k; i++) if (bq[i] < v1) v1 = bq[i];
        }
        out[q] = zh_pct_combine(v0, v1, f, method, tol);
    }
    return 1;
}

typedef struct {
    double x, w;
} zh_xw;

static int zh_cmp_xw(const void *a, const void *b)
{
    double u = ((const zh_xw *) a)->x, v = ((const zh_xw *) b)->x;
    return (u > v) - (u < v);
}

static int zh_cmp_double(const void *a, const void *b)
{
    double u = *(const double *) a, v = *(const double *) b;
    return (u > v) - (u < v);
}

/* The order statistics a percentile needs, ascending: `order` of pct. */
static void zh_pct_order(const double *pct, int np, int *order)
{
    for (int i = 0; i < np; i++) order[i] = i;
    for (int i = 1; i < np; i++) {
        int v = order[i], j = i;
        while (j > 0 && pct[order[j - 1]] > pct[v]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
}

/* Everything order-based about one variable. Scratch xs (n doubles) and
 * xw (n pairs, used with weights or `sorted`), y/c/cc (n doubles each). */
typedef struct {
    double *xs, *y, *c, *cc, *samp, *buf;
    R_xlen_t scap, bcap;
    zh_xw *xw;
    int *order;
} zh_scratch;

static void zh_order_stats(const double *x, const double *w, R_xlen_t n, double W,
                           const double *pct, int np, int method, int grouped, int want_mode,
                           zh_scratch *s, double *pct_out, double *mode_out, int *multi_out)
{
    int sorted = w || grouped || want_mode;
    *mode_out = NA_REAL;
    *multi_out = 0;
    for (int q = 0; q < np; q++) pct_out[q] = NA_REAL;
    if (!(W > 0)) return;
    if (!sorted) {
        R_xlen_t m = 0;
        for (R_xlen_t i = 0; i < n; i++) if (isfinite(x[i])) s->xs[m++] = x[i];
        if (!m || !np) return;
        zh_pct_select(s->xs, m, pct, s->order, np, method, pct_out);
        return;
    }
    R_xlen_t m = 0, nd = 0;
    if (w) {
        for (R_xlen_t i = 0; i < n; i++) {
            if (w[i] > 0 && isfinite(x[i])) {
                s->xw[m].x = x[i];
                s->xw[m].w = w[i];
                m++;
            }
        }
        if (!m) return;
        qsort(s->xw, (size_t) m, sizeof(zh_xw), zh_cmp_xw);
        for (R_xlen_t i = 0; i < m; i++) {
            if (nd && s->xw[i].x == s->y[nd - 1]) {
                s->c[nd - 1] += s->xw[i].w;
            } else {
                s->y[nd] = s->xw[i].x;
                s->c[nd] = s->xw[i].w;
                nd++;
            }
        }
    } else {
        for (R_xlen_t i = 0; i < n; i++) if (isfinite(x[i])) s->xs[m++] = x[i];
        if (!m) return;
        qsort(s->xs, (size_t) m, sizeof(double), zh_cmp_double);
        for (R_xlen_t i = 0; i < m; i++) {
            if (nd && s->xs[i] == s->y[nd - 1]) {
                s->c[nd - 1] += 1.0;
            } else {
                s->y[nd] = s->xs[i];
                s->c[nd] = 1.0;
                nd++;
            }
        }
    }
    double run = 0, best = -1;
    for (R_xlen_t i = 0; i < nd; i++) {
        run += s->c[i];
        s->cc[i] = run;
        if (s->c[i] > best) {
            best = s->c[i];
            *mode_out = s->y[i];
            *multi_out = 0;
        } else if (s->c[i] == best) {
            *multi_out = 1;
        }
    }
    for (int q = 0; q < np; q++) {
        pct_out[q] = grouped ? zh_pct_grouped(s->y, s->c, s->cc, nd, run, pct[q])
                             : zh_pct_distinct(s->y, s->c, s->cc, nd, run, pct[q], method);
    }
}

/* describe(): cols = list of double vectors, weights = double or NULL,
 * pct = percentiles (0-100), method 1-5, grouped, want_mode (logical),
 * threads. Returns list(moments = ncol x 8 + 2 missing columns, pct =
 * ncol x np, mode, multiple_modes, infinite). */
SEXP zh_describe_cols(SEXP cols, SEXP weights, SEXP pct, SEXP method, SEXP grouped,
                      SEXP want_mode, SEXP threads)
{
    int nv = Rf_length(cols), np = Rf_length(pct);
    int meth = Rf_asInteger(method), grp = Rf_asLogical(grouped) == TRUE;
    int md = Rf_asLogical(want_mode) == TRUE;
    int nt = zh_nthreads(threads);
    const double *w = Rf_isNull(weights) ? NULL : REAL(weights);
    R_xlen_t n = nv ? XLENGTH(VECTOR_ELT(cols, 0)) : 0;
    const double **xs = (const double **) R_alloc(nv ? nv : 1, sizeof(double *));
    for (int v = 0; v < nv; v++) {
        SEXP col = VECTOR_ELT(cols, v);
        if (TYPEOF(col) != REALSXP || XLENGTH(col) != n) Rf_error("columns must be doubles of one length");
        xs[v] = REAL(col);
    }
    if (w && XLENGTH(weights) != n) Rf_error("weights must have the length of the columns");
    if (n < 100000) nt = 1;
    if (nt > nv) nt = nv > 0 ? nv : 1;
    int need_order = np > 0 || md || grp;
    zh_scratch *sc = (zh_scratch *) R_alloc(nt, sizeof(zh_scratch));
    size_t nn = n > 0 ? (size_t) n : 1;
    for (int t = 0; t < nt; t++) {
        sc[t].order = (int *) R_alloc(np > 0 ? np : 1, sizeof(int));
        zh_pct_order(REAL(pct), np, sc[t].order);
        if (!need_order) continue;
        int sorted = w || grp || md;
        sc[t].scap = 8192;
        sc[t].bcap = n / 2 + 4096;
        sc[t].samp = sorted ? NULL : (double *) R_alloc((size_t) sc[t].scap, sizeof(double));
        sc[t].buf = sorted ? NULL : (double *) R_alloc((size_t) sc[t].bcap, sizeof(double));
        sc[t].xs = sorted && w ? NULL : (double *) R_alloc(nn, sizeof(double));
        sc[t].xw = sorted && w ? (zh_xw *) R_alloc(nn, sizeof(zh_xw)) : NULL;
        if (sorted) {
            sc[t].y = (double *) R_alloc(nn, sizeof(double));
            sc[t].c = (double *) R_alloc(nn, sizeof(double));
            sc[t].cc = (double *) R_alloc(nn, sizeof(double));
        }
    }
    zh_psum *ps = (zh_psum *) R_alloc(nt, sizeof(zh_psum));
    int *touched = (int *) R_alloc(nt, sizeof(int));
    SEXP mom = PROTECT(Rf_allocMatrix(REALSXP, nv, ZH_NMOM + 2));
    SEXP pout = PROTECT(Rf_allocMatrix(REALSXP, nv, np));
    SEXP mode = PROTECT(Rf_allocVector(REALSXP, nv));
    SEXP multi = PROTECT(Rf_allocVector(LGLSXP, nv));
    SEXP ninf = PROTECT(Rf_allocVector(REALSXP, nv));
    double *pm = REAL(mom), *pp = REAL(pout), *pmode = REAL(mode), *pinf = REAL(ninf);
    int *pmulti = LOGICAL(multi);
    const double *ppct = REAL(pct);
    double *tmp_pct = (double *) R_alloc((size_t) nt * (np > 0 ? np : 1), sizeof(double));
    /* columns in batches of nt: one thread per column, interrupts between */
    for (int v0 = 0; v0 < nv; v0 += nt) {
        int v1 = v0 + nt < nv ? v0 + nt : nv;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static, 1)
#endif
        for (int v = v0; v < v1; v++) {
            int t = v - v0;
            zh_mom acc;
            double miss[2];
            zh_brackets br;
            int bracketed = need_order && !w && !grp && !md &&
                zh_pct_brackets(xs[v], n, ppct, sc[t].order, np, meth, sc[t].samp, sc[t].scap,
                                sc[t].buf, sc[t].bcap, &br);
            pinf[v] = (double) zh_mom_pass(xs[v], w, NULL, 1, n, &acc, miss, ps + t, touched + t, 0,
                                           bracketed ? &br : NULL);
            double row[ZH_NMOM];
            zh_mom_out(&acc, row, 1);
            for (int j = 0; j < ZH_NMOM; j++) pm[v + (R_xlen_t) j * nv] = row[j];
            pm[v + (R_xlen_t) ZH_NMOM * nv] = miss[0];
            pm[v + (R_xlen_t) (ZH_NMOM + 1) * nv] = miss[1];
            double *po = tmp_pct + (size_t) t * (np > 0 ? np : 1);
            pmode[v] = NA_REAL;
            pmulti[v] = 0;
            if (bracketed && pinf[v] == 0 &&
                zh_pct_bracketed(&br, (R_xlen_t) acc.n, ppct, sc[t].order, np, meth, po)) {
                for (int q = 0; q < np; q++) pp[v + (R_xlen_t) q * nv] = po[q];
            } else if (need_order && pinf[v] == 0) {
                zh_order_stats(xs[v], w, n, acc.w, ppct, np, meth, grp, md, sc + t, po,
                               pmode + v, pmulti + v);
                for (int q = 0; q < np; q++) pp[v + (R_xlen_t) q * nv] = po[q];
            } else {
                for (int q = 0; q < np; q++) pp[v + (R_xlen_t) q * nv] = NA_REAL;
            }
        }
        R_CheckUserInterrupt();
    }
    SEXP out = PROTECT(Rf_allocVector(VECSXP, 5));
    SET_VECTOR_ELT(out, 0, mom);
    SET_VECTOR_ELT(out, 1, pout);
    SET_VECTOR_ELT(out, 2, mode);
    SET_VECTOR_ELT(out, 3, multi);
    SET_VECTOR_ELT(out, 4, ninf);
    SEXP nms = PROTECT(Rf_allocVector(STRSXP, 5));
    const char *names[] = {"moments", "percentiles", "mode", "multiple_modes", "infinite"};
    for (int i = 0; i < 5; i++) SET_STRING_ELT(nms, i, Rf_mkChar(names[i]));
    Rf_setAttrib(out, R_NamesSymbol, nms);
    UNPROTECT(7);
    return out;
}

/* means_table(): y (double), weights (double or NULL), groups (integer codes
 * 1..K, NA = left out), K. Returns list(moments = (K + 1) x 8, the last row
 * all groups together; missing = c(weight, cases) of missing y; infinite). */
SEXP zh_means_groups(SEXP y, SEXP weights, SEXP groups, SEXP ngroups)
{
    int K = Rf_asInteger(ngroups);
    R_xlen_t n = XLENGTH(y);
    if (TYPEOF(y) != REALSXP || TYPEOF(groups) != INTSXP || XLENGTH(groups) != n || K < 1)
        Rf_error("invalid arguments");
    const double *w = Rf_isNull(weights) ? NULL : REAL(weights);
    if (w && XLENGTH(weights) != n) Rf_error("weights must have the length of y");
    zh_mom *acc = (zh_mom *) R_alloc((size_t) K + 1, sizeof(zh_mom));
    zh_psum *ps = (zh_psum *) R_alloc((size_t) K, sizeof(zh_psum));
    int *touched = (int *) R_alloc((size_t) K, sizeof(int));
    double miss[2];
    R_xlen_t ninf = zh_mom_pass(REAL(y), w, INTEGER(groups), K, n, acc, miss, ps, touched, 1,
                                NULL);
    zh_mom_init(acc + K);
    for (int k = 0; k < K; k++) zh_mom_merge(acc + K, acc + k);
    SEXP mom = PROTECT(Rf_allocMatrix(REALSXP, K + 1, ZH_NMOM));
    for (int k = 0; k <= K; k++) zh_mom_out(acc + k, REAL(mom) + k, K + 1);
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
