/* panel: candidate-gene panels.  Reads a plain gene list, a PanelApp TSV
 * download, the long PanelApp table of PanelAppRex (one panel selected by id
 * or name) or a BED with gene names; symbols on both sides go through an
 * optional symbol table (current symbol <- aliases) so outdated names match.
 * `use: restrict` keeps only panel genes; `use: boost` (default) marks them
 * for the ranking (green / amber / red, and the panel's mode of inheritance:
 * a gene whose observed mode the panel rules out gets less). */
#define _GNU_SOURCE /* strcasestr */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <htslib/hts.h>
#include <htslib/kseq.h>
#include <htslib/khash.h>

#include "genesieve/genesieve.h"
#include "../vcfutil.h"

static const gs_param_def_t params[] = {
    {"file", GS_PARAM_STRING, "", 0, 0, "panel file: gene list, PanelApp TSV, PanelAppRex table, or BED (gene in column 4)"},
    {"format", GS_PARAM_STRING, "auto", 0, 0, "auto, genes, panelapp, panelapp_rex or bed"},
    {"panel", GS_PARAM_STRING, "", 0, 0, "PanelAppRex table: the panel's id or name"},
    {"use", GS_PARAM_STRING, "boost", 0, 0, "boost: rank panel genes higher; restrict: keep only panel genes"},
    {"min_confidence", GS_PARAM_INT, "1", 0, 3, "least PanelApp confidence used (3 green, 2 amber, 1 red)"},
    {"symbols", GS_PARAM_STRING, "", 0, 0, "symbol table (TSV with 'symbol' and ';'-separated 'aliases' columns, gzip ok)"},
    {NULL, 0, NULL, 0, 0, NULL},
};

typedef struct { int level; unsigned moi; } pgene_t;
KHASH_MAP_INIT_STR(pg, pgene_t)
KHASH_MAP_INIT_STR(alias, char *)

typedef struct {
    khash_t(pg) *genes;
    khash_t(alias) *alias; /* upper-case alias -> current symbol (NULL when ambiguous) */
    int restrict_;
    char **owned;          /* alias targets, shared by the aliases of one symbol */
    int nowned;
} panel_t;

static int check(const gs_params_t *p, kstring_t *err)
{
    const char *use = gs_param_str(p, "use"), *fmt = gs_param_str(p, "format");
    if (!gs_param_str(p, "file")) { ksprintf(err, "file: a panel file is needed"); return -1; }
    if (use && strcmp(use, "boost") && strcmp(use, "restrict")) { ksprintf(err, "use: '%s' is not boost or restrict", use); return -1; }
    if (fmt && strcmp(fmt, "auto") && strcmp(fmt, "genes") && strcmp(fmt, "panelapp") && strcmp(fmt, "panelapp_rex") && strcmp(fmt, "bed")) {
        ksprintf(err, "format: '%s' is not auto, genes, panelapp, panelapp_rex or bed", fmt);
        return -1;
    }
    return 0;
}

static void upcase(kstring_t *k, const char *s, size_t n)
{
    k->l = 0;
    while (n && isspace((unsigned char)*s)) s++, n--;
    while (n && isspace((unsigned char)s[n - 1])) n--;
    for (size_t i = 0; i < n; i++) kputc(toupper((unsigned char)s[i]), k);
    kputsn("", 0, k); /* terminated (and allocated) even when empty */
}

/* The current symbol for s (upper case), through the alias table. */
static const char *canon(const panel_t *P, const char *s, kstring_t *k)
{
    upcase(k, s, strlen(s));
    if (P->alias) {
        khint_t it = kh_get(alias, P->alias, k->s);
        if (it != kh_end(P->alias) && kh_val(P->alias, it)) return kh_val(P->alias, it);
    }
    return k->s;
}

static int load_symbols(panel_t *P, const char *path, kstring_t *err)
{
    htsFile *fp = hts_open(path, "r");
    if (!fp) { ksprintf(err, "symbols: %s: cannot open", path); return -1; }
    kstring_t line = KS_INITIALIZE, k = KS_INITIALIZE;
    int isym = -1, ial = -1, lineno = 0;
    P->alias = kh_init(alias);
    khash_t(pg) *current = kh_init(pg); /* current symbols: never overridden by an alias */
    while (hts_getline(fp, KS_SEP_LINE, &line) >= 0) {
        lineno++;
        char *f[16];
        int nf = 0;
        for (char *p = line.s, *q; nf < 16; p = q + 1) {
            f[nf++] = p;
            if (!(q = strchr(p, '\t'))) break;
            *q = 0;
        }
        if (lineno == 1) {
            for (int i = 0; i < nf; i++) {
                if (!strcasecmp(f[i], "symbol")) isym = i;
                if (!strcasecmp(f[i], "aliases")) ial = i;
            }
            if (isym < 0 || ial < 0) {
                ksprintf(err, "symbols: %s:1: needs 'symbol' and 'aliases' columns", path);
                goto fail;
            }
            continue;
        }
        if (nf <= isym || nf <= ial) continue;
        while (*f[isym] == ' ') f[isym]++;
        if (!*f[isym]) continue; /* a row without a symbol names nothing */
        int ret;
        upcase(&k, f[isym], strlen(f[isym]));
        khint_t cit = kh_put(pg, current, k.s, &ret);
        if (ret) kh_key(current, cit) = strdup(k.s); /* a symbol listed twice is kept once */
        char *sym = strdup(k.s);
        int used = 0;
        for (char *a = f[ial]; a && *a;) {
            char *e = strchr(a, ';');
            upcase(&k, a, e ? (size_t)(e - a) : strlen(a));
            if (k.l && strcmp(k.s, sym)) {
                khint_t it = kh_put(alias, P->alias, k.s, &ret);
                if (ret) { kh_key(P->alias, it) = strdup(k.s); kh_val(P->alias, it) = sym; used = 1; }
                else if (kh_val(P->alias, it) && strcmp(kh_val(P->alias, it), sym)) kh_val(P->alias, it) = NULL; /* ambiguous */
            }
            a = e ? e + 1 : NULL;
        }
        if (used) {
            P->owned = realloc(P->owned, (P->nowned + 1) * sizeof(char *));
            P->owned[P->nowned++] = sym;
        } else {
            free(sym);
        }
    }
    /* a name that is some gene's current symbol means that gene */
    for (khint_t it = kh_begin(P->alias); it != kh_end(P->alias); it++)
        if (kh_exist(P->alias, it) && kh_get(pg, current, kh_key(P->alias, it)) != kh_end(current)) kh_val(P->alias, it) = NULL;
    int ret = 0;
    if (0) {
fail:
        ret = -1;
    }
    for (khint_t it = kh_begin(current); it != kh_end(current); it++)
        if (kh_exist(current, it)) free((char *)kh_key(current, it));
    kh_destroy(pg, current);
    ks_free(&line);
    ks_free(&k);
    hts_close(fp);
    return ret;
}

static unsigned moi_of(const char *s)
{
    if (!s) return 0;
    unsigned m = 0;
    if (strcasestr(s, "BIALLELIC") || !strcasecmp(s, "AR") || strstr(s, "AD/AR")) m |= GS_MOI_BIALLELIC;
    if (strcasestr(s, "MONOALLELIC") || !strcasecmp(s, "AD") || strstr(s, "AD/AR")) m |= GS_MOI_MONOALLELIC;
    if (strcasestr(s, "BOTH")) m |= GS_MOI_MONOALLELIC | GS_MOI_BIALLELIC;
    if (strcasestr(s, "X-LINKED") || strcasestr(s, "X_LINKED") || !strncasecmp(s, "XL", 2)) m |= GS_MOI_XLINKED;
    if (strcasestr(s, "MITOCHONDRIAL") || !strcasecmp(s, "MT")) m |= GS_MOI_MITO;
    return m;
}

static int level_of(const char *s)
{
    if (!s || !*s) return 3;
    if (!strcasecmp(s, "green")) return 3;
    if (!strcasecmp(s, "amber")) return 2;
    if (!strcasecmp(s, "red")) return 1;
    int x = atoi(s);
    return x >= 3 ? 3 : x == 2 ? 2 : 1; /* PanelApp GEL_Status 3-4 green, 2 amber, 0-1 red */
}

static void add_gene(panel_t *P, const char *sym, int level, unsigned moi, kstring_t *k)
{
    const char *c = canon(P, sym, k);
    if (!*c) return;
    int ret;
    khint_t it = kh_put(pg, P->genes, c, &ret);
    if (ret) {
        kh_key(P->genes, it) = strdup(c);
        kh_val(P->genes, it) = (pgene_t){level, moi};
    } else if (level > kh_val(P->genes, it).level) {
        kh_val(P->genes, it).level = level;
        kh_val(P->genes, it).moi |= moi;
    }
}

static int load_panel(panel_t *P, const gs_params_t *p, kstring_t *err)
{
    const char *path = gs_param_str(p, "file"), *fmt = gs_param_str(p, "format"), *want = gs_param_str(p, "panel");
    int minconf = (int)gs_param_int(p, "min_confidence");
    htsFile *fp = hts_open(path, "r");
    if (!fp) { ksprintf(err, "file: %s: cannot open", path); return -1; }
    kstring_t line = KS_INITIALIZE, k = KS_INITIALIZE;
    int lineno = 0, igene = -1, imoi = -1, iconf = -1, iid = -1, iname = -1, ret = -1, kind = 0, selected = 0;
    enum { GENES = 1, PANELAPP, REX, BED };
    if (fmt && !strcmp(fmt, "genes")) kind = GENES;
    else if (fmt && !strcmp(fmt, "panelapp")) kind = PANELAPP;
    else if (fmt && !strcmp(fmt, "panelapp_rex")) kind = REX;
    else if (fmt && !strcmp(fmt, "bed")) kind = BED;
    size_t pl = strlen(path);
    if (!kind && ((pl > 4 && !strcasecmp(path + pl - 4, ".bed")) || (pl > 7 && !strcasecmp(path + pl - 7, ".bed.gz")))) kind = BED;
    while (hts_getline(fp, KS_SEP_LINE, &line) >= 0) {
        lineno++;
        if (line.l && line.s[line.l - 1] == '\r') line.s[--line.l] = 0;
        if (!line.l || line.s[0] == '#' || !strncmp(line.s, "track", 5)) continue;
        char *f[64];
        int nf = 0;
        for (char *s = line.s, *q; nf < 64; s = q + 1) {
            f[nf++] = s;
            if (!(q = strchr(s, '\t'))) break;
            *q = 0;
        }
        if (lineno == 1 || (kind == 0 && igene < 0)) {
            /* a header row tells the format */
            for (int i = 0; i < nf; i++) {
                if (!strcasecmp(f[i], "Gene Symbol") || !strcasecmp(f[i], "gene_symbol")) igene = i, kind = kind ? kind : PANELAPP;
                else if (!strcmp(f[i], "Gene") && igene < 0) igene = i;
                if (!strcasecmp(f[i], "Model_Of_Inheritance") || !strcasecmp(f[i], "mode_of_inheritance")) imoi = i;
                if (!strcasecmp(f[i], "GEL_Status") || !strcasecmp(f[i], "confidence_level") || !strcasecmp(f[i], "Confidence Level"))
                    iconf = i;
                if (!strcasecmp(f[i], "id")) iid = i;
                if (!strcasecmp(f[i], "name")) iname = i;
            }
            if (igene >= 0) {
                if (!kind) kind = iid >= 0 && iname >= 0 ? REX : PANELAPP;
                continue;
            }
            if (!kind) {
                /* a BED by its shape: CHROM, two numbers, a name */
                char *e1, *e2;
                kind = nf >= 4 && *f[1] && *f[2] && (strtoll(f[1], &e1, 10), !*e1) && (strtoll(f[2], &e2, 10), !*e2) ? BED : GENES;
            }
        }
        const char *sym;
        int level = 3;
        unsigned moi = 0;
        if (kind == BED) {
            if (nf < 4) { ksprintf(err, "file: %s:%d: BED line without a gene name (column 4)", path, lineno); goto out; }
            sym = f[3];
        } else if (kind == GENES) {
            sym = f[0];
        } else {
            if (igene < 0 || igene >= nf) { ksprintf(err, "file: %s:%d: no gene symbol column", path, lineno); goto out; }
            if (kind == REX) {
                if (!want) { ksprintf(err, "panel: %s holds many panels; choose one with panel: ID or NAME", path); goto out; }
                int match = (iid >= 0 && iid < nf && !strcmp(f[iid], want)) || (iname >= 0 && iname < nf && !strcasecmp(f[iname], want));
                if (!match) continue;
            }
            sym = f[igene];
            if (iconf >= 0 && iconf < nf) level = level_of(f[iconf]);
            if (imoi >= 0 && imoi < nf) moi = moi_of(f[imoi]);
        }
        if (level < minconf) continue;
        selected++;
        add_gene(P, sym, level, moi, &k);
    }
    if (!selected) {
        if (kind == REX) ksprintf(err, "panel: no panel with id or name '%s' in %s", want ? want : "", path);
        else ksprintf(err, "file: %s: no gene read", path);
        goto out;
    }
    ret = 0;
out:
    ks_free(&line);
    ks_free(&k);
    hts_close(fp);
    return ret;
}

static void destroy(void *state)
{
    panel_t *P = state;
    if (!P) return;
    if (P->genes) {
        for (khint_t it = kh_begin(P->genes); it != kh_end(P->genes); it++)
            if (kh_exist(P->genes, it)) free((char *)kh_key(P->genes, it));
        kh_destroy(pg, P->genes);
    }
    if (P->alias) {
        for (khint_t it = kh_begin(P->alias); it != kh_end(P->alias); it++)
            if (kh_exist(P->alias, it)) free((char *)kh_key(P->alias, it));
        kh_destroy(alias, P->alias);
    }
    for (int i = 0; i < P->nowned; i++) free(P->owned[i]);
    free(P->owned);
    free(P);
}

static int init(const gs_params_t *p, const gs_setup_t *su, void **state, kstring_t *err)
{
    (void)su;
    if (check(p, err) < 0) return -1;
    panel_t *P = calloc(1, sizeof(*P));
    P->genes = kh_init(pg);
    P->restrict_ = !strcmp(gs_param_str(p, "use"), "restrict");
    const char *sym = gs_param_str(p, "symbols");
    if (sym && load_symbols(P, sym, err) < 0) { destroy(P); return -1; }
    if (load_panel(P, p, err) < 0) { destroy(P); return -1; }
    *state = P;
    return 0;
}

static const pgene_t *lookup(const panel_t *P, const char *gene, kstring_t *k)
{
    khint_t it = kh_get(pg, P->genes, canon(P, gene, k));
    return it == kh_end(P->genes) ? NULL : &kh_val(P->genes, it);
}


static int variant(void *state, void *tstate, gs_variant_t *v, kstring_t *why)
{
    panel_t *P = state;
    if (!P->restrict_) return GS_KEEP;
    int keep = 0;
    for (int i = 0; i < v->ngenes; i++)
        if (lookup(P, v->genes[i].gene, tstate)) {
            /* keep the order: swap panel genes to the front, the rest stay owned by the list */
            gs_gene_hit_t t = v->genes[keep];
            v->genes[keep++] = v->genes[i];
            v->genes[i] = t;
        }
    if (!keep) {
        kputs("no gene on the panel:", why);
        for (int i = 0; i < v->ngenes && i < 4; i++) ksprintf(why, " %s", v->genes[i].gene);
        return GS_DROP;
    }
    v->ngenes = keep;
    return GS_KEEP;
}

static int gene(void *state, gs_gene_t *g, kstring_t *why)
{
    (void)why;
    panel_t *P = state;
    kstring_t k = KS_INITIALIZE;
    const pgene_t *x = lookup(P, g->gene, &k);
    ks_free(&k);
    if (x && x->level > g->panel_level) {
        g->panel_level = x->level;
        g->panel_moi = x->moi;
    }
    return GS_KEEP;
}

const gs_stage_t gs_stage_panel = {
    .api_version = GS_API_VERSION,
    .name = "panel",
    .description = "gene panels (gene list, PanelApp TSV, PanelAppRex table, BED): restrict to panel genes or boost them",
    .params = params,
    .check = check,
    .init = init,
    .thread_init = gs_kstring_thread_init,
    .thread_free = gs_kstring_thread_free,
    .variant = variant,
    .gene = gene,
    .destroy = destroy,
};
