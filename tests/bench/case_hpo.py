#!/usr/bin/env python3
"""HPO terms for the ranking benchmark's cases (seeded).

Usage: case_hpo.py CASES.tsv HPO_DIR SEED > cases.hpo.tsv   (case<TAB>terms)

For each case's gene: one of its diseases (genes_to_phenotype), 3-6 of that
disease's phenotype.hpoa terms (aspect P, not NOT; all when fewer), plus 2
unrelated terms drawn from the annotations of random other diseases, in random
order: a clinician's partial, slightly noisy description. A gene without HPO
annotation gets the 2 unrelated terms only.
"""
import csv, gzip, random, sys

cases_tsv, hpo, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
def opn(name):
    return gzip.open(f"{hpo}/{name}.gz", "rt")
dis_terms, gene_dis = {}, {}
for line in opn("phenotype.hpoa"):
    if line.startswith("#") or line.startswith("database_id"):
        continue
    f = line.rstrip("\n").split("\t")
    if f[10] == "P" and f[2] != "NOT":
        dis_terms.setdefault(f[0], []).append(f[3])
for line in opn("genes_to_phenotype.txt"):
    if line.startswith("#"):
        continue
    f = line.rstrip("\n").split("\t")
    if f[8] in dis_terms:
        gene_dis.setdefault(f[1], set()).add(f[8])
diseases = sorted(dis_terms)
print("case\thpo")
with open(cases_tsv) as fh:
    for row in csv.DictReader(fh, delimiter="\t"):
        rng = random.Random(f"{seed}:{row['case']}")
        terms = []
        ds = sorted(gene_dis.get(row["gene"], ()))
        if ds:
            d = rng.choice(ds)
            pool = sorted(set(dis_terms[d]))
            terms = rng.sample(pool, min(len(pool), rng.randint(3, 6)))
        for _ in range(2):
            other = rng.choice(diseases)
            terms.append(rng.choice(dis_terms[other]))
        rng.shuffle(terms)
        print(f"{row['case']}\t{','.join(dict.fromkeys(terms))}")
