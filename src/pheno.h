/* pheno.h -- phenotype-only ranking command and shared profile loading. */
#ifndef GS_PHENO_H
#define GS_PHENO_H

#include <htslib/kstring.h>
#include "hpo.h"

/** Phenotype options of run and merge. */
typedef struct gs_pheno_opts {
    const char *data;           /* --hpo-data */
    char **hpo; int nhpo;       /* --hpo (every affected patient) */
    char **packets; int npk;    /* --phenopacket */
    const char *table;          /* --hpo-table */
} gs_pheno_opts_t;
typedef struct gs_pheno_ctx gs_pheno_ctx_t;
static inline int gs_pheno_opts_used(const gs_pheno_opts_t *o) { return o && (o->data || o->nhpo || o->npk || o->table); }
/** Load the release and the profiles (fails early: bad terms, missing files). */
gs_pheno_ctx_t *gs_pheno_prepare(const gs_pheno_opts_t *o, kstring_t *err);
struct gs_results; struct gs_sample;
/** Give each affected sample its profile and score it; the results keep the scores. */
int gs_pheno_attach(gs_pheno_ctx_t *c, struct gs_results *r, const struct gs_sample *smp, int nsmp, kstring_t *err);
void gs_pheno_ctx_free(gs_pheno_ctx_t *c);

/** `genesieve pheno` */
int gs_cmd_pheno(int argc, char **argv);
/** Profiles from --hpo strings, phenopacket files/directories and a table. */
int gs_pheno_load_profiles(const gs_hpo_t *h, char **hpo, int nhpo, char **packets, int npk, const char *table,
                           gs_hpo_profile_t **ps, int *n, kstring_t *err);
/** One warning line listing the terms this release does not know. */
void gs_pheno_warn_unknown(const gs_hpo_t *h, const gs_hpo_profile_t *ps, int n);

#endif
