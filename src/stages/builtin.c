#include "builtin.h"

const gs_stage_t *const gs_builtin_stages[] = {
    &gs_stage_quality, &gs_stage_frequency, &gs_stage_consequence, &gs_stage_region, &gs_stage_expr,
    &gs_stage_inheritance, &gs_stage_pathogenicity, &gs_stage_panel, NULL,
};

typedef void (*info_keys_f)(const void *state, const bcf_hdr_t *h, uint8_t *keep);

int gs_stage_info_keys(const gs_stage_t *st, const void *state, const bcf_hdr_t *h, uint8_t *keep)
{
    static const struct { const gs_stage_t *st; info_keys_f keys; } readers[] = {
        {&gs_stage_quality, NULL}, {&gs_stage_frequency, gs_frequency_info_keys},
        {&gs_stage_consequence, gs_consequence_info_keys}, {&gs_stage_region, NULL},
        {&gs_stage_expr, gs_expr_info_keys}, {&gs_stage_inheritance, NULL},
        {&gs_stage_pathogenicity, gs_pathogenicity_info_keys}, {&gs_stage_panel, NULL},
    };
    for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++) {
        if (readers[i].st != st) continue;
        if (readers[i].keys) readers[i].keys(state, h, keep);
        return 0;
    }
    return -1;
}
