#!/usr/bin/env bash
# Every VCF/BCF of the malformed-input corpora in ../shared/data: each run ends
# with exit 0, or exit 1 and exactly one error line; never a signal, a hang, or
# outputs left by a failed run.  Skipped (exit 77) when ../shared is absent.
source "$(dirname "$0")/lib.sh"
D=$SRCDIR/../shared/data
[ -d "$D/debian-htslib-test" ] || { echo "no ../shared/data: corpus check skipped"; exit 77; }
n=0; ok=0; err=0
while IFS= read -r f; do
    n=$((n + 1))
    rm -rf "$T/o"
    rc=0
    timeout 30 "$GENESIEVE" run -q -g "$TESTDATA/genes.hg19.chr1-2.bed" -o "$T/o" "$f" >/dev/null 2>"$T/err" || rc=$?
    lines=$(grep -c '^genesieve: error:' "$T/err" || true)
    if [ "$rc" -eq 0 ]; then ok=$((ok + 1))
    elif [ "$rc" -eq 1 ] && [ "$lines" -eq 1 ] && [ -z "$(ls -A "$T/o" 2>/dev/null | grep -v '^$')" ]; then err=$((err + 1))
    else fail "$f: exit $rc, $lines error lines, left: $(ls -A "$T/o" 2>/dev/null | tr '\n' ' ')"
    fi
done < <(find "$D/debian-htslib-test" "$D/debian-python-pysam-tests" "$D/debian-python-pyvcf-examples" \
    -type f \( -name '*.vcf' -o -name '*.vcf.gz' -o -name '*.bcf' \) | sort)
echo "corpus: $n files: $ok ran to completion, $err refused with one error line"
check "the corpus was found ($n files)" test "$n" -gt 20
finish
