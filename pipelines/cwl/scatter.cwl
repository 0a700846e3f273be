#!/usr/bin/env cwl-runner
# Scatter a VCF by region (e.g. chromosome) over genesieve-run.cwl, gather with
# genesieve-merge.cwl: the same outputs as one run over the whole file.
cwlVersion: v1.2
class: Workflow
requirements:
  ScatterFeatureRequirement: {}
inputs:
  vcf:
    type: File
    secondaryFiles:
      - pattern: .tbi
        required: false
      - pattern: .csi
        required: false
  ped: File?
  pipeline: File?
  regions: string[]
  hpo_data: Directory?
  hpo_table: File?
  hpo: string?
  threads:
    type: int
    default: 2
steps:
  run:
    run: genesieve-run.cwl
    scatter: region
    in:
      vcf: vcf
      ped: ped
      pipeline: pipeline
      region: regions
      threads: threads
      partial: {default: true}
    out: [partial_result]
  merge:
    run: genesieve-merge.cwl
    in:
      partials: run/partial_result
      hpo_data: hpo_data
      hpo_table: hpo_table
      hpo: hpo
    out: [results]
outputs:
  results:
    type: Directory
    outputSource: merge/results
