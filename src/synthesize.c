/* Survey synthesis engine: simulated annealing over swaps of one variable's
 * values between two respondents. A swap keeps every marginal exact, and it
 * changes at most four cells of each two-way table that involves the
 * variable, so every target is updated in O(1) per move:
 *   Pearson chi-square  X2 = N (S - 1), S = sum n^2 / (r c);
 *   likelihood ratio    G2 = 2 (sum n ln n + K), K fixed by the margins;
 *   correlations        only the cross-product sum moves, because means and
 *                       standard deviations are fixed by the margins;
 *   rules               linear in the cells of one two-way table.
 * Each target scores ((value - target) / (tolerance / 2))^2, a broken rule
 * scores RULE_WEIGHT (v + v^2) for a violation of v units. */
#include "zhetysu.h"
#include <math.h>
#include <string.h>
#include <limits.h>

#define RULE_WEIGHT 10.0

typedef struct {
    int a, b, na, nb;   /* variables (rows, columns) and their numbers of levels */
    int *n;             /* na x nb counts, n[i + na * j] */
    double *inv_rc;     /* 1 / (row total * column total) per cell */
    double S, L, N, K;  /* sum n^2/(rc), sum n ln n, cases, G2 constant */
    double x2_t, x2_tol, g2_t, g2_tol;  /* tolerance NaN: no target */
    double x2_sc, g2_sc;                /* current scores */
    int nrule, *rule;
} zpair;

typedef struct {
    int pair;
    const double *w;
    double lo, hi, unit, val, sc;
} zrule;

typedef struct {
    int a, b;
    double C, k0, k1, t, tol, sc;   /* r = (C - k0) / k1 */
} zcor;

typedef struct {
    int nvar, N;
    int **x;            /* codes, 0-based */
    const double **s;   /* scores per level */
    int *nlev;
    int npair, ncor, nrule;
    zpair *p;
    zcor *c;
    zrule *r;
    int *np_v, **p_v;   /* pairs per variable */
    int *nc_v, **c_v;   /* correlations per variable */
    double *nln;        /* k ln k, k = 0..N */
    double obj;
} zstate;

static double sq_score(double v, double t, double tol)
{
    if (ISNAN(tol)) return 0.0;
    double z = (v - t) / (tol / 2.0);
    return z * z;
}

static double rule_score(const zrule *r, double val)
{
    double v = 0.0;
    if (val < r->lo) v = (r->lo - val) / r->unit;
    else if (val > r->hi) v = (val - r->hi) / r->unit;
    return v > 0 ? RULE_WEIGHT * (v + v * v) : 0.0;
}

static double pair_x2(const zpair *p, double S) { return p->N * (S - 1.0); }
static double pair_g2(const zpair *p, double L) { return 2.0 * (L + p->K); }

/* Recomputes every statistic and score from the codes (no drift). */
static void recompute(zstate *z)
{
    int N = z->N;
    z->obj = 0.0;
    for (int k = 0; k < z->npair; k++) {
        zpair *p = z->p + k;
        if (p->na * p->nb > 0) memset(p->n, 0, sizeof(int) * p->na * p->nb);
        const int *xa = z->x[p->a], *xb = z->x[p->b];
        for (int i = 0; i < N; i++) p->n[xa[i] + p->na * xb[i]]++;
        p->S = 0.0;
        p->L = 0.0;
        for (int c = 0; c < p->na * p->nb; c++) {
            p->S += (double) p->n[c] * p->n[c] * p->inv_rc[c];
            p->L += z->nln[p->n[c]];
        }
        p->x2_sc = sq_score(pair_x2(p, p->S), p->x2_t, p->x2_tol);
        p->g2_sc = sq_score(pair_g2(p, p->L), p->g2_t, p->g2_tol);
        z->obj += p->x2_sc + p->g2_sc;
    }
    for (int k = 0; k < z->nrule; k++) {
        zrule *r = z->r + k;
        const zpair *p = z->p + r->pair;
        double v = 0.0;
        for (int c = 0; c < p->na * p->nb; c++) v += r->w[c] * p->n[c];
        r->val = v;
        r->sc = rule_score(r, v);
        z->obj += r->sc;
    }
    for (int k = 0; k < z->ncor; k++) {
        zcor *c = z->c + k;
        const int *xa = z->x[c->a], *xb = z->x[c->b];
        const double *sa = z->s[c->a], *sb = z->s[c->b];
        double C = 0.0;
        for (int i = 0; i < N; i++) C += sa[xa[i]] * sb[xb[i]];
        c->C = C;
        c->sc = sq_score((C - c->k0) / c->k1, c->t, c->tol);
        z->obj += c->sc;
    }
}

static int passes(const zstate *z)
{
    for (int k = 0; k < z->npair; k++) {
        const zpair *p = z->p + k;
        if (!ISNAN(p->x2_tol) && fabs(pair_x2(p, p->S) - p->x2_t) > p->x2_tol) return 0;
        if (!ISNAN(p->g2_tol) && fabs(pair_g2(p, p->L) - p->g2_t) > p->g2_tol) return 0;
    }
    for (int k = 0; k < z->nrule; k++) {
        const zrule *r = z->r + k;
        double eps = 1e-9 * r->unit;
        if (r->val < r->lo - eps || r->val > r->hi + eps) return 0;
    }
    for (int k = 0; k < z->ncor; k++) {
        const zcor *c = z->c + k;
        if (fabs((c->C - c->k0) / c->k1 - c->t) > c->tol) return 0;
    }
    return 1;
}

/* The four cells a swap of variable v between respondents i and j changes in
 * pair p (cells[0..3], signs -1, +1, -1, +1); 0 when the table is unchanged. */
static int swap_cells(const zstate *z, const zpair *p, int v, int i, int j, int *cells)
{
    int u = z->x[v][i], w = z->x[v][j];
    if (p->a == v) {
        int oi = z->x[p->b][i], oj = z->x[p->b][j];
        if (oi == oj) return 0;
        cells[0] = u + p->na * oi; cells[1] = w + p->na * oi;
        cells[2] = w + p->na * oj; cells[3] = u + p->na * oj;
    } else {
        int oi = z->x[p->a][i], oj = z->x[p->a][j];
        if (oi == oj) return 0;
        cells[0] = oi + p->na * u; cells[1] = oi + p->na * w;
        cells[2] = oj + p->na * w; cells[3] = oj + p->na * u;
    }
    return 1;
}

static const int SIGN[4] = {-1, 1, -1, 1};

/* Change in the objective if variable v were swapped between i and j. */
static double move_delta(const zstate *z, int v, int i, int j)
{
    double d = 0.0;
    int cells[4];
    for (int q = 0; q < z->np_v[v]; q++) {
        const zpair *p = z->p + z->p_v[v][q];
        if (!swap_cells(z, p, v, i, j, cells)) continue;
        double dS = 0.0, dL = 0.0;
        for (int m = 0; m < 4; m++) {
            int n = p->n[cells[m]], s = SIGN[m];
            dS += (2.0 * n * s + 1.0) * p->inv_rc[cells[m]];
            dL += z->nln[n + s] - z->nln[n];
        }
        if (!ISNAN(p->x2_tol))
            d += sq_score(pair_x2(p, p->S + dS), p->x2_t, p->x2_tol) - p->x2_sc;
        if (!ISNAN(p->g2_tol))
            d += sq_score(pair_g2(p, p->L + dL), p->g2_t, p->g2_tol) - p->g2_sc;
        for (int k = 0; k < p->nrule; k++) {
            const zrule *r = z->r + p->rule[k];
            double dv = 0.0;
            for (int m = 0; m < 4; m++) dv += SIGN[m] * r->w[cells[m]];
            if (dv != 0.0) d += rule_score(r, r->val + dv) - r->sc;
        }
    }
    int u = z->x[v][i], w = z->x[v][j];
    for (int q = 0; q < z->nc_v[v]; q++) {
        const zcor *c = z->c + z->c_v[v][q];
        int o = c->a == v ? c->b : c->a;
        double dC = (z->s[v][w] - z->s[v][u]) *
                    (z->s[o][z->x[o][i]] - z->s[o][z->x[o][j]]);
        if (dC != 0.0) d += sq_score((c->C + dC - c->k0) / c->k1, c->t, c->tol) - c->sc;
    }
    return d;
}

static void move_apply(zstate *z, int v, int i, int j)
{
    int cells[4];
    for (int q = 0; q < z->np_v[v]; q++) {
        zpair *p = z->p + z->p_v[v][q];
        if (!swap_cells(z, p, v, i, j, cells)) continue;
        for (int m = 0; m < 4; m++) {
            int n = p->n[cells[m]], s = SIGN[m];
            p->S += (2.0 * n * s + 1.0) * p->inv_rc[cells[m]];
            p->L += z->nln[n + s] - z->nln[n];
            p->n[cells[m]] = n + s;
        }
        double sc = sq_score(pair_x2(p, p->S), p->x2_t, p->x2_tol);
        z->obj += sc - p->x2_sc;
        p->x2_sc = sc;
        sc = sq_score(pair_g2(p, p->L), p->g2_t, p->g2_tol);
        z->obj += sc - p->g2_sc;
        p->g2_sc = sc;
        for (int k = 0; k < p->nrule; k++) {
            zrule *r = z->r + p->rule[k];
            for (int m = 0; m < 4; m++) r->val += SIGN[m] * r->w[cells[m]];
            sc = rule_score(r, r->val);
            z->obj += sc - r->sc;
            r->sc = sc;
        }
    }
    int u = z->x[v][i], w = z->x[v][j];
    for (int q = 0; q < z->nc_v[v]; q++) {
        zcor *c = z->c + z->c_v[v][q];
        int o = c->a == v ? c->b : c->a;
        c->C += (z->s[v][w] - z->s[v][u]) * (z->s[o][z->x[o][i]] - z->s[o][z->x[o][j]]);
        double sc = sq_score((c->C - c->k0) / c->k1, c->t, c->tol);
        z->obj += sc - c->sc;
        c->sc = sc;
    }
    z->x[v][i] = w;
    z->x[v][j] = u;
}

static int draw(int n)
{
    int k = (int) (unif_rand() * n);
    return k < n ? k : n - 1;
}

/* The element `name` of a named list, of the given type and at least len
 * long: the entries are read by index up to len. */
/* A target between two variables: both must be variables, and different. */
static void check_var_pair(int a, int b, int nvar, const char *what)
{
    if (a < 0 || a >= nvar || b < 0 || b >= nvar || a == b)
        zh_internal_error("bad %s", what);
}

static SEXP list_elt(SEXP list, const char *name, int type, R_xlen_t len)
{
    SEXP names = Rf_getAttrib(list, R_NamesSymbol);
    if (TYPEOF(list) == VECSXP && TYPEOF(names) == STRSXP)
        for (R_xlen_t k = 0; k < XLENGTH(list); k++)
            if (strcmp(CHAR(STRING_ELT(names, k)), name) == 0) {
                SEXP el = VECTOR_ELT(list, k);
                if (TYPEOF(el) != type || XLENGTH(el) < len)
                    zh_internal_error("element `%s` has the wrong type or length", name);
                return el;
            }
    zh_internal_error("no element `%s`", name);
    return R_NilValue;
}

/* The double vectors names[0..k-1] of a named list, each at least len long. */
static void list_reals(SEXP list, const char *const *names, int k, R_xlen_t len,
                       const double **out)
{
    for (int i = 0; i < k; i++) out[i] = REAL(list_elt(list, names[i], REALSXP, len));
}

/* codes: list of integer vectors (1-based codes, no NA); scores: list of
 * double vectors (one score per level); pairs: list(a, b (0-based variable
 * indices), x2_target, x2_tol, g2_target, g2_tol); cors: list(a, b, target,
 * tol); rules: list(pair (0-based), weights (list of double vectors, one per
 * cell of the pair's table), lower, upper, unit); control: c(max_moves,
 * cycle, t_start, t_end, check_every); progress: NULL or an R function
 * called with the number of moves about every 2^20 moves. */
SEXP zh_synthesize(SEXP codes, SEXP scores, SEXP pairs, SEXP cors, SEXP rules, SEXP control,
                   SEXP progress)
{
    zstate z;
    if (TYPEOF(codes) != VECSXP || TYPEOF(scores) != VECSXP || TYPEOF(control) != REALSXP ||
        XLENGTH(codes) < 1 || XLENGTH(codes) > INT_MAX || XLENGTH(scores) != XLENGTH(codes) ||
        XLENGTH(control) != 5 || (progress != R_NilValue && !Rf_isFunction(progress)))
        zh_internal_error("bad arguments to zh_synthesize");
    z.nvar = (int) XLENGTH(codes);
    if (XLENGTH(VECTOR_ELT(codes, 0)) > INT_MAX - 2)
        zh_internal_error("too many respondents");
    z.N = (int) XLENGTH(VECTOR_ELT(codes, 0));
    int N = z.N;
    z.x = (int **) R_alloc(z.nvar, sizeof(int *));
    z.s = (const double **) R_alloc(z.nvar, sizeof(double *));
    z.nlev = (int *) R_alloc(z.nvar, sizeof(int));
    for (int v = 0; v < z.nvar; v++) {
        SEXP cv = VECTOR_ELT(codes, v), sv = VECTOR_ELT(scores, v);
        if (TYPEOF(cv) != INTSXP || XLENGTH(cv) != N || TYPEOF(sv) != REALSXP)
            zh_internal_error("bad codes or scores");
        if (XLENGTH(sv) > INT_MAX / 2) zh_internal_error("too many levels");
        int k = (int) XLENGTH(sv);
        z.nlev[v] = k;
        z.s[v] = REAL(sv);
        z.x[v] = (int *) R_alloc(N, sizeof(int));
        const int *src = INTEGER(cv);
        for (int i = 0; i < N; i++) {
            if (src[i] < 1 || src[i] > k) zh_internal_error("code out of range");
            z.x[v][i] = src[i] - 1;
        }
    }
    z.nln = (double *) R_alloc(N + 2, sizeof(double));
    z.nln[0] = 0.0;
    for (int k = 1; k <= N + 1; k++) z.nln[k] = k * log((double) k);

    /* two-way tables */
    SEXP pa = list_elt(pairs, "a", INTSXP, 0);
    R_xlen_t np = XLENGTH(pa);
    SEXP pb = list_elt(pairs, "b", INTSXP, np);
    const char *const pnames[] = {"x2_target", "x2_tol", "g2_target", "g2_tol"};
    const double *pt[4];
    list_reals(pairs, pnames, 4, np, pt);
    z.npair = (int) np;
    z.p = (zpair *) R_alloc(z.npair + 1, sizeof(zpair));
    for (int k = 0; k < z.npair; k++) {
        zpair *p = z.p + k;
        p->a = INTEGER(pa)[k];
        p->b = INTEGER(pb)[k];
        check_var_pair(p->a, p->b, z.nvar, "pair");
        p->na = z.nlev[p->a];
        p->nb = z.nlev[p->b];
        if ((double) p->na * p->nb > INT_MAX) zh_internal_error("table too large");
        int nc = p->na * p->nb;
        p->n = (int *) R_alloc(nc, sizeof(int));
        p->inv_rc = (double *) R_alloc(nc, sizeof(double));
        double *ra = (double *) R_alloc(p->na, sizeof(double));
        double *cb = (double *) R_alloc(p->nb, sizeof(double));
        for (int i = 0; i < p->na; i++) ra[i] = 0.0;  /* no memset: NULL when 0 levels */
        for (int j = 0; j < p->nb; j++) cb[j] = 0.0;
        for (int i = 0; i < N; i++) { ra[z.x[p->a][i]]++; cb[z.x[p->b][i]]++; }
        p->N = N;
        p->K = N > 0 ? N * log((double) N) : 0.0;
        for (int i = 0; i < p->na; i++) p->K -= ra[i] > 0 ? ra[i] * log(ra[i]) : 0.0;
        for (int j = 0; j < p->nb; j++) p->K -= cb[j] > 0 ? cb[j] * log(cb[j]) : 0.0;
        for (int j = 0; j < p->nb; j++)
            for (int i = 0; i < p->na; i++)
                p->inv_rc[i + p->na * j] = ra[i] > 0 && cb[j] > 0 ? 1.0 / (ra[i] * cb[j]) : 0.0;
        p->x2_t = pt[0][k]; p->x2_tol = pt[1][k];
        p->g2_t = pt[2][k]; p->g2_tol = pt[3][k];
        p->x2_sc = p->g2_sc = 0.0;
        p->nrule = 0;
    }

    /* rules, indexed by their table */
    SEXP rp = list_elt(rules, "pair", INTSXP, 0);
    R_xlen_t nr = XLENGTH(rp);
    SEXP rw = list_elt(rules, "weights", VECSXP, nr);
    const char *const rnames[] = {"lower", "upper", "unit"};
    const double *rv[3];
    list_reals(rules, rnames, 3, nr, rv);
    const double *rlo = rv[0], *rhi = rv[1], *run = rv[2];
    z.nrule = (int) nr;
    z.r = (zrule *) R_alloc(z.nrule + 1, sizeof(zrule));
    for (int k = 0; k < z.nrule; k++) {
        zrule *r = z.r + k;
        r->pair = INTEGER(rp)[k];
        if (r->pair < 0 || r->pair >= z.npair) zh_internal_error("bad rule");
        SEXP w = VECTOR_ELT(rw, k);
        const zpair *p = z.p + r->pair;
        if (TYPEOF(w) != REALSXP || XLENGTH(w) != (R_xlen_t) p->na * p->nb)
            zh_internal_error("bad rule weights");
        r->w = REAL(w);
        r->lo = rlo[k]; r->hi = rhi[k]; r->unit = run[k] > 0 ? run[k] : 1.0;
        z.p[r->pair].nrule++;
    }
    for (int k = 0; k < z.npair; k++) {
        z.p[k].rule = (int *) R_alloc(z.p[k].nrule + 1, sizeof(int));
        z.p[k].nrule = 0;
    }
    for (int k = 0; k < z.nrule; k++) {
        zpair *p = z.p + z.r[k].pair;
        p->rule[p->nrule++] = k;
    }

    /* correlations: means and population SDs are fixed by the margins */
    SEXP ca = list_elt(cors, "a", INTSXP, 0);
    R_xlen_t ncr = XLENGTH(ca);
    SEXP cbv = list_elt(cors, "b", INTSXP, ncr);
    const char *const cnames[] = {"target", "tol"};
    const double *cv[2];
    list_reals(cors, cnames, 2, ncr, cv);
    const double *ct = cv[0], *cs = cv[1];
    z.ncor = (int) ncr;
    z.c = (zcor *) R_alloc(z.ncor + 1, sizeof(zcor));
    for (int k = 0; k < z.ncor; k++) {
        zcor *c = z.c + k;
        c->a = INTEGER(ca)[k];
        c->b = INTEGER(cbv)[k];
        check_var_pair(c->a, c->b, z.nvar, "correlation");
        double m[2] = {0, 0}, q[2] = {0, 0};
        int vv[2] = {c->a, c->b};
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < N; i++) m[h] += z.s[vv[h]][z.x[vv[h]][i]];
            m[h] /= N;
            for (int i = 0; i < N; i++) {
                double d = z.s[vv[h]][z.x[vv[h]][i]] - m[h];
                q[h] += d * d;
            }
        }
        if (q[0] <= 0 || q[1] <= 0) zh_internal_error("constant variable in a correlation");
        c->k0 = N * m[0] * m[1];
        c->k1 = sqrt(q[0] * q[1]);
        c->t = ct[k];
        c->tol = cs[k];
    }

    /* what each variable touches */
    z.np_v = (int *) R_alloc(z.nvar, sizeof(int));
    z.nc_v = (int *) R_alloc(z.nvar, sizeof(int));
    z.p_v = (int **) R_alloc(z.nvar, sizeof(int *));
    z.c_v = (int **) R_alloc(z.nvar, sizeof(int *));
    for (int v = 0; v < z.nvar; v++) {
        z.np_v[v] = z.nc_v[v] = 0;
        z.p_v[v] = (int *) R_alloc(z.npair + 1, sizeof(int));
        z.c_v[v] = (int *) R_alloc(z.ncor + 1, sizeof(int));
    }
    for (int k = 0; k < z.npair; k++) {
        int a = z.p[k].a, b = z.p[k].b;
        z.p_v[a][z.np_v[a]++] = k;
        z.p_v[b][z.np_v[b]++] = k;
    }
    for (int k = 0; k < z.ncor; k++) {
        int a = z.c[k].a, b = z.c[k].b;
        z.c_v[a][z.nc_v[a]++] = k;
        z.c_v[b][z.nc_v[b]++] = k;
    }
    /* a swap needs two respondents (draw(N) is -1 for N = 0) */
    int nactive = 0;
    int *active = (int *) R_alloc(z.nvar, sizeof(int));
    for (int v = 0; v < z.nvar; v++)
        if (z.np_v[v] + z.nc_v[v] > 0 && z.nlev[v] > 1 && N >= 2) active[nactive++] = v;

    const double *ctl = REAL(control);
    double max_moves = ctl[0], cycle = ctl[1], t0 = ctl[2], t1 = ctl[3];
    int check = ctl[4] >= 1 && ctl[4] <= INT_MAX ? (int) ctl[4] : 1;  /* NaN: no cast */
    if (cycle < 1) cycle = 1;
    double cool = log(t1 / t0) / cycle;

    recompute(&z);
    int ok = passes(&z);
    double moves = 0.0, accepted = 0.0;
    /* The statistics are updated move by move; a recompute from the codes
     * (O(N)) removes rounding drift about once per N moves, so that it costs
     * O(1) per move, and confirms a pass before the search stops. */
    double full_every = (double) N > check ? (double) N : check, since_full = 0.0, nfull = 0.0;
    double tick = (double) ZH_BLOCK;
    /* One block of `check` moves at a time between GetRNGstate() and
     * PutRNGstate(): nothing there can jump out (no interrupt check, no R
     * error, no allocation), so an interrupt leaves .Random.seed at the
     * draws made. */
    while (!ok && nactive > 0 && moves < max_moves) {
        double before = moves;
        GetRNGstate();
        for (int b = 0; b < check; b++) {
            double T = t0 * exp(cool * fmod(moves, cycle));
            moves += 1.0;
            int v = active[draw(nactive)];
            const int *xv = z.x[v];
            int i = draw(N), j = draw(N), tries = 0;
            while (xv[j] == xv[i] && tries++ < 64) j = draw(N);
            if (xv[j] == xv[i]) continue;
            double d = move_delta(&z, v, i, j);
            if (d <= 0.0 || unif_rand() < exp(-d / T)) {
                move_apply(&z, v, i, j);
                accepted += 1.0;
            }
        }
        PutRNGstate();
        since_full += moves - before;
        if (since_full >= full_every) {
            recompute(&z);
            since_full = 0.0;
            nfull++;
        }
        ok = passes(&z);
        if (ok && since_full > 0.0) {
            recompute(&z);
            since_full = 0.0;
            nfull++;
            ok = passes(&z);
        }
        R_CheckUserInterrupt();
        if (progress != R_NilValue && moves >= tick) {
            tick = moves + (double) ZH_BLOCK;
            SEXP call = PROTECT(Rf_lang2(progress, PROTECT(Rf_ScalarReal(moves))));
            Rf_eval(call, R_GlobalEnv);
            UNPROTECT(2);
        }
    }

    const char *nm[] = {"codes", "moves", "accepted", "passed", "objective", "recomputes", ""};
    SEXP out = PROTECT(Rf_mkNamed(VECSXP, nm));
    SEXP newcodes = PROTECT(Rf_allocVector(VECSXP, z.nvar));
    for (int v = 0; v < z.nvar; v++) {
        SEXP cv = Rf_allocVector(INTSXP, N);
        SET_VECTOR_ELT(newcodes, v, cv);
        int *dst = INTEGER(cv);
        for (int i = 0; i < N; i++) dst[i] = z.x[v][i] + 1;
    }
    SET_VECTOR_ELT(out, 0, newcodes);
    SET_VECTOR_ELT(out, 1, Rf_ScalarReal(moves));
    SET_VECTOR_ELT(out, 2, Rf_ScalarReal(accepted));
    SET_VECTOR_ELT(out, 3, Rf_ScalarLogical(ok));
    SET_VECTOR_ELT(out, 4, Rf_ScalarReal(z.obj));
    SET_VECTOR_ELT(out, 5, Rf_ScalarReal(nfull));
    UNPROTECT(2);
    return out;
}
