import Foundation
import XCTest

/// Directories are made 0700 by `mkdir` itself (never made wider and narrowed with chmod), and a
/// store directory that group or others can write draws one warning line.
final class StoreDirectoryTests: XCTestCase {
    func testInitMakesNestedDirectoriesWithMkdir0700() throws {
        let harness = try RecordsHarness()
        let base = harness.directory.appendingPathComponent("nested").path
        let trace = harness.directory.appendingPathComponent("trace").path
        let result = try harness.shell("strace -f -o '\(trace)' -e trace=mkdir,mkdirat,chmod,fchmodat \"$KETLOG\" init --store '\(base)/a/b/ketlog.db' --admin admin --kdf-work-factor 10")
        XCTAssertEqual(result.status, 0, result.stderr)
        for directory in [base, base + "/a", base + "/a/b"] {
            XCTAssertEqual(try RecordsHarness.mode(directory), 0o700, directory)
        }
        let calls = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").filter { $0.contains(base) }
        let mkdirs = calls.filter { $0.contains("mkdir") }
        XCTAssertEqual(mkdirs.count, 3, calls.joined(separator: "\n"))
        for call in mkdirs { XCTAssertTrue(call.contains(", 0700)"), String(call)) }
        XCTAssertEqual(calls.filter { $0.contains("chmod") }, [], "directories were narrowed after mkdir")
    }

    func testASharedStoreDirectoryDrawsAWarning() throws {
        let harness = try RecordsHarness()
        XCTAssertEqual(try harness.run(["patient", "list"]).stderr, "")
        let shared = harness.directory.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: false)
        chmod(shared.path, 0o777)
        let store = shared.appendingPathComponent("ketlog.db").path
        let created = try harness.run(["init", "--store", store, "--admin", "admin", "--kdf-work-factor", "10"])
        XCTAssertEqual(created.status, 0, created.stderr)
        let listed = try harness.run(["patient", "list", "--store", store])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        for result in [created, listed] {
            let lines = result.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, result.stderr)
            XCTAssertTrue(lines.first?.hasPrefix("ketlog: warning: ") ?? false, result.stderr)
            XCTAssertTrue(result.stderr.contains("writable by group or others"), result.stderr)
        }
    }
}
