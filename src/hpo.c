/* hpo.c -- Human Phenotype Ontology release loading and phenotype similarity.
 *
 * Terms come from hp.obo or hp.json (OBO Graphs; read by a small streaming
 * scanner, since building a DOM of the 23 MB file costs more than our whole
 * load budget), disease annotations from phenotype.hpoa, gene-disease links
 * from genes_to_phenotype.txt or genes_to_disease.txt.  Information content
 * IC(t) = -ln(fraction of diseases annotated with t or a descendant).
 * A patient is scored against every disease (see README "Phenotypes") and a
 * gene takes a log-sum-exp over its diseases, each down-weighted by the number
 * of genes it names (its best one, plus a little for others that match about
 * as well). */
#define _GNU_SOURCE /* qsort_r */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <pthread.h>
#include <zlib.h>
#include <jansson.h>
#include <htslib/khash.h>
#include "genesieve/genesieve.h"
#include "hpo.h"

/* Weights of the disease score (README "Phenotypes"; tuned on the development
 * half of phenopacket-store with tests/bench/pheno.sh). */
#define W_PATIENT 0.75          /* patient -> disease direction; the rest: disease -> patient */
#define W_FREQ 0.3f             /* patient -> disease: a match to a disease term of frequency w
                                 * counts IC(common ancestor) + W_FREQ * ln w */
#define W_SIZE 0.1              /* per ln(number of annotations): large diseases match anything */
#define W_CONFLICT 0.2          /* per IC of a contradicted term, over the patient's terms */
#define X_FREQUENT 0.8f         /* an excluded term counts against a disease that has it this often */
#define W_EXACT 0.5             /* per fraction of the patient's terms a disease term implies */
#define W_CHANCE 0.3            /* per the disease's patient -> disease match of a random annotated term */
#define N_CHANCE 100            /* random annotated terms (every n-th annotation of the release) */
#define DP_PRIOR 3.0            /* disease -> patient: pseudo-weight of unmatched terms (small diseases) */
#define W_PROVISIONAL 0.3       /* a provisional gene-disease link (OMIM "?", genes_to_phenotype "question") */
#define GENE_TEMP 0.2           /* a gene: TEMP * ln sum over its diseases of exp(score / TEMP) / genes of
                                 * the disease (a disease shared by n genes names each with chance 1/n) */

KHASH_MAP_INIT_INT(i2i, int)
KHASH_MAP_INIT_STR(s2i, int)

typedef struct {
    char id[11];                /* HP:0000000 */
    int name;                   /* offset into h->names */
    int *par, npar, mpar;       /* is_a parents (term ids while loading, then indexes) */
    int replaced_by;            /* term id number, 0 none */
    uint8_t obsolete, visiting, done;
    int anc, nanc;              /* ancestors incl. self in h->anc, IC descending */
} term_t;

typedef struct {
    char *id, *name;
    int *t, nt, mt;             /* annotated terms (aspect P), indexes into h->uterm */
    float *w;                   /* frequency weights */
    float *xw;                  /* explicit frequency (0 when the annotation gives none) */
    float *lw;                  /* W_FREQ * ln w (set by compute_ic) */
    double chance;              /* W_CHANCE * patient -> disease match of a random annotated term,
                                 * centred on the mean disease (set by compute_chance) */
    int *no, nno, mno;          /* NOT-annotated terms (term indexes) */
    int *genes, ngenes, mgenes;
    int moi;                    /* inheritance (aspect I): GS_MOI_* bits, 0 none given, -1 a mode
                                 * that rules nothing out (sporadic, multifactorial, ...) */
} disease_t;

typedef struct { char *sym; int *dis, ndis, mdis; unsigned char *provisional; } gene_t;

struct gs_hpo {
    term_t *term; int nterm, mterm;
    kstring_t names;
    khash_t(i2i) *idmap;        /* id number (incl. alt ids) -> term index */
    int *anc; size_t nanc, manc;
    double *ic;
    int root_pheno;             /* HP:0000118 Phenotypic abnormality */
    disease_t *dis; int ndis, mdis;
    khash_t(s2i) *dismap;
    gene_t *gene; int ngene, mgene;
    khash_t(s2i) *genemap;
    int *uterm, nu;             /* terms used in disease annotations */
    int *u_of;                  /* term -> index in uterm, -1 */
    char version[64];
};

/* ------------------------------------------------------------------ files */

static int exists(const char *p) { return access(p, R_OK) == 0; }

static char *find_file(const char *dir, const char *const *names)
{
    kstring_t s = {0};
    for (int i = 0; names[i]; i++) {
        for (int gz = 0; gz < 2; gz++) {
            s.l = 0;
            ksprintf(&s, "%s/%s%s", dir, names[i], gz ? ".gz" : "");
            if (exists(s.s)) return ks_release(&s);
        }
    }
    free(s.s);
    return NULL;
}

/* Whole file (gzip or plain) into memory, NUL-terminated. */
static char *slurp(const char *path, size_t *len, kstring_t *err)
{
    gzFile f = gzopen(path, "rb");
    if (!f) { ksprintf(err, "%s: %s", path, strerror(errno ? errno : ENOENT)); return NULL; }
    gzbuffer(f, 1 << 18);
    size_t n = 0, hint = 0;
    FILE *raw = fopen(path, "rb");     /* a gzip file's last 4 bytes: its size mod 2^32 */
    if (raw) {
        unsigned char b[4], magic[2];
        if (fread(magic, 1, 2, raw) == 2 && magic[0] == 0x1f && magic[1] == 0x8b &&
            !fseek(raw, -4, SEEK_END) && fread(b, 1, 4, raw) == 4) {
            hint = b[0] | b[1] << 8 | b[2] << 16 | (size_t)b[3] << 24;
        } else if (!fseek(raw, 0, SEEK_END)) {
            long sz = ftell(raw);
            if (sz > 0) hint = (size_t)sz;
        }
        fclose(raw);
    }
    if (hint > (1UL << 31)) hint = 0;
    size_t m = hint + (1 << 16);
    char *buf;
    if (m >= (4 << 20)) { /* large pages: a 25 MB buffer otherwise costs thousands of page faults */
        m = (m + (2 << 20) - 1) & ~(size_t)((2 << 20) - 1);
        if ((buf = aligned_alloc(2 << 20, m))) madvise(buf, m, MADV_HUGEPAGE);
    } else {
        buf = malloc(m);
    }
    for (;;) {
        if (buf && m - n < (1 << 16)) { /* larger than announced */
            char *t = realloc(buf, m * 2);
            if (!t) free(buf);
            buf = t;
            m *= 2;
        }
        if (!buf) { ksprintf(err, "%s: out of memory", path); gzclose(f); return NULL; }
        int r = gzread(f, buf + n, (unsigned)(m - n - 1));
        if (r < 0) {
            int e; const char *msg = gzerror(f, &e);
            ksprintf(err, "%s: read failed: %s", path, e == Z_ERRNO ? strerror(errno) : msg);
            free(buf); gzclose(f); return NULL;
        }
        if (r == 0) break;
        n += r;
    }
    gzclose(f);
    buf[n] = 0;
    if (memchr(buf, 0, n)) { ksprintf(err, "%s: binary data (NUL byte) in a text file", path); free(buf); return NULL; }
    *len = n;
    return buf;
}

/* "HP:0001234" (or ..._HP_0001234 IRIs) -> 1234; -1 not an HP id */
static int hp_num(const char *s, const char **end)
{
    if (!strncmp(s, "http://purl.obolibrary.org/obo/HP_", 34)) s += 34;
    else if (!strncmp(s, "HP:", 3) || !strncmp(s, "HP_", 3)) s += 3;
    else return -1;
    int v = 0, nd = 0;
    while (isdigit((unsigned char)*s) && nd < 8) { v = v * 10 + (*s - '0'); s++; nd++; }
    if (nd != 7) return -1;
    if (end) *end = s;
    return v;
}

/* ------------------------------------------------------------------ terms */

static int term_add(gs_hpo_t *h, int num)
{
    khint_t k = kh_get(i2i, h->idmap, num);
    if (k != kh_end(h->idmap)) {
        int t = kh_val(h->idmap, k);
        if (atoi(h->term[t].id + 3) == num) return t; /* seen already (edges before nodes) */
    }
    if (h->nterm == h->mterm) {
        h->mterm = h->mterm ? 2 * h->mterm : 16384;
        h->term = realloc(h->term, h->mterm * sizeof *h->term);
    }
    term_t *t = &h->term[h->nterm];
    memset(t, 0, sizeof *t);
    snprintf(t->id, sizeof t->id, "HP:%07d", num);
    t->name = -1;
    int ret;
    k = kh_put(i2i, h->idmap, num, &ret);
    kh_val(h->idmap, k) = h->nterm;
    return h->nterm++;
}

static void term_name(gs_hpo_t *h, int t, const char *s, size_t n)
{
    h->term[t].name = (int)h->names.l;
    kputsn(s, n, &h->names);
    kputc('\0', &h->names);
}

static void term_parent(gs_hpo_t *h, int t, int num)
{
    term_t *x = &h->term[t];
    for (int i = 0; i < x->npar; i++) if (x->par[i] == num) return;
    if (x->npar == x->mpar) { x->mpar = x->mpar ? 2 * x->mpar : 2; x->par = realloc(x->par, x->mpar * sizeof(int)); }
    x->par[x->npar++] = num;
}

static void alt_id(gs_hpo_t *h, int t, int num)
{
    int ret;
    khint_t k = kh_put(i2i, h->idmap, num, &ret);
    if (ret) kh_val(h->idmap, k) = t; /* a primary id always wins */
}

static int load_obo(gs_hpo_t *h, const char *path, char *buf, kstring_t *err)
{
    int cur = -1, line = 0;
    for (char *p = buf; *p; ) {
        char *e = strchr(p, '\n');
        if (!e) e = p + strlen(p);
        line++;
        size_t n = e - p;
        if (n && p[n - 1] == '\r') n--;
        const char *end;
        if (n >= 6 && !strncmp(p, "[Term]", 6)) cur = -2;
        else if (n && p[0] == '[') cur = -1;
        else if (n > 13 && !strncmp(p, "data-version:", 13) && !h->version[0]) {
            const char *v = p + 13; while (*v == ' ') v++;
            const char *slash = memchr(v, '/', e - v), *vs = v;
            while (slash && slash < e) { vs = slash + 1; slash = memchr(vs, '/', e - vs); }
            snprintf(h->version, sizeof h->version, "%.*s", (int)(p + n - vs), vs);
        } else if (cur == -2 && n > 4 && !strncmp(p, "id: ", 4)) {
            int num = hp_num(p + 4, &end);
            if (num < 0) cur = -1; /* not an HP term: skip the stanza */
            else cur = term_add(h, num);
        } else if (cur >= 0 && n > 6 && !strncmp(p, "name: ", 6)) {
            term_name(h, cur, p + 6, n - 6);
        } else if (cur >= 0 && n > 6 && !strncmp(p, "is_a: ", 6)) {
            int num = hp_num(p + 6, &end);
            if (num < 0) { ksprintf(err, "%s:%d: is_a is not an HP term id", path, line); return -1; }
            term_parent(h, cur, num);
        } else if (cur >= 0 && n > 8 && !strncmp(p, "alt_id: ", 8)) {
            int num = hp_num(p + 8, &end);
            if (num >= 0) alt_id(h, cur, num);
        } else if (cur >= 0 && n >= 17 && !strncmp(p, "is_obsolete: true", 17)) {
            h->term[cur].obsolete = 1;
        } else if (cur >= 0 && n > 13 && !strncmp(p, "replaced_by: ", 13)) {
            int num = hp_num(p + 13, &end);
            if (num >= 0) h->term[cur].replaced_by = num;
        } else if (cur == -2 && n && !isspace((unsigned char)p[0]) && strncmp(p, "id:", 3)) {
            /* a tag before "id:" in a stanza */
        }
        p = *e ? e + 1 : e;
    }
    return 0;
}

/* --- a minimal streaming JSON scanner for OBO Graphs --- */
typedef struct { const char *p, *end, *base, *path; kstring_t *err; int depth; kstring_t s; } js_t;

static int js_fail(js_t *j, const char *what)
{
    if (!j->err->l) ksprintf(j->err, "%s: byte %ld: %s", j->path, (long)(j->p - j->base), what);
    return -1;
}
static void js_ws(js_t *j) { while (j->p < j->end && isspace((unsigned char)*j->p)) j->p++; }
static int js_peek(js_t *j) { js_ws(j); return j->p < j->end ? (unsigned char)*j->p : -1; }
static int js_expect(js_t *j, char c)
{
    if (js_peek(j) != (unsigned char)c) { char m[32]; snprintf(m, sizeof m, "expected '%c'", c); return js_fail(j, m); }
    j->p++;
    return 0;
}
/* string into j->s (escapes decoded; \u kept as '?' outside ASCII) */
static int js_string(js_t *j)
{
    if (js_expect(j, '"')) return -1;
    j->s.l = 0;
    while (j->p < j->end && *j->p != '"') {
        char c = *j->p++;
        if (c == '\\') {
            if (j->p >= j->end) break;
            c = *j->p++;
            switch (c) {
            case 'n': c = '\n'; break; case 't': c = '\t'; break; case 'r': c = '\r'; break;
            case 'b': c = '\b'; break; case 'f': c = '\f'; break;
            case 'u': {
                if (j->end - j->p < 4) return js_fail(j, "bad \\u escape");
                unsigned v = 0;
                for (int i = 0; i < 4; i++) {
                    char x = *j->p++;
                    if (!isxdigit((unsigned char)x)) return js_fail(j, "bad \\u escape");
                    v = v * 16 + (isdigit((unsigned char)x) ? x - '0' : (tolower((unsigned char)x) - 'a' + 10));
                }
                c = v < 128 ? (char)v : '?';
                break;
            }
            default: break; /* \" \\ \/ */
            }
        }
        kputc(c, &j->s);
    }
    if (j->p >= j->end) return js_fail(j, "unterminated string");
    j->p++;
    return 0;
}
static int js_skip(js_t *j)
{
    int c = js_peek(j);
    if (c == '"') return js_string(j);
    if (c == '{' || c == '[') {
        if (++j->depth > 64) return js_fail(j, "nesting too deep");
        char close = c == '{' ? '}' : ']';
        j->p++;
        if (js_peek(j) == close) { j->p++; j->depth--; return 0; }
        for (;;) {
            if (c == '{') { if (js_string(j) || js_expect(j, ':')) return -1; }
            if (js_skip(j)) return -1;
            int d = js_peek(j);
            if (d == ',') { j->p++; continue; }
            if (d == close) { j->p++; break; }
            return js_fail(j, "expected ',' or a closing bracket");
        }
        j->depth--;
        return 0;
    }
    const char *s = j->p;
    while (j->p < j->end && (isalnum((unsigned char)*j->p) || *j->p == '-' || *j->p == '+' || *j->p == '.')) j->p++;
    if (j->p == s) return js_fail(j, "unexpected character");
    return 0;
}
/* iterate an object: calls fn(key) positioned at the value; fn must consume it */
typedef int (*js_member_fn)(js_t *j, const char *key, void *ctx);
static int js_object(js_t *j, js_member_fn fn, void *ctx)
{
    if (js_expect(j, '{')) return -1;
    if (++j->depth > 64) return js_fail(j, "nesting too deep");
    if (js_peek(j) == '}') { j->p++; j->depth--; return 0; }
    for (;;) {
        if (js_string(j) || js_expect(j, ':')) return -1;
        char key[64];
        snprintf(key, sizeof key, "%s", j->s.s ? j->s.s : "");
        if (fn(j, key, ctx)) return -1;
        int d = js_peek(j);
        if (d == ',') { j->p++; continue; }
        if (d == '}') { j->p++; break; }
        return js_fail(j, "expected ',' or '}'");
    }
    j->depth--;
    return 0;
}
typedef int (*js_elem_fn)(js_t *j, void *ctx);
static int js_array(js_t *j, js_elem_fn fn, void *ctx)
{
    if (js_expect(j, '[')) return -1;
    if (++j->depth > 64) return js_fail(j, "nesting too deep");
    if (js_peek(j) == ']') { j->p++; j->depth--; return 0; }
    for (;;) {
        if (fn(j, ctx)) return -1;
        int d = js_peek(j);
        if (d == ',') { j->p++; continue; }
        if (d == ']') { j->p++; break; }
        return js_fail(j, "expected ',' or ']'");
    }
    j->depth--;
    return 0;
}

typedef struct {
    gs_hpo_t *h;
    int num, deprecated, replaced, nalt, alts[64];
    char pred[128];
    int sub, obj, is_a;
    kstring_t lbl, val;
} jctx_t;

static int bpv_member(js_t *j, const char *key, void *vc)
{
    jctx_t *c = vc;
    if (!strcmp(key, "pred")) { if (js_string(j)) return -1; snprintf(c->pred, sizeof c->pred, "%s", j->s.s); return 0; }
    if (!strcmp(key, "val")) { if (js_peek(j) != '"') return js_skip(j); if (js_string(j)) return -1; c->val.l = 0; kputs(j->s.s, &c->val); return 0; }
    return js_skip(j);
}
static int bpv_elem(js_t *j, void *vc)
{
    jctx_t *c = vc;
    c->pred[0] = 0; c->val.l = 0;
    if (js_peek(j) != '{') return js_skip(j);
    if (js_object(j, bpv_member, c)) return -1;
    size_t pl = strlen(c->pred);
    int num = c->val.l ? hp_num(c->val.s, NULL) : -1;
    if (num < 0) return 0;
    if (pl >= 16 && !strcmp(c->pred + pl - 16, "hasAlternativeId")) { if (c->nalt < 64) c->alts[c->nalt++] = num; }
    else if (pl >= 11 && !strcmp(c->pred + pl - 11, "IAO_0100001")) c->replaced = num;
    return 0;
}
static int meta_member(js_t *j, const char *key, void *vc)
{
    jctx_t *c = vc;
    if (!strcmp(key, "deprecated")) {
        js_ws(j);
        if (j->end - j->p >= 4 && !strncmp(j->p, "true", 4)) c->deprecated = 1;
        return js_skip(j);
    }
    if (!strcmp(key, "basicPropertyValues") && js_peek(j) == '[') return js_array(j, bpv_elem, c);
    return js_skip(j);
}
static int node_member(js_t *j, const char *key, void *vc)
{
    jctx_t *c = vc;
    if (!strcmp(key, "id")) { if (js_string(j)) return -1; c->num = hp_num(j->s.s, NULL); return 0; }
    if (!strcmp(key, "lbl")) { if (js_peek(j) != '"') return js_skip(j); if (js_string(j)) return -1; c->lbl.l = 0; kputs(j->s.s, &c->lbl); return 0; }
    if (!strcmp(key, "meta") && js_peek(j) == '{') return js_object(j, meta_member, c);
    return js_skip(j);
}
static int node_elem(js_t *j, void *vc)
{
    jctx_t *c = vc;
    c->num = -1; c->deprecated = 0; c->replaced = 0; c->nalt = 0; c->lbl.l = 0;
    if (js_peek(j) != '{') return js_skip(j);
    if (js_object(j, node_member, c)) return -1;
    if (c->num < 0) return 0;
    int t = term_add(c->h, c->num);
    if (c->lbl.l) term_name(c->h, t, c->lbl.s, c->lbl.l);
    c->h->term[t].obsolete = c->deprecated;
    c->h->term[t].replaced_by = c->replaced;
    for (int i = 0; i < c->nalt; i++) alt_id(c->h, t, c->alts[i]);
    return 0;
}
static int edge_member(js_t *j, const char *key, void *vc)
{
    jctx_t *c = vc;
    if (!strcmp(key, "sub") || !strcmp(key, "obj") || !strcmp(key, "pred")) {
        if (js_string(j)) return -1;
        if (key[0] == 'p') c->is_a = !strcmp(j->s.s, "is_a") || strstr(j->s.s, "subClassOf") != NULL;
        else if (key[0] == 's') c->sub = hp_num(j->s.s, NULL);
        else c->obj = hp_num(j->s.s, NULL);
        return 0;
    }
    return js_skip(j);
}
static int edge_elem(js_t *j, void *vc)
{
    jctx_t *c = vc;
    c->sub = c->obj = -1; c->is_a = 0;
    if (js_peek(j) != '{') return js_skip(j);
    if (js_object(j, edge_member, c)) return -1;
    if (c->is_a && c->sub >= 0 && c->obj >= 0) term_parent(c->h, term_add(c->h, c->sub), c->obj);
    return 0;
}
static int gmeta_member(js_t *j, const char *key, void *vc)
{
    jctx_t *c = vc;
    if (!strcmp(key, "version")) {
        if (js_peek(j) != '"') return js_skip(j);
        if (js_string(j)) return -1;
        /* http://purl.obolibrary.org/obo/hp/releases/2023-01-27/hp.json */
        const char *r = strstr(j->s.s, "/releases/");
        if (r) { r += 10; const char *e = strchr(r, '/'); snprintf(c->h->version, sizeof c->h->version, "%.*s", e ? (int)(e - r) : (int)strlen(r), r); }
        return 0;
    }
    return js_skip(j);
}
static int graph_member(js_t *j, const char *key, void *vc)
{
    if (!strcmp(key, "nodes")) return js_array(j, node_elem, vc);
    if (!strcmp(key, "edges")) return js_array(j, edge_elem, vc);
    if (!strcmp(key, "meta") && js_peek(j) == '{') return js_object(j, gmeta_member, vc);
    return js_skip(j);
}
static int graph_elem(js_t *j, void *vc) { return js_peek(j) == '{' ? js_object(j, graph_member, vc) : js_skip(j); }
static int top_member(js_t *j, const char *key, void *vc)
{
    if (!strcmp(key, "graphs")) return js_array(j, graph_elem, vc);
    return js_skip(j);
}

static int load_json(gs_hpo_t *h, const char *path, const char *buf, size_t n, kstring_t *err)
{
    js_t j = { buf, buf + n, buf, path, err, 0, {0} };
    jctx_t c; memset(&c, 0, sizeof c); c.h = h;
    int r = js_object(&j, top_member, &c);
    if (!r && js_peek(&j) != -1) r = js_fail(&j, "trailing data after the JSON document");
    free(j.s.s); free(c.lbl.s); free(c.val.s);
    return r;
}

/* resolve parents to indexes; ancestors (self included), IC-sorted later */
static int ancestors(gs_hpo_t *h, int t, kstring_t *err)
{
    term_t *x = &h->term[t];
    if (x->done) return 0;
    if (x->visiting) { ksprintf(err, "HPO: the is_a graph has a cycle through %s", x->id); return -1; }
    x->visiting = 1;
    for (int i = 0; i < x->npar; i++)
        if (ancestors(h, x->par[i], err)) return -1;
    x = &h->term[t];
    /* union of the parents' lists + self, deduplicated by a small sort */
    size_t start = h->nanc;
    size_t need = 1;
    for (int i = 0; i < x->npar; i++) need += h->term[x->par[i]].nanc;
    if (h->nanc + need > h->manc) {
        while (h->nanc + need > h->manc) h->manc = h->manc ? 2 * h->manc : 1 << 18;
        h->anc = realloc(h->anc, h->manc * sizeof(int));
    }
    h->anc[h->nanc++] = t;
    for (int i = 0; i < x->npar; i++) {
        term_t *p = &h->term[x->par[i]];
        for (int k = 0; k < p->nanc; k++) {
            int a = h->anc[p->anc + k], dup = 0;
            for (size_t q = start; q < h->nanc; q++) if (h->anc[q] == a) { dup = 1; break; }
            if (!dup) h->anc[h->nanc++] = a;
        }
    }
    x->anc = (int)start;
    x->nanc = (int)(h->nanc - start);
    x->visiting = 0;
    x->done = 1;
    return 0;
}

static int finish_terms(gs_hpo_t *h, const char *path, kstring_t *err)
{
    if (h->nterm == 0) { ksprintf(err, "%s: no HP terms found", path); return -1; }
    for (int t = 0; t < h->nterm; t++) {
        term_t *x = &h->term[t];
        int w = 0;
        for (int i = 0; i < x->npar; i++) {
            khint_t k = kh_get(i2i, h->idmap, x->par[i]);
            if (k == kh_end(h->idmap)) continue; /* dangling parent: ignore */
            x->par[w++] = kh_val(h->idmap, k);
        }
        x->npar = w;
    }
    for (int t = 0; t < h->nterm; t++)
        if (ancestors(h, t, err)) return -1;
    /* obsolete terms with a replacement resolve to it */
    for (khint_t k = kh_begin(h->idmap); k != kh_end(h->idmap); k++) {
        if (!kh_exist(h->idmap, k)) continue;
        int t = kh_val(h->idmap, k), hops = 0;
        while (h->term[t].obsolete && h->term[t].replaced_by && hops++ < 8) {
            khint_t r = kh_get(i2i, h->idmap, h->term[t].replaced_by);
            if (r == kh_end(h->idmap)) break;
            t = kh_val(h->idmap, r);
        }
        kh_val(h->idmap, k) = t;
    }
    khint_t k = kh_get(i2i, h->idmap, 118);
    h->root_pheno = k == kh_end(h->idmap) ? -1 : kh_val(h->idmap, k);
    return 0;
}

/* ------------------------------------------------------------------ annotations */

static int disease_get(gs_hpo_t *h, const char *id, size_t idl, const char *name, size_t nl, int create)
{
    char key[128];
    if (idl >= sizeof key) idl = sizeof key - 1;
    memcpy(key, id, idl); key[idl] = 0;
    khint_t k = kh_get(s2i, h->dismap, key);
    if (k != kh_end(h->dismap)) return kh_val(h->dismap, k);
    if (!create) return -1;
    if (h->ndis == h->mdis) { h->mdis = h->mdis ? 2 * h->mdis : 4096; h->dis = realloc(h->dis, h->mdis * sizeof *h->dis); }
    disease_t *d = &h->dis[h->ndis];
    memset(d, 0, sizeof *d);
    d->id = strdup(key);
    d->name = strndup(name, nl);
    int ret;
    k = kh_put(s2i, h->dismap, d->id, &ret);
    kh_val(h->dismap, k) = h->ndis;
    return h->ndis++;
}

static double hpo_frequency(const char *f, size_t n)
{
    if (n == 0) return 1.0;
    int num = hp_num(f, NULL);
    if (num >= 0) {
        switch (num) {
        case 40280: return 1.0;   /* obligate */
        case 40281: return 0.9;   /* very frequent 80-99 % */
        case 40282: return 0.55;  /* frequent 30-79 % */
        case 40283: return 0.17;  /* occasional 5-29 % */
        case 40284: return 0.03;  /* very rare 1-4 % */
        case 40285: return 0.0;   /* excluded */
        default: return 1.0;
        }
    }
    char tmp[32];
    if (n >= sizeof tmp) return 1.0;
    memcpy(tmp, f, n); tmp[n] = 0;
    const char *slash = strchr(tmp, '/');
    if (slash) {
        double a = atof(tmp), b = atof(slash + 1);
        return b > 0 ? (a / b > 1 ? 1 : a / b) : 1.0;
    }
    if (strchr(tmp, '%')) { double v = atof(tmp) / 100; return v < 0 ? 0 : v > 1 ? 1 : v; }
    return 1.0;
}

static void ipush(int **a, int *n, int *m, int v)
{
    if (*n == *m) { *m = *m ? 2 * *m : 8; *a = realloc(*a, *m * sizeof(int)); }
    (*a)[(*n)++] = v;
}

/* split a line into at most max tab-separated fields (not NUL-terminated) */
static int split_tabs(char *p, char *e, char **f, size_t *fl, int max)
{
    int n = 0;
    while (n < max) {
        char *t = memchr(p, '\t', e - p);
        f[n] = p; fl[n] = (t ? t : e) - p; n++;
        if (!t) break;
        p = t + 1;
    }
    return n;
}

static void free_keys(khash_t(s2i) *m)
{
    for (khint_t k = kh_begin(m); k != kh_end(m); k++) if (kh_exist(m, k)) free((char *)kh_key(m, k));
    kh_destroy(s2i, m);
}

static int term_index(const gs_hpo_t *h, int num)
{
    khint_t k = kh_get(i2i, h->idmap, num);
    return k == kh_end(h->idmap) ? -1 : kh_val(h->idmap, k);
}

static int has_ancestor(const gs_hpo_t *h, int t, int a)
{
    const term_t *x = &h->term[t];
    for (int k = 0; a >= 0 && k < x->nanc; k++) if (h->anc[x->anc + k] == a) return 1;
    return 0;
}

/* An inheritance term (term index t, id number num) as GS_MOI_* bits:
 * autosomal dominant (and the modifiers that name it) monoallelic, recessive
 * biallelic, semidominant both, X-linked, mitochondrial; -1 another mode of
 * inheritance (sporadic, multifactorial, somatic mosaicism, Y-linked), which
 * rules nothing out; 0 an inheritance modifier (incomplete penetrance, ...). */
static int moi_bits(const gs_hpo_t *h, int t, int num)
{
    int b = 0;
    if (has_ancestor(h, t, term_index(h, 6)) || num == 12275 || num == 1444 || num == 25352) b |= GS_MOI_MONOALLELIC;
    if (has_ancestor(h, t, term_index(h, 7))) b |= GS_MOI_BIALLELIC;
    if (has_ancestor(h, t, term_index(h, 32113))) b |= GS_MOI_MONOALLELIC | GS_MOI_BIALLELIC;
    if (has_ancestor(h, t, term_index(h, 1417))) b |= GS_MOI_XLINKED;
    if (has_ancestor(h, t, term_index(h, 1427))) b |= GS_MOI_MITO;
    if (b) return b;
    if (has_ancestor(h, t, term_index(h, 34335)) || !has_ancestor(h, t, term_index(h, 5))) return 0;
    return -1;
}

static void add_moi(int *moi, int b)
{
    if (b < 0 || *moi < 0) *moi = -1;
    else *moi |= b;
}

static int load_hpoa(gs_hpo_t *h, const char *path, char *buf, kstring_t *err)
{
    int line = 0;
    /* inheritance rows of diseases not seen yet: disease id -> bits */
    khash_t(s2i) *pend = kh_init(s2i);
    for (char *p = buf; *p; ) {
        char *e = strchr(p, '\n');
        if (!e) e = p + strlen(p);
        char *next = *e ? e + 1 : e;
        line++;
        if (e > p && e[-1] == '\r') e--;
        if (*p == '#' || e == p || !strncmp(p, "database_id", 11)) {
            if (!strncmp(p, "#date:", 6) && !h->version[0]) {
                const char *v = p + 6; while (*v == ' ') v++;
                snprintf(h->version, sizeof h->version, "%.*s", (int)(e - v), v);
            }
            p = next; continue;
        }
        char *f[12]; size_t fl[12];
        int nf = split_tabs(p, e, f, fl, 12);
        if (nf < 11) { ksprintf(err, "%s:%d: expected 12 tab-separated columns (phenotype.hpoa), found %d", path, line, nf); goto fail; }
        if (fl[10] == 1 && f[10][0] == 'I' && !(fl[2] == 3 && !strncmp(f[2], "NOT", 3))) { /* inheritance */
            int num = hp_num(f[3], NULL), t = num < 0 ? -1 : term_index(h, num);
            int b = t < 0 ? 0 : moi_bits(h, t, num);
            if (b) {
                int d = disease_get(h, f[0], fl[0], NULL, 0, 0);
                if (d >= 0) add_moi(&h->dis[d].moi, b);
                else {
                    char *key = strndup(f[0], fl[0] < 127 ? fl[0] : 127);
                    int ret;
                    khint_t k = kh_put(s2i, pend, key, &ret);
                    if (ret) kh_val(pend, k) = 0;
                    else free(key);
                    add_moi(&kh_val(pend, k), b);
                }
            }
            p = next; continue;
        }
        if (fl[10] != 1 || f[10][0] != 'P') { p = next; continue; } /* aspect P only */
        int num = hp_num(f[3], NULL);
        if (num < 0) { ksprintf(err, "%s:%d: column 4 is not an HP term id", path, line); goto fail; }
        khint_t k = kh_get(i2i, h->idmap, num);
        if (k == kh_end(h->idmap)) { p = next; continue; }
        int t = kh_val(h->idmap, k);
        int d = disease_get(h, f[0], fl[0], f[1], fl[1], 1);
        disease_t *D = &h->dis[d];
        double w = hpo_frequency(f[7], fl[7]);
        int isnot = fl[2] == 3 && !strncmp(f[2], "NOT", 3);
        if (isnot || w == 0) { ipush(&D->no, &D->nno, &D->mno, t); p = next; continue; }
        int dup = 0;
        for (int i = 0; i < D->nt; i++) if (D->t[i] == t) { if (w > D->w[i]) D->w[i] = (float)w; if (fl[7] && w > D->xw[i]) D->xw[i] = (float)w; dup = 1; break; }
        if (!dup) {
            int m = D->mt;
            ipush(&D->t, &D->nt, &D->mt, t);
            if (D->mt != m) { D->w = realloc(D->w, D->mt * sizeof(float)); D->xw = realloc(D->xw, D->mt * sizeof(float)); }
            D->w[D->nt - 1] = (float)w;
            D->xw[D->nt - 1] = fl[7] ? (float)w : 0;
        }
        p = next;
    }
    for (khint_t k = kh_begin(pend); k != kh_end(pend); k++) {
        if (!kh_exist(pend, k)) continue;
        const char *id = kh_key(pend, k);
        int d = disease_get(h, id, strlen(id), NULL, 0, 0);
        if (d >= 0) add_moi(&h->dis[d].moi, kh_val(pend, k));
    }
    free_keys(pend);
    if (h->ndis == 0) { ksprintf(err, "%s: no disease annotations found", path); return -1; }
    return 0;
fail:
    free_keys(pend);
    return -1;
}

static int gene_get(gs_hpo_t *h, const char *sym, size_t n)
{
    char key[64];
    if (n >= sizeof key) n = sizeof key - 1;
    memcpy(key, sym, n); key[n] = 0;
    khint_t k = kh_get(s2i, h->genemap, key);
    if (k != kh_end(h->genemap)) return kh_val(h->genemap, k);
    if (h->ngene == h->mgene) { h->mgene = h->mgene ? 2 * h->mgene : 4096; h->gene = realloc(h->gene, h->mgene * sizeof *h->gene); }
    gene_t *g = &h->gene[h->ngene];
    memset(g, 0, sizeof *g);
    g->sym = strdup(key);
    int ret;
    k = kh_put(s2i, h->genemap, g->sym, &ret);
    kh_val(h->genemap, k) = h->ngene;
    return h->ngene++;
}

/* genes_to_phenotype.txt (old: 9 columns, disease last; new: header with
 * gene_symbol ... disease_id) or genes_to_disease.txt */
static int load_genes(gs_hpo_t *h, const char *path, char *buf, kstring_t *err)
{
    int line = 0, csym = 1, cdis = -1;
    const char *lsym = NULL, *ldis = NULL;
    size_t lsl = 0, ldl = 0;
    for (char *p = buf; *p; ) {
        char *e = strchr(p, '\n');
        if (!e) e = p + strlen(p);
        char *next = *e ? e + 1 : e;
        line++;
        if (e > p && e[-1] == '\r') e--;
        char *f[16]; size_t fl[16];
        if (e == p) { p = next; continue; }
        if (*p == '#') {
            if (!strncmp(p, "#Format:", 8)) { csym = 1; cdis = 8; }
            p = next; continue;
        }
        int nf = split_tabs(p, e, f, fl, 16);
        if (line == 1 || cdis < 0) {
            int s = -1, d = -1;
            for (int i = 0; i < nf; i++) {
                if (fl[i] == 11 && !strncmp(f[i], "gene_symbol", 11)) s = i;
                if (fl[i] == 10 && !strncmp(f[i], "disease_id", 10)) d = i;
            }
            if (s >= 0 && d >= 0) { csym = s; cdis = d; p = next; continue; }
            if (cdis < 0) { ksprintf(err, "%s:%d: no gene_symbol/disease_id header (not a genes_to_phenotype or genes_to_disease file)", path, line); return -1; }
        }
        if (nf <= cdis || nf <= csym) { ksprintf(err, "%s:%d: expected at least %d tab-separated columns, found %d", path, line, (cdis > csym ? cdis : csym) + 1, nf); return -1; }
        if (fl[csym] == lsl && fl[cdis] == ldl && lsym && !memcmp(f[csym], lsym, lsl) && !memcmp(f[cdis], ldis, ldl)) {
            p = next; continue; /* the same pair as the line before */
        }
        lsym = f[csym]; lsl = fl[csym]; ldis = f[cdis]; ldl = fl[cdis];
        int d = disease_get(h, f[cdis], fl[cdis], NULL, 0, 0);
        if (d < 0 || fl[csym] == 0) { p = next; continue; }
        int g = gene_get(h, f[csym], fl[csym]);
        gene_t *G = &h->gene[g];
        int dup = 0;
        for (int i = 0; i < G->ndis; i++) if (G->dis[i] == d) { dup = 1; break; }
        if (!dup) {
            int m = G->mdis;
            ipush(&G->dis, &G->ndis, &G->mdis, d);
            if (G->mdis != m) G->provisional = realloc(G->provisional, G->mdis);
            /* the 9-column layout's 7th column: "question" marks a provisional link (OMIM "?") */
            G->provisional[G->ndis - 1] = cdis == 8 && nf > 8 && memmem(f[6], fl[6], "question", 8) != NULL;
            disease_t *D = &h->dis[d];
            ipush(&D->genes, &D->ngenes, &D->mgenes, g);
        }
        p = next;
    }
    if (h->ngene == 0) { ksprintf(err, "%s: no gene-disease links to diseases of phenotype.hpoa", path); return -1; }
    return 0;
}

static int by_ic_desc(const void *a, const void *b, void *hv)
{
    const gs_hpo_t *h = hv;
    double x = h->ic[*(const int *)a], y = h->ic[*(const int *)b];
    if (x != y) return x > y ? -1 : 1;
    return *(const int *)a - *(const int *)b;
}

static void compute_ic(gs_hpo_t *h)
{
    int *cnt = calloc(h->nterm, sizeof(int)), *stamp = calloc(h->nterm, sizeof(int));
    int n = 0;
    for (int d = 0; d < h->ndis; d++) {
        disease_t *D = &h->dis[d];
        if (!D->nt) continue;
        n++;
        for (int i = 0; i < D->nt; i++) {
            term_t *x = &h->term[D->t[i]];
            for (int k = 0; k < x->nanc; k++) {
                int a = h->anc[x->anc + k];
                if (stamp[a] != d + 1) { stamp[a] = d + 1; cnt[a]++; }
            }
        }
    }
    h->ic = malloc(h->nterm * sizeof(double));
    for (int t = 0; t < h->nterm; t++)
        h->ic[t] = -log((cnt[t] ? cnt[t] : 1) / (double)(n ? n : 1));
    free(cnt); free(stamp);
    /* ancestors by IC, descending: the first shared one is the most informative */
    for (int t = 0; t < h->nterm; t++)
        qsort_r(h->anc + h->term[t].anc, h->term[t].nanc, sizeof(int), by_ic_desc, h);
    /* terms used by annotations */
    h->u_of = malloc(h->nterm * sizeof(int));
    for (int t = 0; t < h->nterm; t++) h->u_of[t] = -1;
    h->uterm = malloc(h->nterm * sizeof(int));
    for (int d = 0; d < h->ndis; d++) {
        disease_t *D = &h->dis[d];
        D->lw = malloc((D->nt + 1) * sizeof(float));
        for (int i = 0; i < D->nt; i++) D->lw[i] = W_FREQ * logf(D->w[i]);
    }
    for (int d = 0; d < h->ndis; d++)
        for (int i = 0; i < h->dis[d].nt; i++) {
            int t = h->dis[d].t[i];
            if (h->u_of[t] < 0) { h->u_of[t] = h->nu; h->uterm[h->nu++] = t; }
            h->dis[d].t[i] = h->u_of[t];
        }
}

static void compute_chance(gs_hpo_t *h);

typedef struct { const char *path; char *buf; size_t n; kstring_t err; } slurp_job_t;
static void *slurp_thread(void *arg)
{
    slurp_job_t *j = arg;
    j->buf = slurp(j->path, &j->n, &j->err);
    return NULL;
}

gs_hpo_t *gs_hpo_load(const char *dir, kstring_t *err)
{
    static const char *const onto[] = { "hp.obo", "hp.json", NULL };
    static const char *const ann[] = { "phenotype.hpoa", NULL };
    static const char *const genes[] = { "genes_to_disease.txt", "genes_to_phenotype.txt", NULL };
    char *fo = find_file(dir, onto), *fa = find_file(dir, ann), *fg = find_file(dir, genes);
    gs_hpo_t *h = NULL;
    char *buf = NULL;
    size_t n;
    if (!fo || !fa || !fg) {
        ksprintf(err, "%s: no %s in this directory (an HPO release: hp.obo or hp.json, phenotype.hpoa, genes_to_phenotype.txt; .gz allowed)",
                 dir, !fo ? "hp.obo/hp.json" : !fa ? "phenotype.hpoa" : "genes_to_phenotype.txt/genes_to_disease.txt");
        goto fail;
    }
    h = calloc(1, sizeof *h);
    h->idmap = kh_init(i2i); h->dismap = kh_init(s2i); h->genemap = kh_init(s2i);
    /* the annotation files are decompressed while the ontology is parsed */
    slurp_job_t ja = { fa, NULL, 0, {0} }, jg = { fg, NULL, 0, {0} };
    pthread_t ta, tg;
    struct stat st;
    int big = (!stat(fa, &st) && st.st_size > (1 << 20)) || (!stat(fg, &st) && st.st_size > (1 << 20));
    int sa = big && pthread_create(&ta, NULL, slurp_thread, &ja) == 0; /* small files: not worth a thread */
    int sg = big && pthread_create(&tg, NULL, slurp_thread, &jg) == 0;
    if (!sa) slurp_thread(&ja);
    if (!sg) slurp_thread(&jg);
    int bad = 0;
    if (!(buf = slurp(fo, &n, err))) bad = 1;
    else {
        const char *q = buf; while (isspace((unsigned char)*q)) q++;
        bad = *q == '{' ? load_json(h, fo, buf, n, err) : load_obo(h, fo, buf, err);
        if (!bad) bad = finish_terms(h, fo, err);
        if (!bad && h->root_pheno < 0) { ksprintf(err, "%s: no HP:0000118 (Phenotypic abnormality) term", fo); bad = 1; }
    }
    free(buf); buf = NULL;
    if (sa) pthread_join(ta, NULL);
    if (sg) pthread_join(tg, NULL);
    if (!bad && !ja.buf) { kputs(ja.err.s ? ja.err.s : fa, err); bad = 1; }
    if (!bad && !jg.buf) { kputs(jg.err.s ? jg.err.s : fg, err); bad = 1; }
    char ver[64]; snprintf(ver, sizeof ver, "%s", h->version); h->version[0] = 0;
    if (!bad) bad = load_hpoa(h, fa, ja.buf, err);
    if (!bad) bad = load_genes(h, fg, jg.buf, err);
    free(ja.buf); free(jg.buf); free(ja.err.s); free(jg.err.s);
    if (bad) goto fail;
    if (!ver[0]) snprintf(ver, sizeof ver, "%s", h->version);
    snprintf(h->version, sizeof h->version, "%s", ver[0] ? ver : "unknown");
    compute_ic(h);
    compute_chance(h);
    free(fo); free(fa); free(fg);
    return h;
fail:
    free(buf); free(fo); free(fa); free(fg);
    gs_hpo_free(h);
    return NULL;
}

void gs_hpo_free(gs_hpo_t *h)
{
    if (!h) return;
    for (int t = 0; t < h->nterm; t++) free(h->term[t].par);
    free(h->term); free(h->names.s); free(h->anc); free(h->ic);
    for (int d = 0; d < h->ndis; d++) {
        disease_t *D = &h->dis[d];
        free(D->id); free(D->name); free(D->t); free(D->w); free(D->xw); free(D->lw); free(D->no); free(D->genes);
    }
    free(h->dis);
    for (int g = 0; g < h->ngene; g++) { free(h->gene[g].sym); free(h->gene[g].dis); free(h->gene[g].provisional); }
    free(h->gene);
    if (h->idmap) kh_destroy(i2i, h->idmap);
    if (h->dismap) kh_destroy(s2i, h->dismap);
    if (h->genemap) kh_destroy(s2i, h->genemap);
    free(h->uterm); free(h->u_of);
    free(h);
}

const char *gs_hpo_version(const gs_hpo_t *h) { return h->version; }
int gs_hpo_nterms(const gs_hpo_t *h) { return h->nterm; }
int gs_hpo_term(const gs_hpo_t *h, const char *id)
{
    const char *end;
    int num = hp_num(id, &end);
    if (num < 0 || *end) return -2;
    khint_t k = kh_get(i2i, h->idmap, num);
    if (k == kh_end(h->idmap)) return -1;
    int t = kh_val(h->idmap, k);
    return h->term[t].obsolete ? -1 : t;
}
const char *gs_hpo_term_id(const gs_hpo_t *h, int t) { return h->term[t].id; }
const char *gs_hpo_term_name(const gs_hpo_t *h, int t) { return h->term[t].name >= 0 ? h->names.s + h->term[t].name : h->term[t].id; }
int gs_hpo_ngenes(const gs_hpo_t *h) { return h->ngene; }
const char *gs_hpo_gene_name(const gs_hpo_t *h, int g) { return h->gene[g].sym; }
int gs_hpo_gene(const gs_hpo_t *h, const char *symbol)
{
    khint_t k = kh_get(s2i, h->genemap, symbol);
    return k == kh_end(h->genemap) ? -1 : kh_val(h->genemap, k);
}
unsigned gs_hpo_gene_moi(const gs_hpo_t *h, int g)
{
    unsigned b = 0;
    if (g < 0 || g >= h->ngene) return 0;
    const gene_t *G = &h->gene[g];
    for (int i = 0; i < G->ndis; i++) {
        int m = h->dis[G->dis[i]].moi;
        if (m < 0) return 0;
        b |= (unsigned)m;
    }
    return b;
}
const char *gs_hpo_disease_id(const gs_hpo_t *h, int d) { return h->dis[d].id; }
const char *gs_hpo_disease_name(const gs_hpo_t *h, int d) { return h->dis[d].name; }

/* ------------------------------------------------------------------ profiles */

static int is_pheno(const gs_hpo_t *h, int t)
{
    const term_t *x = &h->term[t];
    for (int k = 0; k < x->nanc; k++) if (h->anc[x->anc + k] == h->root_pheno) return 1;
    return 0;
}

static int profile_add(const gs_hpo_t *h, gs_hpo_profile_t *p, const char *id, int excluded, kstring_t *err, const char *where)
{
    int t = gs_hpo_term(h, id);
    if (t == -2) { ksprintf(err, "%s: '%s' is not an HPO term id (HP:0000000)", where, id); return -1; }
    if (t == -1) {
        for (int i = 0; i < p->nunknown; i++) if (!strcmp(p->unknown[i], id)) return 0;
        p->unknown = realloc(p->unknown, (p->nunknown + 1) * sizeof(char *));
        p->unknown[p->nunknown++] = strdup(id);
        return 0;
    }
    if (!is_pheno(h, t)) return 0; /* onset, inheritance, ...: not matched */
    int **a = excluded ? &p->exc : &p->obs, *n = excluded ? &p->nexc : &p->nobs;
    for (int i = 0; i < *n; i++) if ((*a)[i] == t) return 0;
    *a = realloc(*a, (*n + 1) * sizeof(int));
    (*a)[(*n)++] = t;
    return 0;
}

int gs_hpo_profile_parse(const gs_hpo_t *h, const char *terms, gs_hpo_profile_t *p, kstring_t *err)
{
    char *s = strdup(terms), *save = NULL;
    int r = 0;
    for (char *tok = strtok_r(s, ", ;\t", &save); tok; tok = strtok_r(NULL, ", ;\t", &save)) {
        int exc = 0;
        if (*tok == '!' || *tok == '-') { exc = 1; tok++; }
        if ((r = profile_add(h, p, tok, exc, err, "--hpo"))) break;
    }
    free(s);
    return r;
}

int gs_hpo_profile_phenopacket(const gs_hpo_t *h, const char *path, gs_hpo_profile_t *p, kstring_t *err)
{
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (je.line > 0) ksprintf(err, "%s:%d: not valid JSON: %s", path, je.line, je.text);
        else ksprintf(err, "%s: %s", path, errno ? strerror(errno) : je.text);
        return -1;
    }
    int r = -1;
    if (!json_is_object(root)) { ksprintf(err, "%s: a phenopacket is a JSON object", path); goto out; }
    json_t *id = json_object_get(root, "id"), *subj = json_object_get(root, "subject");
    const char *sid = json_is_object(subj) ? json_string_value(json_object_get(subj, "id")) : NULL;
    if (!json_is_string(id) && !sid) { ksprintf(err, "%s: phenopacket has neither 'id' nor 'subject.id'", path); goto out; }
    p->id = strdup(json_is_string(id) ? json_string_value(id) : sid);
    p->vcf_sample = sid ? strdup(sid) : NULL;
    json_t *feat = json_object_get(root, "phenotypicFeatures");
    if (feat && !json_is_array(feat)) { ksprintf(err, "%s: phenotypicFeatures is not an array", path); goto out; }
    size_t i; json_t *f;
    json_array_foreach(feat, i, f) {
        if (!h) break; /* only the subject and files wanted */
        json_t *type = json_object_get(f, "type");
        const char *tid = json_is_object(type) ? json_string_value(json_object_get(type, "id")) : NULL;
        if (!tid) { ksprintf(err, "%s: phenotypicFeatures[%zu] has no type.id", path, i); goto out; }
        int exc = json_is_true(json_object_get(f, "excluded"));
        kstring_t where = {0}; ksprintf(&where, "%s: phenotypicFeatures[%zu]", path, i);
        int e = profile_add(h, p, tid, exc, err, where.s);
        free(where.s);
        if (e) goto out;
    }
    json_t *files = json_object_get(root, "files"), *fl;
    json_array_foreach(files, i, fl) {
        const char *uri = json_string_value(json_object_get(fl, "uri"));
        json_t *attr = json_object_get(fl, "fileAttributes");
        const char *fmt = json_is_object(attr) ? json_string_value(json_object_get(attr, "fileFormat")) : NULL;
        if (!uri) continue;
        size_t ul = strlen(uri);
        int isvcf = (fmt && (!strcasecmp(fmt, "VCF") || !strcasecmp(fmt, "BCF"))) ||
                    (ul > 4 && (!strcmp(uri + ul - 4, ".vcf") || !strcmp(uri + ul - 4, ".bcf"))) ||
                    (ul > 7 && !strcmp(uri + ul - 7, ".vcf.gz"));
        if (!isvcf || p->vcf) continue;
        if (!strncmp(uri, "file://", 7)) uri += 7;
        if (strstr(uri, "://")) continue; /* remote: not ours to fetch */
        const char *slash = strrchr(path, '/');
        if (uri[0] != '/' && slash) { /* relative to the phenopacket's directory */
            kstring_t full = {0};
            ksprintf(&full, "%.*s/%s", (int)(slash - path), path, uri);
            p->vcf = ks_release(&full);
        } else p->vcf = strdup(uri);
        json_t *map = json_object_get(fl, "individualToFileIdentifiers");
        const char *col = sid && json_is_object(map) ? json_string_value(json_object_get(map, sid)) : NULL;
        if (col) { free(p->vcf_sample); p->vcf_sample = strdup(col); }
    }
    r = 0;
out:
    json_decref(root);
    return r;
}

int gs_hpo_profile_table(const gs_hpo_t *h, const char *path, gs_hpo_profile_t **ps, int *n, kstring_t *err)
{
    size_t len;
    char *buf = slurp(path, &len, err);
    if (!buf) return -1;
    int line = 0, r = 0;
    for (char *p = buf; *p && !r; ) {
        char *e = strchr(p, '\n');
        if (!e) e = p + strlen(p);
        char *next = *e ? e + 1 : e;
        line++;
        if (e > p && e[-1] == '\r') e[-1] = 0;
        *e = 0;
        if (*p == '#' || !*p) { p = next; continue; }
        char *f[3]; size_t fl[3];
        int nf = split_tabs(p, e, f, fl, 3);
        for (int i = 0; i < nf; i++) f[i][fl[i]] = 0;
        if (nf < 2 || !fl[0]) { ksprintf(err, "%s:%d: expected sample<TAB>HP terms[<TAB>excluded terms]", path, line); r = -1; break; }
        for (int i = 0; i < *n; i++)
            if (!strcmp((*ps)[i].id, f[0])) { ksprintf(err, "%s:%d: sample '%s' listed twice", path, line, f[0]); r = -1; break; }
        if (r) break;
        *ps = realloc(*ps, (*n + 1) * sizeof **ps);
        gs_hpo_profile_t *p1 = &(*ps)[(*n)++];
        memset(p1, 0, sizeof *p1);
        p1->id = strdup(f[0]);
        p1->from_table = 1;
        kstring_t where = {0};
        ksprintf(&where, "%s:%d", path, line);
        for (int col = 1; col < nf && !r; col++) {
            char *save = NULL;
            for (char *tok = strtok_r(f[col], ", ;", &save); tok && !r; tok = strtok_r(NULL, ", ;", &save))
                r = profile_add(h, p1, tok, col == 2, err, where.s);
        }
        free(where.s);
        p = next;
    }
    free(buf);
    return r;
}

void gs_hpo_profile_free(gs_hpo_profile_t *p)
{
    if (!p) return;
    free(p->id); free(p->obs); free(p->exc); free(p->vcf); free(p->vcf_sample);
    for (int i = 0; i < p->nunknown; i++) free(p->unknown[i]);
    free(p->unknown);
    memset(p, 0, sizeof *p);
}

/* IC of the most informative common ancestor of a and b */
static double term_sim(const gs_hpo_t *h, int a, int b)
{
    const term_t *x = &h->term[a], *y = &h->term[b];
    const int *ya = h->anc + y->anc;
    for (int i = 0; i < x->nanc; i++) { /* IC-descending: the first shared ancestor is the best */
        int t = h->anc[x->anc + i];
        for (int j = 0; j < y->nanc; j++) if (ya[j] == t) return h->ic[t];
    }
    return 0;
}

static double one_way(const gs_hpo_t *h, const int *a, int na, const int *b, int nb)
{
    double s = 0;
    for (int i = 0; i < na; i++) {
        double best = 0;
        for (int j = 0; j < nb; j++) { double v = term_sim(h, a[i], b[j]); if (v > best) best = v; }
        s += best;
    }
    return na ? s / na : 0;
}

double gs_hpo_profile_sim(const gs_hpo_t *h, const gs_hpo_profile_t *a, const gs_hpo_profile_t *b)
{
    if (!a->nobs || !b->nobs) return 0;
    return 0.5 * (one_way(h, a->obs, a->nobs, b->obs, b->nobs) + one_way(h, b->obs, b->nobs, a->obs, a->nobs));
}

/* ------------------------------------------------------------------ scoring */

struct gs_pheno {
    const gs_hpo_t *h;
    int k;                      /* patient terms */
    int *pt;                    /* their term indexes */
    float *sim;                 /* nu x k: IC of the most informative common ancestor */
    int *mica;                  /* nu x k: that ancestor */
    gs_pheno_gene_t *g;
    int *order, *rank;
    double *dscore;
};

/* similarity of every annotated term to patient term t */
static void sim_row(const gs_hpo_t *h, int t, int *stamp, int mark, float *row, int *mrow, int stride)
{
    const term_t *x = &h->term[t];
    for (int k = 0; k < x->nanc; k++) stamp[h->anc[x->anc + k]] = mark;
    for (int u = 0; u < h->nu; u++) {
        const term_t *y = &h->term[h->uterm[u]];
        const int *a = h->anc + y->anc;
        float best = 0; int m = -1;
        for (int k = 0; k < y->nanc; k++)
            if (stamp[a[k]] == mark) { best = (float)h->ic[a[k]]; m = a[k]; break; }
        row[(size_t)u * stride] = best;
        mrow[(size_t)u * stride] = m;
    }
}

/* Each gene-linked disease's patient -> disease match (the mean's summand of gs_pheno_score) for
 * N_CHANCE annotated terms of the release (every n-th annotation, one disease's term each: terms
 * as often as diseases carry them), averaged: how well the disease explains a term of some other
 * disease. Broad diseases match anything; the score holds W_CHANCE of this against them, centred
 * on the mean over diseases so that a typical disease keeps its score. */
typedef struct { gs_hpo_t *h; int part, n; double *sum; } chance_job_t;

static void *chance_part(void *v)
{
    chance_job_t *c = v;
    gs_hpo_t *h = c->h;
    long tot = 0;
    for (int d = 0; d < h->ndis; d++) tot += h->dis[d].nt;
    long step = tot / N_CHANCE > 0 ? tot / N_CHANCE : 1, at = 0;
    float *row = malloc((h->nu + 1) * sizeof(float));
    int *mrow = malloc((h->nu + 1) * sizeof(int)), *stamp = calloc(h->nterm, sizeof(int)), k = 0;
    for (int r = 0; r < h->ndis; r++)
        for (int j = 0; j < h->dis[r].nt; j++, at++) {
            if (at % step != step / 2 || k++ % 2 != c->part) continue;
            sim_row(h, h->uterm[h->dis[r].t[j]], stamp, ++c->n, row, mrow, 1);
            for (int d = 0; d < h->ndis; d++) {
                const disease_t *D = &h->dis[d];
                if (!D->ngenes) continue;
                float b = 0;
                for (int i = 0; i < D->nt; i++) { float x = row[D->t[i]] + D->lw[i]; if (x > b) b = x; }
                c->sum[d] += b;
            }
        }
    free(row); free(mrow); free(stamp);
    return NULL;
}

static void compute_chance(gs_hpo_t *h)
{
    chance_job_t c[2];
    pthread_t t;
    for (int i = 0; i < 2; i++) c[i] = (chance_job_t){ h, i, 0, calloc(h->ndis + 1, sizeof(double)) };
    int threaded = !pthread_create(&t, NULL, chance_part, &c[1]);
    chance_part(&c[0]);
    if (threaded) pthread_join(t, NULL);
    else chance_part(&c[1]);
    int n = c[0].n + c[1].n, nd = 0;
    double mean = 0;
    for (int d = 0; d < h->ndis; d++) {
        disease_t *D = &h->dis[d];
        D->chance = 0;
        if (!D->ngenes || !D->nt) continue;
        D->chance = (c[0].sum[d] + c[1].sum[d]) / (n ? n : 1);
        mean += D->chance;
        nd++;
    }
    mean /= nd ? nd : 1;
    for (int d = 0; d < h->ndis; d++)
        if (h->dis[d].ngenes && h->dis[d].nt) h->dis[d].chance = W_CHANCE * (h->dis[d].chance - mean);
    free(c[0].sum); free(c[1].sum);
}

static int by_score(const void *a, const void *b, void *sv)
{
    const gs_pheno_t *sort_s = sv;
    const gs_pheno_gene_t *x = &sort_s->g[*(const int *)a], *y = &sort_s->g[*(const int *)b];
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    if (x->tiebreak != y->tiebreak) return x->tiebreak > y->tiebreak ? -1 : 1;
    return strcmp(sort_s->h->gene[*(const int *)a].sym, sort_s->h->gene[*(const int *)b].sym);
}

/* a disease's score as the gene's: less 1/(genes of the disease) and a provisional link */
static double gene_disease(const gs_hpo_t *h, const gs_pheno_t *s, const gene_t *G, int i)
{
    const disease_t *D = &h->dis[G->dis[i]];
    return s->dscore[G->dis[i]] - GENE_TEMP * log(D->ngenes) - (G->provisional[i] ? W_PROVISIONAL : 0);
}

gs_pheno_t *gs_pheno_score(const gs_hpo_t *h, const gs_hpo_profile_t *p)
{
    gs_pheno_t *s = calloc(1, sizeof *s);
    s->h = h;
    s->k = p->nobs;
    s->pt = malloc((p->nobs + 1) * sizeof(int));
    if (p->nobs) memcpy(s->pt, p->obs, p->nobs * sizeof(int));
    size_t cells = (size_t)s->k * h->nu;
    s->sim = malloc((cells + 1) * sizeof(float));
    s->mica = malloc((cells + 1) * sizeof(int));
    int *stamp = calloc(h->nterm, sizeof(int));
    for (int i = 0; i < s->k; i++)
        sim_row(h, s->pt[i], stamp, i + 1, s->sim + i, s->mica + i, s->k);
    /* excluded terms: the IC of the one an annotated term implies */
    float *exc = calloc(h->nu + 1, sizeof(float));
    if (p->nexc) {
        int mark = s->k + 1;
        for (int i = 0; i < p->nexc; i++) stamp[p->exc[i]] = mark;
        for (int u = 0; u < h->nu; u++) {
            const term_t *y = &h->term[h->uterm[u]];
            for (int k = 0; k < y->nanc; k++)
                if (stamp[h->anc[y->anc + k]] == mark) { exc[u] = (float)h->ic[h->anc[y->anc + k]]; break; }
        }
    }
    /* what the patient has (observed terms and their ancestors), against NOT annotations */
    int has = s->k + 2;
    for (int i = 0; i < s->k; i++) {
        const term_t *x = &h->term[s->pt[i]];
        for (int k = 0; k < x->nanc; k++) stamp[h->anc[x->anc + k]] = has;
    }
    s->dscore = malloc((h->ndis + 1) * sizeof(double));
    float *best_p = malloc((s->k + 1) * sizeof(float));
    char *exact = malloc(s->k + 1);
    float *pic = malloc((s->k + 1) * sizeof(float));
    for (int i = 0; i < s->k; i++) pic[i] = (float)h->ic[s->pt[i]];
    for (int d = 0; d < h->ndis; d++) {
        const disease_t *D = &h->dis[d];
        if (!D->nt || !s->k) { s->dscore[d] = 0; continue; }
        for (int i = 0; i < s->k; i++) best_p[i] = 0, exact[i] = 0;
        double dp = 0, wsum = 0, conflict = 0;
        for (int j = 0; j < D->nt; j++) {
            int u = D->t[j];
            const float *col = s->sim + (size_t)u * s->k;
            float bd = 0, lw = D->lw[j];
            for (int i = 0; i < s->k; i++) {
                float v = col[i];
                exact[i] |= v >= pic[i]; /* the disease term implies the patient's (or as much) */
                if (v + lw > best_p[i]) best_p[i] = v + lw;
                if (v > bd) bd = v;
            }
            dp += D->w[j] * bd;
            wsum += D->w[j];
            if (exc[u] > 0 && D->xw[j] >= X_FREQUENT) conflict += exc[u];
        }
        double pd = 0, ex = 0;
        for (int i = 0; i < s->k; i++) { pd += best_p[i]; ex += exact[i]; }
        pd /= s->k;
        ex /= s->k;
        dp = wsum > 0 ? dp / (wsum + DP_PRIOR) : 0;
        for (int j = 0; j < D->nno; j++)
            if (stamp[D->no[j]] == has) conflict += h->ic[D->no[j]];
        s->dscore[d] = W_PATIENT * pd + (1 - W_PATIENT) * dp - W_SIZE * log(D->nt) + W_EXACT * ex
                       - D->chance - W_CONFLICT * conflict / (s->k + p->nexc);
    }
    free(best_p); free(exact); free(pic); free(exc); free(stamp);
    s->g = calloc(h->ngene + 1, sizeof *s->g);
    for (int g = 0; g < h->ngene; g++) {
        const gene_t *G = &h->gene[g];
        double best = 0, sum = 0, soft = 0;
        int bd = -1;
        for (int i = 0; i < G->ndis; i++) {
            double v = s->dscore[G->dis[i]];
            sum += v;
            v = gene_disease(h, s, G, i);
            if (bd < 0 || v > best || (v == best && strcmp(h->dis[G->dis[i]].id, h->dis[bd].id) < 0)) { best = v; bd = G->dis[i]; }
        }
        /* log-sum-exp around the best disease: a gene whose other diseases match too gains up to
         * GENE_TEMP * ln(number of diseases); one disease scores as itself */
        for (int i = 0; i < G->ndis; i++) soft += exp((gene_disease(h, s, G, i) - best) / GENE_TEMP);
        s->g[g].score = G->ndis ? best + GENE_TEMP * log(soft) : 0;
        s->g[g].disease = bd;
        s->g[g].tiebreak = G->ndis ? sum / G->ndis : 0;
    }
    s->order = malloc((h->ngene + 1) * sizeof(int));
    for (int g = 0; g < h->ngene; g++) s->order[g] = g;
    qsort_r(s->order, h->ngene, sizeof(int), by_score, s);
    s->rank = malloc((h->ngene + 1) * sizeof(int));
    for (int i = 0; i < h->ngene; ) {
        int j = i;
        const gs_pheno_gene_t *a = &s->g[s->order[i]];
        while (j < h->ngene && s->g[s->order[j]].score == a->score && s->g[s->order[j]].tiebreak == a->tiebreak) j++;
        for (int k = i; k < j; k++) s->rank[s->order[k]] = j;
        i = j;
    }
    return s;
}

const gs_pheno_gene_t *gs_pheno_genes(const gs_pheno_t *s) { return s->g; }
const int *gs_pheno_order(const gs_pheno_t *s) { return s->order; }
int gs_pheno_rank(const gs_pheno_t *s, int g) { return g < 0 ? 0 : s->rank[g]; }

int gs_pheno_match_pairs(const gs_pheno_t *s, int d, int *pt, int *dt, int *mica, int max)
{
    const gs_hpo_t *h = s->h;
    if (d < 0) return 0;
    const disease_t *D = &h->dis[d];
    int n = 0;
    for (int i = 0; i < s->k && n < max; i++) {
        float best = 0; int bu = -1;
        for (int j = 0; j < D->nt; j++) { /* the match that scored (gs_pheno_score) */
            float v = s->sim[(size_t)D->t[j] * s->k + i] + D->lw[j];
            if (v > best) { best = v; bu = D->t[j]; }
        }
        if (bu < 0 || best <= 0) continue;
        pt[n] = s->pt[i];
        dt[n] = h->uterm[bu];
        mica[n] = s->mica[(size_t)bu * s->k + i];
        n++;
    }
    return n;
}

void gs_pheno_matches(const gs_pheno_t *s, int d, int with_names, kstring_t *out)
{
    int n = s->k;
    if (n <= 0 || d < 0) return;
    int *pt = malloc(3 * n * sizeof(int)), *dt = pt + n, *mc = pt + 2 * n;
    n = gs_pheno_match_pairs(s, d, pt, dt, mc, n);
    for (int i = 0; i < n; i++) {
        if (!with_names) {
            ksprintf(out, "%s%s>%s", i ? ";" : "", gs_hpo_term_id(s->h, pt[i]), gs_hpo_term_id(s->h, dt[i]));
            continue;
        }
        ksprintf(out, "%s%s (%s) ~ ", i ? "; " : "", gs_hpo_term_name(s->h, pt[i]), gs_hpo_term_id(s->h, pt[i]));
        if (dt[i] == pt[i]) kputs("same", out);
        else ksprintf(out, "%s (%s)", gs_hpo_term_name(s->h, dt[i]), gs_hpo_term_id(s->h, dt[i]));
    }
    free(pt);
}

void gs_pheno_free(gs_pheno_t *s)
{
    if (!s) return;
    free(s->pt); free(s->sim); free(s->mica); free(s->g); free(s->order); free(s->rank); free(s->dscore);
    free(s);
}
