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

/* The calling thread's number inside an OpenMP region (0 without OpenMP):
 * the index of its scratch. */
static inline int zh_thread_id(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

/* Long loops call R_CheckUserInterrupt() once per block of this many rows. */
#define ZH_BLOCK ((R_xlen_t) 1 << 20)

/* counts.c: the k-way count */
SEXP zh_count_kway(SEXP codes, SEXP nlev, SEXP nmiss, SEXP weights, SEXP threads);

/* crosstab.c: the statistics of a list of tables */
SEXP zh_tables_stats(SEXP tables, SEXP row_scores, SEXP col_scores, SEXP pairs, SEXP threads);

/* correlations.c */
SEXP zh_cor_pearson(SEXP cols, SEXP weights, SEXP threads);
SEXP zh_cor_rank(SEXP cols, SEXP ords, SEXP method, SEXP weights, SEXP threads);

/* association.c */
SEXP zh_association_count(SEXP outcome, SEXP factors, SEXP weights, SEXP levels, SEXP ncat,
                          SEXP threads, SEXP simd);

/* synthesize.c */
SEXP zh_synthesize(SEXP codes, SEXP scores, SEXP pairs, SEXP cors, SEXP rules, SEXP control,
                   SEXP progress);

/* fisher.c: r x c Fisher exact test (B = 0: exact p, NA past the work or
 * memory limit; B >= 1: the hits among B random tables) */
SEXP zh_fisher_rxc(SEXP table, SEXP B, SEXP work, SEXP progress);

/* columns.c */
SEXP zh_small_codes(SEXP x, SEXP max_range);
SEXP zh_all_missing(SEXP x);

/* design.c */
SEXP zh_design_totals(SEXP cell, SEXP w, SEXP unit, SEXP nunit, SEXP reps, SEXP ncell);
SEXP zh_design_sums(SEXP values, SEXP w, SEXP unit, SEXP nunit, SEXP reps);

/* describe.c: SPSS FREQUENCIES/DESCRIPTIVES statistics of many columns;
 * MEANS moments per group */
SEXP zh_describe_cols(SEXP cols, SEXP weights, SEXP pct, SEXP method, SEXP grouped,
                      SEXP want_mode, SEXP threads);
SEXP zh_means_groups(SEXP y, SEXP weights, SEXP groups, SEXP ngroups);

/* conditions.c: signals an error of class "zhetysu_error_internal" (a
 * check the R wrappers make impossible failed); printf-style, no return. */
void zh_internal_error(const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 1, 2), noreturn))
#endif
    ;

/* threads.c: the number of OpenMP threads an engine may use (1 in a forked
 * child); zh_threads_init() is called once from R_init_zhetysu. */
int zh_nthreads(SEXP threads);
void zh_threads_init(void);
SEXP zh_threads_used(SEXP n);

/* correlations.c: 2^-e with m in [2^(e-1), 2^e), the exact scaling that
 * keeps powers of data near 1e300 or 1e-300 in range */
double zh_pow2_inv(double m, int *e);

/* Every CROSSTABS statistic of one table, in fixed slots. The order of the
 * measures is the order of the `measures` data frame in R; new slots go at
 * the end so that the existing ones keep their numbers. */
enum {
    ZH_T_PEARSON, ZH_T_PEARSON_P, ZH_T_LR, ZH_T_LR_P, ZH_T_DF, ZH_T_LBL, ZH_T_LBL_P,
    ZH_T_YATES, ZH_T_YATES_P, ZH_T_FISHER_2, ZH_T_FISHER_1, ZH_T_FISHER_LESS,
    ZH_T_FISHER_GREATER, ZH_NTESTS
};
enum {
    ZH_M_PHI, ZH_M_V, ZH_M_CC, ZH_M_LAMBDA_S, ZH_M_LAMBDA_R, ZH_M_LAMBDA_C,
    ZH_M_GKTAU_R, ZH_M_GKTAU_C, ZH_M_UC_S, ZH_M_UC_R, ZH_M_UC_C, ZH_M_TAUB, ZH_M_TAUC,
    ZH_M_GAMMA, ZH_M_SOMERS_S, ZH_M_SOMERS_R, ZH_M_SOMERS_C, ZH_M_SPEARMAN, ZH_M_PEARSON,
    ZH_M_ETA_R, ZH_M_ETA_C, ZH_M_KAPPA, ZH_NMEASURES
};
/* Risk estimate of a 2 x 2 table: odds ratio, then the relative risks of
 * the two cohorts (columns 1 and 2). */
enum { ZH_R_ODDS, ZH_R_COHORT1, ZH_R_COHORT2, ZH_NRISK };
typedef struct {
    double n, min_expected;
    int cells_below5;
    double tests[ZH_NTESTS];
    double measures[4 * ZH_NMEASURES]; /* estimate, ase, t, p: column-major */
    double risk[3 * ZH_NRISK];          /* estimate, lower, upper (95%): column-major */
} zh_stats;

/* Scratch memory of the statistics, handed in by the caller (no allocation
 * inside, so that tables can be done in parallel with one workspace each). */
typedef struct {
    double *p;
    size_t used, size;
    int overflow; /* set by a request past the end (see zh_ws_take) */
} zh_ws;
size_t zh_stats_ws_size(int R, int C);  /* doubles one R x C table needs */
double *zh_ws_take(zh_ws *ws, size_t n);
int *zh_ws_take_int(zh_ws *ws, size_t n);

/* Fills s from a table f (R x C, column-major, no empty row or column) with
 * row scores X and column scores Y. Kappa needs to know which categories
 * pair up, which the table alone does not say: pair is NULL (kappa NA) or,
 * for a square table, row i's partner column pair[i] (0-based). A workspace
 * smaller than zh_stats_ws_size() sets ws->overflow, which the caller checks
 * (zh_tables_stats() runs the part without Rmath in OpenMP threads). */
void zh_table_stats(const double *f, int R, int C, const double *X, const double *Y,
                    const int *pair, zh_stats *s, zh_ws *ws);

#endif
