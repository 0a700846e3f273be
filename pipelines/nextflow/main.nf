#!/usr/bin/env nextflow
// GeneSieve on Nextflow: one GENESIEVE_RUN per chromosome (a partial result
// each), then GENESIEVE_MERGE into the final outputs -- the same bytes as one
// `genesieve run` over the whole file.
//
//   nextflow run pipelines/nextflow --vcf trio.vcf.gz --ped trio.ped --outdir results
//
// Chromosomes come from the index (`tabix -l`) unless --chromosomes lists them.
include { GENESIEVE_RUN   } from './modules/genesieve/run/main'
include { GENESIEVE_MERGE } from './modules/genesieve/merge/main'

// The contigs of an indexed VCF/BCF (.tbi or .csi): one region per job.
process GENESIEVE_CONTIGS {
    tag "$meta.id"
    label 'process_single'

    conda "bioconda::htslib=1.20"
    container "${ workflow.containerEngine == 'singularity' && !task.ext.singularity_pull_docker_container ?
        'https://depot.galaxyproject.org/singularity/htslib:1.20--h81da01d_0' :
        'biocontainers/htslib:1.20--h81da01d_0' }"

    input:
    tuple val(meta), path(vcf), path(index)

    output:
    tuple val(meta), path("contigs.txt"), emit: contigs
    path "versions.yml"                 , emit: versions

    script:
    """
    tabix -l $vcf > contigs.txt

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        tabix: \$(tabix --version | sed '1!d; s/^tabix (htslib) //')
    END_VERSIONS
    """
}

workflow {
    if (!params.vcf) {
        error "Give the input with --vcf FILE (an indexed VCF/BCF)"
    }
    def vcf   = file(params.vcf, checkIfExists: true)
    def index = params.index ? file(params.index, checkIfExists: true) :
        ["${params.vcf}.tbi", "${params.vcf}.csi"].collect { file(it) }.find { it.exists() }
    if (!index) {
        error "No index beside ${params.vcf} (.tbi or .csi): make one with `bcftools index` or give --index"
    }
    def ped      = params.ped ? file(params.ped, checkIfExists: true) : []
    def pipeline = params.pipeline ? file(params.pipeline, checkIfExists: true) : []
    def meta     = [id: params.id ?: vcf.simpleName]
    ch_versions  = Channel.empty()

    ch_input = Channel.of([meta, vcf, index])
    if (params.chromosomes) {
        def chroms = params.chromosomes instanceof List ? params.chromosomes : params.chromosomes.toString().tokenize(',')
        ch_regions = Channel.fromList(chroms.collect { it.toString().trim() })
    } else {
        GENESIEVE_CONTIGS(ch_input)
        ch_regions  = GENESIEVE_CONTIGS.out.contigs.flatMap { m, contigs -> contigs.readLines().findAll { it } }
        ch_versions = ch_versions.mix(GENESIEVE_CONTIGS.out.versions)
    }

    // scatter: [meta, vcf, index, ped, region] per chromosome
    ch_jobs = ch_input.combine(ch_regions).map { m, v, i, region -> [m, v, i, ped, region] }
    GENESIEVE_RUN(ch_jobs, pipeline)
    ch_versions = ch_versions.mix(GENESIEVE_RUN.out.versions)

    // gather: all partials of one input, in any order
    GENESIEVE_MERGE(GENESIEVE_RUN.out.partial.groupTuple())
    ch_versions = ch_versions.mix(GENESIEVE_MERGE.out.versions)

    ch_versions
        .map { it.text }
        .unique()
        .collectFile(name: 'software_versions.yml', storeDir: "${params.outdir}/pipeline_info", sort: true)
}
