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
 * statistics: a sample brackets each one, the moments' pass counts and keeps
 * the values inside the brackets, and a selection in those finishes (a
 * selection in a full copy when a bracket misses). */
#include "zhetysu.h"
#include "moments.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define ZH_MOM_CHUNK 4096

enum { ZH_P_HAVERAGE = 1, ZH_P_WAVERAGE, ZH_P_ROUND, ZH_P_EMPIRICAL, ZH_P_AEMPIRICAL };

void zh_mom_init(zh_mom *a)
{
    memset(a, 0, sizeof(*a));
    a->min = R_PosInf;
    a->max = R_NegInf;
}

/* a <- a + b (Pebay's pairwise update of central moments, per unit of
 * weight: the weights enter as the fractions fa, fb only). The moments are
 * brought to the larger of the two scales, or to that of the difference of
 * the means when it is far larger (data of 0 and 1e300). */
void zh_mom_merge(zh_mom *a, const zh_mom *b)
{
    if (b->w <= 0) return;
    if (a->w <= 0) {
        *a = *b;
        return;
    }
    double wa = a->w, wb = b->w, W = wa + wb;
    double fa = wa / W, fb = wb / W;
    double dl = (b->base - a->base) + (b->off - a->off), ds;
    int E = a->e > b->e ? a->e : b->e, ed, rebase = 0;
    if (!isfinite(dl)) {
        /* means of opposite signs near the largest double */
        double hd = (0.5 * b->base - 0.5 * a->base) + (0.5 * b->off - 0.5 * a->off);
        frexp(hd, &ed);
        if (ed + 1 > E) E = ed + 1;
        ds = ldexp(hd, 1 - E);
        rebase = 1;
    } else {
        if (dl != 0) {
            frexp(dl, &ed);
            if (ed - E > 200) E = ed;
        }
        ds = ldexp(dl, -E);
    }
    double a2 = ldexp(a->v2, 2 * (a->e - E)), a3 = ldexp(a->v3, 3 * (a->e - E)),
           a4 = ldexp(a->v4, 4 * (a->e - E));
    double b2 = ldexp(b->v2, 2 * (b->e - E)), b3 = ldexp(b->v3, 3 * (b->e - E)),
           b4 = ldexp(b->v4, 4 * (b->e - E));
    double ff = fa * fb, d2 = ds * ds;
    a->v2 = fa * a2 + fb * b2 + d2 * ff;
    a->v3 = fa * a3 + fb * b3 + d2 * ds * ff * (fa - fb) + 3.0 * ds * ff * (b2 - a2);
    a->v4 = fa * a4 + fb * b4 + d2 * d2 * ff * (fa * fa - fa * fb + fb * fb) +
            6.0 * d2 * ff * (fa * b2 + fb * a2) + 4.0 * ds * ff * (b3 - a3);
    a->e = E;
    if (rebase) {
        a->base = fa * (a->base + a->off) + fb * (b->base + b->off);
        a->off = 0;
    } else {
        a->off += fb * dl;
    }
    a->w = W;
    a->n += b->n;
    if (b->min < a->min) a->min = b->min;
    if (b->max > a->max) a->max = b->max;
}

static void zh_psum_fold(zh_mom *acc, zh_psum *p)
{
    if (p->n == 0) return;
    double mu = p->s1 / p->s0;
    zh_mom b;
    b.w = ldexp(p->s0, p->ew);
    b.n = p->n;
    b.e = p->e;
    b.base = p->c;
    b.off = ldexp(mu, p->e);
    if (!isfinite(b.off)) {
        b.base = ldexp(ldexp(p->c, -p->e) + mu, p->e);
        b.off = 0;
    }
    b.v2 = (p->s2 - mu * p->s1) / p->s0;
    if (b.v2 < 0) b.v2 = 0;
    b.v3 = (p->s3 - 3.0 * mu * p->s2 + 2.0 * mu * mu * p->s1) / p->s0;
    b.v4 = (p->s4 - 4.0 * mu * p->s3 + 6.0 * mu * mu * p->s2 - 3.0 * mu * mu * mu * p->s1) /
           p->s0;
    if (b.v4 < 0) b.v4 = 0;
    b.min = p->min;
    b.max = p->max;
    zh_mom_merge(acc, &b);
    p->n = 0;
}

static inline void zh_psum_add(zh_psum *p, double x, double w)
{
    if (p->n == 0) {
        p->c = x;
        p->s0 = p->s1 = p->s2 = p->s3 = p->s4 = 0;
        p->min = p->max = x;
        p->e = p->ew = 0;
    }
    double d = x - p->c, wd = w * d, wd2 = wd * d;
    p->s0 += w;
    p->s1 += wd;
    p->s2 += wd2;
    p->s3 += wd2 * d;
    p->s4 += wd2 * d * d;
    p->n += 1;
    if (x < p->min) p->min = x;
    if (x > p->max) p->max = x;
}

/* Whether a block's power sums about its first value, in the data's units,
 * can be trusted: range r = max - min, weight s0. Sums of w d^4 overflow for
 * data of 1e100 or weights of 1e300 and vanish for 1e-100; then the block
 * is summed again in units of powers of two (zh_psum_redo). */
static inline int zh_block_safe(double r, double s0)
{
    if (!isfinite(s0) || !(s0 > 0)) return 0;
    if (r == 0) return 1;
    if (!isfinite(r)) return 0;
    int lr = ilogb(r), lw = ilogb(s0), l4 = lw + 4 * lr;
    return lr >= -240 && lr <= 240 && lw >= -900 && lw <= 900 && l4 >= -900 && l4 <= 900;
}

/* Whether row i counts (a positive weight; with groups, a code in 1..K),
 * and then its slot (group - 1, or 0 without groups); -1 if it does not.
 * One rule for the main pass and the rare second pass. */
static inline int zh_row_slot(const double *w, const int *g, int K, R_xlen_t i, double *wi)
{
    *wi = w ? w[i] : 1.0;
    if (!(*wi > 0)) return -1;
    if (!g) return 0;
    return (g[i] == NA_INTEGER || g[i] < 1 || g[i] > K) ? -1 : g[i] - 1;
}

/* The block's rows from..to-1 again, for the groups with redo set (k = g -
 * 1, or 0 without groups): each group's values times 2^-e (2^e above its
 * range, or twice its largest |value| when the range overflows) and
 * weights times 2^-ew (2^ew above its largest weight), so that |d| < 2 and
 * w <= 1. Rare (extreme data only): two plain loops. */
static void zh_psum_redo(const double *x, const double *w, const int *g, int K, R_xlen_t from,
                         R_xlen_t to, zh_psum *ps)
{
    for (int k = 0; k < K; k++) {
        if (!ps[k].redo) continue;
        ps[k].n = 0;
        ps[k].maxabs = ps[k].maxw = 0;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (R_xlen_t i = from; i < to; i++) {
            double wi;
            int k = zh_row_slot(w, g, K, i, &wi);
            if (k < 0) continue;
            zh_psum *p = ps + k;
            double xi = x[i];
            if (!p->redo || !isfinite(xi)) continue;
            if (pass == 0) {
                if (p->n == 0) p->c = p->min = p->max = xi;
                if (xi < p->min) p->min = xi;
                if (xi > p->max) p->max = xi;
                if (fabs(xi) > p->maxabs) p->maxabs = fabs(xi);
                if (wi > p->maxw) p->maxw = wi;
                p->n += 1;
            } else {
                double inv = ldexp(1.0, -p->e), ws = ldexp(wi, -p->ew);
                double d = xi * inv - p->c * inv, wd = ws * d, wd2 = wd * d;
                p->s0 += ws;
                p->s1 += wd;
                p->s2 += wd2;
                p->s3 += wd2 * d;
                p->s4 += wd2 * d * d;
            }
        }
        if (pass == 1) break;
        for (int k = 0; k < K; k++) {
            zh_psum *p = ps + k;
            if (!p->redo) continue;
            double r = p->max - p->min;
            zh_pow2_inv(isfinite(r) ? r : p->maxabs, &p->e);
            zh_pow2_inv(p->maxw, &p->ew);
            p->s0 = p->s1 = p->s2 = p->s3 = p->s4 = 0;
        }
    }
    for (int k = 0; k < K; k++) ps[k].redo = 0;
}

/* Brackets of the unweighted percentiles, counted in the moments' pass (see
 * zh_pct_brackets below): bounds b (bracket q is [b[2q], b[2q+1]),
 * ascending), ge[q] = number of values at or above b[2q]. The brackets go
 * by threes: the values inside the brackets of triplet j are kept in its
 * buffer buf + j * cap (kt[j] of them), and after the pass bracket q's
 * values are kq[q] values from buf + off[q]. */
#define ZH_FAST_MAXP 15
#define ZH_FAST_MAXT (ZH_FAST_MAXP / 3)
struct zh_brackets {
    int nb, overflow;
    double b[2 * ZH_FAST_MAXP];
    R_xlen_t ge[ZH_FAST_MAXP], kt[ZH_FAST_MAXT], cap, off[ZH_FAST_MAXP], kq[ZH_FAST_MAXP];
    double *buf;
};

/* One triplet of brackets in registers: bounds (unused ones +Inf), counts
 * and the buffer. Each value is stored at the buffer's next free place, and
 * the place is kept only when the value is inside a bracket: no branch, so
 * values inside and outside (90% of them) cost the same. NaN compares false
 * with every bound and counts nowhere; infinite values make the caller drop
 * the result. */
typedef struct {
    double l0, h0, l1, h1, l2, h2;
    double *q;
    R_xlen_t k, g0, g1, g2;
} zh_b3;

static void zh_b3_load(zh_b3 *t, const zh_brackets *br, int j)
{
    double l[3], h[3];
    for (int e = 0; e < 3; e++) {
        int qq = 3 * j + e, on = 2 * qq < br->nb;
        l[e] = on ? br->b[2 * qq] : R_PosInf;
        h[e] = on ? br->b[2 * qq + 1] : R_PosInf;
    }
    t->l0 = l[0], t->h0 = h[0], t->l1 = l[1], t->h1 = h[1], t->l2 = l[2], t->h2 = h[2];
    t->q = br->buf + j * br->cap;
    t->k = br->kt[j];
    t->g0 = t->g1 = t->g2 = 0;
}

static void zh_b3_save(const zh_b3 *t, zh_brackets *br, int j)
{
    R_xlen_t g[3] = {t->g0, t->g1, t->g2};
    br->kt[j] = t->k;
    for (int e = 0; e < 3 && 2 * (3 * j + e) < br->nb; e++) br->ge[3 * j + e] += g[e];
}

static inline void zh_b3_add(zh_b3 *t, double v)
{
    int a0 = v >= t->l0, a1 = v >= t->l1, a2 = v >= t->l2;
    t->g0 += a0;
    t->g1 += a1;
    t->g2 += a2;
    t->q[t->k] = v;
    t->k += (a0 & !(v >= t->h0)) | (a1 & !(v >= t->h1)) | (a2 & !(v >= t->h2));
}

/* Whether every buffer has room for `len` more values (else the brackets
 * are given up: the caller then selects in a full copy). */
static int zh_brackets_room(zh_brackets *br, R_xlen_t len)
{
    if (br->overflow) return 0;
    for (int j = 0; 6 * j < br->nb; j++) {
        if (br->kt[j] + len > br->cap) {
            br->overflow = 1;
            return 0;
        }
    }
    return 1;
}

/* Counts x[from..to-1] into the brackets of triplets j0, j0 + 1, ... */
static void zh_brackets_block(zh_brackets *br, int j0, const double *x, R_xlen_t from,
                              R_xlen_t to)
{
    for (int j = j0; 6 * j < br->nb; j++) {
        zh_b3 t;
        zh_b3_load(&t, br, j);
        for (R_xlen_t i = from; i < to; i++) zh_b3_add(&t, x[i]);
        zh_b3_save(&t, br, j);
    }
}

static R_xlen_t zh_partition(double *a, R_xlen_t lo, R_xlen_t hi, double p, int le);

/* After the pass: each triplet's values split by bracket (bracket q holds
 * the values below the next bracket's lower bound). */
static void zh_brackets_split(zh_brackets *br)
{
    int nq = br->nb / 2;
    for (int j = 0; 3 * j < nq; j++) {
        R_xlen_t at = j * br->cap, end = at + br->kt[j];
        for (int q = 3 * j; q < 3 * j + 3 && q < nq; q++) {
            R_xlen_t stop = q + 1 < 3 * j + 3 && q + 1 < nq ?
                zh_partition(br->buf, at, end, br->b[2 * q + 2], 0) : end;
            br->off[q] = at;
            br->kq[q] = stop - at;
            at = stop;
        }
    }
}

/* Power sums of a block about c, in registers. */
typedef struct {
    double c, s1, s2, s3, s4, cnt, mn, mx;
} zh_acc;

static inline void zh_acc_add(zh_acc *a, double v)
{
    double d = v - a->c, d2 = d * d;
    a->s1 += d;
    a->s2 += d2;
    a->s3 += d2 * d;
    a->s4 += d2 * d2;
    a->cnt += 1;
    a->mn = v < a->mn ? v : a->mn;
    a->mx = v > a->mx ? v : a->mx;
}

/* One pass over x (weights w or NULL, group codes g 1..K or NULL): moments
 * per group into acc[0..K-1]; miss[0], miss[1] = weight and number of the
 * cases with a missing x (and a valid group and positive weight). Cases with
 * a missing or non-positive weight or a missing group are left out. Returns
 * the number of infinite values. Scratch: K zh_psum and K ints. */
R_xlen_t zh_mom_pass(const double *x, const double *w, const int *g, int K, R_xlen_t n,
                     zh_mom *acc, double *miss, zh_psum *ps, int *touched, int interrupt,
                     zh_brackets *br)
{
    R_xlen_t ninf = 0;
    int ntouched = 0;
    for (int k = 0; k < K; k++) {
        zh_mom_init(acc + k);
        ps[k].n = 0;
        ps[k].redo = 0;
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
            zh_acc a = {x[i], 0, 0, 0, 0, 0, x[i], x[i]};
            R_xlen_t nmiss = 0, nbad = 0;
            if (br && zh_brackets_room(br, end - start)) {
                /* the first three brackets in the same loop as the moments */
                zh_b3 t;
                zh_b3_load(&t, br, 0);
                for (; i < end; i++) {
                    double xi = x[i];
                    zh_b3_add(&t, xi);
                    if (!isfinite(xi)) {
                        if (ISNAN(xi)) nmiss++; else nbad++;
                        continue;
                    }
                    zh_acc_add(&a, xi);
                }
                zh_b3_save(&t, br, 0);
                zh_brackets_block(br, 1, x, start, end);
            } else {
                for (; i < end; i++) {
                    double xi = x[i];
                    if (!isfinite(xi)) {
                        if (ISNAN(xi)) nmiss++; else nbad++;
                        continue;
                    }
                    zh_acc_add(&a, xi);
                }
            }
            miss[0] += (double) nmiss;
            miss[1] += (double) nmiss;
            ninf += nbad;
            zh_psum p = {a.c, a.cnt, a.s1, a.s2, a.s3, a.s4, a.cnt, a.mn, a.mx, 0, 0, 0, 0, 0};
            if (!zh_block_safe(a.mx - a.mn, a.cnt)) {
                p.redo = 1;
                zh_psum_redo(x, NULL, NULL, 1, start, end, &p);
            }
            zh_psum_fold(acc, &p);
        } else {
            for (R_xlen_t i = start; i < end; i++) {
                double wi;
                int k = zh_row_slot(w, g, K, i, &wi);
                if (k < 0) continue;
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
            int redo = 0;
            for (int t = 0; t < ntouched; t++) {
                zh_psum *p = ps + touched[t];
                p->redo = !zh_block_safe(p->max - p->min, p->s0);
                redo |= p->redo;
            }
            if (redo) zh_psum_redo(x, w, g, K, start, end, ps);
            for (int t = 0; t < ntouched; t++) zh_psum_fold(acc + touched[t], ps + touched[t]);
            ntouched = 0;
        }
        if (interrupt && (end % ZH_BLOCK) < ZH_MOM_CHUNK) R_CheckUserInterrupt();
    }
    return ninf;
}

/* Moments as numbers: W, cases, mean, v2, v3, v4 (per unit of weight, of
 * the values in units of 2^e), min, max, e. */
void zh_mom_out(const zh_mom *a, double *out, R_xlen_t stride)
{
    double v[ZH_NMOM] = {a->w, a->n, a->base + a->off, a->v2, a->v3, a->v4, a->min, a->max,
                         (double) a->e};
    if (a->w <= 0) {
        for (int j = 2; j < ZH_NMOM - 1; j++) v[j] = NA_REAL;
        v[ZH_NMOM - 1] = 0;
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

/* Moves the values of a[lo..hi-1] that satisfy `below` (v < p, or v <= p)
 * to the front; returns their end. No branch on the data: each value is
 * swapped into place and the boundary moves when it belongs there. */
static R_xlen_t zh_partition(double *a, R_xlen_t lo, R_xlen_t hi, double p, int le)
{
    R_xlen_t j = lo;
    if (le) {
        for (R_xlen_t i = lo; i < hi; i++) {
            double v = a[i];
            a[i] = a[j];
            a[j] = v;
            j += v <= p;
        }
    } else {
        for (R_xlen_t i = lo; i < hi; i++) {
            double v = a[i];
            a[i] = a[j];
            a[j] = v;
            j += v < p;
        }
    }
    return j;
}

/* Moves the k-th smallest of a[lo..hi-1] to a[k], smaller ones before it,
 * larger ones after it. The values equal to the pivot are gathered in a
 * second pass, so that ties (Likert items) end the search at once. */
static void zh_select(double *a, R_xlen_t lo, R_xlen_t hi, R_xlen_t k)
{
    while (hi - lo > 1) {
        R_xlen_t mid = lo + (hi - lo) / 2;
        double p0 = a[lo], p1 = a[mid], p2 = a[hi - 1], p;
        if (p0 < p1) p = p1 < p2 ? p1 : (p0 < p2 ? p2 : p0);
        else p = p0 < p2 ? p0 : (p1 < p2 ? p2 : p1);
        R_xlen_t lt = zh_partition(a, lo, hi, p, 0);
        if (k < lt) {
            hi = lt;
            continue;
        }
        R_xlen_t le = zh_partition(a, lt, hi, p, 1);
        if (k < le) return;
        lo = le;
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
    /* runs of consecutive values spread over the data (fewer cache
     * misses than single values) */
    const R_xlen_t run = 16;
    R_xlen_t nrun = scap / run, stride = n / nrun, s = 0, seen = 0;
    for (R_xlen_t r = 0; r < nrun; r++) {
        R_xlen_t i0 = r * stride + stride / 2;
        for (R_xlen_t i = i0; i < i0 + run && i < n; i++, seen++) {
            if (isfinite(x[i])) samp[s++] = x[i];
        }
    }
    if (s < 1000) return 0;
    /* the number of valid values, estimated from the sample */
    R_xlen_t m = (R_xlen_t) ((double) n * (double) s / (double) seen);
    /* the bounds ascend: each selection searches above the previous one */
    R_xlen_t from = 0;
    for (int qq = 0; qq < np; qq++) {
        double f;
        R_xlen_t rk[2];
        zh_pct_ranks(m, pct[order[qq]], method, &f, rk);
        double p = ((double) rk[0] + (double) rk[1] + 1.0) / (2.0 * (double) m);
        double pos = p * (double) s, delta = 3.5 * sqrt((double) s * p * (1.0 - p)) + 4.0;
        R_xlen_t a = (R_xlen_t) floor(pos - delta), c = (R_xlen_t) ceil(pos + delta);
        double lo = R_NegInf, hi = R_PosInf;
        if (a > 0) {
            if (a <= from) return 0; /* overlapping brackets */
            zh_select(samp, from, s, a);
            lo = samp[a];
            from = a + 1;
        }
        if (c < s - 1) {
            zh_select(samp, from, s, c);
            hi = samp[c];
            from = c + 1;
        } else {
            from = s;
        }
        if (qq > 0 && lo < br->b[2 * qq - 1]) return 0; /* overlapping brackets */
        br->b[2 * qq] = lo;
        br->b[2 * qq + 1] = hi;
    }
    br->nb = 2 * np;
    br->overflow = 0;
    for (int q = 0; q < np; q++) br->ge[q] = 0;
    for (int j = 0; 3 * j < np; j++) br->kt[j] = 0;
    br->cap = bcap / ((np + 2) / 3);
    br->buf = buf;
    return 1;
}

static int zh_pct_bracketed(zh_brackets *br, R_xlen_t m, const double *pct, const int *order,
                            int np, int method, double *out)
{
    double tol = ZH_PCT_TOL * ((double) m + 1.0);
    if (br->overflow) return 0;
    zh_brackets_split(br);
    for (int qq = 0; qq < np; qq++) {
        int q = order[qq];
        double f;
        R_xlen_t rk[2];
        zh_pct_ranks(m, pct[q], method, &f, rk);
        R_xlen_t below = m - br->ge[qq], k = br->kq[qq];
        R_xlen_t r0 = rk[0] - below, r1 = rk[1] - below;
        if (r0 < 0 || r1 >= k) return 0;
        double *bq = br->buf + br->off[qq], v0, v1;
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

/* The bits of a double as an unsigned key in the order of the numbers
 * (negative ones flipped, positive ones with the sign bit set), and back. */
static inline uint64_t zh_key(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof(u));
    return (u >> 63) ? ~u : (u | ((uint64_t) 1 << 63));
}

static inline double zh_unkey(uint64_t u)
{
    u = (u >> 63) ? (u & ~((uint64_t) 1 << 63)) : ~u;
    double x;
    memcpy(&x, &u, sizeof(x));
    return x;
}

#define ZH_RADIX_BITS 11
#define ZH_RADIX (1 << ZH_RADIX_BITS)
#define ZH_RADIX_PASSES 6

/* Sorts a[0..n-1] by x (finite values), tmp n pairs of scratch and hist
 * ZH_RADIX_PASSES * ZH_RADIX counts: a least significant digit radix sort
 * on the keys, 11 bits at a time, in one counting pass and up to six
 * scatter passes (a digit that all values share is skipped: data in a
 * narrow range skip the top ones). Stable, O(n). */
static void zh_sort_xw(zh_xw *a, zh_xw *tmp, R_xlen_t n, R_xlen_t *hist)
{
    if (n < 512) {
        qsort(a, (size_t) n, sizeof(zh_xw), zh_cmp_xw);
        return;
    }
    memset(hist, 0, sizeof(R_xlen_t) * ZH_RADIX_PASSES * ZH_RADIX);
    for (R_xlen_t i = 0; i < n; i++) {
        uint64_t k = zh_key(a[i].x);
        memcpy(&a[i].x, &k, sizeof(k));
        for (int d = 0; d < ZH_RADIX_PASSES; d++) {
            hist[d * ZH_RADIX + ((k >> (d * ZH_RADIX_BITS)) & (ZH_RADIX - 1))]++;
        }
    }
    zh_xw *src = a, *dst = tmp;
    for (int d = 0; d < ZH_RADIX_PASSES; d++) {
        R_xlen_t *h = hist + d * ZH_RADIX;
        uint64_t k0;
        memcpy(&k0, &src[0].x, sizeof(k0));
        if (h[(k0 >> (d * ZH_RADIX_BITS)) & (ZH_RADIX - 1)] == n) continue;
        R_xlen_t at = 0;
        for (int b = 0; b < ZH_RADIX; b++) {
            R_xlen_t c = h[b];
            h[b] = at;
            at += c;
        }
        for (R_xlen_t i = 0; i < n; i++) {
            uint64_t k;
            memcpy(&k, &src[i].x, sizeof(k));
            dst[h[(k >> (d * ZH_RADIX_BITS)) & (ZH_RADIX - 1)]++] = src[i];
        }
        zh_xw *sw = src;
        src = dst;
        dst = sw;
    }
    for (R_xlen_t i = 0; i < n; i++) {
        uint64_t k;
        memcpy(&k, &src[i].x, sizeof(k));
        a[i].x = zh_unkey(k);
        a[i].w = src[i].w;
    }
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

/* Everything order-based about one variable. Scratch: for selection, xs
 * (n doubles) and the brackets' sample and buffers; for a sort, xw (n
 * pairs), y and c (n doubles each, one block: the sort's scratch before
 * they are filled), cc (n doubles) and the radix counts. */
typedef struct {
    double *xs, *y, *c, *cc, *samp, *buf;
    R_xlen_t scap, bcap, *hist;
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
    for (R_xlen_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0;
        if (wi > 0 && isfinite(x[i])) {
            s->xw[m].x = x[i];
            s->xw[m].w = wi;
            m++;
        }
    }
    if (!m) return;
    /* y and c, filled below, are the scratch of the sort */
    zh_sort_xw(s->xw, (zh_xw *) s->y, m, s->hist);
    for (R_xlen_t i = 0; i < m; i++) {
        double xi = s->xw[i].x, wi = s->xw[i].w;
        if (nd && xi == s->y[nd - 1]) {
            s->c[nd - 1] += wi;
        } else {
            s->y[nd] = xi;
            s->c[nd] = wi;
            nd++;
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
    if (TYPEOF(cols) != VECSXP || TYPEOF(pct) != REALSXP ||
        (!Rf_isNull(weights) && TYPEOF(weights) != REALSXP))
        zh_internal_error("columns must be a list, percentiles and weights doubles");
    int nv = Rf_length(cols), np = Rf_length(pct);
    for (int q = 0; q < np; q++)
        if (!(REAL(pct)[q] >= 0 && REAL(pct)[q] <= 100))
            zh_internal_error("percentiles must lie between 0 and 100");
    int meth = Rf_asInteger(method), grp = Rf_asLogical(grouped) == TRUE;
    if (meth == NA_INTEGER || meth < ZH_P_HAVERAGE || meth > ZH_P_AEMPIRICAL)
        zh_internal_error("unknown percentile method");
    int md = Rf_asLogical(want_mode) == TRUE;
    int nt = zh_nthreads(threads);
    const double *w = Rf_isNull(weights) ? NULL : REAL(weights);
    R_xlen_t n = nv ? XLENGTH(VECTOR_ELT(cols, 0)) : 0;
    const double **xs = (const double **) R_alloc(nv ? nv : 1, sizeof(double *));
    for (int v = 0; v < nv; v++) {
        SEXP col = VECTOR_ELT(cols, v);
        if (TYPEOF(col) != REALSXP || XLENGTH(col) != n) zh_internal_error("columns must be doubles of one length");
        xs[v] = REAL(col);
    }
    if (w && XLENGTH(weights) != n) zh_internal_error("weights must have the length of the columns");
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
        sc[t].xs = sorted ? NULL : (double *) R_alloc(nn, sizeof(double));
        sc[t].xw = sorted ? (zh_xw *) R_alloc(nn, sizeof(zh_xw)) : NULL;
        if (sorted) {
            sc[t].y = (double *) R_alloc(2 * nn, sizeof(double));
            sc[t].c = sc[t].y + nn;
            sc[t].cc = (double *) R_alloc(nn, sizeof(double));
            sc[t].hist = (R_xlen_t *) R_alloc(ZH_RADIX_PASSES * ZH_RADIX, sizeof(R_xlen_t));
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
    /* columns in batches of 4 nt, interrupts between; within a batch a
     * thread takes the next column when it is done with one (on a busy
     * machine, threads do not wait for the slowest one) */
    int batch = 4 * nt;
    for (int v0 = 0; v0 < nv; v0 += batch) {
        int v1 = v0 + batch < nv ? v0 + batch : nv;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
#endif
        for (int v = v0; v < v1; v++) {
            int t = zh_thread_id();
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
