@testable import KetlogCLI
import Foundation
import KetlogReports
import XCTest

/// The one CSV writer and the one JSON writer behind lists, shows and exports (and reports), and
/// what text output does with characters that could drive a terminal.
final class RecordWritersTests: XCTestCase {
    private let table = RecordTable(columns: ["id", "dose_mg", "notes", "adverse_events", "void"],
                                    rows: [[.text("ses-1"), .number(35), .text("=SUM(A1)\nsecond line"), .list(["nausea", "a,b"]),
                                            .bool(false)],
                                           [.text("ses-2"), .null, .text("x\u{1B}[2Jy\u{202E}z"), .list([]), .bool(true)]])

    func testCSVQuotesGuardsFormulasAndKeepsColumnOrder() {
        let expected = "id,dose_mg,notes,adverse_events,void\n"
            + "ses-1,35,\"'=SUM(A1)\nsecond line\",\"nausea;a,b\",no\n"
            + "ses-2,,x\u{1B}[2Jy\u{202E}z,,yes\n"
        XCTAssertEqual(table.render(.csv), expected)
        // The importer's reader removes exactly the one apostrophe the writer added.
        XCTAssertEqual(CSVText.unneutralised(CSVWriter.cell("=SUM(A1)")), "=SUM(A1)")
        XCTAssertEqual(CSVText.unneutralised("'tis"), "'tis")
    }

    func testJSONKeepsTypesAndKeyOrder() throws {
        let json = table.render(.json)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows[0]["dose_mg"] as? Double, 35)
        XCTAssertTrue(rows[1]["dose_mg"] is NSNull)
        XCTAssertEqual(rows[0]["adverse_events"] as? [String], ["nausea", "a,b"])
        XCTAssertEqual(rows[1]["void"] as? Bool, true)
        XCTAssertEqual(rows[1]["notes"] as? String, "x\u{1B}[2Jy\u{202E}z", "JSON keeps the value, escaped as JSON")
        XCTAssertLessThan(try XCTUnwrap(json.range(of: "\"id\"")).lowerBound, try XCTUnwrap(json.range(of: "\"void\"")).lowerBound)
    }

    func testTextEscapesControlAndBidiCharactersAndFits80Columns() {
        let text = table.render(.text)
        XCTAssertFalse(text.contains("\u{1B}"), text)
        XCTAssertFalse(text.contains("\u{202E}"), text)
        XCTAssertTrue(text.contains("\\u{1B}[2Jy\\u{202E}z"), text)
        XCTAssertTrue(text.split(separator: "\n").allSatisfy { $0.count <= 80 }, text)
        let sheet = RecordSheet(fields: [("notes", .text("line one\rhidden\nline two"))]).render(.text)
        XCTAssertTrue(sheet.contains("line one\\u{D}hidden"), sheet)
        XCTAssertTrue(sheet.contains("\n       line two"), "line breaks stay, indented: \(sheet)")
    }
}
