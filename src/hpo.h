/* hpo.h -- Human Phenotype Ontology: terms, disease and gene annotations,
 * patient profiles and phenotype similarity (see README "Phenotypes"). */
#ifndef GS_HPO_H
#define GS_HPO_H

#include <htslib/kstring.h>

typedef struct gs_hpo gs_hpo_t;

/** Load an HPO release from DIR: hp.obo or hp.json, phenotype.hpoa and
 * genes_to_phenotype.txt (or genes_to_disease.txt), each optionally .gz.
 * NULL and a one-line message in err on failure. */
gs_hpo_t *gs_hpo_load(const char *dir, kstring_t *err);
void gs_hpo_free(gs_hpo_t *h);
/** Release date / version string ("2023-01-27"), or "unknown". */
const char *gs_hpo_version(const gs_hpo_t *h);

/** Term index of "HP:0001234" (alternative ids and obsolete terms with a
 * replacement resolve to the current term); -1 unknown, -2 not an HP id. */
int gs_hpo_term(const gs_hpo_t *h, const char *id);
const char *gs_hpo_term_id(const gs_hpo_t *h, int t);
const char *gs_hpo_term_name(const gs_hpo_t *h, int t);
int gs_hpo_nterms(const gs_hpo_t *h);

int gs_hpo_ngenes(const gs_hpo_t *h);
const char *gs_hpo_gene_name(const gs_hpo_t *h, int g);
/** Gene index by symbol, -1 when the gene has no disease annotation. */
int gs_hpo_gene(const gs_hpo_t *h, const char *symbol);
/** Modes of inheritance of gene g's diseases (phenotype.hpoa aspect I), as
 * GS_MOI_* bits: their union; 0 when none is given or one of them is a mode
 * that rules nothing out (sporadic, multifactorial, ...). */
unsigned gs_hpo_gene_moi(const gs_hpo_t *h, int g);
const char *gs_hpo_disease_id(const gs_hpo_t *h, int d);
const char *gs_hpo_disease_name(const gs_hpo_t *h, int d);

/* ---- patients ---- */
typedef struct gs_hpo_profile {
    char *id;                   /* patient / sample id */
    int *obs, nobs, *exc, nexc; /* term indexes (resolved, deduplicated) */
    char *vcf;                  /* phenopacket files[]: the VCF, or NULL */
    char *vcf_sample;           /* the subject's column name in that VCF */
    char **unknown; int nunknown; /* terms not in this release (reported once) */
    int from_table;             /* a row of a table shared by many runs: absent samples are fine */
} gs_hpo_profile_t;

/** Parse "HP:1,HP:2,!HP:3" (! or - = excluded). Unknown terms are listed in
 * p->unknown, not fatal; malformed ids are (0 ok, -1 err). */
int gs_hpo_profile_parse(const gs_hpo_t *h, const char *terms, gs_hpo_profile_t *p, kstring_t *err);
/** A GA4GH Phenopacket v2 JSON file. */
int gs_hpo_profile_phenopacket(const gs_hpo_t *h, const char *path, gs_hpo_profile_t *p, kstring_t *err);
/** sample<TAB>observed terms[<TAB>excluded terms] lines ('#' comments). */
int gs_hpo_profile_table(const gs_hpo_t *h, const char *path, gs_hpo_profile_t **ps, int *n, kstring_t *err);
void gs_hpo_profile_free(gs_hpo_profile_t *p);

/** Similarity of two patients: the mean of both directions' average best
 * Resnik match (0 when either has no terms). */
double gs_hpo_profile_sim(const gs_hpo_t *h, const gs_hpo_profile_t *a, const gs_hpo_profile_t *b);

/* ---- scoring ---- */
typedef struct gs_pheno_gene {
    double score;               /* similarity of the gene's best disease (higher = better) */
    double tiebreak;            /* gene-level similarity over all its diseases */
    int disease;                /* best disease, -1 none */
} gs_pheno_gene_t;

typedef struct gs_pheno gs_pheno_t;
/** Score every annotated gene for one patient. Thread-safe on a shared h. */
gs_pheno_t *gs_pheno_score(const gs_hpo_t *h, const gs_hpo_profile_t *p);
const gs_pheno_gene_t *gs_pheno_genes(const gs_pheno_t *s);
/** Rank of gene g among all annotated genes (1 = best; ties share the worst
 * rank of their group), or 0 when the gene has no annotation. */
int gs_pheno_rank(const gs_pheno_t *s, int g);
/** Genes sorted best first (indexes), n = gs_hpo_ngenes. */
const int *gs_pheno_order(const gs_pheno_t *s);
/** Patient term -> best disease term pairs of disease d, "HP:a>HP:b;..."
 * (names too when with_names: "HP:a Name>HP:b Name"). */
void gs_pheno_matches(const gs_pheno_t *s, int d, int with_names, kstring_t *out);
/** Per pair: patient term, disease term, shared ancestor (indexes), for JSON. */
int gs_pheno_match_pairs(const gs_pheno_t *s, int d, int *pt, int *dt, int *mica, int max);
void gs_pheno_free(gs_pheno_t *s);

#endif
