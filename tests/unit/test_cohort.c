/* The cohort statistics: the Poisson-binomial upper tail and Benjamini-Hochberg. */
#include <math.h>
#include <stdlib.h>
#include <criterion/criterion.h>
#include "cohort.h"

/* P(K >= k) by enumerating all 2^n outcomes: the definition, independent of the DP */
static double brute_tail(const double *p, int n, int k)
{
    double tot = 0;
    for (unsigned m = 0; m < 1u << n; m++) {
        double pr = 1;
        int c = 0;
        for (int i = 0; i < n; i++) {
            int on = (m >> i) & 1;
            c += on;
            pr *= on ? p[i] : 1 - p[i];
        }
        if (c >= k) tot += pr;
    }
    return tot;
}

static int close_rel(double a, double b, double rel) { return fabs(a - b) <= rel * fmax(fabs(a), fabs(b)) + 1e-300; }

Test(pbinom, edges)
{
    double p[3] = {0.1, 0.2, 0.3};
    cr_assert_eq(gs_pbinom_upper(p, 3, 0), 1.0);
    cr_assert_eq(gs_pbinom_upper(p, 3, -1), 1.0);
    cr_assert_eq(gs_pbinom_upper(p, 3, 4), 0.0);
    cr_assert(close_rel(gs_pbinom_upper(p, 3, 3), 0.1 * 0.2 * 0.3, 1e-12));
    cr_assert(close_rel(gs_pbinom_upper(p, 3, 1), 1 - 0.9 * 0.8 * 0.7, 1e-12));
    double z[4] = {0, 0.5, 0, 0};
    cr_assert_eq(gs_pbinom_upper(z, 4, 2), 0.0, "trials that cannot succeed add nothing");
    cr_assert(close_rel(gs_pbinom_upper(z, 4, 1), 0.5, 1e-12));
    double one[2] = {1, 1};
    cr_assert(close_rel(gs_pbinom_upper(one, 2, 2), 1.0, 1e-12));
    cr_assert_eq(gs_pbinom_upper(NULL, 0, 1), 0.0);
}

Test(pbinom, equal_probabilities_are_the_binomial)
{
    /* Binomial(10, 0.3): P(K >= 4) = 1 - sum_{j<4} C(10,j) .3^j .7^(10-j) */
    double p[10];
    for (int i = 0; i < 10; i++) p[i] = 0.3;
    double below = 0, c = 1;
    for (int j = 0; j < 4; j++) {
        below += c * pow(0.3, j) * pow(0.7, 10 - j);
        c = c * (10 - j) / (j + 1);
    }
    cr_assert(close_rel(gs_pbinom_upper(p, 10, 4), 1 - below, 1e-12), "%.17g vs %.17g", gs_pbinom_upper(p, 10, 4), 1 - below);
}

Test(pbinom, matches_enumeration_on_random_cases)
{
    srand(7);
    for (int rep = 0; rep < 200; rep++) {
        int n = 1 + rand() % 12;
        double p[12];
        for (int i = 0; i < n; i++) p[i] = (rand() % 4 == 0) ? 0 : pow((double)rand() / RAND_MAX, 3);
        for (int k = 0; k <= n + 1; k++) {
            double a = gs_pbinom_upper(p, n, k), b = brute_tail(p, n, k);
            cr_assert(close_rel(a, b, 1e-9), "n=%d k=%d: %.17g vs %.17g", n, k, a, b);
        }
    }
}

Test(pbinom, tiny_tails_keep_their_precision)
{
    /* 1 - P(K < k) would round to 0; the DP never subtracts */
    double p[20];
    for (int i = 0; i < 20; i++) p[i] = 1e-6;
    cr_assert(close_rel(gs_pbinom_upper(p, 20, 20), 1e-120, 1e-9));
    /* P(K >= 3) ~ C(20,3) 1e-18 */
    cr_assert(close_rel(gs_pbinom_upper(p, 20, 3), 1140e-18, 1e-4), "%g", gs_pbinom_upper(p, 20, 3));
}

Test(pbinom, a_thousand_families)
{
    double *p = malloc(1000 * sizeof(double));
    for (int i = 0; i < 1000; i++) p[i] = 0.001 + 0.002 * (i % 7) / 6; /* mean 0.002 */
    double prev = 1;
    for (int k = 0; k <= 12; k++) {
        double t = gs_pbinom_upper(p, 1000, k);
        cr_assert(t <= prev && t >= 0 && t <= 1, "monotone in k");
        prev = t;
    }
    /* close to Poisson(2) here: P(K >= 5) = 0.0527 */
    cr_assert(fabs(gs_pbinom_upper(p, 1000, 5) - 0.0527) < 0.002, "%g", gs_pbinom_upper(p, 1000, 5));
    free(p);
}

Test(bh, matches_r_p_adjust)
{
    /* R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") = 0.02 0.04 0.04 0.02 */
    double p[4] = {0.01, 0.04, 0.03, 0.005}, q[4];
    gs_bh_adjust(p, 4, q);
    double want[4] = {0.02, 0.04, 0.04, 0.02};
    for (int i = 0; i < 4; i++) cr_assert(close_rel(q[i], want[i], 1e-12), "q[%d] = %g", i, q[i]);
    /* R: p.adjust(c(0.2, 0.9, 0.01, 0.01, 0.5), "BH") = 0.3333 0.9 0.025 0.025 0.625 */
    double p2[5] = {0.2, 0.9, 0.01, 0.01, 0.5}, q2[5], w2[5] = {0.2 * 5 / 3, 0.9, 0.025, 0.025, 0.625};
    gs_bh_adjust(p2, 5, q2);
    for (int i = 0; i < 5; i++) cr_assert(close_rel(q2[i], w2[i], 1e-12), "q2[%d] = %g", i, q2[i]);
}

Test(bh, bounded_and_monotone)
{
    srand(3);
    int n = 500;
    double *p = malloc(n * sizeof(double)), *q = malloc(n * sizeof(double));
    for (int i = 0; i < n; i++) p[i] = i % 10 == 0 ? 1 : (double)rand() / RAND_MAX;
    gs_bh_adjust(p, n, q);
    for (int i = 0; i < n; i++) {
        cr_assert(q[i] >= p[i] && q[i] <= 1, "p %g q %g", p[i], q[i]);
        for (int j = 0; j < n; j += 37)
            if (p[j] < p[i]) cr_assert(q[j] <= q[i], "a smaller p never gets a larger q");
    }
    gs_bh_adjust(p, 0, q); /* nothing to adjust: no crash */
    free(p);
    free(q);
}

Test(hitprob, single_pair_and_both)
{
    /* single-allele hits only: 1 - e^{-rL} */
    cr_assert(close_rel(gs_hit_prob(2e-4, 0, 1000), 1 - exp(-0.2), 1e-12));
    /* compound heterozygotes only: (1 - e^{-aL})^2 */
    cr_assert(close_rel(gs_hit_prob(0, 3e-4, 1000), (1 - exp(-0.3)) * (1 - exp(-0.3)), 1e-12));
    /* both: not hit = neither a single allele nor a pair */
    double miss = exp(-0.2) * (1 - (1 - exp(-0.3)) * (1 - exp(-0.3)));
    cr_assert(close_rel(gs_hit_prob(2e-4, 3e-4, 1000), 1 - miss, 1e-12));
    cr_assert_eq(gs_hit_prob(0, 0, 1000), 0.0);
    /* tiny probabilities keep their precision (no 1 - (1 - x)) */
    cr_assert(close_rel(gs_hit_prob(1e-15, 0, 1000), 1e-12, 1e-9), "%g", gs_hit_prob(1e-15, 0, 1000));
    cr_assert(close_rel(gs_hit_prob(0, 1e-12, 1000), 1e-18, 1e-6), "%g", gs_hit_prob(0, 1e-12, 1000));
    /* a pair is much rarer than a single allele in a short gene, relatively commoner in a long one */
    cr_assert(gs_hit_prob(0, 1e-5, 100000) / gs_hit_prob(0, 1e-5, 1000) > 50 * 50);
}

Test(pairrate, equal_lengths_closed_form)
{
    /* n genes of length L: n (1 - e^{-aL})^2 = m, so a = -ln(1 - sqrt(m / n)) / L */
    double len[200];
    for (int i = 0; i < 200; i++) len[i] = 2500;
    for (int m = 1; m < 200; m += 37) {
        double a = gs_pair_rate(len, 200, m), want = -log(1 - sqrt(m / 200.0)) / 2500;
        cr_assert(close_rel(a, want, 1e-9), "m=%d: %.17g vs %.17g", m, a, want);
    }
    cr_assert_eq(gs_pair_rate(len, 200, 0), 0.0);
    cr_assert(isinf(gs_pair_rate(len, 200, 200)));
}

Test(pairrate, mixed_lengths_give_the_count)
{
    /* lengths from 300 bp to 100 kb: the expected number of pairs at a equals m */
    double len[500];
    for (int i = 0; i < 500; i++) len[i] = 300 * pow(1.0117, i);
    for (int m = 1; m <= 64; m *= 4) {
        double a = gs_pair_rate(len, 500, m), s = 0;
        for (int i = 0; i < 500; i++) s += (1 - exp(-a * len[i])) * (1 - exp(-a * len[i]));
        cr_assert(close_rel(s, m, 1e-9), "m=%d: sum %.17g", m, s);
        /* the longest gene takes far more than its share of the length */
        double L = 0;
        for (int i = 0; i < 500; i++) L += len[i];
        cr_assert(gs_hit_prob(0, a, len[499]) > m * len[499] / L);
    }
}
