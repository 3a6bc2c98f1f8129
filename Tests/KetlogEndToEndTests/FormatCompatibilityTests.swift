import Foundation
import XCTest

/// A store written by an older ketlog keeps opening: `Fixtures/format1/store.db` was made by the
/// binary of commit 44ec89b (the last before the typed model) with `make-fixture.sh`, which also
/// kept what that binary printed. Today's binary must verify the same chain and print the same
/// reports, byte for byte, and export the same records.
final class FormatCompatibilityTests: XCTestCase {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/format1")

    private var ketlog: KetlogProcess!
    private var store: String!

    override func setUpWithError() throws {
        ketlog = try KetlogProcess()
        store = ketlog.path("store.db")
        try FileManager.default.copyItem(atPath: Self.fixtures.appendingPathComponent("store.db").path, toPath: store)
    }

    private func run(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try ketlog.run(arguments, environment: ["KETLOG_STORE": store, "KETLOG_PASSWORD": "format-one-fixture",
                                                             "KETLOG_USER": "admin", "KETLOG_TODAY": "2026-11-30"],
                                    file: file, line: line)
        XCTAssertEqual(result.status, 0, "ketlog \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return result.stdout
    }

    private func expected(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: Self.fixtures.appendingPathComponent("expected/\(name)")), as: UTF8.self)
    }

    private func json(_ text: String) throws -> NSObject {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? NSObject)
    }

    func testTheOlderStoreVerifiesWithTheSameHead() throws {
        XCTAssertEqual(try run(["audit", "verify"]), try expected("audit-verify.txt"))
    }

    func testEveryReportIsByteIdentical() throws {
        for format in ["text", "json", "csv", "markdown", "html"] {
            XCTAssertEqual(try run(["report", "patient", "P-0102", "--format", format]), try expected("report-patient.\(format)"), format)
            XCTAssertEqual(try run(["report", "cohort", "--by", "dose", "--format", format]), try expected("report-cohort.\(format)"),
                           format)
            XCTAssertEqual(try run(["report", "weekly", "--week", "2026-W44", "--format", format]),
                           try expected("report-weekly.\(format)"), format)
        }
    }

    func testExportsHoldTheSameRecords() throws {
        for kind in ["patients", "sessions", "scores"] {
            XCTAssertEqual(try run(["export", "--kind", kind, "--format", "csv"]), try expected("export-\(kind).csv"), kind)
            XCTAssertEqual(try json(try run(["export", "--kind", kind, "--format", "json"])),
                           try json(try expected("export-\(kind).json")), kind)
        }
        XCTAssertEqual(try json(try run(["session", "show", "ses-2", "--history", "--format", "json"])),
                       try json(try expected("session-history.json")))
    }

    func testTheOlderStoreTakesNewRecordsAndStillVerifies() throws {
        _ = try run(["score", "add", "--patient", "P-0102", "--date", "2026-11-29", "--craving", "1", "--use-days", "0"])
        _ = try run(["session", "amend", "ses-9", "--reason", "time corrected", "--time", "10:00"])
        XCTAssertTrue(try run(["audit", "verify"]).hasPrefix("ok: 20 entries, head "))
    }
}
