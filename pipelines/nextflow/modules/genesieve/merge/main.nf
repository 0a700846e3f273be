// Gather: `genesieve merge` of the partial results of GENESIEVE_RUN (one per
// region, any order) into the final outputs, the same bytes as one run over the
// whole file when the regions are whole chromosomes.
process GENESIEVE_MERGE {
    tag "$meta.id"
    label 'process_single'

    // Not on Bioconda/BioContainers yet: see modules/genesieve/run/main.nf.
    conda "${moduleDir}/environment.yml"
    container "${ workflow.containerEngine == 'singularity' && !task.ext.singularity_pull_docker_container ?
        'https://depot.galaxyproject.org/singularity/genesieve:0.1.0--0' :
        'biocontainers/genesieve:0.1.0--0' }"

    input:
    tuple val(meta), path(partials)

    output:
    tuple val(meta), path("${prefix}"), emit: results
    path "versions.yml"                , emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    prefix   = task.ext.prefix ?: "${meta.id}"
    """
    genesieve merge \\
        $args \\
        --outdir $prefix \\
        $partials

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        genesieve: \$(genesieve version | sed 's/^genesieve //; s/ .*\$//')
        htslib: \$(genesieve version | sed 's/.*(htslib //; s/).*\$//')
    END_VERSIONS
    """

    stub:
    prefix   = task.ext.prefix ?: "${meta.id}"
    """
    mkdir $prefix

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        genesieve: \$(genesieve version | sed 's/^genesieve //; s/ .*\$//')
        htslib: \$(genesieve version | sed 's/.*(htslib //; s/).*\$//')
    END_VERSIONS
    """
}
