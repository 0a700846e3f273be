/* builtin.h -- the table of built-in stages. Add a stage: write
 * src/stages/NAME.c defining `const gs_stage_t gs_stage_NAME`, declare it here
 * and list it in builtin.c. */
#ifndef GS_STAGES_BUILTIN_H
#define GS_STAGES_BUILTIN_H

#include "genesieve/genesieve.h"

extern const gs_stage_t gs_stage_quality, gs_stage_frequency, gs_stage_consequence,
    gs_stage_region, gs_stage_expr, gs_stage_inheritance, gs_stage_pathogenicity, gs_stage_panel;
/** Name of a gs_mode. */
const char *gs_mode_name(int m);
extern const gs_stage_t *const gs_builtin_stages[];

#endif
