/* Correlation matrices. Pearson (SPSS CORRELATIONS) from one blocked pass
 * that accumulates, per pair, the sufficient statistics n, Sx, Sy, Sxx, Syy,
 * Sxy of its complete cases; Spearman and Kendall's tau-b (SPSS NONPAR CORR)
 * per pair from dense value codes: midranks recounted on the pair's complete
 * cases, and Knight's merge-sort count of discordant pairs. */
#include "zhetysu.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

/* Why a coefficient is missing: the codes R turns into text. */
enum { COR_OK = 0, COR_FEW = 1, COR_CONST = 2 };

/* Rows per block of the Pearson pass: p columns of CB doubles stay in L2. */
#define CB 256

/* Columns come from R as they are: double, integer or logical. */
typedef struct {
    const double *d;
    const int *i;
} zh_col;

static zh_col get_col(SEXP x)
{
    zh_col c = {NULL, NULL};
    if (TYPEOF(x) == REALSXP) c.d = REAL(x);
    else c.i = TYPEOF(x) == INTSXP ? INTEGER(x) : LOGICAL(x);
    return c;
}

static inline double col_value(const zh_col *c, R_xlen_t r)
{
    if (c->d) return c->d[r];
    int v = c->i[r];
    return v == NA_INTEGER ? NA_REAL : (double) v;
}

static void check_cols(SEXP cols, R_xlen_t *n)
{
    if (TYPEOF(cols) != VECSXP || XLENGTH(cols) < 1)
        zh_internal_error("columns must be a non-empty list");
    *n = XLENGTH(VECTOR_ELT(cols, 0));
    for (R_xlen_t j = 0; j < XLENGTH(cols); j++) {
        SEXP x = VECTOR_ELT(cols, j);
        int t = TYPEOF(x);
        if ((t != REALSXP && t != INTSXP && t != LGLSXP) || XLENGTH(x) != *n)
            zh_internal_error("column %d must be numeric and as long as the others",
                     (int) j + 1);
    }
}

static SEXP result_list(SEXP r, SEXP n, SEXP z, SEXP why, SEXP finite)
{
    const char *names[] = {"r", "n", "z", "reason", "finite", ""};
    SEXP out = PROTECT(Rf_mkNamed(VECSXP, names));
    SEXP el[] = {r, n, z, why, finite};
    for (int k = 0; k < 5; k++) SET_VECTOR_ELT(out, k, el[k]);
    UNPROTECT(1);
    return out;
}

/* ---- Pearson ------------------------------------------------------------ */

/* Per-thread sums. xx is pp x pp (pp = p rounded up to a multiple of 4):
 * xx[i + pp*j] = sum w x_i x_j over all rows, x shifted and zero where
 * missing. The corrections remove, for each pair, the rows where the other
 * variable is missing: c1[i + p*j] = sum of w x_i and c2[i + p*j] = sum of
 * w x_i^2 over rows with j missing; both[i + p*j] = weight of rows with i
 * and j missing; nanw[i] = weight of rows with i missing. */
typedef struct {
    double *xx, *c1, *c2, *both, *sum, *nanw, wtot;
    double *xb, *wxb, *wb;      /* block scratch: pp x CB, pp x CB, CB */
    unsigned char *na;          /* p x CB missing flags */
    int *rowna, *nacols;
} pacc;

/* A 4 x 4 tile of cross-products over one block. */
static void tile4(const double *x, const double *y, int len, double *acc, int pp)
{
    const double *x0 = x, *x1 = x + CB, *x2 = x + 2 * CB, *x3 = x + 3 * CB;
    const double *y0 = y, *y1 = y + CB, *y2 = y + 2 * CB, *y3 = y + 3 * CB;
    double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
    double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
    /* SIMD reduction without -ffast-math: OpenMP lets the sums be reordered */
#ifdef _OPENMP
#pragma omp simd reduction(+ : s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33)
#endif
    for (int r = 0; r < len; r++) {
        double a0 = x0[r], a1 = x1[r], a2 = x2[r], a3 = x3[r];
        double b0 = y0[r], b1 = y1[r], b2 = y2[r], b3 = y3[r];
        s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
        s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
        s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
        s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
    }
    acc[0] += s00; acc[pp] += s01; acc[2 * pp] += s02; acc[3 * pp] += s03;
    acc[1] += s10; acc[1 + pp] += s11; acc[1 + 2 * pp] += s12; acc[1 + 3 * pp] += s13;
    acc[2] += s20; acc[2 + pp] += s21; acc[2 + 2 * pp] += s22; acc[2 + 3 * pp] += s23;
    acc[3] += s30; acc[3 + pp] += s31; acc[3 + 2 * pp] += s32; acc[3 + 3 * pp] += s33;
}

static void pearson_block(const zh_col *cols, const double *w, double winv, const double *inv,
                          const double *shift, int p, int pp, R_xlen_t from, int len, pacc *a)
{
    double *xb = a->xb, *wxb = w ? a->wxb : a->xb, *wb = a->wb;
    for (int r = 0; r < len; r++) {
        double v = w ? w[from + r] * winv : 1.0;
        wb[r] = ISNAN(v) ? 0.0 : v;
        a->wtot += wb[r];
        a->rowna[r] = 0;
    }
    for (int i = 0; i < p; i++) {
        double *xi = xb + (size_t) i * CB, *wi = wxb + (size_t) i * CB, s = shift[i], f = inv[i];
        unsigned char *nai = a->na + (size_t) i * CB;
        double sum = 0;
        const double *xd = cols[i].d ? cols[i].d + from : NULL;
        const int *xn = cols[i].i ? cols[i].i + from : NULL;
        for (int r = 0; r < len; r++) {
            double v = xd ? xd[r] : (xn[r] == NA_INTEGER ? NA_REAL : (double) xn[r]);
            int miss = ISNAN(v);
            double d = miss ? 0.0 : v * f - s;
            nai[r] = (unsigned char) miss;
            a->rowna[r] += miss;
            xi[r] = d;
            if (w) wi[r] = wb[r] * d;
            sum += wb[r] * d;
        }
        a->sum[i] += sum;
        for (int r = len; r < CB; r++) xi[r] = wi[r] = 0.0;
    }
    for (int j = 0; j < pp; j += 4)
        for (int i = 0; i <= j; i += 4)
            tile4(xb + (size_t) i * CB, wxb + (size_t) j * CB, len, a->xx + i + (size_t) pp * j, pp);
    /* rows with a missing value: take them out of each pair they break */
    for (int r = 0; r < len; r++) {
        if (!a->rowna[r]) continue;
        int k = 0;
        for (int i = 0; i < p; i++)
            if (a->na[(size_t) i * CB + r]) a->nacols[k++] = i;
        double wr = wb[r];
        for (int t = 0; t < k; t++) {
            int j = a->nacols[t];
            double *c1 = a->c1 + (size_t) p * j, *c2 = a->c2 + (size_t) p * j;
            for (int i = 0; i < p; i++) {
                double v = wxb[(size_t) i * CB + r];
                c1[i] += v;
                c2[i] += v * xb[(size_t) i * CB + r];
            }
            a->nanw[j] += wr;
            for (int u = 0; u < k; u++) a->both[a->nacols[u] + (size_t) p * j] += wr;
        }
    }
}

/* Power-of-two scaling: 1 / 2^e with m in [2^(e-1), 2^e), so that values
 * up to m scale to below 1 in magnitude exactly (no rounding), squares and
 * products of 1e300 neither overflow nor those of 1e-300 underflow. *e gets
 * the exponent; 1 for a zero, missing or infinite m. */
double zh_pow2_inv(double m, int *e)
{
    *e = 0;
    if (!(m > 0) || !R_FINITE(m)) return 1.0;
    frexp(m, e);
    if (*e < -1021) *e = -1021;   /* 2^1022 is the largest power that exists */
    return ldexp(1.0, -*e);
}

/* Per column, before the blocked pass: the scale (max |x|), whether a
 * value is infinite, and the shift, the weighted mean of the scaled values
 * over the rows with a positive weight. */
static void column_scale(const zh_col *c, const double *w, double winv, R_xlen_t n, double *inv,
                         int *e, double *shift, int *finite)
{
    double m = 0;
    int fin = 1;
    for (R_xlen_t r = 0; r < n; r++) {
        double v = fabs(col_value(c, r));
        if (ISNAN(v)) continue;
        if (v > m) m = v;
    }
    if (!R_FINITE(m)) fin = 0;
    *inv = zh_pow2_inv(m, e);
    double sw = 0, sx = 0;
    if (fin) {
        for (R_xlen_t r = 0; r < n; r++) {
            double v = col_value(c, r), wr = w ? w[r] * winv : 1.0;
            if (ISNAN(v) || !(wr > 0)) continue;
            sw += wr;
            sx += wr * (v * *inv);
        }
    }
    *shift = sw > 0 ? sx / sw : 0.0;
    *finite = fin;
}

/* One pair's sufficient statistics in the data's units, its r and why r
 * may be missing. */
typedef struct {
    double n, mx, my, ssx, ssy, cp, r;
    int code;
} ppair;

static void pair_result(ppair *o, double cxx, double cyy, double cxy)
{
    o->code = COR_OK;
    o->r = NA_REAL;
    if (!(o->n >= 3)) o->code = COR_FEW;
    else if (!(cxx > 0) || !(cyy > 0)) o->code = COR_CONST;
    else {
        double r = cxy / sqrt(cxx) / sqrt(cyy);
        o->r = r > 1 ? 1 : (r < -1 ? -1 : r);
    }
}

/* The pair (x, y) by itself, in three passes over its complete cases:
 * extremes (a variable is constant when its minimum equals its maximum,
 * which no rounding can fake) and scales of the pair's own data; means;
 * centred sums (corrected two-pass). Used where the blocked sums lost too
 * many digits. */
static void pair_exact(const zh_col *x, const zh_col *y, const double *w, R_xlen_t n, ppair *o)
{
    double ax = 0, ay = 0, aw = 0, lox = R_PosInf, hix = R_NegInf, loy = R_PosInf, hiy = R_NegInf;
    for (R_xlen_t r = 0; r < n; r++) {
        double u = col_value(x, r), v = col_value(y, r), wr = w ? w[r] : 1.0;
        if (ISNAN(u) || ISNAN(v) || !(wr > 0)) continue;
        if (u < lox) lox = u;
        if (u > hix) hix = u;
        if (v < loy) loy = v;
        if (v > hiy) hiy = v;
        if (wr > aw) aw = wr;
    }
    ax = fmax(fabs(lox), fabs(hix));
    ay = fmax(fabs(loy), fabs(hiy));
    int ex, ey, ew;
    double ix = zh_pow2_inv(ax, &ex), iy = zh_pow2_inv(ay, &ey), iw = zh_pow2_inv(aw, &ew);
    double sw = 0, sx = 0, sy = 0;
    for (R_xlen_t r = 0; r < n; r++) {
        double u = col_value(x, r), v = col_value(y, r), wr = w ? w[r] * iw : 1.0;
        if (ISNAN(u) || ISNAN(v) || !(wr > 0)) continue;
        sw += wr;
        sx += wr * (u * ix);
        sy += wr * (v * iy);
    }
    double mx = sw > 0 ? sx / sw : 0, my = sw > 0 ? sy / sw : 0;
    double dx = 0, dy = 0, cxx = 0, cyy = 0, cxy = 0;
    for (R_xlen_t r = 0; r < n; r++) {
        double u = col_value(x, r), v = col_value(y, r), wr = w ? w[r] * iw : 1.0;
        if (ISNAN(u) || ISNAN(v) || !(wr > 0)) continue;
        double a = u * ix - mx, b = v * iy - my;
        dx += wr * a;
        dy += wr * b;
        cxx += wr * a * a;
        cyy += wr * b * b;
        cxy += wr * a * b;
    }
    if (sw > 0) {
        cxx -= dx * dx / sw;
        cyy -= dy * dy / sw;
        cxy -= dx * dy / sw;
        mx += dx / sw;
        my += dy / sw;
    }
    o->n = ldexp(sw, ew);
    o->mx = sw > 0 ? ldexp(mx, ex) : NA_REAL;
    o->my = sw > 0 ? ldexp(my, ey) : NA_REAL;
    if (lox == hix) cxx = 0;
    if (loy == hiy) cyy = 0;
    o->ssx = ldexp(cxx, 2 * ex + ew);
    o->ssy = ldexp(cyy, 2 * ey + ew);
    o->cp = ldexp(cxy, ex + ey + ew);
    pair_result(o, cxx, cyy, cxy);
}

static double *zeros(size_t n)
{
    double *x = (double *) R_alloc(n, sizeof(double));
    if (n) memset(x, 0, n * sizeof(double));  /* R_alloc(0) is NULL: memset(NULL) is UB */
    return x;
}

/* Pair (i, j) from the blocked sums (scaled units: column j's values times
 * 2^-ex[j] minus shift[j], weights times 2^-ew). Those sums subtract, from
 * whole-column sums, the rows where the other variable is missing, and are
 * centred on the column's mean, not the pair's: digits are lost when the
 * pair's centred sum of squares is small next to the column's (a pair whose
 * cases lie far from the column's mean, few cases left, a constant
 * variable). Returns 0 when more than 3 of the 16 digits may be lost: the
 * caller then computes the pair by itself. */
static int pair_blocked(const pacc *a, int i, int j, int p, int pp, int weighted,
                        const double *shift, const int *ex, int ew, ppair *o)
{
    size_t ij = i + (size_t) p * j, ji = j + (size_t) p * i;
    double nij = i == j ? a->wtot - a->nanw[i] : a->wtot - a->nanw[i] - a->nanw[j] + a->both[ij];
    o->n = ldexp(nij, ew);
    /* unweighted, nij is an exact count */
    if (!weighted && !(nij >= 3)) {
        o->mx = o->my = o->ssx = o->ssy = o->cp = o->r = NA_REAL;
        o->code = COR_FEW;
        return 1;
    }
    if (!(nij > 1e-3 * a->wtot)) return 0;
    double sx = a->sum[i] - a->c1[ij], sy = a->sum[j] - a->c1[ji];
    double xxi = a->xx[i + (size_t) pp * i], xxj = a->xx[j + (size_t) pp * j];
    double cxx = xxi - a->c2[ij] - sx * sx / nij, cyy = xxj - a->c2[ji] - sy * sy / nij;
    double cxy = a->xx[i + (size_t) pp * j] - sx * sy / nij;
    if (!(cxx > 1e-3 * xxi) || !(cyy > 1e-3 * xxj) || !R_FINITE(cxy)) return 0;
    o->mx = ldexp(shift[i] + sx / nij, ex[i]);
    o->my = ldexp(shift[j] + sy / nij, ex[j]);
    o->ssx = ldexp(cxx, 2 * ex[i] + ew);
    o->ssy = ldexp(cyy, 2 * ex[j] + ew);
    o->cp = ldexp(cxy, ex[i] + ex[j] + ew);
    pair_result(o, cxx, cyy, cxy);
    return 1;
}

SEXP zh_cor_pearson(SEXP cols, SEXP weights, SEXP threads)
{
    R_xlen_t n;
    check_cols(cols, &n);
    int p = (int) XLENGTH(cols), pp = (p + 3) / 4 * 4;
    const double *w = NULL;
    if (!Rf_isNull(weights)) {
        if (TYPEOF(weights) != REALSXP || XLENGTH(weights) != n)
            zh_internal_error("weights must be a double vector as long as the columns");
        w = REAL(weights);
    }
    zh_col *cc = (zh_col *) R_alloc(p, sizeof(zh_col));
    double *shift = (double *) R_alloc(p, sizeof(double));
    double *inv = (double *) R_alloc(p, sizeof(double));
    int *ex = (int *) R_alloc(p, sizeof(int)), *fin = (int *) R_alloc(p, sizeof(int));
    /* weights scaled too (a power of two): 1e-300 weights square to nothing */
    double wmax = 0;
    if (w)
        for (R_xlen_t r = 0; r < n; r++)
            if (w[r] > wmax) wmax = w[r];
    int ew;
    double winv = zh_pow2_inv(wmax, &ew);
    for (int j = 0; j < p; j++) cc[j] = get_col(VECTOR_ELT(cols, j));
    int ntc = n < 20000 ? 1 : zh_nthreads(threads);
#ifdef _OPENMP
#pragma omp parallel for num_threads(ntc) schedule(dynamic, 1)
#endif
    for (int j = 0; j < p; j++) column_scale(cc + j, w, winv, n, inv + j, ex + j, shift + j, fin + j);
    R_xlen_t nblocks = (n + CB - 1) / CB;
    int nt = n < 20000 ? 1 : zh_nthreads(threads);
    if (nt > nblocks) nt = nblocks > 0 ? (int) nblocks : 1;
    pacc *acc = (pacc *) R_alloc(nt, sizeof(pacc));
    size_t pq = (size_t) p * p;
    for (int t = 0; t < nt; t++) {
        pacc *a = acc + t;
        a->xx = zeros((size_t) pp * pp);
        a->c1 = zeros(pq);
        a->c2 = zeros(pq);
        a->both = zeros(pq);
        a->sum = zeros(p);
        a->nanw = zeros(p);
        a->wtot = 0;
        a->xb = zeros((size_t) pp * CB);
        a->wxb = w ? zeros((size_t) pp * CB) : a->xb;
        a->wb = zeros(CB);
        a->na = (unsigned char *) R_alloc((size_t) p * CB, 1);
        a->rowna = (int *) R_alloc(CB, sizeof(int));
        a->nacols = (int *) R_alloc(p, sizeof(int));
    }
    R_xlen_t step = ZH_BLOCK / CB;
    for (R_xlen_t b0 = 0; b0 < nblocks; b0 += step) {
        R_xlen_t b1 = b0 + step < nblocks ? b0 + step : nblocks;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static)
#endif
        for (R_xlen_t b = b0; b < b1; b++) {
            int t = zh_thread_id();
            R_xlen_t from = b * CB;
            int len = (int) (from + CB <= n ? CB : n - from);
            pearson_block(cc, w, winv, inv, shift, p, pp, from, len, acc + t);
        }
        R_CheckUserInterrupt();
    }
    pacc *a = acc;
    for (int t = 1; t < nt; t++) {
        pacc *o = acc + t;
        for (size_t k = 0; k < (size_t) pp * pp; k++) a->xx[k] += o->xx[k];
        for (size_t k = 0; k < pq; k++) {
            a->c1[k] += o->c1[k];
            a->c2[k] += o->c2[k];
            a->both[k] += o->both[k];
        }
        for (int k = 0; k < p; k++) {
            a->sum[k] += o->sum[k];
            a->nanw[k] += o->nanw[k];
        }
        a->wtot += o->wtot;
    }

    SEXP rr = PROTECT(Rf_allocMatrix(REALSXP, p, p));
    SEXP nn = PROTECT(Rf_allocMatrix(REALSXP, p, p));
    SEXP why = PROTECT(Rf_allocMatrix(INTSXP, p, p));
    /* the sufficient statistics (zh_cor_stats): per pair, the means and
     * centred sums of squares of each variable over the pair's cases, and
     * the centred cross-product */
    SEXP mm = PROTECT(Rf_allocMatrix(REALSXP, p, p));
    SEXP ssm = PROTECT(Rf_allocMatrix(REALSXP, p, p));
    SEXP cpm = PROTECT(Rf_allocMatrix(REALSXP, p, p));
    double *pm = REAL(mm), *pss = REAL(ssm), *pcp = REAL(cpm);
    double *pr = REAL(rr), *pn = REAL(nn);
    int *pw = INTEGER(why);
    for (int j = 0; j < p; j++) {
        for (int i = 0; i <= j; i++) {
            ppair o;
            if (!pair_blocked(a, i, j, p, pp, w != NULL, shift, ex, ew, &o))
                pair_exact(cc + i, cc + j, w, n, &o);
            if (i == j && o.code == COR_OK) o.r = 1.0;
            pr[i + (size_t) p * j] = pr[j + (size_t) p * i] = o.r;
            pn[i + (size_t) p * j] = pn[j + (size_t) p * i] = o.n;
            pw[i + (size_t) p * j] = pw[j + (size_t) p * i] = o.code;
            pm[i + (size_t) p * j] = o.mx;
            pm[j + (size_t) p * i] = o.my;
            pss[i + (size_t) p * j] = o.ssx;
            pss[j + (size_t) p * i] = o.ssy;
            pcp[i + (size_t) p * j] = pcp[j + (size_t) p * i] = o.cp;
        }
        R_CheckUserInterrupt();
    }
    /* an infinite value: R finds it and stops, naming the column */
    SEXP finv = PROTECT(Rf_allocVector(LGLSXP, p));
    for (int j = 0; j < p; j++) LOGICAL(finv)[j] = fin[j];
    const char *names[] = {"r", "n", "z", "reason", "finite", "mean", "ss", "cp", ""};
    SEXP out = PROTECT(Rf_mkNamed(VECSXP, names));
    SEXP el[] = {rr, nn, R_NilValue, why, finv, mm, ssm, cpm};
    for (int k = 0; k < 8; k++) SET_VECTOR_ELT(out, k, el[k]);
    UNPROTECT(8);
    return out;
}

/* ---- ranks: Spearman and Kendall --------------------------------------- */

/* Dense codes 1..K of one column from its order (1-based, missing values
 * left out, as order(na.last = NA) gives); 0 marks a missing value. -1 when
 * it is not an ascending order of distinct rows with non-missing values. */
/* The order comes as a plain C column of length m: this runs inside an
 * OpenMP region, where the R API must not be called. */
static int dense_codes(const zh_col *c, const zh_col *ord, R_xlen_t m, R_xlen_t n,
                       int *code, R_xlen_t *o)
{
    if (n) memset(code, 0, n * sizeof(int));  /* no rows left: code is NULL */
    if (m > n) return -1;
    int k = 0;
    double prev = 0;
    for (R_xlen_t t = 0; t < m; t++) {
        /* range checked on the double: casting NaN or 1e300 is undefined */
        double rd = col_value(ord, t);
        if (!(rd >= 1 && rd <= (double) n)) return -1;
        R_xlen_t r = (R_xlen_t) rd - 1;
        if (code[r]) return -1;   /* a row twice */
        if (o) o[t] = r;
        double v = col_value(c, r);
        if (ISNAN(v) || (t > 0 && v < prev)) return -1;
        if (t == 0 || v != prev) k++;
        prev = v;
        code[r] = k;
    }
    return k;
}

typedef struct {
    R_xlen_t *cx, *cy;   /* counts per code, then positions */
    double *mx, *my;     /* weight per code; Spearman: then centred midranks */
    R_xlen_t *rows;      /* complete rows in y order */
    int *seq, *buf;      /* y codes in (x, y) order; merge buffer */
    double *seqw, *fen;  /* weighted Kendall: weights in (x, y) order; Fenwick tree */
} rscratch;

/* Spearman's rho of one pair: Pearson's r of the midranks of the pair's
 * complete cases, centred exactly at (m + 1) / 2. With weights (whole
 * numbers) a case counts that many times: code counts are weight sums. */
static int spearman_pair(const int *x, const int *y, const double *w, R_xlen_t n, int kx, int ky,
                         rscratch *s, double *rho, double *cases)
{
    memset(s->mx, 0, (kx + 1) * sizeof(double));
    memset(s->my, 0, (ky + 1) * sizeof(double));
    double m = 0;
    for (R_xlen_t r = 0; r < n; r++) {
        int a = x[r], b = y[r];
        if (a && b) {
            double wr = w ? w[r] : 1.0;
            s->mx[a] += wr;
            s->my[b] += wr;
            m += wr;
        }
    }
    *cases = m;
    if (m < 3) return COR_FEW;
    /* counts become centred midranks in place */
    double tx = 0, ty = 0, cum = 0;
    for (int k = 1; k <= kx; k++) {
        double t = s->mx[k];
        s->mx[k] = cum + (t - m) / 2;
        tx += t * s->mx[k] * s->mx[k];
        cum += t;
    }
    cum = 0;
    for (int k = 1; k <= ky; k++) {
        double t = s->my[k];
        s->my[k] = cum + (t - m) / 2;
        ty += t * s->my[k] * s->my[k];
        cum += t;
    }
    if (tx <= 0 || ty <= 0) return COR_CONST;
    double sxy = 0;
    for (R_xlen_t r = 0; r < n; r++) {
        int a = x[r], b = y[r];
        if (a && b) sxy += (w ? w[r] : 1.0) * s->mx[a] * s->my[b];
    }
    double v = sxy / sqrt(tx) / sqrt(ty);
    *rho = v > 1 ? 1 : (v < -1 ? -1 : v);
    return COR_OK;
}

/* Discordant pairs of a sequence = its inversions (strict), counted by a
 * bottom-up merge sort after insertion sort of short runs. */
static int64_t inversions(int *a, int *buf, R_xlen_t n, int **sorted)
{
    const R_xlen_t run = 32;
    int64_t inv = 0;
    for (R_xlen_t lo = 0; lo < n; lo += run) {
        R_xlen_t hi = lo + run < n ? lo + run : n;
        for (R_xlen_t i = lo + 1; i < hi; i++) {
            int v = a[i];
            R_xlen_t j = i;
            while (j > lo && a[j - 1] > v) {
                a[j] = a[j - 1];
                j--;
            }
            inv += i - j;
            a[j] = v;
        }
    }
    for (R_xlen_t width = run; width < n; width *= 2) {
        for (R_xlen_t lo = 0; lo < n; lo += 2 * width) {
            R_xlen_t mid = lo + width < n ? lo + width : n;
            R_xlen_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            R_xlen_t i = lo, j = mid, k = lo;
            if (mid < hi && a[mid - 1] <= a[mid]) {   /* already in order */
                memcpy(buf + lo, a + lo, (hi - lo) * sizeof(int));
                continue;
            }
            while (i < mid && j < hi) {   /* branch-free: random data mispredicts */
                int ai = a[i], aj = a[j], right = aj < ai;
                buf[k++] = right ? aj : ai;
                inv += right ? mid - i : 0;
                j += right;
                i += !right;
            }
            while (i < mid) buf[k++] = a[i++];
            while (j < hi) buf[k++] = a[j++];
        }
        int *tmp = a;
        a = buf;
        buf = tmp;
    }
    *sorted = a;
    return inv;
}

/* The same count with two threads: the halves sorted in parallel, then the
 * pairs across the halves counted in one merge walk. */
static int64_t inversions_par(int *a, int *buf, R_xlen_t n, int nt)
{
    int *out[2];
    if (nt < 2 || n < 100000) return inversions(a, buf, n, out);
    R_xlen_t h = n / 2;
    int64_t part[2];
#ifdef _OPENMP
#pragma omp parallel for num_threads(2) schedule(static, 1)
#endif
    for (int k = 0; k < 2; k++) {
        R_xlen_t lo = k ? h : 0, len = k ? n - h : h;
        part[k] = inversions(a + lo, buf + lo, len, out + k);
    }
    const int *u = out[0], *v = out[1];
    int64_t inv = part[0] + part[1];
    R_xlen_t i = 0, j = 0, nu = h, nv = n - h;
    while (i < nu && j < nv) {
        int right = v[j] < u[i];
        inv += right ? nu - i : 0;
        j += right;
        i += !right;
    }
    return inv;
}

/* z = S / sqrt(Var(S)), SPSS's tie-corrected variance of S (Kendall 1970)
 * from N, the pairs tied on x and y (n1, n2) and the tie sums. */
static double kendall_z(double S, double N, double n1, double n2, double vt, double vu,
                        double t2x, double t2y)
{
    double var = (N * (N - 1) * (2 * N + 5) - vt - vu) / 18 +
                 (2 * n1) * (2 * n2) / (2 * N * (N - 1)) +
                 t2x * t2y / (9 * N * (N - 1) * (N - 2));
    return var > 0 ? S / sqrt(var) : NA_REAL;
}

/* Kendall's tau-b of one pair (Knight 1966): walk y's order keeping the
 * complete cases, then a stable counting sort by x gives the cases in (x, y)
 * order; ties come from the code counts, discordant pairs from a merge sort.
 * z uses SPSS's tie-corrected Var(S). */
static int kendall_pair(const int *x, const int *y, const R_xlen_t *oy, R_xlen_t ny, int kx,
                        int ky, rscratch *s, int inner, double *tau, double *z, double *cases)
{
    memset(s->cx, 0, (kx + 2) * sizeof(R_xlen_t));
    memset(s->cy, 0, (ky + 2) * sizeof(R_xlen_t));
    R_xlen_t m = 0;
    for (R_xlen_t t = 0; t < ny; t++) {
        R_xlen_t r = oy[t];
        int a = x[r];
        if (a) {
            s->cx[a + 1]++;
            s->cy[y[r]]++;
            s->rows[m++] = r;
        }
    }
    *cases = (double) m;
    if (m < 3) return COR_FEW;
    /* tie sums; x counts become start positions */
    double n1 = 0, n2 = 0, vt = 0, vu = 0, t2x = 0, t2y = 0;
    for (int k = 2; k <= kx + 1; k++) {
        double t = (double) s->cx[k];
        n1 += t * (t - 1) / 2;
        vt += t * (t - 1) * (2 * t + 5);
        t2x += t * (t - 1) * (t - 2);
        s->cx[k] += s->cx[k - 1];
    }
    for (int k = 1; k <= ky; k++) {
        double t = (double) s->cy[k];
        n2 += t * (t - 1) / 2;
        vu += t * (t - 1) * (2 * t + 5);
        t2y += t * (t - 1) * (t - 2);
    }
    for (R_xlen_t t = 0; t < m; t++) {
        R_xlen_t r = s->rows[t];
        s->seq[s->cx[x[r]]++] = y[r];
    }
    /* after the scatter cx[k] is the end of x group k; ties in (x, y) are
     * runs of equal y inside an x group */
    int64_t n3 = 0, run = 1;
    R_xlen_t start = 0;
    for (int k = 1; k <= kx; k++) {
        R_xlen_t end = s->cx[k];
        for (R_xlen_t t = start + 1; t < end; t++) {
            if (s->seq[t] == s->seq[t - 1]) run++;
            else {
                n3 += run * (run - 1) / 2;
                run = 1;
            }
        }
        if (end > start) n3 += run * (run - 1) / 2;
        run = 1;
        start = end;
    }
    int64_t mm = (int64_t) m, n0 = mm * (mm - 1) / 2;
    int64_t d = inversions_par(s->seq, s->buf, m, inner);
    double S = (double) (n0 - (int64_t) n1 - (int64_t) n2 + n3 - 2 * d);
    double dx = (double) n0 - n1, dy = (double) n0 - n2;
    if (dx <= 0 || dy <= 0) return COR_CONST;
    double v = S / sqrt(dx) / sqrt(dy);
    *tau = v > 1 ? 1 : (v < -1 ? -1 : v);
    *z = kendall_z(S, (double) m, n1, n2, vt, vu, t2x, t2y);
    return COR_OK;
}

/* Sums over the groups of a tie-count t (weights): t(t - 1)/2, and the
 * t(t - 1)(2t + 5) and t(t - 1)(t - 2) of Var(S). */
static void tie_sums(const double *t, int k, double *pairs, double *v1, double *v2)
{
    *pairs = *v1 = *v2 = 0;
    for (int g = 1; g <= k; g++) {
        double c = t[g];
        *pairs += c * (c - 1) / 2;
        *v1 += c * (c - 1) * (2 * c + 5);
        *v2 += c * (c - 1) * (c - 2);
    }
}

/* Pairs not tied on a variable, sum over groups of t_g times the weight of
 * the later groups: positive terms, no cancellation. */
static double untied_pairs(const double *t, int k, double W)
{
    double out = 0, cum = 0;
    for (int g = 1; g <= k; g++) {
        cum += t[g];
        out += t[g] * (W - cum);
    }
    return out;
}

/* Kendall's tau-b with whole-number case weights, as if each case were
 * there that many times, without making the copies: copies of one case are
 * tied on both variables; two cases r, s make w_r w_s pairs. Cases in
 * (x, y) order; an x group at a time, each case is compared with the
 * earlier groups through a Fenwick tree of their weights by y code (the
 * lower codes concordant, the higher discordant), then the group is added.
 * O(m log K), double sums. */
static int kendall_pair_w(const int *x, const int *y, const double *w, const R_xlen_t *oy,
                          R_xlen_t ny, int kx, int ky, rscratch *s, double *tau, double *z,
                          double *cases)
{
    memset(s->cx, 0, (kx + 2) * sizeof(R_xlen_t));
    memset(s->mx, 0, (kx + 1) * sizeof(double));
    memset(s->my, 0, (ky + 1) * sizeof(double));
    R_xlen_t m = 0;
    double W = 0;
    for (R_xlen_t t = 0; t < ny; t++) {
        R_xlen_t r = oy[t];
        int a = x[r];
        if (a) {
            s->cx[a + 1]++;
            s->mx[a] += w[r];
            s->my[y[r]] += w[r];
            W += w[r];
            s->rows[m++] = r;
        }
    }
    *cases = W;
    if (W < 3) return COR_FEW;
    for (int k = 2; k <= kx + 1; k++) s->cx[k] += s->cx[k - 1];
    for (R_xlen_t t = 0; t < m; t++) {
        R_xlen_t r = s->rows[t];
        R_xlen_t at = s->cx[x[r]]++;
        s->seq[at] = y[r];
        s->seqw[at] = w[r];
    }
    double n1, n2, vt, vu, t2x, t2y;
    tie_sums(s->mx, kx, &n1, &vt, &t2x);
    tie_sums(s->my, ky, &n2, &vu, &t2y);
    double dx = untied_pairs(s->mx, kx, W), dy = untied_pairs(s->my, ky, W);
    if (dx <= 0 || dy <= 0) return COR_CONST;
    memset(s->fen, 0, (ky + 1) * sizeof(double));
    double C = 0, D = 0, before = 0;
    R_xlen_t start = 0;
    for (int k = 1; k <= kx; k++) {
        R_xlen_t end = s->cx[k];
        for (R_xlen_t t = start; t < end; t++) {
            /* the earlier groups' weight below this y code, and up to it */
            double below = 0, upto = 0;
            for (int b = s->seq[t] - 1; b > 0; b -= b & -b) below += s->fen[b];
            for (int b = s->seq[t]; b > 0; b -= b & -b) upto += s->fen[b];
            C += s->seqw[t] * below;
            D += s->seqw[t] * (before - upto);
        }
        for (R_xlen_t t = start; t < end; t++) {
            for (int b = s->seq[t]; b <= ky; b += b & -b) s->fen[b] += s->seqw[t];
            before += s->seqw[t];
        }
        start = end;
    }
    double S = C - D;
    double v = S / sqrt(dx) / sqrt(dy);
    *tau = v > 1 ? 1 : (v < -1 ? -1 : v);
    *z = kendall_z(S, W, n1, n2, vt, vu, t2x, t2y);
    return COR_OK;
}

/* cols: list of numeric columns; ords: their orders without missing
 * values; method 1 = Spearman, 2 = Kendall; weights NULL or positive whole
 * numbers (each case counted that many times). */
SEXP zh_cor_rank(SEXP cols, SEXP ords, SEXP method, SEXP weights, SEXP threads)
{
    R_xlen_t n;
    check_cols(cols, &n);
    const double *w = NULL;
    if (!Rf_isNull(weights)) {
        if (TYPEOF(weights) != REALSXP || XLENGTH(weights) != n)
            Rf_error("internal error: weights must be a double vector as long as the columns");
        w = REAL(weights);
    }
    int p = (int) XLENGTH(cols), meth = Rf_asInteger(method);
    if (meth != 1 && meth != 2) zh_internal_error("unknown rank method");
    if (TYPEOF(ords) != VECSXP || XLENGTH(ords) != p)
        zh_internal_error("one order per column expected");
    int nt = zh_nthreads(threads);
    if ((double) n * p < 1e5) nt = 1;
    int *codes = (int *) R_alloc((size_t) p * n, sizeof(int));
    int *K = (int *) R_alloc(p, sizeof(int));
    R_xlen_t *nvalid = (R_xlen_t *) R_alloc(p, sizeof(R_xlen_t));
    zh_col *cc = (zh_col *) R_alloc(p, sizeof(zh_col));
    zh_col *oo = (zh_col *) R_alloc(p, sizeof(zh_col));
    /* 0-based orders, for Kendall only */
    R_xlen_t *ordv = meth == 2 ? (R_xlen_t *) R_alloc((size_t) p * n, sizeof(R_xlen_t)) : NULL;
    for (int j = 0; j < p; j++) {
        SEXP oj = VECTOR_ELT(ords, j);
        if (TYPEOF(oj) != INTSXP && TYPEOF(oj) != REALSXP)
            zh_internal_error("orders must be numeric");
        oo[j] = get_col(oj);
        nvalid[j] = XLENGTH(oj);
        cc[j] = get_col(VECTOR_ELT(cols, j));
    }
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
#endif
    for (int j = 0; j < p; j++)
        K[j] = dense_codes(cc + j, oo + j, nvalid[j], n, codes + (size_t) j * n,
                           ordv ? ordv + (size_t) j * n : NULL);
    int kmax = 1;
    for (int j = 0; j < p; j++) {
        if (K[j] < 0) zh_internal_error("order %d does not fit its column", j + 1);
        if (K[j] > kmax) kmax = K[j];
    }
    R_xlen_t npairs = (R_xlen_t) p * (p - 1) / 2;
    int *pi = (int *) R_alloc(npairs, sizeof(int)), *pj = (int *) R_alloc(npairs, sizeof(int));
    R_xlen_t q = 0;
    for (int j = 0; j < p; j++)
        for (int i = 0; i < j; i++) {
            pi[q] = i;
            pj[q++] = j;
        }
    /* threads over pairs; with fewer pairs than threads, inside the pair */
    int inner = npairs < nt ? nt : 1, outer = npairs < nt ? 1 : nt;
    rscratch *sc = (rscratch *) R_alloc(outer, sizeof(rscratch));
    for (int t = 0; t < outer; t++) {
        sc[t].cx = (R_xlen_t *) R_alloc(kmax + 2, sizeof(R_xlen_t));
        sc[t].cy = (R_xlen_t *) R_alloc(kmax + 2, sizeof(R_xlen_t));
        if (meth == 1 || w) {
            sc[t].mx = (double *) R_alloc(kmax + 1, sizeof(double));
            sc[t].my = (double *) R_alloc(kmax + 1, sizeof(double));
        }
        if (meth == 2) {
            sc[t].rows = (R_xlen_t *) R_alloc(n, sizeof(R_xlen_t));
            sc[t].seq = (int *) R_alloc(n, sizeof(int));
            sc[t].buf = w ? NULL : (int *) R_alloc(n, sizeof(int));
            sc[t].seqw = w ? (double *) R_alloc(n, sizeof(double)) : NULL;
            sc[t].fen = w ? (double *) R_alloc(kmax + 1, sizeof(double)) : NULL;
        }
    }
    SEXP rr = PROTECT(Rf_allocMatrix(REALSXP, p, p));
    SEXP nn = PROTECT(Rf_allocMatrix(REALSXP, p, p));
    SEXP zz = PROTECT(Rf_allocMatrix(REALSXP, p, p));
    SEXP why = PROTECT(Rf_allocMatrix(INTSXP, p, p));
    double *pr = REAL(rr), *pn = REAL(nn), *pz = REAL(zz);
    int *pw = INTEGER(why);
    for (int j = 0; j < p; j++) {
        size_t a = j + (size_t) p * j;
        double nj = (double) nvalid[j];
        if (w) {
            nj = 0;
            for (R_xlen_t r = 0; r < n; r++)
                if (codes[(size_t) j * n + r]) nj += w[r];
        }
        pn[a] = nj;
        pw[a] = nj < 3 ? COR_FEW : (K[j] < 2 ? COR_CONST : COR_OK);
        pr[a] = pw[a] == COR_OK ? 1.0 : NA_REAL;
        pz[a] = NA_REAL;
    }
    /* batches small enough to answer an interrupt soon */
    R_xlen_t batch = n > 0 ? (R_xlen_t) (4.0 * ZH_BLOCK / n) + outer : npairs;
    for (R_xlen_t q0 = 0; q0 < npairs; q0 += batch) {
        R_xlen_t q1 = q0 + batch < npairs ? q0 + batch : npairs;
#ifdef _OPENMP
#pragma omp parallel for num_threads(outer) schedule(dynamic, 1)
#endif
        for (R_xlen_t k = q0; k < q1; k++) {
            int t = zh_thread_id();
            int i = pi[k], j = pj[k];
            const int *x = codes + (size_t) i * n, *y = codes + (size_t) j * n;
            double r = NA_REAL, z = NA_REAL, m = 0;
            const R_xlen_t *oy = meth == 2 ? ordv + (size_t) j * n : NULL;
            int code = meth == 1
                ? spearman_pair(x, y, w, n, K[i], K[j], sc + t, &r, &m)
                : w ? kendall_pair_w(x, y, w, oy, nvalid[j], K[i], K[j], sc + t, &r, &z, &m)
                    : kendall_pair(x, y, oy, nvalid[j], K[i], K[j], sc + t, inner, &r, &z, &m);
            size_t a = i + (size_t) p * j, b = j + (size_t) p * i;
            pr[a] = pr[b] = r;
            pn[a] = pn[b] = m;
            pz[a] = pz[b] = z;
            pw[a] = pw[b] = code;
        }
        R_CheckUserInterrupt();
    }
    SEXP out = result_list(rr, nn, zz, why, R_NilValue);
    UNPROTECT(4);
    return out;
}
