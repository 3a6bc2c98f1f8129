@testable import KetlogCLI
import Foundation
import KetlogModel
import KetlogStore
import XCTest

/// Import files become typed drafts at the edge; a cell that does not parse names its line and
/// column, and nothing clinical.
final class ImportRowTests: XCTestCase {
    private func items(_ csv: String, kind: ImportKind) throws -> [ImportItem] {
        let file = try ImportFile(Data(csv.utf8), fileExtension: "csv", kind: kind)
        var items: [ImportItem] = []
        while let item = try file.next() { items.append(item) }
        return items
    }

    func testScoresBecomeTypedDrafts() throws {
        let parsed = try items("patient,date,craving,use_days,substance\nP-1,2026-11-20,6,18,Cocaine\nP-2,2026-11-21,0,0,\n",
                               kind: .scores)
        XCTAssertEqual(parsed.map(\.line), [2, 3])
        guard case .score(let draft, let patient) = parsed[0].draft else { return XCTFail("\(parsed[0])") }
        XCTAssertEqual(patient, "P-1")
        XCTAssertEqual(draft, ScoreDraft(date: ClinicalDate(iso: "2026-11-20"), craving: 6, useDays: 18, substance: .cocaine))
        guard case .score(let second, _) = parsed[1].draft else { return XCTFail("\(parsed[1])") }
        XCTAssertNil(second.windowDays, "an absent window is not given, and validation uses 28")
        XCTAssertNil(second.substance)
    }

    func testSessionsKeepAbsentDosesAbsent() throws {
        let parsed = try items("patient,date,route,dose_mg,practitioner\nP-1,2026-11-20,intranasal,56,Dr Lee\n", kind: .sessions)
        guard case .session(let draft, _) = parsed[0].draft else { return XCTFail() }
        XCTAssertEqual(draft.route, .intranasal)
        XCTAssertEqual(draft.doseMg, 56)
        XCTAssertNil(draft.doseMgPerKg)
        XCTAssertNil(draft.weightKg)
    }

    func testABadCellNamesItsLineAndColumnNotItsValue() throws {
        XCTAssertThrowsError(try items("patient,date,craving,use_days\nP-1,2026-02-30,6,18\n", kind: .scores)) { error in
            XCTAssertEqual(ErrorPresenter.present(error).message, "line 2: date: must be an ISO date YYYY-MM-DD, not in the future")
        }
        XCTAssertThrowsError(try items("code,substances,sex\nP-1,cocaine,Secretly-Marla\n", kind: .patients)) { error in
            let message = ErrorPresenter.present(error).message
            XCTAssertTrue(message.hasPrefix("line 2: sex: must be one of"), message)
            XCTAssertFalse(message.contains("Marla"), message)
        }
        XCTAssertThrowsError(try items("patient,date,craving,use_days\nP-1,2026-11-20,-1,18\n", kind: .scores)) { error in
            XCTAssertEqual(ErrorPresenter.present(error).message, "line 2: craving: must be a whole number")
        }
    }
}
