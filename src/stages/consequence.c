#define _GNU_SOURCE /* memmem */
/* consequence: genes an allele touches and, per gene, its most severe
 * Sequence Ontology consequence, from VEP CSQ, SnpEff ANN or bcftools BCSQ
 * (or, for unannotated input, gene overlap from a BED file: "unknown").
 * Keeps an allele when at least one gene passes the impact / term rules;
 * genes that do not pass are removed from the allele. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <htslib/regidx.h>

#include "genesieve/genesieve.h"
#include "../annot.h"
#include "../vcfutil.h"
#include "builtin.h"

static const gs_param_def_t params[] = {
    {"sources", GS_PARAM_LIST, "auto", 0, 0, "annotation tags to read: CSQ, BCSQ, ANN (auto: the first the header has, in that order)"},
    {"impacts", GS_PARAM_LIST, "HIGH,MODERATE,UNKNOWN", 0, 0, "impact classes kept (HIGH, MODERATE, LOW, MODIFIER, UNKNOWN)"},
    {"keep_terms", GS_PARAM_LIST, "splice_region_variant", 0, 0, "SO terms kept whatever their impact"},
    {"drop_terms", GS_PARAM_LIST, "", 0, 0, "SO terms never kept"},
    {"genes_bed", GS_PARAM_STRING, "", 0, 0, "BED with gene names in column 4; used when the input has no annotation"},
    {NULL, 0, NULL, 0, 0, NULL},
};

typedef struct {
    int nsrc;
    gs_ann_layout_t src[3];
    char needle[3][40];  /* "TAG=" */
    size_t nneedle[3];
    int impact_ok[GS_IMPACT_UNKNOWN + 1];
    char *term_rule; /* per severity: 1 keep, -1 drop, 0 by impact */
    regidx_t *bed;
} csq_t;

typedef struct {
    gs_genelist_t all, kept;
    kstring_t raw, vep_allele;
    regitr_t *itr;
} csq_thread_t;

static int term_index(const char *t, kstring_t *err, const char *param)
{
    int sev, imp;
    if (gs_so_lookup(t, strlen(t), &sev, &imp) < 0) {
        ksprintf(err, "%s: '%s' is not a known Sequence Ontology consequence term", param, t);
        return -1;
    }
    return sev;
}

static int check(const gs_params_t *p, kstring_t *err)
{
    char *const *l;
    int n = gs_param_list(p, "impacts", &l);
    for (int i = 0; i < n; i++)
        if (gs_impact_parse(l[i]) < 0) {
            ksprintf(err, "impacts: '%s' is not one of HIGH, MODERATE, LOW, MODIFIER, UNKNOWN", l[i]);
            return -1;
        }
    const char *lists[] = {"keep_terms", "drop_terms"};
    for (int k = 0; k < 2; k++) {
        n = gs_param_list(p, lists[k], &l);
        for (int i = 0; i < n; i++)
            if (term_index(l[i], err, lists[k]) < 0) return -1;
    }
    n = gs_param_list(p, "sources", &l);
    for (int i = 0; i < n; i++)
        if (strcasecmp(l[i], "auto") && strcmp(l[i], "CSQ") && strcmp(l[i], "ANN") && strcmp(l[i], "BCSQ")) {
            ksprintf(err, "sources: '%s' is not one of auto, CSQ, BCSQ, ANN", l[i]);
            return -1;
        }
    return 0;
}

static void destroy(void *state)
{
    csq_t *c = state;
    if (!c) return;
    for (int i = 0; i < c->nsrc; i++) gs_ann_layout_free(&c->src[i]);
    free(c->term_rule);
    if (c->bed) regidx_destroy(c->bed);
    free(c);
}

/* BED: chrom, start, end, name -> payload is the name */
static int parse_bed(const char *line, char **chr_beg, char **chr_end, hts_pos_t *beg, hts_pos_t *end, void *payload, void *usr)
{
    (void)usr;
    char *s = (char *)line;
    if (*s == '#' || !*s || !strncmp(s, "track", 5) || !strncmp(s, "browser", 7)) return -1;
    char *t = strchr(s, '\t');
    if (!t) return -2;
    *chr_beg = s;
    *chr_end = t - 1;
    char *e;
    *beg = strtoll(t + 1, &e, 10);
    if (*e != '\t') return -2;
    *end = strtoll(e + 1, &e, 10) - 1;
    if (*e != '\t') return -2;
    char *name = e + 1, *ne = strchr(name, '\t');
    *(char **)payload = ne ? strndup(name, ne - name) : strdup(name);
    return 0;
}

static void free_bed(void *payload) { free(*(char **)payload); }

static int init(const gs_params_t *p, const gs_setup_t *su, void **state, kstring_t *err)
{
    if (check(p, err) < 0) return -1;
    csq_t *c = calloc(1, sizeof(*c));
    c->term_rule = calloc(gs_so_count(), 1);
    char *const *l;
    int n = gs_param_list(p, "impacts", &l);
    for (int i = 0; i < n; i++) c->impact_ok[gs_impact_parse(l[i])] = 1;
    n = gs_param_list(p, "keep_terms", &l);
    for (int i = 0; i < n; i++) c->term_rule[term_index(l[i], err, "keep_terms")] = 1;
    n = gs_param_list(p, "drop_terms", &l);
    for (int i = 0; i < n; i++) c->term_rule[term_index(l[i], err, "drop_terms")] = -1;

    static const struct { const char *tag; gs_ann_kind_t kind; } order[] = {
        {"CSQ", GS_ANN_CSQ}, {"BCSQ", GS_ANN_BCSQ}, {"ANN", GS_ANN_ANN}};
    n = gs_param_list(p, "sources", &l);
    int is_auto = n == 0 || (n == 1 && !strcasecmp(l[0], "auto"));
    for (int k = 0; k < 3; k++) {
        int wanted = is_auto;
        for (int i = 0; i < n && !is_auto; i++) wanted |= !strcmp(l[i], order[k].tag);
        if (!wanted || (is_auto && c->nsrc)) continue;
        int ret = gs_ann_layout_init(&c->src[c->nsrc], order[k].kind, order[k].tag, su->hdr, err);
        if (ret < 0) goto fail;
        if (ret == 1) {
            if (!is_auto) { ksprintf(err, "sources: INFO/%s is not declared in the VCF header", order[k].tag); goto fail; }
            continue;
        }
        snprintf(c->needle[c->nsrc], sizeof c->needle[0], "%s=", order[k].tag);
        c->nneedle[c->nsrc] = strlen(c->needle[c->nsrc]);
        c->nsrc++;
    }
    const char *bed = gs_param_str(p, "genes_bed");
    if (bed) {
        c->bed = regidx_init(bed, parse_bed, free_bed, sizeof(char *), NULL);
        if (!c->bed) { ksprintf(err, "genes_bed: %s: cannot read it as a BED file with gene names in column 4", bed); goto fail; }
        /* build every per-contig index now, so workers only read it */
        int nseq = 0;
        char **names = regidx_seq_names(c->bed, &nseq);
        for (int i = 0; i < nseq; i++) regidx_overlap(c->bed, names[i], 0, 1, NULL);
    }
    if (!c->nsrc && !c->bed) {
        ksprintf(err, "the input has no CSQ, BCSQ or ANN annotation; annotate it (VEP, SnpEff, bcftools csq) "
                      "or give genes with --genes FILE.bed");
        goto fail;
    }
    *state = c;
    return 0;
fail:
    destroy(c);
    return -1;
}

static void *thread_init(void *state)
{
    csq_t *c = state;
    csq_thread_t *t = calloc(1, sizeof(*t));
    if (c->bed) t->itr = regitr_init(c->bed);
    return t;
}

static void thread_free(void *tstate)
{
    csq_thread_t *t = tstate;
    gs_genelist_free(&t->all);
    gs_genelist_free(&t->kept);
    ks_free(&t->raw);
    ks_free(&t->vep_allele);
    if (t->itr) regitr_destroy(t->itr);
    free(t);
}

typedef struct { const gs_ann_layout_t *L; gs_genelist_t *gl; } cb_data_t;

static void on_entry(void *data, char **f, int nf)
{
    cb_data_t *d = data;
    const gs_ann_layout_t *L = d->L;
    const char *gene = NULL;
    if (L->i_symbol >= 0 && L->i_symbol < nf && f[L->i_symbol][0]) gene = f[L->i_symbol];
    else if (L->i_gene >= 0 && L->i_gene < nf && f[L->i_gene][0]) gene = f[L->i_gene];
    if (!gene || L->i_consequence >= nf) return;
    const char *t = f[L->i_consequence];
    gs_genelist_add(d->gl, gene, strlen(gene), t, strlen(t));
}

static int variant(void *state, void *tstate, gs_variant_t *v, kstring_t *why)
{
    csq_t *c = state;
    csq_thread_t *t = tstate;
    gs_genelist_clear(&t->all);
    gs_genelist_clear(&t->kept);
    for (int s = 0; s < c->nsrc; s++) {
        char *buf = t->raw.s;
        int m = (int)t->raw.m;
        int n = bcf_get_info_string(v->hdr, v->rec, c->src[s].tag, &buf, &m);
        t->raw.s = buf;
        t->raw.m = m;
        if (n <= 0) continue;
        gs_vep_allele(v->rec, v->allele, &t->vep_allele);
        cb_data_t d = {&c->src[s], &t->all};
        gs_ann_for_allele(&c->src[s], t->raw.s, v->rec, v->allele, t->vep_allele.s, on_entry, &d);
    }
    if (!t->all.n && c->bed) {
        bcf1_t *r = v->rec;
        char alias[256];
        if (regidx_overlap(c->bed, v->chrom, r->pos, r->pos + r->rlen - 1, t->itr) ||
            regidx_overlap(c->bed, gs_chrom_alias(v->chrom, alias, sizeof alias), r->pos, r->pos + r->rlen - 1, t->itr))
            while (regitr_overlap(t->itr)) {
                const char *g = regitr_payload(t->itr, char *);
                gs_genelist_add(&t->all, g, strlen(g), "unknown", 7);
            }
    }
    if (!t->all.n) {
        kputs(c->bed ? "no annotation and no gene in genes_bed" : "no gene annotation for this allele", why);
        return GS_DROP;
    }
    for (int i = 0; i < t->all.n; i++) {
        gs_gene_hit_t *h = &t->all.g[i];
        int rule = c->term_rule[h->severity];
        if (rule < 0 || (!rule && !c->impact_ok[h->impact])) continue;
        gs_genelist_add(&t->kept, h->gene, strlen(h->gene), h->consequence, strlen(h->consequence));
    }
    if (!t->kept.n) {
        kputs("consequence not kept:", why);
        for (int i = 0; i < t->all.n && i < 4; i++)
            ksprintf(why, " %s %s (%s)", t->all.g[i].gene, t->all.g[i].consequence, gs_impact_name(t->all.g[i].impact));
        if (t->all.n > 4) ksprintf(why, " and %d more", t->all.n - 4);
        return GS_DROP;
    }
    v->genes = t->kept.g;
    v->ngenes = t->kept.n;
    return GS_KEEP;
}

void gs_consequence_info_keys(const void *state, const bcf_hdr_t *h, uint8_t *keep)
{
    const csq_t *c = state;
    for (int i = 0; i < c->nsrc; i++) {
        int id = bcf_hdr_id2int(h, BCF_DT_ID, c->src[i].tag);
        if (id >= 0) keep[id] = 1;
    }
}

/* ------------------------------------------------------------------ */
/* Record-level check before parsing                                   */

/* Would the keep rule pass this consequence text on its own?  (The term
 * list's severity is memoised per thread by gs_terms_severity.) */
static int terms_pass(const csq_t *c, const char *terms, size_t tlen)
{
    int sev, imp;
    gs_terms_severity(terms, tlen, &sev, &imp);
    int rule = c->term_rule[sev];
    return rule > 0 || (!rule && c->impact_ok[imp]);
}

/* Does any entry of an annotation value (text, not NUL-terminated) that names
 * a gene and a consequence -- read as on_entry() reads the entries
 * gs_ann_for_allele hands it -- pass on its own?  An allele keeps a gene when
 * the most severe term over the allele's entries passes (variant()); that term
 * is the most severe term of one of those entries, which then passes on its
 * own.  So when no entry of any allele passes, variant() drops every allele. */
static int any_entry_passes(const csq_t *c, const gs_ann_layout_t *L, const char *v, size_t n)
{
    const char *end = v + n;
    for (const char *p = v; p < end;) {
        const char *e = memchr(p, ',', end - p);
        if (!e) e = end;
        if (L->kind == GS_ANN_BCSQ && (*p == '@' || *p == '.')) { p = e + 1; continue; }
        const char *fb[256], *fe[256]; /* sub-fields, at most 256 as gs_ann_for_allele keeps */
        int nf = 0, need = L->i_consequence; /* split no further than the last sub-field read */
        if (L->i_symbol > need) need = L->i_symbol;
        if (L->i_gene > need) need = L->i_gene;
        for (const char *q = p; nf <= need;) {
            const char *bar = memchr(q, '|', e - q);
            if (nf < 256) fb[nf] = q, fe[nf] = bar ? bar : e, nf++;
            if (!bar) break;
            q = bar + 1;
        }
        int has_gene = (L->i_symbol >= 0 && L->i_symbol < nf && fe[L->i_symbol] > fb[L->i_symbol]) ||
                       (L->i_gene >= 0 && L->i_gene < nf && fe[L->i_gene] > fb[L->i_gene]);
        if (has_gene && L->i_consequence < nf &&
            terms_pass(c, fb[L->i_consequence], fe[L->i_consequence] - fb[L->i_consequence]))
            return 1;
        p = e + 1;
    }
    return 0;
}

/* memmem for a short needle (n >= 2) in a short haystack: 16 candidate
 * positions at a time where the needle's first and last bytes both match
 * (glibc's memmem spends about 3 instructions per byte of an INFO column) */
#ifdef __SSE2__
#include <emmintrin.h>
static const char *find_key(const char *h, size_t hn, const char *n, size_t nn)
{
    if (hn < nn) return NULL;
    const __m128i first = _mm_set1_epi8(n[0]), last = _mm_set1_epi8(n[nn - 1]);
    size_t i = 0, stop = hn - nn + 1; /* candidate starts are i < stop */
    for (; i + 16 <= stop; i += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(h + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(h + i + nn - 1));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last)));
        while (mask) {
            int bit = __builtin_ctz(mask);
            if (!memcmp(h + i + bit + 1, n + 1, nn - 2)) return h + i + bit;
            mask &= mask - 1;
        }
    }
    for (; i < stop; i++)
        if (h[i] == n[0] && !memcmp(h + i + 1, n + 1, nn - 1)) return h + i;
    return NULL;
}
#else
static const char *find_key(const char *h, size_t hn, const char *n, size_t nn) { return memmem(h, hn, n, nn); }
#endif

int gs_consequence_tags(const void *state, const char **tags)
{
    const csq_t *c = state;
    for (int s = 0; s < c->nsrc; s++) tags[s] = c->src[s].tag;
    return c->nsrc;
}

int gs_consequence_precheck(const void *state, const char *info, size_t len, const char *const *vals,
                            const size_t *lens)
{
    const csq_t *c = state;
    if (c->bed || !c->nsrc) return 0;
    for (int s = 0; s < c->nsrc; s++) {
        if (info) { /* text: the record's INFO column; find "TAG=" at the start of an item */
            const char *end = info + len;
            for (const char *p = info; p < end;) {
                const char *hit = find_key(p, end - p, c->needle[s], c->nneedle[s]);
                if (!hit) break;
                p = hit + c->nneedle[s];
                if (hit > info && hit[-1] != ';') continue;
                const char *ve = memchr(p, ';', end - p);
                if (!ve) ve = end;
                if (any_entry_passes(c, &c->src[s], p, ve - p)) return 0;
                p = ve;
            }
        } else if (lens[s] && any_entry_passes(c, &c->src[s], vals[s], lens[s])) { /* binary */
            return 0;
        }
    }
    return 1;
}

const gs_stage_t gs_stage_consequence = {
    .api_version = GS_API_VERSION,
    .name = "consequence",
    .description = "genes and most severe SO consequence per gene from VEP CSQ / SnpEff ANN / bcftools BCSQ (or a genes BED); keeps by impact and term",
    .params = params,
    .check = check,
    .init = init,
    .thread_init = thread_init,
    .thread_free = thread_free,
    .variant = variant,
    .destroy = destroy,
};
