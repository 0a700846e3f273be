/* The pathogenicity stage on real VEP records and on the ClinVar spellings
 * annotators write. */
#include <math.h>
#include <string.h>
#include "harness.h"

Test(pathogenicity, vep_predictors_and_cadd)
{
    htsFile *fp;
    bcf_hdr_t *h = td_open("643594.clinical.vcf.gz", &fp);
    harness_t H;
    gs_variant_t v;
    kstring_t err = KS_INITIALIZE;
    cr_assert_eq(harness(&H, h, NULL, "stage: pathogenicity", &err), 0, "%s", err.s);
    /* records in file order */
    bcf1_t *rec = td_find(fp, h, "1", 156146640);  /* SIFT tolerated in every transcript */
    run_allele(&H, h, rec, 1, &v);
    cr_assert_eq(v.ev.sift, -1);
    bcf_destroy(rec);
    rec = td_find(fp, h, "4", 843508);  /* GAK missense: CADD 25, PolyPhen probably damaging */
    cr_assert_eq(run_allele(&H, h, rec, 1, &v), GS_KEEP);
    cr_assert_float_eq(v.ev.cadd, 25, 1e-6);
    cr_assert_eq(v.ev.polyphen, 1);
    cr_assert_eq(v.ev.sift, 1, "deleterious in one transcript: the most damaging counts");
    cr_assert(isnan(v.ev.revel), "no REVEL in this file");
    bcf_destroy(rec);
    rec = td_find(fp, h, "7", 124491972);  /* POT1: SIFT deleterious in 2 of 6 transcripts */
    run_allele(&H, h, rec, 1, &v);
    cr_assert_eq(v.ev.sift, 1);
    bcf_destroy(rec);
    rec = td_find(fp, h, "MT", 15326);  /* CLNSIG=4 (likely pathogenic, numeric code), CLNREVSTAT=no_criteria */
    run_allele(&H, h, rec, 1, &v);
    cr_assert_eq(v.ev.clinvar, GS_CLNV_LIKELY_PATHOGENIC);
    cr_assert_eq(v.ev.stars, 0);
    bcf_destroy(rec);
    harness_free(&H);
    ks_free(&err);
    bcf_hdr_destroy(h);
    hts_close(fp);
}

static const char *HDR =
    "##fileformat=VCFv4.2\n##contig=<ID=1,length=249250621>\n"
    "##INFO=<ID=CLNSIG,Number=.,Type=String,Description=\"s\">\n##INFO=<ID=CLNREVSTAT,Number=.,Type=String,Description=\"r\">\n"
    "##INFO=<ID=SpliceAI,Number=.,Type=String,Description=\"SpliceAIv1.3 variant annotation. Format: ALLELE|SYMBOL|DS_AG|DS_AL|DS_DG|DS_DL|DP_AG|DP_AL|DP_DG|DP_DL\">\n"
    "##INFO=<ID=REVEL,Number=A,Type=Float,Description=\"r\">\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS\n";

static int8_t clin(harness_t *H, bcf_hdr_t *h, const char *info, int8_t *stars)
{
    kstring_t line = KS_INITIALIZE;
    ksprintf(&line, "1\t100\t.\tA\tG\t.\t.\t%s\tGT\t0/1", info);
    bcf1_t *r = parse_line(h, line.s);
    gs_variant_t v;
    run_allele(H, h, r, 1, &v);
    *stars = v.ev.stars;
    bcf_destroy(r);
    ks_free(&line);
    return v.ev.clinvar;
}

Test(pathogenicity, clinvar_spellings_spliceai_revel)
{
    bcf_hdr_t *h = header_from(HDR);
    harness_t H;
    kstring_t err = KS_INITIALIZE;
    int8_t st;
    cr_assert_eq(harness(&H, h, NULL, "stage: pathogenicity", &err), 0, "%s", err.s);
    cr_assert_eq(clin(&H, h, "CLNSIG=Pathogenic;CLNREVSTAT=criteria_provided,_multiple_submitters,_no_conflicts", &st), GS_CLNV_PATHOGENIC);
    cr_assert_eq(st, 2);
    cr_assert_eq(clin(&H, h, "CLNSIG=Pathogenic/Likely_pathogenic;CLNREVSTAT=reviewed_by_expert_panel", &st), GS_CLNV_PATHOGENIC);
    cr_assert_eq(st, 3);
    cr_assert_eq(clin(&H, h, "CLNSIG=Likely_pathogenic;CLNREVSTAT=criteria_provided,_single_submitter", &st), GS_CLNV_LIKELY_PATHOGENIC);
    cr_assert_eq(st, 1);
    cr_assert_eq(clin(&H, h, "CLNSIG=Conflicting_interpretations_of_pathogenicity", &st), GS_CLNV_CONFLICTING);
    cr_assert_eq(clin(&H, h, "CLNSIG=Benign/Likely_benign", &st), GS_CLNV_BENIGN);
    cr_assert_eq(clin(&H, h, "CLNSIG=Likely_benign", &st), GS_CLNV_LIKELY_BENIGN);
    cr_assert_eq(clin(&H, h, "CLNSIG=Uncertain_significance", &st), GS_CLNV_VUS);
    cr_assert_eq(clin(&H, h, "CLNSIG=Pathogenic,Benign", &st), GS_CLNV_CONFLICTING, "disagreeing submissions");
    cr_assert_eq(clin(&H, h, "CLNSIG=5", &st), GS_CLNV_PATHOGENIC, "numeric code");
    cr_assert_eq(clin(&H, h, "DP=3", &st), GS_CLNV_NONE);
    cr_assert_eq(st, -1);
    /* SpliceAI VCF: the largest of the four delta scores */
    bcf1_t *r = parse_line(h, "1\t100\t.\tA\tG\t.\t.\tSpliceAI=G|GENE|0.01|0.00|0.91|0.00|-3|12|1|-20;REVEL=0.812\tGT\t0/1");
    gs_variant_t v;
    run_allele(&H, h, r, 1, &v);
    cr_assert_float_eq(v.ev.spliceai, 0.91, 1e-6);
    cr_assert_float_eq(v.ev.revel, 0.812, 1e-6);
    bcf_destroy(r);
    harness_free(&H);
    /* drop_benign */
    cr_assert_eq(harness(&H, h, NULL, "stage: pathogenicity\n    drop_benign: true", &err), 0);
    r = parse_line(h, "1\t100\t.\tA\tG\t.\t.\tCLNSIG=Benign;CLNREVSTAT=criteria_provided,_multiple_submitters,_no_conflicts\tGT\t0/1");
    cr_assert_eq(run_allele(&H, h, r, 1, &v), GS_DROP);
    cr_assert_str_eq(H.why.s, "ClinVar benign (2 stars)");
    bcf_destroy(r);
    harness_free(&H);
    ks_free(&err);
    bcf_hdr_destroy(h);
}
