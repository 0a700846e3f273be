/* vcfutil.h -- small helpers over htslib records shared by stages. */
#ifndef GS_VCFUTIL_H
#define GS_VCFUTIL_H

#include "genesieve/genesieve.h"

/** Numeric value of INFO field `id` for ALT allele `ai` (Number=A uses the
 * allele's slot, Number=R slot ai, others the first value; String values are
 * parsed as numbers).  Returns 1 and sets *out, or 0 when absent/missing. */
int gs_info_number(const bcf_hdr_t *h, bcf1_t *rec, int id, int ai, double *out);

/** 1 for "X"/"chrX", 2 for "Y"/"chrY", 3 for "MT"/"M"/"chrM"/"chrMT", else 0. */
int gs_chrom_kind(const char *chrom);

/** The other usual name of a contig: "chr1" <-> "1", "chrM" <-> "MT". */
const char *gs_chrom_alias(const char *chrom, char *buf, size_t n);

/** Genome build from the header's contig lengths (chr1 or chrX): 37, 38 or 0. */
int gs_detect_build(const bcf_hdr_t *h);

/** 1 when (chrom, 1-based pos) is on X outside PAR1/PAR2 of `build` (when
 * build is 0 the build is guessed from the chr prefix). */
int gs_x_nonpar(const char *chrom, int64_t pos, int build);
/** The same for Y. */
int gs_y_nonpar(const char *chrom, int64_t pos, int build);

/** 1 when every id of a BCF record is declared by the header (records from
 * index iterators skip htslib's own check): which = BCF_UN_SHR checks the
 * contig, FILTER and INFO ids (and unpacks those), BCF_UN_FMT the FORMAT ids
 * (and unpacks them). */
int gs_bcf_ids_ok(const bcf_hdr_t *h, bcf1_t *rec, int which);
/** The string value of INFO `key` in a BCF record's shared part, read where
 * it lies without unpacking the record (the first occurrence, up to its first
 * NUL, as bcf_get_info_string gives it).  1 = found and not empty, 0 = absent,
 * empty or not a string, -1 = the shared part is malformed. */
int gs_bcf_info_str(const bcf_hdr_t *h, const bcf1_t *v, const char *key, const char **val, size_t *len);

/** Header text check before htslib parses it: an `IDX=` value makes htslib
 * size its id dictionary to it, so a corrupt one (IDX=359138663) asks for
 * gigabytes.  0, or -1 with "header line N: ..." in why. */
int gs_hdr_idx_check(const char *txt, kstring_t *why);

typedef struct gs_bcf_ids gs_bcf_ids_t;
/* what gs_bcf_decode picks up on the way (the wanted INFO strings, where REF
 * and the per-sample part lie) and gs_bcf_decode_indiv after it (the GT
 * values: gt NULL when the record has none; gt_num values per sample, of BCF
 * type gt_type) */
typedef struct gs_bcf_found {
    const char *vals[3];
    size_t lens[3];
    const uint8_t *gt;
    int gt_type, gt_num;
    const uint8_t *ref;     /* REF's typed value in the record's shared part */
    const uint8_t *indiv;   /* the per-sample part where it lies, until gs_bcf_decode_indiv */
    uint32_t l_indiv;
} gs_bcf_found_t;
/** A BCF record from its bytes as the file holds them (the two lengths, the
 * fixed fields, the shared and the per-sample parts): the fixed fields and the
 * shared part, checked as bcf_read() checks them and more strictly (every
 * typed value inside the part, every FILTER and INFO id declared with a line
 * of its kind); the per-sample part is left where it lies for
 * gs_bcf_decode_indiv.  On the way, the string values of the table's wanted
 * INFO ids (as gs_bcf_info_str gives them: found->vals[k] / lens[k], lens[k] 0
 * when absent, empty or not a string).  0, or -1 with a static reason in *why. */
int gs_bcf_decode(const bcf_hdr_t *h, const gs_bcf_ids_t *ids, const uint8_t *p, size_t n, bcf1_t *v,
                  gs_bcf_found_t *found, const char **why);
/** The per-sample part of a record gs_bcf_decode read (its bytes must still
 * be where they were): copied into the record and checked (every FORMAT id
 * declared, every value inside the part), and GT found.  A
 * record dropped on its shared part never needs it (as text records dropped
 * on their first eight columns).  0, or -1 with a static reason in *why. */
int gs_bcf_decode_indiv(const gs_bcf_ids_t *ids, bcf1_t *v, gs_bcf_found_t *found, const char **why);
/** The next ALT allele of a record gs_bcf_decode checked, read where it lies
 * (as bcf_unpack gives it: up to its first NUL) without unpacking: *at is
 * NULL before the first ALT (then REF is skipped); the caller asks for
 * n_allele - 1 of them. */
void gs_bcf_next_alt(const bcf1_t *v, const gs_bcf_found_t *f, const uint8_t **at, const char **s, size_t *n);
/** What gs_bcf_decode needs to know of the header's ids, in one table: each
 * id's kinds (FILTER, INFO, FORMAT) and the INFO ids want[0..nwant) (at most
 * 3) whose values it picks up.  NULL when out of memory. */
gs_bcf_ids_t *gs_bcf_ids_new(const bcf_hdr_t *h, const int *want, int nwant);
void gs_bcf_ids_free(gs_bcf_ids_t *t);

/* Genotype-related FORMAT fields of one record, decoded once and turned into
 * per-allele calls (gs_call_t) for every ALT allele. */
typedef struct gs_fmt {
    int32_t *gt, *ad, *dp, *gq, *ps;
    float *gqf;
    int mgt, mad, mdp, mgq, mgqf, mps;
    int ngt, nad, ndp, ngq, gq_float, nps;
} gs_fmt_t;

/** Decode GT, AD, DP, GQ, PS of a record: 0, or -1 and *why when a FORMAT value
 * is not typed as a number where the header declares one (a damaged BCF record:
 * htslib's getters would exit). */
int gs_fmt_load(gs_fmt_t *f, const bcf_hdr_t *h, bcf1_t *rec, const char **why);
/** Calls of every sample for ALT allele `ai`.  A sample is MISSING for `./.`,
 * for a partly missing call without this allele, and for `0/0` with no depth
 * (DP 0 or absent in a record that has DP; all AD 0 when there is no DP). */
void gs_fmt_calls(const gs_fmt_t *f, int nsmp, int ai, gs_call_t *calls);
void gs_fmt_free(gs_fmt_t *f);

/* INFO keys left out of text records before vcf_parse: declared keys that no
 * stage reads.  Parsing INFO values is most of vcf_parse's work on annotated
 * files; dropping an unread key changes nothing but the parse time (htslib
 * turns bad INFO values into missing ones, it never fails on them). */
typedef struct gs_info_prune gs_info_prune_t;

/** The set of INFO keys of h to leave out: those declared as INFO with
 * keep[id] == 0 (keep has h->n[BCF_DT_ID] entries).  END is always kept (it
 * sets the record's length).  NULL when there is nothing to leave out. */
gs_info_prune_t *gs_info_prune_init(const bcf_hdr_t *h, const uint8_t *keep);
/** Copy text record `line` to `out` without the pruned INFO keys.  Returns 1
 * when out holds the shorter line, 0 when the line is to be parsed as it is
 * (nothing to leave out, or an INFO column this does not take apart). */
int gs_info_prune(const gs_info_prune_t *p, const kstring_t *line, kstring_t *out);
void gs_info_prune_free(gs_info_prune_t *p);

/** Per-thread state that is just a scratch kstring (stage thread_init/free). */
void *gs_kstring_thread_init(void *state);
void gs_kstring_thread_free(void *tstate);

#endif
