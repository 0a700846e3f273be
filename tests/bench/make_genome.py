#!/usr/bin/env python3
"""Generate a synthetic, genome-sized trio VCF for benchmarking.

Source records: the GIAB Ashkenazi trio (HG002/HG003/HG004) VCF shipped with
the slivar test data (https://github.com/brentp/slivar, MIT licence), found at
../shared/data/slivar/ashk-trio.vcf.gz relative to the repository root.

The real header is kept (its ##contig lines are replaced by GRCh37 1-22 and X
with their real lengths). N output records are spread over those chromosomes
in proportion to chromosome length, at sorted, strictly increasing random
positions. Each output record is a copy of a randomly chosen real record with
only CHROM and POS replaced: REF, ALT, QUAL, FILTER, INFO, FORMAT and the
genotypes are kept as they are. Output is uncompressed VCF on stdout and is
fully determined by --seed and --records.

Example:
    python3 tests/bench/make_genome.py \\
        --input ../shared/data/slivar/ashk-trio.vcf.gz \\
        --records 1500000 --seed 42 | bgzip -@2 > genome.vcf.gz
"""

import argparse
import gzip
import random
import sys

BUILDS = {
    "GRCh37": [
        ("1", 249250621), ("2", 243199373), ("3", 198022430),
        ("4", 191154276), ("5", 180915260), ("6", 171115067),
        ("7", 159138663), ("8", 146364022), ("9", 141213431),
        ("10", 135534747), ("11", 135006516), ("12", 133851895),
        ("13", 115169878), ("14", 107349540), ("15", 102531392),
        ("16", 90354753), ("17", 81195210), ("18", 78077248),
        ("19", 59128983), ("20", 63025520), ("21", 48129895),
        ("22", 51304566), ("X", 155270560),
    ],
}

CHUNK = 100_000  # records per write


def read_source(path):
    """Return (header lines without ##contig, #CHROM line, record tails, max REF length).

    A tail is everything after POS (ID onwards), newline included.
    """
    meta, tails = [], []
    chrom_line = None
    max_ref = 1
    with gzip.open(path, "rt") as fh:
        for line in fh:
            if line.startswith("##"):
                meta.append(line)
            elif line.startswith("#"):
                chrom_line = line
            else:
                tail = line.split("\t", 2)[2]
                if not tail.endswith("\n"):
                    tail += "\n"
                tails.append(tail)
                max_ref = max(max_ref, len(tail.split("\t", 2)[1]))
    if chrom_line is None or not tails:
        sys.exit(f"make_genome: no #CHROM line or no records in {path}")
    return meta, chrom_line, tails, max_ref


def build_header(meta, chrom_line, contigs, assembly, args):
    out, placed = [], False
    contig_lines = [f"##contig=<ID={c},length={n},assembly={assembly}>\n"
                    for c, n in contigs]
    for line in meta:
        if line.startswith("##contig="):
            if not placed:  # put the new contigs where the old ones were
                out.extend(contig_lines)
                placed = True
            continue
        out.append(line)
    if not placed:
        out.extend(contig_lines)
    out.append(f"##genesieve_bench=<generator=make_genome.py,records={args.records},"
               f"seed={args.seed},build={args.build}>\n")
    out.append(chrom_line)
    return "".join(out)


def split_records(total, contigs):
    """Largest-remainder split of `total` records, proportional to length."""
    genome = sum(n for _, n in contigs)
    exact = [total * n / genome for _, n in contigs]
    counts = [int(x) for x in exact]
    order = sorted(range(len(contigs)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", required=True, help="source VCF (plain or BGZF)")
    ap.add_argument("--records", type=int, required=True, help="records to write")
    ap.add_argument("--seed", type=int, required=True, help="random seed")
    ap.add_argument("--build", default="GRCh37", choices=sorted(BUILDS))
    args = ap.parse_args()
    if args.records < 0:
        ap.error("--records must be >= 0")

    contigs = BUILDS[args.build]
    rng = random.Random(args.seed)
    meta, chrom_line, tails, max_ref = read_source(args.input)

    out = sys.stdout.buffer
    out.write(build_header(meta, chrom_line, contigs, "b37", args).encode())

    for (chrom, length), n in zip(contigs, split_records(args.records, contigs)):
        if n == 0:
            continue
        last = length - max_ref + 1  # keep every REF inside the chromosome
        if n > last:
            sys.exit(f"make_genome: {n} records do not fit on chromosome {chrom}")
        # n distinct sorted positions = strictly increasing, random gaps
        positions = rng.sample(range(1, last + 1), n)
        positions.sort()
        picks = rng.choices(tails, k=n)
        prefix = chrom + "\t"
        for start in range(0, n, CHUNK):
            end = min(start + CHUNK, n)
            out.write("".join([
                f"{prefix}{pos}\t{tail}"
                for pos, tail in zip(positions[start:end], picks[start:end])
            ]).encode())
    out.flush()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
