"""The oracle for `ketlog export --format fhir` and `fhir-ndjson` (ExportFHIRCommandTests).

    .venv/bin/python fhir_check.py BUNDLE.json NDJSON_DIR

Parses the bundle with fhir.resources' FHIR R4 (4.0.1) Bundle model and every NDJSON line with the model of its
resourceType (pydantic validation: required elements, types, id and date syntax, no unknown
elements), then prints what it found as JSON for the Swift test to compare with the store. A
resource that does not validate ends the script with status 1 and the validation error.
"""
import json
import os
import sys

from fhir.resources import __fhir_version__, get_fhir_model_class
from fhir.resources.bundle import Bundle

PART2 = ("http://terminology.hl7.org/CodeSystem/v3-ActCode", "42CFRPart2")
RESTRICTED = ("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R")


def references(value):
    """Every Reference.reference string inside a resource."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def labels(resource):
    security = resource.get("meta", {}).get("security", [])
    return {(coding.get("system"), coding.get("code")) for coding in security}


def main(bundle_path, ndjson_dir):
    with open(bundle_path, encoding="utf-8") as handle:
        raw = json.load(handle)
    try:
        Bundle.parse_obj(raw)
    except Exception as error:  # pydantic.ValidationError, printed whole for the test log
        sys.exit(f"bundle does not validate: {error}")

    entries = raw.get("entry", [])
    resources = [entry["resource"] for entry in entries]
    by_reference = {f"{r['resourceType']}/{r['id']}": r for r in resources}
    counts, ids = {}, {}
    for resource in resources:
        counts[resource["resourceType"]] = counts.get(resource["resourceType"], 0) + 1
        ids.setdefault(resource["resourceType"], []).append(resource["id"])
    full_urls_match = all(entry["fullUrl"].endswith("/" + entry["resource"]["resourceType"] + "/" + entry["resource"]["id"])
                          for entry in entries)
    unresolved = sorted({ref for r in resources for ref in references(r) if ref not in by_reference})
    unlabelled = [f"{r['resourceType']}/{r['id']}" for r in [raw] + resources
                  if not {PART2, RESTRICTED} <= labels(r)]

    ndjson_counts, ndjson_resources, ndjson_files = {}, {}, {}
    for name in sorted(os.listdir(ndjson_dir)):
        path = os.path.join(ndjson_dir, name)
        ndjson_files[name] = oct(os.stat(path).st_mode & 0o777)
        resource_type = name[: -len(".ndjson")]
        model = get_fhir_model_class(resource_type)
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.endswith("\n") or line.strip() != line.rstrip("\n") or not line.strip():
                    sys.exit(f"{name}:{number}: not one resource on one line")
                resource = json.loads(line)
                if resource.get("resourceType") != resource_type:
                    sys.exit(f"{name}:{number}: a {resource.get('resourceType')} in the {resource_type} file")
                try:
                    model.parse_obj(resource)
                except Exception as error:
                    sys.exit(f"{name}:{number} does not validate: {error}")
                ndjson_counts[resource_type] = ndjson_counts.get(resource_type, 0) + 1
                ndjson_resources[f"{resource_type}/{resource['id']}"] = resource

    routes = sorted(coding["code"] for r in resources if r["resourceType"] == "MedicationAdministration"
                    for coding in r["dosage"]["route"]["coding"])
    print(json.dumps({
        "fhir_version": __fhir_version__,
        "bundle_type": raw.get("type"),
        "counts": counts,
        "ids": ids,
        "full_urls_match": full_urls_match,
        "unresolved": unresolved,
        "unlabelled": unlabelled,
        "ndjson_counts": ndjson_counts,
        "ndjson_files": ndjson_files,
        "ndjson_same_as_bundle": ndjson_resources == by_reference,
        "routes": routes,
        "patient_codes": sorted(i["value"] for r in resources if r["resourceType"] == "Patient"
                                for i in r["identifier"] if i.get("use") == "usual"),
        "record_ids": sorted(i["value"] for r in resources for i in r.get("identifier", [])
                             if i.get("system", "").endswith("/record")),
        "provenance": sorted((p["target"][0]["reference"], p["agent"][0]["who"]["display"], p["reason"][0]["text"])
                             for p in resources if p["resourceType"] == "Provenance"),
        "resources": by_reference,
    }, sort_keys=True))


if __name__ == "__main__":
    main(*sys.argv[1:])
