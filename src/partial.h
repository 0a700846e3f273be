/* partial.h -- scatter (run --partial) and gather (merge). */
#ifndef GS_PARTIAL_H
#define GS_PARTIAL_H

#include "output.h"

typedef struct gs_merge_opts {
    const char *outdir;
    char **partials;
    int npartial;
    int force, quiet;
} gs_merge_opts_t;

/** Write what the final outputs are made of to path (JSON, genesieve.partial/1). */
int gs_write_partial(const gs_results_t *r, long max_genes, const gs_run_info_t *info, const char *path, kstring_t *err);
/** Read partial results and write the final outputs; returns the exit status. */
int gs_merge(const gs_merge_opts_t *o);

#endif
