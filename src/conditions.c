/* Internal errors: a check in C that the R wrappers should have made
 * impossible. They are signalled through zh_internal_abort() in
 * R/conditions.R, so that they carry the package's condition classes
 * ("zhetysu_error_internal", "zhetysu_error") and say that they are a defect
 * of the package, not of the input. Never call this inside an OpenMP region
 * or between GetRNGstate() and PutRNGstate(). */
#include "zhetysu.h"
#include <stdarg.h>
#include <stdio.h>

void zh_internal_error(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    SEXP ns = PROTECT(R_FindNamespace(PROTECT(Rf_mkString("zhetysu"))));
    SEXP fn = PROTECT(Rf_findFun(Rf_install("zh_internal_abort"), ns));
    SEXP call = PROTECT(Rf_lang2(fn, PROTECT(Rf_mkString(msg))));
    Rf_eval(call, ns); /* does not return */
    UNPROTECT(5);
    Rf_error("internal error in zhetysu: %s", msg);
}
