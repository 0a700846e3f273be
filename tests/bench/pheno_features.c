/* pheno_features.c -- dump the phenotype score's features for offline fitting
 * (tests/bench/pheno_fit.py; README "Phenotypes", measured choices).
 *
 * Build (a development tool, not part of the CMake build; it includes hpo.c to
 * reach the score's internals):
 *   cc -O2 -Wall -Wextra -Isrc -Iinclude -o build/bench/pheno_features tests/bench/pheno_features.c \
 *      $(pkg-config --cflags --libs htslib jansson) -lz -lm -lpthread
 * Usage: pheno_features HPO_DIR CASES.txt OUT_PREFIX
 *   CASES.txt: id<TAB>terms per line (HP:1,HP:2,!HP:3 as --hpo). Writes, for
 *   every case, on two threads:
 *   OUT.dis.f32   per disease with a gene (float32 [case][disease][FD]):
 *                 0 patient -> disease mean with 0.3 ln w (the score's), 1 the same without
 *                 frequency, 2 with 1 * ln w, 3 disease -> patient (pseudo-weight 3), 4 ln(terms),
 *                 5 exact fraction, 6 chance (centred, before its weight), 7 conflicts / (k +
 *                 excluded), 8 mean over patient terms of sim / IC(term), 9 disease -> patient
 *                 without the pseudo-weight, 10 best single pair, 11 the disease score;
 *   OUT.gene.f32  per gene ([case][gene][FG]): 0 ln(diseases), 1 patient -> union of the gene's
 *                 diseases' terms (0.3 ln w), 2 exact fraction against that union, 3 fraction of
 *                 patient terms in an organ system (child of HP:0000118) the union touches,
 *                 4 ln(union terms + 1), 5 the gene score, 6 its tie-break;
 *   OUT.meta.tsv  sizes, diseases (id, genes), genes (symbol, disease:provisional ...), cases
 *                 (id, patient terms). */
#include "hpo.c"

#define FD 12
#define FG 7
static gs_hpo_t *H;
static int ND, *DL, NC, next_case;
static char **ids, **terms;
static unsigned *cat_of;                /* per term: organ systems (bit per child of HP:0000118) */
static int **gu, *ngu;                  /* per gene: union of its diseases' annotated terms */
static float **gw;                      /* their largest frequency */
static unsigned *gmask;
static float *OUTD, *OUTG;
static int *OUTK;
static pthread_mutex_t lk = PTHREAD_MUTEX_INITIALIZER;

static void disease_features(const gs_hpo_t *h, const gs_pheno_t *s, const gs_hpo_profile_t *p, const float *pic,
                             const float *exc, const int *stamp, int d, float *f, float *bw, float *b0, float *b1, char *ex)
{
    const disease_t *D = &h->dis[d];
    int k = s->k;
    f[4] = D->nt ? logf(D->nt) : 0;
    f[6] = (float)(D->chance / W_CHANCE);
    f[11] = (float)s->dscore[d];
    if (!D->nt || !k) return;
    for (int i = 0; i < k; i++) bw[i] = b0[i] = b1[i] = 0, ex[i] = 0;
    double dp = 0, ws = 0, conf = 0, mp = 0;
    for (int j = 0; j < D->nt; j++) {
        int u = D->t[j];
        const float *col = s->sim + (size_t)u * k;
        float bd = 0, lw = D->lw[j], l1 = logf(D->w[j]);
        for (int i = 0; i < k; i++) {
            float v = col[i];
            ex[i] |= v >= pic[i];
            if (v + lw > bw[i]) bw[i] = v + lw;
            if (v > b0[i]) b0[i] = v;
            if (v + l1 > b1[i]) b1[i] = v + l1;
            if (v > bd) bd = v;
        }
        dp += D->w[j] * bd; ws += D->w[j];
        if (bd > mp) mp = bd;
        if (exc[u] > 0 && D->xw[j] >= X_FREQUENT) conf += exc[u];
    }
    for (int j = 0; j < D->nno; j++) if (stamp[D->no[j]] == 2) conf += h->ic[D->no[j]];
    double a = 0, b = 0, c = 0, e = 0, lf = 0;
    for (int i = 0; i < k; i++) { a += bw[i]; b += b0[i]; c += b1[i]; e += ex[i]; lf += pic[i] > 0 ? b0[i] / pic[i] : 0; }
    f[0] = a / k; f[1] = b / k; f[2] = c / k; f[3] = ws > 0 ? dp / (ws + DP_PRIOR) : 0; f[5] = e / k;
    f[7] = conf / (k + p->nexc); f[8] = lf / k; f[9] = ws > 0 ? dp / ws : 0; f[10] = mp;
}

static void *work(void *v)
{
    (void)v;
    const gs_hpo_t *h = H;
    for (;;) {
        pthread_mutex_lock(&lk);
        int c = next_case++;
        pthread_mutex_unlock(&lk);
        if (c >= NC) break;
        gs_hpo_profile_t p;
        memset(&p, 0, sizeof p);
        kstring_t err = {0};
        if (gs_hpo_profile_parse(h, terms[c], &p, &err)) { fprintf(stderr, "%s: %s\n", ids[c], err.s); exit(1); }
        gs_pheno_t *s = gs_pheno_score(h, &p);
        int k = s->k;
        OUTK[c] = k;
        float *fd = OUTD + (size_t)c * ND * FD, *fg = OUTG + (size_t)c * h->ngene * FG;
        float *pic = malloc((k + 1) * sizeof(float)), *bw = malloc((k + 1) * sizeof(float));
        float *b0 = malloc((k + 1) * sizeof(float)), *b1 = malloc((k + 1) * sizeof(float));
        char *ex = malloc(k + 1);
        unsigned *pc = malloc((k + 1) * sizeof(unsigned));
        for (int i = 0; i < k; i++) pic[i] = (float)h->ic[s->pt[i]], pc[i] = cat_of[s->pt[i]];
        /* conflicts as gs_pheno_score counts them */
        int *stamp = calloc(h->nterm, sizeof(int));
        float *exc = calloc(h->nu + 1, sizeof(float));
        for (int i = 0; i < p.nexc; i++) stamp[p.exc[i]] = 1;
        for (int u = 0; u < h->nu && p.nexc; u++) {
            const term_t *y = &h->term[h->uterm[u]];
            for (int q = 0; q < y->nanc; q++)
                if (stamp[h->anc[y->anc + q]] == 1) { exc[u] = (float)h->ic[h->anc[y->anc + q]]; break; }
        }
        for (int i = 0; i < k; i++) {
            const term_t *x = &h->term[s->pt[i]];
            for (int q = 0; q < x->nanc; q++) stamp[h->anc[x->anc + q]] = 2;
        }
        for (int di = 0; di < ND; di++)
            disease_features(h, s, &p, pic, exc, stamp, DL[di], fd + (size_t)di * FD, bw, b0, b1, ex);
        for (int g = 0; g < h->ngene; g++) {
            float *f = fg + (size_t)g * FG;
            f[0] = logf(h->gene[g].ndis); f[4] = logf(ngu[g] + 1);
            f[5] = (float)s->g[g].score; f[6] = (float)s->g[g].tiebreak;
            if (!k) continue;
            for (int i = 0; i < k; i++) bw[i] = 0, ex[i] = 0;
            for (int j = 0; j < ngu[g]; j++) {
                const float *col = s->sim + (size_t)gu[g][j] * k;
                float lw = W_FREQ * logf(gw[g][j]);
                for (int i = 0; i < k; i++) { ex[i] |= col[i] >= pic[i]; if (col[i] + lw > bw[i]) bw[i] = col[i] + lw; }
            }
            double a = 0, e = 0, cf = 0;
            for (int i = 0; i < k; i++) { a += bw[i]; e += ex[i]; cf += (pc[i] & gmask[g]) != 0; }
            f[1] = a / k; f[2] = e / k; f[3] = cf / k;
        }
        free(pc); free(pic); free(bw); free(b0); free(b1); free(ex); free(stamp); free(exc); free(err.s);
        gs_pheno_free(s);
        gs_hpo_profile_free(&p);
    }
    return NULL;
}

static void write_all(const char *prefix, const char *ext, const void *a, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s.%s", prefix, ext);
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(a, sizeof(float), n, fp) != n || fclose(fp)) { perror(path); exit(1); }
}

int main(int argc, char **argv)
{
    if (argc != 4) { fprintf(stderr, "usage: pheno_features HPO_DIR CASES.txt OUT_PREFIX\n"); return 2; }
    kstring_t err = {0};
    if (!(H = gs_hpo_load(argv[1], &err))) { fprintf(stderr, "%s\n", err.s); return 1; }
    gs_hpo_t *h = H;
    DL = malloc(h->ndis * sizeof(int));
    int *dpos = malloc(h->ndis * sizeof(int));
    for (int d = 0; d < h->ndis; d++) if (h->dis[d].ngenes) dpos[d] = ND, DL[ND++] = d;
    int ncat = 0, cat_t[32];
    for (int t = 0; t < h->nterm; t++)
        for (int q = 0; q < h->term[t].npar; q++) if (h->term[t].par[q] == h->root_pheno && ncat < 32) cat_t[ncat++] = t;
    cat_of = calloc(h->nterm, sizeof(unsigned));
    for (int t = 0; t < h->nterm; t++)
        for (int q = 0; q < h->term[t].nanc; q++)
            for (int c = 0; c < ncat; c++) if (h->anc[h->term[t].anc + q] == cat_t[c]) cat_of[t] |= 1u << c;
    gu = calloc(h->ngene, sizeof(int *)); ngu = calloc(h->ngene, sizeof(int));
    gw = calloc(h->ngene, sizeof(float *)); gmask = calloc(h->ngene, sizeof(unsigned));
    float *tmpw = calloc(h->nu, sizeof(float));
    for (int g = 0; g < h->ngene; g++) {
        const gene_t *G = &h->gene[g];
        for (int i = 0; i < G->ndis; i++) {
            const disease_t *D = &h->dis[G->dis[i]];
            for (int j = 0; j < D->nt; j++) {
                int u = D->t[j];
                if (tmpw[u] == 0) { gu[g] = realloc(gu[g], (ngu[g] + 1) * sizeof(int)); gu[g][ngu[g]++] = u; }
                if (D->w[j] > tmpw[u]) tmpw[u] = D->w[j];
                gmask[g] |= cat_of[h->uterm[u]];
            }
        }
        gw[g] = malloc((ngu[g] + 1) * sizeof(float));
        for (int j = 0; j < ngu[g]; j++) gw[g][j] = tmpw[gu[g][j]], tmpw[gu[g][j]] = 0;
    }
    FILE *fp = fopen(argv[2], "r");
    if (!fp) { perror(argv[2]); return 1; }
    char *line = NULL; size_t m = 0;
    while (getline(&line, &m, fp) > 0) {
        line[strcspn(line, "\r\n")] = 0;
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = 0;
        ids = realloc(ids, (NC + 1) * sizeof(char *)); terms = realloc(terms, (NC + 1) * sizeof(char *));
        ids[NC] = strdup(line); terms[NC] = strdup(tab + 1); NC++;
    }
    free(line); fclose(fp);
    OUTD = calloc((size_t)NC * ND * FD + 1, sizeof(float));
    OUTG = calloc((size_t)NC * h->ngene * FG + 1, sizeof(float));
    OUTK = malloc((NC + 1) * sizeof(int));
    pthread_t t;
    int th = !pthread_create(&t, NULL, work, NULL);
    work(NULL);
    if (th) pthread_join(t, NULL);
    write_all(argv[3], "dis.f32", OUTD, (size_t)NC * ND * FD);
    write_all(argv[3], "gene.f32", OUTG, (size_t)NC * h->ngene * FG);
    char path[4096];
    snprintf(path, sizeof path, "%s.meta.tsv", argv[3]);
    if (!(fp = fopen(path, "w"))) { perror(path); return 1; }
    fprintf(fp, "#ND\t%d\t%d\n#NG\t%d\t%d\n", ND, FD, h->ngene, FG);
    for (int i = 0; i < ND; i++) fprintf(fp, "D\t%s\t%d\n", h->dis[DL[i]].id, h->dis[DL[i]].ngenes);
    for (int g = 0; g < h->ngene; g++) {
        fprintf(fp, "G\t%s", h->gene[g].sym);
        for (int i = 0; i < h->gene[g].ndis; i++) fprintf(fp, "\t%d:%d", dpos[h->gene[g].dis[i]], h->gene[g].provisional[i]);
        fputc('\n', fp);
    }
    for (int c = 0; c < NC; c++) fprintf(fp, "C\t%s\t%d\n", ids[c], OUTK[c]);
    fclose(fp);
    return 0;
}
