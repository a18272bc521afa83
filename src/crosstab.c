/* Cross-tabulation engine: one counting pass over integer codes, then every
 * CROSSTABS statistic from the table of (weighted) counts. The two steps are
 * separate entry points so that a table counted anywhere (R's table(), a
 * database GROUP BY) goes through the same statistics code. */
#include "zhetysu.h"
#include <Rmath.h>
#include <math.h>
#include <string.h>

/* ---- counting ---------------------------------------------------------- */

/* Counts rows [from, to) into tab (nr x nc, column-major). miss[0] counts
 * cases left out for a missing value, miss[1] their weight; *bad counts codes
 * outside 1..n (the R side never passes them; they are refused, not read). */
/* Unweighted rows of a small table: integer counts in four interleaved
 * copies of the table (neighbouring rows that hit the same cell do not wait
 * on each other), no weight loads; the caller passes at most 2^32 rows. */
#define ZH_SMALL_CELLS 1024
static void count_rows_small(const int *restrict r, const int *restrict c,
                             R_xlen_t from, R_xlen_t to, int nr, int nc,
                             double *restrict tab, double *restrict miss, R_xlen_t *restrict bad)
{
    unsigned cnt[4 * ZH_SMALL_CELLS];
    const unsigned unr = (unsigned) nr, unc = (unsigned) nc, cells = unr * unc;
    memset(cnt, 0, 4 * cells * sizeof(unsigned));
    R_xlen_t nmiss = 0, nbad = 0;
    for (R_xlen_t k = from; k < to; k += 4) {
        int lanes = to - k < 4 ? (int) (to - k) : 4;
        for (int u = 0; u < lanes; u++) {
            unsigned ur = (unsigned) r[k + u] - 1u, uc = (unsigned) c[k + u] - 1u;
            if (ur < unr && uc < unc) {
                cnt[u * cells + uc * unr + ur]++;
            } else if (r[k + u] == NA_INTEGER || c[k + u] == NA_INTEGER) {
                nmiss++;
            } else {
                nbad++;
            }
        }
    }
    for (unsigned i = 0; i < cells; i++)
        tab[i] += (double) cnt[i] + cnt[cells + i] + cnt[2 * cells + i] + cnt[3 * cells + i];
    miss[0] += (double) nmiss;
    miss[1] += (double) nmiss; /* each left-out case weighs 1 */
    *bad += nbad;
}

static void count_rows(const int *restrict r, const int *restrict c, const double *restrict w,
                       R_xlen_t from, R_xlen_t to, int nr, int nc,
                       double *restrict tab, double *restrict miss, R_xlen_t *restrict bad)
{
    if (!w && (double) nr * nc <= ZH_SMALL_CELLS && (double) (to - from) < 4294967296.0) {
        count_rows_small(r, c, from, to, nr, nc, tab, miss, bad);
        return;
    }
    double m0 = 0, m1 = 0;
    R_xlen_t nbad = 0;
    for (R_xlen_t k = from; k < to; k++) {
        unsigned ur = (unsigned) r[k] - 1u, uc = (unsigned) c[k] - 1u;
        double wk = w ? w[k] : 1.0;
        if (ur < (unsigned) nr && uc < (unsigned) nc && !ISNAN(wk)) {
            tab[(size_t) uc * nr + ur] += wk;
        } else if (r[k] == NA_INTEGER || c[k] == NA_INTEGER || ISNAN(wk)) {
            m0 += 1;
            if (!ISNAN(wk)) m1 += wk;
        } else {
            nbad++;
        }
    }
    miss[0] += m0;
    miss[1] += m1;
    *bad += nbad;
}

SEXP zh_crosstab_count(SEXP row, SEXP col, SEXP weights, SEXP nrow, SEXP ncol, SEXP threads)
{
    if (TYPEOF(row) != INTSXP || TYPEOF(col) != INTSXP)
        zh_internal_error("codes must be integer vectors");
    R_xlen_t n = XLENGTH(row);
    if (XLENGTH(col) != n) zh_internal_error("codes differ in length");
    const double *w = NULL;
    if (!Rf_isNull(weights)) {
        if (TYPEOF(weights) != REALSXP || XLENGTH(weights) != n)
            zh_internal_error("weights must be a double vector as long as the codes");
        w = REAL(weights);
    }
    int nr = Rf_asInteger(nrow), nc = Rf_asInteger(ncol);
    if (nr == NA_INTEGER || nc == NA_INTEGER || nr < 1 || nc < 1)
        zh_internal_error("table dimensions must be positive");
    size_t cells = (size_t) nr * (size_t) nc;
    const int *r = INTEGER(row), *c = INTEGER(col);

    int nt = n < 100000 ? 1 : zh_nthreads(threads);
    double *tabs = (double *) R_alloc(cells * nt, sizeof(double));
    memset(tabs, 0, cells * nt * sizeof(double));
    double *miss = (double *) R_alloc(2 * nt, sizeof(double));
    memset(miss, 0, 2 * nt * sizeof(double));
    R_xlen_t *bad = (R_xlen_t *) R_alloc(nt, sizeof(R_xlen_t));
    memset(bad, 0, nt * sizeof(R_xlen_t));

    R_xlen_t step = ZH_BLOCK * nt;
    for (R_xlen_t start = 0; start < n; start += step) {
        R_xlen_t end = start + step < n ? start + step : n;
        R_xlen_t len = end - start;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static, 1)
#endif
        for (int t = 0; t < nt; t++) {
            R_xlen_t from = start + len * t / nt, to = start + len * (t + 1) / nt;
            count_rows(r, c, w, from, to, nr, nc, tabs + cells * t, miss + 2 * t, bad + t);
        }
        R_CheckUserInterrupt();
    }
    R_xlen_t nbad = 0;
    for (int t = 0; t < nt; t++) nbad += bad[t];
    if (nbad > 0) zh_internal_error("%lld codes outside the table", (long long) nbad);

    const char *nm[] = {"table", "missing", ""};
    SEXP out = PROTECT(Rf_mkNamed(VECSXP, nm));
    SEXP tab = PROTECT(Rf_allocMatrix(REALSXP, nr, nc));
    double *pt = REAL(tab);
    memcpy(pt, tabs, cells * sizeof(double));
    for (int t = 1; t < nt; t++) {
        const double *src = tabs + cells * t;
        for (size_t k = 0; k < cells; k++) pt[k] += src[k];
    }
    SEXP m = PROTECT(Rf_allocVector(REALSXP, 2));
    REAL(m)[0] = 0;
    REAL(m)[1] = 0;
    for (int t = 0; t < nt; t++) {
        REAL(m)[0] += miss[2 * t];
        REAL(m)[1] += miss[2 * t + 1];
    }
    SET_VECTOR_ELT(out, 0, tab);
    SET_VECTOR_ELT(out, 1, m);
    UNPROTECT(3);
    return out;
}

/* ---- statistics from a table ------------------------------------------ */

#define SQ(x) ((x) * (x))

static double p_norm2(double t) { return ISNAN(t) ? NA_REAL : 2.0 * Rf_pnorm5(-fabs(t), 0.0, 1.0, 1, 0); }
static double p_chisq(double x, double df) { return (ISNAN(x) || df <= 0) ? NA_REAL : Rf_pchisq(x, df, 0, 0); }
static double safe_sqrt(double x) { return x > 0 ? sqrt(x) : 0.0; }
static double ratio(double a, double b) { return b != 0 ? a / b : NA_REAL; }

static void set_measure(double *m, int k, double est, double ase, double t, double p)
{
    m[k] = est;
    m[k + ZH_NMEASURES] = ase;
    m[k + 2 * ZH_NMEASURES] = t;
    m[k + 3 * ZH_NMEASURES] = p;
}

/* phyper() without the slow case of R's own: its series (pdhyper, R 4.2)
 * takes O(x) steps when it starts at the low end of the support, which a
 * weighted 2 x 2 table reaches (x = 1e12 - 1 runs for hours). Those starts
 * are x = lo and x = hi - 1, where a tail is one probability. */
static double hyper_cdf(double x, double m, double n, double k, int lower)
{
    double lo = fmax2(0, k - n), hi = fmin2(m, k);
    x = floor(x + 1e-7);
    if (x < lo) return lower ? 0 : 1;
    if (x >= hi) return lower ? 1 : 0;
    if (hi - lo < 8) {
        double s = 0;
        for (double y = lower ? lo : x + 1; y <= (lower ? x : hi); y++) s += Rf_dhyper(y, m, n, k, 0);
        return fmin2(1, s);
    }
    if (x == lo)
        return lower ? Rf_dhyper(lo, m, n, k, 0)
                     : Rf_dhyper(lo + 1, m, n, k, 0) + hyper_cdf(lo + 1, m, n, k, 0);
    if (x == hi - 1)
        return lower ? hyper_cdf(hi - 2, m, n, k, 1) + Rf_dhyper(hi - 1, m, n, k, 0)
                     : Rf_dhyper(hi, m, n, k, 0);
    return Rf_phyper(x, m, n, k, lower, 0);
}

/* Fisher's two-sided p for a 2 x 2 table (a = cell 1,1; row totals m, n;
 * first column total k): the sum of p(x) over the tables no more probable
 * than the observed one (relative tolerance 1e-7, as SPSS and fisher.test).
 * The hypergeometric is unimodal, so those tables are two tails; each tail's
 * end is found by bisection and summed by phyper(): O(log W), not O(W). */
static double fisher_two_sided(double a, double m, double n, double k)
{
    double lo = fmax2(0, k - n), hi = fmin2(m, k);
    double mode = floor((m + 1) * (k + 1) / (m + n + 2));
    if (mode < lo) mode = lo;
    if (mode > hi) mode = hi;
    /* the formula is rounded in double beyond 2^53: step to the true mode */
    while (mode < hi && Rf_dhyper(mode + 1, m, n, k, 0) > Rf_dhyper(mode, m, n, k, 0)) mode++;
    while (mode > lo && Rf_dhyper(mode - 1, m, n, k, 0) > Rf_dhyper(mode, m, n, k, 0)) mode--;
    double thr = Rf_dhyper(a, m, n, k, 0) * (1 + 1e-7), p = 0;
    /* left of the mode p(x) rises: the largest x in [lo, mode] with p <= thr */
    if (Rf_dhyper(lo, m, n, k, 0) <= thr) {
        double x0 = lo, x1 = mode;  /* p(x0) <= thr; find the last such x */
        if (Rf_dhyper(x1, m, n, k, 0) <= thr) x0 = x1;
        while (x1 - x0 > 1) {
            double mid = floor((x0 + x1) / 2);
            if (Rf_dhyper(mid, m, n, k, 0) <= thr) x0 = mid; else x1 = mid;
        }
        p += hyper_cdf(x0, m, n, k, 1);
        if (x0 == mode) return fmin2(1, p + hyper_cdf(mode, m, n, k, 0));
    }
    /* right of the mode p(x) falls: the smallest x in (mode, hi] with p <= thr */
    if (mode < hi && Rf_dhyper(hi, m, n, k, 0) <= thr) {
        double x0 = mode, x1 = hi;  /* p(x1) <= thr; find the first such x */
        while (x1 - x0 > 1) {
            double mid = floor((x0 + x1) / 2);
            if (Rf_dhyper(mid, m, n, k, 0) <= thr) x1 = mid; else x0 = mid;
        }
        p += hyper_cdf(x1 - 1, m, n, k, 0);
    }
    return fmin2(1, p);
}

/* Pearson r on scores with its ASE1 (SPSS CROSSTABS), used for Pearson's R
 * (category values) and Spearman (mid-ranks). */
static void score_correlation(const double *f, int R, int C, const double *rs, const double *cs,
                              const double *X, const double *Y, double W, double *m, int k)
{
    double mx = 0, my = 0;
    for (int i = 0; i < R; i++) mx += rs[i] * X[i];
    for (int j = 0; j < C; j++) my += cs[j] * Y[j];
    mx /= W;
    my /= W;
    double sx = 0, sy = 0, sxy = 0;
    for (int i = 0; i < R; i++) sx += rs[i] * SQ(X[i] - mx);
    for (int j = 0; j < C; j++) sy += cs[j] * SQ(Y[j] - my);
    for (int j = 0; j < C; j++)
        for (int i = 0; i < R; i++) sxy += f[i + (size_t) j * R] * (X[i] - mx) * (Y[j] - my);
    double T = sqrt(sx * sy);
    if (!(T > 0)) {
        set_measure(m, k, NA_REAL, NA_REAL, NA_REAL, NA_REAL);
        return;
    }
    double r = sxy / T, sb = 0;
    for (int j = 0; j < C; j++)
        for (int i = 0; i < R; i++) {
            double x = X[i] - mx, y = Y[j] - my;
            double b = T * x * y - (sxy / (2 * T)) * (x * x * sy + y * y * sx);
            sb += f[i + (size_t) j * R] * b * b;
        }
    double ase = sqrt(sb) / (T * T);
    double t = (fabs(r) < 1 && W > 2) ? r * sqrt((W - 2) / (1 - r * r)) : NA_REAL;
    double p = (!ISNAN(t)) ? 2 * Rf_pt(-fabs(t), W - 2, 1, 0) : (fabs(r) >= 1 && W > 2 ? 0.0 : NA_REAL);
    set_measure(m, k, r, ase, t, p);
}

/* Eta with the column variable dependent, on column scores Y. */
static double eta_col(const double *f, int R, int C, const double *rs, const double *cs,
                      const double *Y, double W)
{
    double my = 0, tot = 0, within = 0;
    for (int j = 0; j < C; j++) my += cs[j] * Y[j];
    my /= W;
    for (int j = 0; j < C; j++) tot += cs[j] * SQ(Y[j] - my);
    for (int i = 0; i < R; i++) {
        if (rs[i] <= 0) continue;
        double mi = 0;
        for (int j = 0; j < C; j++) mi += f[i + (size_t) j * R] * Y[j];
        mi /= rs[i];
        for (int j = 0; j < C; j++) within += f[i + (size_t) j * R] * SQ(Y[j] - mi);
    }
    if (!(tot > 0)) return NA_REAL;
    return safe_sqrt(1 - within / tot);
}

/* One row of the Risk Estimate: the estimate and its 95% interval
 * exp(ln est +- z se). Left NA when a zero cell makes the estimate 0 or
 * infinite (no finite log, no interval). */
static void set_risk(double *rk, int k, double num, double den, double se2)
{
    if (!(num > 0 && den > 0 && R_FINITE(se2))) return;
    double est = num / den, h = Rf_qnorm5(0.975, 0.0, 1.0, 1, 0) * sqrt(se2);
    rk[k] = est;
    rk[k + ZH_NRISK] = est * exp(-h);
    rk[k + 2 * ZH_NRISK] = est * exp(h);
}

/* Odds ratio and the two cohort relative risks of a 2 x 2 table (a b / c d,
 * row totals r1 r2), with the log-scale (Woolf / Katz) intervals. */
static void table_risk(double a, double b, double c, double d, double *rk)
{
    double r1 = a + b, r2 = c + d;
    if (a > 0 && b > 0 && c > 0 && d > 0)
        set_risk(rk, ZH_R_ODDS, a * d, b * c, 1 / a + 1 / b + 1 / c + 1 / d);
    if (a > 0 && c > 0)
        set_risk(rk, ZH_R_COHORT1, a * r2, c * r1, b / (a * r1) + d / (c * r2));
    if (b > 0 && d > 0)
        set_risk(rk, ZH_R_COHORT2, b * r2, d * r1, a / (b * r1) + c / (d * r2));
}

/* Cohen's kappa of a square table whose row i and column pair[i] (0-based)
 * are the same category. SPSS CROSSTABS form, in proportions so that huge
 * weighted counts do not overflow: with p = f / W, row and column shares
 * pr, pc (column j taken as the partner of row j), o = sum p_ii,
 * e = sum pr_i pc_i, kappa = (o - e) / (1 - e);
 * ASE1^2 = [o(1-o)/(1-e)^2 + 2(1-o)(2oe - sum p_ii(pr_i+pc_i))/(1-e)^3
 *           + (1-o)^2 (sum p_ij (pc_i+pr_j)^2 - 4e^2)/(1-e)^4] / W
 * (Fleiss, Cohen & Everitt 1969: the multinomial delta-method variance;
 * PSPP has pr_i + pc_j in the last sum, which is not the delta method when
 * the margins differ); ASE0^2 =
 * [e + e^2 - sum pr_i pc_i (pr_i + pc_i)] / (W (1-e)^2). */
static void table_kappa(const double *f, int K, const int *pair, double *m)
{
    double *pr = (double *) R_alloc(K, sizeof(double));
    double *pc = (double *) R_alloc(K, sizeof(double));
    double W = 0;
    for (int i = 0; i < K; i++) pr[i] = pc[i] = 0;
    for (int j = 0; j < K; j++)
        for (int i = 0; i < K; i++) {
            double v = f[i + (size_t) pair[j] * K];
            pr[i] += v;
            pc[j] += v;
            W += v;
        }
    if (!(W > 0)) return;
    double o = 0, off = 0, e = 0, d = 0, s3 = 0, s4 = 0, s0 = 0;
    for (int i = 0; i < K; i++) {
        pr[i] /= W;
        pc[i] /= W;
    }
    for (int j = 0; j < K; j++)
        for (int i = 0; i < K; i++) {
            double p = f[i + (size_t) pair[j] * K] / W;
            if (i == j) {
                o += p;
                s3 += p * (pr[i] + pc[i]);
            } else {
                off += p;  /* 1 - o without cancellation */
            }
            s4 += p * SQ(pc[i] + pr[j]);
        }
    for (int i = 0; i < K; i++) {
        e += pr[i] * pc[i];
        d += pr[i] * (1 - pc[i]);  /* 1 - e without cancellation */
        s0 += pr[i] * pc[i] * (pr[i] + pc[i]);
    }
    if (!(d > 0)) return;
    double kappa = (o - e) / d;
    double v1 = (o * off / SQ(d) + 2 * off * (2 * o * e - s3) / (d * d * d) +
                 SQ(off) * (s4 - 4 * e * e) / SQ(d * d)) / W;
    double v0 = (e + e * e - s0) / (W * d * d);
    double ase0 = safe_sqrt(v0), t = ase0 > 0 ? kappa / ase0 : NA_REAL;
    set_measure(m, ZH_M_KAPPA, kappa, safe_sqrt(v1), t, p_norm2(t));
}

void zh_table_stats(const double *f, int R, int C, const double *X, const double *Y, zh_stats *s)
{
    size_t RC = (size_t) R * C;
    s->n = 0;
    for (int k = 0; k < ZH_NTESTS; k++) s->tests[k] = NA_REAL;
    for (int k = 0; k < 4 * ZH_NMEASURES; k++) s->measures[k] = NA_REAL;
    for (int k = 0; k < 3 * ZH_NRISK; k++) s->risk[k] = NA_REAL;
    s->min_expected = NA_REAL;
    s->cells_below5 = 0;
    /* an empty table (every category dropped): R_alloc(0) is NULL, and
     * memset(NULL, 0, 0) is undefined behaviour */
    if (R < 1 || C < 1) return;
    double *rs = (double *) R_alloc(R, sizeof(double));
    double *cs = (double *) R_alloc(C, sizeof(double));
    double W = 0;
    memset(rs, 0, R * sizeof(double));
    memset(cs, 0, C * sizeof(double));
    for (int j = 0; j < C; j++)
        for (int i = 0; i < R; i++) {
            double v = f[i + (size_t) j * R];
            rs[i] += v;
            cs[j] += v;
            W += v;
        }
    s->n = W;
    if (!(W > 0)) return;

    /* expected counts and the chi-square family */
    double x2 = 0, g2 = 0, emin = R_PosInf;
    int below = 0;
    for (int j = 0; j < C; j++)
        for (int i = 0; i < R; i++) {
            double e = rs[i] * cs[j] / W, o = f[i + (size_t) j * R];
            if (e < emin) emin = e;
            if (e < 5) below++;
            if (e > 0) x2 += SQ(o - e) / e;
            if (o > 0 && e > 0) g2 += 2 * o * log(o / e);
        }
    s->min_expected = emin;
    s->cells_below5 = below;
    if (R < 2 || C < 2) return;
    double df = (double) (R - 1) * (C - 1);
    double p_x2 = p_chisq(x2, df), p_g2 = p_chisq(g2, df);
    s->tests[ZH_T_PEARSON] = x2;
    s->tests[ZH_T_PEARSON_P] = p_x2;
    s->tests[ZH_T_LR] = g2;
    s->tests[ZH_T_LR_P] = p_g2;
    s->tests[ZH_T_DF] = df;
    double *m = s->measures;

    /* linear-by-linear on the scores; Pearson's R and Spearman */
    score_correlation(f, R, C, rs, cs, X, Y, W, m, ZH_M_PEARSON);
    {
        double *rx = (double *) R_alloc(R, sizeof(double)), *ry = (double *) R_alloc(C, sizeof(double));
        double acc = 0;
        for (int i = 0; i < R; i++) { rx[i] = acc + (rs[i] + 1) / 2; acc += rs[i]; }
        acc = 0;
        for (int j = 0; j < C; j++) { ry[j] = acc + (cs[j] + 1) / 2; acc += cs[j]; }
        score_correlation(f, R, C, rs, cs, rx, ry, W, m, ZH_M_SPEARMAN);
    }
    double rr = m[ZH_M_PEARSON];
    if (!ISNAN(rr)) {
        s->tests[ZH_T_LBL] = (W - 1) * rr * rr;
        s->tests[ZH_T_LBL_P] = p_chisq((W - 1) * rr * rr, 1);
    }

    /* 2 x 2: continuity correction and Fisher's exact test */
    if (R == 2 && C == 2) {
        double a = f[0], b = f[2], c = f[1], d = f[3];
        double det = a * d - b * c, prod = rs[0] * rs[1] * cs[0] * cs[1];
        double yates = fabs(det) > W / 2 ? W * SQ(fabs(det) - W / 2) / prod : 0;
        s->tests[ZH_T_YATES] = yates;
        s->tests[ZH_T_YATES_P] = p_chisq(yates, 1);
        int integer = 1;
        for (int k = 0; k < 4; k++) if (f[k] != floor(f[k]) || f[k] > 4e15) integer = 0;
        if (integer) {
            double m1 = rs[0], n1 = rs[1], k1 = cs[0];
            double two = fisher_two_sided(a, m1, n1, k1);
            double less = hyper_cdf(a, m1, n1, k1, 1);
            double greater = hyper_cdf(a - 1, m1, n1, k1, 0);
            s->tests[ZH_T_FISHER_2] = fmin2(1, two);
            s->tests[ZH_T_FISHER_1] = det > 0 ? greater : (det < 0 ? less : fmin2(less, greater));
            s->tests[ZH_T_FISHER_LESS] = less;
            s->tests[ZH_T_FISHER_GREATER] = greater;
        }
        set_measure(m, ZH_M_PHI, prod > 0 ? det / sqrt(prod) : NA_REAL, NA_REAL, NA_REAL, p_x2);
        table_risk(a, b, c, d, s->risk);
    } else {
        set_measure(m, ZH_M_PHI, sqrt(x2 / W), NA_REAL, NA_REAL, p_x2);
    }
    double q = (double) (R < C ? R : C);
    set_measure(m, ZH_M_V, sqrt(x2 / (W * (q - 1))), NA_REAL, NA_REAL, p_x2);
    set_measure(m, ZH_M_CC, sqrt(x2 / (x2 + W)), NA_REAL, NA_REAL, p_x2);

    /* lambda: m_i = max over row i (at column l_i), n_j = max over column j
     * (at row k_j); ties go to the first index */
    {
        int *l = (int *) R_alloc(R, sizeof(int)), *kk = (int *) R_alloc(C, sizeof(int));
        double sm = 0, sn = 0, cM = -1, rM = -1;
        int L = 0, K = 0;
        for (int i = 0; i < R; i++) {
            double best = -1;
            for (int j = 0; j < C; j++)
                if (f[i + (size_t) j * R] > best) { best = f[i + (size_t) j * R]; l[i] = j; }
            sm += best;
            if (rs[i] > rM) { rM = rs[i]; K = i; }
        }
        for (int j = 0; j < C; j++) {
            double best = -1;
            for (int i = 0; i < R; i++)
                if (f[i + (size_t) j * R] > best) { best = f[i + (size_t) j * R]; kk[j] = i; }
            sn += best;
            if (cs[j] > cM) { cM = cs[j]; L = j; }
        }
        /* column dependent */
        double den = W - cM, lam = ratio(sm - cM, den), ase1 = NA_REAL, ase0 = NA_REAL, acc = 0, acc0 = 0;
        if (den > 0) {
            for (int i = 0; i < R; i++) if (l[i] == L) acc += f[i + (size_t) l[i] * R];
            ase1 = safe_sqrt((W - sm) * (sm + cM - 2 * acc) / (den * den * den));
            for (int i = 0; i < R; i++) if (l[i] != L) acc0 += f[i + (size_t) l[i] * R] + f[i + (size_t) L * R];
            ase0 = safe_sqrt(acc0 - SQ(sm - cM) / W) / den;
        }
        double t = ase0 > 0 ? lam / ase0 : NA_REAL;
        set_measure(m, ZH_M_LAMBDA_C, lam, ase1, t, p_norm2(t));
        /* row dependent */
        den = W - rM;
        lam = ratio(sn - rM, den);
        ase1 = ase0 = NA_REAL;
        acc = acc0 = 0;
        if (den > 0) {
            for (int j = 0; j < C; j++) if (kk[j] == K) acc += f[kk[j] + (size_t) j * R];
            ase1 = safe_sqrt((W - sn) * (sn + rM - 2 * acc) / (den * den * den));
            for (int j = 0; j < C; j++) if (kk[j] != K) acc0 += f[kk[j] + (size_t) j * R] + f[K + (size_t) j * R];
            ase0 = safe_sqrt(acc0 - SQ(sn - rM) / W) / den;
        }
        t = ase0 > 0 ? lam / ase0 : NA_REAL;
        set_measure(m, ZH_M_LAMBDA_R, lam, ase1, t, p_norm2(t));
        /* symmetric */
        den = 2 * W - rM - cM;
        double num = sm + sn - rM - cM;
        lam = ratio(num, den);
        ase1 = ase0 = NA_REAL;
        if (den > 0) {
            double s1 = 0, s0 = 0;
            for (int j = 0; j < C; j++)
                for (int i = 0; i < R; i++) {
                    double a = (kk[j] == i) + (l[i] == j), b = (i == K) + (j == L);
                    double fij = f[i + (size_t) j * R];
                    s1 += fij * SQ(a + (lam - 1) * b);
                    s0 += fij * SQ(a - b);
                }
            ase1 = safe_sqrt(s1 - 4 * W * lam * lam) / den;
            ase0 = safe_sqrt(s0 - num * num / W) / den;
        }
        t = ase0 > 0 ? lam / ase0 : NA_REAL;
        set_measure(m, ZH_M_LAMBDA_S, lam, ase1, t, p_norm2(t));
    }

    /* Goodman-Kruskal tau, column dependent then row dependent */
    {
        double sc2 = 0, sr2 = 0, sfr = 0, sfc = 0;
        for (int j = 0; j < C; j++) sc2 += cs[j] * cs[j];
        for (int i = 0; i < R; i++) sr2 += rs[i] * rs[i];
        double *qr = (double *) R_alloc(R, sizeof(double)), *qc = (double *) R_alloc(C, sizeof(double));
        for (int i = 0; i < R; i++) qr[i] = 0;
        for (int j = 0; j < C; j++) qc[j] = 0;
        for (int j = 0; j < C; j++)
            for (int i = 0; i < R; i++) {
                double v = f[i + (size_t) j * R];
                qr[i] += v * v / (rs[i] * rs[i]);
                qc[j] += v * v / (cs[j] * cs[j]);
                sfr += v * v / rs[i];
                sfc += v * v / cs[j];
            }
        for (int dir = 0; dir < 2; dir++) {
            /* dir 0: column dependent; dir 1: row dependent */
            double delta = dir == 0 ? W * W - sc2 : W * W - sr2;
            double nu = dir == 0 ? W * sfr - sc2 : W * sfc - sr2;
            double tau = ratio(nu, delta), ase1 = NA_REAL;
            if (delta > 0) {
                double sg = 0, sg2 = 0;
                for (int j = 0; j < C; j++)
                    for (int i = 0; i < R; i++) {
                        double v = f[i + (size_t) j * R], g;
                        if (dir == 0)
                            g = delta * (W * (2 * v / rs[i] - qr[i]) - 2 * cs[j]) + 2 * nu * cs[j];
                        else
                            g = delta * (W * (2 * v / cs[j] - qc[j]) - 2 * rs[i]) + 2 * nu * rs[i];
                        sg += v * g;
                        sg2 += v * g * g;
                    }
                ase1 = safe_sqrt(sg2 - sg * sg / W) / (delta * delta);
            }
            double k = dir == 0 ? C - 1 : R - 1;
            double p = ISNAN(tau) ? NA_REAL : p_chisq((W - 1) * k * tau, df);
            set_measure(m, dir == 0 ? ZH_M_GKTAU_C : ZH_M_GKTAU_R, tau, ase1, NA_REAL, p);
        }
    }

    /* uncertainty coefficients */
    {
        double ur = 0, uc = 0, urc = 0, pu = 0;
        for (int i = 0; i < R; i++) if (rs[i] > 0) ur -= rs[i] / W * log(rs[i] / W);
        for (int j = 0; j < C; j++) if (cs[j] > 0) uc -= cs[j] / W * log(cs[j] / W);
        for (int j = 0; j < C; j++)
            for (int i = 0; i < R; i++) {
                double v = f[i + (size_t) j * R];
                if (v > 0) {
                    urc -= v / W * log(v / W);
                    pu += v * SQ(log(rs[i] * cs[j] / (W * v)));
                }
            }
        double I = ur + uc - urc;
        double tt = W * I / safe_sqrt(pu - W * I * I);
        if (!R_FINITE(tt)) tt = NA_REAL;
        double sc = 0, sr = 0, ss = 0;
        for (int j = 0; j < C; j++)
            for (int i = 0; i < R; i++) {
                double v = f[i + (size_t) j * R];
                if (v <= 0) continue;
                sc += v * SQ(uc * log(v / rs[i]) + (ur - urc) * log(cs[j] / W));
                sr += v * SQ(ur * log(v / cs[j]) + (uc - urc) * log(rs[i] / W));
                ss += v * SQ(urc * log(rs[i] * cs[j] / (W * W)) - (ur + uc) * log(v / W));
            }
        set_measure(m, ZH_M_UC_C, ratio(I, uc), uc > 0 ? sqrt(sc) / (W * uc * uc) : NA_REAL, tt, p_g2);
        set_measure(m, ZH_M_UC_R, ratio(I, ur), ur > 0 ? sqrt(sr) / (W * ur * ur) : NA_REAL, tt, p_g2);
        set_measure(m, ZH_M_UC_S, ratio(2 * I, ur + uc),
                    ur + uc > 0 ? 2 * sqrt(ss) / (W * SQ(ur + uc)) : NA_REAL, tt, p_g2);
    }

    /* ordinal measures (Brown & Benedetti 1977) from concordant and
     * discordant weights per cell, by 2-D cumulative sums in O(RC) */
    {
        double *A = (double *) R_alloc(RC, sizeof(double));
        for (int j = 0; j < C; j++)
            for (int i = 0; i < R; i++) {
                double v = f[i + (size_t) j * R];
                if (i > 0) v += A[i - 1 + (size_t) j * R];
                if (j > 0) v += A[i + (size_t) (j - 1) * R];
                if (i > 0 && j > 0) v -= A[i - 1 + (size_t) (j - 1) * R];
                A[i + (size_t) j * R] = v;
            }
#define AA(i, j) (((i) < 0 || (j) < 0) ? 0.0 : A[(i) + (size_t) (j) * R])
        double *Cc = (double *) R_alloc(RC, sizeof(double)), *Dd = (double *) R_alloc(RC, sizeof(double));
        double P = 0, Q = 0;
        for (int j = 0; j < C; j++)
            for (int i = 0; i < R; i++) {
                double ul = AA(i - 1, j - 1);
                double lr = W - AA(i, C - 1) - AA(R - 1, j) + AA(i, j);
                double ur_ = AA(i - 1, C - 1) - AA(i - 1, j);
                double ll = AA(R - 1, j - 1) - AA(i, j - 1);
                size_t k = i + (size_t) j * R;
                Cc[k] = ul + lr;
                Dd[k] = ur_ + ll;
                P += f[k] * Cc[k];
                Q += f[k] * Dd[k];
            }
#undef AA
        /* W^2 - sum r_i^2 as sum r_i (W - r_i): no cancellation when one
         * category holds nearly all of a large weighted N */
        double Dr = 0, Dc = 0, s0 = 0;
        for (int i = 0; i < R; i++) Dr += rs[i] * (W - rs[i]);
        for (int j = 0; j < C; j++) Dc += cs[j] * (W - cs[j]);
        double PQ = P - Q;
        for (size_t k = 0; k < RC; k++) s0 += f[k] * SQ(Cc[k] - Dd[k]);
        double S0 = safe_sqrt(s0 - PQ * PQ / W);
        double sDD = sqrt(Dr * Dc);
        double sb = 0, sg = 0, sdc = 0, sdr = 0, sds = 0;
        double taub = ratio(PQ, sDD), gam = ratio(PQ, P + Q);
        for (int j = 0; j < C; j++)
            for (int i = 0; i < R; i++) {
                size_t k = i + (size_t) j * R;
                double fk = f[k], cd = Cc[k] - Dd[k];
                double v = rs[i] * Dc + cs[j] * Dr;
                sb += fk * SQ(2 * sDD * cd + (ISNAN(taub) ? 0 : taub) * v);
                sg += fk * SQ(Q * Cc[k] - P * Dd[k]);
                sdc += fk * SQ(Dr * cd - PQ * (W - rs[i]));
                sdr += fk * SQ(Dc * cd - PQ * (W - cs[j]));
                sds += fk * SQ((Dr + Dc) * cd - PQ * (2 * W - rs[i] - cs[j]));
            }
        double ase1, ase0, t;
        /* tau-b */
        ase1 = sDD > 0 ? safe_sqrt(sb - W * W * W * taub * taub * SQ(Dr + Dc)) / (Dr * Dc) : NA_REAL;
        ase0 = sDD > 0 ? 2 * S0 / sDD : NA_REAL;
        t = ase0 > 0 ? taub / ase0 : NA_REAL;
        set_measure(m, ZH_M_TAUB, taub, ase1, t, p_norm2(t));
        /* tau-c */
        double tauc = q * PQ / (W * W * (q - 1));
        ase1 = 2 * q * S0 / ((q - 1) * W * W);
        t = ase1 > 0 ? tauc / ase1 : NA_REAL;
        set_measure(m, ZH_M_TAUC, tauc, ase1, t, p_norm2(t));
        /* gamma */
        ase1 = P + Q > 0 ? 4 * sqrt(sg) / SQ(P + Q) : NA_REAL;
        ase0 = P + Q > 0 ? 2 * S0 / (P + Q) : NA_REAL;
        t = ase0 > 0 ? gam / ase0 : NA_REAL;
        set_measure(m, ZH_M_GAMMA, gam, ase1, t, p_norm2(t));
        /* Somers' d */
        double d = ratio(2 * PQ, Dr + Dc);
        ase1 = Dr + Dc > 0 ? 4 * sqrt(sds) / SQ(Dr + Dc) : NA_REAL;
        ase0 = Dr + Dc > 0 ? 4 * S0 / (Dr + Dc) : NA_REAL;
        t = ase0 > 0 ? d / ase0 : NA_REAL;
        set_measure(m, ZH_M_SOMERS_S, d, ase1, t, p_norm2(t));
        d = ratio(PQ, Dr);
        ase1 = Dr > 0 ? 2 * sqrt(sdc) / (Dr * Dr) : NA_REAL;
        ase0 = Dr > 0 ? 2 * S0 / Dr : NA_REAL;
        t = ase0 > 0 ? d / ase0 : NA_REAL;
        set_measure(m, ZH_M_SOMERS_C, d, ase1, t, p_norm2(t));
        d = ratio(PQ, Dc);
        ase1 = Dc > 0 ? 2 * sqrt(sdr) / (Dc * Dc) : NA_REAL;
        ase0 = Dc > 0 ? 2 * S0 / Dc : NA_REAL;
        t = ase0 > 0 ? d / ase0 : NA_REAL;
        set_measure(m, ZH_M_SOMERS_R, d, ase1, t, p_norm2(t));
    }

    /* eta: column dependent on the column scores, row dependent on the row
     * scores (by transposing the roles) */
    set_measure(m, ZH_M_ETA_C, eta_col(f, R, C, rs, cs, Y, W), NA_REAL, NA_REAL, NA_REAL);
    {
        double *ft = (double *) R_alloc(RC, sizeof(double));
        for (int j = 0; j < C; j++)
            for (int i = 0; i < R; i++) ft[j + (size_t) i * C] = f[i + (size_t) j * R];
        set_measure(m, ZH_M_ETA_R, eta_col(ft, C, R, cs, rs, X, W), NA_REAL, NA_REAL, NA_REAL);
    }
}

/* `pair` is NULL, or (for a square table whose categories are the same on
 * both sides) an integer vector: row i is the same category as column
 * pair[i] (1-based). Then Cohen's kappa is computed too. */
SEXP zh_crosstab_stats(SEXP table, SEXP row_scores, SEXP col_scores, SEXP pair)
{
    if (TYPEOF(table) != REALSXP || !Rf_isMatrix(table))
        zh_internal_error("`table` must be a double matrix");
    int R = Rf_nrows(table), C = Rf_ncols(table);
    if (TYPEOF(row_scores) != REALSXP || XLENGTH(row_scores) != R ||
        TYPEOF(col_scores) != REALSXP || XLENGTH(col_scores) != C)
        zh_internal_error("scores must be double vectors matching the table");
    const double *f = REAL(table);
    for (size_t k = 0; k < (size_t) R * C; k++)
        if (!R_FINITE(f[k]) || f[k] < 0) zh_internal_error("counts must be finite and non-negative");
    int *pr = NULL;
    if (!Rf_isNull(pair)) {
        if (TYPEOF(pair) != INTSXP || R != C || XLENGTH(pair) != R)
            zh_internal_error("`pair` must be an integer vector as long as a square table's side");
        pr = (int *) R_alloc(R > 0 ? R : 1, sizeof(int));
        int *seen = (int *) R_alloc(R > 0 ? R : 1, sizeof(int));
        for (int i = 0; i < R; i++) seen[i] = 0;
        for (int i = 0; i < R; i++) {
            int p = INTEGER(pair)[i];
            if (p == NA_INTEGER || p < 1 || p > C || seen[p - 1])
                zh_internal_error("`pair` must be a permutation of the columns");
            seen[p - 1] = 1;
            pr[i] = p - 1;
        }
    }
    zh_stats s;
    zh_table_stats(f, R, C, REAL(row_scores), REAL(col_scores), &s);
    if (pr && R >= 2) table_kappa(f, R, pr, s.measures);

    const char *nm[] = {"tests", "measures", "n", "min_expected", "cells_below_5", "risk", ""};
    SEXP out = PROTECT(Rf_mkNamed(VECSXP, nm));
    SEXP tests = PROTECT(Rf_allocVector(REALSXP, ZH_NTESTS));
    memcpy(REAL(tests), s.tests, ZH_NTESTS * sizeof(double));
    SEXP meas = PROTECT(Rf_allocMatrix(REALSXP, ZH_NMEASURES, 4));
    memcpy(REAL(meas), s.measures, 4 * ZH_NMEASURES * sizeof(double));
    SEXP risk = PROTECT(Rf_allocMatrix(REALSXP, ZH_NRISK, 3));
    memcpy(REAL(risk), s.risk, 3 * ZH_NRISK * sizeof(double));
    SET_VECTOR_ELT(out, 0, tests);
    SET_VECTOR_ELT(out, 1, meas);
    SET_VECTOR_ELT(out, 2, Rf_ScalarReal(s.n));
    SET_VECTOR_ELT(out, 3, Rf_ScalarReal(s.min_expected));
    SET_VECTOR_ELT(out, 4, Rf_ScalarInteger(s.cells_below5));
    SET_VECTOR_ELT(out, 5, risk);
    UNPROTECT(4);
    return out;
}
