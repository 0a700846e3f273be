#!/usr/bin/env python3
"""Derive the phenotype term of the ranking (PHENO_LR_TABLE in src/output.c) from `genesieve pheno`.

Usage: pheno_calib.py CASES.tsv OUTDIR GENE_SYMBOLS.tsv.gz ALL.tsv
  OUTDIR: one <id>.tsv per case (pheno --top 1000 or more, as tests/bench/pheno.sh leaves in
  build/bench/pheno.<cases>/out); ALL.tsv: any pheno output without --top (the annotated genes).
  A causative gene annotated but not listed ranks beyond 1000.

For each rank bin (fractions q = rank / annotated genes, ties counted against), the log10
likelihood ratio of a causative gene against a random protein-coding gene landing there:

  LR(bin) = P(annotated | causative) * f(bin) / (P(annotated | random) * width(bin))

where f(bin) is the fraction of an annotated causative gene's cases in the bin, averaged over
genes (each gene weighted equally), and a random annotated gene's rank is uniform. Genes without
annotation: P(not annotated | causative) / P(not annotated | random). Printed rounded to 0.05
and capped at +3, as PHENO_LR_TABLE / PHENO_LR_UNANNOTATED.
"""
import csv, gzip, math, os, sys
from collections import defaultdict

BINS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]  # upper ranks (of 4,888 genes) of the bins


def main():
    cases_tsv, outdir, symbols_gz, all_tsv = sys.argv[1:5]
    with open(all_tsv) as f:
        next(f)
        annotated = {line.split("\t", 2)[1] for line in f}
    ngenes = len(annotated)
    coding = set()
    with gzip.open(symbols_gz, "rt") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["gene_type"] == "protein-coding":
                coding.add(row["symbol"])
    with open(cases_tsv) as f:
        cases = list(csv.DictReader(f, delimiter="\t"))
    per_gene = defaultdict(list)  # gene -> q of each case (None: not annotated)
    for c in cases:
        ranks = {}
        with open(os.path.join(outdir, c["id"] + ".tsv")) as f:
            next(f)
            for line in f:
                r, g = line.split("\t", 2)[:2]
                ranks[g] = int(r)
        r = ranks.get(c["gene"], ngenes if c["gene"] in annotated else None)
        per_gene[c["gene"]].append(None if r is None else r / ngenes)
    p_ann_c = sum(1 for v in per_gene.values() if v[0] is not None) / len(per_gene)
    p_ann_r = ngenes / len(coding)  # annotated genes per protein-coding gene
    edges = [b / ngenes for b in BINS] + [1.0]
    # each edge slightly above k / n so that rank k falls in its bin despite rounding
    tab, lo = [], 0.0
    ann = [v for v in per_gene.values() if v[0] is not None]
    for hi in edges:
        f = sum(sum(1 for q in v if lo < q <= hi + 1e-12) / len(v) for v in ann) / len(ann)
        lr = math.log10(max(f, 1e-9) * p_ann_c / ((hi - lo) * p_ann_r))
        tab.append((hi, min(3.0, round(lr * 20) / 20), f))
        lo = hi
    unann = math.log10((1 - p_ann_c) / (1 - p_ann_r))
    print(f"# p_ann_r {p_ann_r:.4f}; {len(cases)} cases, {len(per_gene)} genes, annotated: {100 * p_ann_c:.0f} % of causative genes, "
          f"{100 * p_ann_r:.0f} % of protein-coding genes ({ngenes} annotated genes)")
    lo = 0
    for (hi, lr, f), b in zip(tab, BINS + [ngenes]):
        print(f"# ranks {lo + 1}-{b}: {100 * f:.1f} % of causative genes' cases, log10 LR {lr:+.2f}")
        lo = b
    print("#define PHENO_LR_TABLE " + ", ".join(f"{{{math.ceil(hi * 1e5 * 1.0001) / 1e5 if hi < 1 else 1.0:g}, {lr:g}}}" for hi, lr, _ in tab))
    print(f"#define PHENO_LR_UNANNOTATED ({unann:.2f})")


main()
