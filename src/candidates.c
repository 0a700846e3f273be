/* candidates.c -- DIR/candidates.vcf.gz: every allele in some patient's ranked
 * list, one record per ALT allele, sorted, bgzipped and tabix-indexed, with
 * INFO lists (one entry per patient and gene): GS_SAMPLE, GS_GENE, GS_MODE,
 * GS_RANK, GS_SCORE. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <htslib/vcf.h>

#include "output.h"
#include "stages/builtin.h"

typedef struct {
    const gs_result_var_t *v;
    int ctg;              /* contig order in the input header, or after it */
    int patient;
    const gs_result_gene_t *g;
    long rank;
} cand_t;

static int cmp_cand(const void *a, const void *b)
{
    const cand_t *x = a, *y = b;
    if (x->ctg != y->ctg) return x->ctg < y->ctg ? -1 : 1;
    int c = x->ctg == INT32_MAX ? strcmp(x->v->chrom, y->v->chrom) : 0;
    if (c) return c;
    if (x->v->pos != y->v->pos) return x->v->pos < y->v->pos ? -1 : 1;
    if ((c = strcmp(x->v->ref, y->v->ref))) return c;
    if ((c = strcmp(x->v->alt, y->v->alt))) return c;
    if (x->patient != y->patient) return x->patient < y->patient ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* INFO strings may not hold ';', '=', ',', '|', spaces or tabs */
static void info_safe(const char *s, kstring_t *o)
{
    for (; *s; s++) kputc(strchr(";=,| \t\n", *s) || (unsigned char)*s < 33 ? '_' : *s, o);
}

int gs_write_candidates(const gs_results_t *r, long max_genes, const gs_run_info_t *info, const char *dir, kstring_t *err)
{
    const gs_sample_t *smp = gs_results_samples(r);
    cand_t *c = NULL;
    size_t nc = 0, mc = 0;
    for (int p = 0; p < gs_results_nsmp(r); p++) {
        if (smp[p].affected != 1) continue;
        gs_result_gene_t *const *g;
        long ng = gs_results_genes(r, p, &g);
        if (max_genes > 0 && ng > max_genes) ng = max_genes;
        for (long i = 0; i < ng; i++)
            for (int v = 0; v < g[i]->nvar; v++) {
                if (nc == mc) c = realloc(c, (mc = mc ? 2 * mc : 256) * sizeof(cand_t));
                int id = bcf_hdr_name2id(info->hdr, g[i]->vars[v].chrom);
                c[nc++] = (cand_t){&g[i]->vars[v], id >= 0 ? id : INT32_MAX, p, g[i], i + 1};
            }
    }
    if (nc > 1) qsort(c, nc, sizeof(cand_t), cmp_cand);

    kstring_t final = KS_INITIALIZE, tmp = KS_INITIALIZE, idx = KS_INITIALIZE, line = KS_INITIALIZE;
    ksprintf(&final, "%s/candidates.vcf.gz", dir);
    ksprintf(&tmp, "%s/.candidates.vcf.gz.tmp.%ld", dir, (long)getpid());
    ksprintf(&idx, "%s.tbi", tmp.s);
    int ret = -1;
    bcf_hdr_t *h = bcf_hdr_init("w");
    bcf1_t *rec = bcf_init();
    htsFile *fp = NULL;
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
    fp = hts_open(tmp.s, "wz");
    if (!fp || bcf_hdr_write(fp, h) < 0) { ksprintf(err, "%s: cannot write", final.s); goto out; }
    /* indexed while written (not read again afterwards) */
    if (bcf_idx_init(fp, h, 0, idx.s) < 0) { ksprintf(err, "%s: cannot index", final.s); goto out; }
    for (size_t i = 0; i < nc;) {
        size_t j = i;
        while (j < nc && c[j].v->pos == c[i].v->pos && !strcmp(c[j].v->chrom, c[i].v->chrom) &&
               !strcmp(c[j].v->ref, c[i].v->ref) && !strcmp(c[j].v->alt, c[i].v->alt))
            j++;
        line.l = 0;
        ksprintf(&line, "%s\t%lld\t.\t%s\t%s\t.\t.\t", c[i].v->chrom, (long long)c[i].v->pos, c[i].v->ref, c[i].v->alt);
        const char *tags[] = {"GS_SAMPLE=", ";GS_GENE=", ";GS_MODE=", ";GS_RANK=", ";GS_SCORE="};
        for (int t = 0; t < 5; t++) {
            kputs(tags[t], &line);
            for (size_t k = i; k < j; k++) {
                if (k > i) kputc(',', &line);
                const gs_result_gene_t *g = c[k].g;
                switch (t) {
                case 0: info_safe(smp[c[k].patient].name, &line); break;
                case 1: info_safe(g->gene, &line); break;
                case 2: kputs(g->mode >= 0 ? gs_mode_name(g->mode) : ".", &line); break;
                case 3: ksprintf(&line, "%ld", c[k].rank); break;
                case 4: ksprintf(&line, "%.4f", g->score); break;
                }
            }
        }
        if (vcf_parse(&line, h, rec) < 0 || bcf_write(fp, h, rec) < 0) {
            ksprintf(err, "%s: cannot write the record at %s:%lld", final.s, c[i].v->chrom, (long long)c[i].v->pos);
            goto out;
        }
        i = j;
    }
    if (bcf_idx_save(fp) < 0) { ksprintf(err, "%s: cannot index", final.s); goto out; }
    if (hts_close(fp) != 0) { fp = NULL; ksprintf(err, "%s: write failed", final.s); goto out; }
    fp = NULL;
    gs_outputs_add_pending(tmp.s, final.s);
    ksprintf(&final, ".tbi");
    gs_outputs_add_pending(idx.s, final.s);
    ret = 0;
out:
    gs_outputs_idle();
    if (fp) hts_close(fp);
    if (ret < 0) { unlink(tmp.s); unlink(idx.s); }
    bcf_destroy(rec);
    bcf_hdr_destroy(h);
    free(c);
    ks_free(&final);
    ks_free(&tmp);
    ks_free(&idx);
    ks_free(&line);
    return ret;
}
