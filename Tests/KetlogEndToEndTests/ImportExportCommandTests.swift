import Foundation
import XCTest

/// `ketlog import` and `ketlog export` run as a clinic's IT person would: round trips into a
/// new store, all-or-nothing imports, dry runs, and the files export writes.
final class ImportExportCommandTests: XCTestCase {
    private var ketlog: KetlogProcess!
    private let passphrase = "import-export-e2e-passphrase"

    override func setUpWithError() throws {
        ketlog = try KetlogProcess()
        ketlog.secrets = [passphrase]
    }

    private func environment(_ store: String) -> [String: String] {
        ["KETLOG_PASSWORD": passphrase, "KETLOG_STORE": ketlog.path(store), "KETLOG_TODAY": "2026-11-27"]
    }

    @discardableResult
    private func ok(_ arguments: [String], store: String, file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        let result = try ketlog.run(arguments, environment: environment(store))
        XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)", file: file, line: line)
        return result
    }

    private func makeStore(_ name: String) throws {
        try ok(["init", "--kdf-work-factor", "10"], store: name)
    }

    /// Counts and audit head: what must not move when an import fails.
    private func state(_ store: String) throws -> String {
        let status = try ok(["status", "--format", "json"], store: store)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        return ["patients", "sessions", "scores", "audit_entries", "audit_head"].map { "\($0)=\(json[$0] ?? "nil")" }
            .joined(separator: " ")
    }

    /// A store with values that stress CSV: commas, quotes, line breaks, formula-looking text,
    /// non-ASCII names, optional fields left out.
    private func populate(_ store: String) throws {
        try ok(["patient", "add", "P-0100", "--name", "Zoë \"Zed\" O'Hara, Jr.", "--birth-date", "1979-04-30",
                "--sex", "female", "--substance", "cocaine", "--substance", "alcohol", "--notes", "=HYPERLINK(\"x\")\nsecond line"],
               store: store)
        try ok(["patient", "add", "P-0101", "--substance", "opioids"], store: store)
        try ok(["session", "add", "--patient", "P-0100", "--date", "2026-10-01", "--time", "08:15", "--route", "iv",
                "--dose-mg-per-kg", "0.41", "--weight-kg", "73", "--duration-min", "40", "--practitioner", "+Dr Formula",
                "--counselor", "@counselor", "--notes", "felt \"lighter\", slept well\n-follow up in 1 week",
                "--adverse-event=-mild nausea", "--adverse-event", "dizziness"], store: store)
        try ok(["session", "add", "--patient", "P-0101", "--date", "2026-10-02", "--route", "intranasal", "--dose-mg", "56",
                "--practitioner", "Dr Lee"], store: store)
        try ok(["score", "add", "--patient", "P-0100", "--date", "2026-09-30", "--craving", "8", "--use-days", "20"], store: store)
        try ok(["score", "add", "--patient", "P-0101", "--date", "2026-10-30", "--craving", "0", "--use-days", "3",
                "--window-days", "14", "--substance", "opioids"], store: store)
    }

    func testCSVAndJSONExportsImportIntoANewStoreFieldForField() throws {
        try makeStore("source.db")
        try populate("source.db")
        for format in ["csv", "json"] {
            let target = "target-\(format).db"
            try makeStore(target)
            var exported: [String: String] = [:]
            for kind in ["patients", "sessions", "scores"] {
                let file = ketlog.path("\(kind).\(format)")
                try? FileManager.default.removeItem(atPath: file)
                try ok(["export", "--kind", kind, "--format", format, "--output", file], store: "source.db")
                XCTAssertEqual(try ketlog.mode(file), 0o600, "\(file) must be private")
                exported[kind] = try String(contentsOfFile: file, encoding: .utf8)
                try ok(["import", file, "--kind", kind], store: target)
            }
            for kind in ["patients", "sessions", "scores"] {
                let again = try ok(["export", "--kind", kind, "--format", format], store: target)
                XCTAssertEqual(again.stdout, exported[kind], "\(kind) \(format) did not round-trip")
            }
        }
        let csv = try String(contentsOfFile: ketlog.path("sessions.csv"), encoding: .utf8)
        XCTAssertTrue(csv.contains(",'+Dr Formula,'@counselor,"), "formula-looking cells are not neutralised:\n\(csv)")
        XCTAssertTrue(csv.contains("'-mild nausea;dizziness"), csv)
        let patients = try String(contentsOfFile: ketlog.path("patients.csv"), encoding: .utf8)
        XCTAssertTrue(patients.contains("\"'=HYPERLINK"), patients)
    }

    func testABadRowStopsTheImportWithItsLineAndFieldAndWritesNothing() throws {
        try makeStore("s.db")
        try populate("s.db")
        let before = try state("s.db")
        let file = try ketlog.file("scores.csv", """
            patient,date,craving,use_days,window_days
            P-0100,2026-10-08,7,12,28
            P-0100,2026-10-15,6,"9",28
            P-0101,2026-10-20,12,1,28
            P-0101,2026-10-27,2,1,28

            """)
        let result = try ketlog.run(["import", file, "--kind", "scores"], environment: environment("s.db"))
        XCTAssertEqual(result.status, 65)
        XCTAssertEqual(result.stderrLines, ["ketlog: error: line 4: craving: must be a whole number from 0 to 10"])
        XCTAssertEqual(try state("s.db"), before)
    }

    func testDryRunChecksEverythingAndWritesNothing() throws {
        try makeStore("s.db")
        try populate("s.db")
        let before = try state("s.db")
        let good = try ketlog.file("good.csv", "code,substances\nP-0200,cannabis\nP-0201,alcohol;other\n")
        let dry = try ok(["import", good, "--kind", "patients", "--dry-run"], store: "s.db")
        XCTAssertEqual(dry.stdout, "dry run: 2 patients rows are valid; nothing was written\n")
        XCTAssertEqual(try state("s.db"), before)

        let duplicate = try ketlog.file("dup.csv", "code,substances\nP-0300,cannabis\np-0100,alcohol\n")
        let refused = try ketlog.run(["import", duplicate, "--kind", "patients", "--dry-run"], environment: environment("s.db"))
        XCTAssertEqual(refused.status, 65)
        XCTAssertEqual(refused.stderrLines, ["ketlog: error: line 3: code: a patient with this code exists already"])
        XCTAssertEqual(try state("s.db"), before)
    }

    func testImportErrorsNameLineAndField() throws {
        try makeStore("s.db")
        try populate("s.db")
        let before = try state("s.db")
        let cases: [(String, String, String, String)] = [
            ("unknown-column.csv", "patient,date,craving,use_days,mood\n", "scores",
             "ketlog: error: line 1: mood: unknown column (allowed: patient, date, craving, use_days, window_days, substance)"),
            ("missing-column.csv", "patient,date,craving\nP-0100,2026-10-01,3\n", "scores",
             "ketlog: error: line 1: use_days: required column is missing"),
            ("short-row.csv", "patient,date,craving,use_days\nP-0100,2026-10-01,3\n", "scores",
             "ketlog: error: line 2: row: has 3 fields, the header has 4"),
            ("unknown-patient.csv", "patient,date,craving,use_days\nP-0999,2026-10-01,3,1\n", "scores",
             "ketlog: error: line 2: patient: no such patient in the store"),
            ("future.csv", "patient,date,craving,use_days\nP-0100,2027-01-01,3,1\n", "scores",
             "ketlog: error: line 2: date: must be an ISO date YYYY-MM-DD, not in the future"),
            ("not-array.json", "{\"patient\": \"P-0100\"}", "scores",
             "ketlog: error: line 1: file: must be a JSON array of objects"),
            ("bool.json", "[{\"patient\": \"P-0100\", \"date\": \"2026-10-01\", \"craving\": true, \"use_days\": 1}]", "scores",
             "ketlog: error: line 1: craving: must be a number or text, not true/false"),
            ("band.csv", "patient,date,route,dose_mg_per_kg,weight_kg,duration_min,practitioner\nP-0100,2026-10-03,iv,1.5,70,40,Dr Lee\n",
             "sessions", "ketlog: error: line 2: dose: must be within 0.1–1 mg/kg for iv (or pass --allow-unusual-dose)"),
        ]
        for (name, contents, kind, expected) in cases {
            let file = try ketlog.file(name, contents)
            let result = try ketlog.run(["import", file, "--kind", kind], environment: environment("s.db"))
            XCTAssertEqual(result.status, 65, name)
            XCTAssertEqual(result.stderrLines, [expected], name)
            XCTAssertEqual(try state("s.db"), before, name)
        }
        let text = try ketlog.file("notes.txt", "code,substances\n")
        let wrongType = try ketlog.run(["import", text, "--kind", "patients"], environment: environment("s.db"))
        XCTAssertEqual(wrongType.status, 64)
        let missing = try ketlog.run(["import", ketlog.path("nope.csv"), "--kind", "patients"], environment: environment("s.db"))
        XCTAssertEqual(missing.status, 66)
    }

    func testAnImportIsOneAuditEntryCoveringEveryRecord() throws {
        try makeStore("s.db")
        try populate("s.db")
        var rows = "patient,date,craving,use_days\n"
        for day in 1...28 { rows += "P-0101,2026-11-\(String(format: "%02d", day)),\(day % 11),\(day % 15)\n" }
        let file = try ketlog.file("many.csv", rows.replacingOccurrences(of: "2026-11-28", with: "2026-11-27"))
        try ok(["import", file, "--kind", "scores"], store: "s.db")
        let log = try ok(["audit", "log", "--format", "json"], store: "s.db")
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        let last = try XCTUnwrap(entries.last)
        XCTAssertEqual(last["action"] as? String, "import.scores")
        XCTAssertEqual(last["record"] as? String, "28 records")
        XCTAssertEqual(last["detail"] as? String, "28 records")
        let verify = try ok(["audit", "verify"], store: "s.db")
        XCTAssertTrue(verify.stdout.hasPrefix("ok: \(entries.count) entries, head "), verify.stdout)
    }

    /// 200 rows go in several to an SQL statement (64 at a time, the last 8 one by one): every
    /// record opens under its own id and patient, one entry covers them all, and a bad row late
    /// in the file still leaves nothing written.
    func testALargeImportIsInsertedInBatchesAndStillAllOrNothing() throws {
        try makeStore("s.db")
        try populate("s.db")
        let before = try state("s.db")
        var rows = "patient,date,craving,use_days\n"
        for index in 0..<200 {
            let (month, day) = (1 + index / 28, 1 + index % 28)
            rows += "P-010\(index % 2),2025-\(String(format: "%02d", month))-\(String(format: "%02d", day)),\(index % 11),\(index % 29)\n"
        }
        let bad = try ketlog.file("bad.csv", rows.replacingOccurrences(of: "2025-06-17,", with: "2025-06-17,eleven"))
        let refused = try ketlog.run(["import", bad, "--kind", "scores"], environment: environment("s.db"))
        XCTAssertEqual(refused.status, 65)
        XCTAssertEqual(refused.stderrLines, ["ketlog: error: line 158: craving: must be a whole number"])
        XCTAssertEqual(try state("s.db"), before)

        let file = try ketlog.file("many.csv", rows)
        XCTAssertEqual(try ok(["import", file, "--kind", "scores"], store: "s.db").stdout, "imported 200 scores\n")
        let log = try ok(["audit", "log", "--format", "json"], store: "s.db")
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(entries.last?["detail"] as? String, "200 records")
        XCTAssertTrue(try ok(["audit", "verify"], store: "s.db").stdout.hasPrefix("ok: \(entries.count) entries, head "))
        let exported = try ok(["export", "--kind", "scores", "--format", "csv"], store: "s.db").stdout
        let imported = Set(rows.split(separator: "\n").dropFirst().map(String.init))
        let lines = exported.split(separator: "\n").dropFirst().map { line -> String in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            return cells.prefix(4).joined(separator: ",")
        }
        XCTAssertEqual(Set(lines).intersection(imported).count, 200, "every row reads back under its patient")
    }

    func testExportRefusesToOverwriteWithoutForce() throws {
        try makeStore("s.db")
        try populate("s.db")
        let file = try ketlog.file("existing.csv", "keep me\n")
        let refused = try ketlog.run(["export", "--kind", "patients", "--output", file], environment: environment("s.db"))
        XCTAssertEqual(refused.status, 73)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "keep me\n")
        try ok(["export", "--kind", "patients", "--output", file, "--force"], store: "s.db")
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("code,name,birth_date,sex,substances,notes\n"))
        XCTAssertEqual(try ketlog.mode(file), 0o600)
    }

    func testAVoidPatientTakesNoNewRecords() throws {
        try makeStore("s.db")
        try populate("s.db")
        try ok(["patient", "void", "P-0101", "--reason", "duplicate of another record"], store: "s.db")
        let before = try state("s.db")
        let add = try ketlog.run(["score", "add", "--patient", "P-0101", "--date", "2026-11-01", "--craving", "2",
                                  "--use-days", "1"], environment: environment("s.db"))
        XCTAssertEqual(add.status, 65)
        XCTAssertEqual(add.stderrLines, ["ketlog: error: --patient: must be a patient who is not void"])
        let file = try ketlog.file("void.csv", "patient,date,craving,use_days\nP-0101,2026-11-01,2,1\n")
        let imported = try ketlog.run(["import", file, "--kind", "scores"], environment: environment("s.db"))
        XCTAssertEqual(imported.status, 65)
        XCTAssertEqual(imported.stderrLines, ["ketlog: error: line 2: patient: no such patient in the store"])
        XCTAssertEqual(try state("s.db"), before)
    }
}
