/* pipeline.h -- stage registry, parameters and pipeline files. */
#ifndef GS_PIPELINE_H
#define GS_PIPELINE_H

#include "genesieve/genesieve.h"

/* ---- stage registry (built-ins + plugins) ---- */
int  gs_registry_init(void);
int  gs_registry_load_plugin(const char *path, kstring_t *err);
const gs_stage_t *gs_registry_find(const char *name);
int  gs_registry_count(void);
const gs_stage_t *gs_registry_get(int i);
void gs_registry_free(void);

/* ---- parameters ---- */
typedef struct gs_pval {
    int set;        /* given explicitly */
    long i;
    double f;
    int b;
    char *s;
    char **list;
    int nlist;
} gs_pval_t;

struct gs_params {
    const gs_stage_t *stage;
    char *id;
    int nparam;
    gs_pval_t *v;   /* one per stage->params entry */
};

/** Parse `text` as a value of `def` into `out`.  Lists: YAML sequences are
 * given item by item through gs_pval_list_add; a scalar is split on commas. */
int  gs_pval_parse(const gs_param_def_t *def, const char *text, gs_pval_t *out, kstring_t *err);
void gs_pval_free(gs_pval_t *v, const gs_param_def_t *def);

/* ---- pipelines ---- */
typedef struct gs_pipeline {
    char *source;          /* file name, or "<built-in default>" */
    int nstage;
    gs_params_t *stages;   /* in order */
    long max_genes;        /* output.max_genes: 0 = all */
} gs_pipeline_t;

/** Load a pipeline from YAML text.  `source` names it in errors. */
gs_pipeline_t *gs_pipeline_parse(const char *text, size_t len, const char *source, kstring_t *err);
gs_pipeline_t *gs_pipeline_load(const char *path, kstring_t *err);
/** Append a whole file to s ("FILE: cannot open WHAT: ..." on failure). */
int gs_read_file(const char *path, const char *what, kstring_t *s, kstring_t *err);
gs_pipeline_t *gs_pipeline_default(kstring_t *err);
/** Apply "ID.PARAM=VALUE". */
int  gs_pipeline_set(gs_pipeline_t *pl, const char *assignment, kstring_t *err);
/** Run every stage's check(). */
int  gs_pipeline_check(gs_pipeline_t *pl, kstring_t *err);
/** Every stage and parameter value, one line: "quality(filters=[PASS,.], min_gq=20, ...); ..." */
void gs_pipeline_describe(const gs_pipeline_t *pl, kstring_t *s);
void gs_pipeline_free(gs_pipeline_t *pl);

extern const char gs_default_pipeline_yml[];
extern const unsigned gs_default_pipeline_yml_len;

#endif
