/* main.c -- the genesieve command line. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <htslib/hts.h>

#include "engine.h"
#include "output.h"
#include "pipeline.h"
#include "partial.h"
#include "cohort.h"
#include "pheno.h"
#include "hpo.h"
#include "share.h"

#ifndef GS_VERSION
#define GS_VERSION "0.1.0"
#endif

static void usage_main(FILE *fp)
{
    fprintf(fp,
            "GeneSieve %s: rank candidate causative genes per affected patient from a VCF/BCF\n\n"
            "Usage: genesieve <command> [options]\n\n"
            "Commands:\n"
            "  run        stream a VCF/BCF through a pipeline and write ranked gene lists\n"
            "  merge      combine partial results (run --partial) into the final outputs\n"
            "  cohort     genes with candidates in several unrelated families, across many runs' results\n"
            "  pheno      rank genes from HPO terms alone (patients' phenotypes vs. disease annotations)\n"
            "  share      export results for matchmaking (Matchmaker Exchange, Phenopacket) under pseudonyms\n"
            "  validate   check a pipeline file without reading any VCF\n"
            "  stages     list every stage with its parameters, types and defaults\n"
            "  version    print the version\n\n"
            "`genesieve <command> --help` describes each command.\n",
            GS_VERSION);
}

static void usage_run(FILE *fp)
{
    fprintf(fp,
            "Usage: genesieve run [options] INPUT.vcf[.gz]|INPUT.bcf|-\n\n"
            "Options:\n"
            "  -p, --pipeline FILE        pipeline YAML (default: the built-in pipelines/default.yml)\n"
            "  -s, --set STAGE.PARAM=VAL  override one pipeline parameter (repeatable)\n"
            "      --ped FILE             PED file naming families and affected samples\n"
            "                             (without it every sample is an affected singleton)\n"
            "  -o, --outdir DIR           output directory (default: genesieve-out)\n"
            "  -r, --regions REG[,...]    only CHROM, CHROM:BEG or CHROM:BEG-END (1-based, inclusive)\n"
            "  -R, --regions-file FILE    regions from a file (CHROM POS / CHROM BEG END; .bed: 0-based)\n"
            "  -g, --genes FILE.bed       gene names by overlap for unannotated input\n"
            "                             (same as --set consequence.genes_bed=FILE)\n"
            "      --genome GRCh37|GRCh38 build for PAR/X/Y rules (default: from the header's contig lengths)\n"
            "  -t, --threads N            worker threads, also used for BGZF decompression (default 1)\n"
            "      --hpo-data DIR         HPO release (hp.obo/hp.json, phenotype.hpoa, genes_to_phenotype.txt)\n"
            "      --hpo TERMS            the affected patients' HPO terms: HP:0001250,HP:0001263 (!HP:.. = absent)\n"
            "      --phenopacket FILE     GA4GH Phenopacket v2 of a patient (repeatable); with one and no INPUT,\n"
            "                             the VCF named in its files[]\n"
            "      --hpo-table FILE       sample<TAB>terms[<TAB>excluded terms] per patient\n"
            "      --plugin FILE.so       load stages from a shared object (repeatable)\n"
            "      --audit FILE           write, for every ALT allele, the stage that removed it and why\n"
            "                             ('-' = standard output)\n"
            "      --progress             report progress on stderr (default when stderr is a terminal)\n"
            "  -q, --quiet                no summary on stderr\n"
            "      --force                overwrite results already in the output directory\n"
            "      --partial FILE         write a partial result (for `genesieve merge`) instead of outputs\n\n"
            "Writes DIR/<sample>.genes.tsv for every affected sample.  Exit status: 0 success,\n"
            "1 bad input or failure, 2 usage error.\n");
}

static int load_plugins(char **plugins, int n)
{
    kstring_t err = KS_INITIALIZE;
    for (int i = 0; i < n; i++)
        if (gs_registry_load_plugin(plugins[i], &err) < 0) {
            fprintf(stderr, "genesieve: error: %s\n", err.s);
            ks_free(&err);
            return -1;
        }
    return 0;
}

static gs_pipeline_t *load_pipeline(const char *path, char **sets, int nset)
{
    kstring_t err = KS_INITIALIZE;
    gs_pipeline_t *pl = path ? gs_pipeline_load(path, &err) : gs_pipeline_default(&err);
    for (int i = 0; pl && i < nset; i++)
        if (gs_pipeline_set(pl, sets[i], &err) < 0) {
            gs_pipeline_free(pl);
            pl = NULL;
        }
    if (pl && gs_pipeline_check(pl, &err) < 0) {
        gs_pipeline_free(pl);
        pl = NULL;
    }
    if (!pl) fprintf(stderr, "genesieve: error: %s\n", err.s ? err.s : "cannot load pipeline");
    ks_free(&err);
    return pl;
}

enum { OPT_PED = 256, OPT_PLUGIN, OPT_AUDIT, OPT_PROGRESS, OPT_NO_PROGRESS, OPT_GENOME, OPT_FORCE, OPT_PARTIAL, OPT_HPO_DATA, OPT_HPO, OPT_PHENOPACKET, OPT_HPO_TABLE,
       OPT_GENE_LENGTHS, OPT_MIN_FAMILIES, OPT_TESTS, OPT_TOP, OPT_MAX_VAR_FAMS };

static int cmd_run(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"pipeline", required_argument, NULL, 'p'}, {"set", required_argument, NULL, 's'},
        {"ped", required_argument, NULL, OPT_PED}, {"outdir", required_argument, NULL, 'o'},
        {"regions", required_argument, NULL, 'r'}, {"regions-file", required_argument, NULL, 'R'},
        {"genes", required_argument, NULL, 'g'}, {"threads", required_argument, NULL, 't'},
        {"plugin", required_argument, NULL, OPT_PLUGIN}, {"audit", required_argument, NULL, OPT_AUDIT},
        {"progress", no_argument, NULL, OPT_PROGRESS}, {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
        {"quiet", no_argument, NULL, 'q'}, {"genome", required_argument, NULL, OPT_GENOME},
        {"force", no_argument, NULL, OPT_FORCE}, {"partial", required_argument, NULL, OPT_PARTIAL},
        {"hpo-data", required_argument, NULL, OPT_HPO_DATA}, {"hpo", required_argument, NULL, OPT_HPO},
        {"phenopacket", required_argument, NULL, OPT_PHENOPACKET}, {"hpo-table", required_argument, NULL, OPT_HPO_TABLE},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    gs_opts_t o;
    memset(&o, 0, sizeof(o));
    gs_pheno_opts_t ph;
    memset(&ph, 0, sizeof ph);
    char *pk_vcf = NULL;
    o.outdir = "genesieve-out";
    o.nthreads = 1;
    o.progress = isatty(STDERR_FILENO);
    const char *pipeline = NULL;
    char **sets = calloc(argc + 1, sizeof(char *)), **plugins = calloc(argc + 1, sizeof(char *));
    int nset = 0, nplugin = 0, c, ret = 2;
    kstring_t genes_set = KS_INITIALIZE;
    while ((c = getopt_long(argc, argv, "p:s:o:r:R:g:t:qh", lopts, NULL)) != -1) {
        switch (c) {
        case 'p': pipeline = optarg; break;
        case 's': sets[nset++] = optarg; break;
        case OPT_PED: o.ped = optarg; break;
        case 'o': o.outdir = optarg; break;
        case 'r': o.regions = optarg; break;
        case 'R': o.regions_file = optarg; break;
        case 'g':
            ksprintf(&genes_set, "consequence.genes_bed=%s", optarg);
            break;
        case 't': {
            char *e;
            long n = strtol(optarg, &e, 10);
            if (*e || n < 1 || n > 256) {
                fprintf(stderr, "genesieve: error: --threads %s: expected a number from 1 to 256\n", optarg);
                goto out;
            }
            o.nthreads = (int)n;
            break;
        }
        case OPT_GENOME:
            if (!strcasecmp(optarg, "GRCh37") || !strcasecmp(optarg, "hg19") || !strcmp(optarg, "37")) o.build = 37;
            else if (!strcasecmp(optarg, "GRCh38") || !strcasecmp(optarg, "hg38") || !strcmp(optarg, "38")) o.build = 38;
            else {
                fprintf(stderr, "genesieve: error: --genome %s: expected GRCh37 or GRCh38\n", optarg);
                goto out;
            }
            break;
        case OPT_PLUGIN: plugins[nplugin++] = optarg; break;
        case OPT_AUDIT: o.audit = optarg; break;
        case OPT_PROGRESS: o.progress = 1; break;
        case OPT_NO_PROGRESS: o.progress = 0; break;
        case 'q': o.quiet = 1; break;
        case OPT_FORCE: o.force = 1; break;
        case OPT_PARTIAL: o.partial = optarg; break;
        case OPT_HPO_DATA: ph.data = optarg; break;
        case OPT_HPO: ph.hpo = realloc(ph.hpo, (ph.nhpo + 1) * sizeof(char *)); ph.hpo[ph.nhpo++] = optarg; break;
        case OPT_PHENOPACKET: ph.packets = realloc(ph.packets, (ph.npk + 1) * sizeof(char *)); ph.packets[ph.npk++] = optarg; break;
        case OPT_HPO_TABLE: ph.table = optarg; break;
        case 'h': usage_run(stdout); ret = 0; goto out;
        default: usage_run(stderr); goto out;
        }
    }
    if (optind == argc && ph.npk == 1) { /* the input named by the phenopacket */
        gs_hpo_profile_t pp;
        memset(&pp, 0, sizeof pp);
        kstring_t e = KS_INITIALIZE;
        if (gs_hpo_profile_phenopacket(NULL, ph.packets[0], &pp, &e) < 0 || !pp.vcf) {
            fprintf(stderr, "genesieve: error: %s\n", e.l ? e.s : "no INPUT given and the phenopacket names no VCF file (files[].uri)");
            ks_free(&e); gs_hpo_profile_free(&pp); ret = e.l ? 1 : 2;
            goto out;
        }
        pk_vcf = strdup(pp.vcf);
        gs_hpo_profile_free(&pp);
        ks_free(&e);
    } else if (optind != argc - 1) {
        fprintf(stderr, "genesieve: error: run needs exactly one INPUT (a VCF/BCF file, or - for stdin)\n");
        usage_run(stderr);
        goto out;
    }
    if (gs_pheno_opts_used(&ph) && o.partial) {
        fprintf(stderr, "genesieve: error: phenotypes are applied when results are ranked: give --hpo-data and the terms to `genesieve merge`, not to run --partial\n");
        goto out;
    }
    o.input = pk_vcf ? pk_vcf : argv[optind];
    if (genes_set.l) sets[nset++] = genes_set.s;
    ret = 1;
    if (gs_registry_init() < 0 || load_plugins(plugins, nplugin) < 0) goto out;
    o.pl = load_pipeline(pipeline, sets, nset);
    if (!o.pl) goto out;
    if (gs_pheno_opts_used(&ph)) {
        kstring_t e = KS_INITIALIZE;
        if (!(o.pheno = gs_pheno_prepare(&ph, &e))) {
            fprintf(stderr, "genesieve: error: %s\n", e.s);
            ks_free(&e);
            gs_pipeline_free(o.pl);
            goto out;
        }
    }
    gs_outputs_install_signal_handlers();
    ret = gs_run(&o);
    gs_pipeline_free(o.pl);
out:
    gs_pheno_ctx_free(o.pheno);
    free(ph.hpo); free(ph.packets); free(pk_vcf);
    free(sets);
    free(plugins);
    ks_free(&genes_set);
    return ret;
}

static int cmd_merge(int argc, char **argv)
{
    static const struct option lopts[] = {{"outdir", required_argument, NULL, 'o'}, {"force", no_argument, NULL, OPT_FORCE},
                                          {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'},
        {"hpo-data", required_argument, NULL, OPT_HPO_DATA}, {"hpo", required_argument, NULL, OPT_HPO},
        {"phenopacket", required_argument, NULL, OPT_PHENOPACKET}, {"hpo-table", required_argument, NULL, OPT_HPO_TABLE},
                                          {NULL, 0, NULL, 0}};
    gs_merge_opts_t m;
    memset(&m, 0, sizeof(m));
    gs_pheno_opts_t ph;
    memset(&ph, 0, sizeof ph);
    m.outdir = "genesieve-out";
    int c;
    while ((c = getopt_long(argc, argv, "o:qh", lopts, NULL)) != -1) {
        switch (c) {
        case 'o': m.outdir = optarg; break;
        case OPT_FORCE: m.force = 1; break;
        case 'q': m.quiet = 1; break;
        case OPT_HPO_DATA: ph.data = optarg; break;
        case OPT_HPO: ph.hpo = realloc(ph.hpo, (ph.nhpo + 1) * sizeof(char *)); ph.hpo[ph.nhpo++] = optarg; break;
        case OPT_PHENOPACKET: ph.packets = realloc(ph.packets, (ph.npk + 1) * sizeof(char *)); ph.packets[ph.npk++] = optarg; break;
        case OPT_HPO_TABLE: ph.table = optarg; break;
        case 'h':
            printf("Usage: genesieve merge [-o DIR] [--force] [phenotype options] PARTIAL...\n"
                   "Combines the partial results of `genesieve run --partial` (e.g. one per chromosome)\n"
                   "into the outputs one run over the whole input writes. Phenotype options as for run:\n"
                   "--hpo-data DIR with --hpo TERMS, --phenopacket FILE (repeatable) or --hpo-table FILE.\n");
            free(ph.hpo); free(ph.packets);
            return 0;
        default: free(ph.hpo); free(ph.packets); return 2;
        }
    }
    if (optind >= argc) { fprintf(stderr, "genesieve: error: merge needs at least one PARTIAL file\n"); free(ph.hpo); free(ph.packets); return 2; }
    m.partials = argv + optind;
    m.npartial = argc - optind;
    int ret = 1;
    if (gs_pheno_opts_used(&ph)) {
        kstring_t e = KS_INITIALIZE;
        m.pheno = gs_pheno_prepare(&ph, &e);
        if (!m.pheno) fprintf(stderr, "genesieve: error: %s\n", e.s);
        ks_free(&e);
        if (!m.pheno) goto out;
    }
    gs_outputs_install_signal_handlers();
    ret = gs_merge(&m);
out:
    gs_pheno_ctx_free(m.pheno);
    free(ph.hpo); free(ph.packets);
    return ret;
}

static void usage_cohort(FILE *fp)
{
    fprintf(fp,
            "Usage: genesieve cohort [-o DIR] [--ped FILE] [--force] INPUT...\n\n"
            "INPUT: <sample>.genes.json files of `genesieve run` or `merge`, directories holding them,\n"
            "or `run --partial` files (e.g. one run over a multi-family VCF).\n\n"
            "Options:\n"
            "  -o, --outdir DIR           output directory (default: genesieve-cohort)\n"
            "      --ped FILE             families from this PED (default: the family ids the results record)\n"
            "      --gene-lengths FILE    GENE CHROM LENGTH table or BED with gene names (default: built-in\n"
            "                             GRCh37 exome-target lengths); unknown genes get the median length\n"
            "      --min-families N       genes listed in the table (default 2; all genes hit are tested)\n"
            "      --tests LIST           classes of hits tested apart, the gene's p-value being the smallest\n"
            "                             times their number: any, de_novo, recessive, high_impact,\n"
            "                             de_novo_high, recessive_high (_high: HIGH-impact variants only)\n"
            "                             (default " GS_COHORT_DEFAULT_TESTS ")\n"
            "      --force                overwrite a cohort table already in DIR\n"
            "      --top N                count only each patient's N best-ranked genes (default: all listed)\n"
            "      --max-variant-families N  a variant listed in more than N unrelated families is common in\n"
            "                             this cohort and supports no hit (default: 5 %% of the families,\n"
            "                             at least 3; 0: no filter)\n"
            "      --hpo-data DIR         HPO release: phenotype coherence of each gene's patients (their terms\n"
            "                             from the results of runs given HPO terms, or from the two options below)\n"
            "      --hpo-table FILE       sample<TAB>terms[<TAB>excluded] per patient\n"
            "      --phenopacket FILE     a patient's phenopacket (repeatable; a directory: every *.json)\n"
            "  -q, --quiet                no summary on stderr\n\n"
            "Writes DIR/cohort.genes.tsv, cohort.genes.json and cohort.html: genes with candidates in\n"
            "N or more unrelated families, with observed vs expected families, p-value and FDR.\n");
}

static int cmd_cohort(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"outdir", required_argument, NULL, 'o'}, {"ped", required_argument, NULL, OPT_PED},
        {"gene-lengths", required_argument, NULL, OPT_GENE_LENGTHS}, {"min-families", required_argument, NULL, OPT_MIN_FAMILIES},
        {"tests", required_argument, NULL, OPT_TESTS},
        {"force", no_argument, NULL, OPT_FORCE}, {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'},
        {"hpo-data", required_argument, NULL, OPT_HPO_DATA}, {"hpo-table", required_argument, NULL, OPT_HPO_TABLE},
        {"phenopacket", required_argument, NULL, OPT_PHENOPACKET}, {"top", required_argument, NULL, OPT_TOP},
        {"max-variant-families", required_argument, NULL, OPT_MAX_VAR_FAMS}, {NULL, 0, NULL, 0}};
    gs_cohort_opts_t co;
    memset(&co, 0, sizeof(co));
    co.outdir = "genesieve-cohort";
    co.min_families = 2;
    co.max_var_fams = -1;
    int c;
    kstring_t err = KS_INITIALIZE;
    gs_cohort_parse_tests(GS_COHORT_DEFAULT_TESTS, &co.tests, &err);
    while ((c = getopt_long(argc, argv, "o:qh", lopts, NULL)) != -1) {
        switch (c) {
        case 'o': co.outdir = optarg; break;
        case OPT_PED: co.ped = optarg; break;
        case OPT_GENE_LENGTHS: co.gene_lengths = optarg; break;
        case OPT_MIN_FAMILIES: {
            char *e;
            long n = strtol(optarg, &e, 10);
            if (*e || n < 1 || n > 1000000) {
                fprintf(stderr, "genesieve: error: --min-families %s: expected a number from 1\n", optarg);
                return 2;
            }
            co.min_families = (int)n;
            break;
        }
        case OPT_TESTS:
            if (gs_cohort_parse_tests(optarg, &co.tests, &err) < 0) {
                fprintf(stderr, "genesieve: error: %s\n", err.s);
                ks_free(&err);
                return 2;
            }
            break;
        case OPT_FORCE: co.force = 1; break;
        case 'q': co.quiet = 1; break;
        case OPT_HPO_DATA: co.hpo_data = optarg; break;
        case OPT_HPO_TABLE: co.hpo_table = optarg; break;
        case OPT_TOP: {
            char *e;
            long n = strtol(optarg, &e, 10);
            if (*e || n < 1 || n > 1000000) {
                fprintf(stderr, "genesieve: error: --top %s: expected a number from 1\n", optarg);
                free(co.packets);
                return 2;
            }
            co.top = (int)n;
            break;
        }
        case OPT_MAX_VAR_FAMS: {
            char *e;
            long n = strtol(optarg, &e, 10);
            if (*e || !*optarg || n < 0 || n > 1000000) {
                fprintf(stderr, "genesieve: error: --max-variant-families %s: expected a number from 0 (0: no filter)\n", optarg);
                free(co.packets);
                return 2;
            }
            co.max_var_fams = (int)n;
            break;
        }
        case OPT_PHENOPACKET: co.packets = realloc(co.packets, (co.npk + 1) * sizeof(char *)); co.packets[co.npk++] = optarg; break;
        case 'h': usage_cohort(stdout); free(co.packets); return 0;
        default: usage_cohort(stderr); free(co.packets); return 2;
        }
    }
    if ((co.hpo_table || co.npk) && !co.hpo_data) {
        fprintf(stderr, "genesieve: error: patients' terms need the HPO release: give --hpo-data DIR\n");
        free(co.packets);
        return 2;
    }
    if (optind >= argc) {
        fprintf(stderr, "genesieve: error: cohort needs at least one INPUT (results of runs, or directories of them)\n");
        usage_cohort(stderr);
        return 2;
    }
    co.inputs = argv + optind;
    co.ninput = argc - optind;
    gs_outputs_install_signal_handlers();
    int ret = gs_cohort(&co);
    free(co.packets);
    return ret;
}

static const char *type_str(gs_param_type_t t)
{
    switch (t) {
    case GS_PARAM_INT: return "int";
    case GS_PARAM_FLOAT: return "float";
    case GS_PARAM_BOOL: return "bool";
    case GS_PARAM_STRING: return "string";
    case GS_PARAM_LIST: return "list";
    }
    return "?";
}

static int cmd_stages(int argc, char **argv)
{
    static const struct option lopts[] = {{"plugin", required_argument, NULL, OPT_PLUGIN},
                                          {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    char **plugins = calloc(argc + 1, sizeof(char *));
    int n = 0, c;
    while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
        if (c == OPT_PLUGIN) plugins[n++] = optarg;
        else if (c == 'h') { printf("Usage: genesieve stages [--plugin FILE.so]...\n"); free(plugins); return 0; }
        else { free(plugins); return 2; }
    }
    int ret = gs_registry_init() < 0 || load_plugins(plugins, n) < 0;
    free(plugins);
    if (ret) return 1;
    for (int i = 0; i < gs_registry_count(); i++) {
        const gs_stage_t *st = gs_registry_get(i);
        printf("%s%s\n  %s\n", i ? "\n" : "", st->name, st->description ? st->description : "");
        printf("  hooks: %s%s%s\n", st->variant ? "variant" : "", st->variant && st->gene ? ", " : "", st->gene ? "gene" : "");
        for (int k = 0; st->params && st->params[k].name; k++) {
            const gs_param_def_t *d = &st->params[k];
            printf("  %-20s %-6s default: %s", d->name, type_str(d->type), d->def && *d->def ? d->def : "(empty)");
            if (d->min != d->max) printf("  range: [%g, %g]", d->min, d->max);
            printf("\n      %s\n", d->help ? d->help : "");
        }
    }
    return 0;
}

static int cmd_validate(int argc, char **argv)
{
    static const struct option lopts[] = {{"pipeline", required_argument, NULL, 'p'},
                                          {"set", required_argument, NULL, 's'},
                                          {"plugin", required_argument, NULL, OPT_PLUGIN},
                                          {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const char *pipeline = NULL;
    char **sets = calloc(argc + 1, sizeof(char *)), **plugins = calloc(argc + 1, sizeof(char *));
    int nset = 0, nplugin = 0, c, ret = 2;
    while ((c = getopt_long(argc, argv, "p:s:h", lopts, NULL)) != -1) {
        switch (c) {
        case 'p': pipeline = optarg; break;
        case 's': sets[nset++] = optarg; break;
        case OPT_PLUGIN: plugins[nplugin++] = optarg; break;
        case 'h':
            printf("Usage: genesieve validate [-p FILE] [--set STAGE.PARAM=VALUE]... [--plugin FILE.so]...\n"
                   "Checks a pipeline (default: the built-in one) without reading any VCF.\n");
            ret = 0;
            goto out;
        default: goto out;
        }
    }
    if (optind != argc) { fprintf(stderr, "genesieve: error: validate takes no positional argument\n"); goto out; }
    ret = 1;
    if (gs_registry_init() < 0 || load_plugins(plugins, nplugin) < 0) goto out;
    gs_pipeline_t *pl = load_pipeline(pipeline, sets, nset);
    if (!pl) goto out;
    printf("%s: valid pipeline with %d stage%s:", pl->source, pl->nstage, pl->nstage == 1 ? "" : "s");
    for (int i = 0; i < pl->nstage; i++) printf(" %s", pl->stages[i].id);
    printf("\n");
    gs_pipeline_free(pl);
    ret = 0;
out:
    free(sets);
    free(plugins);
    return ret;
}

int main(int argc, char **argv)
{
    /* htslib's own warnings (odd header lines etc.) stay visible; its debug chatter does not */
    hts_set_log_level(HTS_LOG_WARNING);
    if (argc < 2) { usage_main(stderr); return 2; }
    const char *cmd = argv[1];
    int ret;
    if (!strcmp(cmd, "run")) ret = cmd_run(argc - 1, argv + 1);
    else if (!strcmp(cmd, "stages")) ret = cmd_stages(argc - 1, argv + 1);
    else if (!strcmp(cmd, "merge")) ret = cmd_merge(argc - 1, argv + 1);
    else if (!strcmp(cmd, "cohort")) ret = cmd_cohort(argc - 1, argv + 1);
    else if (!strcmp(cmd, "pheno")) ret = gs_cmd_pheno(argc - 1, argv + 1);
    else if (!strcmp(cmd, "share")) ret = gs_cmd_share(argc - 1, argv + 1);
    else if (!strcmp(cmd, "validate")) ret = cmd_validate(argc - 1, argv + 1);
    else if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) { printf("genesieve %s (htslib %s)\n", GS_VERSION, hts_version()); ret = 0; }
    else if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) { usage_main(stdout); ret = 0; }
    else {
        fprintf(stderr, "genesieve: error: unknown command '%s'\n", cmd);
        usage_main(stderr);
        ret = 2;
    }
    gs_registry_free();
    return ret;
}
