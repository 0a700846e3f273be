#!/usr/bin/env bash
# The Nextflow module and workflow (pipelines/nextflow) without Nextflow, which
# is not installable here: nf_task.py evaluates each process's Groovy and
# script string as Nextflow would, runs the script in a work directory with the
# real binary and collects the declared outputs.  The workflow's steps (contigs
# of the index, one GENESIEVE_RUN per contig, GENESIEVE_MERGE of the partials)
# must give the same bytes as one `genesieve run`; versions.yml and meta.yml
# are checked too.  What this cannot check (channel logic, config, containers):
# pipelines/nextflow/README.md.
source "$(dirname "$0")/lib.sh"
python3 -c 'import yaml' 2>/dev/null || { fail "python3-yaml is not installed (apt-get install python3-yaml)"; finish; }
NF=$SRCDIR/pipelines/nextflow
RUN_NF=$NF/modules/genesieve/run/main.nf
MERGE_NF=$NF/modules/genesieve/merge/main.nf
V=$TESTDATA/ashk-trio.vcf.gz
IDX=$V.csi
PED=$TESTDATA/ashk-trio.ped
META='{"id":"ashk-trio"}'
mkdir -p "$T/bin" && ln -s "$GENESIEVE" "$T/bin/genesieve"
export PATH=$T/bin:$PATH
NF_TASK=$(dirname "$0")/nf_task.py
task() { python3 "$NF_TASK" run "$@"; }
js() { printf '"%s"' "$1"; } # a path as a JSON string (test paths hold no quotes)
jslist() { local f sep=; printf '['; for f in "$@"; do printf '%s%s' "$sep" "$(js "$f")"; sep=,; done; printf ']'; }
VERSION=$(gs version | sed 's/^genesieve //; s/ .*$//')
HTSLIB=$(gs version | sed 's/.*(htslib //; s/).*$//')

# scatter/gather as main.nf wires it, over the modules' own scripts ($1: modules dir)
scatter_gather() { # MODULES-DIR WORK-DIR [CONTIGS-FILE, instead of running GENESIEVE_CONTIGS]
    local mods=$1 out=$2 c parts=()
    if [ $# -gt 2 ]; then
        echo "$3" >"$out/contigs.path"
    else
        task --nf "$NF/main.nf" --process GENESIEVE_CONTIGS --workdir "$out/contigs" \
            --in meta="$META" --in vcf="$(js "$V")" --in index="$(js "$IDX")" --print contigs >"$out/contigs.path" || return 1
    fi
    for c in $(cat "$(cat "$out/contigs.path")"); do
        task --nf "$mods/run/main.nf" --process GENESIEVE_RUN --cpus 2 --workdir "$out/run.$c" \
            --in meta="$META" --in vcf="$(js "$V")" --in index="$(js "$IDX")" --in ped="$(js "$PED")" \
            --in region="$(js "$c")" --in pipeline='[]' --print partial >"$out/run.$c.partial" || return 1
        [ -s "$out/run.$c.partial" ] || { echo "GENESIEVE_RUN emitted no partial for $c" >&2; return 1; }
        cat "$out/run.$c.partial" >>"$out/partials"
    done
    mapfile -t parts < <(tac "$out/partials") # any order: reversed
    task --nf "$mods/merge/main.nf" --process GENESIEVE_MERGE --workdir "$out/merge" --in meta="$META" \
        --in partials="$(jslist "${parts[@]}")" \
        --print results >"$out/results.path" || return 1
}

gs run -q --ped "$PED" -o "$T/single" "$V" 2>/dev/null
mkdir "$T/wf"
check "the workflow's processes run (contigs, run per contig, merge)" scatter_gather "$NF/modules/genesieve" "$T/wf"
check "GENESIEVE_CONTIGS lists the index's contigs (tabix -l)" \
    diff <(tabix -l "$V") "$(cat "$T/wf/contigs.path" 2>/dev/null || echo /dev/null)"
check "one partial per contig ($(wc -l <"$T/wf/partials"))" test "$(wc -l <"$T/wf/partials")" -eq "$(tabix -l "$V" | wc -l)" -a -s "$T/wf/partials"
check "GENESIEVE_MERGE's outputs equal a single run's, byte for byte" diff -r "$T/single" "$(cat "$T/wf/results.path")"

# versions.yml of every process: valid YAML, "PROCESS": {tool: version}, the binary's version
check "genesieve version gives a version number ($VERSION)" grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+' <<<"$VERSION"
vcheck() { python3 "$NF_TASK" check-versions "$@"; }
check "GENESIEVE_RUN versions.yml" vcheck "$T/wf/run.1/versions.yml" GENESIEVE_RUN "genesieve=$VERSION" "htslib=$HTSLIB"
check "GENESIEVE_MERGE versions.yml" vcheck "$T/wf/merge/versions.yml" GENESIEVE_MERGE "genesieve=$VERSION" "htslib=$HTSLIB"
check "GENESIEVE_CONTIGS versions.yml" vcheck "$T/wf/contigs/versions.yml" GENESIEVE_CONTIGS \
    "tabix=$(tabix --version | sed '1!d; s/^tabix (htslib) //')"
check "the modules' conda and container lines name this version ($VERSION)" \
    test "$(grep -ho 'genesieve[:=][0-9][0-9.]*' "$NF"/modules/genesieve/*/main.nf "$NF"/modules/genesieve/*/environment.yml | sort -u)" \
    = "$(printf 'genesieve:%s\ngenesieve=%s' "$VERSION" "$VERSION" | sort)"

# GENESIEVE_RUN without a region: the final outputs; task.ext.args, task.ext.prefix and the pipeline input reach the command
run_whole() { # WORKDIR [nf_task options]
    local w=$1; shift
    task --nf "$RUN_NF" --process GENESIEVE_RUN --workdir "$w" --in meta="$META" --in vcf="$(js "$V")" \
        --in index="$(js "$IDX")" --in ped="$(js "$PED")" --in region='""' --print results "$@"
}
run_whole "$T/whole" --in pipeline='[]' >"$T/whole.path" 2>"$T/err" || cat "$T/err" >&2
check "GENESIEVE_RUN without a region: outputs equal a single run's" diff -r "$T/single" "$(cat "$T/whole.path")"
check "... in a directory named by meta.id" test "$(cat "$T/whole.path")" = "$T/whole/ashk-trio"
gs run -q --ped "$PED" -s quality.min_gq=30 -o "$T/gq30" "$V" 2>/dev/null
run_whole "$T/args" --in pipeline='[]' --ext args='--set quality.min_gq=30' --ext prefix=custom >"$T/args.path" 2>"$T/err" || cat "$T/err" >&2
check "task.ext.args reaches genesieve run" diff -r "$T/gq30" "$(cat "$T/args.path")"
check "task.ext.prefix names the output" test "$(cat "$T/args.path")" = "$T/args/custom"
check "... (and these settings change the result)" bash -c "! diff -rq '$T/single' '$T/gq30' >/dev/null"
STRICT=$SRCDIR/pipelines/trio-denovo-strict.yml
# (reports name the pipeline by its file name, like the input, so the task's staged copy gives the same outputs)
gs run -q --ped "$PED" -p "$STRICT" -o "$T/strict" "$V" 2>/dev/null
run_whole "$T/pipe" --in pipeline="$(js "$STRICT")" >"$T/pipe.path" 2>"$T/err" || cat "$T/err" >&2
check "the pipeline input reaches genesieve run (--pipeline)" diff -r "$T/strict" "$(cat "$T/pipe.path")"
task --nf "$RUN_NF" --process GENESIEVE_RUN --workdir "$T/noped" --in meta="$META" --in vcf="$(js "$V")" \
    --in index='[]' --in ped='[]' --in region='[]' --in pipeline='[]' --print results >"$T/noped.path" 2>"$T/err" || cat "$T/err" >&2
gs run -q -o "$T/single.noped" "$V" 2>/dev/null
check "optional inputs given as [] (no index, PED, region)" diff -r "$T/single.noped" "$(cat "$T/noped.path")"

# stub: blocks give every declared output and versions.yml
check "GENESIEVE_RUN stub with a region" task --nf "$RUN_NF" --process GENESIEVE_RUN --stub --workdir "$T/stub1" \
    --in meta="$META" --in vcf="$(js "$V")" --in index="$(js "$IDX")" --in ped='[]' --in region='"2"' --in pipeline='[]' --print partial >/dev/null
check "GENESIEVE_RUN stub without a region" task --nf "$RUN_NF" --process GENESIEVE_RUN --stub --workdir "$T/stub2" \
    --in meta="$META" --in vcf="$(js "$V")" --in index='[]' --in ped='[]' --in region='""' --in pipeline='[]' --print results >/dev/null
check "GENESIEVE_MERGE stub" task --nf "$MERGE_NF" --process GENESIEVE_MERGE --stub --workdir "$T/stub3" \
    --in meta="$META" --in partials="$(jslist "$T/stub1/ashk-trio.2.partial.json")" --print results >/dev/null
check "stub versions.yml" vcheck "$T/stub3/versions.yml" GENESIEVE_MERGE "genesieve=$VERSION" "htslib=$HTSLIB"

# meta.yml: nf-core's layout, naming every input and output of main.nf
for m in run merge; do
    check "modules/genesieve/$m/meta.yml matches main.nf" python3 "$NF_TASK" check-meta \
        --nf "$NF/modules/genesieve/$m/main.nf" --meta "$NF/modules/genesieve/$m/meta.yml"
done
check "main.nf includes processes that exist" python3 "$NF_TASK" check-includes "$NF/main.nf"
config_names_exist() {
    local n
    for n in $(grep -o "withName: *'[A-Z_]*'" "$NF/nextflow.config" | sed "s/.*'\(.*\)'/\1/"); do
        grep -q "^process $n {" "$NF/main.nf" "$NF"/modules/genesieve/*/main.nf || { echo "no process $n" >&2; return 1; }
    done
}
check "nextflow.config's withName selectors name processes that exist" config_names_exist

# the check can fail: a run module whose script drops the region (every partial
# covers the whole input), has a wrong flag, or writes a file its output
# declaration does not name is caught
mutate() { # N SED-SCRIPT EXPECTED-ERROR
    mkdir -p "$T/mut$1/run" && cp -r "$NF/modules/genesieve/merge" "$T/mut$1/"
    sed "$2" "$RUN_NF" >"$T/mut$1/run/main.nf"
    if cmp -s "$RUN_NF" "$T/mut$1/run/main.nf"; then fail "(self-test: mutation $1 changed nothing)"; return; fi
    mkdir "$T/wf.mut$1"
    if scatter_gather "$T/mut$1" "$T/wf.mut$1" "$(cat "$T/wf/contigs.path")" 2>"$T/mut$1.err"; then
        fail "(self-test: broken module #$1 passed: $2)"
    else
        check "(self-test: broken module #$1 fails with: $3)" grep -q -- "$3" "$T/mut$1.err"
    fi
}
mutate 1 's/def region_arg .*/def region_arg = ""/' "covers the whole input"
mutate 2 's/--partial /--partials /' "unrecognized option '--partials"
mutate 3 's/--partial \${prefix}.partial.json/--partial ${prefix}.json/' "emitted no partial"
finish
