/* annot.h -- Sequence Ontology severity order and consequence annotations
 * written by VEP (CSQ), SnpEff (ANN) and bcftools csq (BCSQ). */
#ifndef GS_ANNOT_H
#define GS_ANNOT_H

#include "genesieve/genesieve.h"

/** Look a consequence term up (SO names, bcftools/SnpEff spellings).  On
 * success set *severity (0 = most severe) and *impact and return 0. */
int gs_so_lookup(const char *term, size_t len, int *severity, int *impact);
const char *gs_so_term(int severity);
int gs_so_count(void);
const char *gs_impact_name(int impact);
int gs_impact_parse(const char *s);  /* -1 when unknown */
/** Severity used for genes assigned from a BED (consequence "unknown"). */
int gs_so_unknown(void);

typedef enum { GS_ANN_CSQ, GS_ANN_ANN, GS_ANN_BCSQ } gs_ann_kind_t;

/** Where the pieces sit inside one '|'-separated entry. */
typedef struct gs_ann_layout {
    gs_ann_kind_t kind;
    char *tag;          /* INFO tag */
    int nfield;
    char **fields;      /* sub-field names */
    int i_allele, i_allele_num, i_consequence, i_symbol, i_gene;
} gs_ann_layout_t;

/** Read the layout of INFO/tag from the header (CSQ: "Format: a|b|c").
 * Returns 0, 1 when the tag is absent, -1 with err on a malformed header. */
int  gs_ann_layout_init(gs_ann_layout_t *L, gs_ann_kind_t kind, const char *tag,
                        const bcf_hdr_t *hdr, kstring_t *err);
void gs_ann_layout_free(gs_ann_layout_t *L);
int  gs_ann_field_index(const gs_ann_layout_t *L, const char *name);
/** 1 when the header's INFO/CSQ Format lists sub-field `name` (any case). */
int  gs_csq_has_field(const bcf_hdr_t *hdr, const char *name);

/** How VEP writes ALT allele `ai` of the record (the first base shared by
 * every allele is dropped; empty becomes "-"). */
void gs_vep_allele(const bcf1_t *rec, int ai, kstring_t *out);

/** Split `value` (modified in place) into entries and sub-fields.  For each
 * entry belonging to ALT allele `ai`, call cb with the sub-field array. */
typedef void (*gs_ann_entry_cb)(void *data, char **f, int nf);
int gs_ann_for_allele(const gs_ann_layout_t *L, char *value, const bcf1_t *rec, int ai,
                      const char *vep_allele, gs_ann_entry_cb cb, void *data);

/** Merge one entry into a per-allele gene list: keep, per gene, the most
 * severe consequence among `terms` ('&' or ',' separated).  Returns 0. */
typedef struct gs_genelist {
    int n, m;
    gs_gene_hit_t *g;
    size_t *cap;   /* per slot (all m of them): the size of its gene buffer, kept across clears */
} gs_genelist_t;
/** The most severe of '&'-separated SO terms (unknown terms: severity gs_so_unknown(), UNKNOWN impact). */
void gs_terms_severity(const char *terms, size_t tlen, int *severity, int *impact);
void gs_genelist_add(gs_genelist_t *gl, const char *gene, size_t glen, const char *terms, size_t tlen);
void gs_genelist_clear(gs_genelist_t *gl);
void gs_genelist_free(gs_genelist_t *gl);

#endif
