#!/usr/bin/env python3
"""Seeded families for the cohort discovery benchmark (tests/bench/cohort_discovery.sh).

`pool`: N unrelated trio families, each a real background from ../shared/data
made different from the others:

  background   the GIAB Ashkenazi trio (joint exome calls, chr1-2, bcftools
               BCSQ; no population frequencies, so it is noisy: ~130 candidate
               genes, mostly recessive) in 85 % of families, the Scout demo trio
               (VEP CSQ, with frequencies; its chr1-2 part is nearly clean) in 15 %;
  subsample    each GIAB family keeps a random 30-100 % of the records, so
               families differ in how many candidates they have;
  relabel      every gene symbol of the background is mapped, per family, to a
               random gene: the hits, modes and genotypes are real, but which
               gene is hit differs between families, as in unrelated patients.
               --relabel length (default): a gene of chromosomes 1-2 drawn with
               probability proportional to its exome-target length (the cohort
               model's null); --relabel bins: within the chromosome, a permutation within bins of 50
               genes of similar length, which keeps the background's own hit
               density per bin, identical in every family (a stress test: the
               clones' hot spots recur in every family);
  spikes       Poisson(0.5) de novo and Poisson(0.5) homozygous recessive
               damaging variants in genes drawn by length: different noise in
               every family.

Every family covers chromosomes 1 and 2 only (the GIAB trio's span), so the
cohort's gene universe is the same for all.  Samples are renamed F0001_K /
_D / _M (son affected, parents unaffected).

`draw`: one repeat of the benchmark: families drawn from the pool, a gene
drawn from the universe, planted in k of them (as `plant` does).

`plant`: a copy of one pool family with damaging variants in GENE realising
MODE (de_novo: a het frameshift/stop absent from the parents; ar_hom: hom in
the son, het in both parents; comp_het: two hets, one from each parent).
"""
import argparse
import bisect
import gzip
import math
import os
import random
import sys

CHROMS = ("1", "2")
KID, DAD, MUM = "K", "D", "M"


def read_vcf(path):
    header, recs = [], []
    with gzip.open(path, "rt") as f:
        for line in f:
            if line.startswith("#"):
                header.append(line.rstrip("\n"))
            else:
                c = line.rstrip("\n").split("\t")
                if c[0] in CHROMS:
                    recs.append(c)
    return header, recs


def read_lengths(path):
    genes = {c: [] for c in CHROMS}
    with open(path) as f:
        for line in f:
            if line.startswith("#") or line.startswith("gene\t"):
                continue
            g, c, n = line.rstrip("\n").split("\t")
            if c in genes:
                genes[c].append((int(n), g))
    return {c: sorted(v) for c, v in genes.items()}


def read_spans(path):
    spans = {}
    with open(path) as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if c[0] in CHROMS:
                spans[c[3]] = (c[0], int(c[1]), int(c[2]))
    return spans


class Universe:
    def __init__(self, lengths, spans):
        self.by_chrom = lengths
        self.spans = spans
        self.all = [(n, g, c) for c in CHROMS for n, g in lengths[c] if g in spans]
        self.cum = []
        t = 0
        for n, _, _ in self.all:
            t += n
            self.cum.append(t)
        self.chrom_of = {g: c for n, g, c in self.all}

    def by_length(self, rng):
        """A gene drawn with probability proportional to its length."""
        return self.all[bisect.bisect_left(self.cum, rng.random() * self.cum[-1])]

    def relabelling(self, rng, how):
        """Per chromosome, each gene's new name.  'length': a gene drawn with
        probability proportional to its length (the cohort model's null);
        'bins': a permutation within bins of 50 genes of similar length (keeps
        the background's own hit density per size class: a bin where the
        background has many hits is hot in every family, a stress test)."""
        m = {}
        for c in CHROMS:
            genes = [g for n, g in self.by_chrom[c]]
            if how == "bins":
                for i in range(0, len(genes), 50):
                    b = genes[i:i + 50]
                    p = b[:]
                    rng.shuffle(p)
                    m.update(zip(b, p))
            else:  # any gene of chromosomes 1-2: the GIAB calls cover chr2 only up to 40 Mb
                for g in genes:
                    m[g] = self.by_length(rng)[1]
        return m


def relabel_bcsq(value, mapping, rng, chrom, uni):
    out = []
    for entry in value.split(","):
        f = entry.split("|")
        if len(f) > 1 and f[1]:
            f[1] = mapping.get(f[1]) or pick_unknown(f[1], chrom, mapping, rng, uni)
        out.append("|".join(f))
    return ",".join(out)


def pick_unknown(name, chrom, mapping, rng, uni):
    """A background gene the length table lacks: a random gene (by length), fixed per family."""
    key = "?" + name
    if key not in mapping:
        mapping[key] = uni.by_length(rng)[1]
    return mapping[key]


def csq_symbol_index(header):
    for h in header:
        if h.startswith("##INFO=<ID=CSQ,"):
            fmt = h.split("Format: ")[1].rstrip('">').split("|")
            return fmt
    return None


def relabel_info(info, mapping, rng, chrom, uni, csq_fmt):
    parts = info.split(";")
    for i, kv in enumerate(parts):
        if kv.startswith("BCSQ="):
            parts[i] = "BCSQ=" + relabel_bcsq(kv[5:], mapping, rng, chrom, uni)
        elif kv.startswith("CSQ=") and csq_fmt:
            k = csq_fmt.index("SYMBOL")
            ents = []
            for e in kv[4:].split(","):
                f = e.split("|")
                if len(f) > k and f[k]:
                    f[k] = mapping.get(f[k]) or pick_unknown(f[k], chrom, mapping, rng, uni)
                ents.append("|".join(f))
            parts[i] = "CSQ=" + ",".join(ents)
    return ";".join(parts)


def call(gt, rng, fmt):
    dp = rng.randint(30, 80)
    if gt == "0/0":
        ad = f"{dp},0"
    elif gt == "1/1":
        ad = f"0,{dp}"
    else:
        a = int(dp * rng.uniform(0.4, 0.6))
        ad = f"{dp - a},{a}"
    return f"{gt}:{ad}:{dp}:99"


def damaging(rng, ref_base):
    """A damaging allele: frameshift or stop (HIGH) or missense (MODERATE)."""
    kind = rng.choice(["frameshift", "stop_gained", "missense"])
    alt = {"A": "C", "C": "G", "G": "T", "T": "A"}[ref_base]
    if kind == "frameshift":
        return ref_base, ref_base + alt, kind
    return ref_base, alt, kind


def annotation(gene, kind, csq_fmt, ref, alt):
    so = {"frameshift": "frameshift_variant", "stop_gained": "stop_gained", "missense": "missense_variant"}[kind]
    if csq_fmt is None:
        return f"BCSQ={kind}|{gene}|ENST00000000000|protein_coding|+|1X>1Y|1{ref}>{alt}"
    f = [""] * len(csq_fmt)
    f[csq_fmt.index("Allele")] = alt[1:] if len(alt) > len(ref) else alt
    f[csq_fmt.index("Consequence")] = so
    f[csq_fmt.index("IMPACT")] = "MODERATE" if kind == "missense" else "HIGH"
    f[csq_fmt.index("SYMBOL")] = gene
    return "CSQ=" + "|".join(f)


def planted_records(gene, mode, uni, rng, csq_fmt, occupied, fmt):
    chrom, beg, end = uni.spans[gene]
    gts = {"de_novo": [("0/1", "0/0", "0/0")], "ar_hom": [("1/1", "0/1", "0/1")],
           "comp_het": [("0/1", "0/1", "0/0"), ("0/1", "0/0", "0/1")]}[mode]
    out = []
    for kid, dad, mum in gts:
        while True:
            pos = rng.randint(beg + 1, max(beg + 1, end))
            if (chrom, pos) not in occupied:
                break
        occupied.add((chrom, pos))
        ref, alt, kind = damaging(rng, rng.choice("ACGT"))
        info = annotation(gene, kind, csq_fmt, ref, alt)
        out.append([chrom, str(pos), ".", ref, alt, "500", "PASS", info, fmt,
                    call(kid, rng, fmt), call(dad, rng, fmt), call(mum, rng, fmt)])
    return out


def write_family(path, header, samples_line, recs):
    recs.sort(key=lambda r: (CHROMS.index(r[0]), int(r[1])))
    with open(path, "w") as f:
        for h in header[:-1]:
            f.write(h + "\n")
        f.write(samples_line + "\n")
        for r in recs:
            f.write("\t".join(r) + "\n")


def backgrounds(data):
    giab_h, giab_r = read_vcf(os.path.join(data, "slivar/ashk-trio.vcf.gz"))
    scout_h, scout_r = read_vcf(os.path.join(data, "scout/643594.clinical.vcf.gz"))
    # columns in the order son, father, mother
    return {"giab": (giab_h, giab_r, ["HG002", "HG003", "HG004"]),
            "scout": (scout_h, scout_r, ["ADM1059A2", "ADM1059A1", "ADM1059A3"])}


def build_family(i, seed, bgs, uni, how):
    """Family i of the pool of this seed, always the same."""
    rng = random.Random(seed * 1000003 + i)
    fam = f"F{i:04d}"
    bg = "giab" if rng.random() < 0.85 else "scout"
    header, recs, order = bgs[bg]
    cols = header[-1].split("\t")
    idx = [cols.index(s) for s in order]
    keep = rng.uniform(0.3, 1.0) if bg == "giab" else 1.0
    csq_fmt = csq_symbol_index(header) if bg == "scout" else None
    mapping = uni.relabelling(rng, how)
    out = []
    occupied = set()
    for r in recs:
        if rng.random() > keep:
            continue
        r2 = r[:9] + [r[j] for j in idx]
        r2[7] = relabel_info(r[7], mapping, rng, r[0], uni, csq_fmt)
        out.append(r2)
        occupied.add((r[0], int(r[1])))
    ndn, nrec = poisson(rng, 0.5), poisson(rng, 0.5)
    for _ in range(ndn):
        out += planted_records(uni.by_length(rng)[1], "de_novo", uni, rng, csq_fmt, occupied, "GT:AD:DP:GQ")
    for _ in range(nrec):
        out += planted_records(uni.by_length(rng)[1], "ar_hom", uni, rng, csq_fmt, occupied, "GT:AD:DP:GQ")
    samples_line = "\t".join(cols[:9] + [f"{fam}_{KID}", f"{fam}_{DAD}", f"{fam}_{MUM}"])
    return fam, header[:-1] + [samples_line], out, csq_fmt, occupied, (bg, keep, ndn, nrec)


def cmd_pool(a):
    uni = Universe(read_lengths(a.lengths), read_spans(a.spans))
    bgs = backgrounds(a.data)
    os.makedirs(a.out, exist_ok=True)
    man = open(os.path.join(a.out, "pool.tsv"), "w")
    man.write("family\tbackground\tkept\tde_novo_spikes\trecessive_spikes\n")
    for i in range(1, a.n + 1):
        fam, header, out, _, _, (bg, keep, ndn, nrec) = build_family(i, a.seed, bgs, uni, a.relabel)
        write_family(os.path.join(a.out, fam + ".vcf"), header, header[-1], out)
        with open(os.path.join(a.out, fam + ".ped"), "w") as f:
            f.write(f"fam{fam}\t{fam}_{KID}\t{fam}_{DAD}\t{fam}_{MUM}\t1\t2\n")
            f.write(f"fam{fam}\t{fam}_{DAD}\t0\t0\t1\t1\n")
            f.write(f"fam{fam}\t{fam}_{MUM}\t0\t0\t2\t1\n")
        man.write(f"{fam}\t{bg}\t{keep:.2f}\t{ndn}\t{nrec}\n")
    man.close()


def poisson(rng, lam):
    k, p, L = 0, 1.0, math.exp(-lam)
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


def cmd_genes(a):
    """Genes of the universe, one per line: candidates for the planted gene."""
    uni = Universe(read_lengths(a.lengths), read_spans(a.spans))
    for n, g, c in uni.all:
        print(f"{g}\t{c}\t{n}")


def cmd_draw(a):
    """One repeat: FAMILIES families of the pool, a gene, k of them planted.
    Writes OUT/<family>.vcf for the planted ones (rebuilt from the pool's seed)
    and prints the gene, then one line per family: family and the planted mode
    ('-' for none)."""
    uni = Universe(read_lengths(a.lengths), read_spans(a.spans))
    rng = random.Random(a.seed)
    pool = [f"F{i:04d}" for i in range(1, a.pool_size + 1)]
    fams = sorted(rng.sample(pool, a.families))
    gene = rng.choice(uni.all)[1]
    planted = set(rng.sample(fams, a.k))
    os.makedirs(a.out, exist_ok=True)
    bgs = backgrounds(a.data)
    print(gene)
    for f in fams:
        mode = "-"
        if f in planted:
            mode = a.mode if a.mode != "recessive" else rng.choice(["ar_hom", "comp_het"])
            _, header, recs, csq_fmt, occupied, _ = build_family(int(f[1:]), a.pool_seed, bgs, uni, a.relabel)
            recs += planted_records(gene, mode, uni, rng, csq_fmt, occupied, "GT:AD:DP:GQ")
            write_family(os.path.join(a.out, f + ".vcf"), header, header[-1], recs)
        print(f"{f}\t{mode}")


def cmd_plant(a):
    uni = Universe(read_lengths(a.lengths), read_spans(a.spans))
    rng = random.Random(a.seed)
    header, recs = [], []
    with open(a.vcf) as f:
        for line in f:
            (header if line.startswith("#") else recs).append(line.rstrip("\n"))
    recs = [r.split("\t") for r in recs]
    csq_fmt = csq_symbol_index(header)
    fmt = "GT:AD:DP:GQ"
    occupied = {(r[0], int(r[1])) for r in recs}
    recs += planted_records(a.gene, a.mode, uni, rng, csq_fmt, occupied, fmt)
    write_family(a.out, header, header[-1], recs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("pool", "plant", "genes", "draw"):
        p = sub.add_parser(name)
        p.add_argument("--lengths", required=True)
        p.add_argument("--spans", required=True)
        if name in ("pool", "draw"):
            p.add_argument("--relabel", choices=["length", "bins"], default="length")
        if name == "pool":
            p.add_argument("--data", required=True)
            p.add_argument("--n", type=int, default=300)
            p.add_argument("--seed", type=int, default=1)
            p.add_argument("--out", required=True)
        if name == "draw":
            p.add_argument("--data", required=True)
            p.add_argument("--pool-size", type=int, required=True)
            p.add_argument("--pool-seed", type=int, required=True)
            p.add_argument("--families", type=int, default=100)
            p.add_argument("--k", type=int, required=True)
            p.add_argument("--mode", required=True, choices=["de_novo", "recessive"])
            p.add_argument("--seed", type=int, default=1)
            p.add_argument("--out", required=True)
        if name == "plant":
            p.add_argument("--vcf", required=True)
            p.add_argument("--gene", required=True)
            p.add_argument("--mode", required=True, choices=["de_novo", "ar_hom", "comp_het"])
            p.add_argument("--seed", type=int, default=1)
            p.add_argument("--out", required=True)
    a = ap.parse_args()
    {"pool": cmd_pool, "plant": cmd_plant, "genes": cmd_genes, "draw": cmd_draw}[a.cmd](a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
