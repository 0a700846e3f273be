/* region: keep alleles inside an include BED and outside an exclude BED.
 * Overlap is tested on the record's reference span. */
#include <stdlib.h>
#include <string.h>
#include <htslib/regidx.h>

#include "genesieve/genesieve.h"

static const gs_param_def_t params[] = {
    {"include", GS_PARAM_STRING, "", 0, 0, "BED file: keep only alleles overlapping it"},
    {"exclude", GS_PARAM_STRING, "", 0, 0, "BED file: drop alleles overlapping it"},
    {NULL, 0, NULL, 0, 0, NULL},
};

typedef struct {
    regidx_t *inc, *exc;
    char *inc_name, *exc_name;
} region_t;

static void destroy(void *state)
{
    region_t *r = state;
    if (!r) return;
    if (r->inc) regidx_destroy(r->inc);
    if (r->exc) regidx_destroy(r->exc);
    free(r->inc_name);
    free(r->exc_name);
    free(r);
}

static regidx_t *load(const char *path, kstring_t *err, const char *param)
{
    regidx_t *idx = regidx_init(path, regidx_parse_bed, NULL, 0, NULL);
    if (!idx) {
        ksprintf(err, "%s: %s: cannot read BED file", param, path);
        return NULL;
    }
    /* build the per-contig indexes up front: worker threads only read them */
    int n = 0;
    char **names = regidx_seq_names(idx, &n);
    for (int i = 0; i < n; i++) regidx_overlap(idx, names[i], 0, 1, NULL);
    return idx;
}

static int init(const gs_params_t *p, const gs_setup_t *su, void **state, kstring_t *err)
{
    (void)su;
    region_t *r = calloc(1, sizeof(*r));
    const char *inc = gs_param_str(p, "include"), *exc = gs_param_str(p, "exclude");
    if (inc && !(r->inc = load(inc, err, "include"))) goto fail;
    if (exc && !(r->exc = load(exc, err, "exclude"))) goto fail;
    if (inc) { const char *b = strrchr(inc, '/'); r->inc_name = strdup(b ? b + 1 : inc); }
    if (exc) { const char *b = strrchr(exc, '/'); r->exc_name = strdup(b ? b + 1 : exc); }
    *state = r;
    return 0;
fail:
    destroy(r);
    return -1;
}

static int variant(void *state, void *tstate, gs_variant_t *v, kstring_t *why)
{
    (void)tstate;
    region_t *r = state;
    hts_pos_t beg = v->rec->pos, end = v->rec->pos + (v->rec->rlen > 0 ? v->rec->rlen : 1) - 1;
    if (r->inc && !regidx_overlap(r->inc, v->chrom, beg, end, NULL)) {
        ksprintf(why, "outside include regions (%s)", r->inc_name);
        return GS_DROP;
    }
    if (r->exc && regidx_overlap(r->exc, v->chrom, beg, end, NULL)) {
        ksprintf(why, "inside exclude regions (%s)", r->exc_name);
        return GS_DROP;
    }
    return GS_KEEP;
}

const gs_stage_t gs_stage_region = {
    .api_version = GS_API_VERSION,
    .name = "region",
    .description = "keep alleles overlapping an include BED and not an exclude BED",
    .params = params,
    .init = init,
    .variant = variant,
    .destroy = destroy,
};
