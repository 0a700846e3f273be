/* CSQ / ANN / BCSQ values, consequence terms and per-gene lists. */
#include <stdint.h>
#include "fuzz_common.h"
#include "annot.h"

static void entry(void *data, char **f, int nf)
{
    gs_genelist_t *gl = data;
    if (nf > 3) gs_genelist_add(gl, f[3], strlen(f[3]), f[1], strlen(f[1]));
    if (nf > 1) gs_genelist_add(gl, f[1], strlen(f[1]), f[0], strlen(f[0]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bcf_hdr_t *h;
    static bcf1_t *rec;
    static gs_ann_layout_t L[3];
    if (!h) {
        fuzz_quiet();
        h = bcf_hdr_init("r");
        char txt[] = "##fileformat=VCFv4.2\n##contig=<ID=1>\n"
                     "##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene|ALLELE_NUM\">\n"
                     "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name'\">\n"
                     "##INFO=<ID=BCSQ,Number=.,Type=String,Description=\"bcftools csq\">\n"
                     "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
        bcf_hdr_parse(h, txt);
        kstring_t line = KS_INITIALIZE, err = KS_INITIALIZE;
        kputs("1\t100\t.\tAT\tA,ATT,G,*", &line);
        kputs("\t.\t.\t.", &line);
        rec = bcf_init();
        vcf_parse(&line, h, rec);
        bcf_unpack(rec, BCF_UN_ALL);
        gs_ann_layout_init(&L[0], GS_ANN_CSQ, "CSQ", h, &err);
        gs_ann_layout_init(&L[1], GS_ANN_ANN, "ANN", h, &err);
        gs_ann_layout_init(&L[2], GS_ANN_BCSQ, "BCSQ", h, &err);
        ks_free(&line);
        ks_free(&err);
    }
    kstring_t va = KS_INITIALIZE;
    gs_genelist_t gl = {0};
    for (int k = 0; k < 3; k++)
        for (int ai = 1; ai < rec->n_allele; ai++) {
            char *v = malloc(size + 1);
            memcpy(v, data, size);
            v[size] = 0;
            gs_vep_allele(rec, ai, &va);
            gs_ann_for_allele(&L[k], v, rec, ai, va.s, entry, &gl);
            free(v);
        }
    int sev, imp;
    gs_so_lookup((const char *)data, size > 100 ? 100 : size, &sev, &imp);
    gs_genelist_free(&gl);
    ks_free(&va);
    return 0;
}
