/* expr: user expressions over QUAL, FILTER, INFO and FORMAT values, evaluated
 * by htslib's hts_expr (the language of `samtools view -e`).  Symbols:
 *   QUAL, FILTER, CHROM, POS, ID, REF, ALT (this allele),
 *   INFO/KEY          Number=A/R fields give this allele's value; Flags 1/0
 *   FORMAT/KEY[S]     FORMAT value of sample S (name or 0-based column);
 *   FORMAT/KEY        without [S]: the smallest value over affected samples
 *                     that carry the allele
 * A value absent from the record is undefined: comparisons with it are false. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <htslib/hts_expr.h>

#include "genesieve/genesieve.h"
#include "../vcfutil.h"
#include "builtin.h"

static const gs_param_def_t params[] = {
    {"include", GS_PARAM_STRING, "", 0, 0, "keep an allele only when this expression is true"},
    {"exclude", GS_PARAM_STRING, "", 0, 0, "drop an allele when this expression is true"},
    {NULL, 0, NULL, 0, 0, NULL},
};

typedef struct {
    char *inc, *exc;
} expr_t;

typedef struct {
    hts_filter_t *inc, *exc;
    gs_variant_t *v;
    int32_t *ibuf;
    float *fbuf;
    int mi, mf;
    hts_expr_val_t res;
} expr_thread_t;

/* hts_expr reads a number before it asks for a symbol, and strtod() takes
 * "INF..." for infinity: give INFO/ symbols a prefix strtod cannot read.  The
 * caller frees the result. */
static char *protect_info(const char *e)
{
    kstring_t s = KS_INITIALIZE;
    char quote = 0;
    for (const char *p = e; *p; p++) {
        if (quote) {
            if (*p == quote) quote = 0;
        } else if (*p == '"' || *p == '\'') {
            quote = *p;
        } else if (!strncmp(p, "INFO/", 5) && (p == e || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
            kputc('@', &s);
        }
        kputc(*p, &s);
    }
    return ks_release(&s);
}

static int ident_char(int c) { return isalnum(c) || c == '_' || c == '.'; }

/* Length of the symbol at s: a name, or INFO/KEY, FORMAT/KEY, FMT/KEY, with an
 * optional [SAMPLE]; '@' may lead (see protect_info).  The tokeniser of both
 * evaluation and the header check. */
static size_t symbol_len(const char *s)
{
    size_t n = s[0] == '@', start = n;
    while (ident_char((unsigned char)s[n])) n++;
    size_t w = n - start;
    if (s[n] == '/' && ((w == 4 && !strncmp(s + start, "INFO", 4)) || (w == 6 && !strncmp(s + start, "FORMAT", 6)) ||
                        (w == 3 && !strncmp(s + start, "FMT", 3)))) {
        n++;
        while (ident_char((unsigned char)s[n])) n++;
    }
    if (s[n] == '[') {
        const char *c = strchr(s + n, ']');
        if (c) n = c - s + 1;
    }
    return n;
}

static int format_value(expr_thread_t *t, const char *key, const char *sub, size_t sublen, hts_expr_val_t *res)
{
    gs_variant_t *v = t->v;
    int fid = bcf_hdr_id2int(v->hdr, BCF_DT_ID, key);
    if (fid < 0 || !bcf_hdr_idinfo_exists(v->hdr, BCF_HL_FMT, fid)) return -1;
    int type = bcf_hdr_id2type(v->hdr, BCF_HL_FMT, fid);
    int n, per;
    if (type == BCF_HT_REAL) n = bcf_get_format_float(v->hdr, v->rec, key, &t->fbuf, &t->mf);
    else n = bcf_get_format_int32(v->hdr, v->rec, key, &t->ibuf, &t->mi);
    if (n <= 0 || !v->nsmp) return 0;
    per = n / v->nsmp;
    int lo = 0, hi = v->nsmp;
    if (sub) {
        char name[256];
        if (sublen >= sizeof name) return 0;
        memcpy(name, sub, sublen);
        name[sublen] = 0;
        int s = bcf_hdr_id2int(v->hdr, BCF_DT_SAMPLE, name);
        if (s < 0) {
            char *e;
            long x = strtol(name, &e, 10);
            if (*e || x < 0 || x >= v->nsmp) return -1;
            s = (int)x;
        }
        lo = s;
        hi = s + 1;
    }
    /* slot: this allele for Number=A/R, else the first */
    int vl = bcf_hdr_id2length(v->hdr, BCF_HL_FMT, fid);
    int slot = vl == BCF_VL_A ? v->allele - 1 : vl == BCF_VL_R ? v->allele : 0;
    if (slot >= per) slot = 0;
    double best = NAN;
    for (int s = lo; s < hi; s++) {
        if (!sub && (v->samples[s].affected != 1 || !gs_call_carries(&v->calls[s]))) continue;
        double x;
        if (type == BCF_HT_REAL) {
            float f = t->fbuf[s * per + slot];
            if (bcf_float_is_missing(f) || bcf_float_is_vector_end(f)) continue;
            x = f;
        } else {
            int32_t i = t->ibuf[s * per + slot];
            if (i == bcf_int32_missing || i == bcf_int32_vector_end) continue;
            x = i;
        }
        if (isnan(best) || x < best) best = x;
    }
    res->d = best;
    return 0;
}

static int symbol(void *data, char *str, char **end, hts_expr_val_t *res)
{
    expr_thread_t *t = data;
    gs_variant_t *v = t->v;
    size_t len = symbol_len(str);
    *end = str + len;
    hts_expr_val_undef(res);
    char name[256];
    if (!len || len >= sizeof name) return -1;
    if (*str == '@') str++, len--;
    memcpy(name, str, len);
    name[len] = 0;
    if (!strcmp(name, "QUAL")) {
        if (!bcf_float_is_missing(v->rec->qual)) res->d = v->rec->qual;
        return 0;
    }
    if (!strcmp(name, "POS")) { res->d = v->rec->pos + 1; return 0; }
    const char *str_val = NULL;
    kstring_t tmp = KS_INITIALIZE;
    if (!strcmp(name, "CHROM")) str_val = v->chrom;
    else if (!strcmp(name, "ID")) str_val = v->rec->d.id;
    else if (!strcmp(name, "REF")) str_val = v->rec->d.allele[0];
    else if (!strcmp(name, "ALT")) str_val = v->rec->d.allele[v->allele];
    else if (!strcmp(name, "FILTER")) {
        if (!v->rec->d.n_flt) kputc('.', &tmp);
        for (int i = 0; i < v->rec->d.n_flt; i++)
            ksprintf(&tmp, "%s%s", i ? ";" : "", bcf_hdr_int2id(v->hdr, BCF_DT_ID, v->rec->d.flt[i]));
        str_val = tmp.s;
    }
    if (str_val) {
        res->is_str = 1;
        kputs(str_val, ks_clear(&res->s));
        ks_free(&tmp);
        return 0;
    }
    if (!strncmp(name, "INFO/", 5)) {
        const char *key = name + 5;
        int id = bcf_hdr_id2int(v->hdr, BCF_DT_ID, key);
        if (id < 0 || !bcf_hdr_idinfo_exists(v->hdr, BCF_HL_INFO, id)) return -1;
        int type = bcf_hdr_id2type(v->hdr, BCF_HL_INFO, id);
        if (type == BCF_HT_FLAG) {
            res->d = bcf_get_info_id(v->rec, id) ? 1 : 0;
            res->is_true = res->d != 0;
            return 0;
        }
        if (type == BCF_HT_STR) {
            bcf_info_t *inf = bcf_get_info_id(v->rec, id);
            if (inf && inf->vptr) {
                res->is_str = 1;
                kputsn((char *)inf->vptr, strnlen((char *)inf->vptr, inf->len), ks_clear(&res->s));
            }
            return 0;
        }
        double x;
        if (gs_info_number(v->hdr, v->rec, id, v->allele, &x)) res->d = x;
        return 0;
    }
    const char *key = !strncmp(name, "FORMAT/", 7) ? name + 7 : !strncmp(name, "FMT/", 4) ? name + 4 : NULL;
    if (key) {
        char *br = strchr(name, '[');
        const char *sub = NULL;
        size_t sublen = 0;
        if (br) {
            *br = 0;
            sub = br + 1;
            sublen = strlen(sub) - 1;
        }
        int id = bcf_hdr_id2int(v->hdr, BCF_DT_ID, key);
        if (id < 0 || !bcf_hdr_idinfo_exists(v->hdr, BCF_HL_FMT, id)) return -1;
        return format_value(t, key, sub, sublen, res);
    }
    return -1;
}

/* Dry runs check an expression before any record is read: each symbol gets
 * a value of its type (from the header when there is one; otherwise numbers,
 * or strings for CHROM/ID/REF/ALT/FILTER and, in mode 1, for everything). */
typedef struct { const bcf_hdr_t *hdr; int all_strings; } dry_t;

static int symbol_dry(void *data, char *str, char **end, hts_expr_val_t *res)
{
    dry_t *d = data;
    size_t n = symbol_len(str);
    *end = str + n;
    hts_expr_val_undef(res);
    if (!n) return -1;
    int is_str = d->all_strings;
    if (!strncmp(str, "CHROM", 5) || !strncmp(str, "ID", 2) || !strncmp(str, "REF", 3) || !strncmp(str, "ALT", 3) ||
        !strncmp(str, "FILTER", 6))
        is_str = 1;
    if (d->hdr && !strncmp(str, "@INFO/", 6)) {
        char key[256];
        size_t k = 0;
        for (const char *p = str + 6; p < *end && *p != '[' && k < sizeof key - 1; p++) key[k++] = *p;
        key[k] = 0;
        int id = bcf_hdr_id2int(d->hdr, BCF_DT_ID, key);
        is_str = id >= 0 && bcf_hdr_idinfo_exists(d->hdr, BCF_HL_INFO, id) && bcf_hdr_id2type(d->hdr, BCF_HL_INFO, id) == BCF_HT_STR;
    }
    if (is_str) {
        res->is_str = 1;
        kputs("", ks_clear(&res->s));
    } else {
        res->d = 0;
    }
    return 0;
}

static int dry_run(const char *expr, const bcf_hdr_t *h, int all_strings)
{
    char *e = protect_info(expr);
    hts_filter_t *f = hts_filter_init(e);
    free(e);
    hts_expr_val_t r = HTS_EXPR_VAL_INIT;
    dry_t d = {h, all_strings};
    int ret = f ? hts_filter_eval2(f, &d, symbol_dry, &r) : -1;
    hts_expr_val_free(&r);
    if (f) hts_filter_free(f);
    return ret;
}

static int syntax_ok(const char *e, const bcf_hdr_t *h, const char *param, kstring_t *err)
{
    if (!e) return 0;
    int ret = h ? dry_run(e, h, 0) : (dry_run(e, NULL, 0) == 0 || dry_run(e, NULL, 1) == 0) ? 0 : -1;
    if (ret < 0) ksprintf(err, "%s: cannot parse expression '%s'", param, e);
    return ret < 0 ? -1 : 0;
}

static int check(const gs_params_t *p, kstring_t *err)
{
    if (!gs_param_str(p, "include") && !gs_param_str(p, "exclude")) {
        ksprintf(err, "give an include or an exclude expression");
        return -1;
    }
    if (syntax_ok(gs_param_str(p, "include"), NULL, "include", err) < 0) return -1;
    return syntax_ok(gs_param_str(p, "exclude"), NULL, "exclude", err);
}

/* Calls fn(data, type, key) for every INFO/ (type BCF_HL_INFO) and FORMAT/
 * (BCF_HL_FMT) name in the expression; stops at the first non-zero return. */
typedef int (*field_fn)(void *data, int type, const char *key);

static int for_each_field(const char *e, field_fn fn, void *data)
{
    char quote = 0;
    for (const char *p = e; p && *p; p++) {
        if (quote) { if (*p == quote) quote = 0; continue; }
        if (*p == '"' || *p == '\'') { quote = *p; continue; }
        if (!isalpha((unsigned char)*p) || (p > e && ident_char((unsigned char)p[-1]))) continue;
        size_t n = symbol_len(p);
        int type = -1;
        size_t skip = 0;
        if (!strncmp(p, "INFO/", 5)) type = BCF_HL_INFO, skip = 5;
        else if (!strncmp(p, "FORMAT/", 7)) type = BCF_HL_FMT, skip = 7;
        else if (!strncmp(p, "FMT/", 4)) type = BCF_HL_FMT, skip = 4;
        if (type >= 0) {
            char key[256];
            size_t k = 0;
            for (const char *q = p + skip; q < p + n && *q != '[' && k < sizeof key - 1; q++) key[k++] = *q;
            key[k] = 0;
            int ret = fn(data, type, key);
            if (ret) return ret;
        }
        p += n - 1;
    }
    return 0;
}

typedef struct { const bcf_hdr_t *h; const char *param; kstring_t *err; } declared_t;

static int field_declared(void *data, int type, const char *key)
{
    declared_t *d = data;
    int id = bcf_hdr_id2int(d->h, BCF_DT_ID, key);
    if (*key && id >= 0 && bcf_hdr_idinfo_exists(d->h, type, id)) return 0;
    ksprintf(d->err, "%s: %s/%s is not declared in the VCF header", d->param, type == BCF_HL_INFO ? "INFO" : "FORMAT", key);
    return -1;
}

/* Every INFO/ and FORMAT/ name in the expression must be in the header. */
static int fields_declared(const char *e, const bcf_hdr_t *h, const char *param, kstring_t *err)
{
    declared_t d = {h, param, err};
    return for_each_field(e, field_declared, &d);
}

typedef struct { const bcf_hdr_t *h; uint8_t *keep; } keep_t;

static int keep_info(void *data, int type, const char *key)
{
    keep_t *k = data;
    int id = bcf_hdr_id2int(k->h, BCF_DT_ID, key);
    if (type == BCF_HL_INFO && id >= 0) k->keep[id] = 1;
    return 0;
}

void gs_expr_info_keys(const void *state, const bcf_hdr_t *h, uint8_t *keep)
{
    const expr_t *x = state;
    keep_t k = {h, keep};
    for_each_field(x->inc, keep_info, &k);
    for_each_field(x->exc, keep_info, &k);
}

static void destroy(void *state)
{
    expr_t *x = state;
    if (!x) return;
    free(x->inc);
    free(x->exc);
    free(x);
}

static int init(const gs_params_t *p, const gs_setup_t *su, void **state, kstring_t *err)
{
    if (check(p, err) < 0) return -1;
    const char *inc = gs_param_str(p, "include"), *exc = gs_param_str(p, "exclude");
    if (fields_declared(inc, su->hdr, "include", err) < 0 || fields_declared(exc, su->hdr, "exclude", err) < 0) return -1;
    if (syntax_ok(inc, su->hdr, "include", err) < 0 || syntax_ok(exc, su->hdr, "exclude", err) < 0) return -1;
    expr_t *x = calloc(1, sizeof(*x));
    x->inc = inc ? strdup(inc) : NULL;
    x->exc = exc ? strdup(exc) : NULL;
    *state = x;
    return 0;
}

static void *thread_init(void *state)
{
    expr_t *x = state;
    expr_thread_t *t = calloc(1, sizeof(*t));
    char *e;
    if (x->inc) { t->inc = hts_filter_init(e = protect_info(x->inc)); free(e); }
    if (x->exc) { t->exc = hts_filter_init(e = protect_info(x->exc)); free(e); }
    return t;
}

static void thread_free(void *tstate)
{
    expr_thread_t *t = tstate;
    if (t->inc) hts_filter_free(t->inc);
    if (t->exc) hts_filter_free(t->exc);
    free(t->ibuf);
    free(t->fbuf);
    hts_expr_val_free(&t->res);
    free(t);
}

static int truth(const hts_expr_val_t *r)
{
    if (r->is_true) return 1;
    if (r->is_str) return r->s.s && r->s.l;
    return !isnan(r->d) && r->d != 0;
}

static int variant(void *state, void *tstate, gs_variant_t *v, kstring_t *why)
{
    expr_t *x = state;
    expr_thread_t *t = tstate;
    t->v = v;
    if (t->inc) {
        if (hts_filter_eval2(t->inc, t, symbol, &t->res) < 0) {
            ksprintf(why, "cannot evaluate include expression '%s'", x->inc);
            return GS_FAIL;
        }
        if (!truth(&t->res)) {
            ksprintf(why, "include expression false: %s", x->inc);
            return GS_DROP;
        }
    }
    if (t->exc) {
        if (hts_filter_eval2(t->exc, t, symbol, &t->res) < 0) {
            ksprintf(why, "cannot evaluate exclude expression '%s'", x->exc);
            return GS_FAIL;
        }
        if (truth(&t->res)) {
            ksprintf(why, "exclude expression true: %s", x->exc);
            return GS_DROP;
        }
    }
    return GS_KEEP;
}

const gs_stage_t gs_stage_expr = {
    .api_version = GS_API_VERSION,
    .name = "expr",
    .description = "keep or drop alleles by an htslib expression over QUAL, FILTER, INFO/ and FORMAT/ values",
    .params = params,
    .check = check,
    .init = init,
    .thread_init = thread_init,
    .thread_free = thread_free,
    .variant = variant,
    .destroy = destroy,
};
