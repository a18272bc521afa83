/* The one internal header: every .Call entry point, and the few C helpers
 * that several engines share. src/init.c registers the entry points. */
#ifndef ZHETYSU_H
#define ZHETYSU_H

#define R_NO_REMAP
#include <R.h>
#include <Rinternals.h>

#ifdef _OPENMP
#include <omp.h>
#endif

/* Long loops call R_CheckUserInterrupt() once per block of this many rows. */
#define ZH_BLOCK ((R_xlen_t) 1 << 20)

/* crosstab.c */
SEXP zh_crosstab_count(SEXP row, SEXP col, SEXP weights, SEXP nrow, SEXP ncol, SEXP threads);
SEXP zh_crosstab_stats(SEXP table, SEXP row_scores, SEXP col_scores);

/* fisher.c: r x c Fisher exact test (B = 0: exact p, NA past the work limit;
 * B >= 1: Monte Carlo p) */
SEXP zh_fisher_rxc(SEXP table, SEXP B, SEXP work);

/* shared helpers (crosstab.c) */
int zh_nthreads(SEXP threads);

/* Every CROSSTABS statistic of one table, in fixed slots. The order of the
 * measures is the order of the `measures` data frame in R. */
enum {
    ZH_T_PEARSON, ZH_T_PEARSON_P, ZH_T_LR, ZH_T_LR_P, ZH_T_DF, ZH_T_LBL, ZH_T_LBL_P,
    ZH_T_YATES, ZH_T_YATES_P, ZH_T_FISHER_2, ZH_T_FISHER_1, ZH_T_FISHER_LESS,
    ZH_T_FISHER_GREATER, ZH_NTESTS
};
enum {
    ZH_M_PHI, ZH_M_V, ZH_M_CC, ZH_M_LAMBDA_S, ZH_M_LAMBDA_R, ZH_M_LAMBDA_C,
    ZH_M_GKTAU_R, ZH_M_GKTAU_C, ZH_M_UC_S, ZH_M_UC_R, ZH_M_UC_C, ZH_M_TAUB, ZH_M_TAUC,
    ZH_M_GAMMA, ZH_M_SOMERS_S, ZH_M_SOMERS_R, ZH_M_SOMERS_C, ZH_M_SPEARMAN, ZH_M_PEARSON,
    ZH_M_ETA_R, ZH_M_ETA_C, ZH_NMEASURES
};
typedef struct {
    double n, min_expected;
    int cells_below5;
    double tests[ZH_NTESTS];
    double measures[4 * ZH_NMEASURES]; /* estimate, ase, t, p: column-major */
} zh_stats;

/* Fills s from a table f (R x C, column-major, no empty row or column) with
 * row scores X and column scores Y. Scratch memory from R_alloc. */
void zh_table_stats(const double *f, int R, int C, const double *X, const double *Y, zh_stats *s);

#endif
