#!/usr/bin/env cwl-runner
# Combine the partial results of genesieve-run.cwl (e.g. one per chromosome).
cwlVersion: v1.2
class: CommandLineTool
label: genesieve merge
baseCommand: [genesieve, merge, --quiet]
inputs:
  partials:
    type: File[]
    inputBinding: {position: 100}
  outdir:
    type: string
    default: genesieve-out
    inputBinding: {prefix: --outdir}
outputs:
  results:
    type: Directory
    outputBinding: {glob: $(inputs.outdir)}
