#!/usr/bin/env bash
# Build the libFuzzer harnesses with clang and run each for SECONDS (default
# 30) on seed corpora from testdata/ (plus ../shared/data's malformed files
# when present).  Prints executions and crashes per harness; exits 1 on a crash
# (the input is kept in build-fuzz/crashes/ to become a regression test).
# Usage: tests/fuzz/run.sh [SECONDS]      time-bounded, random seed
#        tests/fuzz/run.sh --runs N        N inputs per harness (N/10 for whole runs), seed 1:
#                                          the same inputs every time (what CI runs)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
S=30
RUNS=
if [ "${1:-}" = --runs ]; then RUNS=${2:?}; else S=${1:-30}; fi
B=$ROOT/build-fuzz
D=$ROOT/../shared/data
cmake -S "$ROOT" -B "$B" -DCMAKE_C_COMPILER=clang -DGS_FUZZ=ON -DGS_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$B" -j"$(nproc)" >/dev/null
seeds() { # harness -> seed directory
    local h=$1 dir=$B/seeds/$1
    rm -rf "$dir" && mkdir -p "$dir"
    case $h in
    ped) cp "$ROOT"/testdata/*.ped "$ROOT"/testdata/gemini/*.ped "$dir"/ 2>/dev/null || true
         [ -d "$D/peddy" ] && find "$D/peddy" -name '*.ped' -exec cp {} "$dir"/ \; || true ;;
    pipeline) cp "$ROOT"/pipelines/*.yml "$dir"/ ;;
    annot) for tag in CSQ ANN; do bcftools query -f "%INFO/$tag\n" "$ROOT/testdata/643594.clinical.vcf.gz" 2>/dev/null | head -20; done |
               split -l 1 - "$dir/a."
           bcftools query -f '%INFO/BCSQ\n' "$ROOT/testdata/ashk-trio.vcf.gz" | grep -v '^\.$' | head -20 | split -l 1 - "$dir/b." ;;
    panel) cp "$ROOT"/testdata/panels/* "$dir"/; head -50 "$ROOT/testdata/genes.hg19.chr1-2.bed" >"$dir/genes.bed" ;;
    vcf) cp "$ROOT"/testdata/comphet.csq.vcf "$ROOT"/testdata/bcftools/*.vcf "$ROOT"/testdata/gemini/*.vcf "$ROOT"/testdata/bad-filter-id.bcf "$dir"/
         zcat "$ROOT/testdata/ashk-trio.vcf.gz" | head -300 >"$dir/ashk-head.vcf"
         bgzip -c "$dir/ashk-head.vcf" >"$dir/ashk-head.vcf.gz"   # the chunked BGZF reader
         bcftools view -Ob -l 0 -o "$dir/ashk-head.stored.bcf" "$dir/ashk-head.vcf" 2>/dev/null || true   # BCF chunks
         # raw (unblocked) BCF, so that mutations reach the record decoder
         for v in "$dir/ashk-head.vcf" "$ROOT/testdata/comphet.csq.vcf"; do
             bcftools view -Ob "$v" 2>/dev/null | bgzip -dc >"$dir/$(basename "$v" .vcf).raw.bcf" || true
         done
         for x in debian-htslib-test debian-python-pysam-tests; do
             [ -d "$D/$x" ] && find "$D/$x" -type f \( -name '*.vcf' -o -name '*.bcf' \) -size -200k -exec cp {} "$dir"/ \; || true
         done ;;
    hpo) # first byte: 0 ontology, 1 phenotype.hpoa, 2 genes_to_phenotype, 3 phenopacket, 4 table
         { printf '\000'; zcat "$ROOT/testdata/hpo/hp.json.gz" | head -c 3000; } >"$dir/json"
         [ -f "$D/hpo/hp.2023-01-27.minimal.derived.obo" ] && { printf '\000'; head -200 "$D/hpo/hp.2023-01-27.minimal.derived.obo"; } >"$dir/obo"
         { printf '\001'; zcat "$ROOT/testdata/hpo/phenotype.hpoa.gz" | head -40; } >"$dir/hpoa"
         { printf '\002'; zcat "$ROOT/testdata/hpo/genes_to_phenotype.txt.gz" | head -40; } >"$dir/g2p"
         for f in "$ROOT"/testdata/phenopackets/*.json "$ROOT"/testdata/hg002.phenopacket.json; do
             { printf '\003'; cat "$f"; } >"$dir/pp.$(basename "$f")"; done
         printf '\004P1\tHP:0000003,HP:0000014\tHP:0000004\nP2\tHP:0000008\n' >"$dir/table" ;;
    esac
    echo "$dir"
}
mkdir -p "$B/crashes"
printf '%-10s %12s %8s %s\n' harness executions crashes "seed files"
status=0
for h in ped pipeline annot panel vcf hpo; do
    sd=$(seeds $h)
    corpus=$B/corpus/$h
    mkdir -p "$corpus"
    rc=0
    if [ -n "$RUNS" ]; then
        rm -rf "$corpus" && mkdir -p "$corpus"
        n=$RUNS
        [ $h = vcf ] || [ $h = hpo ] && n=$((RUNS / 10))
        limit=(-runs="$n" -seed=1)
    else
        limit=(-max_total_time="$S")
    fi
    "$B/tests/fuzz/fuzz_$h" "${limit[@]}" -timeout=20 -rss_limit_mb=3000 -print_final_stats=1 \
        -artifact_prefix="$B/crashes/$h-" "$corpus" "$sd" >"$B/$h.log" 2>&1 || rc=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$B/$h.log" | grep -o '[0-9]*$' || echo 0)
    crashes=$( [ $rc -eq 0 ] && echo 0 || echo 1)
    printf '%-10s %12s %8s %s\n' "$h" "${execs:-0}" "$crashes" "$(ls "$sd" | wc -l)"
    if [ $rc -ne 0 ]; then
        status=1
        grep -E 'ERROR|SUMMARY|Test unit written|runtime error' "$B/$h.log" | head -5 >&2 || true
    fi
done
exit $status
