#!/usr/bin/env bash
# Inheritance modes on GEMINI's fixtures, against expectations derived by hand
# from the genotypes (see the comments in golden/gemini.expected).
source "$(dirname "$0")/lib.sh"
G=$TESTDATA/gemini
cat >"$T/p.yml" <<'YML'
stages:
  - stage: consequence
    impacts: [HIGH, MODERATE, LOW, MODIFIER, UNKNOWN]
  - stage: inheritance
    max_parent_alt_reads: 1000000
YML
printf '1\t16000\t18000\tGENEA\n' >"$T/genea.bed"  # test.comp_het.vcf has no annotation
for t in auto_rec auto_dom de_novo comp_het x-linked; do
    extra=()
    [ "$t" = comp_het ] && extra=(-g "$T/genea.bed")
    gs run -q -p "$T/p.yml" "${extra[@]}" --ped "$G/test.$t.ped" -o "$T/$t" "$G/test.$t.vcf"
    for f in "$T/$t"/*.genes.tsv; do
        s=$(basename "$f" .genes.tsv)
        cols "gene mode variants variant_modes comp_het_pair comp_het_phase" "$f" | awk -v t="$t" -v s="$s" '{print t"\t"s"\t"$0}'
    done
done >"$T/got.tsv"
grep -v '^#' "$GOLDEN/gemini.expected" | sort >"$T/want.tsv"
sort -o "$T/got.tsv" "$T/got.tsv"
check "GEMINI fixtures: modes per patient as expected (order aside: ranking is tested elsewhere)" diff "$T/want.tsv" "$T/got.tsv"
# the default max_parent_alt_reads (1) sees the ALT reads the fixture copies into hom-ref parents
sed '/max_parent_alt_reads/d' "$T/p.yml" >"$T/strict.yml"
gs run -q -p "$T/strict.yml" --ped "$G/test.de_novo.ped" -o "$T/dn" "$G/test.de_novo.vcf"
n=$(for f in "$T"/dn/*.genes.tsv; do col variant_modes "$f"; done | grep -c de_novo || true)
check "parental ALT reads (default cap 1) veto every de novo call of this fixture" test "$n" -eq 0
finish
