#!/usr/bin/env bash
# Phenotype-only ranking benchmark on phenopacket-store cases (seeded, no network).
#
# Usage: tests/bench/pheno.sh [CASES_DIR]
#   CASES_DIR holds cases-*.tsv and phenopackets-*.tar.gz (default:
#   ../shared/data/phenopacket-store-dev, the development half; the held-out
#   half is scored with the same command on its own folder).
# Runs `genesieve pheno` once over every phenopacket (one process, 2 threads,
# the best 1000 genes per case) against ../shared/data/hpo (release
# 2023-01-27) and prints, per case and per gene (macro average; ties counted
# against the method): top-1 / top-10 among all annotated genes, the median
# rank, and top-1 against the true gene + 100 random protein-coding genes
# (org.Hs.eg.db, seeded per case), for all cases, then for the tuning quarter
# (every 4th case from the first: method choices are made on it alone) and for
# the other three quarters (pheno_eval.py --part tune|rest). Then times: loading
# the release, scoring one patient, and 1,000 patients in one run.
# PHENO_SPEED=0 skips the times.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
D=$ROOT/../shared/data
CASES=${1:-$D/phenopacket-store-dev}
G=${GENESIEVE:-$ROOT/build/genesieve}
W=$ROOT/build/bench/pheno.$(basename "$CASES")
[ -x "$G" ] || { echo "pheno.sh: build genesieve first" >&2; exit 1; }
tsv=$(ls "$CASES"/cases-*.tsv | head -1); tgz=$(ls "$CASES"/phenopackets-*.tar.gz | head -1)
rm -rf "$W" && mkdir -p "$W/pp"
tar xzf "$tgz" -C "$W/pp"
args=(); while IFS= read -r d; do args+=(--phenopacket "$d"); done < <(cd "$W/pp" && find . -name '*.json' -printf '%h\n' | sort -u)
echo "== $(basename "$CASES"): $(($(wc -l <"$tsv") - 1)) cases, HPO $D/hpo"
( cd "$W/pp" && /usr/bin/time -f "%e s wall, %U s user, %M KB peak RSS" "$G" pheno --hpo-data "$D/hpo" "${args[@]}" -o "$W/out" --top 1000 -t 2 ) 2>&1 | grep -v warning
for part in all tune rest; do
    [ $part = all ] || echo "-- $part ($([ $part = tune ] && echo 'the tuning quarter' || echo 'the other three quarters'))"
    python3 "$ROOT/tests/bench/pheno_eval.py" "$tsv" "$W/out" "$D/debian-r-bioc-org.hs.eg.db/gene_symbols.org.Hs.eg.db.tsv.gz" "$D/hpo/genes_to_phenotype.txt.gz" --part $part
done
[ "${PHENO_SPEED:-1}" = 0 ] && exit 0

echo "== speed (median of 5)"
med() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
one=$(find "$W/pp" -name '*.json' -print -quit)
for i in 1 2 3 4 5; do "$G" pheno --hpo-data "$D/hpo" --phenopacket "$one" --top 1 2>&1 >/dev/null | sed -n 's/.*loaded in \([0-9.]*\) s; 1 patient scored in \([0-9.]*\) s/\1 \2/p'; done >"$W/one.txt"
echo "load the release: $(cut -d' ' -f1 "$W/one.txt" | med) s; score all genes for one patient (and write them): $(cut -d' ' -f2 "$W/one.txt" | med) s"
mkdir -p "$W/k1"; find "$W/pp" -name '*.json' | sort | sed -n 1,1000p | xargs -I{} ln -sf {} "$W/k1/"
for t in 1 2; do
    /usr/bin/time -f "%e" "$G" pheno -q --hpo-data "$D/hpo" --phenopacket "$W/k1" -o "$W/k1out.$t" --top 100 -t $t 2>"$W/k1.time"
    echo "1,000 patients in one run, -t $t: $(tail -1 "$W/k1.time") s wall"
done
