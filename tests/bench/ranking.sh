#!/usr/bin/env bash
# Ranking benchmark: seeded cases (tests/bench/make_cases.py: real ClinVar
# pathogenic variants planted with mode-realising genotypes into two real trio
# backgrounds) ranked by GeneSieve; prints top-1/5/10 rates of the true gene
# and the median number of candidate genes, with and without the inserted
# variants' ClinVar annotation, with and without the gene's PanelApp panel.
#  - Scout demo trio 643594: exome, VEP CSQ, population frequencies, all chromosomes
#  - GIAB Ashkenazi trio: exome chr1-2, bcftools BCSQ, NO population frequencies
#    (every background variant looks novel: a hard, pessimistic background)
# Then, without panels: trio with HPO terms, singleton, singleton with HPO terms.
# Usage: tests/bench/ranking.sh [N_CASES] [SEED]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GS=${GENESIEVE:-$ROOT/build/genesieve}
DATA=$ROOT/../shared/data
N=${1:-50}
SEED=${2:-1}
W=$ROOT/build/bench/ranking
PANELS=$DATA/panelapp-rex/PanelAppData_combined_core.tsv
[ -x "$GS" ] || { echo "ranking.sh: build genesieve first" >&2; exit 1; }
rm -rf "$W" && mkdir -p "$W"
for bg in scout ashk; do
    for cv in with without; do
        extra=()
        [ $cv = without ] && extra=(--no-clinvar)
        if [ $bg = scout ]; then vcf=$DATA/scout/643594.clinical.vcf.gz; trio=ADM1059A1,ADM1059A2,ADM1059A3
        else vcf=$DATA/slivar/ashk-trio.vcf.gz; trio=HG003,HG002,HG004; fi
        python3 "$ROOT/tests/bench/make_cases.py" --background "$vcf" --trio "$trio" \
            --clinvar "$DATA/clinvar-macarthur/clinvar.2016-09.b37.PLP.derived.vcf.gz" --panels "$PANELS" \
            --cases "$N" --seed "$SEED" --out "$W/$bg.$cv" "${extra[@]}"
        python3 "$ROOT/tests/bench/case_hpo.py" "$W/$bg.$cv/cases.tsv" "$DATA/hpo" "$SEED" >"$W/$bg.$cv/cases.hpo.tsv"
    done
done
score() { # cases dir, panel yes/no, patient [hpo yes/no [single]] -> one line per case: mode rank n_candidates
    local dir=$1 panel=$2 kid=$3 hpo=${4:-no} single=${5:-}
    tail -n +2 "$dir/cases.tsv" | while IFS=$'\t' read -r c mode gene vars pid; do
        args=()
        ped=$dir/$c.ped
        if [ -n "$single" ]; then # the patient alone; the parents are unrelated, unaffected samples
            awk -v k="$kid" 'BEGIN { OFS = "\t" } { if ($2 == k) print "fam", $2, 0, 0, $5, 2; else print "other_" $2, $2, 0, 0, $5, 1 }' "$ped" >"$dir/$c.single.ped"
            ped=$dir/$c.single.ped
        fi
        if [ "$hpo" = yes ]; then
            args+=(--hpo-data "$DATA/hpo" --hpo "$(awk -F'\t' -v c="$c" '$1 == c { print $2 }' "$dir/cases.hpo.tsv")")
        fi
        if [ "$panel" = yes ] && [ "$pid" != . ]; then
            { sed '/^output:/,$d' "$ROOT/pipelines/default.yml"
              printf '  - stage: panel\n    file: %s\n    panel: "%s"\n' "$PANELS" "$pid"; } >"$dir/$c.yml"
            args+=(-p "$dir/$c.yml")
        fi
        out=$dir/$c.out.$panel.$hpo$single
        "$GS" run -q "${args[@]}" --ped "$ped" -o "$out" "$dir/$c.vcf" 2>/dev/null
        rm -f "$out"/*.json "$out"/*.html "$out"/candidates*
        f=$out/$kid.genes.tsv
        rank=$(awk -F'\t' -v g="$gene" '$2 == g {print $1; exit}' "$f")
        echo "$mode ${rank:-999} $(($(wc -l <"$f") - 1))"
    done
}
summary() { # label; stdin: mode rank n_candidates
    local t
    t=$(mktemp)
    cat >"$t"
    local med
    med=$(awk '{print $3}' "$t" | sort -n | awk '{c[NR] = $1} END {print NR % 2 ? c[(NR + 1) / 2] : (c[NR / 2] + c[NR / 2 + 1]) / 2}')
    awk -v label="$1" -v med="$med" '{n++; if ($2 <= 1) t1++; if ($2 <= 5) t5++; if ($2 <= 10) t10++; m[$1]++; if ($2 <= 1) m1[$1]++}
        END { printf "%-34s %5d %7.0f%% %7.0f%% %7.0f%% %10s ", label, n, 100 * t1 / n, 100 * t5 / n, 100 * t10 / n, med;
              for (k in m) printf " %s %d/%d", k, m1[k] + 0, m[k]; printf "\n" }' "$t"
    rm -f "$t"
}
printf '%-34s %5s %8s %8s %8s %10s  %s\n' "background, ClinVar, panel" cases top-1 top-5 top-10 "median cands" "top-1 by mode"
for bg in scout ashk; do
    for cv in with without; do
        for panel in no yes; do
            kid=HG002
            [ $bg = scout ] && kid=ADM1059A2
            score "$W/$bg.$cv" $panel $kid | summary "$bg, ClinVar $cv, panel $panel"
        done
    done
done
echo
echo "With the patient's HPO terms (3-6 of the gene's disease + 2 unrelated, tests/bench/case_hpo.py), no panel:"
printf '%-34s %5s %8s %8s %8s %10s  %s\n' "background, ClinVar, family, HPO" cases top-1 top-5 top-10 "median cands" "top-1 by mode"
for bg in scout ashk; do
    for cv in with without; do
        kid=HG002
        [ $bg = scout ] && kid=ADM1059A2
        score "$W/$bg.$cv" no $kid yes | summary "$bg, ClinVar $cv, trio, HPO"
        score "$W/$bg.$cv" no $kid no single | summary "$bg, ClinVar $cv, singleton"
        score "$W/$bg.$cv" no $kid yes single | summary "$bg, ClinVar $cv, singleton, HPO"
    done
done
