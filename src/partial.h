/* partial.h -- scatter (run --partial) and gather (merge). */
#ifndef GS_PARTIAL_H
#define GS_PARTIAL_H

#include "output.h"

typedef struct gs_merge_opts {
    const char *outdir;
    char **partials;
    int npartial;
    int force, quiet;
    struct gs_pheno_ctx *pheno; /* patients' HPO terms, or NULL */
} gs_merge_opts_t;

/** Write what the final outputs are made of to path (JSON, genesieve.partial/1). */
int gs_write_partial(const gs_results_t *r, long max_genes, const gs_run_info_t *info, const char *path, kstring_t *err);
/** Partial results read back: the results they hold and the run they came from. */
typedef struct gs_partials {
    gs_results_t *res;          /* genes not yet scored or ranked */
    gs_sample_t *smp;
    int nsmp;
    long max_genes;
    gs_run_info_t info;         /* counts summed over the partials; no date */
    bcf_hdr_t *hdr;
    uint64_t *drops;
    const char **stage_ids;
    char *input, *pipeline, *settings;
    struct gs_partials_pool *pool; /* the strings the results point at */
} gs_partials_t;

/** Read and validate partial results of one run (all of them must agree).  With
 * outdir, also fails when its names collide or it holds results (unless force). */
int gs_partials_read(char **paths, int npartial, const char *outdir, int force, gs_partials_t *out, kstring_t *err);
void gs_partials_free(gs_partials_t *p);
/** Read partial results and write the final outputs; returns the exit status. */
int gs_merge(const gs_merge_opts_t *o);

#endif
