/* vcfutil.c -- helpers over htslib records. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vcfutil.h"

static int nth_number(const char *s, int len, int idx, double *out)
{
    const char *p = s, *end = s + len;
    for (int i = 0; i < idx; i++) {
        const char *c = memchr(p, ',', end - p);
        if (!c) return 0;
        p = c + 1;
    }
    if (p >= end || (*p == '.' && (p + 1 == end || p[1] == ',' || p[1] == 0))) return 0;
    char buf[64];
    int n = 0;
    while (p < end && *p != ',' && *p && n < 63) buf[n++] = *p++;
    buf[n] = 0;
    char *e;
    double x = strtod(buf, &e);
    if (e == buf) return 0;
    *out = x;
    return 1;
}

int gs_info_number(const bcf_hdr_t *h, bcf1_t *rec, int id, int ai, double *out)
{
    bcf_info_t *inf = bcf_get_info_id(rec, id);
    if (!inf || !inf->vptr) return 0;
    int vl = bcf_hdr_id2length(h, BCF_HL_INFO, id);
    int idx = 0;
    if (vl == BCF_VL_A) idx = ai - 1;
    else if (vl == BCF_VL_R) idx = ai;
    else if (vl == BCF_VL_VAR && inf->type != BCF_BT_CHAR && inf->len == rec->n_allele - 1) idx = ai - 1;
    if (inf->type == BCF_BT_CHAR) {
        const char *str = (const char *)inf->vptr;
        int len = (int)strnlen(str, inf->len), ncomma = 0;
        for (int i = 0; i < len; i++) ncomma += str[i] == ',';
        /* Number=. written with one value per ALT */
        if (vl == BCF_VL_VAR && ncomma + 1 == rec->n_allele - 1) idx = ai - 1;
        return nth_number(str, len, idx, out);
    }
    if (idx >= inf->len) {
        if (inf->len != 1) return 0;
        idx = 0;
    }
    /* INFO values are packed without alignment: copy each one out */
    const uint8_t *p = inf->vptr;
    switch (inf->type) {
    case BCF_BT_INT8: {
        int8_t x = ((const int8_t *)p)[idx];
        if (x == bcf_int8_missing || x == bcf_int8_vector_end) return 0;
        *out = x;
        return 1;
    }
    case BCF_BT_INT16: {
        int16_t x;
        memcpy(&x, p + idx * sizeof(x), sizeof(x));
        if (x == bcf_int16_missing || x == bcf_int16_vector_end) return 0;
        *out = x;
        return 1;
    }
    case BCF_BT_INT32: {
        int32_t x;
        memcpy(&x, p + idx * sizeof(x), sizeof(x));
        if (x == bcf_int32_missing || x == bcf_int32_vector_end) return 0;
        *out = x;
        return 1;
    }
    case BCF_BT_FLOAT: {
        float x;
        memcpy(&x, p + idx * sizeof(x), sizeof(x));
        if (bcf_float_is_missing(x) || bcf_float_is_vector_end(x)) return 0;
        *out = x;
        return 1;
    }
    }
    return 0;
}

int gs_chrom_kind(const char *c)
{
    if (!strncasecmp(c, "chr", 3)) c += 3;
    if (!strcmp(c, "X")) return 1;
    if (!strcmp(c, "Y")) return 2;
    if (!strcmp(c, "M") || !strcmp(c, "MT")) return 3;
    return 0;
}

const char *gs_chrom_alias(const char *chrom, char *buf, size_t n)
{
    const char *bare = !strncasecmp(chrom, "chr", 3) ? chrom + 3 : chrom;
    if (!strcmp(bare, "M") || !strcmp(bare, "MT")) snprintf(buf, n, "%s", bare == chrom ? "chrM" : "MT");
    else if (bare != chrom) snprintf(buf, n, "%s", bare);
    else snprintf(buf, n, "chr%s", chrom);
    return buf;
}

int gs_detect_build(const bcf_hdr_t *h)
{
    static const struct { const char *name; int64_t len37, len38; } probe[] = {
        {"1", 249250621, 248956422}, {"chr1", 249250621, 248956422},
        {"X", 155270560, 156040895}, {"chrX", 155270560, 156040895},
    };
    for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
        int id = bcf_hdr_name2id(h, probe[i].name);
        if (id < 0) continue;
        int64_t len = h->id[BCF_DT_CTG][id].val ? h->id[BCF_DT_CTG][id].val->info[0] : 0;
        if (len == probe[i].len37) return 37;
        if (len == probe[i].len38) return 38;
    }
    return 0;
}

int gs_y_nonpar(const char *chrom, int64_t pos, int build)
{
    if (gs_chrom_kind(chrom) != 2) return 0;
    if (!build) build = !strncasecmp(chrom, "chr", 3) ? 38 : 37;
    if (build == 38) return !(pos >= 10001 && pos <= 2781479) && !(pos >= 56887903 && pos <= 57217415);
    return !(pos >= 10001 && pos <= 2649520) && !(pos >= 59034050 && pos <= 59363566);
}

int gs_x_nonpar(const char *chrom, int64_t pos, int build)
{
    if (gs_chrom_kind(chrom) != 1) return 0;
    if (!build) build = !strncasecmp(chrom, "chr", 3) ? 38 : 37;
    if (build == 38) return !(pos >= 10001 && pos <= 2781479) && !(pos >= 155701383 && pos <= 156030895);
    return !(pos >= 60001 && pos <= 2699520) && !(pos >= 154931044 && pos <= 155260560);
}

int gs_fmt_load(gs_fmt_t *f, const bcf_hdr_t *h, bcf1_t *rec, const char **why)
{
    int nsmp = bcf_hdr_nsamples(h);
    /* htslib's numeric FORMAT getters exit() on values typed other than int
     * or float (a BCF record can type them as the header does not say) */
    bcf_unpack(rec, BCF_UN_FMT);
    for (int i = 0; i < rec->n_fmt; i++) {
        const bcf_fmt_t *x = &rec->d.fmt[i];
        if (!x->p || x->type == BCF_BT_INT8 || x->type == BCF_BT_INT16 || x->type == BCF_BT_INT32 || x->type == BCF_BT_FLOAT)
            continue;
        if (x->id >= 0 && x->id < h->n[BCF_DT_ID] && bcf_hdr_idinfo_exists(h, BCF_HL_FMT, x->id) &&
            bcf_hdr_id2type(h, BCF_HL_FMT, x->id) == BCF_HT_STR && strcmp(h->id[BCF_DT_ID][x->id].key, "GT"))
            continue; /* a string, read as bytes */
        *why = "a FORMAT value not typed as a number where the header declares one";
        return -1;
    }
    f->ngt = bcf_get_genotypes(h, rec, &f->gt, &f->mgt);
    f->nad = bcf_get_format_int32(h, rec, "AD", &f->ad, &f->mad);
    f->ndp = bcf_get_format_int32(h, rec, "DP", &f->dp, &f->mdp);
    f->gq_float = 0;
    f->ngq = bcf_get_format_int32(h, rec, "GQ", &f->gq, &f->mgq);
    if (f->ngq == -2) { /* some callers write GQ as Float */
        f->ngq = bcf_get_format_float(h, rec, "GQ", &f->gqf, &f->mgqf);
        f->gq_float = 1;
    }
    if (nsmp && f->ngt > 0 && f->ngt % nsmp) f->ngt = -1;
    if (nsmp && f->nad > 0 && f->nad % nsmp) f->nad = -1;
    f->nps = bcf_get_format_int32(h, rec, "PS", &f->ps, &f->mps);
    if (f->nps > 0 && f->nps != nsmp) f->nps = -1;
    /* DP and GQ are Number=1: anything else is not what we can read */
    if (f->ndp > 0 && f->ndp != nsmp) f->ndp = -1;
    if (f->ngq > 0 && f->ngq != nsmp) f->ngq = -1;
    return 0;
}

void gs_fmt_free(gs_fmt_t *f)
{
    free(f->gt); free(f->ad); free(f->dp); free(f->gq); free(f->gqf); free(f->ps);
    memset(f, 0, sizeof(*f));
}

void gs_fmt_calls(const gs_fmt_t *f, int nsmp, int ai, gs_call_t *calls)
{
    int ploidy = nsmp && f->ngt > 0 ? f->ngt / nsmp : 0;
    int adn = nsmp && f->nad > 0 ? f->nad / nsmp : 0;
    int has_dp = f->ndp > 0;
    for (int s = 0; s < nsmp; s++) {
        gs_call_t *c = &calls[s];
        memset(c, 0, sizeof(*c));
        c->pass = 1;
        c->dp = c->gq = c->ad_ref = c->ad_alt = c->ad_total = c->ps = c->pair = -1;
        c->hap = -1;
        int adsum = -1;
        if (adn > ai) {
            const int32_t *a = f->ad + s * adn;
            for (int j = 0; j < adn && a[j] != bcf_int32_vector_end; j++)
                if (a[j] != bcf_int32_missing) adsum = (adsum < 0 ? 0 : adsum) + a[j];
            c->ad_total = adsum;
            if (a[0] != bcf_int32_missing && a[0] != bcf_int32_vector_end) c->ad_ref = a[0];
            if (a[ai] != bcf_int32_missing && a[ai] != bcf_int32_vector_end) c->ad_alt = a[ai];
        }
        if (has_dp && f->dp[s] != bcf_int32_missing && f->dp[s] != bcf_int32_vector_end) c->dp = f->dp[s];
        else if (adsum >= 0) c->dp = adsum; /* no DP for this sample: the AD sum */
        if (f->ngq > 0) {
            if (f->gq_float) {
                float x = f->gqf[s];
                if (!bcf_float_is_missing(x) && !bcf_float_is_vector_end(x)) c->gq = (int32_t)x;
            } else if (f->gq[s] != bcf_int32_missing && f->gq[s] != bcf_int32_vector_end) {
                c->gq = f->gq[s];
            }
        }
        if (ploidy <= 0) { c->gt = GS_GT_MISSING; continue; }
        const int32_t *g = f->gt + s * ploidy;
        int ncalled = 0, nmiss = 0, nthis = 0, where = -1;
        for (int j = 0; j < ploidy && g[j] != bcf_int32_vector_end; j++) {
            if (j > 0 && bcf_gt_is_phased(g[j])) c->phased = 1;
            if (bcf_gt_is_missing(g[j])) { nmiss++; continue; }
            ncalled++;
            if (bcf_gt_allele(g[j]) == ai) nthis++, where = j;
        }
        if (c->phased) {
            c->ps = 0; /* phased without PS: one set for the whole contig (VCF spec) */
            if (f->nps > 0 && f->ps[s] != bcf_int32_missing && f->ps[s] != bcf_int32_vector_end) c->ps = f->ps[s];
            if (nthis == 1 && ncalled == 2) c->hap = (int8_t)where;
        }
        c->ploidy = ncalled + nmiss;
        if (!ncalled) {
            c->gt = GS_GT_MISSING;
        } else if (!nthis) {
            c->gt = nmiss ? GS_GT_MISSING : GS_GT_REF;
            /* 0/0 with no depth (merged gVCF blocks) is no evidence of hom-ref */
            if (c->gt == GS_GT_REF && (has_dp || adsum >= 0) && c->dp <= 0) c->gt = GS_GT_MISSING;
        } else if (ncalled + nmiss == 1) {
            c->gt = GS_GT_HEMI;
        } else if (nthis == ncalled && !nmiss) {
            c->gt = GS_GT_HOM;
        } else {
            c->gt = GS_GT_HET;
        }
    }
}

/* An id is usable when the header declares it with the right kind of line. */
static int id_ok(const bcf_hdr_t *h, int id, int type)
{
    return id >= 0 && id < h->n[BCF_DT_ID] && h->id[BCF_DT_ID][id].val && h->id[BCF_DT_ID][id].val->hrec[type];
}

int gs_bcf_ids_ok(const bcf_hdr_t *h, bcf1_t *rec, int which)
{
    if (which == BCF_UN_SHR) {
        if (rec->rid < 0 || rec->rid >= h->n[BCF_DT_CTG]) return 0;
        if (rec->n_sample != (uint32_t)bcf_hdr_nsamples(h) && rec->n_fmt) return 0;
        bcf_unpack(rec, BCF_UN_SHR);
        for (int i = 0; i < rec->d.n_flt; i++)
            if (!id_ok(h, rec->d.flt[i], BCF_HL_FLT)) return 0;
        for (int i = 0; i < rec->n_info; i++)
            if (!id_ok(h, rec->d.info[i].key, BCF_HL_INFO)) return 0;
        return 1;
    }
    bcf_unpack(rec, BCF_UN_FMT);
    for (int i = 0; i < rec->n_fmt; i++)
        if (!id_ok(h, rec->d.fmt[i].id, BCF_HL_FMT)) return 0;
    return 1;
}

/* ------------------------------------------------------------------ */
/* BCF records from their bytes                                         */

static const int type_shift[16] = {0, 0, 1, 2, 3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
/* the value types a BCF file may hold: NULL, INT8, INT16, INT32, FLOAT, CHAR */
#define VALID_TYPES ((1 << BCF_BT_NULL) | (1 << BCF_BT_INT8) | (1 << BCF_BT_INT16) | (1 << BCF_BT_INT32) | \
                     (1 << BCF_BT_FLOAT) | (1 << BCF_BT_CHAR))
#define INT_TYPES ((1 << BCF_BT_INT8) | (1 << BCF_BT_INT16) | (1 << BCF_BT_INT32))

static inline uint32_t rd_u32(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

/* a typed integer (INT8/16/32 with its type byte) */
static inline __attribute__((always_inline)) int dec_int1(const uint8_t **pp, const uint8_t *end, int32_t *val)
{
    const uint8_t *p = *pp;
    if (end - p < 2) return -1;
    int t = *p++ & 0xf;
    if (t == BCF_BT_INT8) *val = (int8_t)*p++;
    else if (t == BCF_BT_INT16) {
        if (end - p < 2) return -1;
        *val = (int16_t)(p[0] | p[1] << 8);
        p += 2;
    } else if (t == BCF_BT_INT32) {
        if (end - p < 4) return -1;
        *val = (int32_t)rd_u32(p);
        p += 4;
    } else return -1;
    *pp = p;
    return 0;
}

/* a type byte and its count (15: the count follows as a typed integer) */
static inline __attribute__((always_inline)) int dec_size(const uint8_t **pp, const uint8_t *end, int32_t *num, int *type)
{
    const uint8_t *p = *pp;
    if (p >= end) return -1;
    *type = *p & 0xf;
    if (*p >> 4 != 15) {
        *num = *p >> 4;
        *pp = p + 1;
        return 0;
    }
    p++;
    if (dec_int1(&p, end, num) < 0 || *num < 0) return -1;
    *pp = p;
    return 0;
}

/* skip `num` values of `type` (times `mult`) */
static inline __attribute__((always_inline)) int skip_values(const uint8_t **pp, const uint8_t *end, int32_t num, int type, uint64_t mult)
{
    uint64_t bytes = ((uint64_t)num << type_shift[type]) * mult;
    if ((uint64_t)(end - *pp) < bytes) return -1;
    *pp += bytes;
    return 0;
}

int gs_hdr_idx_check(const char *txt, kstring_t *why)
{
    long lines = 1;
    for (const char *p = txt; (p = strchr(p, '\n')); p++) lines++;
    /* IDX values number the header's ids; a file whose header lost lines keeps
     * gaps, but no header needs more than this */
    long long bound = 10LL * lines + 65536;
    long line = 1;
    const char *at = txt;
    for (const char *p = txt; (p = strstr(p, "IDX=")); p += 4) {
        if (p > txt && p[-1] != ',' && p[-1] != '<') continue;
        for (; at < p; at++) line += *at == '\n';
        char *e;
        long long v = strtoll(p + 4, &e, 10);
        if (e > p + 4 && (v < 0 || v > bound)) {
            ksprintf(why, "header line %ld: IDX=%lld is beyond any id this header can have", line, v);
            return -1;
        }
    }
    return 0;
}

/* per id: bit 0 FILTER, 1 INFO, 2 FORMAT; bits 4-5: 1 + the slot of a wanted INFO id */
#define ID_FLT 1
#define ID_INFO 2
#define ID_FMT 4
struct gs_bcf_ids {
    int n, nwant, gt;     /* gt: the id of FORMAT/GT (-1: none) */
    uint8_t *kind;
};

gs_bcf_ids_t *gs_bcf_ids_new(const bcf_hdr_t *h, const int *want, int nwant)
{
    gs_bcf_ids_t *t = calloc(1, sizeof(*t));
    int n = h->n[BCF_DT_ID];
    if (!t || !(t->kind = calloc(n ? n : 1, 1))) {
        free(t);
        return NULL;
    }
    t->n = n;
    t->nwant = nwant;
    t->gt = bcf_hdr_id2int(h, BCF_DT_ID, "GT");
    if (t->gt >= 0 && !id_ok(h, t->gt, BCF_HL_FMT)) t->gt = -1;
    for (int i = 0; i < n; i++)
        t->kind[i] = id_ok(h, i, BCF_HL_FLT) * ID_FLT | id_ok(h, i, BCF_HL_INFO) * ID_INFO | id_ok(h, i, BCF_HL_FMT) * ID_FMT;
    for (int k = nwant - 1; k >= 0; k--) /* an id wanted twice: its first slot */
        if (want[k] >= 0 && want[k] < n) t->kind[want[k]] = (t->kind[want[k]] & 15) | (k + 1) << 4;
    return t;
}

void gs_bcf_ids_free(gs_bcf_ids_t *t)
{
    if (!t) return;
    free(t->kind);
    free(t);
}

static inline int id_kind(const gs_bcf_ids_t *t, int32_t id) { return (uint32_t)id < (uint32_t)t->n ? t->kind[id] : 0; }

int gs_bcf_decode(const bcf_hdr_t *h, const gs_bcf_ids_t *ids, const uint8_t *p, size_t n, bcf1_t *v,
                  gs_bcf_found_t *found, const char **why)
{
    int nwant = ids->nwant;
    const char **vals = found->vals;
    size_t *lens = found->lens;
    found->gt = NULL;
    /* what bcf_clear resets, less its walk over every INFO and FORMAT slot for
     * values bcf_update_* replaced (never done to these records) */
    v->rid = v->pos = v->rlen = v->unpacked = 0;
    bcf_float_set_missing(v->qual);
    v->n_info = v->n_allele = v->n_fmt = v->n_sample = 0;
    v->shared.l = v->indiv.l = 0;
    v->d.var_type = -1;
    v->d.shared_dirty = v->d.indiv_dirty = 0;
    v->d.n_flt = 0;
    v->errcode = 0;
    if (v->d.m_als) v->d.als[0] = 0;
    if (v->d.m_id) v->d.id[0] = 0;
    unsigned seen = 0; /* of want[] (at most 32) */
    for (int k = 0; k < nwant; k++) lens[k] = 0;
    if (n < 32) { *why = "shorter than its fixed fields"; return -1; }
    uint32_t l_shared = rd_u32(p), l_indiv = rd_u32(p + 4);
    if (l_shared < 24 || (uint64_t)l_shared + l_indiv + 8 != n) { *why = "its lengths do not add up"; return -1; }
    v->rid = (int32_t)rd_u32(p + 8);
    v->pos = (int32_t)rd_u32(p + 12);
    if (v->pos == INT32_MAX) v->pos = -1;
    v->rlen = (int32_t)rd_u32(p + 16);
    uint32_t q = rd_u32(p + 20);
    memcpy(&v->qual, &q, 4);
    v->n_info = p[24] | p[25] << 8;
    v->n_allele = p[26] | p[27] << 8;
    v->n_sample = rd_u32(p + 28) & 0xffffff;
    v->n_fmt = p[31];
    if ((!l_indiv || !v->n_sample) && v->n_fmt) v->n_fmt = 0; /* as htslib reads old bcf_subset output */
    size_t ls = l_shared - 24;
    if (ks_resize(&v->shared, ls ? ls : 1) < 0) {
        *why = "out of memory";
        return -1;
    }
    memcpy(v->shared.s, p + 32, ls);
    v->shared.l = ls;
    found->indiv = p + 32 + ls;
    found->l_indiv = l_indiv;

    if (v->rid < 0 || v->rid >= h->n[BCF_DT_CTG] || !h->id[BCF_DT_CTG][v->rid].key) { *why = "contig id not in the header"; return -1; }
    if (v->n_fmt && v->n_sample != (uint32_t)bcf_hdr_nsamples(h)) { *why = "sample count differs from the header"; return -1; }
    if (v->n_allele < 1) { *why = "no REF allele"; return -1; }
    const uint8_t *s = (uint8_t *)v->shared.s, *e = s + v->shared.l;
    int32_t num, key, ref_len = 0;
    int type;
    /* ID, then the alleles: character strings */
    for (int i = 0; i <= v->n_allele; i++) {
        if (i == 1) found->ref = s;
        if (dec_size(&s, e, &num, &type) < 0 || skip_values(&s, e, num, type, 1) < 0) goto bad_shared;
        if (type != BCF_BT_CHAR) { *why = i ? "an allele that is not a string" : "an ID that is not a string"; return -1; }
        if (i == 1) ref_len = num;
    }
    /* FILTER: integers, each a FILTER the header declares */
    if (dec_size(&s, e, &num, &type) < 0) goto bad_shared;
    if (num > 0) {
        if (!((1 << type) & INT_TYPES)) { *why = "FILTER values that are not integers"; return -1; }
        for (int i = 0; i < num; i++) {
            const uint8_t *t = s;
            if (skip_values(&s, e, 1, type, 1) < 0) goto bad_shared;
            key = type == BCF_BT_INT8 ? (int8_t)t[0] : type == BCF_BT_INT16 ? (int16_t)(t[0] | t[1] << 8) : (int32_t)rd_u32(t);
            if (!(id_kind(ids, key) & ID_FLT)) { *why = "a FILTER id the header does not declare"; return -1; }
        }
    }
    for (int i = 0; i < v->n_info; i++) {
        if (dec_int1(&s, e, &key) < 0) goto bad_shared;
        int kind = id_kind(ids, key);
        if (!(kind & ID_INFO)) { *why = "an INFO id the header does not declare"; return -1; }
        if (dec_size(&s, e, &num, &type) < 0) goto bad_shared;
        if (!((1 << type) & VALID_TYPES) || (type == BCF_BT_NULL && num > 0)) { *why = "an INFO value of an invalid type"; return -1; }
        const uint8_t *val = s;
        if (skip_values(&s, e, num, type, 1) < 0) goto bad_shared;
        int k = (kind >> 4) - 1;
        if (k >= 0 && !(seen >> k & 1)) { /* the first occurrence */
            seen |= 1u << k;
            if (type == BCF_BT_CHAR && num > 0) {
                const uint8_t *z = memchr(val, 0, num);
                vals[k] = (const char *)val;
                lens[k] = z ? (size_t)(z - val) : (size_t)num;
            }
        }
    }
    if (v->rlen < 0) v->rlen = ref_len; /* as htslib: the REF length stands in for a bad rlen */
    return 0;
bad_shared:
    *why = "shared part malformed or too short";
    return -1;
}

int gs_bcf_decode_indiv(const gs_bcf_ids_t *ids, bcf1_t *v, gs_bcf_found_t *found, const char **why)
{
    uint32_t l_indiv = found->l_indiv;
    if (ks_resize(&v->indiv, l_indiv ? l_indiv : 1) < 0) {
        *why = "out of memory";
        return -1;
    }
    memcpy(v->indiv.s, found->indiv, l_indiv);
    v->indiv.l = l_indiv;
    found->gt = NULL;
    const uint8_t *s = (uint8_t *)v->indiv.s, *e = s + v->indiv.l;
    int32_t num, key;
    int type;
    for (int i = 0; i < v->n_fmt; i++) {
        if (dec_int1(&s, e, &key) < 0) goto bad_indiv;
        if (!(id_kind(ids, key) & ID_FMT)) { *why = "a FORMAT id the header does not declare"; return -1; }
        if (dec_size(&s, e, &num, &type) < 0) goto bad_indiv;
        if (!((1 << type) & VALID_TYPES) || (type == BCF_BT_NULL && num > 0)) { *why = "a FORMAT value of an invalid type"; return -1; }
        if (key == ids->gt && !found->gt) {
            found->gt = s;
            found->gt_type = type;
            found->gt_num = num;
        }
        if (skip_values(&s, e, num, type, v->n_sample) < 0) goto bad_indiv;
    }
    return 0;
bad_indiv:
    *why = "per-sample part malformed or too short";
    return -1;
}

void gs_bcf_next_alt(const bcf1_t *v, const gs_bcf_found_t *f, const uint8_t **at, const char **s, size_t *n)
{
    /* the record was checked: its alleles are well-formed strings inside the shared part */
    const uint8_t *p = *at, *e = (uint8_t *)v->shared.s + v->shared.l;
    int32_t num = 0;
    int type;
    if (!p) { /* past REF */
        p = f->ref;
        dec_size(&p, e, &num, &type);
        p += num;
    }
    dec_size(&p, e, &num, &type);
    const uint8_t *z = memchr(p, 0, num);
    *s = (const char *)p;
    *n = z ? (size_t)(z - p) : (size_t)num;
    *at = p + num;
}

int gs_bcf_info_str(const bcf_hdr_t *h, const bcf1_t *v, const char *key, const char **val, size_t *len)
{
    int id = bcf_hdr_id2int(h, BCF_DT_ID, key);
    if (id < 0) return 0;
    const uint8_t *s = (uint8_t *)v->shared.s, *e = s + v->shared.l;
    int32_t num, k;
    int type;
    for (int i = 0; i <= v->n_allele; i++) /* ID, then the alleles */
        if (dec_size(&s, e, &num, &type) < 0 || skip_values(&s, e, num, type, 1) < 0) return -1;
    if (dec_size(&s, e, &num, &type) < 0 || skip_values(&s, e, num, type, 1) < 0) return -1; /* FILTER */
    for (int i = 0; i < v->n_info; i++) {
        if (dec_int1(&s, e, &k) < 0 || dec_size(&s, e, &num, &type) < 0) return -1;
        const uint8_t *p = s;
        if (skip_values(&s, e, num, type, 1) < 0) return -1;
        if (k != id) continue;
        if (type != BCF_BT_CHAR || num <= 0) return 0; /* bcf_get_info_string would give nothing */
        const uint8_t *z = memchr(p, 0, num);
        *val = (const char *)p;
        *len = z ? (size_t)(z - p) : (size_t)num;
        return *len > 0;
    }
    return 0;
}

void *gs_kstring_thread_init(void *state)
{
    (void)state;
    return calloc(1, sizeof(kstring_t));
}

void gs_kstring_thread_free(void *tstate)
{
    ks_free(tstate);
    free(tstate);
}

/* ------------------------------------------------------------------ */
/* INFO pruning                                                        */

/* An open-addressing set of key names, looked up by (pointer, length) so the
 * keys of a text line need no terminating NUL. */
struct gs_info_prune {
    size_t mask;      /* table size - 1, a power of two minus one */
    char **name;      /* NULL = empty slot */
    size_t *len;
};

/* a hash that needs no pass over the key: its length and three of its bytes */
static size_t name_hash(const char *s, size_t n)
{
    return n * 7919u + (unsigned char)s[0] * 31u + (unsigned char)s[n / 2] * 131u + (unsigned char)s[n - 1];
}

static int prune_has(const gs_info_prune_t *p, const char *s, size_t n)
{
    for (size_t i = name_hash(s, n) & p->mask; p->name[i]; i = (i + 1) & p->mask)
        if (p->len[i] == n && !memcmp(p->name[i], s, n)) return 1;
    return 0;
}

gs_info_prune_t *gs_info_prune_init(const bcf_hdr_t *h, const uint8_t *keep)
{
    int ndrop = 0;
    for (int id = 0; id < h->n[BCF_DT_ID]; id++)
        ndrop += h->id[BCF_DT_ID][id].key && bcf_hdr_idinfo_exists(h, BCF_HL_INFO, id) && !keep[id] &&
                 strcmp(h->id[BCF_DT_ID][id].key, "END");
    if (!ndrop) return NULL;
    gs_info_prune_t *p = calloc(1, sizeof(*p));
    size_t size = 16;
    while (size < 4 * (size_t)ndrop) size *= 2;
    p->mask = size - 1;
    p->name = calloc(size, sizeof(char *));
    p->len = calloc(size, sizeof(size_t));
    for (int id = 0; id < h->n[BCF_DT_ID]; id++) {
        const char *key = h->id[BCF_DT_ID][id].key;
        if (!key || !bcf_hdr_idinfo_exists(h, BCF_HL_INFO, id) || keep[id] || !strcmp(key, "END")) continue;
        size_t n = strlen(key), i = name_hash(key, n) & p->mask;
        while (p->name[i]) i = (i + 1) & p->mask;
        p->name[i] = strdup(key);
        p->len[i] = n;
    }
    return p;
}

int gs_info_prune(const gs_info_prune_t *p, const kstring_t *line, kstring_t *out)
{
    if (!p) return 0;
    const char *s = line->s, *end = s + line->l, *info = s;
    for (int k = 0; k < 7; k++) {
        info = memchr(info, '\t', end - info);
        if (!info) return 0;
        info++;
    }
    const char *info_end = memchr(info, '\t', end - info);
    if (!info_end) info_end = end;
    if (ks_resize(out, line->l + 2) < 0) return 0; /* the result is never longer */
    char *o = out->s;
    memcpy(o, s, info - s);
    o += info - s;
    char *start = o;
    int dropped = 0;
    for (const char *item = info; item < info_end;) {
        const char *key_end = item;
        while (key_end < info_end && *key_end != '=' && *key_end != ';') key_end++;
        if (key_end == item) return 0; /* an empty key: leave the line to htslib */
        const char *item_end = *key_end == ';' || key_end == info_end ? key_end : memchr(key_end, ';', info_end - key_end);
        if (!item_end) item_end = info_end;
        if (prune_has(p, item, key_end - item)) {
            dropped = 1;
        } else {
            if (o > start) *o++ = ';';
            memcpy(o, item, item_end - item);
            o += item_end - item;
        }
        item = item_end + 1;
    }
    if (!dropped) return 0;
    if (o == start) *o++ = '.';
    memcpy(o, info_end, end - info_end);
    o += end - info_end;
    *o = 0;
    out->l = o - out->s;
    return 1;
}

void gs_info_prune_free(gs_info_prune_t *p)
{
    if (!p) return;
    for (size_t i = 0; i <= p->mask; i++) free(p->name[i]);
    free(p->name);
    free(p->len);
    free(p);
}
