#!/usr/bin/env bash
# De novo calls against the truth labels of bcftools' +trio-dnm fixture
# (INFO/TP true de novo, FP false, UN uncertain).
source "$(dirname "$0")/lib.sh"
V=$TESTDATA/bcftools/trio-dnm.1.vcf
printf 'f proband father mother 1 2\nf father 0 0 1 1\nf mother 0 0 2 1\n' >"$T/trio.ped"
printf '1\t0\t100\tG1\n2\t0\t100\tG2\n3\t0\t100\tG3\n' >"$T/genes.bed"
cat >"$T/dn.yml" <<'YML'
stages:
  - stage: consequence
  - stage: inheritance
    modes: [de_novo]
YML
gs run -q -p "$T/dn.yml" -g "$T/genes.bed" --ped "$T/trio.ped" --audit "$T/audit.tsv" -o "$T/out" "$V"
# de novo alleles GeneSieve keeps, against the labelled sites
awk -F'\t' '$5 == "kept" && $7 ~ /proband=de_novo/ {print $1":"$2}' "$T/audit.tsv" | sort -u >"$T/called.txt"
bcftools query -i 'INFO/TP=1' -f '%CHROM:%POS\n' "$V" | sort -u >"$T/tp.txt"
bcftools query -i 'INFO/FP=1' -f '%CHROM:%POS\n' "$V" | sort -u >"$T/fp.txt"
bcftools query -i 'INFO/UN=1' -f '%CHROM:%POS\n' "$V" | sort -u >"$T/un.txt"
check "every true de novo (TP) is called" test "$(comm -23 "$T/tp.txt" "$T/called.txt" | wc -l)" -eq 0
check "no false positive (FP) is called" test "$(comm -12 "$T/fp.txt" "$T/called.txt" | wc -l)" -eq 0
# the uncertain sites have hom-ref parents at low depth: called, as genotypes alone allow
check "uncertain (UN) sites are called" test "$(comm -23 "$T/un.txt" "$T/called.txt" | wc -l)" -eq 0
# 1:1 is 0/2: the de novo allele is the second ALT (T), not A
check "multi-allelic 0/2: the ALT the proband carries is the de novo one" grep -q $'^1\t1\tG\tT\tkept' "$T/audit.tsv"
# with slivar's quality thresholds, de novos with an allele balance below 0.2
# (mosaic-like: 1:2-1:8, AB 0.11-0.18) are filtered; +trio-dnm's model keeps them
printf 'stages:\n  - stage: quality\n  - stage: consequence\n  - stage: inheritance\n    modes: [de_novo]\n' >"$T/q.yml"
gs run -q -p "$T/q.yml" -g "$T/genes.bed" --ped "$T/trio.ped" --audit "$T/q.tsv" -o "$T/q" "$V"
check "quality keeps the balanced TP (1:1, AB 0.30)" grep -q $'^1\t1\tG\tT\tkept' "$T/q.tsv"
check "quality filters the low-AB TP 1:8 (AB 0.11) with its reason" grep -q $'^1\t8\tA\tG\tremoved\tquality\tno affected carrier passes: proband het allele balance 0.11' "$T/q.tsv"
finish
