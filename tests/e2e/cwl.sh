#!/usr/bin/env bash
# The CWL workflow (pipelines/cwl/scatter.cwl) with Debian's cwltool: scatter
# per chromosome, merge; the result equals one run.
source "$(dirname "$0")/lib.sh"
command -v cwltool >/dev/null || { fail "cwltool is not installed (apt-get install cwltool)"; finish; }
V=$TESTDATA/643594.clinical.vcf.gz
# phenotypes are applied at the merge step
printf 'ADM1059A2\tHP:0001250,HP:0001263\n' >"$T/terms.tsv"
gs run -q --ped "$TESTDATA/643594.ped" --hpo-data "$TESTDATA/hpo" --hpo-table "$T/terms.tsv" -o "$T/single" "$V" 2>/dev/null
{
    printf 'vcf: {class: File, path: %s}\nped: {class: File, path: %s}\n' "$V" "$TESTDATA/643594.ped"
    printf 'hpo_data: {class: Directory, path: %s}\nhpo_table: {class: File, path: %s}\nregions:\n' "$TESTDATA/hpo" "$T/terms.tsv"
    bcftools index -s "$V" | cut -f1 | sed 's/^/  - "/; s/$/"/'
} >"$T/job.yml"
mkdir -p "$T/bin" && ln -s "$GENESIEVE" "$T/bin/genesieve"
PATH=$T/bin:$PATH cwltool --quiet --no-container --preserve-environment SOURCE_DATE_EPOCH \
    --outdir "$T/cwl" "$SRCDIR/pipelines/cwl/scatter.cwl" "$T/job.yml" >"$T/cwl.json" 2>"$T/cwl.log" ||
    { tail -20 "$T/cwl.log" >&2; fail "cwltool failed"; }
check "CWL scatter/merge outputs equal a single run's, byte for byte" diff -r "$T/single" "$T/cwl/genesieve-out"
check "... with the phenotype applied" test "$(col phenotype "$T/cwl/genesieve-out/ADM1059A2.genes.tsv" | sort -u | grep -vc '^\.$')" -gt 0
for f in genesieve-run genesieve-merge scatter; do
    check "$f.cwl validates" cwltool --validate "$SRCDIR/pipelines/cwl/$f.cwl"
done
finish
