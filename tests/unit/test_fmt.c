/* test_fmt.c -- gs_kfmt (and its %.Nf) and gs_kput_g6 write what snprintf
 * writes: the writers' own formats on values from the outputs' ranges, ties
 * and near-ties of the rounding (0.125, 2.675, 1.005, ...), signed zeros,
 * huge values, NaN and infinities, and a seeded sweep of random values. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "fmt.h"

static char want[4096];

#define SAME(fmt, ...)                                                                     \
    do {                                                                                   \
        kstring_t got_ = KS_INITIALIZE;                                                    \
        kputs("<", &got_);                                                                 \
        cr_assert_eq(gs_kfmt(&got_, fmt, __VA_ARGS__), 0);                                 \
        snprintf(want, sizeof want, "<" fmt, __VA_ARGS__);                                 \
        cr_assert_str_eq(got_.s, want, "format \"%s\"", fmt);                              \
        ks_free(&got_);                                                                    \
    } while (0)

/* gs_kput_g6 against snprintf's %.6g */
static void same_g6(double v)
{
    kstring_t g = KS_INITIALIZE;
    cr_assert_eq(gs_kput_g6(v, &g), 0);
    snprintf(want, sizeof want, "%.6g", v);
    cr_assert_str_eq(g.s, want, "%%.6g of %.17g", v);
    ks_free(&g);
}

static const double specials[] = {0.0, -0.0, 0.5, -0.5, 1.5, 2.5, 0.125, 0.375, 2.675, 1.005, 1.015, 0.045,
                                  9.995, 99.995, 0.0001, 0.00012345, 1e-5, 1e-7, 123456.0, 1234567.0, 999999.5,
                                  1e15, 1e22, -3.75, 6.5, 3.8, 0.05, 0.15, 0.25, 0.35, 1e300, 4294967296.5};

Test(fmt, fixed_and_g6_against_snprintf)
{
    for (size_t i = 0; i < sizeof specials / sizeof *specials; i++) {
        double v = specials[i];
        SAME("%.2f", v);
        SAME("%.1f", v);
        SAME("%.3f", v);
        SAME("%.4f", v);
        SAME("%+.2f", v);
        SAME("%.0f", v);
        SAME("%.3g", v);
        SAME("%g", v);
        same_g6(v);
    }
    SAME("%.2f|%.2f|%.2f", NAN, INFINITY, -INFINITY);
    same_g6(NAN);
    same_g6(-INFINITY);
}

Test(fmt, random_values)
{
    uint64_t x = 88172645463325252ull; /* xorshift, seeded */
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double u = (double)(x >> 11) / 9007199254740992.0;
        double v;
        switch (i % 4) {
        case 0: v = (u - 0.5) * 20; break;                     /* scores */
        case 1: v = pow(10, -8 * u);  break;                   /* frequencies */
        case 2: v = round((u - 0.5) * 2000) / 100 + 0.005; break; /* ties of %.2f, as decimals */
        default: v = round(u * 1e6) / 1e4; break;              /* 4-decimal values (JSON) */
        }
        SAME("%.2f", v);
        SAME("%.1f", v);
        SAME("%+.2f", v);
        SAME("%.3f", v);
        same_g6(v);
    }
}

Test(fmt, other_conversions)
{
    SAME("%s:%lld:%s:%s", "chr1", (long long)123456789012, "A", "<DEL>");
    SAME("%d %ld %lld %u %llu", -2147483647 - 1, -5L, -9223372036854775807LL - 1, 4294967295u, 18446744073709551615ull);
    SAME("[%5d|%-5d|%05d|%+d|%x|%X|%04X|%o]", 42, 42, 42, 42, 255, 255, 31, 8);
    SAME("[%10s|%-10s|%.3s|%c|%%|%5.1f|%-8.3f|%08.2f]", "ab", "cd", "abcdef", 'z', 3.14159, 2.5, -1.25);
    SAME("%*d|%.*f|%zu|%hhd|%hu", 6, 7, 3, 1.23456, (size_t)99, (signed char)-3, (unsigned short)65535);
    SAME("%e %E %G %a", 12345.678, 0.000123, 1e-10, 1.0);
    SAME("%s", "a long one: 0123456789012345678901234567890123456789012345678901234567890123456789"
                 "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
                 "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
                 "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
                 "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
                 "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789");
    SAME("%600s|", "padded past the local buffer");
    SAME("no conversion at all%s", "");
    /* * values printf reads in its own way: a negative precision is none, a negative width is "-" */
    SAME("%.*f|%.*s|%*d|%*s|%-*d|", -1, 3.25, -3, "abcdef", -5, 42, -4, "ab", 3, 7);
    SAME("%ls|%lc|%5ls|", L"wide", (wint_t)L'w', L"ab");
    /* %m: errno's text, as of the call */
    errno = ENOENT;
    kstring_t m = KS_INITIALIZE;
    cr_assert_eq(gs_kfmt(&m, "[%m|%d]", 5), 0);
    snprintf(want, sizeof want, "[%s|5]", strerror(ENOENT));
    cr_assert_str_eq(m.s, want);
    ks_free(&m);
}
