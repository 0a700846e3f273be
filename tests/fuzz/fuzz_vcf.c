/* A whole run: a VCF (text or BCF bytes) through the default pipeline with a
 * trio PED, every output written; inputs of odd length with a genes BED (no
 * check before parsing), even length without (the consequence stage's check
 * on the record text runs first). */
#include <stdint.h>
#include "fuzz_common.h"
#include <htslib/bgzf.h>
#include "engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char ped[256], bed[256], out[256];
    static gs_pipeline_t *pl, *pl_text;
    if (!pl) {
        fuzz_quiet();
        snprintf(ped, sizeof ped, "/tmp/gs-fuzz-vcf-%ld.ped", (long)getpid());
        snprintf(bed, sizeof bed, "/tmp/gs-fuzz-vcf-%ld.bed", (long)getpid());
        snprintf(out, sizeof out, "/tmp/gs-fuzz-vcf-%ld.out", (long)getpid());
        FILE *fp = fopen(ped, "w");
        fputs("f HG002 HG003 HG004 1 2\nf HG003 0 0 1 1\nf HG004 0 0 2 1\n", fp);
        fclose(fp);
        fp = fopen(bed, "w");
        fputs("1\t0\t300000000\tGENE1\n2\t0\t300000000\tGENE2\nX\t0\t200000000\tGENEX\nMT\t0\t20000\tMT-GENE\n", fp);
        fclose(fp);
        kstring_t err = KS_INITIALIZE, set = KS_INITIALIZE;
        pl = gs_pipeline_default(&err);
        ksprintf(&set, "consequence.genes_bed=%s", bed);
        gs_pipeline_set(pl, set.s, &err);
        pl_text = gs_pipeline_default(&err);
        ks_free(&set);
        ks_free(&err);
    }
    gs_opts_t o;
    memset(&o, 0, sizeof(o));
    o.input = fuzz_file("vcf", data, size);
    if (size > 5 && !memcmp(data, "BCF\2", 4) && size & 2) {
        /* raw BCF bytes, compressed here half of the time: mutated records then
         * reach the chunked BCF reader (its guess of where records start, the
         * records cut by chunk ends) instead of failing a block's CRC */
        static char z[256];
        snprintf(z, sizeof z, "%s.bcf", o.input);
        BGZF *fp = bgzf_open(z, "w1");
        if (!fp) abort();
        for (size_t off = 0; off < size; off += 7001) /* uneven blocks */
            if (bgzf_write(fp, data + off, size - off < 7001 ? size - off : 7001) < 0 || bgzf_flush(fp) < 0) abort();
        if (bgzf_close(fp) < 0) abort();
        o.input = z;
    }
    o.outdir = out;
    o.ped = ped;
    o.nthreads = 1;
    o.quiet = 1;
    o.force = 1;
    o.pl = size & 1 ? pl : pl_text;
    gs_run(&o);
    return 0;
}
