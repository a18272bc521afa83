/* Weighted moments in one pass (src/describe.c), shared by describe()
 * (src/describe.c) and means_table() (src/means.c). */
#ifndef ZH_MOMENTS_H
#define ZH_MOMENTS_H

#include <Rinternals.h>

/* Central moments of a set of cases: weight, cases, mean = base + off
 * (base a data value), v2, v3, v4 the central moments per unit of weight
 * of the values in units of 2^e (M_k / (W 2^(k e))), min, max. Per unit of
 * weight and in units of 2^e, so that neither values of 1e300 or 1e-300
 * nor weights of either size overflow or underflow them. */
typedef struct {
    double w, n, base, off, v2, v3, v4, min, max;
    int e;
} zh_mom;

/* Power sums of one block, per group, about its first value c: of the
 * weights times 2^-ew and the values times 2^-e (both 0 unless the block
 * needs them; maxabs, maxw and redo are scratch of that case). */
typedef struct {
    double c, s0, s1, s2, s3, s4, n, min, max, maxabs, maxw;
    int e, ew, redo;
} zh_psum;

/* Percentile brackets of describe() (private to src/describe.c). */
typedef struct zh_brackets zh_brackets;

/* The columns of zh_mom_out: W, cases, mean, v2, v3, v4, min, max, e. */
#define ZH_NMOM 9

void zh_mom_init(zh_mom *a);
void zh_mom_merge(zh_mom *a, const zh_mom *b);
R_xlen_t zh_mom_pass(const double *x, const double *w, const int *g, int K, R_xlen_t n,
                     zh_mom *acc, double *miss, zh_psum *ps, int *touched, int interrupt,
                     zh_brackets *br);
void zh_mom_out(const zh_mom *a, double *out, R_xlen_t stride);

#endif
