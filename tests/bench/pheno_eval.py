#!/usr/bin/env python3
"""Score `genesieve pheno` outputs against the causative genes of phenopacket cases.

Usage: pheno_eval.py CASES.tsv OUTDIR GENE_SYMBOLS.tsv.gz G2P.txt.gz [--seed N] [--top N]
                      [--part tune|rest|all]

CASES.tsv: the phenopacket-store `cases-*.tsv` (id, gene, ...); OUTDIR/<id>.tsv: the
pheno output of each case (rank, gene, score, ...; the best TOP rows).
Ranks count ties against the method (a gene tied with k others gets the worst rank).
Reports per case and per-gene macro averages:
  * all annotated genes: top-1, top-10, median rank;
  * the true gene + 100 random protein-coding genes (org.Hs.eg.db), seeded per case:
    top-1 (a random gene scores 0 when it has no HPO annotation; a true gene beyond
    the TOP rows counts as a miss, which can only understate the result).
--part tune scores only the tuning quarter (every 4th case of CASES.tsv, from the first),
--part rest the other three quarters; method choices are made on the tuning quarter.
Truth symbols the 2023 annotations spell differently (CPAP/CENPJ, VMA12/TMEM199) are
mapped through org.Hs.eg.db's alias lists to the annotation's symbol.
"""
import csv, gzip, random, statistics, sys, os
from collections import defaultdict

# Shared with the bench prototypes (go_proto.py, panel_proto.py), which score other methods
# exactly as this script does.

def annotated_genes(g2p):
    """Symbols with a disease link in genes_to_phenotype.txt(.gz)."""
    annotated = set()
    with gzip.open(g2p, "rt") as f:
        for line in f:
            if line.startswith("#") or line.startswith("ncbi_gene_id"):
                continue
            annotated.add(line.split("\t")[1])
    return annotated


def gene_reference(symbols_gz):
    """(sorted protein-coding symbols, alias -> symbols, symbol -> aliases) from org.Hs.eg.db."""
    coding, alias = [], defaultdict(set)
    with gzip.open(symbols_gz, "rt") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["gene_type"] == "protein-coding":
                coding.append(row["symbol"])
            for a in (row["aliases"] or "").split(";"):
                if a:
                    alias[a].add(row["symbol"])
    rev = defaultdict(set)
    for a, syms in alias.items():
        for x in syms:
            rev[x].add(a)
    return sorted(set(coding)), alias, rev


def truth_gene(gene, annotated, alias, rev):
    """The causative gene as the annotations spell it (the alias lists map an old symbol to the
    current ones; look both ways)."""
    if gene not in annotated:
        cand = sorted(a for a in alias.get(gene, set()) | rev.get(gene, set()) if a in annotated)
        if cand:
            return cand[0]
    return gene


def random_pool(coding, seed, ci, case_gene, gene):
    """The 100 random protein-coding genes of case number ci (seeded per case)."""
    rng = random.Random(seed * 1000003 + ci)
    pool = rng.sample(coding, 101)
    return [g for g in pool if g != case_gene and g != gene][:100]


def rates(res):
    """res: (case gene, rank among annotated genes or None, rank among 101) per case.
    Per case and per gene (macro average): top-1, top-10, 101 genes top-1, as fractions."""
    def rate(sel, k):
        return sum(1 for x in sel if x is not None and x <= k) / max(1, len(sel))
    by = defaultdict(list)
    for g, r, q in res:
        by[g].append((r, q))
    out = {}
    for name, sel, k in (("top1", 0, 1), ("top10", 0, 10), ("r100", 1, 1)):
        out[name] = rate([x[1 + sel] for x in res], k)
        out[name + "_g"] = statistics.mean(rate([x[sel] for x in v], k) for v in by.values()) if by else 0.0
    return out


def main():
    args = sys.argv[1:]
    seed, top, part = 1, 1000, "all"
    if "--seed" in args:
        i = args.index("--seed"); seed = int(args[i + 1]); del args[i:i + 2]
    if "--top" in args:
        i = args.index("--top"); top = int(args[i + 1]); del args[i:i + 2]
    if "--part" in args:
        i = args.index("--part"); part = args[i + 1]; del args[i:i + 2]
        if part not in ("tune", "rest", "all"):
            sys.exit("pheno_eval.py: --part is tune, rest or all")
    cases_tsv, outdir, symbols_gz, g2p = args
    annotated = annotated_genes(g2p)
    coding, alias, rev = gene_reference(symbols_gz)
    res = []
    with open(cases_tsv) as f:
        cases = list(csv.DictReader(f, delimiter="\t"))
    for ci, c in enumerate(cases):
        if (part == "tune" and ci % 4) or (part == "rest" and not ci % 4):
            continue
        gene = truth_gene(c["gene"], annotated, alias, rev)
        path = os.path.join(outdir, c["id"] + ".tsv")
        rank, scores, last = None, {}, None
        with open(path) as f:
            next(f)
            for line in f:
                r, g, s = line.split("\t", 3)[:3]
                scores[g] = float(s)
                last = float(s)
                if g == gene:
                    rank = int(r)
        # true gene + 100 random protein-coding genes
        pool = random_pool(coding, seed, ci, c["gene"], gene)
        if gene in scores:
            ts = scores[gene]
            beat = 0
            for g in pool:
                if g in scores:
                    beat += scores[g] >= ts
                elif g in annotated:
                    beat += last is None or last >= ts   # beyond the listed rows: unknown, count against
                else:
                    beat += ts <= 0
            r100 = 1 + beat
        else:
            r100 = 101  # true gene not listed: a miss
        res.append((c["gene"], rank, r100))
    n = len(res)
    inf = float("inf")
    med = statistics.median([r if r is not None else inf for _, r, _ in res])
    genes = set(g for g, _, _ in res)
    print(f"cases {n}, genes {len(genes)}, causative gene annotated in 2023: "
          f"{sum(1 for g,_,_ in res if g in annotated or any(a in annotated for a in alias.get(g, set()) | rev.get(g, set())))}")
    f = rates(res)
    print(f"{'':24s} {'per case':>9s} {'per gene':>9s}")
    for name, key in (("all genes top-1", "top1"), ("all genes top-10", "top10"), ("101 genes top-1", "r100")):
        print(f"{name:24s} {100*f[key]:8.1f}% {100*f[key + '_g']:8.1f}%")
    print(f"{'median rank (all genes)':24s} {med if med != inf else '>'+str(top):>9}")


if __name__ == "__main__":
    main()
