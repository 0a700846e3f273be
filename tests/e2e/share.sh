#!/usr/bin/env bash
# `genesieve share`: Matchmaker Exchange and Phenopacket v2 exports of real
# results of the GIAB trio, checked against the published schemas' required
# fields (tests/e2e/share_check.py says where each rule comes from), and the
# privacy rules: pseudonyms only, no relative's genotype, no path.
source "$(dirname "$0")/lib.sh"
CHECK="python3 $SRCDIR/tests/e2e/share_check.py"
PIPE="$SRCDIR/pipelines/default.yml"   # named by path (results record its file name only)

# results with and without HPO terms
gs run -q --ped "$TESTDATA/ashk-trio.ped" -p "$PIPE" --hpo-data "$TESTDATA/hpo" \
    --hpo 'HP:0001250,HP:0001263,!HP:0000252' -o "$T/res" "$TESTDATA/ashk-trio.vcf.gz"
gs run -q --ped "$TESTDATA/ashk-trio.ped" -o "$T/nopheno" "$TESTDATA/ashk-trio.vcf.gz"
R=$T/res/HG002.genes.json
check "setup: the result records the pipeline and the relatives' genotypes" python3 -c "
import json; d = json.load(open('$R'))
assert d['run']['pipeline'] == 'default.yml' and 'HG003' in d['genes'][0]['variants'][0]['genotypes']"

cat >"$T/share.yml" <<'EOF'
contact:
  name: Dr. Jane Roe
  institution: Example Genetics Clinic
  href: mailto:matches@example.org
  email: matches@example.org
assembly: GRCh37
created_by: Jane Roe
id_prefix: GS-
secret: correct horse battery staple
test: true
EOF
sed 's/^secret: .*/secret: another secret, just as long/' "$T/share.yml" >"$T/other.yml"
printf 'contact:\n  name: Clinic\n  href: https://example.org/contact\nassembly: GRCh37\nids:\n  HG002: CASE-0042\ntop: 3\n' >"$T/map.yml"

gs share --config "$T/share.yml" -o "$T/out" "$R" 2>"$T/share.err"
P=$(python3 -c "import hmac, hashlib; print('GS-' + hmac.new(b'correct horse battery staple', b'HG002', hashlib.sha256).hexdigest()[:16])")
M=$T/out/$P.mme.json
K=$T/out/$P.phenopacket.json
check "files: <pseudonym>.mme.json and .phenopacket.json, pseudonym = prefix + HMAC-SHA256 (Python's hmac)" \
    test "$(ls "$T/out" | tr '\n' ' ')" = "$P.mme.json $P.phenopacket.json "
check "summary line per patient" grep -q "share: .*HG002.genes.json -> .*$P.mme.json" "$T/share.err"

# --- the published schemas' required fields and types ---
check "MME: valid patient request body" $CHECK mme "$M"
check "Phenopacket: valid v2" $CHECK phenopacket "$K"
# the checker itself rejects what the schemas reject
jq_del() { python3 -c "import json, sys; d = json.load(open(sys.argv[1])); exec(sys.argv[2]); json.dump(d, open(sys.argv[3], 'w'))" "$@"; }
jq_del "$M" "del d['patient']['contact']['href']" "$T/bad1.json"
rejects() { # rejects KIND FILE MESSAGE: the checker exits 1 naming the problem (not a crash)
    local out rc=0
    out=$($CHECK "$1" "$2" 2>&1) || rc=$?
    [ "$rc" = 1 ] && grep -q -- "$3" <<<"$out" && ! grep -q Traceback <<<"$out"
}
check "checker: MME without contact.href rejected" rejects mme "$T/bad1.json" "contact: missing required 'href'"
jq_del "$M" "d['patient'].pop('features'); d['patient'].pop('genomicFeatures')" "$T/bad2.json"
check "checker: MME with neither features nor genomicFeatures rejected" rejects mme "$T/bad2.json" "needs at least one of features, genomicFeatures"
jq_del "$K" "del d['interpretations'][0]['diagnosis']['disease']" "$T/bad3.json"
check "checker: Phenopacket diagnosis without disease rejected" rejects phenopacket "$T/bad3.json" "diagnosis: missing required 'disease'"
jq_del "$K" "del d['interpretations'][0]['diagnosis']['genomicInterpretations'][0]['variantInterpretation']['variationDescriptor']['vcfRecord']['pos']" "$T/bad4.json"
check "checker: vcfRecord without pos rejected" rejects phenopacket "$T/bad4.json" "vcfRecord: missing required 'pos'"
jq_del "$K" "d['metaData']['resources'] = [r for r in d['metaData']['resources'] if r['id'] != 'geno']" "$T/bad5.json"
check "checker: Phenopacket without the GENO resource rejected" rejects phenopacket "$T/bad5.json" "no resource for prefix GENO"

# --- content: what the result says, in each format ---
cat >"$T/content.py" <<'EOF'
import json, sys
res, mme, pp, n = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))["patient"], json.load(open(sys.argv[3])), int(sys.argv[4])
top = res["genes"][:n]
want = [(g["gene"], v["chrom"], v["pos"], v["ref"], v["alt"], v["zygosity"]) for g in top for v in g["variants"]]
got = [(f["gene"]["id"], f["variant"]["referenceName"], f["variant"]["start"] + 1, f["variant"]["referenceBases"],
        f["variant"]["alternateBases"], {1: "het", 2: "hom"}[f["zygosity"]]) for f in mme["genomicFeatures"]]
assert got == want, (got, want)
assert all(f["variant"]["end"] == f["variant"]["start"] + len(f["variant"]["referenceBases"]) for f in mme["genomicFeatures"])
assert all(f["variant"]["assembly"] == "GRCh37" for f in mme["genomicFeatures"])
ph = res.get("phenotype")
terms = [(t["id"], t["name"], "yes") for t in ph["observed"]] + [(t["id"], t["name"], "no") for t in ph["excluded"]] if ph else []
assert [(f["id"], f["label"], f["observed"]) for f in mme.get("features", [])] == terms
assert mme["sex"] == "MALE" and mme["test"] is True and mme["species"] == "NCBITaxon:9606"
assert mme["contact"] == {"name": "Dr. Jane Roe", "institution": "Example Genetics Clinic",
                          "href": "mailto:matches@example.org", "email": "matches@example.org"}
assert [(f["type"]["id"], f["type"]["label"], "no" if f.get("excluded") else "yes") for f in pp.get("phenotypicFeatures", [])] == terms
gi = pp["interpretations"][0]["diagnosis"]["genomicInterpretations"]
geno = {"het": ("GENO:0000135", "heterozygous"), "hom": ("GENO:0000136", "homozygous")}
got = [(x["variantInterpretation"]["variationDescriptor"]["geneContext"]["symbol"],) +
       tuple(x["variantInterpretation"]["variationDescriptor"]["vcfRecord"][k] for k in ("chrom", "pos", "ref", "alt")) +
       ({v: k for k, v in geno.items()}[tuple(x["variantInterpretation"]["variationDescriptor"]["allelicState"].values())],)
       for x in gi]
assert got == want, (got, want)
d = pp["interpretations"][0]["diagnosis"]["disease"]
best = (top[0].get("phenotype") or {}).get("disease")
assert (d["id"], d["label"]) == ((best["id"], best["name"]) if best else ("MONDO:0000001", "disease")), d
assert pp["subject"] == {"id": pp["id"], "sex": "MALE"} and pp["metaData"]["createdBy"] == "Jane Roe"
assert pp["metaData"]["created"] == "2023-11-14T22:13:20Z"   # SOURCE_DATE_EPOCH=1700000000
hp = [r for r in pp["metaData"]["resources"] if r["id"] == "hp"]
assert (hp[0]["version"] if hp else None) == (ph["hpo_release"] if ph else None)
EOF
check "content: top 5 genes' variants, zygosity, terms, sex, contact, disease, date (default N = 5)" \
    python3 "$T/content.py" "$R" "$M" "$K" 5
check "the result has more than 5 genes (so N matters)" test "$(python3 -c "import json; print(len(json.load(open('$R'))['genes']))")" -gt 5
gs pheno -q --hpo-data "$TESTDATA/hpo" --phenopacket "$K" --top 20 >"$T/pk.tsv"
gs pheno -q --hpo-data "$TESTDATA/hpo" --hpo 'HP:0001250,HP:0001263,!HP:0000252' --top 20 >"$T/hpo.tsv"
check "our own phenopacket reader takes the export (same 20 genes and scores as --hpo)" \
    bash -c "test \$(wc -l <'$T/pk.tsv') = 21 && cmp -s '$T/pk.tsv' '$T/hpo.tsv'"

# --- privacy ---
INPUT_PATH=$TESTDATA/ashk-trio.vcf.gz
for f in "$M" "$K"; do
    check "privacy: $(basename "$f"): no sample name, genotype text, input or pipeline path, depth or quality" \
        $CHECK privacy "$f" HG002 HG003 HG004 ashk-trio "$INPUT_PATH" "$PIPE" "$TESTDATA" "$T" 0/1 1/1 "0|1" \
        genotypes alt_reads passed_quality '"gq"' '"dp"' settings
    check "privacy: $(basename "$f"): grep finds no relative" bash -c "! grep -q -e HG003 -e HG004 -e HG002 '$f'"
done

jq_del "$M" "d['patient']['label'] = '/data/HG003.vcf.gz'" "$T/bad6.json"
out=$($CHECK privacy "$T/bad6.json" HG003 2>&1 || true)
check "checker: privacy catches a relative's name and a path" \
    bash -c "grep -q \"holds forbidden text 'HG003'\" <<<\"\$1\" && grep -q 'looks like a path' <<<\"\$1\"" _ "$out"

# --- N ---
gs share -q --config "$T/share.yml" -n 2 -o "$T/n2" "$R"
check "-n 2: the top 2 genes only" python3 "$T/content.py" "$R" "$T/n2/$P.mme.json" "$T/n2/$P.phenopacket.json" 2
check "-n 2: two distinct genes" test "$(python3 -c "import json; print(len({f['gene']['id'] for f in json.load(open('$T/n2/$P.mme.json'))['patient']['genomicFeatures']}))")" = 2
rc=0; gs share -q --config "$T/share.yml" -n 0 -o "$T/n0" "$R" 2>/dev/null || rc=$?
check "-n 0 is a usage error (exit 2), nothing written" bash -c "test $rc = 2 && ! test -e '$T/n0'"

# --- pseudonyms: stable, keyed, or mapped ---
gs share -q --config "$T/share.yml" -o "$T/again" "$R"
check "pseudonyms: same secret, same id and bytes" cmp "$M" "$T/again/$P.mme.json"
check "pseudonyms: the phenopacket too" cmp "$K" "$T/again/$P.phenopacket.json"
gs share -q --config "$T/other.yml" -o "$T/other" "$R"
P2=$(ls "$T/other" | sed -n 's/\.mme\.json$//p')
check "pseudonyms: another secret, another id ($P2)" bash -c "[[ '$P2' == GS-???????????????? && '$P2' != '$P' ]]"
gs share -q --config "$T/map.yml" -o "$T/map" "$R"
check "pseudonyms: ids: map names the files and ids" test "$(python3 -c "import json; print(json.load(open('$T/map/CASE-0042.phenopacket.json'))['subject']['id'])")" = CASE-0042
check "config top: 3 used without -n" python3 -c "
import json; d = json.load(open('$T/map/CASE-0042.mme.json'))['patient']
assert len({f['gene']['id'] for f in d['genomicFeatures']}) == 3 and 'test' not in d and d['contact']['name'] == 'Clinic'"

# --- atomic outputs, refusal, --force ---
rc=0; gs share --config "$T/share.yml" -o "$T/out" "$R" 2>"$T/exists.err" || rc=$?
check "existing output: refused (exit 1)" test "$rc" = 1
check "existing output: one error line naming the file and --force" \
    bash -c "test \$(wc -l <'$T/exists.err') = 1 && grep -q \"^genesieve: error: $M: already exists; use --force\" '$T/exists.err'"
ino=$(stat -c %i "$M")
gs share -q --force --config "$T/share.yml" -o "$T/out" "$R"
check "--force: replaced by renaming a new file into place (new inode), same bytes" \
    bash -c "test \$(stat -c %i '$M') != $ino && cmp -s '$M' '$T/again/$P.mme.json'"
check "no temporary files left" test "$(ls -A "$T/out" | wc -l)" = 2
# a bad second input: nothing written for the good first one either
printf '{"schema": "genesieve.genes/1", "sample": "X"}' >"$T/broken.genes.json"
rc=0; gs share --config "$T/share.yml" -o "$T/atomic" "$R" "$T/broken.genes.json" 2>"$T/atomic.err" || rc=$?
check "bad second input: exit 1, no output directory, one error line" \
    bash -c "test $rc = 1 && ! test -e '$T/atomic' && test \$(wc -l <'$T/atomic.err') = 1 && grep -q 'broken.genes.json: no genes array' '$T/atomic.err'"
mkdir -p "$T/ro" && chmod 555 "$T/ro"
if [ "$(id -u)" != 0 ]; then
    rc=0; gs share --config "$T/share.yml" -o "$T/ro" "$R" 2>"$T/ro.err" || rc=$?
    check "unwritable directory: exit 1, nothing left" bash -c "test $rc = 1 && test -z \"\$(ls -A '$T/ro')\""
fi
chmod 755 "$T/ro"
rc=0; gs share --config "$T/share.yml" -o "$T/twice" "$R" "$T/res/./HG002.genes.json" 2>"$T/twice.err" || rc=$?
check "the same patient twice: refused" bash -c "test $rc = 1 && grep -q 'both give pseudonym' '$T/twice.err' && ! test -e '$T/twice'"

# --- bad configuration: one line naming file:line ---
printf 'contact:\n  name: Clinic\n  href: https://example.org\nassembly: GRCh37\nsecret: 0123456789abcdef\ncolour: blue\n' >"$T/bad.yml"
rc=0; gs share --config "$T/bad.yml" -o "$T/badcfg" "$R" 2>"$T/bad.err" || rc=$?
check "bad config: exit 1, one line 'FILE:6: unknown key', no output" \
    bash -c "test $rc = 1 && test \$(wc -l <'$T/bad.err') = 1 && grep -q \"^genesieve: error: $T/bad.yml:6: unknown key 'colour'\" '$T/bad.err' && ! test -e '$T/badcfg'"
printf 'contact:\n  name: Clinic\n  href: https://example.org\nassembly: GRCh37\nsecret: short\n' >"$T/bad2.yml"
gs share --config "$T/bad2.yml" -o "$T/badcfg" "$R" 2>"$T/bad2.err" || true
check "bad config: short secret named with its line" grep -q "bad2.yml:5: secret: too short" "$T/bad2.err"
printf 'contact: [\n' >"$T/bad3.yml"
gs share --config "$T/bad3.yml" -o "$T/badcfg" "$R" 2>"$T/bad3.err" || true
check "bad config: invalid YAML named with its line" grep -q "bad3.yml:[0-9]*: invalid YAML" "$T/bad3.err"
printf 'contact:\n  name: Clinic\n  href: https://example.org\nassembly: GRCh37\nids:\n  HG009: P9\n' >"$T/nomap.yml"
rc=0; gs share --config "$T/nomap.yml" -o "$T/badcfg" "$R" 2>"$T/nomap.err" || rc=$?
check "a patient without pseudonym (no ids: entry, no secret): refused, the raw name is never used" \
    bash -c "test $rc = 1 && grep -q 'has no pseudonym' '$T/nomap.err' && ! test -e '$T/badcfg'"

# --- a result without phenotype block ---
gs share -q --config "$T/share.yml" -o "$T/np" "$T/nopheno/HG002.genes.json"
check "no phenotype: MME valid (genomicFeatures carry it)" $CHECK mme "$T/np/$P.mme.json"
check "no phenotype: Phenopacket valid" $CHECK phenopacket "$T/np/$P.phenopacket.json"
check "no phenotype: no features, placeholder disease, no hp resource" \
    python3 "$T/content.py" "$T/nopheno/HG002.genes.json" "$T/np/$P.mme.json" "$T/np/$P.phenopacket.json" 5
check "no phenotype: MME has no features key" bash -c "! grep -q '\"features\"' '$T/np/$P.mme.json'"
# hemizygous on chrX, and nothing at all to share
python3 - "$T/nopheno/HG002.genes.json" "$T/hemi.genes.json" "$T/empty.genes.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
v = d["genes"][0]["variants"][0]
v["chrom"], v["zygosity"] = "chrX", "hemi"
json.dump(d, open(sys.argv[2], "w"))
d["genes"] = []
json.dump(d, open(sys.argv[3], "w"))
EOF
gs share -q --config "$T/share.yml" -n 1 -o "$T/hemi" "$T/hemi.genes.json"
check "hemizygous: MME zygosity 1 on referenceName X, GENO:0000134 in the phenopacket" python3 -c "
import json
m = json.load(open('$T/hemi/$P.mme.json'))['patient']['genomicFeatures'][0]
p = json.load(open('$T/hemi/$P.phenopacket.json'))['interpretations'][0]['diagnosis']['genomicInterpretations'][0]
vd = p['variantInterpretation']['variationDescriptor']
assert m['zygosity'] == 1 and m['variant']['referenceName'] == 'X', m
assert vd['allelicState'] == {'id': 'GENO:0000134', 'label': 'hemizygous'} and vd['vcfRecord']['chrom'] == 'chrX', vd"
check "hemizygous: both valid" bash -c "$CHECK mme '$T/hemi/$P.mme.json' && $CHECK phenopacket '$T/hemi/$P.phenopacket.json'"
rc=0; gs share --config "$T/share.yml" -o "$T/empty" "$T/empty.genes.json" 2>"$T/empty.err" || rc=$?
check "no terms and no genes: refused (MME needs one or the other)" \
    bash -c "test $rc = 1 && grep -q 'nothing to share' '$T/empty.err' && ! test -e '$T/empty'"
check "not a result: refused" bash -c "! '$GENESIEVE' share --config '$T/share.yml' -o '$T/x' '$T/share.yml' 2>/dev/null && ! test -e '$T/x'"
finish
