#!/usr/bin/env python3
"""Checks the exports of `genesieve share` against the required fields and types
of the published schemas, written out here by hand (no JSON-Schema library is
needed, and a check reads as the rule it enforces):

  mme          Matchmaker Exchange API v1.1: ga4gh/mme-apis, search-api.md
               ("Search Request": patient.id, contact.name and contact.href
               mandatory, at least one of features / genomicFeatures,
               feature.id, genomicFeature.gene.id, and when a variant is given
               its assembly, referenceName and start) and the value patterns of
               json-schema/request_schema.json (href, species, sex, HPO ids,
               assembly).
  phenopacket  GA4GH Phenopacket v2.0: the JSON schemas of phenopacket-tools'
               validator (phenopacket-tools-validator-jsonschema, v2/
               phenopacket-schema.json, interpretation.json, meta-data.json,
               base.json and vrsatile.json): required keys, enums, and
               additionalProperties: false where those schemas say so.
  privacy      no string holds a forbidden word (sample names, genotype text,
               paths) and no '/' appears outside URL fields.

Usage: share_check.py mme|phenopacket FILE...
       share_check.py privacy FILE FORBIDDEN...
Prints every problem and exits 1 if there is any."""
import json
import re
import sys

errors = []


def err(path, msg):
    errors.append(f"{path}: {msg}")


def obj(x, path, required=(), allowed=None):
    if not isinstance(x, dict):
        err(path, "expected an object")
        return False
    for k in required:
        if k not in x:
            err(path, f"missing required '{k}'")
    if allowed is not None:
        for k in x:
            if k not in allowed and k not in required:
                err(path, f"unexpected key '{k}'")
    return True


def string(x, path, pattern=None, maxlen=None, nonempty=False):
    if not isinstance(x, str):
        err(path, "expected a string")
    elif pattern and not re.fullmatch(pattern, x):
        err(path, f"'{x}' does not match {pattern}")
    elif maxlen and len(x) > maxlen:
        err(path, f"longer than {maxlen}")
    elif nonempty and not x:
        err(path, "empty")


def integer(x, path, minimum=None):
    if not isinstance(x, int) or isinstance(x, bool):
        err(path, "expected an integer")
    elif minimum is not None and x < minimum:
        err(path, f"{x} < {minimum}")


def enum(x, path, values):
    if x not in values:
        err(path, f"{x!r} not one of {values}")


def array(x, path, min_items=0):
    if not isinstance(x, list):
        err(path, "expected an array")
        return []
    if len(x) < min_items:
        err(path, f"fewer than {min_items} items")
    return x


# ---- Matchmaker Exchange --------------------------------------------------
MME_SEX = ["FEMALE", "MALE", "OTHER", "MIXED_SAMPLE", "NOT_APPLICABLE"]
MME_CHROMS = [str(i) for i in range(1, 23)] + ["X", "Y", "MT"]  # the spec lists 1-22, X, Y


def mme_allowed(keys):  # non-standard fields are allowed with a leading '_'
    return lambda d: [k for k in d if k not in keys and not k.startswith("_")]


def check_mme(doc, f):
    if not obj(doc, f, ["patient"], ["patient", "disclaimer", "terms"]):
        return
    p = doc.get("patient")
    P = f + ":patient"
    keys = ["id", "label", "contact", "species", "sex", "ageOfOnset", "inheritanceMode", "disorders",
            "features", "genomicFeatures", "test"]
    if not obj(p, P, ["id", "contact"]):
        return
    for k in mme_allowed(keys)(p):
        err(P, f"unexpected key '{k}'")
    string(p.get("id"), P + ".id", maxlen=255, nonempty=True)
    if "label" in p:
        string(p["label"], P + ".label", maxlen=255)
    c = p.get("contact")
    if obj(c, P + ".contact", ["name", "href"], ["name", "institution", "href", "email", "roles"]):
        string(c.get("name"), P + ".contact.name", maxlen=255, nonempty=True)
        string(c.get("href"), P + ".contact.href", pattern=r"(https?|mailto):\S+")
        for k in ("institution", "email"):
            if k in c:
                string(c[k], f"{P}.contact.{k}", maxlen=255)
    if "species" in p:
        string(p["species"], P + ".species", pattern=r"NCBITaxon:\d+")
    if "sex" in p:
        enum(p["sex"], P + ".sex", MME_SEX)
    if "test" in p and not isinstance(p["test"], bool):
        err(P + ".test", "expected true or false")
    feats, gfs = p.get("features"), p.get("genomicFeatures")
    if not feats and not gfs:
        err(P, "needs at least one of features, genomicFeatures")
    for i, x in enumerate(array(feats, P + ".features") if feats is not None else []):
        q = f"{P}.features[{i}]"
        if obj(x, q, ["id"], ["id", "label", "observed", "ageOfOnset"]):
            string(x.get("id"), q + ".id", pattern=r"HP:\d{7}")
            if "label" in x:
                string(x["label"], q + ".label")
            if "observed" in x:
                enum(x["observed"], q + ".observed", ["yes", "no"])
    for i, x in enumerate(array(gfs, P + ".genomicFeatures") if gfs is not None else []):
        q = f"{P}.genomicFeatures[{i}]"
        if not obj(x, q, ["gene"], ["gene", "variant", "zygosity", "type"]):
            continue
        if "gene" in x and obj(x["gene"], q + ".gene", ["id"]):
            string(x["gene"].get("id"), q + ".gene.id", nonempty=True)
        if "variant" in x:
            v, qv = x["variant"], q + ".variant"
            if obj(v, qv, ["assembly", "referenceName", "start"],
                   ["assembly", "referenceName", "start", "end", "referenceBases", "alternateBases"]):
                string(v.get("assembly"), qv + ".assembly", pattern=r"NCBI36|GRCh\d{2}(\.p\d{1,2})?")
                enum(v.get("referenceName"), qv + ".referenceName", MME_CHROMS)
                integer(v.get("start"), qv + ".start", 0)
                if "end" in v:
                    integer(v["end"], qv + ".end", (v.get("start") or 0) + 1)
                for k in ("referenceBases", "alternateBases"):
                    if k in v:
                        string(v[k], f"{qv}.{k}", pattern=r"[ACGTN]+")
        if "zygosity" in x:
            enum(x["zygosity"], q + ".zygosity", [1, 2])


# ---- Phenopacket v2 -------------------------------------------------------
used_prefixes = set()


def ontology_class(x, path):
    if obj(x, path, ["id", "label"], []):
        used_prefixes.add(str(x.get("id")).split(":")[0])
        string(x.get("id"), path + ".id", pattern=r"[A-Za-z][A-Za-z0-9_.]*:\S+")
        string(x.get("label"), path + ".label", nonempty=True)


def check_phenopacket(doc, f):
    top = ["id", "subject", "phenotypicFeatures", "measurements", "biosamples", "interpretations", "diseases",
           "medicalActions", "files", "metaData"]
    if not obj(doc, f, ["id", "metaData"], top):
        return
    string(doc["id"], f + ".id", nonempty=True)
    subject_id = None
    if "subject" in doc:
        s = doc["subject"]
        if obj(s, f + ".subject", ["id"], ["id", "alternateIds", "dateOfBirth", "timeAtLastEncounter", "vitalStatus",
                                           "sex", "karyotypicSex", "taxonomy"]):
            string(s.get("id"), f + ".subject.id", nonempty=True)
            subject_id = s.get("id")
            if "sex" in s:
                enum(s["sex"], f + ".subject.sex", ["UNKNOWN_SEX", "FEMALE", "MALE", "OTHER_SEX"])
    if "phenotypicFeatures" in doc:
        for i, x in enumerate(array(doc["phenotypicFeatures"], f + ".phenotypicFeatures", 1)):
            q = f"{f}.phenotypicFeatures[{i}]"
            if obj(x, q, ["type"], ["type", "excluded", "severity", "modifiers", "onset", "resolution", "evidence"]) and "type" in x:
                ontology_class(x["type"], q + ".type")
                if "excluded" in x and not isinstance(x["excluded"], bool):
                    err(q + ".excluded", "expected true or false")
    for i, it in enumerate(array(doc.get("interpretations", []), f + ".interpretations")):
        q = f"{f}.interpretations[{i}]"
        if not obj(it, q, ["id", "progressStatus"], ["id", "progressStatus", "diagnosis", "summary"]):
            continue
        string(it.get("id"), q + ".id", nonempty=True)
        enum(it.get("progressStatus"), q + ".progressStatus",
             ["UNKNOWN_PROGRESS", "IN_PROGRESS", "COMPLETED", "SOLVED", "UNSOLVED"])
        if "summary" in it:
            string(it["summary"], q + ".summary")
        if "diagnosis" not in it:
            continue
        d, qd = it["diagnosis"], q + ".diagnosis"
        if not obj(d, qd, ["disease"], ["disease", "genomicInterpretations"]):
            continue
        if "disease" in d:
            ontology_class(d["disease"], qd + ".disease")
        for j, g in enumerate(array(d.get("genomicInterpretations", []), qd + ".genomicInterpretations")):
            qg = f"{qd}.genomicInterpretations[{j}]"
            if not obj(g, qg, ["subjectOrBiosampleId", "interpretationStatus"],
                       ["subjectOrBiosampleId", "interpretationStatus", "gene", "variantInterpretation"]):
                continue
            string(g.get("subjectOrBiosampleId"), qg + ".subjectOrBiosampleId", nonempty=True)
            if subject_id is not None and g.get("subjectOrBiosampleId") != subject_id:
                err(qg + ".subjectOrBiosampleId", "must be the subject's id")
            enum(g.get("interpretationStatus"), qg + ".interpretationStatus",
                 ["UNKNOWN_STATUS", "REJECTED", "CANDIDATE", "CONTRIBUTORY", "CAUSATIVE"])
            if ("gene" in g) == ("variantInterpretation" in g):
                err(qg, "needs exactly one of gene, variantInterpretation")
            if "variantInterpretation" in g:
                check_variant_interpretation(g["variantInterpretation"], qg + ".variantInterpretation")
    md, qm = doc.get("metaData"), f + ".metaData"
    if obj(md, qm, ["created", "createdBy", "phenopacketSchemaVersion"],
           ["submittedBy", "resources", "updates", "externalReferences"]):
        string(md.get("created"), qm + ".created", pattern=r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
        string(md.get("createdBy"), qm + ".createdBy", nonempty=True)
        enum(md.get("phenopacketSchemaVersion"), qm + ".phenopacketSchemaVersion", ["2.0"])
        rk = ["id", "name", "url", "version", "namespacePrefix", "iriPrefix"]
        prefixes = set()
        for i, r in enumerate(array(md.get("resources", []), qm + ".resources", 1)):
            if obj(r, f"{qm}.resources[{i}]", rk, []):
                for k in rk:
                    string(r.get(k), f"{qm}.resources[{i}].{k}")
                prefixes.add(r.get("namespacePrefix"))
        # every ontology class's prefix has its resource (the spec asks for this; the schema cannot say it)
        for prefix in sorted(used_prefixes - prefixes):
            err(qm + ".resources", f"no resource for prefix {prefix}")


def check_variant_interpretation(v, q):
    if not obj(v, q, ["acmgPathogenicityClassification", "therapeuticActionability", "variationDescriptor"], []):
        return
    enum(v.get("acmgPathogenicityClassification"), q + ".acmgPathogenicityClassification",
         ["NOT_PROVIDED", "BENIGN", "LIKELY_BENIGN", "UNCERTAIN_SIGNIFICANCE", "LIKELY_PATHOGENIC", "PATHOGENIC"])
    enum(v.get("therapeuticActionability"), q + ".therapeuticActionability",
         ["UNKNOWN_ACTIONABILITY", "NOT_ACTIONABLE", "ACTIONABLE"])
    vd, qd = v.get("variationDescriptor"), q + ".variationDescriptor"
    allowed = ["id", "variation", "label", "description", "geneContext", "expressions", "vcfRecord", "xrefs",
               "alternateLabels", "extensions", "moleculeContext", "structuralType", "vrsRefAlleleSeq", "allelicState"]
    if not obj(vd, qd, ["id", "moleculeContext"], allowed):
        return
    string(vd.get("id"), qd + ".id", nonempty=True)
    enum(vd.get("moleculeContext"), qd + ".moleculeContext", ["unspecified_molecule_context", "genomic", "transcript", "protein"])
    if "geneContext" in vd:
        gc = vd["geneContext"]
        if obj(gc, qd + ".geneContext", ["valueId", "symbol"],
               ["description", "alternateIds", "xrefs", "alternateSymbols"]):
            string(gc.get("valueId"), qd + ".geneContext.valueId", nonempty=True)
            string(gc.get("symbol"), qd + ".geneContext.symbol", nonempty=True)
    if "vcfRecord" in vd:
        r, qr = vd["vcfRecord"], qd + ".vcfRecord"
        if obj(r, qr, ["genomeAssembly", "chrom", "pos", "ref", "alt"], ["id", "qual", "filter", "info"]):
            for k in ("genomeAssembly", "chrom", "ref", "alt"):
                string(r.get(k), f"{qr}.{k}", nonempty=True)
            integer(r.get("pos"), qr + ".pos", 1)
    if "allelicState" in vd:
        ontology_class(vd["allelicState"], qd + ".allelicState")


# ---- privacy --------------------------------------------------------------
URL_KEYS = {"href", "url", "iriPrefix"}


def check_privacy(doc, f, forbidden):
    def walk(x, path, key):
        if isinstance(x, dict):
            for k, v in x.items():
                for w in forbidden:
                    if w.lower() in k.lower():
                        err(f"{path}.{k}", f"key holds forbidden text '{w}'")
                walk(v, f"{path}.{k}", k)
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, f"{path}[{i}]", key)
        elif isinstance(x, str):
            for w in forbidden:
                if w.lower() in x.lower():
                    err(path, f"'{x}' holds forbidden text '{w}'")
            if "/" in x and key not in URL_KEYS:
                err(path, f"'{x}' looks like a path")
    walk(doc, f, None)


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("mme", "phenopacket", "privacy"):
        sys.exit(__doc__)
    kind = sys.argv[1]
    files = sys.argv[2:3] if kind == "privacy" else sys.argv[2:]
    for f in files:
        with open(f) as fp:
            doc = json.load(fp)
        if kind == "mme":
            check_mme(doc, f)
        elif kind == "phenopacket":
            used_prefixes.clear()
            check_phenopacket(doc, f)
        else:
            check_privacy(doc, f, sys.argv[3:])
    for e in errors:
        print(e)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
