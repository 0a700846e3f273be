/* share.c -- `genesieve share`: per-patient results (genesieve.genes/1) as a
 * Matchmaker Exchange API v1 patient request body and a GA4GH Phenopacket v2.
 *
 * Privacy by construction: the exports are built field by field from what
 * they need (the patient's HPO terms and sex, the top genes' alleles and the
 * patient's zygosity, the best disease match of the top gene), never by
 * copying parts of the result.  So relatives' genotypes, the input and
 * pipeline paths, depths, qualities and the run settings cannot leak, and the
 * patient appears only under the pseudonym the configuration gives. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <jansson.h>
#include <yaml.h>

#include "output.h"
#include "sha256.h"
#include "share.h"
#include "pipeline.h"

#ifndef GS_VERSION
#define GS_VERSION "0.1.0"
#endif

#define GS_GENES_SCHEMA "genesieve.genes/1"
#define SHARE_TOP_DEFAULT 5
#define SHARE_TOP_MAX 1000
#define SECRET_MIN 16           /* bytes: the secret is what keeps hashed ids from being guessed */
#define PSEUDONYM_MAX 64

/* ------------------------------------------------------------------ */
/* Configuration                                                       */

#define LINE(n) ((int)(n)->start_mark.line + 1)

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

void gs_share_config_free(gs_share_config_t *c)
{
    if (!c) return;
    free(c->source);
    free(c->contact_name); free(c->contact_institution); free(c->contact_href); free(c->contact_email);
    free(c->assembly); free(c->created_by);
    for (int i = 0; i < c->nids; i++) { free(c->id_sample[i]); free(c->id_pseudonym[i]); }
    free(c->id_sample); free(c->id_pseudonym);
    free(c->id_prefix);
    if (c->secret) memset(c->secret, 0, strlen(c->secret));
    free(c->secret);
    free(c);
}

/* Pseudonyms name files: letters, digits, '.', '_', '-', not starting with '.' */
static int safe_id(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max || *s == '.') return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return 0;
    return 1;
}

/* A plain non-empty string value for key k, copied into *dst (once). */
static int take_string(yaml_node_t *kn, yaml_node_t *vn, const char *k, char **dst, const char *src, kstring_t *err)
{
    const char *v = scalar(vn);
    if (*dst) { ksprintf(err, "%s:%d: %s: given twice", src, LINE(kn), k); return -1; }
    if (!v || !*v) { ksprintf(err, "%s:%d: %s: expected a non-empty string", src, LINE(vn), k); return -1; }
    *dst = strdup(v);
    return 0;
}

static int parse_contact(gs_share_config_t *c, yaml_document_t *doc, yaml_node_t *n, const char *src, kstring_t *err)
{
    if (n->type != YAML_MAPPING_NODE) {
        ksprintf(err, "%s:%d: contact: expected a mapping (name, institution, href, email)", src, LINE(n));
        return -1;
    }
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(doc, pr->key), *vn = yaml_document_get_node(doc, pr->value);
        const char *k = scalar(kn);
        char **dst = !k ? NULL : !strcmp(k, "name") ? &c->contact_name : !strcmp(k, "institution") ? &c->contact_institution
                   : !strcmp(k, "href") ? &c->contact_href : !strcmp(k, "email") ? &c->contact_email : NULL;
        if (!dst) {
            ksprintf(err, "%s:%d: contact: unknown key '%s' (known: name, institution, href, email)", src, LINE(kn), k ? k : "?");
            return -1;
        }
        kstring_t key = KS_INITIALIZE;
        ksprintf(&key, "contact.%s", k);
        int r = take_string(kn, vn, key.s, dst, src, err);
        ks_free(&key);
        if (r < 0) return -1;
        if (dst == &c->contact_href) {
            /* the MME schema's pattern: ^(https?|mailto):\S+$ */
            const char *h = *dst, *rest = !strncmp(h, "https:", 6) ? h + 6 : !strncmp(h, "http:", 5) ? h + 5
                                       : !strncmp(h, "mailto:", 7) ? h + 7 : NULL;
            int ok = rest && *rest;
            for (const char *p = rest; ok && *p; p++) ok = *p > ' ';
            if (!ok) {
                ksprintf(err, "%s:%d: contact.href: expected an http(s): or mailto: URL without spaces", src, LINE(vn));
                return -1;
            }
        }
    }
    if (!c->contact_name || !c->contact_href) {
        ksprintf(err, "%s:%d: contact: needs name and href (Matchmaker Exchange requires both)", src, LINE(n));
        return -1;
    }
    return 0;
}

static int parse_ids(gs_share_config_t *c, yaml_document_t *doc, yaml_node_t *n, const char *src, kstring_t *err)
{
    if (c->nids) { ksprintf(err, "%s:%d: ids: given twice", src, LINE(n)); return -1; }
    if (n->type != YAML_MAPPING_NODE) {
        ksprintf(err, "%s:%d: ids: expected a mapping of sample: pseudonym", src, LINE(n));
        return -1;
    }
    int m = (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    c->id_sample = calloc(m ? m : 1, sizeof(char *));
    c->id_pseudonym = calloc(m ? m : 1, sizeof(char *));
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(doc, pr->key), *vn = yaml_document_get_node(doc, pr->value);
        const char *k = scalar(kn), *v = scalar(vn);
        if (!k || !*k) { ksprintf(err, "%s:%d: ids: sample names must be plain strings", src, LINE(kn)); return -1; }
        if (!v || !safe_id(v, PSEUDONYM_MAX) || !*v) {
            ksprintf(err, "%s:%d: ids.%s: a pseudonym is 1-%d letters, digits, '.', '_' or '-', not starting with '.'",
                     src, LINE(vn), k, PSEUDONYM_MAX);
            return -1;
        }
        for (int i = 0; i < c->nids; i++) {
            if (!strcmp(c->id_sample[i], k)) { ksprintf(err, "%s:%d: ids.%s: sample given twice", src, LINE(kn), k); return -1; }
            if (!strcmp(c->id_pseudonym[i], v)) {
                ksprintf(err, "%s:%d: ids.%s: pseudonym '%s' is already given to another sample", src, LINE(vn), k, v);
                return -1;
            }
        }
        c->id_sample[c->nids] = strdup(k);
        c->id_pseudonym[c->nids++] = strdup(v);
    }
    return 0;
}

static int parse_root(gs_share_config_t *c, yaml_document_t *doc, yaml_node_t *root, const char *src, kstring_t *err)
{
    int have_top = 0, have_test = 0, prefix_line = 0;
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(doc, pr->key), *vn = yaml_document_get_node(doc, pr->value);
        const char *k = scalar(kn), *v = scalar(vn);
        if (!k) { ksprintf(err, "%s:%d: keys must be plain strings", src, LINE(kn)); return -1; }
        if (!strcmp(k, "contact")) {
            if (c->contact_name) { ksprintf(err, "%s:%d: contact: given twice", src, LINE(kn)); return -1; }
            if (parse_contact(c, doc, vn, src, err) < 0) return -1;
        } else if (!strcmp(k, "assembly")) {
            if (c->assembly) { ksprintf(err, "%s:%d: assembly: given twice", src, LINE(kn)); return -1; }
            const char *a = !v ? NULL : !strcasecmp(v, "GRCh37") || !strcasecmp(v, "hg19") || !strcmp(v, "37") ? "GRCh37"
                          : !strcasecmp(v, "GRCh38") || !strcasecmp(v, "hg38") || !strcmp(v, "38") ? "GRCh38" : NULL;
            if (!a) { ksprintf(err, "%s:%d: assembly: expected GRCh37 or GRCh38", src, LINE(vn)); return -1; }
            c->assembly = strdup(a);
        } else if (!strcmp(k, "created_by")) {
            if (take_string(kn, vn, k, &c->created_by, src, err) < 0) return -1;
        } else if (!strcmp(k, "top")) {
            char *end;
            long x = v ? strtol(v, &end, 10) : 0;
            if (have_top) { ksprintf(err, "%s:%d: top: given twice", src, LINE(kn)); return -1; }
            if (!v || !*v || *end || x < 1 || x > SHARE_TOP_MAX) {
                ksprintf(err, "%s:%d: top: expected an integer from 1 to %d", src, LINE(vn), SHARE_TOP_MAX);
                return -1;
            }
            c->top = x;
            have_top = 1;
        } else if (!strcmp(k, "test")) {
            if (have_test) { ksprintf(err, "%s:%d: test: given twice", src, LINE(kn)); return -1; }
            if (v && !strcmp(v, "true")) c->test = 1;
            else if (v && !strcmp(v, "false")) c->test = 0;
            else { ksprintf(err, "%s:%d: test: expected true or false", src, LINE(vn)); return -1; }
            have_test = 1;
        } else if (!strcmp(k, "ids")) {
            if (parse_ids(c, doc, vn, src, err) < 0) return -1;
        } else if (!strcmp(k, "id_prefix")) {
            if (c->id_prefix) { ksprintf(err, "%s:%d: id_prefix: given twice", src, LINE(kn)); return -1; }
            if (!v || !safe_id(v, 32)) {
                ksprintf(err, "%s:%d: id_prefix: up to 32 letters, digits, '.', '_' or '-', not starting with '.'", src, LINE(vn));
                return -1;
            }
            c->id_prefix = strdup(v);
            prefix_line = LINE(kn);
        } else if (!strcmp(k, "secret")) {
            if (take_string(kn, vn, k, &c->secret, src, err) < 0) return -1;
            if (strlen(c->secret) < SECRET_MIN) {
                ksprintf(err, "%s:%d: secret: too short (at least %d characters; sample names are easy to guess, the secret must not be)",
                         src, LINE(vn), SECRET_MIN);
                return -1;
            }
        } else {
            ksprintf(err, "%s:%d: unknown key '%s' (known: contact, assembly, created_by, top, test, ids, id_prefix, secret)",
                     src, LINE(kn), k);
            return -1;
        }
    }
    if (!c->contact_name) { ksprintf(err, "%s:%d: contact: required (name and href of whoever answers matches)", src, LINE(root)); return -1; }
    if (!c->assembly) {
        ksprintf(err, "%s:%d: assembly: required (GRCh37 or GRCh38; results do not record the genome build)", src, LINE(root));
        return -1;
    }
    if (c->id_prefix && !c->secret) {
        ksprintf(err, "%s:%d: id_prefix: needs a secret: to derive the pseudonyms from", src, prefix_line);
        return -1;
    }
    if (!c->nids && !c->secret) {
        ksprintf(err, "%s:%d: no pseudonyms: give ids: (sample: pseudonym) or secret: (with an optional id_prefix:)", src, LINE(root));
        return -1;
    }
    if (!c->id_prefix) c->id_prefix = strdup("");
    if (!c->created_by) c->created_by = strdup(c->contact_name);
    return 0;
}

gs_share_config_t *gs_share_config_parse(const char *text, size_t len, const char *source, kstring_t *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    gs_share_config_t *c = calloc(1, sizeof(*c));
    c->source = strdup(source);
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        ksprintf(err, "%s:%d: invalid YAML: %s", source, (int)parser.problem_mark.line + 1,
                 parser.problem ? parser.problem : "parse error");
        yaml_parser_delete(&parser);
        gs_share_config_free(c);
        return NULL;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    int ok = -1;
    if (!root || root->type != YAML_MAPPING_NODE)
        ksprintf(err, "%s:%d: a share configuration is a mapping (contact, assembly, ids or secret, ...)", source,
                 root ? LINE(root) : 1);
    else
        ok = parse_root(c, &doc, root, source, err);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (ok < 0) { gs_share_config_free(c); return NULL; }
    return c;
}

gs_share_config_t *gs_share_config_load(const char *path, kstring_t *err)
{
    kstring_t s = KS_INITIALIZE;
    if (gs_read_file(path, "share configuration", &s, err) < 0) {
        if (s.s) memset(s.s, 0, s.l); /* a partial read may hold the secret */
        ks_free(&s);
        return NULL;
    }
    gs_share_config_t *c = gs_share_config_parse(s.s ? s.s : "", s.l, path, err);
    if (s.s) memset(s.s, 0, s.l); /* the text holds the secret */
    ks_free(&s);
    return c;
}

int gs_share_pseudonym(const gs_share_config_t *c, const char *sample, kstring_t *out, kstring_t *err)
{
    out->l = 0;
    for (int i = 0; i < c->nids; i++)
        if (!strcmp(c->id_sample[i], sample)) { kputs(c->id_pseudonym[i], out); return 0; }
    if (!c->secret) {
        ksprintf(err, "%s: sample '%s' has no pseudonym under ids: and no secret: is set to derive one", c->source, sample);
        return -1;
    }
    unsigned char mac[32];
    gs_hmac_sha256(c->secret, strlen(c->secret), sample, strlen(sample), mac);
    kputs(c->id_prefix ? c->id_prefix : "", out);
    for (int i = 0; i < 8; i++) ksprintf(out, "%02x", mac[i]);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Reading a result                                                    */

/* What the exports take from one <sample>.genes.json. */
typedef struct share_var {
    const char *chrom, *ref, *alt, *zygosity;
    json_int_t pos;
} share_var_t;

typedef struct share_gene {
    const char *symbol;
    const char *disease_id, *disease_name;  /* best phenotype disease, or NULL */
    int nvar;
    share_var_t *v;
} share_gene_t;

typedef struct share_term { const char *id, *name; } share_term_t;

typedef struct share_patient {
    const char *path;
    json_t *doc;                /* owns every string below */
    const char *sample, *sex;   /* sex: "male", "female" or other (unknown) */
    const char *hpo_release;    /* NULL: the result has no phenotype block */
    int nobs, nexc, ngene;
    share_term_t *obs, *exc;
    share_gene_t *g;
    kstring_t pseudonym;
} share_patient_t;

static void patient_free(share_patient_t *p)
{
    for (int i = 0; i < p->ngene; i++) free(p->g[i].v);
    free(p->g); free(p->obs); free(p->exc);
    ks_free(&p->pseudonym);
    json_decref(p->doc);
}

static const char *jstr_at(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int read_terms(share_patient_t *p, json_t *a, const char *what, share_term_t **out, int *n, kstring_t *err)
{
    if (!a || json_is_null(a)) return 0;
    if (!json_is_array(a)) { ksprintf(err, "%s: phenotype.%s: expected an array", p->path, what); return -1; }
    *out = calloc(json_array_size(a) + 1, sizeof(share_term_t));
    size_t i;
    json_t *t;
    json_array_foreach(a, i, t) {
        const char *id = jstr_at(t, "id"), *name = jstr_at(t, "name");
        if (!id || strncmp(id, "HP:", 3)) { ksprintf(err, "%s: phenotype.%s[%zu]: expected an HP term id", p->path, what, i); return -1; }
        (*out)[*n].id = id;
        (*out)[*n].name = name && *name ? name : NULL;
        (*n)++;
    }
    return 0;
}

static int read_gene(share_patient_t *p, size_t gi, json_t *g, kstring_t *err)
{
    share_gene_t *x = &p->g[p->ngene];
    x->symbol = jstr_at(g, "gene");
    if (!x->symbol || !*x->symbol) { ksprintf(err, "%s: genes[%zu]: no gene symbol", p->path, gi); return -1; }
    json_t *ph = json_object_get(g, "phenotype"), *d = json_is_object(ph) ? json_object_get(ph, "disease") : NULL;
    if (json_is_object(d)) {
        x->disease_id = jstr_at(d, "id");
        x->disease_name = jstr_at(d, "name");
        if (!x->disease_id || !*x->disease_id || !x->disease_name || !*x->disease_name) x->disease_id = x->disease_name = NULL;
    }
    json_t *va = json_object_get(g, "variants");
    if (!json_is_array(va)) { ksprintf(err, "%s: genes[%zu]: no variants array", p->path, gi); return -1; }
    x->v = calloc(json_array_size(va) + 1, sizeof(share_var_t));
    size_t i;
    json_t *v;
    json_array_foreach(va, i, v) {
        share_var_t *y = &x->v[x->nvar];
        y->chrom = jstr_at(v, "chrom");
        y->ref = jstr_at(v, "ref");
        y->alt = jstr_at(v, "alt");
        y->zygosity = jstr_at(v, "zygosity");
        json_t *pos = json_object_get(v, "pos");
        y->pos = json_is_integer(pos) ? json_integer_value(pos) : 0;
        if (!y->chrom || !*y->chrom || !y->ref || !*y->ref || !y->alt || !*y->alt || y->pos < 1) {
            ksprintf(err, "%s: genes[%zu].variants[%zu]: needs chrom, pos >= 1, ref and alt", p->path, gi, i);
            return -1;
        }
        x->nvar++;
    }
    p->ngene++;
    return 0;
}

static int read_result(share_patient_t *p, long top, kstring_t *err)
{
    json_error_t je;
    p->doc = json_load_file(p->path, 0, &je);
    if (!p->doc) {
        if (je.line > 0) ksprintf(err, "%s:%d: invalid JSON: %s", p->path, je.line, je.text);
        else ksprintf(err, "%s: %s", p->path, je.text);
        return -1;
    }
    const char *schema = jstr_at(p->doc, "schema");
    if (!schema || strcmp(schema, GS_GENES_SCHEMA)) {
        ksprintf(err, "%s: not a per-patient result of `genesieve run`/`merge` (schema %s expected%s%s)", p->path,
                 GS_GENES_SCHEMA, schema ? ", found " : "", schema ? schema : "");
        return -1;
    }
    p->sample = jstr_at(p->doc, "sample");
    if (!p->sample || !*p->sample) { ksprintf(err, "%s: no sample", p->path); return -1; }
    size_t i;
    json_t *x, *fam = json_object_get(p->doc, "family");
    p->sex = "unknown";
    json_array_foreach(fam, i, x) {
        const char *s = jstr_at(x, "sample");
        if (s && !strcmp(s, p->sample) && jstr_at(x, "sex")) p->sex = jstr_at(x, "sex");
    }
    json_t *ph = json_object_get(p->doc, "phenotype");
    if (ph && !json_is_null(ph)) {
        if (!json_is_object(ph)) { ksprintf(err, "%s: phenotype: expected an object", p->path); return -1; }
        p->hpo_release = jstr_at(ph, "hpo_release");
        if (!p->hpo_release || !*p->hpo_release) p->hpo_release = "unknown";
        if (read_terms(p, json_object_get(ph, "observed"), "observed", &p->obs, &p->nobs, err) < 0) return -1;
        if (read_terms(p, json_object_get(ph, "excluded"), "excluded", &p->exc, &p->nexc, err) < 0) return -1;
    }
    json_t *genes = json_object_get(p->doc, "genes");
    if (!json_is_array(genes)) { ksprintf(err, "%s: no genes array", p->path); return -1; }
    size_t n = json_array_size(genes) < (size_t)top ? json_array_size(genes) : (size_t)top;
    p->g = calloc(n + 1, sizeof(share_gene_t));
    for (i = 0; i < n; i++) /* genes are in rank order */
        if (read_gene(p, i, json_array_get(genes, i), err) < 0) return -1;
    if (!p->nobs && !p->nexc && !p->ngene) {
        ksprintf(err, "%s: nothing to share: no HPO terms and no candidate genes (Matchmaker Exchange needs one or the other)",
                 p->path);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Exports                                                             */

static json_t *jclean(const char *s)
{
    char *c = gs_utf8_clean(s ? s : "");
    json_t *j = json_string(c);
    free(c);
    return j;
}

/* MME referenceName: "1".."22", "X", "Y" (and "MT") without a chr prefix */
static void mme_chrom(const char *chrom, kstring_t *s)
{
    s->l = 0;
    if (!strncasecmp(chrom, "chr", 3)) chrom += 3;
    if (!strcmp(chrom, "M")) chrom = "MT";
    kputs(chrom, s);
}

static int zygosity_copies(const char *z)
{
    return !z ? 0 : !strcmp(z, "hom") ? 2 : !strcmp(z, "het") || !strcmp(z, "hemi") ? 1 : 0;
}

static json_t *build_mme(const gs_share_config_t *c, const share_patient_t *p)
{
    json_t *pat = json_object(), *contact = json_object();
    json_object_set_new(pat, "id", json_string(p->pseudonym.s));
    json_object_set_new(contact, "name", jclean(c->contact_name));
    if (c->contact_institution) json_object_set_new(contact, "institution", jclean(c->contact_institution));
    json_object_set_new(contact, "href", jclean(c->contact_href));
    if (c->contact_email) json_object_set_new(contact, "email", jclean(c->contact_email));
    json_object_set_new(pat, "contact", contact);
    json_object_set_new(pat, "species", json_string("NCBITaxon:9606"));
    /* the spec's geneticSex values have no "unknown": an unknown sex is left out */
    if (!strcmp(p->sex, "male")) json_object_set_new(pat, "sex", json_string("MALE"));
    else if (!strcmp(p->sex, "female")) json_object_set_new(pat, "sex", json_string("FEMALE"));
    if (p->nobs + p->nexc) {
        json_t *f = json_array();
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < (k ? p->nexc : p->nobs); i++) {
                const share_term_t *t = k ? &p->exc[i] : &p->obs[i];
                json_t *o = json_object();
                json_object_set_new(o, "id", json_string(t->id));
                if (t->name) json_object_set_new(o, "label", jclean(t->name));
                json_object_set_new(o, "observed", json_string(k ? "no" : "yes"));
                json_array_append_new(f, o);
            }
        json_object_set_new(pat, "features", f);
    }
    if (p->ngene) {
        json_t *gf = json_array();
        kstring_t chrom = KS_INITIALIZE;
        for (int i = 0; i < p->ngene; i++) {
            const share_gene_t *g = &p->g[i];
            for (int j = 0; j < g->nvar || (j == 0 && !g->nvar); j++) {
                json_t *o = json_object();
                json_object_set_new(o, "gene", json_pack("{s:o}", "id", jclean(g->symbol)));
                if (g->nvar) {
                    const share_var_t *v = &g->v[j];
                    mme_chrom(v->chrom, &chrom);
                    json_t *var = json_object();
                    json_object_set_new(var, "assembly", json_string(c->assembly));
                    json_object_set_new(var, "referenceName", jclean(chrom.s));
                    json_object_set_new(var, "start", json_integer(v->pos - 1)); /* 0-based */
                    json_object_set_new(var, "end", json_integer(v->pos - 1 + (json_int_t)strlen(v->ref))); /* exclusive */
                    json_object_set_new(var, "referenceBases", jclean(v->ref));
                    json_object_set_new(var, "alternateBases", jclean(v->alt));
                    json_object_set_new(o, "variant", var);
                    int z = zygosity_copies(v->zygosity);
                    if (z) json_object_set_new(o, "zygosity", json_integer(z));
                }
                json_array_append_new(gf, o);
            }
        }
        ks_free(&chrom);
        json_object_set_new(pat, "genomicFeatures", gf);
    }
    if (c->test) json_object_set_new(pat, "test", json_true());
    return json_pack("{s:o}", "patient", pat);
}

static json_t *resource(const char *id, const char *name, const char *url, const char *version,
                        const char *prefix, const char *iri)
{
    return json_pack("{s:s,s:s,s:s,s:o,s:s,s:s}", "id", id, "name", name, "url", url, "version", jclean(version),
                     "namespacePrefix", prefix, "iriPrefix", iri);
}

/* The resource a disease id's prefix comes from (HPO annotations use these three). */
static json_t *disease_resource(const char *id, const char *hpo_release)
{
    kstring_t v = KS_INITIALIZE;
    ksprintf(&v, "as annotated in HPO %s", hpo_release ? hpo_release : "unknown");
    json_t *r;
    if (!strncmp(id, "OMIM:", 5))
        r = resource("omim", "Online Mendelian Inheritance in Man", "https://www.omim.org", v.s, "OMIM", "https://www.omim.org/entry/");
    else if (!strncmp(id, "ORPHA:", 6))
        r = resource("orpha", "Orphanet Rare Disease Ontology", "https://www.orpha.net", v.s, "ORPHA", "http://www.orpha.net/ORDO/Orphanet_");
    else if (!strncmp(id, "DECIPHER:", 9))
        r = resource("decipher", "DECIPHER", "https://www.deciphergenomics.org", v.s, "DECIPHER",
                     "https://www.deciphergenomics.org/syndrome/");
    else {
        kstring_t pre = KS_INITIALIZE;
        const char *colon = strchr(id, ':');
        kputsn(id, colon ? (size_t)(colon - id) : strlen(id), &pre);
        r = resource(pre.s, pre.s, "", v.s, pre.s, "");
        ks_free(&pre);
    }
    ks_free(&v);
    return r;
}

static json_t *allelic_state(const char *z)
{
    /* GENO: heterozygous GENO:0000135, homozygous GENO:0000136, hemizygous GENO:0000134 */
    if (z && !strcmp(z, "het")) return json_pack("{s:s,s:s}", "id", "GENO:0000135", "label", "heterozygous");
    if (z && !strcmp(z, "hom")) return json_pack("{s:s,s:s}", "id", "GENO:0000136", "label", "homozygous");
    if (z && !strcmp(z, "hemi")) return json_pack("{s:s,s:s}", "id", "GENO:0000134", "label", "hemizygous");
    return NULL;
}

static json_t *build_phenopacket(const gs_share_config_t *c, const share_patient_t *p, const char *created)
{
    const char *id = p->pseudonym.s;
    json_t *pp = json_object(), *resources = json_array();
    json_object_set_new(pp, "id", json_string(id));
    const char *sex = !strcmp(p->sex, "male") ? "MALE" : !strcmp(p->sex, "female") ? "FEMALE" : "UNKNOWN_SEX";
    json_object_set_new(pp, "subject", json_pack("{s:s,s:s}", "id", id, "sex", sex));
    if (p->nobs + p->nexc) { /* the schema wants at least one feature when the list is there */
        json_t *f = json_array();
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < (k ? p->nexc : p->nobs); i++) {
                const share_term_t *t = k ? &p->exc[i] : &p->obs[i];
                json_t *o = json_pack("{s:{s:s,s:o}}", "type", "id", t->id, "label", jclean(t->name ? t->name : t->id));
                if (k) json_object_set_new(o, "excluded", json_true());
                json_array_append_new(f, o);
            }
        json_object_set_new(pp, "phenotypicFeatures", f);
        json_array_append_new(resources, resource("hp", "human phenotype ontology", "http://purl.obolibrary.org/obo/hp.owl",
                                                  p->hpo_release, "HP", "http://purl.obolibrary.org/obo/HP_"));
    }
    if (p->ngene) {
        const share_gene_t *top = &p->g[0];
        json_t *disease;
        if (top->disease_id) {
            disease = json_pack("{s:o,s:o}", "id", jclean(top->disease_id), "label", jclean(top->disease_name));
            json_array_append_new(resources, disease_resource(top->disease_id, p->hpo_release));
        } else { /* a diagnosis needs a disease: the root of Mondo says "some disease", no more */
            disease = json_pack("{s:s,s:s}", "id", "MONDO:0000001", "label", "disease");
            json_array_append_new(resources, resource("mondo", "Mondo Disease Ontology", "http://purl.obolibrary.org/obo/mondo.owl",
                                                      "unspecified (only the root term MONDO:0000001 is used)", "MONDO",
                                                      "http://purl.obolibrary.org/obo/MONDO_"));
        }
        json_t *gi = json_array();
        int any_geno = 0;
        kstring_t vid = KS_INITIALIZE;
        for (int i = 0; i < p->ngene; i++) {
            const share_gene_t *g = &p->g[i];
            for (int j = 0; j < g->nvar; j++) {
                const share_var_t *v = &g->v[j];
                vid.l = 0;
                ksprintf(&vid, "%s:%lld:%s:%s", v->chrom, (long long)v->pos, v->ref, v->alt);
                json_t *vd = json_object();
                json_object_set_new(vd, "id", jclean(vid.s));
                /* results carry symbols only (no HGNC ids): valueId repeats the symbol */
                json_object_set_new(vd, "geneContext", json_pack("{s:o,s:o}", "valueId", jclean(g->symbol), "symbol", jclean(g->symbol)));
                json_object_set_new(vd, "vcfRecord", json_pack("{s:s,s:o,s:I,s:o,s:o}", "genomeAssembly", c->assembly,
                                                               "chrom", jclean(v->chrom), "pos", v->pos, "ref", jclean(v->ref),
                                                               "alt", jclean(v->alt)));
                json_object_set_new(vd, "moleculeContext", json_string("genomic"));
                json_t *as = allelic_state(v->zygosity);
                if (as) { json_object_set_new(vd, "allelicState", as); any_geno = 1; }
                json_t *vi = json_pack("{s:s,s:s,s:o}", "acmgPathogenicityClassification", "NOT_PROVIDED",
                                       "therapeuticActionability", "UNKNOWN_ACTIONABILITY", "variationDescriptor", vd);
                json_array_append_new(gi, json_pack("{s:s,s:s,s:o}", "subjectOrBiosampleId", id,
                                                    "interpretationStatus", "CANDIDATE", "variantInterpretation", vi));
            }
        }
        ks_free(&vid);
        kstring_t sum = KS_INITIALIZE;
        ksprintf(&sum, "Candidate genes ranked by GeneSieve %s (top %d). The disease is %s, not a confirmed diagnosis.",
                 GS_VERSION, p->ngene, top->disease_id ? "the best phenotype match of the top-ranked gene" : "a placeholder");
        json_t *interp = json_object();
        kstring_t iid = KS_INITIALIZE;
        ksprintf(&iid, "%s-genesieve", id);
        json_object_set_new(interp, "id", json_string(iid.s));
        ks_free(&iid);
        json_object_set_new(interp, "progressStatus", json_string("IN_PROGRESS"));
        json_object_set_new(interp, "diagnosis", json_pack("{s:o,s:o}", "disease", disease, "genomicInterpretations", gi));
        json_object_set_new(interp, "summary", json_string(sum.s));
        ks_free(&sum);
        json_object_set_new(pp, "interpretations", json_pack("[o]", interp));
        if (any_geno)
            json_array_append_new(resources, resource("geno", "Genotype Ontology", "http://purl.obolibrary.org/obo/geno.owl",
                                                      "unspecified (allelic states only)", "GENO",
                                                      "http://purl.obolibrary.org/obo/GENO_"));
    }
    json_t *md = json_object();
    json_object_set_new(md, "created", json_string(created));
    json_object_set_new(md, "createdBy", jclean(c->created_by));
    json_object_set_new(md, "resources", resources);
    json_object_set_new(md, "phenopacketSchemaVersion", json_string("2.0"));
    json_object_set_new(pp, "metaData", md);
    return pp;
}

/* ------------------------------------------------------------------ */
/* Command                                                             */

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: genesieve share --config FILE.yml [-n N] [-o DIR] [--force] RESULT.genes.json...\n\n"
            "Writes, for each per-patient result of `genesieve run` or `merge`, under the pseudonym the\n"
            "configuration gives the patient:\n"
            "  DIR/<pseudonym>.mme.json          a Matchmaker Exchange API v1 patient request body\n"
            "  DIR/<pseudonym>.phenopacket.json  a GA4GH Phenopacket v2\n"
            "with the patient's HPO terms and sex and the top N genes' variants with the patient's\n"
            "zygosity; no relative's genotype, no file path, no sample name.\n\n"
            "Options:\n"
            "  -c, --config FILE.yml   contact, assembly, created_by, top, test, ids / id_prefix + secret\n"
            "  -n, --top N             genes per patient (default: the config's top, else %d)\n"
            "  -o, --outdir DIR        output directory (default: genesieve-share)\n"
            "      --force             overwrite exports already in DIR\n"
            "  -q, --quiet             no summary on stderr\n",
            SHARE_TOP_DEFAULT);
}

int gs_cmd_share(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"config", required_argument, NULL, 'c'}, {"top", required_argument, NULL, 'n'},
        {"outdir", required_argument, NULL, 'o'}, {"force", no_argument, NULL, 'F'},
        {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const char *config = NULL, *outdir = "genesieve-share";
    long top = 0;
    int force = 0, quiet = 0, ch;
    while ((ch = getopt_long(argc, argv, "c:n:o:qh", lopts, NULL)) != -1) {
        switch (ch) {
        case 'c': config = optarg; break;
        case 'n': {
            char *e;
            top = strtol(optarg, &e, 10);
            if (!*optarg || *e || top < 1 || top > SHARE_TOP_MAX) {
                fprintf(stderr, "genesieve: error: --top %s: expected a number from 1 to %d\n", optarg, SHARE_TOP_MAX);
                return 2;
            }
            break;
        }
        case 'o': outdir = optarg; break;
        case 'F': force = 1; break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!config) { fprintf(stderr, "genesieve: error: share needs --config FILE.yml (contact and pseudonyms)\n"); usage(stderr); return 2; }
    if (optind >= argc) { fprintf(stderr, "genesieve: error: share needs at least one RESULT.genes.json\n"); usage(stderr); return 2; }
    int np = argc - optind, ret = 1;
    kstring_t err = KS_INITIALIZE, path = KS_INITIALIZE;
    share_patient_t *ps = calloc(np, sizeof(share_patient_t));
    json_t **mme = calloc(np, sizeof(json_t *)), **pkt = calloc(np, sizeof(json_t *));
    char created[32];
    struct stat st;
    gs_outputs_install_signal_handlers();
    gs_share_config_t *c = gs_share_config_load(config, &err);
    if (!c) goto out;
    if (!top) top = c->top ? c->top : SHARE_TOP_DEFAULT;
    time_t t;
    struct tm tm;
    if (gs_run_time(&t, &err) < 0) goto out;
    if (!gmtime_r(&t, &tm) || !strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
        ksprintf(&err, "cannot format the date");
        goto out;
    }
    /* everything is read and built before anything is written */
    for (int i = 0; i < np; i++) {
        share_patient_t *p = &ps[i];
        p->path = argv[optind + i];
        if (read_result(p, top, &err) < 0) goto out;
        if (gs_share_pseudonym(c, p->sample, &p->pseudonym, &err) < 0) {
            err.l = 0;
            ksprintf(&err, "%s: the patient has no pseudonym: %s has no ids: entry for it and no secret:", p->path, config);
            goto out;
        }
        for (int k = 0; k < i; k++)
            if (!strcmp(ps[k].pseudonym.s, p->pseudonym.s)) {
                ksprintf(&err, "%s and %s: both give pseudonym %s (the same patient twice?)", ps[k].path, p->path, p->pseudonym.s);
                goto out;
            }
        mme[i] = build_mme(c, p);
        pkt[i] = build_phenopacket(c, p, created);
    }
    for (int i = 0; !force && i < np; i++)
        for (int k = 0; k < 2; k++) {
            path.l = 0;
            ksprintf(&path, "%s/%s%s", outdir, ps[i].pseudonym.s, k ? ".phenopacket.json" : ".mme.json");
            if (stat(path.s, &st) == 0) {
                ksprintf(&err, "%s: already exists; use --force to overwrite it", path.s);
                goto out;
            }
        }
    if (gs_output_dir(outdir, &err) < 0) goto out;
    for (int i = 0; i < np; i++)
        for (int k = 0; k < 2; k++) {
            path.l = 0;
            ksprintf(&path, "%s/%s%s", outdir, ps[i].pseudonym.s, k ? ".phenopacket.json" : ".mme.json");
            json_t *doc = k ? pkt[i] : mme[i];
            if (k) pkt[i] = NULL; else mme[i] = NULL;
            if (gs_json_write(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER, path.s, &err) < 0) goto out;
        }
    if (gs_outputs_commit(&err) < 0) goto out;
    if (!quiet)
        for (int i = 0; i < np; i++)
            fprintf(stderr, "genesieve: share: %s -> %s/%s.mme.json, .phenopacket.json (%d gene%s, %d term%s)\n", ps[i].path,
                    outdir, ps[i].pseudonym.s, ps[i].ngene, ps[i].ngene == 1 ? "" : "s", ps[i].nobs + ps[i].nexc,
                    ps[i].nobs + ps[i].nexc == 1 ? "" : "s");
    ret = 0;
out:
    if (ret) {
        gs_outputs_abort();
        fprintf(stderr, "genesieve: error: %s\n", err.l ? err.s : "share failed");
    }
    for (int i = 0; i < np; i++) { patient_free(&ps[i]); json_decref(mme[i]); json_decref(pkt[i]); }
    free(ps); free(mme); free(pkt);
    gs_share_config_free(c);
    ks_free(&err);
    ks_free(&path);
    return ret;
}
