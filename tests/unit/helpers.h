/* helpers.h -- shared by the unit tests: read records from testdata files or
 * parse a VCF line against a header. */
#ifndef GS_TEST_HELPERS_H
#define GS_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <htslib/vcf.h>

/* Open a testdata VCF and return its header; *fp stays open. */
static inline bcf_hdr_t *td_open(const char *name, htsFile **fp)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", TESTDATA, name);
    *fp = hts_open(path, "r");
    cr_assert_not_null(*fp, "cannot open %s", path);
    bcf_hdr_t *h = bcf_hdr_read(*fp);
    cr_assert_not_null(h);
    return h;
}

/* Read records until one at POS (1-based) on CHROM; unpacked. */
static inline bcf1_t *td_find(htsFile *fp, bcf_hdr_t *h, const char *chrom, int64_t pos)
{
    bcf1_t *rec = bcf_init();
    while (bcf_read(fp, h, rec) == 0) {
        if (rec->pos + 1 == pos && !strcmp(bcf_seqname(h, rec), chrom)) {
            bcf_unpack(rec, BCF_UN_ALL);
            return rec;
        }
    }
    cr_assert_fail("record %s:%lld not found", chrom, (long long)pos);
    return NULL;
}

/* A header from text and one record parsed from a line of it. */
static inline bcf1_t *parse_line(bcf_hdr_t *h, const char *line)
{
    kstring_t s = KS_INITIALIZE;
    kputs(line, &s);
    bcf1_t *rec = bcf_init();
    cr_assert_eq(vcf_parse(&s, h, rec), 0, "cannot parse: %s", line);
    bcf_unpack(rec, BCF_UN_ALL);
    ks_free(&s);
    return rec;
}

static inline bcf_hdr_t *header_from(const char *text)
{
    bcf_hdr_t *h = bcf_hdr_init("r");
    cr_assert_eq(bcf_hdr_parse(h, (char *)text), 0);
    return h;
}

#endif
