/* annot.c -- consequence terms and the CSQ / ANN / BCSQ annotation formats. */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <htslib/khash.h>

#include "annot.h"

/* Severity order of Ensembl VEP (most severe first), with its IMPACT classes. */
typedef struct { const char *term; int impact; } so_term_t;
static const so_term_t so_order[] = {
    {"transcript_ablation", GS_IMPACT_HIGH},
    {"splice_acceptor_variant", GS_IMPACT_HIGH},
    {"splice_donor_variant", GS_IMPACT_HIGH},
    {"stop_gained", GS_IMPACT_HIGH},
    {"frameshift_variant", GS_IMPACT_HIGH},
    {"stop_lost", GS_IMPACT_HIGH},
    {"start_lost", GS_IMPACT_HIGH},
    {"transcript_amplification", GS_IMPACT_HIGH},
    {"feature_elongation", GS_IMPACT_HIGH},
    {"feature_truncation", GS_IMPACT_HIGH},
    {"inframe_insertion", GS_IMPACT_MODERATE},
    {"inframe_deletion", GS_IMPACT_MODERATE},
    {"missense_variant", GS_IMPACT_MODERATE},
    {"protein_altering_variant", GS_IMPACT_MODERATE},
    {"splice_donor_5th_base_variant", GS_IMPACT_LOW},
    {"splice_region_variant", GS_IMPACT_LOW},
    {"splice_donor_region_variant", GS_IMPACT_LOW},
    {"splice_polypyrimidine_tract_variant", GS_IMPACT_LOW},
    {"incomplete_terminal_codon_variant", GS_IMPACT_LOW},
    {"start_retained_variant", GS_IMPACT_LOW},
    {"stop_retained_variant", GS_IMPACT_LOW},
    {"synonymous_variant", GS_IMPACT_LOW},
    {"coding_sequence_variant", GS_IMPACT_MODIFIER},
    {"mature_miRNA_variant", GS_IMPACT_MODIFIER},
    {"5_prime_UTR_variant", GS_IMPACT_MODIFIER},
    {"3_prime_UTR_variant", GS_IMPACT_MODIFIER},
    {"non_coding_transcript_exon_variant", GS_IMPACT_MODIFIER},
    {"intron_variant", GS_IMPACT_MODIFIER},
    {"NMD_transcript_variant", GS_IMPACT_MODIFIER},
    {"non_coding_transcript_variant", GS_IMPACT_MODIFIER},
    {"coding_transcript_variant", GS_IMPACT_MODIFIER},
    {"upstream_gene_variant", GS_IMPACT_MODIFIER},
    {"downstream_gene_variant", GS_IMPACT_MODIFIER},
    {"TFBS_ablation", GS_IMPACT_MODIFIER},
    {"TFBS_amplification", GS_IMPACT_MODIFIER},
    {"TF_binding_site_variant", GS_IMPACT_MODIFIER},
    {"regulatory_region_ablation", GS_IMPACT_MODERATE},
    {"regulatory_region_amplification", GS_IMPACT_MODIFIER},
    {"regulatory_region_variant", GS_IMPACT_MODIFIER},
    {"intergenic_variant", GS_IMPACT_MODIFIER},
    {"sequence_variant", GS_IMPACT_MODIFIER},
    /* gene known only from a BED overlap: no prediction either way */
    {"unknown", GS_IMPACT_UNKNOWN},
};
#define N_SO ((int)(sizeof(so_order) / sizeof(so_order[0])))

/* Other spellings: SnpEff ANN terms, bcftools csq terms (which drop
 * "_variant"; handled generically) and a few older names. */
static const struct { const char *alias, *term; } so_alias[] = {
    {"exon_loss_variant", "transcript_ablation"},
    {"exon_loss", "transcript_ablation"},
    {"gene_fusion", "transcript_ablation"},
    {"bidirectional_gene_fusion", "transcript_ablation"},
    {"rare_amino_acid_variant", "protein_altering_variant"},
    {"protein_protein_contact", "protein_altering_variant"},
    {"structural_interaction_variant", "protein_altering_variant"},
    {"inframe_altering", "protein_altering_variant"},
    {"disruptive_inframe_deletion", "inframe_deletion"},
    {"conservative_inframe_deletion", "inframe_deletion"},
    {"disruptive_inframe_insertion", "inframe_insertion"},
    {"conservative_inframe_insertion", "inframe_insertion"},
    {"initiator_codon_variant", "start_retained_variant"}, /* SnpEff: synonymous start */
    {"non_canonical_start_codon", "start_retained_variant"},
    {"5_prime_UTR_premature_start_codon_gain_variant", "5_prime_UTR_variant"},
    {"5_prime_UTR_truncation", "5_prime_UTR_variant"},
    {"3_prime_UTR_truncation", "3_prime_UTR_variant"},
    {"non_coding_exon_variant", "non_coding_transcript_exon_variant"},
    {"exon_variant", "non_coding_transcript_exon_variant"},
    {"non_coding", "non_coding_transcript_variant"},
    {"intragenic_variant", "intron_variant"},
    {"conserved_intron_variant", "intron_variant"},
    {"intergenic_region", "intergenic_variant"},
    {"conserved_intergenic_variant", "intergenic_variant"},
    {"sequence_feature", "sequence_variant"},
    {"chromosome_number_variation", "transcript_ablation"},
    {"miRNA", "mature_miRNA_variant"},
};

KHASH_MAP_INIT_STR(so, int)
static khash_t(so) *so_hash;
static pthread_once_t so_once = PTHREAD_ONCE_INIT;

/* Key: lower case, without a trailing "_variant". */
static char *so_key(const char *s, size_t len)
{
    if (len > 8 && !strncasecmp(s + len - 8, "_variant", 8)) len -= 8;
    char *k = malloc(len + 1);
    for (size_t i = 0; i < len; i++) k[i] = tolower((unsigned char)s[i]);
    k[len] = 0;
    return k;
}

static void so_put(const char *name, int idx)
{
    int ret;
    char *k = so_key(name, strlen(name));
    khint_t it = kh_put(so, so_hash, k, &ret);
    if (ret == 0) { free(k); return; } /* first spelling wins */
    kh_val(so_hash, it) = idx;
}

static void so_build(void)
{
    so_hash = kh_init(so);
    for (int i = 0; i < N_SO; i++) so_put(so_order[i].term, i);
    for (size_t i = 0; i < sizeof(so_alias) / sizeof(so_alias[0]); i++)
        for (int j = 0; j < N_SO; j++)
            if (!strcmp(so_order[j].term, so_alias[i].term)) so_put(so_alias[i].alias, j);
}

int gs_so_lookup(const char *term, size_t len, int *severity, int *impact)
{
    pthread_once(&so_once, so_build);
    char buf[128];
    if (len > 8 && !strncasecmp(term + len - 8, "_variant", 8)) len -= 8;
    if (len == 0 || len >= sizeof buf) return -1;
    for (size_t i = 0; i < len; i++) buf[i] = tolower((unsigned char)term[i]);
    buf[len] = 0;
    khint_t it = kh_get(so, so_hash, buf);
    if (it == kh_end(so_hash)) return -1;
    *severity = kh_val(so_hash, it);
    *impact = so_order[*severity].impact;
    return 0;
}

const char *gs_so_term(int s) { return s >= 0 && s < N_SO ? so_order[s].term : "unknown"; }
int gs_so_count(void) { return N_SO; }
int gs_so_unknown(void) { return N_SO - 1; }

static const char *impact_names[] = {"HIGH", "MODERATE", "LOW", "MODIFIER", "UNKNOWN"};
const char *gs_impact_name(int i) { return i >= 0 && i <= GS_IMPACT_UNKNOWN ? impact_names[i] : "?"; }
int gs_impact_parse(const char *s)
{
    for (int i = 0; i <= GS_IMPACT_UNKNOWN; i++)
        if (!strcasecmp(s, impact_names[i])) return i;
    return -1;
}

/* ------------------------------------------------------------------ */
/* Layouts                                                             */

static const char *ann_fields =
    "Allele|Annotation|Annotation_Impact|Gene_Name|Gene_ID|Feature_Type|Feature_ID|"
    "Transcript_BioType|Rank|HGVS.c|HGVS.p|cDNA.pos / cDNA.length|CDS.pos / CDS.length|"
    "AA.pos / AA.length|Distance|ERRORS / WARNINGS / INFO";
static const char *bcsq_fields = "Consequence|gene|transcript|biotype|strand|amino_acid_change|dna_change";

static void split_fields(gs_ann_layout_t *L, const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    while (p <= end) {
        const char *q = memchr(p, '|', end - p);
        if (!q) q = end;
        const char *a = p, *b = q;
        while (a < b && isspace((unsigned char)*a)) a++;
        while (b > a && isspace((unsigned char)b[-1])) b--;
        L->fields = realloc(L->fields, (L->nfield + 1) * sizeof(char *));
        L->fields[L->nfield++] = strndup(a, b - a);
        p = q + 1;
    }
}

int gs_ann_field_index(const gs_ann_layout_t *L, const char *name)
{
    for (int i = 0; i < L->nfield; i++)
        if (!strcasecmp(L->fields[i], name)) return i;
    return -1;
}

int gs_ann_layout_init(gs_ann_layout_t *L, gs_ann_kind_t kind, const char *tag,
                       const bcf_hdr_t *hdr, kstring_t *err)
{
    memset(L, 0, sizeof(*L));
    L->kind = kind;
    L->i_allele = L->i_allele_num = L->i_consequence = L->i_symbol = L->i_gene = -1;
    bcf_hrec_t *hrec = bcf_hdr_get_hrec(hdr, BCF_HL_INFO, "ID", tag, NULL);
    if (!hrec) return 1;
    L->tag = strdup(tag);
    if (kind == GS_ANN_CSQ) {
        int id = bcf_hrec_find_key(hrec, "Description");
        const char *d = id >= 0 ? hrec->vals[id] : NULL;
        const char *f = d ? strstr(d, "Format: ") : NULL;
        if (!f) {
            ksprintf(err, "INFO/%s header has no 'Format: ' list of sub-fields", tag);
            gs_ann_layout_free(L);
            return -1;
        }
        f += 8;
        size_t len = strlen(f);
        while (len && (f[len - 1] == '"' || f[len - 1] == ' ')) len--;
        split_fields(L, f, len);
        L->i_allele = gs_ann_field_index(L, "Allele");
        L->i_allele_num = gs_ann_field_index(L, "ALLELE_NUM");
        L->i_consequence = gs_ann_field_index(L, "Consequence");
        L->i_symbol = gs_ann_field_index(L, "SYMBOL");
        if (L->i_symbol < 0) L->i_symbol = gs_ann_field_index(L, "HGNC"); /* VEP before release 73 */
        L->i_gene = gs_ann_field_index(L, "Gene");
    } else if (kind == GS_ANN_ANN) {
        split_fields(L, ann_fields, strlen(ann_fields));
        L->i_allele = 0;
        L->i_consequence = 1;
        L->i_symbol = 3;
        L->i_gene = 4;
    } else {
        split_fields(L, bcsq_fields, strlen(bcsq_fields));
        L->i_consequence = 0;
        L->i_symbol = 1;
    }
    if (L->i_consequence < 0 || (L->i_symbol < 0 && L->i_gene < 0)) {
        ksprintf(err, "INFO/%s layout has no Consequence or SYMBOL/Gene sub-field", tag);
        gs_ann_layout_free(L);
        return -1;
    }
    return 0;
}

void gs_ann_layout_free(gs_ann_layout_t *L)
{
    for (int i = 0; i < L->nfield; i++) free(L->fields[i]);
    free(L->fields);
    free(L->tag);
    memset(L, 0, sizeof(*L));
}

int gs_csq_has_field(const bcf_hdr_t *hdr, const char *name)
{
    gs_ann_layout_t L;
    kstring_t err = KS_INITIALIZE;
    int has = gs_ann_layout_init(&L, GS_ANN_CSQ, "CSQ", hdr, &err) == 0 && gs_ann_field_index(&L, name) >= 0;
    if (L.tag) gs_ann_layout_free(&L);
    ks_free(&err);
    return has;
}

void gs_vep_allele(const bcf1_t *rec, int ai, kstring_t *out)
{
    /* VEP trims the first base when every allele shares it and the record is an
     * indel; '*' counts towards "indel" but not towards the shared base. */
    out->l = 0;
    char **al = rec->d.allele;
    int same_first = 1, any_len_diff = 0;
    size_t rlen = strlen(al[0]);
    for (int i = 1; i < rec->n_allele; i++) {
        if (al[i][0] == '<') continue;
        if (strlen(al[i]) != rlen) any_len_diff = 1;
        if (al[i][0] == '*') continue;
        if (al[i][0] != al[0][0]) same_first = 0;
    }
    const char *a = al[ai];
    if (same_first && any_len_diff && a[0] != '<' && a[0] != '*') a++;
    if (*a) kputs(a, out); else kputc('-', out);
}

/* Does entry f belong to ALT allele ai?  Exact rules only: the caller falls
 * back to "every entry" for a single-ALT record none of whose entries match. */
static int entry_matches(const gs_ann_layout_t *L, char **f, int nf, const bcf1_t *rec, int ai,
                         const char *vep_allele)
{
    if (L->kind == GS_ANN_CSQ) {
        if (L->i_allele_num >= 0 && L->i_allele_num < nf && f[L->i_allele_num][0])
            return atoi(f[L->i_allele_num]) == ai;
        if (L->i_allele < 0) return 1; /* no Allele sub-field: nothing to tell entries apart */
        return L->i_allele < nf && !strcmp(f[L->i_allele], vep_allele);
    }
    if (L->kind == GS_ANN_ANN) return !strcmp(f[0], rec->d.allele[ai]);
    /* BCSQ: dna_change ends in ">ALT" for the allele it describes; entries
     * without one (intronic, UTR, splice region) apply to every ALT */
    if (nf >= 7) {
        const char *gt = strrchr(f[6], '>');
        if (gt) return !strcasecmp(gt + 1, rec->d.allele[ai]) || rec->n_allele == 2;
    }
    return 1;
}

/* Sub-field idx of the entry starting at p (entries end at ',' or NUL). */
static int raw_field_eq(const char *p, int idx, const char *want)
{
    for (int i = 0; i < idx; i++) {
        while (*p && *p != '|' && *p != ',') p++;
        if (*p != '|') return 0;
        p++;
    }
    size_t n = strlen(want);
    return !strncmp(p, want, n) && (p[n] == '|' || p[n] == ',' || !p[n]);
}

/* Does any entry of a CSQ/ANN value name `want` as its allele? */
static int any_entry_for(const gs_ann_layout_t *L, const char *value, const char *want)
{
    int idx = L->kind == GS_ANN_ANN ? 0 : L->i_allele;
    if (idx < 0) return 1;
    for (const char *p = value; p; ) {
        if (raw_field_eq(p, idx, want)) return 1;
        p = strchr(p, ',');
        if (p) p++;
    }
    return 0;
}

int gs_ann_for_allele(const gs_ann_layout_t *L, char *value, const bcf1_t *rec, int ai,
                      const char *vep_allele, gs_ann_entry_cb cb, void *data)
{
    /* A single-ALT record whose entries name its allele some other way (VEP
     * --minimal, other trimming) still owns all of them. */
    int take_all = 0;
    if (L->kind != GS_ANN_BCSQ && rec->n_allele == 2 && (L->kind == GS_ANN_ANN || L->i_allele_num < 0))
        take_all = !any_entry_for(L, value, L->kind == GS_ANN_ANN ? rec->d.allele[ai] : vep_allele);
    char *fields[256];
    int nmatched = 0;
    char *p = value;
    while (p && *p) {
        char *next = strchr(p, ',');
        if (next) *next++ = 0;
        if (L->kind == GS_ANN_BCSQ && (*p == '@' || *p == '.')) { p = next; continue; }
        int nf = 0;
        char *s = p;
        for (;;) {
            if (nf < 256) fields[nf++] = s;
            char *bar = strchr(s, '|');
            if (!bar) break;
            *bar = 0;
            s = bar + 1;
        }
        if (take_all || entry_matches(L, fields, nf, rec, ai, vep_allele)) {
            cb(data, fields, nf);
            nmatched++;
        }
        p = next;
    }
    return nmatched;
}

/* ------------------------------------------------------------------ */
/* Per-allele gene lists                                               */

/* the last answers for short term lists, per thread: annotations repeat a
 * handful of them (intron_variant, missense_variant, ...) */
#define SEV_MEMO 64
static __thread struct {
    char terms[48];
    uint8_t len;
    int16_t severity;
    int8_t impact;
} sev_memo[SEV_MEMO];

static void terms_severity(const char *terms, size_t tlen, int *severity, int *impact_out);

void gs_terms_severity(const char *terms, size_t tlen, int *severity, int *impact_out)
{
    if (!tlen || tlen >= sizeof sev_memo[0].terms) {
        terms_severity(terms, tlen, severity, impact_out);
        return;
    }
    unsigned h = (tlen * 31 + (unsigned char)terms[0] * 7 + (unsigned char)terms[tlen - 1] * 3 +
                  (unsigned char)terms[tlen / 2]) & (SEV_MEMO - 1);
    if (sev_memo[h].len == tlen && !memcmp(sev_memo[h].terms, terms, tlen)) {
        *severity = sev_memo[h].severity;
        *impact_out = sev_memo[h].impact;
        return;
    }
    terms_severity(terms, tlen, severity, impact_out);
    memcpy(sev_memo[h].terms, terms, tlen);
    sev_memo[h].len = tlen;
    sev_memo[h].severity = *severity;
    sev_memo[h].impact = *impact_out;
}

static void terms_severity(const char *terms, size_t tlen, int *severity, int *impact_out)
{
    int best = -1, impact = GS_IMPACT_UNKNOWN;
    const char *p = terms, *end = terms + tlen;
    while (p < end) {
        const char *q = p;
        while (q < end && *q != '&' && *q != ',') q++;
        const char *t = p;
        size_t len = q - p;
        if (len && *t == '*') { t++; len--; } /* bcftools: downstream of a stop */
        int sev, imp;
        if (gs_so_lookup(t, len, &sev, &imp) == 0) {
            if (t != p) gs_so_lookup("coding_sequence_variant", 23, &sev, &imp);
            if (best < 0 || sev < best) { best = sev; impact = imp; }
        }
        p = q + 1;
    }
    if (best < 0) best = gs_so_unknown(), impact = GS_IMPACT_UNKNOWN;
    *severity = best;
    *impact_out = impact;
}

void gs_genelist_add(gs_genelist_t *gl, const char *gene, size_t glen, const char *terms, size_t tlen)
{
    if (!glen) return;
    int best, impact;
    gs_terms_severity(terms, tlen, &best, &impact);
    for (int i = 0; i < gl->n; i++)
        if (strlen(gl->g[i].gene) == glen && !memcmp(gl->g[i].gene, gene, glen)) {
            if (best < gl->g[i].severity) {
                gl->g[i].severity = best;
                gl->g[i].impact = impact;
                gl->g[i].consequence = gs_so_term(best);
            }
            return;
        }
    if (gl->n == gl->m) {
        int m = gl->m ? 2 * gl->m : 4;
        gl->g = realloc(gl->g, m * sizeof(*gl->g));
        gl->cap = realloc(gl->cap, m * sizeof(*gl->cap));
        for (int i = gl->m; i < m; i++) gl->g[i].gene = NULL, gl->cap[i] = 0;
        gl->m = m;
    }
    size_t *cap = &gl->cap[gl->n];
    gs_gene_hit_t *h = &gl->g[gl->n++];
    if (*cap < glen + 1) { /* the slot's buffer is reused from record to record */
        free(h->gene);
        *cap = glen + 1 < 16 ? 16 : glen + 1;
        h->gene = malloc(*cap);
    }
    memcpy(h->gene, gene, glen);
    h->gene[glen] = 0;
    h->severity = best;
    h->impact = impact;
    h->consequence = gs_so_term(best);
}

void gs_genelist_clear(gs_genelist_t *gl) { gl->n = 0; }

void gs_genelist_free(gs_genelist_t *gl)
{
    for (int i = 0; i < gl->m; i++) free(gl->g[i].gene);
    free(gl->g);
    free(gl->cap);
    gl->g = NULL;
    gl->cap = NULL;
    gl->n = gl->m = 0;
}
