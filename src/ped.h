/* ped.h -- PED files and the mapping of their samples to VCF columns. */
#ifndef GS_PED_H
#define GS_PED_H

#include "genesieve/genesieve.h"

typedef struct gs_ped_entry {
    char *family, *id, *father, *mother; /* father/mother NULL when "0" */
    int sex;       /* enum gs_sex */
    int affected;  /* 1, 0, or -1 unknown */
    int line;
} gs_ped_entry_t;

typedef struct gs_ped {
    int n;
    gs_ped_entry_t *e;
} gs_ped_t;

/** Read a PED file (6 columns, tab or space separated, '#' comments). */
gs_ped_t *gs_ped_read(const char *path, kstring_t *err);
void gs_ped_free(gs_ped_t *ped);

/** Build the per-column sample table for a VCF header.  Without a PED every
 * sample is an affected singleton.  An affected PED sample absent from the
 * VCF is an error; other absent samples are reported as not sequenced. */
gs_sample_t *gs_samples_build(const bcf_hdr_t *hdr, const gs_ped_t *ped, const char *ped_path,
                              kstring_t *warn, kstring_t *err);
void gs_samples_free(gs_sample_t *s, int n);

#endif
