#!/usr/bin/env bash
# Population frequencies joined from an indexed VCF while streaming; each
# value reported is the one bcftools reads from that file.
source "$(dirname "$0")/lib.sh"
Q=$TESTDATA/ceph-trio.query.vcf.gz
E=$TESTDATA/exac.slice.vcf.gz
gs run -q --ped "$TESTDATA/ceph-trio.ped" -s quality.min_gq=0 -s frequency.population="$E" \
    -s frequency.max_af=0.0005 -s frequency.max_nhomalt=-1 --audit "$T/audit.tsv" -o "$T/out" "$Q" 2>/dev/null
n=0; bad=0
while IFS=$'\t' read -r c p ref alt status stage why; do
    [ "$stage" = frequency ] || continue
    got=$(sed -E 's/^population AF ([^ ]+) \(population\).*/\1/' <<<"$why")
    want=$(bcftools query -r "$c:$p" -i "POS=$p && REF=\"$ref\" && ALT=\"$alt\"" -f '%AF\n' "$E")
    n=$((n + 1))
    awk -v a="$got" -v b="$want" 'BEGIN {exit !(a - b < 1e-6 && b - a < 1e-6)}' || { echo "  $c:$p got $got want $want" >&2; bad=1; }
done <"$T/audit.tsv"
check "frequency removals happened ($n)" test "$n" -ge 2
check "each AF equals the population file's AF" test "$bad" -eq 0
# the same sites absent from the population file count as frequency 0: kept by frequency
shared=$(bcftools isec -n=2 -c none "$Q" "$E" 2>/dev/null | wc -l)
byfreq=$(awk -F'\t' '$6=="frequency"' "$T/audit.tsv" | wc -l)
check "only sites present in the population file are removed by it" test "$byfreq" -le "$shared"
gs run -q --ped "$TESTDATA/ceph-trio.ped" -s quality.min_gq=0 -s frequency.population="$E" \
    -s frequency.max_af=0.0005 -s frequency.max_nhomalt=-1 --threads 3 --audit "$T/audit3.tsv" -o "$T/out3" "$Q" 2>/dev/null
check "population join is the same with 3 threads" cmp "$T/audit.tsv" "$T/audit3.tsv"
finish
