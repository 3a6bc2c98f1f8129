import KetlogModel
import XCTest

/// The rules of the monitoring records: session monitoring, vitals, drug screens and days.
final class MonitoringRulesTests: XCTestCase {
    private let today = ClinicalDate(iso: "2026-11-30")!

    private func date(_ text: String) -> ClinicalDate { ClinicalDate(iso: text)! }

    /// Asserts `body` throws `ModelError.invalid(field, rule)`.
    private func assertInvalid<T>(_ field: Field, _ rule: Rule? = nil, file: StaticString = #filePath, line: UInt = #line,
                                  _ body: () throws -> T) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard case ModelError.invalid(let named, let broken) = error else {
                return XCTFail("expected invalid(\(field)), got \(error)", file: file, line: line)
            }
            XCTAssertEqual(named, field, file: file, line: line)
            if let rule { XCTAssertEqual(broken, rule, file: file, line: line) }
        }
    }

    // MARK: Session monitoring

    private func session(_ monitoring: SessionMonitoring) -> SessionDraft {
        SessionDraft(date: date("2026-11-20"), route: .intranasal, doseMg: 56, practitioner: "Dr Lee", monitoring: monitoring)
    }

    func testMonitoringMinutesAndReadyMinutesHaveTheirRanges() throws {
        for minutes in [0, 1440] {
            XCTAssertEqual(try session(SessionMonitoring(monitoringMin: minutes)).validated(birthDate: nil, today: today)
                .monitoring.monitoringMin, minutes)
            XCTAssertEqual(try session(SessionMonitoring(readyMin: minutes)).validated(birthDate: nil, today: today)
                .monitoring.readyMin, minutes)
        }
        assertInvalid(.monitoringMin, .wholeNumber(0...1440)) {
            try session(SessionMonitoring(monitoringMin: -1)).validated(birthDate: nil, today: today)
        }
        assertInvalid(.monitoringMin, .wholeNumber(0...1440)) {
            try session(SessionMonitoring(monitoringMin: 1441)).validated(birthDate: nil, today: today)
        }
        assertInvalid(.readyMin, .wholeNumber(0...1440)) {
            try session(SessionMonitoring(readyMin: 1441)).validated(birthDate: nil, today: today)
        }
    }

    func testReadyIsNotAfterMonitoringEnded() throws {
        let equal = try session(SessionMonitoring(monitoringMin: 120, readyMin: 120)).validated(birthDate: nil, today: today)
        XCTAssertEqual(equal.monitoring.readyMin, 120)
        assertInvalid(.readyMin, .atMost(.monitoringMin)) {
            try session(SessionMonitoring(monitoringMin: 120, readyMin: 121)).validated(birthDate: nil, today: today)
        }
    }

    func testLotIsTrimmedOneLineTextOfAtMost64AndComedicationsAreKeptOnceInOrder() throws {
        let valid = try session(SessionMonitoring(lot: "  EK2291 ", comedications: [.opioid, .benzodiazepine, .opioid]))
            .validated(birthDate: nil, today: today)
        XCTAssertEqual(valid.monitoring.lot, "EK2291")
        XCTAssertEqual(valid.monitoring.comedications, [.opioid, .benzodiazepine])
        XCTAssertEqual(try session(SessionMonitoring(lot: String(repeating: "L", count: 64))).validated(birthDate: nil, today: today)
            .monitoring.lot?.count, 64)
        assertInvalid(.lot) { try session(SessionMonitoring(lot: String(repeating: "L", count: 65))).validated(birthDate: nil, today: today) }
        assertInvalid(.lot) { try session(SessionMonitoring(lot: "EK\n22")).validated(birthDate: nil, today: today) }
        XCTAssertTrue(try session(SessionMonitoring()).validated(birthDate: nil, today: today).monitoring.isEmpty)
    }

    func testComedicationVocabulary() throws {
        XCTAssertEqual(try Rules.term("Sedative-Hypnotic", .comedications) as Comedication, .sedativeHypnotic)
        assertInvalid(.comedications, .oneOf(Comedication.allCases.map(\.rawValue))) { try Rules.term("caffeine", .comedications) as Comedication }
    }

    // MARK: Vitals

    private func vitals(at: VitalsMoment? = .pre, _ m: VitalsMeasurements) -> VitalsDraft {
        VitalsDraft(sessionID: 1, at: at, measurements: m)
    }

    func testEveryMeasurementAcceptsItsBoundsAndRefusesOneBeyond() throws {
        let ranges: [(Field, ClosedRange<Int>, (Int) -> VitalsMeasurements)] = [
            (.heartRate, 20...250, { VitalsMeasurements(heartRate: $0) }),
            (.spo2, 50...100, { VitalsMeasurements(spo2: $0) }),
            (.respiratoryRate, 4...60, { VitalsMeasurements(respiratoryRate: $0) }),
            (.moaas, 0...5, { VitalsMeasurements(moaas: $0) }),
            (.cadss, 0...92, { VitalsMeasurements(cadss: $0) }),
            (.bpSystolic, 50...260, { VitalsMeasurements(systolic: $0, diastolic: 20) }),
            (.bpDiastolic, 20...160, { VitalsMeasurements(systolic: 260, diastolic: $0) }),
        ]
        for (field, range, make) in ranges {
            for value in [range.lowerBound, range.upperBound] where !(field == .bpSystolic && value <= 20) {
                XCTAssertNoThrow(try vitals(make(value)).validated(), "\(field) \(value)")
            }
            assertInvalid(field, .wholeNumber(range)) { try vitals(make(range.lowerBound - 1)).validated() }
            assertInvalid(field, .wholeNumber(range)) { try vitals(make(range.upperBound + 1)).validated() }
        }
        XCTAssertNoThrow(try vitals(VitalsMeasurements(systolic: 50, diastolic: 20)).validated())
    }

    func testSystolicMustBeAboveDiastolicAndTheyComeTogether() throws {
        XCTAssertEqual(try vitals(VitalsMeasurements(systolic: 121, diastolic: 120)).validated().measurements.systolic, 121)
        assertInvalid(.bpSystolic, .above(.bpDiastolic)) { try vitals(VitalsMeasurements(systolic: 120, diastolic: 120)).validated() }
        assertInvalid(.bpSystolic, .above(.bpDiastolic)) { try vitals(VitalsMeasurements(systolic: 90, diastolic: 100)).validated() }
        assertInvalid(.bpDiastolic, .required) { try vitals(VitalsMeasurements(systolic: 120)).validated() }
        assertInvalid(.bpSystolic, .required) { try vitals(VitalsMeasurements(diastolic: 80)).validated() }
    }

    func testVitalsNeedAMeasurementAMomentAndASession() throws {
        assertInvalid(.measurements, .atLeastOneField(VitalsMeasurements.fields)) { try vitals(VitalsMeasurements()).validated() }
        assertInvalid(.at) { try vitals(at: nil, VitalsMeasurements(heartRate: 70)).validated() }
        assertInvalid(.at) { try vitals(at: .minutes(721), VitalsMeasurements(heartRate: 70)).validated() }
        assertInvalid(.session, .required) { try VitalsDraft(at: .pre, measurements: VitalsMeasurements(moaas: 5)).validated() }
        let note = try VitalsDraft(sessionID: 3, at: .discharge, measurements: VitalsMeasurements(moaas: 5), note: "  steady ").validated()
        XCTAssertEqual(note.note, "steady")
        assertInvalid(.note) { try VitalsDraft(sessionID: 3, at: .pre, measurements: VitalsMeasurements(moaas: 5),
                                               note: String(repeating: "n", count: 501)).validated() }
    }

    func testVitalsMomentAndBloodPressureParsing() throws {
        XCTAssertEqual(try Rules.vitalsMoment(" PRE "), .pre)
        XCTAssertEqual(try Rules.vitalsMoment("discharge"), .discharge)
        XCTAssertEqual(try Rules.vitalsMoment("0"), .minutes(0))
        XCTAssertEqual(try Rules.vitalsMoment("720"), .minutes(720))
        for bad in ["721", "-5", "40m", "", "post", "4.5"] {
            assertInvalid(.at, .vitalsMoment(0...720)) { try Rules.vitalsMoment(bad) }
        }
        XCTAssertTrue(try Rules.bloodPressure("128/82") == (128, 82))
        XCTAssertTrue(try Rules.bloodPressure(" 90 / 60 ") == (90, 60))
        for bad in ["128", "128/", "/82", "128/82/1", "a/b", "-1/80", "12.5/80"] {
            assertInvalid(.bp) { try Rules.bloodPressure(bad) }
        }
    }

    // MARK: Drug screens

    func testScreenNeedsDateSubstanceAndResultInVocabulary() throws {
        let valid = try DrugScreenDraft(date: date("2026-11-30"), substance: .cocaine, result: .positive, method: .saliva)
            .validated(birthDate: date("1980-01-01"), today: today)
        XCTAssertEqual(valid.result, .positive)
        assertInvalid(.result, .oneOf(["positive", "negative", "invalid"])) {
            try DrugScreenDraft(date: date("2026-11-20"), substance: .cocaine).validated(birthDate: nil, today: today)
        }
        assertInvalid(.result, .oneOf(["positive", "negative", "invalid"])) { try Rules.term("maybe", .result) as ScreenResult }
        assertInvalid(.method, .oneOf(["urine", "saliva", "breath"])) { try Rules.term("blood", .method) as ScreenMethod }
        assertInvalid(.substance) { try DrugScreenDraft(date: date("2026-11-20"), result: .negative).validated(birthDate: nil, today: today) }
        assertInvalid(.date, .isoDate(notInFuture: true)) {
            try DrugScreenDraft(date: date("2026-12-01"), substance: .alcohol, result: .negative).validated(birthDate: nil, today: today)
        }
        assertInvalid(.date, .onOrAfterBirthDate) {
            try DrugScreenDraft(date: date("1979-12-31"), substance: .alcohol, result: .negative)
                .validated(birthDate: date("1980-01-01"), today: today)
        }
    }

    // MARK: Days

    func testADayNeedsUsedOrAbstinentAndANonFutureDate() throws {
        let day = try UseDayDraft(date: today, used: false, amount: " ").validated(birthDate: nil, today: today)
        XCTAssertEqual(day, UseDay(date: today, used: false))
        assertInvalid(.used, .oneOf(["yes", "no"])) { try UseDayDraft(date: today).validated(birthDate: nil, today: today) }
        assertInvalid(.date, .isoDate(notInFuture: true)) {
            try UseDayDraft(date: date("2026-12-01"), used: true).validated(birthDate: nil, today: today)
        }
        assertInvalid(.amount) { try UseDayDraft(date: today, used: true, amount: "a\u{1B}[2J").validated(birthDate: nil, today: today) }
    }

    func testADayRangeIsAtMost366DaysAndNotIntoTheFuture() throws {
        XCTAssertEqual(try Rules.days(from: today, to: today, today: today), [today])
        let leap = try Rules.days(from: date("2025-12-01"), to: date("2026-11-30"), today: today)
        XCTAssertEqual(leap.count, 365)
        let full = try Rules.days(from: date("2025-11-30"), to: date("2026-11-30"), today: today)
        XCTAssertEqual(full.count, 366)
        XCTAssertEqual(full.first, date("2025-11-30"))
        XCTAssertEqual(full.last, today)
        XCTAssertEqual(Set(full).count, 366)
        assertInvalid(.to, .dayRange(maxDays: 366)) { try Rules.days(from: date("2025-11-29"), to: today, today: today) }
        assertInvalid(.to, .dayRange(maxDays: 366)) { try Rules.days(from: date("2026-11-20"), to: date("2026-12-01"), today: today) }
        assertInvalid(.to, .dayRange(maxDays: 366)) { try Rules.days(from: date("2026-11-20"), to: date("2026-11-19"), today: today) }
    }

    // MARK: Kinds and audit spellings

    func testNewKindsHaveTheirPrefixesAndAuditSpellings() {
        XCTAssertEqual(RecordKind.vitals.shortID(5), "vit-5")
        XCTAssertEqual(RecordKind.screen.shortID(2), "scr-2")
        XCTAssertEqual(RecordKind.day.shortID(40), "day-40")
        XCTAssertEqual(RecordKind.day.parseID("DAY-40"), 40)
        XCTAssertNil(RecordKind.vitals.parseID("scr-2"))
        for (action, spelling) in [(AuditAction.record(.vitals, .add), "vitals.add"), (.record(.screen, .amend), "screen.amend"),
                                   (.record(.day, .void), "day.void"), (.importRecords(.vitals), "import.vitals"),
                                   (.importRecords(.screen), "import.screens"), (.importRecords(.day), "import.days")] {
            XCTAssertEqual(action.rawValue, spelling)
            XCTAssertEqual(AuditAction(rawValue: spelling), action)
        }
    }
}
