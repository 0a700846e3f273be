# lib.sh -- shared by the end-to-end tests.  Each test runs the real binary on
# testdata/ and checks real outputs; ctest passes GENESIEVE, TESTDATA, GOLDEN,
# PLUGIN and SRCDIR in the environment.
set -euo pipefail
: "${GENESIEVE:?}" "${TESTDATA:?}"
# reports carry a date: fix it so outputs compare byte for byte
export SOURCE_DATE_EPOCH=1700000000
T=$(mktemp -d "${TMPDIR:-/tmp}/gs-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
NFAIL=0
NPASS=0
fail() { echo "FAIL: $*" >&2; NFAIL=$((NFAIL + 1)); }
pass() { NPASS=$((NPASS + 1)); }
check() { # check "description" command...
    local what=$1; shift
    if "$@"; then pass; else fail "$what"; fi
}
finish() {
    echo "$NPASS passed, $NFAIL failed"
    [ "$NFAIL" -eq 0 ]
}
gs() { "$GENESIEVE" "$@"; }
# cols "A B C" FILE: those columns (by header name), tab-separated, without the header
cols() { awk -F'\t' -v want="$1" 'NR == 1 { n = split(want, w, " "); for (i = 1; i <= NF; i++) h[$i] = i; next }
    { line = ""; for (i = 1; i <= n; i++) line = line (i > 1 ? "\t" : "") $(h[w[i]]); print line }' "$2"; }
# col NAME FILE: the values of the column called NAME in a TSV with a header row
col() { awk -F'\t' -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next } { print $c }' "$2"; }
