import Foundation
import XCTest

/// Commands that unlock the store turn core dumps off for themselves (RLIMIT_CORE 0,
/// PR_SET_DUMPABLE 0). The password command is ketlog's child: it reads ketlog's limits from
/// /proc while ketlog waits for the passphrase.
final class CoreDumpTests: XCTestCase {
    func testUnlockingCommandsHaveNoCoreLimit() throws {
        let harness = try RecordsHarness()
        let limits = harness.directory.appendingPathComponent("limits").path
        let command = "grep 'Max core file size' /proc/$PPID/limits > '\(limits)'; echo '\(RecordsHarness.adminPassword)'"
        // A soft and hard limit above zero to start with, as a shell with `ulimit -c unlimited` has.
        let result = try harness.shell("ulimit -c unlimited; \"$KETLOG\" patient list",
                                       env: ["KETLOG_PASSWORD": "", "KETLOG_PASSWORD_COMMAND": command])
        XCTAssertEqual(result.status, 0, result.stderr)
        let line = try String(contentsOfFile: limits, encoding: .utf8)
        XCTAssertEqual(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2), ["0", "0"], line)
        // `init` too.
        let initLimits = limits + "-init"
        let store = harness.directory.appendingPathComponent("second/ketlog.db").path
        let created = try harness.shell("ulimit -c unlimited; \"$KETLOG\" init --store '\(store)' --admin admin --kdf-work-factor 10",
                                        env: ["KETLOG_PASSWORD": "", "KETLOG_PASSWORD_COMMAND": command.replacingOccurrences(of: limits, with: initLimits)])
        XCTAssertEqual(created.status, 0, created.stderr)
        let initLine = try String(contentsOfFile: initLimits, encoding: .utf8)
        XCTAssertEqual(initLine.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2), ["0", "0"], initLine)
    }
}
