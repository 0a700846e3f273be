/* test_hpo.c -- HPO loading, term resolution, information content and the
 * disease score on a small hand-made ontology whose values are worked out in
 * the comments (README "Phenotypes" has the formula). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "genesieve/genesieve.h"
#include "hpo.h"

/*  All(1) - Phenotypic abnormality(118) - A(2) - A1(3), A2(4)
 *                                       - B(5) - B1(6, alt id 16)
 *  A1B1(7) is_a A1 and B1;  8 obsolete, replaced by A2;  Onset(9) outside 118 */
static const char *OBO =
    "format-version: 1.2\ndata-version: hp/releases/2099-01-01\n\n"
    "[Term]\nid: HP:0000001\nname: All\n\n"
    "[Term]\nid: HP:0000118\nname: Phenotypic abnormality\nis_a: HP:0000001\n\n"
    "[Term]\nid: HP:0000002\nname: A\nis_a: HP:0000118 ! Phenotypic abnormality\n\n"
    "[Term]\nid: HP:0000003\nname: A1\nis_a: HP:0000002\n\n"
    "[Term]\nid: HP:0000004\nname: A2\nis_a: HP:0000002\n\n"
    "[Term]\nid: HP:0000005\nname: B\nis_a: HP:0000118\n\n"
    "[Term]\nid: HP:0000006\nname: B1\nalt_id: HP:0000016\nis_a: HP:0000005\n\n"
    "[Term]\nid: HP:0000007\nname: A1B1\nis_a: HP:0000003\nis_a: HP:0000006\n\n"
    "[Term]\nid: HP:0000008\nname: obsolete A2\nis_obsolete: true\nreplaced_by: HP:0000004\n\n"
    "[Term]\nid: HP:0000009\nname: Onset\nis_a: HP:0000001\n\n"
    "[Typedef]\nid: part_of\n";

/* D1: A1, B1;  D2: A2 (very frequent);  D3: A1B1, NOT B;  D4: A */
static const char *HPOA =
    "#date: 2099-01-02\n"
    "#DatabaseID\tDiseaseName\tQualifier\tHPO_ID\tReference\tEvidence\tOnset\tFrequency\tSex\tModifier\tAspect\tBiocuration\n"
    "OMIM:1\tDisease one\t\tHP:0000003\tOMIM:1\tTAS\t\t\t\t\tP\tx\n"
    "OMIM:1\tDisease one\t\tHP:0000006\tOMIM:1\tTAS\t\t\t\t\tP\tx\n"
    "OMIM:1\tDisease one\t\tHP:0000009\tOMIM:1\tTAS\t\t\t\t\tC\tx\n"
    "OMIM:2\tDisease two\t\tHP:0000004\tOMIM:2\tTAS\t\tHP:0040281\t\t\tP\tx\n"
    "OMIM:3\tDisease three\t\tHP:0000007\tOMIM:3\tTAS\t\t3/3\t\t\tP\tx\n"
    "OMIM:3\tDisease three\tNOT\tHP:0000005\tOMIM:3\tTAS\t\t\t\t\tP\tx\n"
    "OMIM:4\tDisease four\t\tHP:0000002\tOMIM:4\tTAS\t\t\t\t\tP\tx\n";

static const char *G2P =
    "#Format: entrez-gene-id<tab>entrez-gene-symbol<tab>HPO-Term-ID<tab>HPO-Term-Name<tab>Frequency-Raw<tab>Frequency-HPO<tab>Additional Info from G-D source<tab>G-D source<tab>disease-ID for link\n"
    "1\tG1\tHP:0000003\tA1\t-\t\t-\tmim2gene\tOMIM:1\n"
    "1\tG1\tHP:0000006\tB1\t-\t\t-\tmim2gene\tOMIM:1\n"
    "1\tG1\tHP:0000002\tA\t-\t\t-\tmim2gene\tOMIM:4\n"
    "2\tG2\tHP:0000004\tA2\t-\t\t-\tmim2gene\tOMIM:2\n"
    "3\tG3\tHP:0000007\tA1B1\t-\t\t-\tmim2gene\tOMIM:3\n"
    "4\tG4\tHP:0000002\tA\t-\t\t-\tmim2gene\tOMIM:4\n"
    "5\tG5\tHP:0000002\tA\t-\t\t-\tmim2gene\tOMIM:999\n"
    "6\tG6\tHP:0000004\tA2\t-\t\tquestion\tmim2gene\tOMIM:2\n";

/* The same ontology as OBO Graphs JSON */
static const char *JSON =
    "{\"graphs\":[{\"id\":\"x\",\"meta\":{\"version\":\"http://purl.obolibrary.org/obo/hp/releases/2099-01-01/hp.json\"},"
    "\"nodes\":["
    "{\"id\":\"http://purl.obolibrary.org/obo/HP_0000001\",\"lbl\":\"All\",\"type\":\"CLASS\"},"
    "{\"id\":\"http://purl.obolibrary.org/obo/HP_0000118\",\"lbl\":\"Phenotypic abnormality\"},"
    "{\"id\":\"http://purl.obolibrary.org/obo/HP_0000002\",\"lbl\":\"A\"},"
    "{\"id\":\"http://purl.obolibrary.org/obo/HP_0000003\",\"lbl\":\"A1\"},"
    "{\"id\":\"http://purl.obolibrary.org/obo/HP_0000004\",\"lbl\":\"A\\u0032\"},"
    "{\"id\":\"http://purl.obolibrary.org/obo/HP_0000005\",\"lbl\":\"B\"},"
    "{\"id\":\"http://purl.obolibrary.org/obo/HP_0000006\",\"lbl\":\"B1\",\"meta\":{\"basicPropertyValues\":["
    "{\"pred\":\"http://www.geneontology.org/formats/oboInOwl#hasAlternativeId\",\"val\":\"HP:0000016\"}]}},"
    "{\"id\":\"http://purl.obolibrary.org/obo/HP_0000007\",\"lbl\":\"A1B1\"},"
    "{\"id\":\"http://purl.obolibrary.org/obo/HP_0000008\",\"lbl\":\"obsolete A2\",\"meta\":{\"deprecated\":true,"
    "\"basicPropertyValues\":[{\"pred\":\"http://purl.obolibrary.org/obo/IAO_0100001\",\"val\":\"HP:0000004\"}]}},"
    "{\"id\":\"http://purl.obolibrary.org/obo/HP_0000009\",\"lbl\":\"Onset\"},"
    "{\"id\":\"http://purl.obolibrary.org/obo/UBERON_0000001\",\"lbl\":\"not HP\"}],"
    "\"edges\":["
    "{\"sub\":\"http://purl.obolibrary.org/obo/HP_0000118\",\"pred\":\"is_a\",\"obj\":\"http://purl.obolibrary.org/obo/HP_0000001\"},"
    "{\"sub\":\"http://purl.obolibrary.org/obo/HP_0000002\",\"pred\":\"is_a\",\"obj\":\"http://purl.obolibrary.org/obo/HP_0000118\"},"
    "{\"sub\":\"http://purl.obolibrary.org/obo/HP_0000003\",\"pred\":\"is_a\",\"obj\":\"http://purl.obolibrary.org/obo/HP_0000002\"},"
    "{\"sub\":\"http://purl.obolibrary.org/obo/HP_0000004\",\"pred\":\"is_a\",\"obj\":\"http://purl.obolibrary.org/obo/HP_0000002\"},"
    "{\"sub\":\"http://purl.obolibrary.org/obo/HP_0000005\",\"pred\":\"is_a\",\"obj\":\"http://purl.obolibrary.org/obo/HP_0000118\"},"
    "{\"sub\":\"http://purl.obolibrary.org/obo/HP_0000006\",\"pred\":\"is_a\",\"obj\":\"http://purl.obolibrary.org/obo/HP_0000005\"},"
    "{\"sub\":\"http://purl.obolibrary.org/obo/HP_0000007\",\"pred\":\"is_a\",\"obj\":\"http://purl.obolibrary.org/obo/HP_0000003\"},"
    "{\"sub\":\"http://purl.obolibrary.org/obo/HP_0000007\",\"pred\":\"is_a\",\"obj\":\"http://purl.obolibrary.org/obo/HP_0000006\"},"
    "{\"sub\":\"http://purl.obolibrary.org/obo/HP_0000009\",\"pred\":\"is_a\",\"obj\":\"http://purl.obolibrary.org/obo/HP_0000001\"},"
    "{\"sub\":\"http://purl.obolibrary.org/obo/HP_0000003\",\"pred\":\"part_of\",\"obj\":\"http://purl.obolibrary.org/obo/HP_0000005\"}"
    "]}]}";

static char dir[64];

static void put(const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static void mkrelease_of(const char *onto_name, const char *onto, const char *hpoa, const char *g2p)
{
    strcpy(dir, "/tmp/gs-hpo-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    put(onto_name, onto);
    put("phenotype.hpoa", hpoa);
    put("genes_to_phenotype.txt", g2p);
}

static void mkrelease(const char *onto_name, const char *onto) { mkrelease_of(onto_name, onto, HPOA, G2P); }

static void rmrelease(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static gs_hpo_t *load(const char *onto_name, const char *onto)
{
    mkrelease(onto_name, onto);
    kstring_t err = {0};
    gs_hpo_t *h = gs_hpo_load(dir, &err);
    cr_assert_not_null(h, "%s", err.s);
    free(err.s);
    return h;
}

static double gene_score(const gs_hpo_t *h, const char *terms, const char *gene, int *rank, const char **dis)
{
    gs_hpo_profile_t p = {0};
    kstring_t err = {0};
    cr_assert_eq(gs_hpo_profile_parse(h, terms, &p, &err), 0, "%s", err.s);
    gs_pheno_t *s = gs_pheno_score(h, &p);
    int g = gs_hpo_gene(h, gene);
    cr_assert_geq(g, 0, "gene %s", gene);
    double v = gs_pheno_genes(s)[g].score;
    if (rank) *rank = gs_pheno_rank(s, g);
    if (dis) *dis = gs_pheno_genes(s)[g].disease >= 0 ? gs_hpo_disease_id(h, gs_pheno_genes(s)[g].disease) : NULL;
    gs_pheno_free(s);
    gs_hpo_profile_free(&p);
    free(err.s);
    return v;
}

#define EPS 1e-5 /* similarities are stored as float */

static void check_scores(gs_hpo_t *h)
{
    const double L2 = log(2), F = 0.3 * log(0.9);
    int r; const char *d;
    /* IC: A 0 (all 4 diseases), A1, B and B1 ln 2 (D1, D3), A2 and A1B1 ln 4.
     * Chance: every annotation (5 < 100) is a reference term: A1, B1, A2, A1B1, A. Their best
     * matches (Resnik + 0.3 ln w, at least 0) average, in D1 (A1, B1): (ln2 + ln2 + 0 + ln2 + 0) / 5;
     * D2 (A2 at 90 %): (ln4 + F) / 5; D3 (A1B1): (ln2 + ln2 + 0 + ln4 + 0) / 5; D4 (A): 0. Each
     * disease's score loses 0.3 * (its chance - their mean). */
    const double C1 = 3 * L2 / 5, C2 = (2 * L2 + F) / 5, C3 = 4 * L2 / 5, C4 = 0, CM = (C1 + C2 + C3 + C4) / 4;
    const double X1 = 0.3 * (C1 - CM), X2 = 0.3 * (C2 - CM), X3 = 0.3 * (C3 - CM), X4 = 0.3 * (C4 - CM);
    /* patient A1.
     * D1: best matches A1~A1 ln2 (exact: the patient's term itself) and B1~(none) 0: pd = ln2,
     *     dp = (ln2 + 0) / (2 + 3): 0.75 ln2 + 0.25 ln2/5 - 0.1 ln 2 + 0.5 - X1
     * D3: A1~A1B1 shares A1 (exact: A1B1 implies A1): pd = ln 2, dp = ln2 / (1 + 3); NOT B: the
     *     patient has no B: 0.75 ln2 + 0.25 ln2/4 + 0.5 - X3
     * D2, D4: nothing beyond A (IC 0; D2's A2 at 90 %: 0 + 0.3 ln 0.9 < 0, so 0): -X2, -X4
     * Genes: 0.2 ln sum exp(disease / 0.2) / (genes of the disease); D2 has G2 and G6 (a
     * provisional link, 0.3 less), D4 G1 and G4. G1 (D1, D4) = 0.2 ln(exp(D1/0.2) + exp(D4/0.2)/2) */
    const double D1 = 0.75 * L2 + 0.05 * L2 - 0.1 * L2 + 0.5 - X1, D3 = 0.75 * L2 + 0.0625 * L2 + 0.5 - X3;
    const double G1 = 0.2 * log(exp(D1 / 0.2) + exp(-X4 / 0.2) / 2);
    cr_expect_float_eq(gene_score(h, "HP:0000003", "G3", &r, &d), D3, EPS);
    cr_expect_eq(r, 1); cr_expect_str_eq(d, "OMIM:3");
    cr_expect_float_eq(gene_score(h, "HP:0000003", "G1", &r, &d), G1, EPS);
    cr_expect_eq(r, 2); cr_expect_str_eq(d, "OMIM:1");
    cr_expect_float_eq(gene_score(h, "HP:0000003", "G4", &r, NULL), -X4 - 0.2 * L2, EPS);
    cr_expect_eq(r, 3);
    cr_expect_float_eq(gene_score(h, "HP:0000003", "G2", &r, NULL), -X2 - 0.2 * L2, EPS);
    cr_expect_eq(r, 4);
    cr_expect_float_eq(gene_score(h, "HP:0000003", "G6", &r, NULL), -X2 - 0.2 * L2 - 0.3, EPS);
    cr_expect_eq(r, 5);
    /* no phenotypic term (onset only): every disease 0; G2 and G4 tie at -0.2 ln 2 with the same
     * tie-break (mean over diseases 0): both get rank 4 (ties against) */
    cr_expect_float_eq(gene_score(h, "HP:0000009", "G2", &r, NULL), -0.2 * L2, EPS);
    cr_expect_eq(r, 4);
    gene_score(h, "HP:0000009", "G4", &r, NULL);
    cr_expect_eq(r, 4);
    /* patient B1: D3 says NOT B, the patient has B (B1 is_a B): conflict IC(B) = ln 2,
     * D3 = 0.75 ln 2 + 0.25 ln2/4 (B1 ~ A1B1 shares B1, exact) + 0.5 - X3 - 0.2 ln 2 / 1 */
    const double D3b = 0.75 * L2 + 0.0625 * L2 + 0.5 - X3 - 0.2 * L2;
    cr_expect_float_eq(gene_score(h, "HP:0000006", "G3", NULL, NULL), D3b, EPS);
    /* the alternative id of B1 is B1 */
    cr_expect_float_eq(gene_score(h, "HP:0000016", "G3", NULL, NULL), D3b, EPS);
    /* excluded A2: D2 has A2 at an explicit 90 %: 0 - X2 - 0.2 ln 4 / (1 + 1), as G2's: - 0.2 ln 2 */
    cr_expect_float_eq(gene_score(h, "HP:0000003,!HP:0000004", "G2", NULL, NULL), -X2 - 0.1 * log(4) - 0.2 * L2, EPS);
    /* ... while D1's annotations (no frequency given) are not held against excluded terms */
    cr_expect_float_eq(gene_score(h, "HP:0000003,!HP:0000006", "G1", NULL, NULL), G1, EPS);
    /* patient A2 and D2's A2 at 90 %: pd = ln 4 + 0.3 ln 0.9, dp = 0.9 ln 4 / (0.9 + 3) (the
     * disease's direction weighs by frequency but adds no ln w), exact: 0.75 pd + 0.25 dp + 0.5 - X2 */
    cr_expect_float_eq(gene_score(h, "HP:0000004", "G2", NULL, NULL),
                       0.75 * (log(4) + F) + 0.25 * 0.9 * log(4) / 3.9 + 0.5 - X2 - 0.2 * L2, EPS);
    /* the obsolete A2 resolves to A2 (excluded here too) */
    cr_expect_float_eq(gene_score(h, "HP:0000003,!HP:0000008", "G2", NULL, NULL), -X2 - 0.1 * log(4) - 0.2 * L2, EPS);
}

Test(hpo, obo_release)
{
    gs_hpo_t *h = load("hp.obo", OBO);
    cr_expect_str_eq(gs_hpo_version(h), "2099-01-01");
    cr_expect_eq(gs_hpo_nterms(h), 10);
    cr_expect_eq(gs_hpo_ngenes(h), 5, "G5's disease is not in phenotype.hpoa");
    cr_expect_eq(gs_hpo_gene(h, "G5"), -1);
    cr_expect_str_eq(gs_hpo_term_name(h, gs_hpo_term(h, "HP:0000016")), "B1");
    cr_expect_str_eq(gs_hpo_term_id(h, gs_hpo_term(h, "HP:0000008")), "HP:0000004");
    cr_expect_eq(gs_hpo_term(h, "HP:0099999"), -1);
    cr_expect_eq(gs_hpo_term(h, "HP:12"), -2);
    cr_expect_eq(gs_hpo_term(h, "MP:0000001"), -2);
    check_scores(h);
    gs_hpo_free(h);
    rmrelease();
}

Test(hpo, json_release_scores_like_obo)
{
    gs_hpo_t *h = load("hp.json", JSON);
    cr_expect_str_eq(gs_hpo_version(h), "2099-01-01", "the ontology's release, not the annotations' date");
    cr_expect_eq(gs_hpo_nterms(h), 10, "non-HP nodes and part_of edges are ignored");
    cr_expect_str_eq(gs_hpo_term_name(h, gs_hpo_term(h, "HP:0000004")), "A2", "\\u escapes decoded");
    check_scores(h);
    gs_hpo_free(h);
    rmrelease();
}

Test(hpo, profiles)
{
    gs_hpo_t *h = load("hp.obo", OBO);
    gs_hpo_profile_t p = {0};
    kstring_t err = {0};
    cr_assert_eq(gs_hpo_profile_parse(h, "HP:0000003, HP:0000009 ,HP:0000003;-HP:0000005,HP:0123456", &p, &err), 0);
    cr_expect_eq(p.nobs, 1, "duplicates dropped, onset (outside Phenotypic abnormality) not matched");
    cr_expect_eq(p.nexc, 1);
    cr_expect_eq(p.nunknown, 1);
    cr_expect_str_eq(p.unknown[0], "HP:0123456");
    gs_hpo_profile_free(&p);
    cr_expect_eq(gs_hpo_profile_parse(h, "HP:0000003,HP:3", &p, &err), -1);
    cr_expect(strstr(err.s, "'HP:3' is not an HPO term id") != NULL, "%s", err.s);
    gs_hpo_profile_free(&p);
    free(err.s);
    /* matches: patient term > best disease term */
    gs_hpo_profile_t q = {0};
    kstring_t e2 = {0}, m = {0};
    gs_hpo_profile_parse(h, "HP:0000003,HP:0000005", &q, &e2);
    gs_pheno_t *s = gs_pheno_score(h, &q);
    int g3 = gs_hpo_gene(h, "G3");
    gs_pheno_matches(s, gs_pheno_genes(s)[g3].disease, 0, &m);
    cr_expect_str_eq(m.s, "HP:0000003>HP:0000007;HP:0000005>HP:0000007");
    gs_pheno_free(s);
    gs_hpo_profile_free(&q);
    free(e2.s); free(m.s);
    gs_hpo_free(h);
    rmrelease();
}

Test(hpo, broken_releases)
{
    kstring_t err = {0};
    /* a cycle in is_a */
    mkrelease("hp.obo", "[Term]\nid: HP:0000118\nis_a: HP:0000002\n\n[Term]\nid: HP:0000002\nis_a: HP:0000118\n");
    cr_expect_null(gs_hpo_load(dir, &err));
    cr_expect(strstr(err.s, "cycle") != NULL, "%s", err.s);
    rmrelease();
    /* truncated JSON */
    err.l = 0;
    mkrelease("hp.json", "{\"graphs\":[{\"nodes\":[{\"id\":\"HP_0000118\"");
    cr_expect_null(gs_hpo_load(dir, &err));
    cr_expect(strstr(err.s, "hp.json: byte") != NULL, "%s", err.s);
    rmrelease();
    /* a genes file without a known header */
    err.l = 0;
    mkrelease("hp.obo", OBO);
    put("genes_to_phenotype.txt", "a\tb\tc\n");
    cr_expect_null(gs_hpo_load(dir, &err));
    cr_expect(strstr(err.s, "genes_to_phenotype.txt:1: no gene_symbol/disease_id header") != NULL, "%s", err.s);
    rmrelease();
    /* the 2024+ genes_to_phenotype layout is read by its header */
    err.l = 0;
    mkrelease("hp.obo", OBO);
    put("genes_to_phenotype.txt", "ncbi_gene_id\tgene_symbol\thpo_id\thpo_name\tfrequency\tdisease_id\n"
                                  "3\tG3\tHP:0000007\tA1B1\t-\tOMIM:3\n");
    gs_hpo_t *h = gs_hpo_load(dir, &err);
    cr_assert_not_null(h, "%s", err.s);
    cr_expect_eq(gs_hpo_ngenes(h), 1);
    gs_hpo_free(h);
    rmrelease();
    free(err.s);
}

/* Inheritance (aspect I) with the real ids of the modes:
 *  All(1) - Phenotypic abnormality(118) - A(2)
 *         - Mode of inheritance(5) - Mendelian(34345) - AD(6), AR(7), X-linked(1417) - XLR(1419), mito(1427)
 *                                  - Sporadic(3745)
 *                                  - Inheritance modifier(34335) - incomplete penetrance(3829), typically de novo(25352) */
static const char *OBO_MOI =
    "format-version: 1.2\ndata-version: hp/releases/2099-01-01\n\n"
    "[Term]\nid: HP:0000001\nname: All\n\n"
    "[Term]\nid: HP:0000118\nname: Phenotypic abnormality\nis_a: HP:0000001\n\n"
    "[Term]\nid: HP:0000002\nname: A\nis_a: HP:0000118\n\n"
    "[Term]\nid: HP:0000005\nname: Mode of inheritance\nis_a: HP:0000001\n\n"
    "[Term]\nid: HP:0034345\nname: Mendelian inheritance\nis_a: HP:0000005\n\n"
    "[Term]\nid: HP:0000006\nname: Autosomal dominant inheritance\nis_a: HP:0034345\n\n"
    "[Term]\nid: HP:0000007\nname: Autosomal recessive inheritance\nis_a: HP:0034345\n\n"
    "[Term]\nid: HP:0001417\nname: X-linked inheritance\nis_a: HP:0034345\n\n"
    "[Term]\nid: HP:0001419\nname: X-linked recessive inheritance\nis_a: HP:0001417\n\n"
    "[Term]\nid: HP:0001427\nname: Mitochondrial inheritance\nis_a: HP:0034345\n\n"
    "[Term]\nid: HP:0003745\nname: Sporadic\nis_a: HP:0000005\n\n"
    "[Term]\nid: HP:0034335\nname: Inheritance modifier\nis_a: HP:0000005\n\n"
    "[Term]\nid: HP:0003829\nname: Typified by incomplete penetrance\nis_a: HP:0034335\n\n"
    "[Term]\nid: HP:0025352\nname: Typically de novo\nis_a: HP:0034335\n\n";

#define ROW(d, q, t, asp) d "\tDisease\t" q "\t" t "\tx\tTAS\t\t\t\t\t" asp "\tx\n"
/* OMIM:1 AD (its inheritance row before its first phenotype row); 2 AR; 3 XLR;
 * 4 sporadic and AD; 5 incomplete penetrance only; 6 typically de novo; 7 NOT
 * AR; 8 mitochondrial */
static const char *HPOA_MOI =
    "#date: 2099-01-02\n"
    ROW("OMIM:1", "", "HP:0000006", "I") ROW("OMIM:1", "", "HP:0000002", "P")
    ROW("OMIM:2", "", "HP:0000002", "P") ROW("OMIM:2", "", "HP:0000007", "I")
    ROW("OMIM:3", "", "HP:0000002", "P") ROW("OMIM:3", "", "HP:0001419", "I")
    ROW("OMIM:4", "", "HP:0000002", "P") ROW("OMIM:4", "", "HP:0003745", "I") ROW("OMIM:4", "", "HP:0000006", "I")
    ROW("OMIM:5", "", "HP:0000002", "P") ROW("OMIM:5", "", "HP:0003829", "I")
    ROW("OMIM:6", "", "HP:0000002", "P") ROW("OMIM:6", "", "HP:0025352", "I")
    ROW("OMIM:7", "", "HP:0000002", "P") ROW("OMIM:7", "NOT", "HP:0000007", "I")
    ROW("OMIM:8", "", "HP:0000002", "P") ROW("OMIM:8", "", "HP:0001427", "I");
#undef ROW

#define LINK(g, d) "1\t" g "\tHP:0000002\tA\t-\t\t-\tmim2gene\t" d "\n"
static const char *G2P_MOI =
    "#Format: entrez-gene-id<tab>entrez-gene-symbol<tab>HPO-Term-ID<tab>HPO-Term-Name<tab>Frequency-Raw<tab>Frequency-HPO<tab>Additional Info from G-D source<tab>G-D source<tab>disease-ID for link\n"
    LINK("DOM", "OMIM:1") LINK("REC", "OMIM:2") LINK("BOTH", "OMIM:1") LINK("BOTH", "OMIM:2") LINK("XL", "OMIM:3")
    LINK("ANY", "OMIM:2") LINK("ANY", "OMIM:4") LINK("PEN", "OMIM:5") LINK("RECPEN", "OMIM:2") LINK("RECPEN", "OMIM:5")
    LINK("DENOVO", "OMIM:6") LINK("NOTREC", "OMIM:7") LINK("MITO", "OMIM:8");
#undef LINK

Test(hpo, inheritance)
{
    mkrelease_of("hp.obo", OBO_MOI, HPOA_MOI, G2P_MOI);
    kstring_t err = {0};
    gs_hpo_t *h = gs_hpo_load(dir, &err);
    cr_assert_not_null(h, "%s", err.s);
    free(err.s);
#define MOI(g) gs_hpo_gene_moi(h, gs_hpo_gene(h, g))
    cr_expect_eq(MOI("DOM"), GS_MOI_MONOALLELIC, "an inheritance row before the disease's phenotype rows counts");
    cr_expect_eq(MOI("REC"), GS_MOI_BIALLELIC);
    cr_expect_eq(MOI("BOTH"), GS_MOI_MONOALLELIC | GS_MOI_BIALLELIC, "the union over the gene's diseases");
    cr_expect_eq(MOI("XL"), GS_MOI_XLINKED, "X-linked recessive is X-linked");
    cr_expect_eq(MOI("ANY"), 0, "a sporadic disease rules nothing out");
    cr_expect_eq(MOI("PEN"), 0, "a modifier alone names no mode");
    cr_expect_eq(MOI("RECPEN"), GS_MOI_BIALLELIC, "a disease without a mode says nothing");
    cr_expect_eq(MOI("DENOVO"), GS_MOI_MONOALLELIC, "typically de novo: monoallelic");
    cr_expect_eq(MOI("NOTREC"), 0, "NOT rows are not modes");
    cr_expect_eq(MOI("MITO"), GS_MOI_MITO);
    cr_expect_eq(gs_hpo_gene_moi(h, -1), 0);
#undef MOI
    gs_hpo_free(h);
    rmrelease();
}
