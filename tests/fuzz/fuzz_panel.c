/* Panel files (gene list, PanelApp TSV, PanelAppRex table, BED) and symbol tables. */
#include <stdint.h>
#include "fuzz_common.h"
#include "pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bcf_hdr_t *h;
    if (!h) {
        fuzz_quiet();
        gs_registry_init();
        h = bcf_hdr_init("r");
        char txt[] = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
        bcf_hdr_parse(h, txt);
    }
    const char *path = fuzz_file("panel", data, size);
    /* the same bytes as a panel (auto-detected and as each format) and as a symbol table */
    static const char *variants[] = {"", "\n    format: genes", "\n    format: panelapp", "\n    format: bed",
                                     "\n    format: panelapp_rex\n    panel: 1", "\n    symbols: %s"};
    for (size_t k = 0; k < sizeof(variants) / sizeof(variants[0]); k++) {
        kstring_t y = KS_INITIALIZE, err = KS_INITIALIZE;
        ksprintf(&y, "stages:\n  - stage: panel\n    file: %s\n    use: restrict", path);
        ksprintf(&y, variants[k], path);
        kputc('\n', &y);
        gs_pipeline_t *pl = gs_pipeline_parse(y.s, y.l, "fuzz.yml", &err);
        if (pl) {
            void *state = NULL;
            gs_setup_t su = {"fuzz", h, 0, NULL, 37};
            const gs_stage_t *st = pl->stages[0].stage;
            if (st->init(&pl->stages[0], &su, &state, &err) == 0) st->destroy(state);
            gs_pipeline_free(pl);
        }
        ks_free(&y);
        ks_free(&err);
    }
    return 0;
}
