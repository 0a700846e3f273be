#include <string.h>
#include "helpers.h"
#include "annot.h"

Test(so, lookup_spellings)
{
    int sev, imp, sev2, imp2;
    cr_assert_eq(gs_so_lookup("missense_variant", 16, &sev, &imp), 0);
    cr_assert_eq(imp, GS_IMPACT_MODERATE);
    /* bcftools csq drops "_variant"; case does not matter */
    cr_assert_eq(gs_so_lookup("missense", 8, &sev2, &imp2), 0);
    cr_assert_eq(sev, sev2);
    cr_assert_eq(gs_so_lookup("Stop_Gained", 11, &sev, &imp), 0);
    cr_assert_str_eq(gs_so_term(sev), "stop_gained");
    cr_assert_eq(imp, GS_IMPACT_HIGH);
    /* SnpEff spellings map onto SO terms */
    cr_assert_eq(gs_so_lookup("disruptive_inframe_deletion", 27, &sev, &imp), 0);
    cr_assert_str_eq(gs_so_term(sev), "inframe_deletion");
    cr_assert_eq(gs_so_lookup("intergenic_region", 17, &sev, &imp), 0);
    cr_assert_str_eq(gs_so_term(sev), "intergenic_variant");
    cr_assert_eq(gs_so_lookup("no_such_term", 12, &sev, &imp), -1);
}

Test(so, severity_order)
{
    const char *order[] = {"transcript_ablation", "splice_acceptor_variant", "stop_gained", "frameshift_variant",
                           "missense_variant", "splice_region_variant", "synonymous_variant", "3_prime_UTR_variant",
                           "intron_variant", "intergenic_variant"};
    int prev = -1;
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        int sev, imp;
        cr_assert_eq(gs_so_lookup(order[i], strlen(order[i]), &sev, &imp), 0, "%s", order[i]);
        cr_assert_gt(sev, prev, "%s must be less severe than the term before it", order[i]);
        prev = sev;
    }
    int a, imp;
    cr_assert_eq(gs_so_lookup("unknown", 7, &a, &imp), 0);
    cr_assert_eq(imp, GS_IMPACT_UNKNOWN);
    cr_assert_eq(a, gs_so_unknown());
}

Test(genelist, keeps_most_severe_per_gene)
{
    gs_genelist_t gl = {0};
    gs_genelist_add(&gl, "PER3", 4, "intron_variant", 14);
    gs_genelist_add(&gl, "PER3", 4, "splice_region_variant&missense_variant", 38);
    gs_genelist_add(&gl, "RP3", 3, "upstream_gene_variant", 21);
    cr_assert_eq(gl.n, 2);
    cr_assert_str_eq(gl.g[0].gene, "PER3");
    cr_assert_str_eq(gl.g[0].consequence, "missense_variant");
    cr_assert_str_eq(gl.g[1].consequence, "upstream_gene_variant");
    /* bcftools marks consequences downstream of a stop with '*': not coding-changing */
    gs_genelist_clear(&gl);
    gs_genelist_add(&gl, "G", 1, "*missense", 9);
    cr_assert_str_eq(gl.g[0].consequence, "coding_sequence_variant");
    gs_genelist_free(&gl);
}

Test(vep, allele_strings)
{
    bcf_hdr_t *h = header_from("##fileformat=VCFv4.2\n##contig=<ID=1>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
    kstring_t s = KS_INITIALIZE;
    bcf1_t *r = parse_line(h, "1\t100\t.\tT\tTC\t.\t.\t.");
    gs_vep_allele(r, 1, &s);
    cr_assert_str_eq(s.s, "C");
    bcf_destroy(r);
    r = parse_line(h, "1\t100\t.\tTC\tT\t.\t.\t.");
    gs_vep_allele(r, 1, &s);
    cr_assert_str_eq(s.s, "-");
    bcf_destroy(r);
    r = parse_line(h, "1\t100\t.\tA\tG,AT\t.\t.\t.");  /* first bases differ: nothing trimmed */
    gs_vep_allele(r, 2, &s);
    cr_assert_str_eq(s.s, "AT");
    bcf_destroy(r);
    ks_free(&s);
    bcf_hdr_destroy(h);
}

typedef struct { int n; char genes[16][64]; char csq[16][64]; } seen_t;
static int g_isym, g_icsq;
static void collect(void *data, char **f, int nf)
{
    seen_t *s = data;
    cr_assert_gt(nf, g_isym);
    if (s->n < 16) {
        snprintf(s->genes[s->n], 64, "%s", f[g_isym]);
        snprintf(s->csq[s->n], 64, "%s", f[g_icsq]);
        s->n++;
    }
}

Test(csq, real_vep_record)
{
    htsFile *fp;
    bcf_hdr_t *h = td_open("643594.clinical.vcf.gz", &fp);
    gs_ann_layout_t L;
    kstring_t err = KS_INITIALIZE;
    cr_assert_eq(gs_ann_layout_init(&L, GS_ANN_CSQ, "CSQ", h, &err), 0);
    cr_assert_eq(L.i_allele, 0);
    cr_assert_str_eq(L.fields[L.i_symbol], "SYMBOL");
    cr_assert_geq(gs_ann_field_index(&L, "HGVSc"), 0);
    /* 1:7847367 T>TC, VEP writes the allele as "C"; PER3 intron in 3 transcripts */
    bcf1_t *rec = td_find(fp, h, "1", 7847367);
    char *buf = NULL;
    int m = 0;
    cr_assert_gt(bcf_get_info_string(h, rec, "CSQ", &buf, &m), 0);
    kstring_t va = KS_INITIALIZE;
    gs_vep_allele(rec, 1, &va);
    seen_t seen = {0};
    g_isym = L.i_symbol;
    g_icsq = L.i_consequence;
    int n = gs_ann_for_allele(&L, buf, rec, 1, va.s, collect, &seen);
    cr_assert_eq(n, 5);
    for (int i = 0; i < seen.n; i++) cr_assert_str_eq(seen.genes[i], "PER3");
    /* the same record through SnpEff ANN names the same gene */
    gs_ann_layout_t A;
    cr_assert_eq(gs_ann_layout_init(&A, GS_ANN_ANN, "ANN", h, &err), 0);
    cr_assert_gt(bcf_get_info_string(h, rec, "ANN", &buf, &m), 0);
    memset(&seen, 0, sizeof(seen));
    g_isym = A.i_symbol;
    g_icsq = A.i_consequence;
    cr_assert_gt(gs_ann_for_allele(&A, buf, rec, 1, va.s, collect, &seen), 0);
    cr_assert_str_eq(seen.genes[0], "PER3");
    gs_ann_layout_free(&L);
    gs_ann_layout_free(&A);
    free(buf);
    ks_free(&va);
    bcf_destroy(rec);
    bcf_hdr_destroy(h);
    hts_close(fp);
}

Test(csq, bcsq_record)
{
    htsFile *fp;
    bcf_hdr_t *h = td_open("ashk-trio.vcf.gz", &fp);
    gs_ann_layout_t L;
    kstring_t err = KS_INITIALIZE;
    cr_assert_eq(gs_ann_layout_init(&L, GS_ANN_BCSQ, "BCSQ", h, &err), 0);
    cr_assert_eq(gs_ann_layout_init(&(gs_ann_layout_t){0}, GS_ANN_CSQ, "CSQ", h, &err), 1, "no CSQ in this header");
    bcf1_t *rec = td_find(fp, h, "1", 69511);  /* BCSQ=missense|OR4F5|... */
    char *buf = NULL;
    int m = 0;
    cr_assert_gt(bcf_get_info_string(h, rec, "BCSQ", &buf, &m), 0);
    seen_t seen = {0};
    g_isym = L.i_symbol;
    g_icsq = L.i_consequence;
    cr_assert_eq(gs_ann_for_allele(&L, buf, rec, 1, "G", collect, &seen), 1);
    cr_assert_str_eq(seen.genes[0], "OR4F5");
    cr_assert_str_eq(seen.csq[0], "missense");
    gs_ann_layout_free(&L);
    free(buf);
    bcf_destroy(rec);
    bcf_hdr_destroy(h);
    hts_close(fp);
}

Test(csq, header_without_format_is_an_error)
{
    bcf_hdr_t *h = header_from("##fileformat=VCFv4.2\n##INFO=<ID=CSQ,Number=.,Type=String,Description=\"VEP\">\n"
                               "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
    gs_ann_layout_t L;
    kstring_t err = KS_INITIALIZE;
    cr_assert_eq(gs_ann_layout_init(&L, GS_ANN_CSQ, "CSQ", h, &err), -1);
    cr_assert(strstr(err.s, "Format"), "%s", err.s);
    ks_free(&err);
    bcf_hdr_destroy(h);
}

/* Multi-allelic homopolymer: one allele's raw ALT equals another's VEP allele. */
Test(csq, multiallelic_entries_go_to_their_own_allele)
{
    bcf_hdr_t *h = header_from("##fileformat=VCFv4.2\n##contig=<ID=1>\n"
        "##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from Ensembl VEP. Format: Allele|Consequence|SYMBOL\">\n"
        "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name'\">\n"
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
    bcf1_t *r = parse_line(h, "1\t1000\t.\tTTTT\tT,TT\t.\t.\tCSQ=-|inframe_deletion|GENEA,T|frameshift_variant|GENEB;"
                              "ANN=T|frameshift_variant|HIGH|GENEA,TT|inframe_deletion|MODERATE|GENEB");
    gs_ann_layout_t L, A;
    kstring_t err = KS_INITIALIZE, va = KS_INITIALIZE;
    cr_assert_eq(gs_ann_layout_init(&L, GS_ANN_CSQ, "CSQ", h, &err), 0);
    cr_assert_eq(gs_ann_layout_init(&A, GS_ANN_ANN, "ANN", h, &err), 0);
    char *buf = NULL;
    int m = 0;
    for (int ai = 1; ai <= 2; ai++) {
        gs_vep_allele(r, ai, &va);
        cr_assert_str_eq(va.s, ai == 1 ? "-" : "T");
        bcf_get_info_string(h, r, "CSQ", &buf, &m);
        seen_t seen = {0};
        g_isym = 2;
        g_icsq = 1;
        cr_assert_eq(gs_ann_for_allele(&L, buf, r, ai, va.s, collect, &seen), 1);
        cr_assert_str_eq(seen.genes[0], ai == 1 ? "GENEA" : "GENEB");
        bcf_get_info_string(h, r, "ANN", &buf, &m);
        memset(&seen, 0, sizeof(seen));
        g_isym = 3;
        cr_assert_eq(gs_ann_for_allele(&A, buf, r, ai, va.s, collect, &seen), 1);
        cr_assert_str_eq(seen.genes[0], ai == 1 ? "GENEA" : "GENEB");
    }
    bcf_destroy(r);
    /* '*' makes the record an indel for VEP but does not take part in the shared base */
    r = parse_line(h, "1\t1000\t.\tAC\tAT,*\t.\t.\t.");
    gs_vep_allele(r, 1, &va);
    cr_assert_str_eq(va.s, "T");
    bcf_destroy(r);
    /* single ALT whose entries spell the allele differently: all entries are its own */
    r = parse_line(h, "1\t1000\t.\tA\tG\t.\t.\tCSQ=g|missense_variant|GENEC");
    gs_vep_allele(r, 1, &va);
    bcf_get_info_string(h, r, "CSQ", &buf, &m);
    seen_t seen = {0};
    g_isym = 2;
    cr_assert_eq(gs_ann_for_allele(&L, buf, r, 1, va.s, collect, &seen), 1);
    bcf_destroy(r);
    free(buf);
    ks_free(&va);
    ks_free(&err);
    gs_ann_layout_free(&L);
    gs_ann_layout_free(&A);
    bcf_hdr_destroy(h);
}
