#!/usr/bin/env bash
# JSON, HTML report and candidates.vcf.gz: well-formed, consistent with the
# TSV, hostile input shown as text, and the report checked in headless Chromium
# (Debian's chromium).  The screenshot stays in $GS_SCREENSHOT_DIR (default:
# the build directory) for a person to look at.
source "$(dirname "$0")/lib.sh"
command -v chromium >/dev/null || { fail "chromium is not installed (apt-get install chromium)"; finish; }
SHOTS=${GS_SCREENSHOT_DIR:-$(dirname "$GENESIEVE")}
A=$TESTDATA/ashk-trio.vcf.gz
gs run -q --ped "$TESTDATA/ashk-trio.ped" -o "$T/out" "$A"
O=$T/out
check "JSON parses and has the schema id" python3 -c "import json,sys; d=json.load(open('$O/HG002.genes.json')); sys.exit(d['schema'] != 'genesieve.genes/1')"
python3 -c "import json; [print(g['gene']) for g in json.load(open('$O/HG002.genes.json'))['genes']]" >"$T/json.genes"
col gene "$O/HG002.genes.tsv" >"$T/tsv.genes"
check "JSON genes = TSV genes, in rank order" diff "$T/json.genes" "$T/tsv.genes"
check "JSON lists each variant with every family member's genotype" python3 -c "
import json, sys
d = json.load(open('$O/HG002.genes.json'))
ok = all(set(v['genotypes']) == {'HG002', 'HG003', 'HG004'} for g in d['genes'] for v in g['variants'])
sys.exit(not ok or not d['genes'])"
# candidates.vcf.gz: indexed, and every listed allele carries its gene
check "candidates.vcf.gz is indexed" bcftools view -H -r 1:1-50000000 "$O/candidates.vcf.gz" -o /dev/null
for reg in 1:1-50000000 1:150000000-160000000 2:1-243000000; do   # the index finds what a full scan finds
    check "candidates.vcf.gz index, $reg" cmp <(bcftools view -H -r "$reg" "$O/candidates.vcf.gz") <(bcftools view -H -t "$reg" "$O/candidates.vcf.gz")
done
# the index answers as one tabix builds from the same file does
mkdir -p "$T/tabix" && cp "$O/candidates.vcf.gz" "$T/tabix/" && tabix -f -p vcf "$T/tabix/candidates.vcf.gz"
check "candidates.vcf.gz.tbi: the contigs tabix lists" cmp <(tabix -l "$O/candidates.vcf.gz") <(tabix -l "$T/tabix/candidates.vcf.gz")
for reg in 1:1-1 1:1000000-1016384 1:16384-16385 1:100000000-200000000 2:5000000-5000100 2:200000000-243000000 1 2; do
    check "candidates.vcf.gz.tbi, $reg: as tabix's own index" cmp <(tabix "$O/candidates.vcf.gz" "$reg") <(tabix "$T/tabix/candidates.vcf.gz" "$reg")
done
# every record found through the index at its own position (and nothing else)
zcat "$O/candidates.vcf.gz" | grep -v '^#' | awk -F'\t' '{ print $1 "\t" $2 }' | uniq >"$T/at.tsv"
check "candidates.vcf.gz.tbi: each record found at its position" \
    cmp <(tabix -R "$T/at.tsv" "$O/candidates.vcf.gz" | sort -u) <(zcat "$O/candidates.vcf.gz" | grep -v '^#' | sort -u)
check "candidates.vcf.gz: records on both contigs" test "$(bcftools view -H "$O/candidates.vcf.gz" | cut -f1 | sort -u | tr '\n' ' ')" = "1 2 "
bcftools query -f '%CHROM:%POS:%REF:%ALT\t%GS_GENE\n' "$O/candidates.vcf.gz" >"$T/cand.txt"
cols "variants gene" "$O/HG002.genes.tsv" | awk -F'\t' '{n = split($1, v, ","); for (i = 1; i <= n; i++) print v[i] "\t" $2}' | sort -u >"$T/tsv.txt"
missing=$(awk -F'\t' 'NR == FNR {split($2, g, ","); for (i in g) have[$1 "\t" g[i]] = 1; next} !($0 in have)' "$T/cand.txt" "$T/tsv.txt" | wc -l)
check "every (variant, gene) of the TSV is in candidates.vcf.gz" test "$missing" -eq 0

chrome() { # URL, then extra flags: prints stderr and the DOM
    local url=$1; shift
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$T/chrome" --enable-logging=stderr --v=0 "$@" "$url" 2>&1
}
chrome "file://$O/HG002.report.html" --dump-dom >"$T/dom.txt"
check "the report loads without console messages or errors" bash -c "! grep -q 'CONSOLE' '$T/dom.txt'"
top=$(col gene "$O/HG002.genes.tsv" | head -1)
check "the report shows the top gene ($top)" grep -q "<span class=\"gene\" id=\"top-gene\">$top</span>" "$T/dom.txt"
check "the table script ran (rows counted)" grep -q '<span id="shown">[0-9][0-9]*</span>' "$T/dom.txt"
chrome "file://$O/HG002.report.html" --window-size=1280,1700 --screenshot="$SHOTS/report-HG002.png" >/dev/null
check "screenshot written: $SHOTS/report-HG002.png" test -s "$SHOTS/report-HG002.png"

# hostile names: a sample called <script>..., a gene called <img onerror=...>, a non-UTF-8 byte
printf '##fileformat=VCFv4.2\n##contig=<ID=1,length=249250621>\n##FORMAT=<ID=GT,Number=1,Type=String,Description="g">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t<script>document.title="pwned"</script>\x27"&\xff\n1\t870000\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\n' >"$T/hostile.vcf"
printf '1\t860000\t880000\t<img src=x onerror="document.title=\x27pwned\x27">\n' >"$T/hostile.bed"
gs run -q -g "$T/hostile.bed" -o "$T/h" "$T/hostile.vcf"
# the file names hold the hostile sample name too: copy to plain names
cp "$T"/h/*.report.html "$T/h.html"
cp "$T"/h/*.genes.json "$T/h.json"
H=$T/h.html
check "no raw <script> or <img> from the input in the HTML" bash -c "! grep -q -e '<script>document' -e '<img src' '$H'"
check "the names appear escaped" grep -q '&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;' "$H"
check "the HTML is valid UTF-8 (the stray byte became U+FFFD)" python3 -c "open('$H', encoding='utf-8').read()"
check "hostile JSON still parses" python3 -c "import json; json.load(open('$T/h.json'))"
chrome "file://$H" --dump-dom >"$T/hdom.txt"
check "no injected script ran in Chromium (title unchanged)" bash -c "! grep -q '<title>pwned' '$T/hdom.txt' && grep -q '<title>GeneSieve: ' '$T/hdom.txt'"
finish
