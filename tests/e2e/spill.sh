#!/usr/bin/env bash
# Kept variants beyond GENESIEVE_SPILL_BYTES (default 1 MB per store) go to an
# unlinked temporary file in TMPDIR.  0 puts everything there: the open genes
# after every batch, every patient's genes, the keys candidates.vcf.gz is
# sorted by.  Whichever way, the outputs are the same bytes; a temporary file
# that cannot be written is one clear error and leaves no output behind.
source "$(dirname "$0")/lib.sh"
A=$TESTDATA/ashk-trio.vcf.gz
P=$TESTDATA/ashk-trio.ped
H=$TESTDATA/hpo

# a second family (as in cohort.sh): two patients, each with a family of three
printf 'HG004 K2\nHG002 D2\nHG003 M2\n' >"$T/names.txt"
bcftools view -s HG004,HG002,HG003 "$A" 2>/dev/null | bcftools reheader -s "$T/names.txt" | bcftools view -Oz -o "$T/fam2.vcf.gz" 2>/dev/null
bcftools index "$T/fam2.vcf.gz"
printf 'fam2\tK2\tD2\tM2\t2\t2\nfam2\tD2\t0\t0\t1\t1\nfam2\tM2\t0\t0\t2\t1\n' >"$T/fam2.ped"
cat "$P" "$T/fam2.ped" >"$T/two.ped"
bcftools merge -Oz -o "$T/two.vcf.gz" "$A" "$T/fam2.vcf.gz" 2>/dev/null
bcftools index "$T/two.vcf.gz"
bcftools view -Ob -o "$T/two.bcf" "$T/two.vcf.gz" 2>/dev/null

# run NAME ARGS...: the same run kept in memory, all on disk, and half and half
run3() {
    local name=$1; shift
    gs run -q -o "$T/mem.$name" --audit "$T/mem.$name.audit" "$@"
    GENESIEVE_SPILL_BYTES=0 gs run -q -o "$T/disk.$name" --audit "$T/disk.$name.audit" "$@"
    GENESIEVE_SPILL_BYTES=3000 gs run -q -o "$T/mixed.$name" --audit "$T/mixed.$name.audit" "$@"
    check "$name: every output the same on disk as in memory" diff -rq "$T/mem.$name" "$T/disk.$name"
    check "$name: every output the same half on disk" diff -rq "$T/mem.$name" "$T/mixed.$name"
    check "$name: same audit" cmp "$T/mem.$name.audit" "$T/disk.$name.audit"
}
for t in 1 2; do
    run3 trio.t$t -t $t --ped "$P" "$A"
    run3 two.t$t -t $t --ped "$T/two.ped" "$T/two.vcf.gz"
done
run3 two.bcf -t 2 --ped "$T/two.ped" "$T/two.bcf"
# the trio's records re-laid along a genome (tests/bench): genes recur on every
# chromosome, so an open gene's variants span many batches and chunks
python3 "$SRCDIR/tests/bench/make_genome.py" --input "$A" --records 40000 --seed 7 >"$T/genome.vcf"
run3 genome.t1 -t 1 --ped "$P" "$T/genome.vcf"
run3 genome.t2 -t 2 --ped "$P" "$T/genome.vcf"
run3 clinical -t 2 --ped "$TESTDATA/643594.ped" "$TESTDATA/643594.clinical.vcf.gz"
run3 hpo -t 2 --ped "$P" --hpo-data "$H" --hpo 'HP:0001250,HP:0001263,!HP:0000252' "$A"
check "the runs list genes (the comparison is not trivial)" test "$(wc -l <"$T/disk.two.t2/K2.genes.tsv")" -gt 50

# scatter and gather: partials and the merged outputs
for mode in mem disk; do
    env=; [ "$mode" = disk ] && env=GENESIEVE_SPILL_BYTES=0
    env $env "$GENESIEVE" run -q -t 2 -r 1,2,3,4,5,6,7,8,9,10 --ped "$T/two.ped" --partial "$T/$mode.a.json" "$T/two.vcf.gz"
    env $env "$GENESIEVE" run -q -r 11,12,13,14,15,16,17,18,19,20,21,22,X,Y,MT --ped "$T/two.ped" --partial "$T/$mode.b.json" "$T/two.vcf.gz"
    env $env "$GENESIEVE" merge -q -o "$T/$mode.merged" "$T/$mode.a.json" "$T/$mode.b.json"
done
check "partial results the same on disk as in memory" cmp "$T/mem.a.json" "$T/disk.a.json"
check "partial results the same on disk as in memory (2)" cmp "$T/mem.b.json" "$T/disk.b.json"
check "merged outputs the same" diff -rq "$T/mem.merged" "$T/disk.merged"
check "merged = one run" diff -rq "$T/mem.merged" "$T/mem.two.t1"

# with 0 the store really is a file: an unusable TMPDIR fails then, and only then
err1() { # description, text the one error line holds, command...
    local what=$1 want=$2; shift 2
    rm -rf "$T/out"
    local rc=0
    "$@" 2>"$T/err" >/dev/null || rc=$?
    if [ "$rc" -eq 0 ] || [ "$rc" -gt 128 ]; then fail "$what: exit status $rc"; return; fi
    if [ "$(wc -l <"$T/err")" -ne 1 ] || ! grep -qF -- "$want" "$T/err"; then fail "$what: $(cat "$T/err")"; return; fi
    if [ -d "$T/out" ] && [ -n "$(ls -A "$T/out")" ]; then fail "$what: left files behind: $(ls -A "$T/out")"; return; fi
    pass
}
err1 "no temporary directory" "genesieve: error: cannot create a temporary file in $T/nosuch" \
    env TMPDIR="$T/nosuch" GENESIEVE_SPILL_BYTES=0 "$GENESIEVE" run --ped "$P" -o "$T/out" "$A"
TMPDIR="$T/nosuch" gs run -q --ped "$P" -o "$T/tmpless" "$A"
check "small runs need no temporary file" diff -rq "$T/tmpless" "$T/mem.trio.t1"
# a full disk (a file size limit here: the write fails with EFBIG instead of ENOSPC)
for t in 1 2; do
    err1 "temporary file cannot grow, $t thread(s)" "genesieve: error: temporary file in $T/tmp: write failed: File too large" \
        bash -c "mkdir -p '$T/tmp'; trap '' XFSZ; ulimit -f 16; TMPDIR='$T/tmp' GENESIEVE_SPILL_BYTES=0 exec '$GENESIEVE' run -t $t --ped '$P' -o '$T/out' '$A'"
done
finish
