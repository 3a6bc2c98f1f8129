import KetlogModel
import KetlogReports
import XCTest

final class ISOWeekTests: XCTestCase {
    func testParsesAndFormatsISODates() {
        XCTAssertEqual(ClinicalDate(iso: "2026-02-28")?.description, "2026-02-28")
        XCTAssertNil(ClinicalDate(iso: "2026-02-29"), "2026 is not a leap year")
        XCTAssertNotNil(ClinicalDate(iso: "2024-02-29"))
        XCTAssertNil(ClinicalDate(iso: "2026-2-28"))
        XCTAssertNil(ClinicalDate(iso: "2026-13-01"))
        XCTAssertNil(ClinicalDate(iso: "2026-01-01T00:00"))
    }

    func testDayArithmeticCrossesMonthsAndYears() {
        let date = ClinicalDate(iso: "2025-12-30")!
        XCTAssertEqual(date.adding(days: 3).description, "2026-01-02")
        XCTAssertEqual(ClinicalDate(iso: "2024-03-01")!.adding(days: -1).description, "2024-02-29")
        XCTAssertEqual(ClinicalDate(iso: "2026-03-02")!.days(since: date), 62)
        XCTAssertEqual(ClinicalDate(iso: "1970-01-01")!.daysSinceEpoch, 0)
        XCTAssertLessThan(date, date.adding(days: 1))
    }

    func testWeekdays() {
        // python3 -c "import datetime; print(datetime.date(2026,1,1).isoweekday())" → 4
        XCTAssertEqual(ClinicalDate(iso: "2026-01-01")!.isoWeekday, 4)
        XCTAssertEqual(ClinicalDate(iso: "2026-03-01")!.isoWeekday, 7)
        XCTAssertEqual(ClinicalDate(iso: "1969-12-29")!.isoWeekday, 1)
    }

    func testISOWeeksAtYearBoundaries() {
        // python3 -c "import datetime as d; print(d.date(2026,12,31).isocalendar(), d.date(2027,1,3).isocalendar(), d.date(2024,12,30).isocalendar())"
        // → (2026, 53, 4) (2026, 53, 7) (2025, 1, 1)
        XCTAssertEqual(ClinicalDate(iso: "2026-12-31")!.isoWeek.description, "2026-W53")
        XCTAssertEqual(ClinicalDate(iso: "2027-01-03")!.isoWeek.description, "2026-W53")
        XCTAssertEqual(ClinicalDate(iso: "2027-01-04")!.isoWeek.description, "2027-W01")
        XCTAssertEqual(ClinicalDate(iso: "2024-12-30")!.isoWeek.description, "2025-W01")
        XCTAssertEqual(ClinicalDate(iso: "2021-01-03")!.isoWeek.description, "2020-W53")
        XCTAssertEqual(ISOWeek.weeksInYear(2026), 53)
        XCTAssertEqual(ISOWeek.weeksInYear(2025), 52)
        XCTAssertEqual(ISOWeek.weeksInYear(2020), 53, "leap year starting on a Wednesday")
    }

    func testParsesWeeksAndRejectsMissingOnes() throws {
        let w53 = try XCTUnwrap(ISOWeek(iso: "2026-W53"))
        XCTAssertEqual(w53.monday.description, "2026-12-28")
        XCTAssertEqual(w53.sunday.description, "2027-01-03")
        XCTAssertNil(ISOWeek(iso: "2025-W53"))
        XCTAssertNil(ISOWeek(iso: "2026-W00"))
        XCTAssertNil(ISOWeek(iso: "2026-W+7"))
        XCTAssertNil(ISOWeek(iso: "2026-07"))
        XCTAssertEqual(ISOWeek(iso: "2025-W01")?.monday.description, "2024-12-30")
        XCTAssertEqual(ISOWeek(iso: "2027-W01")?.previous.description, "2026-W53")
    }

    func testWeekSelectionIsRelativeToToday() throws {
        let monday = ClinicalDate(iso: "2027-01-04")!
        XCTAssertEqual(try WeekSelection(parsing: "last").resolve(today: monday).description, "2026-W53")
        XCTAssertEqual(try WeekSelection(parsing: "this").resolve(today: monday).description, "2027-W01")
        let sunday = ClinicalDate(iso: "2026-02-15")!
        XCTAssertEqual(try WeekSelection(parsing: "last").resolve(today: sunday).description, "2026-W06")
        XCTAssertEqual(try WeekSelection(parsing: "2026-W10").resolve(today: sunday).description, "2026-W10")
        XCTAssertThrowsError(try WeekSelection(parsing: "lastweek")) { XCTAssertEqual($0 as? ReportError, .invalidWeek) }
    }
}
