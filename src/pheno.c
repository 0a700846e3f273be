/* pheno.c -- `genesieve pheno`: rank genes from HPO terms alone. */
#define _GNU_SOURCE /* qsort_r */
#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <htslib/khash.h>
#include <htslib/kstring.h>
#include "hpo.h"
#include "output.h"
#include "pheno.h"
#include "genesieve/genesieve.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: genesieve pheno --hpo-data DIR (--hpo TERMS | --phenopacket FILE|DIR ... | --hpo-table FILE)\n"
            "                       [--candidates GENES.txt] [-o DIR] [-t N] [--force]\n\n"
            "Ranks genes by how well their diseases' HPO annotations match the patient's terms.\n"
            "  --hpo-data DIR          HPO release: hp.obo or hp.json, phenotype.hpoa, genes_to_phenotype.txt (.gz ok)\n"
            "  --hpo TERMS             HP:0001250,HP:0001263,... (!HP:... = explicitly absent)\n"
            "  --phenopacket FILE|DIR  GA4GH Phenopacket v2 JSON (repeatable; a directory: every *.json in it)\n"
            "  --hpo-table FILE        sample<TAB>observed terms[<TAB>excluded terms] per line\n"
            "  --candidates FILE       only these genes (one symbol per line, first column)\n"
            "  -o, --outdir DIR        one <id>.tsv per patient (default with one patient: stdout)\n"
            "      --top N             only the N best genes (default: all)\n"
            "  -t, --threads N         patients scored in parallel (default 1)\n"
            "  -q, --quiet             no summary on stderr\n"
            "      --force             replace results already in DIR\n\n"
            "Columns: rank (ties share the lowest rank of their group), gene, score, disease, disease_name,\n"
            "matches (patient term>disease term pairs of the best disease).\n");
}

KHASH_SET_INIT_STR(sset)

int gs_pheno_load_profiles(const gs_hpo_t *h, char **hpo, int nhpo, char **packets, int npk, const char *table,
                           gs_hpo_profile_t **ps, int *n, kstring_t *err)
{
    for (int i = 0; i < nhpo; i++) {
        *ps = realloc(*ps, (*n + 1) * sizeof **ps);
        gs_hpo_profile_t *p = &(*ps)[*n];
        memset(p, 0, sizeof *p);
        (*n)++;
        p->id = strdup("patient");
        if (gs_hpo_profile_parse(h, hpo[i], p, err)) return -1;
    }
    for (int i = 0; i < npk; i++) {
        struct stat st;
        if (stat(packets[i], &st)) { ksprintf(err, "%s: %s", packets[i], strerror(errno)); return -1; }
        char **files = NULL; int nf = 0;
        if (S_ISDIR(st.st_mode)) {
            struct dirent **list;
            int m = scandir(packets[i], &list, NULL, alphasort);
            if (m < 0) { ksprintf(err, "%s: %s", packets[i], strerror(errno)); return -1; }
            for (int k = 0; k < m; k++) {
                size_t l = strlen(list[k]->d_name);
                if (l > 5 && !strcmp(list[k]->d_name + l - 5, ".json")) {
                    kstring_t s = {0};
                    ksprintf(&s, "%s/%s", packets[i], list[k]->d_name);
                    files = realloc(files, (nf + 1) * sizeof *files);
                    files[nf++] = ks_release(&s);
                }
                free(list[k]);
            }
            free(list);
            if (!nf) { ksprintf(err, "%s: no *.json phenopackets in this directory", packets[i]); return -1; }
        } else {
            files = malloc(sizeof *files);
            files[nf++] = strdup(packets[i]);
        }
        int r = 0;
        for (int k = 0; k < nf; k++) {
            if (!r) {
                *ps = realloc(*ps, (*n + 1) * sizeof **ps);
                gs_hpo_profile_t *p = &(*ps)[*n];
                memset(p, 0, sizeof *p);
                (*n)++;
                r = gs_hpo_profile_phenopacket(h, files[k], p, err);
            }
            free(files[k]);
        }
        free(files);
        if (r) return -1;
    }
    if (table && gs_hpo_profile_table(h, table, ps, n, err)) return -1;
    return 0;
}

void gs_pheno_warn_unknown(const gs_hpo_t *h, const gs_hpo_profile_t *ps, int n)
{
    khash_t(sset) *seen = kh_init(sset);
    kstring_t s = {0};
    int cnt = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < ps[i].nunknown; k++) {
            int ret;
            kh_put(sset, seen, ps[i].unknown[k], &ret);
            if (!ret) continue;
            if (cnt < 10) ksprintf(&s, "%s%s", cnt ? ", " : "", ps[i].unknown[k]);
            cnt++;
        }
    if (cnt)
        fprintf(stderr, "genesieve: warning: %d HPO term%s not in release %s (ignored): %s%s\n", cnt,
                cnt > 1 ? "s" : "", gs_hpo_version(h), s.s, cnt > 10 ? ", ..." : "");
    free(s.s);
    kh_destroy(sset, seen);
}

typedef struct {
    const gs_hpo_t *h;
    gs_hpo_profile_t *ps;
    int n, next, failed;
    int *cand, ncand;           /* gene indexes (-1 = not annotated) */
    char **cand_names;
    const char *outdir;
    long top;
    pthread_mutex_t lock;
    kstring_t err;
} job_t;

/* candidates by phenotype rank (genes without annotation last), then input order */
static int cand_rank(const job_t *J, const gs_pheno_t *s, int c)
{
    return J->cand[c] >= 0 ? gs_pheno_rank(s, J->cand[c]) : INT_MAX;
}
typedef struct { const job_t *J; const gs_pheno_t *s; } cand_ctx_t;
static int by_cand(const void *a, const void *b, void *v)
{
    const cand_ctx_t *c = v;
    int x = *(const int *)a, y = *(const int *)b, rx = cand_rank(c->J, c->s, x), ry = cand_rank(c->J, c->s, y);
    return rx != ry ? (rx < ry ? -1 : 1) : x - y;
}

static void write_table(job_t *J, const gs_pheno_t *s, kstring_t *out)
{
    const gs_hpo_t *h = J->h;
    const gs_pheno_gene_t *g = gs_pheno_genes(s);
    kputs("rank\tgene\tscore\tdisease\tdisease_name\tmatches\n", out);
    if (!J->cand) {
        const int *ord = gs_pheno_order(s);
        for (int i = 0; i < gs_hpo_ngenes(h) && i < J->top; i++) {
            int x = ord[i];
            ksprintf(out, "%d\t%s\t%.4f\t", gs_pheno_rank(s, x), gs_hpo_gene_name(h, x), g[x].score);
            if (g[x].disease >= 0) {
                ksprintf(out, "%s\t%s\t", gs_hpo_disease_id(h, g[x].disease), gs_hpo_disease_name(h, g[x].disease));
                gs_pheno_matches(s, g[x].disease, 0, out);
            } else kputs(".\t.\t", out);
            kputc('\n', out);
        }
        return;
    }
    /* candidates: ranked among themselves; genes without annotation last, score 0 */
    int n = J->ncand, *ord = malloc(n * sizeof(int));
    for (int i = 0; i < n; i++) ord[i] = i;
    cand_ctx_t ctx = { J, s };
    qsort_r(ord, n, sizeof(int), by_cand, &ctx);
    for (int i = 0; i < n && i < J->top; ) {
        int r0 = cand_rank(J, s, ord[i]), j = i;
        while (j < n && cand_rank(J, s, ord[j]) == r0) j++;
        for (int k = i; k < j && k < J->top; k++) {
            int c = ord[k], x = J->cand[c];
            ksprintf(out, "%d\t%s\t%.4f\t", j, J->cand_names[c], x >= 0 ? g[x].score : 0.0);
            if (x >= 0 && g[x].disease >= 0) {
                ksprintf(out, "%s\t%s\t", gs_hpo_disease_id(h, g[x].disease), gs_hpo_disease_name(h, g[x].disease));
                gs_pheno_matches(s, g[x].disease, 0, out);
            } else kputs(".\t.\t", out);
            kputc('\n', out);
        }
        i = j;
    }
    free(ord);
}

static void *worker(void *arg)
{
    job_t *J = arg;
    kstring_t out = {0}, path = {0}, err = {0};
    for (;;) {
        pthread_mutex_lock(&J->lock);
        int i = J->failed ? J->n : J->next++;
        pthread_mutex_unlock(&J->lock);
        if (i >= J->n) break;
        gs_hpo_profile_t *p = &J->ps[i];
        gs_pheno_t *s = gs_pheno_score(J->h, p);
        out.l = 0;
        write_table(J, s, &out);
        gs_pheno_free(s);
        path.l = 0;
        if (J->outdir) ksprintf(&path, "%s/%s.tsv", J->outdir, p->id);
        else kputc('-', &path);
        err.l = 0;
        pthread_mutex_lock(&J->lock); /* output registration is not thread-safe */
        output_file_t *f = output_open(path.s, &err);
        int bad = !f || output_write(f, out.s, out.l) || output_commit(f, &err);
        if (bad && !J->failed) { J->failed = 1; kputs(err.l ? err.s : path.s, &J->err); }
        pthread_mutex_unlock(&J->lock);
    }
    free(out.s); free(path.s); free(err.s);
    return NULL;
}

static int read_candidates(const gs_hpo_t *h, const char *path, job_t *J, kstring_t *err)
{
    FILE *fp = fopen(path, "r");
    if (!fp) { ksprintf(err, "%s: %s", path, strerror(errno)); return -1; }
    char *line = NULL; size_t m = 0; ssize_t l;
    khash_t(sset) *seen = kh_init(sset);
    while ((l = getline(&line, &m, fp)) > 0) {
        line[strcspn(line, "\t\r\n ,")] = 0;
        if (!line[0] || line[0] == '#') continue;
        int ret;
        khint_t k = kh_put(sset, seen, line, &ret);
        if (!ret) continue;
        J->cand_names = realloc(J->cand_names, (J->ncand + 1) * sizeof(char *));
        J->cand = realloc(J->cand, (J->ncand + 1) * sizeof(int));
        J->cand_names[J->ncand] = strdup(line);
        kh_key(seen, k) = J->cand_names[J->ncand];
        J->cand[J->ncand++] = gs_hpo_gene(h, line);
    }
    free(line);
    kh_destroy(sset, seen);
    fclose(fp);
    if (!J->ncand) { ksprintf(err, "%s: no gene symbols", path); return -1; }
    return 0;
}

int gs_cmd_pheno(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"hpo-data", required_argument, NULL, 1}, {"hpo", required_argument, NULL, 2},
        {"phenopacket", required_argument, NULL, 3}, {"hpo-table", required_argument, NULL, 4},
        {"candidates", required_argument, NULL, 5}, {"force", no_argument, NULL, 6},
        {"top", required_argument, NULL, 7}, {"quiet", no_argument, NULL, 'q'},
        {"outdir", required_argument, NULL, 'o'}, {"threads", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const char *data = NULL, *table = NULL, *cands = NULL, *outdir = NULL;
    char **hpo = NULL, **pk = NULL;
    int nhpo = 0, npk = 0, threads = 1, force = 0, quiet = 0, c, ret = 1;
    long top = -1;
    char *end;
    while ((c = getopt_long(argc, argv, "o:t:qh", lopts, NULL)) != -1) {
        switch (c) {
        case 1: data = optarg; break;
        case 2: hpo = realloc(hpo, (nhpo + 1) * sizeof *hpo); hpo[nhpo++] = optarg; break;
        case 3: pk = realloc(pk, (npk + 1) * sizeof *pk); pk[npk++] = optarg; break;
        case 4: table = optarg; break;
        case 5: cands = optarg; break;
        case 6: force = 1; break;
        case 7: top = strtol(optarg, &end, 10); if (*end || top < 1) top = 0; break;
        case 'q': quiet = 1; break;
        case 'o': outdir = optarg; break;
        case 't': threads = atoi(optarg); break;
        case 'h': usage(stdout); free(hpo); free(pk); return 0;
        default: usage(stderr); free(hpo); free(pk); return 2;
        }
    }
    if (!data || (!nhpo && !npk && !table) || optind != argc || threads < 1 || threads > 1024 || !top || (outdir && !*outdir)) {
        usage(stderr); free(hpo); free(pk); return 2;
    }
    kstring_t err = {0};
    gs_hpo_profile_t *ps = NULL;
    int n = 0;
    job_t J; memset(&J, 0, sizeof J);
    pthread_mutex_init(&J.lock, NULL);
    gs_outputs_install_signal_handlers();
    struct timespec t0, t1, t2;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    gs_hpo_t *h = gs_hpo_load(data, &err);
    if (!h) goto out;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (gs_pheno_load_profiles(h, hpo, nhpo, pk, npk, table, &ps, &n, &err)) goto out;
    if (n > 1 && !outdir) { ksprintf(&err, "%d patients: give -o DIR for one <id>.tsv each", n); goto out; }
    for (int i = 0; i < n; i++) {
        if (!ps[i].id[0] || strchr(ps[i].id, '/') || !strcmp(ps[i].id, ".") || !strcmp(ps[i].id, "..")) {
            ksprintf(&err, "patient id '%s' cannot be a file name", ps[i].id); goto out;
        }
        for (int k = 0; k < i && outdir; k++)
            if (!strcmp(ps[i].id, ps[k].id)) { ksprintf(&err, "two patients have the id '%s'", ps[i].id); goto out; }
    }
    gs_pheno_warn_unknown(h, ps, n);
    if (cands && read_candidates(h, cands, &J, &err)) goto out;
    if (outdir && !force)
        for (int i = 0; i < n; i++) {
            kstring_t f = {0};
            ksprintf(&f, "%s/%s.tsv", outdir, ps[i].id);
            struct stat st;
            int there = stat(f.s, &st) == 0;
            free(f.s);
            if (there) { ksprintf(&err, "%s: already holds %s.tsv; use --force to overwrite", outdir, ps[i].id); goto out; }
        }
    if (outdir && gs_output_dir(outdir, &err)) goto out;
    J.h = h; J.ps = ps; J.n = n; J.outdir = outdir; J.top = top < 0 ? 1L << 40 : top;
    if (threads > n) threads = n;
    pthread_t *tid = malloc(threads * sizeof *tid);
    for (int i = 1; i < threads; i++) pthread_create(&tid[i], NULL, worker, &J);
    worker(&J);
    for (int i = 1; i < threads; i++) pthread_join(tid[i], NULL);
    free(tid);
    if (J.failed) { kputs(J.err.s, &err); gs_outputs_abort(); goto out; }
    if (gs_outputs_commit(&err)) goto out;
    clock_gettime(CLOCK_MONOTONIC, &t2);
    if (!quiet)
        fprintf(stderr, "genesieve: HPO %s: %d terms, %d genes loaded in %.3f s; %d patient%s scored in %.3f s\n",
                gs_hpo_version(h), gs_hpo_nterms(h), gs_hpo_ngenes(h),
                (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, n, n == 1 ? "" : "s",
                (t2.tv_sec - t1.tv_sec) + (t2.tv_nsec - t1.tv_nsec) / 1e9);
    ret = 0;
out:
    if (ret) fprintf(stderr, "genesieve: error: %s\n", err.s ? err.s : "failed");
    for (int i = 0; i < n; i++) gs_hpo_profile_free(&ps[i]);
    free(ps);
    for (int i = 0; i < J.ncand; i++) free(J.cand_names[i]);
    free(J.cand_names); free(J.cand); free(J.err.s);
    pthread_mutex_destroy(&J.lock);
    gs_hpo_free(h);
    free(err.s); free(hpo); free(pk);
    return ret;
}

/* ---- phenotypes in run and merge ---- */

struct gs_pheno_ctx {
    gs_hpo_t *h;
    gs_hpo_profile_t *ps;
    int n;
    int nall;                   /* the first nall profiles (--hpo) go to every affected patient */
    char **src;                 /* where each profile came from, for messages */
};

gs_pheno_ctx_t *gs_pheno_prepare(const gs_pheno_opts_t *o, kstring_t *err)
{
    if (!o->data) { ksprintf(err, "phenotypes need the HPO release: give --hpo-data DIR"); return NULL; }
    if (!o->nhpo && !o->npk && !o->table) { ksprintf(err, "--hpo-data given without patient terms (--hpo, --phenopacket or --hpo-table)"); return NULL; }
    if (o->nhpo > 1) { ksprintf(err, "--hpo given twice; use --hpo-table for several patients"); return NULL; }
    gs_pheno_ctx_t *c = calloc(1, sizeof *c);
    if (!(c->h = gs_hpo_load(o->data, err))) { free(c); return NULL; }
    c->nall = o->nhpo;
    if (gs_pheno_load_profiles(c->h, o->hpo, o->nhpo, o->packets, o->npk, o->table, &c->ps, &c->n, err)) {
        gs_pheno_ctx_free(c);
        return NULL;
    }
    gs_pheno_warn_unknown(c->h, c->ps, c->n);
    return c;
}

void gs_pheno_ctx_free(gs_pheno_ctx_t *c)
{
    if (!c) return;
    for (int i = 0; i < c->n; i++) gs_hpo_profile_free(&c->ps[i]);
    free(c->ps);
    gs_hpo_free(c->h);
    free(c);
}

int gs_pheno_attach(gs_pheno_ctx_t *c, gs_results_t *r, const gs_sample_t *smp, int nsmp, kstring_t *err)
{
    const gs_hpo_profile_t **prof = calloc(nsmp + 1, sizeof *prof);
    int ntable = 0, nmatched = 0;
    for (int i = c->nall; i < c->n; i++) {
        const gs_hpo_profile_t *p = &c->ps[i];
        const char *name = p->vcf_sample ? p->vcf_sample : p->id;
        int s = -1;
        for (int k = 0; k < nsmp && s < 0; k++) if (!strcmp(smp[k].name, name)) s = k;
        ntable += p->from_table;
        if (s < 0 && p->from_table) continue; /* one table for many runs */
        nmatched += p->from_table;
        if (s < 0) {
            ksprintf(err, "phenotype of '%s': no sample of that name in the input", name);
            free(prof);
            return -1;
        }
        if (prof[s]) { ksprintf(err, "sample '%s' has two phenotype profiles", name); free(prof); return -1; }
        if (smp[s].affected != 1)
            fprintf(stderr, "genesieve: warning: sample '%s' has HPO terms but is not affected in the PED: not ranked\n", name);
        prof[s] = p;
    }
    if (ntable && !nmatched) {
        ksprintf(err, "the phenotype table names none of the input's samples");
        free(prof);
        return -1;
    }
    for (int k = 0; k < nsmp && c->nall; k++)
        if (smp[k].affected == 1 && !prof[k]) prof[k] = &c->ps[0];
    gs_pheno_t **ph = calloc(nsmp + 1, sizeof *ph);
    for (int k = 0; k < nsmp; k++)
        if (prof[k] && smp[k].affected == 1) ph[k] = gs_pheno_score(c->h, prof[k]);
    gs_results_set_phenotypes(r, c->h, ph, prof);
    return 0;
}
