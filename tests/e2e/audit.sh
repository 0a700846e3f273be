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
# quality's FILTER reasons are checked against the records themselves (bcftools)
awk -F'\t' '$6=="quality" && $7 ~ /^FILTER / {split($7, w, " "); print $1 "\t" $2 "\t" w[2]}' "$T/a1.tsv" | sort -u >"$T/filt.tsv"
check "some alleles removed by quality for their FILTER" test -s "$T/filt.tsv"
bad=0
while IFS=$'\t' read -r c p f; do
    [ "$(bcftools query -r "$c:$p" -i "POS=$p" -f '%FILTER\n' "$TESTDATA/ashk-trio.vcf.gz" | sort -u)" = "$f" ] || bad=1
done <"$T/filt.tsv"
check "each FILTER reason is the record's FILTER" test "$bad" -eq 0

# The consequence stage, first in the default pipeline, drops most records
# before they are parsed (not with --audit: then every record is parsed, so the
# reasons are the stage's own).  With a stage ahead of it that removes nothing,
# every record is parsed in full: the ranked genes and every stage's count must
# be the same, and the audit must be the same as the default pipeline's.
{ printf 'version: 1\nstages:\n  - stage: frequency\n    id: nothing\n    max_af: 1\n    max_nhomalt: -1\n'
  sed -n '/^stages:/,$p' "$SRCDIR/pipelines/default.yml" | tail -n +2; } >"$T/parsed.yml"
counts() { python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))["run"]
print(d["records"], d["alt_alleles"], d["alleles_kept"], *sorted((f["stage"], f["alleles_removed"]) for f in d["filters"] if f["stage"] != "nothing"))' "$1"; }
for input in "$TESTDATA/ashk-trio.vcf.gz" "$T/in.bcf"; do
    [ "$input" = "$T/in.bcf" ] && bcftools view -Ob -o "$T/in.bcf" "$TESTDATA/ashk-trio.vcf.gz"
    name=$(basename "$input")
    gs run -q --force --threads 2 --ped "$TESTDATA/ashk-trio.ped" -o "$T/f0" "$input"
    gs run -q --force --threads 2 --ped "$TESTDATA/ashk-trio.ped" --audit "$T/f1.tsv" -o "$T/f1" "$input"
    gs run -q --force --threads 2 --ped "$TESTDATA/ashk-trio.ped" -p "$T/parsed.yml" --audit "$T/f2.tsv" -o "$T/f2" "$input"
    check "$name: check before parsing, same ranked genes" cmp "$T/f0/HG002.genes.tsv" "$T/f2/HG002.genes.tsv"
    check "$name: counts read from the JSON" test -n "$(counts "$T/f0/HG002.genes.json")"
    check "$name: check before parsing, same counts per stage" test "$(counts "$T/f0/HG002.genes.json")" = "$(counts "$T/f2/HG002.genes.json")"
    check "$name: with --audit, the same ranked genes" cmp "$T/f0/HG002.genes.tsv" "$T/f1/HG002.genes.tsv"
    check "$name: audits of both pipelines are the same" cmp "$T/f1.tsv" "$T/f2.tsv"
    n1=$(grep -c $'\tconsequence\t' "$T/f1.tsv" || true)
    check "$name: the consequence stage removed alleles ($n1)" test "$n1" -gt 1000
done
finish
