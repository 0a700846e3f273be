/* genesieve.h -- public interface for GeneSieve stages (built-in and plugins).
 *
 * A stage is a table of functions (gs_stage_t).  The engine decodes each VCF/BCF
 * record once, splits it into ALT alleles and hands every allele, as a
 * gs_variant_t, to each stage of the pipeline in order.  A stage returns
 * GS_KEEP or GS_DROP; a drop carries a one-line reason that ends up in the
 * audit output.  Stages never read the input file and never write outputs.
 *
 * Threads: init/check/destroy run on the main thread.  variant() runs on worker
 * threads concurrently, so `state` must be read-only after init(); anything a
 * stage needs to mutate per call lives in the per-thread state created by
 * thread_init().  gene() runs on the main thread.
 *
 * Plugins: a shared object exporting
 *     const gs_stage_t *const *genesieve_plugin_stages(int *n);
 * loaded with `genesieve run --plugin FILE.so`.  Its stages are used exactly like
 * built-in ones (by name in the pipeline).
 *
 * Copyright (c) 2026 GeneSieve developers. MIT licence (see LICENSE).
 */
#ifndef GENESIEVE_H
#define GENESIEVE_H

#include <stdint.h>
#include <htslib/vcf.h>
#include <htslib/kstring.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GS_API_VERSION 1

/* ------------------------------------------------------------------ */
/* Samples                                                             */

enum gs_sex { GS_SEX_UNKNOWN = 0, GS_SEX_MALE = 1, GS_SEX_FEMALE = 2 };

/** One VCF sample column, with what the PED says about it. */
typedef struct gs_sample {
    const char *name;   /* VCF column name */
    const char *family; /* PED family id (sample name when not in the PED) */
    int sex;            /* enum gs_sex */
    int affected;       /* 1 affected, 0 unaffected, -1 unknown */
    int father, mother; /* VCF column of each parent, -1 when absent/not sequenced */
} gs_sample_t;

/* ------------------------------------------------------------------ */
/* Genotypes, per sample and per ALT allele                            */

enum gs_gt {
    GS_GT_MISSING = 0, /* ./. , or 0/0 with no depth (merged gVCF) */
    GS_GT_REF = 1,     /* carries no copy of this allele (hom-ref, or another ALT) */
    GS_GT_HET = 2,     /* one copy of this allele, diploid */
    GS_GT_HOM = 3,     /* every called allele is this one, ploidy >= 2 */
    GS_GT_HEMI = 4     /* haploid call of this allele */
};

/* Inheritance modes (bit positions in gs_call_t.modes). */
enum gs_mode {
    GS_MODE_DE_NOVO = 0,     /* absent from both parents (autosomal, X, Y) */
    GS_MODE_AR_HOM,          /* autosomal recessive, homozygous */
    GS_MODE_COMP_HET,        /* autosomal (or female X) recessive, two alleles in trans */
    GS_MODE_X_RECESSIVE,     /* hemizygous male, or homozygous female, on X */
    GS_MODE_X_DOMINANT,      /* from an affected parent, on X */
    GS_MODE_AD_INHERITED,    /* autosomal dominant, from an affected parent */
    GS_MODE_MITOCHONDRIAL,   /* maternal line, heteroplasmy from AD */
    GS_NMODE,
    GS_MODE_COMP_HET_SIDE = 15 /* one side of a possible compound het, before pairing */
};
#define GS_MODE_BIT(m) ((uint16_t)(1u << (m)))

/* Where the ALT allele of a compound-het side came from. */
enum gs_origin { GS_ORIGIN_UNKNOWN = 0, GS_ORIGIN_FATHER, GS_ORIGIN_MOTHER, GS_ORIGIN_DE_NOVO };
/* Confidence that two alleles of a compound het are in trans. */
enum gs_pair_conf { GS_PAIR_NONE = 0, GS_PAIR_POSSIBLE, GS_PAIR_LIKELY, GS_PAIR_PROVEN };

typedef struct gs_call {
    uint8_t gt;      /* enum gs_gt */
    uint8_t ploidy;  /* number of alleles in GT */
    uint8_t phased;  /* GT written with '|' */
    uint8_t pass;    /* 1 unless a quality stage failed the call */
    int32_t dp, gq;  /* -1 when absent */
    int32_t ad_ref, ad_alt; /* AD of REF and of this ALT; -1 when absent */
    int32_t ad_total;       /* sum of AD over all alleles; -1 when absent */
    int32_t ps;      /* phase set: FORMAT/PS, 0 for phased calls without PS, -1 unphased */
    int8_t hap;      /* phased het: haplotype (0 or 1) carrying this allele; -1 unknown */
    /* set by the inheritance stage, for affected samples */
    uint8_t origin;     /* comp-het side: enum gs_origin */
    uint8_t origin_sure;/* 1 when both parents' calls prove the origin */
    uint8_t pair_conf;  /* comp het: enum gs_pair_conf of the best pair */
    uint16_t modes;     /* modes this call fits: GS_MODE_BIT(m) */
    uint16_t possible;  /* of those, the ones that fit only possibly (missing relatives) */
    int32_t pair;       /* comp het: index in the gene of the partner allele, -1 none */
} gs_call_t;

/** Non-zero when the call carries the allele (het, hom or hemizygous). */
static inline int gs_call_carries(const gs_call_t *c)
{
    return c->gt == GS_GT_HET || c->gt == GS_GT_HOM || c->gt == GS_GT_HEMI;
}

/* ------------------------------------------------------------------ */
/* Consequences                                                        */

enum gs_impact { GS_IMPACT_HIGH = 0, GS_IMPACT_MODERATE, GS_IMPACT_LOW,
                 GS_IMPACT_MODIFIER, GS_IMPACT_UNKNOWN };

/** A gene touched by an allele and its most severe consequence there. */
typedef struct gs_gene_hit {
    char *gene;              /* symbol (or gene id when no symbol) */
    const char *consequence; /* canonical Sequence Ontology term, static string */
    int severity;            /* position in the severity order, 0 = most severe */
    int impact;              /* enum gs_impact */
} gs_gene_hit_t;

/* ------------------------------------------------------------------ */
/* Pathogenicity evidence of an allele                                 */

enum gs_clinvar { GS_CLNV_NONE = 0, GS_CLNV_BENIGN, GS_CLNV_LIKELY_BENIGN, GS_CLNV_VUS, GS_CLNV_CONFLICTING,
                  GS_CLNV_LIKELY_PATHOGENIC, GS_CLNV_PATHOGENIC };

/** Predictor values and known significance, set by the pathogenicity stage. */
typedef struct gs_evidence {
    float cadd, revel, spliceai, alphamissense; /* NAN when absent */
    int8_t polyphen, sift;  /* 1 damaging / deleterious, -1 benign / tolerated, 0 unknown */
    int8_t clinvar;         /* enum gs_clinvar */
    int8_t stars;           /* ClinVar review stars 0-4; -1 unknown */
} gs_evidence_t;

/* ------------------------------------------------------------------ */
/* One ALT allele of one record                                        */

typedef struct gs_variant {
    const bcf_hdr_t *hdr;  /* header the record was decoded with */
    bcf1_t *rec;           /* fully unpacked record; from text input without the
                              INFO keys no stage of the pipeline reads (a pipeline
                              with a plugin stage keeps them all) */
    int allele;            /* ALT index, 1 .. rec->n_allele-1 */
    const char *chrom;     /* CHROM name */
    int x_nonpar;          /* 1 on X outside the pseudo-autosomal regions */
    int y_nonpar;          /* 1 on Y outside the pseudo-autosomal regions */
    int mito;              /* 1 on the mitochondrial genome */
    int nsmp;
    gs_call_t *calls;            /* nsmp calls for this allele */
    const gs_sample_t *samples;  /* nsmp samples */

    /* annotations written by stages and read by later ones */
    double af;       /* max population frequency over sources; -1 = no source knew it */
    int nhomalt;     /* max homozygote count over sources; -1 = unknown */
    int ngenes;      /* genes hit, with their most severe consequence */
    gs_gene_hit_t *genes;
    gs_evidence_t ev;

    void *core;      /* engine-private */
    int explain;     /* 1 when a drop's reason is shown (--audit); at 0 a stage
                        may give a short reason instead of composing a long one */
} gs_variant_t;

/** Values of INFO/CSQ (VEP) sub-field `field` for this allele, one per
 * transcript entry; returns the count (0 when absent) and points *vals at
 * engine-owned strings valid during the current variant() call. */
int gs_variant_csq_field(gs_variant_t *v, const char *field, const char ***vals);

/** Name of the sample column i. */
static inline const char *gs_variant_sample(const gs_variant_t *v, int i) { return v->samples[i].name; }

/* ------------------------------------------------------------------ */
/* Parameters                                                          */

typedef enum { GS_PARAM_INT, GS_PARAM_FLOAT, GS_PARAM_BOOL, GS_PARAM_STRING,
               GS_PARAM_LIST } gs_param_type_t;

/** One parameter a stage accepts.  `def` is written as in a pipeline file
 * (lists comma-separated); min/max bound numeric values (ignored when equal). */
typedef struct gs_param_def {
    const char *name;
    gs_param_type_t type;
    const char *def;
    double min, max;
    const char *help;
} gs_param_def_t;

typedef struct gs_params gs_params_t;

long        gs_param_int(const gs_params_t *p, const char *name);
double      gs_param_float(const gs_params_t *p, const char *name);
int         gs_param_bool(const gs_params_t *p, const char *name);
/** NULL when the string is empty. */
const char *gs_param_str(const gs_params_t *p, const char *name);
/** Number of items; *items points at them (valid while the pipeline lives). */
int         gs_param_list(const gs_params_t *p, const char *name, char *const **items);
/** 1 when the value was given in the pipeline or on the command line. */
int         gs_param_is_set(const gs_params_t *p, const char *name);
/** Stage instance id (the stage name unless the pipeline gives `id:`). */
const char *gs_params_id(const gs_params_t *p);

/* ------------------------------------------------------------------ */
/* Genes (for gene hooks)                                               */

/** One surviving allele inside a gene buffer. */
typedef struct gs_gene_var {
    const char *chrom;
    int64_t pos;              /* 1-based */
    char *ref, *alt;
    const char *consequence;  /* most severe SO term in this gene */
    int severity, impact;
    double af;                /* -1 unknown */
    int nhomalt;
    gs_call_t *calls;         /* nsmp calls */
    int dropped;              /* set to 1 by a gene hook to remove the allele */
    gs_evidence_t ev;
} gs_gene_var_t;

/* Panel modes of inheritance (bits of gs_gene_t.panel_moi). */
enum { GS_MOI_MONOALLELIC = 1, GS_MOI_BIALLELIC = 2, GS_MOI_XLINKED = 4, GS_MOI_MITO = 8 };

typedef struct gs_gene {
    const char *gene, *chrom;
    int nvar;
    gs_gene_var_t *vars;
    int nsmp;
    const gs_sample_t *samples;
    /* set by a panel stage's gene hook */
    int panel_level;          /* 0 not on a panel, 1 red, 2 amber, 3 green */
    unsigned panel_moi;       /* GS_MOI_* bits; 0 unknown */
} gs_gene_t;

/* ------------------------------------------------------------------ */
/* The stage table                                                     */

enum { GS_KEEP = 0, GS_DROP = 1, GS_FAIL = -1 };

/** What init() may look at: the input's header and samples. */
typedef struct gs_setup {
    const char *input;        /* file name, "-" for stdin */
    const bcf_hdr_t *hdr;
    int nsmp;
    const gs_sample_t *samples;
    int build;                /* 37, 38, or 0 when unknown */
} gs_setup_t;

typedef struct gs_stage {
    int api_version;          /* GS_API_VERSION */
    const char *name;
    const char *description;
    const gs_param_def_t *params; /* terminated by an entry with name == NULL */

    /** Optional: cross-parameter checks that need no input (used by
     * `genesieve validate`).  Return 0, or -1 with a message in err. */
    int (*check)(const gs_params_t *p, kstring_t *err);
    /** Prepare `*state` for this input.  Return 0, or -1 with a message. */
    int (*init)(const gs_params_t *p, const gs_setup_t *setup, void **state, kstring_t *err);
    /** Optional per-worker-thread state. */
    void *(*thread_init)(void *state);
    void (*thread_free)(void *tstate);
    /** Per-allele verdict: GS_KEEP, GS_DROP (reason appended to `why`),
     * or GS_FAIL (error appended to `why`; the run stops). */
    int (*variant)(void *state, void *tstate, gs_variant_t *v, kstring_t *why);
    /** Optional per-gene hook, once per gene when the stream is past it.
     * Mark vars[i].dropped or return GS_DROP to drop the whole gene. */
    int (*gene)(void *state, gs_gene_t *g, kstring_t *why);
    void (*destroy)(void *state);
    unsigned flags;           /* GS_STAGE_* */
} gs_stage_t;

/** The stage sets gs_call_t.modes: outputs then list, per patient, only the
 * alleles that fit a mode, and score genes by mode. */
#define GS_STAGE_SETS_MODES 1u

typedef const gs_stage_t *const *(*gs_plugin_entry_f)(int *n);
#define GS_PLUGIN_ENTRY "genesieve_plugin_stages"

#ifdef __cplusplus
}
#endif
#endif
