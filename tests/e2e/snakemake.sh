#!/usr/bin/env bash
# The Snakemake workflow (pipelines/snakemake) with Debian's snakemake:
# scatter by chromosome, gather with merge; the result equals one run.
source "$(dirname "$0")/lib.sh"
command -v snakemake >/dev/null || { fail "snakemake is not installed (apt-get install snakemake)"; finish; }
# phenotypes go to the merge step (hpo_data, hpo_table in the config)
printf 'ADM1059A2\tHP:0001250,HP:0001263\n' >"$T/terms.tsv"
PH=(hpo_data="$TESTDATA/hpo" hpo_table="$T/terms.tsv")
gs run -q --ped "$TESTDATA/643594.ped" --hpo-data "$TESTDATA/hpo" --hpo-table "$T/terms.tsv" -o "$T/single" "$TESTDATA/643594.clinical.vcf.gz" 2>/dev/null
snakemake -q -s "$SRCDIR/pipelines/snakemake/Snakefile" --cores 2 --directory "$T/wf" \
    --configfile "$SRCDIR/pipelines/snakemake/config.yaml" \
    --config vcf="$TESTDATA/643594.clinical.vcf.gz" ped="$TESTDATA/643594.ped" genesieve="$GENESIEVE" outdir=out "${PH[@]}" \
    >"$T/snakemake.log" 2>&1 || { cat "$T/snakemake.log" >&2; fail "snakemake failed"; }
n=$(ls "$T/wf/out.partials"/*.json 2>/dev/null | wc -l)
check "one partial job per chromosome ($n)" test "$n" -eq "$(bcftools index -s "$TESTDATA/643594.clinical.vcf.gz" | wc -l)"
check "the workflow's outputs equal a single run's, byte for byte" diff -r -x .snakemake_timestamp "$T/single" "$T/wf/out"
check "... with the phenotype applied" test "$(col phenotype "$T/wf/out/ADM1059A2.genes.tsv" | sort -u | grep -vc '^\.$')" -gt 0
# the optional cohort step: this run and another run's results, as `genesieve cohort` on them
gs run -q --ped "$TESTDATA/ashk-trio.ped" -o "$T/other" "$TESTDATA/ashk-trio.vcf.gz"
snakemake -q -s "$SRCDIR/pipelines/snakemake/Snakefile" --cores 2 --directory "$T/wf2" \
    --configfile "$SRCDIR/pipelines/snakemake/config.yaml" \
    --config vcf="$TESTDATA/643594.clinical.vcf.gz" ped="$TESTDATA/643594.ped" genesieve="$GENESIEVE" outdir=out \
    "${PH[@]}" cohort=true cohort_inputs="[$T/other]" min_families=1 >"$T/snakemake2.log" 2>&1 || { cat "$T/snakemake2.log" >&2; fail "snakemake with the cohort step failed"; }
gs cohort -q --min-families 1 -o "$T/cohort" "$T/single" "$T/other"
check "the cohort step's table equals genesieve cohort's" cmp "$T/cohort/cohort.genes.tsv" "$T/wf2/out.cohort/cohort.genes.tsv"
check "the cohort step saw both runs' patients" test "$(grep -c '"family":' "$T/wf2/out.cohort/cohort.genes.json")" -ge 2
finish
