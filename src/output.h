/* output.h -- atomic output files, per-patient results and their writers. */
#ifndef GS_OUTPUT_H
#define GS_OUTPUT_H

#include <stdio.h>
#include <time.h>
#include "genesieve/genesieve.h"

/* An output written to a temporary file beside its final name and renamed
 * into place only when the whole run succeeded ("-" writes to stdout). */
typedef struct output_file output_file_t;
output_file_t *output_open(const char *path, kstring_t *err);
int  output_write(output_file_t *f, const char *s, size_t len);
/** Close and rename into place. */
int  output_commit(output_file_t *f, kstring_t *err);
/** Close and delete the temporary file. */
void output_abort(output_file_t *f);

/** Fails when DIR already holds results, unless force. */
int  gs_output_dir_check(const char *dir, int force, kstring_t *err);
/** Create DIR (and parents) if needed. */
int  gs_output_dir(const char *dir, kstring_t *err);
/** Outputs closed but not yet renamed wait here until the run succeeds. */
int  gs_outputs_commit(kstring_t *err);
void gs_outputs_abort(void);
/** Remove temporaries on SIGINT/SIGTERM. */
void gs_outputs_install_signal_handlers(void);

/* ---- per-patient results ---- */
typedef struct gs_result_var {
    const char *chrom;
    gs_call_t *fam;             /* calls of the patient's family (gs_results_members order) */
    int64_t pos;
    char *ref, *alt;
    const char *consequence;
    int severity;
    double af, score;
    uint8_t gt;
    uint16_t modes, possible;   /* gs_call_t.modes / .possible for this patient */
    uint8_t pair_conf;
    char *pair;                 /* comp het partner "CHROM:POS:REF:ALT", NULL none */
    int nhomalt;
    gs_evidence_t ev;
    double rarity, deleterious, clinvar; /* evidence terms (log10 likelihood-ratio scale) */
} gs_result_var_t;

#define GS_HPO_ANNOTATED 0x100u

typedef struct gs_result_gene {
    char *gene;
    int patient;                /* VCF column */
    const char *chrom;
    int nvar, mvar;
    gs_result_var_t *vars;
    double score;
    int best_severity;
    int mode, mode_possible;    /* best mode (-1: no modes in this run) */
    int pair_conf;              /* comp_het: confidence of the best pair */
    int pair_a, pair_b;         /* comp_het: the best pair (indexes into vars) */
    int panel_level;            /* 0 not on a panel, 1 red, 2 amber, 3 green */
    unsigned panel_moi;
    int nfam;                   /* sequenced family members, the patient included (fam[] of each variant) */
    unsigned hpo_moi;           /* set before scoring when the patient has HPO terms: GS_HPO_ANNOTATED
                                 * when the gene has HPO diseases, with their GS_MOI_* bits; 0 none */
    /* the score's terms for the best mode; score = their sum */
    double c_segregation, c_rarity, c_deleterious, c_clinvar, c_panel;
    int best_var;               /* the variant the single-allele modes used */
    /* phenotype (when the patient has HPO terms): term added to the score; it
     * includes c_inheritance, how the best mode fits the HPO diseases' inheritance */
    double c_phenotype, c_inheritance;
    int pheno_gene;             /* gene index in the HPO release, -1 not annotated */
    int pheno_rank;             /* among annotated genes (ties share the worst rank), 0 none */
    /* stashed (gs_results_stash): vars is NULL, the nvar variants are in the results' store */
    int stashed;
    int64_t stash_off;
    size_t stash_len;
    double stash_max_af;        /* the variants' largest af, for the tables */
} gs_result_gene_t;

/** A gene with its variants read back from the store (gs_results_load); reused gene after gene. */
typedef struct gs_gene_view {
    gs_result_gene_t g;
    gs_result_var_t *vars;
    int mvars;
    char *raw;
    size_t mraw;
} gs_gene_view_t;

typedef struct gs_results gs_results_t;

/** What the run did, for the reports. */
typedef struct gs_run_info {
    const char *input, *pipeline, *version, *outdir;
    const char *settings;       /* every stage parameter (gs_pipeline_describe) */
    char date[32];              /* UTC, from SOURCE_DATE_EPOCH when set */
    uint64_t nrecords, nalleles, nkept;
    int nstage;
    const char *const *stage_ids;
    const uint64_t *drops;      /* per stage, then [nstage] = core (symbolic alleles, no gene) */
    const bcf_hdr_t *hdr;       /* input header: contigs for candidates.vcf.gz */
    const char *regions;        /* what was read: "CHR:BEG-END,..." (0-based, half-open); NULL = everything */
    int nthreads;               /* > 1: candidates.vcf.gz is written on a thread of its own */
} gs_run_info_t;
gs_results_t *gs_results_init(int nsmp, const gs_sample_t *samples, int uses_modes);
gs_result_gene_t *gs_results_add_gene(gs_results_t *r, int sample, const char *gene, const char *chrom);
void gs_results_add_var(gs_results_t *r, gs_result_gene_t *g, const gs_gene_var_t *v, const gs_gene_var_t *partner);
/** The gene is complete: score it and move its variants to the results' store
 * (memory up to a cap, then a temporary file), keeping only the gene's fields. */
int gs_results_stash(gs_results_t *r, gs_result_gene_t *g, kstring_t *err);
/** g with its variants: g itself when they are in memory, else the view's copy
 * with them read back (valid until the view is used again); NULL on error. */
const gs_result_gene_t *gs_results_load(const gs_results_t *r, const gs_result_gene_t *g, gs_gene_view_t *v,
                                        kstring_t *err);
void gs_gene_view_free(gs_gene_view_t *v);
/** The largest population AF of the gene's variants (-1: none known), stashed or not. */
double gs_result_gene_max_af(const gs_result_gene_t *g);
/** Add a variant built by hand (takes its ref/alt/pair/fam); terms computed here. */
void gs_result_gene_push_var(gs_result_gene_t *g, const gs_result_var_t *v);
/** The reports' date: SOURCE_DATE_EPOCH when set, else now (UTC). */
int gs_run_date(char *buf, size_t n, kstring_t *err);
/** The same instant as a time_t (for other formats). */
int gs_run_time(time_t *t, kstring_t *err);
/** The patient's family: the patient first, then the other sequenced members. */
int  gs_results_members(const gs_results_t *r, int patient, const int **members);
/** Plain-language reason for a gene's rank. */
void gs_result_gene_reason(const gs_results_t *r, const gs_result_gene_t *g, kstring_t *s);
const char *gs_gt_name(int gt);
/** "autosomal dominant, X-linked", ... for GS_MOI_* bits ("not given" for none). */
void gs_moi_names(unsigned moi, kstring_t *s);
/** Evidence terms of a variant (rarity, deleteriousness, ClinVar). */
void gs_variant_terms(gs_result_var_t *v);
double gs_term_rarity(double af);
/** qsort order of a patient's genes (gs_result_gene_t *): the ranking of the outputs. */
int gs_result_gene_cmp(const void *a, const void *b);
/** Gene score from its variants: the best mode's score (see README "Scoring"); a stashed gene was scored then. */
void gs_result_gene_score(gs_result_gene_t *g, int uses_modes);
/** Fails when two affected samples would write the same file name. */
int  gs_output_names_unique(const char *dir, const gs_sample_t *smp, int n, kstring_t *err);
/** Patients' phenotype scores (indexed by sample; NULL entries = no terms):
 * ranking adds the phenotype term. r takes ownership of the gs_pheno_t. */
struct gs_hpo; struct gs_pheno; struct gs_hpo_profile;
void gs_results_set_phenotypes(gs_results_t *r, const struct gs_hpo *h, struct gs_pheno **per_sample,
                               const struct gs_hpo_profile **profiles);
const struct gs_hpo *gs_results_hpo(const gs_results_t *r);
const struct gs_pheno *gs_results_pheno(const gs_results_t *r, int patient);
const struct gs_hpo_profile *gs_results_profile(const gs_results_t *r, int patient);
/** Phenotype term of a gene ranked `rank` of n annotated genes (0 = not annotated). */
double gs_term_phenotype(int rank, int n);
/** Rank and write DIR/<sample>.genes.tsv for every affected sample. */
int  gs_results_write(gs_results_t *r, const char *dir, long max_genes, const gs_run_info_t *info, kstring_t *err);
/** Temporary files being written outside output_file_t: removed on a signal. */
void gs_outputs_busy(const char *tmp);
void gs_outputs_idle(void);
/** Register a finished temporary file to be renamed into place with the rest. */
void gs_outputs_add_pending(const char *tmp, const char *final);

/* writers (report.c, candidates.c) */
struct json_t;
/** Copy of s with every byte sequence that is not UTF-8 replaced by U+FFFD. */
char *gs_utf8_clean(const char *s);
/** Append s to o, UTF-8 cleaned and HTML-escaped (& < > " '). */
void gs_html_text(const char *s, kstring_t *o);
/** The reports' style sheet, and their only script (sorts and filters table#ranked). */
extern const char *const gs_report_css, *const gs_report_script;
/** Write a JSON document atomically (takes the reference to root). */
int gs_json_write(struct json_t *root, size_t flags, const char *path, kstring_t *err);
int gs_write_json(const gs_results_t *r, int patient, const gs_result_gene_t *const *genes, long n,
                  const gs_run_info_t *info, const char *path, kstring_t *err);
int gs_write_html(const gs_results_t *r, int patient, const gs_result_gene_t *const *genes, long n,
                  const gs_run_info_t *info, const char *path, kstring_t *err);
int gs_write_candidates(const gs_results_t *r, long max_genes, const gs_run_info_t *info, const char *dir, kstring_t *err);
/** Sorted genes of a patient (after gs_results_write ranked them). */
int gs_results_genes(const gs_results_t *r, int patient, gs_result_gene_t *const **genes);
const gs_sample_t *gs_results_samples(const gs_results_t *r);
int gs_results_nsmp(const gs_results_t *r);
int gs_results_uses_modes(const gs_results_t *r);
void gs_results_print_summary(const gs_results_t *r, const char *dir, FILE *fp);
void gs_results_free(gs_results_t *r);

#endif
