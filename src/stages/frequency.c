/* frequency: population allele frequency and homozygote counts.
 *
 * Sources, all optional and combined by taking the maximum:
 *  - INFO keys of the input (vcfanno, echtvar, slivar, VEP --custom ...);
 *  - VEP CSQ sub-fields (gnomAD_AF, MAX_AF, ...; '&'-joined values: max);
 *  - an external bgzipped, indexed VCF/BCF (e.g. gnomAD sites) matched on
 *    CHROM/POS/REF/ALT while streaming.  Absent from that file = frequency 0.
 * Lists left empty pick, from a built-in list of well-known names, those the
 * header declares; names given explicitly must exist. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <htslib/hts.h>
#include <htslib/tbx.h>

#include "genesieve/genesieve.h"
#include "../annot.h"
#include "../vcfutil.h"
#include "builtin.h"

static const gs_param_def_t params[] = {
    {"info_af", GS_PARAM_LIST, "", 0, 0, "INFO keys holding population AF/popmax (empty: well-known names present in the header)"},
    {"info_nhomalt", GS_PARAM_LIST, "", 0, 0, "INFO keys holding homozygote counts (empty: well-known names)"},
    {"csq_af", GS_PARAM_LIST, "", 0, 0, "VEP CSQ sub-fields holding AF (empty: well-known names in the CSQ Format)"},
    {"population", GS_PARAM_STRING, "", 0, 0, "bgzipped+indexed population VCF/BCF joined on CHROM/POS/REF/ALT"},
    {"population_af", GS_PARAM_LIST, "AF_grpmax,AF_popmax,AF_POPMAX,AF", 0, 0, "INFO keys of the population file used as AF (those present)"},
    {"population_nhomalt", GS_PARAM_LIST, "nhomalt,Hom,AC_Hom", 0, 0, "INFO keys of the population file used as homozygote count (those present)"},
    {"max_af", GS_PARAM_FLOAT, "0.01", 0, 1, "drop alleles whose frequency is above this"},
    {"max_nhomalt", GS_PARAM_INT, "10", -1, 1e9, "drop alleles with more homozygotes than this (-1: no cap)"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static const char *auto_info_af[] = {
    "gnomad_popmax_af", "gnomad_af_popmax", "gnomad_grpmax_af", "gnomad_af", "gnomad_exomes_af", "gnomad_genomes_af",
    "gnomAD_AF", "gnomADe_AF", "gnomADg_AF", "AF_POPMAX", "AF_popmax", "AF_grpmax", "popmax_af", "MAX_AF",
    "EXACAF", "EXACMAX_AF", "EXACMAXAF", "ExAC_AF", "ExAC_MAX_AF", "1000GAF", "1000G_MAX_AF", "SWEREFAF",
    "TOPMED_AF", "dbNSFP_gnomAD_exomes_AF", "dbNSFP_gnomAD_genomes_AF", NULL};
static const char *auto_info_nhomalt[] = {
    "gnomad_nhomalt", "gnomad_exomes_nhomalt", "gnomad_genomes_nhomalt", "gnomad_hom", "gnomAD_nhomalt",
    "nhomalt", "gnomad_popmax_nhomalt", NULL};
static const char *auto_csq_af[] = {
    "MAX_AF", "gnomAD_AF", "gnomADe_AF", "gnomADg_AF", "gnomAD_exomes_AF", "gnomAD_genomes_AF",
    "ExAC_MAX_AF", "ExAC_AF", "AF", NULL};

typedef struct {
    int nid_af, nid_hom, ncsq;
    int *id_af, *id_hom;
    char **csq;
    char **name_af, **name_hom;  /* for reasons */
    double max_af;
    int max_hom;
    /* population file */
    char *pop_path;
    char **pop_af, **pop_hom;
    int npop_af, npop_hom;
} freq_t;

/* Minimal representation: drop the bases REF and ALT share at the end, then
 * at the start (keeping one), so "TTTT>TT" and "TTT>T" at the same place meet. */
static void minrep(int64_t *pos, const char **ref, size_t *rl, const char **alt, size_t *al)
{
    while (*rl > 1 && *al > 1 && (*ref)[*rl - 1] == (*alt)[*al - 1]) (*rl)--, (*al)--;
    while (*rl > 1 && *al > 1 && **ref == **alt) (*ref)++, (*alt)++, (*rl)--, (*al)--, (*pos)++;
}

typedef struct pop_rec {
    int64_t pos;
    char *ref, *alt;
    double af;
    int hom;
} pop_rec_t;

/* Per-thread handle on the population file, with a window of its records. */
typedef struct {
    htsFile *fp;
    bcf_hdr_t *hdr;
    hts_idx_t *idx;
    tbx_t *tbx;
    bcf1_t *rec;
    kstring_t line, chrom;
    int *af_ids, *hom_ids;
    int64_t win_beg, win_end;  /* 0-based half-open window loaded for `chrom` */
    pop_rec_t *recs;
    int n, m;
    int failed;
    kstring_t err;
} pop_t;

#define POP_WINDOW 100000
#define POP_PAD 1000

static int header_has_info(const bcf_hdr_t *h, const char *key)
{
    int id = bcf_hdr_id2int(h, BCF_DT_ID, key);
    return id >= 0 && bcf_hdr_idinfo_exists(h, BCF_HL_INFO, id) ? id : -1;
}

static void push_str(char ***v, int *n, const char *s)
{
    *v = realloc(*v, (*n + 1) * sizeof(char *));
    (*v)[(*n)++] = strdup(s);
}

static int pick_info(const gs_params_t *p, const char *param, const char **autos, const bcf_hdr_t *h,
                     int **ids, char ***names, int *n, kstring_t *err)
{
    char *const *l;
    int nl = gs_param_list(p, param, &l);
    if (nl) {
        for (int i = 0; i < nl; i++) {
            int id = header_has_info(h, l[i]);
            if (id < 0) { ksprintf(err, "%s: INFO/%s is not declared in the VCF header", param, l[i]); return -1; }
            *ids = realloc(*ids, (*n + 1) * sizeof(int));
            (*ids)[*n] = id;
            int k = *n;
            push_str(names, &k, l[i]);
            (*n)++;
        }
        return 0;
    }
    for (int i = 0; autos[i]; i++) {
        int id = header_has_info(h, autos[i]);
        if (id < 0) continue;
        *ids = realloc(*ids, (*n + 1) * sizeof(int));
        (*ids)[*n] = id;
        int k = *n;
        push_str(names, &k, autos[i]);
        (*n)++;
    }
    return 0;
}


static void freq_free(freq_t *f)
{
    if (!f) return;
    for (int i = 0; i < f->nid_af; i++) free(f->name_af[i]);
    for (int i = 0; i < f->nid_hom; i++) free(f->name_hom[i]);
    for (int i = 0; i < f->ncsq; i++) free(f->csq[i]);
    for (int i = 0; i < f->npop_af; i++) free(f->pop_af[i]);
    for (int i = 0; i < f->npop_hom; i++) free(f->pop_hom[i]);
    free(f->name_af); free(f->name_hom); free(f->csq); free(f->pop_af); free(f->pop_hom);
    free(f->id_af); free(f->id_hom);
    free(f->pop_path);
    free(f);
}

static void pop_close(pop_t *p)
{
    if (!p) return;
    for (int i = 0; i < p->n; i++) { free(p->recs[i].ref); free(p->recs[i].alt); }
    free(p->recs);
    if (p->rec) bcf_destroy(p->rec);
    if (p->idx) hts_idx_destroy(p->idx);
    if (p->tbx) tbx_destroy(p->tbx);
    if (p->hdr) bcf_hdr_destroy(p->hdr);
    if (p->fp) hts_close(p->fp);
    ks_free(&p->line);
    ks_free(&p->chrom);
    ks_free(&p->err);
    free(p->af_ids);
    free(p->hom_ids);
    free(p);
}

static pop_t *pop_open(const freq_t *f, kstring_t *err)
{
    pop_t *p = calloc(1, sizeof(*p));
    p->win_beg = p->win_end = -1;
    p->fp = hts_open(f->pop_path, "r");
    if (!p->fp) { ksprintf(err, "population: %s: cannot open", f->pop_path); goto fail; }
    p->hdr = bcf_hdr_read(p->fp);
    if (!p->hdr) { ksprintf(err, "population: %s: not a VCF/BCF", f->pop_path); goto fail; }
    if (hts_get_format(p->fp)->format == bcf) p->idx = bcf_index_load(f->pop_path);
    else p->tbx = tbx_index_load(f->pop_path);
    if (!p->idx && !p->tbx) {
        ksprintf(err, "population: %s: no index (.tbi/.csi); bgzip and index it with `tabix -p vcf` or `bcftools index`", f->pop_path);
        goto fail;
    }
    p->rec = bcf_init();
    p->af_ids = calloc(f->npop_af ? f->npop_af : 1, sizeof(int));
    p->hom_ids = calloc(f->npop_hom ? f->npop_hom : 1, sizeof(int));
    for (int i = 0; i < f->npop_af; i++) p->af_ids[i] = header_has_info(p->hdr, f->pop_af[i]);
    for (int i = 0; i < f->npop_hom; i++) p->hom_ids[i] = header_has_info(p->hdr, f->pop_hom[i]);
    return p;
fail:
    pop_close(p);
    return NULL;
}

static int init(const gs_params_t *p, const gs_setup_t *su, void **state, kstring_t *err)
{
    freq_t *f = calloc(1, sizeof(*f));
    f->max_af = gs_param_float(p, "max_af");
    f->max_hom = (int)gs_param_int(p, "max_nhomalt");
    if (pick_info(p, "info_af", auto_info_af, su->hdr, &f->id_af, &f->name_af, &f->nid_af, err) < 0) goto fail;
    if (pick_info(p, "info_nhomalt", auto_info_nhomalt, su->hdr, &f->id_hom, &f->name_hom, &f->nid_hom, err) < 0) goto fail;
    char *const *l;
    int nl = gs_param_list(p, "csq_af", &l);
    if (nl) {
        for (int i = 0; i < nl; i++) {
            if (!gs_csq_has_field(su->hdr, l[i])) { ksprintf(err, "csq_af: CSQ has no sub-field '%s'", l[i]); goto fail; }
            push_str(&f->csq, &f->ncsq, l[i]);
        }
    } else {
        for (int i = 0; auto_csq_af[i]; i++)
            if (gs_csq_has_field(su->hdr, auto_csq_af[i])) push_str(&f->csq, &f->ncsq, auto_csq_af[i]);
    }
    const char *pop = gs_param_str(p, "population");
    if (pop) {
        f->pop_path = strdup(pop);
        nl = gs_param_list(p, "population_af", &l);
        for (int i = 0; i < nl; i++) push_str(&f->pop_af, &f->npop_af, l[i]);
        nl = gs_param_list(p, "population_nhomalt", &l);
        for (int i = 0; i < nl; i++) push_str(&f->pop_hom, &f->npop_hom, l[i]);
        pop_t *t = pop_open(f, err);
        if (!t) goto fail;
        int any = 0;
        for (int i = 0; i < f->npop_af; i++) any |= t->af_ids[i] >= 0;
        pop_close(t);
        if (!any) { ksprintf(err, "population: %s declares none of the AF keys in population_af", pop); goto fail; }
    }
    *state = f;
    return 0;
fail:
    freq_free(f);
    return -1;
}

static void *thread_init(void *state)
{
    freq_t *f = state;
    if (!f->pop_path) return NULL;
    kstring_t err = KS_INITIALIZE;
    pop_t *p = pop_open(f, &err);
    if (!p) {
        p = calloc(1, sizeof(*p));
        p->failed = 1;
        p->err = err;
        return p;
    }
    ks_free(&err);
    return p;
}

static void thread_free(void *t) { pop_close(t); }

/* Load the population records of [beg, beg + window) on chrom. */
static int pop_load(const freq_t *f, pop_t *p, const char *chrom, int64_t beg)
{
    for (int i = 0; i < p->n; i++) { free(p->recs[i].ref); free(p->recs[i].alt); }
    p->n = 0;
    p->chrom.l = 0;
    kputs(chrom, &p->chrom);
    p->win_beg = beg;
    p->win_end = beg + POP_WINDOW;
    /* the same contig may be called "chr1" in one file and "1" in the other */
    int tid = p->idx ? bcf_hdr_name2id(p->hdr, chrom) : tbx_name2id(p->tbx, chrom);
    if (tid < 0) {
        char alias[256];
        gs_chrom_alias(chrom, alias, sizeof alias);
        tid = p->idx ? bcf_hdr_name2id(p->hdr, alias) : tbx_name2id(p->tbx, alias);
    }
    if (tid < 0) return 0;
    hts_itr_t *itr = p->idx ? bcf_itr_queryi(p->idx, tid, beg, p->win_end) : tbx_itr_queryi(p->tbx, tid, beg, p->win_end);
    if (!itr) return 0;
    int ret;
    for (;;) {
        if (p->idx) ret = bcf_itr_next(p->fp, itr, p->rec);
        else {
            ret = tbx_itr_next(p->fp, p->tbx, itr, &p->line);
            if (ret >= 0 && vcf_parse(&p->line, p->hdr, p->rec) < 0) ret = -2;
        }
        if (ret < 0) break;
        if (p->idx && !gs_bcf_ids_ok(p->hdr, p->rec, BCF_UN_SHR)) { ret = -2; break; } /* INFO is all it reads */
        if (p->rec->pos < beg) continue; /* starts before the window: loaded with the previous one */
        bcf_unpack(p->rec, BCF_UN_INFO);
        for (int ai = 1; ai < p->rec->n_allele; ai++) {
            if (p->n == p->m) {
                p->m = p->m ? 2 * p->m : 256;
                p->recs = realloc(p->recs, p->m * sizeof(pop_rec_t));
            }
            pop_rec_t *r = &p->recs[p->n++];
            const char *ref = p->rec->d.allele[0], *alt = p->rec->d.allele[ai];
            size_t rl = strlen(ref), al = strlen(alt);
            r->pos = p->rec->pos;
            minrep(&r->pos, &ref, &rl, &alt, &al);
            r->ref = strndup(ref, rl);
            r->alt = strndup(alt, al);
            r->af = -1;
            r->hom = -1;
            double x;
            for (int i = 0; i < f->npop_af; i++)
                if (p->af_ids[i] >= 0 && gs_info_number(p->hdr, p->rec, p->af_ids[i], ai, &x) && x > r->af) r->af = x;
            for (int i = 0; i < f->npop_hom; i++)
                if (p->hom_ids[i] >= 0 && gs_info_number(p->hdr, p->rec, p->hom_ids[i], ai, &x) && x > r->hom) r->hom = (int)x;
        }
    }
    hts_itr_destroy(itr);
    if (ret < -1) {
        ksprintf(&p->err, "population: %s: corrupt record near %s:%lld", f->pop_path, chrom, (long long)beg + 1);
        return -1;
    }
    return 0;
}

static int variant(void *state, void *tstate, gs_variant_t *v, kstring_t *why)
{
    freq_t *f = state;
    double af = v->af, x;
    int hom = v->nhomalt;
    const char *src = NULL, *hsrc = NULL;
    for (int i = 0; i < f->nid_af; i++)
        if (gs_info_number(v->hdr, v->rec, f->id_af[i], v->allele, &x) && x > af) { af = x; src = f->name_af[i]; }
    for (int i = 0; i < f->nid_hom; i++)
        if (gs_info_number(v->hdr, v->rec, f->id_hom[i], v->allele, &x) && x > hom) { hom = (int)x; hsrc = f->name_hom[i]; }
    for (int i = 0; i < f->ncsq; i++) {
        const char **vals;
        int n = gs_variant_csq_field(v, f->csq[i], &vals);
        for (int k = 0; k < n; k++)
            for (const char *s = vals[k]; s && *s; ) {
                char *end;
                x = strtod(s, &end);
                if (end != s && x > af) { af = x; src = f->csq[i]; }
                s = strchr(end, '&');
                if (s) s++;
            }
    }
    if (f->pop_path) {
        pop_t *p = tstate;
        if (p->failed) { kputs(p->err.s, why); return GS_FAIL; }
        int64_t pos = v->rec->pos;
        /* a population record written with more padding may start a little earlier */
        if (strcmp(p->chrom.s ? p->chrom.s : "", v->chrom) || pos < p->win_beg + (p->win_beg ? POP_PAD : 0) || pos >= p->win_end - POP_PAD)
            if (pop_load(f, p, v->chrom, pos > POP_PAD ? pos - POP_PAD : 0) < 0) { kputs(p->err.s, why); return GS_FAIL; }
        const char *ref = v->rec->d.allele[0], *alt = v->rec->d.allele[v->allele];
        size_t rl = strlen(ref), al = strlen(alt);
        int64_t mpos = pos;
        minrep(&mpos, &ref, &rl, &alt, &al);
        for (int i = 0; i < p->n; i++) {
            pop_rec_t *r = &p->recs[i];
            if (r->pos != mpos || strlen(r->ref) != rl || strlen(r->alt) != al || strncmp(r->ref, ref, rl) ||
                strncmp(r->alt, alt, al))
                continue;
            if (r->af > af) { af = r->af; src = "population"; }
            if (r->hom > hom) { hom = r->hom; hsrc = "population"; }
        }
        if (af < 0) af = 0; /* absent from the population file: not seen */
    }
    v->af = af;
    v->nhomalt = hom;
    if (af > f->max_af) {
        ksprintf(why, "population AF %g (%s) > %g", af, src ? src : "earlier stage", f->max_af);
        return GS_DROP;
    }
    if (f->max_hom >= 0 && hom > f->max_hom) {
        ksprintf(why, "homozygote count %d (%s) > %d", hom, hsrc ? hsrc : "earlier stage", f->max_hom);
        return GS_DROP;
    }
    return GS_KEEP;
}

static void destroy(void *state) { freq_free(state); }

void gs_frequency_info_keys(const void *state, const bcf_hdr_t *h, uint8_t *keep)
{
    (void)h;
    const freq_t *f = state;
    for (int i = 0; i < f->nid_af; i++) keep[f->id_af[i]] = 1;
    for (int i = 0; i < f->nid_hom; i++) keep[f->id_hom[i]] = 1;
    /* CSQ sub-fields come through the engine, which keeps CSQ */
}

const gs_stage_t gs_stage_frequency = {
    .api_version = GS_API_VERSION,
    .name = "frequency",
    .description = "population AF / popmax and homozygote counts from INFO, VEP CSQ or an indexed population VCF; drops common alleles",
    .params = params,
    .init = init,
    .thread_init = thread_init,
    .thread_free = thread_free,
    .variant = variant,
    .destroy = destroy,
};
