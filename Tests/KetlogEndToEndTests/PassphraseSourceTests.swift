import Foundation
import XCTest

/// A passphrase file or command yields its first line; a password command gets a bounded time
/// (`KETLOG_PASSWORD_COMMAND_TIMEOUT`) and 64 KiB of output, then fails clearly (exit 77).
final class PassphraseSourceTests: XCTestCase {
    func testTwoLineFileAndCommandGiveTheirFirstLine() throws {
        let harness = try RecordsHarness()
        let file = try harness.write("pass", RecordsHarness.adminPassword + "\nthe second line\n")
        try harness.ok(["patient", "list", "--password-file", file], env: ["KETLOG_PASSWORD": ""])
        try harness.ok(["patient", "list"], env: ["KETLOG_PASSWORD": "",
                                                  "KETLOG_PASSWORD_COMMAND": "printf '%s\\r\\nmore\\n' '\(RecordsHarness.adminPassword)'"])
    }

    func testASlowCommandIsStoppedWithItsChildren() throws {
        let harness = try RecordsHarness()
        let pidFile = harness.directory.appendingPathComponent("command.pid").path
        let started = Date()
        let result = try harness.run(["patient", "list"], env: [
            "KETLOG_PASSWORD": "",
            "KETLOG_PASSWORD_COMMAND": "echo $$ > '\(pidFile)'; sleep 40; echo never",
            "KETLOG_PASSWORD_COMMAND_TIMEOUT": "2",
        ])
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(result.status, 77, result.stderr)
        XCTAssertEqual(result.errorLines.count, 1, result.stderr)
        XCTAssertTrue(result.errorLines.first?.contains("password command did not finish within 2 s") ?? false, result.stderr)
        XCTAssertLessThan(elapsed, 8, "ketlog waited for the command")
        let group = try XCTUnwrap(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertEqual(RecordsHarness.processes(inGroup: group), [], "the password command's processes are still running")
    }

    func testAFloodOfOutputIsRefusedInBoundedMemory() throws {
        let harness = try RecordsHarness()
        let rssFile = harness.directory.appendingPathComponent("rss").path
        var environment = harness.environment
        environment["KETLOG_PASSWORD"] = nil
        environment["KETLOG_PASSWORD_COMMAND"] = "head -c 100000000 /dev/zero | tr '\\0' a"
        let result = try RecordsHarness.execute("/usr/bin/time", ["-f", "%M", "-o", rssFile, "/usr/bin/setsid", "-w",
                                                                  try RecordsHarness.binary().path, "patient", "list"],
                                                environment: environment, scratch: harness.directory)
        XCTAssertEqual(result.status, 77, result.stderr)
        XCTAssertEqual(result.errorLines, ["ketlog: error: the password command printed more than 64 KiB; it was stopped"])
        let kilobytes = try XCTUnwrap(Int(String(contentsOfFile: rssFile, encoding: .utf8)
            .split(separator: "\n").last { Int($0) != nil } ?? ""))
        XCTAssertLessThan(kilobytes, 50_000, "peak memory \(kilobytes) KB")
    }
}
