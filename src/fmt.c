/* fmt.c -- printf-style formatting into a kstring_t (see fmt.h).
 *
 * A conversion is written here when its text is certain: %s, %c, integers,
 * and %.Nf when the value times 10^N is far enough from a rounding tie that
 * printf's exact decimal expansion cannot round it another way; anything else
 * (widths, other flags, %g, %e, values near a tie, huge values) is handed to
 * snprintf, one conversion at a time. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <wchar.h>
#include "fmt.h"

static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

static int put_u64(uint64_t x, kstring_t *s)
{
    char b[24], *p = b + sizeof b;
    do *--p = '0' + x % 10; while (x /= 10);
    return kputsn(p, b + sizeof b - p, s) < 0 ? -1 : 0;
}

/* the integer k written with `prec` decimals: k / 10^prec "." k % 10^prec */
static int put_scaled(uint64_t k, int prec, kstring_t *s)
{
    uint64_t scale = (uint64_t)p10[prec];
    if (put_u64(k / scale, s) < 0) return -1;
    if (!prec) return 0;
    char b[16];
    uint64_t f = k % scale;
    for (int i = prec - 1; i >= 0; i--, f /= 10) b[i] = '0' + f % 10;
    b[prec] = 0;
    return kputc('.', s) < 0 || kputsn(b, prec, s) < 0 ? -1 : 0;
}

static int fallback_double(const char *spec, double v, kstring_t *s)
{
    char b[512];
    int n = snprintf(b, sizeof b, spec, v);
    if (n < 0) return -1;
    if ((size_t)n < sizeof b) return kputsn(b, n, s) < 0 ? -1 : 0;
    if (ks_resize(s, s->l + n + 1) < 0) return -1;
    snprintf(s->s + s->l, n + 1, spec, v);
    s->l += n;
    return 0;
}

/* "%.{prec}f" (with '+' for a non-negative value when plus), as printf writes it */
static int kput_fixed(double v, int prec, int plus, kstring_t *s)
{
    double a = fabs(v);
    if (prec >= 0 && prec <= 9) {
        double y = a * p10[prec];
        /* below 2^32 the product is within 2^-21 of the exact one: a fraction
         * 1e-6 or more from one half rounds as the exact value does */
        if (y < 4294967296.0) {
            double fl = floor(y), fr = y - fl;
            if (fabs(fr - 0.5) >= 1e-6) {
                if (signbit(v) ? kputc('-', s) < 0 : plus && kputc('+', s) < 0) return -1;
                return put_scaled((uint64_t)fl + (fr > 0.5), prec, s);
            }
        }
    }
    char spec[16];
    snprintf(spec, sizeof spec, plus ? "%%+.%df" : "%%.%df", prec);
    return fallback_double(spec, v, s);
}

int gs_kput_g6(double v, kstring_t *s)
{
    double a = fabs(v);
    if (a >= 1e-4 && a < 1e6) {
        /* the fewest decimals d with v the double nearest to k / 10^d: then
         * %.6g prints that decimal (when k has at most 6 digits), without
         * trailing zeros, in fixed notation (its exponent is in [-4, 6)) */
        for (int d = 0; d <= 9; d++) {
            double k = nearbyint(a * p10[d]);
            if (k >= 1e6) break;
            if (k / p10[d] == a) {
                if (signbit(v) && kputc('-', s) < 0) return -1;
                return put_scaled((uint64_t)k, d, s);
            }
        }
    }
    return fallback_double("%.6g", v, s);
}

/* the conversion q..c (q at its '%', c at its letter) for snprintf, with the
 * * values written in; spec_ll the same with the length modifier ll */
static void build_specs(const char *q, const char *c, int width, int prec, char *spec, char *spec_ll)
{
    int sl = 0, lstart = -1;
    spec[sl++] = '%';
    for (const char *f = q + 1; f < c && sl < 40; f++) {
        if (*f == '*' && f[-1] == '.' && prec < 0) sl--; /* a negative precision: as if none ('.' taken back) */
        else if (*f == '*') sl += snprintf(spec + sl, 16, "%d", f[-1] == '.' ? prec : width);
        else {
            if (lstart < 0 && strchr("hlzjtL", *f)) lstart = sl;
            spec[sl++] = *f;
        }
    }
    if (lstart < 0) lstart = sl;
    memcpy(spec_ll, spec, lstart);
    memcpy(spec_ll + lstart, "ll", 2);
    spec_ll[lstart + 2] = *c;
    spec_ll[lstart + 3] = 0;
    spec[sl++] = *c;
    spec[sl] = 0;
}

int gs_kfmt(kstring_t *s, const char *fmt, ...)
{
    int saved_errno = errno; /* for %m */
    va_list ap;
    va_start(ap, fmt);
    int ret = 0;
    const char *p = fmt;
    while (*p && !ret) {
        const char *q = strchr(p, '%');
        if (!q) {
            ret = kputs(p, s) < 0;
            break;
        }
        if (q > p && kputsn(p, q - p, s) < 0) { ret = 1; break; }
        /* the conversion: %[flags][width][.precision][length]conversion */
        const char *c = q + 1;
        int plus = 0, other_flags = 0, width = -1, prec = -1; /* width -1: none; a negative * width is "-" and its size */
        for (;; c++) {
            if (*c == '+') plus = 1;
            else if (*c == '-' || *c == ' ' || *c == '#' || *c == '0') other_flags = 1;
            else break;
        }
        if (*c == '*') { width = va_arg(ap, int); c++; if (width < 0) other_flags = 1; }
        else if (*c >= '0' && *c <= '9') { width = 0; while (*c >= '0' && *c <= '9') width = width * 10 + (*c++ - '0'); }
        if (*c == '.') {
            c++;
            if (*c == '*') { prec = va_arg(ap, int); c++; }
            else { prec = 0; while (*c >= '0' && *c <= '9') prec = prec * 10 + (*c++ - '0'); }
        }
        int len = 0; /* 0 int, 1 long, 2 long long, 3 size_t, 4 intmax_t, 5 ptrdiff_t, 6 long double, -1 char/short */
        if (*c == 'h') { len = -1; c++; if (*c == 'h') c++; }
        else if (*c == 'l') { len = 1; c++; if (*c == 'l') { len = 2; c++; } }
        else if (*c == 'z') { len = 3; c++; }
        else if (*c == 'j') { len = 4; c++; }
        else if (*c == 't') { len = 5; c++; }
        else if (*c == 'L') { len = 6; c++; }
        char conv = *c;
        if (!conv) { ret = kputsn(q, c - q, s) < 0; break; } /* a lone '%' at the end, as glibc leaves it */
        p = c + 1;
        int plain = !plus && !other_flags && width < 0;
        /* for snprintf (built when needed): the same conversion with the *
         * values written in; spec_ll with the length modifier made ll */
        char spec[64], spec_ll[72];
#define BUILD_SPECS() build_specs(q, c, width, prec, spec, spec_ll)
#define VIA_SNPRINTF(sp, x)                                                               \
    do {                                                                                  \
        BUILD_SPECS();                                                                    \
        int n_ = snprintf(NULL, 0, sp, x);                                                \
        if (n_ < 0 || ks_resize(s, s->l + n_ + 1) < 0) { ret = 1; break; }                \
        snprintf(s->s + s->l, n_ + 1, sp, x);                                             \
        s->l += n_;                                                                       \
    } while (0)
        switch (conv) {
        case '%':
            ret = kputc('%', s) < 0;
            break;
        case 's': {
            if (len == 1) { /* %ls */
                const wchar_t *w = va_arg(ap, const wchar_t *);
                VIA_SNPRINTF(spec, w);
                break;
            }
            const char *x = va_arg(ap, const char *);
            if (plain && prec < 0) ret = kputs(x ? x : "(null)", s) < 0;
            else VIA_SNPRINTF(spec, x);
            break;
        }
        case 'c': {
            if (len == 1) { /* %lc */
                wint_t w = va_arg(ap, wint_t);
                VIA_SNPRINTF(spec, w);
                break;
            }
            int x = va_arg(ap, int);
            if (plain) ret = kputc(x, s) < 0;
            else VIA_SNPRINTF(spec, x);
            break;
        }
        case 'd': case 'i': {
            long long x = len == 1 ? va_arg(ap, long) : len == 2 ? va_arg(ap, long long) : len == 3 ? va_arg(ap, ssize_t)
                        : len == 4 ? va_arg(ap, intmax_t) : len == 5 ? va_arg(ap, ptrdiff_t) : va_arg(ap, int);
            if (len == -1) VIA_SNPRINTF(spec, (int)x); /* hh / h: printf narrows it */
            else if (plain && prec < 0) ret = kputll(x, s) < 0;
            else VIA_SNPRINTF(spec_ll, x);
            break;
        }
        case 'u': case 'x': case 'X': case 'o': {
            unsigned long long x = len == 1 ? va_arg(ap, unsigned long) : len == 2 ? va_arg(ap, unsigned long long)
                                 : len == 3 ? va_arg(ap, size_t) : len == 4 ? va_arg(ap, uintmax_t)
                                 : len == 5 ? (unsigned long long)va_arg(ap, ptrdiff_t) : va_arg(ap, unsigned);
            if (len == -1) VIA_SNPRINTF(spec, (unsigned)x);
            else if (conv == 'u' && plain && prec < 0) ret = put_u64(x, s) < 0;
            else VIA_SNPRINTF(spec_ll, x);
            break;
        }
        case 'p': {
            void *x = va_arg(ap, void *);
            VIA_SNPRINTF(spec, x);
            break;
        }
        case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
            if (len == 6) {
                long double x = va_arg(ap, long double);
                VIA_SNPRINTF(spec, x);
            } else {
                double x = va_arg(ap, double);
                if (conv == 'f' && !other_flags && width < 0 && prec >= 0 && prec <= 9) ret = kput_fixed(x, prec, plus, s) < 0;
                else BUILD_SPECS(), ret = fallback_double(spec, x, s) < 0;
            }
            break;
        case 'm':
            ret = kputs(strerror(saved_errno), s) < 0;
            break;
        case 'n': /* the count so far is not kept: its argument is taken, nothing written */
            (void)va_arg(ap, void *);
            break;
        default: /* not a conversion printf knows: as written */
            ret = kputsn(q, p - q, s) < 0;
            break;
        }
#undef VIA_SNPRINTF
#undef BUILD_SPECS
    }
    va_end(ap);
    return ret ? -1 : 0;
}
