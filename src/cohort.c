/* cohort.c -- `genesieve cohort`: genes with candidate variants in several
 * unrelated families, and how surprising that is.
 *
 * Inputs are results, never VCFs: per-patient <sample>.genes.json files (or
 * directories of them) and `run --partial` files.  Each is read, reduced to
 * the genes it lists and their variants, and freed; once all are read, variants
 * listed in many families are set aside and the rest become (family, gene,
 * class) hits.  Memory grows with the listed genes and their variants, not
 * with VCFs or files.
 *
 * The model (README "Cohort"): variants listed in more than a few percent of
 * the families are common in the cohort and support no hit.  Family f has
 * n_fc candidate genes of class c (any mode; de novo; recessive; the last two
 * with a HIGH-impact variant) hit by one allele and m_fc hit only as compound
 * heterozygotes; its single-allele rate per base is r_fc = n_fc / T, T the
 * summed length of the genes of the cohort's chromosomes, and its pair rate
 * a_fc solves sum_g (1 - exp(-a_fc L_g))^2 = m_fc.  Gene g of length L_g is
 * hit in f by chance with probability
 * p_fgc = 1 - exp(-r_fc L_g) (1 - (1 - exp(-a_fc L_g))^2).  The number of
 * families hit, K_gc, is Poisson-binomial; P(K_gc >= observed) is computed
 * exactly.  A gene's p-value is the smallest over the classes times their
 * number (Bonferroni); q-values (Benjamini-Hochberg) over every gene hit in
 * at least one family. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <jansson.h>
#include <htslib/khash.h>

#include "annot.h"
#include "cohort.h"
#include "hpo.h"
#include "pheno.h"
#include "output.h"
#include "partial.h"
#include "ped.h"
#include "stages/builtin.h"

#define GS_COHORT_SCHEMA "genesieve.cohort/1"
#define GS_GENES_SCHEMA "genesieve.genes/1"
#define GS_PARTIAL_SCHEMA "genesieve.partial/1"

extern const char gs_gene_lengths_tsv[];
extern const unsigned gs_gene_lengths_tsv_len;

enum { CL_ANY, CL_DE_NOVO, CL_RECESSIVE, CL_HIGH, CL_DE_NOVO_HIGH, CL_RECESSIVE_HIGH, NCLASS };
static const char *const class_name[NCLASS] = {"any", "de_novo", "recessive", "high_impact", "de_novo_high", "recessive_high"};

int gs_cohort_parse_tests(const char *list, unsigned *mask, kstring_t *err)
{
    *mask = 0;
    char *dup = strdup(list), *save = NULL;
    for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int k = 0;
        while (k < NCLASS && strcmp(t, class_name[k])) k++;
        if (k == NCLASS) {
            ksprintf(err, "--tests: '%s' is not one of any, de_novo, recessive, high_impact, de_novo_high, recessive_high", t);
            free(dup);
            return -1;
        }
        *mask |= 1u << k;
    }
    free(dup);
    if (!*mask) { ksprintf(err, "--tests: empty list"); return -1; }
    return 0;
}
#define MODE_NONE GS_NMODE /* bit for genes ranked without an inheritance stage */

/* ------------------------------------------------------------------ */
/* Statistics                                                          */

double gs_pbinom_upper(const double *p, int n, int k)
{
    if (k <= 0) return 1;
    if (k > n) return 0;
    /* d[j] = P(min(K, k) = j) after the trials seen so far; d[k] absorbs */
    double *d = calloc(k + 1, sizeof(double));
    d[0] = 1;
    int seen = 0;
    for (int i = 0; i < n; i++) {
        double q = p[i] < 0 ? 0 : p[i] > 1 ? 1 : p[i];
        if (q == 0) continue;
        seen++;
        int top = seen < k ? seen : k;
        if (top == k) d[k] += d[k - 1] * q;
        for (int j = (top < k ? top : k - 1); j >= 1; j--) d[j] = d[j] * (1 - q) + d[j - 1] * q;
        d[0] *= 1 - q;
    }
    double r = d[k];
    free(d);
    return r > 1 ? 1 : r;
}

double gs_hit_prob(double r, double a, double len)
{
    double q = a > 0 ? expm1(-a * len) : 0; /* -(1 - e^{-aL}) */
    return -expm1(-r * len) + exp(-r * len) * q * q;
}

double gs_pair_rate(const double *len, int n, int m)
{
    if (m <= 0) return 0;
    if (m >= n) return INFINITY;
    double lo = -60, hi = 10; /* ln a; sum_g (1 - e^{-a L_g})^2 increases with a */
    for (int it = 0; it < 80; it++) {
        double mid = (lo + hi) / 2, a = exp(mid), s = 0;
        for (int i = 0; i < n; i++) {
            double q = expm1(-a * len[i]);
            s += q * q;
        }
        if (s < m) lo = mid;
        else hi = mid;
    }
    return exp((lo + hi) / 2);
}

typedef struct { double p; int i; } pidx_t;
static int cmp_pidx(const void *a, const void *b)
{
    const pidx_t *x = a, *y = b;
    if (x->p != y->p) return x->p < y->p ? -1 : 1;
    return x->i - y->i;
}

void gs_bh_adjust(const double *p, int n, double *q)
{
    pidx_t *o = malloc((n > 0 ? (size_t)n : 1) * sizeof(*o));
    for (int i = 0; i < n; i++) o[i] = (pidx_t){p[i], i};
    qsort(o, n, sizeof(*o), cmp_pidx);
    double run = 1;
    for (int r = n - 1; r >= 0; r--) {
        double v = o[r].p * n / (r + 1);
        if (v < run) run = v;
        q[o[r].i] = run < 0 ? 0 : run;
    }
    free(o);
}

/* ------------------------------------------------------------------ */
/* The cohort                                                          */

KHASH_MAP_INIT_STR(idx, int)
KHASH_MAP_INIT_INT64(hit, int)
KHASH_SET_INIT_STR(str)

typedef struct {
    int fam;
    uint8_t classes;   /* bits: CL_* */
    uint16_t modes;    /* GS_MODE_BIT(m), bit MODE_NONE */
} hit_t;

typedef struct {
    char *name;
    kstring_t chrom;   /* chromosomes it was seen on, comma-separated */
    hit_t *hit;        /* one per family */
    int nhit, mhit;
    int *pat, npat, mpat;
    const char **var;  /* distinct alleles CHROM:POS:REF:ALT (interned) */
    int nvar, mvar;
    double max_score;
    double length;
    int length_known;
    int k[NCLASS];
    double e[NCLASS], p[NCLASS];
    double pvalue, fdr;
    int test;                  /* the class whose test gave pvalue */
    double phenotype_coherence; /* NAN = absent (no phenotypes) */
    double combined_p;         /* recurrence and coherence (Fisher), or the p-value alone */
} cgene_t;

/* What a patient's result lists, before the cohort filter: one entry per
 * listed gene, its variants in ev[v0 .. v0 + nv). */
typedef struct {
    const char *name;  /* CHROM:POS:REF:ALT (interned) */
    uint16_t modes;    /* modes the variant fits: GS_MODE_BIT(m) */
    uint8_t high;      /* HIGH-impact consequence */
} evar_t;

typedef struct {
    const char *gene, *chrom; /* interned */
    int pat, mode, v0, nv;
    uint8_t high, counted;    /* gene's consequence HIGH; within --top */
    double score;
} entry_t;

typedef struct {
    const gs_cohort_opts_t *o;
    gs_ped_t *ped;
    khash_t(idx) *ped_fam;     /* PED sample -> entry */
    khash_t(idx) *fam_idx, *pat_idx, *gene_idx;
    khash_t(hit) *hits;        /* gene << 32 | family -> hit index in the gene */
    khash_t(str) *strings;     /* interned variant names */
    char **fam;
    int nfam, mfam;
    char **pat;
    char **pat_terms;          /* observed HPO ids the result recorded, comma-separated, or NULL */
    gs_hpo_t *hpo;
    gs_hpo_profile_t *prof;    /* per patient (nobs 0: none) */
    int npair;                 /* random pairs behind the coherence baseline */
    int *pat_fam, *pat_src, npat, mpat;
    cgene_t *g;
    int ng, mg;
    char **files;              /* expanded inputs */
    int nfile, mfile;
    int nskipped_dir;          /* cohort tables skipped in directories */
    /* gene lengths */
    khash_t(idx) *len_idx;     /* gene -> index in len */
    double *len;
    int nlen;
    khash_t(idx) *chrom_idx;   /* normalised chromosome -> index in chrom_len */
    double *chrom_len;
    int nchrom;
    double median_len, universe;
    kstring_t universe_chroms;
    int nunknown;
    /* per family and class: candidate genes; those hit only as compound
     * heterozygotes, and the per-bp allele rate a that gives as many */
    int (*ncand)[NCLASS];
    int (*nch)[NCLASS];
    double (*ch_rate)[NCLASS];
    int *len_chrom;            /* chromosome (index in chrom_len) of each length entry */
    double *ulen;              /* lengths of the universe's genes */
    int nulen;
    /* the patients' listed genes and their variants, filtered once all are read */
    entry_t *ent;
    int nent, ment;
    evar_t *ev;
    int nev, mev;
    int max_var_fams;          /* variants in more families are common in the cohort (0: no filter) */
    int ncommon;               /* distinct variants above it */
    int ndropped;              /* hits left without a variant that is rare in the cohort */
} cohort_t;

static int intern(khash_t(idx) *h, const char *s, int n, int *isnew)
{
    int ret;
    khint_t k = kh_put(idx, h, s, &ret);
    if (ret > 0) {
        kh_key(h, k) = strdup(s);
        kh_val(h, k) = n;
    }
    *isnew = ret > 0;
    return kh_val(h, k);
}

static const char *intern_str(khash_t(str) *h, const char *s)
{
    int ret;
    khint_t k = kh_put(str, h, s, &ret);
    if (ret > 0) kh_key(h, k) = strdup(s);
    return kh_key(h, k);
}

/* "chr1" and "1", "chrM" and "MT" name the same chromosome. */
static void norm_chrom(const char *c, kstring_t *s)
{
    s->l = 0;
    if (!strncasecmp(c, "chr", 3)) c += 3;
    kputs(!strcmp(c, "M") ? "MT" : c, s);
}

static int mode_index(const char *name)
{
    for (int m = 0; m < GS_NMODE; m++)
        if (!strcmp(name, gs_mode_name(m))) return m;
    return -1;
}

static int is_high(const char *consequence)
{
    int sev, imp;
    return consequence && gs_so_lookup(consequence, strlen(consequence), &sev, &imp) == 0 && imp == GS_IMPACT_HIGH;
}

static uint8_t hit_classes(int mode, int high)
{
    uint8_t c = 1 << CL_ANY;
    if (high) c |= 1 << CL_HIGH;
    if (mode == GS_MODE_DE_NOVO) c |= 1 << CL_DE_NOVO | (high ? 1 << CL_DE_NOVO_HIGH : 0);
    if (mode == GS_MODE_AR_HOM || mode == GS_MODE_COMP_HET || mode == GS_MODE_X_RECESSIVE)
        c |= 1 << CL_RECESSIVE | (high ? 1 << CL_RECESSIVE_HIGH : 0);
    return c;
}

/* A patient of a family: returns its index, or -1 (err set) when the sample
 * was already seen in another family. */
static int add_patient(cohort_t *c, const char *sample, const char *recorded_family, int src, kstring_t *err)
{
    const char *famname = recorded_family;
    if (c->ped) {
        khint_t k = kh_get(idx, c->ped_fam, sample);
        if (k == kh_end(c->ped_fam)) {
            ksprintf(err, "%s: patient '%s' is not in the PED file %s", c->files[src], sample, c->o->ped);
            return -1;
        }
        famname = c->ped->e[kh_val(c->ped_fam, k)].family;
    }
    int isnew, fam = intern(c->fam_idx, famname, c->nfam, &isnew);
    if (isnew) {
        if (c->nfam == c->mfam) {
            c->mfam = c->mfam ? 2 * c->mfam : 64;
            c->fam = realloc(c->fam, c->mfam * sizeof(char *));
        }
        c->fam[c->nfam++] = strdup(famname);
    }
    int p = intern(c->pat_idx, sample, c->npat, &isnew);
    if (isnew) {
        if (c->npat == c->mpat) {
            c->mpat = c->mpat ? 2 * c->mpat : 64;
            c->pat = realloc(c->pat, c->mpat * sizeof(char *));
            c->pat_fam = realloc(c->pat_fam, c->mpat * sizeof(int));
            c->pat_src = realloc(c->pat_src, c->mpat * sizeof(int));
            c->pat_terms = realloc(c->pat_terms, c->mpat * sizeof(char *));
        }
        c->pat_terms[c->npat] = NULL;
        c->pat[c->npat] = strdup(sample);
        c->pat_fam[c->npat] = fam;
        c->pat_src[c->npat] = src;
        c->npat++;
    } else if (c->pat_fam[p] != fam) {
        ksprintf(err, "%s: patient '%s' is in family '%s' here but in family '%s' in %s (a PED file, --ped, settles it)",
                 c->files[src], sample, famname, c->fam[c->pat_fam[p]], c->files[c->pat_src[p]]);
        return -1;
    }
    return p;
}

/* One candidate gene of a patient. */
static cgene_t *add_gene(cohort_t *c, int pat, const char *gene, const char *chrom, int mode, int high, double score)
{
    int isnew, gi = intern(c->gene_idx, gene, c->ng, &isnew);
    if (isnew) {
        if (c->ng == c->mg) {
            c->mg = c->mg ? 2 * c->mg : 1024;
            c->g = realloc(c->g, c->mg * sizeof(cgene_t));
        }
        cgene_t *n = &c->g[c->ng++];
        memset(n, 0, sizeof(*n));
        n->name = strdup(gene);
        n->max_score = -INFINITY;
        n->phenotype_coherence = NAN;
    }
    cgene_t *g = &c->g[gi];
    /* chromosomes: a gene on X and Y (PAR) lists both */
    size_t cl = strlen(chrom);
    int have = 0;
    for (const char *s = g->chrom.s; s && *s && !have;) {
        const char *e = strchr(s, ',');
        size_t l = e ? (size_t)(e - s) : strlen(s);
        have = l == cl && !strncmp(s, chrom, l);
        s = e ? e + 1 : s + l;
    }
    if (!have) {
        if (g->chrom.l) kputc(',', &g->chrom);
        kputs(chrom, &g->chrom);
    }
    int fam = c->pat_fam[pat];
    int ret;
    khint_t k = kh_put(hit, c->hits, ((int64_t)gi << 32) | (uint32_t)fam, &ret);
    if (ret > 0) {
        if (g->nhit == g->mhit) {
            g->mhit = g->mhit ? 2 * g->mhit : 2;
            g->hit = realloc(g->hit, g->mhit * sizeof(hit_t));
        }
        g->hit[g->nhit] = (hit_t){fam, 0, 0};
        kh_val(c->hits, k) = g->nhit++;
    }
    hit_t *h = &g->hit[kh_val(c->hits, k)];
    h->classes |= hit_classes(mode, high);
    h->modes |= mode < 0 ? GS_MODE_BIT(MODE_NONE) : GS_MODE_BIT(mode);
    int seen = 0;
    for (int i = 0; i < g->npat && !seen; i++) seen = g->pat[i] == pat;
    if (!seen) {
        if (g->npat == g->mpat) {
            g->mpat = g->mpat ? 2 * g->mpat : 2;
            g->pat = realloc(g->pat, g->mpat * sizeof(int));
        }
        g->pat[g->npat++] = pat;
    }
    if (score > g->max_score) g->max_score = score;
    return g;
}

static void add_variant(cgene_t *g, const char *v)
{
    for (int i = 0; i < g->nvar; i++)
        if (g->var[i] == v) return;
    if (g->nvar == g->mvar) {
        g->mvar = g->mvar ? 2 * g->mvar : 2;
        g->var = realloc(g->var, g->mvar * sizeof(char *));
    }
    g->var[g->nvar++] = v;
}

/* A gene a patient's result lists; counted: within --top. */
static entry_t *add_entry(cohort_t *c, int pat, const char *gene, const char *chrom, int mode, const char *consequence,
                          double score, int counted)
{
    if (c->nent == c->ment) {
        c->ment = c->ment ? 2 * c->ment : 1024;
        c->ent = realloc(c->ent, c->ment * sizeof(entry_t));
    }
    entry_t *e = &c->ent[c->nent++];
    *e = (entry_t){intern_str(c->strings, gene), intern_str(c->strings, chrom), pat, mode, c->nev, 0,
                   (uint8_t)is_high(consequence), (uint8_t)counted, score};
    return e;
}

static void add_evar(cohort_t *c, entry_t *e, const char *chrom, long long pos, const char *ref, const char *alt,
                     uint16_t modes, const char *consequence)
{
    kstring_t s = KS_INITIALIZE;
    ksprintf(&s, "%s:%lld:%s:%s", chrom, pos, ref, alt);
    if (c->nev == c->mev) {
        c->mev = c->mev ? 2 * c->mev : 1024;
        c->ev = realloc(c->ev, c->mev * sizeof(evar_t));
    }
    c->ev[c->nev++] = (evar_t){intern_str(c->strings, s.s), modes, (uint8_t)is_high(consequence)};
    e->nv++;
    ks_free(&s);
}

/* ------------------------------------------------------------------ */
/* Reading results                                                     */

static const char *jstring(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* <sample>.genes.json (genesieve.genes/1) */
static int read_genes_json(cohort_t *c, int src, json_t *doc, kstring_t *err)
{
    const char *path = c->files[src];
    const char *sample = jstring(doc, "sample");
    json_t *fam = json_object_get(doc, "family"), *genes = json_object_get(doc, "genes");
    if (!sample) { ksprintf(err, "%s: no \"sample\" (a string)", path); return -1; }
    /* the patient's family id: the "family" member whose sample is the patient */
    const char *famid = NULL;
    for (size_t i = 0; i < json_array_size(fam) && !famid; i++) {
        json_t *m = json_array_get(fam, i);
        const char *s = jstring(m, "sample");
        if (s && !strcmp(s, sample)) famid = jstring(m, "family");
    }
    if (!famid && !c->ped) {
        ksprintf(err, "%s: the patient '%s' has no family id in \"family\" (give a PED file with --ped)", path, sample);
        return -1;
    }
    if (!json_is_array(genes)) { ksprintf(err, "%s: no \"genes\" list", path); return -1; }
    int pat = add_patient(c, sample, famid ? famid : sample, src, err);
    if (pat < 0) return -1;
    json_t *obs = json_object_get(json_object_get(doc, "phenotype"), "observed");
    if (json_is_array(obs) && json_array_size(obs) && !c->pat_terms[pat]) {
        kstring_t t = KS_INITIALIZE;
        for (size_t i = 0; i < json_array_size(obs); i++) {
            const char *id = jstring(json_array_get(obs, i), "id");
            if (id) ksprintf(&t, "%s%s", t.l ? "," : "", id);
        }
        c->pat_terms[pat] = ks_release(&t);
    }
    size_t ng = json_array_size(genes); /* best first, as the run ranked them */
    for (size_t i = 0; i < ng; i++) { /* all of them: the variants beyond --top count for the cohort frequency */
        json_t *gj = json_array_get(genes, i), *mj = json_object_get(gj, "mode"), *sj = json_object_get(gj, "score");
        json_t *vars = json_object_get(gj, "variants");
        const char *gene = jstring(gj, "gene"), *chrom = jstring(gj, "chrom");
        int mode = json_is_string(mj) ? mode_index(json_string_value(mj)) : -1;
        if (!gene || !*gene || !chrom || !json_is_number(sj) || !json_is_array(vars) ||
            (!json_is_null(mj) && (!json_is_string(mj) || mode < 0))) {
            ksprintf(err, "%s: gene %zu: expected \"gene\", \"chrom\", \"mode\" (a mode name or null), \"score\" and "
                          "\"variants\"", path, i + 1);
            return -1;
        }
        entry_t *e = add_entry(c, pat, gene, chrom, mode, jstring(gj, "consequence"), json_number_value(sj),
                               c->o->top <= 0 || i < (size_t)c->o->top);
        for (size_t v = 0; v < json_array_size(vars); v++) {
            json_t *vj = json_array_get(vars, v), *pj = json_object_get(vj, "pos"), *ms = json_object_get(vj, "modes");
            const char *vc = jstring(vj, "chrom"), *ref = jstring(vj, "ref"), *alt = jstring(vj, "alt");
            if (!vc || !ref || !alt || !json_is_integer(pj)) {
                ksprintf(err, "%s: gene %s: variant %zu: expected \"chrom\", \"pos\", \"ref\" and \"alt\"", path, gene, v + 1);
                return -1;
            }
            uint16_t modes = 0; /* "de_novo", or "de_novo?" when only possible: either fits */
            for (size_t m = 0; m < json_array_size(ms); m++) {
                const char *mn = json_string_value(json_array_get(ms, m));
                if (!mn) continue;
                size_t l = strcspn(mn, "?");
                for (int k = 0; k < GS_NMODE; k++)
                    if (strlen(gs_mode_name(k)) == l && !strncmp(mn, gs_mode_name(k), l)) modes |= GS_MODE_BIT(k);
            }
            add_evar(c, e, vc, (long long)json_integer_value(pj), ref, alt, modes, jstring(vj, "consequence"));
        }
    }
    return 0;
}

/* `run --partial` output (genesieve.partial/1): every affected sample's genes */
static int read_partial(cohort_t *c, int src, kstring_t *err)
{
    gs_partials_t p;
    char *one[1] = {c->files[src]};
    if (gs_partials_read(one, 1, NULL, 0, &p, err) < 0) return -1;
    int ret = 0, uses_modes = gs_results_uses_modes(p.res);
    for (int s = 0; s < p.nsmp && !ret; s++) {
        if (p.smp[s].affected != 1) continue;
        int pat = add_patient(c, p.smp[s].name, p.smp[s].family, src, err);
        if (pat < 0) { ret = -1; break; }
        gs_result_gene_t *const *genes;
        int n = gs_results_genes(p.res, s, &genes);
        for (int i = 0; i < n; i++) gs_result_gene_score(genes[i], uses_modes); /* as a run reports it */
        /* in the run's order (score, then severity, gene, chromosome), so --top takes the N best */
        gs_result_gene_t **o = malloc((n > 0 ? n : 1) * sizeof *o);
        memcpy(o, genes, n * sizeof *o);
        qsort(o, n, sizeof *o, gs_result_gene_cmp);
        for (int i = 0; i < n; i++) {
            gs_result_gene_t *rg = o[i];
            entry_t *e = add_entry(c, pat, rg->gene, rg->chrom, rg->mode, gs_so_term(rg->best_severity), rg->score,
                                   c->o->top <= 0 || i < c->o->top);
            for (int v = 0; v < rg->nvar; v++)
                add_evar(c, e, rg->vars[v].chrom, (long long)rg->vars[v].pos, rg->vars[v].ref, rg->vars[v].alt,
                         rg->vars[v].modes, rg->vars[v].consequence);
        }
        free(o);
    }
    gs_partials_free(&p);
    return ret;
}

static int read_input(cohort_t *c, int src, kstring_t *err)
{
    const char *path = c->files[src];
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc) {
        if (je.line > 0) ksprintf(err, "%s:%d: not valid JSON: %s", path, je.line, je.text);
        else ksprintf(err, "%s: %s", path, je.text);
        return -1;
    }
    const char *schema = jstring(doc, "schema");
    int ret;
    if (schema && !strcmp(schema, GS_GENES_SCHEMA)) {
        ret = read_genes_json(c, src, doc, err);
        json_decref(doc);
    } else if (schema && !strcmp(schema, GS_PARTIAL_SCHEMA)) {
        json_decref(doc);
        ret = read_partial(c, src, err);
    } else {
        ksprintf(err, "%s: not a GeneSieve result (schema %s or %s expected%s%s)", path, GS_GENES_SCHEMA,
                 GS_PARTIAL_SCHEMA, schema ? ", found " : "", schema ? schema : "");
        json_decref(doc);
        ret = -1;
    }
    return ret;
}

static void add_file(cohort_t *c, const char *path)
{
    if (c->nfile == c->mfile) {
        c->mfile = c->mfile ? 2 * c->mfile : 64;
        c->files = realloc(c->files, c->mfile * sizeof(char *));
    }
    c->files[c->nfile++] = strdup(path);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Files named on the command line; a directory gives its *.genes.json (not a cohort table). */
static int expand_inputs(cohort_t *c, kstring_t *err)
{
    for (int i = 0; i < c->o->ninput; i++) {
        const char *in = c->o->inputs[i];
        struct stat st;
        if (stat(in, &st) != 0) { ksprintf(err, "%s: %s", in, strerror(errno)); return -1; }
        if (!S_ISDIR(st.st_mode)) { add_file(c, in); continue; }
        DIR *d = opendir(in);
        if (!d) { ksprintf(err, "%s: cannot read directory: %s", in, strerror(errno)); return -1; }
        int first = c->nfile;
        struct dirent *e;
        kstring_t p = KS_INITIALIZE;
        while ((e = readdir(d))) {
            size_t n = strlen(e->d_name);
            if (n <= 11 || strcmp(e->d_name + n - 11, ".genes.json") || e->d_name[0] == '.') continue;
            if (!strcmp(e->d_name, "cohort.genes.json")) { c->nskipped_dir++; continue; }
            p.l = 0;
            ksprintf(&p, "%s/%s", in, e->d_name);
            add_file(c, p.s);
        }
        closedir(d);
        ks_free(&p);
        if (c->nfile == first) { ksprintf(err, "%s: no <sample>.genes.json in this directory", in); return -1; }
        qsort(c->files + first, c->nfile - first, sizeof(char *), cmp_str); /* readdir order is arbitrary */
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Gene lengths                                                        */

static int is_uint(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++) if (*s < '0' || *s > '9') return 0;
    return 1;
}

static void length_add(cohort_t *c, const char *gene, const char *chrom, double len, kstring_t *tmp)
{
    int isnew, i = intern(c->len_idx, gene, c->nlen, &isnew);
    norm_chrom(chrom, tmp);
    int ci = intern(c->chrom_idx, tmp->s, c->nchrom, &isnew);
    if (isnew) {
        if ((c->nchrom & (c->nchrom - 1)) == 0) c->chrom_len = realloc(c->chrom_len, (c->nchrom ? 2 * c->nchrom : 1) * sizeof(double));
        c->chrom_len[c->nchrom++] = 0;
    }
    c->chrom_len[ci] += len;
    if (i == c->nlen) {
        if ((c->nlen & (c->nlen - 1)) == 0) {
            c->len = realloc(c->len, (c->nlen ? 2 * c->nlen : 1) * sizeof(double));
            c->len_chrom = realloc(c->len_chrom, (c->nlen ? 2 * c->nlen : 1) * sizeof(int));
        }
        c->len[c->nlen] = 0;
        c->len_chrom[c->nlen++] = ci;
    }
    if (len > c->len[i]) c->len[i] = len; /* a gene on X and Y (PAR): the longer copy */
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* TSV "gene chrom length" (a header line and '#' comments allowed) or a BED
 * whose 4th column names the gene (its intervals summed, overlaps merged when
 * sorted); text given whole (the built-in table) or read from path. */
static int load_lengths(cohort_t *c, const char *path, const char *text, kstring_t *err)
{
    FILE *fp = NULL;
    if (!text && !(fp = fopen(path, "r"))) { ksprintf(err, "%s: cannot open gene lengths: %s", path, strerror(errno)); return -1; }
    kstring_t line = KS_INITIALIZE, tmp = KS_INITIALIZE, last = KS_INITIALIZE, scratch = KS_INITIALIZE;
    long long last_end = -1;
    double run = 0;
    int lineno = 0, ret = 0, bed = -1, data = 0;
    const char *tp = text;
    for (;;) {
        line.l = 0;
        if (fp) {
            if (kgetline(&line, (kgets_func *)fgets, fp) != 0) break;
        } else {
            if (!*tp) break;
            const char *e = strchr(tp, '\n');
            size_t l = e ? (size_t)(e - tp) : strlen(tp);
            kputsn(tp, l, &line);
            tp += l + (e != NULL);
        }
        lineno++;
        while (line.l && (line.s[line.l - 1] == '\r' || line.s[line.l - 1] == '\n')) line.s[--line.l] = 0;
        if (!line.l || line.s[0] == '#' || !strncmp(line.s, "track", 5) || !strncmp(line.s, "browser", 7)) continue;
        char *tok[5] = {0};
        int nt = 0;
        char *save = NULL;
        for (char *t = strtok_r(line.s, "\t", &save); t && nt < 5; t = strtok_r(NULL, "\t", &save)) tok[nt++] = t;
        if (!data++ && nt >= 3 && !strcmp(tok[0], "gene")) continue; /* header */
        if (bed < 0) bed = nt >= 4 && is_uint(tok[1]) && is_uint(tok[2]);
        if (bed) {
            if (nt < 4 || !is_uint(tok[1]) || !is_uint(tok[2]) || atoll(tok[2]) < atoll(tok[1])) {
                ksprintf(err, "%s:%d: expected a BED line: CHROM BEG END GENE", path, lineno);
                ret = -1;
                break;
            }
            if (!strcmp(tok[3], "-") || !strcmp(tok[3], ".") || !*tok[3]) continue; /* targets outside genes */
            long long b = atoll(tok[1]), e = atoll(tok[2]);
            tmp.l = 0;
            ksprintf(&tmp, "%s\t%s", tok[3], tok[0]);
            if (!last.l || strcmp(last.s, tmp.s)) {
                if (last.l) {
                    char *tab = strchr(last.s, '\t');
                    *tab = 0;
                    length_add(c, last.s, tab + 1, run, &scratch);
                }
                last.l = 0;
                kputs(tmp.s, &last);
                run = 0;
                last_end = -1;
            }
            if (b < last_end) b = last_end;
            if (e > b) run += (double)(e - b);
            if (e > last_end) last_end = e;
        } else {
            if (nt != 3 || !is_uint(tok[2])) {
                ksprintf(err, "%s:%d: expected GENE CHROM LENGTH (tab-separated) or a BED with gene names", path, lineno);
                ret = -1;
                break;
            }
            length_add(c, tok[0], tok[1], atof(tok[2]), &tmp);
        }
    }
    if (!ret && last.l) {
        char *tab = strchr(last.s, '\t');
        *tab = 0;
        length_add(c, last.s, tab + 1, run, &tmp);
    }
    if (fp && !ret && ferror(fp)) { ksprintf(err, "%s: read error", path); ret = -1; }
    if (fp) fclose(fp);
    if (!ret && !c->nlen) { ksprintf(err, "%s: no gene lengths in this file", path); ret = -1; }
    if (!ret) {
        double *s = malloc(c->nlen * sizeof(double));
        memcpy(s, c->len, c->nlen * sizeof(double));
        qsort(s, c->nlen, sizeof(double), cmp_double);
        c->median_len = c->nlen % 2 ? s[c->nlen / 2] : (s[c->nlen / 2 - 1] + s[c->nlen / 2]) / 2;
        if (c->median_len <= 0) c->median_len = 1;
        free(s);
    }
    ks_free(&line);
    ks_free(&tmp);
    ks_free(&last);
    ks_free(&scratch);
    return ret;
}

/* ------------------------------------------------------------------ */
/* Cohort frequency: what counts as a hit                              */

typedef struct { const char *v; int fam; } vfam_t;
static int cmp_vfam(const void *a, const void *b)
{
    const vfam_t *x = a, *y = b;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    return (x->fam > y->fam) - (x->fam < y->fam);
}
typedef struct { const char *v; int n; } vcount_t;
static int cmp_vcount(const void *a, const void *b)
{
    const vcount_t *x = a, *y = b;
    return x->v < y->v ? -1 : x->v > y->v;
}

/* The families per variant (every listed gene's variants, within --top or
 * not); a variant in more than max_var_fams of them is common in this cohort
 * (a polymorphism the runs could not filter without population frequencies,
 * or a systematic artefact) and supports no hit.  A patient's gene is a hit
 * when its mode still has its variants: two for comp_het, else one (a gene
 * without a mode: any).  Then the hits, per gene and family. */
static void make_hits(cohort_t *c)
{
    const int thr = c->o->max_var_fams < 0 ? (c->nfam / 20 > 3 ? c->nfam / 20 : 3) : c->o->max_var_fams;
    c->max_var_fams = thr;
    vcount_t *cnt = NULL;
    int ncnt = 0;
    if (thr > 0 && c->nev) {
        vfam_t *vf = malloc(c->nev * sizeof *vf);
        int n = 0;
        for (int i = 0; i < c->nent; i++)
            for (int v = 0; v < c->ent[i].nv; v++) vf[n++] = (vfam_t){c->ev[c->ent[i].v0 + v].name, c->pat_fam[c->ent[i].pat]};
        qsort(vf, n, sizeof *vf, cmp_vfam);
        cnt = malloc(n * sizeof *cnt);
        for (int i = 0; i < n; i++) {
            if (i && vf[i].v == vf[i - 1].v && vf[i].fam == vf[i - 1].fam) continue;
            if (ncnt && cnt[ncnt - 1].v == vf[i].v) cnt[ncnt - 1].n++;
            else cnt[ncnt++] = (vcount_t){vf[i].v, 1};
        }
        free(vf);
        for (int i = 0; i < ncnt; i++) c->ncommon += cnt[i].n > thr;
    }
    for (int i = 0; i < c->nent; i++) {
        entry_t *e = &c->ent[i];
        if (!e->counted) continue;
        int dropped = 0, support = 0, high = 0;
        for (int v = 0; v < e->nv; v++) {
            evar_t *x = &c->ev[e->v0 + v];
            if (cnt) {
                vcount_t key = {x->name, 0}, *f = bsearch(&key, cnt, ncnt, sizeof *cnt, cmp_vcount);
                x->name = f && f->n > thr ? NULL : x->name; /* NULL: common */
            }
            if (!x->name) { dropped = 1; continue; }
            if (e->mode < 0 || !x->modes || (x->modes & GS_MODE_BIT(e->mode))) { support++; high |= x->high; }
        }
        if (dropped && support < (e->mode == GS_MODE_COMP_HET ? 2 : 1)) { c->ndropped++; continue; }
        /* high impact: a variant fitting the mode (else the gene's most severe consequence) */
        cgene_t *g = add_gene(c, e->pat, e->gene, e->chrom, e->mode, support ? high : e->high, e->score);
        for (int v = 0; v < e->nv; v++)
            if (c->ev[e->v0 + v].name) add_variant(g, c->ev[e->v0 + v].name);
    }
    free(cnt);
    free(c->ent);
    free(c->ev);
    c->ent = NULL;
    c->ev = NULL;
    c->nent = c->nev = 0;
}

/* ------------------------------------------------------------------ */
/* The tests                                                           */

static void compute(cohort_t *c)
{
    /* gene lengths, and the universe: every listed gene on the chromosomes where
     * the cohort has candidates, plus the candidate genes the table lacks */
    kstring_t tmp = KS_INITIALIZE;
    khash_t(idx) *used = kh_init(idx);
    c->universe = 0;
    for (int i = 0; i < c->ng; i++) {
        cgene_t *g = &c->g[i];
        khint_t k = kh_get(idx, c->len_idx, g->name);
        g->length_known = k != kh_end(c->len_idx) && c->len[kh_val(c->len_idx, k)] > 0;
        g->length = g->length_known ? c->len[kh_val(c->len_idx, k)] : c->median_len;
        if (!g->length_known) {
            c->universe += g->length;
            c->nunknown++;
        }
        const char *s = g->chrom.s;
        while (s && *s) {
            const char *e = strchr(s, ',');
            size_t l = e ? (size_t)(e - s) : strlen(s);
            kstring_t one = KS_INITIALIZE;
            kputsn(s, l, &one);
            norm_chrom(one.s, &tmp);
            ks_free(&one);
            int isnew;
            intern(used, tmp.s, 0, &isnew);
            s = e ? e + 1 : s + l;
        }
    }
    /* in the table's order, so the description is stable */
    char *uc = calloc(c->nchrom + 1, 1);
    for (int ci = 0; ci < c->nchrom; ci++)
        for (khint_t k = kh_begin(c->chrom_idx); k != kh_end(c->chrom_idx); k++)
            if (kh_exist(c->chrom_idx, k) && kh_val(c->chrom_idx, k) == ci && kh_get(idx, used, kh_key(c->chrom_idx, k)) != kh_end(used)) {
                c->universe += c->chrom_len[ci];
                uc[ci] = 1;
                ksprintf(&c->universe_chroms, "%s%s", c->universe_chroms.l ? "," : "", kh_key(c->chrom_idx, k));
            }
    for (khint_t k = kh_begin(used); k != kh_end(used); k++)
        if (kh_exist(used, k)) free((char *)kh_key(used, k));
    kh_destroy(idx, used);
    ks_free(&tmp);
    if (c->universe <= 0) c->universe = 1;
    /* the universe's genes, one length each (for the compound-heterozygote rates) */
    c->ulen = malloc((c->nlen + c->nunknown + 1) * sizeof(double));
    for (int i = 0; i < c->nlen; i++)
        if (uc[c->len_chrom[i]] && c->len[i] > 0) c->ulen[c->nulen++] = c->len[i];
    for (int i = 0; i < c->ng; i++)
        if (!c->g[i].length_known) c->ulen[c->nulen++] = c->g[i].length;
    free(uc);

    /* per family: candidate genes per class, and those hit only as compound heterozygotes */
    c->ncand = calloc(c->nfam ? c->nfam : 1, sizeof(*c->ncand));
    c->nch = calloc(c->nfam ? c->nfam : 1, sizeof(*c->nch));
    c->ch_rate = calloc(c->nfam ? c->nfam : 1, sizeof(*c->ch_rate));
    for (int i = 0; i < c->ng; i++)
        for (int h = 0; h < c->g[i].nhit; h++) {
            const hit_t *x = &c->g[i].hit[h];
            int pair = x->modes == GS_MODE_BIT(GS_MODE_COMP_HET);
            for (int t = 0; t < NCLASS; t++)
                if (x->classes & (1 << t)) {
                    if (pair) c->nch[x->fam][t]++;
                    else c->ncand[x->fam][t]++;
                }
        }
    /* one rate per distinct count (families often share counts) */
    for (int f = 0; f < c->nfam; f++)
        for (int t = 0; t < NCLASS; t++) {
            int m = c->nch[f][t], done = 0;
            for (int g = 0; g < f && !done; g++)
                for (int u = 0; u < NCLASS && !done; u++)
                    if (c->nch[g][u] == m) { c->ch_rate[f][t] = c->ch_rate[g][u]; done = 1; }
            for (int u = 0; u < t && !done; u++)
                if (c->nch[f][u] == m) { c->ch_rate[f][t] = c->ch_rate[f][u]; done = 1; }
            if (!done) c->ch_rate[f][t] = gs_pair_rate(c->ulen, c->nulen, m);
        }

    int ntest = 0;
    for (int t = 0; t < NCLASS; t++) ntest += (c->o->tests >> t) & 1;
    double *p = malloc((c->nfam ? c->nfam : 1) * sizeof(double));
    for (int i = 0; i < c->ng; i++) {
        cgene_t *g = &c->g[i];
        g->pvalue = 1;
        g->test = 0;
        while (!((c->o->tests >> g->test) & 1)) g->test++;
        for (int t = 0; t < NCLASS; t++) {
            if (!((c->o->tests >> t) & 1)) continue;
            g->k[t] = 0;
            for (int h = 0; h < g->nhit; h++) g->k[t] += (g->hit[h].classes >> t) & 1;
            g->e[t] = 0;
            for (int f = 0; f < c->nfam; f++) {
                p[f] = gs_hit_prob((double)c->ncand[f][t] / c->universe, c->ch_rate[f][t], g->length);
                g->e[t] += p[f];
            }
            g->p[t] = gs_pbinom_upper(p, c->nfam, g->k[t]);
            double adj = g->p[t] * ntest;
            if (adj > 1) adj = 1;
            if (g->k[t] && adj < g->pvalue) {
                g->pvalue = adj;
                g->test = t;
            }
        }
    }
    free(p);
    size_t ng = c->ng > 0 ? (size_t)c->ng : 1;
    double *pv = malloc(ng * sizeof(double)), *q = malloc(ng * sizeof(double));
    for (int i = 0; i < c->ng; i++) pv[i] = c->g[i].pvalue;
    gs_bh_adjust(pv, c->ng, q);
    for (int i = 0; i < c->ng; i++) c->g[i].fdr = q[i];
    free(pv);
    free(q);
}

/* Recurrence and phenotype coherence as independent evidence: Fisher's
 * method on the recurrence p-value and the coherence tail (1 - percentile,
 * at least one random pair's worth): p1 p2 (1 - ln(p1 p2)). Without a
 * coherence, the p-value alone. */
static void combine(cohort_t *c)
{
    for (int i = 0; i < c->ng; i++) {
        cgene_t *g = &c->g[i];
        g->combined_p = g->pvalue;
        if (isnan(g->phenotype_coherence)) continue;
        double p2 = 1 - g->phenotype_coherence, floor = 1.0 / (c->npair + 1);
        if (p2 < floor) p2 = floor;
        double x = g->pvalue * p2;
        g->combined_p = x > 0 ? x * (1 - log(x)) : 0;
        if (g->combined_p > 1) g->combined_p = 1;
    }
}

/* The combined ordering (README "Cohort"):
 *   1. combined p (recurrence with phenotype coherence; the p-value when there are no phenotypes);
 *   2. FDR (q-value), lower first;  3. p-value, lower first;
 *   4. phenotype coherence, higher first; genes without one after those with one;
 *   5. families, more first;  6. best per-patient score;  7. gene name. */
static int cmp_cgene(const void *a, const void *b)
{
    const cgene_t *x = a, *y = b;
    if (x->combined_p != y->combined_p) return x->combined_p < y->combined_p ? -1 : 1;
    if (x->fdr != y->fdr) return x->fdr < y->fdr ? -1 : 1;
    if (x->pvalue != y->pvalue) return x->pvalue < y->pvalue ? -1 : 1;
    int xn = isnan(x->phenotype_coherence), yn = isnan(y->phenotype_coherence);
    if (xn != yn) return xn - yn;
    if (!xn && x->phenotype_coherence != y->phenotype_coherence) return x->phenotype_coherence > y->phenotype_coherence ? -1 : 1;
    if (x->nhit != y->nhit) return y->nhit - x->nhit;
    if (x->max_score != y->max_score) return x->max_score > y->max_score ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* ------------------------------------------------------------------ */
/* Outputs                                                             */

/* families, patients and variants of a gene in a fixed order (family ids; names) */
static void gene_sort_members(cohort_t *c, cgene_t *g)
{
    for (int i = 1; i < g->nhit; i++) /* insertion sort: genes hit in few families */
        for (int j = i; j > 0 && strcmp(c->fam[g->hit[j - 1].fam], c->fam[g->hit[j].fam]) > 0; j--) {
            hit_t t = g->hit[j]; g->hit[j] = g->hit[j - 1]; g->hit[j - 1] = t;
        }
    for (int i = 1; i < g->npat; i++)
        for (int j = i; j > 0 && strcmp(c->pat[g->pat[j - 1]], c->pat[g->pat[j]]) > 0; j--) {
            int t = g->pat[j]; g->pat[j] = g->pat[j - 1]; g->pat[j - 1] = t;
        }
    qsort(g->var, g->nvar, sizeof(char *), cmp_str);
}

static void modes_text(const cgene_t *g, kstring_t *s, const char *sep)
{
    int any = 0;
    for (int m = 0; m <= GS_NMODE; m++) {
        int n = 0;
        for (int h = 0; h < g->nhit; h++) n += (g->hit[h].modes >> m) & 1;
        if (n) ksprintf(s, "%s%s:%d", any++ ? sep : "", m < GS_NMODE ? gs_mode_name(m) : "none", n);
    }
    if (!any) kputc('.', s);
}

static void fmt_p(double p, kstring_t *s) { ksprintf(s, "%.3g", p); }

static int write_tsv(cohort_t *c, int n, const char *path, kstring_t *err)
{
    output_file_t *f = output_open(path, err);
    if (!f) return -1;
    kstring_t s = KS_INITIALIZE;
    kputs("rank\tgene\tchrom\tn_families\tfamilies\tn_patients\tpatients\tn_variants\tvariants\tmodes\ttest\tobserved\t"
          "expected\tp_value\tfdr\tphenotype_coherence\tgene_length\tmax_score\tcombined_p\n", &s);
    for (int i = 0; i < n; i++) {
        cgene_t *g = &c->g[i];
        ksprintf(&s, "%d\t%s\t%s\t%d\t", i + 1, g->name, g->chrom.s, g->nhit);
        for (int h = 0; h < g->nhit; h++) ksprintf(&s, "%s%s", h ? "," : "", c->fam[g->hit[h].fam]);
        ksprintf(&s, "\t%d\t", g->npat);
        for (int k = 0; k < g->npat; k++) ksprintf(&s, "%s%s", k ? "," : "", c->pat[g->pat[k]]);
        ksprintf(&s, "\t%d\t", g->nvar);
        for (int k = 0; k < g->nvar; k++) ksprintf(&s, "%s%s", k ? "," : "", g->var[k]);
        if (!g->nvar) kputc('.', &s);
        kputc('\t', &s);
        modes_text(g, &s, ",");
        ksprintf(&s, "\t%s\t%d\t%.3g\t", class_name[g->test], g->k[g->test], g->e[g->test]);
        fmt_p(g->pvalue, &s);
        kputc('\t', &s);
        fmt_p(g->fdr, &s);
        if (isnan(g->phenotype_coherence)) kputs("\tNA\t", &s); /* not computed yet: src/hpo.c */
        else ksprintf(&s, "\t%.3g\t", g->phenotype_coherence);
        ksprintf(&s, "%.0f%s\t%.2f\t", g->length, g->length_known ? "" : "*", g->max_score);
        fmt_p(g->combined_p, &s);
        kputc('\n', &s);
        if (s.l > 1 << 16) { output_write(f, s.s, s.l); s.l = 0; }
    }
    output_write(f, s.s, s.l);
    ks_free(&s);
    return output_commit(f, err);
}

static json_t *jstr(const char *s)
{
    char *c = gs_utf8_clean(s ? s : "");
    json_t *j = json_string(c);
    free(c);
    return j;
}

static json_t *model_json(cohort_t *c)
{
    json_t *m = json_object();
    json_object_set_new(m, "gene_lengths", jstr(c->o->gene_lengths ? c->o->gene_lengths : "<built-in data/gene_lengths.hg19.tsv>"));
    json_object_set_new(m, "median_gene_length", json_real(c->median_len));
    json_object_set_new(m, "universe_length", json_real(c->universe));
    json_object_set_new(m, "universe_chromosomes", jstr(c->universe_chroms.s ? c->universe_chroms.s : ""));
    json_object_set_new(m, "genes_without_length", json_integer(c->nunknown));
    json_t *t = json_array();
    for (int i = 0; i < NCLASS; i++)
        if ((c->o->tests >> i) & 1) json_array_append_new(t, json_string(class_name[i]));
    json_object_set_new(m, "tests", t);
    json_object_set_new(m, "max_variant_families", json_integer(c->max_var_fams));
    json_object_set_new(m, "common_variants", json_integer(c->ncommon));
    json_object_set_new(m, "hits_dropped", json_integer(c->ndropped));
    json_object_set_new(m, "genes_tested", json_integer(c->ng));
    json_object_set_new(m, "min_families", json_integer(c->o->min_families));
    return m;
}

static int write_json(cohort_t *c, int n, const char *date, const char *path, kstring_t *err)
{
    json_t *root = json_object();
    json_object_set_new(root, "schema", json_string(GS_COHORT_SCHEMA));
    json_object_set_new(root, "genesieve_version", json_string(GS_VERSION));
    json_object_set_new(root, "date", json_string(date));
    json_object_set_new(root, "inputs", json_integer(c->nfile));
    json_object_set_new(root, "model", model_json(c));
    json_t *fa = json_array();
    for (int f = 0; f < c->nfam; f++) {
        json_t *o = json_object(), *pa = json_array();
        json_object_set_new(o, "family", jstr(c->fam[f]));
        for (int p = 0; p < c->npat; p++)
            if (c->pat_fam[p] == f) json_array_append_new(pa, jstr(c->pat[p]));
        json_object_set_new(o, "patients", pa);
        json_object_set_new(o, "candidate_genes", json_integer(c->ncand[f][CL_ANY] + c->nch[f][CL_ANY]));
        json_object_set_new(o, "de_novo_genes", json_integer(c->ncand[f][CL_DE_NOVO] + c->nch[f][CL_DE_NOVO]));
        json_object_set_new(o, "recessive_genes", json_integer(c->ncand[f][CL_RECESSIVE] + c->nch[f][CL_RECESSIVE]));
        json_object_set_new(o, "high_impact_genes", json_integer(c->ncand[f][CL_HIGH] + c->nch[f][CL_HIGH]));
        json_object_set_new(o, "de_novo_high_genes", json_integer(c->ncand[f][CL_DE_NOVO_HIGH] + c->nch[f][CL_DE_NOVO_HIGH]));
        json_object_set_new(o, "recessive_high_genes", json_integer(c->ncand[f][CL_RECESSIVE_HIGH] + c->nch[f][CL_RECESSIVE_HIGH]));
        json_object_set_new(o, "comp_het_only_genes", json_integer(c->nch[f][CL_ANY]));
        json_array_append_new(fa, o);
    }
    json_object_set_new(root, "families", fa);
    json_t *ga = json_array();
    kstring_t s = KS_INITIALIZE;
    for (int i = 0; i < n; i++) {
        cgene_t *g = &c->g[i];
        json_t *o = json_object(), *a;
        json_object_set_new(o, "rank", json_integer(i + 1));
        json_object_set_new(o, "gene", jstr(g->name));
        json_object_set_new(o, "chrom", jstr(g->chrom.s));
        a = json_array();
        for (int h = 0; h < g->nhit; h++) json_array_append_new(a, jstr(c->fam[g->hit[h].fam]));
        json_object_set_new(o, "families", a);
        a = json_array();
        for (int k = 0; k < g->npat; k++) json_array_append_new(a, jstr(c->pat[g->pat[k]]));
        json_object_set_new(o, "patients", a);
        a = json_array();
        for (int k = 0; k < g->nvar; k++) json_array_append_new(a, jstr(g->var[k]));
        json_object_set_new(o, "variants", a);
        json_t *mo = json_object();
        for (int m = 0; m <= GS_NMODE; m++) {
            int cnt = 0;
            for (int h = 0; h < g->nhit; h++) cnt += (g->hit[h].modes >> m) & 1;
            if (cnt) json_object_set_new(mo, m < GS_NMODE ? gs_mode_name(m) : "none", json_integer(cnt));
        }
        json_object_set_new(o, "modes", mo);
        json_t *te = json_object();
        for (int t = 0; t < NCLASS; t++)
            if ((c->o->tests >> t) & 1)
                json_object_set_new(te, class_name[t], json_pack("{s:i,s:f,s:f}", "observed", g->k[t], "expected", g->e[t],
                                                             "p_value", g->p[t]));
        json_object_set_new(o, "tests", te);
        json_object_set_new(o, "test", json_string(class_name[g->test]));
        json_object_set_new(o, "observed", json_integer(g->k[g->test]));
        json_object_set_new(o, "expected", json_real(g->e[g->test]));
        json_object_set_new(o, "p_value", json_real(g->pvalue));
        json_object_set_new(o, "fdr", json_real(g->fdr));
        /* reserved for the phenotype module (src/hpo.c): null = not computed */
        json_object_set_new(o, "phenotype_coherence", isnan(g->phenotype_coherence) ? json_null() : json_real(g->phenotype_coherence));
        json_object_set_new(o, "gene_length", json_real(g->length));
        json_object_set_new(o, "gene_length_known", json_boolean(g->length_known));
        json_object_set_new(o, "max_score", json_real(g->max_score));
        json_object_set_new(o, "combined_p", json_real(g->combined_p));
        json_array_append_new(ga, o);
    }
    ks_free(&s);
    json_object_set_new(root, "genes", ga);
    return gs_json_write(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6), path, err);
}

static int write_html(cohort_t *c, int n, const char *date, const char *path, kstring_t *err)
{
    kstring_t o = KS_INITIALIZE;
    ksprintf(&o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>GeneSieve: cohort</title>"
                 "<style>%s</style></head>\n<body>\n<header><h1>Genes with candidates in unrelated families</h1><p>",
             gs_report_css);
    if (n) {
        kputs("Top gene: <span class=\"gene\" id=\"top-gene\">", &o);
        gs_html_text(c->g[0].name, &o);
        kputs("</span> &middot; ", &o);
    }
    ksprintf(&o, "%d gene%s in %d or more families &middot; %d patients in %d families &middot; GeneSieve %s &middot; %s</p>"
                 "</header>\n<main>\n", n, n == 1 ? "" : "s", c->o->min_families, c->npat, c->nfam, GS_VERSION, date);
    kputs("<section id=\"model\"><h2>Cohort and model</h2><table class=\"kv\"><tbody>", &o);
    ksprintf(&o, "<tr><td>Inputs</td><td>%d result file%s</td></tr>", c->nfile, c->nfile == 1 ? "" : "s");
    ksprintf(&o, "<tr><td>Genes tested</td><td>%d (every gene with a candidate in at least one family)</td></tr>", c->ng);
    kputs("<tr><td>Gene lengths</td><td>", &o);
    gs_html_text(c->o->gene_lengths ? c->o->gene_lengths : "built-in exome-target lengths (GRCh37)", &o);
    ksprintf(&o, "; median %.0f bp, used for %d gene%s not in the table (marked *)</td></tr>", c->median_len, c->nunknown,
             c->nunknown == 1 ? "" : "s");
    kputs("<tr><td>Chromosomes</td><td>", &o);
    gs_html_text(c->universe_chroms.s ? c->universe_chroms.s : "", &o);
    ksprintf(&o, " (%.0f bp of genes)</td></tr>", c->universe);
    int ntest = 0;
    kstring_t tl = KS_INITIALIZE;
    for (int t = 0; t < NCLASS; t++)
        if ((c->o->tests >> t) & 1) ksprintf(&tl, "%s%s", ntest++ ? ", " : "", class_name[t]);
    ksprintf(&o, "<tr><td>Test</td><td>Families hit by chance: for each family, 1 &minus; exp(&minus;rate &times; gene length), "
                 "the rate being its candidate genes per bp, or (1 &minus; exp(&minus;a &times; gene length))&sup2; for "
                 "genes hit only as compound heterozygotes (two alleles), for each class of hits (%s); P(observed or "
                 "more) exact (Poisson-binomial); the smallest over the classes times %d; FDR: Benjamini&ndash;Hochberg "
                 "over the genes tested.</td></tr>", tl.s, ntest);
    if (c->max_var_fams > 0)
        ksprintf(&o, "<tr><td>Cohort frequency</td><td>variants listed in more than %d families support no hit "
                     "(%d such variants; %d hits dropped)</td></tr>", c->max_var_fams, c->ncommon, c->ndropped);
    else kputs("<tr><td>Cohort frequency</td><td>not applied</td></tr>", &o);
    ks_free(&tl);
    if (c->hpo)
        ksprintf(&o, "<tr><td>Phenotype coherence</td><td>the mean HPO similarity (Resnik best-match average, HPO release %s) "
                     "of a gene's patients from different families, as a percentile of %d random pairs of patients from "
                     "different families in this cohort: 1 = more alike than every random pair</td></tr></tbody></table></section>\n",
                 gs_hpo_version(c->hpo), c->npair);
    else kputs("<tr><td>Phenotype coherence</td><td>not computed (no --hpo-data)</td></tr></tbody></table></section>\n", &o);
    kputs("<section id=\"genes\"><h2>Recurrent genes</h2>"
          "<input id=\"filter\" type=\"search\" placeholder=\"Filter by gene, family, patient, mode\" aria-label=\"Filter genes\"> "
          "<span class=\"muted\"><span id=\"shown\"></span> shown; click a column to sort</span>\n<table id=\"ranked\"><thead><tr>"
          "<th class=\"sortable\" data-type=\"num\">Rank</th><th class=\"sortable\">Gene</th>"
          "<th class=\"sortable\" data-type=\"num\">Families</th><th class=\"sortable\" data-type=\"num\">Observed</th>"
          "<th class=\"sortable\" data-type=\"num\">Expected</th><th class=\"sortable\" data-type=\"num\">p</th>"
          "<th class=\"sortable\" data-type=\"num\">FDR</th><th class=\"sortable\">Test</th><th class=\"sortable\">Modes</th>"
          "<th class=\"sortable\" data-type=\"num\">Phenotype coherence</th><th>Family ids</th><th>Patients</th><th>Variants</th>"
          "</tr></thead><tbody>\n", &o);
    kstring_t t = KS_INITIALIZE;
    for (int i = 0; i < n; i++) {
        cgene_t *g = &c->g[i];
        ksprintf(&o, "<tr><td class=\"num\">%d</td><td class=\"gene\">", i + 1);
        gs_html_text(g->name, &o);
        kputs(" <span class=\"muted\">", &o);
        gs_html_text(g->chrom.s, &o);
        ksprintf(&o, "</span></td><td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">%.3g</td>"
                     "<td class=\"num\" data-v=\"%g\">%.3g</td><td class=\"num\" data-v=\"%g\">%.3g</td><td>%s</td><td>",
                 g->nhit, g->k[g->test], g->e[g->test], g->pvalue, g->pvalue, g->fdr, g->fdr, class_name[g->test]);
        t.l = 0;
        modes_text(g, &t, ", ");
        gs_html_text(t.s, &o);
        kputs("</td><td class=\"num\" data-v=\"-1\">n/a</td><td>", &o);
        for (int h = 0; h < g->nhit; h++) {
            if (h) kputs(", ", &o);
            gs_html_text(c->fam[g->hit[h].fam], &o);
        }
        kputs("</td><td>", &o);
        for (int k = 0; k < g->npat; k++) {
            if (k) kputs(", ", &o);
            gs_html_text(c->pat[g->pat[k]], &o);
        }
        kputs("</td><td class=\"gt\">", &o);
        for (int k = 0; k < g->nvar && k < 20; k++) {
            if (k) kputs("<br>", &o);
            gs_html_text(g->var[k], &o);
        }
        if (g->nvar > 20) ksprintf(&o, "<br>&hellip; %d more", g->nvar - 20);
        kputs("</td></tr>\n", &o);
    }
    ks_free(&t);
    kputs("</tbody></table>", &o);
    if (!n) ksprintf(&o, "<p>No gene has candidates in %d or more unrelated families.</p>", c->o->min_families);
    ksprintf(&o, "</section>\n</main>\n<script>%s</script>\n</body></html>\n", gs_report_script);
    output_file_t *f = output_open(path, err);
    if (!f) { ks_free(&o); return -1; }
    output_write(f, o.s, o.l);
    ks_free(&o);
    return output_commit(f, err);
}

/* ------------------------------------------------------------------ */

static void free_idx(khash_t(idx) *h)
{
    if (!h) return;
    for (khint_t k = kh_begin(h); k != kh_end(h); k++)
        if (kh_exist(h, k)) free((char *)kh_key(h, k));
    kh_destroy(idx, h);
}

static void cohort_free(cohort_t *c)
{
    for (int i = 0; i < c->npat; i++) {
        free(c->pat_terms[i]);
        if (c->prof) gs_hpo_profile_free(&c->prof[i]);
    }
    free(c->pat_terms);
    free(c->prof);
    gs_hpo_free(c->hpo);
    gs_ped_free(c->ped);
    if (c->ped_fam) kh_destroy(idx, c->ped_fam);
    free_idx(c->fam_idx);
    free_idx(c->pat_idx);
    free_idx(c->gene_idx);
    free_idx(c->len_idx);
    free_idx(c->chrom_idx);
    kh_destroy(hit, c->hits);
    for (khint_t k = kh_begin(c->strings); k != kh_end(c->strings); k++)
        if (kh_exist(c->strings, k)) free((char *)kh_key(c->strings, k));
    kh_destroy(str, c->strings);
    for (int i = 0; i < c->nfam; i++) free(c->fam[i]);
    for (int i = 0; i < c->npat; i++) free(c->pat[i]);
    for (int i = 0; i < c->ng; i++) {
        free(c->g[i].name);
        ks_free(&c->g[i].chrom);
        free(c->g[i].hit);
        free(c->g[i].pat);
        free(c->g[i].var);
    }
    for (int i = 0; i < c->nfile; i++) free(c->files[i]);
    free(c->files);
    free(c->fam);
    free(c->pat);
    free(c->pat_fam);
    free(c->pat_src);
    free(c->g);
    free(c->len);
    free(c->chrom_len);
    free(c->ncand);
    free(c->nch);
    free(c->ch_rate);
    free(c->len_chrom);
    free(c->ulen);
    free(c->ent);
    free(c->ev);
    ks_free(&c->universe_chroms);
}

/* Phenotype coherence: the mean similarity of the gene's patients from
 * different families, as a percentile of the similarity of random pairs of
 * patients from different families in the cohort (ties count half). */
static int coherence(cohort_t *c, kstring_t *err)
{
    const gs_cohort_opts_t *o = c->o;
    if (!(c->hpo = gs_hpo_load(o->hpo_data, err))) return -1;
    c->prof = calloc(c->npat + 1, sizeof *c->prof);
    for (int i = 0; i < c->npat; i++)
        if (c->pat_terms[i] && gs_hpo_profile_parse(c->hpo, c->pat_terms[i], &c->prof[i], err) < 0) return -1;
    /* terms from a table or phenopackets replace what the results carry */
    gs_hpo_profile_t *ps = NULL;
    int n = 0;
    if (gs_pheno_load_profiles(c->hpo, NULL, 0, o->packets, o->npk, o->hpo_table, &ps, &n, err) < 0) {
        for (int i = 0; i < n; i++) gs_hpo_profile_free(&ps[i]);
        free(ps);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const char *name = ps[i].vcf_sample ? ps[i].vcf_sample : ps[i].id;
        khint_t k = kh_get(idx, c->pat_idx, name);
        if (k != kh_end(c->pat_idx)) {
            gs_hpo_profile_free(&c->prof[kh_val(c->pat_idx, k)]);
            c->prof[kh_val(c->pat_idx, k)] = ps[i];
        } else {
            gs_hpo_profile_free(&ps[i]);
        }
    }
    free(ps);
    /* baseline: every pair from different families with terms, or 20,000 drawn (seeded) */
    int *with = malloc((c->npat + 1) * sizeof(int)), nw = 0;
    for (int i = 0; i < c->npat; i++) if (c->prof[i].nobs) with[nw++] = i;
    double *base = NULL;
    int nb = 0, mb = 0;
    long long all = (long long)nw * (nw - 1) / 2;
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (long long t = 0; nw > 1 && t < (all <= 20000 ? all : 20000); t++) {
        int a, b;
        if (all <= 20000) { /* t-th pair in order */
            long long r = t; a = 0;
            while (r >= nw - 1 - a) { r -= nw - 1 - a; a++; }
            b = a + 1 + (int)r;
        } else {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17; a = (int)(x % nw);
            x ^= x << 13; x ^= x >> 7; x ^= x << 17; b = (int)(x % nw);
            if (a == b) continue;
        }
        if (c->pat_fam[with[a]] == c->pat_fam[with[b]]) continue;
        if (nb == mb) { mb = mb ? 2 * mb : 1024; base = realloc(base, mb * sizeof(double)); }
        base[nb++] = gs_hpo_profile_sim(c->hpo, &c->prof[with[a]], &c->prof[with[b]]);
    }
    free(with);
    c->npair = nb;
    for (int gi = 0; gi < c->ng; gi++) {
        cgene_t *g = &c->g[gi];
        if (g->nhit < 2 || !nb) continue;
        double sum = 0;
        int np = 0;
        for (int i = 0; i < g->npat; i++)
            for (int j = i + 1; j < g->npat; j++) {
                int a = g->pat[i], b = g->pat[j];
                if (c->pat_fam[a] == c->pat_fam[b] || !c->prof[a].nobs || !c->prof[b].nobs) continue;
                sum += gs_hpo_profile_sim(c->hpo, &c->prof[a], &c->prof[b]);
                np++;
            }
        if (!np) continue;
        double m = sum / np, below = 0;
        for (int k = 0; k < nb; k++) below += base[k] < m ? 1 : base[k] == m ? 0.5 : 0;
        g->phenotype_coherence = below / nb;
    }
    free(base);
    return 0;
}

int gs_cohort(const gs_cohort_opts_t *o)
{
    cohort_t c;
    memset(&c, 0, sizeof(c));
    c.o = o;
    c.fam_idx = kh_init(idx);
    c.pat_idx = kh_init(idx);
    c.gene_idx = kh_init(idx);
    c.len_idx = kh_init(idx);
    c.chrom_idx = kh_init(idx);
    c.hits = kh_init(hit);
    c.strings = kh_init(str);
    kstring_t err = KS_INITIALIZE, path = KS_INITIALIZE;
    char date[32];
    int status = 1;
    if (o->ped) {
        if (!(c.ped = gs_ped_read(o->ped, &err))) goto out;
        c.ped_fam = kh_init(idx);
        for (int i = 0; i < c.ped->n; i++) {
            int ret;
            khint_t k = kh_put(idx, c.ped_fam, c.ped->e[i].id, &ret);
            kh_val(c.ped_fam, k) = i;
        }
    }
    if (load_lengths(&c, o->gene_lengths, o->gene_lengths ? NULL : gs_gene_lengths_tsv, &err) < 0) goto out;
    if (gs_output_dir_check(o->outdir, o->force, &err) < 0) goto out;
    if (gs_run_date(date, sizeof date, &err) < 0) goto out;
    if (expand_inputs(&c, &err) < 0) goto out;
    for (int i = 0; i < c.nfile; i++)
        if (read_input(&c, i, &err) < 0) goto out;
    make_hits(&c);
    compute(&c);
    if (o->hpo_data && coherence(&c, &err) < 0) goto out;
    combine(&c);
    qsort(c.g, c.ng, sizeof(cgene_t), cmp_cgene); /* the hit index (c.hits) is stale from here on */
    /* the table: genes in min_families or more, in that order, moved to the front */
    int n = 0;
    for (int i = 0; i < c.ng; i++)
        if (c.g[i].nhit >= o->min_families) {
            if (i != n) { cgene_t t = c.g[n]; c.g[n] = c.g[i]; c.g[i] = t; }
            n++;
        }
    for (int i = 0; i < n; i++) gene_sort_members(&c, &c.g[i]);
    if (gs_output_dir(o->outdir, &err) < 0) goto out; /* only once everything read well */
    ksprintf(&path, "%s/cohort.genes.tsv", o->outdir);
    if (write_tsv(&c, n, path.s, &err) < 0) goto out;
    path.l = 0;
    ksprintf(&path, "%s/cohort.genes.json", o->outdir);
    if (write_json(&c, n, date, path.s, &err) < 0) goto out;
    path.l = 0;
    ksprintf(&path, "%s/cohort.html", o->outdir);
    if (write_html(&c, n, date, path.s, &err) < 0) goto out;
    if (gs_outputs_commit(&err) < 0) goto out;
    if (!o->quiet) {
        fprintf(stderr, "genesieve: cohort: %d patient%s in %d famil%s from %d file%s; %d gene%s tested, %d in %d or more families",
                c.npat, c.npat == 1 ? "" : "s", c.nfam, c.nfam == 1 ? "y" : "ies", c.nfile, c.nfile == 1 ? "" : "s", c.ng,
                c.ng == 1 ? "" : "s", n, o->min_families);
        for (int i = 0; i < n && i < 3; i++)
            fprintf(stderr, "%s%s (%d families, FDR %.3g)", i ? ", " : "; top: ", c.g[i].name, c.g[i].nhit, c.g[i].fdr);
        fprintf(stderr, " -> %s/cohort.genes.tsv\n", o->outdir);
        if (c.nunknown * 2 > c.ng && c.ng)
            fprintf(stderr, "genesieve: warning: %d of %d genes are not in the gene lengths table (median length used): "
                            "a different build or gene naming?\n", c.nunknown, c.ng);
    }
    status = 0;
out:
    if (status) {
        fprintf(stderr, "genesieve: error: %s\n", err.s ? err.s : "cohort failed");
        gs_outputs_abort();
    }
    cohort_free(&c);
    ks_free(&err);
    ks_free(&path);
    return status;
}
