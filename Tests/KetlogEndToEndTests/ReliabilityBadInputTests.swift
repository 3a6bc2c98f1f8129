import Foundation
import XCTest

/// The bad-input corpus in BadInput/: every case in BadInput/cases.json is run against one store.
/// A refused case exits 64 or 65 with one `ketlog: error:` line naming its line and field; an
/// accepted one (the `--dry-run` cases: a UTF-8 BOM, CRLF, a padded number) exits 0. Either way
/// the store file stays byte-identical.
final class ReliabilityBadInputTests: XCTestCase {
    private struct Case: Decodable {
        let name: String
        /// ketlog's arguments; `@FILE` names a file in BadInput/.
        let args: [String]
        let status: Int32
        /// Fragments the one output line must contain (stderr when refused, stdout when accepted).
        let expect: [String]
        /// Fragments the output must not contain (clinical values in the file).
        let absent: [String]?
    }

    private static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("BadInput")

    func testEveryBadInputIsRefusedClearlyAndChangesNothing() throws {
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: Self.directory.appendingPathComponent("cases.json")))
        XCTAssertGreaterThanOrEqual(cases.filter { $0.status != 0 }.count, 50)
        let ketlog = try KetlogProcess()
        let store = ketlog.path("clinic/ketlog.db")
        let environment = ["KETLOG_STORE": store, "KETLOG_PASSWORD": "bad input pass", "KETLOG_TODAY": "2026-11-27"]
        ketlog.secrets = ["bad input pass"]
        for arguments in [["init", "--admin", "admin", "--kdf-work-factor", "10"],
                          ["patient", "add", "P-0001", "--birth-date", "1980-01-01", "--substance", "alcohol"],
                          ["score", "add", "--patient", "P-0001", "--date", "2025-01-02", "--craving", "7", "--use-days", "12"]] {
            let result = try ketlog.run(arguments, environment: environment)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        let before = try ketlog.snapshot(store)
        let statusBefore = try ketlog.run(["status", "--format", "json"], environment: environment).stdout

        for item in cases {
            let arguments = item.args.map { $0.hasPrefix("@") ? Self.directory.appendingPathComponent(String($0.dropFirst())).path : $0 }
            let result = try ketlog.run(arguments, environment: environment)
            XCTAssertEqual(result.status, item.status, "\(item.name): \(result.stderr)")
            if item.status == 0 {
                XCTAssertEqual(result.stderr, "", item.name)
                for fragment in item.expect { XCTAssertTrue(result.stdout.contains(fragment), "\(item.name): \(result.stdout)") }
            } else {
                // One error line, then at most `hint:` lines (a usage error adds one).
                let lines = result.stderrLines
                XCTAssertTrue(lines.first?.hasPrefix("ketlog: error: ") == true, "\(item.name): \(result.stderr)")
                XCTAssertTrue(lines.dropFirst().allSatisfy { $0.hasPrefix("hint: ") }, "\(item.name): \(result.stderr)")
                XCTAssertLessThan(lines.first?.utf8.count ?? 0, 300, "\(item.name): an error is one short line")
                XCTAssertEqual(result.stdout, "", item.name)
                for fragment in item.expect {
                    XCTAssertTrue(lines.first?.contains(fragment) == true, "\(item.name): want '\(fragment)' in \(result.stderr)")
                }
            }
            for fragment in item.absent ?? [] {
                XCTAssertFalse(result.stderr.contains(fragment) || result.stdout.contains(fragment), "\(item.name) echoes '\(fragment)'")
            }
            XCTAssertEqual(try ketlog.snapshot(store), before, "\(item.name) changed the store")
        }
        XCTAssertEqual(try ketlog.run(["status", "--format", "json"], environment: environment).stdout, statusBefore)
        XCTAssertEqual(try ketlog.run(["audit", "verify"], environment: environment).status, 0)
    }
}
