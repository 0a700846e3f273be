#!/usr/bin/env bash
# A stage plugin built from tests/plugin/example_plugin.c, loaded with dlopen.
source "$(dirname "$0")/lib.sh"
: "${PLUGIN:?}"
gs stages --plugin "$PLUGIN" >"$T/stages.txt"
check "stages lists the plugin's variant stage" grep -q '^max_indel$' "$T/stages.txt"
check "stages lists the plugin's gene stage and its parameter" grep -Eq '^  n +int +default: 2' "$T/stages.txt"
cat >"$T/p.yml" <<'YML'
version: 1
stages:
  - stage: quality
  - stage: max_indel
    max_len: 1
  - stage: consequence
  - stage: gene_min_variants
    n: 2
YML
check "validate accepts a pipeline using plugin stages" gs validate --plugin "$PLUGIN" -p "$T/p.yml"
rc=0; gs validate -p "$T/p.yml" 2>"$T/err" || rc=$?
check "without the plugin the stage is unknown" grep -q "unknown stage 'max_indel'" "$T/err"
gs run -q --plugin "$PLUGIN" -p "$T/p.yml" --ped "$TESTDATA/ashk-trio.ped" --audit "$T/audit.tsv" -o "$T/out" "$TESTDATA/ashk-trio.vcf.gz"
long=$(col variants "$T/out/HG002.genes.tsv" | tr ',' '\n' |
    awk -F: '{d=length($4)-length($3); if (d<0) d=-d; if (d>1) print}' | wc -l)
check "no indel longer than max_len survives" test "$long" -eq 0
check "the variant hook removed alleles" grep -q $'\tremoved\tmax_indel\tindel of ' "$T/audit.tsv"
few=$(col n_variants "$T/out/HG002.genes.tsv" | awk '$1 < 2' | wc -l)
check "every gene has at least n=2 variants" test "$few" -eq 0
check "the gene hook's removals are audited" grep -q $'\tremoved_from_gene\tgene_min_variants\t' "$T/audit.tsv"
check "genes remain" test "$(wc -l <"$T/out/HG002.genes.tsv")" -gt 10
finish
