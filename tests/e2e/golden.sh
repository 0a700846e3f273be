#!/usr/bin/env bash
# Golden outputs on two real trios, and the genes in them are the ones the
# VCF's own annotations name (checked with bcftools, independently).
source "$(dirname "$0")/lib.sh"

gs run -q --ped "$TESTDATA/ashk-trio.ped" -o "$T/ashk" "$TESTDATA/ashk-trio.vcf.gz"
check "ashk-trio HG002 ranked list matches golden" cmp "$T/ashk/HG002.genes.tsv" "$GOLDEN/ashk.HG002.genes.tsv"
check "only the affected sample gets a list" test "$(cd "$T/ashk" && ls *.genes.tsv | tr '\n' ' ')" = "HG002.genes.tsv "
check "outputs: TSV, JSON, HTML per patient and candidates.vcf.gz (+.tbi)" test "$(ls "$T/ashk" | tr '\n' ' ')" = "HG002.genes.json HG002.genes.tsv HG002.report.html candidates.vcf.gz candidates.vcf.gz.tbi "

gs run -q --ped "$TESTDATA/643594.ped" -o "$T/scout" "$TESTDATA/643594.clinical.vcf.gz" 2>"$T/scout.err"
check "scout 643594 ADM1059A2 ranked list matches golden" cmp "$T/scout/ADM1059A2.genes.tsv" "$GOLDEN/scout.ADM1059A2.genes.tsv"

# every (gene, variant) pair must be named by the record's annotation
genes_named() { # ranked list, INFO tag, VCF: is "|gene|" in the tag of each listed variant?
    bcftools query -f "%CHROM:%POS:%REF\t%INFO/$2\n" "$3" >"$T/ann.txt"
    awk -F'\t' 'NR == FNR { ann[$1] = ann[$1] "," $2; next }
        FNR == 1 { for (i = 1; i <= NF; i++) if ($i == "variants") vc = i; next }
        { n = split($vc, v, ",");
            for (i = 1; i <= n; i++) { split(v[i], f, ":"); k = f[1] ":" f[2] ":" f[3];
                if (index(ann[k], "|" $2 "|") == 0) { print "  " $2 " not named at " v[i] > "/dev/stderr"; bad = 1 } } }
        END { exit bad }' "$T/ann.txt" "$1"
}
check "ashk genes are named by BCSQ" genes_named "$T/ashk/HG002.genes.tsv" BCSQ "$TESTDATA/ashk-trio.vcf.gz"
check "scout genes are named by CSQ" genes_named "$T/scout/ADM1059A2.genes.tsv" CSQ "$TESTDATA/643594.clinical.vcf.gz"

# SnpEff ANN alone names the same genes on this file
gs run -q --ped "$TESTDATA/643594.ped" -s consequence.sources=ANN -o "$T/ann" "$TESTDATA/643594.clinical.vcf.gz" 2>/dev/null
check "ANN-only run names genes from ANN" genes_named "$T/ann/ADM1059A2.genes.tsv" ANN "$TESTDATA/643594.clinical.vcf.gz"

# unannotated input: genes from a BED by overlap, consequence "unknown"
bcftools annotate -x INFO/BCSQ "$TESTDATA/ashk-trio.vcf.gz" -Oz -o "$T/plain.vcf.gz"
gs run -q --ped "$TESTDATA/ashk-trio.ped" --genes "$TESTDATA/genes.hg19.chr1-2.bed" -o "$T/bed" "$T/plain.vcf.gz"
in_bed() {
    local bad=0
    while IFS=$'\t' read -r gene vars cons; do
        [ "$cons" = unknown ] || { echo "  $gene: consequence $cons" >&2; bad=1; }
        IFS=: read -r c p _ <<<"${vars%%,*}"
        awk -v c="$c" -v p="$p" -v g="$gene" '$1==c && $2<p && p<=$3 && $4==g {f=1} END {exit !f}' \
            "$TESTDATA/genes.hg19.chr1-2.bed" || { echo "  $gene does not span $c:$p" >&2; bad=1; }
    done < <(cols "gene variants consequence" "$T/bed/HG002.genes.tsv")
    return $bad
}
check "BED-assigned genes overlap their variants" in_bed
check "BED run found genes" test "$(wc -l <"$T/bed/HG002.genes.tsv")" -gt 100

# no PED: every sample is an affected singleton
gs run -q -o "$T/nopeds" "$TESTDATA/ashk-trio.vcf.gz"
check "without a PED every sample gets a list" test "$(ls "$T/nopeds"/*.genes.tsv | wc -l)" -eq 3
finish
