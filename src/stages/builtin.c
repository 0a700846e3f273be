#include "builtin.h"

const gs_stage_t *const gs_builtin_stages[] = {
    &gs_stage_quality, &gs_stage_frequency, &gs_stage_consequence, &gs_stage_region, &gs_stage_expr,
    &gs_stage_inheritance, &gs_stage_pathogenicity, &gs_stage_panel, NULL,
};
