/* The word-at-a-time count of association.c, once per instruction set:
 * association.c includes this file with ZH_ISA (the suffix of the names),
 * ZH_TARGET, ZH_NACC (the type of the NA counter) and ZH_NACC_ZERO defined,
 * after word_masks_ISA(), nacc_sum_ISA() and and_count_ISA(). (The same
 * way base R includes its qsort body for each type.) */
#define ZH_GLUE2(a, b) a##_##b
#define ZH_GLUE(a, b) ZH_GLUE2(a, b)
#define ZH_FN(name) ZH_GLUE(name, ZH_ISA)

/* Masks of words 0..nw-1 of one column with ncat categories: category j of
 * sub-block s at m[(s * ncat + j) * ZH_SW + w], the words past nw of the last
 * sub-block zero. Returns the number of codes outside 1..ncat that are not
 * NA. The codes a sub-block ahead, up to x_end, are fetched into the cache
 * meanwhile: the counting waits on memory less often (about a quarter
 * faster on 50 columns of 1e6 rows). */
ZH_TARGET static R_xlen_t ZH_FN(column_masks)(const int *x, R_xlen_t nw, int ncat, uint64_t *m,
                                              const int *x_end)
{
    ZH_NACC nacc = ZH_NACC_ZERO;
    R_xlen_t valid = 0;
    for (R_xlen_t s = 0; s * ZH_SW < nw; s++) {
        int ws = nw - s * ZH_SW < ZH_SW ? (int) (nw - s * ZH_SW) : ZH_SW;
        uint64_t *ms = m + (size_t) s * ncat * ZH_SW;
        for (int w = 0; w < ws; w++) {
            const int *p = x + 64 * (s * ZH_SW + w);
            if (x_end - p > ZH_AHEAD + 64)
                for (int line = 0; line < 4; line++) __builtin_prefetch(p + ZH_AHEAD + 16 * line);
            valid += ZH_FN(word_masks)(p, ncat, ms + w, &nacc);
        }
        for (int j = 0; j < ncat; j++)
            for (int w = ws; w < ZH_SW; w++) ms[(size_t) j * ZH_SW + w] = 0;
    }
    return 64 * nw - valid - ZH_FN(nacc_sum)(nacc);
}

/* Counts words 0..nw-1 of factor x (nr categories) against the outcome
 * masks om (nc categories) into tab, the 32-bit table of count_block_int():
 * the cells, the cases left out in the missing slot, codes outside the
 * factor's categories in its bad slot. xm: ZH_SW * nr words of scratch. */
ZH_TARGET static void ZH_FN(count_words)(const int *x, R_xlen_t nw, const uint64_t *om, int nr,
                                         int nc, int *restrict tab, uint64_t *restrict xm)
{
    const size_t stride = (size_t) nr + 2;
    R_xlen_t pairs = 0, bad = 0;
    for (R_xlen_t s = 0; s * ZH_SW < nw; s++) {
        R_xlen_t w0 = s * ZH_SW, ws = nw - w0 < ZH_SW ? nw - w0 : ZH_SW;
        bad += ZH_FN(column_masks)(x + 64 * w0, ws, nr, xm, x + 64 * nw);
        const uint64_t *os = om + (size_t) s * nc * ZH_SW;
        for (int j = 0; j < nc; j++)
            for (int i = 0; i < nr; i++) {
                R_xlen_t c = ZH_FN(and_count)(xm + (size_t) i * ZH_SW, os + (size_t) j * ZH_SW);
                tab[i + j * stride] += (int) c;
                pairs += c;
            }
    }
    tab[nr + 1] += (int) bad;
    tab[nr + nc * stride] += (int) (64 * nw - pairs - bad);
}

#undef ZH_FN
#undef ZH_GLUE
#undef ZH_GLUE2
