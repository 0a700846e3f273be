/* candidates.c -- DIR/candidates.vcf.gz: every allele in some patient's ranked
 * list, one record per ALT allele, sorted, bgzipped and tabix-indexed, with
 * INFO lists (one entry per patient and gene): GS_SAMPLE, GS_GENE, GS_MODE,
 * GS_RANK, GS_SCORE. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <htslib/bgzf.h>
#include <htslib/kstring.h>
#include <htslib/vcf.h>

#include "fmt.h"
#include "output.h"
#include "spill.h"
#include "tbi.h"
#include "stages/builtin.h"

/* The entries are sorted by merging: each listed gene's variants are sorted
 * on their own and their keys written to a scratch store, then one cursor per
 * gene reads them back a few at a time while a heap takes the smallest.
 * Memory then depends on the number of genes, not of variants. */

/* A key in the scratch store: this header, then REF and ALT NUL-terminated, padded to 8. */
typedef struct {
    int64_t pos;
    const char *chrom;   /* interned: the results' contig names */
    int32_t ctg;         /* contig order in the input header, or INT32_MAX after it */
    uint32_t len;        /* of the whole record */
} cand_key_t;

typedef struct {
    const gs_result_gene_t *g;
    int patient;
    long rank;
    int64_t off, end;    /* the gene's keys still to read in the scratch store */
    char *buf;           /* keys read ahead; the current one at buf + at */
    size_t at, len, m;
    cand_key_t k;             /* the current key */
    const char *ref, *alt;
} cursor_t;

#define READ_AHEAD 512

/* A score as the Float INFO value "%.4f" prints once htslib has read it: rounded
 * from its exact value as printf rounds (a multiplied-and-rounded value differs
 * on ties such as 4.34345), then to single precision, written by kputd. */
static void put_score(double x, kstring_t *tmp, kstring_t *s)
{
    tmp->l = 0;
    gs_kfmt(tmp, "%.4f", x); /* printf's text, without vsnprintf */
    kputd((float)strtod(tmp->s, NULL), s);
}

static int cmp_keys(const cand_key_t *x, const char *xref, const char *xalt, const cand_key_t *y, const char *yref,
                    const char *yalt)
{
    if (x->ctg != y->ctg) return x->ctg < y->ctg ? -1 : 1;
    int c = x->ctg == INT32_MAX ? strcmp(x->chrom, y->chrom) : 0;
    if (c) return c;
    if (x->pos != y->pos) return x->pos < y->pos ? -1 : 1;
    if ((c = strcmp(xref, yref))) return c;
    return strcmp(xalt, yalt);
}

/* the old order of the entries: the allele, then patient, then rank */
static int cmp_cursor(const cursor_t *x, const cursor_t *y)
{
    int c = cmp_keys(&x->k, x->ref, x->alt, &y->k, y->ref, y->alt);
    if (c) return c;
    if (x->patient != y->patient) return x->patient < y->patient ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* Load the cursor's next key; 0 when the gene has none left. */
static int cursor_next(const gs_spill_t *st, cursor_t *c, kstring_t *err)
{
    c->at += c->k.len; /* past the current key (none at first: k.len is 0) */
    for (;;) {
        size_t have = c->len - c->at;
        size_t need = have >= sizeof(cand_key_t) ? ((const cand_key_t *)(c->buf + c->at))->len : sizeof(cand_key_t);
        if (need < sizeof(cand_key_t)) need = sizeof(cand_key_t);
        if (have >= need) break;
        if (c->off == c->end) {
            free(c->buf);
            c->buf = NULL;
            c->at = c->len = c->m = 0;
            if (have) { ksprintf(err, "temporary store: truncated key"); return -1; }
            return 0;
        }
        /* keep what is left, read what follows */
        size_t want = need > READ_AHEAD ? need : READ_AHEAD;
        if (c->m < want) {
            char *b = malloc(want);
            if (!b) { ksprintf(err, "out of memory"); return -1; }
            if (have) memcpy(b, c->buf + c->at, have);
            free(c->buf);
            c->buf = b;
            c->m = want;
        } else if (have) {
            memmove(c->buf, c->buf + c->at, have);
        }
        c->at = 0;
        size_t get = c->m - have;
        if ((int64_t)get > c->end - c->off) get = (size_t)(c->end - c->off);
        if (gs_spill_get(st, c->off, c->buf + have, get, err) < 0) return -1;
        c->off += get;
        c->len = have + get;
    }
    memcpy(&c->k, c->buf + c->at, sizeof(cand_key_t));
    c->ref = c->buf + c->at + sizeof(cand_key_t);
    c->alt = c->ref + strlen(c->ref) + 1;
    return 1;
}

static void heap_down(cursor_t **h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && cmp_cursor(h[l], h[m]) < 0) m = l;
        if (l + 1 < n && cmp_cursor(h[l + 1], h[m]) < 0) m = l + 1;
        if (m == i) return;
        cursor_t *t = h[i]; h[i] = h[m]; h[m] = t;
        i = m;
    }
}

static void heap_up(cursor_t **h, size_t i)
{
    while (i) {
        size_t p = (i - 1) / 2;
        if (cmp_cursor(h[i], h[p]) >= 0) return;
        cursor_t *t = h[i]; h[i] = h[p]; h[p] = t;
        i = p;
    }
}

/* one variant of a gene being sorted */
typedef struct {
    cand_key_t k;
    const char *ref, *alt;
    int i;
} var_key_t;

static int cmp_var(const void *a, const void *b)
{
    const var_key_t *x = a, *y = b;
    int c = cmp_keys(&x->k, x->ref, x->alt, &y->k, y->ref, y->alt);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* the order cursors start in: by the contig of their first key */
static int cmp_start(const void *a, const void *b)
{
    const cursor_t *x = *(cursor_t *const *)a, *y = *(cursor_t *const *)b;
    if (x->k.ctg != y->k.ctg) return x->k.ctg < y->k.ctg ? -1 : 1;
    int c = x->k.ctg == INT32_MAX ? strcmp(x->k.chrom, y->k.chrom) : 0;
    if (c) return c;
    return x < y ? -1 : x > y;
}

/* INFO strings may not hold ';', '=', ',', '|', spaces or tabs */
static void info_safe(const char *s, kstring_t *o)
{
    for (; *s; s++) kputc(strchr(";=,| \t\n", *s) || (unsigned char)*s < 33 ? '_' : *s, o);
}

static int same_allele(const cursor_t *a, const cursor_t *b)
{
    return a->k.pos == b->k.pos && !strcmp(a->k.chrom, b->k.chrom) && !strcmp(a->ref, b->ref) && !strcmp(a->alt, b->alt);
}

/* cursor c starts on a contig no later than top's */
static int starts_by(const cursor_t *c, const cursor_t *top)
{
    if (c->k.ctg != top->k.ctg) return c->k.ctg < top->k.ctg;
    return c->k.ctg != INT32_MAX || strcmp(c->k.chrom, top->k.chrom) <= 0;
}

int gs_write_candidates(const gs_results_t *r, long max_genes, const gs_run_info_t *info, const char *dir, kstring_t *err)
{
    const gs_sample_t *smp = gs_results_samples(r);
    kstring_t final = KS_INITIALIZE, tmp = KS_INITIALIZE, idx = KS_INITIALIZE, line = KS_INITIALIZE, rec_buf = KS_INITIALIZE;
    kstring_t why = KS_INITIALIZE, num = KS_INITIALIZE;  /* the index writer's error; a score's text */
    int ret = -1;
    bcf_hdr_t *h = NULL;
    bcf1_t *rec = NULL;
    htsFile *fp = NULL;
    gs_tbi_t *tbi = NULL;
    gs_gene_view_t view;
    memset(&view, 0, sizeof(view));
    var_key_t *vk = NULL;
    int mvk = 0;
    cursor_t *cur = NULL, **order = NULL, **heap = NULL, **grp = NULL;
    size_t ncur = 0, mcur = 0, ngrp = 0, mgrp = 0;
    gs_spill_t *keys = gs_spill_init(gs_spill_default_cap());
    if (!keys) { ksprintf(err, "out of memory"); return -1; }
    ksprintf(&final, "%s/candidates.vcf.gz", dir);
    ksprintf(&tmp, "%s/.candidates.vcf.gz.tmp.%ld", dir, (long)getpid());
    ksprintf(&idx, "%s.tbi", tmp.s);
    int busy = 0;

    /* every listed gene's keys, sorted gene by gene */
    for (int p = 0; p < gs_results_nsmp(r); p++) {
        if (smp[p].affected != 1) continue;
        gs_result_gene_t *const *g;
        long ng = gs_results_genes(r, p, &g);
        if (max_genes > 0 && ng > max_genes) ng = max_genes;
        for (long i = 0; i < ng; i++) {
            if (!g[i]->nvar) continue;
            const gs_result_gene_t *x = gs_results_load(r, g[i], &view, err);
            if (!x) goto out;
            if (mvk < x->nvar) {
                free(vk);
                mvk = x->nvar;
                vk = malloc(mvk * sizeof(*vk));
            }
            for (int v = 0; v < x->nvar; v++) {
                const gs_result_var_t *y = &x->vars[v];
                int id = bcf_hdr_name2id(info->hdr, y->chrom);
                vk[v] = (var_key_t){{y->pos, y->chrom, id >= 0 ? id : INT32_MAX, 0}, y->ref, y->alt, v};
            }
            if (x->nvar > 1) qsort(vk, x->nvar, sizeof(*vk), cmp_var);
            rec_buf.l = 0;
            for (int v = 0; v < x->nvar; v++) {
                size_t at = rec_buf.l;
                kputsn_(&vk[v].k, sizeof(cand_key_t), &rec_buf);
                kputsn_(vk[v].ref, strlen(vk[v].ref) + 1, &rec_buf);
                kputsn_(vk[v].alt, strlen(vk[v].alt) + 1, &rec_buf);
                gs_put_pad8(&rec_buf);
                uint32_t len = (uint32_t)(rec_buf.l - at);
                memcpy(rec_buf.s + at + offsetof(cand_key_t, len), &len, sizeof len);
            }
            if (ncur == mcur) cur = realloc(cur, (mcur = mcur ? 2 * mcur : 256) * sizeof(*cur));
            cursor_t *c = &cur[ncur++];
            memset(c, 0, sizeof(*c));
            c->g = g[i];
            c->patient = p;
            c->rank = i + 1;
            c->k.ctg = vk[0].k.ctg;   /* where it starts */
            c->k.chrom = vk[0].k.chrom;
            if (gs_spill_put(keys, rec_buf.s, rec_buf.l, &c->off, err) < 0) goto out;
            c->end = c->off + (int64_t)rec_buf.l;
        }
    }
    gs_gene_view_free(&view);
    free(vk);
    vk = NULL;
    order = malloc((ncur ? ncur : 1) * sizeof(*order));
    heap = malloc((ncur ? ncur : 1) * sizeof(*heap));
    for (size_t i = 0; i < ncur; i++) order[i] = &cur[i];
    if (ncur > 1) qsort(order, ncur, sizeof(*order), cmp_start);

    h = bcf_hdr_init("w");
    rec = bcf_init();
    /* contigs of the input, then our tags */
    for (int i = 0; i < info->hdr->nhrec; i++) {
        bcf_hrec_t *hr = info->hdr->hrec[i];
        if (hr->type == BCF_HL_CTG) bcf_hdr_add_hrec(h, bcf_hrec_dup(hr));
    }
    bcf_hdr_append(h, "##INFO=<ID=GS_SAMPLE,Number=.,Type=String,Description=\"GeneSieve: patient whose ranked list holds the allele (one entry per patient and gene)\">");
    bcf_hdr_append(h, "##INFO=<ID=GS_GENE,Number=.,Type=String,Description=\"GeneSieve: gene of the entry\">");
    bcf_hdr_append(h, "##INFO=<ID=GS_MODE,Number=.,Type=String,Description=\"GeneSieve: the gene's best inheritance mode for the patient ('.' none)\">");
    bcf_hdr_append(h, "##INFO=<ID=GS_RANK,Number=.,Type=Integer,Description=\"GeneSieve: rank of the gene for the patient\">");
    bcf_hdr_append(h, "##INFO=<ID=GS_SCORE,Number=.,Type=Float,Description=\"GeneSieve: score of the gene for the patient\">");
    kstring_t src = KS_INITIALIZE;
    ksprintf(&src, "##source=GeneSieve %s", info->version);
    bcf_hdr_append(h, src.s);
    ks_free(&src);
    bcf_hdr_add_sample(h, NULL);
    if (bcf_hdr_sync(h) < 0) { ksprintf(err, "%s: cannot build the VCF header", final.s); goto out; }
    gs_outputs_busy(tmp.s);
    gs_outputs_busy(idx.s);
    busy = 1;
    fp = hts_open(tmp.s, "wz1"); /* quick: a derived file, written after the stream */
    if (!fp || bcf_hdr_write(fp, h) < 0) { ksprintf(err, "%s: cannot write", final.s); goto out; }
    /* indexed while written (not read again afterwards), in flat memory */
    tbi = gs_tbi_init();
    if (!tbi) { ksprintf(err, "%s: cannot index: out of memory", final.s); goto out; }
    size_t nh = 0, next = 0;
    for (;;) {
        /* the genes that start on the contig being written (or before) join the heap */
        while (next < ncur && (!nh || starts_by(order[next], heap[0]))) {
            cursor_t *c = order[next++];
            int got = cursor_next(keys, c, err);
            if (got < 0) goto out;
            if (!got) continue;
            heap[nh] = c;
            heap_up(heap, nh++);
        }
        if (!nh) break;
        /* every entry of the smallest allele */
        cursor_t *first = heap[0];
        ngrp = 0;
        do {
            if (ngrp == mgrp) grp = realloc(grp, (mgrp = mgrp ? 2 * mgrp : 16) * sizeof(*grp));
            grp[ngrp++] = heap[0];
            heap[0] = heap[--nh];
            heap_down(heap, nh, 0);
        } while (nh && same_allele(heap[0], first));
        line.l = 0;
        kputs(first->k.chrom, &line);
        kputc('\t', &line);
        kputll(first->k.pos, &line);
        kputsn("\t.\t", 3, &line);
        kputs(first->ref, &line);
        kputc('\t', &line);
        kputs(first->alt, &line);
        kputsn("\t.\t.\t", 5, &line);
        const char *tags[] = {"GS_SAMPLE=", ";GS_GENE=", ";GS_MODE=", ";GS_RANK=", ";GS_SCORE="};
        for (int t = 0; t < 5; t++) {
            kputs(tags[t], &line);
            for (size_t k = 0; k < ngrp; k++) {
                if (k) kputc(',', &line);
                const gs_result_gene_t *g = grp[k]->g;
                switch (t) {
                case 0: info_safe(smp[grp[k]->patient].name, &line); break;
                case 1: info_safe(g->gene, &line); break;
                case 2: kputs(g->mode >= 0 ? gs_mode_name(g->mode) : ".", &line); break;
                case 3: kputl(grp[k]->rank, &line); break;
                case 4: put_score(g->score, &num, &line); break;
                }
            }
        }
        /* the text as vcf_write would write it */
        int rid = bcf_hdr_name2id(h, first->k.chrom);
        uint64_t voff = bgzf_tell(fp->fp.bgzf);
        if (rid >= 0) {
            kputc('\n', &line);
            if (bgzf_write(fp->fp.bgzf, line.s, line.l) != (ssize_t)line.l) rid = -2;
        } else if (vcf_parse(&line, h, rec) == 0 && bcf_write(fp, h, rec) == 0) { /* a contig the input's header lacks */
            rid = 0;
        }
        if (rid < 0) {
            ksprintf(err, "%s: cannot write the record at %s:%lld", final.s, first->k.chrom, (long long)first->k.pos);
            goto out;
        }
        if (gs_tbi_push(tbi, first->k.chrom, first->k.pos - 1, first->k.pos - 1 + (int64_t)strlen(first->ref), voff,
                        bgzf_tell(fp->fp.bgzf), &why) < 0) {
            ksprintf(err, "%s.tbi: %s", final.s, why.s);
            goto out;
        }
        for (size_t k = 0; k < ngrp; k++) {
            int got = cursor_next(keys, grp[k], err);
            if (got < 0) goto out;
            if (got) {
                heap[nh] = grp[k];
                heap_up(heap, nh++);
            }
        }
    }
    if (hts_close(fp) != 0) { fp = NULL; ksprintf(err, "%s: write failed", final.s); goto out; }
    fp = NULL;
    if (gs_tbi_save(tbi, idx.s, err) < 0) goto out;
    gs_outputs_add_pending(tmp.s, final.s);
    ksprintf(&final, ".tbi");
    gs_outputs_add_pending(idx.s, final.s);
    ret = 0;
out:
    if (busy) gs_outputs_idle();
    if (fp) hts_close(fp);
    if (ret < 0 && busy) { unlink(tmp.s); unlink(idx.s); }
    gs_tbi_free(tbi);
    if (rec) bcf_destroy(rec);
    if (h) bcf_hdr_destroy(h);
    for (size_t i = 0; i < ncur; i++) free(cur[i].buf);
    free(cur);
    free(order);
    free(heap);
    free(grp);
    free(vk);
    gs_gene_view_free(&view);
    gs_spill_free(keys);
    ks_free(&final);
    ks_free(&tmp);
    ks_free(&idx);
    ks_free(&line);
    ks_free(&rec_buf);
    ks_free(&why);
    ks_free(&num);
    return ret;
}
