/* cohort.h -- genes with candidates in several unrelated families (`genesieve cohort`). */
#ifndef GS_COHORT_H
#define GS_COHORT_H

#include <htslib/kstring.h>

typedef struct gs_cohort_opts {
    const char *outdir;
    const char *ped;           /* families from this PED instead of the ones the results record */
    const char *gene_lengths;  /* NULL: the built-in table (data/gene_lengths.hg19.tsv) */
    char **inputs;             /* <sample>.genes.json, directories of them, run --partial files */
    int ninput;
    int min_families;          /* genes listed in the table (all genes hit are tested) */
    int top;                   /* count only each patient's N best-ranked genes (0: all) */
    int max_var_fams;          /* variants in more families support no hit (0: no filter; -1: 5 % of the families, at least 3) */
    unsigned tests;            /* classes of hits tested apart (bits: any, de_novo, recessive, high_impact) */
    int force, quiet;
    const char *hpo_data;      /* HPO release for phenotype coherence (NULL: none) */
    const char *hpo_table;     /* patients' terms (besides those the results carry) */
    char **packets; int npk;   /* phenopackets naming patients' terms */
} gs_cohort_opts_t;

#define GS_COHORT_DEFAULT_TESTS "any,de_novo,recessive,de_novo_high,recessive_high"
/** "any,de_novo,..." to a tests mask. */
int gs_cohort_parse_tests(const char *list, unsigned *mask, kstring_t *err);

/** Read the inputs and write DIR/cohort.genes.{tsv,json} and cohort.html; returns the exit status. */
int gs_cohort(const gs_cohort_opts_t *o);

/** P(K >= k) for K the number of successes among n independent trials with
 * success probabilities p[0..n-1] (Poisson-binomial), exactly, by dynamic
 * programming over the trials (O(n k); no subtraction, so small tails keep
 * their precision). */
double gs_pbinom_upper(const double *p, int n, int k);

/** Probability that a gene of length len is hit by chance in a family:
 * single-allele hits at rate r per bp, 1 - e^{-r len}, or a compound
 * heterozygote, (1 - e^{-a len})^2 (an allele from each parent, each at rate a). */
double gs_hit_prob(double r, double a, double len);

/** The allele rate a at which n genes of lengths len[] hold m compound
 * heterozygotes on average: sum_g (1 - e^{-a L_g})^2 = m (0 for m = 0,
 * infinity for m >= n). */
double gs_pair_rate(const double *len, int n, int m);

/** Benjamini-Hochberg adjusted p-values: q[i] for p[i], in [0, 1]. */
void gs_bh_adjust(const double *p, int n, double *q);

#endif
