/* report.c -- per-patient JSON (jansson) and self-contained HTML report.
 *
 * Every string that comes from the input (sample, gene and file names,
 * alleles) is escaped for its output: JSON by jansson (after forcing valid
 * UTF-8), HTML by gs_html_text().  The HTML holds no data in scripts: the inline
 * script only sorts and filters the table the page already shows. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "annot.h"
#include "hpo.h"
#include "fmt.h"
#include "output.h"
#include "stages/builtin.h"

#define GS_JSON_SCHEMA "genesieve.genes/1"
#define DETAILS_MAX 200 /* genes whose variant tables the report shows */

/* Copy of s with every byte sequence that is not UTF-8 replaced by U+FFFD. */
char *gs_utf8_clean(const char *s)
{
    kstring_t o = KS_INITIALIZE;
    const unsigned char *p = (const unsigned char *)s;
    kputs("", &o);
    while (*p) {
        int n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;
        int ok = n > 0;
        for (int i = 1; ok && i < n; i++) ok = (p[i] >> 6) == 2;
        if (ok && n == 2 && *p < 0xc2) ok = 0;               /* overlong */
        if (ok && n == 3 && *p == 0xe0 && p[1] < 0xa0) ok = 0;
        if (ok && n == 3 && *p == 0xed && p[1] >= 0xa0) ok = 0; /* surrogates */
        if (ok && n == 4 && (*p > 0xf4 || (*p == 0xf0 && p[1] < 0x90) || (*p == 0xf4 && p[1] >= 0x90))) ok = 0;
        if (ok) {
            kputsn((const char *)p, n, &o);
            p += n;
        } else {
            kputs("\xef\xbf\xbd", &o);
            p++;
        }
    }
    return ks_release(&o);
}

static json_t *jstr(const char *s)
{
    if (!s) return json_null();
    char *c = gs_utf8_clean(s);
    json_t *j = json_string(c);
    free(c);
    return j;
}

static const char *conf_name(int c)
{
    return c == GS_PAIR_PROVEN ? "proven" : c == GS_PAIR_LIKELY ? "likely" : "possible";
}

static const char *sex_name(int s) { return s == GS_SEX_MALE ? "male" : s == GS_SEX_FEMALE ? "female" : "unknown"; }
static const char *aff_name(int a) { return a == 1 ? "affected" : a == 0 ? "unaffected" : "unknown"; }

static const char *role(const gs_sample_t *smp, int patient, int i)
{
    if (i == patient) return "patient";
    if (i == smp[patient].father) return "father";
    if (i == smp[patient].mother) return "mother";
    if (smp[i].father >= 0 && smp[i].father == smp[patient].father) return "sibling";
    if (smp[i].mother >= 0 && smp[i].mother == smp[patient].mother) return "sibling";
    return "relative";
}

/* "0/1", "1/1", "1", "./." as a person reads them, for ALT allele of interest */
static void gt_text(const gs_call_t *c, kstring_t *s)
{
    switch (c->gt) {
    case GS_GT_MISSING: kputs("./.", s); break;
    case GS_GT_REF: kputs(c->ploidy == 1 ? "0" : "0/0", s); break;
    case GS_GT_HET: kputs(c->phased ? (c->hap == 0 ? "1|0" : "0|1") : "0/1", s); break;
    case GS_GT_HOM: kputs("1/1", s); break;
    case GS_GT_HEMI: kputs("1", s); break;
    default: kputs("?", s);
    }
}

static json_t *json_run(const gs_run_info_t *info)
{
    json_t *o = json_object();
    json_object_set_new(o, "input", jstr(info->input));
    json_object_set_new(o, "pipeline", jstr(info->pipeline));
    json_object_set_new(o, "settings", jstr(info->settings));
    json_object_set_new(o, "genesieve_version", jstr(info->version));
    json_object_set_new(o, "date", jstr(info->date));
    json_object_set_new(o, "records", json_integer((json_int_t)info->nrecords));
    json_object_set_new(o, "alt_alleles", json_integer((json_int_t)info->nalleles));
    json_object_set_new(o, "alleles_kept", json_integer((json_int_t)info->nkept));
    json_t *st = json_array();
    for (int i = 0; i <= info->nstage; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "stage", jstr(i < info->nstage ? info->stage_ids[i] : "core"));
        json_object_set_new(x, "alleles_removed", json_integer((json_int_t)info->drops[i]));
        json_array_append_new(st, x);
    }
    json_object_set_new(o, "filters", st);
    return o;
}

/* ---- phenotype parts ---- */
static json_t *json_term(const gs_hpo_t *h, int t)
{
    return json_pack("{s:s,s:o}", "id", gs_hpo_term_id(h, t), "name", jstr(gs_hpo_term_name(h, t)));
}

static json_t *json_patient_phenotype(const gs_results_t *r, int patient)
{
    const gs_hpo_profile_t *p = gs_results_profile(r, patient);
    const gs_hpo_t *h = gs_results_hpo(r);
    if (!p || !h) return json_null();
    json_t *o = json_object(), *obs = json_array(), *exc = json_array(), *unk = json_array();
    json_object_set_new(o, "hpo_release", json_string(gs_hpo_version(h)));
    for (int i = 0; i < p->nobs; i++) json_array_append_new(obs, json_term(h, p->obs[i]));
    for (int i = 0; i < p->nexc; i++) json_array_append_new(exc, json_term(h, p->exc[i]));
    for (int i = 0; i < p->nunknown; i++) json_array_append_new(unk, jstr(p->unknown[i]));
    json_object_set_new(o, "observed", obs);
    json_object_set_new(o, "excluded", exc);
    json_object_set_new(o, "not_in_release", unk);
    return o;
}

static json_t *json_gene_phenotype(const gs_results_t *r, const gs_result_gene_t *g)
{
    const gs_pheno_t *ph = gs_results_pheno(r, g->patient);
    const gs_hpo_t *h = gs_results_hpo(r);
    if (!ph) return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "score", json_real(g->c_phenotype));
    json_object_set_new(o, "rank", g->pheno_rank ? json_integer(g->pheno_rank) : json_null());
    /* part of score: how the mode fits the diseases' modes of inheritance */
    json_object_set_new(o, "inheritance_fit", json_real(g->c_inheritance));
    json_t *moi = json_array();
    static const char *moi_name[] = {"autosomal dominant", "autosomal recessive", "X-linked", "mitochondrial"};
    for (int i = 0; i < 4; i++)
        if (g->hpo_moi & (1u << i)) json_array_append_new(moi, json_string(moi_name[i]));
    json_object_set_new(o, "modes_of_inheritance", moi);
    json_object_set_new(o, "annotated_genes", json_integer(gs_hpo_ngenes(h)));
    if (g->pheno_rank > 0) {
        const gs_pheno_gene_t *pg = &gs_pheno_genes(ph)[g->pheno_gene];
        json_object_set_new(o, "similarity", json_real(pg->score));
        json_object_set_new(o, "disease", json_pack("{s:o,s:o}", "id", jstr(gs_hpo_disease_id(h, pg->disease)),
                                                     "name", jstr(gs_hpo_disease_name(h, pg->disease))));
        int n = gs_results_profile(r, g->patient)->nobs + 1; /* one pair per patient term at most */
        int *pt = malloc(3 * (size_t)n * sizeof(int)), *dt = pt + n, *mc = pt + 2 * n;
        int m = gs_pheno_match_pairs(ph, pg->disease, pt, dt, mc, n);
        json_t *a = json_array();
        for (int i = 0; i < m; i++)
            json_array_append_new(a, json_pack("{s:o,s:o,s:o}", "patient", json_term(h, pt[i]), "disease",
                                               json_term(h, dt[i]), "shared", json_term(h, mc[i])));
        free(pt);
        json_object_set_new(o, "matches", a);
    } else {
        json_object_set_new(o, "disease", json_null());
        json_object_set_new(o, "matches", json_array());
    }
    return o;
}

static void html_gene_phenotype(const gs_results_t *r, const gs_result_gene_t *g, kstring_t *o)
{
    const gs_pheno_t *ph = gs_results_pheno(r, g->patient);
    const gs_hpo_t *h = gs_results_hpo(r);
    if (!ph || g->pheno_rank <= 0) return;
    const gs_pheno_gene_t *pg = &gs_pheno_genes(ph)[g->pheno_gene];
    int n = gs_results_profile(r, g->patient)->nobs + 1; /* one pair per patient term at most */
    int *pt = malloc(3 * (size_t)n * sizeof(int)), *dt = pt + n, *mc = pt + 2 * n;
    int m = gs_pheno_match_pairs(ph, pg->disease, pt, dt, mc, n);
    kputs("<p class=\"muted\">Phenotype: best disease <b>", o);
    gs_html_text(gs_hpo_disease_id(h, pg->disease), o);
    kputs(" ", o);
    gs_html_text(gs_hpo_disease_name(h, pg->disease), o);
    gs_kfmt(o, "</b>, rank %d of %d annotated genes (%+.2f", g->pheno_rank, gs_hpo_ngenes(h), g->c_phenotype);
    if (g->c_inheritance != 0) {
        kputs(", of which inheritance ", o);
        gs_kfmt(o, "%+.2f: ", g->c_inheritance);
        gs_moi_names(g->hpo_moi, o);
    }
    kputs(")</p>", o);
    if (m) {
        kputs("<table class=\"pheno\"><thead><tr><th>Patient term</th><th>Disease term</th><th>Shared meaning</th></tr></thead><tbody>", o);
        for (int i = 0; i < m; i++) {
            int t3[3] = { pt[i], dt[i], mc[i] };
            kputs("<tr>", o);
            for (int k = 0; k < 3; k++) {
                kputs("<td>", o);
                gs_html_text(gs_hpo_term_name(h, t3[k]), o);
                kputs(" <span class=\"muted\">", o);
                gs_html_text(gs_hpo_term_id(h, t3[k]), o);
                kputs("</span></td>", o);
            }
            kputs("</tr>", o);
        }
        kputs("</tbody></table>", o);
    }
    free(pt);
}

/* Writing JSON text directly, byte for byte as jansson's dumps write it
 * (compact layout, JSON_REAL_PRECISION(6)) -- for the per-gene lines, where
 * building jansson objects cost more than everything else written. */
static void js_str(kstring_t *o, const char *s) /* s: valid UTF-8 */
{
    kputc('"', o);
    for (const char *p = s; *p; p++) {
        const char *run = p; /* the bytes that need no escape, copied at once */
        while ((unsigned char)*p >= 0x20 && *p != '"' && *p != '\\') p++;
        if (p > run) kputsn(run, p - run, o);
        if (!*p) break;
        unsigned char c = *p;
        switch (c) {
        case '\\': kputs("\\\\", o); break;
        case '"': kputs("\\\"", o); break;
        case '\b': kputs("\\b", o); break;
        case '\f': kputs("\\f", o); break;
        case '\n': kputs("\\n", o); break;
        case '\r': kputs("\\r", o); break;
        case '\t': kputs("\\t", o); break;
        default:
            if (c < 0x20) gs_kfmt(o, "\\u%04X", c);
            else kputc(c, o);
        }
    }
    kputc('"', o);
}

/* any text: cleaned to UTF-8 first (as jstr); NULL is null */
static void js_cstr(kstring_t *o, const char *s)
{
    if (!s) { kputs("null", o); return; }
    const unsigned char *p = (const unsigned char *)s;
    while (*p && *p < 0x80) p++;
    if (*p) { /* only a byte >= 0x80 can make cleaning change anything */
        char *c = gs_utf8_clean(s);
        js_str(o, c);
        free(c);
        return;
    }
    js_str(o, s);
}

static void js_key(kstring_t *o, const char *k)
{
    kputs(",\"", o);
    kputs(k, o);
    kputs("\":", o);
}

/* jansson's jsonp_dtostr with precision 6 */
static void js_real(kstring_t *o, double v)
{
    if (!isfinite(v)) { kputs("null", o); return; }
    size_t at = o->l;
    gs_kput_g6(v, o);
    char *b = o->s + at, *e = memchr(b, 'e', o->l - at);
    if (!e && !memchr(b, '.', o->l - at)) kputsn(".0", 2, o);
    if (e) { /* 1e-05 -> 1e-5 */
        char *start = e + 1, *end = start + 1;
        if (*start == '-') start++;
        while (*end == '0') end++;
        if (end != start) {
            memmove(start, end, o->s + o->l - end);
            o->l -= end - start;
            o->s[o->l] = 0;
        }
    }
}

int gs_write_json(const gs_results_t *r, int patient, const gs_result_gene_t *const *genes, long n,
                  const gs_run_info_t *info, const char *path, kstring_t *err)
{
    const gs_sample_t *smp = gs_results_samples(r);
    const int *mem;
    int nm = gs_results_members(r, patient, &mem);
    json_t *root = json_object();
    json_object_set_new(root, "schema", json_string(GS_JSON_SCHEMA));
    json_object_set_new(root, "sample", jstr(smp[patient].name));
    json_object_set_new(root, "run", json_run(info));
    json_t *fam = json_array();
    for (int k = 0; k < nm; k++) {
        const gs_sample_t *x = &smp[mem[k]];
        json_t *o = json_object();
        json_object_set_new(o, "sample", jstr(x->name));
        json_object_set_new(o, "family", jstr(x->family));
        json_object_set_new(o, "role", json_string(role(smp, patient, mem[k])));
        json_object_set_new(o, "sex", json_string(sex_name(x->sex)));
        json_object_set_new(o, "phenotype", json_string(aff_name(x->affected)));
        json_array_append_new(fam, o);
    }
    json_object_set_new(root, "family", fam);
    if (gs_results_pheno(r, patient)) json_object_set_new(root, "phenotype", json_patient_phenotype(r, patient));
    /* the genes are written one at a time (one per line), so memory does not
     * grow with the list: a whole genome can list thousands of genes */
    char *head = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    json_decref(root);
    if (!head) { gs_kfmt(err, "%s: cannot format JSON", path); return -1; }
    output_file_t *f = output_open(path, err);
    if (!f) { free(head); return -1; }
    size_t hl = strlen(head);
    while (hl && head[hl - 1] != '}') hl--;
    if (hl) hl--; /* drop the closing brace and the line break before it */
    while (hl && (head[hl - 1] == '\n' || head[hl - 1] == ' ')) hl--;
    static const char open_genes[] = ",\n \"genes\": [", close_genes[] = "\n ]\n}\n";
    output_write(f, head, hl);
    output_write(f, open_genes, sizeof open_genes - 1);
    free(head);
    kstring_t tmp = KS_INITIALIZE, o = KS_INITIALIZE;
    int pheno = gs_results_pheno(r, patient) != NULL;
    char **names = calloc(nm ? nm : 1, sizeof(char *)); /* the family's sample names, cleaned once */
    for (int k = 0; k < nm; k++) names[k] = gs_utf8_clean(smp[mem[k]].name);
    gs_gene_view_t view;
    memset(&view, 0, sizeof(view));
    int ret = 0;
    for (long i = 0; i < n; i++) {
        /* each gene on one line, in jansson's compact layout (as the head), written
         * directly: building and dumping jansson objects took most of the time
         * spent writing a genome's outputs */
        const gs_result_gene_t *g = gs_results_load(r, genes[i], &view, err);
        if (!g) { ret = -1; break; }
        o.l = 0;
        kputs("{\"rank\":", &o);
        kputll(i + 1, &o);
        js_key(&o, "gene"), js_cstr(&o, g->gene);
        js_key(&o, "chrom"), js_cstr(&o, g->chrom);
        js_key(&o, "score"), js_real(&o, g->score);
        js_key(&o, "mode"), g->mode >= 0 ? js_str(&o, gs_mode_name(g->mode)) : kputs("null", &o);
        js_key(&o, "mode_possible"), kputs(g->mode_possible ? "true" : "false", &o);
        js_key(&o, "consequence"), js_str(&o, gs_so_term(g->best_severity));
        tmp.l = 0;
        kputs("", &tmp);
        gs_result_gene_reason(r, g, &tmp);
        js_key(&o, "reason"), js_cstr(&o, tmp.s);
        if (pheno) {
            json_t *ph = json_gene_phenotype(r, g);
            char *t = json_dumps(ph, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6) | JSON_ENCODE_ANY);
            json_decref(ph);
            js_key(&o, "phenotype"), kputs(t ? t : "null", &o);
            free(t);
        }
        js_key(&o, "comp_het_pair");
        if (g->pair_a >= 0) {
            gs_kfmt(&o, "{\"variants\":[%d,%d],\"phase\":", g->pair_a, g->pair_b);
            js_str(&o, conf_name(g->pair_conf));
            kputc('}', &o);
        } else {
            kputs("null", &o);
        }
        js_key(&o, "variants"), kputc('[', &o);
        for (int v = 0; v < g->nvar; v++) {
            const gs_result_var_t *x = &g->vars[v];
            if (v) kputc(',', &o);
            kputs("{\"chrom\":", &o), js_cstr(&o, x->chrom);
            js_key(&o, "pos"), kputll(x->pos, &o);
            js_key(&o, "ref"), js_cstr(&o, x->ref);
            js_key(&o, "alt"), js_cstr(&o, x->alt);
            js_key(&o, "consequence"), js_str(&o, x->consequence);
            js_key(&o, "population_af"), x->af < 0 ? kputs("null", &o) : js_real(&o, x->af);
            js_key(&o, "score"), js_real(&o, x->score);
            js_key(&o, "zygosity"), js_str(&o, gs_gt_name(x->gt));
            js_key(&o, "modes"), kputc('[', &o);
            for (int m = 0, any = 0; m < GS_NMODE; m++)
                if (x->modes & GS_MODE_BIT(m)) {
                    if (any++) kputc(',', &o);
                    kputc('"', &o), kputs(gs_mode_name(m), &o);
                    if (x->possible & GS_MODE_BIT(m)) kputc('?', &o);
                    kputc('"', &o);
                }
            kputc(']', &o);
            js_key(&o, "genotypes"), kputc('{', &o);
            for (int k = 0; k < nm; k++) {
                if (k) kputc(',', &o);
                js_str(&o, names[k]);
                tmp.l = 0;
                kputs("", &tmp);
                gt_text(&x->fam[k], &tmp);
                kputs(":{\"gt\":", &o), js_str(&o, tmp.s);
                js_key(&o, "dp"), x->fam[k].dp < 0 ? kputs("null", &o) : kputll(x->fam[k].dp, &o);
                js_key(&o, "gq"), x->fam[k].gq < 0 ? kputs("null", &o) : kputll(x->fam[k].gq, &o);
                js_key(&o, "alt_reads"), x->fam[k].ad_alt < 0 ? kputs("null", &o) : kputll(x->fam[k].ad_alt, &o);
                js_key(&o, "passed_quality"), kputs(x->fam[k].pass ? "true" : "false", &o);
                kputc('}', &o);
            }
            kputs("}}", &o);
        }
        kputs("]}", &o);
        output_write(f, i ? ",\n  " : "\n  ", i ? 4 : 3);
        output_write(f, o.s, o.l);
    }
    for (int k = 0; k < nm; k++) free(names[k]);
    free(names);
    ks_free(&o);
    ks_free(&tmp);
    gs_gene_view_free(&view);
    if (ret < 0) {
        output_abort(f);
        return -1;
    }
    output_write(f, close_genes, sizeof close_genes - 1);
    return output_commit(f, err);
}

int gs_json_write(struct json_t *root, size_t flags, const char *path, kstring_t *err)
{
    char *text = json_dumps(root, flags);
    json_decref(root);
    if (!text) { gs_kfmt(err, "%s: cannot format JSON", path); return -1; }
    output_file_t *f = output_open(path, err);
    if (!f) { free(text); return -1; }
    output_write(f, text, strlen(text));
    output_write(f, "\n", 1);
    free(text);
    return output_commit(f, err);
}

/* ------------------------------------------------------------------ */
/* HTML                                                                */

void gs_html_text(const char *s, kstring_t *o)
{
    char *c = gs_utf8_clean(s ? s : "");
    for (const char *p = c; *p; p++) {
        switch (*p) {
        case '&': kputs("&amp;", o); break;
        case '<': kputs("&lt;", o); break;
        case '>': kputs("&gt;", o); break;
        case '"': kputs("&quot;", o); break;
        case '\'': kputs("&#39;", o); break;
        default: kputc(*p, o);
        }
    }
    free(c);
}

const char *const gs_report_css =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:0;color:#1d2733;background:#f6f8fa}"
    "header{background:#1f4e79;color:#fff;padding:16px 24px}header h1{margin:0;font-size:1.4em}"
    "header p{margin:4px 0 0;opacity:.9}main{padding:16px 24px;max-width:1400px}"
    "section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px 16px;margin-bottom:16px}"
    "h2{font-size:1.1em;margin:0 0 8px}table{border-collapse:collapse;width:100%;font-size:.92em}"
    "th,td{border-bottom:1px solid #e5e9ee;padding:4px 8px;text-align:left;vertical-align:top}"
    "th{background:#eef2f6;position:sticky;top:0}th.sortable{cursor:pointer;user-select:none}"
    "th.sortable:after{content:' \\2195';color:#8895a3}td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "table.kv td:first-child{width:14em;color:#57606a}"
    "#filter{width:100%;max-width:480px;padding:6px 8px;margin:0 0 8px;border:1px solid #b8c2cc;border-radius:4px;font-size:1em}"
    ".mode{display:inline-block;padding:1px 6px;border-radius:10px;background:#e3f0ff;color:#0b4f91;font-size:.88em;white-space:nowrap}"
    ".possible{background:#fff4d6;color:#7a5a00}.gene{font-weight:600}a{color:#0b4f91}"
    "details{border-top:1px solid #e5e9ee;padding:8px 0}summary{cursor:pointer;font-weight:600}"
    ".reason{margin:6px 0 8px;line-height:1.4}.gt{font-family:ui-monospace,Menlo,Consolas,monospace}"
    ".fail{color:#a40e26}.muted{color:#57606a;font-size:.9em}";

const char *const gs_report_script =
    "(function(){var t=document.getElementById('ranked');if(!t)return;var b=t.tBodies[0];"
    "var f=document.getElementById('filter');var n=document.getElementById('shown');"
    "function upd(){var q=f.value.toLowerCase(),k=0;for(var i=0;i<b.rows.length;i++){var r=b.rows[i];"
    "var s=r.textContent.toLowerCase().indexOf(q)>=0;r.style.display=s?'':'none';if(s)k++;}n.textContent=k;}"
    "f.addEventListener('input',upd);var hs=t.tHead.rows[0].cells;"
    "for(var j=0;j<hs.length;j++){(function(c,h){h.addEventListener('click',function(){"
    "var asc=h.getAttribute('data-dir')!=='asc';for(var x=0;x<hs.length;x++)hs[x].removeAttribute('data-dir');"
    "h.setAttribute('data-dir',asc?'asc':'desc');var num=h.getAttribute('data-type')==='num';"
    "var rows=Array.prototype.slice.call(b.rows);rows.sort(function(p,q){var u=p.cells[c].getAttribute('data-v')||p.cells[c].textContent,"
    "v=q.cells[c].getAttribute('data-v')||q.cells[c].textContent;var d=num?(parseFloat(u)-parseFloat(v)):u.localeCompare(v);"
    "return asc?d:-d;});rows.forEach(function(r){b.appendChild(r);});});})(j,hs[j]);}upd();})();";

#define HTML_FLUSH (1 << 16)
static void html_flush(output_file_t *f, kstring_t *o)
{
    if (o->l) output_write(f, o->s, o->l); /* a failed write is reported by output_commit */
    o->l = 0;
}

static void mode_badge(const gs_result_gene_t *g, kstring_t *o)
{
    if (g->mode < 0) { kputs("&ndash;", o); return; }
    int weak = g->mode == GS_MODE_COMP_HET ? g->pair_conf != GS_PAIR_PROVEN : g->mode_possible;
    gs_kfmt(o, "<span class=\"mode%s\">%s", weak ? " possible" : "", gs_mode_name(g->mode));
    if (g->mode == GS_MODE_COMP_HET) gs_kfmt(o, " (%s)", conf_name(g->pair_conf));
    else if (g->mode_possible) kputs(" (possible)", o);
    kputs("</span>", o);
}

int gs_write_html(const gs_results_t *r, int patient, const gs_result_gene_t *const *genes, long n,
                  const gs_run_info_t *info, const char *path, kstring_t *err)
{
    const gs_sample_t *smp = gs_results_samples(r);
    const int *mem;
    int nm = gs_results_members(r, patient, &mem);
    /* written as it is made: a genome's report holds thousands of rows */
    output_file_t *f = output_open(path, err);
    if (!f) return -1;
    gs_gene_view_t view;
    memset(&view, 0, sizeof(view));
    int ret = 0;
    kstring_t o = KS_INITIALIZE, tmp = KS_INITIALIZE;
    kputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>GeneSieve: ", &o);
    gs_html_text(smp[patient].name, &o);
    gs_kfmt(&o, "</title><style>%s</style></head>\n<body>\n<header><h1>Candidate genes for ", gs_report_css);
    gs_html_text(smp[patient].name, &o);
    kputs("</h1><p>", &o);
    if (n) {
        kputs("Top candidate: <span class=\"gene\" id=\"top-gene\">", &o);
        gs_html_text(genes[0]->gene, &o);
        kputs("</span> &middot; ", &o);
    }
    gs_kfmt(&o, "%ld candidate gene%s &middot; GeneSieve %s &middot; %s</p></header>\n<main>\n", n, n == 1 ? "" : "s",
             info->version, info->date);

    /* case summary */
    kputs("<section id=\"case\"><h2>Case</h2><table class=\"kv\"><tbody>", &o);
    kputs("<tr><td>Input</td><td>", &o);
    gs_html_text(info->input, &o);
    gs_kfmt(&o, "</td></tr><tr><td>Records read</td><td>%llu records, %llu ALT alleles, %llu kept by the variant stages</td></tr>",
             (unsigned long long)info->nrecords, (unsigned long long)info->nalleles, (unsigned long long)info->nkept);
    kputs("<tr><td>Pipeline</td><td>", &o);
    gs_html_text(info->pipeline, &o);
    kputs("</td></tr><tr><td>Settings</td><td class=\"muted\">", &o);
    gs_html_text(info->settings, &o);
    gs_kfmt(&o, "</td></tr><tr><td>GeneSieve</td><td>%s</td></tr><tr><td>Date</td><td>%s</td></tr>", info->version, info->date);
    kputs("<tr><td>Filters (ALT alleles removed)</td><td>", &o);
    for (int i = 0; i <= info->nstage; i++) {
        if (i) kputs(" &middot; ", &o);
        gs_html_text(i < info->nstage ? info->stage_ids[i] : "core (symbolic alleles, no gene)", &o);
        gs_kfmt(&o, ": %llu", (unsigned long long)info->drops[i]);
    }
    const gs_hpo_profile_t *prof = gs_results_profile(r, patient);
    const gs_hpo_t *hpo = gs_results_hpo(r);
    if (prof && hpo) {
        for (int pass = 0; pass < 2; pass++) {
            int nt = pass ? prof->nexc : prof->nobs;
            const int *t = pass ? prof->exc : prof->obs;
            if (pass && !nt) continue;
            kputs(pass ? "</td></tr><tr><td>Explicitly absent (HPO)</td><td>" : "</td></tr><tr><td>Phenotype (HPO)</td><td>", &o);
            for (int i = 0; i < nt; i++) {
                if (i) kputs(" &middot; ", &o);
                gs_html_text(gs_hpo_term_name(hpo, t[i]), &o);
                kputs(" <span class=\"muted\">", &o);
                gs_html_text(gs_hpo_term_id(hpo, t[i]), &o);
                kputs("</span>", &o);
            }
            if (!nt) kputs("none in this release", &o);
        }
        kputs("</td></tr><tr><td>Phenotype data</td><td>This report uses the Human Phenotype Ontology (release ", &o);
        gs_html_text(gs_hpo_version(hpo), &o);
        kputs(") and its disease annotations.", &o);
    }
    kputs("</td></tr></tbody></table>\n<h2>Family</h2><table><thead><tr><th>Sample</th><th>Role</th><th>Sex</th>"
          "<th>Phenotype</th></tr></thead><tbody>", &o);
    for (int k = 0; k < nm; k++) {
        kputs("<tr><td>", &o);
        gs_html_text(smp[mem[k]].name, &o);
        gs_kfmt(&o, "</td><td>%s</td><td>%s</td><td>%s</td></tr>", role(smp, patient, mem[k]), sex_name(smp[mem[k]].sex),
                 aff_name(smp[mem[k]].affected));
    }
    kputs("</tbody></table></section>\n", &o);

    /* ranked genes */
    kputs("<section id=\"genes\"><h2>Ranked genes</h2>"
          "<input id=\"filter\" type=\"search\" placeholder=\"Filter by gene, mode, consequence, position\" "
          "aria-label=\"Filter genes\"> <span class=\"muted\"><span id=\"shown\"></span> shown; click a column to sort, "
          "a gene for its variants</span>\n<table id=\"ranked\"><thead><tr>"
          "<th class=\"sortable\" data-type=\"num\">Rank</th><th class=\"sortable\">Gene</th>"
          "<th class=\"sortable\" data-type=\"num\">Score</th><th class=\"sortable\">Mode</th>"
          "<th class=\"sortable\" data-type=\"num\">Variants</th><th class=\"sortable\">Most severe consequence</th>"
          "<th class=\"sortable\" data-type=\"num\">Max population AF</th></tr></thead><tbody>\n", &o);
    for (long i = 0; i < n; i++) {
        if (o.l > HTML_FLUSH) html_flush(f, &o);
        const gs_result_gene_t *g = genes[i]; /* the row needs no variant */
        double max_af = gs_result_gene_max_af(g);
        gs_kfmt(&o, "<tr><td class=\"num\">%ld</td><td class=\"gene\">", i + 1);
        if (i < DETAILS_MAX) gs_kfmt(&o, "<a href=\"#g%ld\">", i + 1);
        gs_html_text(g->gene, &o);
        gs_kfmt(&o, "%s</td><td class=\"num\">%.3f</td><td data-v=\"%s\">", i < DETAILS_MAX ? "</a>" : "", g->score,
                 g->mode >= 0 ? gs_mode_name(g->mode) : "");
        mode_badge(g, &o);
        gs_kfmt(&o, "</td><td class=\"num\">%d</td><td>%s</td><td class=\"num\" data-v=\"", g->nvar,
                 gs_so_term(g->best_severity));
        gs_kput_g6(max_af, &o); /* %g */
        kputs("\">", &o);
        if (max_af < 0) kputs("unknown", &o); else gs_kfmt(&o, "%.3g", max_af);
        kputs("</td></tr>\n", &o);
    }
    kputs("</tbody></table></section>\n", &o);

    /* per gene */
    kputs("<section id=\"details\"><h2>Genes and their variants</h2>\n", &o);
    for (long i = 0; i < n && i < DETAILS_MAX && !ret; i++) {
        if (o.l > HTML_FLUSH) html_flush(f, &o);
        const gs_result_gene_t *g = gs_results_load(r, genes[i], &view, err);
        if (!g) { ret = -1; break; }
        gs_kfmt(&o, "<details id=\"g%ld\"%s><summary>%ld. ", i + 1, i < 3 ? " open" : "", i + 1);
        gs_html_text(g->gene, &o);
        gs_kfmt(&o, " &middot; score %.3f &middot; ", g->score);
        mode_badge(g, &o);
        kputs("</summary><p class=\"reason\">", &o);
        tmp.l = 0;
        kputs("", &tmp);
        gs_result_gene_reason(r, g, &tmp);
        gs_html_text(tmp.s, &o);
        kputs("</p><table><thead><tr><th>Variant</th><th>Consequence</th><th>Population AF</th><th>Score</th><th>Modes</th>", &o);
        for (int k = 0; k < nm; k++) {
            kputs("<th>", &o);
            gs_html_text(smp[mem[k]].name, &o);
            gs_kfmt(&o, " <span class=\"muted\">(%s)</span></th>", role(smp, patient, mem[k]));
        }
        kputs("</tr></thead><tbody>", &o);
        for (int v = 0; v < g->nvar; v++) {
            const gs_result_var_t *x = &g->vars[v];
            kputs("<tr><td class=\"gt\">", &o);
            gs_html_text(x->chrom, &o);
            gs_kfmt(&o, ":%lld ", (long long)x->pos);
            gs_html_text(x->ref, &o);
            kputs("&gt;", &o);
            gs_html_text(x->alt, &o);
            gs_kfmt(&o, "%s</td><td>%s</td><td class=\"num\">", (v == g->pair_a || v == g->pair_b) ? " &#9679;" : "", x->consequence);
            if (x->af < 0) kputs("unknown", &o); else gs_kfmt(&o, "%.3g", x->af);
            gs_kfmt(&o, "</td><td class=\"num\">%.3f</td><td>", x->score);
            int any = 0;
            for (int m = 0; m < GS_NMODE; m++)
                if (x->modes & GS_MODE_BIT(m))
                    gs_kfmt(&o, "%s%s%s", any++ ? ", " : "", gs_mode_name(m), x->possible & GS_MODE_BIT(m) ? " (possible)" : "");
            if (!any) kputs("&ndash;", &o);
            kputs("</td>", &o);
            for (int k = 0; k < nm; k++) {
                const gs_call_t *c = &x->fam[k];
                gs_kfmt(&o, "<td class=\"gt%s\">", c->pass ? "" : " fail");
                tmp.l = 0;
                kputs("", &tmp);
                gt_text(c, &tmp);
                kputs(tmp.s, &o);
                if (c->dp >= 0 || c->gq >= 0) {
                    kputs(" <span class=\"muted\">", &o);
                    if (c->dp >= 0) gs_kfmt(&o, "DP %d", c->dp);
                    if (c->gq >= 0) gs_kfmt(&o, "%sGQ %d", c->dp >= 0 ? " " : "", c->gq);
                    if (c->ad_alt >= 0) gs_kfmt(&o, " alt %d", c->ad_alt);
                    kputs("</span>", &o);
                }
                if (!c->pass) kputs(" (failed quality)", &o);
                kputs("</td>", &o);
            }
            kputs("</tr>", &o);
        }
        kputs("</tbody></table>", &o);
        if (g->pair_a >= 0) kputs("<p class=\"muted\">&#9679; the best compound-het pair</p>", &o);
        html_gene_phenotype(r, g, &o);
        kputs("</details>\n", &o);
    }
    if (!n) kputs("<p>No candidate gene passed the pipeline.</p>", &o);
    if (n > DETAILS_MAX)
        gs_kfmt(&o, "<p class=\"muted\">Details are shown for the top %d genes; all %ld are in the table above and in "
                     "the TSV and JSON files.</p>", DETAILS_MAX, n);
    gs_kfmt(&o, "</section>\n</main>\n<script>%s</script>\n</body></html>\n", gs_report_script);
    ks_free(&tmp);
    gs_gene_view_free(&view);
    if (ret < 0) {
        ks_free(&o);
        output_abort(f);
        return -1;
    }
    html_flush(f, &o);
    ks_free(&o);
    return output_commit(f, err);
}
