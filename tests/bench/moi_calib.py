#!/usr/bin/env python3
"""Calibration of the inheritance-fit part of the phenotype term (README "Phenotypes").

How much does it say about a gene that the mode a patient's genotype fits
(one heterozygous allele: monoallelic; homozygous or two alleles: biallelic;
hemizygous: X-linked) is one that none of the gene's HPO diseases is inherited
by?  log10 likelihood ratio = P(conflict | causative gene) / P(conflict | random
annotated gene), and the same for "no conflict".  Causative genes: phenopacket-store's
development half (cases-dev.tsv: gene, zygosity of each causative allele), each
gene weighted equally; random genes: the annotated genes on the same kind of
chromosome (autosome / X, from a gene BED).  A gene's modes are the union over
its diseases of their phenotype.hpoa inheritance annotations (aspect I), as
src/hpo.c reads them: autosomal dominant (or its descendants, or the modifiers
"autosomal dominant with maternal imprinting", "autosomal dominant somatic cell
mutation", "typically de novo") monoallelic, autosomal recessive biallelic,
semidominant both, X-linked X-linked, mitochondrial mitochondrial; another mode
(sporadic, multifactorial, somatic mosaicism, Y-linked, ...) puts no limit on
the gene; other inheritance modifiers are ignored; a gene none of whose diseases
names a mode (Orphanet's have none in phenotype.hpoa) has no known mode and
cannot conflict.  Both sides count annotated genes only (the phenotype term's
own table covers genes without annotation), so "no conflict" includes genes
without a known mode.

Usage: moi_calib.py HPO_DIR CASES_DEV_TSV GENES_BED
  e.g. tests/bench/moi_calib.py ../shared/data/hpo ../shared/data/phenopacket-store-dev/cases-dev.tsv \
       ../shared/data/genes-hg19/gene_spans_from_exome_targets.hg19.derived.bed
"""
import collections, csv, gzip, math, os, sys

hpo, cases_tsv, bed = sys.argv[1:4]
def opn(base):
    for name in (base, base + ".gz"):
        p = os.path.join(hpo, name)
        if os.path.exists(p):
            return gzip.open(p, "rt") if p.endswith(".gz") else open(p)
    raise SystemExit(f"{hpo}: no {base}")

par, cur = {}, None
obo = [f for f in os.listdir(hpo) if f.endswith(".obo") or f.endswith(".obo.gz")]
if not obo:
    raise SystemExit(f"{hpo}: no .obo ontology (this script reads the OBO form)")
for line in opn(obo[0].removesuffix(".gz")):
    line = line.strip()
    if line.startswith("id: HP:"):
        cur = line[4:]; par[cur] = []
    elif line.startswith("is_a:") and cur:
        par[cur].append(line.split()[1])
def anc(t):
    s, st = set(), [t]
    while st:
        x = st.pop()
        if x not in s:
            s.add(x); st += par.get(x, [])
    return s
MONO, BI, XL, MT, ANY = 1, 2, 4, 8, -1
def bits(t):
    a = anc(t); b = 0
    if "HP:0000006" in a or t in ("HP:0012275", "HP:0001444", "HP:0025352"): b |= MONO
    if "HP:0000007" in a: b |= BI
    if "HP:0032113" in a: b |= MONO | BI
    if "HP:0001417" in a: b |= XL
    if "HP:0001427" in a: b |= MT
    if b: return b
    if "HP:0034335" in a or "HP:0000005" not in a: return 0  # inheritance modifier: ignored
    return ANY
dis = {}
for line in opn("phenotype.hpoa"):
    if line[0] == "#" or line.startswith("database_id"):
        continue
    f = line.rstrip("\n").split("\t")
    if f[10] != "I" or f[2] == "NOT":
        continue
    b, d = bits(f[3]), dis.get(f[0], 0)
    dis[f[0]] = ANY if ANY in (b, d) else d | b
gd = collections.defaultdict(set)
for line in opn("genes_to_phenotype.txt"):
    if line[0] == "#":
        continue
    f = line.rstrip("\n").split("\t")
    gd[f[1]].add(f[8])
def gene_bits(g):  # 0: no known mode (no limit)
    b = 0
    for d in gd[g]:
        x = dis.get(d, 0)
        if x == ANY:
            return 0
        b |= x
    return b
gb = {g: gene_bits(g) for g in gd}
chrom = {}
for line in open(bed):
    f = line.rstrip("\n").split("\t")
    chrom.setdefault(f[3], f[0].removeprefix("chr"))
def kind(g):
    c = chrom.get(g)
    return None if c is None else "X" if c == "X" else "auto" if c not in ("Y", "M", "MT") else None
CLS = {"monoallelic": (MONO | XL, "auto"), "biallelic": (BI, "auto"), "hemizygous": (XL, "X")}
per_gene = {c: collections.defaultdict(list) for c in CLS}
for r in csv.DictReader(open(cases_tsv), delimiter="\t"):
    al = [v.split(":")[-1] for v in r["variants_hg38"].split(";") if v] + \
         [v.split("|")[-1] for v in r["other_variants"].split(";") if v]
    g = r["gene"]
    if not al or g not in gb:
        continue
    if "hemizygous" in al: c = "hemizygous"
    elif "homozygous" in al or al.count("heterozygous") >= 2: c = "biallelic"
    elif al == ["heterozygous"]: c = "monoallelic"
    else: continue
    if kind(g) != CLS[c][1]:
        continue
    per_gene[c][g].append(bool(gb[g]) and not (gb[g] & CLS[c][0]))
print(f"annotated genes {len(gb)}, with a known mode {sum(1 for b in gb.values() if b)}")
print(f"{'genotype':12s} {'genes':>5s} {'cases':>5s} {'conflict':>9s} {'random':>7s} {'log10 LR conflict':>18s} {'no conflict':>12s}")
for c, (m, k) in CLS.items():
    g = per_gene[c]
    pool = [x for x in gb if kind(x) == k]
    null = sum(1 for x in pool if gb[x] and not (gb[x] & m)) / len(pool)
    macro = sum(sum(v) / len(v) for v in g.values()) / len(g) if g else float("nan")
    lc = math.log10(macro / null) if macro > 0 and null > 0 else float("nan")
    lf = math.log10((1 - macro) / (1 - null)) if null < 1 else float("nan")
    print(f"{c:12s} {len(g):5d} {sum(len(v) for v in g.values()):5d} {100 * macro:8.1f}% {100 * null:6.1f}% {lc:18.2f} {lf:+12.2f}")
    bad = sorted(x for x, v in g.items() if any(v))
    if bad:
        print("   conflicting:", " ".join(f"{x}({sum(g[x])}/{len(g[x])})" for x in bad))
