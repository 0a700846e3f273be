#!/usr/bin/env python3
"""Prototype: gene-function evidence from the Gene Ontology for phenotype-only ranking.

A gene whose GO annotations resemble those of genes whose diseases match the patient gets a
discounted phenotype score ("guilt by association"). This script measures that on the
phenopacket-store cases before anything is written in C.

Usage (after a build and `PHENO_SPEED=0 tests/bench/pheno.sh`, which unpacks the cases):
  tests/bench/go_proto.py collect      # every annotated gene's score for every case (cached)
  tests/bench/go_proto.py eval [--part tune|rest|all] ['go:SETTINGS'] VARIANT...

GO: each gene's terms from org.Hs.eg.db (all three aspects, every evidence but ND) with their
ancestors over is_a and part_of; a term's IC = -ln(fraction of GO-annotated genes with it);
two genes' similarity is simGIC (sum of IC over shared terms / over the union). Every gene gets
its K = 50 most similar HPO-annotated genes (not itself). 'go:' changes that, e.g.
go:aspects=BP,MF;evid=ND+IEA;rels=isa;prop=0;sim=cos;K=50 (evid: evidence codes left out).

VARIANT: `base` (the C scores as they are) or comma-separated key=value:
  k      neighbours used (<= K)                      tau   soft maximum's temperature
  gam    neighbour weight sim^gam (with tau > 0)     beta  with tau = 0: best neighbour's score
  pen    subtracted from the transfer                      + beta * ln(sim)
  comb   unann: genes without HPO annotation get the transfer, the others keep their score;
         max: every gene the larger of its own score and the transfer
  floor  a number: transfers below it are raised to it (a gene without information scores 0)
Transfer = tau * ln(sum_j sim_j^gam exp(S_j / tau) / sum_j sim_j^gam) - pen over the k neighbours.
Each variant prints per case and per gene top-1 / top-10 (among all genes with a score) and
top-1 against 100 random genes, the cases that gain or lose first place there, and for cases
whose gene has no HPO annotation, the true gene's rank by the transfer alone.

Needs numpy and scipy (Debian python3-numpy python3-scipy, run with /usr/bin/python3) and the
Debian packages r-bioc-org.hs.eg.db (GO annotations, org.Hs.eg.sqlite: Entrez Gene's gene2go of
2022-09-12) and r-bioc-go.db (the ontology, GO.sqlite: go-basic.obo of 2022-07-01).
The case scores come from `genesieve pheno --top 100000` (all 4,888 annotated genes) run in
chunks of 1,000 cases and kept as a float32 matrix in build/bench/go/scores.npz.
Ranks count ties against the method, as pheno_eval.py does; the 100 random protein-coding
genes per case are drawn by pheno_eval.py's own functions (imported).
"""
import csv, os, shutil, sqlite3, statistics, subprocess, sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pheno_eval as pe  # noqa: E402  (the evaluation, shared)
import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
D = os.path.join(ROOT, "..", "shared", "data")
CASES = os.path.join(D, "phenopacket-store-dev")
W = os.path.join(ROOT, "build", "bench", "go")
PP = os.path.join(ROOT, "build", "bench", "pheno.phenopacket-store-dev", "pp")
ORG = "/usr/lib/R/site-library/org.Hs.eg.db/extdata/org.Hs.eg.sqlite"
GODB = "/usr/lib/R/site-library/GO.db/extdata/GO.sqlite"
SYMBOLS = os.path.join(D, "debian-r-bioc-org.hs.eg.db", "gene_symbols.org.Hs.eg.db.tsv.gz")
G2P = os.path.join(D, "hpo", "genes_to_phenotype.txt.gz")


def cases_tsv():
    return sorted(os.path.join(CASES, f) for f in os.listdir(CASES) if f.startswith("cases-") and f.endswith(".tsv"))[0]


def load_cases():
    with open(cases_tsv()) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def collect():
    exe = os.environ.get("GENESIEVE", os.path.join(ROOT, "build", "genesieve"))
    cases = load_cases()
    os.makedirs(W, exist_ok=True)
    genes, gi, rows = None, None, []
    for c0 in range(0, len(cases), 1000):
        chunk = cases[c0:c0 + 1000]
        cd, od = os.path.join(W, "chunk"), os.path.join(W, "chunk.out")
        shutil.rmtree(cd, ignore_errors=True); shutil.rmtree(od, ignore_errors=True)
        os.makedirs(cd)
        for c in chunk:
            os.symlink(os.path.join(PP, c["file"]), os.path.join(cd, c["id"] + ".json"))
        subprocess.run([exe, "pheno", "-q", "--hpo-data", os.path.join(D, "hpo"), "--phenopacket", cd,
                        "-o", od, "--top", "100000", "-t", "2"], check=True, cwd=cd)
        for c in chunk:
            sc = {}
            with open(os.path.join(od, c["id"] + ".tsv")) as f:
                next(f)
                for line in f:
                    _, g, s = line.split("\t", 3)[:3]
                    sc[g] = float(s)
            if genes is None:
                genes = sorted(sc)
                gi = {g: i for i, g in enumerate(genes)}
            v = np.zeros(len(genes), np.float32)
            for g, s in sc.items():
                v[gi[g]] = s
            rows.append(v)
        shutil.rmtree(cd); shutil.rmtree(od)
        print(f"collect: {len(rows)} cases", file=sys.stderr)
    np.savez(os.path.join(W, "scores.npz"), genes=np.array(genes), ids=np.array([c["id"] for c in cases]),
             S=np.vstack(rows))


# ---- Gene Ontology ----

def load_go(aspects="BP,MF,CC", drop_evidence=("ND",), rels=("isa", "part of"), propagate=True):
    """symbol -> set of GO ids (with their ancestors over rels when propagate)."""
    con = sqlite3.connect(ORG)
    sym = dict(con.execute("select _id, symbol from gene_info"))
    ann = defaultdict(set)
    for asp in aspects.split(","):
        for i, t, e in con.execute(f"select _id, go_id, evidence from go_{asp.lower()}"):
            if e not in drop_evidence and i in sym:
                ann[sym[i]].add(t)
    con.close()
    if not propagate:
        return ann
    g = sqlite3.connect(GODB)
    gid = dict(g.execute("select _id, go_id from go_term"))
    par = defaultdict(set)
    for asp in ("bp", "mf", "cc"):
        for a, b, r in g.execute(f"select _id, _parent_id, relationship_type from go_{asp}_parents"):
            if r in rels and a in gid and b in gid:
                par[gid[a]].add(gid[b])
    g.close()
    memo = {}
    def anc(t):
        if t in memo:
            return memo[t]
        r = {t}
        for p in par.get(t, ()):
            r |= anc(p)
        memo[t] = frozenset(r)
        return memo[t]
    sys.setrecursionlimit(10000)
    return {s: set().union(*(anc(t) for t in ts)) for s, ts in ann.items()}


def neighbours(ann, targets, k=50, maxfrac=1.0, sim="gic"):
    """For every gene with GO terms: its k most similar genes among targets (not itself).
    Returns genes (list), nbr (n x k int: index into targets, -1 none), nsim (n x k float)."""
    import scipy.sparse as sp
    genes = sorted(ann)
    terms = sorted(set().union(*ann.values()))
    ti = {t: i for i, t in enumerate(terms)}
    cnt = np.zeros(len(terms))
    for ts in ann.values():
        for t in ts:
            cnt[ti[t]] += 1
    ic = -np.log(cnt / len(genes))
    ic[cnt > maxfrac * len(genes)] = 0.0
    rows, cols = [], []
    for r, g in enumerate(genes):
        for t in ann[g]:
            rows.append(r); cols.append(ti[t])
    val = np.sqrt(ic[cols])
    M = sp.csr_matrix((val, (rows, cols)), shape=(len(genes), len(terms)))
    tot = np.asarray(M.multiply(M).sum(axis=1)).ravel()
    gi = {g: i for i, g in enumerate(genes)}
    tidx = np.array([gi.get(t, -1) for t in targets])
    have = tidx >= 0
    Mt = M[tidx[have]].T.tocsc()
    tmap = np.nonzero(have)[0]
    colof = {int(tidx[j]): c for c, j in enumerate(tmap)}
    nbr = np.full((len(genes), k), -1, np.int32)
    nsim = np.zeros((len(genes), k), np.float32)
    for a in range(0, len(genes), 2000):
        inter = (M[a:a + 2000] @ Mt).toarray()
        if sim == "gic":
            den = tot[a:a + 2000, None] + tot[None, tidx[have]] - inter
        else:  # cosine
            den = np.sqrt(tot[a:a + 2000, None] * tot[None, tidx[have]])
        s = np.where(den > 0, inter / np.maximum(den, 1e-12), 0.0)
        for r in range(s.shape[0]):     # not itself
            c = colof.get(a + r)
            if c is not None:
                s[r, c] = -1.0
        idx = np.argpartition(-s, k, axis=1)[:, :k]
        vs = np.take_along_axis(s, idx, 1)
        o = np.argsort(-vs, axis=1)
        nbr[a:a + 2000] = tmap[np.take_along_axis(idx, o, 1)]
        nsim[a:a + 2000] = np.take_along_axis(vs, o, 1)
    return genes, nbr, nsim, ic, terms


# ---- evaluation (as pheno_eval.py) ----

def truth_and_pools(cases, annotated, seed=1):
    coding, alias, rev = pe.gene_reference(SYMBOLS)
    out = []
    for ci, c in enumerate(cases):
        gene = pe.truth_gene(c["gene"], annotated, alias, rev)
        out.append((gene, pe.random_pool(coding, seed, ci, c["gene"], gene)))
    return out


def report(name, res, part):
    """res: list of (gene, rank or None, rank among 101)."""
    r = pe.rates(res)
    med = statistics.median([x if x is not None else 10**9 for _, x, _ in res])
    f = [100 * r[k] for k in ("top1", "top10", "r100", "top1_g", "top10_g", "r100_g")]
    print(f"{name:44s} {part:4s} n={len(res):4d} case {f[0]:5.1f} {f[1]:5.1f} {f[2]:5.1f}  gene {f[3]:5.1f} {f[4]:5.1f} {f[5]:5.1f}  med {med:g}",
          flush=True)
    return f


def parse_variant(v):
    p = dict(k=20, beta=1.0, gam=1.0, tau=0.0, pen=1.0, comb="max", floor="none", minsim=0.0)
    if v != "base":
        for kv in v.split(","):
            a, b = kv.split("=")
            p[a] = b if a in ("comb", "floor") else float(b)
    p["k"] = int(p["k"])
    return p


def evaluate(argv):
    part, go_cfg = "tune", {}
    variants = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--part":
            part = argv[i + 1]; i += 2; continue
        if a.startswith("go:"):     # go:aspects=BP,evid=IEA+ND,rels=isa,prop=1,maxfrac=1,sim=gic,K=50
            for kv in a[3:].split(";"):
                x, y = kv.split("=")
                go_cfg[x] = y
            i += 1; continue
        variants.append(a); i += 1
    z = np.load(os.path.join(W, "scores.npz"))
    H = list(z["genes"]); S = z["S"]; ids = list(z["ids"])
    cases = load_cases()
    assert ids == [c["id"] for c in cases]
    ann_h = pe.annotated_genes(G2P)
    tp = truth_and_pools(cases, ann_h)
    sel = [ci for ci in range(len(cases)) if part == "all" or (part == "tune") == (ci % 4 == 0)]
    go = load_go(go_cfg.get("aspects", "BP,MF,CC"), tuple(go_cfg.get("evid", "ND").split("+")),
                 tuple(go_cfg.get("rels", "isa+part of").split("+")), go_cfg.get("prop", "1") == "1")
    K = int(go_cfg.get("K", "50"))
    gg, nbr, nsim, ic, terms = neighbours(go, H, k=K, maxfrac=float(go_cfg.get("maxfrac", "1")),
                                          sim=go_cfg.get("sim", "gic"))
    print(f"GO {go_cfg}: {len(gg)} genes, {len(terms)} terms", flush=True)
    U = sorted(set(H) | set(gg))
    ui = {g: i for i, g in enumerate(U)}
    hi = {g: i for i, g in enumerate(H)}
    gi = {g: i for i, g in enumerate(gg)}
    uh = np.array([hi.get(g, -1) for g in U])
    ug = np.array([gi.get(g, -1) for g in U])
    NB = np.zeros((len(U), K), np.int64); NS = np.zeros((len(U), K), np.float32)
    m = ug >= 0
    NB[m] = nbr[ug[m]]; NS[m] = nsim[ug[m]]
    NB[NB < 0] = 0
    isH = uh >= 0
    base = None
    for v in variants:
        p = parse_variant(v)
        k = p["k"]
        nb, ns = NB[:, :k], NS[:, :k]
        with np.errstate(divide="ignore"):
            lw = np.where(ns > max(p["minsim"], 0), p["beta"] * np.log(np.maximum(ns, 1e-30)), -np.inf)
            wl = np.where(ns > max(p["minsim"], 0), p["gam"] * np.log(np.maximum(ns, 1e-30)), -np.inf)
            mw = wl.max(axis=1, keepdims=True)
            lsw = (mw + np.log(np.exp(wl - np.where(np.isfinite(mw), mw, 0)).sum(axis=1, keepdims=True))).ravel()
        res, alone = [], []
        for ci in sel:
            s = S[ci]
            direct = np.where(isH, s[np.maximum(uh, 0)], -np.inf)
            if v == "base":
                f = direct
                univ = isH
            else:
                if p["tau"] > 0:    # soft maximum of the neighbours' scores, weighted by sim^gam
                    x = s[nb] / p["tau"] + wl
                    mx = x.max(axis=1)
                    ok = np.isfinite(mx)
                    t = np.full(len(U), -np.inf)
                    t[ok] = p["tau"] * (mx[ok] + np.log(np.exp(x[ok] - mx[ok, None]).sum(axis=1)) - lsw[ok])
                else:               # the best neighbour, less beta * ln(1 / sim)
                    t = (s[nb] + lw).max(axis=1)
                t = t - p["pen"]
                if p["comb"] == "max":
                    f = np.maximum(direct, t)
                elif p["comb"] == "unann":
                    f = np.where(isH, direct, t)
                if p["floor"] != "none":
                    f = np.where(isH, f, np.maximum(f, float(p["floor"])))
                univ = isH | np.isfinite(f)
            gene, pool = tp[ci]
            j = ui.get(gene)
            if v != "base" and j is not None and not isH[j] and np.isfinite(t[j]):
                tr = t[np.isfinite(t)]      # the transfer alone, among all genes that have one
                alone.append(1 + int(np.sum(tr > t[j])))
            if j is None or not univ[j]:
                res.append((cases[ci]["gene"], None, 101)); continue
            ts = f[j]
            rank = 1 + int(np.sum(f[univ] >= ts)) - 1
            beat = 0
            for g in pool:
                q = ui.get(g)
                sc = f[q] if q is not None and univ[q] else 0.0
                beat += sc >= ts
            res.append((cases[ci]["gene"], rank, 1 + beat))
        report(v, res, part)
        if v == "base":
            base = res
        elif base:
            won = sum(1 for a, b in zip(base, res) if a[2] > 1 and b[2] == 1)
            lost = sum(1 for a, b in zip(base, res) if a[2] == 1 and b[2] > 1)
            print(f"{'':44s} against 100 random genes, cases now first / no longer first: {won} / {lost}")
            a = np.array(alone)
            print(f"{'':44s} gene without HPO annotation ({len(a)} cases), by the transfer alone among "
                  f"{int(np.isfinite(t).sum())} genes: top-10 {100 * np.mean(a <= 10):.1f} %, top-100 "
                  f"{100 * np.mean(a <= 100):.1f} %, median {np.median(a):g}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["collect"]:
        collect()
    elif sys.argv[1:2] == ["eval"]:
        evaluate(sys.argv[2:])
    else:
        sys.exit(__doc__)
