/* quality: FILTER column and per-sample genotype quality (GQ, DP, allele balance).
 *
 * A call failing a threshold is marked `pass = 0` (later stages and the ranking
 * ignore it); the allele is dropped when no affected sample carries it with a
 * passing call.  Defaults follow slivar's rare-disease recipe. */
#include <stdlib.h>
#include <string.h>

#include "genesieve/genesieve.h"

static const gs_param_def_t params[] = {
    {"filters", GS_PARAM_LIST, "PASS,.", 0, 0, "FILTER values accepted ('.' = no filter applied); empty list accepts all"},
    {"min_gq", GS_PARAM_INT, "20", 0, 1e6, "minimum genotype quality"},
    {"min_gq_hemizygous", GS_PARAM_INT, "10", 0, 1e6, "minimum GQ of a male's call on X outside the PARs"},
    {"min_dp", GS_PARAM_INT, "6", 0, 1e9, "minimum depth (FORMAT/DP, else the sum of AD)"},
    {"het_ab_min", GS_PARAM_FLOAT, "0.2", 0, 1, "minimum alt allele balance of a het call"},
    {"het_ab_max", GS_PARAM_FLOAT, "0.8", 0, 1, "maximum alt allele balance of a het call"},
    {"hom_ab_min", GS_PARAM_FLOAT, "0.98", 0, 1, "minimum alt allele balance of a hom-alt or hemizygous call"},
    {"all_samples", GS_PARAM_BOOL, "true", 0, 0, "check every sample's call (false: only affected samples)"},
    {NULL, 0, NULL, 0, 0, NULL},
};

typedef struct {
    int nfilter, *filter_ids, accept_missing, accept_all;
    int min_gq, min_gq_hemi, min_dp;
    double het_lo, het_hi, hom_lo;
    int has_gq, has_dp, all;
} quality_t;

static int check(const gs_params_t *p, kstring_t *err)
{
    if (gs_param_float(p, "het_ab_min") > gs_param_float(p, "het_ab_max")) {
        ksprintf(err, "het_ab_min (%g) is larger than het_ab_max (%g)", gs_param_float(p, "het_ab_min"),
                 gs_param_float(p, "het_ab_max"));
        return -1;
    }
    return 0;
}

static int init(const gs_params_t *p, const gs_setup_t *su, void **state, kstring_t *err)
{
    if (check(p, err) < 0) return -1;
    quality_t *q = calloc(1, sizeof(*q));
    char *const *f;
    int nf = gs_param_list(p, "filters", &f);
    q->accept_all = nf == 0;
    q->filter_ids = calloc(nf ? nf : 1, sizeof(int));
    for (int i = 0; i < nf; i++) {
        if (!strcmp(f[i], ".")) { q->accept_missing = 1; continue; }
        int id = bcf_hdr_id2int(su->hdr, BCF_DT_ID, f[i]);
        if (id < 0 || !bcf_hdr_idinfo_exists(su->hdr, BCF_HL_FLT, id)) {
            if (strcmp(f[i], "PASS")) {
                /* a named filter the header does not declare can never match: say so */
                if (gs_param_is_set(p, "filters")) {
                    ksprintf(err, "filters: FILTER '%s' is not declared in the VCF header", f[i]);
                    free(q->filter_ids);
                    free(q);
                    return -1;
                }
            }
            continue;
        }
        q->filter_ids[q->nfilter++] = id;
    }
    q->min_gq = gs_param_int(p, "min_gq");
    q->min_gq_hemi = gs_param_int(p, "min_gq_hemizygous");
    q->min_dp = gs_param_int(p, "min_dp");
    q->het_lo = gs_param_float(p, "het_ab_min");
    q->het_hi = gs_param_float(p, "het_ab_max");
    q->hom_lo = gs_param_float(p, "hom_ab_min");
    q->all = gs_param_bool(p, "all_samples");
    int gq = bcf_hdr_id2int(su->hdr, BCF_DT_ID, "GQ"), dp = bcf_hdr_id2int(su->hdr, BCF_DT_ID, "DP"),
        ad = bcf_hdr_id2int(su->hdr, BCF_DT_ID, "AD");
    q->has_gq = gq >= 0 && bcf_hdr_idinfo_exists(su->hdr, BCF_HL_FMT, gq);
    q->has_dp = (dp >= 0 && bcf_hdr_idinfo_exists(su->hdr, BCF_HL_FMT, dp)) ||
                (ad >= 0 && bcf_hdr_idinfo_exists(su->hdr, BCF_HL_FMT, ad));
    *state = q;
    return 0;
}

static int filter_ok(const quality_t *q, bcf1_t *rec)
{
    if (q->accept_all) return 1;
    if (rec->d.n_flt == 0) return q->accept_missing;
    for (int i = 0; i < rec->d.n_flt; i++) {
        int ok = 0;
        for (int j = 0; j < q->nfilter; j++) ok |= rec->d.flt[i] == q->filter_ids[j];
        if (!ok) return 0;
    }
    return 1;
}

/* Why call c fails: 0 = it passes; the reason is written only when asked
 * (most failing calls never need one). */
enum { Q_OK = 0, Q_GQ, Q_DP, Q_HET_AB, Q_HOM_AB };

static int call_fails(const quality_t *q, const gs_call_t *c, int hemi_x, double *ab)
{
    int min_gq = hemi_x ? q->min_gq_hemi : q->min_gq;
    if (q->has_gq && min_gq > 0 && c->gq < min_gq) return Q_GQ;
    if (q->has_dp && q->min_dp > 0 && c->dp < q->min_dp) return Q_DP;
    if (c->ad_alt >= 0 && c->ad_total >= 0 && gs_call_carries(c)) {
        /* AB = AD of this allele / sum of AD over all alleles (slivar's definition) */
        *ab = c->ad_total > 0 ? (double)c->ad_alt / c->ad_total : 0;
        if (c->gt == GS_GT_HET && (*ab < q->het_lo || *ab > q->het_hi)) return Q_HET_AB;
        if (c->gt != GS_GT_HET && *ab < q->hom_lo) return Q_HOM_AB;
    }
    return Q_OK;
}

static void explain(const quality_t *q, const gs_call_t *c, int hemi_x, int why, double ab, kstring_t *s)
{
    int min_gq = hemi_x ? q->min_gq_hemi : q->min_gq;
    switch (why) {
    case Q_GQ:
        if (c->gq < 0) kputs("GQ missing", s); else ksprintf(s, "GQ %d < %d", c->gq, min_gq);
        break;
    case Q_DP:
        if (c->dp < 0) kputs("DP missing", s); else ksprintf(s, "DP %d < %d", c->dp, q->min_dp);
        break;
    case Q_HET_AB:
        ksprintf(s, "het allele balance %.2f outside [%g, %g]", ab, q->het_lo, q->het_hi);
        break;
    case Q_HOM_AB:
        ksprintf(s, "%s allele balance %.2f < %g", c->gt == GS_GT_HOM ? "hom-alt" : "hemizygous", ab, q->hom_lo);
        break;
    }
}

static int variant(void *state, void *tstate, gs_variant_t *v, kstring_t *why)
{
    (void)tstate;
    quality_t *q = state;
    if (!filter_ok(q, v->rec)) {
        kputs("FILTER ", why);
        for (int i = 0; i < v->rec->d.n_flt; i++)
            ksprintf(why, "%s%s", i ? ";" : "", bcf_hdr_int2id(v->hdr, BCF_DT_ID, v->rec->d.flt[i]));
        kputs(" not accepted", why);
        return GS_DROP;
    }
    int carriers = 0, first_fail = -1, first_why = 0;
    double first_ab = 0;
    for (int s = 0; s < v->nsmp; s++) {
        gs_call_t *c = &v->calls[s];
        if (c->gt == GS_GT_MISSING) continue;
        int affected = v->samples[s].affected == 1;
        if (!q->all && !affected) continue;
        int hemi_x = v->x_nonpar && v->samples[s].sex == GS_SEX_MALE;
        double ab = 0;
        int bad = call_fails(q, c, hemi_x, &ab);
        if (bad) {
            c->pass = 0;
            if (affected && gs_call_carries(c) && first_fail < 0) first_fail = s, first_why = bad, first_ab = ab;
            continue;
        }
        if (affected && gs_call_carries(c)) carriers++;
    }
    if (carriers) return GS_KEEP;
    if (first_fail >= 0) {
        const gs_call_t *c = &v->calls[first_fail];
        ksprintf(why, "no affected carrier passes: %s ", v->samples[first_fail].name);
        explain(q, c, v->x_nonpar && v->samples[first_fail].sex == GS_SEX_MALE, first_why, first_ab, why);
    } else {
        kputs("no affected sample carries the allele", why);
    }
    return GS_DROP;
}

static void destroy(void *state)
{
    quality_t *q = state;
    if (!q) return;
    free(q->filter_ids);
    free(q);
}

const gs_stage_t gs_stage_quality = {
    .api_version = GS_API_VERSION,
    .name = "quality",
    .description = "FILTER and per-sample GQ/DP/allele balance; drops alleles no affected sample carries with a good call",
    .params = params,
    .check = check,
    .init = init,
    .variant = variant,
    .destroy = destroy,
};
