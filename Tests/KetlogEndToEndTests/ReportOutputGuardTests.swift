import Foundation
import XCTest

/// `report … --output` replaces only a file that is a ketlog report (or with `--force`), never
/// the store or its -wal/-shm: exit 73 with one line, the file byte-identical.
final class ReportOutputGuardTests: XCTestCase {
    func testTheStoreAndOtherFilesAreNotReplaced() throws {
        let harness = try RecordsHarness()
        try harness.ok(["patient", "add", "P-0001", "--substance", "cocaine"])
        let storeBytes = try Data(contentsOf: URL(fileURLWithPath: harness.storePath))
        for target in [harness.storePath, harness.storePath + "-wal", harness.storePath + "-shm"] {
            for force in [[], ["--force"]] {
                let result = try harness.run(["report", "weekly", "--output", target] + force)
                XCTAssertEqual(result.status, 73, "\(target) \(force): \(result.stderr)")
                XCTAssertEqual(result.errorLines.count, 1, result.stderr)
                XCTAssertTrue(result.errorLines.first?.contains("it is the store") ?? false, result.stderr)
            }
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: harness.storePath)), storeBytes)
        XCTAssertFalse(FileManager.default.fileExists(atPath: harness.storePath + "-wal"))
        // The store reached through a symlink is still the store (device and inode).
        let link = harness.directory.appendingPathComponent("looks-like-a-report.txt").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: harness.storePath)
        XCTAssertEqual(try harness.run(["report", "weekly", "--output", link, "--force"]).status, 73)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: harness.storePath)), storeBytes)

        let notes = try harness.write("notes.txt", "a counsellor's own notes\n")
        let refused = try harness.run(["report", "weekly", "--output", notes])
        XCTAssertEqual(refused.status, 73, refused.stderr)
        XCTAssertEqual(refused.errorLines.count, 1, refused.stderr)
        XCTAssertTrue(refused.errorLines.first?.contains("not a ketlog report") ?? false, refused.stderr)
        XCTAssertEqual(try String(contentsOfFile: notes, encoding: .utf8), "a counsellor's own notes\n")
        try harness.ok(["report", "weekly", "--output", notes, "--force"])
        XCTAssertTrue(try String(contentsOfFile: notes, encoding: .utf8).contains("audit chain verified"))
    }

    func testAnEarlierReportIsReplacedInEveryFormat() throws {
        let harness = try RecordsHarness()
        for format in ["txt", "md", "json", "csv", "html"] {
            let path = harness.directory.appendingPathComponent("weekly.\(format)").path
            try harness.ok(["report", "weekly", "--week", "2026-W40", "--output", path])
            try harness.ok(["report", "weekly", "--week", "2026-W41", "--output", path])
            XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).contains("2026-W41"), format)
            XCTAssertEqual(try harness.run(["report", "weekly", "--output", path]).status, 0)
        }
    }
}
