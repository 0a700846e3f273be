#!/usr/bin/env bash
# Same input, same bytes: any --threads, VCF.gz or BCF.
source "$(dirname "$0")/lib.sh"
for f in ashk-trio:ashk-trio.vcf.gz 643594:643594.clinical.vcf.gz; do
    ped=${f%%:*}; vcf=${f#*:}
    for t in 1 2 3; do
        gs run -q --threads $t --ped "$TESTDATA/$ped.ped" --audit "$T/audit.$ped.$t.tsv" -o "$T/$ped.$t" "$TESTDATA/$vcf" 2>/dev/null
    done
    check "$ped: --threads 1 and 3 give identical ranked lists" diff -r "$T/$ped.1" "$T/$ped.3"
    check "$ped: --threads 1 and 2 give identical ranked lists" diff -r "$T/$ped.1" "$T/$ped.2"
    check "$ped: --threads 1 and 3 give identical audits" cmp "$T/audit.$ped.1.tsv" "$T/audit.$ped.3.tsv"
done
bcftools view -Ob -o "$T/ashk.bcf" "$TESTDATA/ashk-trio.vcf.gz"
gs run -q --threads 3 --ped "$TESTDATA/ashk-trio.ped" -o "$T/bcf" "$T/ashk.bcf"
check "BCF input gives the same list as VCF.gz" cmp "$T/bcf/HG002.genes.tsv" "$T/ashk-trio.1/HG002.genes.tsv"
bcftools view -Ov -o "$T/ashk.vcf" "$TESTDATA/ashk-trio.vcf.gz"
gs run -q --threads 2 --ped "$TESTDATA/ashk-trio.ped" -o "$T/vcf" "$T/ashk.vcf"
check "plain VCF input gives the same list" cmp "$T/vcf/HG002.genes.tsv" "$T/ashk-trio.1/HG002.genes.tsv"
finish
