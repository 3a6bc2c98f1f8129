import Foundation
import KetlogModel
import XCTest

/// The clinical rules of `KetlogModel`: drafts validated, and `Rules` called directly.
final class RulesTests: XCTestCase {
    private let today = ClinicalDate(iso: "2026-11-30")!

    /// Asserts `body` throws `ModelError.invalid` naming `field`.
    private func assertInvalid<T>(_ field: Field, file: StaticString = #filePath, line: UInt = #line,
                                  _ body: () throws -> T) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard case ModelError.invalid(let named, _) = error else {
                return XCTFail("expected invalid(\(field)), got \(error)", file: file, line: line)
            }
            XCTAssertEqual(named, field, file: file, line: line)
        }
    }

    private func date(_ text: String) -> ClinicalDate { ClinicalDate(iso: text)! }

    private func session(route: Route = .iv, perKg: Double? = nil, weight: Double? = nil, mg: Double? = nil,
                         duration: Int? = 40, date: String = "2026-11-20", practitioner: String = "Dr Lee",
                         notes: String? = nil) -> SessionDraft {
        SessionDraft(date: ClinicalDate(iso: date), route: route, doseMgPerKg: perKg, weightKg: weight, doseMg: mg,
                     durationMin: duration, practitioner: practitioner, notes: notes)
    }

    private func valid(_ s: SessionDraft, allow: Bool = false, birth: String? = nil) throws -> KetamineSession {
        var draft = s
        draft.allowUnusualDose = allow
        return try draft.validated(birthDate: birth.map(date), today: today)
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
        let mgOnly = try valid(session(route: .sublingual, mg: 150, duration: nil))
        XCTAssertNil(mgOnly.doseMgPerKg)
        XCTAssertEqual(mgOnly.doseMg, 150)
    }

    func testAllThreeMustAgreeWithinRounding() throws {
        XCTAssertEqual(try valid(session(perKg: 0.41, weight: 73, mg: 29.9)).doseMg, 29.9)
        XCTAssertEqual(try valid(session(perKg: 0.41, weight: 73, mg: 30)).doseMg, 30)
        assertInvalid(.doseMg) { try valid(session(perKg: 0.41, weight: 73, mg: 31)) }
        assertInvalid(.doseMg) { try valid(session(perKg: 0.41, weight: 73, mg: 28)) }
    }

    func testMissingPartsOfTheDose() {
        assertInvalid(.weightKg) { try valid(session(perKg: 0.5)) }
        assertInvalid(.weightKg) { try valid(session(mg: 35)) }
        assertInvalid(.dose) { try valid(session()) }
    }

    // MARK: Bands

    func testBandEdgesPerRoute() throws {
        let edges: [(Route, Double, Bool)] = [
            (.iv, 0.1, true), (.iv, 1.0, true), (.iv, 1.01, false), (.iv, 0.09, false),
            (.im, 0.1, true), (.im, 2.0, true), (.im, 2.01, false),
            (.oral, 0.25, true), (.oral, 7, true), (.oral, 0.24, false), (.oral, 7.01, false),
            (.subcutaneous, 0.1, true), (.subcutaneous, 1.0, true), (.subcutaneous, 1.01, false),
        ]
        for (route, perKg, inBand) in edges {
            let draft = session(route: route, perKg: perKg, weight: 70)
            if inBand {
                XCTAssertFalse(try valid(draft).unusualDoseAllowed, "\(route) \(perKg)")
            } else {
                assertInvalid(.dose) { try valid(draft) }
                XCTAssertTrue(try valid(draft, allow: true).unusualDoseAllowed, "\(route) \(perKg)")
            }
        }
    }

    func testMgBandsAndIntranasalMultiples() throws {
        for mg in [25.0, 100, 400] { XCTAssertFalse(try valid(session(route: .sublingual, mg: mg)).unusualDoseAllowed) }
        for mg in [24.0, 401] { assertInvalid(.dose) { try valid(session(route: .sublingual, mg: mg)) } }
        for mg in [28.0, 56, 84] { XCTAssertFalse(try valid(session(route: .intranasal, mg: mg)).unusualDoseAllowed) }
        for mg in [27.0, 42, 56.5, 112, 14] {
            assertInvalid(.dose) { try valid(session(route: .intranasal, mg: mg)) }
            XCTAssertTrue(try valid(session(route: .intranasal, mg: mg), allow: true).unusualDoseAllowed)
        }
        // The allowance is recorded only when it was needed.
        XCTAssertFalse(try valid(session(route: .intranasal, mg: 56), allow: true).unusualDoseAllowed)
        // mg/kg and weight on an mg-band route: the band applies to the computed mg.
        XCTAssertEqual(try valid(session(route: .intranasal, perKg: 0.8, weight: 70)).doseMg, 56)
    }

    func testAbsurdDosesAreRefusedEvenWhenAllowed() {
        let absurd: [(Field, SessionDraft)] = [
            (.doseMgPerKg, session(perKg: 10.01, weight: 70)),
            (.doseMgPerKg, session(weight: 70, mg: 800)),
            (.doseMgPerKg, session(perKg: 0, weight: 70)),
            (.doseMgPerKg, session(perKg: -1, weight: 70)),
            (.doseMgPerKg, session(perKg: .nan, weight: 70)),
            (.doseMgPerKg, session(perKg: .infinity, weight: 70)),
            (.doseMg, session(route: .sublingual, mg: 1000.5)),
            (.doseMg, session(route: .sublingual, mg: -5)),
            (.doseMg, session(route: .sublingual, mg: .nan)),
            (.doseMg, session(route: .sublingual, mg: .infinity)),
            (.doseMg, session(perKg: 0.5, weight: 70, mg: -35)),
            (.weightKg, session(perKg: 0.5, weight: 0)),
            (.weightKg, session(perKg: 0.5, weight: -70)),
            (.weightKg, session(perKg: 0.5, weight: .nan)),
            (.weightKg, session(perKg: 0.5, weight: 400.5)),
        ]
        for (field, draft) in absurd {
            assertInvalid(field) { try valid(draft, allow: true) }
        }
    }

    func testDurationIsRequiredForIVAndBounded() throws {
        assertInvalid(.durationMin) { try valid(session(perKg: 0.5, weight: 70, duration: nil)) }
        XCTAssertNil(try valid(session(route: .im, perKg: 0.5, weight: 70, duration: nil)).durationMin)
        for minutes in [0, -1, 1441] { assertInvalid(.durationMin) { try valid(session(perKg: 0.5, weight: 70, duration: minutes)) } }
        XCTAssertEqual(try valid(session(perKg: 0.5, weight: 70, duration: 1440)).durationMin, 1440)
    }

    func testRouteVocabularyIsNormalised() throws {
        XCTAssertEqual(try Rules.term(" IV ", .route) as Route, .iv)
        assertInvalid(.route) { try Rules.term("ivv", .route) as Route }
        assertInvalid(.route) { try Rules.term("", .route) as Route }
        var noRoute = session(perKg: 0.5, weight: 70)
        noRoute.route = nil
        assertInvalid(.route) { try valid(noRoute) }
    }

    // MARK: Dates

    func testDatesAreStrictISOAndNotInTheFuture() throws {
        XCTAssertEqual(try Rules.date("2024-02-29", .date), date("2024-02-29"))
        XCTAssertEqual(try Rules.date("2000-02-29", .date), date("2000-02-29"))
        XCTAssertEqual(try Rules.date(today, .date, notAfter: today), today)
        for bad in ["2025-02-29", "1900-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-04-31", "20261101",
                    "2026-1-01", "2026-01-1", "2026/01/01", "1899-12-31", "+026-01-01", "２０２６-01-01", "3000-01-01", ""] {
            assertInvalid(.date) { try Rules.date(bad, .date) }
        }
        for future in ["2026-12-01", "2999-01-01"] {
            assertInvalid(.date) { try Rules.date(try Rules.date(future, .date), .date, notAfter: today) }
            XCTAssertNoThrow(try Rules.date(try Rules.date(future, .date), .date, notAfter: nil))
            assertInvalid(.date) { try valid(session(perKg: 0.5, weight: 70, date: future)) }
        }
        XCTAssertEqual(ClinicalDate.today(environment: ["KETLOG_TODAY": "2026-01-02"]), date("2026-01-02"))
        XCTAssertNotEqual(ClinicalDate.today(environment: ["KETLOG_TODAY": "2026-02-30"]).description, "2026-02-30")
    }

    /// Without KETLOG_TODAY, today is the local calendar day: what Foundation's Gregorian
    /// calendar in the current time zone says (read before and after, in case midnight passes).
    func testTodayIsTheLocalCalendarDay() throws {
        func foundationToday() throws -> ClinicalDate {
            let parts = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: Date())
            return try XCTUnwrap(ClinicalDate(year: try XCTUnwrap(parts.year), month: try XCTUnwrap(parts.month),
                                              day: try XCTUnwrap(parts.day)))
        }
        let before = try foundationToday()
        let today = ClinicalDate.today(environment: [:])
        let after = try foundationToday()
        XCTAssertTrue(today == before || today == after, "\(today) is neither \(before) nor \(after)")
        XCTAssertEqual(ClinicalDate.today(environment: ["KETLOG_TODAY": "not a date"]), today)
    }

    func testADateIsWrittenAsZeroPaddedISO() throws {
        XCTAssertEqual(ClinicalDate(year: 1, month: 2, day: 3)?.description, "0001-02-03")
        XCTAssertEqual(ClinicalDate(year: 987, month: 10, day: 9)?.description, "0987-10-09")
        XCTAssertEqual(ClinicalDate(year: 9999, month: 12, day: 31)?.description, "9999-12-31")
        // Every day of four years, leap day included, reads back as itself.
        var day = date("2023-01-01")
        for _ in 0..<(4 * 366) {
            XCTAssertEqual(ClinicalDate(iso: day.description), day, day.description)
            day = day.adding(days: 1)
        }
    }

    func testSessionAndScoreDatesNotBeforeBirth() throws {
        XCTAssertEqual(try valid(session(perKg: 0.5, weight: 70, date: "1980-05-10"), birth: "1980-05-10").date, date("1980-05-10"))
        assertInvalid(.date) { try valid(session(perKg: 0.5, weight: 70, date: "1980-05-09"), birth: "1980-05-10") }
        let score = ScoreDraft(date: date("1980-05-09"), craving: 1, useDays: 1)
        assertInvalid(.date) { try score.validated(birthDate: date("1980-05-10"), today: today) }
        XCTAssertNoThrow(try score.validated(birthDate: nil, today: today))
    }

    func testTime() throws {
        XCTAssertEqual(try Rules.time("00:00").description, "00:00")
        XCTAssertEqual(try Rules.time("23:59").description, "23:59")
        for bad in ["24:00", "9:30", "09:60", "0930", "09:3a", "٠٩:٣٠", "09:30:00"] {
            assertInvalid(.time) { try Rules.time(bad) }
        }
    }

    // MARK: Scores

    func testScoreRanges() throws {
        func score(_ craving: Int?, _ useDays: Int?, window: Int? = nil) throws -> Score {
            try ScoreDraft(date: date("2026-11-20"), craving: craving, useDays: useDays, windowDays: window)
                .validated(birthDate: nil, today: today)
        }
        XCTAssertEqual(try score(0, 0).craving, 0)
        XCTAssertEqual(try score(10, 28).useDays, 28)
        XCTAssertEqual(try score(10, 28).windowDays, 28, "the window defaults to 28 days")
        XCTAssertEqual(try score(5, 1, window: 1).windowDays, 1)
        XCTAssertEqual(try score(5, 90, window: 90).useDays, 90)
        assertInvalid(.craving) { try score(11, 0) }
        assertInvalid(.craving) { try score(-1, 0) }
        assertInvalid(.craving) { try score(nil, 0) }
        assertInvalid(.useDays) { try score(1, 29) }
        assertInvalid(.useDays) { try score(1, -1) }
        assertInvalid(.useDays) { try score(1, nil) }
        assertInvalid(.useDays) { try score(1, 15, window: 14) }
        assertInvalid(.windowDays) { try score(1, 0, window: 0) }
        assertInvalid(.windowDays) { try score(1, 0, window: 91) }
        XCTAssertEqual(try Rules.term("Cannabis", .substance) as Substance, .cannabis)
        assertInvalid(.substance) { try Rules.term("coffee", .substance) as Substance }
    }

    // MARK: Patients

    func testPatientRules() throws {
        let patient = try PatientDraft(code: " P-0007 ", name: "  Ada  ", birthDate: date("1984-03-02"), sex: .female,
                                       substances: [.cocaine, .alcohol, .cocaine], notes: "line one\nline two")
            .validated(today: today)
        XCTAssertEqual(patient.code, "P-0007")
        XCTAssertEqual(patient.name, "Ada")
        XCTAssertEqual(patient.sex, .female)
        XCTAssertEqual(patient.substances, [.cocaine, .alcohol])
        XCTAssertEqual(patient.notes, "line one\nline two")
        XCTAssertNil(try PatientDraft(code: "P-1", name: "   ", substances: [.other]).validated(today: today).name)
        XCTAssertEqual(try Rules.term("Female", .sex) as Sex, .female)

        assertInvalid(.substances) { try PatientDraft(code: "P-1").validated(today: today) }
        assertInvalid(.substances) { try Rules.term("tobacco", .substances) as Substance }
        assertInvalid(.sex) { try Rules.term("x", .sex) as Sex }
        assertInvalid(.birthDate) {
            try PatientDraft(code: "P-1", birthDate: date("2026-12-01"), substances: [.other]).validated(today: today)
        }
        assertInvalid(.birthDate) { try Rules.date("1990-02-30", .birthDate) }
        assertInvalid(.code) { try PatientDraft(substances: [.other]).validated(today: today) }
        for code in ["", "P 7", "P/7", "P-7;", String(repeating: "A", count: 33), "Pé-7", "P\u{0}7"] {
            assertInvalid(.code) { try Rules.patientCode(code) }
            assertInvalid(.code) { try PatientDraft(code: code, substances: [.other]).validated(today: today) }
        }
        XCTAssertEqual(try Rules.patientCode(String(repeating: "A", count: 32)).count, 32)
        XCTAssertEqual(try Rules.patientCode("a_b.C-9"), "a_b.C-9")
    }

    // MARK: Text

    func testTextRejectsControlAndBidiCharacters() throws {
        for bad in ["Dr\u{0}Lee", "Dr\u{7}Lee", "Dr\u{1B}[31mLee", "Dr\u{7F}Lee", "Dr\nLee", "Dr\tLee", "Dr\u{2028}Lee",
                    "Dr\u{85}Lee", "Dr\u{E000}Lee", "Dr\rLee", "Dr\u{202E}eeL", "Dr\u{2066}Lee", "Dr\u{200F}Lee"] {
            assertInvalid(.practitioner) { try Rules.text(bad, .practitioner) }
        }
        for bad in ["a\u{0}b", "a\u{1B}b", "a\u{7}b"] {
            assertInvalid(.notes) { try Rules.text(bad, .notes, multiline: true, limit: 100) }
        }
        XCTAssertEqual(try Rules.text("Dr Łukasz Ó'Brien-Nguyễn 李", .practitioner), "Dr Łukasz Ó'Brien-Nguyễn 李")
    }

    func testNotesKeepLineBreaksAndTabsAndTurnCarriageReturnsIntoLineFeeds() throws {
        XCTAssertEqual(try Rules.text("a\nb\tc\r\nd", .notes, multiline: true, limit: 100), "a\nb\tc\nd")
        // A bare CR would let later text overwrite earlier text on a terminal.
        XCTAssertEqual(try Rules.text("shown\rhidden", .notes, multiline: true, limit: 100), "shown\nhidden")
    }

    func testOutputEscapesWhatEntryRefuses() {
        XCTAssertEqual(TextSafety.escaped("a\u{1B}[2Jb"), "a\\u{1B}[2Jb")
        XCTAssertEqual(TextSafety.escaped("x\u{202E}y\rz"), "x\\u{202E}y\\u{D}z")
        XCTAssertEqual(TextSafety.escaped("one\ntwo\tthree", multiline: true), "one\ntwo\tthree")
        XCTAssertEqual(TextSafety.escaped("one\ntwo"), "one\\u{A}two")
        XCTAssertEqual(TextSafety.escaped("Łukasz 李"), "Łukasz 李")
    }

    func testTextLengthAndRequired() throws {
        XCTAssertEqual(try Rules.text(String(repeating: "x", count: 200), .name)?.count, 200)
        assertInvalid(.name) { try Rules.text(String(repeating: "x", count: 201), .name) }
        // Characters, not bytes: 200 accented letters (two scalars each) fit.
        XCTAssertEqual(try Rules.text(String(repeating: "e\u{301}", count: 200), .name)?.count, 200)
        XCTAssertEqual(try Rules.text("  " + String(repeating: "x", count: 200) + "  ", .name)?.count, 200)
        XCTAssertEqual(Rules.maxNotes, 20_000)
        XCTAssertNotNil(try Rules.text(String(repeating: "n", count: 20_000), .notes, multiline: true, limit: Rules.maxNotes))
        assertInvalid(.notes) { try Rules.text(String(repeating: "n", count: 20_001), .notes, multiline: true, limit: Rules.maxNotes) }
        XCTAssertNil(try Rules.text(nil, .counselor))
        XCTAssertNil(try Rules.text(" \n ", .counselor))
        assertInvalid(.practitioner) { try Rules.text("   ", .practitioner, required: true) }
        assertInvalid(.practitioner) { try Rules.text(nil, .practitioner, required: true) }
        assertInvalid(.practitioner) { try valid(session(perKg: 0.5, weight: 70, practitioner: " ")) }
        assertInvalid(.notes) { try valid(session(perKg: 0.5, weight: 70, notes: "a\u{0}b")) }
        assertInvalid(.reason) { try Rules.reason("  ") }
    }

    func testAdverseEvents() throws {
        var draft = session(perKg: 0.5, weight: 70)
        draft.adverseEvents = ["nausea", "  ", "dizziness"]
        XCTAssertEqual(try valid(draft).adverseEvents, ["nausea", "dizziness"])
        draft.adverseEvents = ["nausea; vomiting"]
        assertInvalid(.adverseEvents) { try valid(draft) }
        draft.adverseEvents = [String(repeating: "x", count: 501)]
        assertInvalid(.adverseEvents) { try valid(draft) }
    }
}
