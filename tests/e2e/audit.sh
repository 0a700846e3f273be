#!/usr/bin/env bash
# The audit accounts for every ALT allele: kept + removed = input alleles.
source "$(dirname "$0")/lib.sh"
for t in 1 3; do
    gs run -q --threads $t --ped "$TESTDATA/ashk-trio.ped" --audit "$T/a$t.tsv" -o "$T/o$t" "$TESTDATA/ashk-trio.vcf.gz"
    n_alleles=$(bcftools query -f '%ALT\n' "$TESTDATA/ashk-trio.vcf.gz" | awk -F, '{n+=NF} END {print n}')
    kept=$(awk -F'\t' '$5=="kept"' "$T/a$t.tsv" | wc -l)
    removed=$(awk -F'\t' '$5=="removed"' "$T/a$t.tsv" | wc -l)
    check "threads $t: kept ($kept) + removed ($removed) = input alleles ($n_alleles)" test $((kept + removed)) -eq "$n_alleles"
    check "threads $t: something was kept and something removed" test "$kept" -gt 0 -a "$removed" -gt 0
    # every variant in the ranked list is a kept allele of the audit
    missing=$(col variants "$T/o$t/HG002.genes.tsv" | tr ',' '\n' | sort -u |
        comm -23 - <(awk -F'\t' '$5=="kept" {print $1":"$2":"$3":"$4}' "$T/a$t.tsv" | sort -u) | wc -l)
    check "threads $t: ranked variants are all kept in the audit" test "$missing" -eq 0
    # each removal names a stage of the pipeline and a reason
    bad=$(awk -F'\t' 'NR>1 && $5=="removed" && ($6!~/^(quality|frequency|consequence|inheritance|core)$/ || $7=="")' "$T/a$t.tsv" | wc -l)
    check "threads $t: every removal names a stage and a reason" test "$bad" -eq 0
done
# a quality reason is checked against the record itself (bcftools)
line=$(awk -F'\t' '$2==65872' "$T/a1.tsv")
check "1:65872 removed by quality for its FILTER" grep -q "quality	FILTER VQSRTrancheSNP99.90to100.00 not accepted" <<<"$line"
finish
