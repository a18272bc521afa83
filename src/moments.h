/* Weighted moments in one pass (src/describe.c), shared by describe()
 * (src/describe.c) and means_table() (src/means.c). */
#ifndef ZH_MOMENTS_H
#define ZH_MOMENTS_H

#include <Rinternals.h>

/* Central moments of a set of cases: weight, cases, mean = base + off
 * (base a data value), M2, M3, M4 about the mean, min, max. */
typedef struct {
    double w, n, base, off, m2, m3, m4, min, max;
} zh_mom;

/* Power sums of one block, per group, about its first value c. */
typedef struct {
    double c, s0, s1, s2, s3, s4, n, min, max;
} zh_psum;

/* Percentile brackets of describe() (private to src/describe.c). */
typedef struct zh_brackets zh_brackets;

/* The columns of zh_mom_out: W, cases, mean, M2, M3, M4, min, max. */
#define ZH_NMOM 8

void zh_mom_init(zh_mom *a);
void zh_mom_merge(zh_mom *a, const zh_mom *b);
R_xlen_t zh_mom_pass(const double *x, const double *w, const int *g, int K, R_xlen_t n,
                     zh_mom *acc, double *miss, zh_psum *ps, int *touched, int interrupt,
                     zh_brackets *br);
void zh_mom_out(const zh_mom *a, double *out, R_xlen_t stride);

#endif
