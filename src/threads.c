/* How many OpenMP threads an engine may use. libgomp's thread pool does not
 * survive fork(): a forked child (parallel::mclapply, mcparallel) that opens
 * a parallel region of more than one thread after the parent has run one
 * waits forever in a barrier. The child therefore runs on one thread (a
 * pthread_atfork handler marks it), as data.table does. The OpenMP limits of
 * the environment (OMP_THREAD_LIMIT, OMP_NUM_THREADS) cap the option. */
#include "zhetysu.h"
#include <stdlib.h>

#if defined(_OPENMP) && !defined(_WIN32)
#include <pthread.h>
#define ZH_ATFORK 1
#endif

static int in_forked_child = 0;

#ifdef ZH_ATFORK
static void mark_child(void) { in_forked_child = 1; }
#endif

void zh_threads_init(void)
{
#ifdef ZH_ATFORK
    pthread_atfork(NULL, NULL, mark_child);
#endif
}

/* The first number of a comma-separated OMP_NUM_THREADS, 0 when unset or
 * unreadable. */
static int env_threads(const char *name)
{
    const char *s = getenv(name);
    if (s == NULL) return 0;
    char *end;
    long v = strtol(s, &end, 10);
    return end != s && v >= 1 && v < 1L << 20 ? (int) v : 0;
}

int zh_nthreads(SEXP threads)
{
    int n = Rf_asInteger(threads);
    if (n == NA_INTEGER || n < 1) n = 1;
#ifdef _OPENMP
    if (in_forked_child) return 1;
    int cap = omp_get_num_procs();
    int lim = omp_get_thread_limit(); /* OMP_THREAD_LIMIT */
    if (lim >= 1 && lim < cap) cap = lim;
    int env = env_threads("OMP_NUM_THREADS");
    if (env >= 1 && env < cap) cap = env;
    if (n > cap) n = cap;
#else
    n = 1;
#endif
    return n;
}

/* The number zh_nthreads() gives for a request of n threads (tests). */
SEXP zh_threads_used(SEXP n)
{
    return Rf_ScalarInteger(zh_nthreads(n));
}
