/* partial.c -- scatter and gather.  `run --partial FILE` writes what the final
 * outputs are made of (run counts, samples, contigs, every patient's genes
 * with their variants and family calls) as JSON (schema genesieve.partial/1);
 * `merge` reads any number of them and writes the final outputs.  Genes never
 * span chromosomes and a gene's compound hets are paired inside one run, so
 * scattering by chromosome gives byte-identical results; a split inside a
 * chromosome is exact unless a gene straddles it (its entries are joined, but
 * pairs across the split are not formed). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <htslib/khash.h>

#include "annot.h"
#include "output.h"
#include "partial.h"
#include "pheno.h"

#define GS_PARTIAL_SCHEMA "genesieve.partial/1"

/* Strings that are not UTF-8 (JSON cannot hold them) travel as {"hex": ...}. */
static int utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;
        if (!n) return 0;
        for (int i = 1; i < n; i++) if ((p[i] >> 6) != 2) return 0;
        p += n;
    }
    return 1;
}

static json_t *jbytes(const char *s)
{
    if (!s) return json_null();
    if (utf8_ok(s)) {
        json_t *j = json_string(s);
        if (j) return j;
    }
    kstring_t h = KS_INITIALIZE;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) ksprintf(&h, "%02x", *p);
    json_t *o = json_pack("{s:s}", "hex", h.s ? h.s : "");
    ks_free(&h);
    return o;
}

static int hexval(char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; }

static char *unjbytes(json_t *j)
{
    if (json_is_string(j)) return strdup(json_string_value(j));
    json_t *h = json_object_get(j, "hex");
    if (!json_is_string(h)) return NULL;
    const char *x = json_string_value(h);
    size_t len = strlen(x);
    if (len % 2) return NULL;
    char *s = malloc(len / 2 + 1);
    for (size_t i = 0; i < len / 2; i++) {
        int a = hexval(x[2 * i]), b = hexval(x[2 * i + 1]);
        if (a < 0 || b < 0 || (a == 0 && b == 0)) { free(s); return NULL; }
        s[i] = (char)(a * 16 + b);
    }
    s[len / 2] = 0;
    return s;
}

/* An integer member within [lo, hi], or fail. */
static int jint(json_t *o, const char *key, long long lo, long long hi, long long *out)
{
    json_t *v = key ? json_object_get(o, key) : o;
    if (!json_is_integer(v)) return -1;
    long long x = json_integer_value(v);
    if (x < lo || x > hi) return -1;
    *out = x;
    return 0;
}

static json_t *jnum(double x) { return isnan(x) ? json_null() : json_real(x); }
static double unjnum(json_t *j) { return json_is_number(j) ? json_number_value(j) : NAN; }

static json_t *call_json(const gs_call_t *c)
{
    return json_pack("[iiiiiiiiiiiiiiiii]", c->gt, c->ploidy, c->phased, c->pass, c->dp, c->gq, c->ad_ref, c->ad_alt,
                     c->ad_total, c->ps, c->hap, c->origin, c->origin_sure, c->pair_conf, c->modes, c->possible, c->pair);
}

/* A family call: 17 integers in range. */
static int call_check(json_t *a)
{
    static const long long lo[17] = {0, 0, 0, 0, -1, -1, -1, -1, -1, INT32_MIN, -1, 0, 0, 0, 0, 0, -1};
    static const long long hi[17] = {GS_GT_HEMI, 255, 1, 1, INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX,
                                     INT32_MAX, 1, GS_ORIGIN_DE_NOVO, 1, GS_PAIR_PROVEN, 0xffff, 0xffff, INT32_MAX};
    if (json_array_size(a) != 17) return -1;
    long long x;
    for (int i = 0; i < 17; i++)
        if (jint(json_array_get(a, i), NULL, lo[i], hi[i], &x)) return -1;
    return 0;
}

static void call_from(json_t *a, gs_call_t *c)
{
    int v[17] = {0};
    for (int i = 0; i < 17; i++) v[i] = (int)json_integer_value(json_array_get(a, i));
    c->gt = v[0]; c->ploidy = v[1]; c->phased = v[2]; c->pass = v[3]; c->dp = v[4]; c->gq = v[5];
    c->ad_ref = v[6]; c->ad_alt = v[7]; c->ad_total = v[8]; c->ps = v[9]; c->hap = v[10]; c->origin = v[11];
    c->origin_sure = v[12]; c->pair_conf = v[13]; c->modes = v[14]; c->possible = v[15]; c->pair = v[16];
}

int gs_write_partial(const gs_results_t *r, long max_genes, const gs_run_info_t *info, const char *path, kstring_t *err)
{
    const gs_sample_t *smp = gs_results_samples(r);
    int nsmp = gs_results_nsmp(r);
    json_t *root = json_object();
    json_object_set_new(root, "schema", json_string(GS_PARTIAL_SCHEMA));
    json_object_set_new(root, "genesieve_version", json_string(info->version));
    json_object_set_new(root, "input", jbytes(info->input));
    json_object_set_new(root, "pipeline", jbytes(info->pipeline));
    json_object_set_new(root, "settings", jbytes(info->settings));
    json_object_set_new(root, "regions", info->regions ? jbytes(info->regions) : json_null());
    json_object_set_new(root, "max_genes", json_integer(max_genes));
    json_object_set_new(root, "uses_modes", json_boolean(gs_results_uses_modes(r)));
    json_object_set_new(root, "records", json_integer((json_int_t)info->nrecords));
    json_object_set_new(root, "alt_alleles", json_integer((json_int_t)info->nalleles));
    json_object_set_new(root, "alleles_kept", json_integer((json_int_t)info->nkept));
    json_t *st = json_array(), *dr = json_array();
    for (int i = 0; i < info->nstage; i++) json_array_append_new(st, jbytes(info->stage_ids[i]));
    for (int i = 0; i <= info->nstage; i++) json_array_append_new(dr, json_integer((json_int_t)info->drops[i]));
    json_object_set_new(root, "stages", st);
    json_object_set_new(root, "removed", dr);
    json_t *ctg = json_array();
    for (int i = 0; i < info->hdr->nhrec; i++) {
        bcf_hrec_t *hr = info->hdr->hrec[i];
        if (hr->type != BCF_HL_CTG) continue;
        kstring_t k = KS_INITIALIZE;
        bcf_hrec_format(hr, &k);
        while (k.l && k.s[k.l - 1] == '\n') k.s[--k.l] = 0;
        json_array_append_new(ctg, jbytes(k.s));
        ks_free(&k);
    }
    json_object_set_new(root, "contigs", ctg);
    json_t *sa = json_array();
    for (int i = 0; i < nsmp; i++)
        json_array_append_new(sa, json_pack("{s:o,s:o,s:i,s:i,s:i,s:i}", "name", jbytes(smp[i].name), "family",
                                            jbytes(smp[i].family), "sex", smp[i].sex, "affected", smp[i].affected,
                                            "father", smp[i].father, "mother", smp[i].mother));
    json_object_set_new(root, "samples", sa);
    /* the head as jansson writes it, then the genes one at a time in the same
     * compact layout: a genome's genes and variants need not be in memory at once */
    json_object_set_new(root, "patients", json_array());
    size_t flags = JSON_COMPACT | JSON_PRESERVE_ORDER;
    char *head = json_dumps(root, flags);
    json_decref(root);
    if (!head) { ksprintf(err, "%s: cannot format JSON", path); return -1; }
    size_t hl = strlen(head);
    static const char tail[] = "[]}";
    if (hl < sizeof tail - 1 || strcmp(head + hl - (sizeof tail - 1), tail)) {
        ksprintf(err, "%s: cannot format JSON", path);
        free(head);
        return -1;
    }
    output_file_t *f = output_open(path, err);
    if (!f) { free(head); return -1; }
    output_write(f, head, hl - (sizeof tail - 1)); /* up to "patients": */
    free(head);
    gs_gene_view_t view;
    memset(&view, 0, sizeof(view));
    int ret = 0, np = 0;
    output_write(f, "[", 1);
    for (int p = 0; p < nsmp && !ret; p++) {
        if (smp[p].affected != 1) continue;
        gs_result_gene_t *const *g;
        int ng = gs_results_genes(r, p, &g);
        kstring_t o = KS_INITIALIZE;
        ksprintf(&o, "%s{\"sample\":%d,\"genes\":[", np++ ? "," : "", p);
        output_write(f, o.s, o.l);
        ks_free(&o);
        for (int i = 0; i < ng; i++) {
            const gs_result_gene_t *x = gs_results_load(r, g[i], &view, err);
            if (!x) { ret = -1; break; }
            json_t *va = json_array();
            for (int v = 0; v < x->nvar; v++) {
                const gs_result_var_t *y = &x->vars[v];
                json_t *fam = json_array();
                const int *mem;
                int nm = gs_results_members(r, p, &mem);
                for (int k = 0; k < nm; k++) json_array_append_new(fam, call_json(&y->fam[k]));
                json_t *ev = json_pack("[oooooiii]", jnum(y->ev.cadd), jnum(y->ev.revel), jnum(y->ev.spliceai),
                                       jnum(y->ev.alphamissense), json_integer(y->ev.polyphen), y->ev.sift, y->ev.clinvar,
                                       y->ev.stars);
                json_array_append_new(va, json_pack("{s:o,s:I,s:o,s:o,s:s,s:i,s:o,s:i,s:o,s:i,s:i,s:i,s:i,s:o,s:o}",
                    "chrom", jbytes(y->chrom), "pos", (json_int_t)y->pos, "ref", jbytes(y->ref), "alt", jbytes(y->alt),
                    "consequence", y->consequence, "severity", y->severity, "af", jnum(y->af), "nhomalt", y->nhomalt,
                    "ev", ev, "gt", y->gt, "modes", y->modes, "possible", y->possible, "pair_conf", y->pair_conf,
                    "pair", jbytes(y->pair), "fam", fam));
            }
            json_t *gj = json_pack("{s:o,s:o,s:i,s:i,s:o}", "gene", jbytes(x->gene), "chrom", jbytes(x->chrom),
                                   "panel_level", x->panel_level, "panel_moi", (int)x->panel_moi, "vars", va);
            char *t = gj ? json_dumps(gj, flags) : NULL;
            json_decref(gj);
            if (!t) { ksprintf(err, "%s: cannot format JSON", path); ret = -1; break; }
            if (i) output_write(f, ",", 1);
            output_write(f, t, strlen(t));
            free(t);
        }
        output_write(f, "]}", 2);
    }
    gs_gene_view_free(&view);
    if (ret < 0) {
        output_abort(f);
        return -1;
    }
    output_write(f, "]}\n", 3);
    return output_commit(f, err);
}

/* ------------------------------------------------------------------ */
/* merge                                                               */

KHASH_MAP_INIT_STR(pool, char *)
KHASH_MAP_INIT_STR(genes, gs_result_gene_t *)

typedef struct {
    khash_t(pool) *h;  /* everything the merged results point at, once */
} pool_t;

static const char *keep(pool_t *p, char *s)
{
    if (!s) return NULL;
    int ret;
    khint_t k = kh_put(pool, p->h, s, &ret);
    if (!ret) { free(s); return kh_key(p->h, k); }
    kh_val(p->h, k) = s;
    return s;
}

/* Regions of a partial ("CHR:BEG-END,..."); returns the count, -1 for the whole input. */
typedef struct { char *chrom; long long beg, end; } span_t;
static int spans_of(json_t *d, span_t **out)
{
    json_t *r = json_object_get(d, "regions");
    *out = NULL;
    if (!r || json_is_null(r)) return -1;
    char *txt = unjbytes(r);
    int n = 0;
    for (char *p = txt, *save = NULL, *t = txt ? strtok_r(p, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save)) {
        char *colon = strrchr(t, ':'), *dash = colon ? strchr(colon, '-') : NULL;
        if (!dash) continue;
        *colon = 0;
        *out = realloc(*out, (n + 1) * sizeof(span_t));
        (*out)[n++] = (span_t){strdup(t), atoll(colon + 1), atoll(dash + 1)};
    }
    free(txt);
    return n;
}

static int same_json(json_t *a, json_t *b) { return json_equal(a, b); }

struct gs_partials_pool {
    khash_t(pool) *h;
};

void gs_partials_free(gs_partials_t *p)
{
    if (p->res) gs_results_free(p->res);
    if (p->hdr) bcf_hdr_destroy(p->hdr);
    free(p->smp);
    free(p->drops);
    free(p->stage_ids);
    free(p->input);
    free(p->pipeline);
    free(p->settings);
    if (p->pool) {
        for (khint_t k = kh_begin(p->pool->h); k != kh_end(p->pool->h); k++)
            if (kh_exist(p->pool->h, k)) free(kh_val(p->pool->h, k));
        kh_destroy(pool, p->pool->h);
        free(p->pool);
    }
    memset(p, 0, sizeof(*p));
}

int gs_partials_read(char **paths, int npartial, const char *outdir, int force, gs_partials_t *out, kstring_t *errp)
{
    kstring_t err = KS_INITIALIZE;
    json_t **doc = calloc(npartial ? npartial : 1, sizeof(json_t *));
    memset(out, 0, sizeof(*out));
    out->pool = calloc(1, sizeof(*out->pool));
    out->pool->h = kh_init(pool);
    pool_t pool = {out->pool->h};
    khash_t(genes) *gidx = kh_init(genes);
    kstring_t key = KS_INITIALIZE;
    gs_sample_t *smp = NULL;
    int nsmp = 0, status = -1;
    gs_results_t *res = NULL;
    bcf_hdr_t *hdr = NULL;
    uint64_t *drops = NULL;
    const char **stage_ids = NULL;
    char *input = NULL, *pipeline = NULL, *settings = NULL;
    gs_run_info_t info;
    memset(&info, 0, sizeof(info));
    for (int i = 0; i < npartial; i++) {
        json_error_t je;
        doc[i] = json_load_file(paths[i], 0, &je);
        if (!doc[i]) {
            ksprintf(&err, "%s:%d: not a GeneSieve partial result: %s", paths[i], je.line, je.text);
            goto out;
        }
        json_t *schema = json_object_get(doc[i], "schema");
        if (!json_is_string(schema) || strcmp(json_string_value(schema), GS_PARTIAL_SCHEMA)) {
            ksprintf(&err, "%s: not a GeneSieve partial result (schema %s expected)", paths[i], GS_PARTIAL_SCHEMA);
            goto out;
        }
        /* everything but the counts and the genes must agree */
        static const char *same[] = {"genesieve_version", "pipeline", "settings", "max_genes", "uses_modes", "stages", "samples", "contigs"};
        for (size_t k = 0; i && k < sizeof(same) / sizeof(same[0]); k++)
            if (!same_json(json_object_get(doc[i], same[k]), json_object_get(doc[0], same[k]))) {
                ksprintf(&err, "%s: its %s differ from %s's: partial results of different runs", paths[i], same[k],
                         paths[0]);
                goto out;
            }
    }
    if (!npartial) { ksprintf(&err, "merge needs at least one partial result"); goto out; }
    /* each part of the input once: no partial may cover what another covers */
    {
        span_t **sp = calloc(npartial, sizeof(span_t *));
        int *ns = calloc(npartial, sizeof(int)), bad = 0;
        for (int i = 0; i < npartial; i++) ns[i] = spans_of(doc[i], &sp[i]);
        for (int i = 0; i < npartial && !bad; i++)
            for (int j = i + 1; j < npartial && !bad; j++) {
                if (ns[i] < 0 || ns[j] < 0) {
                    ksprintf(&err, "%s covers the whole input and cannot be merged with %s", paths[ns[i] < 0 ? i : j],
                             paths[ns[i] < 0 ? j : i]);
                    bad = 1;
                }
                for (int a = 0; a < ns[i] && !bad; a++)
                    for (int b = 0; b < ns[j] && !bad; b++)
                        if (!strcmp(sp[i][a].chrom, sp[j][b].chrom) && sp[i][a].beg < sp[j][b].end && sp[j][b].beg < sp[i][a].end) {
                            ksprintf(&err, "%s and %s both cover %s:%lld-%lld: each region must be in one partial result",
                                     paths[i], paths[j], sp[i][a].chrom,
                                     (sp[i][a].beg > sp[j][b].beg ? sp[i][a].beg : sp[j][b].beg) + 1,
                                     sp[i][a].end < sp[j][b].end ? sp[i][a].end : sp[j][b].end);
                            bad = 1;
                        }
            }
        for (int i = 0; i < npartial; i++) {
            for (int a = 0; a < ns[i]; a++) free(sp[i][a].chrom);
            free(sp[i]);
        }
        free(sp);
        free(ns);
        if (bad) goto out;
    }
    json_t *d0 = doc[0];
    /* samples */
    json_t *sa = json_object_get(d0, "samples");
    nsmp = (int)json_array_size(sa);
    smp = calloc(nsmp ? nsmp : 1, sizeof(gs_sample_t));
    for (int i = 0; i < nsmp; i++) {
        json_t *x = json_array_get(sa, i);
        smp[i].name = keep(&pool, unjbytes(json_object_get(x, "name")));
        smp[i].family = keep(&pool, unjbytes(json_object_get(x, "family")));
        long long sex, aff, fa, mo;
        if (!smp[i].name || !smp[i].family || jint(x, "sex", 0, 2, &sex) || jint(x, "affected", -1, 1, &aff) ||
            jint(x, "father", -1, nsmp - 1, &fa) || jint(x, "mother", -1, nsmp - 1, &mo)) {
            ksprintf(&err, "%s: malformed sample %d", paths[0], i + 1);
            goto out;
        }
        smp[i].sex = (int)sex;
        smp[i].affected = (int)aff;
        smp[i].father = (int)fa;
        smp[i].mother = (int)mo;
    }
    if (outdir && (gs_output_names_unique(outdir, smp, nsmp, &err) < 0 || gs_output_dir_check(outdir, force, &err) < 0))
        goto out;
    res = gs_results_init(nsmp, smp, json_is_true(json_object_get(d0, "uses_modes")));
    /* contigs, for candidates.vcf.gz */
    hdr = bcf_hdr_init("w");
    json_t *ctg = json_object_get(d0, "contigs");
    for (size_t i = 0; i < json_array_size(ctg); i++) {
        char *line = unjbytes(json_array_get(ctg, i));
        if (line) bcf_hdr_append(hdr, line);
        free(line);
    }
    if (bcf_hdr_sync(hdr) < 0) { ksprintf(&err, "%s: malformed contig lines", paths[0]); goto out; }
    /* counts */
    json_t *st = json_object_get(d0, "stages");
    int nstage = (int)json_array_size(st);
    stage_ids = calloc(nstage + 1, sizeof(char *));
    for (int i = 0; i < nstage; i++) stage_ids[i] = keep(&pool, unjbytes(json_array_get(st, i)));
    drops = calloc(nstage + 1, sizeof(uint64_t));
    kstring_t inputs = KS_INITIALIZE;
    for (int i = 0; i < npartial; i++) {
        json_t *d = doc[i];
        info.nrecords += json_integer_value(json_object_get(d, "records"));
        info.nalleles += json_integer_value(json_object_get(d, "alt_alleles"));
        info.nkept += json_integer_value(json_object_get(d, "alleles_kept"));
        json_t *rm = json_object_get(d, "removed");
        for (int k = 0; k <= nstage; k++) drops[k] += json_integer_value(json_array_get(rm, k));
        char *in = unjbytes(json_object_get(d, "input"));
        int seen = 0;
        for (int k = 0; in && k < i && !seen; k++) {
            char *prev = unjbytes(json_object_get(doc[k], "input"));
            seen = prev && !strcmp(prev, in);
            free(prev);
        }
        if (in && !seen) ksprintf(&inputs, "%s%s", inputs.l ? "," : "", in);
        free(in);
    }
    input = ks_release(&inputs);
    pipeline = unjbytes(json_object_get(d0, "pipeline"));
    settings = unjbytes(json_object_get(d0, "settings"));
    /* genes: appended partial by partial; one gene split across partials is joined */
    for (int i = 0; i < npartial; i++) {
        json_t *pa = json_object_get(doc[i], "patients");
        for (size_t k = 0; k < json_array_size(pa); k++) {
            json_t *pt = json_array_get(pa, k);
            long long pl;
            if (jint(pt, "sample", 0, nsmp - 1, &pl) || smp[pl].affected != 1) {
                ksprintf(&err, "%s: malformed patient", paths[i]);
                goto out;
            }
            int p = (int)pl;
            const int *mem;
            int nm = gs_results_members(res, p, &mem);
            json_t *ga = json_object_get(pt, "genes");
            for (size_t gi = 0; gi < json_array_size(ga); gi++) {
                json_t *gj = json_array_get(ga, gi);
                char *gname = unjbytes(json_object_get(gj, "gene"));
                const char *chrom = keep(&pool, unjbytes(json_object_get(gj, "chrom")));
                if (!gname || !chrom) { free(gname); ksprintf(&err, "%s: malformed gene", paths[i]); goto out; }
                key.l = 0;
                ksprintf(&key, "%d\t%s\t%s", p, gname, chrom);
                int kret;
                khint_t gk = kh_put(genes, gidx, key.s, &kret);
                gs_result_gene_t *g;
                if (kret) {
                    long long lvl, moi;
                    if (jint(gj, "panel_level", 0, 3, &lvl) || jint(gj, "panel_moi", 0, 15, &moi)) {
                        kh_del(genes, gidx, gk);
                        free(gname);
                        ksprintf(&err, "%s: malformed gene", paths[i]);
                        goto out;
                    }
                    kh_key(gidx, gk) = strdup(key.s);
                    g = kh_val(gidx, gk) = gs_results_add_gene(res, p, gname, chrom);
                    g->panel_level = (int)lvl;
                    g->panel_moi = (unsigned)moi;
                } else {
                    g = kh_val(gidx, gk);
                }
                free(gname);
                json_t *va = json_object_get(gj, "vars");
                for (size_t vi = 0; vi < json_array_size(va); vi++) {
                    json_t *vj = json_array_get(va, vi);
                    gs_result_var_t x;
                    memset(&x, 0, sizeof(x));
                    x.chrom = keep(&pool, unjbytes(json_object_get(vj, "chrom")));
                    x.pos = json_integer_value(json_object_get(vj, "pos"));
                    x.ref = unjbytes(json_object_get(vj, "ref"));
                    x.alt = unjbytes(json_object_get(vj, "alt"));
                    const char *cons = json_string_value(json_object_get(vj, "consequence"));
                    int sev, imp;
                    if (!x.chrom || !x.ref || !x.alt || !cons || gs_so_lookup(cons, strlen(cons), &sev, &imp) < 0) {
                        free(x.ref);
                        free(x.alt);
                        ksprintf(&err, "%s: malformed variant", paths[i]);
                        goto out;
                    }
                    x.consequence = gs_so_term(sev);
                    long long pos, vsev, hom, gt, modes, possible, pconf, pp, sift, clin, stars;
                    json_t *ev = json_object_get(vj, "ev"), *fam = json_object_get(vj, "fam");
                    int bad = jint(vj, "pos", 1, INT64_MAX / 4, &pos) || jint(vj, "severity", 0, gs_so_count() - 1, &vsev) ||
                              jint(vj, "nhomalt", -1, INT32_MAX, &hom) || jint(vj, "gt", 0, GS_GT_HEMI, &gt) ||
                              jint(vj, "modes", 0, 0xffff, &modes) || jint(vj, "possible", 0, 0xffff, &possible) ||
                              jint(vj, "pair_conf", 0, GS_PAIR_PROVEN, &pconf) || json_array_size(ev) != 8 ||
                              jint(json_array_get(ev, 4), NULL, -1, 1, &pp) || jint(json_array_get(ev, 5), NULL, -1, 1, &sift) ||
                              jint(json_array_get(ev, 6), NULL, 0, GS_CLNV_PATHOGENIC, &clin) ||
                              jint(json_array_get(ev, 7), NULL, -1, 4, &stars) || (int)json_array_size(fam) != nm;
                    for (int m = 0; !bad && m < nm; m++) bad = call_check(json_array_get(fam, m));
                    if (bad) {
                        ksprintf(&err, "%s: malformed variant at %s:%lld", paths[i], x.chrom,
                                 (long long)json_integer_value(json_object_get(vj, "pos")));
                        free(x.ref);
                        free(x.alt);
                        goto out;
                    }
                    x.pos = pos;
                    x.severity = (int)vsev;
                    x.af = unjnum(json_object_get(vj, "af"));
                    if (isnan(x.af) || x.af < 0) x.af = -1;
                    if (x.af > 1) x.af = 1;
                    x.nhomalt = (int)hom;
                    x.ev.cadd = (float)unjnum(json_array_get(ev, 0));
                    x.ev.revel = (float)unjnum(json_array_get(ev, 1));
                    x.ev.spliceai = (float)unjnum(json_array_get(ev, 2));
                    x.ev.alphamissense = (float)unjnum(json_array_get(ev, 3));
                    x.ev.polyphen = (int8_t)pp;
                    x.ev.sift = (int8_t)sift;
                    x.ev.clinvar = (int8_t)clin;
                    x.ev.stars = (int8_t)stars;
                    x.gt = (uint8_t)gt;
                    x.modes = (uint16_t)modes;
                    x.possible = (uint16_t)possible;
                    x.pair_conf = (uint8_t)pconf;
                    json_t *pj = json_object_get(vj, "pair");
                    x.pair = json_is_null(pj) || !pj ? NULL : unjbytes(pj);
                    x.fam = calloc(nm ? nm : 1, sizeof(gs_call_t));
                    for (int m = 0; m < nm; m++) call_from(json_array_get(fam, m), &x.fam[m]);
                    gs_result_gene_push_var(g, &x);
                }
            }
        }
    }
    info.input = input;
    info.pipeline = pipeline;
    info.settings = settings;
    info.version = GS_VERSION;
    info.outdir = outdir;
    info.nstage = nstage;
    info.stage_ids = stage_ids;
    info.drops = drops;
    info.hdr = hdr;
    out->max_genes = (long)json_integer_value(json_object_get(doc[0], "max_genes"));
    status = 0;
out:
    out->res = res;
    out->smp = smp;
    out->nsmp = nsmp;
    out->hdr = hdr;
    out->drops = drops;
    out->stage_ids = stage_ids;
    out->input = input;
    out->pipeline = pipeline;
    out->settings = settings;
    out->info = info;
    if (status) {
        kputs(err.s ? err.s : "cannot read partial results", errp);
        gs_partials_free(out);
    }
    for (int i = 0; i < npartial; i++) if (doc[i]) json_decref(doc[i]);
    free(doc);
    for (khint_t k = kh_begin(gidx); k != kh_end(gidx); k++)
        if (kh_exist(gidx, k)) free((char *)kh_key(gidx, k));
    kh_destroy(genes, gidx);
    ks_free(&key);
    ks_free(&err);
    return status;
}

int gs_merge(const gs_merge_opts_t *o)
{
    kstring_t err = KS_INITIALIZE;
    gs_partials_t p;
    int status = 1;
    if (gs_partials_read(o->partials, o->npartial, o->outdir, o->force, &p, &err) < 0) goto out;
    if (gs_run_date(p.info.date, sizeof p.info.date, &err) < 0) goto out;
    if (o->pheno && gs_pheno_attach(o->pheno, p.res, p.smp, p.nsmp, &err) < 0) goto out;
    if (gs_output_dir(o->outdir, &err) < 0) goto out; /* only once everything read well */
    if (gs_results_write(p.res, o->outdir, p.max_genes, &p.info, &err) < 0) goto out;
    if (gs_outputs_commit(&err) < 0) goto out;
    if (!o->quiet) gs_results_print_summary(p.res, o->outdir, stderr);
    status = 0;
out:
    if (status) {
        fprintf(stderr, "genesieve: error: %s\n", err.s ? err.s : "merge failed");
        gs_outputs_abort();
    }
    gs_partials_free(&p);
    ks_free(&err);
    return status;
}
