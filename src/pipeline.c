/* pipeline.c -- stage registry, typed parameters, YAML pipeline files (libyaml). */
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "pipeline.h"
#include "stages/builtin.h"

/* ------------------------------------------------------------------ */
/* Registry                                                            */

static const gs_stage_t **reg;
static int nreg, mreg;
static void **dl_handles;
static int ndl;

static int registry_add(const gs_stage_t *st, const char *origin, kstring_t *err)
{
    if (!st || !st->name || (!st->variant && !st->gene)) {
        ksprintf(err, "%s: stage table without a name or hook", origin);
        return -1;
    }
    if (st->api_version != GS_API_VERSION) {
        ksprintf(err, "%s: stage '%s' was built for API version %d, this genesieve has %d",
                 origin, st->name, st->api_version, GS_API_VERSION);
        return -1;
    }
    if (gs_registry_find(st->name)) {
        ksprintf(err, "%s: a stage named '%s' is already registered", origin, st->name);
        return -1;
    }
    if (nreg == mreg) {
        mreg = mreg ? 2 * mreg : 16;
        const gs_stage_t **tmp = realloc(reg, mreg * sizeof(*reg));
        if (!tmp) { ksprintf(err, "out of memory"); return -1; }
        reg = tmp;
    }
    reg[nreg++] = st;
    return 0;
}

int gs_registry_init(void)
{
    if (nreg) return 0;
    kstring_t err = KS_INITIALIZE;
    for (int i = 0; gs_builtin_stages[i]; i++)
        if (registry_add(gs_builtin_stages[i], "built-in", &err) < 0) {
            fprintf(stderr, "genesieve: error: %s\n", err.s);
            ks_free(&err);
            return -1;
        }
    return 0;
}

int gs_registry_load_plugin(const char *path, kstring_t *err)
{
    /* dlopen() searches the library path for names without '/'; a user means a file. */
    kstring_t p = KS_INITIALIZE;
    if (!strchr(path, '/')) ksprintf(&p, "./%s", path); else kputs(path, &p);
    void *h = dlopen(p.s, RTLD_NOW | RTLD_LOCAL);
    ks_free(&p);
    if (!h) { ksprintf(err, "cannot load plugin '%s': %s", path, dlerror()); return -1; }
    gs_plugin_entry_f entry;
    *(void **)&entry = dlsym(h, GS_PLUGIN_ENTRY);
    if (!entry) {
        ksprintf(err, "plugin '%s' does not export %s()", path, GS_PLUGIN_ENTRY);
        dlclose(h);
        return -1;
    }
    int n = 0;
    const gs_stage_t *const *stages = entry(&n);
    if (!stages || n <= 0) {
        ksprintf(err, "plugin '%s' declares no stages", path);
        dlclose(h);
        return -1;
    }
    for (int i = 0; i < n; i++)
        if (registry_add(stages[i], path, err) < 0) { dlclose(h); return -1; }
    void **tmp = realloc(dl_handles, (ndl + 1) * sizeof(*dl_handles));
    if (!tmp) { ksprintf(err, "out of memory"); return -1; }
    dl_handles = tmp;
    dl_handles[ndl++] = h;
    return 0;
}

const gs_stage_t *gs_registry_find(const char *name)
{
    for (int i = 0; i < nreg; i++)
        if (!strcmp(reg[i]->name, name)) return reg[i];
    return NULL;
}

int gs_registry_count(void) { return nreg; }
const gs_stage_t *gs_registry_get(int i) { return i >= 0 && i < nreg ? reg[i] : NULL; }

void gs_registry_free(void)
{
    free(reg);
    reg = NULL;
    nreg = mreg = 0;
    for (int i = 0; i < ndl; i++) dlclose(dl_handles[i]);
    free(dl_handles);
    dl_handles = NULL;
    ndl = 0;
}

/* ------------------------------------------------------------------ */
/* Parameter values                                                    */

static const char *type_name(gs_param_type_t t)
{
    switch (t) {
    case GS_PARAM_INT: return "an integer";
    case GS_PARAM_FLOAT: return "a number";
    case GS_PARAM_BOOL: return "true or false";
    case GS_PARAM_STRING: return "a string";
    case GS_PARAM_LIST: return "a list";
    }
    return "?";
}

static int in_range(const gs_param_def_t *d, double x, kstring_t *err)
{
    if (d->min == d->max) return 0;
    if (x < d->min || x > d->max) {
        ksprintf(err, "value %g is out of range [%g, %g]", x, d->min, d->max);
        return -1;
    }
    return 0;
}

static void list_add(gs_pval_t *v, const char *s, size_t len)
{
    v->list = realloc(v->list, (v->nlist + 1) * sizeof(char *));
    v->list[v->nlist++] = strndup(s, len);
}

void gs_pval_free(gs_pval_t *v, const gs_param_def_t *def)
{
    (void)def;
    free(v->s);
    for (int i = 0; i < v->nlist; i++) free(v->list[i]);
    free(v->list);
    memset(v, 0, sizeof(*v));
}

int gs_pval_parse(const gs_param_def_t *def, const char *text, gs_pval_t *out, kstring_t *err)
{
    char *end;
    switch (def->type) {
    case GS_PARAM_INT: {
        errno = 0;
        long x = strtol(text, &end, 10);
        if (!*text || *end || errno) { ksprintf(err, "value '%s' is not %s", text, type_name(def->type)); return -1; }
        if (in_range(def, (double)x, err) < 0) return -1;
        out->i = x;
        break;
    }
    case GS_PARAM_FLOAT: {
        errno = 0;
        double x = strtod(text, &end);
        if (!*text || *end || errno || isnan(x)) { ksprintf(err, "value '%s' is not %s", text, type_name(def->type)); return -1; }
        if (in_range(def, x, err) < 0) return -1;
        out->f = x;
        break;
    }
    case GS_PARAM_BOOL:
        if (!strcasecmp(text, "true") || !strcasecmp(text, "yes") || !strcmp(text, "1")) out->b = 1;
        else if (!strcasecmp(text, "false") || !strcasecmp(text, "no") || !strcmp(text, "0")) out->b = 0;
        else { ksprintf(err, "value '%s' is not %s", text, type_name(def->type)); return -1; }
        break;
    case GS_PARAM_STRING:
        free(out->s);
        out->s = strdup(text);
        break;
    case GS_PARAM_LIST: {
        for (int i = 0; i < out->nlist; i++) free(out->list[i]);
        out->nlist = 0;
        const char *p = text;
        while (*p) {
            const char *q = strchr(p, ',');
            size_t len = q ? (size_t)(q - p) : strlen(p);
            while (len && (*p == ' ')) { p++; len--; }
            while (len && p[len - 1] == ' ') len--;
            if (len) list_add(out, p, len);
            if (!q) break;
            p = q + 1;
        }
        break;
    }
    }
    return 0;
}

static int param_index(const gs_stage_t *st, const char *name)
{
    for (int i = 0; st->params && st->params[i].name; i++)
        if (!strcmp(st->params[i].name, name)) return i;
    return -1;
}

static const gs_pval_t *param_get(const gs_params_t *p, const char *name, gs_param_type_t type)
{
    int i = param_index(p->stage, name);
    if (i < 0 || p->stage->params[i].type != type) {
        /* A programming error in the stage: fail loudly rather than return junk. */
        fprintf(stderr, "genesieve: internal error: stage '%s' asked for undeclared parameter '%s'\n",
                p->stage->name, name);
        abort();
    }
    return &p->v[i];
}

long gs_param_int(const gs_params_t *p, const char *n) { return param_get(p, n, GS_PARAM_INT)->i; }
double gs_param_float(const gs_params_t *p, const char *n) { return param_get(p, n, GS_PARAM_FLOAT)->f; }
int gs_param_bool(const gs_params_t *p, const char *n) { return param_get(p, n, GS_PARAM_BOOL)->b; }
const char *gs_param_str(const gs_params_t *p, const char *n)
{
    const gs_pval_t *v = param_get(p, n, GS_PARAM_STRING);
    return v->s && *v->s ? v->s : NULL;
}
int gs_param_list(const gs_params_t *p, const char *n, char *const **items)
{
    const gs_pval_t *v = param_get(p, n, GS_PARAM_LIST);
    *items = v->list;
    return v->nlist;
}
int gs_param_is_set(const gs_params_t *p, const char *n)
{
    int i = param_index(p->stage, n);
    return i >= 0 && p->v[i].set;
}
const char *gs_params_id(const gs_params_t *p) { return p->id; }

static int params_init(gs_params_t *p, const gs_stage_t *st, const char *id, kstring_t *err)
{
    memset(p, 0, sizeof(*p));
    p->stage = st;
    p->id = strdup(id);
    while (st->params && st->params[p->nparam].name) p->nparam++;
    p->v = calloc(p->nparam ? p->nparam : 1, sizeof(gs_pval_t));
    for (int i = 0; i < p->nparam; i++)
        if (gs_pval_parse(&st->params[i], st->params[i].def ? st->params[i].def : "", &p->v[i], err) < 0) {
            ksprintf(err, " (default of %s.%s)", st->name, st->params[i].name);
            return -1;
        }
    return 0;
}

static void params_free(gs_params_t *p)
{
    for (int i = 0; i < p->nparam; i++) gs_pval_free(&p->v[i], &p->stage->params[i]);
    free(p->v);
    free(p->id);
}

/* ------------------------------------------------------------------ */
/* YAML pipelines                                                      */

#define LINE(n) ((int)(n)->start_mark.line + 1)

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int set_from_node(gs_params_t *p, int ip, yaml_document_t *doc, yaml_node_t *val,
                         const char *src, const char *key, kstring_t *err)
{
    const gs_param_def_t *def = &p->stage->params[ip];
    gs_pval_t *v = &p->v[ip];
    kstring_t e = KS_INITIALIZE;
    if (val->type == YAML_SEQUENCE_NODE) {
        if (def->type != GS_PARAM_LIST) {
            ksprintf(err, "%s:%d: %s.%s: expected %s, found a list", src, LINE(val), p->id, key, type_name(def->type));
            return -1;
        }
        for (int i = 0; i < v->nlist; i++) free(v->list[i]);
        v->nlist = 0;
        for (yaml_node_item_t *it = val->data.sequence.items.start; it < val->data.sequence.items.top; it++) {
            yaml_node_t *item = yaml_document_get_node(doc, *it);
            const char *s = scalar(item);
            if (!s) {
                ksprintf(err, "%s:%d: %s.%s: list items must be plain values", src, LINE(item), p->id, key);
                return -1;
            }
            list_add(v, s, strlen(s));
        }
    } else if (val->type == YAML_SCALAR_NODE) {
        if (gs_pval_parse(def, scalar(val), v, &e) < 0) {
            ksprintf(err, "%s:%d: %s.%s: %s", src, LINE(val), p->id, key, e.s);
            ks_free(&e);
            return -1;
        }
    } else {
        ksprintf(err, "%s:%d: %s.%s: expected %s, found a mapping", src, LINE(val), p->id, key, type_name(def->type));
        return -1;
    }
    v->set = 1;
    return 0;
}

static int known_stages(kstring_t *s)
{
    for (int i = 0; i < gs_registry_count(); i++)
        ksprintf(s, "%s%s", i ? ", " : "", gs_registry_get(i)->name);
    return 0;
}

static int parse_stage(gs_pipeline_t *pl, yaml_document_t *doc, yaml_node_t *n, const char *src, kstring_t *err)
{
    if (n->type != YAML_MAPPING_NODE) {
        ksprintf(err, "%s:%d: stages: each entry must be a mapping with a 'stage:' key", src, LINE(n));
        return -1;
    }
    const char *name = NULL, *id = NULL;
    yaml_node_t *name_node = n;
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        const char *k = scalar(yaml_document_get_node(doc, pr->key));
        yaml_node_t *v = yaml_document_get_node(doc, pr->value);
        if (k && !strcmp(k, "stage")) { name = scalar(v); name_node = v; }
        else if (k && !strcmp(k, "id")) id = scalar(v);
    }
    if (!name) {
        ksprintf(err, "%s:%d: stages: entry without a 'stage:' key", src, LINE(n));
        return -1;
    }
    const gs_stage_t *st = gs_registry_find(name);
    if (!st) {
        ksprintf(err, "%s:%d: stage: unknown stage '%s' (known: ", src, LINE(name_node), name);
        known_stages(err);
        kputc(')', err);
        return -1;
    }
    if (!id) id = name;
    for (int i = 0; i < pl->nstage; i++)
        if (!strcmp(pl->stages[i].id, id)) {
            ksprintf(err, "%s:%d: stage id '%s' is used twice; give the second one an 'id:'", src, LINE(n), id);
            return -1;
        }
    pl->stages = realloc(pl->stages, (pl->nstage + 1) * sizeof(gs_params_t));
    gs_params_t *p = &pl->stages[pl->nstage];
    if (params_init(p, st, id, err) < 0) { params_free(p); return -1; }
    pl->nstage++;
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(doc, pr->key);
        const char *k = scalar(kn);
        if (!k) { ksprintf(err, "%s:%d: keys must be plain strings", src, LINE(kn)); return -1; }
        if (!strcmp(k, "stage") || !strcmp(k, "id")) continue;
        int ip = param_index(st, k);
        if (ip < 0) {
            ksprintf(err, "%s:%d: %s: unknown parameter '%s' of stage '%s' (see `genesieve stages`)",
                     src, LINE(kn), id, k, st->name);
            return -1;
        }
        if (set_from_node(p, ip, doc, yaml_document_get_node(doc, pr->value), src, k, err) < 0) return -1;
    }
    return 0;
}

static int parse_output(gs_pipeline_t *pl, yaml_document_t *doc, yaml_node_t *n, const char *src, kstring_t *err)
{
    if (n->type != YAML_MAPPING_NODE) { ksprintf(err, "%s:%d: output: expected a mapping", src, LINE(n)); return -1; }
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(doc, pr->key);
        yaml_node_t *vn = yaml_document_get_node(doc, pr->value);
        const char *k = scalar(kn), *v = scalar(vn);
        if (k && !strcmp(k, "max_genes")) {
            char *end;
            long x = v ? strtol(v, &end, 10) : -1;
            if (!v || !*v || *end || x < 0) {
                ksprintf(err, "%s:%d: output.max_genes: expected an integer >= 0", src, LINE(vn));
                return -1;
            }
            pl->max_genes = x;
        } else {
            ksprintf(err, "%s:%d: output: unknown key '%s' (known: max_genes)", src, LINE(kn), k ? k : "?");
            return -1;
        }
    }
    return 0;
}

gs_pipeline_t *gs_pipeline_parse(const char *text, size_t len, const char *source, kstring_t *err)
{
    if (gs_registry_init() < 0) { ksprintf(err, "stage registry failed"); return NULL; }
    yaml_parser_t parser;
    yaml_document_t doc;
    gs_pipeline_t *pl = calloc(1, sizeof(*pl));
    pl->source = strdup(source);
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        ksprintf(err, "%s:%d: invalid YAML: %s", source, (int)parser.problem_mark.line + 1,
                 parser.problem ? parser.problem : "parse error");
        yaml_parser_delete(&parser);
        gs_pipeline_free(pl);
        return NULL;
    }
    int ok = -1;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root || root->type != YAML_MAPPING_NODE) {
        ksprintf(err, "%s:%d: a pipeline is a mapping with a 'stages:' list", source, root ? LINE(root) : 1);
        goto out;
    }
    int have_stages = 0;
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(&doc, pr->key);
        yaml_node_t *vn = yaml_document_get_node(&doc, pr->value);
        const char *k = scalar(kn);
        if (k && !strcmp(k, "version")) {
            if (!scalar(vn) || strcmp(scalar(vn), "1")) {
                ksprintf(err, "%s:%d: version: only version 1 is understood", source, LINE(vn));
                goto out;
            }
        } else if (k && !strcmp(k, "stages")) {
            if (vn->type != YAML_SEQUENCE_NODE) {
                ksprintf(err, "%s:%d: stages: expected a list", source, LINE(vn));
                goto out;
            }
            have_stages = 1;
            for (yaml_node_item_t *it = vn->data.sequence.items.start; it < vn->data.sequence.items.top; it++)
                if (parse_stage(pl, &doc, yaml_document_get_node(&doc, *it), source, err) < 0) goto out;
        } else if (k && !strcmp(k, "output")) {
            if (parse_output(pl, &doc, vn, source, err) < 0) goto out;
        } else if (k && !strcmp(k, "description")) {
            /* free text for readers */
        } else {
            ksprintf(err, "%s:%d: unknown key '%s' (known: version, description, stages, output)",
                     source, LINE(kn), k ? k : "?");
            goto out;
        }
    }
    if (!have_stages) {
        ksprintf(err, "%s:%d: the pipeline has no 'stages:' list", source, LINE(root));
        goto out;
    }
    ok = 0;
out:
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (ok < 0) { gs_pipeline_free(pl); return NULL; }
    return pl;
}

int gs_read_file(const char *path, const char *what, kstring_t *s, kstring_t *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) { ksprintf(err, "%s: cannot open %s: %s", path, what, strerror(errno)); return -1; }
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) kputsn(buf, n, s);
    int bad = ferror(fp);
    fclose(fp);
    if (bad) { ksprintf(err, "%s: read error", path); return -1; }
    return 0;
}

gs_pipeline_t *gs_pipeline_load(const char *path, kstring_t *err)
{
    kstring_t s = KS_INITIALIZE;
    if (gs_read_file(path, "pipeline", &s, err) < 0) { ks_free(&s); return NULL; }
    gs_pipeline_t *pl = gs_pipeline_parse(s.s ? s.s : "", s.l, path, err);
    ks_free(&s);
    return pl;
}

gs_pipeline_t *gs_pipeline_default(kstring_t *err)
{
    return gs_pipeline_parse(gs_default_pipeline_yml, gs_default_pipeline_yml_len,
                             "<built-in pipelines/default.yml>", err);
}

int gs_pipeline_set(gs_pipeline_t *pl, const char *a, kstring_t *err)
{
    const char *eq = strchr(a, '='), *dot = strchr(a, '.');
    if (!eq || !dot || dot > eq) {
        ksprintf(err, "--set %s: expected STAGE.PARAM=VALUE", a);
        return -1;
    }
    kstring_t id = KS_INITIALIZE, key = KS_INITIALIZE;
    kputsn(a, dot - a, &id);
    kputsn(dot + 1, eq - dot - 1, &key);
    int ret = -1;
    gs_params_t *p = NULL;
    for (int i = 0; i < pl->nstage; i++)
        if (!strcmp(pl->stages[i].id, id.s)) p = &pl->stages[i];
    if (!p) {
        ksprintf(err, "--set %s: the pipeline (%s) has no stage '%s'", a, pl->source, id.s);
        goto out;
    }
    int ip = param_index(p->stage, key.s);
    if (ip < 0) {
        ksprintf(err, "--set %s: stage '%s' has no parameter '%s' (see `genesieve stages`)", a, p->stage->name, key.s);
        goto out;
    }
    kstring_t e = KS_INITIALIZE;
    if (gs_pval_parse(&p->stage->params[ip], eq + 1, &p->v[ip], &e) < 0) {
        ksprintf(err, "--set %s: %s", a, e.s);
        ks_free(&e);
        goto out;
    }
    p->v[ip].set = 1;
    ret = 0;
out:
    ks_free(&id);
    ks_free(&key);
    return ret;
}

int gs_pipeline_check(gs_pipeline_t *pl, kstring_t *err)
{
    for (int i = 0; i < pl->nstage; i++) {
        gs_params_t *p = &pl->stages[i];
        if (!p->stage->check) continue;
        kstring_t e = KS_INITIALIZE;
        if (p->stage->check(p, &e) < 0) {
            ksprintf(err, "%s: stage '%s': %s", pl->source, p->id, e.s ? e.s : "invalid parameters");
            ks_free(&e);
            return -1;
        }
        ks_free(&e);
    }
    return 0;
}

void gs_pipeline_describe(const gs_pipeline_t *pl, kstring_t *s)
{
    for (int i = 0; i < pl->nstage; i++) {
        const gs_params_t *p = &pl->stages[i];
        ksprintf(s, "%s%s(", i ? "; " : "", p->id);
        for (int k = 0; k < p->nparam; k++) {
            const gs_param_def_t *d = &p->stage->params[k];
            const gs_pval_t *v = &p->v[k];
            ksprintf(s, "%s%s=", k ? ", " : "", d->name);
            switch (d->type) {
            case GS_PARAM_INT: ksprintf(s, "%ld", v->i); break;
            case GS_PARAM_FLOAT: ksprintf(s, "%g", v->f); break;
            case GS_PARAM_BOOL: kputs(v->b ? "true" : "false", s); break;
            case GS_PARAM_STRING: kputs(v->s ? v->s : "", s); break;
            case GS_PARAM_LIST:
                kputc('[', s);
                for (int j = 0; j < v->nlist; j++) ksprintf(s, "%s%s", j ? "," : "", v->list[j]);
                kputc(']', s);
                break;
            }
        }
        kputc(')', s);
    }
    if (pl->max_genes) ksprintf(s, "; output(max_genes=%ld)", pl->max_genes);
}

void gs_pipeline_free(gs_pipeline_t *pl)
{
    if (!pl) return;
    for (int i = 0; i < pl->nstage; i++) params_free(&pl->stages[i]);
    free(pl->stages);
    free(pl->source);
    free(pl);
}
