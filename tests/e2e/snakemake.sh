#!/usr/bin/env bash
# The Snakemake workflow (pipelines/snakemake) with Debian's snakemake:
# scatter by chromosome, gather with merge; the result equals one run.
source "$(dirname "$0")/lib.sh"
command -v snakemake >/dev/null || { fail "snakemake is not installed (apt-get install snakemake)"; finish; }
gs run -q --ped "$TESTDATA/643594.ped" -o "$T/single" "$TESTDATA/643594.clinical.vcf.gz" 2>/dev/null
snakemake -q -s "$SRCDIR/pipelines/snakemake/Snakefile" --cores 2 --directory "$T/wf" \
    --configfile "$SRCDIR/pipelines/snakemake/config.yaml" \
    --config vcf="$TESTDATA/643594.clinical.vcf.gz" ped="$TESTDATA/643594.ped" genesieve="$GENESIEVE" outdir=out \
    >"$T/snakemake.log" 2>&1 || { cat "$T/snakemake.log" >&2; fail "snakemake failed"; }
n=$(ls "$T/wf/out.partials"/*.json 2>/dev/null | wc -l)
check "one partial job per chromosome ($n)" test "$n" -eq "$(bcftools index -s "$TESTDATA/643594.clinical.vcf.gz" | wc -l)"
check "the workflow's outputs equal a single run's, byte for byte" diff -r -x .snakemake_timestamp "$T/single" "$T/wf/out"
finish
