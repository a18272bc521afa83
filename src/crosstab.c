/* Cross-tabulation statistics: every CROSSTABS statistic from a table of
 * (weighted) counts, whoever counted it (src/counts.c, R's table(), a
 * database GROUP BY). crosstab() and association_table() both come here. */
#include "zhetysu.h"
#include <Rmath.h>
#include <math.h>
#include <string.h>

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

/* Whether the scores of the categories with cases are all equal: decided on
 * the scores themselves, not on a sum of squares that cancellation or
 * underflow can make zero or not. */
static int scores_constant(const double *X, const double *w, int n)
{
    int first = -1;
    for (int i = 0; i < n; i++) {
        if (!(w[i] > 0)) continue;
        if (first < 0) first = i;
        else if (X[i] != X[first]) return 0;
    }
    return 1;
}

/* The scores divided by their largest absolute value (a power of two, so
 * that scores and their differences stay exact): r, eta and their ASEs do
 * not depend on the scale, and sums of squares of scores near 1e300 or
 * 1e-300 neither overflow nor underflow. */
static const double *scaled_scores(const double *X, int n, zh_ws *ws)
{
    double mx = 0;
    for (int i = 0; i < n; i++) if (fabs(X[i]) > mx) mx = fabs(X[i]);
    double *out = zh_ws_take(ws, n);
    int e = 0;
    if (mx > 0 && isfinite(mx)) frexp(mx, &e);
    for (int i = 0; i < n; i++) out[i] = ldexp(X[i], -e);
    return out;
}

/* Pearson r on scores with its ASE1 (SPSS CROSSTABS), used for Pearson's R
 * (category values) and Spearman (mid-ranks). */
static void score_correlation(const double *f, int R, int C, const double *rs, const double *cs,
                              const double *X, const double *Y, double W, double *m, int k)
{
    /* deviations from the means through the first score: for scores close
     * together (codes near 2^31) X - X[0] is exact, and a mean of the
     * scores themselves would lose the digits the deviations need */
    double mx = 0, my = 0;
    for (int i = 0; i < R; i++) mx += rs[i] * (X[i] - X[0]);
    for (int j = 0; j < C; j++) my += cs[j] * (Y[j] - Y[0]);
    mx /= W;
    my /= W;
#define DX(i) ((X[i] - X[0]) - mx)
#define DY(j) ((Y[j] - Y[0]) - my)
    double sx = 0, sy = 0, sxy = 0;
    for (int i = 0; i < R; i++) sx += rs[i] * SQ(DX(i));
    for (int j = 0; j < C; j++) sy += cs[j] * SQ(DY(j));
    for (int j = 0; j < C; j++)
        for (int i = 0; i < R; i++) sxy += f[i + (size_t) j * R] * DX(i) * DY(j);
    double T = sqrt(sx) * sqrt(sy);
    if (!(T > 0) || scores_constant(X, rs, R) || scores_constant(Y, cs, C)) {
        set_measure(m, k, NA_REAL, NA_REAL, NA_REAL, NA_REAL);
        return;
    }
    double r = sxy / T, sb = 0;
    for (int j = 0; j < C; j++)
        for (int i = 0; i < R; i++) {
            double x = DX(i), y = DY(j);
            double b = T * x * y - (sxy / (2 * T)) * (x * x * sy + y * y * sx);
            sb += f[i + (size_t) j * R] * b * b;
        }
#undef DX
#undef DY
    double ase = sqrt(sb) / (T * T);
    double t = (fabs(r) < 1 && W > 2) ? r * sqrt((W - 2) / (1 - r * r)) : NA_REAL;
    /* p from t by table_pvalues() where t is a number */
    double p = (!ISNAN(t)) ? NA_REAL : (fabs(r) >= 1 && W > 2 ? 0.0 : NA_REAL);
    set_measure(m, k, r, ase, t, p);
}

/* Eta with the column variable dependent, on column scores Y. */
static double eta_col(const double *f, int R, int C, const double *rs, const double *cs,
                      const double *Y, double W)
{
    /* deviations through the first score, as in score_correlation() */
    double my = 0, tot = 0, within = 0;
    for (int j = 0; j < C; j++) my += cs[j] * (Y[j] - Y[0]);
    my /= W;
    for (int j = 0; j < C; j++) tot += cs[j] * SQ((Y[j] - Y[0]) - my);
    for (int i = 0; i < R; i++) {
        if (rs[i] <= 0) continue;
        double mi = 0;
        for (int j = 0; j < C; j++) mi += f[i + (size_t) j * R] * (Y[j] - Y[0]);
        mi /= rs[i];
        for (int j = 0; j < C; j++) within += f[i + (size_t) j * R] * SQ((Y[j] - Y[0]) - mi);
    }
    if (!(tot > 0) || scores_constant(Y, cs, C)) return NA_REAL;
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
static void table_kappa(const double *f, int K, const int *pair, double *m, zh_ws *ws)
{
    double *pr = zh_ws_take(ws, K);
    double *pc = zh_ws_take(ws, K);
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
    set_measure(m, ZH_M_KAPPA, kappa, safe_sqrt(v1), t, NA_REAL);
}

/* Everything but the p-values and the risk intervals, which need Rmath
 * (whose functions may warn through R): no R API here, so that tables can be
 * done in parallel. table_pvalues() completes s. */
static void table_stats_core(const double *f, int R, int C, const double *X, const double *Y,
                             const int *pair, zh_stats *s, zh_ws *ws)
{
    size_t RC = (size_t) R * C;
    s->n = 0;
    for (int k = 0; k < ZH_NTESTS; k++) s->tests[k] = NA_REAL;
    for (int k = 0; k < 4 * ZH_NMEASURES; k++) s->measures[k] = NA_REAL;
    for (int k = 0; k < 3 * ZH_NRISK; k++) s->risk[k] = NA_REAL;
    s->min_expected = NA_REAL;
    s->cells_below5 = 0;
    /* an empty table (every category dropped): nothing to compute */
    if (R < 1 || C < 1) return;
    double *rs = zh_ws_take(ws, R);
    double *cs = zh_ws_take(ws, C);
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
    s->tests[ZH_T_PEARSON] = x2;
    s->tests[ZH_T_LR] = g2;
    s->tests[ZH_T_DF] = df;
    double *m = s->measures;

    /* linear-by-linear on the scores; Pearson's R and Spearman */
    X = scaled_scores(X, R, ws);
    Y = scaled_scores(Y, C, ws);
    score_correlation(f, R, C, rs, cs, X, Y, W, m, ZH_M_PEARSON);
    {
        double *rx = zh_ws_take(ws, R), *ry = zh_ws_take(ws, C);
        double acc = 0;
        for (int i = 0; i < R; i++) { rx[i] = acc + (rs[i] + 1) / 2; acc += rs[i]; }
        acc = 0;
        for (int j = 0; j < C; j++) { ry[j] = acc + (cs[j] + 1) / 2; acc += cs[j]; }
        score_correlation(f, R, C, rs, cs, rx, ry, W, m, ZH_M_SPEARMAN);
    }
    double rr = m[ZH_M_PEARSON];
    if (!ISNAN(rr)) s->tests[ZH_T_LBL] = (W - 1) * rr * rr;

    /* 2 x 2: continuity correction (Fisher's exact test and the risk
     * estimate in table_pvalues()) */
    if (R == 2 && C == 2) {
        double a = f[0], b = f[2], c = f[1], d = f[3];
        double det = a * d - b * c, prod = rs[0] * rs[1] * cs[0] * cs[1];
        double yates = fabs(det) > W / 2 ? W * SQ(fabs(det) - W / 2) / prod : 0;
        s->tests[ZH_T_YATES] = yates;
        set_measure(m, ZH_M_PHI, prod > 0 ? det / sqrt(prod) : NA_REAL, NA_REAL, NA_REAL, NA_REAL);
    } else {
        set_measure(m, ZH_M_PHI, sqrt(x2 / W), NA_REAL, NA_REAL, NA_REAL);
    }
    double q = (double) (R < C ? R : C);
    set_measure(m, ZH_M_V, sqrt(x2 / (W * (q - 1))), NA_REAL, NA_REAL, NA_REAL);
    set_measure(m, ZH_M_CC, sqrt(x2 / (x2 + W)), NA_REAL, NA_REAL, NA_REAL);

    /* lambda: m_i = max over row i (at column l_i), n_j = max over column j
     * (at row k_j); ties go to the first index */
    {
        int *l = zh_ws_take_int(ws, R), *kk = zh_ws_take_int(ws, C);
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
        set_measure(m, ZH_M_LAMBDA_C, lam, ase1, t, NA_REAL);
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
        set_measure(m, ZH_M_LAMBDA_R, lam, ase1, t, NA_REAL);
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
        set_measure(m, ZH_M_LAMBDA_S, lam, ase1, t, NA_REAL);
    }

    /* Goodman-Kruskal tau, column dependent then row dependent */
    {
        double sc2 = 0, sr2 = 0, sfr = 0, sfc = 0;
        for (int j = 0; j < C; j++) sc2 += cs[j] * cs[j];
        for (int i = 0; i < R; i++) sr2 += rs[i] * rs[i];
        double *qr = zh_ws_take(ws, R), *qc = zh_ws_take(ws, C);
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
            set_measure(m, dir == 0 ? ZH_M_GKTAU_C : ZH_M_GKTAU_R, tau, ase1, NA_REAL, NA_REAL);
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
        if (!isfinite(tt)) tt = NA_REAL;
        double sc = 0, sr = 0, ss = 0;
        for (int j = 0; j < C; j++)
            for (int i = 0; i < R; i++) {
                double v = f[i + (size_t) j * R];
                if (v <= 0) continue;
                sc += v * SQ(uc * log(v / rs[i]) + (ur - urc) * log(cs[j] / W));
                sr += v * SQ(ur * log(v / cs[j]) + (uc - urc) * log(rs[i] / W));
                ss += v * SQ(urc * log(rs[i] * cs[j] / (W * W)) - (ur + uc) * log(v / W));
            }
        set_measure(m, ZH_M_UC_C, ratio(I, uc), uc > 0 ? sqrt(sc) / (W * uc * uc) : NA_REAL, tt, NA_REAL);
        set_measure(m, ZH_M_UC_R, ratio(I, ur), ur > 0 ? sqrt(sr) / (W * ur * ur) : NA_REAL, tt, NA_REAL);
        set_measure(m, ZH_M_UC_S, ratio(2 * I, ur + uc),
                    ur + uc > 0 ? 2 * sqrt(ss) / (W * SQ(ur + uc)) : NA_REAL, tt, NA_REAL);
    }

    /* ordinal measures (Brown & Benedetti 1977) from concordant and
     * discordant weights per cell, by 2-D cumulative sums in O(RC) */
    {
        double *A = zh_ws_take(ws, RC);
        for (int j = 0; j < C; j++)
            for (int i = 0; i < R; i++) {
                double v = f[i + (size_t) j * R];
                if (i > 0) v += A[i - 1 + (size_t) j * R];
                if (j > 0) v += A[i + (size_t) (j - 1) * R];
                if (i > 0 && j > 0) v -= A[i - 1 + (size_t) (j - 1) * R];
                A[i + (size_t) j * R] = v;
            }
#define AA(i, j) (((i) < 0 || (j) < 0) ? 0.0 : A[(i) + (size_t) (j) * R])
        double *Cc = zh_ws_take(ws, RC), *Dd = zh_ws_take(ws, RC);
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
        set_measure(m, ZH_M_TAUB, taub, ase1, t, NA_REAL);
        /* tau-c */
        double tauc = q * PQ / (W * W * (q - 1));
        ase1 = 2 * q * S0 / ((q - 1) * W * W);
        t = ase1 > 0 ? tauc / ase1 : NA_REAL;
        set_measure(m, ZH_M_TAUC, tauc, ase1, t, NA_REAL);
        /* gamma */
        ase1 = P + Q > 0 ? 4 * sqrt(sg) / SQ(P + Q) : NA_REAL;
        ase0 = P + Q > 0 ? 2 * S0 / (P + Q) : NA_REAL;
        t = ase0 > 0 ? gam / ase0 : NA_REAL;
        set_measure(m, ZH_M_GAMMA, gam, ase1, t, NA_REAL);
        /* Somers' d */
        double d = ratio(2 * PQ, Dr + Dc);
        ase1 = Dr + Dc > 0 ? 4 * sqrt(sds) / SQ(Dr + Dc) : NA_REAL;
        ase0 = Dr + Dc > 0 ? 4 * S0 / (Dr + Dc) : NA_REAL;
        t = ase0 > 0 ? d / ase0 : NA_REAL;
        set_measure(m, ZH_M_SOMERS_S, d, ase1, t, NA_REAL);
        d = ratio(PQ, Dr);
        ase1 = Dr > 0 ? 2 * sqrt(sdc) / (Dr * Dr) : NA_REAL;
        ase0 = Dr > 0 ? 2 * S0 / Dr : NA_REAL;
        t = ase0 > 0 ? d / ase0 : NA_REAL;
        set_measure(m, ZH_M_SOMERS_C, d, ase1, t, NA_REAL);
        d = ratio(PQ, Dc);
        ase1 = Dc > 0 ? 2 * sqrt(sdr) / (Dc * Dc) : NA_REAL;
        ase0 = Dc > 0 ? 2 * S0 / Dc : NA_REAL;
        t = ase0 > 0 ? d / ase0 : NA_REAL;
        set_measure(m, ZH_M_SOMERS_R, d, ase1, t, NA_REAL);
    }

    /* eta: column dependent on the column scores, row dependent on the row
     * scores (by transposing the roles) */
    set_measure(m, ZH_M_ETA_C, eta_col(f, R, C, rs, cs, Y, W), NA_REAL, NA_REAL, NA_REAL);
    {
        double *ft = zh_ws_take(ws, RC);
        for (int j = 0; j < C; j++)
            for (int i = 0; i < R; i++) ft[j + (size_t) i * C] = f[i + (size_t) j * R];
        set_measure(m, ZH_M_ETA_R, eta_col(ft, C, R, cs, rs, X, W), NA_REAL, NA_REAL, NA_REAL);
    }
    if (pair && R == C) table_kappa(f, R, pair, m, ws);
}

/* The p-values (from the statistics table_stats_core() left in s, with the
 * same arithmetic as if they were computed there), Fisher's exact test and
 * the risk estimate of a 2 x 2 table: the Rmath part, serial. */
static void table_pvalues(const double *f, int R, int C, zh_stats *s)
{
    if (R < 2 || C < 2 || !(s->n > 0)) return;
    double W = s->n, df = s->tests[ZH_T_DF], *m = s->measures;
    double p_x2 = p_chisq(s->tests[ZH_T_PEARSON], df), p_g2 = p_chisq(s->tests[ZH_T_LR], df);
    s->tests[ZH_T_PEARSON_P] = p_x2;
    s->tests[ZH_T_LR_P] = p_g2;
    if (!ISNAN(s->tests[ZH_T_LBL])) s->tests[ZH_T_LBL_P] = p_chisq(s->tests[ZH_T_LBL], 1);
    if (R == 2 && C == 2) {
        double a = f[0], b = f[2], c = f[1], d = f[3];
        double det = a * d - b * c;
        s->tests[ZH_T_YATES_P] = p_chisq(s->tests[ZH_T_YATES], 1);
        int integer = 1;
        for (int k = 0; k < 4; k++) if (f[k] != floor(f[k]) || f[k] > 4e15) integer = 0;
        if (integer) {
            /* the margins as table_stats_core() sums them */
            double m1 = (0 + f[0]) + f[2], n1 = (0 + f[1]) + f[3], k1 = (0 + f[0]) + f[1];
            double two = fisher_two_sided(a, m1, n1, k1);
            double less = hyper_cdf(a, m1, n1, k1, 1);
            double greater = hyper_cdf(a - 1, m1, n1, k1, 0);
            s->tests[ZH_T_FISHER_2] = fmin2(1, two);
            s->tests[ZH_T_FISHER_1] = det > 0 ? greater : (det < 0 ? less : fmin2(less, greater));
            s->tests[ZH_T_FISHER_LESS] = less;
            s->tests[ZH_T_FISHER_GREATER] = greater;
        }
        table_risk(a, b, c, d, s->risk);
    }
    const int P = 3 * ZH_NMEASURES, T = 2 * ZH_NMEASURES;
    m[ZH_M_PHI + P] = m[ZH_M_V + P] = m[ZH_M_CC + P] = p_x2;
    m[ZH_M_UC_C + P] = m[ZH_M_UC_R + P] = m[ZH_M_UC_S + P] = p_g2;
    static const int normal[] = {ZH_M_LAMBDA_C, ZH_M_LAMBDA_R, ZH_M_LAMBDA_S, ZH_M_TAUB,
                                 ZH_M_TAUC, ZH_M_GAMMA, ZH_M_SOMERS_S, ZH_M_SOMERS_C,
                                 ZH_M_SOMERS_R, ZH_M_KAPPA};
    for (size_t k = 0; k < sizeof normal / sizeof normal[0]; k++)
        m[normal[k] + P] = p_norm2(m[normal[k] + T]);
    for (int dir = 0; dir < 2; dir++) {
        int id = dir == 0 ? ZH_M_GKTAU_C : ZH_M_GKTAU_R;
        double k = dir == 0 ? C - 1 : R - 1, tau = m[id];
        m[id + P] = ISNAN(tau) ? NA_REAL : p_chisq((W - 1) * k * tau, df);
    }
    static const int scored[] = {ZH_M_PEARSON, ZH_M_SPEARMAN};
    for (int k = 0; k < 2; k++) {
        double t = m[scored[k] + T];
        if (!ISNAN(t)) m[scored[k] + P] = 2 * Rf_pt(-fabs(t), W - 2, 1, 0);
    }
}

void zh_table_stats(const double *f, int R, int C, const double *X, const double *Y,
                    const int *pair, zh_stats *s, zh_ws *ws)
{
    table_stats_core(f, R, C, X, Y, pair, s, ws);
    table_pvalues(f, R, C, s);
}

size_t zh_stats_ws_size(int R, int C)
{
    size_t RC = (size_t) R * C, K = (size_t) (R > C ? R : C);
    /* rs, cs, scaled X and Y, rx, ry, qr, qc; l, kk (ints); A, Cc, Dd, ft;
     * kappa's pr, pc */
    return 4 * RC + 5 * ((size_t) R + C) + ((size_t) R + C + 4) / 2 + 2 * K + 8;
}

/* Past the end of the workspace (zh_stats_ws_size() being wrong) the
 * request is flagged, not signalled: this runs inside OpenMP regions, where
 * R must not be called. The start of the workspace is handed out instead (no
 * single request exceeds the size), and the caller raises the error. */
double *zh_ws_take(zh_ws *ws, size_t n)
{
    if (n > ws->size - ws->used) {
        ws->overflow = 1;
        return ws->p;
    }
    double *p = ws->p + ws->used;
    ws->used += n;
    return p;
}

int *zh_ws_take_int(zh_ws *ws, size_t n)
{
    return (int *) zh_ws_take(ws, (n + 1) / 2);
}

/* Tables per parallel chunk; between chunks the p-values are computed
 * (serially: Rmath may warn through R) and an interrupt is checked. A chunk
 * of fewer cells than ZH_STATS_PAR_CELLS (some milliseconds of work) runs on
 * one thread: waking a second one costs more than it saves on a busy machine. */
#define ZH_STATS_CHUNK 256
#define ZH_STATS_PAR_CELLS 32768

/* Every statistic of a list of tables, through zh_table_stats(): tables is
 * a list of double matrices (no empty row or column: R/counts.R drops them,
 * the one place of that rule), row_scores / col_scores lists of double
 * vectors matching them, pairs a list of NULL or, for a square table whose
 * categories are the same on both sides, an integer vector (row i is column
 * pair[i], 1-based) for Cohen's kappa. Each thread has one workspace, sized
 * for the largest table; the tables' statistics but the p-values run in
 * parallel on plain arrays (no R API), the p-values after each chunk, the R
 * objects at the end. Every table's numbers are the same on any number of
 * threads: one table is one thread's work, in the serial order. */
SEXP zh_tables_stats(SEXP tables, SEXP row_scores, SEXP col_scores, SEXP pairs, SEXP threads)
{
    if (TYPEOF(tables) != VECSXP || TYPEOF(row_scores) != VECSXP ||
        TYPEOF(col_scores) != VECSXP || TYPEOF(pairs) != VECSXP)
        zh_internal_error("tables, scores and pairs must be lists");
    R_xlen_t nt = XLENGTH(tables);
    if (XLENGTH(row_scores) != nt || XLENGTH(col_scores) != nt || XLENGTH(pairs) != nt)
        zh_internal_error("tables, scores and pairs differ in length");
    size_t need = 1, npair = 0;
    R_xlen_t na = nt > 0 ? nt : 1;
    const double **fp = (const double **) R_alloc(na, sizeof(double *));
    const double **xp = (const double **) R_alloc(na, sizeof(double *));
    const double **yp = (const double **) R_alloc(na, sizeof(double *));
    const int **pp = (const int **) R_alloc(na, sizeof(int *));
    int *nr = (int *) R_alloc(na, sizeof(int)), *nc = (int *) R_alloc(na, sizeof(int));
    int maxside = 1;
    for (R_xlen_t t = 0; t < nt; t++) {
        SEXP tab = VECTOR_ELT(tables, t);
        if (TYPEOF(tab) != REALSXP || !Rf_isMatrix(tab))
            zh_internal_error("every table must be a double matrix");
        int R = Rf_nrows(tab), C = Rf_ncols(tab);
        SEXP X = VECTOR_ELT(row_scores, t), Y = VECTOR_ELT(col_scores, t);
        if (TYPEOF(X) != REALSXP || XLENGTH(X) != R || TYPEOF(Y) != REALSXP || XLENGTH(Y) != C)
            zh_internal_error("scores must be double vectors matching the table");
        const double *f = REAL(tab);
        for (size_t k = 0; k < (size_t) R * C; k++)
            if (!R_FINITE(f[k]) || f[k] < 0)
                zh_internal_error("counts must be finite and non-negative");
        SEXP pair = VECTOR_ELT(pairs, t);
        if (!Rf_isNull(pair) && (TYPEOF(pair) != INTSXP || R != C || XLENGTH(pair) != R))
            zh_internal_error("`pair` must be an integer vector as long as a square table's side");
        if (!Rf_isNull(pair)) npair += (size_t) R;
        size_t sz = zh_stats_ws_size(R, C);
        if (sz > need) need = sz;
        if (R > maxside) maxside = R;
        fp[t] = f;
        xp[t] = REAL(X);
        yp[t] = REAL(Y);
        nr[t] = R;
        nc[t] = C;
    }
    /* the pairs, 0-based, checked here (errors go through R) */
    int *pall = (int *) R_alloc(npair > 0 ? npair : 1, sizeof(int));
    int *seen = (int *) R_alloc(maxside, sizeof(int));
    for (R_xlen_t t = 0, at = 0; t < nt; t++) {
        SEXP pair = VECTOR_ELT(pairs, t);
        pp[t] = NULL;
        if (Rf_isNull(pair)) continue;
        int R = nr[t], C = nc[t];
        int *pr = pall + at;
        for (int i = 0; i < R; i++) seen[i] = 0;
        for (int i = 0; i < R; i++) {
            int p = INTEGER(pair)[i];
            if (p == NA_INTEGER || p < 1 || p > C || seen[p - 1])
                zh_internal_error("`pair` must be a permutation of the columns");
            seen[p - 1] = 1;
            pr[i] = p - 1;
        }
        pp[t] = pr;
        at += R;
    }

    int nth = nt >= 4 ? zh_nthreads(threads) : 1;
    if (nth > nt) nth = (int) nt;
    if (nth < 1) nth = 1;
    zh_stats *st = (zh_stats *) R_alloc(na, sizeof(zh_stats));
    double *wsp = (double *) R_alloc(need * (size_t) nth, sizeof(double));
    int overflow = 0;
    for (R_xlen_t c0 = 0; c0 < nt; c0 += ZH_STATS_CHUNK) {
        R_xlen_t c1 = c0 + ZH_STATS_CHUNK < nt ? c0 + ZH_STATS_CHUNK : nt;
        double cells = 0;
        for (R_xlen_t t = c0; t < c1; t++) cells += (double) nr[t] * nc[t];
        int nuse = cells >= ZH_STATS_PAR_CELLS ? nth : 1;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nuse) schedule(dynamic, 1) reduction(|| : overflow)
#endif
        for (R_xlen_t t = c0; t < c1; t++) {
            zh_ws ws = {wsp + need * (size_t) zh_thread_id(), 0, need, 0};
            table_stats_core(fp[t], nr[t], nc[t], xp[t], yp[t], pp[t], st + t, &ws);
            overflow = overflow || ws.overflow;
        }
        for (R_xlen_t t = c0; t < c1; t++) table_pvalues(fp[t], nr[t], nc[t], st + t);
        R_CheckUserInterrupt();
    }
    if (overflow) zh_internal_error("statistics workspace too small");

    const char *nm[] = {"tests", "measures", "n", "min_expected", "cells_below_5", "risk", ""};
    /* names of the slots, so that R reads them by name (order of zhetysu.h) */
    static const char *tn[ZH_NTESTS] = {"pearson", "pearson_p", "lr", "lr_p", "df", "lbl", "lbl_p",
        "yates", "yates_p", "fisher_2", "fisher_1", "fisher_less", "fisher_greater"};
    static const char *mn[ZH_NMEASURES] = {"phi", "v", "cc", "lambda_s", "lambda_r", "lambda_c",
        "gktau_r", "gktau_c", "uc_s", "uc_r", "uc_c", "taub", "tauc", "gamma", "somers_s",
        "somers_r", "somers_c", "spearman", "pearson", "eta_r", "eta_c", "kappa"};
    static const char *rn[ZH_NRISK] = {"odds", "cohort1", "cohort2"};
    static const char *mc[4] = {"estimate", "ase", "t", "p_value"};
    static const char *rc[3] = {"estimate", "lower", "upper"};
    SEXP tnames = PROTECT(Rf_allocVector(STRSXP, ZH_NTESTS));
    for (int k = 0; k < ZH_NTESTS; k++) SET_STRING_ELT(tnames, k, Rf_mkChar(tn[k]));
    SEXP mdim = PROTECT(Rf_allocVector(VECSXP, 2)), rdim = PROTECT(Rf_allocVector(VECSXP, 2));
    SET_VECTOR_ELT(mdim, 0, Rf_allocVector(STRSXP, ZH_NMEASURES));
    SET_VECTOR_ELT(mdim, 1, Rf_allocVector(STRSXP, 4));
    SET_VECTOR_ELT(rdim, 0, Rf_allocVector(STRSXP, ZH_NRISK));
    SET_VECTOR_ELT(rdim, 1, Rf_allocVector(STRSXP, 3));
    for (int k = 0; k < ZH_NMEASURES; k++) SET_STRING_ELT(VECTOR_ELT(mdim, 0), k, Rf_mkChar(mn[k]));
    for (int k = 0; k < 4; k++) SET_STRING_ELT(VECTOR_ELT(mdim, 1), k, Rf_mkChar(mc[k]));
    for (int k = 0; k < ZH_NRISK; k++) SET_STRING_ELT(VECTOR_ELT(rdim, 0), k, Rf_mkChar(rn[k]));
    for (int k = 0; k < 3; k++) SET_STRING_ELT(VECTOR_ELT(rdim, 1), k, Rf_mkChar(rc[k]));
    SEXP out = PROTECT(Rf_allocVector(VECSXP, nt));
    for (R_xlen_t t = 0; t < nt; t++) {
        const zh_stats *sp = st + t;
        SEXP one = Rf_mkNamed(VECSXP, nm);
        SET_VECTOR_ELT(out, t, one);
        SEXP tests = Rf_allocVector(REALSXP, ZH_NTESTS);
        SET_VECTOR_ELT(one, 0, tests);
        memcpy(REAL(tests), sp->tests, ZH_NTESTS * sizeof(double));
        Rf_setAttrib(tests, R_NamesSymbol, tnames);
        SEXP meas = Rf_allocMatrix(REALSXP, ZH_NMEASURES, 4);
        SET_VECTOR_ELT(one, 1, meas);
        memcpy(REAL(meas), sp->measures, 4 * ZH_NMEASURES * sizeof(double));
        Rf_setAttrib(meas, R_DimNamesSymbol, mdim);
        SET_VECTOR_ELT(one, 2, Rf_ScalarReal(sp->n));
        SET_VECTOR_ELT(one, 3, Rf_ScalarReal(sp->min_expected));
        SET_VECTOR_ELT(one, 4, Rf_ScalarInteger(sp->cells_below5));
        SEXP risk = Rf_allocMatrix(REALSXP, ZH_NRISK, 3);
        SET_VECTOR_ELT(one, 5, risk);
        memcpy(REAL(risk), sp->risk, 3 * ZH_NRISK * sizeof(double));
        Rf_setAttrib(risk, R_DimNamesSymbol, rdim);
        if (t % 64 == 63) R_CheckUserInterrupt();
    }
    UNPROTECT(4);
    return out;
}
