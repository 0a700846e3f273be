#!/usr/bin/env bash
# Population frequencies joined from an indexed VCF while streaming; each
# value reported is the one bcftools reads from that file.
source "$(dirname "$0")/lib.sh"
Q=$TESTDATA/ceph-trio.query.vcf.gz
E=$TESTDATA/exac.slice.vcf.gz
# (this query VCF carries no consequence annotation: no consequence stage, so
# the frequency stage sees every record that passes quality)
printf 'version: 1\nstages:\n  - stage: quality\n    min_gq: 0\n  - stage: frequency\n' >"$T/freq.yml"
gs run -q --ped "$TESTDATA/ceph-trio.ped" -p "$T/freq.yml" -s frequency.population="$E" \
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
gs run -q --ped "$TESTDATA/ceph-trio.ped" -p "$T/freq.yml" -s frequency.population="$E" \
    -s frequency.max_af=0.0005 -s frequency.max_nhomalt=-1 --threads 3 --audit "$T/audit3.tsv" -o "$T/out3" "$Q" 2>/dev/null
check "population join is the same with 3 threads" cmp "$T/audit.tsv" "$T/audit3.tsv"

# alleles written with different padding meet: TTTT>T,TT (multi-allelic) holds TTT>T of the (normalised) population file
cat >"$T/pop.vcf" <<'VCF'
##fileformat=VCFv4.2
##contig=<ID=1,length=249250621>
##INFO=<ID=AF,Number=A,Type=Float,Description="AF">
#CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO
1	1000	.	TTT	T	.	PASS	AF=0.3
1	5000	.	C	G	.	PASS	AF=0.2
VCF
bgzip -c "$T/pop.vcf" >"$T/pop.vcf.gz" && tabix -p vcf "$T/pop.vcf.gz"
cat >"$T/q.vcf" <<'VCF'
##fileformat=VCFv4.2
##contig=<ID=1,length=249250621>
##FORMAT=<ID=GT,Number=1,Type=String,Description="GT">
#CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO	FORMAT	S1
1	1000	.	TTTT	T,TT	50	PASS	.	GT	1/2
1	5000	.	C	G	50	PASS	.	GT	0/1
VCF
printf '1\t900\t6000\tGENEX\n' >"$T/g.bed"
gs run -q -s frequency.population="$T/pop.vcf.gz" -s frequency.max_af=0.1 -g "$T/g.bed" --audit "$T/pad.tsv" -o "$T/pad" "$T/q.vcf"
check "padded multi-allelic allele matched after trimming" grep -q $'1\t1000\tTTTT\tTT\tremoved\tfrequency\tpopulation AF 0.3 ' "$T/pad.tsv"
check "the other allele of the record is not matched" grep -q $'1\t1000\tTTTT\tT\tkept' "$T/pad.tsv"
check "SNV matched" grep -q $'1\t5000\tC\tG\tremoved\tfrequency\tpopulation AF 0.2 ' "$T/pad.tsv"
finish
