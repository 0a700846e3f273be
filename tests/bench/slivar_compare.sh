#!/usr/bin/env bash
# GeneSieve's mode counts for HG002 of the GIAB Ashkenazi trio next to the
# figures slivar's rare-disease recipe gives on the same file (quoted from the
# project's issue; slivar is not packaged for Debian).  Usage:
#   tests/bench/slivar_compare.sh [VCF PED]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GS=${GENESIEVE:-$ROOT/build/genesieve}
VCF=${1:-$ROOT/testdata/ashk-trio.vcf.gz}
PED=${2:-$ROOT/testdata/ashk-trio.ped}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$GS" run -q -p "$ROOT/tests/bench/slivar-equivalent.yml" --ped "$PED" --audit "$T/audit.tsv" -o "$T/out" "$VCF"
# count MODE [sure]: audit lines whose HG002 modes include MODE (only without '?' when sure)
count() {
    awk -F'\t' -v m="$1" -v sure="${2:-}" '{ i = index($7, "HG002="); if (!i) next;
        s = substr($7, i + 6); sub(/ .*/, "", s); n = split(s, a, ",");
        for (k = 1; k <= n; k++) if (a[k] == m || (!sure && a[k] == m "?")) { c++; break } }
        END { print c + 0 }' "$T/audit.tsv"
}
printf '%-28s %8s %14s %14s\n' "HG002, no frequency data" slivar "GeneSieve all" "GeneSieve sure"
printf '%-28s %8s %14s %14s\n' "de novo" 3 "$(count de_novo)" "$(count de_novo sure)"
printf '%-28s %8s %14s %14s\n' "recessive (hom)" 307 "$(count ar_hom)" "$(count ar_hom sure)"
printf '%-28s %8s %14s %14s\n' "x-linked recessive" - "$(count x_recessive)" "$(count x_recessive sure)"
printf '%-28s %8s %14s %14s\n' "compound-het side" 1934 "$(count comp_het_side)" "$(count comp_het_side sure)"
# pairs need genes: the same run with a consequence stage; slivar's
# compound-het step pairs "impactful" variants (HIGH and MODERATE, splice region)
cat >"$T/genes.yml" <<YML
$(cat "$ROOT/tests/bench/slivar-equivalent.yml")
  - stage: consequence
    impacts: [HIGH, MODERATE]
    keep_terms: [splice_region_variant]
YML
"$GS" run -q -p "$T/genes.yml" --ped "$PED" -o "$T/genes" "$VCF"
inpairs() { # variants in a pair (all, or only proven/likely pairs)
    awk -F'\t' -v sure="${1:-}" 'NR == 1 {for (i = 1; i <= NF; i++) h[$i] = i; next}
        {n = split($h["variants"], v, ","); split($h["variant_modes"], m, ",");
        for (i = 1; i <= n; i++) if (m[i] ~ /comp_het/ && (!sure || m[i] !~ /comp_het\?/)) print v[i]}' \
        "$T/genes/HG002.genes.tsv" | sort -u | wc -l
}
genes=$(awk -F'\t' 'NR == 1 {for (i = 1; i <= NF; i++) h[$i] = i; next} $h["comp_het_pair"] != "."' "$T/genes/HG002.genes.tsv" | wc -l)
sure_genes=$(awk -F'\t' 'NR == 1 {for (i = 1; i <= NF; i++) h[$i] = i; next} $h["comp_het_phase"] == "proven" || $h["comp_het_phase"] == "likely"' "$T/genes/HG002.genes.tsv" | wc -l)
printf '%-28s %8s %14s %14s\n' "variants in comp-het pairs" 166 "$(inpairs)" "$(inpairs sure)"
printf '%-28s %8s %14s %14s\n' "genes with a comp-het pair" "288 pairs" "$genes" "$sure_genes"
printf '%s\n' "(\"sure\": fits without a missing or failed relative's call; the rest fit \"possibly\")"
