/* pathogenicity: predictor scores and known significance of each allele, read
 * from INFO keys (vcfanno, dbNSFP, ClinVar VCF annotations) or VEP CSQ
 * sub-fields: CADD, REVEL, SpliceAI, AlphaMissense, PolyPhen, SIFT, ClinVar
 * significance and review stars.  The values feed the ranking's
 * deleteriousness and ClinVar terms; alleles are dropped only on request
 * (drop_benign).  Each list names candidate keys: those present are used. */
#define _GNU_SOURCE /* strcasestr */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "genesieve/genesieve.h"
#include "../annot.h"
#include "../vcfutil.h"
#include "builtin.h"

static const gs_param_def_t params[] = {
    {"cadd", GS_PARAM_LIST, "CADD_PHRED,CADD_phred,cadd_phred,CADD,dbNSFP_CADD_phred", 0, 0, "CADD PHRED keys (INFO or CSQ)"},
    {"revel", GS_PARAM_LIST, "REVEL,REVEL_score,revel,dbNSFP_REVEL_score", 0, 0, "REVEL keys"},
    {"spliceai", GS_PARAM_LIST, "SpliceAI,SpliceAI_pred_DS_AG,SpliceAI_pred_DS_AL,SpliceAI_pred_DS_DG,SpliceAI_pred_DS_DL,spliceai_max_ds",
     0, 0, "SpliceAI keys: the VEP plugin's DS_* sub-fields, a max delta score, or the SpliceAI VCF's INFO/SpliceAI"},
    {"alphamissense", GS_PARAM_LIST, "am_pathogenicity,AlphaMissense,alphamissense,AM_PATHOGENICITY", 0, 0, "AlphaMissense keys"},
    {"polyphen", GS_PARAM_LIST, "PolyPhen,Polyphen2_HDIV_pred,dbNSFP_Polyphen2_HDIV_pred", 0, 0, "PolyPhen keys (VEP text or dbNSFP letters)"},
    {"sift", GS_PARAM_LIST, "SIFT,SIFT_pred,dbNSFP_SIFT_pred", 0, 0, "SIFT keys"},
    {"clinvar", GS_PARAM_LIST, "CLNSIG,CLINICAL_SIGNIFICANCE,clinvar_sig,ClinVar_CLNSIG,CLIN_SIG", 0, 0, "ClinVar significance keys"},
    {"clinvar_stars", GS_PARAM_LIST, "CLNREVSTAT,GOLD_STARS,clinvar_review", 0, 0, "ClinVar review status or star keys"},
    {"drop_benign", GS_PARAM_BOOL, "false", 0, 0, "drop alleles ClinVar calls benign or likely benign with at least one star"},
    {NULL, 0, NULL, 0, 0, NULL},
};

enum { K_CADD, K_REVEL, K_SPLICE, K_AM, K_PP, K_SIFT, K_CLN, K_STARS, NK };
static const char *kparam[NK] = {"cadd", "revel", "spliceai", "alphamissense", "polyphen", "sift", "clinvar", "clinvar_stars"};

typedef struct {
    int info_id;   /* >= 0: INFO key */
    char *name;    /* the key, for CSQ look-ups when info_id < 0 */
} key_t_;

typedef struct {
    int nk[NK];
    key_t_ *k[NK];
    int drop_benign;
} path_t;


static void destroy(void *state)
{
    path_t *s = state;
    if (!s) return;
    for (int i = 0; i < NK; i++) {
        for (int j = 0; j < s->nk[i]; j++) free(s->k[i][j].name);
        free(s->k[i]);
    }
    free(s);
}

static int init(const gs_params_t *p, const gs_setup_t *su, void **state, kstring_t *err)
{
    (void)err;
    path_t *s = calloc(1, sizeof(*s));
    for (int i = 0; i < NK; i++) {
        char *const *l;
        int n = gs_param_list(p, kparam[i], &l);
        s->k[i] = calloc(n ? n : 1, sizeof(key_t_));
        for (int j = 0; j < n; j++) {
            int id = bcf_hdr_id2int(su->hdr, BCF_DT_ID, l[j]);
            int in_info = id >= 0 && bcf_hdr_idinfo_exists(su->hdr, BCF_HL_INFO, id);
            if (!in_info && !gs_csq_has_field(su->hdr, l[j])) continue; /* not annotated in this file */
            s->k[i][s->nk[i]++] = (key_t_){in_info ? id : -1, strdup(l[j])};
        }
    }
    s->drop_benign = gs_param_bool(p, "drop_benign");
    *state = s;
    return 0;
}

void gs_pathogenicity_info_keys(const void *state, const bcf_hdr_t *h, uint8_t *keep)
{
    (void)h;
    const path_t *s = state;
    for (int i = 0; i < NK; i++)
        for (int j = 0; j < s->nk[i]; j++)
            if (s->k[i][j].info_id >= 0) keep[s->k[i][j].info_id] = 1;
}

/* Largest number in s ('&', ',' or '|' separated; a field like "name(0.9)" gives 0.9). */
static int max_number(const char *s, double *out)
{
    int found = 0;
    for (const char *p = s; *p;) {
        if (isdigit((unsigned char)*p) || ((*p == '-' || *p == '.') && isdigit((unsigned char)p[1]))) {
            char *e;
            double x = strtod(p, &e);
            if (e != p) {
                if (!found || x > *out) *out = x;
                found = 1;
                p = e;
                continue;
            }
        }
        p++;
    }
    return found;
}

/* Text of INFO key id (NUL-terminated copy in buf). */
static const char *info_text(gs_variant_t *v, int id, kstring_t *buf)
{
    bcf_info_t *inf = bcf_get_info_id(v->rec, id);
    if (!inf || !inf->vptr) return NULL;
    buf->l = 0;
    if (inf->type == BCF_BT_CHAR) kputsn((const char *)inf->vptr, strnlen((const char *)inf->vptr, inf->len), buf);
    else {
        double x;
        if (!gs_info_number(v->hdr, v->rec, id, v->allele, &x)) return NULL;
        ksprintf(buf, "%g", x);
    }
    return buf->s;
}

/* Numeric value of the first key that has one (max over CSQ transcripts). */
static float number(gs_variant_t *v, const path_t *s, int kind, kstring_t *buf)
{
    double best = NAN;
    for (int j = 0; j < s->nk[kind]; j++) {
        const key_t_ *k = &s->k[kind][j];
        double x;
        if (k->info_id >= 0) {
            if (kind == K_SPLICE) {
                /* the SpliceAI VCF: ALLELE|SYMBOL|DS_AG|DS_AL|DS_DG|DS_DL|DP_.. per ALT: max of the DS */
                const char *t = info_text(v, k->info_id, buf);
                if (!t) continue;
                if (strchr(t, '|')) {
                    for (const char *e = t; e && *e;) {
                        const char *next = strchr(e, ',');
                        int field = 0;
                        for (const char *f = e; f && *f && (!next || f < next); field++) {
                            if (field >= 2 && field <= 5) {
                                char *end;
                                double d = strtod(f, &end);
                                if (end != f && (isnan(best) || d > best)) best = d;
                            }
                            f = strchr(f, '|');
                            if (f) f++;
                        }
                        e = next ? next + 1 : NULL;
                    }
                    continue;
                }
            }
            if (gs_info_number(v->hdr, v->rec, k->info_id, v->allele, &x) && (isnan(best) || x > best)) best = x;
        } else {
            const char **vals;
            int n = gs_variant_csq_field(v, k->name, &vals);
            for (int i = 0; i < n; i++)
                if (max_number(vals[i], &x) && (isnan(best) || x > best)) best = x;
        }
        if (!isnan(best) && kind != K_SPLICE) break; /* first key that has a value */
    }
    return (float)best;
}

/* PolyPhen / SIFT: 1 damaging, -1 benign, 0 unknown (most damaging transcript). */
static int8_t prediction(gs_variant_t *v, const path_t *s, int kind, kstring_t *buf)
{
    int best = 0;
    for (int j = 0; j < s->nk[kind]; j++) {
        const key_t_ *k = &s->k[kind][j];
        const char **vals = NULL, *one;
        int n;
        if (k->info_id >= 0) {
            one = info_text(v, k->info_id, buf);
            n = one ? 1 : 0;
            vals = &one;
        } else {
            n = gs_variant_csq_field(v, k->name, &vals);
        }
        for (int i = 0; i < n; i++) {
            const char *t = vals[i];
            int c = 0;
            if (strcasestr(t, "damaging") || strcasestr(t, "deleterious") || t[0] == 'D' || t[0] == 'P') c = 1;
            if (strcasestr(t, "benign") || strcasestr(t, "tolerated") || t[0] == 'B' || t[0] == 'T') c = -1;
            if (!strncasecmp(t, "possibly", 8) || !strcasecmp(t, "P")) c = 1;
            if (c > best || (best == 0 && c)) best = c;
        }
        if (best) break;
    }
    return (int8_t)best;
}

static int8_t clinvar_class(const char *t)
{
    if (!t || !*t) return GS_CLNV_NONE;
    /* numeric codes of older ClinVar VCFs: 5 pathogenic, 4 likely, 3 likely benign, 2 benign, 0 uncertain */
    if (isdigit((unsigned char)t[0])) {
        int best = GS_CLNV_NONE;
        for (const char *p = t; *p; p++) {
            int c = *p == '5' ? GS_CLNV_PATHOGENIC : *p == '4' ? GS_CLNV_LIKELY_PATHOGENIC : *p == '3' ? GS_CLNV_LIKELY_BENIGN
                    : *p == '2' ? GS_CLNV_BENIGN : *p == '0' ? GS_CLNV_VUS : GS_CLNV_NONE;
            if (c > best) best = c;
            while (isdigit((unsigned char)p[1])) p++;
        }
        return (int8_t)best;
    }
    if (strcasestr(t, "conflicting")) return GS_CLNV_CONFLICTING;
    int path = 0, lpath = 0, ben = 0, lben = 0, vus = strcasestr(t, "uncertain") != NULL;
    for (const char *p = t; (p = strcasestr(p, "pathogenic")); p++) {
        int likely = p - t >= 7 && !strncasecmp(p - 7, "likely", 6);
        if (likely) lpath = 1; else path = 1;
    }
    for (const char *p = t; (p = strcasestr(p, "benign")); p++) {
        int likely = p - t >= 7 && !strncasecmp(p - 7, "likely", 6);
        if (likely) lben = 1; else ben = 1;
    }
    if ((path || lpath) && (ben || lben)) return GS_CLNV_CONFLICTING;
    if (path) return GS_CLNV_PATHOGENIC;
    if (lpath) return GS_CLNV_LIKELY_PATHOGENIC;
    if (vus) return GS_CLNV_VUS;
    if (ben) return GS_CLNV_BENIGN;
    if (lben) return GS_CLNV_LIKELY_BENIGN;
    return GS_CLNV_NONE;
}

static int8_t stars_of(const char *t)
{
    if (!t || !*t) return -1;
    if (isdigit((unsigned char)t[0])) return (int8_t)(atoi(t) > 4 ? 4 : atoi(t));
    if (strcasestr(t, "practice_guideline") || strcasestr(t, "guideline")) return 4;
    if (strcasestr(t, "expert_panel") || !strcasecmp(t, "exp")) return 3;
    if (strcasestr(t, "multiple_submitters") || !strcasecmp(t, "mult")) return 2;
    if (strcasestr(t, "single_submitter") || strcasestr(t, "conflicting") || !strcasecmp(t, "single") || !strcasecmp(t, "conf"))
        return 1;
    return 0;
}

static const char *first_text(gs_variant_t *v, const path_t *s, int kind, kstring_t *buf)
{
    for (int j = 0; j < s->nk[kind]; j++) {
        const key_t_ *k = &s->k[kind][j];
        if (k->info_id >= 0) {
            const char *t = info_text(v, k->info_id, buf);
            if (t) return t;
        } else {
            const char **vals;
            if (gs_variant_csq_field(v, k->name, &vals) > 0) return vals[0];
        }
    }
    return NULL;
}


static int variant(void *state, void *tstate, gs_variant_t *v, kstring_t *why)
{
    path_t *s = state;
    kstring_t *buf = tstate;
    gs_evidence_t *e = &v->ev;
    e->cadd = number(v, s, K_CADD, buf);
    e->revel = number(v, s, K_REVEL, buf);
    e->spliceai = number(v, s, K_SPLICE, buf);
    e->alphamissense = number(v, s, K_AM, buf);
    e->polyphen = prediction(v, s, K_PP, buf);
    e->sift = prediction(v, s, K_SIFT, buf);
    e->clinvar = clinvar_class(first_text(v, s, K_CLN, buf));
    e->stars = stars_of(first_text(v, s, K_STARS, buf));
    if (s->drop_benign && (e->clinvar == GS_CLNV_BENIGN || e->clinvar == GS_CLNV_LIKELY_BENIGN) && e->stars >= 1) {
        ksprintf(why, "ClinVar %s (%d star%s)", e->clinvar == GS_CLNV_BENIGN ? "benign" : "likely benign", e->stars,
                 e->stars == 1 ? "" : "s");
        return GS_DROP;
    }
    return GS_KEEP;
}

const gs_stage_t gs_stage_pathogenicity = {
    .api_version = GS_API_VERSION,
    .name = "pathogenicity",
    .description = "CADD, REVEL, SpliceAI, AlphaMissense, PolyPhen, SIFT and ClinVar significance/stars from INFO or VEP CSQ, "
                   "for the ranking",
    .params = params,
    .init = init,
    .thread_init = gs_kstring_thread_init,
    .thread_free = gs_kstring_thread_free,
    .variant = variant,
    .destroy = destroy,
};
