/* PED parser and sample mapping. */
#include <stdint.h>
#include "fuzz_common.h"
#include "ped.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bcf_hdr_t *h;
    if (!h) {
        fuzz_quiet();
        h = bcf_hdr_init("r");
        char txt[] = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tkid\tdad\tmom\n";
        bcf_hdr_parse(h, txt);
    }
    kstring_t err = KS_INITIALIZE, warn = KS_INITIALIZE;
    gs_ped_t *ped = gs_ped_read(fuzz_file("ped", data, size), &err);
    if (ped) {
        gs_sample_t *s = gs_samples_build(h, ped, "fuzz.ped", &warn, &err);
        gs_samples_free(s, 3);
        gs_ped_free(ped);
    }
    ks_free(&err);
    ks_free(&warn);
    return 0;
}
