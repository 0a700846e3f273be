#!/usr/bin/env bash
# -r/-R restrict to regions (indexed input: index jumps; unindexed: streaming
# filter); both give what a run on `bcftools view -r` output gives.
source "$(dirname "$0")/lib.sh"
A=$TESTDATA/ashk-trio.vcf.gz
P=$TESTDATA/ashk-trio.ped
R="1:1000000-20000000,2:50000000-60000000,1:15000000-30000000"
bcftools view -r "$R" -Oz -o "$T/sub.vcf.gz" "$A"
gs run -q --ped "$P" -o "$T/ref" --audit "$T/ref.audit" "$T/sub.vcf.gz"
gs run -q --ped "$P" -r "$R" -o "$T/idx" --audit "$T/idx.audit" "$A"
check "-r on an indexed file = run on bcftools view -r" cmp "$T/idx/HG002.genes.tsv" "$T/ref/HG002.genes.tsv"
check "overlapping regions read no record twice" cmp "$T/idx.audit" "$T/ref.audit"
zcat "$A" >"$T/plain.vcf"
gs run -q --ped "$P" -r "$R" -o "$T/stream" "$T/plain.vcf"
check "-r on an unindexed file streams and filters to the same result" cmp "$T/stream/HG002.genes.tsv" "$T/ref/HG002.genes.tsv"
printf '1\t999999\t20000000\n2\t49999999\t60000000\n1\t14999999\t30000000\n' >"$T/regions.bed"
gs run -q --ped "$P" -R "$T/regions.bed" --threads 2 -o "$T/bed" "$A"
check "-R BED (0-based) gives the same result" cmp "$T/bed/HG002.genes.tsv" "$T/ref/HG002.genes.tsv"
printf '1\t1000000\t20000000\n2\t50000000\t60000000\n1\t15000000\t30000000\n' >"$T/regions.txt"
gs run -q --ped "$P" -R "$T/regions.txt" -o "$T/tab" "$A"
check "-R tab file (1-based) gives the same result" cmp "$T/tab/HG002.genes.tsv" "$T/ref/HG002.genes.tsv"
bcftools view -Ob -o "$T/a.bcf" "$A" && bcftools index "$T/a.bcf"
gs run -q --ped "$P" -r "$R" -o "$T/bcf" "$T/a.bcf"
check "-r on indexed BCF gives the same result" cmp "$T/bcf/HG002.genes.tsv" "$T/ref/HG002.genes.tsv"
finish
