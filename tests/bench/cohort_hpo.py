#!/usr/bin/env python3
"""HPO terms for the cohort discovery benchmark's patients (seeded).

Usage: cohort_hpo.py DRAW.tsv HPO_DIR SEED > terms.tsv   (sample<TAB>terms)

DRAW.tsv is make_cohort.py draw's output (first line: the planted gene; then
family<TAB>planted mode or '-'). The planted families' patients share one
disease: each gets 3-6 of its phenotype.hpoa terms; every other patient gets
3-6 terms of a disease of its own; everyone also gets 2 unrelated terms.
"""
import gzip, random, sys

draw, hpo, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
terms = {}
for line in gzip.open(f"{hpo}/phenotype.hpoa.gz", "rt"):
    if line.startswith("#") or line.startswith("database_id"):
        continue
    f = line.rstrip("\n").split("\t")
    if f[10] == "P" and f[2] != "NOT":
        terms.setdefault(f[0], set()).add(f[3])
diseases = sorted(d for d, t in terms.items() if len(t) >= 5)
rng = random.Random(seed)
shared = rng.choice(diseases)
lines = open(draw).read().split("\n")[1:]
print("#sample\tterms")
for line in lines:
    if not line.strip():
        continue
    fam, planted = line.split("\t")[:2]
    d = shared if planted != "-" else rng.choice(diseases)
    pool = sorted(terms[d])
    t = rng.sample(pool, min(len(pool), rng.randint(3, 6)))
    for _ in range(2):
        t.append(rng.choice(sorted(terms[rng.choice(diseases)])))
    print(f"{fam}_K\t{','.join(dict.fromkeys(t))}")
