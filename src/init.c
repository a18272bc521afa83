#include "zhetysu.h"
#include <R_ext/Rdynload.h>

static const R_CallMethodDef call_methods[] = {
    {"zh_count_kway", (DL_FUNC) &zh_count_kway, 5},
    {"zh_tables_stats", (DL_FUNC) &zh_tables_stats, 5},
    {"zh_cor_pearson", (DL_FUNC) &zh_cor_pearson, 3},
    {"zh_cor_rank", (DL_FUNC) &zh_cor_rank, 5},
    {"zh_association_count", (DL_FUNC) &zh_association_count, 7},
    {"zh_synthesize", (DL_FUNC) &zh_synthesize, 7},
    {"zh_fisher_rxc", (DL_FUNC) &zh_fisher_rxc, 4},
    {"zh_small_codes", (DL_FUNC) &zh_small_codes, 2},
    {"zh_all_missing", (DL_FUNC) &zh_all_missing, 1},
    {"zh_design_totals", (DL_FUNC) &zh_design_totals, 6},
    {"zh_design_sums", (DL_FUNC) &zh_design_sums, 5},
    {"zh_describe_cols", (DL_FUNC) &zh_describe_cols, 7},
    {"zh_means_groups", (DL_FUNC) &zh_means_groups, 4},
    {"zh_threads_used", (DL_FUNC) &zh_threads_used, 1},
    {NULL, NULL, 0}
};

void R_init_zhetysu(DllInfo *dll)
{
    R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
    R_useDynamicSymbols(dll, FALSE);
    R_forceSymbols(dll, TRUE);
    zh_threads_init();
}
