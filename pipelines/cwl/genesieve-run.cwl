#!/usr/bin/env cwl-runner
# GeneSieve as a CWL tool: one run over a VCF/BCF (optionally one region, as a
# partial result for genesieve-merge.cwl).
cwlVersion: v1.2
class: CommandLineTool
label: genesieve run
doc: Rank candidate causative genes per affected patient (see the project README).
baseCommand: [genesieve, run, --quiet]
requirements:
  InlineJavascriptRequirement: {}
hints:
  ResourceRequirement:
    coresMin: $(inputs.threads)
inputs:
  vcf:
    type: File
    secondaryFiles:
      - pattern: .tbi
        required: false
      - pattern: .csi
        required: false
    inputBinding: {position: 100}
  ped:
    type: File?
    inputBinding: {prefix: --ped}
  pipeline:
    type: File?
    inputBinding: {prefix: --pipeline}
  settings:
    type: string[]?
    inputBinding: {prefix: --set, itemSeparator: null}
    doc: STAGE.PARAM=VALUE overrides
  genes_bed:
    type: File?
    inputBinding: {prefix: --genes}
  region:
    type: string?
    inputBinding: {prefix: --regions}
  threads:
    type: int
    default: 2
    inputBinding: {prefix: --threads}
  partial:
    type: boolean
    default: false
    doc: write a partial result (partial.json) instead of the outputs
  outdir:
    type: string
    default: genesieve-out
arguments:
  - valueFrom: '$(inputs.partial ? ["--partial", "partial.json"] : ["--outdir", inputs.outdir])'
outputs:
  results:
    type: Directory?
    outputBinding:
      glob: '$(inputs.partial ? "no-such-directory" : inputs.outdir)'
  partial_result:
    type: File?
    outputBinding: {glob: partial.json}
