#include <string.h>
#include "helpers.h"
#include "pipeline.h"

static gs_pipeline_t *parse(const char *yml, kstring_t *err)
{
    err->l = 0;
    return gs_pipeline_parse(yml, strlen(yml), "t.yml", err);
}

Test(pipeline, default_is_valid)
{
    kstring_t err = KS_INITIALIZE;
    gs_pipeline_t *pl = gs_pipeline_default(&err);
    cr_assert_not_null(pl, "%s", err.s);
    cr_assert_eq(pl->nstage, 5);
    cr_assert_str_eq(pl->stages[3].stage->name, "pathogenicity");
    cr_assert_str_eq(pl->stages[4].stage->name, "inheritance");
    cr_assert_str_eq(pl->stages[0].stage->name, "consequence"); /* first: checked before records are parsed */
    cr_assert_str_eq(pl->stages[1].stage->name, "quality");
    cr_assert_eq(gs_param_int(&pl->stages[1], "min_gq"), 20);
    cr_assert_float_eq(gs_param_float(&pl->stages[2], "max_af"), 0.01, 1e-12);
    cr_assert_eq(gs_pipeline_check(pl, &err), 0);
    gs_pipeline_free(pl);
    ks_free(&err);
}

Test(pipeline, values_lists_and_set)
{
    kstring_t err = KS_INITIALIZE;
    gs_pipeline_t *pl = parse("version: 1\nstages:\n  - stage: quality\n    min_dp: 12\n    filters: [PASS, LowQual]\n"
                              "  - stage: expr\n    id: cadd\n    include: \"INFO/CADD >= 20\"\n", &err);
    cr_assert_not_null(pl, "%s", err.s);
    char *const *l;
    cr_assert_eq(gs_param_list(&pl->stages[0], "filters", &l), 2);
    cr_assert_str_eq(l[1], "LowQual");
    cr_assert_eq(gs_param_int(&pl->stages[0], "min_dp"), 12);
    cr_assert(gs_param_is_set(&pl->stages[0], "min_dp"));
    cr_assert(!gs_param_is_set(&pl->stages[0], "min_gq"));
    cr_assert_str_eq(gs_params_id(&pl->stages[1]), "cadd");
    cr_assert_eq(gs_pipeline_set(pl, "quality.min_gq=35", &err), 0, "%s", err.s);
    cr_assert_eq(gs_param_int(&pl->stages[0], "min_gq"), 35);
    cr_assert_eq(gs_pipeline_set(pl, "quality.filters=PASS,.", &err), 0);
    cr_assert_eq(gs_param_list(&pl->stages[0], "filters", &l), 2);
    cr_assert_str_eq(l[1], ".");
    cr_assert_eq(gs_pipeline_set(pl, "cadd.exclude=QUAL < 30", &err), 0);
    cr_assert_str_eq(gs_param_str(&pl->stages[1], "exclude"), "QUAL < 30");
    cr_assert_eq(gs_pipeline_check(pl, &err), 0, "%s", err.s);
    gs_pipeline_free(pl);
    ks_free(&err);
}

/* Each error names the file, the line and the key. */
Test(pipeline, errors_name_file_line_key)
{
    kstring_t err = KS_INITIALIZE;
    cr_assert_null(parse("stages:\n  - stage: quality\n  - stage: qualty\n", &err));
    cr_assert(strstr(err.s, "t.yml:3:") && strstr(err.s, "unknown stage 'qualty'"), "%s", err.s);

    cr_assert_null(parse("stages:\n  - stage: quality\n    min_gq: twenty\n", &err));
    cr_assert(strstr(err.s, "t.yml:3:") && strstr(err.s, "quality.min_gq") && strstr(err.s, "not an integer"), "%s", err.s);

    cr_assert_null(parse("stages:\n  - stage: frequency\n    max_af: 1.5\n", &err));
    cr_assert(strstr(err.s, "t.yml:3:") && strstr(err.s, "out of range"), "%s", err.s);

    cr_assert_null(parse("stages:\n  - stage: quality\n\n    min_gqq: 3\n", &err));
    cr_assert(strstr(err.s, "t.yml:4:") && strstr(err.s, "unknown parameter 'min_gqq'"), "%s", err.s);

    cr_assert_null(parse("stages:\n  - stage: quality\n  - stage: quality\n", &err));
    cr_assert(strstr(err.s, "used twice"), "%s", err.s);

    cr_assert_null(parse("stages: [\n", &err));
    cr_assert(strstr(err.s, "invalid YAML"), "%s", err.s);

    cr_assert_null(parse("stage:\n  - stage: quality\n", &err));
    cr_assert(strstr(err.s, "t.yml:1:") && strstr(err.s, "unknown key 'stage'"), "%s", err.s);

    cr_assert_null(parse("stages:\n  - stage: quality\n    min_gq: [1, 2]\n", &err));
    cr_assert(strstr(err.s, "found a list"), "%s", err.s);
    ks_free(&err);
}

Test(pipeline, set_errors_and_checks)
{
    kstring_t err = KS_INITIALIZE;
    gs_pipeline_t *pl = gs_pipeline_default(&err);
    cr_assert_eq(gs_pipeline_set(pl, "nosuch.x=1", &err), -1);
    cr_assert(strstr(err.s, "no stage 'nosuch'"), "%s", err.s);
    err.l = 0;
    cr_assert_eq(gs_pipeline_set(pl, "quality.min_gq", &err), -1);
    err.l = 0;
    cr_assert_eq(gs_pipeline_set(pl, "quality.min_gq=-4", &err), -1);
    cr_assert(strstr(err.s, "out of range"), "%s", err.s);
    err.l = 0;
    cr_assert_eq(gs_pipeline_set(pl, "quality.het_ab_min=0.9", &err), 0);
    cr_assert_eq(gs_pipeline_check(pl, &err), -1);
    cr_assert(strstr(err.s, "het_ab_min"), "%s", err.s);
    err.l = 0;
    cr_assert_eq(gs_pipeline_set(pl, "consequence.impacts=HIGH,SEVERE", &err), 0);
    cr_assert_eq(gs_pipeline_set(pl, "quality.het_ab_min=0.2", &err), 0);
    cr_assert_eq(gs_pipeline_check(pl, &err), -1);
    cr_assert(strstr(err.s, "SEVERE"), "%s", err.s);
    gs_pipeline_free(pl);

    pl = parse("stages:\n  - stage: expr\n    include: \"INFO/X >= (\"\n", &err);
    cr_assert_not_null(pl);
    cr_assert_eq(gs_pipeline_check(pl, &err), -1);
    cr_assert(strstr(err.s, "cannot parse expression"), "%s", err.s);
    gs_pipeline_free(pl);
    ks_free(&err);
}

Test(pipeline, every_shipped_pipeline_validates)
{
    const char *files[] = {"/pipelines/default.yml", "/pipelines/trio-denovo-strict.yml"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/..%s", TESTDATA, files[i]);
        kstring_t err = KS_INITIALIZE;
        gs_pipeline_t *pl = gs_pipeline_load(path, &err);
        cr_assert_not_null(pl, "%s", err.s);
        cr_assert_eq(gs_pipeline_check(pl, &err), 0, "%s", err.s);
        gs_pipeline_free(pl);
        ks_free(&err);
    }
}
