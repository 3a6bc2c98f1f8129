import XCTest

/// `ketlog session add|list|show|amend|void` against the built binary: dose arithmetic, the
/// bands per route, `--allow-unusual-dose`, notes sources, and every refusal.
final class SessionCommandTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws {
        ketlog = try RecordsHarness()
        try ketlog.ok(["patient", "add", "P-0007", "--birth-date", "1980-05-10", "--substance", "cocaine"])
    }

    override func tearDown() { ketlog = nil }

    /// `session add` for P-0007 on 2026-11-20 by Dr Lee, with `extra` giving route and dose.
    private func add(_ extra: [String]) -> [String] {
        ["session", "add", "--patient", "P-0007", "--date", "2026-11-20", "--practitioner", "Dr Lee"] + extra
    }

    private func iv(_ dose: [String]) -> [String] { add(["--route", "iv", "--duration-min", "40"] + dose) }

    func testDoseArithmetic() throws {
        let computed = try ketlog.object(iv(["--dose-mg-per-kg", "0.41", "--weight-kg", "73"]))
        XCTAssertEqual(computed["id"] as? String, "ses-1")
        XCTAssertEqual(computed["dose_mg"] as? Double, 29.93)
        XCTAssertEqual(computed["dose_mg_per_kg"] as? Double, 0.41)
        XCTAssertEqual(computed["weight_kg"] as? Double, 73)

        let mgOnly = try ketlog.object(add(["--route", "sublingual", "--dose-mg", "150"]))
        XCTAssertEqual(mgOnly["dose_mg"] as? Double, 150)
        XCTAssertTrue(mgOnly["dose_mg_per_kg"] is NSNull, "\(mgOnly)")
        XCTAssertTrue(mgOnly["weight_kg"] is NSNull, "\(mgOnly)")

        let mgWithWeight = try ketlog.object(iv(["--dose-mg", "36.5", "--weight-kg", "73"]))
        XCTAssertEqual(mgWithWeight["dose_mg_per_kg"] as? Double, 0.5)

        let agreeing = try ketlog.object(iv(["--dose-mg-per-kg", "0.41", "--weight-kg", "73", "--dose-mg", "29.9"]))
        XCTAssertEqual(agreeing["dose_mg"] as? Double, 29.9)

        try ketlog.refuse(iv(["--dose-mg-per-kg", "0.41", "--weight-kg", "73", "--dose-mg", "35"]), status: 65, field: "dose-mg")
        try ketlog.refuse(iv(["--dose-mg-per-kg", "0.5"]), status: 64, field: "--weight-kg")
        // iv's band is in mg/kg: a dose in mg needs the weight, and without a terminal to ask it is missing.
        try ketlog.refuse(iv(["--dose-mg", "30"]), status: 64, field: "--weight-kg")
        try ketlog.refuse(add(["--route", "iv", "--duration-min", "40"]), status: 64, field: "--dose-mg")
    }

    func testEachRoutesBandEdges() throws {
        let accepted: [(String, [String])] = [
            ("iv", ["--duration-min", "40", "--dose-mg-per-kg", "0.1", "--weight-kg", "70"]),
            ("iv", ["--duration-min", "40", "--dose-mg-per-kg", "1.0", "--weight-kg", "70"]),
            ("im", ["--dose-mg-per-kg", "0.1", "--weight-kg", "70"]),
            ("im", ["--dose-mg-per-kg", "2.0", "--weight-kg", "70"]),
            ("oral", ["--dose-mg-per-kg", "0.25", "--weight-kg", "70"]),
            ("oral", ["--dose-mg-per-kg", "7", "--weight-kg", "70"]),
            ("subcutaneous", ["--dose-mg-per-kg", "0.1", "--weight-kg", "70"]),
            ("subcutaneous", ["--dose-mg-per-kg", "1.0", "--weight-kg", "70"]),
            ("sublingual", ["--dose-mg", "25"]),
            ("sublingual", ["--dose-mg", "400"]),
            ("intranasal", ["--dose-mg", "28"]),
            ("intranasal", ["--dose-mg", "56"]),
            ("intranasal", ["--dose-mg", "84"]),
        ]
        for (index, (route, dose)) in accepted.enumerated() {
            XCTAssertEqual(try ketlog.ok(add(["--route", route] + dose)), "ses-\(index + 1)\n", "\(route) \(dose)")
        }
        let refused: [(String, [String])] = [
            ("iv", ["--duration-min", "40", "--dose-mg-per-kg", "1.01", "--weight-kg", "70"]),
            ("iv", ["--duration-min", "40", "--dose-mg-per-kg", "0.09", "--weight-kg", "70"]),
            ("im", ["--dose-mg-per-kg", "2.01", "--weight-kg", "70"]),
            ("im", ["--dose-mg-per-kg", "0.09", "--weight-kg", "70"]),
            ("oral", ["--dose-mg-per-kg", "0.24", "--weight-kg", "70"]),
            ("oral", ["--dose-mg-per-kg", "7.01", "--weight-kg", "70"]),
            ("subcutaneous", ["--dose-mg-per-kg", "1.01", "--weight-kg", "70"]),
            ("subcutaneous", ["--dose-mg-per-kg", "0.09", "--weight-kg", "70"]),
            ("sublingual", ["--dose-mg", "24"]),
            ("sublingual", ["--dose-mg", "401"]),
            ("intranasal", ["--dose-mg", "27"]),
            ("intranasal", ["--dose-mg", "42"]),
            ("intranasal", ["--dose-mg", "112"]),
        ]
        for (route, dose) in refused {
            let result = try ketlog.refuse(add(["--route", route] + dose), status: 65, field: "dose")
            XCTAssertTrue(result.stderr.contains("--allow-unusual-dose"), result.stderr)
            XCTAssertTrue(result.stderr.contains(route), result.stderr)
        }
    }

    func testAllowUnusualDoseIsAcceptedAndRecorded() throws {
        let inBand = try ketlog.object(iv(["--dose-mg-per-kg", "0.5", "--weight-kg", "70", "--allow-unusual-dose"]))
        XCTAssertEqual(inBand["unusual_dose_allowed"] as? Bool, false, "\(inBand)")

        let result = try ketlog.run(iv(["--dose-mg-per-kg", "1.01", "--weight-kg", "70", "--allow-unusual-dose"]))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "ses-2\n")
        XCTAssertTrue(result.stderr.hasPrefix("ketlog: note:"), result.stderr)
        let session = try ketlog.object(["session", "show", "ses-2"])
        XCTAssertEqual(session["dose_mg_per_kg"] as? Double, 1.01)
        XCTAssertEqual(session["unusual_dose_allowed"] as? Bool, true, "\(session)")

        let nasal = try ketlog.object(add(["--route", "intranasal", "--dose-mg", "42", "--allow-unusual-dose"]))
        XCTAssertEqual(nasal["unusual_dose_allowed"] as? Bool, true, "\(nasal)")

        let log = try ketlog.rows(["audit", "log"])
        let details = Dictionary(log.compactMap { row in (row["record"] as? String).map { ($0, row["detail"]) } },
                                 uniquingKeysWith: { $1 })
        XCTAssertTrue(details["ses-1"] is NSNull, "\(log)")
        XCTAssertEqual(details["ses-2"] as? String, "allow-unusual-dose")
        XCTAssertEqual(details["ses-3"] as? String, "allow-unusual-dose")

        // An amendment that takes a dose out of its band must say so too.
        try ketlog.refuse(["session", "amend", "ses-1", "--reason", "dose misread", "--dose-mg-per-kg", "1.2"],
                          status: 65, field: "dose")
        try ketlog.ok(["session", "amend", "ses-1", "--reason", "dose misread", "--dose-mg-per-kg", "1.2", "--allow-unusual-dose"])
        let amended = try ketlog.object(["session", "show", "ses-1"])
        XCTAssertEqual(amended["unusual_dose_allowed"] as? Bool, true, "\(amended)")
        let amendEntry = try ketlog.rows(["audit", "log"]).last
        XCTAssertEqual(amendEntry?["action"] as? String, "session.amend")
        XCTAssertEqual(amendEntry?["detail"] as? String, "allow-unusual-dose")

        // The allowance covered 1.2 mg/kg: another unusual dose needs the flag again; other fields do not.
        try ketlog.refuse(["session", "amend", "ses-1", "--reason", "dose misread again", "--dose-mg-per-kg", "5"],
                          status: 65, field: "dose")
        try ketlog.refuse(["session", "amend", "ses-1", "--reason", "weighed again", "--weight-kg", "60"], status: 65, field: "dose")
        try ketlog.ok(["session", "amend", "ses-1", "--reason", "counselor named", "--counselor", "J. Ortiz"])
        XCTAssertEqual(try ketlog.object(["session", "show", "ses-1"])["dose_mg_per_kg"] as? Double, 1.2)
        // Back in band, the record no longer carries the allowance.
        try ketlog.ok(["session", "amend", "ses-1", "--reason", "dose corrected", "--dose-mg-per-kg", "0.8"])
        XCTAssertEqual(try ketlog.object(["session", "show", "ses-1"])["unusual_dose_allowed"] as? Bool, false)
        XCTAssertTrue(try ketlog.rows(["audit", "log"]).last?["detail"] is NSNull)
    }

    func testAbsurdDosesAreRefusedEvenWithTheFlag() throws {
        let absurd: [[String]] = [
            iv(["--dose-mg-per-kg", "10.5", "--weight-kg", "70"]),
            iv(["--dose-mg", "800", "--weight-kg", "70"]),
            add(["--route", "sublingual", "--dose-mg", "1001"]),
            add(["--route", "sublingual", "--dose-mg", "1e309"]),
            add(["--route", "sublingual", "--dose-mg", "NaN"]),
            add(["--route", "sublingual", "--dose-mg=-5"]),
            add(["--route", "sublingual", "--dose-mg", "0"]),
            iv(["--dose-mg-per-kg", "0", "--weight-kg", "70"]),
            iv(["--dose-mg-per-kg=-0.5", "--weight-kg", "70"]),
            iv(["--dose-mg-per-kg", "nan", "--weight-kg", "70"]),
            iv(["--dose-mg-per-kg", "1e309", "--weight-kg", "70"]),
        ]
        for arguments in absurd {
            try ketlog.refuse(arguments + ["--allow-unusual-dose"], status: 65, field: "dose")
            try ketlog.refuse(arguments, status: 65, field: "dose")
        }
        for weight in ["0", "nan", "401", "--weight-kg=-70"] {
            let option = weight.hasPrefix("--") ? [weight] : ["--weight-kg", weight]
            try ketlog.refuse(iv(["--dose-mg-per-kg", "0.5"] + option + ["--allow-unusual-dose"]), status: 65, field: "weight-kg")
        }
        // The absurd limits themselves are unusual, not absurd.
        XCTAssertEqual(try ketlog.ok(iv(["--dose-mg-per-kg", "10", "--weight-kg", "100", "--allow-unusual-dose"])), "ses-1\n")
        XCTAssertEqual(try ketlog.ok(add(["--route", "sublingual", "--dose-mg", "1000", "--allow-unusual-dose"])), "ses-2\n")
        try ketlog.refuse(add(["--route", "sublingual", "--dose-mg", "1000"]), status: 65, field: "dose")
        // The named field is the one that is wrong, not a misleading "give a dose".
        try ketlog.refuse(add(["--route", "sublingual", "--dose-mg=-5"]), status: 65, field: "dose-mg: must be a number above 0")
        try ketlog.refuse(add(["--route", "sublingual", "--dose-mg", "NaN"]), status: 65, field: "dose-mg: must be a number above 0")
    }

    func testOtherFieldsAreChecked() throws {
        try ketlog.refuse(add(["--route", "iv", "--dose-mg-per-kg", "0.5", "--weight-kg", "70"]), status: 64, field: "--duration-min")
        try ketlog.refuse(iv(["--dose-mg-per-kg", "0.5", "--weight-kg", "70", "--duration-min", "0"]), status: 65, field: "duration-min")
        try ketlog.refuse(add(["--route", "ivv", "--dose-mg", "30"]), status: 65, field: "route")
        let route = try ketlog.refuse(add(["--route", "rectal", "--dose-mg", "30"]), status: 65, field: "route")
        XCTAssertTrue(route.stderr.contains("iv, im, intranasal, oral, sublingual, subcutaneous"), route.stderr)
        try ketlog.refuse(["session", "add", "--patient", "P-0007", "--date", "2026-11-20", "--practitioner", "   ",
                           "--route", "sublingual", "--dose-mg", "100"], status: 65, field: "practitioner")
        try ketlog.refuse(["session", "add", "--patient", "P-0007", "--date", "2026-11-20", "--practitioner", "",
                           "--route", "sublingual", "--dose-mg", "100"], status: 65, field: "practitioner")
        func dated(_ date: String) -> [String] {
            ["session", "add", "--patient", "P-0007", "--date", date, "--practitioner", "Dr Lee", "--route", "sublingual",
             "--dose-mg", "100"]
        }
        for date in ["2026-12-01", "2999-01-01", "2026-02-30", "2026-13-01", "20261101", "2026-1-01", "26-11-01", "today"] {
            try ketlog.refuse(dated(date), status: 65, field: "date")
        }
        XCTAssertEqual(try ketlog.ok(dated(RecordsHarness.today)), "ses-1\n")
        XCTAssertEqual(try ketlog.ok(dated("1980-05-10")), "ses-2\n")
        let early = try ketlog.refuse(dated("1980-05-09"), status: 65, field: "date")
        XCTAssertTrue(early.stderr.contains("birth date"), early.stderr)
        try ketlog.refuse(["session", "add", "--patient", "P-0404", "--date", "2026-11-20", "--practitioner", "Dr Lee",
                           "--route", "sublingual", "--dose-mg", "100"], status: 65, field: "patient")
        try ketlog.refuse(add(["--route", "sublingual", "--dose-mg", "100", "--time", "24:00"]), status: 65, field: "time")
        try ketlog.refuse(add(["--route", "sublingual", "--dose-mg", "100", "--counselor", "J.\u{1B}[2JOrtiz"]),
                          status: 65, field: "counselor")
        try ketlog.refuse(add(["--route", "sublingual", "--dose-mg", "100", "--counselor", "J. Ortiz\nDr Who"]),
                          status: 65, field: "counselor")
        // argv cannot carry a NUL; a notes file can.
        let nul = try ketlog.write("nul.txt", "before\u{0}after")
        try ketlog.refuse(add(["--route", "sublingual", "--dose-mg", "100", "--notes-file", nul]), status: 65, field: "notes",
                          clinical: ["before", "after"])
        let long = try ketlog.write("long.txt", String(repeating: "x", count: 20_001))
        try ketlog.refuse(add(["--route", "sublingual", "--dose-mg", "100", "--notes-file", long]), status: 65, field: "notes")
        try ketlog.refuse(add(["--route", "sublingual", "--dose-mg", "100", "--adverse-event", "nausea; vomiting"]),
                          status: 65, field: "--adverse-event")
        try ketlog.refuse(add(["--route", "sublingual", "--dose-mg", "100", "--notes", "a", "--edit-notes"]),
                          status: 64, field: "--notes")
    }

    func testNotesFromFileAndEditor() throws {
        let notes = try ketlog.write("notes.txt", "Integration went well.\nTalked about triggers.\n")
        let fromFile = try ketlog.object(add(["--route", "sublingual", "--dose-mg", "100", "--notes-file", notes,
                                              "--counselor", "J. Ortiz", "--time", "09:30",
                                              "--adverse-event", "mild nausea", "--adverse-event", "dizziness"]))
        XCTAssertEqual(fromFile["notes"] as? String, "Integration went well.\nTalked about triggers.")
        XCTAssertEqual(fromFile["counselor"] as? String, "J. Ortiz")
        XCTAssertEqual(fromFile["time"] as? String, "09:30")
        XCTAssertEqual(fromFile["adverse_events"] as? [String], ["mild nausea", "dizziness"])

        let missing = ketlog.directory.appendingPathComponent("no-such-notes.txt").path
        try ketlog.refuse(add(["--route", "sublingual", "--dose-mg", "100", "--notes-file", missing]),
                          status: 66, field: missing)

        let editor = try ketlog.write("editor.sh", "#!/bin/sh\nprintf 'typed in the editor\\nsecond line\\n' >> \"$1\"\n",
                                      executable: true)
        let edited = try ketlog.object(add(["--route", "sublingual", "--dose-mg", "100", "--edit-notes"]),
                                       env: ["EDITOR": editor, "VISUAL": ""])
        XCTAssertEqual(edited["notes"] as? String, "typed in the editor\nsecond line")

        // Amending with the editor starts from the current notes.
        try ketlog.ok(["session", "amend", "ses-1", "--reason", "counselor notes added", "--edit-notes"],
                      env: ["VISUAL": editor])
        let amended = try ketlog.object(["session", "show", "ses-1"])
        XCTAssertEqual(amended["notes"] as? String,
                       "Integration went well.\nTalked about triggers.typed in the editor\nsecond line")

        // An editor that fails (the user quit without saving) writes nothing.
        let failing = try ketlog.write("fail.sh", "#!/bin/sh\nexit 3\n", executable: true)
        let before = try ketlog.snapshot()
        let aborted = try ketlog.run(add(["--route", "sublingual", "--dose-mg", "100", "--edit-notes"]), env: ["EDITOR": failing])
        XCTAssertNotEqual(aborted.status, 0)
        XCTAssertEqual(aborted.errorLines.count, 1, aborted.stderr)
        XCTAssertTrue(aborted.stderr.contains("editor"), aborted.stderr)
        XCTAssertEqual(try ketlog.snapshot(), before)
    }

    func testListShowAmendVoidAndHistory() throws {
        try ketlog.ok(["patient", "add", "P-0008", "--substance", "alcohol"])
        try ketlog.ok(iv(["--dose-mg-per-kg", "0.5", "--weight-kg", "70"]))
        try ketlog.ok(["session", "add", "--patient", "P-0008", "--date", "2026-10-01", "--practitioner", "Dr Kim",
                       "--route", "intranasal", "--dose-mg", "56"])
        try ketlog.ok(["session", "add", "--patient", "P-0007", "--date", "2026-09-15", "--practitioner", "Dr Kim",
                       "--route", "im", "--dose-mg-per-kg", "0.5", "--weight-kg", "70"])

        let all = try ketlog.rows(["session", "list"])
        XCTAssertEqual(all.map { $0["id"] as? String }, ["ses-3", "ses-2", "ses-1"], "sorted by date")
        XCTAssertEqual(try ketlog.rows(["session", "list", "--patient", "p-0007"]).map { $0["id"] as? String }, ["ses-3", "ses-1"])
        XCTAssertEqual(try ketlog.rows(["session", "list", "--from", "2026-09-20", "--to", "2026-10-31"])
            .map { $0["id"] as? String }, ["ses-2"])
        let csv = try ketlog.ok(["session", "list", "--format", "csv"]).split(separator: "\n")
        XCTAssertEqual(csv.first, "id,patient,date,route,dose_mg_per_kg,dose_mg,practitioner,void", "the keys of show and export")
        XCTAssertEqual(csv.count, 4)
        try ketlog.refuse(["session", "list", "--patient", "P-0404"], status: 65, field: "patient")

        XCTAssertEqual(try ketlog.ok(["session", "amend", "ses-1", "--reason", "weight re-measured", "--weight-kg", "72",
                                      "--dose-mg-per-kg", "0.5"]), "amended ses-1 (version 2)\n")
        let amended = try ketlog.object(["session", "show", "ses-1"])
        XCTAssertEqual(amended["dose_mg"] as? Double, 36)
        XCTAssertEqual(amended["version"] as? Int, 2)
        try ketlog.refuse(["session", "amend", "ses-1", "--reason", "bad", "--route", "nasal"], status: 65, field: "route")
        try ketlog.refuse(["session", "amend", "ses-1", "--reason", "bad", "--date", "2027-01-01"], status: 65, field: "date")
        try ketlog.voidAndAssertFinal("session", "ses-1", version: 3, amend: ["--duration-min", "30"])

        let history = try ketlog.rows(["session", "show", "ses-1", "--history"])
        XCTAssertEqual(history.map { $0["reason"] as? String }, [nil, "weight re-measured", "entered in error"])
        XCTAssertEqual(history.map { $0["weight_kg"] as? Double }, [70, 72, 72])
        XCTAssertEqual(history.map { $0["by"] as? String }, ["admin", "admin", "admin"])
        XCTAssertNil(try ketlog.rows(["session", "list"]).first { $0["id"] as? String == "ses-1" }, "lists show live records")
        XCTAssertEqual(try ketlog.rows(["session", "list", "--include-void"]).first { $0["id"] as? String == "ses-1" }?["void"] as? Bool,
                       true)

        try ketlog.refuse(["session", "show", "ses-99"], status: 65, field: "ses-99")
        try ketlog.refuse(["session", "show", "sco-1"], status: 65, field: "id")
        try ketlog.refuse(["session", "void", "ses-2"], status: 64, field: "--reason")
    }
}
