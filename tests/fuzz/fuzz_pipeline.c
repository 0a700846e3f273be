/* Pipeline YAML loader, --set and checks. */
#include <stdint.h>
#include "fuzz_common.h"
#include "pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int once;
    if (!once) { fuzz_quiet(); gs_registry_init(); once = 1; }
    kstring_t err = KS_INITIALIZE;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    gs_pipeline_t *pl = gs_pipeline_parse(text, size, "fuzz.yml", &err);
    if (pl) {
        err.l = 0;
        gs_pipeline_check(pl, &err);
        /* the first line, as a --set assignment */
        char *nl = strchr(text, '\n');
        if (nl) *nl = 0;
        err.l = 0;
        gs_pipeline_set(pl, text, &err);
        kstring_t d = KS_INITIALIZE;
        gs_pipeline_describe(pl, &d);
        ks_free(&d);
        gs_pipeline_free(pl);
    }
    free(text);
    ks_free(&err);
    return 0;
}
