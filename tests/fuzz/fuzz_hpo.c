/* HPO release files (OBO, OBO Graphs JSON, phenotype.hpoa, genes_to_phenotype),
 * phenopackets and phenotype tables. The first byte picks which file the rest
 * of the input becomes; the other files are a small valid release. */
#include <stdint.h>
#include <sys/stat.h>
#include "fuzz_common.h"
#include "hpo.h"

static const char *OBO =
    "format-version: 1.2\n\n[Term]\nid: HP:0000001\nname: All\n\n"
    "[Term]\nid: HP:0000118\nname: Phenotypic abnormality\nis_a: HP:0000001\n\n"
    "[Term]\nid: HP:0000002\nname: A\nis_a: HP:0000118\n\n[Term]\nid: HP:0000003\nname: A1\nis_a: HP:0000002\n\n"
    "[Term]\nid: HP:0000004\nname: A2\nalt_id: HP:0000014\nis_a: HP:0000002\n\n"
    "[Term]\nid: HP:0000008\nname: old\nis_obsolete: true\nreplaced_by: HP:0000004\n";
static const char *HPOA =
    "#DatabaseID\tDiseaseName\tQualifier\tHPO_ID\tReference\tEvidence\tOnset\tFrequency\tSex\tModifier\tAspect\tBiocuration\n"
    "OMIM:1\tOne\t\tHP:0000003\tOMIM:1\tTAS\t\t1/2\t\t\tP\tx\n"
    "OMIM:2\tTwo\tNOT\tHP:0000004\tOMIM:2\tTAS\t\tHP:0040281\t\t\tP\tx\n"
    "OMIM:2\tTwo\t\tHP:0000002\tOMIM:2\tTAS\t\t50%\t\t\tP\tx\n";
static const char *G2P = "ncbi_gene_id\tgene_symbol\thpo_id\thpo_name\tfrequency\tdisease_id\n"
                         "1\tG1\tHP:0000003\tA1\t-\tOMIM:1\n2\tG2\tHP:0000002\tA\t-\tOMIM:2\n";

static void put(const char *dir, const char *name, const void *p, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (n && fwrite(p, 1, n, f) != n) abort();
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[256];
    if (!dir[0]) {
        fuzz_quiet();
        snprintf(dir, sizeof dir, "/tmp/gs-fuzz-hpo-%ld", (long)getpid());
        mkdir(dir, 0700);
    }
    if (size < 1) return 0;
    int which = data[0] % 5;
    data++, size--;
    char path[512];
    for (const char *n = "hp.obo\0hp.json\0"; *n; n += strlen(n) + 1) { snprintf(path, sizeof path, "%s/%s", dir, n); unlink(path); }
    if (which == 0) put(dir, size && data[0] == '{' ? "hp.json" : "hp.obo", data, size);
    else put(dir, "hp.obo", OBO, strlen(OBO));
    if (which == 1) put(dir, "phenotype.hpoa", data, size); else put(dir, "phenotype.hpoa", HPOA, strlen(HPOA));
    if (which == 2) put(dir, "genes_to_phenotype.txt", data, size); else put(dir, "genes_to_phenotype.txt", G2P, strlen(G2P));
    kstring_t err = {0};
    gs_hpo_t *h = gs_hpo_load(dir, &err);
    if (h) {
        gs_hpo_profile_t p = {0}, *ps = NULL;
        int n = 0;
        int ok = 0;
        if (which == 3) {
            put(dir, "p.json", data, size);
            snprintf(path, sizeof path, "%s/p.json", dir);
            ok = gs_hpo_profile_phenopacket(h, path, &p, &err) == 0;
        } else if (which == 4) {
            put(dir, "p.tsv", data, size);
            snprintf(path, sizeof path, "%s/p.tsv", dir);
            if (gs_hpo_profile_table(h, path, &ps, &n, &err) == 0 && n) { p = ps[0]; memset(&ps[0], 0, sizeof ps[0]); ok = 1; }
            for (int i = 0; i < n; i++) gs_hpo_profile_free(&ps[i]);
            free(ps);
        } else {
            ok = gs_hpo_profile_parse(h, "HP:0000003,HP:0000014,!HP:0000004,HP:0000008", &p, &err) == 0;
        }
        if (ok) {
            gs_pheno_t *s = gs_pheno_score(h, &p);
            kstring_t m = {0};
            for (int g = 0; g < gs_hpo_ngenes(h); g++) {
                int d = gs_pheno_genes(s)[g].disease;
                if (d >= 0) { m.l = 0; gs_pheno_matches(s, d, 1, &m); }
                (void)gs_pheno_rank(s, g);
            }
            free(m.s);
            gs_pheno_free(s);
        }
        gs_hpo_profile_free(&p);
        gs_hpo_free(h);
    }
    free(err.s);
    return 0;
}
