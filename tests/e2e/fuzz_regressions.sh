#!/usr/bin/env bash
# Inputs the fuzzers found problems with (tests/fuzz/regressions), replayed
# through the command line; the sanitizer build (CI) catches a leak or crash.
source "$(dirname "$0")/lib.sh"
R=$SRCDIR/tests/fuzz/regressions
for f in "$R"/panel-*; do
    for use in "file: $f" "file: $TESTDATA/panels/panelapp-rex.307-150.tsv\n    panel: 307\n    symbols: $f"; do
        printf "stages:\n  - stage: consequence\n  - stage: panel\n    $use\n" >"$T/p.yml"
        rc=0; gs run -q -p "$T/p.yml" -o "$T/o" --force "$TESTDATA/ashk-trio.vcf.gz" 2>"$T/err" || rc=$?
        check "$(basename "$f") ($(printf "$use" | head -1 | cut -c1-20)...): exit 0 or one error line, no signal" \
            test "$rc" -eq 0 -o \( "$rc" -eq 1 -a "$(grep -c '^genesieve: error:' "$T/err")" -eq 1 \)
    done
done
for f in "$R"/vcf-*; do
    rc=0; /usr/bin/time -f %M -o "$T/rss" "$GENESIEVE" run -q --ped "$TESTDATA/ashk-trio.ped" -o "$T/o" --force "$f" 2>"$T/err" || rc=$?
    check "$(basename "$f"): exit 0 or one error line, no signal" \
        test "$rc" -eq 0 -o \( "$rc" -eq 1 -a "$(grep -c '^genesieve: error:' "$T/err")" -eq 1 \)
    check "$(basename "$f"): under 200 MB" test "$(tail -1 "$T/rss")" -lt 200000
done
finish
