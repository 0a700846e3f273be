#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "helpers.h"
#include "ped.h"

static char *write_tmp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/gs_ped_XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

Test(ped, real_trio_maps_to_vcf_columns)
{
    kstring_t err = KS_INITIALIZE, warn = KS_INITIALIZE;
    gs_ped_t *ped = gs_ped_read(TESTDATA "/ashk-trio.ped", &err);
    cr_assert_not_null(ped, "%s", err.s);
    cr_assert_eq(ped->n, 3);
    htsFile *fp;
    bcf_hdr_t *h = td_open("ashk-trio.vcf.gz", &fp);
    gs_sample_t *s = gs_samples_build(h, ped, "ashk-trio.ped", &warn, &err);
    cr_assert_not_null(s, "%s", err.s);
    int kid = bcf_hdr_id2int(h, BCF_DT_SAMPLE, "HG002");
    cr_assert_eq(s[kid].affected, 1);
    cr_assert_eq(s[kid].sex, GS_SEX_MALE);
    cr_assert_str_eq(s[kid].family, "ash");
    cr_assert_eq(s[kid].father, bcf_hdr_id2int(h, BCF_DT_SAMPLE, "HG003"));
    cr_assert_eq(s[kid].mother, bcf_hdr_id2int(h, BCF_DT_SAMPLE, "HG004"));
    cr_assert_eq(s[s[kid].mother].sex, GS_SEX_FEMALE);
    cr_assert_eq(s[s[kid].father].affected, -1, "phenotype 0 is unknown");
    cr_assert_eq(warn.l, 0);
    gs_samples_free(s, 3);
    gs_ped_free(ped);
    ks_free(&err);
    ks_free(&warn);
    bcf_hdr_destroy(h);
    hts_close(fp);
}

Test(ped, header_comment_and_spaces)
{
    kstring_t err = KS_INITIALIZE;
    gs_ped_t *ped = gs_ped_read(TESTDATA "/643594.ped", &err);
    cr_assert_not_null(ped, "%s", err.s);
    cr_assert_eq(ped->n, 3);
    cr_assert_str_eq(ped->e[1].id, "ADM1059A2");
    cr_assert_str_eq(ped->e[1].father, "ADM1059A1");
    cr_assert_eq(ped->e[1].affected, 1);
    gs_ped_free(ped);
    ped = gs_ped_read(write_tmp("f1 kid dad mom 1 2\nf1  dad 0 0 1 1\r\n\nf1\tmom\t0\t0\t2\t-9\n"), &err);
    cr_assert_not_null(ped, "%s", err.s);
    cr_assert_eq(ped->n, 3);
    cr_assert_null(ped->e[1].father);
    cr_assert_eq(ped->e[2].affected, -1);
    gs_ped_free(ped);
    ks_free(&err);
}

Test(ped, errors_name_line)
{
    kstring_t err = KS_INITIALIZE;
    cr_assert_null(gs_ped_read(write_tmp("f1 kid dad mom 1 2\nf1 dad 0 0\n"), &err));
    cr_assert(strstr(err.s, ":2: expected 6 columns"), "%s", err.s);
    err.l = 0;
    cr_assert_null(gs_ped_read(write_tmp("f1 kid 0 0 X 2\n"), &err));
    cr_assert(strstr(err.s, ":1: sex 'X'"), "%s", err.s);
    err.l = 0;
    cr_assert_null(gs_ped_read(write_tmp("f1 kid 0 0 1 2\nf1 kid 0 0 1 1\n"), &err));
    cr_assert(strstr(err.s, ":2: sample 'kid' is listed twice"), "%s", err.s);
    err.l = 0;
    cr_assert_null(gs_ped_read("/nonexistent/x.ped", &err));
    cr_assert(strstr(err.s, "cannot open"), "%s", err.s);
    ks_free(&err);
}

Test(ped, affected_sample_missing_from_vcf)
{
    kstring_t err = KS_INITIALIZE, warn = KS_INITIALIZE;
    htsFile *fp;
    bcf_hdr_t *h = td_open("ashk-trio.vcf.gz", &fp);
    /* an unaffected relative not sequenced: a warning */
    gs_ped_t *ped = gs_ped_read(write_tmp("ash HG002 HG003 HG004 1 2\nash HG003 0 0 1 1\nash HG004 0 0 2 1\nash GRANDPA 0 0 1 1\n"), &err);
    gs_sample_t *s = gs_samples_build(h, ped, "p.ped", &warn, &err);
    cr_assert_not_null(s);
    cr_assert(strstr(warn.s, "GRANDPA"), "%s", warn.s);
    gs_samples_free(s, 3);
    gs_ped_free(ped);
    /* the patient not sequenced: an error naming the line */
    ped = gs_ped_read(write_tmp("x NA12878 0 0 2 2\n"), &err);
    cr_assert_null(gs_samples_build(h, ped, "p.ped", &warn, &err));
    cr_assert(strstr(err.s, "p.ped:1: affected sample 'NA12878' is not in the VCF"), "%s", err.s);
    gs_ped_free(ped);
    /* no PED: every sample is an affected singleton */
    s = gs_samples_build(h, NULL, NULL, &warn, &err);
    for (int i = 0; i < 3; i++) cr_assert_eq(s[i].affected, 1);
    gs_samples_free(s, 3);
    ks_free(&err);
    ks_free(&warn);
    bcf_hdr_destroy(h);
    hts_close(fp);
}
