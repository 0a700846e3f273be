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

# limits: a 10,000-allele record, a 1 MB INFO value, 3,000 samples (all affected singletons)
python3 - "$T" <<'PY'
import random, sys
t = sys.argv[1]
rng = random.Random(1)
alts, seen = [], set()
while len(alts) < 10000:
    a = "A" + "".join(rng.choice("ACGT") for _ in range(rng.randint(1, 8)))
    if a not in seen:
        seen.add(a)
        alts.append(a)
head = ('##fileformat=VCFv4.2\n##contig=<ID=1,length=249250621>\n##INFO=<ID=BIG,Number=1,Type=String,Description="b">\n'
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="g">\n##FORMAT=<ID=AD,Number=R,Type=Integer,Description="a">\n')
ad = ",".join(["5"] * 10001)
with open(t + "/alleles.vcf", "w") as f:
    f.write(head + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\n")
    f.write(f"1\t870000\t.\tA\t{','.join(alts)}\t50\tPASS\t.\tGT:AD\t0/1:{ad}\t1/2:{ad}\n")
    f.write(f"1\t870100\t.\tA\tG\t50\tPASS\tBIG={'x' * 1000000}\tGT:AD\t0/1:5,5\t0/0:5,0\n")
with open(t + "/samples.vcf", "w") as f:
    n = 3000
    f.write(head + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(f"S{i}" for i in range(n)) + "\n")
    for p in (870000, 870100):
        f.write(f"1\t{p}\t.\tA\tG\t50\tPASS\t.\tGT\t" + "\t".join("0/1" if i % 7 == 0 else "0/0" for i in range(n)) + "\n")
PY
printf '1\t860000\t880000\tSAMD11\n' >"$T/samd11.bed"
rc=0; timeout 120 "$GENESIEVE" run -q -g "$T/samd11.bed" --audit "$T/alleles.audit" -o "$T/alleles" "$T/alleles.vcf" || rc=$?
check "a 10,000-allele record and a 1 MB INFO value: run completes (status $rc)" test "$rc" -eq 0
check "... every one of the 10,001 ALT alleles is audited" test "$(grep -vc '^#' "$T/alleles.audit")" -eq 10001
rc=0; timeout 120 "$GENESIEVE" run -q -g "$T/samd11.bed" -o "$T/many" "$T/samples.vcf" || rc=$?
check "3,000 samples: run completes (status $rc)" test "$rc" -eq 0
check "... with a ranked list for each of the 3,000 patients" test "$(ls "$T/many"/*.genes.tsv | wc -l)" -eq 3000
finish
