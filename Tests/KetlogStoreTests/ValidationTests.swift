import KetlogStore
import XCTest

/// The clinical rules in `Validation`, called directly.
final class ValidationTests: XCTestCase {
    private let today = "2026-11-30"

    /// Asserts `body` throws `invalidValue` for `field`, and that the message never holds `value`.
    private func assertInvalid<T>(_ field: String, value: String? = nil, file: StaticString = #filePath, line: UInt = #line,
                                  _ body: () throws -> T) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard case StoreError.invalidValue(let named, let allowed) = error else {
                return XCTFail("expected invalidValue(\(field)), got \(error)", file: file, line: line)
            }
            XCTAssertEqual(named, field, file: file, line: line)
            if let value, value.count >= 2 {
                XCTAssertFalse(allowed.contains(value), "the message echoes \(value): \(allowed)", file: file, line: line)
            }
        }
    }

    private func session(route: String = "iv", perKg: Double? = nil, weight: Double? = nil, mg: Double = 0,
                         duration: Int? = 40, date: String = "2026-11-20", practitioner: String = "Dr Lee",
                         notes: String? = nil) -> KetamineSession {
        KetamineSession(date: date, route: route, doseMgPerKg: perKg, weightKg: weight, doseMg: mg, durationMin: duration,
                        practitioner: practitioner, notes: notes)
    }

    private func valid(_ s: KetamineSession, allow: Bool = false, birth: String? = nil) throws -> KetamineSession {
        try Validation.session(s, birthDate: birth, allowUnusualDose: allow, today: today)
    }

    // MARK: Dose arithmetic

    func testMgPerKgTimesWeightIsRoundedToHundredths() throws {
        XCTAssertEqual(try valid(session(perKg: 0.41, weight: 73)).doseMg, 29.93)
        XCTAssertEqual(try valid(session(perKg: 0.333, weight: 70.1)).doseMg, 23.34)
        XCTAssertEqual(try valid(session(perKg: 0.5, weight: 80)).doseMg, 40)
    }

    func testMgWithWeightComputesMgPerKg() throws {
        let computed = try valid(session(weight: 73, mg: 36.5))
        XCTAssertEqual(computed.doseMgPerKg, 0.5)
        XCTAssertEqual(computed.doseMg, 36.5)
        XCTAssertEqual(try valid(session(weight: 70, mg: 50)).doseMgPerKg, 0.714)
        let mgOnly = try valid(session(route: "sublingual", mg: 150, duration: nil))
        XCTAssertNil(mgOnly.doseMgPerKg)
        XCTAssertEqual(mgOnly.doseMg, 150)
    }

    func testAllThreeMustAgreeWithinRounding() throws {
        XCTAssertEqual(try valid(session(perKg: 0.41, weight: 73, mg: 29.9)).doseMg, 29.9)
        XCTAssertEqual(try valid(session(perKg: 0.41, weight: 73, mg: 30)).doseMg, 30)
        assertInvalid("dose-mg") { try valid(session(perKg: 0.41, weight: 73, mg: 31)) }
        assertInvalid("dose-mg") { try valid(session(perKg: 0.41, weight: 73, mg: 28)) }
    }

    func testMissingPartsOfTheDose() {
        assertInvalid("weight-kg") { try valid(session(perKg: 0.5)) }
        assertInvalid("weight-kg") { try valid(session(mg: 35)) }
        assertInvalid("dose") { try valid(session()) }
    }

    // MARK: Bands

    func testBandEdgesPerRoute() throws {
        let edges: [(String, Double, Bool)] = [
            ("iv", 0.1, true), ("iv", 1.0, true), ("iv", 1.01, false), ("iv", 0.09, false),
            ("im", 0.1, true), ("im", 2.0, true), ("im", 2.01, false),
            ("oral", 0.25, true), ("oral", 7, true), ("oral", 0.24, false), ("oral", 7.01, false),
            ("subcutaneous", 0.1, true), ("subcutaneous", 1.0, true), ("subcutaneous", 1.01, false),
        ]
        for (route, perKg, inBand) in edges {
            let draft = session(route: route, perKg: perKg, weight: 70)
            if inBand {
                XCTAssertFalse(try valid(draft).unusualDoseAllowed, "\(route) \(perKg)")
            } else {
                assertInvalid("dose") { try valid(draft) }
                XCTAssertTrue(try valid(draft, allow: true).unusualDoseAllowed, "\(route) \(perKg)")
            }
        }
    }

    func testMgBandsAndIntranasalMultiples() throws {
        for mg in [25.0, 100, 400] { XCTAssertFalse(try valid(session(route: "sublingual", mg: mg)).unusualDoseAllowed) }
        for mg in [24.0, 401] { assertInvalid("dose") { try valid(session(route: "sublingual", mg: mg)) } }
        for mg in [28.0, 56, 84] { XCTAssertFalse(try valid(session(route: "intranasal", mg: mg)).unusualDoseAllowed) }
        for mg in [27.0, 42, 56.5, 112, 14] {
            assertInvalid("dose") { try valid(session(route: "intranasal", mg: mg)) }
            XCTAssertTrue(try valid(session(route: "intranasal", mg: mg), allow: true).unusualDoseAllowed)
        }
        // The allowance is recorded only when it was needed.
        XCTAssertFalse(try valid(session(route: "intranasal", mg: 56), allow: true).unusualDoseAllowed)
        // mg/kg and weight on an mg-band route: the band applies to the computed mg.
        XCTAssertEqual(try valid(session(route: "intranasal", perKg: 0.8, weight: 70)).doseMg, 56)
    }

    func testAbsurdDosesAreRefusedEvenWhenAllowed() {
        let absurd: [(String, KetamineSession)] = [
            ("dose-mg-per-kg", session(perKg: 10.01, weight: 70)),
            ("dose-mg-per-kg", session(weight: 70, mg: 800)),
            ("dose-mg-per-kg", session(perKg: 0, weight: 70)),
            ("dose-mg-per-kg", session(perKg: -1, weight: 70)),
            ("dose-mg-per-kg", session(perKg: .nan, weight: 70)),
            ("dose-mg-per-kg", session(perKg: .infinity, weight: 70)),
            ("dose-mg", session(route: "sublingual", mg: 1000.5)),
            ("dose-mg", session(route: "sublingual", mg: -5)),
            ("dose-mg", session(route: "sublingual", mg: .nan)),
            ("dose-mg", session(route: "sublingual", mg: .infinity)),
            ("dose-mg", session(perKg: 0.5, weight: 70, mg: -35)),
            ("weight-kg", session(perKg: 0.5, weight: 0)),
            ("weight-kg", session(perKg: 0.5, weight: -70)),
            ("weight-kg", session(perKg: 0.5, weight: .nan)),
            ("weight-kg", session(perKg: 0.5, weight: 400.5)),
        ]
        for (field, draft) in absurd {
            assertInvalid(field) { try valid(draft, allow: true) }
        }
    }

    func testDurationIsRequiredForIVAndBounded() throws {
        assertInvalid("duration-min") { try valid(session(perKg: 0.5, weight: 70, duration: nil)) }
        XCTAssertNil(try valid(session(route: "im", perKg: 0.5, weight: 70, duration: nil)).durationMin)
        for minutes in [0, -1, 1441] { assertInvalid("duration-min") { try valid(session(perKg: 0.5, weight: 70, duration: minutes)) } }
        XCTAssertEqual(try valid(session(perKg: 0.5, weight: 70, duration: 1440)).durationMin, 1440)
    }

    func testRouteVocabularyIsNormalised() throws {
        XCTAssertEqual(try valid(session(route: " IV ", perKg: 0.5, weight: 70)).route, "iv")
        assertInvalid("route", value: "ivv") { try valid(session(route: "ivv", perKg: 0.5, weight: 70)) }
        assertInvalid("route") { try valid(session(route: "", perKg: 0.5, weight: 70)) }
    }

    // MARK: Dates

    func testDatesAreStrictISOAndNotInTheFuture() throws {
        XCTAssertEqual(try Validation.date("2024-02-29", field: "date", today: today), "2024-02-29")
        XCTAssertEqual(try Validation.date("2000-02-29", field: "date", today: today), "2000-02-29")
        XCTAssertEqual(try Validation.date(today, field: "date", today: today), today)
        for bad in ["2025-02-29", "1900-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-04-31", "20261101",
                    "2026-1-01", "2026-01-1", " 2026-01-01", "2026/01/01", "1899-12-31", "+026-01-01", "２０２６-01-01",
                    "2026-12-01", "2999-01-01", ""] {
            assertInvalid("date", value: bad) { try Validation.date(bad, field: "date", today: today) }
        }
        XCTAssertEqual(try Validation.date("2999-01-01", field: "x", allowFuture: true, today: today), "2999-01-01")
        XCTAssertEqual(Validation.today(environment: ["KETLOG_TODAY": "2026-01-02"]), "2026-01-02")
        XCTAssertNotEqual(Validation.today(environment: ["KETLOG_TODAY": "2026-02-30"]), "2026-02-30")
    }

    func testSessionAndScoreDatesNotBeforeBirth() throws {
        XCTAssertEqual(try valid(session(perKg: 0.5, weight: 70, date: "1980-05-10"), birth: "1980-05-10").date, "1980-05-10")
        assertInvalid("date") { try valid(session(perKg: 0.5, weight: 70, date: "1980-05-09"), birth: "1980-05-10") }
        let score = Score(date: "1980-05-09", craving: 1, useDays: 1)
        assertInvalid("date") { try Validation.score(score, birthDate: "1980-05-10", today: today) }
        XCTAssertNoThrow(try Validation.score(score, birthDate: nil, today: today))
    }

    func testTime() throws {
        XCTAssertEqual(try Validation.time("00:00"), "00:00")
        XCTAssertEqual(try Validation.time("23:59"), "23:59")
        for bad in ["24:00", "9:30", "09:60", "0930", "09:3a", "٠٩:٣٠", "09:30:00"] {
            assertInvalid("time", value: bad) { try Validation.time(bad) }
        }
    }

    // MARK: Scores

    func testScoreRanges() throws {
        func score(_ craving: Int, _ useDays: Int, window: Int = 28) throws -> Score {
            try Validation.score(Score(date: "2026-11-20", craving: craving, useDays: useDays, windowDays: window), birthDate: nil,
                                 today: today)
        }
        XCTAssertEqual(try score(0, 0).craving, 0)
        XCTAssertEqual(try score(10, 28).useDays, 28)
        XCTAssertEqual(try score(5, 1, window: 1).windowDays, 1)
        XCTAssertEqual(try score(5, 90, window: 90).useDays, 90)
        assertInvalid("craving") { try score(11, 0) }
        assertInvalid("craving") { try score(-1, 0) }
        assertInvalid("use-days") { try score(1, 29) }
        assertInvalid("use-days") { try score(1, -1) }
        assertInvalid("use-days") { try score(1, 15, window: 14) }
        assertInvalid("window-days") { try score(1, 0, window: 0) }
        assertInvalid("window-days") { try score(1, 0, window: 91) }
        let withSubstance = try Validation.score(Score(date: "2026-11-20", craving: 1, useDays: 1, substance: "Cannabis"),
                                                 birthDate: nil, today: today)
        XCTAssertEqual(withSubstance.substance, "cannabis")
        assertInvalid("substance") {
            try Validation.score(Score(date: "2026-11-20", craving: 1, useDays: 1, substance: "coffee"), birthDate: nil, today: today)
        }
    }

    // MARK: Patients

    func testPatientRules() throws {
        let patient = try Validation.patient(Patient(code: " P-0007 ", name: "  Ada  ", birthDate: "1984-03-02", sex: "Female",
                                                     substances: ["Cocaine", "alcohol", "cocaine"], notes: "line one\nline two"),
                                             today: today)
        XCTAssertEqual(patient.code, "P-0007")
        XCTAssertEqual(patient.name, "Ada")
        XCTAssertEqual(patient.sex, "female")
        XCTAssertEqual(patient.substances, ["cocaine", "alcohol"])
        XCTAssertEqual(patient.notes, "line one\nline two")
        XCTAssertNil(try Validation.patient(Patient(code: "P-1", name: "   ", substances: ["other"]), today: today).name)

        assertInvalid("substance") { try Validation.patient(Patient(code: "P-1", substances: []), today: today) }
        assertInvalid("substance", value: "tobacco") { try Validation.patient(Patient(code: "P-1", substances: ["tobacco"]), today: today) }
        assertInvalid("sex") { try Validation.patient(Patient(code: "P-1", sex: "x", substances: ["other"]), today: today) }
        assertInvalid("birth date") {
            try Validation.patient(Patient(code: "P-1", birthDate: "2026-12-01", substances: ["other"]), today: today)
        }
        assertInvalid("birth date") {
            try Validation.patient(Patient(code: "P-1", birthDate: "1990-02-30", substances: ["other"]), today: today)
        }
        for code in ["", "P 7", "P/7", "P-7;", String(repeating: "A", count: 33), "Pé-7", "P\u{0}7"] {
            assertInvalid("patient code", value: code) { try Validation.patientCode(code) }
        }
        XCTAssertEqual(try Validation.patientCode(String(repeating: "A", count: 32)).count, 32)
        XCTAssertEqual(try Validation.patientCode("a_b.C-9"), "a_b.C-9")
    }

    // MARK: Text

    func testTextRejectsControlCharacters() throws {
        for bad in ["Dr\u{0}Lee", "Dr\u{7}Lee", "Dr\u{1B}[31mLee", "Dr\u{7F}Lee", "Dr\nLee", "Dr\tLee", "Dr\u{2028}Lee",
                    "Dr\u{85}Lee", "Dr\u{E000}Lee"] {
            assertInvalid("practitioner") { try Validation.text(bad, field: "practitioner") }
        }
        XCTAssertEqual(try Validation.text("a\nb\tc\r\nd", field: "notes", multiline: true, limit: 100), "a\nb\tc\r\nd")
        for bad in ["a\u{0}b", "a\u{1B}b", "a\u{7}b"] {
            assertInvalid("notes") { try Validation.text(bad, field: "notes", multiline: true, limit: 100) }
        }
        XCTAssertEqual(try Validation.text("Dr Łukasz Ó'Brien-Nguyễn 李", field: "practitioner"), "Dr Łukasz Ó'Brien-Nguyễn 李")
    }

    func testTextLengthAndRequired() throws {
        XCTAssertEqual(try Validation.text(String(repeating: "x", count: 200), field: "name")?.count, 200)
        assertInvalid("name") { try Validation.text(String(repeating: "x", count: 201), field: "name") }
        // Characters, not bytes: 200 accented letters (two scalars each) fit.
        XCTAssertEqual(try Validation.text(String(repeating: "e\u{301}", count: 200), field: "name")?.count, 200)
        XCTAssertEqual(try Validation.text("  " + String(repeating: "x", count: 200) + "  ", field: "name")?.count, 200)
        XCTAssertEqual(Validation.maxNotes, 20_000)
        XCTAssertNotNil(try Validation.text(String(repeating: "n", count: 20_000), field: "notes", multiline: true,
                                            limit: Validation.maxNotes))
        assertInvalid("notes") {
            try Validation.text(String(repeating: "n", count: 20_001), field: "notes", multiline: true, limit: Validation.maxNotes)
        }
        XCTAssertNil(try Validation.text(nil, field: "counselor"))
        XCTAssertNil(try Validation.text(" \n ", field: "counselor"))
        assertInvalid("practitioner") { try Validation.text("   ", field: "practitioner", required: true) }
        assertInvalid("practitioner") { try Validation.text(nil, field: "practitioner", required: true) }
        assertInvalid("practitioner") { try valid(session(perKg: 0.5, weight: 70, practitioner: " ")) }
        assertInvalid("notes") { try valid(session(perKg: 0.5, weight: 70, notes: "a\u{0}b")) }
    }

    func testAdverseEvents() throws {
        var draft = session(perKg: 0.5, weight: 70)
        draft.adverseEvents = ["nausea", "  ", "dizziness"]
        XCTAssertEqual(try valid(draft).adverseEvents, ["nausea", "dizziness"])
        draft.adverseEvents = ["nausea; vomiting"]
        assertInvalid("adverse event") { try valid(draft) }
        draft.adverseEvents = [String(repeating: "x", count: 501)]
        assertInvalid("adverse event") { try valid(draft) }
    }
}
