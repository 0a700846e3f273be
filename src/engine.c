/* engine.c -- one pass over a VCF/BCF: read batches of records on the main
 * thread, decode and run the variant stages on worker threads (htslib's
 * thread pool; results come back in batch order), collect the surviving
 * alleles per gene, run gene stages when a chromosome is finished, then rank
 * and write per-patient outputs. */
#define _GNU_SOURCE /* memrchr */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sys/resource.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <htslib/hts.h>
#include <htslib/kseq.h>
#include <htslib/khash.h>
#include <htslib/regidx.h>
#include <htslib/tbx.h>
#include <htslib/thread_pool.h>
#include <libdeflate.h>

#include "annot.h"
#include "engine.h"
#include "pheno.h"
#include "output.h"
#include "partial.h"
#include "ped.h"
#include "spill.h"
#include "stages/builtin.h"
#include "vcfutil.h"

#define BATCH_SIZE 1024

/* ------------------------------------------------------------------ */
/* Types                                                               */

typedef struct stage_inst {
    const gs_stage_t *st;
    const gs_params_t *p;
    void *state;
} stage_inst_t;

/* One surviving (allele, gene) pair, produced by a worker. */
typedef struct surv {
    char *gene, *ref, *alt;
    int rid;                 /* index into the run's contig names */
    int64_t pos;
    const char *consequence;
    int severity, impact;
    double af;
    int nhomalt;
    gs_evidence_t ev;
    gs_call_t *calls;
} surv_t;

typedef struct batch {
    int n, m;
    kstring_t *lines;        /* text input read line by line (regions) */
    bcf1_t **recs;           /* binary input */
    int64_t *lineno;         /* per record: input line (text) or record number */
    /* text input read in blocks: the lines are NUL-terminated in `block`,
     * `view[i]` points at line i (not owned); mview = capacity */
    kstring_t block, *view;
    int mview;
    /* compressed input read in chunks of whole BGZF blocks (see reader_chunk):
     * `raw` holds the blocks; the worker inflates them into `block`, takes the
     * complete lines between the first and the last newline, and leaves the
     * text before the first newline (head_len bytes; the end of the line the
     * previous chunk began) and after the last (from tail_off) to the main
     * thread, which joins them in order.  Line numbers are then relative to
     * the chunk (1 = the line after the first newline) until consume_batch. */
    kstring_t raw;
    int chunk, no_newline, rel_lines, truncated;
    /* BCF read in chunks: a record cut by the chunk's start, joined on the
     * main thread with the end of the previous chunk (view[0]) */
    kstring_t joined;
    /* BCF chunk: where the worker guessed the first whole record starts
     * (spec_off; spec_n >= 0 when it found one) and its walk from there:
     * spec_n records in view[1..], the last ending at spec_end */
    int64_t spec_off;
    int spec_n;
    size_t spec_end;
    size_t head_len, tail_off;
    int64_t nlines;          /* lines in the batch, blank ones included */
    /* results */
    int err;
    int64_t err_line;        /* > 0: errmsg is the text after "FILE:LINE: " */
    kstring_t errmsg, audit;
    surv_t *surv;
    int nsurv, msurv;
    uint64_t nalleles, nkept, *drops; /* drops[nstage]: per stage; drops[nstage]: core */
    char *last_chrom;        /* for progress */
    int64_t last_pos;
    /* order check: contigs in order of appearance, last position */
    int *ctgs, nctgs, mctgs;
    int64_t first_pos, first_line;
    unsigned reuse;          /* times the batch was filled */
} batch_t;

typedef struct worker {
    bcf_hdr_t *hdr;          /* private copy: vcf_parse may add undeclared tags */
    const char *ctg_name;    /* the last record's contig (interned) and its run-wide index */
    int ctg_id;
    bcf1_t *rec;
    void **tstate;
    gs_fmt_t fmt;
    gs_call_t *calls;
    uint64_t *x_het, *x_hom;   /* check-sex counters per sample */
    kstring_t why, tmp, vep_allele;
    kstring_t pruned;        /* text record without the INFO keys no stage reads */
    struct libdeflate_decompressor *inflater; /* compressed text read in chunks */
    /* BCF: the consequence stage's annotation values, found while decoding
     * (have_ann) or looked up for the pre-check */
    int ann_id[3], nann, have_ann, indiv_pending;
    gs_bcf_ids_t *ids;       /* BCF read whole: the header's ids for gs_bcf_decode */
    gs_bcf_found_t found;    /* BCF read whole: annotation values and GT, picked up by gs_bcf_decode */
    /* CSQ cache for gs_variant_csq_field */
    kstring_t csq_raw;
    char **csq_f;            /* entries * nfield pointers */
    int csq_nent, csq_ment, csq_done;
    const char **csq_vals;
    int csq_mvals;
    struct run *run;
} worker_t;

/* Variants of an open gene moved to the run's store. */
typedef struct chunk {
    int64_t off;
    size_t len;
    int n;
} chunk_t;

/* An open gene (genes close when the stream leaves their chromosome): its
 * first variants may be in chunks in the store (spill_open), the rest in vars. */
typedef struct open_gene {
    char *name;
    gs_gene_var_t *vars;
    int nvar, mvar;
    chunk_t *chunk;
    int nchunk, mchunk, nstored;
} open_gene_t;

KHASH_MAP_INIT_STR(gene, int)
KHASH_MAP_INIT_STR(ctg, int)

typedef struct run {
    const gs_opts_t *o;
    htsFile *fp;
    bcf_hdr_t *hdr;
    int is_bcf, build;
    int nsmp;
    gs_sample_t *samples;
    gs_ped_t *ped;
    int nstage;
    stage_inst_t *stages;
    int uses_modes;          /* a stage sets gs_call_t.modes */
    /* csq layout shared by workers */
    gs_ann_layout_t csq;
    int have_csq;
    gs_info_prune_t *prune;  /* INFO keys no stage reads (text input) */
    int precheck;            /* 1: stage 0 (consequence) checks records before they are parsed */
    uint64_t bcf_chunks[2];  /* BCF chunks walked by the main thread, by the worker that inflated them */
    int no_guess;            /* GENESIEVE_BCF_GUESS=0: the main thread walks every chunk (tests both ways) */
    kstring_t hdr_err;       /* why the header was refused, when we know */
    int pre_gt;              /* and stage 1 is the quality stage: records no affected sample
                                has an ALT allele in are decided on their first 8 columns */
    int check_ids;           /* BCF from the index: htslib did not check the records' ids */
    /* workers */
    int nworker;
    worker_t *workers;
    int *free_workers, nfree;
    pthread_mutex_t wlock;
    /* contigs seen, in order; names shared across threads under a lock */
    khash_t(ctg) *ctg_hash;
    char **ctg_names;
    int nctg, mctg;
    pthread_mutex_t ctg_lock;
    int *ctg_closed;
    /* genes */
    khash_t(gene) *gene_hash;
    open_gene_t *genes;
    int ngene, mgene;
    int cur_rid;             /* contig of the open genes */
    size_t open_bytes;       /* about what the open genes' variants take in memory */
    size_t spill_cap;        /* beyond it they go to the store */
    gs_spill_t *open_store;
    kstring_t ser;           /* a chunk being written or read */
    int stream_rid;          /* contig and position the input has reached */
    int64_t stream_pos;
    /* results */
    gs_results_t *res;
    output_file_t *audit;
    uint64_t nrecords, nalleles, nkept, *drops;
    uint64_t gene_drops;
    /* reader state */
    int64_t lineno, hdr_lines;
    /* progress */
    double t0, last_report;
    int want_progress;
} run_t;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ------------------------------------------------------------------ */
/* Contig names (interned, indexes stable for the run)                 */

/* The run-wide index of a contig name, and its interned copy in *interned. */
static int contig_id(run_t *r, const char *name, const char **interned)
{
    pthread_mutex_lock(&r->ctg_lock);
    khint_t k = kh_get(ctg, r->ctg_hash, name);
    int id;
    if (k != kh_end(r->ctg_hash)) {
        id = kh_val(r->ctg_hash, k);
    } else {
        if (r->nctg == r->mctg) {
            r->mctg = r->mctg ? 2 * r->mctg : 64;
            r->ctg_names = realloc(r->ctg_names, r->mctg * sizeof(char *));
            r->ctg_closed = realloc(r->ctg_closed, r->mctg * sizeof(int));
        }
        id = r->nctg++;
        r->ctg_names[id] = strdup(name);
        r->ctg_closed[id] = 0;
        int ret;
        k = kh_put(ctg, r->ctg_hash, r->ctg_names[id], &ret);
        kh_val(r->ctg_hash, k) = id;
    }
    *interned = r->ctg_names[id];
    pthread_mutex_unlock(&r->ctg_lock);
    return id;
}

/* contig_id for a worker's record: records come sorted, so the last record's
 * contig is remembered (no lock, no hash lookup) */
static inline int worker_contig(run_t *r, worker_t *w, const char *name, const char **interned)
{
    if (!w->ctg_name || strcmp(name, w->ctg_name)) w->ctg_id = contig_id(r, name, &w->ctg_name);
    *interned = w->ctg_name;
    return w->ctg_id;
}

static const char *contig_name(run_t *r, int id)
{
    pthread_mutex_lock(&r->ctg_lock);
    const char *s = r->ctg_names[id];
    pthread_mutex_unlock(&r->ctg_lock);
    return s;
}

/* ------------------------------------------------------------------ */
/* CSQ sub-fields for stages                                           */

static void csq_collect(void *data, char **f, int nf)
{
    worker_t *w = data;
    int nfield = w->run->csq.nfield;
    if (w->csq_nent == w->csq_ment) {
        w->csq_ment = w->csq_ment ? 2 * w->csq_ment : 8;
        w->csq_f = realloc(w->csq_f, (size_t)w->csq_ment * nfield * sizeof(char *));
    }
    char **dst = w->csq_f + (size_t)w->csq_nent++ * nfield;
    for (int i = 0; i < nfield; i++) dst[i] = i < nf ? f[i] : "";
}

int gs_variant_csq_field(gs_variant_t *v, const char *field, const char ***vals)
{
    worker_t *w = v->core;
    *vals = NULL;
    if (!w) return 0;
    run_t *r = w->run;
    if (!r->have_csq) return 0;
    int idx = gs_ann_field_index(&r->csq, field);
    if (idx < 0) return 0;
    if (!w->csq_done) {
        w->csq_done = 1;
        w->csq_nent = 0;
        char *buf = w->csq_raw.s;
        int m = (int)w->csq_raw.m;
        int n = bcf_get_info_string(v->hdr, v->rec, r->csq.tag, &buf, &m);
        w->csq_raw.s = buf;
        w->csq_raw.m = m;
        if (n > 0) {
            gs_vep_allele(v->rec, v->allele, &w->vep_allele);
            gs_ann_for_allele(&r->csq, w->csq_raw.s, v->rec, v->allele, w->vep_allele.s, csq_collect, w);
        }
    }
    if (w->csq_nent > w->csq_mvals) {
        w->csq_mvals = w->csq_nent;
        w->csq_vals = realloc(w->csq_vals, w->csq_mvals * sizeof(char *));
    }
    int n = 0;
    for (int e = 0; e < w->csq_nent; e++) {
        const char *s = w->csq_f[(size_t)e * r->csq.nfield + idx];
        if (*s) w->csq_vals[n++] = s;
    }
    *vals = w->csq_vals;
    return n;
}

/* A stand-alone context for gs_variant_csq_field (tests, tools): the CSQ
 * layout of hdr and one worker's buffers. */
void *gs_csq_context_new(const bcf_hdr_t *hdr)
{
    run_t *r = calloc(1, sizeof(run_t));
    worker_t *w = calloc(1, sizeof(worker_t));
    kstring_t e = KS_INITIALIZE;
    r->have_csq = gs_ann_layout_init(&r->csq, GS_ANN_CSQ, "CSQ", hdr, &e) == 0;
    ks_free(&e);
    w->run = r;
    return w;
}

void gs_csq_context_reset(void *ctx) { ((worker_t *)ctx)->csq_done = 0; }

void gs_csq_context_free(void *ctx)
{
    worker_t *w = ctx;
    if (!w) return;
    if (w->run->have_csq) gs_ann_layout_free(&w->run->csq);
    free(w->run);
    ks_free(&w->vep_allele);
    ks_free(&w->csq_raw);
    free(w->csq_f);
    free(w->csq_vals);
    free(w);
}

/* ------------------------------------------------------------------ */
/* Workers                                                             */

static worker_t *worker_take(run_t *r)
{
    pthread_mutex_lock(&r->wlock);
    worker_t *w = r->nfree ? &r->workers[r->free_workers[--r->nfree]] : NULL;
    pthread_mutex_unlock(&r->wlock);
    return w;
}

static void worker_give(run_t *r, worker_t *w)
{
    pthread_mutex_lock(&r->wlock);
    r->free_workers[r->nfree++] = (int)(w - r->workers);
    pthread_mutex_unlock(&r->wlock);
}

/* check-sex: heterozygous vs homozygous ALT calls on X outside the PARs */
static void count_x_calls(run_t *r, worker_t *w)
{
    for (int s = 0; s < r->nsmp; s++) {
        const gs_call_t *c = &w->calls[s];
        if (c->gt == GS_GT_HET && c->gq >= 20) w->x_het[s]++;
        else if ((c->gt == GS_GT_HOM || c->gt == GS_GT_HEMI) && c->gq >= 20) w->x_hom[s]++;
    }
}

/* "; modes S1=de_novo,comp_het_side? S2=..." for the affected samples a kept allele fits */
static void audit_modes(run_t *r, const gs_variant_t *v, kstring_t *s)
{
    int first = 1;
    for (int i = 0; i < r->nsmp; i++) {
        const gs_call_t *c = &v->calls[i];
        if (r->samples[i].affected != 1 || !c->modes) continue;
        ksprintf(s, "%s%s=", first ? "; modes " : " ", r->samples[i].name);
        first = 0;
        int any = 0;
        for (int m = 0; m <= GS_MODE_COMP_HET_SIDE; m++) {
            if (!(c->modes & GS_MODE_BIT(m))) continue;
            ksprintf(s, "%s%s%s", any++ ? "," : "", m == GS_MODE_COMP_HET_SIDE ? "comp_het_side" : gs_mode_name(m),
                     c->possible & GS_MODE_BIT(m) ? "?" : "");
        }
    }
}

static void audit_line(batch_t *b, const char *chrom, int64_t pos, const char *ref, const char *alt,
                       const char *status, const char *stage, const char *why)
{
    kstring_t *a = &b->audit;
    kputs(chrom, a); kputc('\t', a);
    kputll(pos, a); kputc('\t', a);
    kputs(ref, a); kputc('\t', a);
    kputs(alt, a); kputc('\t', a);
    kputs(status, a); kputc('\t', a);
    kputs(stage, a); kputc('\t', a);
    /* reasons are one line and tab-free by construction; make sure */
    for (const char *p = why; *p; p++) kputc(*p == '\t' || *p == '\n' ? ' ' : *p, a);
    kputc('\n', a);
}

static void add_surv(batch_t *b, run_t *r, worker_t *w, gs_variant_t *v, int rid)
{
    for (int g = 0; g < v->ngenes; g++) {
        if (b->nsurv == b->msurv) {
            b->msurv = b->msurv ? 2 * b->msurv : 64;
            b->surv = realloc(b->surv, b->msurv * sizeof(surv_t));
        }
        surv_t *s = &b->surv[b->nsurv++];
        s->gene = strdup(v->genes[g].gene);
        s->ref = strdup(v->rec->d.allele[0]);
        s->alt = strdup(v->rec->d.allele[v->allele]);
        s->rid = rid;
        s->pos = v->rec->pos + 1;
        s->consequence = v->genes[g].consequence;
        s->severity = v->genes[g].severity;
        s->impact = v->genes[g].impact;
        s->af = v->af;
        s->nhomalt = v->nhomalt;
        s->ev = v->ev;
        s->calls = malloc((r->nsmp ? r->nsmp : 1) * sizeof(gs_call_t));
        memcpy(s->calls, w->calls, r->nsmp * sizeof(gs_call_t));
    }
}

/* An error at an input line (text: FILE:LINE: MSG; binary: FILE: record N: MSG),
 * composed by consume_batch once the line's number is known. */
static void batch_fail(batch_t *b, int64_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    b->err = 1;
    b->err_line = line;
    b->errmsg.l = 0;
    kvsprintf(&b->errmsg, fmt, ap);
    va_end(ap);
}

/* Note the record's contig and 0-based position for the order checks; -1,
 * with the error in b, when the input is not sorted. */
static int track_order(batch_t *b, int rid, const char *chrom, int64_t pos, int64_t lineno)
{
    if (!b->nctgs || b->ctgs[b->nctgs - 1] != rid) {
        for (int k = 0; k < b->nctgs; k++)
            if (b->ctgs[k] == rid) {
                batch_fail(b, lineno, "input is not sorted: contig '%s' appears again", chrom);
                return -1;
            }
        if (b->nctgs == b->mctgs) b->ctgs = realloc(b->ctgs, (b->mctgs = b->mctgs ? 2 * b->mctgs : 4) * sizeof(int));
        b->ctgs[b->nctgs++] = rid;
        if (b->nctgs == 1) { b->first_pos = pos; b->first_line = lineno; }
    } else if (pos < b->last_pos - 1) {
        batch_fail(b, lineno, "input is not sorted: %s:%lld comes after %s:%lld", chrom, (long long)pos + 1, chrom,
                   (long long)b->last_pos);
        return -1;
    }
    b->last_chrom = (char *)chrom;
    b->last_pos = pos + 1;
    return 0;
}

/* '*' (spanning deletion) and reference-block alleles: the core drops them
 * before any stage */
static int core_allele(const char *alt, size_t n)
{
    return (n == 1 && alt[0] == '*') || (n == 9 && !memcmp(alt, "<NON_REF>", 9)) || (n == 3 && !memcmp(alt, "<*>", 3));
}

/* Before parsing, when the pipeline starts with the consequence stage (and
 * without --audit): a record that stage would drop whole (most of a genome: no
 * annotation entry of any allele is of a kept kind) is counted and dropped on
 * what little it takes to see that, each allele against that stage (stage 0)
 * or the core. */
static void predrop_allele(run_t *r, batch_t *b, const char *alt, size_t n)
{
    b->nalleles++;
    b->drops[core_allele(alt, n) ? r->nstage : 0]++;
}

/* An allele of rec as the stages see it (annotations not yet set; the
 * worker's CSQ cache is reset for it). */
static gs_variant_t variant_new(run_t *r, worker_t *w, bcf1_t *rec, int ai, const char *chrom, int x_nonpar,
                                int y_nonpar, int mito, int explain)
{
    gs_variant_t v = {0};
    v.hdr = w->hdr;
    v.rec = rec;
    v.allele = ai;
    v.chrom = chrom;
    v.x_nonpar = x_nonpar;
    v.y_nonpar = y_nonpar;
    v.mito = mito;
    v.nsmp = r->nsmp;
    v.calls = w->calls;
    v.samples = r->samples;
    v.af = -1;
    v.ev = (gs_evidence_t){NAN, NAN, NAN, NAN, 0, 0, GS_CLNV_NONE, -1};
    v.nhomalt = -1;
    v.core = w;
    v.explain = explain;
    w->csq_done = 0;
    return v;
}

/* FORMAT and the sample columns of a text record (from `fmt`): 1 when FORMAT
 * starts with GT and no affected sample's GT names an ALT allele (only 0, '.',
 * '/' and '|'), so that no affected sample carries any ALT allele. */
static int no_affected_alt(const run_t *r, const char *fmt, const char *e)
{
    const char *t = memchr(fmt, '\t', e - fmt);
    if (!t || t - fmt < 2 || fmt[0] != 'G' || fmt[1] != 'T' || (t - fmt > 2 && fmt[2] != ':')) return 0;
    const char *p = t + 1;
    for (int k = 0; k < r->nsmp; k++) {
        const char *ce = memchr(p, '\t', e - p);
        if (!ce) ce = e;
        if (r->samples[k].affected == 1)
            for (const char *q = p; q < ce && *q != ':'; q++)
                if (*q >= '1' && *q <= '9') return 0;
        p = ce + 1;
    }
    return 1;
}

/* A record in which no affected sample has an ALT allele, after a passing
 * consequence check (rec unpacked at least to its shared part): the quality
 * stage (stage 1) drops every allele the consequence stage keeps, so stage 0
 * decides each allele on its own and the rest is counted to quality.  1 =
 * counted, 0 = stage 0 failed (the full path reports it), -1 = error. */
static int stage0_only(run_t *r, worker_t *w, batch_t *b, bcf1_t *rec, int rid, const char *chrom, int64_t lineno)
{
    uint64_t n = 0, d0 = 0, d1 = 0, dcore = 0;
    const gs_stage_t *st = r->stages[0].st;
    for (int ai = 1; ai < rec->n_allele; ai++) {
        const char *alt = rec->d.allele[ai];
        n++;
        if (core_allele(alt, strlen(alt))) { dcore++; continue; }
        gs_variant_t v = variant_new(r, w, rec, ai, chrom, 0, gs_y_nonpar(chrom, rec->pos + 1, r->build),
                                     gs_chrom_kind(chrom) == 3, 0);
        w->why.l = 0;
        kputs("", &w->why);
        int ret = st->variant(r->stages[0].state, w->tstate[0], &v, &w->why);
        if (ret == GS_FAIL) return 0;
        if (ret == GS_DROP) d0++;
        else d1++;
    }
    if (track_order(b, rid, chrom, rec->pos, lineno) < 0) return -1;
    b->nalleles += n;
    b->drops[0] += d0;
    b->drops[1] += d1;
    b->drops[r->nstage] += dcore;
    return 1;
}

/* Text input.  Only plainly laid out records are looked at (the header's
 * contig, a numeric position, the header's number of columns, REF and ALT
 * present) and none on X outside the PARs (the sex check counts those calls):
 * the others go to the full parse, which reports what is wrong with them.
 * 1 = dropped, 0 = parse it, -1 = error (in b). */
static int precheck_text(run_t *r, worker_t *w, batch_t *b, kstring_t *line, int64_t lineno)
{
    char *s = line->s, *e = s + line->l, *col[8];
    col[0] = s;
    for (int k = 1; k < 8; k++) {
        char *t = memchr(col[k - 1], '\t', e - col[k - 1]);
        if (!t) return 0;
        col[k] = t + 1;
    }
    char *info_end = memchr(col[7], '\t', e - col[7]);
    int ncol = 8;
    for (char *p = info_end; p; p = p + 1 < e ? memchr(p + 1, '\t', e - p - 1) : NULL) ncol++;
    if (ncol != (r->nsmp ? 9 + r->nsmp : 8)) return 0;
    if (col[1][0] < '0' || col[1][0] > '9' || col[4] - col[3] < 2 || col[5] - col[4] < 2) return 0;
    char *pe;
    long long pos = strtoll(col[1], &pe, 10);
    if (pe != col[2] - 1 || pos < 1) return 0;
    int some_entry_passes =
        !gs_consequence_precheck(r->stages[0].state, col[7], (info_end ? info_end : e) - col[7], NULL, NULL);
    if (some_entry_passes && !(r->pre_gt && info_end && no_affected_alt(r, info_end + 1, e))) return 0;
    col[1][-1] = 0; /* CHROM, NUL-terminated for a moment */
    if (bcf_hdr_name2id(w->hdr, s) < 0 || gs_x_nonpar(s, pos, r->build)) {
        col[1][-1] = '\t';
        return 0;
    }
    const char *chrom;
    int rid = worker_contig(r, w, s, &chrom);
    col[1][-1] = '\t';
    if (some_entry_passes) {
        /* no affected sample has an ALT allele: decided on the record's first eight columns */
        w->tmp.l = 0;
        kputsn(s, (info_end ? info_end : e) - s, &w->tmp);
        kstring_t *src = gs_info_prune(r->prune, &w->tmp, &w->pruned) ? &w->pruned : &w->tmp;
        bcf1_t *rec = w->rec;
        if (vcf_parse(src, w->hdr, rec) < 0 || (rec->errcode & ~BCF_ERR_TAG_UNDEF) || rec->pos != pos - 1) return 0;
        bcf_unpack(rec, BCF_UN_ALL);
        return stage0_only(r, w, b, rec, rid, chrom, lineno);
    }
    if (track_order(b, rid, chrom, pos - 1, lineno) < 0) return -1;
    char *alt = col[4], *alt_end = col[5] - 1;
    if (alt_end - alt == 1 && alt[0] == '.') return 1; /* no ALT allele */
    while (alt <= alt_end) {
        char *c = memchr(alt, ',', alt_end - alt);
        if (!c) c = alt_end;
        predrop_allele(r, b, alt, c - alt);
        alt = c + 1;
    }
    return 1;
}

/* BCF read whole: the record's per-sample part, once it is needed */
static int bcf_indiv(worker_t *w, batch_t *b, bcf1_t *rec, int64_t lineno)
{
    const char *why = "out of memory";
    w->indiv_pending = 0;
    if (gs_bcf_decode_indiv(w->ids, rec, &w->found, &why) < 0) {
        batch_fail(b, lineno, "malformed BCF record (%s)", why);
        return -1;
    }
    return 0;
}

/* BCF: no affected sample's GT (as gs_bcf_decode found it) names an ALT
 * allele (a value of 2 or more after the phase bit: allele index >= 1)? */
static int bcf_no_affected_alt(const run_t *r, const bcf1_t *rec, const gs_bcf_found_t *f)
{
    if (!f->gt || rec->n_sample != (uint32_t)r->nsmp) return 0;
    int size = f->gt_type == BCF_BT_INT8 ? 1 : f->gt_type == BCF_BT_INT16 ? 2 : f->gt_type == BCF_BT_INT32 ? 4 : 0;
    if (!size) return 0;
    for (int k = 0; k < r->nsmp; k++) {
        if (r->samples[k].affected != 1) continue;
        const uint8_t *p = f->gt + (size_t)k * f->gt_num * size;
        for (int j = 0; j < f->gt_num; j++, p += size) {
            int32_t x = size == 1 ? (int8_t)p[0] : size == 2 ? (int16_t)(p[0] | p[1] << 8)
                                                   : (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
            if (x >= 0 && x >> 1 >= 2) return 0;
        }
    }
    return 1;
}

/* Binary input: the same, on the annotation values gs_bcf_decode found (or,
 * from an index iterator, read where they lie), with the per-sample part
 * checked only once the record passes. */
static int precheck_bcf(run_t *r, worker_t *w, batch_t *b, bcf1_t *rec, int64_t lineno)
{
    if (!w->have_ann) /* from an index iterator: INFO read where it lies */
        for (int k = 0; k < w->nann; k++) {
            int got = w->ann_id[k] < 0 ? 0 : gs_bcf_info_str(w->hdr, rec, bcf_hdr_int2id(w->hdr, BCF_DT_ID, w->ann_id[k]),
                                                             &w->found.vals[k], &w->found.lens[k]);
            if (got < 0) return 0; /* malformed: the full path reports it */
            if (!got) w->found.lens[k] = 0;
        }
    int some_entry_passes = !gs_consequence_precheck(r->stages[0].state, NULL, 0, w->found.vals, w->found.lens);
    if (some_entry_passes && w->indiv_pending && bcf_indiv(w, b, rec, lineno) < 0) return -1;
    if (some_entry_passes && !(r->pre_gt && w->have_ann && bcf_no_affected_alt(r, rec, &w->found))) return 0;
    if (some_entry_passes) bcf_unpack(rec, BCF_UN_SHR); /* alleles and INFO for stage 0 */
    else if (!w->have_ann) bcf_unpack(rec, BCF_UN_STR); /* from an index iterator: alleles unpacked */
    const char *name = bcf_seqname(w->hdr, rec);
    if (!name || gs_x_nonpar(name, rec->pos + 1, r->build)) return 0;
    const char *chrom;
    int rid = worker_contig(r, w, name, &chrom);
    if (some_entry_passes) {
        /* no affected sample has an ALT allele: as for text */
        return stage0_only(r, w, b, rec, rid, chrom, lineno);
    }
    if (track_order(b, rid, chrom, rec->pos, lineno) < 0) return -1;
    if (w->have_ann) { /* the alleles where they lie */
        const uint8_t *at = NULL;
        for (int ai = 1; ai < rec->n_allele; ai++) {
            const char *alt;
            size_t n;
            gs_bcf_next_alt(rec, &w->found, &at, &alt, &n);
            predrop_allele(r, b, alt, n);
        }
    } else {
        for (int ai = 1; ai < rec->n_allele; ai++) predrop_allele(r, b, rec->d.allele[ai], strlen(rec->d.allele[ai]));
    }
    return 1;
}

static int process_record(run_t *r, worker_t *w, batch_t *b, bcf1_t *rec, int64_t lineno, int want_audit)
{
    bcf_hdr_t *h = w->hdr;
    bcf_unpack(rec, BCF_UN_ALL);
    const char *chrom = bcf_seqname_safe(h, rec);
    const char *interned;
    int rid = worker_contig(r, w, chrom, &interned);
    if (track_order(b, rid, interned, rec->pos, lineno) < 0) return -1;
    const char *why;
    if (gs_fmt_load(&w->fmt, h, rec, &why) < 0) {
        batch_fail(b, lineno, "malformed BCF record (%s)", why);
        return -1;
    }
    int x_nonpar = gs_x_nonpar(chrom, rec->pos + 1, r->build);
    int y_nonpar = gs_y_nonpar(chrom, rec->pos + 1, r->build), mito = gs_chrom_kind(chrom) == 3;
    for (int ai = 1; ai < rec->n_allele; ai++) {
        const char *alt = rec->d.allele[ai];
        b->nalleles++;
        if (core_allele(alt, strlen(alt))) {
            b->drops[r->nstage]++;
            if (want_audit)
                audit_line(b, chrom, rec->pos + 1, rec->d.allele[0], alt, "removed", "core",
                           alt[0] == '*' ? "spanning-deletion allele" : "reference-block allele");
            continue;
        }
        gs_variant_t v = variant_new(r, w, rec, ai, chrom, x_nonpar, y_nonpar, mito, want_audit);
        gs_fmt_calls(&w->fmt, r->nsmp, ai, w->calls);
        if (ai == 1 && x_nonpar) count_x_calls(r, w);
        int dropped = -1;
        for (int i = 0; i < r->nstage; i++) {
            const gs_stage_t *st = r->stages[i].st;
            if (!st->variant) continue;
            w->why.l = 0;
            kputs("", &w->why);
            int ret = st->variant(r->stages[i].state, w->tstate[i], &v, &w->why);
            if (ret == GS_FAIL) {
                b->err = 1;
                ksprintf(&b->errmsg, "%s:%s:%lld: stage '%s': %s", r->o->input, chrom, (long long)rec->pos + 1,
                         r->stages[i].p->id, w->why.s);
                return -1;
            }
            if (ret == GS_DROP) { dropped = i; break; }
        }
        if (dropped < 0 && v.ngenes == 0) {
            b->drops[r->nstage]++;
            if (want_audit) {
                w->tmp.l = 0;
                kputs("no gene assigned (add a consequence stage, or --genes FILE.bed)", &w->tmp);
                if (r->uses_modes) audit_modes(r, &v, &w->tmp);
                audit_line(b, chrom, rec->pos + 1, rec->d.allele[0], alt, "removed", "core", w->tmp.s);
            }
            continue;
        }
        if (dropped >= 0) {
            b->drops[dropped]++;
            if (want_audit)
                audit_line(b, chrom, rec->pos + 1, rec->d.allele[0], alt, "removed",
                           r->stages[dropped].p->id, w->why.s);
            continue;
        }
        b->nkept++;
        if (want_audit) {
            w->tmp.l = 0;
            for (int g = 0; g < v.ngenes; g++)
                ksprintf(&w->tmp, "%s%s:%s", g ? "," : "", v.genes[g].gene, v.genes[g].consequence);
            if (r->uses_modes) audit_modes(r, &v, &w->tmp);
            audit_line(b, chrom, rec->pos + 1, rec->d.allele[0], alt, "kept", ".", w->tmp.s);
        }
        add_surv(b, r, w, &v, rid);
    }
    return 0;
}

static void batch_reset_results(run_t *r, batch_t *b)
{
    b->err = 0;
    b->err_line = 0;
    b->errmsg.l = 0;
    b->audit.l = 0;
    b->nsurv = 0;
    b->nctgs = 0;
    b->nalleles = b->nkept = 0;
    memset(b->drops, 0, (r->nstage + 1) * sizeof(uint64_t));
}

/* A batch's records are reused batch after batch: one that held an unusually
 * large record gives its buffers back, so that what the batches in flight keep
 * does not creep up, slot by slot, to the largest record each slot has seen
 * (with threads and BCF input that grew with the length of the input). */
#define RECORD_KEEP_BYTES 4096
static void batch_trim(batch_t *b)
{
    for (int i = 0; i < b->m; i++) {
        if (b->recs) {
            const bcf1_t *x = b->recs[i];
            size_t held = x->shared.m + x->indiv.m + x->d.m_info * sizeof(bcf_info_t) + x->d.m_fmt * sizeof(bcf_fmt_t) +
                          x->d.m_id + x->d.m_als + x->d.m_allele * sizeof(char *) + x->d.m_flt * sizeof(int);
            if (held > RECORD_KEEP_BYTES) {
                bcf_destroy(b->recs[i]);
                b->recs[i] = bcf_init();
            }
        }
        if (b->lines && b->lines[i].m > RECORD_KEEP_BYTES) ks_free(&b->lines[i]);
    }
}

static void process_batch(run_t *r, batch_t *b)
{
    worker_t *w = worker_take(r);
    int want_audit = r->audit != NULL;
    for (int i = 0; i < b->n && !b->err; i++) {
        bcf1_t *rec;
        if (!r->is_bcf) {
            rec = w->rec;
            kstring_t *line = b->view ? &b->view[i] : &b->lines[i];
            if (r->precheck) {
                int pre = precheck_text(r, w, b, line, b->lineno[i]);
                if (pre < 0) break;
                if (pre) continue;
            }
            if (gs_info_prune(r->prune, line, &w->pruned)) line = &w->pruned;
            if (vcf_parse(line, w->hdr, rec) < 0) {
                batch_fail(b, b->lineno[i], "malformed VCF record");
                break;
            }
        } else if (b->view) { /* BCF read whole: the record's bytes */
            rec = w->rec;
            const char *why = "out of memory";
            if (!w->ids || gs_bcf_decode(w->hdr, w->ids, (const uint8_t *)b->view[i].s, b->view[i].l, rec, &w->found,
                                         &why) < 0) {
                batch_fail(b, b->lineno[i], "malformed BCF record (%s)", why);
                break;
            }
            w->have_ann = 1;
            w->indiv_pending = 1;
        } else {
            rec = b->recs[i];
            w->have_ann = w->indiv_pending = 0;
            if (r->check_ids && !gs_bcf_ids_ok(w->hdr, rec, BCF_UN_SHR)) {
                b->err = 1;
                ksprintf(&b->errmsg, "%s: record %lld: malformed BCF record (an id the header does not declare)",
                         r->o->input, (long long)b->lineno[i]);
                break;
            }
        }
        /* tags and contigs missing from the header were added with a warning */
        if (rec->errcode & ~(BCF_ERR_TAG_UNDEF | BCF_ERR_CTG_UNDEF)) {
            int e = rec->errcode;
            batch_fail(b, b->lineno[i], "malformed record (%s)",
                     e & BCF_ERR_NCOLS ? "wrong number of columns" : e & BCF_ERR_LIMITS ? "a value beyond htslib's limits"
                     : e & BCF_ERR_CHAR ? "invalid character" : e & BCF_ERR_CTG_INVALID ? "invalid contig name"
                     : e & BCF_ERR_TAG_INVALID ? "invalid tag" : "unreadable");
            break;
        }
        if (rec->pos < 0) {
            batch_fail(b, b->lineno[i], "malformed record (POS missing or not a positive number)");
            break;
        }
        if (r->is_bcf) {
            if (r->precheck) {
                int pre = precheck_bcf(r, w, b, rec, b->lineno[i]);
                if (pre < 0) break;
                if (pre) continue;
            }
            if (r->check_ids && !gs_bcf_ids_ok(w->hdr, rec, BCF_UN_FMT)) {
                b->err = 1;
                ksprintf(&b->errmsg, "%s: record %lld: malformed BCF record (an id the header does not declare)",
                         r->o->input, (long long)b->lineno[i]);
                break;
            }
        }
        if (w->indiv_pending && bcf_indiv(w, b, rec, b->lineno[i]) < 0) break;
        process_record(r, w, b, rec, b->lineno[i], want_audit);
    }
    worker_give(r, w);
}

static void chunk_prepare(run_t *r, batch_t *b);

static void *job(void *arg)
{
    batch_t *b = arg;
    run_t *r = *(run_t **)(b + 1); /* run pointer stored after the batch */
    if (b->chunk) {
        chunk_prepare(r, b);
        if (r->is_bcf) return b; /* the main thread walks the records, then they come back (bcf_chunk_walk) */
    }
    if (!b->err && b->truncated != 2) process_batch(r, b);
    return b;
}

/* ------------------------------------------------------------------ */
/* Reader                                                              */

typedef struct region {
    char *chrom;
    int64_t beg, end; /* 0-based, half-open */
    int tid;
} region_t;

typedef struct reader {
    run_t *r;
    /* regions */
    region_t *reg;
    int nreg, ireg;
    int indexed;            /* regions read through the index (even if none of them is in it) */
    hts_idx_t *idx;
    tbx_t *tbx;
    hts_itr_t *itr;
    regidx_t *filter;       /* unindexed input: stream and keep overlapping records */
    int64_t prev_end;       /* indexed: end of the previous region on the same contig */
    kstring_t line;
    kstring_t carry;        /* block reading: the incomplete last line of the previous block */
    int eof;
    int chunked;            /* BGZF text or BCF read whole: whole blocks, inflated on the workers */
    hFILE *hf;              /* chunked: the compressed stream */
    kstring_t rawc;         /* chunked: the incomplete block the last read ended with */
} reader_t;

static int parse_region(const char *s, size_t len, region_t *out)
{
    char *str = strndup(s, len);
    char *colon = strrchr(str, ':');
    out->beg = 0;
    out->end = INT64_MAX;
    if (colon && colon[1]) {
        char *p = colon + 1, *e;
        long long b = strtoll(p, &e, 10);
        if (e == p) { out->chrom = str; return 0; } /* contig with ':' in its name */
        out->beg = b > 0 ? b - 1 : 0;
        if (*e == '-') {
            p = e + 1;
            if (*p) {
                long long en = strtoll(p, &e, 10);
                if (e == p || *e) { free(str); return -1; }
                out->end = en;
            }
        } else if (*e) { free(str); return -1; }
        else out->end = b;
        *colon = 0;
    }
    out->chrom = str;
    return out->end > out->beg ? 0 : -1;
}

static int read_regions(reader_t *rd, const gs_opts_t *o, kstring_t *err)
{
    if (o->regions) {
        const char *p = o->regions;
        while (*p) {
            const char *q = strchr(p, ',');
            size_t len = q ? (size_t)(q - p) : strlen(p);
            if (len) {
                rd->reg = realloc(rd->reg, (rd->nreg + 1) * sizeof(region_t));
                if (parse_region(p, len, &rd->reg[rd->nreg]) < 0) {
                    ksprintf(err, "-r %s: cannot parse region '%.*s' (expected CHROM, CHROM:BEG or CHROM:BEG-END)",
                             o->regions, (int)len, p);
                    return -1;
                }
                rd->nreg++;
            }
            if (!q) break;
            p = q + 1;
        }
    }
    if (o->regions_file) {
        htsFile *fp = hts_open(o->regions_file, "r");
        if (!fp) { ksprintf(err, "%s: cannot open regions file: %s", o->regions_file, strerror(errno)); return -1; }
        size_t fl = strlen(o->regions_file);
        int is_bed = (fl > 4 && !strcasecmp(o->regions_file + fl - 4, ".bed")) ||
                     (fl > 7 && !strcasecmp(o->regions_file + fl - 7, ".bed.gz"));
        kstring_t line = KS_INITIALIZE;
        int lineno = 0, ret;
        while ((ret = hts_getline(fp, KS_SEP_LINE, &line)) >= 0) {
            lineno++;
            if (!line.l || line.s[0] == '#' || !strncmp(line.s, "track", 5) || !strncmp(line.s, "browser", 7)) continue;
            char *f[3] = {line.s, NULL, NULL};
            int nf = 1;
            for (char *p = line.s; *p && nf < 3; p++)
                if (*p == '\t') { *p = 0; f[nf++] = p + 1; }
            if (nf > 2) { char *t = strchr(f[2], '\t'); if (t) *t = 0; }
            char *e1, *e2;
            long long b = nf > 1 ? strtoll(f[1], &e1, 10) : 0, en = b;
            if (nf < 2 || e1 == f[1] || (nf > 2 && ((en = strtoll(f[2], &e2, 10)), e2 == f[2]))) {
                ksprintf(err, "%s:%d: expected CHROM<TAB>POS or CHROM<TAB>BEG<TAB>END", o->regions_file, lineno);
                ks_free(&line);
                hts_close(fp);
                return -1;
            }
            region_t rg = {strdup(f[0]), is_bed ? b : b - 1, en, -1};
            if (rg.beg < 0) rg.beg = 0;
            if (rg.end <= rg.beg) {
                ksprintf(err, "%s:%d: empty or reversed interval", o->regions_file, lineno);
                free(rg.chrom);
                ks_free(&line);
                hts_close(fp);
                return -1;
            }
            rd->reg = realloc(rd->reg, (rd->nreg + 1) * sizeof(region_t));
            rd->reg[rd->nreg++] = rg;
        }
        ks_free(&line);
        hts_close(fp);
        if (ret < -1) { ksprintf(err, "%s: read error", o->regions_file); return -1; }
    }
    return 0;
}

static int cmp_region(const void *a, const void *b)
{
    const region_t *x = a, *y = b;
    if (x->tid != y->tid) return x->tid < y->tid ? -1 : 1;
    if (x->beg != y->beg) return x->beg < y->beg ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

static int reader_init(reader_t *rd, run_t *r, kstring_t *err)
{
    const gs_opts_t *o = r->o;
    memset(rd, 0, sizeof(*rd));
    rd->r = r;
    if (!o->regions && !o->regions_file) {
        BGZF *bg = hts_get_bgzfp(r->fp);
        if (bg && r->fp->format.compression == bgzf && !bg->is_gzip && !bg->mt && !bg->cache_size) {
            /* the rest of the block that ended the header, then whole blocks */
            rd->chunked = 1;
            r->no_guess = r->is_bcf && getenv("GENESIEVE_BCF_GUESS") && !strcmp(getenv("GENESIEVE_BCF_GUESS"), "0");
            rd->hf = bg->fp;
            if (bg->block_offset < bg->block_length)
                kputsn((char *)bg->uncompressed_block + bg->block_offset, bg->block_length - bg->block_offset, &rd->carry);
            bg->block_offset = bg->block_length;
        }
        return 0;
    }
    if (read_regions(rd, o, err) < 0) return -1;
    if (strcmp(o->input, "-")) {
        if (r->is_bcf) rd->idx = bcf_index_load(o->input);
        else if (r->fp->format.compression == bgzf) rd->tbx = tbx_index_load(o->input);
    }
    if (rd->idx || rd->tbx) {
        rd->indexed = 1;
        int n = 0;
        for (int i = 0; i < rd->nreg; i++) {
            region_t *g = &rd->reg[i];
            g->tid = rd->idx ? bcf_hdr_name2id(r->hdr, g->chrom) : tbx_name2id(rd->tbx, g->chrom);
            if (g->tid < 0) {
                if (!r->o->quiet)
                    fprintf(stderr, "genesieve: warning: %s: no records on contig '%s' in the index\n", o->input, g->chrom);
                free(g->chrom);
                continue;
            }
            rd->reg[n++] = *g;
        }
        rd->nreg = n;
        qsort(rd->reg, rd->nreg, sizeof(region_t), cmp_region);
        /* merge overlapping regions so no record is read twice */
        n = 0;
        for (int i = 0; i < rd->nreg; i++) {
            if (n && rd->reg[n - 1].tid == rd->reg[i].tid && rd->reg[i].beg <= rd->reg[n - 1].end) {
                if (rd->reg[i].end > rd->reg[n - 1].end) rd->reg[n - 1].end = rd->reg[i].end;
                free(rd->reg[i].chrom);
                continue;
            }
            rd->reg[n++] = rd->reg[i];
        }
        rd->nreg = n;
        rd->ireg = -1;
        return 0;
    }
    /* No index: stream the whole file and keep the records that overlap. */
    rd->filter = regidx_init(NULL, NULL, NULL, 0, NULL);
    for (int i = 0; i < rd->nreg; i++) {
        region_t *g = &rd->reg[i];
        const char *c = g->chrom;
        regidx_push(rd->filter, (char *)c, (char *)c + strlen(c), g->beg,
                    g->end == INT64_MAX ? INT64_MAX / 2 : g->end - 1, NULL);
    }
    return 0;
}

static void reader_free(reader_t *rd)
{
    for (int i = 0; i < rd->nreg; i++) free(rd->reg[i].chrom);
    free(rd->reg);
    if (rd->itr) hts_itr_destroy(rd->itr);
    if (rd->idx) hts_idx_destroy(rd->idx);
    if (rd->tbx) tbx_destroy(rd->tbx);
    if (rd->filter) regidx_destroy(rd->filter);
    ks_free(&rd->line);
    ks_free(&rd->carry);
    ks_free(&rd->rawc);
}

/* CHROM, POS and reference span (REF length, or INFO/END as tabix uses it)
 * of a text line, without a full parse. */
static int peek_line(const kstring_t *s, kstring_t *chrom, int64_t *pos, int64_t *rlen)
{
    const char *p = s->s, *t1 = strchr(p, '\t');
    if (!t1) return -1;
    chrom->l = 0;
    kputsn(p, t1 - p, chrom);
    char *e;
    *pos = strtoll(t1 + 1, &e, 10);
    if (*e != '\t') return -1;
    const char *id_end = strchr(e + 1, '\t');
    if (!id_end) return -1;
    const char *ref_end = strchr(id_end + 1, '\t');
    *rlen = ref_end ? ref_end - id_end - 1 : 1;
    /* ALT, QUAL, FILTER, then INFO */
    const char *q = ref_end;
    for (int k = 0; k < 3 && q; k++) q = strchr(q + 1, '\t');
    if (!q) return 0;
    for (const char *f = q + 1; *f && *f != '\t'; ) {
        if (!strncmp(f, "END=", 4)) {
            long long end = strtoll(f + 4, &e, 10);
            if (e != f + 4 && end >= *pos) *rlen = end - *pos + 1;
            break;
        }
        while (*f && *f != ';' && *f != '\t') f++;
        if (*f == ';') f++;
    }
    return 0;
}

/* Read the next record into slot i of b.  1 = got one, 0 = end, <0 = error. */
static int reader_next(reader_t *rd, batch_t *b, int i, kstring_t *err)
{
    run_t *r = rd->r;
    htsFile *fp = r->fp;
    for (;;) {
        int ret;
        if (rd->indexed) {
            if (!rd->itr) {
                if (++rd->ireg >= rd->nreg) return 0;
                region_t *g = &rd->reg[rd->ireg];
                rd->itr = rd->idx ? bcf_itr_queryi(rd->idx, g->tid, g->beg, g->end)
                                  : tbx_itr_queryi(rd->tbx, g->tid, g->beg, g->end);
                if (!rd->itr) { ksprintf(err, "%s: index query failed for %s", r->o->input, g->chrom); return -1; }
                if (rd->ireg > 0 && rd->reg[rd->ireg - 1].tid == g->tid) rd->prev_end = rd->reg[rd->ireg - 1].end;
                else rd->prev_end = -1;
            }
            int64_t pos = 0;
            if (r->is_bcf) {
                ret = bcf_itr_next(fp, rd->itr, b->recs[i]);
                pos = b->recs[i]->pos;
            } else {
                ret = tbx_itr_next(fp, rd->tbx, rd->itr, &b->lines[i]);
                int64_t rlen;
                kstring_t c = KS_INITIALIZE;
                if (ret >= 0 && peek_line(&b->lines[i], &c, &pos, &rlen) < 0) ret = -2;
                pos--;
                ks_free(&c);
            }
            if (ret == -1 && !r->is_bcf && hts_get_bgzfp(fp) && hts_get_bgzfp(fp)->errcode) ret = -2;
            if (ret == -1) {
                hts_itr_destroy(rd->itr);
                rd->itr = NULL;
                continue;
            }
            if (ret < -1) { ksprintf(err, "%s: truncated or corrupt input in region %s", r->o->input, rd->reg[rd->ireg].chrom); return -1; }
            /* a record overlapping two merged-apart regions was already emitted */
            if (rd->prev_end >= 0 && pos < rd->prev_end) continue;
            b->lineno[i] = ++r->lineno;
            return 1;
        }
        if (r->is_bcf) {
            ret = bcf_read(fp, r->hdr, b->recs[i]);
            if (ret == -1) return 0;
            if (ret < -1) {
                ksprintf(err, "%s: unreadable BCF record after record %lld (truncated or malformed)", r->o->input, (long long)r->lineno);
                return -1;
            }
            b->lineno[i] = ++r->lineno;
            if (rd->filter) {
                bcf1_t *rec = b->recs[i];
                if (!regidx_overlap(rd->filter, bcf_seqname_safe(r->hdr, rec), rec->pos, rec->pos + rec->rlen - 1, NULL))
                    continue;
            }
            return 1;
        }
        ret = hts_getline(fp, KS_SEP_LINE, &b->lines[i]);
        if (ret == -1) {
            BGZF *bg = hts_get_bgzfp(fp);
            if (bg && bg->errcode) ret = -2; /* a damaged block reads as an early end */
            else return 0;
        }
        if (ret < -1) {
            ksprintf(err, "%s: truncated or corrupt input after line %lld", r->o->input, (long long)(r->lineno + r->hdr_lines));
            return -1;
        }
        r->lineno++;
        b->lineno[i] = r->lineno + r->hdr_lines;
        kstring_t *s = &b->lines[i];
        while (s->l && s->s[s->l - 1] == '\r') s->s[--s->l] = 0;
        if (!s->l) continue;
        if (s->s[0] == '#') {
            ksprintf(err, "%s:%lld: header line after the first record", r->o->input, (long long)b->lineno[i]);
            return -1;
        }
        if (rd->filter) {
            int64_t pos, rlen;
            if (peek_line(s, &rd->line, &pos, &rlen) < 0) {
                ksprintf(err, "%s:%lld: malformed VCF record", r->o->input, (long long)b->lineno[i]);
                return -1;
            }
            if (!regidx_overlap(rd->filter, rd->line.s, pos - 1, pos - 1 + (rlen > 0 ? rlen - 1 : 0), NULL)) continue;
        }
        return 1;
    }
}


/* Text input read whole (no regions): take the decompressed text a block at
 * a time and split it into lines with memchr (bgzf_getline looks at one byte
 * at a time, and every line would be copied once more).  The lines stay in
 * the batch's block, NUL-terminated; the workers parse them in place.  Returns
 * 1 with b->n lines (possibly 0: blank lines only), 0 at the end, -1 on error. */
#define BLOCK_BYTES (1 << 20)

static inline uint32_t le16(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8; }
static inline uint32_t le32(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
/* a BCF record's size from its first 8 bytes (l_shared, l_indiv) */
static inline uint64_t bcf_rec_size(const void *p) { return 8 + (uint64_t)le32(p) + le32((const uint8_t *)p + 4); }
/* the error for BCF bytes that end or break off inside a record (after the last whole one) */
static int bcf_unreadable(const run_t *r, kstring_t *err)
{
    ksprintf(err, "%s: unreadable BCF data after record %lld (truncated or corrupt)", r->o->input, (long long)r->lineno);
    return -1;
}

/* Room for one more entry in b->view / b->lineno; -1 when out of memory. */
static int view_grow(batch_t *b)
{
    if (b->n < b->mview) return 0;
    int m = b->mview ? 2 * b->mview : BATCH_SIZE;
    kstring_t *v = realloc(b->view, m * sizeof(kstring_t));
    if (v) b->view = v;
    int64_t *l = realloc(b->lineno, m * sizeof(int64_t));
    if (l) b->lineno = l;
    if (!v || !l) return -1;
    b->mview = m;
    return 0;
}

/* Room for `need` entries in b->view / b->lineno; -1 when out of memory. */
static int view_reserve(batch_t *b, int need)
{
    int n = b->n, ret = 0;
    while (!ret && b->mview < need) {
        b->n = b->mview;
        ret = view_grow(b);
    }
    b->n = n;
    return ret;
}

/* Start buf with what the previous block left over (room for `more` bytes after it). */
static int take_carry(reader_t *rd, kstring_t *buf, size_t more)
{
    buf->l = 0;
    if (!rd->carry.l) return 0;
    if (ks_resize(buf, rd->carry.l + more) < 0) return -1;
    memcpy(buf->s, rd->carry.s, rd->carry.l);
    buf->l = rd->carry.l;
    rd->carry.l = 0;
    return 0;
}

static ssize_t read_text(htsFile *fp, char *dst, size_t n)
{
    if (fp->format.compression == no_compression) return hread(fp->fp.hfile, dst, n);
    ssize_t got = bgzf_read(fp->fp.bgzf, dst, n);
    if (got >= 0 && (size_t)got < n && fp->fp.bgzf->errcode) return -1; /* a damaged block reads as an early end */
    return got;
}

static int reader_block(reader_t *rd, batch_t *b, kstring_t *err)
{
    run_t *r = rd->r;
    kstring_t *buf = &b->block;
    b->n = 0;
    if (rd->eof && !rd->carry.l) return 0;
    if (take_carry(rd, buf, BLOCK_BYTES + 1) < 0) goto nomem;
    size_t end = 0; /* the block holds the lines before `end` */
    while (!rd->eof) {
        if (ks_resize(buf, buf->l + BLOCK_BYTES + 1) < 0) goto nomem;
        ssize_t got = read_text(r->fp, buf->s + buf->l, BLOCK_BYTES);
        if (got < 0) {
            ksprintf(err, "%s: truncated or corrupt input after line %lld", r->o->input, (long long)(r->lineno + r->hdr_lines));
            return -1;
        }
        if (!got) { rd->eof = 1; break; }
        const char *nl = memrchr(buf->s + buf->l, '\n', got);
        buf->l += got;
        if (nl) { end = nl - buf->s + 1; break; } /* else: a line longer than a block, read on */
    }
    if (rd->eof) end = buf->l; /* the last line may lack its newline */
    if (end < buf->l) kputsn(buf->s + end, buf->l - end, &rd->carry);
    buf->l = end;
    if (ks_resize(buf, end + 1) < 0) goto nomem;
    buf->s[end] = 0;
    for (char *p = buf->s, *e = buf->s + end; p < e;) {
        char *le = memchr(p, '\n', e - p);
        if (!le) le = e;
        *le = 0;
        size_t len = le - p;
        r->lineno++;
        while (len && p[len - 1] == '\r') p[--len] = 0;
        if (len) {
            int64_t ln = r->lineno + r->hdr_lines;
            if (p[0] == '#') {
                ksprintf(err, "%s:%lld: header line after the first record", r->o->input, (long long)ln);
                return -1;
            }
            if (view_grow(b) < 0) goto nomem;
            b->view[b->n] = (kstring_t){len, len + 1, p};
            b->lineno[b->n++] = ln;
        }
        p = le + 1;
    }
    return 1;
nomem:
    ksprintf(err, "%s: out of memory reading the input", r->o->input);
    return -1;
}


/* Uncompressed BCF read whole (no regions; compressed BCF is read in chunks,
 * bcf_chunk_walk): the bytes a block at a time;
 * the main thread only walks the records' lengths, and the workers decode
 * and check each record from the bytes (gs_bcf_decode: the checks bcf_read
 * makes, which took half the main thread's time).  b->view[i] is record i's
 * bytes in b->block.  1 = records (or 0 of them), 0 = end, -1 = error. */
static int reader_bcf_block(reader_t *rd, batch_t *b, kstring_t *err)
{
    run_t *r = rd->r;
    kstring_t *buf = &b->block;
    b->n = 0;
    if (rd->eof && !rd->carry.l) return 0;
    if (take_carry(rd, buf, BLOCK_BYTES) < 0) goto nomem;
    size_t off = 0; /* records before off are whole */
    for (;;) {
        while (buf->l - off >= 8) {
            uint64_t size = bcf_rec_size(buf->s + off);
            if (size > buf->l - off) break;
            if (view_grow(b) < 0) goto nomem;
            b->view[b->n].l = size;          /* .s is set once the buffer stops moving */
            b->view[b->n].m = off;
            b->lineno[b->n++] = ++r->lineno;
            off += size;
        }
        if (b->n || rd->eof) break;
        /* no whole record yet: read on (a record may be larger than a block) */
        if (ks_resize(buf, buf->l + BLOCK_BYTES) < 0) goto nomem;
        ssize_t got = bgzf_read(r->fp->fp.bgzf, buf->s + buf->l, BLOCK_BYTES);
        if (got < 0 || ((size_t)got < BLOCK_BYTES && r->fp->fp.bgzf->errcode)) return bcf_unreadable(r, err);
        if (!got) rd->eof = 1;
        buf->l += got;
    }
    if (rd->eof && !b->n && buf->l > off) {
        ksprintf(err, "%s: truncated BCF record after record %lld", r->o->input, (long long)r->lineno);
        return -1;
    }
    if (off < buf->l) kputsn(buf->s + off, buf->l - off, &rd->carry);
    buf->l = off;
    for (int i = 0; i < b->n; i++) b->view[i].s = buf->s + b->view[i].m;
    return 1;
nomem:
    ksprintf(err, "%s: out of memory reading the input", r->o->input);
    return -1;
}

/* ------------------------------------------------------------------ */
/* BGZF text read in chunks                                            */

/* The main thread only reads whole compressed blocks (with their headers
 * checked); a worker inflates a chunk of them, checks their CRCs and splits
 * the lines, so neither the inflating nor a copy of the text is on the main
 * thread, and a batch is one job instead of one per block.  A line cut by a
 * chunk's end is joined on the main thread when the chunks come back in
 * order (process_edge). */
#define BGZF_HDR 18           /* a BGZF block header; then deflate data, CRC32, ISIZE */


/* the header htslib accepts: gzip, deflate, FEXTRA holding only the BC field */
static int bgzf_header_ok(const uint8_t *h)
{
    return h[0] == 31 && h[1] == 139 && h[2] == 8 && (h[3] & 4) && le16(h + 10) == 6 && h[12] == 'B' &&
           h[13] == 'C' && le16(h + 14) == 2;
}

/* The next whole blocks into b->raw: one read of up to CHUNK_RAW compressed
 * bytes (after the incomplete block the last read ended with).  1 = a chunk
 * (b->truncated: the input ends inside a block after it, or what follows is
 * not a BGZF block; reported when the chunk is consumed, after the lines
 * before it), 0 = the end, -1 = read error. */
#define CHUNK_RAW (256 << 10)
static int reader_chunk(reader_t *rd, batch_t *b, kstring_t *err)
{
    kstring_t *raw = &b->raw;
    raw->l = 0;
    b->truncated = 0;
    if (rd->eof && !rd->rawc.l) return 0;
    if (ks_resize(raw, CHUNK_RAW + 1) < 0) {
        ksprintf(err, "%s: out of memory reading the input", rd->r->o->input);
        return -1;
    }
    if (rd->rawc.l) memcpy(raw->s, rd->rawc.s, rd->rawc.l);
    raw->l = rd->rawc.l;
    rd->rawc.l = 0;
    while (!rd->eof && raw->l < CHUNK_RAW) {
        ssize_t got = hread(rd->hf, raw->s + raw->l, CHUNK_RAW - raw->l);
        if (got < 0) {
            ksprintf(err, "%s: read error: %s", rd->r->o->input, strerror(errno));
            return -1;
        }
        if (!got) rd->eof = 1;
        raw->l += got;
    }
    size_t off = 0;
    while (raw->l - off >= BGZF_HDR) {
        const uint8_t *h = (uint8_t *)raw->s + off;
        size_t bsize = le16(h + 16) + 1;
        if (!bgzf_header_ok(h) || bsize < BGZF_HDR + 8) { b->truncated = 2; break; }
        if (bsize > raw->l - off) break;
        if (le32(h + bsize - 4) > 65536) { b->truncated = 2; break; }
        off += bsize;
    }
    if (b->truncated) {
        rd->eof = 1; /* nothing after a damaged block is read */
        rd->rawc.l = 0;
        b->truncated = 1;
    } else if (off < raw->l) {
        if (rd->eof) b->truncated = 1; /* the input ends inside a block */
        else kputsn(raw->s + off, raw->l - off, &rd->rawc);
    }
    raw->l = off;
    return off > 0 || b->truncated;
}

/* Lines in [p, e), each ending with a newline, into b->view (NUL-terminated
 * in place, without CRs at the end; blank lines counted, not kept), numbered
 * from 1.  -1 on a header line (the error in b). */
static int split_lines(batch_t *b, char *p, char *e)
{
    int64_t ln = 0;
    while (p < e) {
        char *le = memchr(p, '\n', e - p);
        if (!le) le = e - 1; /* not reached: the caller ends [p, e) with a newline */
        *le = 0;
        size_t len = le - p;
        ln++;
        while (len && p[len - 1] == '\r') p[--len] = 0;
        if (len) {
            if (p[0] == '#') {
                b->nlines = ln;
                batch_fail(b, ln, "header line after the first record");
                return -1;
            }
            if (view_grow(b) < 0) {
                batch_fail(b, 0, "out of memory splitting the input into lines");
                return -1;
            }
            b->view[b->n] = (kstring_t){len, len + 1, p};
            b->lineno[b->n++] = ln;
        }
        p = le + 1;
    }
    b->nlines = ln;
    return 0;
}

/* Is there a plausible BCF record header at s + o (and after it, up to 3
 * more)?  Its lengths, contig id, allele count and sample count are checked;
 * a record the chunk cuts ends the chain (not the first: a guess needs one
 * whole record). */
static int bcf_plausible(const run_t *r, const uint8_t *s, size_t len, size_t o)
{
    int k = 0;
    for (; k < 4 && len - o >= 32; k++) {
        const uint8_t *h = s + o;
        uint32_t l_shared = le32(h), l_indiv = le32(h + 4), n_sample = le32(h + 28) & 0xffffff;
        int32_t rid = (int32_t)le32(h + 8);
        if (l_shared < 24 || rid < 0 || rid >= r->hdr->n[BCF_DT_CTG] || !(h[26] | h[27] << 8) ||
            (h[31] && n_sample != (uint32_t)r->nsmp))
            return 0;
        uint64_t size = 8 + (uint64_t)l_shared + l_indiv;
        if (size > len - o) return k > 0; /* cut by the chunk's end: plausible after a whole one */
        o += size;
    }
    return k > 0;
}

/* Worker, BCF: guess where the chunk's first whole record starts (the main
 * thread knows it only once the previous chunks are walked) and walk the
 * records from there, while the bytes are in this core's cache; the main
 * thread checks the guess (bcf_chunk_walk) and walks itself if it is wrong. */
static void bcf_speculate(const run_t *r, batch_t *b)
{
    b->spec_n = -1;
    if (r->no_guess) return;
    const uint8_t *s = (uint8_t *)b->block.s;
    size_t len = b->block.l, limit = len < (1u << 20) ? len : (1u << 20);
    for (size_t o = 0; o < limit; o++) {
        if (!bcf_plausible(r, s, len, o)) continue;
        b->n = 1; /* view[0]: for the record the previous chunk cut */
        size_t off = o;
        while (len - off >= 8) {
            uint64_t size = bcf_rec_size(s + off);
            if (size > len - off) break;
            if (view_grow(b) < 0) { b->n = 0; return; }
            b->view[b->n++] = (kstring_t){size, size, (char *)s + off};
            off += size;
        }
        b->spec_off = o;
        b->spec_n = b->n - 1;
        b->spec_end = off;
        b->n = 0;
        return;
    }
}

/* Worker: inflate b->raw into b->block and split the complete lines. */
static void chunk_prepare(run_t *r, batch_t *b)
{
    b->spec_n = -1;
    b->rel_lines = 1;
    b->nlines = 0;
    b->no_newline = 1;
    b->block.l = 0;
    const uint8_t *p = (uint8_t *)b->raw.s, *e = p + b->raw.l;
    size_t total = 0;
    for (const uint8_t *q = p; q < e; q += le16(q + 16) + 1) total += le32(q + le16(q + 16) + 1 - 4);
    if (ks_resize(&b->block, total + 1) < 0) {
        batch_fail(b, 0, "%s: out of memory inflating the input", r->o->input);
        return;
    }
    worker_t *w = worker_take(r);
    if (!w->inflater) {
        worker_give(r, w);
        batch_fail(b, 0, "%s: out of memory inflating the input", r->o->input);
        return;
    }
    char *out = b->block.s;
    for (const uint8_t *q = p; q < e;) {
        size_t bsize = le16(q + 16) + 1;
        uint32_t isize = le32(q + bsize - 4);
        if (libdeflate_deflate_decompress(w->inflater, q + BGZF_HDR, bsize - BGZF_HDR - 8, out, isize, NULL) !=
                LIBDEFLATE_SUCCESS ||
            libdeflate_crc32(0, out, isize) != le32(q + bsize - 8)) {
            b->truncated = 2; /* reported in order, with the line it follows */
            break;
        }
        out += isize;
        q += bsize;
    }
    worker_give(r, w);
    if (b->truncated == 2) return;
    b->block.l = total;
    b->block.s[total] = 0;
    if (r->is_bcf) {
        bcf_speculate(r, b);
        return;
    }
    char *s = b->block.s, *first = memchr(s, '\n', total);
    if (!first) return;
    b->no_newline = 0;
    char *last = memrchr(s, '\n', total);
    b->head_len = first - s;
    b->tail_off = last - s + 1;
    split_lines(b, first + 1, last + 1);
}

/* ------------------------------------------------------------------ */
/* Genes                                                               */

/* The open genes' variants in memory go to the store, one chunk per gene: a
 * chromosome's worth of kept variants need not fit in memory.  A variant is
 * its gs_gene_var_t (pointers rewritten when read back), the calls, REF and ALT
 * NUL-terminated, padded to 8 bytes. */
static int spill_open(run_t *r, kstring_t *err)
{
    if (!r->open_store && !(r->open_store = gs_spill_init(r->spill_cap))) {
        ksprintf(err, "out of memory");
        return -1;
    }
    kstring_t *b = &r->ser;
    for (int gi = 0; gi < r->ngene; gi++) {
        open_gene_t *og = &r->genes[gi];
        if (!og->nvar) continue;
        b->l = 0;
        for (int v = 0; v < og->nvar; v++) {
            gs_gene_var_t *gv = &og->vars[v];
            kputsn_(gv, sizeof(*gv), b);
            kputsn_(gv->calls, r->nsmp * sizeof(gs_call_t), b);
            kputsn_(gv->ref, strlen(gv->ref) + 1, b);
            kputsn_(gv->alt, strlen(gv->alt) + 1, b);
            gs_put_pad8(b);
            free(gv->ref);
            free(gv->alt);
            free(gv->calls);
        }
        if (og->nchunk == og->mchunk) {
            og->mchunk = og->mchunk ? 2 * og->mchunk : 4;
            og->chunk = realloc(og->chunk, og->mchunk * sizeof(chunk_t));
        }
        chunk_t *c = &og->chunk[og->nchunk++];
        c->len = b->l;
        c->n = og->nvar;
        og->nstored += og->nvar;
        free(og->vars);
        og->vars = NULL;
        og->nvar = og->mvar = 0;
        if (gs_spill_put(r->open_store, b->s, b->l, &c->off, err) < 0) return -1;
    }
    r->open_bytes = 0;
    return 0;
}

/* Everything of an open gene back in og->vars, in the order it came. */
static int unspill_open(run_t *r, open_gene_t *og, kstring_t *err)
{
    int n = og->nstored + og->nvar, k = 0;
    gs_gene_var_t *vars = malloc(n * sizeof(gs_gene_var_t));
    if (!vars) { ksprintf(err, "out of memory reading back gene %s", og->name); return -1; }
    for (int ci = 0; ci < og->nchunk; ci++) {
        chunk_t *c = &og->chunk[ci];
        if (ks_resize(&r->ser, c->len) < 0 || gs_spill_get(r->open_store, c->off, r->ser.s, c->len, err) < 0) {
            if (!err->l) ksprintf(err, "out of memory reading back gene %s", og->name);
            for (int v = 0; v < k; v++) free(vars[v].ref), free(vars[v].alt), free(vars[v].calls);
            free(vars);
            return -1;
        }
        const char *p = r->ser.s;
        for (int v = 0; v < c->n; v++) {
            gs_gene_var_t *gv = &vars[k++];
            memcpy(gv, p, sizeof(*gv));
            p += sizeof(*gv);
            gv->calls = malloc(r->nsmp * sizeof(gs_call_t));
            memcpy(gv->calls, p, r->nsmp * sizeof(gs_call_t));
            p += r->nsmp * sizeof(gs_call_t);
            gv->ref = strdup(p);
            p += strlen(p) + 1;
            gv->alt = strdup(p);
            p += strlen(p) + 1;
            p += (8 - (uintptr_t)(p - r->ser.s) % 8) % 8;
        }
    }
    if (og->nvar) memcpy(vars + k, og->vars, og->nvar * sizeof(gs_gene_var_t));
    free(og->vars);
    og->vars = vars;
    og->nvar = og->mvar = n;
    og->nstored = og->nchunk = og->mchunk = 0;
    free(og->chunk);
    og->chunk = NULL;
    return 0;
}

static int close_genes(run_t *r, kstring_t *err)
{
    for (int gi = 0; gi < r->ngene; gi++) {
        open_gene_t *og = &r->genes[gi];
        if (og->nchunk && unspill_open(r, og, err) < 0) return -1;
        gs_gene_t g = {og->name, og->nvar ? og->vars[0].chrom : "", og->nvar, og->vars, r->nsmp, r->samples, 0, 0};
        int gene_dropped = 0;
        char *reported = calloc(og->nvar ? og->nvar : 1, 1);
        for (int i = 0; i < r->nstage && !gene_dropped; i++) {
            const gs_stage_t *st = r->stages[i].st;
            if (!st->gene) continue;
            kstring_t why = KS_INITIALIZE;
            kputs("", &why);
            int ret = st->gene(r->stages[i].state, &g, &why);
            if (ret == GS_FAIL) {
                ksprintf(err, "%s: stage '%s', gene %s: %s", r->o->input, r->stages[i].p->id, og->name, why.s);
                ks_free(&why);
                free(reported);
                return -1;
            }
            if (ret == GS_DROP) gene_dropped = 1;
            for (int v = 0; v < og->nvar; v++) {
                gs_gene_var_t *gv = &og->vars[v];
                if (gene_dropped) gv->dropped = 1;
                if (!gv->dropped || reported[v]) continue;
                reported[v] = 1;
                r->gene_drops++;
                if (r->audit) {
                    kstring_t line = KS_INITIALIZE;
                    ksprintf(&line, "%s\t%lld\t%s\t%s\tremoved_from_gene\t%s\t%s: %s\n", gv->chrom,
                             (long long)gv->pos, gv->ref, gv->alt, r->stages[i].p->id, og->name, why.s);
                    output_write(r->audit, line.s, line.l);
                    ks_free(&line);
                }
            }
            ks_free(&why);
        }
        free(reported);
        /* per affected sample: the variants it carries with a passing call */
        for (int s = 0; s < r->nsmp; s++) {
            if (r->samples[s].affected != 1) continue;
            gs_result_gene_t *rg = NULL;
            for (int v = 0; v < og->nvar; v++) {
                gs_gene_var_t *gv = &og->vars[v];
                const gs_call_t *c = &gv->calls[s];
                if (gv->dropped || !c->pass || !gs_call_carries(c)) continue;
                if (r->uses_modes && !c->modes) continue; /* fits no mode for this patient */
                if (!rg) {
                    rg = gs_results_add_gene(r->res, s, og->name, gv->chrom);
                    rg->panel_level = g.panel_level;
                    rg->panel_moi = g.panel_moi;
                }
                gs_results_add_var(r->res, rg, gv, c->pair >= 0 ? &og->vars[c->pair] : NULL);
            }
            /* complete: scored now, its variants kept out of memory until the outputs are written */
            if (rg && gs_results_stash(r->res, rg, err) < 0) return -1;
        }
        for (int v = 0; v < og->nvar; v++) {
            free(og->vars[v].ref);
            free(og->vars[v].alt);
            free(og->vars[v].calls);
        }
        free(og->vars);
        free(og->name);
        og->vars = NULL; /* freed: an error on a later gene must not free them again */
        og->name = NULL;
        og->nvar = 0;
    }
    r->ngene = 0;
    r->open_bytes = 0;
    if (r->open_store && gs_spill_reset(r->open_store, err) < 0) return -1;
    kh_clear(gene, r->gene_hash);
    return 0;
}

static int consume_batch(run_t *r, batch_t *b, kstring_t *err)
{
    int64_t base = b->rel_lines ? r->lineno + r->hdr_lines : 0; /* chunk line numbers are relative */
    if (b->err) {
        if (b->err_line > 0)
            ksprintf(err, r->is_bcf ? "%s: record %lld: %s" : "%s:%lld: %s", r->o->input,
                     (long long)(base + b->err_line), b->errmsg.s);
        else
            kputs(b->errmsg.s, err);
        return -1;
    }
    if (r->audit && b->audit.l && output_write(r->audit, b->audit.s, b->audit.l) < 0) {
        ksprintf(err, "%s: write failed: %s", r->o->audit, strerror(errno));
        return -1;
    }
    /* records must be sorted across batches too */
    for (int k = 0; k < b->nctgs; k++) {
        int rid = b->ctgs[k];
        if (rid == r->stream_rid) {
            if (k == 0 && b->first_pos < r->stream_pos - 1) {
                ksprintf(err, "%s:%lld: input is not sorted: %s:%lld comes after %s:%lld", r->o->input,
                         (long long)(base + b->first_line), contig_name(r, rid), (long long)b->first_pos + 1,
                         contig_name(r, rid), (long long)r->stream_pos);
                return -1;
            }
            continue;
        }
        pthread_mutex_lock(&r->ctg_lock);
        int closed = r->ctg_closed[rid];
        if (r->stream_rid >= 0) r->ctg_closed[r->stream_rid] = 1;
        pthread_mutex_unlock(&r->ctg_lock);
        if (closed) {
            ksprintf(err, "%s: input is not sorted: contig '%s' appears again%s", r->o->input, contig_name(r, rid),
                     k == 0 ? " at the start of a batch" : "");
            return -1;
        }
        r->stream_rid = rid;
    }
    if (b->nctgs) r->stream_pos = b->last_pos;
    if (b->rel_lines) r->lineno += b->nlines;
    r->nrecords += b->n;
    r->nalleles += b->nalleles;
    r->nkept += b->nkept;
    for (int i = 0; i <= r->nstage; i++) r->drops[i] += b->drops[i];
    for (int i = 0; i < b->nsurv; i++) {
        surv_t *s = &b->surv[i];
        if (s->rid != r->cur_rid) {
            if (close_genes(r, err) < 0) return -1;
            r->cur_rid = s->rid;
        }
        int ret;
        khint_t k = kh_put(gene, r->gene_hash, s->gene, &ret);
        open_gene_t *og;
        if (ret) {
            if (r->ngene == r->mgene) {
                r->mgene = r->mgene ? 2 * r->mgene : 64;
                r->genes = realloc(r->genes, r->mgene * sizeof(open_gene_t));
            }
            og = &r->genes[r->ngene];
            memset(og, 0, sizeof(*og));
            og->name = s->gene; /* hash key and gene name share this string */
            kh_val(r->gene_hash, k) = r->ngene++;
        } else {
            og = &r->genes[kh_val(r->gene_hash, k)];
            free(s->gene);
        }
        s->gene = NULL;
        if (og->nvar == og->mvar) {
            og->mvar = og->mvar ? 2 * og->mvar : 4;
            og->vars = realloc(og->vars, og->mvar * sizeof(gs_gene_var_t));
        }
        gs_gene_var_t *gv = &og->vars[og->nvar];
        gv->chrom = contig_name(r, s->rid);
        gv->pos = s->pos;
        gv->ref = s->ref;
        gv->alt = s->alt;
        gv->consequence = s->consequence;
        gv->severity = s->severity;
        gv->impact = s->impact;
        gv->af = s->af;
        gv->nhomalt = s->nhomalt;
        gv->calls = s->calls;
        gv->dropped = 0;
        gv->ev = s->ev;
        og->nvar++;
        r->open_bytes += sizeof(*gv) + r->nsmp * sizeof(gs_call_t) + strlen(gv->ref) + strlen(gv->alt) + 50;
    }
    b->nsurv = 0;
    if (r->open_bytes > r->spill_cap && spill_open(r, err) < 0) return -1;
    if (r->want_progress) {
        double t = now();
        if (t - r->last_report >= 1.0) {
            r->last_report = t;
            fprintf(stderr, "\r[genesieve] %llu records, %.0f records/s, at %s:%lld   ",
                    (unsigned long long)r->nrecords, r->nrecords / (t - r->t0 + 1e-9),
                    b->last_chrom ? b->last_chrom : "-", (long long)b->last_pos);
        }
    }
    return 0;
}

/* Chunked reading, main thread: the text in rd->carry (the end of the
 * previous chunk joined with the start of the next, or the text after the
 * header) is whole lines once a newline is added; run them here, in order. */
static int process_edge(run_t *r, reader_t *rd, batch_t *e, kstring_t *err)
{
    e->n = 0;
    batch_reset_results(r, e);
    kputc('\n', &rd->carry);
    if (split_lines(e, rd->carry.s, rd->carry.s + rd->carry.l) == 0) process_batch(r, e);
    e->rel_lines = 1;
    rd->carry.l = 0;
    return consume_batch(r, e, err);
}

static int consume_chunk(run_t *r, reader_t *rd, batch_t *b, batch_t *edge, kstring_t *err)
{
    if (b->err && b->no_newline) return consume_batch(r, b, err);
    if (b->truncated != 2) {
        if (b->no_newline) {
            kputsn(b->block.s, b->block.l, &rd->carry);
        } else {
            kputsn(b->block.s, b->head_len, &rd->carry);
            if (process_edge(r, rd, edge, err) < 0) return -1;
            if (consume_batch(r, b, err) < 0) return -1;
            kputsn(b->block.s + b->tail_off, b->block.l - b->tail_off, &rd->carry);
        }
    }
    if (b->truncated) {
        ksprintf(err, "%s: truncated or corrupt input after line %lld", r->o->input, (long long)(r->lineno + r->hdr_lines));
        return -1;
    }
    return 0;
}

/* Views of the whole BCF records in s[*off, len) appended to b (numbered on);
 * *off moves past them.  -1 when out of memory. */
static int bcf_walk(run_t *r, batch_t *b, char *s, size_t len, size_t *off)
{
    while (len - *off >= 8) {
        uint64_t size = bcf_rec_size(s + *off);
        if (size > len - *off) break;
        if (view_grow(b) < 0) return -1;
        b->view[b->n] = (kstring_t){size, size, s + *off};
        b->lineno[b->n++] = ++r->lineno;
        *off += size;
    }
    return 0;
}

/* BCF read in chunks, main thread, once a chunk is inflated: walk the
 * records' lengths.  The bytes carried over from before (the end of the
 * previous chunk; at the start, the rest of the block the header ended in)
 * are completed to a whole record from the chunk's start and walked first,
 * from a copy (b->joined); a record cut by the chunk's end is carried over.
 * 1 = records to decode (the batch goes back to the pool), 0 = none (all of
 * the chunk carried over), -1 = error. */
static int bcf_chunk_walk(run_t *r, reader_t *rd, batch_t *b, kstring_t *err)
{
    b->chunk = 0;
    b->rel_lines = 0;
    b->n = 0;
    if (b->truncated == 2) return bcf_unreadable(r, err);
    char *s = b->block.s;
    size_t len = b->block.l, off = 0;
    kstring_t *c = &rd->carry;
    if (c->l) {
        size_t p = 0; /* the records before p are whole */
        while (c->l - p >= 8) {
            uint64_t size = bcf_rec_size(c->s + p);
            if (size > c->l - p) break;
            p += size;
        }
        if (p < c->l) { /* complete the cut record: its length first */
            size_t t = c->l - p < 8 ? 8 - (c->l - p) : 0;
            if (t > len) t = len;
            if (kputsn(s, t, c) < 0) goto nomem;
            off = t;
            if (c->l - p >= 8) {
                uint64_t size = bcf_rec_size(c->s + p);
                t = size - (c->l - p) < len - off ? size - (c->l - p) : len - off;
                if (kputsn(s + off, t, c) < 0) goto nomem;
                off += t;
                if (c->l - p == size) p = c->l;
            }
            if (p < c->l) return 0; /* still cut: the whole chunk is carried */
        }
        kstring_t tmp = b->joined; /* the carried records move to the batch; its old buffer is the next carry */
        b->joined = *c;
        *c = tmp;
        c->l = 0;
    }
    int spec = b->spec_n >= 0 && b->spec_off == (int64_t)off; /* the worker's walk starts where the records do */
    if (b->joined.l) {
        size_t jo = 0;
        if (spec) { /* the worker's views start at 1: room for the carried records before them */
            int m = 0; /* one, or more at the start (the rest of the header's block) */
            for (size_t q = 0; b->joined.l - q >= 8; m++)
                q += bcf_rec_size(b->joined.s + q);
            if (m != 1) {
                if (view_reserve(b, m + b->spec_n + 1) < 0) goto nomem;
                memmove(b->view + m, b->view + 1, b->spec_n * sizeof(kstring_t));
            }
        }
        if (bcf_walk(r, b, b->joined.s, b->joined.l, &jo) < 0) goto nomem;
        b->joined.l = 0;
    } else if (spec) {
        memmove(b->view, b->view + 1, b->spec_n * sizeof(kstring_t));
    }
    r->bcf_chunks[spec]++;
    if (spec) {
        for (int i = 0; i < b->spec_n; i++) b->lineno[b->n++] = ++r->lineno;
        off = b->spec_end;
    } else if (bcf_walk(r, b, s, len, &off) < 0) {
        goto nomem;
    }
    if (off < len && kputsn(s + off, len - off, c) < 0) goto nomem;
    return b->n > 0;
nomem:
    ksprintf(err, "%s: out of memory reading the input", r->o->input);
    return -1;
}

/* The records of a BCF chunk, decoded: consume them, then report a damaged
 * or cut input after them. */
static int consume_bcf_chunk(run_t *r, batch_t *b, kstring_t *err)
{
    if (consume_batch(r, b, err) < 0) return -1;
    if (b->truncated) return bcf_unreadable(r, err);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Batches                                                             */

static batch_t *batch_new(run_t *r)
{
    /* the run pointer lives right after the batch so the job can find it */
    batch_t *b = calloc(1, sizeof(batch_t) + sizeof(run_t *));
    *(run_t **)(b + 1) = r;
    b->m = BATCH_SIZE;
    b->lineno = calloc(b->m, sizeof(int64_t));
    if (r->is_bcf) {
        b->recs = calloc(b->m, sizeof(bcf1_t *));
        for (int i = 0; i < b->m; i++) b->recs[i] = bcf_init();
    } else {
        b->lines = calloc(b->m, sizeof(kstring_t));
    }
    b->drops = calloc(r->nstage + 1, sizeof(uint64_t));
    return b;
}

static void batch_free(batch_t *b)
{
    if (!b) return;
    for (int i = 0; i < b->m; i++) {
        if (b->recs) bcf_destroy(b->recs[i]);
        if (b->lines) ks_free(&b->lines[i]);
    }
    for (int i = 0; i < b->nsurv; i++) {
        free(b->surv[i].gene);
        free(b->surv[i].ref);
        free(b->surv[i].alt);
        free(b->surv[i].calls);
    }
    free(b->recs);
    free(b->lines);
    free(b->view);
    ks_free(&b->block);
    ks_free(&b->raw);
    ks_free(&b->joined);
    free(b->lineno);
    free(b->surv);
    free(b->ctgs);
    free(b->drops);
    ks_free(&b->audit);
    ks_free(&b->errmsg);
    free(b);
}

/* ------------------------------------------------------------------ */
/* Setup and the main loop                                             */

/* A text header read here as vcf_hdr_read reads it (lines up to #CHROM, empty
 * lines skipped), except that its IDX values are checked before htslib sizes
 * its id tables by them, and, for BGZF text streamed whole (own), the tabix
 * index (which vcf_hdr_read loads to declare contigs the header lacks: 0.1 s
 * of CPU for a genome's index, before the first record) is loaded only when
 * the header declares no contig at all.  NULL when the header is not whole or
 * does not parse (r->hdr_err says why when we know). */
static bcf_hdr_t *read_vcf_header(run_t *r, int own)
{
    kstring_t line = KS_INITIALIZE, txt = KS_INITIALIZE;
    int64_t n = 0;
    int whole = 0;
    while ((own ? bgzf_getline(hts_get_bgzfp(r->fp), '\n', &line) : hts_getline(r->fp, KS_SEP_LINE, &line)) >= 0) {
        n++;
        if (line.l && line.s[line.l - 1] == '\r') line.s[--line.l] = 0;
        if (!line.l) continue;
        if (line.s[0] != '#') break;
        kputsn(line.s, line.l, &txt);
        kputc('\n', &txt);
        if (line.l > 1 && line.s[1] != '#') { whole = 1; break; }
    }
    if (whole && gs_hdr_idx_check(txt.s, &r->hdr_err) < 0) whole = 0;
    bcf_hdr_t *h = whole ? bcf_hdr_init("r") : NULL;
    if (h && bcf_hdr_parse(h, txt.s) < 0) {
        bcf_hdr_destroy(h);
        h = NULL;
    }
    if (h && (!own || !h->n[BCF_DT_CTG]) && strcmp(r->o->input, "-")) {
        tbx_t *idx = tbx_index_load3(r->o->input, NULL, HTS_IDX_SILENT_FAIL);
        int nseq = 0, added = 0;
        const char **names = idx ? tbx_seqnames(idx, &nseq) : NULL;
        for (int i = 0; i < nseq; i++) {
            if (bcf_hdr_name2id(h, names[i]) >= 0) continue;
            line.l = 0;
            ksprintf(&line, "##contig=<ID=%s>", names[i]);
            bcf_hdr_append(h, line.s);
            added++;
        }
        if (added && bcf_hdr_sync(h) < 0) {
            bcf_hdr_destroy(h);
            h = NULL;
        }
        free(names);
        if (idx) tbx_destroy(idx);
    }
    r->hdr_lines = n;
    ks_free(&line);
    ks_free(&txt);
    return h;
}

/* A BCF header read here as bcf_hdr_read reads it (magic, length, text),
 * except that the text is read as it comes (a length the file claims is not
 * allocated up front) and checked before htslib parses it.  NULL on failure
 * (r->hdr_err says why when we know). */
static bcf_hdr_t *read_bcf_header(run_t *r)
{
    BGZF *bg = r->fp->fp.bgzf;
    uint8_t magic[5], len[4];
    if (bgzf_read(bg, magic, 5) != 5 || memcmp(magic, "BCF\2\2", 5) || bgzf_read(bg, len, 4) != 4) return NULL;
    uint64_t l_text = le32(len);
    kstring_t txt = KS_INITIALIZE;
    while (txt.l < l_text) {
        size_t want = l_text - txt.l < (1u << 20) ? l_text - txt.l : (1u << 20);
        if (ks_resize(&txt, txt.l + want + 1) < 0) break;
        ssize_t got = bgzf_read(bg, txt.s + txt.l, want);
        if (got <= 0) break;
        txt.l += got;
    }
    bcf_hdr_t *h = NULL;
    if (txt.l == l_text && l_text && ks_resize(&txt, txt.l + 1) == 0) {
        txt.s[txt.l] = 0;
        if (gs_hdr_idx_check(txt.s, &r->hdr_err) == 0 && (h = bcf_hdr_init("r")) && bcf_hdr_parse(h, txt.s) < 0) {
            bcf_hdr_destroy(h);
            h = NULL;
        }
    }
    ks_free(&txt);
    if (h && bg->is_compressed && strcmp(r->o->input, "-") && bgzf_check_EOF(bg) == 0 && !r->o->quiet)
        fprintf(stderr, "genesieve: warning: %s: no BGZF end-of-file block (the file may be truncated)\n", r->o->input);
    return h;
}

static int open_input(run_t *r, kstring_t *err)
{
    const char *fn = r->o->input;
    r->fp = hts_open(fn, "r");
    if (!r->fp) {
        ksprintf(err, "%s: cannot open: %s", fn, errno ? strerror(errno) : "unknown error");
        return -1;
    }
    const htsFormat *f = hts_get_format(r->fp);
    if (f->category != variant_data || (f->format != vcf && f->format != bcf)) {
        char *d = hts_format_description(f);
        ksprintf(err, "%s: not a VCF or BCF file (detected: %s)", fn, d ? d : "unknown");
        free(d);
        return -1;
    }
    r->is_bcf = f->format == bcf;
    if (r->o->nthreads > 1) {
        /* the pool is attached later, once it exists */
    }
    BGZF *bg = r->is_bcf ? NULL : hts_get_bgzfp(r->fp);
    int own = bg && r->fp->format.compression == bgzf && !bg->is_gzip && !r->o->regions && !r->o->regions_file;
    r->hdr = r->is_bcf ? read_bcf_header(r) : read_vcf_header(r, own);
    if (!r->hdr && r->hdr_err.l) {
        ksprintf(err, "%s: %s", fn, r->hdr_err.s);
        return -1;
    }
    if (!r->hdr) {
        ksprintf(err, "%s: cannot read the VCF header (not a VCF/BCF, or truncated)", fn);
        return -1;
    }
    r->nsmp = bcf_hdr_nsamples(r->hdr);
    r->build = r->o->build ? r->o->build : gs_detect_build(r->hdr);
    return 0;
}

static int setup_samples(run_t *r, kstring_t *err)
{
    if (r->o->ped) {
        r->ped = gs_ped_read(r->o->ped, err);
        if (!r->ped) return -1;
    }
    kstring_t warn = KS_INITIALIZE;
    r->samples = gs_samples_build(r->hdr, r->ped, r->o->ped, &warn, err);
    if (warn.l && !r->o->quiet) fprintf(stderr, "genesieve: warning: %s\n", warn.s);
    ks_free(&warn);
    if (!r->samples) return -1;
    if (!r->nsmp) {
        ksprintf(err, "%s: the VCF has no samples; GeneSieve ranks genes per patient", r->o->input);
        return -1;
    }
    int naff = 0;
    for (int i = 0; i < r->nsmp; i++) naff += r->samples[i].affected == 1;
    if (!naff) {
        ksprintf(err, "%s: no affected sample (phenotype 2) is in the VCF", r->o->ped ? r->o->ped : r->o->input);
        return -1;
    }
    return 0;
}

/* Text input: leave the INFO keys no stage reads out of each record before
 * parsing it (most of vcf_parse's time goes to INFO values).  A stage that
 * cannot say what it reads (a plugin) keeps them all.  And when the pipeline
 * starts with the consequence stage and has only built-in stages (a plugin
 * may want to see every record), that stage's check runs before a record is
 * parsed: what it removes is removed just the same, and counted the same. */
static void setup_info_prune(run_t *r)
{
    int nid = r->hdr->n[BCF_DT_ID];
    uint8_t *keep = calloc(nid ? nid : 1, 1);
    int all = 0;
    for (int i = 0; i < r->nstage && !all; i++)
        all = gs_stage_info_keys(r->stages[i].st, r->stages[i].state, r->hdr, keep) < 0;
    if (r->have_csq) {
        int id = bcf_hdr_id2int(r->hdr, BCF_DT_ID, r->csq.tag); /* gs_variant_csq_field */
        if (id >= 0) keep[id] = 1;
    }
    if (!all && !r->is_bcf && nid) r->prune = gs_info_prune_init(r->hdr, keep);
    free(keep);
    /* with --audit every record is parsed: the audit's reasons are then the
     * stage's own, allele by allele (the counts are the same either way) */
    r->precheck = !all && !r->o->audit && r->nstage && r->stages[0].st == &gs_stage_consequence;
    /* the quality stage drops an allele no affected sample carries (whatever
     * its thresholds): after the consequence stage, the first to remove it */
    r->pre_gt = r->precheck && r->nstage > 1 && r->stages[1].st == &gs_stage_quality;
}

static int setup_stages(run_t *r, kstring_t *err)
{
    gs_pipeline_t *pl = r->o->pl;
    r->nstage = pl->nstage;
    r->stages = calloc(r->nstage ? r->nstage : 1, sizeof(stage_inst_t));
    gs_setup_t su = {r->o->input, r->hdr, r->nsmp, r->samples, r->build};
    for (int i = 0; i < r->nstage; i++) {
        r->stages[i].st = pl->stages[i].stage;
        if (r->stages[i].st->flags & GS_STAGE_SETS_MODES) r->uses_modes = 1;
        r->stages[i].p = &pl->stages[i];
        kstring_t e = KS_INITIALIZE;
        if (r->stages[i].st->init && r->stages[i].st->init(&pl->stages[i], &su, &r->stages[i].state, &e) < 0) {
            ksprintf(err, "%s: stage '%s': %s", r->o->input, pl->stages[i].id, e.s ? e.s : "initialisation failed");
            ks_free(&e);
            r->stages[i].st = NULL; /* not initialised: nothing to destroy */
            r->nstage = i;
            return -1;
        }
        ks_free(&e);
    }
    /* VEP sub-fields for stages (gs_variant_csq_field); a CSQ header without a
     * Format list only means there are none */
    kstring_t e = KS_INITIALIZE;
    int ret = gs_ann_layout_init(&r->csq, GS_ANN_CSQ, "CSQ", r->hdr, &e);
    if (ret < 0 && !r->o->quiet) fprintf(stderr, "genesieve: warning: %s: %s\n", r->o->input, e.s);
    ks_free(&e);
    r->have_csq = ret == 0;
    setup_info_prune(r);
    return 0;
}

static void setup_workers(run_t *r)
{
    /* one per pool thread, and one for the main thread (lines joined across chunks) */
    r->nworker = r->o->nthreads > 1 ? r->o->nthreads + 1 : 1;
    r->workers = calloc(r->nworker, sizeof(worker_t));
    r->free_workers = calloc(r->nworker, sizeof(int));
    pthread_mutex_init(&r->wlock, NULL);
    for (int i = 0; i < r->nworker; i++) {
        worker_t *w = &r->workers[i];
        w->run = r;
        /* the copy re-parses the header text: its warnings were already shown once */
        int level = hts_get_log_level();
        hts_set_log_level(HTS_LOG_ERROR);
        w->hdr = bcf_hdr_dup(r->hdr);
        hts_set_log_level(level);
        w->rec = bcf_init();
        w->inflater = libdeflate_alloc_decompressor();
        if (r->precheck && r->is_bcf) {
            const char *tags[3];
            w->nann = gs_consequence_tags(r->stages[0].state, tags);
            for (int k = 0; k < w->nann; k++) w->ann_id[k] = bcf_hdr_id2int(w->hdr, BCF_DT_ID, tags[k]);
        }
        if (r->is_bcf) w->ids = gs_bcf_ids_new(w->hdr, w->ann_id, w->nann);
        w->calls = calloc(r->nsmp ? r->nsmp : 1, sizeof(gs_call_t));
        w->x_het = calloc(r->nsmp ? r->nsmp : 1, sizeof(uint64_t));
        w->x_hom = calloc(r->nsmp ? r->nsmp : 1, sizeof(uint64_t));
        w->tstate = calloc(r->nstage ? r->nstage : 1, sizeof(void *));
        for (int s = 0; s < r->nstage; s++)
            if (r->stages[s].st->thread_init) w->tstate[s] = r->stages[s].st->thread_init(r->stages[s].state);
        r->free_workers[r->nfree++] = i;
    }
}

static void free_workers(run_t *r)
{
    for (int i = 0; i < r->nworker; i++) {
        worker_t *w = &r->workers[i];
        for (int s = 0; s < r->nstage; s++)
            if (r->stages[s].st->thread_free && w->tstate[s]) r->stages[s].st->thread_free(w->tstate[s]);
        free(w->tstate);
        bcf_hdr_destroy(w->hdr);
        bcf_destroy(w->rec);
        if (w->inflater) libdeflate_free_decompressor(w->inflater);
        gs_bcf_ids_free(w->ids);
        gs_fmt_free(&w->fmt);
        free(w->x_het);
        free(w->x_hom);
        free(w->calls);
        ks_free(&w->why); ks_free(&w->tmp); ks_free(&w->vep_allele); ks_free(&w->csq_raw); ks_free(&w->pruned);
        free(w->csq_f);
        free(w->csq_vals);
    }
    free(r->workers);
    free(r->free_workers);
    pthread_mutex_destroy(&r->wlock);
}

/* Warn when X heterozygosity contradicts the PED sex (males have one X). */
static void check_sex(run_t *r)
{
    if (!r->ped || r->o->quiet) return;
    for (int s = 0; s < r->nsmp; s++) {
        uint64_t het = 0, hom = 0;
        for (int i = 0; i < r->nworker; i++) het += r->workers[i].x_het[s], hom += r->workers[i].x_hom[s];
        if (het + hom < 50) continue; /* too few calls on X to say */
        double frac = (double)het / (het + hom);
        int sex = r->samples[s].sex;
        if ((sex == GS_SEX_MALE && frac > 0.3) || (sex == GS_SEX_FEMALE && frac < 0.05))
            fprintf(stderr, "genesieve: warning: check-sex: %s is %s in the PED but %.0f%% of its %llu ALT calls on X "
                            "outside the PARs are heterozygous\n",
                    r->samples[s].name, sex == GS_SEX_MALE ? "male" : "female", 100 * frac, (unsigned long long)(het + hom));
    }
}

static void print_summary(run_t *r)
{
    if (r->o->quiet) return;
    fprintf(stderr, "genesieve: %llu records, %llu ALT alleles; removed:", (unsigned long long)r->nrecords,
            (unsigned long long)r->nalleles);
    for (int i = 0; i < r->nstage; i++) fprintf(stderr, " %s %llu,", r->stages[i].p->id, (unsigned long long)r->drops[i]);
    fprintf(stderr, " core %llu; kept %llu\n", (unsigned long long)r->drops[r->nstage], (unsigned long long)r->nkept);
}

static int run_info(run_t *r, gs_run_info_t *info, kstring_t *err)
{
    memset(info, 0, sizeof(*info));
    /* the file's name, not where it sits: reports stay the same wherever a
     * workflow engine stages the input */
    const char *slash = strrchr(r->o->input, '/');
    info->input = slash ? slash + 1 : r->o->input;
    slash = strrchr(r->o->pl->source, '/'); /* the same for the pipeline file */
    info->pipeline = slash ? slash + 1 : r->o->pl->source;
    info->version = GS_VERSION;
    info->outdir = r->o->outdir;
    if (gs_run_date(info->date, sizeof info->date, err) < 0) return -1;
    info->nrecords = r->nrecords;
    info->nalleles = r->nalleles;
    info->nkept = r->nkept;
    info->nstage = r->nstage;
    const char **ids = calloc(r->nstage + 1, sizeof(char *));
    for (int i = 0; i < r->nstage; i++) ids[i] = r->stages[i].p->id;
    info->stage_ids = ids;
    info->drops = r->drops;
    info->hdr = r->hdr;
    info->nthreads = r->o->nthreads;
    return 0;
}

/* A batch back from its job: consume it, or, for a BCF chunk just inflated,
 * walk its records and send it back to decode them.  1 = back in the pool
 * (still in flight), 0 = consumed, -1 = error. */
static int batch_done(run_t *r, reader_t *rd, batch_t *b, batch_t *edge, hts_tpool *pool, hts_tpool_process *q,
                      kstring_t *err)
{
    if (!(rd->chunked && r->is_bcf)) return b->chunk ? consume_chunk(r, rd, b, edge, err) : consume_batch(r, b, err);
    if (!b->chunk) return consume_bcf_chunk(r, b, err);
    int got = bcf_chunk_walk(r, rd, b, err);
    if (got < 0) return -1;
    if (!got) return b->truncated ? bcf_unreadable(r, err) : 0;
    if (!pool) {
        job(b);
        return consume_bcf_chunk(r, b, err);
    }
    /* over the queue's size if need be: the batches in flight are bounded all the same */
    if (hts_tpool_dispatch2(pool, q, job, b, -1) < 0) {
        ksprintf(err, "thread pool dispatch failed");
        return -1;
    }
    return 1;
}

/* BCF read in chunks, at the end: whole records still carried over (an input
 * without the end-of-file block whose records all lie in the block the header
 * ended in) are run here; anything else is a cut record. */
static int bcf_chunk_end(run_t *r, reader_t *rd, batch_t *e, kstring_t *err)
{
    e->n = 0;
    batch_reset_results(r, e);
    e->rel_lines = 0;
    size_t off = 0;
    if (bcf_walk(r, e, rd->carry.s, rd->carry.l, &off) < 0) {
        ksprintf(err, "%s: out of memory reading the input", r->o->input);
        return -1;
    }
    if (e->n) {
        process_batch(r, e);
        if (consume_batch(r, e, err) < 0) return -1;
    }
    if (off < rd->carry.l) {
        ksprintf(err, "%s: truncated BCF record after record %lld", r->o->input, (long long)r->lineno);
        return -1;
    }
    rd->carry.l = 0;
    return 0;
}

/* Dispatch batches to the pool, consuming results in order as they come. */
static int stream(run_t *r, reader_t *rd, hts_tpool *pool, kstring_t *err)
{
    hts_tpool_process *q = pool ? hts_tpool_process_init(pool, 2 * (r->nworker - 1), 0) : NULL;
    batch_t **spare = NULL;
    int nspare = 0, mspare = 0, ret = 0, eof = 0;
    long in_flight = 0, max_flight = 2 * (r->nworker > 1 ? r->nworker - 1 : 1); /* 2 per pool thread */
    /* text read whole: in blocks; with regions: line by line */
    int by_block = !rd->indexed && !rd->filter;
    /* bcf_read checks each record's ids against the header; the index iterator does not */
    r->check_ids = r->is_bcf && rd->indexed;
    batch_t *edge = rd->chunked ? batch_new(r) : NULL;
    while (!eof || in_flight) {
        if (!eof) {
            batch_t *b = nspare ? spare[--nspare] : batch_new(r);
            b->n = 0;
            batch_reset_results(r, b);
            if (!(++b->reuse % 8)) batch_trim(b); /* now and then: what a slot keeps is bounded all the same */
            if (rd->chunked) {
                int got = reader_chunk(rd, b, err);
                if (got < 0) ret = -1;
                if (!got) eof = 1;
                b->chunk = got > 0;
            } else if (by_block) {
                int got = r->is_bcf ? reader_bcf_block(rd, b, err) : reader_block(rd, b, err);
                if (got < 0) ret = -1;
                if (!got) eof = 1;
            } else {
                while (b->n < b->m) {
                    int got = reader_next(rd, b, b->n, err);
                    if (got < 0) { ret = -1; break; }
                    if (!got) { eof = 1; break; }
                    b->n++;
                }
            }
            if (ret < 0) { batch_free(b); break; }
            if (!b->n && !b->chunk) {
                batch_free(b);
                continue;
            }
            if (!pool) {
                job(b);
                ret = batch_done(r, rd, b, edge, NULL, NULL, err);
                if (nspare == mspare) spare = realloc(spare, (mspare = mspare ? 2 * mspare : 8) * sizeof(*spare));
                spare[nspare++] = b;
                if (ret < 0) break;
                continue;
            }
            while (hts_tpool_dispatch2(pool, q, job, b, 1) < 0) {
                if (errno != EAGAIN) { ksprintf(err, "thread pool dispatch failed"); ret = -1; break; }
                hts_tpool_result *res = hts_tpool_next_result_wait(q);
                batch_t *done = hts_tpool_result_data(res);
                hts_tpool_delete_result(res, 0);
                int c = batch_done(r, rd, done, edge, pool, q, err);
                if (c == 1) continue;
                in_flight--;
                if (nspare == mspare) spare = realloc(spare, (mspare = mspare ? 2 * mspare : 8) * sizeof(*spare));
                spare[nspare++] = done;
                if (c < 0) { ret = -1; break; }
            }
            if (ret < 0) { batch_free(b); break; }
            in_flight++;
        }
        /* collect what is ready; block only when the input is exhausted or
         * enough batches are in flight (each one keeps its memory: their
         * number, not only the pool's queue, is bounded) */
        hts_tpool_result *res;
        while (in_flight && (res = eof || in_flight >= max_flight ? hts_tpool_next_result_wait(q) : hts_tpool_next_result(q))) {
            batch_t *done = hts_tpool_result_data(res);
            hts_tpool_delete_result(res, 0);
            int c = batch_done(r, rd, done, edge, pool, q, err);
            if (c == 1) continue;
            in_flight--;
            if (nspare == mspare) spare = realloc(spare, (mspare = mspare ? 2 * mspare : 8) * sizeof(*spare));
            spare[nspare++] = done;
            if (c < 0) { ret = -1; break; }
        }
        if (ret < 0) break;
    }
    /* the last line, when the input does not end with a newline */
    if (!ret && edge && rd->carry.l) ret = r->is_bcf ? bcf_chunk_end(r, rd, edge, err) : process_edge(r, rd, edge, err);
    if (q) {
        /* on error, wait for the jobs still running before freeing their batches */
        while (in_flight > 0) {
            hts_tpool_result *res = hts_tpool_next_result_wait(q);
            if (!res) break;
            batch_free(hts_tpool_result_data(res));
            hts_tpool_delete_result(res, 0);
            in_flight--;
        }
        hts_tpool_process_destroy(q);
    }
    for (int i = 0; i < nspare; i++) batch_free(spare[i]);
    free(spare);
    batch_free(edge);
    return ret;
}

int gs_run(const gs_opts_t *o)
{
    run_t R, *r = &R;
    memset(r, 0, sizeof(R));
    r->o = o;
    r->cur_rid = r->stream_rid = -1;
    r->spill_cap = gs_spill_default_cap();
    r->ctg_hash = kh_init(ctg);
    r->gene_hash = kh_init(gene);
    pthread_mutex_init(&r->ctg_lock, NULL);
    kstring_t err = KS_INITIALIZE;
    hts_tpool *pool = NULL;
    htsThreadPool tp = {NULL, 0};
    reader_t rd;
    memset(&rd, 0, sizeof(rd));
    int status = 1, have_reader = 0;

    char date[32];
    if (gs_run_date(date, sizeof date, &err) < 0) goto out; /* a bad SOURCE_DATE_EPOCH fails before any work */
    if (open_input(r, &err) < 0) goto out;
    if (setup_samples(r, &err) < 0) goto out;
    if (setup_stages(r, &err) < 0) goto out;
    if (reader_init(&rd, r, &err) < 0) goto out;
    have_reader = 1;
    if (!o->partial) {
        if (gs_output_names_unique(o->outdir, r->samples, r->nsmp, &err) < 0) goto out;
        if (gs_output_dir_check(o->outdir, o->force, &err) < 0) goto out;
        if (gs_output_dir(o->outdir, &err) < 0) goto out;
    }
    r->res = gs_results_init(r->nsmp, r->samples, r->uses_modes);
    if (o->pheno && gs_pheno_attach(o->pheno, r->res, r->samples, r->nsmp, &err) < 0) goto out;
    if (o->audit) {
        r->audit = output_open(o->audit, &err);
        if (!r->audit) goto out;
        const char *hdr = "#CHROM\tPOS\tREF\tALT\tSTATUS\tSTAGE\tREASON\n";
        output_write(r->audit, hdr, strlen(hdr));
    }
    r->drops = calloc(r->nstage + 1, sizeof(uint64_t));
    if (o->nthreads > 1) {
        /* the pool's threads block every signal (they inherit this mask), so the
         * handler that removes temporary outputs runs on the main thread only */
        sigset_t all_sigs, old_sigs;
        sigfillset(&all_sigs);
        pthread_sigmask(SIG_BLOCK, &all_sigs, &old_sigs);
        pool = hts_tpool_init(o->nthreads);
        pthread_sigmask(SIG_SETMASK, &old_sigs, NULL);
        if (!pool) { ksprintf(&err, "cannot start %d threads", o->nthreads); goto out; }
        tp.pool = pool;
        if (!rd.chunked) hts_set_opt(r->fp, HTS_OPT_THREAD_POOL, &tp); /* chunked: blocks inflate in our jobs */
    }
    setup_workers(r);
    r->t0 = r->last_report = now();
    r->want_progress = o->progress;
    int sret = stream(r, &rd, pool, &err);
    if (r->want_progress && r->nrecords) fputc('\n', stderr);
    if (sret < 0) goto out_workers;
    if (close_genes(r, &err) < 0) goto out_workers;
    gs_spill_free(r->open_store); /* every gene is closed */
    r->open_store = NULL;
    ks_free(&r->ser);
    gs_run_info_t info;
    if (run_info(r, &info, &err) < 0) { free((void *)info.stage_ids); goto out_workers; }
    kstring_t settings = KS_INITIALIZE, regions = KS_INITIALIZE;
    gs_pipeline_describe(o->pl, &settings);
    info.settings = settings.s;
    if (o->regions || o->regions_file) {
        kputs("", &regions);
        for (int i = 0; i < rd.nreg; i++)
            ksprintf(&regions, "%s%s:%lld-%lld", i ? "," : "", rd.reg[i].chrom, (long long)rd.reg[i].beg,
                     (long long)(rd.reg[i].end == INT64_MAX ? INT64_MAX / 2 : rd.reg[i].end));
        info.regions = regions.s;
    }
    double t_stream = now();
    struct rusage ru_stream;
    getrusage(RUSAGE_SELF, &ru_stream);
    int wret = o->partial ? gs_write_partial(r->res, o->pl->max_genes, &info, o->partial, &err)
                          : gs_results_write(r->res, o->outdir, o->pl->max_genes, &info, &err);
    free((void *)info.stage_ids);
    ks_free(&settings);
    ks_free(&regions);
    if (wret < 0) goto out_workers;
    if (getenv("GENESIEVE_TIMING")) /* for benchmarks: where the time went */
        fprintf(stderr, "genesieve: timing: stream %.3f s (peak RSS %ld KB), outputs %.3f s; BCF chunks walked on the workers %llu, on the main thread %llu\n",
                t_stream - r->t0, ru_stream.ru_maxrss, now() - t_stream, (unsigned long long)r->bcf_chunks[1], (unsigned long long)r->bcf_chunks[0]);
    if (r->audit) {
        if (output_commit(r->audit, &err) < 0) { r->audit = NULL; goto out_workers; }
        r->audit = NULL;
    }
    if (gs_outputs_commit(&err) < 0) goto out_workers;
    print_summary(r);
    check_sex(r);
    if (!o->quiet && !o->partial) gs_results_print_summary(r->res, o->outdir, stderr);
    if (!o->quiet && o->partial) fprintf(stderr, "genesieve: partial result -> %s (combine with `genesieve merge`)\n", o->partial);
    status = 0;
out_workers:
    free_workers(r);
out:
    if (status) {
        fprintf(stderr, "genesieve: error: %s\n", err.s ? err.s : "failed");
        if (r->audit) output_abort(r->audit);
        gs_outputs_abort();
    }
    if (have_reader) reader_free(&rd);
    for (int i = 0; i < r->nstage; i++)
        if (r->stages[i].st && r->stages[i].st->destroy) r->stages[i].st->destroy(r->stages[i].state);
    free(r->stages);
    if (r->have_csq) gs_ann_layout_free(&r->csq);
    gs_info_prune_free(r->prune);
    for (int i = 0; i < r->ngene; i++) {
        for (int v = 0; v < r->genes[i].nvar; v++) {
            free(r->genes[i].vars[v].ref);
            free(r->genes[i].vars[v].alt);
            free(r->genes[i].vars[v].calls);
        }
        free(r->genes[i].vars);
        free(r->genes[i].name);
        free(r->genes[i].chunk);
    }
    free(r->genes);
    gs_spill_free(r->open_store);
    ks_free(&r->ser);
    ks_free(&r->hdr_err);
    kh_destroy(gene, r->gene_hash);
    for (int i = 0; i < r->nctg; i++) free(r->ctg_names[i]);
    free(r->ctg_names);
    free(r->ctg_closed);
    kh_destroy(ctg, r->ctg_hash);
    pthread_mutex_destroy(&r->ctg_lock);
    free(r->drops);
    if (r->res) gs_results_free(r->res);
    if (r->hdr) bcf_hdr_destroy(r->hdr);
    if (r->fp) hts_close(r->fp);
    if (pool) hts_tpool_destroy(pool);
    gs_samples_free(r->samples, r->nsmp);
    gs_ped_free(r->ped);
    ks_free(&err);
    return status;
}
