/* ped.c -- PED parsing and sample mapping. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <htslib/khash.h>

#include "ped.h"

KHASH_MAP_INIT_STR(pedid, int)

void gs_ped_free(gs_ped_t *ped)
{
    if (!ped) return;
    for (int i = 0; i < ped->n; i++) {
        free(ped->e[i].family);
        free(ped->e[i].id);
        free(ped->e[i].father);
        free(ped->e[i].mother);
    }
    free(ped->e);
    free(ped);
}

/* "0" (PLINK), "-9" and "." (GEMINI, peddy) all mean "no parent in the file". */
static char *parent(const char *s) { return strcmp(s, "0") && strcmp(s, "-9") && strcmp(s, ".") && *s ? strdup(s) : NULL; }

static int unknown_code(const char *s)
{
    return !strcmp(s, "0") || !strcmp(s, "-9") || !strcmp(s, "-1") || !strcmp(s, ".") || !strcasecmp(s, "other") ||
           !strcasecmp(s, "unknown");
}

gs_ped_t *gs_ped_read(const char *path, kstring_t *err)
{
    FILE *fp = fopen(path, "r");
    if (!fp) { ksprintf(err, "%s: cannot open PED file: %s", path, strerror(errno)); return NULL; }
    gs_ped_t *ped = calloc(1, sizeof(*ped));
    khash_t(pedid) *seen = kh_init(pedid);
    kstring_t line = KS_INITIALIZE;
    int lineno = 0, m = 0;
    char *tok[7];
    while (line.l = 0, kgetline(&line, (kgets_func *)fgets, fp) == 0) {
        lineno++;
        char *s = line.s;
        while (line.l && (s[line.l - 1] == '\r' || s[line.l - 1] == '\n')) s[--line.l] = 0;
        while (*s == ' ' || *s == '\t') s++;
        if (!*s || *s == '#') continue;
        int nt = 0;
        char *save = NULL;
        for (char *t = strtok_r(s, " \t", &save); t && nt < 7; t = strtok_r(NULL, " \t", &save)) tok[nt++] = t;
        if (nt < 6) {
            ksprintf(err, "%s:%d: expected 6 columns (family, sample, father, mother, sex, phenotype), found %d",
                     path, lineno, nt);
            goto fail;
        }
        int sex, aff;
        if (!strcmp(tok[4], "1")) sex = GS_SEX_MALE;
        else if (!strcmp(tok[4], "2")) sex = GS_SEX_FEMALE;
        else if (!strcasecmp(tok[4], "male") || !strcasecmp(tok[4], "M")) sex = GS_SEX_MALE;
        else if (!strcasecmp(tok[4], "female") || !strcasecmp(tok[4], "F")) sex = GS_SEX_FEMALE;
        else if (unknown_code(tok[4])) sex = GS_SEX_UNKNOWN;
        else { ksprintf(err, "%s:%d: sex '%s' is not 1, 2 or 0", path, lineno, tok[4]); goto fail; }
        if (!strcmp(tok[5], "2")) aff = 1;
        else if (!strcmp(tok[5], "1")) aff = 0;
        else if (unknown_code(tok[5])) aff = -1;
        else { ksprintf(err, "%s:%d: phenotype '%s' is not 1, 2, 0 or -9", path, lineno, tok[5]); goto fail; }
        khint_t it = kh_get(pedid, seen, tok[1]);
        if (it != kh_end(seen)) {
            ksprintf(err, "%s:%d: sample '%s' is listed twice (first on line %d)", path, lineno, tok[1], kh_val(seen, it));
            goto fail;
        }
        if (ped->n == m) { m = m ? 2 * m : 16; ped->e = realloc(ped->e, m * sizeof(*ped->e)); }
        gs_ped_entry_t *e = &ped->e[ped->n++];
        e->family = strdup(tok[0]);
        e->id = strdup(tok[1]);
        e->father = parent(tok[2]);
        e->mother = parent(tok[3]);
        e->sex = sex;
        e->affected = aff;
        e->line = lineno;
        int ret;
        it = kh_put(pedid, seen, e->id, &ret);
        kh_val(seen, it) = lineno;
    }
    if (ferror(fp)) { ksprintf(err, "%s: read error", path); goto fail; }
    if (!ped->n) { ksprintf(err, "%s: no samples in PED file", path); goto fail; }
    fclose(fp);
    ks_free(&line);
    kh_destroy(pedid, seen);
    return ped;
fail:
    fclose(fp);
    ks_free(&line);
    kh_destroy(pedid, seen);
    gs_ped_free(ped);
    return NULL;
}

gs_sample_t *gs_samples_build(const bcf_hdr_t *hdr, const gs_ped_t *ped, const char *ped_path,
                              kstring_t *warn, kstring_t *err)
{
    int n = bcf_hdr_nsamples(hdr);
    gs_sample_t *s = calloc(n ? n : 1, sizeof(*s));
    for (int i = 0; i < n; i++) {
        s[i].name = hdr->samples[i];
        s[i].family = hdr->samples[i];
        s[i].affected = ped ? 0 : 1;
        s[i].father = s[i].mother = -1;
    }
    if (!ped) return s;
    int nmissing = 0;
    for (int k = 0; k < ped->n; k++) {
        const gs_ped_entry_t *e = &ped->e[k];
        int i = bcf_hdr_id2int(hdr, BCF_DT_SAMPLE, e->id);
        if (i < 0) {
            if (e->affected == 1) {
                ksprintf(err, "%s:%d: affected sample '%s' is not in the VCF", ped_path, e->line, e->id);
                free(s);
                return NULL;
            }
            if (nmissing < 10) ksprintf(warn, "%s%s", nmissing ? ", " : "", e->id);
            nmissing++;
            continue;
        }
        s[i].family = e->family;
        s[i].sex = e->sex;
        s[i].affected = e->affected;
        s[i].father = e->father ? bcf_hdr_id2int(hdr, BCF_DT_SAMPLE, e->father) : -1;
        s[i].mother = e->mother ? bcf_hdr_id2int(hdr, BCF_DT_SAMPLE, e->mother) : -1;
    }
    if (nmissing) {
        kstring_t w = KS_INITIALIZE;
        ksprintf(&w, "%s: %d PED sample%s not in the VCF, treated as not sequenced: %s%s",
                 ped_path, nmissing, nmissing > 1 ? "s" : "", warn->s, nmissing > 10 ? ", ..." : "");
        ks_free(warn);
        *warn = w;
    }
    return s;
}

void gs_samples_free(gs_sample_t *s, int n)
{
    (void)n;
    free(s);
}
