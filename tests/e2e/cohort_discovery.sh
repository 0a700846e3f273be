#!/usr/bin/env bash
# `genesieve cohort`: a small multi-family case built from the GIAB trio in
# testdata/.  Five families, each the trio renamed and cut to a different part
# of chromosomes 1-2 (so their backgrounds differ); a de novo frameshift in
# SCN1A planted in families A, B and C (B has two affected siblings who both
# carry it), and a gene with a hostile name planted in families D and E.
# Checked: the planted genes and their families, relatives counted once, a PED
# that relates two families, p-values/FDR, the same table from the partial
# result of one run over the merged VCF, a hand-computed tiny case, valid JSON,
# escaped HTML, and errors on bad input.
source "$(dirname "$0")/lib.sh"
A=$TESTDATA/ashk-trio.vcf.gz
HOSTILE='<b>"X&Y'"'"'</b>'                   # a gene name that is also HTML
PSCRIPT='P<script>alert(1)</script>'         # a patient name that is also HTML
declare -A REGION=([A]=1:1-30000000 [B]=1:30000001-90000000 [C]=1:90000001-150000000
                   [D]=1:150000001-200000000 [E]=1:200000001-249250621,2)
# planted records: CHROM POS REF ALT BCSQ-gene, genotypes child/father/mother
plant() { # gene pos
    printf '2\t%s\t.\tC\tCA\t500\tPASS\tBCSQ=frameshift|%s|ENST0|protein_coding|+|1X>1Y|%sC>CA\tGT:AD:DP:GQ:PL\t0/1:20,18:38:99:500,0,500\t0/0:40,0:40:99:0,120,900\t0/0:35,0:35:99:0,110,900\n' "$2" "$1" "$2"
}
for f in A B C D E; do
    kid=${f}_K
    [ $f = E ] && kid=$PSCRIPT
    printf 'HG002\t%s\nHG003\t%s_D\nHG004\t%s_M\n' "$kid" $f $f >"$T/names.$f"
    bcftools view -r "${REGION[$f]}" "$A" -Ov -o "$T/$f.bg.vcf"
    {
        grep '^#' "$T/$f.bg.vcf"
        grep -v '^#' "$T/$f.bg.vcf" || true
        case $f in
        A) plant SCN1A 166850001 ;;
        B) plant SCN1A 166851002 ;;
        C) plant SCN1A 166852003 ;;
        D) plant "$HOSTILE" 100000001 ;;
        E) plant "$HOSTILE" 100000002 ;;
        esac
    } | bcftools sort -Oz -o "$T/$f.sorted.vcf.gz" 2>/dev/null
    bcftools reheader -s "$T/names.$f" -o "$T/$f.vcf.gz" "$T/$f.sorted.vcf.gz"
    bcftools index "$T/$f.vcf.gz"
    printf '%s\t%s\t%s_D\t%s_M\t1\t2\n%s\t%s_D\t0\t0\t1\t1\n%s\t%s_M\t0\t0\t2\t1\n' "fam$f" "$kid" $f $f "fam$f" $f "fam$f" $f >"$T/$f.ped"
done
# family B: a second affected child (a copy of HG002's calls) who carries the same de novo
bcftools view -s B_K "$T/B.vcf.gz" | sed 's/\tB_K$/\tB_K2/' | bcftools view -Oz -o "$T/B2.vcf.gz"
bcftools index "$T/B2.vcf.gz"
bcftools merge -Oz -o "$T/Bq.vcf.gz" "$T/B.vcf.gz" "$T/B2.vcf.gz"
bcftools index "$T/Bq.vcf.gz"
printf 'famB\tB_K2\tB_D\tB_M\t2\t2\n' >>"$T/B.ped"
mkdir -p "$T/runs"
for f in A B C D E; do
    vcf=$T/$f.vcf.gz
    [ $f = B ] && vcf=$T/Bq.vcf.gz
    gs run -q --ped "$T/$f.ped" -o "$T/runs/$f" "$vcf"
done
check "family B has two patients" test -f "$T/runs/B/B_K2.genes.json" -a -f "$T/runs/B/B_K.genes.json"

gs cohort -q -o "$T/c" "$T"/runs/* 2>"$T/err" || { cat "$T/err" >&2; fail "cohort failed"; }
tsv=$T/c/cohort.genes.tsv
check "the three outputs exist" test -s "$tsv" -a -s "$T/c/cohort.genes.json" -a -s "$T/c/cohort.html"
check "SCN1A ranks first" test "$(cols "rank gene" "$tsv" | head -1)" = "1	SCN1A"
check "SCN1A: families A, B, C (B's two siblings count once)" \
    test "$(awk -F'\t' '$2 == "SCN1A"' "$tsv" | cut -f4,5)" = "3	famA,famB,famC"
check "SCN1A: four patients" test "$(awk -F'\t' '$2 == "SCN1A"' "$tsv" | cut -f6,7)" = "4	A_K,B_K,B_K2,C_K"
check "SCN1A: the de novo high-impact test (a frameshift), 3 observed" \
    test "$(awk -F'\t' '$2 == "SCN1A"' "$tsv" | cut -f10-12)" = "de_novo:3	de_novo_high	3"
check "SCN1A: phenotype coherence not computed (NA)" test "$(awk -F'\t' '$2 == "SCN1A"' "$tsv" | cut -f16)" = NA
check "the hostile gene is listed with families D and E" \
    test "$(awk -F'\t' -v g="$HOSTILE" '$2 == g' "$tsv" | cut -f4,5)" = "2	famD,famE"
check "every listed gene has two or more families" awk -F'\t' 'NR > 1 && $4 < 2 { exit 1 }' "$tsv"
check "p-values and FDR in [0, 1], FDR >= p" awk -F'\t' 'NR > 1 && ($14 < 0 || $14 > 1 || $15 < 0 || $15 > 1 || $15 < $14) { exit 1 }' "$tsv"
check "FDR never decreases down the table" awk -F'\t' 'NR > 2 && $15 < prev { exit 1 } { prev = $15 }' "$tsv"
python3 - "$T/c/cohort.genes.json" <<'EOF' || fail "cohort.genes.json: structure"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "genesieve.cohort/1"
g = {x["gene"]: x for x in d["genes"]}
s = g["SCN1A"]
assert s["families"] == ["famA", "famB", "famC"] and s["patients"] == ["A_K", "B_K", "B_K2", "C_K"]
assert s["phenotype_coherence"] is None and s["modes"] == {"de_novo": 3}
assert len(d["families"]) == 5 and sum(len(f["patients"]) for f in d["families"]) == 6
assert [x["rank"] for x in d["genes"]] == list(range(1, len(d["genes"]) + 1))
assert all(0 <= x["p_value"] <= x["fdr"] <= 1 for x in d["genes"])
EOF
pass
# HTML: self-contained, every name escaped
html=$T/c/cohort.html
check "HTML: the hostile gene is escaped" grep -qF '&lt;b&gt;&quot;X&amp;Y&#39;&lt;/b&gt;' "$html"
check "HTML: the hostile patient is escaped" grep -qF 'P&lt;script&gt;alert(1)&lt;/script&gt;' "$html"
check "HTML: no raw hostile markup" bash -c "! grep -qF -e '<b>\"X' -e '<script>alert' '$html'"
check "HTML: no network resources" bash -c "! grep -qiE '(src|href)=\"(https?:)?//' '$html'"
check "HTML: one script" test "$(grep -o '<script>' "$html" | wc -l)" -eq 1

# relatives never count twice: a PED that puts families A and C in one family
{ cat "$T"/[ABCDE].ped; } | sed 's/^famC\t/famA\t/' >"$T/related.ped"
gs cohort -q --ped "$T/related.ped" -o "$T/c_rel" "$T"/runs/*
check "PED relating A and C: SCN1A in two families" \
    test "$(awk -F'\t' '$2 == "SCN1A"' "$T/c_rel/cohort.genes.tsv" | cut -f4,5)" = "2	famA,famB"
check "related families: SCN1A is less significant" awk -F'\t' -v a="$T/c/cohort.genes.tsv" -v b="$T/c_rel/cohort.genes.tsv" \
    'FNR == 1 { f++ } $2 == "SCN1A" { p[f] = $14 } END { exit !(p[2] > p[1]) }' "$T/c/cohort.genes.tsv" "$T/c_rel/cohort.genes.tsv"
# the same patient twice (a directory and its file) is one patient
gs cohort -q -o "$T/c_dup" "$T"/runs/* "$T/runs/A/A_K.genes.json"
check "an input given twice changes nothing" cmp "$T/c/cohort.genes.tsv" "$T/c_dup/cohort.genes.tsv"

# one run over the merged multi-family VCF, as a partial result: the same table
bcftools merge -Oz -o "$T/all.vcf.gz" "$T/A.vcf.gz" "$T/Bq.vcf.gz" "$T/C.vcf.gz" "$T/D.vcf.gz" "$T/E.vcf.gz"
cat "$T"/[ABCDE].ped >"$T/all.ped"
gs run -q --ped "$T/all.ped" --partial "$T/all.partial.json" "$T/all.vcf.gz"
gs cohort -q -o "$T/c_part" "$T/all.partial.json"
check "partial result of one multi-family run: the same cohort table" cmp "$T/c/cohort.genes.tsv" "$T/c_part/cohort.genes.tsv"

# a tiny case computed by hand: three families, known lengths
mkdir -p "$T/tiny"
printf 'gene\tchrom\tlength\nG1\t1\t1000\nA1\t1\t1000\nB1\t1\t1000\nC1\t1\t1000\nD1\t1\t1000\nE1\t1\t5000\n' >"$T/tiny/lengths.tsv"
python3 - "$T/tiny" <<'EOF'
import json, sys
# (gene, mode, consequence of its variant): G1 de novo in F1 (a stop) and F2 (a missense), C1 a compound
# heterozygote with a frameshift
fams = {"F1": [("G1", "de_novo", "stop_gained"), ("A1", "comp_het", "missense_variant")], "F2": [("G1", "de_novo", "missense_variant")],
        "F3": [("B1", "ar_hom", "missense_variant"), ("C1", "comp_het", "frameshift_variant"), ("D1", "ad_inherited", "missense_variant")]}
for f, genes in fams.items():
    d = {"schema": "genesieve.genes/1", "sample": f + "_kid", "family": [{"sample": f + "_kid", "family": f, "role": "patient"}],
         "genes": [{"rank": i + 1, "gene": g, "chrom": "1", "score": 1.0, "mode": m, "consequence": csq,
                    "variants": [{"chrom": "1", "pos": 1000 * (i + 1), "ref": "A", "alt": "T", "consequence": csq}]}
                   for i, (g, m, csq) in enumerate(genes)]}
    json.dump(d, open(f"{sys.argv[1]}/{f}_kid.genes.json", "w"))
EOF
gs cohort -q --gene-lengths "$T/tiny/lengths.tsv" --min-families 1 -o "$T/tiny/out" "$T/tiny"
gs cohort -q --gene-lengths "$T/tiny/lengths.tsv" --min-families 1 --tests any -o "$T/tiny/out1" "$T/tiny"
python3 - "$T/tiny" <<'EOF' || fail "tiny case: p-values and FDR differ from the hand computation"
import itertools, json, math, sys
# universe 10,000 bp (genes of chromosome 1: five of 1,000 bp, one of 5,000); per family and class,
# single-allele hits at rate r = their count / 10,000 per bp (1 - e^{-rL}), and genes hit only as
# compound heterozygotes, (1 - e^{-aL})^2, a such that the universe holds as many on average
T = 10000.0
lengths = [1000.0] * 5 + [5000.0]
# classes: any, dn (de novo), rec (recessive), dnh and rech (the same with a HIGH-impact variant)
single = {"any": {"F1": 1, "F2": 1, "F3": 2}, "dn": {"F1": 1, "F2": 1, "F3": 0}, "rec": {"F1": 0, "F2": 0, "F3": 1},
          "dnh": {"F1": 1, "F2": 0, "F3": 0}, "rech": {"F1": 0, "F2": 0, "F3": 0}}
pairs = {"any": {"F1": 1, "F2": 0, "F3": 1}, "dn": {"F1": 0, "F2": 0, "F3": 0}, "rec": {"F1": 1, "F2": 0, "F3": 1},
         "dnh": {"F1": 0, "F2": 0, "F3": 0}, "rech": {"F1": 0, "F2": 0, "F3": 1}}
hits = {"G1": {"F1": {"dn", "dnh"}, "F2": {"dn"}}, "A1": {"F1": {"rec"}}, "B1": {"F3": {"rec"}}, "C1": {"F3": {"rec", "rech"}},
        "D1": {"F3": set()}}
def allele_rate(m):  # bisection on a, linear scale (the program bisects ln a)
    if m == 0:
        return 0.0
    lo, hi = 0.0, 1.0
    for _ in range(200):
        a = (lo + hi) / 2
        lo, hi = (a, hi) if sum((1 - math.exp(-a * L)) ** 2 for L in lengths) < m else (lo, a)
    return (lo + hi) / 2
def hit_prob(cl, f, L):
    a = allele_rate(pairs[cl][f])
    return 1 - math.exp(-single[cl][f] / T * L) * (1 - (1 - math.exp(-a * L)) ** 2)
def tail(ps, k):  # brute force over all outcomes
    tot = 0.0
    for out in itertools.product([0, 1], repeat=len(ps)):
        if sum(out) >= k:
            tot += math.prod(p if o else 1 - p for p, o in zip(ps, out))
    return tot
def pval(g, classes):
    best = 1.0
    for cl in classes:
        ps = [hit_prob(cl, f, 1000.0) for f in ("F1", "F2", "F3")]
        k = sum(1 for f, c in hits[g].items() if cl == "any" or cl in c)
        if k:
            best = min(best, min(1.0, tail(ps, k) * len(classes)))
    return best
def bh(p):
    order = sorted(p, key=lambda g: p[g]); m = len(p); q = {}; run = 1.0
    for r in range(m - 1, -1, -1):
        run = min(run, p[order[r]] * m / (r + 1)); q[order[r]] = run
    return q
for out, classes in (("out1", ["any"]), ("out", ["any", "dn", "rec", "dnh", "rech"])):
    p = {g: pval(g, classes) for g in hits}
    q = bh(p)
    d = json.load(open(f"{sys.argv[1]}/{out}/cohort.genes.json"))
    got = {x["gene"]: x for x in d["genes"]}
    assert set(got) == set(hits), (out, set(got))
    for g in hits:
        assert math.isclose(got[g]["p_value"], p[g], rel_tol=1e-5), (out, g, got[g]["p_value"], p[g])
        assert math.isclose(got[g]["fdr"], q[g], rel_tol=1e-5), (out, g, got[g]["fdr"], q[g])
    assert d["genes"][0]["gene"] == "G1"
# the numbers themselves, for a reader: G1 over all modes.  F2 has no compound heterozygote;
# F1 and F3 have one each, so a solves 5 (1 - e^{-1000a})^2 + (1 - e^{-5000a})^2 = 1
a = allele_rate(1)
assert math.isclose(5 * (1 - math.exp(-1000 * a)) ** 2 + (1 - math.exp(-5000 * a)) ** 2, 1, rel_tol=1e-9)
q = (1 - math.exp(-1000 * a)) ** 2
p1, p2, p3 = 1 - math.exp(-0.1) * (1 - q), 1 - math.exp(-0.1), 1 - math.exp(-0.2) * (1 - q)
want = p1 * p2 * (1 - p3) + p1 * (1 - p2) * p3 + (1 - p1) * p2 * p3 + p1 * p2 * p3
got = json.load(open(f"{sys.argv[1]}/out1/cohort.genes.json"))["genes"][0]
assert math.isclose(got["p_value"], want, rel_tol=1e-6), (got["p_value"], want)
EOF
pass

# cohort frequency: a variant listed in more than max(3, 5 % of the families) supports no hit
mkdir -p "$T/freq"
python3 - "$T/freq" <<'EOF'
import json, sys
def var(pos, csq, modes):
    return {"chrom": "1", "pos": pos, "ref": "A", "alt": "T", "consequence": csq, "modes": modes}
for i in range(1, 6):
    genes = [("Z1", "de_novo", [var(5000, "stop_gained", ["de_novo"])]),  # the same allele in five families: common
             ("Y%d" % i, "de_novo", [var(6000 + i, "missense_variant", ["de_novo"])])]
    if i == 1:  # a compound het whose second allele is the common one: no hit; an ar_hom kept by its rare allele
        genes.append(("W1", "comp_het", [var(7001, "stop_gained", ["comp_het"]), var(5000, "stop_gained", ["comp_het", "de_novo?"])]))
        genes.append(("V1", "ar_hom", [var(8001, "missense_variant", ["ar_hom"]), var(5000, "stop_gained", ["de_novo"])]))
    if i == 2:  # the same compound het with two rare alleles: a hit
        genes.append(("W1", "comp_het", [var(7002, "stop_gained", ["comp_het"]), var(7003, "missense_variant", ["comp_het"])]))
    d = {"schema": "genesieve.genes/1", "sample": "P%d" % i, "family": [{"sample": "P%d" % i, "family": "fam%d" % i}],
         "genes": [{"rank": r + 1, "gene": g, "chrom": "1", "score": 1.0, "mode": m, "consequence": "stop_gained", "variants": v}
                   for r, (g, m, v) in enumerate(genes)]}
    json.dump(d, open(f"{sys.argv[1]}/P{i}.genes.json", "w"))
EOF
gs cohort -q --min-families 1 -o "$T/freq/out" "$T/freq"
gs cohort -q --min-families 1 --max-variant-families 0 -o "$T/freq/all" "$T/freq"
gs cohort -q --min-families 1 --max-variant-families 5 -o "$T/freq/five" "$T/freq"
fcol() { awk -F'\t' -v g="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } $2 == g { print $(h[c]) }' "$3"; }
check "frequency: the allele in 5 of 5 families is no hit" test -z "$(fcol Z1 gene "$T/freq/out/cohort.genes.tsv")"
check "frequency: without the filter, Z1 is in 5 families" test "$(fcol Z1 n_families "$T/freq/all/cohort.genes.tsv")" = 5
check "frequency: --max-variant-families 5 keeps it" test "$(fcol Z1 n_families "$T/freq/five/cohort.genes.tsv")" = 5
check "frequency: a compound het left with one rare allele is no hit" test "$(fcol W1 families "$T/freq/out/cohort.genes.tsv")" = fam2
check "frequency: an ar_hom keeps its rare allele, not the common one" test "$(fcol V1 variants "$T/freq/out/cohort.genes.tsv")" = 1:8001:A:T
check "frequency: V1 is not high impact (its HIGH variant is the common one)" \
    python3 -c "import json,sys; g={x['gene']: x for x in json.load(open(sys.argv[1]))['genes']}; sys.exit(g['V1']['tests']['recessive_high']['observed'] != 0)" "$T/freq/out/cohort.genes.json"
check "frequency: the model records it" python3 -c "import json,sys; m=json.load(open(sys.argv[1]))['model']; sys.exit(not (m['max_variant_families'] == 3 and m['common_variants'] == 1 and m['hits_dropped'] == 6))" "$T/freq/out/cohort.genes.json"
check "--max-variant-families: a bad value is a usage error" bash -c "'$GENESIEVE' cohort --max-variant-families x '$T/freq' 2>/dev/null; test \$? -eq 2"

# phenotype coherence: SCN1A's patients (A, B, C) share epilepsy terms; the
# hostile gene's (D: kidney, E: skeleton) do not
H=$TESTDATA/hpo
EPI='HP:0001250,HP:0002133,HP:0001263'
{ printf 'A_K\t%s\nB_K\t%s\nB_K2\t%s\nC_K\tHP:0001250,HP:0002133,HP:0001249\n' "$EPI" "$EPI" "$EPI"
  printf 'D_K\tHP:0000107,HP:0000077\n%s\tHP:0002652,HP:0002650\n' "$PSCRIPT"; } >"$T/terms.tsv"
gs cohort -q --hpo-data "$H" --hpo-table "$T/terms.tsv" -o "$T/cp" "$T"/runs/*
coh() { awk -F'\t' -v g="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "phenotype_coherence") c = i; next } $2 == g { print $c }' "$2"; }
s=$(coh SCN1A "$T/cp/cohort.genes.tsv"); hx=$(coh "$HOSTILE" "$T/cp/cohort.genes.tsv")
check "coherence: a number in [0, 1] ($s, $hx)" awk -v a="$s" -v b="$hx" 'BEGIN { exit !(a >= 0 && a <= 1 && b >= 0 && b <= 1) }'
check "coherence: SCN1A's patients are more alike than the hostile gene's" awk -v a="$s" -v b="$hx" 'BEGIN { exit !(a > b) }'
check "coherence: without --hpo-data it is NA" test "$(coh SCN1A "$tsv")" = NA
check "combined_p: without phenotypes, the p-value" test "$(cols "p_value combined_p" "$tsv" | awk '$1 != $2' | wc -l)" = 0
check "combined_p: Fisher's method on the p-value and 1 - coherence" awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $(h["phenotype_coherence"]) != "NA" && 1 - $(h["phenotype_coherence"]) > 0.1 { p = $(h["p_value"]); q = 1 - $(h["phenotype_coherence"]);
        want = p * q * (1 - log(p * q)); got = $(h["combined_p"]); n++; if (got < want * 0.97 || got > want * 1.03) exit 1 }
    END { exit !n }' "$T/cp/cohort.genes.tsv"
check "coherence: the report explains it" grep -q "percentile of [0-9]* random pairs" "$T/cp/cohort.html"
# the same terms given to the runs instead: cohort reads them from the results
mkdir -p "$T/runsp"
for f in A B C D E; do
    vcf=$T/$f.vcf.gz
    [ $f = B ] && vcf=$T/Bq.vcf.gz
    gs run -q --ped "$T/$f.ped" --hpo-data "$H" --hpo-table "$T/terms.tsv" -o "$T/runsp/$f" "$vcf" 2>/dev/null
done
gs cohort -q --hpo-data "$H" -o "$T/cp2" "$T"/runsp/*
check "coherence: terms from the results = terms from a table" test "$(coh SCN1A "$T/cp2/cohort.genes.tsv") $(coh "$HOSTILE" "$T/cp2/cohort.genes.tsv")" = "$s $hx"

# --top N: only each patient's N best genes count
gs cohort -q --top 1 --min-families 1 -o "$T/top1" "$T"/runs/*
firsts=$(for f in "$T"/runs/*/*.genes.json; do python3 -c "import json,sys; g=json.load(open(sys.argv[1]))['genes']; print(g[0]['gene'] if g else '')" "$f"; done | sort -u | grep -v '^$')
check "--top 1: the genes tested are the patients' first genes" test "$(tail -n +2 "$T/top1/cohort.genes.tsv" | cut -f2 | sort -u)" = "$firsts"
check "--top 1: SCN1A still first" test "$(cols "rank gene" "$T/top1/cohort.genes.tsv" | head -1)" = "1	SCN1A"
gs cohort -q --top 1 --min-families 1 -o "$T/top1p" "$T/all.partial.json"
check "--top 1 on a partial result: the same genes" test "$(tail -n +2 "$T/top1p/cohort.genes.tsv" 2>/dev/null | cut -f2 | sort -u)" = "$firsts"

# bad input: one line naming the file, exit status 1, nothing written
bad() { # description expected-message args...
    local what=$1 msg=$2; shift 2
    rm -rf "$T/bad"
    if gs cohort -q -o "$T/bad" "$@" 2>"$T/bad.err"; then fail "$what: accepted"; return; fi
    check "$what: one error line" test "$(wc -l <"$T/bad.err")" -eq 1
    check "$what: names the problem ($(cat "$T/bad.err"))" grep -qF -- "$msg" "$T/bad.err"
    check "$what: no outputs" test ! -e "$T/bad/cohort.genes.tsv"
}
printf '{"schema": "genesieve.genes/1", "sample": "x", "family": [' >"$T/trunc.json"
bad "truncated JSON" "trunc.json:1: not valid JSON" "$T/trunc.json"
echo '{"schema": "something/9"}' >"$T/other.json"
bad "another schema" "other.json: not a GeneSieve result" "$T/other.json"
echo '{"schema": "genesieve.genes/1", "sample": "x", "family": [{"sample": "x", "family": "f"}], "genes": [{"gene": 3}]}' >"$T/badgene.json"
bad "a malformed gene" "badgene.json: gene 1: expected" "$T/badgene.json"
bad "a missing file" "nonexistent.json: No such file" "$T/nonexistent.json"
mkdir -p "$T/empty"
bad "an empty directory" "empty: no <sample>.genes.json" "$T/empty"
bad "the cohort table as input" "not a GeneSieve result" "$T/c/cohort.genes.json"
printf 'famX\tA_K\t0\t0\t1\t2\n' >"$T/partial.ped"
bad "a patient missing from the PED" "is not in the PED file" --ped "$T/partial.ped" "$T/runs/A" "$T/runs/C"
sed 's/"family": "famA"/"family": "famZ"/' "$T/runs/A/A_K.genes.json" >"$T/A_K.genes.json"
bad "one patient in two families" "in family 'famZ' here but in family 'famA'" "$T/runs/A" "$T/A_K.genes.json"
printf 'gene\tchrom\tlength\nX\t1\tlong\n' >"$T/badlen.tsv"
bad "malformed gene lengths" "badlen.tsv:2: expected GENE CHROM LENGTH" --gene-lengths "$T/badlen.tsv" "$T/runs/A"
check "results already there: refused without --force" bash -c "! '$GENESIEVE' cohort -q -o '$T/c' '$T/runs/A' 2>/dev/null"
check "with --force: overwritten" gs cohort -q --force -o "$T/c" "$T/runs/A"
check "usage error: exit status 2" bash -c "'$GENESIEVE' cohort 2>/dev/null; test \$? -eq 2"
finish
