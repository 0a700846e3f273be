#!/usr/bin/env bash
# Cohort discovery benchmark: can `genesieve cohort` find a novel disease gene
# planted in k unrelated families among 100 real, noisy trio backgrounds?
#
# A pool of POOL families is built once per seed (tests/bench/make_cohort.py:
# the GIAB and Scout trios from ../shared/data, renamed, subsampled, their genes
# relabelled per family, different noise spikes in each) and ranked once.  Each
# repeat draws FAMILIES of them, a gene of chromosomes 1-2, and plants damaging
# variants in k families (odd repeats de novo, even repeats recessive: ar_hom or
# comp_het per family); only those k families are ranked again.  The cohort
# table is computed with the default model, with the patients' HPO terms
# (tests/bench/cohort_hpo.py: the planted families share a disease's terms,
# the others have terms of their own diseases), with --top 20 (with and
# without terms), with one test over all modes (--tests any), without the
# high-impact tests (--tests any,de_novo,recessive), without the cohort
# frequency filter (--max-variant-families 0), and with every gene the same
# length; for each: how often
# the planted gene ranks first, its FDR, and how many other genes reach FDR < 0.1.
# Each repeat's default table is kept in tables.sSEED.RELABEL/ (for
# tests/bench/cohort_length_fit.py).  Then NULLS cohorts with nothing
# planted: how many have a false discovery.
# Finally, the time and memory to aggregate all POOL patients' results.
#
# Usage: tests/bench/cohort_discovery.sh [REPEATS] [SEED]
#        (environment: FAMILIES=100 POOL=1000 KS="2 3 5" RELABEL=length|bins NULLS=100)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GS=${GENESIEVE:-$ROOT/build/genesieve}
DATA=${DATA:-$ROOT/../shared/data}
REPEATS=${1:-20}
SEED=${2:-1}
FAMILIES=${FAMILIES:-100}
POOL=${POOL:-1000}
KS=${KS:-2 3 5}
RELABEL=${RELABEL:-length}
W=$ROOT/build/bench/cohort_discovery
PY="python3 $ROOT/tests/bench/make_cohort.py"
LEN=$ROOT/data/gene_lengths.hg19.tsv
SPANS=$DATA/genes-hg19/gene_spans_from_exome_targets.hg19.derived.bed
[ -x "$GS" ] || { echo "cohort_discovery.sh: build genesieve first" >&2; exit 1; }
[ -d "$DATA" ] || { echo "cohort_discovery.sh: needs ../shared/data" >&2; exit 1; }
export GS
pool=$W/pool.s$SEED.n$POOL.$RELABEL
if [ ! -f "$pool/done" ]; then
    echo "building a pool of $POOL families (once per seed) ..." >&2
    rm -rf "$pool"
    $PY pool --lengths "$LEN" --spans "$SPANS" --data "$DATA" --n "$POOL" --seed "$SEED" --relabel "$RELABEL" --out "$pool"
    # shellcheck disable=SC2016
    ls "$pool"/*.vcf | xargs -P 2 -n 1 sh -c 'b=${1%.vcf}; "$GS" run -q --ped "$b.ped" -o "$b.out" "$1" 2>/dev/null &&
        rm -f "$b.out"/*.html "$b.out"/*.tsv "$b.out"/candidates.vcf.gz* "$1"' _
    # (the VCFs are deleted: the families a repeat plants into are rebuilt from the seed)
    touch "$pool/done"
fi
awk -F'\t' '!/^#/ && $1 != "gene" { print $1 "\t" $2 "\t1000" }' "$LEN" | sed '1i gene\tchrom\tlength' >"$W/uniform_lengths.tsv"

res=$W/results.s$SEED.$RELABEL.tsv
: >"$res"
for k in $KS; do
    for ((r = 1; r <= REPEATS; r++)); do
        mode=de_novo
        [ $((r % 2)) -eq 0 ] && mode=recessive
        rep=$W/rep
        rm -rf "$rep" && mkdir -p "$rep"
        $PY draw --lengths "$LEN" --spans "$SPANS" --data "$DATA" --pool-size "$POOL" --pool-seed "$SEED" --relabel "$RELABEL" --families "$FAMILIES" --k "$k" --mode $mode \
            --seed $((SEED * 1000003 + k * 1009 + r)) --out "$rep/vcf" >"$rep/draw.tsv"
        gene=$(head -1 "$rep/draw.tsv")
        inputs=()
        while IFS=$'\t' read -r fam pmode; do
            if [ "$pmode" = - ]; then
                inputs+=("$pool/$fam.out")
            else
                "$GS" run -q --ped "$pool/$fam.ped" -o "$rep/$fam.out" "$rep/vcf/$fam.vcf" 2>/dev/null
                inputs+=("$rep/$fam.out")
            fi
        done < <(tail -n +2 "$rep/draw.tsv")
        python3 "$ROOT/tests/bench/cohort_hpo.py" "$rep/draw.tsv" "$DATA/hpo" $((SEED * 1000003 + k * 1009 + r)) >"$rep/terms.tsv"
        for model in default +phenotype top20 top20+phenotype any-mode no-high-tests no-cohort-freq uniform-length; do
            args=()
            [ $model = top20 ] && args=(--top 20)
            [ $model = top20+phenotype ] && args=(--top 20 --hpo-data "$DATA/hpo" --hpo-table "$rep/terms.tsv")
            [ $model = +phenotype ] && args=(--hpo-data "$DATA/hpo" --hpo-table "$rep/terms.tsv")
            [ $model = any-mode ] && args=(--tests any)
            [ $model = no-high-tests ] && args=(--tests any,de_novo,recessive)
            [ $model = no-cohort-freq ] && args=(--max-variant-families 0)
            [ $model = uniform-length ] && args=(--gene-lengths "$W/uniform_lengths.tsv")
            "$GS" cohort -q "${args[@]}" --min-families 1 -o "$rep/c.$model" "${inputs[@]}"
            awk -F'\t' -v g="$gene" -v k="$k" -v m="$model" -v mode="$mode" '
                NR > 1 && $2 == g { rank = $1; fdr = $15 }
                NR > 1 && $2 != g && $15 < 0.1 { fd++ }
                END { printf "%s\t%s\t%s\t%s\t%s\t%d\n", k, m, mode, rank ? rank : 9999, rank ? fdr : 1, fd }' \
                "$rep/c.$model/cohort.genes.tsv" >>"$res"
        done
        # the default model's table, kept (tests/bench/cohort_length_fit.py)
        mkdir -p "$W/tables.s$SEED.$RELABEL"
        cp "$rep/c.default/cohort.genes.tsv" "$W/tables.s$SEED.$RELABEL/k$k.r$r.tsv"
    done
done

printf '\n%d repeats per k, %d families per cohort (pool %d, seed %d, relabel %s); planted: de novo in odd repeats, recessive in even\n' \
    "$REPEATS" "$FAMILIES" "$POOL" "$SEED" "$RELABEL"
printf '%3s %-15s %8s %9s %9s %11s %12s %10s %10s\n' k model top-1 "de novo" recessive "median FDR" "FDR<0.1" "false/coh" "max false"
sort -k1,1n -k2,2 -s "$res" | awk -F'\t' '
    { key = $1 "\t" $2; if (!(key in n)) order[++nk] = key; n[key]++; if ($4 == 1) t1[key]++;
      if ($3 == "de_novo") { nd[key]++; if ($4 == 1) td[key]++ } else { nr[key]++; if ($4 == 1) tr[key]++ }
      if ($5 < 0.1) sig[key]++; fd[key] += $6; if ($6 > mx[key]) mx[key] = $6; f[key, n[key]] = $5 }
    END { for (i = 1; i <= nk; i++) { key = order[i]; split(key, kk, "\t"); m = n[key];
            for (a = 1; a <= m; a++) v[a] = f[key, a];
            for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (v[b] < v[a]) { t = v[a]; v[a] = v[b]; v[b] = t }
            med = m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2;
            printf "%3s %-15s %7.0f%% %4d/%-4d %4d/%-4d %11.3g %11.0f%% %10.2f %10d\n", kk[1], kk[2], 100 * t1[key] / m,
                td[key], nd[key], tr[key], nr[key], med, 100 * sig[key] / m, fd[key] / m, mx[key] } }'

# calibration: NULLS cohorts of FAMILIES pool families with nothing planted;
# every gene reaching FDR < 0.1 is a false discovery
NULLS=${NULLS:-100}
nulls=$W/nulls.s$SEED.$RELABEL.tsv
: >"$nulls"
for ((i = 1; i <= NULLS; i++)); do
    ins=()
    # shellcheck disable=SC2207
    ins=($(python3 -c 'import random, sys; r = random.Random(int(sys.argv[1]))
print(" ".join("%s/F%04d.out" % (sys.argv[4], x) for x in sorted(r.sample(range(1, int(sys.argv[2]) + 1), int(sys.argv[3])))))' \
        $((SEED * 7919 + i)) "$POOL" "$FAMILIES" "$pool"))
    for model in default no-high-tests no-cohort-freq; do
        args=()
        [ $model = no-high-tests ] && args=(--tests any,de_novo,recessive)
        [ $model = no-cohort-freq ] && args=(--max-variant-families 0)
        "$GS" cohort -q --force "${args[@]}" --min-families 1 -o "$W/null" "${ins[@]}"
        awk -F'\t' -v m=$model 'NR > 1 && $15 < 0.1 { n++ } NR > 1 && $14 < 0.001 { s++ } END { printf "%s\t%d\t%d\n", m, n, s }' \
            "$W/null/cohort.genes.tsv" >>"$nulls"
    done
done
if [ "$NULLS" -gt 0 ]; then
    printf '\n%d cohorts of %d families, nothing planted (calibration)\n%-15s %22s %19s %14s %17s\n' "$NULLS" "$FAMILIES" model \
        "cohorts with a false" "false discoveries" "max false" "p < 0.001"
    awk -F'\t' '{ if (!($1 in n)) o[++no] = $1; n[$1]++; f[$1] += $2; if ($2 > 0) a[$1]++; if ($2 > mx[$1]) mx[$1] = $2; s[$1] += $3 }
        END { for (i = 1; i <= no; i++) { m = o[i]; printf "%-15s %21.0f%% %19.2f %14d %17.2f\n", m, 100 * a[m] / n[m], f[m] / n[m], mx[m], s[m] / n[m] } }' "$nulls"
    printf '(a gene reaching FDR < 0.1 is a false discovery; FDR control at 0.1 allows at most 10 %% of such cohorts one; last column: genes with p < 0.001 per cohort)\n'
fi

# aggregation at scale: every patient of the pool
/usr/bin/time -f "%e %M" -o "$W/time" "$GS" cohort -q --force -o "$W/scale" "$pool"/*.out
read -r wall rss <"$W/time"
printf '\naggregating %d patients (%d families): %s s wall, %.0f MB peak RSS; %d genes tested, %d in 2+ families\n' \
    "$(ls -d "$pool"/*.out | wc -l)" "$(ls -d "$pool"/*.out | wc -l)" "$wall" "$(awk -v r="$rss" 'BEGIN {print r / 1024}')" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["model"]["genes_tested"])' "$W/scale/cohort.genes.json")" \
    "$(($(wc -l <"$W/scale/cohort.genes.tsv") - 1))"
