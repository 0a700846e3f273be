/* inheritance: which Mendelian modes each allele fits for each affected
 * patient, over every sequenced member of the patient's family (PED).
 *
 * Genotypes come from gs_call_t after the quality stage: a call that is
 * missing or failed quality is UNKNOWN, never hom-ref.  A mode whose rule needs
 * a relative that is not sequenced (or UNKNOWN) fits "possibly".  Families of
 * any shape: every affected member must fit the mode and, with full
 * penetrance, no unaffected member may.  On X and Y outside the PARs males are
 * hemizygous; a male het call there counts as carrying but only "possibly".
 *
 * The variant hook marks modes and compound-het sides (with the parent the
 * allele came from); the gene hook pairs sides per patient: read-backed phase
 * (same PS, different haplotypes) or one allele from each parent = trans
 * proven; de novo + inherited = likely; anything unphased = possible; proven
 * cis (same PS and haplotype, or both from the same parent) = rejected. */
#include <stdlib.h>
#include <string.h>

#include "genesieve/genesieve.h"

static const gs_param_def_t params[] = {
    {"modes", GS_PARAM_LIST, "de_novo,ar_hom,comp_het,x_recessive,x_dominant,ad_inherited,mitochondrial", 0, 0,
     "modes to test"},
    {"max_af_de_novo", GS_PARAM_FLOAT, "0.001", 0, 1, "popmax AF cap for de novo"},
    {"max_af_dominant", GS_PARAM_FLOAT, "0.001", 0, 1, "popmax AF cap for ad_inherited and x_dominant"},
    {"max_af_recessive", GS_PARAM_FLOAT, "0.01", 0, 1, "popmax AF cap for ar_hom and x_recessive"},
    {"max_af_comp_het", GS_PARAM_FLOAT, "0.005", 0, 1, "popmax AF cap for each side of a compound het"},
    {"max_af_mitochondrial", GS_PARAM_FLOAT, "0.01", 0, 1, "AF cap for mitochondrial"},
    {"max_nhomalt_dominant", GS_PARAM_INT, "0", -1, 1e9, "homozygote cap for de novo and dominant modes (-1: none)"},
    {"max_nhomalt_recessive", GS_PARAM_INT, "10", -1, 1e9, "homozygote cap for recessive modes and comp-het sides (-1: none)"},
    {"max_parent_alt_reads", GS_PARAM_INT, "1", 0, 1e6, "de novo: most ALT reads (AD) summed over the parents"},
    {"penetrance", GS_PARAM_FLOAT, "1", 0, 1, "below 1, unaffected relatives may carry (dominant) or be homozygous (recessive)"},
    {"allow_affected_parent", GS_PARAM_BOOL, "false", 0, 0, "recessive modes accept an affected parent who is homozygous"},
    {"missing_parents", GS_PARAM_STRING, "possible", 0, 0, "possible: a missing parent makes a call 'possible'; fail: the mode does not fit"},
    {"min_heteroplasmy", GS_PARAM_FLOAT, "0.1", 0, 1, "mitochondrial: least ALT fraction (AD) in the patient"},
    {NULL, 0, NULL, 0, 0, NULL},
};

static const char *mode_names[GS_NMODE] = {"de_novo", "ar_hom", "comp_het", "x_recessive", "x_dominant",
                                           "ad_inherited", "mitochondrial"};

typedef struct {
    int patient;      /* VCF column */
    int *members;     /* other sequenced members of the family */
    int nmembers;
} fam_t;

typedef struct {
    unsigned enabled;
    double max_af[GS_NMODE], max_af_side;
    int max_hom_dom, max_hom_rec, max_parent_alt;
    int full_penetrance, allow_affected_parent, missing_fail;
    double min_het;
    int npat;
    fam_t *pat;
    const gs_sample_t *smp;
    int nsmp;
} inh_t;

enum { G_UNK = 0, G_REF, G_HET, G_HOM }; /* G_HOM: homozygous, or hemizygous */

static int check(const gs_params_t *p, kstring_t *err)
{
    char *const *l;
    int n = gs_param_list(p, "modes", &l);
    for (int i = 0; i < n; i++) {
        int ok = 0;
        for (int m = 0; m < GS_NMODE; m++) ok |= !strcmp(l[i], mode_names[m]);
        if (!ok) {
            ksprintf(err, "modes: '%s' is not one of de_novo, ar_hom, comp_het, x_recessive, x_dominant, ad_inherited, mitochondrial", l[i]);
            return -1;
        }
    }
    const char *mp = gs_param_str(p, "missing_parents");
    if (mp && strcmp(mp, "possible") && strcmp(mp, "fail")) {
        ksprintf(err, "missing_parents: '%s' is not 'possible' or 'fail'", mp);
        return -1;
    }
    return 0;
}

static void destroy(void *state)
{
    inh_t *s = state;
    if (!s) return;
    for (int i = 0; i < s->npat; i++) free(s->pat[i].members);
    free(s->pat);
    free(s);
}

static int init(const gs_params_t *p, const gs_setup_t *su, void **state, kstring_t *err)
{
    if (check(p, err) < 0) return -1;
    inh_t *s = calloc(1, sizeof(*s));
    char *const *l;
    int n = gs_param_list(p, "modes", &l);
    for (int i = 0; i < n; i++)
        for (int m = 0; m < GS_NMODE; m++)
            if (!strcmp(l[i], mode_names[m])) s->enabled |= GS_MODE_BIT(m);
    s->max_af[GS_MODE_DE_NOVO] = gs_param_float(p, "max_af_de_novo");
    s->max_af[GS_MODE_AD_INHERITED] = s->max_af[GS_MODE_X_DOMINANT] = gs_param_float(p, "max_af_dominant");
    s->max_af[GS_MODE_AR_HOM] = s->max_af[GS_MODE_X_RECESSIVE] = gs_param_float(p, "max_af_recessive");
    s->max_af[GS_MODE_COMP_HET] = s->max_af_side = gs_param_float(p, "max_af_comp_het");
    s->max_af[GS_MODE_MITOCHONDRIAL] = gs_param_float(p, "max_af_mitochondrial");
    s->max_hom_dom = (int)gs_param_int(p, "max_nhomalt_dominant");
    s->max_hom_rec = (int)gs_param_int(p, "max_nhomalt_recessive");
    s->max_parent_alt = (int)gs_param_int(p, "max_parent_alt_reads");
    s->full_penetrance = gs_param_float(p, "penetrance") >= 1.0;
    s->allow_affected_parent = gs_param_bool(p, "allow_affected_parent");
    const char *mp = gs_param_str(p, "missing_parents");
    s->missing_fail = mp && !strcmp(mp, "fail");
    s->min_het = gs_param_float(p, "min_heteroplasmy");
    s->smp = su->samples;
    s->nsmp = su->nsmp;
    s->pat = calloc(su->nsmp ? su->nsmp : 1, sizeof(fam_t));
    for (int i = 0; i < su->nsmp; i++) {
        if (su->samples[i].affected != 1) continue;
        fam_t *f = &s->pat[s->npat++];
        f->patient = i;
        f->members = calloc(su->nsmp, sizeof(int));
        for (int j = 0; j < su->nsmp; j++)
            if (j != i && !strcmp(su->samples[j].family, su->samples[i].family)) f->members[f->nmembers++] = j;
    }
    *state = s;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Genotypes as the rules see them                                     */

typedef struct {
    const inh_t *s;
    gs_variant_t *v;
    int hemi;          /* region where males are hemizygous (X or Y outside the PARs) */
    double af;
    int hom;
    kstring_t *why;    /* NULL unless a reason is wanted */
} ctx_t;

static int is_male(const ctx_t *c, int i) { return c->v->samples[i].sex == GS_SEX_MALE; }

static int geno(const ctx_t *c, int i)
{
    if (i < 0) return G_UNK;
    const gs_call_t *k = &c->v->calls[i];
    if (k->gt == GS_GT_MISSING || !k->pass) return G_UNK;
    if (k->gt == GS_GT_REF) return G_REF;
    if (c->hemi && is_male(c, i)) return G_HOM; /* hemizygous, whatever the caller wrote */
    return k->gt == GS_GT_HET ? G_HET : G_HOM;
}

static int carries(int g) { return g == G_HET || g == G_HOM; }

/* A male het call where he is hemizygous: carrying, but doubtful. */
static int male_het(const ctx_t *c, int i)
{
    return c->hemi && i >= 0 && is_male(c, i) && c->v->calls[i].gt == GS_GT_HET;
}

static void say(ctx_t *c, const char *mode, const char *fmt, const char *who)
{
    if (!c->why) return;
    ksprintf(c->why, "%s%s: ", c->why->l ? "; " : "", mode);
    ksprintf(c->why, fmt, who);
}

static const char *nm(const ctx_t *c, int i) { return i >= 0 ? c->v->samples[i].name : "?"; }

/* Outcome of one rule: 0 no, 1 fits, 2 fits possibly. */
enum { NO = 0, FITS = 1, POSSIBLE = 2 };

static int cap(ctx_t *c, int mode, int rec, int r)
{
    if (r == NO) return NO;
    double max = c->s->max_af[mode];
    int maxhom = rec ? c->s->max_hom_rec : c->s->max_hom_dom;
    if (c->af > max) {
        if (c->why) ksprintf(c->why, "%s%s: AF %g > %g", c->why->l ? "; " : "", mode_names[mode], c->af, max);
        return NO;
    }
    if (maxhom >= 0 && c->hom > maxhom) {
        if (c->why) ksprintf(c->why, "%s%s: %d homozygotes > %d", c->why->l ? "; " : "", mode_names[mode], c->hom, maxhom);
        return NO;
    }
    return r;
}

/* Unknown parent: "possible", or no fit when missing_parents is "fail". */
static int unknown_parent(ctx_t *c, const char *mode, int parent)
{
    if (c->s->missing_fail) {
        say(c, mode, "parent %s not sequenced or no good call", parent >= 0 ? nm(c, parent) : "-");
        return NO;
    }
    return POSSIBLE;
}

/* Other members: affected ones must satisfy want(), unaffected ones must not
 * (the latter only with full penetrance). */
static int others(ctx_t *c, const fam_t *f, const char *mode, int (*want)(ctx_t *, int), int skip1, int skip2)
{
    int r = FITS;
    for (int k = 0; k < f->nmembers; k++) {
        int i = f->members[k];
        if (i == skip1 || i == skip2) continue;
        int g = geno(c, i);
        if (g == G_UNK) continue; /* says nothing either way */
        int aff = c->v->samples[i].affected;
        if (aff == 1 && !want(c, i)) {
            say(c, mode, "affected relative %s does not share it", nm(c, i));
            return NO;
        }
        if (aff == 0 && c->s->full_penetrance && want(c, i)) {
            say(c, mode, "unaffected relative %s fits too", nm(c, i));
            return NO;
        }
    }
    return r;
}

static int want_carrier(ctx_t *c, int i) { return carries(geno(c, i)); }
static int want_hom(ctx_t *c, int i) { return geno(c, i) == G_HOM; }
static int want_x_rec(ctx_t *c, int i) { return is_male(c, i) ? carries(geno(c, i)) : geno(c, i) == G_HOM; }

static int worst(int a, int b) { return a == NO || b == NO ? NO : (a == POSSIBLE || b == POSSIBLE ? POSSIBLE : FITS); }

/* ------------------------------------------------------------------ */
/* The rules                                                           */

static int de_novo(ctx_t *c, const fam_t *f)
{
    const char *m = "de_novo";
    int p = f->patient, g = geno(c, p);
    const gs_sample_t *ps = &c->v->samples[p];
    int male_hemi = c->hemi && ps->sex == GS_SEX_MALE;
    if (c->v->mito) { say(c, m, "mitochondrial%s", ""); return NO; }
    if (male_hemi ? !carries(g) : g != G_HET) { say(c, m, "%s is not het", nm(c, p)); return NO; }
    /* which parents pass this chromosome on: a son's X comes from his mother, his Y from his father */
    int need_f = 1, need_m = 1;
    if (male_hemi && c->v->x_nonpar) need_f = 0;
    if (male_hemi && c->v->y_nonpar) need_m = 0;
    int r = male_het(c, p) ? POSSIBLE : FITS, known = 0, alt_reads = 0;
    int par[2] = {need_f ? ps->father : -2, need_m ? ps->mother : -2};
    for (int k = 0; k < 2; k++) {
        if (par[k] == -2) continue;
        int gp = geno(c, par[k]);
        if (gp == G_UNK) { r = worst(r, unknown_parent(c, m, par[k])); continue; }
        if (gp != G_REF) { say(c, m, "parent %s carries it", nm(c, par[k])); return NO; }
        known++;
        if (c->v->calls[par[k]].ad_alt > 0) alt_reads += c->v->calls[par[k]].ad_alt;
    }
    if (r == NO) return NO;
    if (!known) { say(c, m, "no parent of %s sequenced", nm(c, p)); return NO; }
    if (alt_reads > c->s->max_parent_alt) {
        if (c->why) ksprintf(c->why, "%sde_novo: %d ALT reads in the parents > %d", c->why->l ? "; " : "", alt_reads, c->s->max_parent_alt);
        return NO;
    }
    r = worst(r, others(c, f, m, want_carrier, ps->father, ps->mother));
    return cap(c, GS_MODE_DE_NOVO, 0, r);
}

/* Recessive parents: a carrier fits; unknown is possible; a homozygous parent
 * fits only when affected and allowed; a non-carrier rules the mode out. */
static int recessive_parent(ctx_t *c, const char *m, int par)
{
    int g = geno(c, par);
    if (g == G_UNK) return unknown_parent(c, m, par);
    if (g == G_HET) {
        /* every affected member must fit: an affected parent who only carries it does not */
        if (c->v->samples[par].affected == 1) {
            say(c, m, "affected parent %s is only a carrier", nm(c, par));
            return NO;
        }
        return FITS;
    }
    if (g == G_HOM) {
        if (c->v->samples[par].affected == 1 && c->s->allow_affected_parent) return FITS;
        say(c, m, "parent %s is homozygous", nm(c, par));
        return NO;
    }
    say(c, m, "parent %s does not carry it", nm(c, par));
    return NO;
}

static int ar_hom(ctx_t *c, const fam_t *f)
{
    const char *m = "ar_hom";
    int p = f->patient;
    if (c->hemi || c->v->mito) { say(c, m, "not autosomal%s", ""); return NO; }
    if (geno(c, p) != G_HOM) { say(c, m, "%s is not homozygous", nm(c, p)); return NO; }
    const gs_sample_t *ps = &c->v->samples[p];
    int r = recessive_parent(c, m, ps->father);
    if (r != NO) r = worst(r, recessive_parent(c, m, ps->mother));
    if (r != NO) r = worst(r, others(c, f, m, want_hom, ps->father, ps->mother));
    return cap(c, GS_MODE_AR_HOM, 1, r);
}

/* A compound-het side: het in the patient; origin from the parents. */
static int comp_het_side(ctx_t *c, const fam_t *f, uint8_t *origin, uint8_t *sure)
{
    const char *m = "comp_het";
    int p = f->patient;
    const gs_sample_t *ps = &c->v->samples[p];
    *origin = GS_ORIGIN_UNKNOWN;
    *sure = 0;
    if (c->v->mito || (c->hemi && ps->sex != GS_SEX_FEMALE)) { say(c, m, "%s is hemizygous here", nm(c, p)); return NO; }
    if (geno(c, p) != G_HET) { say(c, m, "%s is not het", nm(c, p)); return NO; }
    int gf = geno(c, ps->father), gm = geno(c, ps->mother);
    for (int k = 0; k < 2; k++) {
        int par = k ? ps->mother : ps->father, g = k ? gm : gf;
        if (g == G_HOM && !(c->v->samples[par].affected == 1 && c->s->allow_affected_parent)) {
            say(c, m, "parent %s is homozygous", nm(c, par));
            return NO;
        }
    }
    int r = FITS;
    if (carries(gf) && gm == G_REF) *origin = GS_ORIGIN_FATHER, *sure = 1;
    else if (carries(gm) && gf == G_REF) *origin = GS_ORIGIN_MOTHER, *sure = 1;
    else if (gf == G_REF && gm == G_REF) *origin = GS_ORIGIN_DE_NOVO, *sure = 1;
    else if (carries(gf) && carries(gm)) r = POSSIBLE; /* either parent could have passed it on */
    else {
        /* one parent unknown: the other tells what it can */
        if (carries(gf)) *origin = GS_ORIGIN_FATHER;
        else if (carries(gm)) *origin = GS_ORIGIN_MOTHER;
        else if (gf == G_REF) *origin = GS_ORIGIN_MOTHER;
        else if (gm == G_REF) *origin = GS_ORIGIN_FATHER;
        r = worst(r, unknown_parent(c, m, gf == G_UNK ? ps->father : ps->mother));
    }
    if (r == NO) return NO;
    /* the side cap: comp-het frequency and recessive homozygote caps */
    if (c->af > c->s->max_af_side) {
        if (c->why) ksprintf(c->why, "%scomp_het: AF %g > %g", c->why->l ? "; " : "", c->af, c->s->max_af_side);
        return NO;
    }
    if (c->s->max_hom_rec >= 0 && c->hom > c->s->max_hom_rec) {
        if (c->why) ksprintf(c->why, "%scomp_het: %d homozygotes > %d", c->why->l ? "; " : "", c->hom, c->s->max_hom_rec);
        return NO;
    }
    return r;
}

static int x_recessive(ctx_t *c, const fam_t *f)
{
    const char *m = "x_recessive";
    int p = f->patient;
    const gs_sample_t *ps = &c->v->samples[p];
    if (!c->v->x_nonpar) { say(c, m, "not on X outside the PARs%s", ""); return NO; }
    int r;
    if (ps->sex == GS_SEX_FEMALE) {
        if (geno(c, p) != G_HOM) { say(c, m, "%s (female) is not homozygous", nm(c, p)); return NO; }
        /* her father is hemizygous: he carries it, so he must be affected */
        int gf = geno(c, ps->father);
        if (gf == G_UNK) r = unknown_parent(c, m, ps->father);
        else if (!carries(gf)) { say(c, m, "father %s does not carry it", nm(c, ps->father)); return NO; }
        else if (c->v->samples[ps->father].affected != 1 && c->s->full_penetrance) {
            say(c, m, "father %s carries it but is unaffected", nm(c, ps->father));
            return NO;
        } else r = FITS;
        if (r != NO) r = worst(r, recessive_parent(c, m, ps->mother));
    } else {
        if (ps->sex != GS_SEX_MALE) { say(c, m, "sex of %s unknown", nm(c, p)); return NO; }
        if (!carries(geno(c, p))) { say(c, m, "%s does not carry it", nm(c, p)); return NO; }
        r = male_het(c, p) ? POSSIBLE : FITS;
        int gm = geno(c, ps->mother);
        if (gm == G_UNK) r = worst(r, unknown_parent(c, m, ps->mother));
        else if (gm == G_REF) { say(c, m, "mother %s does not carry it", nm(c, ps->mother)); return NO; }
        else if (gm == G_HOM && !(c->v->samples[ps->mother].affected == 1)) {
            say(c, m, "mother %s is homozygous but unaffected", nm(c, ps->mother));
            return NO;
        }
        int gf = geno(c, ps->father);
        if (carries(gf) && c->v->samples[ps->father].affected != 1 && c->s->full_penetrance) {
            say(c, m, "father %s carries it but is unaffected", nm(c, ps->father));
            return NO;
        }
    }
    if (r != NO) r = worst(r, others(c, f, m, want_x_rec, ps->father, ps->mother));
    return cap(c, GS_MODE_X_RECESSIVE, 1, r);
}

/* Dominant from an affected parent (autosomal, or X where a father passes his
 * X only to daughters). */
static int dominant(ctx_t *c, const fam_t *f, int on_x)
{
    const char *m = on_x ? "x_dominant" : "ad_inherited";
    int p = f->patient;
    const gs_sample_t *ps = &c->v->samples[p];
    if (c->v->mito || (on_x ? !c->v->x_nonpar : c->hemi)) { say(c, m, on_x ? "not on X outside the PARs%s" : "not autosomal%s", ""); return NO; }
    int g = geno(c, p);
    if (on_x ? !carries(g) : g != G_HET) { say(c, m, "%s is not het", nm(c, p)); return NO; }
    int r = male_het(c, p) ? POSSIBLE : FITS, from_affected = 0, unknown = 0;
    int par[2] = {ps->father, ps->mother};
    for (int k = 0; k < 2; k++) {
        if (on_x && k == 0 && ps->sex == GS_SEX_MALE) continue; /* a son's X is his mother's */
        int gp = geno(c, par[k]);
        if (gp == G_UNK) { unknown++; continue; }
        if (carries(gp) && c->v->samples[par[k]].affected == 1) from_affected = 1;
    }
    if (!from_affected) {
        if (!unknown) { say(c, m, "no affected parent of %s carries it", nm(c, p)); return NO; }
        r = worst(r, unknown_parent(c, m, ps->father >= 0 && geno(c, ps->father) == G_UNK ? ps->father : ps->mother));
    }
    if (r != NO) r = worst(r, others(c, f, m, want_carrier, -1, -1));
    return cap(c, on_x ? GS_MODE_X_DOMINANT : GS_MODE_AD_INHERITED, 0, r);
}

static int mitochondrial(ctx_t *c, const fam_t *f)
{
    const char *m = "mitochondrial";
    int p = f->patient;
    if (!c->v->mito) { say(c, m, "not mitochondrial%s", ""); return NO; }
    const gs_call_t *k = &c->v->calls[p];
    if (!carries(geno(c, p))) { say(c, m, "%s does not carry it", nm(c, p)); return NO; }
    if (k->ad_total > 0 && (double)k->ad_alt / k->ad_total < c->s->min_het) {
        if (c->why) ksprintf(c->why, "%smitochondrial: heteroplasmy %.3f < %g", c->why->l ? "; " : "",
                             (double)k->ad_alt / k->ad_total, c->s->min_het);
        return NO;
    }
    int mo = c->v->samples[p].mother, gm = geno(c, mo), r;
    if (gm == G_UNK) r = unknown_parent(c, m, mo);
    else if (carries(gm) || (c->v->calls[mo].ad_alt > 0)) r = FITS;
    else r = POSSIBLE; /* not seen in the mother's blood: de novo or low-level heteroplasmy */
    return cap(c, GS_MODE_MITOCHONDRIAL, 1, r);
}

/* Evaluate every mode for patient f; returns the modes that fit. */
static void evaluate(const inh_t *s, ctx_t *c, const fam_t *f)
{
    gs_call_t *k = &c->v->calls[f->patient];
    k->modes = k->possible = 0;
    if (!carries(geno(c, f->patient))) {
        say(c, "all modes", "%s has no good call carrying it", nm(c, f->patient));
        return;
    }
    int r[GS_NMODE] = {0};
    if (s->enabled & GS_MODE_BIT(GS_MODE_DE_NOVO)) r[GS_MODE_DE_NOVO] = de_novo(c, f);
    if (s->enabled & GS_MODE_BIT(GS_MODE_AR_HOM)) r[GS_MODE_AR_HOM] = ar_hom(c, f);
    if (s->enabled & GS_MODE_BIT(GS_MODE_X_RECESSIVE)) r[GS_MODE_X_RECESSIVE] = x_recessive(c, f);
    if (s->enabled & GS_MODE_BIT(GS_MODE_X_DOMINANT)) r[GS_MODE_X_DOMINANT] = dominant(c, f, 1);
    if (s->enabled & GS_MODE_BIT(GS_MODE_AD_INHERITED)) r[GS_MODE_AD_INHERITED] = dominant(c, f, 0);
    if (s->enabled & GS_MODE_BIT(GS_MODE_MITOCHONDRIAL)) r[GS_MODE_MITOCHONDRIAL] = mitochondrial(c, f);
    for (int m = 0; m < GS_NMODE; m++) {
        if (r[m] != NO) k->modes |= GS_MODE_BIT(m);
        if (r[m] == POSSIBLE) k->possible |= GS_MODE_BIT(m);
    }
    if (s->enabled & GS_MODE_BIT(GS_MODE_COMP_HET)) {
        int side = comp_het_side(c, f, &k->origin, &k->origin_sure);
        if (side != NO) k->modes |= GS_MODE_BIT(GS_MODE_COMP_HET_SIDE);
        if (side == POSSIBLE) k->possible |= GS_MODE_BIT(GS_MODE_COMP_HET_SIDE);
    }
}

static int variant(void *state, void *tstate, gs_variant_t *v, kstring_t *why)
{
    (void)tstate;
    inh_t *s = state;
    ctx_t c = {s, v, v->x_nonpar || v->y_nonpar, v->af < 0 ? 0 : v->af, v->nhomalt < 0 ? 0 : v->nhomalt, NULL};
    int any = 0;
    for (int i = 0; i < s->npat; i++) {
        evaluate(s, &c, &s->pat[i]);
        any |= v->calls[s->pat[i].patient].modes != 0;
    }
    if (any) return GS_KEEP;
    /* say why, for the first patient carrying it (or the first patient) */
    int who = 0;
    for (int i = 0; i < s->npat; i++)
        if (carries(geno(&c, s->pat[i].patient))) { who = i; break; }
    if (!s->npat) { kputs("no affected sample", why); return GS_DROP; }
    if (!v->explain) { kputs("no mode fits", why); return GS_DROP; } /* the long reason is for the audit */
    kstring_t r = KS_INITIALIZE;
    c.why = &r;
    evaluate(s, &c, &s->pat[who]);
    ksprintf(why, "no mode fits %s: %s", v->samples[s->pat[who].patient].name, r.s ? r.s : "");
    ks_free(&r);
    return GS_DROP;
}

/* ------------------------------------------------------------------ */
/* Compound hets, per gene and patient                                 */

static int pair_conf(const gs_call_t *a, const gs_call_t *b, const inh_t *s, const gs_gene_t *g, int ia, int ib,
                     const fam_t *f)
{
    /* read-backed phase decides when both are phased in one set */
    if (a->ps >= 0 && a->ps == b->ps && a->hap >= 0 && b->hap >= 0) {
        if (a->hap == b->hap) return GS_PAIR_NONE; /* proven cis */
        return GS_PAIR_PROVEN;
    }
    int conf;
    if (a->origin_sure && b->origin_sure) {
        if (a->origin == b->origin) {
            if (a->origin == GS_ORIGIN_DE_NOVO) conf = GS_PAIR_POSSIBLE; /* two de novo: phase unknown */
            else return GS_PAIR_NONE;                                   /* both from one parent: cis */
        } else if (a->origin == GS_ORIGIN_DE_NOVO || b->origin == GS_ORIGIN_DE_NOVO) {
            conf = GS_PAIR_LIKELY;
        } else {
            conf = GS_PAIR_PROVEN;
        }
    } else {
        conf = GS_PAIR_POSSIBLE; /* a parent unknown: nothing proves the phase either way */
    }
    /* relatives: affected ones carry both; unaffected ones carrying both (in the
     * same configuration) rule the pair out under full penetrance */
    for (int k = 0; k < f->nmembers; k++) {
        int i = f->members[k];
        const gs_call_t *x = &g->vars[ia].calls[i], *y = &g->vars[ib].calls[i];
        if (x->gt == GS_GT_MISSING || y->gt == GS_GT_MISSING || !x->pass || !y->pass) continue;
        int both = gs_call_carries(x) && gs_call_carries(y);
        int aff = s->smp[i].affected;
        if (aff == 1 && !both) return GS_PAIR_NONE;
        if (aff == 0 && both && s->full_penetrance && i != s->smp[f->patient].father && i != s->smp[f->patient].mother)
            return GS_PAIR_NONE;
    }
    return conf;
}

static int gene(void *state, gs_gene_t *g, kstring_t *why)
{
    inh_t *s = state;
    for (int pi = 0; pi < s->npat; pi++) {
        const fam_t *f = &s->pat[pi];
        int p = f->patient;
        for (int a = 0; a < g->nvar; a++) {
            gs_call_t *ca = &g->vars[a].calls[p];
            ca->pair = -1;
            ca->pair_conf = GS_PAIR_NONE;
            ca->modes &= ~GS_MODE_BIT(GS_MODE_COMP_HET);
        }
        for (int a = 0; a < g->nvar; a++) {
            gs_call_t *ca = &g->vars[a].calls[p];
            if (g->vars[a].dropped || !(ca->modes & GS_MODE_BIT(GS_MODE_COMP_HET_SIDE))) continue;
            for (int b = a + 1; b < g->nvar; b++) {
                gs_call_t *cb = &g->vars[b].calls[p];
                if (g->vars[b].dropped || !(cb->modes & GS_MODE_BIT(GS_MODE_COMP_HET_SIDE))) continue;
                if (g->vars[a].pos == g->vars[b].pos && !strcmp(g->vars[a].ref, g->vars[b].ref)) continue; /* one site */
                int conf = pair_conf(ca, cb, s, g, a, b, f);
                if (conf == GS_PAIR_NONE) continue;
                /* each side keeps its best partner: higher confidence, then the first */
                if (conf > ca->pair_conf) ca->pair_conf = (uint8_t)conf, ca->pair = b;
                if (conf > cb->pair_conf) cb->pair_conf = (uint8_t)conf, cb->pair = a;
            }
        }
        for (int a = 0; a < g->nvar; a++) {
            gs_call_t *ca = &g->vars[a].calls[p];
            if (ca->pair >= 0) {
                ca->modes |= GS_MODE_BIT(GS_MODE_COMP_HET);
                if (ca->pair_conf == GS_PAIR_POSSIBLE) ca->possible |= GS_MODE_BIT(GS_MODE_COMP_HET);
                else ca->possible &= ~GS_MODE_BIT(GS_MODE_COMP_HET);
            }
            ca->modes &= ~GS_MODE_BIT(GS_MODE_COMP_HET_SIDE);
        }
    }
    /* alleles no patient can use any more: reported as removed from the gene */
    int any_dropped = 0;
    for (int a = 0; a < g->nvar; a++) {
        int used = 0;
        for (int pi = 0; pi < s->npat; pi++) used |= g->vars[a].calls[s->pat[pi].patient].modes != 0;
        if (!used && !g->vars[a].dropped) g->vars[a].dropped = 1, any_dropped = 1;
    }
    if (any_dropped) kputs("compound-het side without a partner in trans", why);
    return GS_KEEP;
}

const char *gs_mode_name(int m) { return m >= 0 && m < GS_NMODE ? mode_names[m] : "?"; }

const gs_stage_t gs_stage_inheritance = {
    .api_version = GS_API_VERSION,
    .name = "inheritance",
    .description = "Mendelian modes per affected patient over the family (PED): de novo, recessive (hom and compound het), "
                   "X-linked, dominant, mitochondrial; per-mode frequency caps",
    .params = params,
    .check = check,
    .init = init,
    .variant = variant,
    .gene = gene,
    .destroy = destroy,
    .flags = GS_STAGE_SETS_MODES,
};
