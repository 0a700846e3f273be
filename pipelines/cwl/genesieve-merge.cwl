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
  hpo_data:
    type: Directory?
    doc: HPO release (hp.obo or hp.json, phenotype.hpoa, genes_to_phenotype.txt); ranks with the patients' phenotypes
    inputBinding: {prefix: --hpo-data}
  hpo_table:
    type: File?
    doc: sample<TAB>HPO terms[<TAB>excluded terms] per patient
    inputBinding: {prefix: --hpo-table}
  hpo:
    type: string?
    doc: one set of HPO terms for every affected patient (HP:0001250,!HP:0000252)
    inputBinding: {prefix: --hpo}
outputs:
  results:
    type: Directory
    outputBinding: {glob: $(inputs.outdir)}
