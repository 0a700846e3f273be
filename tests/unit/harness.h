/* harness.h -- run one stage the way the engine does: a one-stage pipeline
 * from YAML, samples from a PED, calls decoded from a real record. */
#ifndef GS_TEST_HARNESS_H
#define GS_TEST_HARNESS_H

#include <math.h>
#include "helpers.h"
#include "pipeline.h"
#include "ped.h"
#include "vcfutil.h"
#include "engine.h"

typedef struct {
    gs_pipeline_t *pl;
    const gs_stage_t *st;
    void *state, *tstate;
    gs_sample_t *samples;
    gs_ped_t *ped;
    int nsmp;
    gs_fmt_t fmt;
    gs_call_t calls[16];
    kstring_t why;
    void *csq;  /* for gs_variant_csq_field */
} harness_t;

/* Build stage `name` from a one-stage pipeline (YAML params) for header h. */
static inline int harness(harness_t *H, const bcf_hdr_t *h, const char *ped, const char *stage_yaml, kstring_t *err)
{
    memset(H, 0, sizeof(*H));
    kstring_t y = KS_INITIALIZE;
    ksprintf(&y, "stages:\n  - %s\n", stage_yaml);
    H->pl = gs_pipeline_parse(y.s, y.l, "test.yml", err);
    ks_free(&y);
    cr_assert_not_null(H->pl, "%s", err->s);
    H->st = H->pl->stages[0].stage;
    if (ped) H->ped = gs_ped_read(ped, err);
    kstring_t warn = KS_INITIALIZE;
    H->samples = gs_samples_build(h, H->ped, ped, &warn, err);
    ks_free(&warn);
    H->nsmp = bcf_hdr_nsamples(h);
    gs_setup_t su = {"test", h, H->nsmp, H->samples, gs_detect_build(h)};
    H->csq = gs_csq_context_new(h);
    int ret = H->st->init(&H->pl->stages[0], &su, &H->state, err);
    if (ret == 0 && H->st->thread_init) H->tstate = H->st->thread_init(H->state);
    return ret;
}

static inline int run_allele(harness_t *H, const bcf_hdr_t *h, bcf1_t *rec, int ai, gs_variant_t *v)
{
    const char *why;
    if (gs_fmt_load(&H->fmt, h, rec, &why) < 0) return -1;
    gs_fmt_calls(&H->fmt, H->nsmp, ai, H->calls);
    memset(v, 0, sizeof(*v));
    v->hdr = h;
    v->rec = rec;
    v->allele = ai;
    v->chrom = bcf_seqname(h, rec);
    v->x_nonpar = gs_x_nonpar(v->chrom, rec->pos + 1, gs_detect_build(h));
    v->y_nonpar = gs_y_nonpar(v->chrom, rec->pos + 1, gs_detect_build(h));
    v->mito = gs_chrom_kind(v->chrom) == 3;
    v->nsmp = H->nsmp;
    v->calls = H->calls;
    v->samples = H->samples;
    v->af = -1;
    v->nhomalt = -1;
    v->ev = (gs_evidence_t){NAN, NAN, NAN, NAN, 0, 0, GS_CLNV_NONE, -1};
    gs_csq_context_reset(H->csq);
    v->core = H->csq;
    H->why.l = 0;
    kputs("", &H->why);
    return H->st->variant(H->state, H->tstate, v, &H->why);
}

static inline void harness_free(harness_t *H)
{
    if (H->tstate && H->st->thread_free) H->st->thread_free(H->tstate);
    if (H->state && H->st->destroy) H->st->destroy(H->state);
    gs_fmt_free(&H->fmt);
    gs_csq_context_free(H->csq);
    gs_samples_free(H->samples, H->nsmp);
    gs_ped_free(H->ped);
    gs_pipeline_free(H->pl);
    ks_free(&H->why);
}

#endif
