#!/usr/bin/env bash
# Bad input: one clear error line naming the file and the problem, a non-zero
# exit, and no output files (final or temporary) left behind.
source "$(dirname "$0")/lib.sh"

expect_error() { # description, regex the error line must match, command...
    local what=$1 re=$2; shift 2
    rm -rf "$T/out"
    local rc=0
    "$@" 2>"$T/err" >/dev/null || rc=$?
    local lines
    lines=$(grep -c '^genesieve: error:' "$T/err" || true)
    if [ "$rc" -eq 0 ]; then fail "$what: exit status 0"; return; fi
    if [ "$rc" -gt 128 ]; then fail "$what: killed by signal $((rc - 128))"; return; fi
    if [ "$lines" -ne 1 ]; then fail "$what: expected one error line, got $lines: $(cat "$T/err")"; return; fi
    if ! grep -Eq -- "$re" "$T/err"; then fail "$what: error does not match /$re/: $(grep error "$T/err")"; return; fi
    if [ -d "$T/out" ] && [ -n "$(ls -A "$T/out")" ]; then fail "$what: left files behind: $(ls -A "$T/out")"; return; fi
    pass
}
A=$TESTDATA/ashk-trio.vcf.gz
P=$TESTDATA/ashk-trio.ped

expect_error "missing input" "nosuch.vcf.gz: cannot open: No such file" gs run -o "$T/out" "$T/nosuch.vcf.gz"
printf 'hello\nthis is not a VCF\n' >"$T/text.txt"
expect_error "not a VCF" "text.txt: not a VCF or BCF" gs run -o "$T/out" "$T/text.txt"
dd if="$A" of="$T/trunc.vcf.gz" bs=1000 count=300 status=none
expect_error "truncated BGZF" "trunc.vcf.gz: truncated or corrupt" gs run --ped "$P" -o "$T/out" "$T/trunc.vcf.gz"
expect_error "truncated BGZF, 3 threads" "trunc.vcf.gz: truncated or corrupt" gs run --threads 3 --ped "$P" -o "$T/out" "$T/trunc.vcf.gz"
zcat "$A" | awk 'NR==300 {$0="1\tnotanumber\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/0\t0/0"} {print}' >"$T/badpos.vcf"
expect_error "malformed record names its line" "badpos.vcf:300: malformed" gs run --ped "$P" -o "$T/out" "$T/badpos.vcf"
expect_error "malformed record, 3 threads" "badpos.vcf:300: malformed" gs run --threads 3 --ped "$P" -o "$T/out" "$T/badpos.vcf"
zcat "$A" | awk '!/^#/ && $1=="1" && $2>5000000 && !done {print "1\t100\t.\tA\tG\t50\tPASS\t.\tGT:AD:DP:GQ\t0/1:5,5:10:50\t0/0:9,0:9:50\t0/0:9,0:9:50"; done=1} {print}' >"$T/unsorted.vcf"
expect_error "unsorted positions" "unsorted.vcf:[0-9]+: input is not sorted: 1:100 comes after 1:" gs run --ped "$P" -o "$T/out" "$T/unsorted.vcf"
expect_error "unsorted positions, 2 threads" "input is not sorted: 1:100 comes after" gs run --threads 2 --ped "$P" -o "$T/out" "$T/unsorted.vcf"
zcat "$A" | grep '^#' >"$T/reappear.vcf"
zcat "$A" | awk '!/^#/ && $1=="1" && n++ < 10' >>"$T/reappear.vcf"
zcat "$A" | awk '!/^#/ && $1=="2" && n++ < 3000' >>"$T/reappear.vcf"
zcat "$A" | awk '!/^#/ && $1=="1" && n++ >= 10 && n < 20' >>"$T/reappear.vcf"
expect_error "contig appears twice" "input is not sorted: contig '1' appears again" gs run --threads 2 --ped "$P" -o "$T/out" "$T/reappear.vcf"
printf 'ash HG002 HG003 HG004 1 2\nash NA12878 0 0 2 2\n' >"$T/bad.ped"
expect_error "affected PED sample absent from VCF" "bad.ped:2: affected sample 'NA12878' is not in the VCF" gs run --ped "$T/bad.ped" -o "$T/out" "$A"
printf 'ash HG002 HG003\n' >"$T/short.ped"
expect_error "short PED line" "short.ped:1: expected 6 columns" gs run --ped "$T/short.ped" -o "$T/out" "$A"
printf 'version: 1\nstages:\n  - stage: quality\n  - stage: frequncy\n' >"$T/typo.yml"
expect_error "unknown stage names file and line" "typo.yml:4: stage: unknown stage 'frequncy'" gs run -p "$T/typo.yml" -o "$T/out" "$A"
printf 'stages:\n  - stage: expr\n    include: "INFO/CADD_PHRED >= 20"\n' >"$T/cadd.yml"
expect_error "header lacks a field the pipeline names" "ashk-trio.vcf.gz: stage 'expr': include: INFO/CADD_PHRED is not declared" gs run -p "$T/cadd.yml" -o "$T/out" "$A"
expect_error "frequency key absent from header" "INFO/gnomad_popmax_af is not declared" gs run -s frequency.info_af=gnomad_popmax_af -o "$T/out" "$A"
expect_error "bad --set value" "--set quality.min_gq=abc: value 'abc' is not an integer" gs run -s quality.min_gq=abc -o "$T/out" "$A"
bcftools annotate -x INFO/BCSQ -Oz -o "$T/plain.vcf.gz" "$A"
expect_error "unannotated input without --genes" "plain.vcf.gz: stage 'consequence': the input has no CSQ, BCSQ or ANN" gs run -o "$T/out" "$T/plain.vcf.gz"
expect_error "VCF without samples" "exac.slice.vcf.gz: the VCF has no samples" gs run -o "$T/out" "$TESTDATA/exac.slice.vcf.gz"
expect_error "missing population file" "population: .*nosuch.vcf.gz: cannot open" gs run -s frequency.population="$T/nosuch.vcf.gz" -o "$T/out" "$A"
expect_error "output directory is a file" "not a directory|cannot create" gs run -o "$T/text.txt/out" "$A"
expect_error "missing regions file" "nosuch.bed: cannot open regions file" gs run -R "$T/nosuch.bed" -o "$T/out" "$A"
expect_error "bad region" "cannot parse region" gs run -r "1:200-100" -o "$T/out" "$A"

B=$TESTDATA/bad-filter-id.bcf
expect_error "BCF with undeclared FILTER id, streamed" "bad-filter-id.bcf: record 1: malformed BCF record \\(a FILTER id the header does not declare\\)" gs run -g "$TESTDATA/genes.hg19.chr1-2.bed" -o "$T/out" "$B"
expect_error "BCF with undeclared FILTER id, through the index" "bad-filter-id.bcf: record 1: malformed BCF record" gs run -r 1 -g "$TESTDATA/genes.hg19.chr1-2.bed" -o "$T/out" "$B"
# streamed BCF: records are decoded and checked on the workers; errors name the record
bcftools view -Ob -o "$T/c.bcf" "$A"
bgzip -dc "$T/c.bcf" >"$T/u.bcf"   # raw BCF, no BGZF blocks
python3 - "$T" <<'PY'
import sys, struct
T = sys.argv[1]
d = bytearray(open(f"{T}/u.bcf", "rb").read())
o = 5 + 4 + struct.unpack("<I", d[5:9])[0]   # magic, l_text, header text
k = 0
while o < len(d):
    ls, li = struct.unpack("<II", d[o:o + 8])
    k += 1
    if k == 4321:
        d[o + 8:o + 12] = struct.pack("<i", 9999)  # a contig id the header lacks
        break
    o += 8 + ls + li
open(f"{T}/badrid.bcf", "wb").write(d)
open(f"{T}/cut.bcf", "wb").write(d[:o + 20])      # ends inside record 4321
PY
for t in 1 3; do
    expect_error "BCF record with a bad contig id, --threads $t" "badrid.bcf: record 4321: malformed BCF record \\(contig id not in the header\\)" gs run --threads $t --ped "$P" -o "$T/out" "$T/badrid.bcf"
    expect_error "BCF ending inside a record, --threads $t" "cut.bcf: truncated BCF record after record 4320" gs run --threads $t --ped "$P" -o "$T/out" "$T/cut.bcf"
    bgzip -c "$T/badrid.bcf" >"$T/badrid.z.bcf"
    expect_error "compressed BCF record with a bad contig id, --threads $t" "badrid.z.bcf: record 4321: malformed BCF record" gs run --threads $t --ped "$P" -o "$T/out" "$T/badrid.z.bcf"
done
# a FORMAT part checked only once a record passes the consequence check: a bad
# FORMAT id in such a record is an error, with its record number
gs run -q --ped "$P" --audit "$T/c.audit.tsv" -o "$T/c.out" "$T/c.bcf"
python3 - "$T" <<'PY'
import sys, struct
T = sys.argv[1]
past = set()
for line in open(f"{T}/c.audit.tsv"):
    f = line.rstrip("\n").split("\t")
    if not line.startswith("#") and f[5] != "consequence":
        past.add(int(f[1]))
d = bytearray(open(f"{T}/u.bcf", "rb").read())
o = 5 + 4 + struct.unpack("<I", d[5:9])[0]
k = 0
while o < len(d):
    ls, li = struct.unpack("<II", d[o:o + 8])
    k += 1
    if k > 2000 and struct.unpack("<i", d[o + 12:o + 16])[0] + 1 in past:
        i = o + 8 + ls                      # the per-sample part: the first FORMAT key, a typed int8
        assert d[i] == 0x11
        t = bytearray(d)
        t[i + 2] = (t[i + 2] & 0xf0) | 7    # its values (GT) typed as characters: htslib's getter exits
        open(f"{T}/badtype.bcf", "wb").write(t)
        d[i + 1] = 127                      # an id the header does not declare
        open(f"{T}/badfmt.bcf", "wb").write(d)
        open(f"{T}/badfmt.rec", "w").write(str(k))
        break
    o += 8 + ls + li
PY
n=$(cat "$T/badfmt.rec")
bgzip -c "$T/badfmt.bcf" >"$T/badfmt.z.bcf"
bgzip -c "$T/badtype.bcf" >"$T/badtype.z.bcf"
for f in badtype.bcf badtype.z.bcf; do
    expect_error "BCF record with GT typed as characters ($f)" "$f: record $n: malformed BCF record \\(a FORMAT value not typed as a number" gs run --threads 2 --ped "$P" -o "$T/out" "$T/$f"
done
for t in 1 3; do
    expect_error "BCF record with a bad FORMAT id, --threads $t" "badfmt.z.bcf: record $n: malformed BCF record \\(a FORMAT id the header does not declare\\)" gs run --threads $t --ped "$P" -o "$T/out" "$T/badfmt.z.bcf"
done
# a header IDX that would make htslib size its id table in gigabytes: refused, with the line
python3 - "$T" <<'PY'
import sys, struct
T = sys.argv[1]
d = open(f"{T}/u.bcf", "rb").read()
n = struct.unpack("<I", d[5:9])[0]
txt = d[9:9 + n].replace(b"IDX=3>", b"IDX=359138663>", 1)
open(f"{T}/bigidx.bcf", "wb").write(d[:5] + struct.pack("<I", len(txt)) + txt + d[9 + n:])
PY
bgzip -c "$T/bigidx.bcf" >"$T/bigidx.z.bcf"
expect_error "BCF header with a huge IDX" "bigidx.z.bcf: header line [0-9]+: IDX=359138663 is beyond any id" gs run --ped "$P" -o "$T/out" "$T/bigidx.z.bcf"
expect_error "raw BCF header with a huge IDX" "bigidx.bcf: header line [0-9]+: IDX=359138663 is beyond any id" gs run --ped "$P" -o "$T/out" "$T/bigidx.bcf"
zcat "$A" | sed '0,/^##INFO=<ID=AC,/s//##INFO=<ID=AC,IDX=999999999,/' | bgzip >"$T/bigidx.vcf.gz"
expect_error "VCF header with a huge IDX" "bigidx.vcf.gz: header line [0-9]+: IDX=999999999 is beyond any id" gs run --ped "$P" -o "$T/out" "$T/bigidx.vcf.gz"
# the same header through htslib's readers (uncompressed, plain gzip, stdin, a region query): still
# checked (before, htslib grew to tens of GB)
zcat "$T/bigidx.vcf.gz" >"$T/bigidx.vcf"
zcat "$T/bigidx.vcf.gz" | gzip >"$T/bigidx.gz.vcf.gz"
expect_error "plain VCF header with a huge IDX" "bigidx.vcf: header line [0-9]+: IDX=999999999 is beyond any id" gs run --ped "$P" -o "$T/out" "$T/bigidx.vcf"
expect_error "gzip VCF header with a huge IDX" "bigidx.gz.vcf.gz: header line [0-9]+: IDX=999999999 is beyond any id" gs run --ped "$P" -o "$T/out" "$T/bigidx.gz.vcf.gz"
expect_error "VCF on stdin with a huge IDX" "-: header line [0-9]+: IDX=999999999 is beyond any id" sh -c "\"\$0\" run --ped '$P' -o '$T/out' - <'$T/bigidx.vcf'" "$GENESIEVE"
tabix -p vcf "$T/bigidx.vcf.gz"
expect_error "region query, header with a huge IDX" "bigidx.vcf.gz: header line [0-9]+: IDX=999999999 is beyond any id" gs run --ped "$P" -r 1 -o "$T/out" "$T/bigidx.vcf.gz"
# candidates beyond 2^29 (a contig longer than a tabix index can hold): an error, not a broken index
zcat "$A" | awk 'BEGIN { OFS = "\t" } /^##contig=<ID=2,/ { print "##contig=<ID=2,length=900000000>"; next }
    /^#/ { print; next } $1 == "2" { $2 += 600000000 } { print }' | bgzip >"$T/long.vcf.gz"
expect_error "candidates beyond a tabix index's reach" "candidates.vcf.gz.tbi: cannot index 2:[0-9]+: a tabix index holds positions up to 2\\^29" gs run --ped "$P" -o "$T/out" "$T/long.vcf.gz"
dd if="$T/c.bcf" of="$T/trunc.bcf" bs=1000 count=300 status=none
expect_error "truncated compressed BCF" "trunc.bcf: (unreadable BCF data|truncated BCF record) after record [0-9]+" gs run --threads 2 --ped "$P" -o "$T/out" "$T/trunc.bcf"
expect_error "empty output directory name" "output directory" gs run -o "" "$A"

# line numbers count the header as written (this one has no ##FILTER=<ID=PASS> line)
printf '##fileformat=VCFv4.2\n##contig=<ID=1>\n##FORMAT=<ID=GT,Number=1,Type=String,Description="g">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n1\t500\t.\tA\tG\t.\t.\t.\tGT\t0/1\n1\t100\t.\tA\tG\t.\t.\t.\tGT\t0/1\n' >"$T/short.vcf"
expect_error "error line number is the file's line" "short.vcf:6: input is not sorted" gs run -g "$TESTDATA/genes.hg19.chr1-2.bed" -o "$T/out" "$T/short.vcf"
printf '##fileformat=VCFv4.2\n##contig=<ID=1>\n##FORMAT=<ID=GT,Number=1,Type=String,Description="g">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ta/b\ta_b\n1\t500\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/1\n' >"$T/names.vcf"
expect_error "two samples, one file name" "samples 'a/b' and 'a_b' would both write" gs run -g "$TESTDATA/genes.hg19.chr1-2.bed" -o "$T/out" "$T/names.vcf"

SOURCE_DATE_EPOCH=yesterday expect_error "malformed SOURCE_DATE_EPOCH" "SOURCE_DATE_EPOCH='yesterday' is not a number" gs run --ped "$P" -o "$T/out" "$A"

# usage errors exit 2
rc=0; gs run >/dev/null 2>&1 || rc=$?
check "run without input exits 2" test "$rc" -eq 2
rc=0; gs frobnicate >/dev/null 2>&1 || rc=$?
check "unknown command exits 2" test "$rc" -eq 2
finish
