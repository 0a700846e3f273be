#!/usr/bin/env bash
# Shipped pipelines validate; `stages` documents every built-in stage; the
# default pipeline compiled in equals pipelines/default.yml.
source "$(dirname "$0")/lib.sh"
for p in "$SRCDIR"/pipelines/*.yml; do
    check "validate $(basename "$p")" gs validate -p "$p"
done
gs stages >"$T/stages.txt"
for s in quality frequency consequence region expr; do
    check "stages lists $s" grep -q "^$s\$" "$T/stages.txt"
done
check "stages shows types and defaults" grep -Eq '^  min_gq +int +default: 20  range: \[0, 1e\+06\]' "$T/stages.txt"
gs run -q --ped "$TESTDATA/ashk-trio.ped" -o "$T/builtin" "$TESTDATA/ashk-trio.vcf.gz"
gs run -q -p "$SRCDIR/pipelines/default.yml" --ped "$TESTDATA/ashk-trio.ped" -o "$T/file" "$TESTDATA/ashk-trio.vcf.gz"
check "built-in default = pipelines/default.yml" cmp "$T/builtin/HG002.genes.tsv" "$T/file/HG002.genes.tsv"
gs run -q -s quality.min_gq=60 --ped "$TESTDATA/ashk-trio.ped" -o "$T/strict" "$TESTDATA/ashk-trio.vcf.gz"
check "--set changes the result" bash -c "! cmp -s '$T/strict/HG002.genes.tsv' '$T/builtin/HG002.genes.tsv'"
# no listed variant has an HG002 call below GQ 60 (bcftools reads the GQ)
bcftools query -s HG002 -i 'FMT/GQ<60' -f '%CHROM:%POS:%REF:%ALT\n' "$TESTDATA/ashk-trio.vcf.gz" | sort -u >"$T/lowgq.txt"
lowgq=$(col variants "$T/strict/HG002.genes.tsv" | tr ',' '\n' | sort -u | comm -12 - "$T/lowgq.txt" | wc -l)
check "--set quality.min_gq=60 keeps no HG002 call below GQ 60" test "$lowgq" -eq 0
# output.max_genes caps the rows
printf 'stages:\n  - stage: quality\n  - stage: consequence\noutput:\n  max_genes: 5\n' >"$T/top5.yml"
gs run -q -p "$T/top5.yml" --ped "$TESTDATA/ashk-trio.ped" -o "$T/top5" "$TESTDATA/ashk-trio.vcf.gz"
check "max_genes: 5 writes 5 rows" test "$(tail -n +2 "$T/top5/HG002.genes.tsv" | wc -l)" -eq 5
# an expression stage keeps only what it says
printf 'stages:\n  - stage: quality\n  - stage: expr\n    include: "QUAL >= 1000 && INFO/DP > 50"\n  - stage: consequence\n' >"$T/expr.yml"
gs run -q -p "$T/expr.yml" --ped "$TESTDATA/ashk-trio.ped" --audit "$T/expr.audit" -o "$T/expr" "$TESTDATA/ashk-trio.vcf.gz"
bcftools query -i 'QUAL<1000 || INFO/DP<=50' -f '%CHROM\t%POS\n' "$TESTDATA/ashk-trio.vcf.gz" | sort -u >"$T/low.txt"
low=$(awk -F'\t' '$5=="kept" {print $1"\t"$2}' "$T/expr.audit" | sort -u | comm -12 - "$T/low.txt" | wc -l)
check "expr keeps only QUAL >= 1000 && DP > 50 (checked by bcftools)" test "$low" -eq 0
check "expr kept something" test "$(awk -F'\t' '$5=="kept"' "$T/expr.audit" | wc -l)" -gt 10
finish
