import Foundation
import KetlogReports
import XCTest

/// `ReportSignature` knows every golden report (all five formats, all three reports) and nothing
/// that merely resembles one.
final class ReportSignatureTests: XCTestCase {
    static func recognised(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return ReportSignature.isReport(head: Array(bytes.prefix(ReportSignature.headLength)),
                                        tail: Array(bytes.suffix(ReportSignature.tailLength)))
    }

    func goldens() throws -> [(String, String)] {
        let directory = try XCTUnwrap(Bundle.module.url(forResource: "Golden", withExtension: nil))
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }.sorted()
        return try names.map { ($0, try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)) }
    }

    func testEveryGoldenReportIsRecognised() throws {
        let files = try goldens().filter { !$0.0.contains("colour") }  // colour is for terminals only
        XCTAssertEqual(Set(files.map { URL(fileURLWithPath: $0.0).pathExtension }), ["txt", "md", "json", "csv", "html"])
        for (name, text) in files { XCTAssertTrue(Self.recognised(text), name) }
    }

    func testLookalikesAreNot() throws {
        for (name, text) in try goldens() where !name.contains("colour") {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // A spreadsheet or note that once pasted a report but has a line after the footer.
            XCTAssertFalse(Self.recognised(text + "my own line\n"), name)
            // The head shortened: not what a renderer writes.
            let shortened = text.replacingOccurrences(of: "4f2a9c01d3b8e677", with: "4f2a9c01d3b8e67")
            XCTAssertFalse(Self.recognised(shortened), name)
            lines.removeLast(2)
            XCTAssertFalse(Self.recognised(lines.joined(separator: "\n")), name)
        }
        XCTAssertFalse(Self.recognised(""))
        XCTAssertFalse(Self.recognised("code,name\nP-1,Jane Roe\n"))
        XCTAssertFalse(Self.recognised("audit chain verified, 97 entries, head 4F2A9C01D3B8E677\n"))
    }
}
