/* Every inheritance mode on hand-written genotype tables: a trio (kid, dad,
 * mom) plus an unaffected sibling, on autosomes, X, Y and MT of both builds. */
#include <string.h>
#include <unistd.h>
#include "harness.h"

#define M(m) GS_MODE_BIT(GS_MODE_##m)

static char ped_path[64];

static const char *write_ped(const char *text)
{
    snprintf(ped_path, sizeof ped_path, "/tmp/gs_inh_XXXXXX");
    int fd = mkstemp(ped_path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return ped_path;
}

/* kid (affected son or daughter), dad, mom, sib (unaffected brother) */
static const char *TRIO_SON = "f kid dad mom 1 2\nf dad 0 0 1 1\nf mom 0 0 2 1\nf sib dad mom 1 1\n";
static const char *TRIO_DAUGHTER = "f kid dad mom 2 2\nf dad 0 0 1 1\nf mom 0 0 2 1\nf sib dad mom 1 1\n";

static bcf_hdr_t *hdr(int build)
{
    kstring_t s = KS_INITIALIZE;
    ksprintf(&s, "##fileformat=VCFv4.2\n##contig=<ID=1,length=%d>\n##contig=<ID=X,length=%d>\n##contig=<ID=Y,length=%d>\n"
                 "##contig=<ID=MT,length=16569>\n"
                 "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n"
                 "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"a\">\n"
                 "##FORMAT=<ID=PS,Number=1,Type=Integer,Description=\"p\">\n"
                 "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tkid\tdad\tmom\tsib\n",
             build == 38 ? 248956422 : 249250621, build == 38 ? 156040895 : 155270560, build == 38 ? 57227415 : 59373566);
    bcf_hdr_t *h = header_from(s.s);
    ks_free(&s);
    return h;
}

typedef struct {
    harness_t H;
    bcf_hdr_t *h;
    kstring_t err;
} fx_t;

static void fx_init(fx_t *f, int build, const char *ped, const char *params)
{
    memset(f, 0, sizeof(*f));
    f->h = hdr(build);
    kstring_t y = KS_INITIALIZE;
    ksprintf(&y, "stage: inheritance%s%s", params ? "\n    " : "", params ? params : "");
    cr_assert_eq(harness(&f->H, f->h, write_ped(ped), y.s, &f->err), 0, "%s", f->err.s);
    unlink(ped_path);
    ks_free(&y);
}

static void fx_free(fx_t *f)
{
    harness_free(&f->H);
    bcf_hdr_destroy(f->h);
    ks_free(&f->err);
}

/* Modes of the kid for `line` (ALT allele ai); *possible gets the possible bits. */
static unsigned modes_of(fx_t *f, const char *line, int ai, unsigned *possible, int *verdict)
{
    bcf1_t *r = parse_line(f->h, line);
    gs_variant_t v;
    int ret = run_allele(&f->H, f->h, r, ai, &v);
    if (verdict) *verdict = ret;
    unsigned m = f->H.calls[0].modes;
    if (possible) *possible = f->H.calls[0].possible;
    bcf_destroy(r);
    return m;
}

Test(modes, de_novo_autosomal)
{
    fx_t f;
    fx_init(&f, 37, TRIO_SON, NULL);
    unsigned p;
    cr_assert_eq(modes_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/0:20,0\t0/0:20,0\t0/0:20,0", 1, &p, NULL),
                 M(DE_NOVO) | M(COMP_HET_SIDE));
    cr_assert_eq(p, 0);
    /* ALT reads in a parent: 2 > max_parent_alt_reads 1 */
    cr_assert_eq(modes_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/0:20,2\t0/0:20,0\t0/0:20,0", 1, &p, NULL) & M(DE_NOVO), 0);
    /* missing parent genotype: possible, never hom-ref */
    cr_assert_eq(modes_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t./.:.\t0/0:20,0\t0/0:20,0", 1, &p, NULL) & M(DE_NOVO), M(DE_NOVO));
    cr_assert_eq(p & M(DE_NOVO), M(DE_NOVO));
    /* 0/0 with no depth is missing too */
    modes_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/0:0,0\t0/0:20,0\t0/0:20,0", 1, &p, NULL);
    cr_assert_eq(p & M(DE_NOVO), M(DE_NOVO));
    /* the unaffected brother carries it too: not de novo in the kid */
    cr_assert_eq(modes_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/0:20,0\t0/0:20,0\t0/1:9,9", 1, &p, NULL) & M(DE_NOVO), 0);
    fx_free(&f);
    /* penetrance < 1: the unaffected brother may carry it */
    fx_init(&f, 37, TRIO_SON, "penetrance: 0.8");
    cr_assert_eq(modes_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/0:20,0\t0/0:20,0\t0/1:9,9", 1, &p, NULL) & M(DE_NOVO), M(DE_NOVO));
    fx_free(&f);
    /* missing_parents: fail */
    fx_init(&f, 37, TRIO_SON, "missing_parents: fail");
    cr_assert_eq(modes_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t./.:.\t0/0:20,0\t0/0:20,0", 1, &p, NULL) & M(DE_NOVO), 0);
    fx_free(&f);
}

Test(modes, multiallelic_child_0_2_parent_0_1)
{
    fx_t f;
    fx_init(&f, 37, TRIO_SON, NULL);
    unsigned p;
    const char *line = "1\t100\t.\tA\tG,T\t.\t.\t.\tGT:AD\t0/2:10,0,10\t0/1:10,10,0\t0/0:20,0,0\t0/0:20,0,0";
    /* ALT 1 (G): the kid does not carry it */
    cr_assert_eq(modes_of(&f, line, 1, &p, NULL), 0);
    /* ALT 2 (T): the father's 0/1 is the other allele: T is de novo */
    cr_assert_eq(modes_of(&f, line, 2, &p, NULL) & M(DE_NOVO), M(DE_NOVO));
    fx_free(&f);
}

Test(modes, recessive_and_affected_parent)
{
    fx_t f;
    fx_init(&f, 37, TRIO_SON, NULL);
    unsigned p;
    cr_assert_eq(modes_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t1/1:0,20\t0/1:10,10\t0/1:10,10\t0/1:9,9", 1, &p, NULL), M(AR_HOM));
    /* the unaffected brother is homozygous too: no */
    cr_assert_eq(modes_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t1/1:0,20\t0/1:10,10\t0/1:10,10\t1/1:0,9", 1, &p, NULL), 0);
    /* a parent hom-ref: no */
    cr_assert_eq(modes_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t1/1:0,20\t0/0:10,0\t0/1:10,10\t0/1:9,9", 1, &p, NULL), 0);
    /* mother not sequenced: possible */
    cr_assert_eq(modes_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t1/1:0,20\t0/1:10,10\t./.:.\t0/1:9,9", 1, &p, NULL), M(AR_HOM));
    cr_assert_eq(p, M(AR_HOM));
    fx_free(&f);
    /* an affected, homozygous father: only when allowed */
    const char *ped = "f kid dad mom 1 2\nf dad 0 0 1 2\nf mom 0 0 2 1\nf sib dad mom 1 1\n";
    const char *line = "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t1/1:0,20\t1/1:0,10\t0/1:10,10\t0/1:9,9";
    fx_init(&f, 37, ped, NULL);
    cr_assert_eq(modes_of(&f, line, 1, &p, NULL) & M(AR_HOM), 0);
    fx_free(&f);
    fx_init(&f, 37, ped, "allow_affected_parent: true");
    cr_assert_eq(modes_of(&f, line, 1, &p, NULL) & M(AR_HOM), M(AR_HOM));
    fx_free(&f);
}

Test(modes, dominant_from_affected_parent_and_penetrance)
{
    const char *ped = "f kid dad mom 1 2\nf dad 0 0 1 2\nf mom 0 0 2 1\nf sib dad mom 1 1\n";
    fx_t f;
    unsigned p;
    fx_init(&f, 37, ped, NULL);
    cr_assert_eq(modes_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/1:10,10\t0/0:20,0\t0/0:9,0", 1, &p, NULL) & M(AD_INHERITED), M(AD_INHERITED));
    cr_assert_eq(p & M(AD_INHERITED), 0);
    /* the unaffected brother carries it: no, unless penetrance < 1 */
    const char *sib = "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/1:10,10\t0/0:20,0\t0/1:9,9";
    cr_assert_eq(modes_of(&f, sib, 1, &p, NULL) & M(AD_INHERITED), 0);
    fx_free(&f);
    fx_init(&f, 37, ped, "penetrance: 0.7");
    cr_assert_eq(modes_of(&f, sib, 1, &p, NULL) & M(AD_INHERITED), M(AD_INHERITED));
    fx_free(&f);
    /* from the unaffected mother: not dominant */
    fx_init(&f, 37, ped, NULL);
    cr_assert_eq(modes_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/0:10,0\t0/1:20,20\t0/0:9,0", 1, &p, NULL) & M(AD_INHERITED), 0);
    fx_free(&f);
}

Test(modes, x_linked_and_par_boundaries)
{
    fx_t f;
    unsigned p;
    fx_init(&f, 37, TRIO_SON, NULL);
    /* hemizygous son, carrier mother, father without it */
    const char *xr = "X\t3000000\t.\tA\tG\t.\t.\t.\tGT:AD\t1:0,20\t0:20,0\t0/1:10,10\t0:9,0";
    cr_assert_eq(modes_of(&f, xr, 1, &p, NULL) & (M(X_RECESSIVE) | M(AR_HOM) | M(DE_NOVO)), M(X_RECESSIVE));
    cr_assert_eq(p & M(X_RECESSIVE), 0);
    /* the same son written diploid 1/1 is hemizygous all the same */
    cr_assert_eq(modes_of(&f, "X\t3000000\t.\tA\tG\t.\t.\t.\tGT:AD\t1/1:0,20\t0/0:20,0\t0/1:10,10\t0/0:9,0", 1, &p, NULL) & M(X_RECESSIVE), M(X_RECESSIVE));
    /* a male het call outside the PARs: carrying, but only possibly */
    cr_assert_eq(modes_of(&f, "X\t3000000\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/0:20,0\t0/1:10,10\t0/0:9,0", 1, &p, NULL) & M(X_RECESSIVE), M(X_RECESSIVE));
    cr_assert_eq(p & M(X_RECESSIVE), M(X_RECESSIVE));
    /* X de novo in a son: the father does not matter */
    cr_assert_eq(modes_of(&f, "X\t3000000\t.\tA\tG\t.\t.\t.\tGT:AD\t1:0,20\t./.:.\t0/0:20,0\t0:9,0", 1, &p, NULL) & M(DE_NOVO), M(DE_NOVO));
    cr_assert_eq(p & M(DE_NOVO), 0);
    /* GRCh37 PAR1 ends at 2,699,520: a hom son there is autosomal recessive, not X-linked */
    const char *par = "X\t2699520\t.\tA\tG\t.\t.\t.\tGT:AD\t1/1:0,20\t0/1:20,20\t0/1:10,10\t0/1:9,9";
    cr_assert_eq(modes_of(&f, par, 1, &p, NULL) & (M(AR_HOM) | M(X_RECESSIVE)), M(AR_HOM));
    const char *nonpar = "X\t2699521\t.\tA\tG\t.\t.\t.\tGT:AD\t1/1:0,20\t0/0:20,0\t0/1:10,10\t0/0:9,0";
    cr_assert_eq(modes_of(&f, nonpar, 1, &p, NULL) & (M(AR_HOM) | M(X_RECESSIVE)), M(X_RECESSIVE));
    fx_free(&f);
    /* GRCh38: PAR1 ends at 2,781,479 */
    fx_init(&f, 38, TRIO_SON, NULL);
    cr_assert_eq(modes_of(&f, "X\t2781479\t.\tA\tG\t.\t.\t.\tGT:AD\t1/1:0,20\t0/1:20,20\t0/1:10,10\t0/1:9,9", 1, &p, NULL) & M(AR_HOM), M(AR_HOM));
    cr_assert_eq(modes_of(&f, "X\t2781480\t.\tA\tG\t.\t.\t.\tGT:AD\t1/1:0,20\t0/0:20,0\t0/1:10,10\t0/0:9,0", 1, &p, NULL) & M(X_RECESSIVE), M(X_RECESSIVE));
    fx_free(&f);
    /* a daughter: homozygous with an affected father and a carrier mother */
    fx_init(&f, 37, "f kid dad mom 2 2\nf dad 0 0 1 2\nf mom 0 0 2 1\nf sib dad mom 1 1\n", NULL);
    cr_assert_eq(modes_of(&f, "X\t3000000\t.\tA\tG\t.\t.\t.\tGT:AD\t1/1:0,20\t1:0,20\t0/1:10,10\t0:9,0", 1, &p, NULL) & M(X_RECESSIVE), M(X_RECESSIVE));
    fx_free(&f);
    /* ... but not with an unaffected carrier father */
    fx_init(&f, 37, TRIO_DAUGHTER, NULL);
    cr_assert_eq(modes_of(&f, "X\t3000000\t.\tA\tG\t.\t.\t.\tGT:AD\t1/1:0,20\t1:0,20\t0/1:10,10\t0:9,0", 1, &p, NULL) & M(X_RECESSIVE), 0);
    /* a daughter's X de novo needs both parents hom-ref */
    cr_assert_eq(modes_of(&f, "X\t3000000\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0:20,0\t0/0:10,0\t0:9,0", 1, &p, NULL) & M(DE_NOVO), M(DE_NOVO));
    fx_free(&f);
}

Test(modes, y_and_mitochondrial)
{
    fx_t f;
    unsigned p;
    fx_init(&f, 37, TRIO_SON, NULL);
    /* Y outside the PARs: a son's Y is his father's */
    cr_assert_eq(modes_of(&f, "Y\t5000000\t.\tA\tG\t.\t.\t.\tGT:AD\t1:0,20\t0:20,0\t.:.\t0:9,0", 1, &p, NULL) & M(DE_NOVO), M(DE_NOVO));
    cr_assert_eq(p & M(DE_NOVO), 0, "the mother does not matter on Y");
    /* mitochondrial: maternal, heteroplasmy from AD */
    cr_assert_eq(modes_of(&f, "MT\t3243\t.\tA\tG\t.\t.\t.\tGT:AD\t1:60,40\t0:50,0\t1:90,10\t1:95,5", 1, &p, NULL), M(MITOCHONDRIAL));
    cr_assert_eq(p, 0);
    cr_assert_eq(modes_of(&f, "MT\t3243\t.\tA\tG\t.\t.\t.\tGT:AD\t1:95,5\t0:50,0\t1:90,10\t1:95,5", 1, &p, NULL), 0, "5%% < min_heteroplasmy");
    fx_free(&f);
}

/* Pair two alleles of one gene through the gene hook. */
static int pair_of(fx_t *f, const char *l1, const char *l2, int *conf)
{
    gs_gene_var_t vars[2];
    gs_call_t calls[2][4];
    const char *lines[2] = {l1, l2};
    memset(vars, 0, sizeof(vars));
    for (int i = 0; i < 2; i++) {
        bcf1_t *r = parse_line(f->h, lines[i]);
        gs_variant_t v;
        run_allele(&f->H, f->h, r, 1, &v);
        memcpy(calls[i], f->H.calls, sizeof(calls[i]));
        vars[i].chrom = "1";
        vars[i].pos = r->pos + 1;
        vars[i].ref = "A";
        vars[i].alt = "G";
        vars[i].calls = calls[i];
        bcf_destroy(r);
    }
    gs_gene_t g = {"GENE", "1", 2, vars, 4, f->H.samples, 0, 0};
    kstring_t why = KS_INITIALIZE;
    f->H.st->gene(f->H.state, &g, &why);
    ks_free(&why);
    *conf = calls[0][0].pair_conf;
    return (calls[0][0].modes & M(COMP_HET)) && calls[0][0].pair == 1 && calls[1][0].pair == 0;
}

Test(comp_het, phase_by_inheritance_reads_and_de_novo)
{
    fx_t f;
    int conf;
    fx_init(&f, 37, TRIO_SON, NULL);
    /* one from dad, one from mom: trans, proven */
    cr_assert(pair_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/1:10,10\t0/0:20,0\t0/0:9,0",
                          "1\t200\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/0:10,0\t0/1:20,20\t0/0:9,0", &conf));
    cr_assert_eq(conf, GS_PAIR_PROVEN);
    /* both from dad: cis, rejected */
    cr_assert(!pair_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/1:10,10\t0/0:20,0\t0/0:9,0",
                           "1\t200\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/1:10,10\t0/0:20,0\t0/0:9,0", &conf));
    /* de novo + inherited: likely */
    cr_assert(pair_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/0:10,0\t0/0:20,0\t0/0:9,0",
                          "1\t200\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/0:10,0\t0/1:20,20\t0/0:9,0", &conf));
    cr_assert_eq(conf, GS_PAIR_LIKELY);
    /* the unaffected brother has both, in trans like the kid: rejected */
    cr_assert(!pair_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/1:10,10\t0/0:20,0\t0/1:9,9",
                           "1\t200\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/0:10,0\t0/1:20,20\t0/1:9,9", &conf));
    /* no parents' calls: possible */
    cr_assert(pair_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t./.:.\t./.:.\t0/0:9,0",
                          "1\t200\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t./.:.\t./.:.\t0/0:9,0", &conf));
    cr_assert_eq(conf, GS_PAIR_POSSIBLE);
    /* read-backed phase: same phase set, same haplotype = cis, rejected even without parents */
    cr_assert(!pair_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD:PS\t0|1:10,10:90\t./.:.:.\t./.:.:.\t0/0:9,0:.",
                           "1\t200\t.\tA\tG\t.\t.\t.\tGT:AD:PS\t0|1:10,10:90\t./.:.:.\t./.:.:.\t0/0:9,0:.", &conf));
    /* ... different haplotypes = trans, proven */
    cr_assert(pair_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD:PS\t0|1:10,10:90\t./.:.:.\t./.:.:.\t0/0:9,0:.",
                          "1\t200\t.\tA\tG\t.\t.\t.\tGT:AD:PS\t1|0:10,10:90\t./.:.:.\t./.:.:.\t0/0:9,0:.", &conf));
    cr_assert_eq(conf, GS_PAIR_PROVEN);
    /* ... different phase sets say nothing: possible */
    cr_assert(pair_of(&f, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD:PS\t0|1:10,10:90\t./.:.:.\t./.:.:.\t0/0:9,0:.",
                          "1\t200\t.\tA\tG\t.\t.\t.\tGT:AD:PS\t0|1:10,10:150\t./.:.:.\t./.:.:.\t0/0:9,0:.", &conf));
    cr_assert_eq(conf, GS_PAIR_POSSIBLE);
    fx_free(&f);
}

Test(modes, frequency_caps_per_mode)
{
    fx_t f;
    unsigned p;
    fx_init(&f, 37, TRIO_SON, NULL);
    bcf1_t *r = parse_line(f.h, "1\t100\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:10,10\t0/0:20,0\t0/0:20,0\t0/0:20,0");
    gs_variant_t v;
    { const char *why; cr_assert_eq(gs_fmt_load(&f.H.fmt, f.h, r, &why), 0); }
    gs_fmt_calls(&f.H.fmt, 4, 1, f.H.calls);
    memset(&v, 0, sizeof(v));
    v.hdr = f.h; v.rec = r; v.allele = 1; v.chrom = "1"; v.nsmp = 4; v.calls = f.H.calls; v.samples = f.H.samples;
    v.af = 0.003; /* above the de novo cap (0.001), below the comp-het cap (0.005) */
    v.nhomalt = 0;
    kstring_t why = KS_INITIALIZE;
    cr_assert_eq(f.H.st->variant(f.H.state, NULL, &v, &why), GS_KEEP);
    p = f.H.calls[0].modes;
    cr_assert_eq(p, M(COMP_HET_SIDE));
    v.af = 0.006;
    cr_assert_eq(f.H.st->variant(f.H.state, NULL, &v, &why), GS_DROP);
    cr_assert_str_eq(why.s, "no mode fits"); /* no audit: the short reason */
    why.l = 0;
    v.explain = 1;
    cr_assert_eq(f.H.st->variant(f.H.state, NULL, &v, &why), GS_DROP);
    cr_assert(strstr(why.s, "de_novo: AF 0.006 > 0.001") && strstr(why.s, "comp_het: AF 0.006 > 0.005"), "%s", why.s);
    ks_free(&why);
    bcf_destroy(r);
    fx_free(&f);
}
