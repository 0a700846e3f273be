#!/usr/bin/env bash
# Install the Debian packages GeneSieve needs, build it, and run it on the
# bundled GIAB Ashkenazi trio.  Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    build-essential cmake pkg-config libhts-dev libyaml-dev libjansson-dev libdeflate-dev zlib1g-dev libcriterion-dev bcftools tabix python3 python3-yaml chromium snakemake cwltool >/dev/null
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
rm -rf example-out
# the son's phenotype (a phenopacket naming the VCF and his column in it) against HPO 2023-01-27
build/genesieve run --ped testdata/ashk-trio.ped --hpo-data testdata/hpo --phenopacket testdata/hg002.phenopacket.json \
    -o example-out --audit example-out.audit.tsv
echo
echo "Ranked candidate genes of the affected son HG002 (first 10 of $(($(wc -l <example-out/HG002.genes.tsv) - 1))):"
head -11 example-out/HG002.genes.tsv | awk -F'\t' '{printf "%-5s %-10s %-7s %-22s %-10s %s\n", $1, $2, $4, $5, $11, $14}'
echo
echo "Full lists: example-out/<sample>.genes.tsv (and .genes.json); the report for clinicians: example-out/HG002.report.html"
echo "Why each allele was kept or removed: example-out.audit.tsv"
