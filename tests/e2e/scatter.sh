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
# a region with no records (a contig absent from the file) gives an empty partial, not the whole file
gs run -q -r Y --ped "$TESTDATA/ashk-trio.ped" --partial "$T/y.json" "$TESTDATA/ashk-trio.vcf.gz"
check "a partial for a contig without records holds no record" python3 -c "import json,sys; d=json.load(open('$T/y.json')); sys.exit(d['records'] != 0)"
gs merge -q -o "$T/withy" "$T/part.ashk-trio.1.json" "$T/part.ashk-trio.2.json" "$T/y.json"
check "... and merges to the same result" diff -r "$T/whole.ashk-trio" "$T/withy"
rc=0; gs merge -o "$T/twice" "$T/part.ashk-trio.1.json" "$T/part.ashk-trio.1.json" 2>"$T/err" || rc=$?
check "the same partial twice is refused" grep -q "both cover 1:" "$T/err"
gs run -q --ped "$TESTDATA/ashk-trio.ped" --partial "$T/all.json" "$TESTDATA/ashk-trio.vcf.gz"
rc=0; gs merge -o "$T/all" "$T/all.json" "$T/part.ashk-trio.2.json" 2>"$T/err" || rc=$?
check "a whole-input partial does not merge with others" grep -q "covers the whole input" "$T/err"
# crafted partials are refused, never trusted
for edit in "d['patients'][0]['sample'] = 4294967299" "d['patients'][0]['genes'][0]['vars'][0]['gt'] = 99" \
            "d['patients'][0]['genes'][0]['vars'][0]['ev'][6] = 100" "d['patients'][0]['genes'][0]['vars'][0]['fam'] = []" \
            "d['samples'][0]['name'] = {'hex': 'zzq'}"; do
    python3 -c "import json; d = json.load(open('$T/part.ashk-trio.1.json')); $edit; json.dump(d, open('$T/crafted.json', 'w'))"
    rc=0; gs merge -o "$T/crafted" "$T/crafted.json" 2>"$T/err" || rc=$?
    check "crafted partial ($edit) refused with one error line" test "$rc" -eq 1 -a "$(grep -c '^genesieve: error:' "$T/err")" -eq 1
    check "... and leaves no output directory" test ! -e "$T/crafted"
done
printf 'not json' >"$T/junk.json"
rc=0; gs merge -o "$T/bad2" "$T/junk.json" 2>"$T/err" || rc=$?
check "a file that is not a partial result is refused" grep -q "junk.json:1: not a GeneSieve partial result" "$T/err"
finish
