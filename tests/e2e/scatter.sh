#!/usr/bin/env bash
# Scatter by chromosome (run -r CHROM --partial) and gather (merge) give the
# same bytes as one run over the whole file.
source "$(dirname "$0")/lib.sh"
for f in ashk-trio:ashk-trio.vcf.gz 643594:643594.clinical.vcf.gz; do
    ped=$TESTDATA/${f%%:*}.ped
    vcf=$TESTDATA/${f#*:}
    gs run -q --ped "$ped" -o "$T/whole.${f%%:*}" "$vcf" 2>/dev/null
    parts=()
    for c in $(tabix -l "$vcf"); do
        gs run -q --threads 2 -r "$c" --ped "$ped" --partial "$T/part.${f%%:*}.$c.json" "$vcf" 2>/dev/null
        parts+=("$T/part.${f%%:*}.$c.json")
    done
    # in reverse order, to show order does not matter
    rev=()
    for ((i = ${#parts[@]} - 1; i >= 0; i--)); do rev+=("${parts[i]}"); done
    gs merge -q -o "$T/merged.${f%%:*}" "${rev[@]}"
    check "${f%%:*}: merge of ${#parts[@]} per-chromosome partials = one run, byte for byte" \
        diff -r "$T/whole.${f%%:*}" "$T/merged.${f%%:*}"
done
# partials of different runs do not mix
gs run -q -r 1 -s quality.min_gq=30 --ped "$TESTDATA/ashk-trio.ped" --partial "$T/other.json" "$TESTDATA/ashk-trio.vcf.gz"
rc=0; gs merge -o "$T/bad" "$T/part.ashk-trio.1.json" "$T/part.643594.1.json" 2>"$T/err" || rc=$?
check "partials of different inputs/samples are refused" grep -q "partial results of different runs" "$T/err"
check "... with exit status 1 and no output" test "$rc" -eq 1 -a -z "$(ls -A "$T/bad" 2>/dev/null)"
rc=0; gs merge -o "$T/bad3" "$T/part.ashk-trio.2.json" "$T/other.json" 2>"$T/err" || rc=$?
check "partials run with different settings are refused" grep -q "its settings differ" "$T/err"
printf 'not json' >"$T/junk.json"
rc=0; gs merge -o "$T/bad2" "$T/junk.json" 2>"$T/err" || rc=$?
check "a file that is not a partial result is refused" grep -q "junk.json:1: not a GeneSieve partial result" "$T/err"
finish
