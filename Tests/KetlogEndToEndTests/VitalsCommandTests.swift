import Foundation
import XCTest

/// `ketlog vitals add|list|show|amend|void` and `import`/`export --kind vitals` against the built binary.
final class VitalsCommandTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws {
        ketlog = try RecordsHarness()
        try ketlog.ok(["patient", "add", "P-0007", "--birth-date", "1980-05-10", "--substance", "cocaine"])
        try ketlog.ok(["session", "add", "--patient", "P-0007", "--date", "2026-11-20", "--time", "09:30", "--route", "intranasal",
                       "--dose-mg", "56", "--practitioner", "Dr Lee"])
    }

    override func tearDown() { ketlog = nil }

    private func add(_ fields: [String], session: String = "ses-1") -> [String] {
        ["vitals", "add", "--session", session] + fields
    }

    func testAddAcceptsEveryMeasurementAtItsBoundsAndPrintsTheRecord() throws {
        let created = try ketlog.object(add(["--at", "pre", "--bp", "260/160", "--hr", "250", "--spo2", "100", "--rr", "60",
                                             "--moaas", "5", "--cadss", "92", "--note", "before dosing"]))
        XCTAssertEqual(created["id"] as? String, "vit-1")
        XCTAssertEqual(created["patient"] as? String, "P-0007")
        XCTAssertEqual(created["session"] as? String, "ses-1")
        XCTAssertEqual(created["taken_at"] as? String, "pre")
        XCTAssertEqual(created["bp_systolic"] as? Int, 260)
        XCTAssertEqual(created["bp_diastolic"] as? Int, 160)
        XCTAssertEqual(created["heart_rate"] as? Int, 250)
        XCTAssertEqual(created["spo2"] as? Int, 100)
        XCTAssertEqual(created["respiratory_rate"] as? Int, 60)
        XCTAssertEqual(created["moaas"] as? Int, 5)
        XCTAssertEqual(created["cadss"] as? Int, 92)
        XCTAssertEqual(created["note"] as? String, "before dosing")
        XCTAssertEqual(created["by"] as? String, "admin")
        XCTAssertEqual(try ketlog.ok(add(["--at", "0", "--bp", "50/20", "--hr", "20", "--spo2", "50", "--rr", "4", "--moaas", "0",
                                          "--cadss", "0"])), "vit-2\n")
        XCTAssertEqual(try ketlog.ok(add(["--at", "720", "--moaas", "3"])), "vit-3\n")
        XCTAssertEqual(try ketlog.ok(add(["--at", "Discharge", "--hr", "70"], session: "1")), "vit-4\n")
        let shown = try ketlog.object(["vitals", "show", "vit-3"])
        XCTAssertEqual(shown["taken_at"] as? String, "720")
        XCTAssertTrue(shown["bp_systolic"] is NSNull)
    }

    /// The weekly report loads only the week's sessions' vitals; that the clinic charts vitals at
    /// all still turns its safety section on, so a week without any lists each session as such.
    func testTheWeeklySafetySectionSeesVitalsOutsideTheWeekAndChecksTheWeeksOwn() throws {
        // Today is Monday 2026-11-30: last week is 2026-11-23…29. ses-1 (2026-11-20) lies before it.
        var weekly = try ketlog.object(["report", "weekly", "--format", "json"])
        XCTAssertNil(weekly["safety"], "no vitals and no screens anywhere: no safety section")
        try ketlog.ok(add(["--at", "pre", "--bp", "190/120"]))
        try ketlog.ok(["session", "add", "--patient", "P-0007", "--date", "2026-11-25", "--time", "10:00", "--route", "intranasal",
                       "--dose-mg", "56", "--practitioner", "Dr Lee"])
        weekly = try ketlog.object(["report", "weekly", "--format", "json"])
        var safety = try XCTUnwrap(weekly["safety"] as? [[String: Any]], "vitals exist (last week's): the section is on")
        XCTAssertEqual(safety.map { $0["session"] as? String }, ["ses-2"])
        XCTAssertEqual(safety.map { $0["reason"] as? String }, ["no vitals recorded"], "ses-1's BP is not this week's")
        try ketlog.ok(add(["--at", "pre", "--bp", "165/95"], session: "ses-2"))
        try ketlog.ok(add(["--at", "40", "--bp", "185/112"], session: "ses-2"))
        weekly = try ketlog.object(["report", "weekly", "--format", "json"])
        safety = try XCTUnwrap(weekly["safety"] as? [[String: Any]])
        XCTAssertEqual(safety.map { $0["session"] as? String }, ["ses-2", "ses-2"])
        XCTAssertEqual(Set(safety.compactMap { $0["reason"] as? String }), ["pre-dose BP >= 160/100", "BP >= 180/110"])
        // A void vitals record does not count as charting: with every one voided, the section goes.
        for id in ["vit-1", "vit-2", "vit-3"] { try ketlog.ok(["vitals", "void", id, "--reason", "wrong session"]) }
        XCTAssertNil(try ketlog.object(["report", "weekly", "--format", "json"])["safety"])
    }

    func testBadVitalsAreRefusedNamingTheFieldAndItsRangeAndNothingIsWritten() throws {
        try ketlog.ok(add(["--at", "pre", "--hr", "70"]))
        let refusals: [([String], Int32, String)] = [
            (["--at", "40", "--bp", "120/120"], 65, "--bp systolic: must be above --bp diastolic"),
            (["--at", "40", "--bp", "90/100"], 65, "--bp systolic: must be above --bp diastolic"),
            (["--at", "40", "--bp", "261/80"], 65, "--bp systolic: must be a whole number from 50 to 260"),
            (["--at", "40", "--bp", "49/30"], 65, "--bp systolic: must be a whole number from 50 to 260"),
            (["--at", "40", "--bp", "200/161"], 65, "--bp diastolic: must be a whole number from 20 to 160"),
            (["--at", "40", "--bp", "120/19"], 65, "--bp diastolic: must be a whole number from 20 to 160"),
            (["--at", "40", "--bp", "120"], 65, "--bp: must be SYS/DIA"),
            (["--at", "40", "--hr", "19"], 65, "--hr: must be a whole number from 20 to 250"),
            (["--at", "40", "--hr", "251"], 65, "--hr: must be a whole number from 20 to 250"),
            (["--at", "40", "--spo2", "49"], 65, "--spo2: must be a whole number from 50 to 100"),
            (["--at", "40", "--spo2", "101"], 65, "--spo2: must be a whole number from 50 to 100"),
            (["--at", "40", "--rr", "3"], 65, "--rr: must be a whole number from 4 to 60"),
            (["--at", "40", "--rr", "61"], 65, "--rr: must be a whole number from 4 to 60"),
            (["--at", "40", "--moaas", "6"], 65, "--moaas: must be a whole number from 0 to 5"),
            (["--at", "40", "--cadss", "93"], 65, "--cadss: must be a whole number from 0 to 92"),
            (["--at", "40"], 65, "vitals: must be at least one measurement: --bp, --hr, --spo2, --rr, --moaas, --cadss"),
            (["--at", "721", "--hr", "70"], 65, "--at: must be pre, discharge, or whole minutes after the first dose from 0 to 720"),
            (["--at=-5", "--hr", "70"], 65, "--at: must be pre, discharge"),
            (["--at", "post", "--hr", "70"], 65, "--at: must be pre, discharge"),
        ]
        for (fields, status, message) in refusals {
            let result = try ketlog.refuse(add(fields), status: status, field: String(message.prefix { $0 != ":" }))
            XCTAssertTrue(result.errorLines.first?.contains(message) ?? false, "\(fields): \(result.stderr)")
        }
        try ketlog.refuse(add(["--hr", "70"]), status: 64, field: "--at")
        try ketlog.refuse(add(["--at", "pre", "--hr", "70"], session: "ses-9"), status: 65, field: "ses-9")
        try ketlog.refuse(add(["--at", "pre", "--hr", "70"], session: "sco-1"), status: 65, field: "--session")
        try ketlog.ok(["session", "void", "ses-1", "--reason", "entered in error"])
        try ketlog.refuse(add(["--at", "pre", "--hr", "70"]), status: 65, field: "--session: must be a session that is not void")
        XCTAssertEqual(try ketlog.rows(["vitals", "list"]).count, 1)
    }

    func testListShowAmendVoidAndHistory() throws {
        try ketlog.ok(["patient", "add", "P-0008", "--substance", "heroin"])
        try ketlog.ok(["session", "add", "--patient", "P-0008", "--date", "2026-11-25", "--route", "intranasal", "--dose-mg", "28",
                       "--practitioner", "Dr Lee"])
        try ketlog.ok(add(["--at", "discharge", "--bp", "124/80"]))
        try ketlog.ok(add(["--at", "pre", "--bp", "128/82"]))
        try ketlog.ok(add(["--at", "40", "--bp", "151/94", "--moaas", "4"]))
        try ketlog.ok(add(["--at", "pre", "--spo2", "97"], session: "ses-2"))

        XCTAssertEqual(try ketlog.rows(["vitals", "list"]).map { $0["id"] as? String }, ["vit-2", "vit-3", "vit-1", "vit-4"],
                       "by session date, then in the order taken")
        XCTAssertEqual(try ketlog.rows(["vitals", "list", "--session", "ses-2"]).map { $0["id"] as? String }, ["vit-4"])
        XCTAssertEqual(try ketlog.rows(["vitals", "list", "--patient", "P-0007"]).count, 3)
        XCTAssertEqual(try ketlog.rows(["vitals", "list", "--from", "2026-11-21"]).map { $0["id"] as? String }, ["vit-4"])
        XCTAssertEqual(try ketlog.rows(["vitals", "list", "--to", "2026-11-20"]).map { $0["bp"] as? String },
                       ["128/82", "151/94", "124/80"])
        XCTAssertEqual(try ketlog.ok(["vitals", "list", "--session", "ses-2"]), """
            id     session  date        at   bp  hr  spo2  moaas  cadss  void
            vit-4  ses-2    2026-11-25  pre          97                  no

            """)

        XCTAssertEqual(try ketlog.ok(["vitals", "amend", "vit-3", "--reason", "transcription error", "--bp", "141/90", "--at", "45"]),
                       "amended vit-3 (version 2)\n")
        try ketlog.refuse(["vitals", "amend", "vit-3", "--reason", "typo", "--bp", "80/90"], status: 65, field: "--bp systolic")
        try ketlog.voidAndAssertFinal("vitals", "vit-3", version: 3, amend: ["--hr", "70"])
        let history = try ketlog.rows(["vitals", "show", "vit-3", "--history"])
        XCTAssertEqual(history.map { $0["bp_systolic"] as? Int }, [151, 141, 141])
        XCTAssertEqual(history.map { $0["taken_at"] as? String }, ["40", "45", "45"])
        XCTAssertEqual(history.map { $0["moaas"] as? Int }, [4, 4, 4], "an amendment keeps what it does not change")
        XCTAssertEqual(history.map { $0["reason"] as? String }, [nil, "transcription error", "entered in error"])
        XCTAssertEqual(try ketlog.rows(["vitals", "list"]).count, 3, "void vitals are not listed")
        XCTAssertEqual(try ketlog.rows(["vitals", "list", "--include-void"]).count, 4)
        let log = try ketlog.ok(["audit", "log"])
        for action in ["vitals.add", "vitals.amend", "vitals.void"] { XCTAssertTrue(log.contains(action), log) }
        try ketlog.ok(["audit", "verify"])
    }

    /// Exports sessions and vitals, imports patients, sessions and vitals into a new store, and
    /// exports them again: the same rows. Vitals find their session by date and time.
    func testCSVAndJSONExportImportIntoANewStoreRoundTrip() throws {
        try ketlog.ok(["session", "add", "--patient", "P-0007", "--date", "2026-11-20", "--time", "14:00", "--route", "intranasal",
                       "--dose-mg", "56", "--practitioner", "Dr Lee", "--lot", "EK2291", "--monitoring-min", "130",
                       "--ready-min", "100", "--comedication", "benzodiazepine", "--comedication", "opioid"])
        try ketlog.ok(add(["--at", "pre", "--bp", "128/82", "--hr", "74", "--spo2", "98", "--rr", "14", "--moaas", "5",
                           "--note", "=calm, \"steady\""]))
        try ketlog.ok(add(["--at", "40", "--bp", "151/94", "--cadss", "21"], session: "ses-2"))
        try ketlog.ok(add(["--at", "discharge", "--moaas", "5"], session: "ses-2"))
        try ketlog.ok(add(["--at", "discharge", "--moaas", "4"]))
        try ketlog.ok(["vitals", "void", "vit-4", "--reason", "duplicate"])
        // Vitals of a void session leave with it (they could not find it in a new store).
        try ketlog.ok(["session", "add", "--patient", "P-0007", "--date", "2026-11-21", "--route", "intranasal", "--dose-mg", "56",
                       "--practitioner", "Dr Lee"])
        try ketlog.ok(add(["--at", "pre", "--hr", "80"], session: "ses-3"))
        try ketlog.ok(["session", "void", "ses-3", "--reason", "wrong patient"])
        try ketlog.assertExportsImportIntoANewStore(["patients", "sessions", "vitals"])
        let csv = try ketlog.ok(["export", "--kind", "vitals"])
        XCTAssertEqual(csv, #"""
            patient,session_date,session_time,at,bp_systolic,bp_diastolic,heart_rate,spo2,respiratory_rate,moaas,cadss,note
            P-0007,2026-11-20,09:30,pre,128,82,74,98,14,5,,"'=calm, ""steady"""
            P-0007,2026-11-20,14:00,40,151,94,,,,,21,
            P-0007,2026-11-20,14:00,discharge,,,,,,5,,

            """#)
    }

    func testAVitalsImportRowWhoseSessionIsMissingOrAmbiguousStopsTheImport() throws {
        try ketlog.ok(["session", "add", "--patient", "P-0007", "--date", "2026-11-20", "--time", "14:00", "--route", "intranasal",
                       "--dose-mg", "56", "--practitioner", "Dr Lee"])
        try ketlog.ok(["session", "add", "--patient", "P-0007", "--date", "2026-11-22", "--route", "intranasal",
                       "--dose-mg", "56", "--practitioner", "Dr Lee"])
        try ketlog.ok(["session", "void", "ses-3", "--reason", "entered in error"])
        let header = "patient,session_date,session_time,at,bp_systolic,bp_diastolic,heart_rate,spo2,respiratory_rate,moaas,cadss,note\n"
        let good = "P-0007,2026-11-20,09:30,pre,128,82,,,,,,\n"
        let cases: [(String, String)] = [
            ("P-0007,2026-11-21,,pre,128,82,,,,,,\n", "line 3: session_date: must be the date and time of one live session"),
            ("P-0007,2026-11-20,10:00,pre,128,82,,,,,,\n", "line 3: session_time: must be the date and time of one live session"),
            ("P-0007,2026-11-20,,pre,128,82,,,,,,\n", "line 3: session_time: must be one time that picks exactly one"),
            ("P-0007,2026-11-22,,pre,128,82,,,,,,\n", "line 3: session_date: must be the date and time of one live session"),
            ("P-0007,2026-11-20,09:30,pre,80,90,,,,,,\n", "line 3: bp_systolic: must be above bp_diastolic"),
            ("P-0007,2026-11-20,09:30,pre,,,,,,,,\n", "line 3: measurements: must be at least one measurement: bp_systolic"),
            ("P-0007,2026-11-20,09:30,900,,,70,,,,,\n", "line 3: at: must be pre, discharge, or whole minutes"),
        ]
        for (index, (row, message)) in cases.enumerated() {
            let file = try ketlog.write("bad-\(index).csv", header + good + row)
            let result = try ketlog.refuse(["import", file, "--kind", "vitals"], status: 65, field: "line 3")
            XCTAssertTrue(result.errorLines.first?.contains(message) ?? false, "\(row): \(result.stderr)")
        }
        let file = try ketlog.write("good.csv", header + good + "P-0007,2026-11-20,14:00,discharge,,,,,,5,,\n")
        XCTAssertEqual(try ketlog.ok(["import", file, "--kind", "vitals"]), "imported 2 vitals\n")
        XCTAssertEqual(try ketlog.rows(["vitals", "list"]).map { $0["session"] as? String }, ["ses-1", "ses-2"])
    }

    func testMissingSessionAndMomentAreAskedForOnATerminalAndListedWithoutOne() throws {
        let listed = try ketlog.refuse(["vitals", "add", "--hr", "70"], status: 64, field: "missing")
        XCTAssertTrue(listed.errorLines[0].contains("--session, --at"), listed.stderr)
        let run = try RecordsPseudoTerminal.run(ketlog, ["vitals", "add", "--hr", "70", "--spo2", "97"], dialogue: [
            ("Session id (ses-N)", "session one"),
            ("--session: must be a session id like ses-12; try again", ""),
            ("Session id (ses-N)", "ses-1"),
            ("When (pre, minutes after the first dose, or discharge)", "800"),
            ("--at: must be pre, discharge, or whole minutes after the first dose from 0 to 720; try again", ""),
            ("When (pre, minutes after the first dose, or discharge)", "40"),
        ])
        XCTAssertEqual(run.status, 0, run.transcript)
        let vitals = try ketlog.object(["vitals", "show", "vit-1"])
        XCTAssertEqual(vitals["session"] as? String, "ses-1")
        XCTAssertEqual(vitals["taken_at"] as? String, "40")
        XCTAssertEqual(vitals["spo2"] as? Int, 97)
    }

    /// A rekey re-seals the new kinds' versions with the rest (1 patient, 1 session, 2 vitals, 1 screen, 3 days).
    func testARekeyReSealsVitalsScreensAndDays() throws {
        try ketlog.ok(add(["--at", "pre", "--bp", "128/82"]))
        try ketlog.ok(["vitals", "amend", "vit-1", "--reason", "typo", "--hr", "70"])
        try ketlog.ok(["screen", "add", "--patient", "P-0007", "--date", "2026-11-20", "--substance", "cocaine", "--result", "negative"])
        try ketlog.ok(["day", "add", "--patient", "P-0007", "--date", "2026-11-20", "--to", "2026-11-22", "--abstinent"])
        let rekey = try ketlog.ok(["rekey"])
        XCTAssertTrue(rekey.contains("rekeyed: 8 record versions"), rekey)
        XCTAssertTrue(try ketlog.ok(["audit", "verify"]).hasPrefix("ok: "))
        XCTAssertEqual(try ketlog.object(["vitals", "show", "vit-1"])["heart_rate"] as? Int, 70)
        XCTAssertEqual(try ketlog.rows(["day", "list"]).count, 3)
    }
}
