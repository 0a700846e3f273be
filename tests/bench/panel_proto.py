#!/usr/bin/env python3
"""PanelApp panels as phenotype evidence: a prototype on top of `genesieve pheno` outputs.

Usage:
  panel_proto.py PHENO_OUT CASES.tsv PANELS.tsv GENE_SYMBOLS.tsv.gz G2P.txt.gz [options]
      --grid                 score the settings grid on --part (default tune) and print a table
      --conf 3|2             panel genes of confidence >= this (3 green; 2 green + amber) [2]
      --max-size N           skip panels with more than N such genes (0 = all panels) [1000]
      --tp X                 temperature of a panel's aggregate of its members (0 = plain mean) [0.2]
      --alpha X              a panel of g genes points at each with weight 1/g^alpha [0.5]
      --pen X                subtracted from every panel-derived score [0]
      --annotated-weight X   annotated genes: 0.2 ln(exp(S/0.2) + X exp(P/0.2)); 0 = untouched [0.1]
      --shuffle              control: each panel takes another panel's phenotype profile
      --hide-true            control: drop the true gene's own HPO score (scored from panels only)
      --part tune|rest|all   cases evaluated (every 4th case from the first = tune)
      --write DIR            write DIR/<id>.tsv (rank, gene, score, source) for pheno_eval.py
      --compare              per-case table against the unchanged scores (gains / losses, splits)

PHENO_OUT/<id>.tsv: `genesieve pheno ... --top 5000` (every annotated gene of the release); the
scores are cached in PHENO_OUT.matrix.npz (delete it when the outputs change).
The defaults are the settings chosen on the tuning quarter (the best 100-random top-1 among the
settings that keep top-1 and top-10 among all genes).
PANELS.tsv: PanelAppRex `PanelAppData_combined_core.tsv` (id, mode_of_inheritance, Gene,
confidence_level, name, ...).

Method. S_g = the gene's phenotype score (T = 0.2 log-sum-exp over its diseases, as the C tool).
A panel p is treated like a disease naming g_p genes whose phenotype is that of its HPO-annotated
members: its score for the patient is the log-mean-exp of their scores at temperature tp,
  panel_p = tp ln( mean over annotated members m != g of exp(S_m / tp) )
(the gene itself is left out, so an annotated gene gains only from its neighbours), and a gene
scores from its panels as a gene does from its diseases,
  P_g = T ln sum over panels p containing g of exp(panel_p / T) / g_p^alpha  -  pen.
A gene without HPO annotation gets P_g; an annotated gene gets T ln(exp(S_g/T) + w exp(P_g/T)).
Random protein-coding genes on panels get the same score, which is what keeps the 100-random
comparison honest. The evaluation is tests/bench/pheno_eval.py's (its seeded random genes and
rates; ties against the method, a gene without any score counts 0 against 100 random genes).
"""
import csv, os, random, sys, time
from collections import defaultdict
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pheno_eval as pe  # noqa: E402  (the evaluation, shared)

T = 0.2


def load(pheno_out, cases_tsv, panels_tsv, symbols_gz, g2p):
    annotated = pe.annotated_genes(g2p)
    coding, alias, rev = pe.gene_reference(symbols_gz)
    with open(cases_tsv) as f:
        cases = list(csv.DictReader(f, delimiter="\t"))
    # score matrix: cases x annotated genes (cached as .npz next to the outputs)
    cache = os.path.join(pheno_out.rstrip("/") + ".matrix.npz")
    if os.path.exists(cache):
        z = np.load(cache, allow_pickle=False)
        genes, S = list(z["genes"]), z["S"]
    else:
        genes, S = None, None
        for ci, c in enumerate(cases):
            with open(os.path.join(pheno_out, c["id"] + ".tsv")) as f:
                next(f)
                rows = [line.split("\t", 3)[1:3] for line in f]
            if genes is None:
                genes = sorted(g for g, _ in rows)
                gi = {g: i for i, g in enumerate(genes)}
                S = np.full((len(cases), len(genes)), np.nan)
            for g, s in rows:
                S[ci, gi[g]] = float(s)
        np.savez(cache, genes=np.array(genes), S=S)
    if np.isnan(S).any():
        sys.exit("panel_proto.py: some outputs do not list every annotated gene (use --top 5000)")
    # panels; a PanelApp symbol the 2023 annotations spell differently is mapped through the
    # alias lists (both ways) to the annotation's symbol, else to the org.Hs.eg.db symbol
    codingset = set(coding)
    # (a current symbol is kept as it is: aliases are ambiguous, LMO4 is an alias of CSRP3)
    def canon(sym):
        if sym in annotated or sym in codingset:
            return sym
        cand = sorted(a for a in alias.get(sym, set()) | rev.get(sym, set()) if a in annotated)
        if len(cand) == 1:
            return cand[0]
        cand = sorted(a for a in alias.get(sym, set()) if a in codingset)
        return cand[0] if len(cand) == 1 else sym
    panels = defaultdict(dict)   # id -> {gene: confidence}
    pname = {}
    with open(panels_tsv) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            try:
                conf = int(row["confidence_level"])
            except ValueError:
                continue
            g = canon(row["Gene"])
            panels[row["id"]][g] = max(conf, panels[row["id"]].get(g, 0))
            pname[row["id"]] = row["name"]
    return dict(annotated=annotated, coding=coding, alias=alias, rev=rev, cases=cases,
                genes=genes, S=S, panels=panels, pname=pname, canon=canon)


def truth(D, c):
    return pe.truth_gene(c["gene"], D["annotated"], D["alias"], D["rev"])


def panel_scores(D, rows, conf=3, max_size=0, tp=T, alpha=1.0, pen=0.0, shuffle=False):
    """Return (names, P): P[:, j] = panel-derived score of gene names[j] for the case rows.
    shuffle (control): every panel takes the phenotype profile (annotated members' scores) of
    another panel, by a fixed random permutation; which genes share a panel, how many panels a
    gene is on and the panels' sizes stay: what is left of the gain is not phenotype matching."""
    S = D["S"][rows]
    gi = {g: i for i, g in enumerate(D["genes"])}
    members = {}
    for pid, gm in D["panels"].items():
        m = sorted(g for g, c in gm.items() if c >= conf)
        if m and (not max_size or len(m) <= max_size):
            members[pid] = m
    # per panel: sum over annotated members of exp(S/tp) (or of S for tp = 0), their count, size
    pids = sorted(members)
    E = np.exp(S / tp) if tp > 0 else S
    Psum = np.zeros((len(rows), len(pids)))
    Pn = np.zeros(len(pids))
    for j, pid in enumerate(pids):
        idx = [gi[g] for g in members[pid] if g in gi]
        if idx:
            Psum[:, j] = E[:, idx].sum(axis=1)
            Pn[j] = len(idx)
    size = np.array([len(members[p]) for p in pids], float)
    if shuffle:
        perm = list(range(len(pids)))
        random.Random(7).shuffle(perm)
        Psum, Pn = Psum[:, perm], Pn[perm]
    by_gene = defaultdict(list)
    for j, pid in enumerate(pids):
        for g in members[pid]:
            by_gene[g].append(j)
    names = sorted(by_gene)
    P = np.full((len(rows), len(names)), -np.inf)
    for k, g in enumerate(names):
        js = by_gene[g]
        tot = Psum[:, js].copy()
        n = Pn[js].copy()
        if g in gi and not shuffle:      # leave the gene itself out of its panels' profiles
            tot -= E[:, [gi[g]]]
            n = n - 1
        ok = n > 0
        if not ok.any():
            continue
        tot, n = tot[:, ok], n[ok]
        if tp > 0:
            ps = tp * np.log(np.maximum(tot / n, 1e-300))
        else:
            ps = tot / n
        w = size[js][ok] ** -alpha
        m = ps.max(axis=1, keepdims=True)
        P[:, k] = (m[:, 0] + T * np.log((np.exp((ps - m) / T) * w).sum(axis=1))) - pen
    return names, P


def combine(D, rows, names, P, annotated_weight=0.0, hide_true=False, unannotated=True):
    """Final score table per case: dict-free arrays (all names, score matrix)."""
    genes = D["genes"]
    S = D["S"][rows].copy()
    gi = {g: i for i, g in enumerate(genes)}
    extra = [g for g in names if g not in gi] if unannotated else []
    allg = genes + extra
    A = np.concatenate([S, np.full((len(rows), len(extra)), -np.inf)], axis=1)
    ai = {g: i for i, g in enumerate(allg)}
    for k, g in enumerate(names):
        if g in gi:
            if annotated_weight > 0:
                i = gi[g]
                A[:, i] = np.logaddexp(A[:, i] / T, np.log(annotated_weight) + P[:, k] / T) * T
        elif unannotated:
            A[:, ai[g]] = P[:, k]
    if hide_true:
        # control: the true gene keeps only its panel evidence (as if it had no HPO annotation)
        pk = {g: k for k, g in enumerate(names)}
        for r, ci in enumerate(rows):
            g = truth(D, D["cases"][ci])
            if g in gi:
                A[r, gi[g]] = P[r, pk[g]] if g in pk else -np.inf
    return allg, A


def evaluate(D, rows, allg, A, seed=1):
    """pheno_eval.py's figures; returns per-case arrays (rank, r100) and the summary."""
    ai = {g: i for i, g in enumerate(allg)}
    annotated, coding = D["annotated"], D["coding"]
    out = []
    for r, ci in enumerate(rows):
        c = D["cases"][ci]
        gene = truth(D, c)
        sc = A[r]
        listed = np.isfinite(sc)
        pool = pe.random_pool(coding, seed, ci, c["gene"], gene)
        if gene in ai and listed[ai[gene]]:
            ts = sc[ai[gene]]
            rank = int((sc[listed] >= ts).sum())
            beat = 0
            for g in pool:
                if g in ai and listed[ai[g]]:
                    beat += sc[ai[g]] >= ts
                else:
                    beat += ts <= 0
            r100 = 1 + beat
        else:
            rank, r100 = None, 101
        out.append((c["gene"], rank, r100))
    return out


def summary(res):
    return {k: 100 * v for k, v in pe.rates(res).items()}


def fmt(f):
    return (f"{f['top1']:5.1f} {f['top10']:5.1f} {f['r100']:5.1f} | "
            f"{f['top1_g']:5.1f} {f['top10_g']:5.1f} {f['r100_g']:5.1f}")


def part_rows(D, part):
    n = len(D["cases"])
    return [i for i in range(n) if part == "all" or (part == "tune") == (i % 4 == 0)]


def main():
    a = sys.argv[1:]
    opt = dict(conf=2, max_size=1000, tp=T, alpha=0.5, pen=0.0, annotated_weight=0.1)
    flags = dict(grid=False, hide_true=False, compare=False, shuffle=False)
    part, write = "tune", None
    pos = []
    i = 0
    while i < len(a):
        x = a[i]
        if x.startswith("--") and x[2:].replace("-", "_") in flags:
            flags[x[2:].replace("-", "_")] = True
        elif x == "--part":
            part = a[i + 1]; i += 1
        elif x == "--write":
            write = a[i + 1]; i += 1
        elif x.startswith("--") and x[2:].replace("-", "_") in opt:
            k = x[2:].replace("-", "_")
            opt[k] = type(opt[k])(a[i + 1]) if k != "max_size" else int(a[i + 1]); i += 1
        else:
            pos.append(x)
        i += 1
    if len(pos) != 5:
        sys.exit(__doc__)
    t0 = time.time()
    D = load(*pos)
    rows = part_rows(D, part)
    print(f"# loaded in {time.time() - t0:.1f} s: {len(D['cases'])} cases, {len(D['genes'])} "
          f"annotated genes, {len(D['panels'])} panels; part {part}: {len(rows)} cases")
    base = evaluate(D, rows, D["genes"], D["S"][rows])
    print("# per case top-1 top-10 101-top-1 | per gene top-1 top-10 101-top-1")
    print(f"{'baseline':58s} {fmt(summary(base))}")
    if flags["grid"]:
        grid(D, rows, base)
        return
    names, P = panel_scores(D, rows, opt["conf"], opt["max_size"], opt["tp"], opt["alpha"], opt["pen"],
                            flags["shuffle"])
    allg, A = combine(D, rows, names, P, opt["annotated_weight"], flags["hide_true"])
    res = evaluate(D, rows, allg, A)
    print(f"{str(opt):58s} {fmt(summary(res))}")
    if flags["compare"]:
        compare(D, rows, base, res)
    if write:
        os.makedirs(write, exist_ok=True)
        gi = set(D["genes"])
        for r, ci in enumerate(rows):
            sc = A[r]
            order = sorted((i for i in range(len(allg)) if np.isfinite(sc[i])),
                           key=lambda i: (-sc[i], allg[i]))
            vals = sc[order]
            with open(os.path.join(write, D["cases"][ci]["id"] + ".tsv"), "w") as f:
                f.write("rank\tgene\tscore\tsource\n")
                for i, s in zip(order, vals):
                    rank = int(np.searchsorted(-vals, -s, side="right"))
                    f.write(f"{rank}\t{allg[i]}\t{s:.6f}\t{'hpo' if allg[i] in gi else 'panel'}\n")


def compare(D, rows, base, res):
    ann = [truth(D, D["cases"][ci]) in D["annotated"] for ci in rows]
    onpanel = set(g for gm in D["panels"].values() for g in gm)
    for lab, sel in (("all", lambda k: True), ("true gene HPO-annotated", lambda k: ann[k]),
                     ("true gene not annotated", lambda k: not ann[k])):
        ks = [k for k in range(len(rows)) if sel(k)]
        b = summary([base[k] for k in ks]); n = summary([res[k] for k in ks])
        gain = sum(1 for k in ks if base[k][2] > 1 and res[k][2] == 1)
        lose = sum(1 for k in ks if base[k][2] == 1 and res[k][2] > 1)
        g1 = sum(1 for k in ks if (base[k][1] or 99999) > 1 and res[k][1] == 1)
        l1 = sum(1 for k in ks if base[k][1] == 1 and (res[k][1] or 99999) > 1)
        print(f"## {lab}: {len(ks)} cases, {len(set(base[k][0] for k in ks))} genes")
        print(f"   before {fmt(b)}\n   after  {fmt(n)}")
        print(f"   first place vs 100 random: {gain} gain, {lose} lose; "
              f"first among all genes: {g1} gain, {l1} lose")


def grid(D, rows, base):
    settings = []
    for conf in (3, 2):
        for ms in (0, 1000, 500, 200):
            for tp in (T, 1.0, 0.0):
                for alpha in (0.0, 0.5, 1.0):
                    settings.append(dict(conf=conf, max_size=ms, tp=tp, alpha=alpha))
    pens = (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5)
    for s in settings:
        names, P = panel_scores(D, rows, **s)
        line = []
        for pen in pens:
            allg, A = combine(D, rows, names, P - pen)
            f = summary(evaluate(D, rows, allg, A))
            line.append(f"{pen:+.1f}: {f['top1']:4.1f}/{f['top10']:4.1f}/{f['r100']:4.1f}")
        print(f"{str(s):58s} " + "  ".join(line), flush=True)


if __name__ == "__main__":
    main()
