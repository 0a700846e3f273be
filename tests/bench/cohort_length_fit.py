#!/usr/bin/env python3
"""How chance hits grow with gene length, per mode, in cohort tables.

Usage: cohort_length_fit.py LENGTHS.tsv FAMILIES TABLE.tsv...

Each TABLE is a `genesieve cohort --min-families 1` cohort.genes.tsv of a cohort
of FAMILIES families (e.g. the ones tests/bench/cohort_discovery.sh keeps).
For each mode (de_novo, ar_hom, comp_het) the hits of all tables are pooled and
the probability that a gene of length L is hit in a family is fitted, by
maximum likelihood over the genes of LENGTHS on the tables' chromosomes, as
  1 - exp(-r L^b)   (b on a grid of 0.5 to 3 by 0.1),
and, for comparison at one parameter each: linear 1 - exp(-r L), quadratic
1 - exp(-r L^2) and two-allele (1 - exp(-a L))^2, the rate set so the expected
number of hits per family is the observed one.  Also the fitted rate of the
longest gene against the observed one.
"""
import math
import sys


def main():
    lengths_path, nfam_per, tables = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    hits, chroms = {}, set()
    for t in tables:
        with open(t) as f:
            head = f.readline().rstrip("\n").split("\t")
            col = {h: i for i, h in enumerate(head)}
            for line in f:
                c = line.rstrip("\n").split("\t")
                chroms.update(c[col["chrom"]].split(","))
                for mn in c[col["modes"]].split(","):
                    if ":" in mn:
                        m, n = mn.split(":")
                        hits.setdefault(m, {})
                        hits[m][c[col["gene"]]] = hits[m].get(c[col["gene"]], 0) + int(n)
    L = {}
    with open(lengths_path) as f:
        for line in f:
            if line.startswith("#") or line.startswith("gene\t"):
                continue
            g, ch, n = line.rstrip("\n").split("\t")
            if ch in chroms and float(n) > 0:
                L[g] = max(L.get(g, 0.0), float(n))
    nfam = nfam_per * len(tables)
    longest = max(L, key=L.get)

    def loglik(prob, h):
        s = 0.0
        for g, l in L.items():
            p = min(max(prob(l), 1e-300), 1 - 1e-15)
            k = h.get(g, 0)
            s += k * math.log(p) + (nfam - k) * math.log(1 - p)
        return s

    def solve(form, m):  # rate with sum_g form(rate, L_g) = m, bisection on ln rate
        lo, hi = -60.0, 10.0
        for _ in range(100):
            mid = (lo + hi) / 2
            if sum(form(math.exp(mid), l) for l in L.values()) < m:
                lo = mid
            else:
                hi = mid
        return math.exp((lo + hi) / 2)

    print(f"{len(tables)} tables, {nfam} families, {len(L)} genes of chromosomes {','.join(sorted(chroms))}")
    for mode in ("de_novo", "ar_hom", "comp_het"):
        h = {g: k for g, k in hits.get(mode, {}).items() if g in L}
        m = sum(h.values()) / nfam
        if not h:
            continue
        best = None
        for b10 in range(5, 31):
            b = b10 / 10
            r = solve(lambda a, l: 1 - math.exp(-a * l ** b), m)
            ll = loglik(lambda l: 1 - math.exp(-r * l ** b), h)
            if best is None or ll > best[0]:
                best = (ll, b)
        print(f"{mode}: {sum(h.values())} hits; exponent {best[1]:.1f} (log-likelihood {best[0]:.1f})")
        forms = {"linear": lambda a, l: 1 - math.exp(-a * l), "quadratic": lambda a, l: 1 - math.exp(-a * l * l),
                 "two-allele": lambda a, l: (1 - math.exp(-a * l)) ** 2}
        for name, form in forms.items():
            a = solve(form, m)
            print(f"  {name:10s} log-likelihood {loglik(lambda l: form(a, l), h):.1f}; {longest} {form(a, L[longest]):.3f} "
                  f"per family (observed {h.get(longest, 0) / nfam:.3f})")


if __name__ == "__main__":
    main()
