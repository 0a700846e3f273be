#include <string.h>
#include "helpers.h"
#include "vcfutil.h"

static const char *HDR =
    "##fileformat=VCFv4.2\n##contig=<ID=1,length=249250621>\n##contig=<ID=X,length=155270560>\n"
    "##INFO=<ID=AFA,Number=A,Type=Float,Description=\"a\">\n##INFO=<ID=ACR,Number=R,Type=Integer,Description=\"r\">\n"
    "##INFO=<ID=S,Number=.,Type=String,Description=\"s\">\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"a\">\n"
    "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"d\">\n##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"q\">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\tB\tC\tD\tE\n";

Test(info, per_allele_values)
{
    bcf_hdr_t *h = header_from(HDR);
    bcf1_t *r = parse_line(h, "1\t10\t.\tA\tC,G\t.\t.\tAFA=0.1,0.2;ACR=5,6,7;S=0.5,.\tGT\t0/1\t0/2\t./.\t1/2\t0/0");
    double x;
    int afa = bcf_hdr_id2int(h, BCF_DT_ID, "AFA"), acr = bcf_hdr_id2int(h, BCF_DT_ID, "ACR"), s = bcf_hdr_id2int(h, BCF_DT_ID, "S");
    cr_assert(gs_info_number(h, r, afa, 2, &x));
    cr_assert_float_eq(x, 0.2, 1e-6);
    cr_assert(gs_info_number(h, r, acr, 2, &x));
    cr_assert_eq(x, 7);
    cr_assert(gs_info_number(h, r, s, 1, &x), "Number=. with one value per ALT");
    cr_assert_float_eq(x, 0.5, 1e-9);
    cr_assert(!gs_info_number(h, r, s, 2, &x), "'.' is missing");
    bcf_destroy(r);
    bcf_hdr_destroy(h);
}

Test(info, real_scout_record)
{
    htsFile *fp;
    bcf_hdr_t *h = td_open("643594.clinical.vcf.gz", &fp);
    bcf1_t *rec = td_find(fp, h, "1", 7879627);  /* SWEREFAF=0.003 */
    double x;
    cr_assert(gs_info_number(h, rec, bcf_hdr_id2int(h, BCF_DT_ID, "SWEREFAF"), 1, &x));
    cr_assert_float_eq(x, 0.003, 1e-6);
    bcf_destroy(rec);
    bcf_hdr_destroy(h);
    hts_close(fp);
}

Test(calls, genotype_classes)
{
    bcf_hdr_t *h = header_from(HDR);
    bcf1_t *r = parse_line(h, "1\t10\t.\tA\tC,G\t.\t.\t.\tGT:AD:DP:GQ\t0/1:5,5,0:10:40\t0/2:6,0,4:10:30\t./.:.:.:.\t1/2:0,7,6:13:50\t0/0:0,0,0:0:0");
    gs_fmt_t f = {0};
    gs_call_t c[5];
    { const char *why; cr_assert_eq(gs_fmt_load(&f, h, r, &why), 0); }
    gs_fmt_calls(&f, 5, 1, c);
    cr_assert_eq(c[0].gt, GS_GT_HET);
    cr_assert_eq(c[0].ad_alt, 5);
    cr_assert_eq(c[0].ad_total, 10);
    cr_assert_eq(c[0].gq, 40);
    cr_assert_eq(c[1].gt, GS_GT_REF, "0/2 carries no copy of ALT 1");
    cr_assert_eq(c[2].gt, GS_GT_MISSING);
    cr_assert_eq(c[3].gt, GS_GT_HET);
    cr_assert_eq(c[4].gt, GS_GT_MISSING, "0/0 with DP 0 is missing, not hom-ref");
    gs_fmt_calls(&f, 5, 2, c);
    cr_assert_eq(c[1].gt, GS_GT_HET);
    cr_assert_eq(c[1].ad_alt, 4);
    cr_assert_eq(c[3].ad_alt, 6);
    bcf_destroy(r);
    r = parse_line(h, "X\t3000000\t.\tA\tC\t.\t.\t.\tGT:DP\t1\t0\t1/1\t0|1\t0/.");
    { const char *why; cr_assert_eq(gs_fmt_load(&f, h, r, &why), 0); }
    gs_fmt_calls(&f, 5, 1, c);
    cr_assert_eq(c[0].gt, GS_GT_HEMI);
    cr_assert_eq(c[1].gt, GS_GT_MISSING, "haploid 0 without depth");
    cr_assert_eq(c[2].gt, GS_GT_HOM);
    cr_assert_eq(c[3].gt, GS_GT_HET);
    cr_assert_eq(c[3].phased, 1);
    cr_assert_eq(c[4].gt, GS_GT_MISSING, "0/. does not tell whether the allele is carried");
    bcf_destroy(r);
    /* DP missing for one sample: its AD sum stands in */
    r = parse_line(h, "1\t20\t.\tA\tC\t.\t.\t.\tGT:AD:DP\t0/0:10,0:.\t0/1:4,4:.\t0/0:0,0:.\t0/0:.:.\t0/0:3,0:8");
    { const char *why; cr_assert_eq(gs_fmt_load(&f, h, r, &why), 0); }
    gs_fmt_calls(&f, 5, 1, c);
    cr_assert_eq(c[0].gt, GS_GT_REF);
    cr_assert_eq(c[0].dp, 10);
    cr_assert_eq(c[1].dp, 8);
    cr_assert_eq(c[2].gt, GS_GT_MISSING, "no depth at all");
    cr_assert_eq(c[3].gt, GS_GT_MISSING, "neither DP nor AD");
    cr_assert_eq(c[4].dp, 8, "DP wins over the AD sum");
    gs_fmt_free(&f);
    bcf_destroy(r);
    bcf_hdr_destroy(h);
}

Test(genome, build_and_par)
{
    bcf_hdr_t *h = header_from(HDR);
    cr_assert_eq(gs_detect_build(h), 37);
    bcf_hdr_destroy(h);
    cr_assert(gs_x_nonpar("X", 60000, 37));
    cr_assert(!gs_x_nonpar("X", 60001, 37));
    cr_assert(!gs_x_nonpar("X", 2699520, 37));
    cr_assert(gs_x_nonpar("X", 2699521, 37));
    cr_assert(!gs_x_nonpar("X", 155000000, 37));
    cr_assert(!gs_x_nonpar("chrX", 10001, 38));
    cr_assert(gs_x_nonpar("chrX", 2781480, 38));
    cr_assert(!gs_x_nonpar("chrX", 156030895, 38));
    cr_assert(!gs_x_nonpar("1", 5000000, 37));
    cr_assert_eq(gs_chrom_kind("chrM"), 3);
    cr_assert_eq(gs_chrom_kind("MT"), 3);
    cr_assert_eq(gs_chrom_kind("chrY"), 2);
}

/* The line gs_info_prune makes of `in` keeping only ACR (NULL: left as it is). */
static char *pruned(const char *in)
{
    static const char *hdr =
        "##fileformat=VCFv4.2\n##contig=<ID=1,length=249250621>\n"
        "##INFO=<ID=AFA,Number=A,Type=Float,Description=\"a\">\n##INFO=<ID=ACR,Number=R,Type=Integer,Description=\"r\">\n"
        "##INFO=<ID=S,Number=.,Type=String,Description=\"s\">\n##INFO=<ID=FL,Number=0,Type=Flag,Description=\"f\">\n"
        "##INFO=<ID=END,Number=1,Type=Integer,Description=\"e\">\n"
        "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n##FORMAT=<ID=S,Number=1,Type=String,Description=\"s\">\n"
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\n";
    bcf_hdr_t *h = header_from(hdr);
    uint8_t *keep = calloc(h->n[BCF_DT_ID], 1);
    keep[bcf_hdr_id2int(h, BCF_DT_ID, "ACR")] = 1;
    gs_info_prune_t *p = gs_info_prune_init(h, keep);
    cr_assert_not_null(p);
    kstring_t line = KS_INITIALIZE, out = KS_INITIALIZE;
    kputs(in, &line);
    int ret = gs_info_prune(p, &line, &out);
    cr_assert_eq(line.l, strlen(in), "the input line is not modified");
    if (ret) {
        cr_assert_eq(out.l, strlen(out.s));
        /* what is kept parses to what the whole line gives */
        bcf_hdr_t *h2 = header_from(hdr); /* htslib adds undeclared keys to the header */
        bcf1_t *a = parse_line(h, in), *b = parse_line(h2, out.s);
        cr_assert_eq(a->errcode, b->errcode);
        cr_assert_eq(a->rlen, b->rlen);
        int32_t *va = NULL, *vb = NULL;
        int ma = 0, mb = 0;
        int na = bcf_get_info_int32(h, a, "ACR", &va, &ma), nb = bcf_get_info_int32(h2, b, "ACR", &vb, &mb);
        cr_assert_eq(na, nb);
        for (int i = 0; i < na; i++) cr_assert_eq(va[i], vb[i]);
        na = bcf_get_genotypes(h, a, &va, &ma), nb = bcf_get_genotypes(h2, b, &vb, &mb);
        cr_assert_eq(na, nb);
        for (int i = 0; i < na; i++) cr_assert_eq(va[i], vb[i]);
        free(va);
        free(vb);
        bcf_destroy(a);
        bcf_destroy(b);
        bcf_hdr_destroy(h2);
    }
    gs_info_prune_free(p);
    free(keep);
    ks_free(&line);
    bcf_hdr_destroy(h);
    if (!ret) ks_free(&out);
    return ret ? out.s : NULL;
}

static void expect_pruned(const char *in, const char *want)
{
    char *got = pruned(in);
    if (!want) cr_assert_null(got, "%s: left as it is, got %s", in, got);
    else cr_assert_str_eq(got ? got : "(left as it is)", want, "%s", in);
    free(got);
}

Test(info, prune_unread_keys)
{
    /* unread declared keys go, FORMAT S stays; END and undeclared keys stay */
    expect_pruned("1\t10\t.\tA\tC\t5\tPASS\tAFA=0.1;ACR=5,6;S=x=y;FL;U=1;END=20\tGT:S\t0/1:a",
                  "1\t10\t.\tA\tC\t5\tPASS\tACR=5,6;U=1;END=20\tGT:S\t0/1:a");
    expect_pruned("1\t10\t.\tA\tC\t.\t.\tFL;AFA=1\tGT\t0/1", "1\t10\t.\tA\tC\t.\t.\t.\tGT\t0/1");
    expect_pruned("1\t10\t.\tA\tC\t.\t.\tAFA=1;ACR=1,2;", "1\t10\t.\tA\tC\t.\t.\tACR=1,2"); /* sites only */
    expect_pruned("1\t10\t.\tA\tC\t.\t.\tS", "1\t10\t.\tA\tC\t.\t.\t.");
    /* nothing to leave out, or nothing this takes apart: the line as it is */
    expect_pruned("1\t10\t.\tA\tC\t.\t.\tACR=1,2;END=5\tGT\t0/1", NULL);
    expect_pruned("1\t10\t.\tA\tC\t.\t.\t.\tGT\t0/1", NULL);
    expect_pruned("1\t10\t.\tA\tC\t.\t.\tAFA=1;;ACR=1,2\tGT\t0/1", NULL);
    expect_pruned("1\t10\t.\tA\tC\t.\t.\t=1;AFA=1\tGT\t0/1", NULL);
    expect_pruned("1\t10\t.\tA\tC\t.", NULL);
}

Test(info, prune_nothing_to_leave_out)
{
    bcf_hdr_t *h = header_from(HDR);
    uint8_t *keep = calloc(h->n[BCF_DT_ID], 1);
    memset(keep, 1, h->n[BCF_DT_ID]);
    cr_assert_null(gs_info_prune_init(h, keep), "every key read: no pruning");
    kstring_t line = KS_INITIALIZE, out = KS_INITIALIZE;
    kputs("1\t10\t.\tA\tC\t.\t.\tAFA=1\tGT\t0/1", &line);
    cr_assert_eq(gs_info_prune(NULL, &line, &out), 0);
    free(keep);
    ks_free(&line);
    bcf_hdr_destroy(h);
}
