/* test_score.c -- a gene's score from its variants (README "Scoring"): the
 * segregation term of a singleton, lost stop/start codons, the inheritance fit
 * of the phenotype term and the ranking's tie order; values worked out by hand
 * in the comments. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "genesieve/genesieve.h"
#include "output.h"

#define EPS 1e-9

/* kid (affected), father, mother: one family; or the kid alone */
static gs_sample_t TRIO[3] = {
    {"kid", "fam", GS_SEX_MALE, 1, 1, 2}, {"dad", "fam", GS_SEX_MALE, 0, -1, -1}, {"mum", "fam", GS_SEX_FEMALE, 0, -1, -1}};
static gs_sample_t SINGLE[1] = {{"kid", "kid", GS_SEX_MALE, 1, -1, -1}};

/* A variant of the kid: gt, modes it fits (possible: only possibly), the
 * relatives' genotypes (GS_GT_MISSING: no call); af -1 = not seen. */
static void add_var(gs_result_gene_t *g, int64_t pos, const char *csq, int gt, uint16_t modes, uint16_t possible,
                    int nfam, const int *rel_gt)
{
    gs_result_var_t v;
    memset(&v, 0, sizeof v);
    v.chrom = "1";
    v.pos = pos;
    v.ref = strdup("A");
    v.alt = strdup("G");
    v.consequence = csq;
    v.af = -1;
    v.nhomalt = -1;
    v.ev = (gs_evidence_t){NAN, NAN, NAN, NAN, 0, 0, GS_CLNV_NONE, -1};
    v.gt = (uint8_t)gt;
    v.modes = modes;
    v.possible = possible;
    v.fam = calloc((size_t)nfam, sizeof(gs_call_t));
    v.fam[0].gt = (uint8_t)gt;
    v.fam[0].pass = 1;
    for (int k = 1; k < nfam; k++) {
        v.fam[k].gt = (uint8_t)rel_gt[k - 1];
        v.fam[k].pass = 1;
    }
    gs_result_gene_push_var(g, &v);
}

Test(score, singleton_possible_modes_have_no_segregation_evidence)
{
    /* the kid alone: a missense (rarity +3, deleteriousness +0.5) hom-alt that
     * fits ar_hom only possibly, and a het that fits ad_inherited possibly */
    gs_results_t *r = gs_results_init(1, SINGLE, 1);
    gs_result_gene_t *g = gs_results_add_gene(r, 0, "GENE", "1");
    cr_expect_eq(g->nfam, 1);
    add_var(g, 100, "missense_variant", GS_GT_HOM, GS_MODE_BIT(GS_MODE_AR_HOM), GS_MODE_BIT(GS_MODE_AR_HOM), 1, NULL);
    gs_result_gene_score(g, 1);
    cr_expect_float_eq(g->c_segregation, 0.0, EPS, "no relative: nothing observed (was +0.5)");
    cr_expect_float_eq(g->score, 3.5, EPS);
    cr_expect_eq(g->mode, GS_MODE_AR_HOM);
    cr_expect_eq(g->mode_possible, 1);
    gs_results_free(r);

    /* a trio whose parents have calls: possible ar_hom keeps +0.5 (one parent
     * het, the other's call missing) */
    r = gs_results_init(3, TRIO, 1);
    g = gs_results_add_gene(r, 0, "GENE", "1");
    cr_expect_eq(g->nfam, 3);
    int rel[2] = {GS_GT_HET, GS_GT_MISSING};
    add_var(g, 100, "missense_variant", GS_GT_HOM, GS_MODE_BIT(GS_MODE_AR_HOM), GS_MODE_BIT(GS_MODE_AR_HOM), 3, rel);
    gs_result_gene_score(g, 1);
    cr_expect_float_eq(g->c_segregation, 0.5, EPS);
    cr_expect_float_eq(g->score, 4.0, EPS);
    gs_results_free(r);

    /* the same trio, neither parent called here: as a singleton */
    r = gs_results_init(3, TRIO, 1);
    g = gs_results_add_gene(r, 0, "GENE", "1");
    int none[2] = {GS_GT_MISSING, GS_GT_MISSING};
    add_var(g, 100, "missense_variant", GS_GT_HOM, GS_MODE_BIT(GS_MODE_AR_HOM), GS_MODE_BIT(GS_MODE_AR_HOM), 3, none);
    gs_result_gene_score(g, 1);
    cr_expect_float_eq(g->c_segregation, 0.0, EPS);
    gs_results_free(r);
}

Test(score, singleton_unphased_pair)
{
    /* two hets of the kid alone, paired as a possible compound het: no
     * segregation term (was +0.3); the pair's terms are the means:
     * rarity 3, deleteriousness (2 + 0.5) / 2 = 1.25 */
    gs_results_t *r = gs_results_init(1, SINGLE, 1);
    gs_result_gene_t *g = gs_results_add_gene(r, 0, "GENE", "1");
    uint16_t ch = GS_MODE_BIT(GS_MODE_COMP_HET);
    add_var(g, 100, "stop_gained", GS_GT_HET, ch, 0, 1, NULL);
    add_var(g, 200, "missense_variant", GS_GT_HET, ch, 0, 1, NULL);
    g->vars[0].pair = strdup("1:200:A:G");
    g->vars[0].pair_conf = GS_PAIR_POSSIBLE;
    g->vars[1].pair = strdup("1:100:A:G");
    g->vars[1].pair_conf = GS_PAIR_POSSIBLE;
    gs_result_gene_score(g, 1);
    cr_expect_eq(g->mode, GS_MODE_COMP_HET);
    cr_expect_float_eq(g->c_segregation, 0.0, EPS);
    cr_expect_float_eq(g->c_deleterious, 1.25, EPS);
    cr_expect_float_eq(g->score, 4.25, EPS);
    gs_results_free(r);
}

Test(score, lost_stop_or_start_is_moderate)
{
    gs_result_var_t v;
    memset(&v, 0, sizeof v);
    v.af = -1;
    v.ev = (gs_evidence_t){NAN, NAN, NAN, NAN, 0, 0, GS_CLNV_NONE, -1};
    v.consequence = "stop_gained";
    gs_variant_terms(&v);
    cr_expect_float_eq(v.deleterious, 2.0, EPS);
    v.consequence = "stop_lost";
    gs_variant_terms(&v);
    cr_expect_float_eq(v.deleterious, 0.5, EPS, "as an in-frame change (was +2)");
    v.consequence = "start_lost";
    gs_variant_terms(&v);
    cr_expect_float_eq(v.deleterious, 0.5, EPS);
    v.consequence = "splice_acceptor_variant";
    gs_variant_terms(&v);
    cr_expect_float_eq(v.deleterious, 2.0, EPS);
}

Test(score, inheritance_fit)
{
    /* the kid alone: a het missense (3 + 0.5) fitting ad_inherited possibly */
    gs_results_t *r = gs_results_init(1, SINGLE, 1);
    gs_result_gene_t *g = gs_results_add_gene(r, 0, "GENE", "1");
    uint16_t ad = GS_MODE_BIT(GS_MODE_AD_INHERITED);
    add_var(g, 100, "missense_variant", GS_GT_HET, ad, ad, 1, NULL);
    gs_result_gene_score(g, 1);
    cr_expect_float_eq(g->c_inheritance, 0.0, EPS, "no HPO information");
    g->hpo_moi = GS_HPO_ANNOTATED | GS_MOI_BIALLELIC;
    gs_result_gene_score(g, 1);
    cr_expect_float_eq(g->c_inheritance, -1.05, EPS, "one allele, recessive diseases only");
    cr_expect_float_eq(g->score, 3.5 - 1.05, EPS);
    g->hpo_moi = GS_HPO_ANNOTATED | GS_MOI_BIALLELIC | GS_MOI_MONOALLELIC;
    gs_result_gene_score(g, 1);
    cr_expect_float_eq(g->c_inheritance, 0.3, EPS);
    g->hpo_moi = GS_HPO_ANNOTATED;
    gs_result_gene_score(g, 1);
    cr_expect_float_eq(g->c_inheritance, 0.3, EPS, "annotated, no mode known: no conflict");
    g->hpo_moi = GS_HPO_ANNOTATED | GS_MOI_XLINKED;
    gs_result_gene_score(g, 1);
    cr_expect_float_eq(g->c_inheritance, 0.0, EPS, "X-linked diseases: a het fits, not measured as dominant");
    /* on a panel that gives the mode: the panel term speaks (green +2, AR rules out -1) */
    g->hpo_moi = GS_HPO_ANNOTATED | GS_MOI_BIALLELIC;
    g->panel_level = 3;
    g->panel_moi = GS_MOI_BIALLELIC;
    gs_result_gene_score(g, 1);
    cr_expect_float_eq(g->c_inheritance, 0.0, EPS);
    cr_expect_float_eq(g->c_panel, -1.0, EPS);
    g->panel_level = 0;
    g->panel_moi = 0;
    gs_results_free(r);

    /* a hom-alt: ar_hom; dominant diseases only -0.55, recessive +0.1 */
    r = gs_results_init(1, SINGLE, 1);
    g = gs_results_add_gene(r, 0, "GENE", "1");
    uint16_t ar = GS_MODE_BIT(GS_MODE_AR_HOM);
    add_var(g, 100, "missense_variant", GS_GT_HOM, ar, ar, 1, NULL);
    g->hpo_moi = GS_HPO_ANNOTATED | GS_MOI_MONOALLELIC;
    gs_result_gene_score(g, 1);
    cr_expect_float_eq(g->c_inheritance, -0.55, EPS);
    cr_expect_float_eq(g->score, 3.5 - 0.55, EPS);
    g->hpo_moi = GS_HPO_ANNOTATED | GS_MOI_BIALLELIC;
    gs_result_gene_score(g, 1);
    cr_expect_float_eq(g->c_inheritance, 0.1, EPS);
    gs_results_free(r);

    /* the fit chooses the mode: two hets in a recessive gene, one a stop gain:
     * ad_inherited 3 + 2 - 1.05 = 3.95 < comp_het 3 + 1.25 + 0.1 = 4.35 */
    r = gs_results_init(1, SINGLE, 1);
    g = gs_results_add_gene(r, 0, "GENE", "1");
    uint16_t both = GS_MODE_BIT(GS_MODE_COMP_HET) | ad;
    add_var(g, 100, "stop_gained", GS_GT_HET, both, ad, 1, NULL);
    add_var(g, 200, "missense_variant", GS_GT_HET, both, ad, 1, NULL);
    g->vars[0].pair = strdup("1:200:A:G");
    g->vars[0].pair_conf = GS_PAIR_POSSIBLE;
    g->vars[1].pair = strdup("1:100:A:G");
    g->vars[1].pair_conf = GS_PAIR_POSSIBLE;
    gs_result_gene_score(g, 1);
    cr_expect_eq(g->mode, GS_MODE_AD_INHERITED, "no HPO information: the stop gain alone, 5.0");
    cr_expect_float_eq(g->score, 5.0, EPS);
    g->hpo_moi = GS_HPO_ANNOTATED | GS_MOI_BIALLELIC;
    gs_result_gene_score(g, 1);
    cr_expect_eq(g->mode, GS_MODE_COMP_HET);
    cr_expect_float_eq(g->score, 4.35, EPS);
    gs_results_free(r);
}

Test(score, ties_go_to_the_better_phenotype_rank)
{
    gs_result_gene_t a, b, c;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    a.gene = "AAA"; b.gene = "BBB"; c.gene = "CCC";
    a.chrom = b.chrom = c.chrom = "1";
    a.score = b.score = c.score = 5.0;
    a.best_severity = 1; b.best_severity = 5; c.best_severity = 5; /* a: the more severe consequence */
    a.pheno_rank = 0; b.pheno_rank = 40; c.pheno_rank = 22;  /* a: not annotated */
    gs_result_gene_t *v[3] = {&a, &b, &c};
    qsort(v, 3, sizeof v[0], gs_result_gene_cmp);
    cr_expect_str_eq(v[0]->gene, "CCC");
    cr_expect_str_eq(v[1]->gene, "BBB");
    cr_expect_str_eq(v[2]->gene, "AAA", "not annotated: after the annotated genes");
    /* without phenotypes (all ranks 0): the more severe consequence, then the name */
    a.pheno_rank = b.pheno_rank = c.pheno_rank = 0;
    qsort(v, 3, sizeof v[0], gs_result_gene_cmp);
    cr_expect_str_eq(v[0]->gene, "AAA");
    cr_expect_str_eq(v[1]->gene, "BBB");
    /* a higher score first whatever the ranks */
    c.score = 5.01;
    c.pheno_rank = 900;
    b.pheno_rank = 1;
    qsort(v, 3, sizeof v[0], gs_result_gene_cmp);
    cr_expect_str_eq(v[0]->gene, "CCC");
    cr_expect_str_eq(v[1]->gene, "BBB");
}
