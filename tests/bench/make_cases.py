#!/usr/bin/env python3
"""Seeded rare-disease cases for the ranking benchmark (tests/bench/ranking.sh).

Each case is a real family background (the Scout demo trio exome, VEP CSQ
annotated, with population frequencies) into which real ClinVar pathogenic or
likely-pathogenic variants (MacArthur lab's ClinVar 2016-09 table) are inserted
with genotypes that realise one inheritance mode:

  de_novo       son het, parents hom-ref
  ar_hom        son hom-alt, parents het
  comp_het      two variants of one gene, son het for both, one from each parent
  x_recessive   variant on X: son hemizygous, mother het, father hom-ref
  ad_inherited  son het, father het and affected (the PED says so)

Inserted records are annotated in the background's own format: a VEP CSQ entry
(Allele|Consequence|IMPACT|SYMBOL, other sub-fields empty) and, unless
--no-clinvar, CLNSIG / CLNREVSTAT in the background's numeric / abbreviated
style.  No reference genome or transcript models are available here, so the
consequence is approximated from the allele's shape: a SNV is called
missense_variant, an indel frameshift_variant or inframe_* by its length.
This understates nonsense and splice variants (scored as missense).

Genes are drawn, per mode, from genes a PanelApp panel rates green for that
mode of inheritance (AD for de novo and dominant, AR for recessive, XL).

Writes DIR/case_NNN.vcf, DIR/case_NNN.ped and DIR/cases.tsv
(case, mode, gene, variants, id of the PanelApp panel that rates the gene green).
"""
import argparse
import gzip
import os
import random
import sys

MODES = ["de_novo", "ar_hom", "comp_het", "x_recessive", "ad_inherited"]


def read_background(path):
    header, records = [], []
    with gzip.open(path, "rt") as f:
        for line in f:
            if line.startswith("#"):
                header.append(line.rstrip("\n"))
            else:
                records.append(line.rstrip("\n").split("\t"))
    samples = header[-1].split("\t")[9:]
    contigs = [h.split("ID=")[1].split(",")[0].rstrip(">") for h in header if h.startswith("##contig=")]
    fmt = None
    for h in header:
        if h.startswith("##INFO=<ID=CSQ,"):
            fmt = h.split("Format: ")[1].rstrip('">').split("|")
    if not contigs:  # no ##contig lines: the records' order
        for r in records:
            if r[0] not in contigs:
                contigs.append(r[0])
    return header, records, samples, contigs, fmt


def read_clinvar(path):
    genes = {}
    with gzip.open(path, "rt") as f:
        for line in f:
            if line.startswith("#"):
                continue
            c = line.rstrip("\n").split("\t")
            chrom, pos, ref, alt = c[0], int(c[1]), c[3], c[4]
            if "," in alt or set(ref + alt) - set("ACGT") or chrom not in [str(i) for i in range(1, 23)] + ["X"]:
                continue
            info = dict(kv.split("=", 1) for kv in c[7].split(";") if "=" in kv)
            sym, sig = info.get("SYMBOL", ""), info.get("CLINICAL_SIGNIFICANCE", "")
            if not sym or "onflict" in sig or "athogenic" not in sig:
                continue
            stars = info.get("GOLD_STARS", "0")
            genes.setdefault(sym, []).append((chrom, pos, ref, alt, "Pathogenic" in sig.replace("Likely_pathogenic", "").replace("Likely pathogenic", ""), int(stars) if stars.isdigit() else 0))
    return genes


def read_panels(path):
    """gene -> (confidence, panel id, mode of inheritance) of its best (green first) panel."""
    best = {}
    with open(path) as f:
        head = f.readline().rstrip("\n").split("\t")
        ig, ic, ii, im = head.index("Gene"), head.index("confidence_level"), head.index("id"), head.index("mode_of_inheritance")
        for line in f:
            c = line.rstrip("\n").split("\t")
            conf = int(c[ic]) if c[ic].isdigit() else 0
            if conf > best.get(c[ig], (0, None, None))[0]:
                best[c[ig]] = (conf, c[ii], c[im])
    return best


def consequence(ref, alt):
    if len(ref) == len(alt) == 1:
        return "missense_variant", "MODERATE"
    d = abs(len(ref) - len(alt))
    if d % 3:
        return "frameshift_variant", "HIGH"
    return ("inframe_deletion" if len(ref) > len(alt) else "inframe_insertion"), "MODERATE"


def vep_allele(ref, alt):
    if len(ref) != len(alt) and ref[0] == alt[0]:
        return alt[1:] or "-"
    return alt


def stars_text(n):
    return {1: "single", 2: "mult", 3: "exp", 4: "guideline"}.get(n, "no_criteria")


def call(gt, rng):
    dp = rng.randint(30, 80)
    if gt in ("0/0", "0"):
        ad = f"{dp},0"
    elif gt in ("1/1", "1"):
        ad = f"0,{dp}"
    else:
        alt = int(dp * rng.uniform(0.4, 0.6))
        ad = f"{dp - alt},{alt}"
    return f"{gt}:{ad}:{dp}:99"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--background", required=True)
    ap.add_argument("--clinvar", required=True)
    ap.add_argument("--panels", required=True, help="PanelAppRex table: genes are drawn for a mode from green genes of that mode")
    ap.add_argument("--cases", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-clinvar", action="store_true", help="do not annotate the inserted variants with ClinVar")
    ap.add_argument("--out", required=True)
    ap.add_argument("--trio", default="", help="father,son,mother sample names (default: the VCF's columns in that order)")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    header, records, samples, contigs, fmt = read_background(a.background)
    if not any(h.startswith("##INFO=<ID=CLNSIG,") for h in header):
        header.insert(1, '##INFO=<ID=CLNSIG,Number=.,Type=String,Description="ClinVar significance (numeric codes)">')
        header.insert(1, '##INFO=<ID=CLNREVSTAT,Number=.,Type=String,Description="ClinVar review status">')
    father, kid, mother = a.trio.split(",") if a.trio else samples  # Scout 643594: ADM1059A1, ADM1059A2, ADM1059A3
    bcsq = fmt is None  # no VEP CSQ: annotate like bcftools csq (BCSQ)
    chroms = {r[0] for r in records}
    genes = read_clinvar(a.clinvar)
    panels = read_panels(a.panels)
    occupied = {(r[0], int(r[1])) for r in records}
    # a mode is planted only in genes PanelApp knows (green) for that mode of inheritance
    def moi(g):
        p = panels.get(g)
        return p[2] if p and p[0] == 3 else None
    genes = {g: v for g, v in genes.items() if all(x[0] in chroms for x in v)}
    auto = [g for g, v in genes.items() if all(x[0] != "X" for x in v)]
    dom = sorted(g for g in auto if moi(g) in ("AD", "AD/AR"))
    rec = sorted(g for g in auto if moi(g) in ("AR", "AD/AR"))
    xl = sorted(g for g, v in genes.items() if all(x[0] == "X" for x in v) and moi(g) == "XL")
    multi = [g for g in rec if len({x[1] for x in genes[g]}) >= 2]
    order = {c: i for i, c in enumerate(contigs)}
    fields = {name: i for i, name in enumerate(fmt or [])}
    os.makedirs(a.out, exist_ok=True)
    manifest = open(os.path.join(a.out, "cases.tsv"), "w")
    manifest.write("case\tmode\tgene\tvariants\tpanel\n")
    modes = [m for m in MODES if m != "x_recessive" or xl]
    for n in range(a.cases):
        mode = modes[n % len(modes)]
        pool = {"x_recessive": xl, "comp_het": multi, "ar_hom": rec}.get(mode, dom)
        while True:
            gene = rng.choice(pool)
            vs = [v for v in genes[gene] if (v[0], v[1]) not in occupied]
            if len({v[1] for v in vs}) >= (2 if mode == "comp_het" else 1):
                break
        if mode == "comp_het":
            first = rng.choice(vs)
            picks = [first, rng.choice([v for v in vs if v[1] != first[1]])]
        else:
            picks = [rng.choice(vs)]
        gts = {
            "de_novo": [("0/0", "0/1", "0/0")],
            "ar_hom": [("0/1", "1/1", "0/1")],
            "comp_het": [("0/1", "0/1", "0/0"), ("0/0", "0/1", "0/1")],
            "x_recessive": [("0", "1", "0/1")],
            "ad_inherited": [("0/1", "0/1", "0/0")],
        }[mode]
        new = []
        for (chrom, pos, ref, alt, path, stars), (gf, gk, gm) in zip(picks, gts):
            cons, impact = consequence(ref, alt)
            if bcsq:
                info = f"BCSQ={cons.replace('_variant', '')}|{gene}|.|protein_coding|+|.|{pos}{ref}>{alt}"
            else:
                csq = [""] * len(fmt)
                csq[fields["Allele"]], csq[fields["Consequence"]], csq[fields["IMPACT"]], csq[fields["SYMBOL"]] = vep_allele(ref, alt), cons, impact, gene
                info = "CSQ=" + "|".join(csq)
            if not a.no_clinvar:
                info += f";CLNSIG={5 if path else 4};CLNREVSTAT={stars_text(stars)}"
            calls = {father: call(gf, rng), kid: call(gk, rng), mother: call(gm, rng)}
            new.append([chrom, str(pos), ".", ref, alt, "500", "PASS", info, "GT:AD:DP:GQ"] + [calls.get(s, "./.:.:.:.") for s in samples])
        recs = records + new
        recs.sort(key=lambda r: (order.get(r[0], 1 << 30), int(r[1])))
        name = f"case_{n:03d}"
        with open(os.path.join(a.out, name + ".vcf"), "w") as f:
            f.write("\n".join(header) + "\n")
            for r in recs:
                f.write("\t".join(r) + "\n")
        with open(os.path.join(a.out, name + ".ped"), "w") as f:
            f.write(f"fam\t{father}\t0\t0\t1\t{2 if mode == 'ad_inherited' else 1}\n")
            f.write(f"fam\t{kid}\t{father}\t{mother}\t1\t2\n")
            f.write(f"fam\t{mother}\t0\t0\t2\t1\n")
        variants = ",".join(f"{v[0]}:{v[1]}:{v[2]}:{v[3]}" for v in picks)
        manifest.write(f"{name}\t{mode}\t{gene}\t{variants}\t{panels[gene][1]}\n")
    manifest.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
