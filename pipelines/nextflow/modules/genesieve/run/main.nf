// GeneSieve as an nf-core-style module: one `genesieve run` over a VCF/BCF and
// its pedigree.  With a region it writes a partial result for GENESIEVE_MERGE
// (scatter); without one, the final outputs.
process GENESIEVE_RUN {
    tag "$meta.id"
    label 'process_medium'

    // GeneSieve is not on Bioconda/BioContainers yet: these name the package and
    // image as they would be published.  Until then, run with `genesieve` on PATH
    // (no conda/docker profile) or set `container` for GENESIEVE_.* in your config.
    conda "${moduleDir}/environment.yml"
    container "${ workflow.containerEngine == 'singularity' && !task.ext.singularity_pull_docker_container ?
        'https://depot.galaxyproject.org/singularity/genesieve:0.1.0--0' :
        'biocontainers/genesieve:0.1.0--0' }"

    input:
    tuple val(meta), path(vcf), path(index), path(ped), val(region)
    path(pipeline)

    output:
    tuple val(meta), path("${prefix}.partial.json"), emit: partial, optional: true
    tuple val(meta), path("${prefix}")             , emit: results, optional: true
    path "versions.yml"                             , emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args         = task.ext.args ?: ''
    prefix           = task.ext.prefix ?: (region ? "${meta.id}.${region}" : "${meta.id}")
    def ped_arg      = ped ? "--ped ${ped}" : ''
    def pipeline_arg = pipeline ? "--pipeline ${pipeline}" : ''
    def region_arg   = region ? "--regions ${region}" : ''
    def output_arg   = region ? "--partial ${prefix}.partial.json" : "--outdir ${prefix}"
    """
    genesieve run \\
        --threads $task.cpus \\
        $pipeline_arg \\
        $ped_arg \\
        $region_arg \\
        $args \\
        $output_arg \\
        $vcf

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        genesieve: \$(genesieve version | sed 's/^genesieve //; s/ .*\$//')
        htslib: \$(genesieve version | sed 's/.*(htslib //; s/).*\$//')
    END_VERSIONS
    """

    stub:
    prefix           = task.ext.prefix ?: (region ? "${meta.id}.${region}" : "${meta.id}")
    def create       = region ? "touch ${prefix}.partial.json" : "mkdir ${prefix}"
    """
    $create

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        genesieve: \$(genesieve version | sed 's/^genesieve //; s/ .*\$//')
        htslib: \$(genesieve version | sed 's/.*(htslib //; s/).*\$//')
    END_VERSIONS
    """
}
