/* output.c -- atomic outputs and the per-patient ranked gene lists. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>
#include <ctype.h>
#include <math.h>
#include <time.h>

#include "annot.h"
#include "hpo.h"
#include "fmt.h"
#include "output.h"
#include "spill.h"
#include "stages/builtin.h"

/* ------------------------------------------------------------------ */
/* Atomic files                                                        */

struct output_file {
    FILE *fp;
    char *path, *tmp; /* tmp NULL for stdout and devices */
    int direct;       /* written in place (a device or FIFO) */
};

/* Temporary files: written and waiting to be renamed (pending), or still being
 * written (open).  The lists grow; a signal handler reads them, so every change
 * happens with signals blocked. */
static volatile sig_atomic_t npending_sig;
static char **pending_tmp, **pending_final;
static int npending, mpending;
static char **open_tmp;
static int nopen, mopen;

/* the lists are also changed by the thread that writes candidates.vcf.gz
 * (while it runs, every thread blocks signals): a lock besides */
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;

static void block_signals(sigset_t *old)
{
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, old);
    pthread_mutex_lock(&reg_lock);
}

static void restore_signals(const sigset_t *old)
{
    pthread_mutex_unlock(&reg_lock);
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

static void add_pending(char *tmp, char *final)
{
    sigset_t old;
    block_signals(&old);
    if (npending == mpending) {
        mpending = mpending ? 2 * mpending : 64;
        pending_tmp = realloc(pending_tmp, mpending * sizeof(char *));
        pending_final = realloc(pending_final, mpending * sizeof(char *));
    }
    pending_tmp[npending] = tmp;
    pending_final[npending] = final;
    npending++;
    npending_sig = npending;
    restore_signals(&old);
}

static void add_open(char *tmp)
{
    sigset_t old;
    block_signals(&old);
    if (nopen == mopen) {
        mopen = mopen ? 2 * mopen : 16;
        open_tmp = realloc(open_tmp, mopen * sizeof(char *));
    }
    open_tmp[nopen++] = tmp;
    restore_signals(&old);
}

static char *busy_tmp[4];   /* written by other code (candidates.vcf.gz and its index) */
static volatile sig_atomic_t nbusy;

void gs_outputs_busy(const char *tmp)
{
    sigset_t old;
    block_signals(&old);
    if (nbusy < 4) { busy_tmp[nbusy] = strdup(tmp); nbusy = nbusy + 1; }
    restore_signals(&old);
}

void gs_outputs_idle(void)
{
    sigset_t old;
    block_signals(&old);
    int n = nbusy;
    nbusy = 0;
    for (int i = 0; i < n; i++) { free(busy_tmp[i]); busy_tmp[i] = NULL; }
    restore_signals(&old);
}

static void on_signal(int sig)
{
    for (int i = 0; i < nbusy; i++) if (busy_tmp[i]) unlink(busy_tmp[i]);
    for (int i = 0; i < nopen; i++) if (open_tmp[i]) unlink(open_tmp[i]);
    for (int i = 0; i < npending_sig; i++) if (pending_tmp[i]) unlink(pending_tmp[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

void gs_outputs_install_signal_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static void forget_open(const char *tmp)
{
    sigset_t old;
    block_signals(&old);
    for (int i = 0; i < nopen; i++)
        if (open_tmp[i] == tmp) { open_tmp[i] = open_tmp[--nopen]; break; }
    restore_signals(&old);
}

output_file_t *output_open(const char *path, kstring_t *err)
{
    output_file_t *f = calloc(1, sizeof(*f));
    f->path = strdup(path);
    if (!strcmp(path, "-")) {
        f->fp = stdout;
        return f;
    }
    /* a device or FIFO (/dev/stdout, /dev/full, a pipe) cannot be replaced atomically: write to it */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        f->fp = fopen(path, "w");
        if (!f->fp) {
            gs_kfmt(err, "%s: cannot write: %s", path, strerror(errno));
            free(f->path);
            free(f);
            return NULL;
        }
        f->direct = 1;
        return f;
    }
    /* temporary name in the same directory, so rename() is atomic */
    const char *slash = strrchr(path, '/');
    kstring_t t = KS_INITIALIZE;
    if (slash) kputsn(path, slash - path + 1, &t);
    gs_kfmt(&t, ".%s.tmp.%ld", slash ? slash + 1 : path, (long)getpid());
    f->tmp = t.s;
    f->fp = fopen(f->tmp, "w");
    if (!f->fp) {
        gs_kfmt(err, "%s: cannot write: %s", path, strerror(errno));
        free(f->tmp); free(f->path); free(f);
        return NULL;
    }
    add_open(f->tmp);
    return f;
}

int output_write(output_file_t *f, const char *s, size_t len)
{
    return fwrite(s, 1, len, f->fp) == len && !ferror(f->fp) ? 0 : -1;
}

int output_commit(output_file_t *f, kstring_t *err)
{
    int ret = 0;
    if (f->direct) {
        int bad = ferror(f->fp) | (fflush(f->fp) != 0);
        int e = errno;
        if (fclose(f->fp) != 0 || bad) {
            gs_kfmt(err, "%s: write failed: %s", f->path, strerror(e ? e : EIO));
            ret = -1;
        }
        free(f->path);
        free(f);
        return ret;
    }
    if (f->fp == stdout) {
        if (fflush(stdout) != 0) { gs_kfmt(err, "standard output: write failed: %s", strerror(errno)); ret = -1; }
        free(f->path);
        free(f);
        return ret;
    }
    int bad = ferror(f->fp);
    if (fclose(f->fp) != 0 || bad) {
        gs_kfmt(err, "%s: write failed: %s", f->path, strerror(errno ? errno : EIO));
        forget_open(f->tmp);
        unlink(f->tmp);
        free(f->tmp); free(f->path); free(f);
        return -1;
    }
    /* renamed with every other output once the whole run has succeeded */
    add_pending(f->tmp, f->path);
    forget_open(f->tmp);
    free(f);
    return 0;
}

void gs_outputs_add_pending(const char *tmp, const char *final)
{
    add_pending(strdup(tmp), strdup(final));
}

void output_abort(output_file_t *f)
{
    if (!f) return;
    if (f->direct) {
        fclose(f->fp);
    } else if (f->fp != stdout) {
        fclose(f->fp);
        forget_open(f->tmp);
        unlink(f->tmp);
        free(f->tmp);
    }
    free(f->path);
    free(f);
}

int gs_outputs_commit(kstring_t *err)
{
    /* no signal handler may look at the list while it changes */
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    int ret = 0;
    for (int i = 0; i < npending; i++) {
        if (!ret && rename(pending_tmp[i], pending_final[i]) != 0) {
            gs_kfmt(err, "%s: cannot rename into place: %s", pending_final[i], strerror(errno));
            ret = -1;
        }
        if (ret) unlink(pending_tmp[i]);
    }
    for (int i = 0; i < npending; i++) { free(pending_tmp[i]); free(pending_final[i]); }
    npending = 0;
    npending_sig = 0;
    free(pending_tmp);
    free(pending_final);
    pending_tmp = pending_final = NULL;
    mpending = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    return ret;
}

void gs_outputs_abort(void)
{
    sigset_t old;
    block_signals(&old);
    for (int i = 0; i < npending; i++) {
        unlink(pending_tmp[i]);
        free(pending_tmp[i]);
        free(pending_final[i]);
    }
    npending = 0;
    npending_sig = 0;
    free(pending_tmp);
    free(pending_final);
    pending_tmp = pending_final = NULL;
    mpending = 0;
    free(open_tmp);
    open_tmp = NULL;
    nopen = mopen = 0;
    restore_signals(&old);
}

int gs_output_dir_check(const char *dir, int force, kstring_t *err)
{
    if (force) return 0;
    DIR *d = opendir(dir);
    if (!d) return 0; /* created later */
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        found = (n > 10 && !strcmp(e->d_name + n - 10, ".genes.tsv")) || !strcmp(e->d_name, "candidates.vcf.gz");
    }
    closedir(d);
    if (found) gs_kfmt(err, "%s: already holds GeneSieve results; use --force to overwrite them", dir);
    return found ? -1 : 0;
}

int gs_output_dir(const char *dir, kstring_t *err)
{
    if (!*dir) {
        gs_kfmt(err, "the output directory name is empty");
        return -1;
    }
    kstring_t p = KS_INITIALIZE;
    kputs(dir, &p);
    for (char *s = p.s + 1; ; s++) {
        if (*s == '/' || !*s) {
            char c = *s;
            *s = 0;
            if (mkdir(p.s, 0777) != 0 && errno != EEXIST) {
                gs_kfmt(err, "%s: cannot create output directory: %s", p.s, strerror(errno));
                ks_free(&p);
                return -1;
            }
            *s = c;
            if (!c) break;
        }
    }
    struct stat st;
    int ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    if (!ok) gs_kfmt(err, "%s: not a directory", dir);
    ks_free(&p);
    return ok ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* Per-patient results                                                 */

typedef struct sample_res {
    int n, m;
    gs_result_gene_t **g;
} sample_res_t;

struct gs_results {
    int nsmp, uses_modes;
    const gs_hpo_t *hpo;
    gs_pheno_t **pheno;         /* per sample, NULL = no phenotype */
    const gs_hpo_profile_t **prof;
    int **members, *nmembers;   /* per patient: family, patient first */
    const gs_sample_t *samples;
    sample_res_t *s;
    gs_spill_t *store;          /* stashed genes' variants */
    kstring_t stash;            /* a gene's record, being built */
};

gs_results_t *gs_results_init(int nsmp, const gs_sample_t *samples, int uses_modes)
{
    gs_results_t *r = calloc(1, sizeof(*r));
    r->uses_modes = uses_modes;
    r->nsmp = nsmp;
    r->samples = samples;
    r->s = calloc(nsmp ? nsmp : 1, sizeof(sample_res_t));
    r->members = calloc(nsmp ? nsmp : 1, sizeof(int *));
    r->nmembers = calloc(nsmp ? nsmp : 1, sizeof(int));
    for (int i = 0; i < nsmp; i++) {
        if (samples[i].affected != 1) continue;
        r->members[i] = malloc(nsmp * sizeof(int));
        r->members[i][r->nmembers[i]++] = i;
        for (int j = 0; j < nsmp; j++)
            if (j != i && !strcmp(samples[j].family, samples[i].family)) r->members[i][r->nmembers[i]++] = j;
    }
    return r;
}

void gs_result_gene_push_var(gs_result_gene_t *g, const gs_result_var_t *v)
{
    if (g->nvar == g->mvar) {
        g->mvar = g->mvar ? 2 * g->mvar : 4;
        g->vars = realloc(g->vars, g->mvar * sizeof(*g->vars));
    }
    /* keep position order (a gene joined from two partial results) */
    int at = g->nvar;
    while (at > 0 && g->vars[at - 1].pos > v->pos) at--;
    memmove(&g->vars[at + 1], &g->vars[at], (g->nvar - at) * sizeof(*g->vars));
    g->vars[at] = *v;
    g->nvar++;
    gs_variant_terms(&g->vars[at]);
    g->vars[at].score = g->vars[at].rarity + g->vars[at].deleterious + g->vars[at].clinvar;
    if (v->severity < g->best_severity) g->best_severity = v->severity;
}

/* A stashed gene is its variants one after the other: the gs_result_var_t as
 * it is in memory (its pointers are rewritten when read back), the family's
 * calls, then REF, ALT and the pair's key NUL-terminated, padded to 8 bytes. */
static void phenotype_gene(const gs_results_t *r, gs_result_gene_t *g);

int gs_results_stash(gs_results_t *r, gs_result_gene_t *g, kstring_t *err)
{
    phenotype_gene(r, g); /* the score's mode uses the gene's HPO modes of inheritance */
    gs_result_gene_score(g, r->uses_modes);
    if (!r->store && !(r->store = gs_spill_init(gs_spill_default_cap()))) {
        gs_kfmt(err, "out of memory");
        return -1;
    }
    int nm = r->nmembers[g->patient];
    kstring_t *b = &r->stash;
    b->l = 0;
    for (int i = 0; i < g->nvar; i++) {
        const gs_result_var_t *v = &g->vars[i];
        kputsn_(v, sizeof(*v), b);
        kputsn_(v->fam, nm * sizeof(gs_call_t), b);
        kputsn_(v->ref, strlen(v->ref) + 1, b);
        kputsn_(v->alt, strlen(v->alt) + 1, b);
        if (v->pair) kputsn_(v->pair, strlen(v->pair) + 1, b);
        gs_put_pad8(b);
    }
    if (gs_spill_put(r->store, b->s, b->l, &g->stash_off, err) < 0) return -1;
    g->stash_len = b->l;
    g->stash_max_af = gs_result_gene_max_af(g);
    for (int i = 0; i < g->nvar; i++) {
        free(g->vars[i].ref);
        free(g->vars[i].alt);
        free(g->vars[i].pair);
        free(g->vars[i].fam);
    }
    free(g->vars);
    g->vars = NULL;
    g->mvar = 0;
    g->stashed = 1;
    return 0;
}

const gs_result_gene_t *gs_results_load(const gs_results_t *r, const gs_result_gene_t *g, gs_gene_view_t *v,
                                        kstring_t *err)
{
    if (!g->stashed) return g;
    if (v->mraw < g->stash_len) {
        free(v->raw);
        v->mraw = g->stash_len;
        v->raw = malloc(v->mraw);
    }
    if (v->mvars < g->nvar) {
        free(v->vars);
        v->mvars = g->nvar;
        v->vars = malloc(v->mvars * sizeof(gs_result_var_t));
    }
    if ((g->stash_len && !v->raw) || (g->nvar && !v->vars)) {
        gs_kfmt(err, "out of memory reading back the variants of %s", g->gene);
        return NULL;
    }
    if (gs_spill_get(r->store, g->stash_off, v->raw, g->stash_len, err) < 0) return NULL;
    int nm = r->nmembers[g->patient];
    char *p = v->raw;
    for (int i = 0; i < g->nvar; i++) {
        gs_result_var_t *x = &v->vars[i];
        memcpy(x, p, sizeof(*x));
        p += sizeof(*x);
        x->fam = (gs_call_t *)p;
        p += nm * sizeof(gs_call_t);
        x->ref = p;
        p += strlen(p) + 1;
        x->alt = p;
        p += strlen(p) + 1;
        if (x->pair) {
            x->pair = p;
            p += strlen(p) + 1;
        }
        p += (8 - (uintptr_t)(p - v->raw) % 8) % 8;
    }
    v->g = *g;
    v->g.vars = v->vars;
    return &v->g;
}

double gs_result_gene_max_af(const gs_result_gene_t *g)
{
    if (g->stashed) return g->stash_max_af;
    double max_af = -1;
    for (int v = 0; v < g->nvar; v++) if (g->vars[v].af > max_af) max_af = g->vars[v].af;
    return max_af;
}

void gs_gene_view_free(gs_gene_view_t *v)
{
    free(v->vars);
    free(v->raw);
    memset(v, 0, sizeof(*v));
}

int gs_run_time(time_t *out, kstring_t *err)
{
    /* reproducible builds' convention: a fixed date makes reports byte-comparable */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = time(NULL);
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long x = strtoll(sde, &end, 10);
        if (*end || errno || x < 0 || x > 253402300799LL) { /* up to 9999-12-31 */
            gs_kfmt(err, "SOURCE_DATE_EPOCH='%s' is not a number of seconds since 1970", sde);
            return -1;
        }
        t = (time_t)x;
    }
    *out = t;
    return 0;
}

int gs_run_date(char *buf, size_t n, kstring_t *err)
{
    time_t t;
    if (gs_run_time(&t, err) < 0) return -1;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M UTC", &tm)) {
        gs_kfmt(err, "cannot format the date");
        return -1;
    }
    return 0;
}

int gs_results_members(const gs_results_t *r, int patient, const int **members)
{
    *members = r->members[patient];
    return r->nmembers[patient];
}

int gs_results_genes(const gs_results_t *r, int patient, gs_result_gene_t *const **genes)
{
    *genes = r->s[patient].g;
    return r->s[patient].n;
}

const gs_sample_t *gs_results_samples(const gs_results_t *r) { return r->samples; }
int gs_results_nsmp(const gs_results_t *r) { return r->nsmp; }
int gs_results_uses_modes(const gs_results_t *r) { return r->uses_modes; }

gs_result_gene_t *gs_results_add_gene(gs_results_t *r, int sample, const char *gene, const char *chrom)
{
    sample_res_t *s = &r->s[sample];
    if (s->n == s->m) {
        s->m = s->m ? 2 * s->m : 64;
        s->g = realloc(s->g, s->m * sizeof(*s->g));
    }
    gs_result_gene_t *g = calloc(1, sizeof(*g));
    g->patient = sample;
    g->gene = strdup(gene);
    g->chrom = chrom;
    g->score = -1;
    g->best_severity = gs_so_count();
    g->nfam = r->nmembers[sample];
    s->g[s->n++] = g;
    return g;
}

void gs_results_add_var(gs_results_t *r, gs_result_gene_t *g, const gs_gene_var_t *v, const gs_gene_var_t *partner)
{
    const gs_call_t *call = &v->calls[g->patient];
    if (g->nvar == g->mvar) {
        g->mvar = g->mvar ? 2 * g->mvar : 4;
        g->vars = realloc(g->vars, g->mvar * sizeof(*g->vars));
    }
    gs_result_var_t *rv = &g->vars[g->nvar++];
    memset(rv, 0, sizeof(*rv));
    rv->chrom = v->chrom;
    rv->pos = v->pos;
    rv->ref = strdup(v->ref);
    rv->alt = strdup(v->alt);
    rv->consequence = v->consequence;
    rv->severity = v->severity;
    rv->af = v->af;
    rv->nhomalt = v->nhomalt;
    rv->ev = v->ev;
    gs_variant_terms(rv);
    rv->score = rv->rarity + rv->deleterious + rv->clinvar;
    rv->gt = call->gt;
    int nm = r->nmembers[g->patient];
    rv->fam = malloc(nm * sizeof(gs_call_t));
    for (int k = 0; k < nm; k++) rv->fam[k] = v->calls[r->members[g->patient][k]];
    rv->modes = call->modes;
    rv->possible = call->possible;
    rv->pair_conf = call->pair_conf;
    if (partner) {
        kstring_t k = KS_INITIALIZE;
        gs_kfmt(&k, "%s:%lld:%s:%s", partner->chrom, (long long)partner->pos, partner->ref, partner->alt);
        rv->pair = ks_release(&k);
    }
    if (v->severity < g->best_severity) g->best_severity = v->severity;
}

/* ------------------------------------------------------------------ */
/* The score: a sum of named terms on a log10 likelihood-ratio scale   */

double gs_term_rarity(double af)
{
    /* -log10(AF) shifted so that 1 % counts 0: unseen +3, 1e-4 +2, 1e-3 +1, 5 % -0.7, floor -2 */
    double a = af > 1e-5 ? af : 1e-5;
    double r = -log10(a) - 2;
    return r < -2 ? -2 : r;
}

static double predictors(const gs_evidence_t *e)
{
    double p = 0;
    if (!isnan(e->cadd)) p += e->cadd >= 30 ? 1.0 : e->cadd >= 25 ? 0.7 : e->cadd >= 20 ? 0.4 : e->cadd < 10 ? -0.5 : 0;
    if (!isnan(e->revel)) p += e->revel >= 0.75 ? 1.0 : e->revel >= 0.5 ? 0.5 : e->revel < 0.25 ? -0.5 : 0;
    if (!isnan(e->alphamissense)) p += e->alphamissense >= 0.564 ? 0.8 : e->alphamissense < 0.34 ? -0.5 : 0;
    if (!isnan(e->spliceai)) p += e->spliceai >= 0.5 ? 1.5 : e->spliceai >= 0.2 ? 0.7 : 0;
    p += 0.3 * e->polyphen + 0.3 * e->sift;
    /* the predictors are correlated: together they move the consequence's term by at most this much */
    return p > 2 ? 2 : p < -1.5 ? -1.5 : p;
}

void gs_variant_terms(gs_result_var_t *v)
{
    v->rarity = gs_term_rarity(v->af);
    int sev, imp;
    const char *t = v->consequence;
    gs_so_lookup(t, strlen(t), &sev, &imp);
    double base = imp == GS_IMPACT_HIGH ? 2.0 : imp == GS_IMPACT_MODERATE ? 0.5 : imp == GS_IMPACT_UNKNOWN ? 0.0
                  : strstr(t, "splice") ? 0.3 : imp == GS_IMPACT_LOW ? -1.0 : -1.5;
    /* a lost stop or start codon changes the protein's length rather than
     * removing it: moderate evidence (ACMG PM4; PVS1 at moderate strength for
     * start codons, ClinGen SVI), as an in-frame indel */
    if (imp == GS_IMPACT_HIGH && (!strcmp(t, "stop_lost") || !strcmp(t, "start_lost"))) base = 0.5;
    v->deleterious = base + predictors(&v->ev);
    static const double clin[] = {0, -2.5, -1.5, 0, 0.3, 1.5, 2.0};
    v->clinvar = v->ev.clinvar >= 0 && v->ev.clinvar <= GS_CLNV_PATHOGENIC ? clin[v->ev.clinvar] : 0;
    if (v->ev.clinvar >= GS_CLNV_LIKELY_PATHOGENIC && v->ev.stars > 0) v->clinvar += 0.25 * v->ev.stars;
}

/* Segregation: how well the family supports the mode. */
static double segregation(int mode, int possible, int pair_conf)
{
    switch (mode) {
    case GS_MODE_DE_NOVO: return possible ? 0.5 : 2.0;
    case GS_MODE_AR_HOM: return possible ? 0.5 : 1.5;
    case GS_MODE_COMP_HET: return pair_conf == GS_PAIR_PROVEN ? 1.5 : pair_conf == GS_PAIR_LIKELY ? 1.0 : 0.3;
    case GS_MODE_X_RECESSIVE: return possible ? 0.5 : 1.5;
    case GS_MODE_X_DOMINANT: return possible ? 0.2 : 1.0;
    case GS_MODE_AD_INHERITED: return possible ? 0.0 : 1.0;
    case GS_MODE_MITOCHONDRIAL: return possible ? 0.3 : 1.0;
    }
    return 0;
}

static unsigned mode_moi(int mode)
{
    switch (mode) {
    case GS_MODE_DE_NOVO: case GS_MODE_AD_INHERITED: return GS_MOI_MONOALLELIC | GS_MOI_XLINKED;
    case GS_MODE_AR_HOM: case GS_MODE_COMP_HET: return GS_MOI_BIALLELIC;
    case GS_MODE_X_RECESSIVE: case GS_MODE_X_DOMINANT: return GS_MOI_XLINKED;
    case GS_MODE_MITOCHONDRIAL: return GS_MOI_MITO;
    }
    return ~0u;
}

/* Panel: green +2, amber +1, red 0; a mode the panel's inheritance rules out -1. */
static double panel_term(const gs_result_gene_t *g, int mode)
{
    if (!g->panel_level) return 0;
    if (g->panel_moi && mode >= 0 && !(g->panel_moi & mode_moi(mode))) return -1.0;
    return g->panel_level == 3 ? 2.0 : g->panel_level == 2 ? 1.0 : 0.0;
}

/* key is "CHROM:POS:REF:ALT" of v? */
static int var_is(const gs_result_var_t *v, const char *key)
{
    size_t n = strlen(v->chrom);
    if (strncmp(key, v->chrom, n) || key[n] != ':') return 0;
    key += n + 1;
    char *e;
    if (!isdigit((unsigned char)*key) || strtoll(key, &e, 10) != (long long)v->pos || *e != ':') return 0; /* keys are ours: %lld */
    key = e + 1;
    n = strlen(v->ref);
    if (strncmp(key, v->ref, n) || key[n] != ':') return 0;
    return !strcmp(key + n + 1, v->alt);
}

/* Inheritance fit: the mode against the modes of inheritance of the gene's HPO
 * diseases, log10 likelihood ratios measured on phenopacket-store's
 * development half against random annotated genes (tests/bench/moi_calib.py):
 * one allele in a gene whose diseases are all recessive -1.05, else +0.3; two
 * alleles in a gene whose diseases are all dominant -0.55, else +0.1; X-linked
 * and mitochondrial modes -1.05 when no disease is (not measured: as one
 * allele). Only for annotated genes (the phenotype term covers the others),
 * and not for a gene on a panel that gives its mode (the panel term has). */
static double inheritance_term(const gs_result_gene_t *g, int mode)
{
    if (!(g->hpo_moi & GS_HPO_ANNOTATED) || mode < 0 || (g->panel_level && g->panel_moi)) return 0;
    unsigned m = g->hpo_moi & ~GS_HPO_ANNOTATED;
    switch (mode) {
    case GS_MODE_DE_NOVO: case GS_MODE_AD_INHERITED:
        return !m || (m & GS_MOI_MONOALLELIC) ? 0.3 : m & GS_MOI_XLINKED ? 0 : -1.05;
    case GS_MODE_AR_HOM: case GS_MODE_COMP_HET:
        return !m || (m & GS_MOI_BIALLELIC) ? 0.1 : -0.55;
    }
    return !m || (m & mode_moi(mode)) ? 0 : -1.05;
}

void gs_moi_names(unsigned moi, kstring_t *s)
{
    static const char *name[] = {"autosomal dominant", "autosomal recessive", "X-linked", "mitochondrial"};
    size_t l0 = s->l;
    for (int i = 0; i < 4; i++)
        if (moi & (1u << i)) gs_kfmt(s, "%s%s", s->l > l0 ? ", " : "", name[i]);
    if (s->l == l0) kputs("not given", s);
}

/* Has a relative of the patient a called genotype at this variant? Without
 * one nothing about segregation was observed (a singleton): a mode that fits
 * only "possibly" gains nothing from it. */
static int relative_called(const gs_result_gene_t *g, const gs_result_var_t *v)
{
    for (int k = 1; k < g->nfam; k++)
        if (v->fam[k].gt != GS_GT_MISSING && v->fam[k].pass) return 1;
    return 0;
}

/* Dominant-like modes: homozygotes in the population speak against them. */
static double hom_penalty(int mode, int nhomalt)
{
    if (nhomalt <= 0 || !(mode == GS_MODE_DE_NOVO || mode == GS_MODE_AD_INHERITED || mode == GS_MODE_X_DOMINANT)) return 0;
    double p = log10(1.0 + nhomalt);
    return p > 2 ? -2 : -p;
}

static void consider(gs_result_gene_t *g, int mode, int possible, int conf, double seg, double rar, double del,
                     double clin, int best_var)
{
    double pan = panel_term(g, mode), inh = inheritance_term(g, mode);
    double sc = seg + rar + del + clin + pan + inh;
    if (sc > g->score) {
        g->score = sc;
        g->mode = mode;
        g->mode_possible = possible;
        g->c_segregation = seg;
        g->c_rarity = rar;
        g->c_deleterious = del;
        g->c_clinvar = clin;
        g->c_panel = pan;
        g->c_inheritance = inh;
        g->best_var = best_var;
        if (mode == GS_MODE_COMP_HET) g->pair_conf = conf;
    }
}

void gs_result_gene_score(gs_result_gene_t *g, int uses_modes)
{
    if (g->stashed) return; /* scored when it was stashed (its variants are no longer here) */
    g->score = -1e9;
    g->mode = -1;
    g->mode_possible = 0;
    g->pair_conf = 0;
    g->pair_a = g->pair_b = -1;
    g->best_var = -1;
    g->c_inheritance = 0;
    double best_pair = -1e9;
    int best_pair_conf = 0;
    for (int i = 0; i < g->nvar; i++) {
        const gs_result_var_t *v = &g->vars[i];
        if (!uses_modes) {
            consider(g, -1, 0, 0, 0, v->rarity, v->deleterious, v->clinvar, i);
            continue;
        }
        for (int m = 0; m < GS_NMODE; m++) {
            if (!(v->modes & GS_MODE_BIT(m))) continue;
            if (m == GS_MODE_COMP_HET) {
                int partner = -1;
                for (int j = 0; v->pair && j < g->nvar; j++)
                    if (j != i && var_is(&g->vars[j], v->pair)) partner = j;
                if (partner < 0) continue;
                const gs_result_var_t *w = &g->vars[partner];
                /* a recessive gene is as strong as the mean of its two hits (as in Exomiser) */
                double rar = (v->rarity + w->rarity) / 2, del = (v->deleterious + w->deleterious) / 2,
                       clin = (v->clinvar + w->clinvar) / 2, seg = segregation(m, 0, v->pair_conf);
                if (v->pair_conf == GS_PAIR_POSSIBLE && !relative_called(g, v) && !relative_called(g, w)) seg = 0;
                double total = seg + rar + del + clin;
                if (total > best_pair) {
                    best_pair = total;
                    best_pair_conf = v->pair_conf;
                    g->pair_a = i < partner ? i : partner;
                    g->pair_b = i < partner ? partner : i;
                }
                consider(g, m, v->pair_conf == GS_PAIR_POSSIBLE, v->pair_conf, seg, rar, del, clin, -1);
            } else {
                int possible = (v->possible & GS_MODE_BIT(m)) != 0;
                double seg = possible && !relative_called(g, v) ? 0 : segregation(m, possible, 0);
                /* homoplasmic mitochondrial variants are mostly haplogroup markers: weak evidence */
                const gs_call_t *pc = &v->fam[0];
                if (m == GS_MODE_MITOCHONDRIAL && (pc->ad_total > 0 ? (double)pc->ad_alt / pc->ad_total >= 0.95 : 1))
                    seg = possible ? 0.0 : 0.3;
                consider(g, m, possible, 0, seg, v->rarity + hom_penalty(m, v->nhomalt), v->deleterious, v->clinvar, i);
            }
        }
    }
    if (g->mode != GS_MODE_COMP_HET) g->pair_conf = best_pair_conf;
    if (g->score == -1e9) g->score = 0;
}

void gs_results_set_phenotypes(gs_results_t *r, const gs_hpo_t *h, gs_pheno_t **per_sample,
                               const gs_hpo_profile_t **profiles)
{
    r->hpo = h;
    r->pheno = per_sample;
    r->prof = profiles;
}
const gs_hpo_t *gs_results_hpo(const gs_results_t *r) { return r->hpo; }
const gs_pheno_t *gs_results_pheno(const gs_results_t *r, int patient) { return r->pheno ? r->pheno[patient] : NULL; }
const gs_hpo_profile_t *gs_results_profile(const gs_results_t *r, int patient) { return r->prof ? r->prof[patient] : NULL; }

/* log10 likelihood ratio of a gene's phenotype rank: how much more often a
 * causative gene ranks this high than a random gene does, measured on the
 * development half of phenopacket-store, each gene weighted equally
 * (tests/bench/pheno.sh, then tests/bench/pheno_calib.py; README
 * "Phenotypes"), capped at +3. Rank r of n annotated genes; 0 = the gene has
 * no annotation (35 % of causative genes there, 76 % of protein-coding genes). */
#define PHENO_LR_TABLE {0.00021, 3.0}, {0.00041, 2.9}, {0.00103, 2.65}, {0.00205, 2.2}, {0.0041, 2.0}, \
    {0.01024, 1.5}, {0.02047, 1.05}, {0.04093, 0.7}, {0.10231, 0.3}, {0.20461, -0.05}, {1.0, -0.45}
#define PHENO_LR_UNANNOTATED (-0.34)
double gs_term_phenotype(int rank, int n)
{
    static const struct { double q, lr; } tab[] = { PHENO_LR_TABLE };
    if (rank <= 0 || n <= 0) return PHENO_LR_UNANNOTATED;
    double q = rank / (double)n;
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (q <= tab[i].q) return tab[i].lr;
    return tab[sizeof tab / sizeof tab[0] - 1].lr;
}

/* Before scoring: a gene's HPO index, phenotype rank and its diseases' modes
 * of inheritance (which the mode's score uses). */
static void phenotype_gene(const gs_results_t *r, gs_result_gene_t *g)
{
    const gs_pheno_t *ph = r->pheno ? r->pheno[g->patient] : NULL;
    g->pheno_gene = -1;
    g->pheno_rank = 0;
    g->hpo_moi = 0;
    if (!ph) return;
    g->pheno_gene = gs_hpo_gene(r->hpo, g->gene);
    g->pheno_rank = g->pheno_gene >= 0 ? gs_pheno_rank(ph, g->pheno_gene) : 0;
    g->hpo_moi = g->pheno_gene >= 0 ? GS_HPO_ANNOTATED | gs_hpo_gene_moi(r->hpo, g->pheno_gene) : 0;
}

static void phenotype_genes(const gs_results_t *r, int patient, sample_res_t *s)
{
    (void)patient;
    for (int k = 0; k < s->n; k++) phenotype_gene(r, s->g[k]);
}

/* After scoring: the phenotype rank's term joins the score; the phenotype
 * column shows it with the inheritance fit the score already has. */
static void phenotype_terms(const gs_results_t *r, int patient, sample_res_t *s)
{
    const gs_pheno_t *ph = r->pheno ? r->pheno[patient] : NULL;
    int n = r->hpo ? gs_hpo_ngenes(r->hpo) : 0;
    for (int k = 0; k < s->n; k++) {
        gs_result_gene_t *g = s->g[k];
        g->c_phenotype = 0;
        if (!ph) continue;
        double t = gs_term_phenotype(g->pheno_rank, n);
        g->c_phenotype = t + g->c_inheritance;
        g->score += t;
    }
}

/* Higher score first; then the better phenotype rank (the phenotype term is
 * binned: within a bin a better rank is still more likely), more severe
 * consequence, gene name, chromosome. */
int gs_result_gene_cmp(const void *a, const void *b)
{
    const gs_result_gene_t *x = *(gs_result_gene_t *const *)a, *y = *(gs_result_gene_t *const *)b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    if (x->pheno_rank != y->pheno_rank) { /* 0: not annotated, last */
        if (!x->pheno_rank || !y->pheno_rank) return x->pheno_rank ? -1 : 1;
        return x->pheno_rank < y->pheno_rank ? -1 : 1;
    }
    if (x->best_severity != y->best_severity) return x->best_severity < y->best_severity ? -1 : 1;
    int c = strcmp(x->gene, y->gene);
    if (c) return c;
    return strcmp(x->chrom, y->chrom);
}

const char *gs_gt_name(int gt)
{
    switch (gt) {
    case GS_GT_HET: return "het";
    case GS_GT_HOM: return "hom";
    case GS_GT_HEMI: return "hemi";
    case GS_GT_REF: return "ref";
    }
    return "missing";
}

/* File name for a sample: keep it inside DIR whatever the sample is called. */
static void sample_file(kstring_t *s, const char *dir, const char *name, const char *suffix)
{
    gs_kfmt(s, "%s/", dir);
    if (*name == '.') kputc('_', s);
    for (const char *p = name; *p; p++)
        kputc(*p == '/' || *p == '\\' || (unsigned char)*p < 32 ? '_' : *p, s);
    kputs(suffix, s);
}

static void put_af(kstring_t *s, double af)
{
    if (af < 0) kputc('.', s);
    else gs_kput_g6(af, s);
}

int gs_output_names_unique(const char *dir, const gs_sample_t *smp, int n, kstring_t *err)
{
    kstring_t a = KS_INITIALIZE, b = KS_INITIALIZE;
    int ret = 0;
    for (int i = 0; i < n && !ret; i++) {
        if (smp[i].affected != 1) continue;
        a.l = 0;
        sample_file(&a, dir, smp[i].name, "");
        for (int j = i + 1; j < n && !ret; j++) {
            if (smp[j].affected != 1) continue;
            b.l = 0;
            sample_file(&b, dir, smp[j].name, "");
            if (!strcmp(a.s, b.s)) {
                gs_kfmt(err, "samples '%s' and '%s' would both write %s.genes.tsv; rename one of them",
                         smp[i].name, smp[j].name, a.s);
                ret = -1;
            }
        }
    }
    ks_free(&a);
    ks_free(&b);
    return ret;
}

typedef struct {
    const gs_results_t *r;
    long max_genes;
    const gs_run_info_t *info;
    const char *dir;
    kstring_t err;
    int ret;
} cand_job_t;

static void *write_candidates(void *arg)
{
    cand_job_t *j = arg;
    j->ret = gs_write_candidates(j->r, j->max_genes, j->info, j->dir, &j->err);
    return NULL;
}

int gs_results_write(gs_results_t *r, const char *dir, long max_genes, const gs_run_info_t *info, kstring_t *err)
{
    kstring_t path = KS_INITIALIZE, line = KS_INITIALIZE;
    gs_gene_view_t view;
    memset(&view, 0, sizeof(view));
    int ret = 0;
    /* rank every patient, then write: candidates.vcf.gz (which needs every
     * patient's ranks) on a thread of its own when the run has threads */
    for (int i = 0; i < r->nsmp; i++) {
        if (r->samples[i].affected != 1) continue;
        sample_res_t *s = &r->s[i];
        phenotype_genes(r, i, s);
        for (int k = 0; k < s->n; k++) gs_result_gene_score(s->g[k], r->uses_modes);
        phenotype_terms(r, i, s);
        if (s->n > 1) qsort(s->g, s->n, sizeof(*s->g), gs_result_gene_cmp);
    }
    cand_job_t job = {r, max_genes, info, dir, KS_INITIALIZE, 0};
    pthread_t th;
    /* while two threads change the temporary-file lists, signals wait (the
     * handler reads those lists): both block them until the writers are done */
    sigset_t all_sigs, old_sigs;
    int threaded = 0;
    if (info->nthreads > 1) {
        sigfillset(&all_sigs);
        pthread_sigmask(SIG_BLOCK, &all_sigs, &old_sigs);
        threaded = pthread_create(&th, NULL, write_candidates, &job) == 0;
        if (!threaded) pthread_sigmask(SIG_SETMASK, &old_sigs, NULL);
    }
    for (int i = 0; i < r->nsmp && !ret; i++) {
        if (r->samples[i].affected != 1) continue;
        sample_res_t *s = &r->s[i];
        path.l = 0;
        sample_file(&path, dir, r->samples[i].name, ".genes.tsv");
        output_file_t *f = output_open(path.s, err);
        if (!f) { ret = -1; break; }
        line.l = 0;
        kputs("rank\tgene\tchrom\tscore\tmode\tsegregation\trarity\tdeleteriousness\tclinvar\tpanel\tphenotype\t"
              "n_variants\tvariants\tconsequence\tmax_af\t"
              "variant_consequences\tvariant_scores\tzygosity\tvariant_modes\tcomp_het_pair\tcomp_het_phase\t"
              "phenotype_rank\tphenotype_disease\tphenotype_matches\n", &line);
        const gs_pheno_t *ph = r->pheno ? r->pheno[i] : NULL;
        long n = max_genes > 0 && max_genes < s->n ? max_genes : s->n;
        for (long k = 0; k < n; k++) {
            const gs_result_gene_t *g = gs_results_load(r, s->g[k], &view, err);
            if (!g) { ret = -1; break; }
            gs_kfmt(&line, "%ld\t%s\t%s\t%.2f\t", k + 1, g->gene, g->chrom, g->score);
            if (g->mode < 0) kputc('.', &line);
            else {
                kputs(gs_mode_name(g->mode), &line);
                if (g->mode == GS_MODE_COMP_HET)
                    kputs(g->pair_conf == GS_PAIR_PROVEN ? ":proven" : g->pair_conf == GS_PAIR_LIKELY ? ":likely" : ":possible", &line);
                else if (g->mode_possible) kputs(":possible", &line);
            }
            gs_kfmt(&line, "\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t", g->c_segregation, g->c_rarity, g->c_deleterious,
                     g->c_clinvar, g->c_panel);
            if (ph) gs_kfmt(&line, "%.2f", g->c_phenotype);
            else kputc('.', &line);
            gs_kfmt(&line, "\t%d\t", g->nvar);
            for (int v = 0; v < g->nvar; v++)
                gs_kfmt(&line, "%s%s:%lld:%s:%s", v ? "," : "", g->vars[v].chrom, (long long)g->vars[v].pos,
                         g->vars[v].ref, g->vars[v].alt);
            gs_kfmt(&line, "\t%s\t", gs_so_term(g->best_severity));
            double max_af = gs_result_gene_max_af(g);
            put_af(&line, max_af < 0 ? 0 : max_af);
            kputc('\t', &line);
            for (int v = 0; v < g->nvar; v++) gs_kfmt(&line, "%s%s", v ? "," : "", g->vars[v].consequence);
            kputc('\t', &line);
            for (int v = 0; v < g->nvar; v++) gs_kfmt(&line, "%s%.2f", v ? "," : "", g->vars[v].score);
            kputc('\t', &line);
            for (int v = 0; v < g->nvar; v++) gs_kfmt(&line, "%s%s", v ? "," : "", gs_gt_name(g->vars[v].gt));
            kputc('\t', &line);
            for (int v = 0; v < g->nvar; v++) {
                if (v) kputc(',', &line);
                int any = 0;
                for (int m = 0; m < GS_NMODE; m++)
                    if (g->vars[v].modes & GS_MODE_BIT(m)) {
                        gs_kfmt(&line, "%s%s%s", any++ ? "|" : "", gs_mode_name(m),
                                 g->vars[v].possible & GS_MODE_BIT(m) ? "?" : "");
                    }
                if (!any) kputc('.', &line);
            }
            kputc('\t', &line);
            if (g->pair_a >= 0) {
                const gs_result_var_t *a = &g->vars[g->pair_a], *b = &g->vars[g->pair_b];
                gs_kfmt(&line, "%s:%lld:%s:%s+%s:%lld:%s:%s\t%s", a->chrom, (long long)a->pos, a->ref, a->alt, b->chrom,
                         (long long)b->pos, b->ref, b->alt,
                         g->pair_conf == GS_PAIR_PROVEN ? "proven" : g->pair_conf == GS_PAIR_LIKELY ? "likely" : "possible");
            } else {
                kputs(".\t.", &line);
            }
            if (ph && g->pheno_rank > 0) {
                const gs_pheno_gene_t *pg = &gs_pheno_genes(ph)[g->pheno_gene];
                gs_kfmt(&line, "\t%d\t%s %s\t", g->pheno_rank, gs_hpo_disease_id(r->hpo, pg->disease),
                         gs_hpo_disease_name(r->hpo, pg->disease));
                size_t l0 = line.l;
                gs_pheno_matches(ph, pg->disease, 0, &line);
                if (line.l == l0) kputc('.', &line);
            } else {
                kputs("\t.\t.\t.", &line);
            }
            kputc('\n', &line);
            if (line.l > 1 << 16) {
                if (output_write(f, line.s, line.l) < 0) break;
                line.l = 0;
            }
        }
        if (ret < 0) { output_abort(f); break; }
        if (line.l && output_write(f, line.s, line.l) < 0) { /* reported by commit */ }
        if (output_commit(f, err) < 0) { ret = -1; break; }
        path.l = 0;
        sample_file(&path, dir, r->samples[i].name, ".genes.json");
        if (gs_write_json(r, i, (const gs_result_gene_t *const *)s->g, n, info, path.s, err) < 0) { ret = -1; break; }
        path.l = 0;
        sample_file(&path, dir, r->samples[i].name, ".report.html");
        if (gs_write_html(r, i, (const gs_result_gene_t *const *)s->g, n, info, path.s, err) < 0) { ret = -1; break; }
    }
    struct timespec t_lists, t_all;
    clock_gettime(CLOCK_MONOTONIC, &t_lists);
    if (threaded) {
        pthread_join(th, NULL);
        pthread_sigmask(SIG_SETMASK, &old_sigs, NULL); /* a signal that came meanwhile is handled now */
        if (!ret && job.ret < 0) { kputs(job.err.s, err); ret = -1; }
    } else if (!ret) {
        ret = gs_write_candidates(r, max_genes, info, dir, err);
    }
    clock_gettime(CLOCK_MONOTONIC, &t_all);
    if (getenv("GENESIEVE_TIMING"))
        fprintf(stderr, "genesieve: timing: candidates.vcf.gz done %.3f s after the lists\n",
                (t_all.tv_sec - t_lists.tv_sec) + (t_all.tv_nsec - t_lists.tv_nsec) * 1e-9);
    ks_free(&job.err);
    ks_free(&path);
    ks_free(&line);
    gs_gene_view_free(&view);
    return ret;
}

void gs_results_print_summary(const gs_results_t *r, const char *dir, FILE *fp)
{
    kstring_t path = KS_INITIALIZE;
    for (int i = 0; i < r->nsmp; i++) {
        if (r->samples[i].affected != 1) continue;
        const sample_res_t *s = &r->s[i];
        path.l = 0;
        sample_file(&path, dir, r->samples[i].name, ".genes.tsv");
        fprintf(fp, "genesieve: %s: %d candidate gene%s", r->samples[i].name, s->n, s->n == 1 ? "" : "s");
        for (int k = 0; k < s->n && k < 3; k++)
            fprintf(fp, "%s%s (%.3f)", k ? ", " : "; top: ", s->g[k]->gene, s->g[k]->score);
        fprintf(fp, " -> %s\n", path.s);
    }
    ks_free(&path);
}

void gs_results_free(gs_results_t *r)
{
    if (r->pheno) {
        for (int i = 0; i < r->nsmp; i++) gs_pheno_free(r->pheno[i]);
        free(r->pheno);
    }
    free(r->prof);
    for (int i = 0; i < r->nsmp; i++) {
        for (int k = 0; k < r->s[i].n; k++) {
            gs_result_gene_t *g = r->s[i].g[k];
            for (int v = 0; g->vars && v < g->nvar; v++) {
                free(g->vars[v].ref);
                free(g->vars[v].alt);
                free(g->vars[v].pair);
                free(g->vars[v].fam);
            }
            free(g->vars);
            free(g->gene);
            free(g);
        }
        free(r->s[i].g);
        free(r->members[i]);
    }
    free(r->members);
    free(r->nmembers);
    free(r->s);
    gs_spill_free(r->store);
    ks_free(&r->stash);
    free(r);
}

/* ------------------------------------------------------------------ */
/* Plain-language reasons                                              */

static void var_label(const gs_result_var_t *v, kstring_t *s)
{
    gs_kfmt(s, "%s:%lld %s>%s", v->chrom, (long long)v->pos, v->ref, v->alt);
}

static void var_facts(const gs_result_var_t *v, kstring_t *s)
{
    gs_kfmt(s, "%s", v->consequence);
    for (char *p = s->s + s->l - strlen(v->consequence); *p; p++) if (*p == '_') *p = ' ';
    if (v->af <= 0) kputs(", not seen in population data", s);
    else gs_kfmt(s, ", population frequency %.3g%%", 100 * v->af);
    static const char *cl[] = {NULL, "benign", "likely benign", "of uncertain significance", "conflicting",
                               "likely pathogenic", "pathogenic"};
    if (v->ev.clinvar > 0 && v->ev.clinvar <= GS_CLNV_PATHOGENIC) {
        gs_kfmt(s, ", ClinVar %s", cl[(int)v->ev.clinvar]);
        if (v->ev.stars >= 0) gs_kfmt(s, " (%d star%s)", v->ev.stars, v->ev.stars == 1 ? "" : "s");
    }
    if (!isnan(v->ev.cadd)) gs_kfmt(s, ", CADD %.1f", v->ev.cadd);
    if (!isnan(v->ev.revel)) gs_kfmt(s, ", REVEL %.2f", v->ev.revel);
    if (!isnan(v->ev.spliceai)) gs_kfmt(s, ", SpliceAI %.2f", v->ev.spliceai);
    if (!isnan(v->ev.alphamissense)) gs_kfmt(s, ", AlphaMissense %.2f", v->ev.alphamissense);
}

void gs_result_gene_reason(const gs_results_t *r, const gs_result_gene_t *g, kstring_t *s)
{
    const gs_sample_t *p = &r->samples[g->patient];
    int best = g->best_var;
    for (int i = 0; best < 0 && i < g->nvar; i++)
        if (best < 0 || g->vars[i].score > g->vars[best].score) best = i;
    switch (g->mode) {
    case GS_MODE_DE_NOVO:
        gs_kfmt(s, "De novo in %s: absent from the parents", p->name);
        break;
    case GS_MODE_AR_HOM:
        gs_kfmt(s, "Autosomal recessive: %s is homozygous and the parents are carriers", p->name);
        break;
    case GS_MODE_COMP_HET:
        gs_kfmt(s, "Compound heterozygous: two variants of %s %s", g->gene,
                 g->pair_conf == GS_PAIR_PROVEN ? "proven to be on different copies of the gene (one from each parent, or read-backed phase)"
                 : g->pair_conf == GS_PAIR_LIKELY ? "likely on different copies (one de novo, one inherited)"
                                                 : "whose phase could not be determined");
        break;
    case GS_MODE_X_RECESSIVE:
        gs_kfmt(s, "X-linked recessive: %s carries it on X%s", p->name,
                 p->sex == GS_SEX_MALE ? " (hemizygous) and the mother is a carrier" : " on both copies");
        break;
    case GS_MODE_X_DOMINANT:
        gs_kfmt(s, "X-linked dominant: inherited from an affected parent");
        break;
    case GS_MODE_AD_INHERITED:
        gs_kfmt(s, "Autosomal dominant: inherited from an affected parent");
        break;
    case GS_MODE_MITOCHONDRIAL:
        gs_kfmt(s, "Mitochondrial: carried at a heteroplasmy above the threshold, maternal line");
        break;
    default:
        gs_kfmt(s, "Rare damaging variant carried by %s", p->name);
    }
    if (g->mode >= 0 && g->mode_possible && g->mode != GS_MODE_COMP_HET)
        kputs(" (possible only: a relative's genotype is missing or of low quality)", s);
    kputs(". ", s);
    if (g->mode == GS_MODE_COMP_HET && g->pair_a >= 0) {
        const gs_result_var_t *a = &g->vars[g->pair_a], *b = &g->vars[g->pair_b];
        var_label(a, s);
        kputs(" (", s);
        var_facts(a, s);
        kputs(") and ", s);
        var_label(b, s);
        kputs(" (", s);
        var_facts(b, s);
        kputc(')', s);
    } else if (best >= 0) {
        const gs_result_var_t *v = &g->vars[best];
        kputs("Best variant ", s);
        var_label(v, s);
        kputs(": ", s);
        var_facts(v, s);
    }
    gs_kfmt(s, ". Score %.1f = segregation %.1f + rarity %.1f + deleteriousness %.1f + ClinVar %.1f + panel %.1f",
             g->score, g->c_segregation, g->c_rarity, g->c_deleterious, g->c_clinvar, g->c_panel);
    if (r->pheno && r->pheno[g->patient]) gs_kfmt(s, " + phenotype %.1f", g->c_phenotype);
    if (g->mode == GS_MODE_COMP_HET) kputs(" (variant terms: mean of the pair)", s);
    if (r->pheno && r->pheno[g->patient]) {
        const gs_pheno_t *ph = r->pheno[g->patient];
        if (g->pheno_rank > 0) {
            const gs_pheno_gene_t *pg = &gs_pheno_genes(ph)[g->pheno_gene];
            gs_kfmt(s, "; phenotype: rank %d of %d annotated genes, best disease %s %s", g->pheno_rank,
                     gs_hpo_ngenes(r->hpo), gs_hpo_disease_id(r->hpo, pg->disease), gs_hpo_disease_name(r->hpo, pg->disease));
            size_t l0 = s->l;
            kputs(" (", s);
            gs_pheno_matches(ph, pg->disease, 1, s);
            if (s->l == l0 + 2) s->l = l0;
            else kputc(')', s);
        } else {
            kputs("; phenotype: the gene has no disease annotation in HPO", s);
        }
        if (g->c_inheritance != 0 && (g->hpo_moi & ~GS_HPO_ANNOTATED)) {
            kputs("; inheritance of its diseases: ", s);
            gs_moi_names(g->hpo_moi, s);
            gs_kfmt(s, " (%+.2f for this mode)", g->c_inheritance);
        }
    }
    if (g->panel_level) gs_kfmt(s, "; on the panel as %s", g->panel_level == 3 ? "green" : g->panel_level == 2 ? "amber" : "red");
    kputc('.', s);
}
