/* engine.h -- the streaming run: reader, worker threads, gene buffers, outputs. */
#ifndef GS_ENGINE_H
#define GS_ENGINE_H

#include "pipeline.h"

typedef struct gs_opts {
    const char *input;      /* file or "-" */
    const char *outdir;
    const char *audit;      /* NULL, file, or "-" */
    const char *regions;    /* -r list */
    const char *regions_file; /* -R file */
    const char *ped;
    int nthreads;
    int build;              /* --genome: 37, 38, or 0 to detect from contig lengths */
    int progress;
    int quiet;
    int force;              /* overwrite results already in outdir */
    const char *partial;    /* write a partial result here instead of the final outputs */
    gs_pipeline_t *pl;
    struct gs_pheno_ctx *pheno; /* patients' HPO terms, or NULL */
} gs_opts_t;

/** A context that lets gs_variant_csq_field work outside a run (v->core);
 * reset it before each new variant. */
void *gs_csq_context_new(const bcf_hdr_t *hdr);
void gs_csq_context_reset(void *ctx);
void gs_csq_context_free(void *ctx);

/** Run the pipeline; returns the process exit status (0 ok). */
int gs_run(const gs_opts_t *o);

#endif
