/* tbi.c -- a streaming tabix index writer (see tbi.h).
 *
 * The format (htslib's tabix.c / SAMv1.pdf "TBI"): "TBI\1", n_ref, the VCF
 * preset (format 2, columns 1/2/0, meta '#', skip 0), the contig names; per
 * contig its bins (UCSC binning, 14-bit windows, 5 levels; each bin a list of
 * virtual-offset chunks; htslib's pseudo-bin 37450 with the contig's first and
 * last offsets and its record count) and its linear index (per 16 kb window
 * the smallest offset of a record overlapping it; empty windows take the one
 * before); then the number of records without coordinates (0). */
#include <stdlib.h>
#include <string.h>
#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include "spill.h"
#include "tbi.h"

#define MIN_SHIFT 14
#define N_LVLS 5
#define PSEUDO_BIN 37450

typedef struct {
    uint32_t bin;
    uint64_t beg, end;
} tchunk_t;

struct gs_tbi {
    kstring_t names;            /* NUL-terminated, in order of appearance */
    int n_ref;
    gs_spill_t *parts;          /* each finished contig's part of the index */
    /* the contig being written */
    char *chrom;
    tchunk_t *ch;               /* its chunks, in the order written */
    size_t nch, mch;
    uint64_t *lin;              /* linear index; (uint64_t)-1 = no record yet */
    size_t nlin, mlin;
    uint64_t first, last, nrec;
    int64_t last_beg;           /* the last record's start (records come sorted) */
    kstring_t buf;
};

gs_tbi_t *gs_tbi_init(void)
{
    gs_tbi_t *t = calloc(1, sizeof(*t));
    if (t && !(t->parts = gs_spill_init(gs_spill_default_cap()))) {
        free(t);
        return NULL;
    }
    return t;
}

/* put32/put64 write into room made beforehand (ks_resize, checked) */
static void put32(kstring_t *s, uint32_t x)
{
    uint8_t b[4] = {x, x >> 8, x >> 16, x >> 24};
    kputsn((char *)b, 4, s);
}

static void put64(kstring_t *s, uint64_t x)
{
    put32(s, (uint32_t)x);
    put32(s, (uint32_t)(x >> 32));
}

static int cmp_chunk(const void *a, const void *b)
{
    const tchunk_t *x = a, *y = b;
    if (x->bin != y->bin) return x->bin < y->bin ? -1 : 1;
    return x->beg < y->beg ? -1 : x->beg > y->beg;
}

/* The finished contig's part of the index, to the store. */
static int end_contig(gs_tbi_t *t, kstring_t *err)
{
    if (!t->chrom) return 0;
    qsort(t->ch, t->nch, sizeof(tchunk_t), cmp_chunk);
    /* merge the chunks of a bin that touch */
    size_t n = 0;
    for (size_t i = 0; i < t->nch; i++) {
        if (n && t->ch[n - 1].bin == t->ch[i].bin && t->ch[i].beg <= t->ch[n - 1].end) {
            if (t->ch[i].end > t->ch[n - 1].end) t->ch[n - 1].end = t->ch[i].end;
        } else {
            t->ch[n++] = t->ch[i];
        }
    }
    size_t nbin = 0;
    for (size_t i = 0; i < n; i++) nbin += !i || t->ch[i].bin != t->ch[i - 1].bin;
    kstring_t *s = &t->buf;
    s->l = 0;
    if (ks_resize(s, 4 + nbin * 8 + n * 16 + 48 + 4 + t->nlin * 8) < 0) {
        ksprintf(err, "out of memory indexing");
        return -1;
    }
    put32(s, (uint32_t)nbin + 1);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && t->ch[j].bin == t->ch[i].bin) j++;
        put32(s, t->ch[i].bin);
        put32(s, (uint32_t)(j - i));
        for (; i < j; i++) {
            put64(s, t->ch[i].beg);
            put64(s, t->ch[i].end);
        }
    }
    put32(s, PSEUDO_BIN);
    put32(s, 2);
    put64(s, t->first);
    put64(s, t->last);
    put64(s, t->nrec);
    put64(s, 0);
    put32(s, (uint32_t)t->nlin);
    for (size_t w = 0; w < t->nlin; w++) {
        if (t->lin[w] == (uint64_t)-1) t->lin[w] = w ? t->lin[w - 1] : t->first;
        put64(s, t->lin[w]);
    }
    int64_t off;
    if (gs_spill_put(t->parts, s->s, s->l, &off, err) < 0) return -1;
    free(t->chrom);
    t->chrom = NULL;
    t->nch = t->nlin = 0;
    return 0;
}

int gs_tbi_push(gs_tbi_t *t, const char *chrom, int64_t beg, int64_t end, uint64_t voff_beg, uint64_t voff_end,
                kstring_t *err)
{
    if (beg < 0 || end > (1LL << 29)) { /* what the 5-level bins of a .tbi can hold */
        ksprintf(err, "cannot index %s:%lld: a tabix index holds positions up to 2^29", chrom, (long long)beg + 1);
        return -1;
    }
    if (!t->chrom || strcmp(t->chrom, chrom)) {
        if (end_contig(t, err) < 0) return -1;
        if (!(t->chrom = strdup(chrom))) goto nomem;
        if (kputsn(chrom, strlen(chrom) + 1, &t->names) < 0) goto nomem;
        t->n_ref++;
        t->first = voff_beg;
        t->nrec = 0;
    } else if (beg < t->last_beg) {
        ksprintf(err, "cannot index %s:%lld: records out of order", chrom, (long long)beg + 1);
        return -1;
    }
    t->last_beg = beg;
    if (end <= beg) end = beg + 1;
    int bin = hts_reg2bin(beg, end, MIN_SHIFT, N_LVLS);
    if (t->nch && t->ch[t->nch - 1].bin == (uint32_t)bin && t->ch[t->nch - 1].end == voff_beg) {
        t->ch[t->nch - 1].end = voff_end; /* the same bin as the record before: one chunk */
    } else {
        if (t->nch == t->mch) {
            size_t m = t->mch ? 2 * t->mch : 256;
            tchunk_t *c = realloc(t->ch, m * sizeof(*c));
            if (!c) goto nomem;
            t->ch = c;
            t->mch = m;
        }
        t->ch[t->nch++] = (tchunk_t){(uint32_t)bin, voff_beg, voff_end};
    }
    size_t w0 = (size_t)(beg >> MIN_SHIFT), w1 = (size_t)((end - 1) >> MIN_SHIFT);
    if (w1 >= t->nlin) {
        if (w1 >= t->mlin) {
            size_t m = t->mlin ? t->mlin : 1024;
            while (m <= w1) m *= 2;
            uint64_t *l = realloc(t->lin, m * sizeof(*l));
            if (!l) goto nomem;
            t->lin = l;
            t->mlin = m;
        }
        memset(t->lin + t->nlin, 0xff, (w1 + 1 - t->nlin) * sizeof(uint64_t));
        t->nlin = w1 + 1;
    }
    for (size_t w = w0; w <= w1; w++)
        if (t->lin[w] == (uint64_t)-1) t->lin[w] = voff_beg;
    t->last = voff_end;
    t->nrec++;
    return 0;
nomem:
    ksprintf(err, "out of memory indexing");
    return -1;
}

int gs_tbi_save(gs_tbi_t *t, const char *path, kstring_t *err)
{
    if (end_contig(t, err) < 0) return -1;
    kstring_t *s = &t->buf;
    s->l = 0;
    if (ks_resize(s, 4 + 8 * 4 + t->names.l) < 0) {
        ksprintf(err, "%s: out of memory", path);
        return -1;
    }
    kputsn("TBI\1", 4, s);
    put32(s, (uint32_t)t->n_ref);
    put32(s, 2);   /* format: VCF */
    put32(s, 1);   /* sequence column */
    put32(s, 2);   /* begin column */
    put32(s, 0);   /* end column: none */
    put32(s, '#'); /* meta lines */
    put32(s, 0);   /* lines to skip */
    put32(s, (uint32_t)t->names.l);
    if (t->names.l) kputsn(t->names.s, t->names.l, s);
    BGZF *fp = bgzf_open(path, "w1");
    if (!fp) {
        ksprintf(err, "%s: cannot write", path);
        return -1;
    }
    int ok = bgzf_write(fp, s->s, s->l) == (ssize_t)s->l;
    char buf[1 << 16];
    int64_t size = gs_spill_size(t->parts);
    for (int64_t off = 0; ok && off < size;) {
        size_t n = size - off < (int64_t)sizeof buf ? (size_t)(size - off) : sizeof buf;
        if (gs_spill_get(t->parts, off, buf, n, err) < 0) { bgzf_close(fp); return -1; }
        ok = bgzf_write(fp, buf, n) == (ssize_t)n;
        off += n;
    }
    uint8_t zero[8] = {0};
    ok = ok && bgzf_write(fp, zero, 8) == 8; /* records without coordinates */
    if (bgzf_close(fp) < 0 || !ok) {
        ksprintf(err, "%s: write failed", path);
        return -1;
    }
    return 0;
}

void gs_tbi_free(gs_tbi_t *t)
{
    if (!t) return;
    gs_spill_free(t->parts);
    free(t->chrom);
    free(t->ch);
    free(t->lin);
    ks_free(&t->names);
    ks_free(&t->buf);
    free(t);
}
