#!/usr/bin/env bash
# `-` reads standard input (VCF.gz, plain VCF or BCF) with the same result.
source "$(dirname "$0")/lib.sh"
A=$TESTDATA/ashk-trio.vcf.gz
P=$TESTDATA/ashk-trio.ped
gs run -q --ped "$P" -o "$T/file" "$A"
gs run -q --ped "$P" -o "$T/gz" - <"$A"
check "vcf.gz on stdin" cmp "$T/gz/HG002.genes.tsv" "$T/file/HG002.genes.tsv"
zcat "$A" | gs run -q --threads 2 --ped "$P" -o "$T/plain" -
check "plain VCF on stdin" cmp "$T/plain/HG002.genes.tsv" "$T/file/HG002.genes.tsv"
bcftools view -Ob "$A" | gs run -q --ped "$P" -o "$T/bcf" -
check "BCF on stdin" cmp "$T/bcf/HG002.genes.tsv" "$T/file/HG002.genes.tsv"
gs run -q --ped "$P" --audit - -o "$T/aud" "$A" >"$T/audit.stdout"
check "--audit - writes the audit to stdout" test "$(grep -c $'\tkept\t' "$T/audit.stdout")" -gt 0
finish
