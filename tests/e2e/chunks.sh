#!/usr/bin/env bash
# BGZF text is read in chunks of whole blocks that workers inflate and split
# into lines; a line cut by a chunk's end is joined on the main thread.  The
# same text, plain (read by another path) or BGZF-compressed, must give the
# same lists and the same errors with the same line numbers, wherever the
# chunk ends fall: CRLF line ends, blank lines, a line longer than a chunk,
# no final newline, damaged blocks.  Compressed BCF is read the same way (the
# main thread walks the inflated records' lengths; a record cut by a chunk's
# end is joined): it must give the lists of the text.
source "$(dirname "$0")/lib.sh"
P=$TESTDATA/ashk-trio.ped
zcat "$TESTDATA/ashk-trio.vcf.gz" >"$T/base.vcf"

# variants of the text: name, then a python transform of the lines
python3 - "$T" <<'EOF'
import sys
T = sys.argv[1]
lines = open(f"{T}/base.vcf").read().split("\n")[:-1]
hdr = [l for l in lines if l.startswith("#")]
recs = [l for l in lines if not l.startswith("#")]
def write(name, text):
    open(f"{T}/{name}.vcf", "w", newline="").write(text)
write("crlf", "\r\n".join(lines) + "\r\n")
write("blank", "\n".join(hdr + [r + ("\n" if i % 97 == 0 else "") for i, r in enumerate(recs)]) + "\n")
write("nofinal", "\n".join(lines))
# an unused INFO key with a 2.5 MB value on a record in the middle: a chunk with no newline
long = list(recs)
k = len(long) // 2
f = long[k].split("\t")
f[7] = f[7] + ";LONGJUNK=" + "x" * 2_500_000
long[k] = "\t".join(f)
h = hdr[:-1] + ['##INFO=<ID=LONGJUNK,Number=1,Type=String,Description="test filler">'] + hdr[-1:]
write("long", "\n".join(h + long) + "\n")
# errors far from the start: a malformed POS, an unsorted record, a header line
for name, fix in (("badpos", lambda r: r.replace("\t", "\tx", 1)),
                  ("unsorted", None), ("hdrline", None)):
    rr = list(recs)
    j = len(rr) * 2 // 3
    if name == "badpos": rr[j] = fix(rr[j])
    elif name == "unsorted": rr[j], rr[j + 500] = rr[j + 500], rr[j]
    else: rr.insert(j, "##late header line")
    write(name, "\n".join(hdr + rr) + "\n")
EOF
for v in base crlf blank nofinal long badpos unsorted hdrline; do bgzip -c "$T/$v.vcf" >"$T/$v.vcf.gz"; done

gs run -q --ped "$P" -o "$T/ref" "$T/base.vcf"
for v in base crlf blank nofinal long; do
    for t in 1 3; do
        gs run -q --threads $t --ped "$P" -o "$T/$v.$t" "$T/$v.vcf.gz" 2>/dev/null
        check "$v.vcf.gz, --threads $t: same ranked list as the plain text" cmp "$T/ref/HG002.genes.tsv" "$T/$v.$t/HG002.genes.tsv"
    done
done
check "same records counted" cmp <(grep -o '"records": *[0-9]*' "$T/ref/HG002.genes.json" | head -1) \
    <(grep -o '"records": *[0-9]*' "$T/long.3/HG002.genes.json" | head -1)

# a header without contig lines: the tabix index declares them (as htslib's header reader does)
grep -v '^##contig' "$T/base.vcf" | bgzip >"$T/noctg.vcf.gz"
tabix -p vcf "$T/noctg.vcf.gz"
gs run --threads 2 --ped "$P" -o "$T/noctg" "$T/noctg.vcf.gz" 2>"$T/noctg.err"
check "no contig lines, indexed: same ranked list" cmp "$T/ref/HG002.genes.tsv" "$T/noctg/HG002.genes.tsv"
check "no contig lines, indexed: no warning about undeclared contigs" bash -c "! grep -q 'not defined in the header' '$T/noctg.err'"

# the same error, with the same line number, from the plain text and from the chunks
for v in badpos unsorted hdrline; do
    for t in 1 3; do
        rc=0
        gs run -q --ped "$P" -o "$T/e.plain" "$T/$v.vcf" 2>"$T/e.plain.err" || rc=$?
        check "$v: plain text fails" test "$rc" -ne 0
        rc=0
        gs run -q --threads $t --ped "$P" -o "$T/e.gz" "$T/$v.vcf.gz" 2>"$T/e.gz.err" || rc=$?
        check "$v, --threads $t: fails" test "$rc" -ne 0
        check "$v, --threads $t: the error names the same line" \
            cmp <(sed 's/\.vcf\.gz:/.vcf:/' "$T/e.gz.err") "$T/e.plain.err"
        check "$v, --threads $t: no outputs" test ! -e "$T/e.gz/HG002.genes.tsv"
    done
    check "$v: the line is past the first chunks" grep -Eq "$v.vcf:[0-9]{4,}: " "$T/e.plain.err"
done

# damaged compressed input: a CRC, a block header, junk after the last block
python3 - "$T" <<'EOF'
import sys, struct
T = sys.argv[1]
data = open(f"{T}/base.vcf.gz", "rb").read()
offs, o = [], 0
while o < len(data):
    offs.append(o)
    o += struct.unpack("<H", data[o + 16:o + 18])[0] + 1
mid = offs[len(offs) // 2]
end = offs[len(offs) // 2 + 1]
crc = bytearray(data); crc[end - 8] ^= 0xFF
open(f"{T}/badcrc.vcf.gz", "wb").write(crc)
hdr = bytearray(data); hdr[mid + 12] = ord("X")
open(f"{T}/badhdr.vcf.gz", "wb").write(hdr)
open(f"{T}/junk.vcf.gz", "wb").write(data[:offs[-1]] + b"junk after the blocks" + data[offs[-1]:])
EOF
# damaged input FILE, --threads T: a non-zero exit, one error line matching RE (kept in ERRFILE), no outputs
fails_cleanly() { # FILE T RE ERRFILE
    local rc=0 v
    v=$(basename "$1")
    gs run -q --threads "$2" --ped "$P" -o "$T/d" "$1" 2>"$4" || rc=$?
    check "$v, --threads $2: fails" test "$rc" -ne 0
    check "$v, --threads $2: says so in one line" grep -Eq "^genesieve: error: .*$3" "$4"
    check "$v, --threads $2: no outputs" test ! -e "$T/d/HG002.genes.tsv"
}
for v in badcrc badhdr junk; do
    for t in 1 3; do
        fails_cleanly "$T/$v.vcf.gz" $t "$v.vcf.gz: truncated or corrupt input after line [0-9]+$" "$T/d.err"
    done
done
# BCF in chunks: default and stored (level 0: many chunks, records cut by
# their ends) blocks, a record longer than a chunk, no end-of-file block, a
# small file whose records all lie in the header's block
awk '/^#/ || ++n <= 40' "$T/base.vcf" >"$T/small.vcf"
bcftools view -Ob -o "$T/base.bcf" "$T/base.vcf.gz"
bcftools view -Ob -l 0 -o "$T/stored.bcf" "$T/base.vcf.gz"
bcftools view -Ob -l 0 -o "$T/long.bcf" "$T/long.vcf.gz"
bcftools view -Ob -o "$T/small.bcf" "$T/small.vcf"
python3 - "$T" <<'EOF'
import sys, struct
T = sys.argv[1]
for name in ("base", "small"):
    d = open(f"{T}/{name}.bcf", "rb").read()
    assert d.endswith(bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000"))
    open(f"{T}/{name}.noeof.bcf", "wb").write(d[:-28])
# cut at a block boundary inside a record, and inside a block
d = open(f"{T}/stored.bcf", "rb").read()
offs, o = [], 0
while o < len(d):
    offs.append(o)
    o += struct.unpack("<H", d[o + 16:o + 18])[0] + 1
open(f"{T}/cutblock.bcf", "wb").write(d[:offs[len(offs) // 2]])
open(f"{T}/cutmid.bcf", "wb").write(d[:offs[len(offs) // 2] + 3000])
EOF
gs run -q --ped "$P" -o "$T/smallref" "$T/small.vcf"
for t in 1 3; do
    for v in base stored long base.noeof; do
        gs run -q --threads $t --ped "$P" -o "$T/bcf.$v.$t" "$T/$v.bcf" 2>/dev/null
        check "$v.bcf, --threads $t: same ranked list as the text" cmp "$T/ref/HG002.genes.tsv" "$T/bcf.$v.$t/HG002.genes.tsv"
    done
    GENESIEVE_BCF_GUESS=0 gs run -q --threads $t --ped "$P" -o "$T/bcf.noguess.$t" "$T/stored.bcf" 2>/dev/null
    check "stored.bcf, --threads $t, every chunk walked by the main thread: same ranked list" cmp "$T/ref/HG002.genes.tsv" "$T/bcf.noguess.$t/HG002.genes.tsv"
    for v in small small.noeof; do
        gs run -q --threads $t --ped "$P" -o "$T/bcf.$v.$t" "$T/$v.bcf" 2>/dev/null
        check "$v.bcf, --threads $t: same ranked list as its text" cmp "$T/smallref/HG002.genes.tsv" "$T/bcf.$v.$t/HG002.genes.tsv"
    done
    check "long.bcf, --threads $t: every record counted" cmp <(grep -o '"records": *[0-9]*' "$T/ref/HG002.genes.json" | head -1) \
        <(grep -o '"records": *[0-9]*' "$T/bcf.long.$t/HG002.genes.json" | head -1)
    for v in cutblock cutmid; do
        fails_cleanly "$T/$v.bcf" $t "$v.bcf: (truncated BCF record|unreadable BCF data) after record [0-9]{4}" "$T/d.$v.err"
    done
done
check "a cut at a block boundary is a cut record" grep -q "truncated BCF record after" "$T/d.cutblock.err"
check "a cut inside a block is unreadable data" grep -q "unreadable BCF data after" "$T/d.cutmid.err"
finish
