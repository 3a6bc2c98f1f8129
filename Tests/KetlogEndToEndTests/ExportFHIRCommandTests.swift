import Foundation
import XCTest

/// `ketlog export --format fhir` and `--format fhir-ndjson`: validated by the Python
/// `fhir.resources` models (Tests/KetlogEndToEndTests/Fixtures/fhir_check.py, in the .venv that
/// Scripts/bootstrap makes) and compared with what the store lists as live.
final class ExportFHIRCommandTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws {
        ketlog = try RecordsHarness()
        ketlog.environment["TZ"] = "UTC"
        for patient in [["P-0001", "--name", "Ana Díaz", "--birth-date", "1980-04-02", "--sex", "female", "--substance", "cocaine"],
                        ["P-0002", "--sex", "male", "--substance", "alcohol"],
                        ["P-0003", "--substance", "opioids"],
                        ["P-0004", "--name", "Bo", "--substance", "cannabis"]] {
            try ketlog.ok(["patient", "add"] + patient)
        }
        for session in [["P-0001", "2026-11-20", "iv", "--time", "09:30", "--dose-mg-per-kg", "0.5", "--weight-kg", "70",
                         "--duration-min", "40", "--practitioner", "Dr Lee", "--counselor", "J. Ortiz", "--notes", "calm\nslept after"],
                        ["P-0001", "2026-11-22", "intranasal", "--dose-mg", "56", "--practitioner", "Dr Lee"],
                        ["P-0002", "2026-11-21", "oral", "--dose-mg-per-kg", "1", "--weight-kg", "80", "--practitioner", "Dr Park"],
                        ["P-0002", "2026-11-23", "sublingual", "--dose-mg", "100", "--practitioner", "Dr Park"],
                        ["P-0004", "2026-11-24", "im", "--dose-mg-per-kg", "0.5", "--weight-kg", "60", "--practitioner", "Dr Lee",
                         "--adverse-event", "nausea"],
                        ["P-0004", "2026-11-25", "subcutaneous", "--dose-mg-per-kg", "0.5", "--weight-kg", "60", "--practitioner", "Dr Lee"],
                        ["P-0003", "2026-11-25", "oral", "--dose-mg-per-kg", "1", "--weight-kg", "70", "--practitioner", "Dr Gone"]] {
            try ketlog.ok(["session", "add", "--patient", session[0], "--date", session[1], "--route", session[2]] + session.dropFirst(3))
        }
        for score in [["P-0001", "2026-11-20", "6", "18"], ["P-0001", "2026-11-27", "4", "9"], ["P-0002", "2026-11-21", "7", "20"],
                      ["P-0002", "2026-11-28", "5", "12"], ["P-0003", "2026-11-26", "8", "25"]] {
            try ketlog.ok(["score", "add", "--patient", score[0], "--date", score[1], "--craving", score[2], "--use-days", score[3]])
        }
        // Monitoring: vitals (three measurements, then one; those of ses-6 go with its void),
        // screens and day records (P-0003's go with the void patient).
        try ketlog.ok(["vitals", "add", "--session", "ses-1", "--at", "pre", "--bp", "150/95", "--hr", "88", "--spo2", "97"])
        try ketlog.ok(["vitals", "add", "--session", "ses-1", "--at", "40", "--moaas", "3", "--cadss", "12", "--note", "drowsy"])
        try ketlog.ok(["vitals", "add", "--session", "ses-2", "--at", "discharge", "--rr", "14"])
        try ketlog.ok(["vitals", "add", "--session", "ses-6", "--at", "pre", "--hr", "70"])
        try ketlog.ok(["screen", "add", "--patient", "P-0001", "--date", "2026-11-21", "--substance", "cocaine", "--result", "positive",
                       "--method", "urine"])
        try ketlog.ok(["screen", "add", "--patient", "P-0002", "--date", "2026-11-22", "--substance", "alcohol", "--result", "invalid"])
        try ketlog.ok(["day", "add", "--patient", "P-0002", "--date", "2026-11-22", "--to", "2026-11-24", "--abstinent"])
        try ketlog.ok(["day", "add", "--patient", "P-0001", "--date", "2026-11-21", "--used", "--substance", "cocaine", "--amount", "1 g"])
        try ketlog.ok(["day", "add", "--patient", "P-0003", "--date", "2026-11-26", "--used"])
        try ketlog.ok(["vitals", "amend", "vit-1", "--reason", "pulse recounted", "--hr", "86"])
        try ketlog.ok(["day", "void", "day-3", "--reason", "wrong day"])
        try ketlog.ok(["patient", "amend", "P-0004", "--reason", "name spelled out", "--name", "Bo Chen"])
        try ketlog.ok(["session", "amend", "ses-4", "--reason", "dose misread", "--dose-mg", "150"])
        try ketlog.ok(["score", "amend", "sco-2", "--reason", "craving misheard", "--craving", "3"])
        try ketlog.ok(["session", "void", "ses-6", "--reason", "entered twice"])
        try ketlog.ok(["score", "void", "sco-4", "--reason", "wrong patient"])
        try ketlog.ok(["patient", "void", "P-0003", "--reason", "test patient"])
    }

    func testTheBundleAndTheNDJSONValidateAndHoldEveryLiveRecordOnce() throws {
        let bundle = ketlog.directory.appendingPathComponent("clinic.fhir.json").path
        let ndjson = ketlog.directory.appendingPathComponent("bulk/fhir").path
        try ketlog.ok(["export", "--format", "fhir", "--output", bundle, "--purpose", "EHR transfer"])
        try ketlog.ok(["export", "--format", "fhir-ndjson", "--output", ndjson])
        let found = try check(bundle: bundle, ndjson: ndjson)

        // What the store lists as live: void records and the records of a void patient stay out.
        let patients = try ketlog.rows(["patient", "list"]).map { try ketlog.object(["patient", "show", $0["code"] as? String ?? ""]) }
        let codes = Set(patients.compactMap { $0["code"] as? String })
        func live(_ kind: String) throws -> [[String: Any]] {
            try ketlog.rows([kind, "list"]).map { try ketlog.object([kind, "show", $0["id"] as? String ?? ""]) }
                .filter { codes.contains($0["patient"] as? String ?? "") }
        }
        let sessions = try live("session"), scores = try live("score")
        let screens = try live("screen"), days = try live("day")
        // Vitals go with their session: only those of a live session of a live patient.
        let liveSessions = Set(sessions.compactMap { $0["id"] as? String })
        let vitals = try live("vitals").filter { liveSessions.contains($0["session"] as? String ?? "") }
        // One observation per measurement: the blood pressure panel, heart rate, SpO2,
        // respiratory rate, MOAA/S, CADSS.
        let measurements = vitals.map { record in
            ["bp_systolic", "heart_rate", "spo2", "respiratory_rate", "moaas", "cadss"].filter { record[$0] is Int }.count
        }.reduce(0, +)
        let live = patients + sessions + scores + vitals + screens + days
        let practitioners = Set(sessions.flatMap { [$0["practitioner"], $0["counselor"]].compactMap { $0 as? String } })
        let expected = ["Patient": patients.count, "Practitioner": practitioners.count, "MedicationAdministration": sessions.count,
                        "Observation": scores.count + measurements + screens.count + days.count,
                        "Provenance": live.filter { ($0["version"] as? Int ?? 0) > 1 }.count]
        XCTAssertEqual([vitals.count, measurements, screens.count, days.count], [3, 6, 2, 3],
                       "vit-4 goes with the void ses-6; day-3 is void; P-0003's day goes with the patient")
        XCTAssertEqual(expected, ["Patient": 3, "Practitioner": 3, "MedicationAdministration": 5, "Observation": 14, "Provenance": 4],
                       "the scenario: P-0003 void, ses-6 and sco-4 void, ses-7 and sco-5 of the void patient")
        XCTAssertEqual(found["fhir_version"] as? String, "4.0.1", "validated by the R4 models (fhir.resources 6.4.0)")
        XCTAssertEqual(found["bundle_type"] as? String, "collection")
        XCTAssertEqual(found["counts"] as? [String: Int], expected)
        XCTAssertEqual(found["ndjson_counts"] as? [String: Int], expected)
        XCTAssertEqual(found["ndjson_same_as_bundle"] as? Bool, true, "the two layouts hold the same resources")
        XCTAssertEqual(Set(found["record_ids"] as? [String] ?? []), Set(live.compactMap { $0["id"] as? String }))
        XCTAssertEqual(found["patient_codes"] as? [String], codes.sorted())
        XCTAssertEqual(found["unresolved"] as? [String], [], "every reference resolves inside the bundle")
        XCTAssertEqual(found["full_urls_match"] as? Bool, true)
        XCTAssertEqual(found["unlabelled"] as? [String], [], "every resource carries 42CFRPart2 and R")
        XCTAssertEqual(found["routes"] as? [String], ["26643006", "37839007", "46713006", "47625008", "78421000"].sorted())
        let store = try XCTUnwrap(try ketlog.object(["status"])["store_id"] as? String)
        XCTAssertEqual(found["provenance"] as? [[String]], [
            ["MedicationAdministration/\(store)-ses-4", "admin", "dose misread"],
            ["Observation/\(store)-sco-2", "admin", "craving misheard"],
            ["Observation/\(store)-vit-1-bp", "admin", "pulse recounted"],
            ["Patient/\(store)-pat-4", "admin", "name spelled out"],
        ])

        let resources = try XCTUnwrap(found["resources"] as? [String: [String: Any]])
        let amendedSession = try XCTUnwrap(resources["MedicationAdministration/\(store)-ses-4"])
        XCTAssertEqual(((amendedSession["dosage"] as? [String: Any])?["dose"] as? [String: Any])?["value"] as? Double, 150)
        XCTAssertEqual(((amendedSession["dosage"] as? [String: Any])?["dose"] as? [String: Any])?["code"] as? String, "mg")
        XCTAssertEqual((amendedSession["meta"] as? [String: Any])?["versionId"] as? String, "2")
        let infusion = try XCTUnwrap(resources["MedicationAdministration/\(store)-ses-1"])
        XCTAssertEqual(infusion["effectiveDateTime"] as? String, "2026-11-20T09:30:00+00:00", "the tests run with TZ=UTC")
        XCTAssertEqual((infusion["note"] as? [[String: Any]])?.first?["text"] as? String, "calm\nslept after")
        XCTAssertEqual((infusion["performer"] as? [Any])?.count, 2, "practitioner and counselor")
        // Vitals: LOINC codes and UCUM units, part of the session's administration.
        let pressure = try XCTUnwrap(resources["Observation/\(store)-vit-1-bp"])
        XCTAssertEqual(codings(of: pressure["code"]), ["85354-9"])
        XCTAssertEqual((pressure["component"] as? [[String: Any]])?.flatMap { codings(of: $0["code"]) }, ["8480-6", "8462-4"])
        XCTAssertEqual(((pressure["component"] as? [[String: Any]])?.first?["valueQuantity"] as? [String: Any])?["code"] as? String, "mm[Hg]")
        XCTAssertEqual((pressure["partOf"] as? [[String: Any]])?.first?["reference"] as? String, "MedicationAdministration/\(store)-ses-1")
        XCTAssertEqual((pressure["meta"] as? [String: Any])?["versionId"] as? String, "2")
        let pulse = try XCTUnwrap(resources["Observation/\(store)-vit-1-hr"])
        XCTAssertEqual(codings(of: pulse["code"]), ["8867-4"])
        XCTAssertEqual((pulse["valueQuantity"] as? [String: Any])?["value"] as? Double, 86, "the amended value")
        XCTAssertEqual(codings(of: resources["Observation/\(store)-vit-1-spo2"]?["code"]), ["59408-5"])
        XCTAssertEqual(codings(of: resources["Observation/\(store)-vit-3-rr"]?["code"]), ["9279-1"])
        XCTAssertEqual(resources["Observation/\(store)-vit-2-moaas"]?["valueInteger"] as? Int, 3)
        XCTAssertEqual((resources["Observation/\(store)-vit-2-cadss"]?["extension"] as? [[String: Any]])?.first?["valueString"] as? String, "40")
        XCTAssertNil(resources["Observation/\(store)-vit-4-hr"], "vitals of a void session are not exported")
        // Screens: the result in SNOMED CT; days: a boolean per day.
        XCTAssertEqual(codings(of: resources["Observation/\(store)-scr-1"]?["valueCodeableConcept"]), ["10828004"])
        XCTAssertEqual(codings(of: resources["Observation/\(store)-scr-2"]?["valueCodeableConcept"]), ["125154007"])
        XCTAssertEqual(resources["Observation/\(store)-day-1"]?["valueBoolean"] as? Bool, false)
        XCTAssertEqual(resources["Observation/\(store)-day-4"]?["valueBoolean"] as? Bool, true)
        XCTAssertNil(resources["Observation/\(store)-day-3"], "a void day record is not exported")

        let patient = try XCTUnwrap(resources["Patient/\(store)-pat-1"])
        XCTAssertEqual(patient["gender"] as? String, "female")
        XCTAssertEqual(patient["birthDate"] as? String, "1980-04-02")
        XCTAssertEqual((patient["name"] as? [[String: Any]])?.first?["text"] as? String, "Ana Díaz")
        XCTAssertNil(resources["Patient/\(store)-pat-3"], "a void patient is not exported")
        // A time carries the offset of the clinic's time zone on that date.
        let eastern = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(try ketlog.ok(["export", "--format", "fhir"], env: ["TZ": "America/New_York"]).utf8)) as? [String: Any])
        let times = (eastern["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["effectiveDateTime"] as? String }
        XCTAssertTrue(times.contains("2026-11-20T09:30:00-05:00"), "\(times)")

        // Files with clinical content: 0600 in a 0700 directory.
        XCTAssertEqual(try permissions(bundle), 0o600)
        XCTAssertEqual(try permissions(ndjson), 0o700)
        XCTAssertEqual(found["ndjson_files"] as? [String: String],
                       Dictionary(uniqueKeysWithValues: expected.keys.map { ("\($0).ndjson", "0o600") }))

        // Each export is a disclosure: every live record, of three patients.
        let disclosures = try ketlog.rows(["audit", "disclosures"])
        XCTAssertEqual(disclosures.map { $0["format"] as? String }, ["fhir", "fhir-ndjson", "fhir"])
        XCTAssertEqual(disclosures.map { $0["records"] as? Int }, [live.count, live.count, live.count])
        XCTAssertEqual(disclosures.map { $0["patients"] as? Int }, [3, 3, 3])
        XCTAssertEqual(disclosures.map { $0["to"] as? String }, ["clinic.fhir.json", "fhir", "standard output"])
        XCTAssertEqual(disclosures.first?["purpose"] as? String, "EHR transfer")
        XCTAssertTrue(try ketlog.ok(["audit", "verify"]).hasPrefix("ok: "))
    }

    func testASecondExportGivesTheSameIdsAndAnAmendmentAddsOnlyAProvenance() throws {
        let first = try JSONSerialization.jsonObject(with: Data(try ketlog.ok(["export", "--format", "fhir"]).utf8)) as? [String: Any]
        let second = try JSONSerialization.jsonObject(with: Data(try ketlog.ok(["export", "--format", "fhir"]).utf8)) as? [String: Any]
        XCTAssertEqual(try ids(first), try ids(second))
        XCTAssertEqual(try ids(first).count, 29)

        try ketlog.ok(["score", "amend", "sco-1", "--reason", "use days recounted", "--use-days", "17"])
        let third = try JSONSerialization.jsonObject(with: Data(try ketlog.ok(["export", "--format", "fhir"]).utf8)) as? [String: Any]
        let added = try ids(third).subtracting(try ids(first))
        XCTAssertEqual(added.count, 1)
        XCTAssertTrue(added.first?.hasPrefix("Provenance/") == true && added.first?.hasSuffix("-sco-1-v2") == true, "\(added)")
        XCTAssertTrue(try ids(first).isSubset(of: try ids(third)), "the amended score keeps its id")
    }

    func testFHIRFormatsRefuseKindAndNDJSONNeedsADirectory() throws {
        try ketlog.refuse(["export", "--format", "fhir", "--kind", "patients"], status: 64, field: "--kind")
        try ketlog.refuse(["export", "--format", "fhir-ndjson"], status: 64, field: "--output")
        try ketlog.refuse(["export", "--format", "csv"], status: 64, field: "--kind")
        let bundle = ketlog.directory.appendingPathComponent("out.json").path
        try ketlog.ok(["export", "--format", "fhir", "--output", bundle])
        try ketlog.refuse(["export", "--format", "fhir", "--output", bundle], status: 73, field: "out.json")
        XCTAssertEqual(try ketlog.rows(["audit", "disclosures"]).count, 1, "a refused export discloses nothing")
    }

    // MARK: Helpers

    /// `ResourceType/id` of every entry of a bundle.
    private func ids(_ bundle: [String: Any]?) throws -> Set<String> {
        let entries = try XCTUnwrap(bundle?["entry"] as? [[String: Any]])
        return Set(entries.compactMap { entry in
            (entry["resource"] as? [String: Any]).flatMap { r in (r["resourceType"] as? String).map { "\($0)/\(r["id"] as? String ?? "")" } }
        })
    }

    /// The codes of a CodeableConcept.
    private func codings(of concept: Any?) -> [String] {
        ((concept as? [String: Any])?["coding"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
    }

    private func permissions(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1) & 0o777
    }

    /// Runs the Python oracle; the venv must exist (Scripts/bootstrap makes it): no skip.
    private func check(bundle: String, ndjson: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let python = try XCTUnwrap(ProcessRunner.packageRoot).appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            XCTFail("\(python) is missing: run Scripts/bootstrap (it makes .venv with fhir.resources)", file: file, line: line)
            throw ProcessRunner.Missing("no .venv")
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fhir_check.py").path
        let result = try RecordsHarness.execute(python, [script, bundle, ndjson], scratch: ketlog.directory)
        XCTAssertEqual(result.status, 0, "fhir.resources refused the export: \(result.stderr)", file: file, line: line)
        let value = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try XCTUnwrap(value as? [String: Any], file: file, line: line)
    }
}
