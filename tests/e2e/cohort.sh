#!/usr/bin/env bash
# One pass over a multi-family VCF gives each patient exactly what a run on
# that family alone gives.  The second family is the GIAB trio with its roles
# permuted (HG004's calls as the affected child, HG002's and HG003's as parents)
# and renamed, merged with the original trio by bcftools.
source "$(dirname "$0")/lib.sh"
A=$TESTDATA/ashk-trio.vcf.gz
printf 'HG004 K2\nHG002 D2\nHG003 M2\n' >"$T/names.txt"
bcftools view -s HG004,HG002,HG003 "$A" | bcftools reheader -s "$T/names.txt" | bcftools view -Oz -o "$T/fam2.vcf.gz"
bcftools index "$T/fam2.vcf.gz"
printf 'fam2\tK2\tD2\tM2\t2\t2\nfam2\tD2\t0\t0\t1\t1\nfam2\tM2\t0\t0\t2\t1\n' >"$T/fam2.ped"
cat "$TESTDATA/ashk-trio.ped" "$T/fam2.ped" >"$T/cohort.ped"
bcftools merge -Oz -o "$T/cohort.vcf.gz" "$A" "$T/fam2.vcf.gz"

gs run -q --ped "$TESTDATA/ashk-trio.ped" -o "$T/alone1" "$A"
gs run -q --ped "$T/fam2.ped" -o "$T/alone2" "$T/fam2.vcf.gz"
gs run -q --threads 2 --ped "$T/cohort.ped" -o "$T/cohort" "$T/cohort.vcf.gz"
check "cohort run: HG002 as when alone" cmp "$T/cohort/HG002.genes.tsv" "$T/alone1/HG002.genes.tsv"
check "cohort run: K2 as when alone" cmp "$T/cohort/K2.genes.tsv" "$T/alone2/K2.genes.tsv"
check "the two patients' lists differ (the test is not trivial)" bash -c "! cmp -s '$T/cohort/HG002.genes.tsv' '$T/cohort/K2.genes.tsv'"
check "only affected samples get lists" test "$(ls "$T/cohort"/*.genes.tsv | wc -l)" -eq 2
finish
