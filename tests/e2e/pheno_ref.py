#!/usr/bin/env python3
"""Independent reference for one gene score of `genesieve pheno` (README "Phenotypes").

Usage: pheno_ref.py HPO_DIR GENE OBSERVED[,..] [EXCLUDED[,..]]
Reads hp.json(.gz), phenotype.hpoa(.gz) and genes_to_phenotype.txt(.gz) with Python's own
parsers and prints the gene's score. A patient term's match in a disease: the best (Resnik
similarity + 0.3 * ln frequency) over the disease's terms, at least 0. A disease's score: 0.75 *
mean over patient terms of their match + 0.25 * (sum over the disease's terms of frequency * best
Resnik match in the patient) / (sum of frequencies + 3) - 0.1 * ln(number of terms) + 0.5 *
fraction of patient terms p with a disease term d where sim(p, d) = IC(p) - 0.3 * (chance(D) -
mean chance over diseases with genes and terms) - 0.2 * conflicts / (patient terms + excluded
terms), where chance(D) is the mean match in D of 100 reference terms: every (total annotations //
100)-th annotation, counted from (that step // 2), in the order phenotype.hpoa first lists diseases
and their terms. A gene's: 0.2 * ln sum over its diseases of exp(score / 0.2) / (genes of the
disease), each disease less 0.3 when genes_to_phenotype flags the link "question".
"""
import gzip, json, math, os, sys

def opn(d, name):
    for n in (name, name + ".gz"):
        p = os.path.join(d, n)
        if os.path.exists(p):
            return gzip.open(p, "rt") if n.endswith(".gz") else open(p)
    raise SystemExit(f"no {name} in {d}")

def hp(iri):
    i = iri.rsplit("/", 1)[-1].replace("HP_", "HP:")
    return i if i.startswith("HP:") else None

d, gene, obs = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
exc = sys.argv[4].split(",") if len(sys.argv) > 4 and sys.argv[4] else []
g = json.load(opn(d, "hp.json"))["graphs"][0]
parents, alt, obsolete, repl = {}, {}, set(), {}
for n in g["nodes"]:
    t = hp(n["id"])
    if not t:
        continue
    parents.setdefault(t, set())
    m = n.get("meta", {})
    if m.get("deprecated"):
        obsolete.add(t)
    for bp in m.get("basicPropertyValues", []):
        if bp["pred"].endswith("hasAlternativeId"):
            alt[bp["val"]] = t
        elif bp["pred"].endswith("IAO_0100001"):
            repl[t] = bp["val"]
for e in g["edges"]:
    s, o = hp(e["sub"]), hp(e["obj"])
    if s and o and e["pred"] == "is_a":
        parents.setdefault(s, set()).add(o)
anc = {}
def ancestors(t):
    if t not in anc:
        a = {t}
        for p in parents.get(t, ()):
            a |= ancestors(p)
        anc[t] = a
    return anc[t]
sys.setrecursionlimit(10000)
def resolve(t):
    t = alt.get(t, t)
    while t in obsolete and t in repl:
        t = repl[t]
    return t
freq_terms = {"HP:0040280": 1.0, "HP:0040281": 0.9, "HP:0040282": 0.55, "HP:0040283": 0.17, "HP:0040284": 0.03, "HP:0040285": 0.0}
def freq(f):
    if not f:
        return 1.0
    if f in freq_terms:
        return freq_terms[f]
    if "/" in f:
        a, b = f.split("/")
        return min(1.0, float(a) / float(b)) if float(b) > 0 else 1.0
    if f.endswith("%"):
        return min(1.0, max(0.0, float(f[:-1]) / 100))
    return 1.0
dis = {}
for line in opn(d, "phenotype.hpoa"):
    if line.startswith("#") or line.startswith("database_id"):
        continue
    f = line.rstrip("\n").split("\t")
    if f[10] != "P":
        continue
    t = alt.get(f[3], f[3])
    if t not in parents:
        continue
    t = resolve(t)
    D = dis.setdefault(f[0], {"t": {}, "x": {}, "no": set()})
    w = freq(f[7])
    if f[2] == "NOT" or w == 0:
        D["no"].add(t)
        continue
    D["t"][t] = max(D["t"].get(t, 0), w)
    if f[7]:
        D["x"][t] = max(D["x"].get(t, 0), w)
count = {}
for D in dis.values():
    if not D["t"]:
        continue
    u = set()
    for t in D["t"]:
        u |= ancestors(t)
    for a in u:
        count[a] = count.get(a, 0) + 1
N = sum(1 for D in dis.values() if D["t"])
ic = lambda t: -math.log(count.get(t, 1) / N)
P = [resolve(alt.get(t, t)) for t in obs]
P = [t for t in dict.fromkeys(P) if t in parents and "HP:0000118" in ancestors(t)]
X = [resolve(alt.get(t, t)) for t in exc]
X = [t for t in dict.fromkeys(X) if t in parents and "HP:0000118" in ancestors(t)]
sim = lambda a, b: max((ic(c) for c in ancestors(a) & ancestors(b)), default=0.0)
have = set()
for p in P:
    have |= ancestors(p)

# genes of each disease, provisional links
gdis, ngenes, question = {}, {}, {}
for line in opn(d, "genes_to_phenotype.txt"):
    f = line.rstrip("\n").split("\t")
    if line.startswith("#") or len(f) < 9 or not f[1] or f[8] not in dis:
        continue
    ngenes.setdefault(f[8], set()).add(f[1])
    if f[1] == gene and f[8] not in gdis:
        gdis[f[8]] = "question" in f[6]
if not gdis:
    raise SystemExit(f"{gene}: no disease of phenotype.hpoa")

def match(p, D):
    return max(0.0, max(sim(p, t) + 0.3 * math.log(w) for t, w in D["t"].items()))

# chance: the reference terms' match in every disease with genes, from each reference term's
# similarity to every annotated term
refs = [t for D in dis.values() for t in D["t"]]
step = max(1, len(refs) // 100)
refs = [t for i, t in enumerate(refs) if i % step == step // 2]
used = {t for D in dis.values() for t in D["t"]}
below = {}  # annotated terms at or below a term
for u in used:
    for a in ancestors(u):
        below.setdefault(a, []).append(u)
rsim = []
for r in refs:  # sim(r, u): the most informative ancestor of r above u
    row = dict.fromkeys(used, 0.0)
    for a in sorted(ancestors(r), key=ic):
        for u in below.get(a, ()):
            row[u] = ic(a)
    rsim.append(row)
chance = {}
for x, D in dis.items():
    if x in ngenes and D["t"]:
        lw = [(t, 0.3 * math.log(w)) for t, w in D["t"].items()]
        chance[x] = sum(max(0.0, max(row[t] + l for t, l in lw)) for row in rsim) / len(rsim)
mean_chance = sum(chance.values()) / len(chance)

def score(x):
    D = dis[x]
    if not D["t"] or not P:
        return 0.0
    pd = sum(match(p, D) for p in P) / len(P)
    ws = sum(D["t"].values())
    dp = sum(w * max(sim(p, t) for p in P) for t, w in D["t"].items()) / (ws + 3)
    exact = sum(1 for p in P if any(sim(p, t) >= ic(p) - 1e-6 for t in D["t"])) / len(P)
    conflict = 0.0
    for t in D["t"]:
        if D["x"].get(t, 0) >= 0.8:
            hits = [x for x in ancestors(t) if x in X]
            if hits:
                conflict += max(ic(x) for x in hits)
    conflict += sum(ic(q) for q in D["no"] if q in have)
    return (0.75 * pd + 0.25 * dp - 0.1 * math.log(len(D["t"])) + 0.5 * exact
            - 0.3 * (chance[x] - mean_chance) - 0.2 * conflict / (len(P) + len(X)))

s = [score(x) - 0.2 * math.log(len(ngenes[x])) - (0.3 if q else 0.0) for x, q in sorted(gdis.items())]
print(f"{max(s) + 0.2 * math.log(sum(math.exp((v - max(s)) / 0.2) for v in s)):.4f}")
