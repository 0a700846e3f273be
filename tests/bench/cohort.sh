#!/usr/bin/env bash
# Cohort scaling: K copies of the GIAB trio with renamed samples, merged into
# one VCF (3K samples), ranked in one pass; prints time per family against one
# trio.  Usage: tests/bench/cohort.sh [K ...]   (default: 1 10 100)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GS=${GENESIEVE:-$ROOT/build/genesieve}
A=$ROOT/testdata/ashk-trio.vcf.gz
W=$ROOT/build/bench/cohort
mkdir -p "$W"
sizes=("${@:-1 10 100}")
[ $# -eq 0 ] && sizes=(1 10 100)
printf '%8s %8s %10s %10s %12s %10s\n' families samples "wall (s)" "RSS (MB)" "s / family" "x 1 trio"
base=
for k in "${sizes[@]}"; do
    vcf=$W/cohort_$k.vcf.gz ped=$W/cohort_$k.ped
    if [ ! -f "$vcf.csi" ]; then
        : >"$ped"
        files=()
        for ((i = 1; i <= k; i++)); do
            printf 'HG002 K%d\nHG003 D%d\nHG004 M%d\n' $i $i $i >"$W/names.txt"
            bcftools reheader -s "$W/names.txt" -o "$W/t$i.vcf.gz" "$A"
            bcftools index -f "$W/t$i.vcf.gz"
            printf 'f%d\tK%d\tD%d\tM%d\t1\t2\nf%d\tD%d\t0\t0\t1\t1\nf%d\tM%d\t0\t0\t2\t1\n' $i $i $i $i $i $i $i $i >>"$ped"
            files+=("$W/t$i.vcf.gz")
        done
        if [ "$k" -eq 1 ]; then cp "${files[0]}" "$vcf"; else bcftools merge --threads 2 -Oz -o "$vcf" "${files[@]}"; fi
        bcftools index -f "$vcf"
        rm -f "$W"/t*.vcf.gz "$W"/t*.vcf.gz.csi
    fi
    rm -rf "$W/out_$k"
    /usr/bin/time -f "%e %M" -o "$W/time" "$GS" run -q --threads 2 --ped "$ped" -o "$W/out_$k" "$vcf"
    read -r wall rss <"$W/time"
    per=$(awk -v w="$wall" -v k="$k" 'BEGIN {printf "%.3f", w / k}')
    [ -z "$base" ] && base=$per
    printf '%8d %8d %10s %10.0f %12s %10s\n' "$k" $((3 * k)) "$wall" "$(awk -v r="$rss" 'BEGIN {print r / 1024}')" "$per" \
        "$(awk -v p="$per" -v b="$base" 'BEGIN {printf "%.2f", p / b}')"
done
