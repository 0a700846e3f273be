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
    annotated = set()
    with gzip.open(g2p, "rt") as f:
        for line in f:
            if line.startswith("#") or line.startswith("ncbi_gene_id"):
                continue
            annotated.add(line.split("\t")[1])
    coding, alias = [], defaultdict(set)
    with gzip.open(symbols_gz, "rt") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["gene_type"] == "protein-coding":
                coding.append(row["symbol"])
            for a in (row["aliases"] or "").split(";"):
                if a:
                    alias[a].add(row["symbol"])
    coding = sorted(set(coding))
    rev = defaultdict(set)
    for a, syms in alias.items():
        for x in syms:
            rev[x].add(a)
    res = []
    with open(cases_tsv) as f:
        cases = list(csv.DictReader(f, delimiter="\t"))
    for ci, c in enumerate(cases):
        if (part == "tune" and ci % 4) or (part == "rest" and not ci % 4):
            continue
        gene = c["gene"]
        if gene not in annotated:
            # the alias lists map an old symbol to the current ones; look both ways
            cand = sorted(a for a in alias.get(gene, set()) | rev.get(gene, set()) if a in annotated)
            if cand:
                gene = cand[0]
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
        rng = random.Random(seed * 1000003 + ci)
        pool = rng.sample(coding, 101)
        pool = [g for g in pool if g != c["gene"] and g != gene][:100]
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
    def rate(sel, k):
        return sum(1 for x in sel if x is not None and x <= k) / max(1, len(sel))
    ranks = [r for _, r, _ in res]
    r100 = [r for _, _, r in res]
    inf = float("inf")
    med = statistics.median([r if r is not None else inf for r in ranks])
    by = defaultdict(list)
    for g, r, q in res:
        by[g].append((r, q))
    macro = lambda f: statistics.mean(f(v) for v in by.values())
    print(f"cases {n}, genes {len(by)}, causative gene annotated in 2023: "
          f"{sum(1 for g,_,_ in res if g in annotated or any(a in annotated for a in alias.get(g, set()) | rev.get(g, set())))}")
    print(f"{'':24s} {'per case':>9s} {'per gene':>9s}")
    for name, sel, k in (("all genes top-1", 0, 1), ("all genes top-10", 0, 10), ("101 genes top-1", 1, 1)):
        pc = rate([x[1 + sel] for x in res], k)
        pg = macro(lambda v: rate([x[sel] for x in v], k))
        print(f"{name:24s} {100*pc:8.1f}% {100*pg:8.1f}%")
    print(f"{'median rank (all genes)':24s} {med if med != inf else '>'+str(top):>9}")

main()
