/* Each built-in stage on real records, called through its stage table the
 * way the engine calls it. */
#include <string.h>
#include "harness.h"

Test(quality, filter_gq_and_pass)
{
    htsFile *fp;
    bcf_hdr_t *h = td_open("ashk-trio.vcf.gz", &fp);
    harness_t H;
    gs_variant_t v;
    kstring_t err = KS_INITIALIZE;
    cr_assert_eq(harness(&H, h, TESTDATA "/ashk-trio.ped", "stage: quality", &err), 0, "%s", err.s);
    bcf1_t *rec = td_find(fp, h, "1", 65797);  /* VQSR tranche filter; kid 1/1 GQ 6 */
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_DROP);
    cr_assert(strstr(H.why.s, "FILTER VQSRTrancheSNP99.90to100.00 not accepted"), "%s", H.why.s);
    harness_free(&H);

    cr_assert_eq(harness(&H, h, TESTDATA "/ashk-trio.ped", "stage: quality\n    filters: []", &err), 0);
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_DROP);
    cr_assert(strstr(H.why.s, "HG002 GQ 6 < 20"), "%s", H.why.s);
    cr_assert_eq(v.calls[0].pass, 0);
    bcf_destroy(rec);

    rec = td_find(fp, h, "1", 878314);  /* PASS, kid 0/1 111,90 GQ 99 */
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_KEEP, "%s", H.why.s);
    cr_assert_eq(v.calls[0].pass, 1);
    harness_free(&H);

    /* a stricter allele-balance window rejects the same het call (AB 0.45) */
    cr_assert_eq(harness(&H, h, TESTDATA "/ashk-trio.ped", "stage: quality\n    het_ab_min: 0.46", &err), 0);
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_DROP);
    cr_assert(strstr(H.why.s, "het allele balance 0.45"), "%s", H.why.s);
    harness_free(&H);
    bcf_destroy(rec);
    ks_free(&err);
    bcf_hdr_destroy(h);
    hts_close(fp);
}

Test(consequence, bcsq_genes_and_impacts)
{
    htsFile *fp;
    bcf_hdr_t *h = td_open("ashk-trio.vcf.gz", &fp);
    harness_t H;
    gs_variant_t v;
    kstring_t err = KS_INITIALIZE;
    cr_assert_eq(harness(&H, h, NULL, "stage: consequence", &err), 0, "%s", err.s);
    bcf1_t *rec = td_find(fp, h, "1", 69511);
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_KEEP, "%s", H.why.s);
    cr_assert_eq(v.ngenes, 1);
    cr_assert_str_eq(v.genes[0].gene, "OR4F5");
    cr_assert_str_eq(v.genes[0].consequence, "missense_variant");
    harness_free(&H);
    cr_assert_eq(harness(&H, h, NULL, "stage: consequence\n    impacts: [HIGH]\n    keep_terms: []", &err), 0);
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_DROP);
    cr_assert(strstr(H.why.s, "OR4F5 missense_variant (MODERATE)"), "%s", H.why.s);
    harness_free(&H);
    /* a source the header lacks is an error at start-up */
    cr_assert_eq(harness(&H, h, NULL, "stage: consequence\n    sources: [CSQ]", &err), -1);
    cr_assert(strstr(err.s, "INFO/CSQ is not declared"), "%s", err.s);
    harness_free(&H);
    bcf_destroy(rec);
    ks_free(&err);
    bcf_hdr_destroy(h);
    hts_close(fp);
}

Test(consequence, genes_from_bed_when_unannotated)
{
    bcf_hdr_t *h = header_from("##fileformat=VCFv4.2\n##contig=<ID=1,length=249250621>\n"
                               "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n"
                               "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n");
    harness_t H;
    gs_variant_t v;
    kstring_t err = KS_INITIALIZE;
    cr_assert_eq(harness(&H, h, NULL, "stage: consequence", &err), -1, "no annotation and no BED");
    cr_assert(strstr(err.s, "--genes"), "%s", err.s);
    harness_free(&H);
    cr_assert_eq(harness(&H, h, NULL, "stage: consequence\n    genes_bed: " TESTDATA "/genes.hg19.chr1-2.bed", &err), 0, "%s", err.s);
    bcf1_t *rec = parse_line(h, "1\t870000\t.\tA\tG\t50\tPASS\t.\tGT\t0/1");
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_KEEP, "%s", H.why.s);
    cr_assert_str_eq(v.genes[0].gene, "SAMD11");
    cr_assert_str_eq(v.genes[0].consequence, "unknown");
    bcf_destroy(rec);
    rec = parse_line(h, "1\t10\t.\tA\tG\t50\tPASS\t.\tGT\t0/1");
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_DROP);
    bcf_destroy(rec);
    harness_free(&H);
    ks_free(&err);
    bcf_hdr_destroy(h);
}

Test(frequency, info_keys_of_a_real_file)
{
    htsFile *fp;
    bcf_hdr_t *h = td_open("643594.clinical.vcf.gz", &fp);
    harness_t H;
    gs_variant_t v;
    kstring_t err = KS_INITIALIZE;
    cr_assert_eq(harness(&H, h, NULL, "stage: frequency", &err), 0, "%s", err.s);
    bcf1_t *rec = td_find(fp, h, "1", 156146640);  /* 1000G_MAX_AF=0.0636 */
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_DROP);
    cr_assert(strstr(H.why.s, "0.0636 (1000G_MAX_AF) > 0.01"), "%s", H.why.s);
    cr_assert_float_eq(v.af, 0.0636, 1e-6);
    harness_free(&H);
    /* naming a key the header lacks is an error */
    cr_assert_eq(harness(&H, h, NULL, "stage: frequency\n    info_af: [gnomad_popmax_af]", &err), -1);
    cr_assert(strstr(err.s, "INFO/gnomad_popmax_af is not declared"), "%s", err.s);
    harness_free(&H);
    bcf_destroy(rec);
    ks_free(&err);
    bcf_hdr_destroy(h);
    hts_close(fp);
}

Test(frequency, population_file_join)
{
    htsFile *fp;
    bcf_hdr_t *h = td_open("ceph-trio.query.vcf.gz", &fp);
    harness_t H;
    gs_variant_t v;
    kstring_t err = KS_INITIALIZE;
    cr_assert_eq(harness(&H, h, NULL, "stage: frequency\n    population: " TESTDATA "/exac.slice.vcf.gz\n    max_af: 0.5", &err), 0, "%s", err.s);
    bcf1_t *rec = td_find(fp, h, "1", 69081);  /* ExAC AF 0.00197 */
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_KEEP, "%s", H.why.s);
    cr_assert_float_eq(v.af, 0.00197, 1e-6);
    bcf_destroy(rec);
    rec = td_find(fp, h, "1", 69270);  /* ExAC AF 0.681, 389 homozygotes */
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_DROP);
    cr_assert(strstr(H.why.s, "0.681 (population) > 0.5"), "%s", H.why.s);
    bcf_destroy(rec);
    rec = td_find(fp, h, "1", 70728);  /* absent from ExAC: frequency 0 */
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_KEEP, "%s", H.why.s);
    cr_assert_eq(v.af, 0);
    bcf_destroy(rec);
    harness_free(&H);
    cr_assert_eq(harness(&H, h, NULL, "stage: frequency\n    population: " TESTDATA "/ceph-trio.ped", &err), -1);
    harness_free(&H);
    ks_free(&err);
    bcf_hdr_destroy(h);
    hts_close(fp);
}

Test(region, include_and_exclude)
{
    htsFile *fp;
    bcf_hdr_t *h = td_open("ashk-trio.vcf.gz", &fp);
    harness_t H;
    gs_variant_t v;
    kstring_t err = KS_INITIALIZE;
    cr_assert_eq(harness(&H, h, NULL, "stage: region\n    include: " TESTDATA "/genes.hg19.chr1-2.bed", &err), 0, "%s", err.s);
    bcf1_t *rec = td_find(fp, h, "1", 878314);  /* inside SAMD11 */
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_KEEP);
    harness_free(&H);
    cr_assert_eq(harness(&H, h, NULL, "stage: region\n    exclude: " TESTDATA "/genes.hg19.chr1-2.bed", &err), 0);
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_DROP);
    cr_assert(strstr(H.why.s, "inside exclude regions (genes.hg19.chr1-2.bed)"), "%s", H.why.s);
    harness_free(&H);
    bcf_destroy(rec);
    ks_free(&err);
    bcf_hdr_destroy(h);
    hts_close(fp);
}

Test(expr, info_format_qual)
{
    htsFile *fp;
    bcf_hdr_t *h = td_open("ashk-trio.vcf.gz", &fp);
    harness_t H;
    gs_variant_t v;
    kstring_t err = KS_INITIALIZE;
    bcf1_t *rec = td_find(fp, h, "1", 65797);  /* QUAL 32.92, DP=27, GQ 6/0/42 */
    cr_assert_eq(harness(&H, h, NULL, "stage: expr\n    include: \"QUAL >= 30 && INFO/DP > 20\"", &err), 0, "%s", err.s);
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_KEEP, "%s", H.why.s);
    harness_free(&H);
    cr_assert_eq(harness(&H, h, NULL, "stage: expr\n    exclude: \"FORMAT/GQ[HG003] == 0\"", &err), 0);
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_DROP);
    cr_assert(strstr(H.why.s, "exclude expression true"), "%s", H.why.s);
    harness_free(&H);
    cr_assert_eq(harness(&H, h, NULL, "stage: expr\n    include: 'FILTER == \"PASS\" || INFO/MLEAF > 0.9'", &err), 0);
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_DROP, "FILTER is a tranche, MLEAF 0.333");
    harness_free(&H);
    /* INFO/DP/2 is INFO/DP divided by 2: 27 / 2 = 13.5 */
    cr_assert_eq(harness(&H, h, NULL, "stage: expr\n    include: \"INFO/DP/2 > 13 && INFO/DP/2 < 14\"", &err), 0, "%s", err.s);
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_KEEP, "%s", H.why.s);
    harness_free(&H);
    cr_assert_eq(harness(&H, h, NULL, "stage: expr\n    include: \"INFO/CADD_PHRED >= 20\"", &err), -1);
    cr_assert(strstr(err.s, "INFO/CADD_PHRED is not declared"), "%s", err.s);
    harness_free(&H);
    bcf_destroy(rec);
    ks_free(&err);
    bcf_hdr_destroy(h);
    hts_close(fp);
}
