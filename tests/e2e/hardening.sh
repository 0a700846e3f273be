#!/usr/bin/env bash
# Outputs are never half-written: existing results are kept unless --force, a
# full device is a clear error, SIGTERM/SIGINT mid-run leave nothing behind;
# a very large PED is read in bounded time.
source "$(dirname "$0")/lib.sh"
A=$TESTDATA/ashk-trio.vcf.gz
P=$TESTDATA/ashk-trio.ped
gs run -q --ped "$P" -o "$T/out" "$A"
cp "$T/out/HG002.genes.tsv" "$T/first.tsv"
rc=0; gs run -q --ped "$P" -s quality.min_gq=60 -o "$T/out" "$A" 2>"$T/err" || rc=$?
check "results already in the directory are not overwritten silently" grep -q "already holds GeneSieve results; use --force" "$T/err"
check "... and stay as they were" cmp "$T/out/HG002.genes.tsv" "$T/first.tsv"
gs run -q --force --ped "$P" -s quality.min_gq=60 -o "$T/out" "$A"
check "--force replaces them" bash -c "! cmp -s '$T/out/HG002.genes.tsv' '$T/first.tsv'"

rc=0; gs run -q --ped "$P" --audit /dev/full -o "$T/full" "$A" 2>"$T/err" || rc=$?
check "writing to a full device fails with a clear message" grep -q "/dev/full: write failed: No space left on device" "$T/err"
check "... exit status 1" test "$rc" -eq 1
check "... and no output is left" test -z "$(ls -A "$T/full" 2>/dev/null)"

# a run caught mid-way: its input arrives in two parts, 3 s apart
python3 "$SRCDIR/tests/bench/make_genome.py" --input "$A" --records 100000 --seed 3 >"$T/big.vcf"
for sig in TERM INT; do
    rm -rf "$T/sig"
    # the binary itself, not the gs function: $! must be its process
    { head -n 30000 "$T/big.vcf"; sleep 3; tail -n +30001 "$T/big.vcf"; } |
        exec "$GENESIEVE" run -q --threads 2 --ped "$P" --audit "$T/sig/audit.tsv" -o "$T/sig" - &
    pid=$!
    sleep 1
    check "the process signalled is genesieve" test "$(cat /proc/$pid/comm 2>/dev/null)" = genesieve
    kill -$sig $pid
    rc=0; wait $pid || rc=$?
    check "SIG$sig ends the run by that signal (status $rc)" test "$rc" -gt 128
    check "SIG$sig leaves no output and no temporary file (left: $(ls -A "$T/sig" 2>/dev/null | tr "\n" " "))" test -z "$(ls -A "$T/sig" 2>/dev/null)"
done

# a 1,000,000-line PED (one trio and many people not sequenced)
{ cat "$P"; awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "f%d\tp%d\t0\t0\t1\t1\n", i, i }'; } >"$T/big.ped"
start=$(date +%s)
gs run -q --ped "$T/big.ped" -o "$T/bigped" "$A" 2>"$T/err"
check "a 1,000,000-line PED is read in under 30 s ($(($(date +%s) - start)) s)" test $(($(date +%s) - start)) -lt 30
check "the warning about people not sequenced stays one short line" test "$(wc -c <"$T/err")" -lt 400
check "the result equals the small PED's" cmp "$T/bigped/HG002.genes.tsv" "$T/first.tsv"
finish
