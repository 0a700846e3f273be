#!/usr/bin/env bash
# Throughput benchmark: genesieve vs. bcftools view vs. plain BGZF decompression.
#
# Usage: tests/bench/run.sh [N_RECORDS ...]      (default: 1500000)
#
# For each N, a synthetic GRCh37 trio genome is generated once and cached as
# build/bench/genome_N.vcf.gz (+ .tbi) and build/bench/genome_N.bcf (+ .csi)
# by tests/bench/make_genome.py from the GIAB Ashkenazi trio in
# ../shared/data/slivar/. Every command is then run REPS times, round-robin (one
# run of each command per round, so that load from other users of the machine
# falls on all of them alike); the table shows the median wall time, median
# CPU (user+sys) and the largest peak RSS. GENESIEVE_BASE=PATH adds rows for a
# second build (e.g. the one before a change), measured in the same rounds.
# Note: "bcftools --threads N" means N *extra* worker threads. The cache is keyed
# on N only: delete build/bench/genome_N.* after changing BENCH_SEED.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

DATA=../shared/data/slivar
BENCH=build/bench
GENESIEVE=${GENESIEVE:-build/genesieve}
GENESIEVE_BASE=${GENESIEVE_BASE:-}
SEED=${BENCH_SEED:-42}
REPS=${BENCH_REPS:-3}
TIME=/usr/bin/time

die() { echo "run.sh: $*" >&2; exit 1; }
for tool in python3 bgzip tabix bcftools; do
    command -v "$tool" >/dev/null || die "$tool not found in PATH"
done
[[ -x $TIME ]] || die "$TIME missing (apt-get install -y time)"
[[ -f $DATA/ashk-trio.vcf.gz && -f $DATA/ashk-trio.ped ]] || die "trio data not found in $DATA"

have_genesieve=1
if [[ ! -x $GENESIEVE ]]; then
    have_genesieve=0
    echo "run.sh: $GENESIEVE is missing (build it first); genesieve rows will be skipped" >&2
fi
gs_extra=()
if ((have_genesieve)) && "$GENESIEVE" run --help 2>&1 | grep -q -- '--force'; then
    gs_extra=(--force)
fi

mkdir -p "$BENCH"
PED=$BENCH/ashk-trio.ped
cp -f "$DATA/ashk-trio.ped" "$PED"

generate() {  # generate N: build the cached inputs for N records
    local n=$1 vcf=$BENCH/genome_$1.vcf.gz bcf=$BENCH/genome_$1.bcf
    if [[ ! -f $vcf.tbi ]]; then
        echo "generating $vcf (seed $SEED) ..." >&2
        python3 tests/bench/make_genome.py --input "$DATA/ashk-trio.vcf.gz" \
            --records "$n" --seed "$SEED" | bgzip -@2 > "$vcf.tmp"
        mv "$vcf.tmp" "$vcf"
        tabix -f -p vcf "$vcf"
    fi
    if [[ ! -f $bcf.csi ]]; then
        echo "generating $bcf ..." >&2
        bcftools view -Ob --threads 2 -o "$bcf.tmp" "$vcf"
        mv "$bcf.tmp" "$bcf"
        bcftools index -f "$bcf"
    fi
}

median() { sort -g | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# run_once NAME OUTDIR CMD...: run CMD once (stdout to /dev/null, OUTDIR removed
# first unless empty) and append "wall cpu rss_kb" to $SAMPLES/NAME
run_once() {
    local name=$1 outdir=$2; shift 2
    local tf; tf=$(mktemp)
    if [[ -n $outdir ]]; then rm -rf "$outdir"; fi  # fresh output dir per run
    if ! "$TIME" -v -o "$tf" "$@" >/dev/null 2>"$BENCH/last.err"; then
        cat "$BENCH/last.err" >&2
        die "command failed ($(grep -o 'Exit status: .*' "$tf" || echo 'no status')): $*"
    fi
    awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,t,":"); w=0; for(k=1;k<=n;k++) w=w*60+t[k]}
                /User time/{u=$2} /System time/{s=$2} /Maximum resident set size/{r=$2}
                END{print w, u+s, r}' "$tf" >>"$SAMPLES/$name"
    rm -f "$tf"
}

# summarise NAME: "name wall cpu rss_mb" (medians, largest RSS) into $RESULTS
summarise() {
    local f="$SAMPLES/$1"
    printf '%s\t%s\t%s\t%.1f\n' "$1" "$(cut -d' ' -f1 "$f" | median)" "$(cut -d' ' -f2 "$f" | median)" \
        "$(awk 'BEGIN{m=0} {if ($3 > m) m=$3} END{print m/1024}' "$f")" >>"$RESULTS"
}

# report: table with ratios against bcftools --threads 2 and the decompression floor
report() {
    awk -F'\t' '
        { name[NR]=$1; wall[NR]=$2; cpu[NR]=$3; rss[NR]=$4; fmt=($1 ~ /bcf$/) ? "bcf" : "vcf"
          f[NR]=fmt; t[$1]=$2
          if ($1 ~ /^bcftools view --threads 2/) ref[fmt]=$2
          if ($1 ~ /^bgzip -dc/) floor[fmt]=$2 }
        function ratio(a, b) { return (b > 0) ? sprintf("%.2f", a / b) : "-" }
        END {
            printf "%-34s %9s %9s %9s %10s %9s\n", "command", "wall(s)", "cpu(s)", "rss(MB)", "x bcft-t2", "x floor"
            for (i = 1; i <= NR; i++)
                printf "%-34s %9.2f %9.2f %9.1f %10s %9s\n", name[i], wall[i], cpu[i], rss[i],
                       ratio(wall[i], ref[f[i]]), ratio(wall[i], floor[f[i]])
            split("vcf bcf", fmts, " ")
            for (k = 1; k <= 2; k++) {
                fm = fmts[k]
                a = "genesieve -t1 " fm; b = "genesieve -t2 " fm
                if ((a in t) && (b in t) && t[b] > 0)
                    printf "genesieve 1 thread / 2 threads (%s): %.2fx\n", fm, t[a] / t[b]
                for (n = 1; n <= 2; n++) {
                    a = "base -t" n " " fm; b = "genesieve -t" n " " fm
                    if ((a in t) && (b in t) && t[b] > 0)
                        printf "base / genesieve, %d thread%s (%s): %.2fx\n", n, (n > 1 ? "s" : ""), fm, t[a] / t[b]
                }
            }
        }' "$RESULTS"
}

[[ $# -gt 0 ]] || set -- 1500000
for n in "$@"; do
    [[ $n =~ ^[0-9]+$ ]] || die "N_RECORDS must be a number, got '$n'"
    generate "$n"
    RESULTS=$(mktemp)
    SAMPLES=$(mktemp -d)
    for fmt in vcf bcf; do
        if [[ $fmt == vcf ]]; then file=$BENCH/genome_$n.vcf.gz; else file=$BENCH/genome_$n.bcf; fi
        echo "benchmarking $file ($REPS rounds) ..." >&2
        names=()
        for ((i = 0; i < REPS; i++)); do
            names=("bgzip -dc -@2 $fmt" "bcftools view --threads 1 $fmt" "bcftools view --threads 2 $fmt")
            run_once "${names[0]}" "" bgzip -dc -@2 "$file"
            run_once "${names[1]}" "" bcftools view --threads 1 -Ou -o /dev/null "$file"
            run_once "${names[2]}" "" bcftools view --threads 2 -Ou -o /dev/null "$file"
            if ((have_genesieve)); then
                for t in 1 2; do
                    for which in base genesieve; do
                        bin=$GENESIEVE
                        if [[ $which == base ]]; then
                            [[ -n $GENESIEVE_BASE ]] || continue
                            bin=$GENESIEVE_BASE
                        fi
                        out=$BENCH/out_${n}_${fmt}_${which}_t$t
                        names+=("$which -t$t $fmt")
                        run_once "$which -t$t $fmt" "$out" "$bin" run --ped "$PED" --threads "$t" -o "$out" \
                            ${gs_extra[@]+"${gs_extra[@]}"} "$file"
                    done
                done
            fi
        done
        for name in "${names[@]}"; do summarise "$name"; done
    done
    rm -rf "$SAMPLES"
    echo
    echo "== $n records ($(du -h "$BENCH/genome_$n.vcf.gz" | cut -f1) vcf.gz, $(du -h "$BENCH/genome_$n.bcf" | cut -f1) bcf), $REPS runs, median =="
    report
    ((have_genesieve)) || echo "(genesieve rows skipped: $GENESIEVE not built)"
    rm -f "$RESULTS"
done
