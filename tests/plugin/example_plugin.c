/* example_plugin.c -- a GeneSieve stage plugin, built as a shared object and
 * loaded with `genesieve run --plugin example_plugin.so`.  Two stages:
 *   max_indel          (variant hook) drop indels longer than max_len bases
 *   gene_min_variants  (gene hook)    drop genes with fewer than n surviving alleles
 * It uses only include/genesieve/genesieve.h. */
#include <stdlib.h>
#include <string.h>

#include "genesieve/genesieve.h"

static const gs_param_def_t indel_params[] = {
    {"max_len", GS_PARAM_INT, "10", 0, 1e6, "longest indel kept (bases of length difference)"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static int indel_init(const gs_params_t *p, const gs_setup_t *su, void **state, kstring_t *err)
{
    (void)su; (void)err;
    long *max = malloc(sizeof(long));
    *max = gs_param_int(p, "max_len");
    *state = max;
    return 0;
}

static int indel_variant(void *state, void *tstate, gs_variant_t *v, kstring_t *why)
{
    (void)tstate;
    long max = *(long *)state;
    long d = (long)strlen(v->rec->d.allele[v->allele]) - (long)strlen(v->rec->d.allele[0]);
    if (d < 0) d = -d;
    if (v->rec->d.allele[v->allele][0] != '<' && d > max) {
        ksprintf(why, "indel of %ld bp > %ld", d, max);
        return GS_DROP;
    }
    return GS_KEEP;
}

static const gs_param_def_t gene_params[] = {
    {"n", GS_PARAM_INT, "2", 1, 1000, "fewest surviving alleles a gene needs"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static int gene_init(const gs_params_t *p, const gs_setup_t *su, void **state, kstring_t *err)
{
    (void)su; (void)err;
    long *n = malloc(sizeof(long));
    *n = gs_param_int(p, "n");
    *state = n;
    return 0;
}

static int gene_hook(void *state, gs_gene_t *g, kstring_t *why)
{
    long n = *(long *)state, have = 0;
    for (int i = 0; i < g->nvar; i++) have += !g->vars[i].dropped;
    if (have < n) {
        ksprintf(why, "%ld surviving allele%s < %ld", have, have == 1 ? "" : "s", n);
        return GS_DROP;
    }
    return GS_KEEP;
}

static const gs_stage_t max_indel = {
    .api_version = GS_API_VERSION,
    .name = "max_indel",
    .description = "example plugin: drop indels longer than max_len",
    .params = indel_params,
    .init = indel_init,
    .variant = indel_variant,
    .destroy = free,
};
static const gs_stage_t gene_min_variants = {
    .api_version = GS_API_VERSION,
    .name = "gene_min_variants",
    .description = "example plugin: drop genes with fewer than n surviving alleles",
    .params = gene_params,
    .init = gene_init,
    .gene = gene_hook,
    .destroy = free,
};
static const gs_stage_t *const stages[] = {&max_indel, &gene_min_variants};

const gs_stage_t *const *genesieve_plugin_stages(int *n)
{
    *n = 2;
    return stages;
}
