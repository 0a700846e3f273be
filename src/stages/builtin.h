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

/** INFO keys a stage reads, so that the engine can leave the others out of
 * text records before parsing them: sets keep[id] (h->n[BCF_DT_ID] entries)
 * for every header id the stage may read.  Returns 0, or -1 for a stage that
 * may read any key (a plugin: every key is then kept). */
int gs_stage_info_keys(const gs_stage_t *st, const void *state, const bcf_hdr_t *h, uint8_t *keep);
/* the built-in stages' answers (a stage that reads no INFO needs none) */
void gs_frequency_info_keys(const void *state, const bcf_hdr_t *h, uint8_t *keep);
void gs_consequence_info_keys(const void *state, const bcf_hdr_t *h, uint8_t *keep);
/** Before a record is parsed: 1 when the consequence stage would drop every
 * allele (no annotation entry of any allele passes), 0 when the record needs
 * the full check.  Text input: `info` is the INFO column (len bytes); binary:
 * info NULL and vals[s] / lens[s] the string value of the stage's s-th
 * annotation tag (gs_consequence_tags; lens[s] 0: absent or empty).
 * Thread-safe (the term lists' severities are memoised per thread). */
int gs_consequence_precheck(const void *state, const char *info, size_t len, const char *const *vals,
                            const size_t *lens);
/** The annotation tags the consequence stage reads, in its order (at most 3). */
int gs_consequence_tags(const void *state, const char **tags);
void gs_pathogenicity_info_keys(const void *state, const bcf_hdr_t *h, uint8_t *keep);
void gs_expr_info_keys(const void *state, const bcf_hdr_t *h, uint8_t *keep);

#endif
