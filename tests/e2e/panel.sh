#!/usr/bin/env bash
# Panels: boost and restrict, PanelAppRex panel selection, confidence and mode
# of inheritance, and outdated symbols resolved through a symbol table.
source "$(dirname "$0")/lib.sh"
A=$TESTDATA/ashk-trio.vcf.gz
P=$TESTDATA/ashk-trio.ped
REX=$TESTDATA/panels/panelapp-rex.307-150.tsv
SYM=$TESTDATA/panels/symbols.subset.tsv
pipeline() { # extra panel parameters
    sed '/^output:/,$d' "$SRCDIR/pipelines/default.yml"
    printf '  - stage: panel\n'
    for kv in "$@"; do printf '    %s\n' "$kv"; done
}
gs run -q --ped "$P" -o "$T/none" "$A"
pipeline "file: $REX" "panel: Retinal disorders" >"$T/boost.yml"
gs run -q -p "$T/boost.yml" --ped "$P" -o "$T/boost" "$A"
rank_of() { awk -F'\t' -v g="$1" '$2 == g {print $1}' "$2"; }
check "ABCA4 (green on the retinal panel, AR) gets the green panel term" \
    test "$(cols "gene panel" "$T/boost/HG002.genes.tsv" | awk -F'\t' '$1 == "ABCA4" {print $2}')" = "2.00"
check "the boost moves ABCA4 up ($(rank_of ABCA4 "$T/none/HG002.genes.tsv") -> $(rank_of ABCA4 "$T/boost/HG002.genes.tsv"))" \
    test "$(rank_of ABCA4 "$T/boost/HG002.genes.tsv")" -lt "$(rank_of ABCA4 "$T/none/HG002.genes.tsv")"
check "a gene off the panel has no panel term" test "$(cols "gene panel" "$T/boost/HG002.genes.tsv" | awk -F'\t' '$1 == "OR10X1" {print $2}')" = "0.00"

pipeline "file: $REX" "panel: 307" "use: restrict" >"$T/restrict.yml"
gs run -q -p "$T/restrict.yml" --ped "$P" --audit "$T/restrict.audit" -o "$T/restrict" "$A"
awk -F'\t' '$1 == 307 {print toupper($3)}' "$REX" | sort -u >"$T/panel307.txt"
off=$(col gene "$T/restrict/HG002.genes.tsv" | tr a-z A-Z | sort -u | comm -23 - "$T/panel307.txt" | wc -l)
check "restrict: every listed gene is on panel 307" test "$off" -eq 0
check "restrict: some genes remain" test "$(col gene "$T/restrict/HG002.genes.tsv" | wc -l)" -gt 0
check "restrict: the audit says why" grep -q $'\tremoved\tpanel\tno gene on the panel:' "$T/restrict.audit"

# panel 150 lists WDR63 as AD (monoallelic), red: HG002's WDR63 is a compound het
pipeline "file: $REX" "panel: Rare multisystem ciliopathy disorders" >"$T/moi.yml"
gs run -q -p "$T/moi.yml" --ped "$P" -o "$T/moi" "$A"
check "a mode the panel's inheritance rules out costs 1 (WDR63: panel AD, observed comp_het)" \
    test "$(cols "gene mode panel" "$T/moi/HG002.genes.tsv" | awk -F'\t' '$1 == "WDR63" {print $2 " " $3}')" = "comp_het:proven -1.00"

# a gene list in current symbols against a VCF annotated with old ones
printf '# current HGNC symbols\nDNAI3\nERICH3\n' >"$T/current.txt"
pipeline "file: $T/current.txt" "use: restrict" "symbols: $SYM" >"$T/alias.yml"
gs run -q -p "$T/alias.yml" --ped "$P" -o "$T/alias" "$A"
check "aliases: DNAI3 finds WDR63 and ERICH3 finds C1orf173" \
    test "$(col gene "$T/alias/HG002.genes.tsv" | sort | tr '\n' ' ')" = "C1orf173 WDR63 "
pipeline "file: $T/current.txt" "use: restrict" >"$T/noalias.yml"
gs run -q -p "$T/noalias.yml" --ped "$P" -o "$T/noalias" "$A"
check "without the symbol table they do not match" test "$(col gene "$T/noalias/HG002.genes.tsv" | wc -l)" -eq 0

# a PanelApp TSV download (its column layout; rows written for the test) and a BED of genes
{
    printf 'Entity Name\tEntity type\tGene Symbol\tSources(; separated)\tLevel4\tLevel3\tLevel2\tModel_Of_Inheritance\tPhenotypes\tOmim\tOrphanet\tHPO\tPublications\tDescription\tFlagged\tGEL_Status\n'
    printf 'ABCA4\tgene\tABCA4\tExpert Review Green\tRetinal disorders\t\t\tBIALLELIC, autosomal or pseudoautosomal\tStargardt disease\t\t\t\t\t\tFalse\t3\n'
    printf 'USH2A\tgene\tUSH2A\tExpert Review Amber\tRetinal disorders\t\t\tBIALLELIC, autosomal or pseudoautosomal\tUsher syndrome\t\t\t\t\t\tFalse\t2\n'
    printf 'CROCC\tgene\tCROCC\tExpert Review Red\tRetinal disorders\t\t\tMONOALLELIC, autosomal or pseudoautosomal\t\t\t\t\t\t\tFalse\t1\n'
} >"$T/panelapp.tsv"
pipeline "file: $T/panelapp.tsv" >"$T/pa.yml"
gs run -q -p "$T/pa.yml" --ped "$P" -o "$T/pa" "$A"
terms=$(cols "gene panel" "$T/pa/HG002.genes.tsv" | awk -F'\t' '$1 == "ABCA4" || $1 == "USH2A" || $1 == "CROCC"' | sort | tr '\t\n' ': ')
check "PanelApp TSV: green +2, amber +1, red but mode ruled out -1 ($terms)" test "$terms" = "ABCA4:2.00 CROCC:-1.00 USH2A:1.00 "
awk '$4 == "ABCA4" || $4 == "USH2A"' "$TESTDATA/genes.hg19.chr1-2.bed" >"$T/panel.bed"
pipeline "file: $T/panel.bed" "use: restrict" >"$T/bed.yml"
gs run -q -p "$T/bed.yml" --ped "$P" -o "$T/bed" "$A"
check "BED panel restricts to its genes" test "$(col gene "$T/bed/HG002.genes.tsv" | sort | tr '\n' ' ')" = "ABCA4 USH2A "
cp "$T/panel.bed" "$T/panel-bed.txt"
pipeline "file: $T/panel-bed.txt" "use: restrict" >"$T/bedtxt.yml"
gs run -q -p "$T/bedtxt.yml" --ped "$P" -o "$T/bedtxt" "$A"
check "a BED is recognised by its columns whatever its name" cmp "$T/bed/HG002.genes.tsv" "$T/bedtxt/HG002.genes.tsv"

pipeline "file: $REX" >"$T/nopanel.yml"
rc=0; gs run -q -p "$T/nopanel.yml" --ped "$P" -o "$T/x" "$A" 2>"$T/err" || rc=$?
check "a PanelAppRex table needs a panel id or name" grep -q "choose one with panel: ID or NAME" "$T/err"
pipeline "file: $REX" "panel: No such panel" >"$T/nosuch.yml"
rc=0; gs run -q -p "$T/nosuch.yml" --ped "$P" -o "$T/x" "$A" 2>"$T/err" || rc=$?
check "an unknown panel is an error" grep -q "no panel with id or name 'No such panel'" "$T/err"
finish
