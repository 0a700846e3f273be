#!/usr/bin/env bash
# Phenotypes: `genesieve pheno` and HPO terms in run/merge, on the HPO 2023-01-27
# release (testdata/hpo, unaltered) and real phenopacket-store cases.
source "$(dirname "$0")/lib.sh"
H=$TESTDATA/hpo
PP=$TESTDATA/phenopackets
HOLT=$PP/PMID_10077612_Family_A_III_10.json      # TBX5, Holt-Oram syndrome
CLDN=$PP/PMID_14628289_Family_A_individual_3.json # CLDN16, renal hypomagnesemia 3
terms() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(','.join(f['type']['id'] for f in d['phenotypicFeatures'] if bool(f.get('excluded')) == (sys.argv[2] == 'x')))" "$@"; }

# --- pheno ---
gs pheno --hpo-data "$H" --phenopacket "$HOLT" >"$T/holt.tsv" 2>"$T/holt.err"
check "pheno: header" test "$(head -1 "$T/holt.tsv")" = "$(printf 'rank\tgene\tscore\tdisease\tdisease_name\tmatches')"
check "pheno: every annotated gene listed once" test "$(tail -n +2 "$T/holt.tsv" | cut -f2 | sort -u | wc -l)" = "$(tail -n +2 "$T/holt.tsv" | wc -l)"
check "pheno: genes of the release (4,888 with a disease in phenotype.hpoa)" test "$(tail -n +2 "$T/holt.tsv" | wc -l)" = 4888
check "pheno: Holt-Oram case puts TBX5 first" test "$(sed -n 2p "$T/holt.tsv" | cut -f2,5)" = "$(printf 'TBX5\tHolt-Oram syndrome')"
check "pheno: scores never increase down the list" awk -F'\t' 'NR > 2 && $3 > prev + 1e-9 { exit 1 } NR > 1 { prev = $3 }' "$T/holt.tsv"
check "pheno: ranks count ties against (rank >= position, same rank = same score)" \
    awk -F'\t' 'NR > 1 { if ($1 < NR - 1 || $1 < pr || ($1 == pr && $3 != ps)) exit 1; ps = $3; pr = $1 }' "$T/holt.tsv"
check "pheno: summary names the release" grep -q "HPO 2023-01-27: .* genes loaded" "$T/holt.err"
# the disease score, recomputed by an independent implementation from the raw files
obs=$(terms "$HOLT" o); exc=$(terms "$HOLT" x)
ref=$(python3 "$SRCDIR/tests/e2e/pheno_ref.py" "$H" TBX5 "$obs" "$exc")
check "pheno: TBX5's score equals the reference implementation ($ref)" test "$(sed -n 2p "$T/holt.tsv" | cut -f3)" = "$ref"
ref2=$(python3 "$SRCDIR/tests/e2e/pheno_ref.py" "$H" CLDN16 "$(terms "$CLDN" o)" "$(terms "$CLDN" x)")
gs pheno -q --hpo-data "$H" --phenopacket "$CLDN" >"$T/cldn.tsv"
check "pheno: CLDN16's score equals the reference implementation ($ref2)" test "$(awk -F'\t' '$2 == "CLDN16" { print $3 }' "$T/cldn.tsv")" = "$ref2"
check "pheno: CLDN16 case puts CLDN16 in the top 5" awk -F'\t' '$2 == "CLDN16" { f = ($1 <= 5) } END { exit !f }' "$T/cldn.tsv"
# --hpo with the same terms as the phenopacket: same list
gs pheno -q --hpo-data "$H" --hpo "$obs,$(echo "$exc" | sed 's/^/!/; s/,/,!/g')" >"$T/holt2.tsv"
check "pheno: --hpo with ! for excluded terms = the phenopacket" cmp "$T/holt.tsv" "$T/holt2.tsv"
gs pheno -q --hpo-data "$H" --hpo "$obs" >"$T/holt3.tsv"
check "pheno: excluded terms change the scores" bash -c "! cmp -s '$T/holt.tsv' '$T/holt3.tsv'"
# alternative and obsolete ids resolve to the current term
gs pheno -q --hpo-data "$H" --hpo HP:0000003 --top 20 >"$T/a.tsv"
gs pheno -q --hpo-data "$H" --hpo HP:0004715 --top 20 >"$T/b.tsv"
check "pheno: an alternative id (HP:0004715) = its term (HP:0000003)" cmp "$T/a.tsv" "$T/b.tsv"
gs pheno -q --hpo-data "$H" --hpo HP:0008665 --top 20 >"$T/a.tsv"
gs pheno -q --hpo-data "$H" --hpo HP:0000057 --top 20 >"$T/b.tsv"
check "pheno: an obsolete id (HP:0000057) = its replacement (HP:0008665)" cmp "$T/a.tsv" "$T/b.tsv"
gs pheno --hpo-data "$H" --hpo HP:0001631,HP:9999999,HP:8888888 --top 3 >"$T/u.tsv" 2>"$T/u.err"
check "pheno: unknown terms are one warning, not fatal" test "$(grep -c "warning: 2 HPO terms not in release 2023-01-27 (ignored): HP:9999999, HP:8888888" "$T/u.err")" = 1
gs pheno -q --hpo-data "$H" --hpo '!HP:0001631' --top 5 >"$T/x.tsv"
check "pheno: only excluded terms: a list, no crash" awk -F'\t' 'END { exit NR != 6 }' "$T/x.tsv"
check "pheno: --top 3 lists 3 genes" test "$(tail -n +2 "$T/u.tsv" | wc -l)" = 3
# candidates: ranked among themselves, genes without annotation last
printf 'MMP2\nTBX5\nNOTAGENE1\nSHH\n' >"$T/cand.txt"
gs pheno -q --hpo-data "$H" --phenopacket "$HOLT" --candidates "$T/cand.txt" >"$T/c.tsv"
check "pheno --candidates: only those genes, best first, unknown last" test "$(tail -n +2 "$T/c.tsv" | cut -f1,2 | tr '\t\n' ': ')" = "1:TBX5 2:MMP2 3:SHH 4:NOTAGENE1 "
# many phenopackets: one file each, named by id, in one process; threads change nothing
gs pheno -q --hpo-data "$H" --phenopacket "$PP" -o "$T/many" -t 1
gs pheno -q --hpo-data "$H" --phenopacket "$PP" -o "$T/many2" -t 3
check "pheno -o: one <id>.tsv per phenopacket" test "$(ls "$T/many" | tr '\n' ' ')" = "PMID_10077612_Family_A_III_10.tsv PMID_14628289_Family_A_individual_3.tsv PMID_35190816_STX_31387522_Patient_9.tsv "
check "pheno -o: a file equals the single run" cmp "$T/many/PMID_10077612_Family_A_III_10.tsv" "$T/holt.tsv"
check "pheno -o: 1 and 3 threads give identical files" diff -r "$T/many" "$T/many2"
rc=0; gs pheno -q --hpo-data "$H" --phenopacket "$PP" -o "$T/many" 2>"$T/err" || rc=$?
check "pheno -o: existing results are not overwritten without --force" test "$rc" = 1 -a -n "$(grep 'use --force' "$T/err")"
# errors: one line, non-zero
err1() { local want=$1; shift; local rc=0; "$@" >"$T/out" 2>"$T/err" || rc=$?
    [ "$rc" -ne 0 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q -- "$want" "$T/err" || { echo "  got rc=$rc: $(cat "$T/err")" >&2; return 1; }; }
check "error: a malformed term" err1 "--hpo: 'HP:12' is not an HPO term id" gs pheno --hpo-data "$H" --hpo HP:0001631,HP:12
check "error: no HPO release in the directory" err1 "no hp.obo/hp.json in this directory" gs pheno --hpo-data "$TESTDATA" --hpo HP:0001631
printf '{"id": "x", "phenotypicFeatures": [\n  {"type": {"id": "HP:0001631"}},\n  oops\n]}\n' >"$T/bad.json"
check "error: broken phenopacket JSON names file and line" err1 "bad.json:3: not valid JSON" gs pheno --hpo-data "$H" --phenopacket "$T/bad.json"
mkdir -p "$T/hb"; cp "$H/hp.json.gz" "$H/genes_to_phenotype.txt.gz" "$T/hb/"; printf 'OMIM:1\tX\t\tHP:0001631\n' >"$T/hb/phenotype.hpoa"
check "error: a short phenotype.hpoa line names file and line" err1 "phenotype.hpoa:1: expected 12 tab-separated columns" gs pheno --hpo-data "$T/hb" --hpo HP:0001631
printf 'P1\tHP:0001631\nP1\tHP:0001250\n' >"$T/dup.tsv"
check "error: a sample twice in --hpo-table" err1 "dup.tsv:2: sample 'P1' listed twice" gs pheno --hpo-data "$H" --hpo-table "$T/dup.tsv" -o "$T/dupout"

# --- run with phenotypes ---
A=$TESTDATA/ashk-trio.vcf.gz; P=$TESTDATA/ashk-trio.ped
gs run -q --ped "$P" -o "$T/plain" "$A"
gs run -q --ped "$P" --hpo-data "$H" --hpo 'HP:0001250,HP:0001263,!HP:0000252' -o "$T/ph" "$A"
check "run: the phenotype column is filled" test -z "$(col phenotype "$T/ph/HG002.genes.tsv" | grep -vx -- '-\?[0-9.]*')"
check "run: without terms it is '.'" test "$(col phenotype "$T/plain/HG002.genes.tsv" | sort -u)" = .
check "run: score = segregation + rarity + deleteriousness + clinvar + panel + phenotype" \
    awk -F'\t' 'NR > 1 { s = $6 + $7 + $8 + $9 + $10 + $11; if (s - $4 > 0.015 || $4 - s > 0.015) exit 1 }' "$T/ph/HG002.genes.tsv"
check "run: same genes as without phenotypes" test "$(col gene "$T/ph/HG002.genes.tsv" | sort | md5sum)" = "$(col gene "$T/plain/HG002.genes.tsv" | sort | md5sum)"
# each gene's phenotype rank is its rank in `pheno` for the same terms
gs pheno -q --hpo-data "$H" --hpo 'HP:0001250,HP:0001263,!HP:0000252' >"$T/p.tsv"
check "run: phenotype_rank = the gene's rank from pheno" awk -F'\t' 'NR == FNR { if (FNR > 1) r[$2] = $1; next }
    FNR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    { want = ($(h["gene"]) in r) ? r[$(h["gene"])] : "."; if ($(h["phenotype_rank"]) != want) { print $(h["gene"]) > "/dev/stderr"; exit 1 } }' "$T/p.tsv" "$T/ph/HG002.genes.tsv"
check "run: matches and the best disease are shown" test "$(cols "phenotype_disease phenotype_matches" "$T/ph/HG002.genes.tsv" | grep -c -P '^(OMIM|ORPHA|DECIPHER):\d+ .+\tHP:\d+>HP:\d+')" -gt 0
python3 - "$T/ph/HG002.genes.json" <<'PY' || fail "run: JSON phenotype block"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["phenotype"]["hpo_release"] == "2023-01-27"
assert [t["id"] for t in d["phenotype"]["observed"]] == ["HP:0001250", "HP:0001263"]
assert [t["id"] for t in d["phenotype"]["excluded"]] == ["HP:0000252"]
g = [g for g in d["genes"] if g["phenotype"]["rank"]][0]
assert g["phenotype"]["disease"]["id"] and g["phenotype"]["matches"], g
m = g["phenotype"]["matches"][0]
assert set(m) == {"patient", "disease", "shared"} and m["patient"]["name"], m
PY
check "run: the report shows the patient's terms and term pairs" bash -c "grep -q 'Phenotype (HPO)</td><td>Seizure' '$T/ph/HG002.report.html' && grep -q '<th>Patient term</th><th>Disease term</th>' '$T/ph/HG002.report.html' && grep -q 'Human Phenotype Ontology (release 2023-01-27)' '$T/ph/HG002.report.html'"
# a phenopacket names the sample (individualToFileIdentifiers) and the VCF (files[].uri, relative to it)
gs run -q --ped "$P" --hpo-data "$H" --phenopacket "$TESTDATA/hg002.phenopacket.json" -o "$T/pp"
check "run: the phenopacket's VCF and sample give the same result as --hpo" cmp "$T/pp/HG002.genes.tsv" "$T/ph/HG002.genes.tsv"
printf 'HG002\tHP:0001250,HP:0001263\tHP:0000252\n' >"$T/tab.tsv"
gs run -q --ped "$P" --hpo-data "$H" --hpo-table "$T/tab.tsv" -o "$T/tab" "$A"
check "run: --hpo-table gives the same result" cmp "$T/tab/HG002.genes.tsv" "$T/ph/HG002.genes.tsv"
printf 'NA99999\tHP:0001250\n' >"$T/tab2.tsv"
check "run: a table naming none of the VCF's samples is an error" err1 "the phenotype table names none of the input's samples" gs run -q --ped "$P" --hpo-data "$H" --hpo-table "$T/tab2.tsv" -o "$T/tab2" "$A"
cat "$T/tab.tsv" "$T/tab2.tsv" >"$T/tab3.tsv"
gs run -q --ped "$P" --hpo-data "$H" --hpo-table "$T/tab3.tsv" -o "$T/tab3" "$A"
check "run: other runs' rows in a shared table are ignored" cmp "$T/tab3/HG002.genes.tsv" "$T/ph/HG002.genes.tsv"
sed 's/"patient-1": "HG002"/"patient-1": "NA99999"/' "$TESTDATA/hg002.phenopacket.json" >"$T/other.json"
check "run: a phenopacket whose sample is not in the VCF is an error" err1 "phenotype of 'NA99999': no sample of that name" gs run -q --ped "$P" --hpo-data "$H" --phenopacket "$T/other.json" -o "$T/x" "$A"
check "run: terms without --hpo-data is an error" err1 "give --hpo-data DIR" gs run -q --ped "$P" --hpo HP:0001250 -o "$T/x" "$A"
check "run: a bad term fails before reading the VCF" err1 "is not an HPO term id" gs run -q --ped "$P" --hpo-data "$H" --hpo HP:1 -o "$T/x" "$A"
check "run --partial refuses phenotypes (merge applies them)" err1 "give --hpo-data and the terms to .genesieve merge." gs run -q --hpo-data "$H" --hpo HP:0001250 --partial "$T/x.json" "$A"
# scatter by chromosome, phenotypes at merge: the same outputs
for c in 1 2; do gs run -q --ped "$P" -r "$c" --partial "$T/part$c.json" "$A"; done
gs merge -q --hpo-data "$H" --hpo 'HP:0001250,HP:0001263,!HP:0000252' -o "$T/merged" "$T/part1.json" "$T/part2.json"
for f in HG002.genes.tsv HG002.genes.json HG002.report.html; do
    check "merge with phenotypes = one run: $f" cmp "$T/merged/$f" "$T/ph/$f"
done
finish
