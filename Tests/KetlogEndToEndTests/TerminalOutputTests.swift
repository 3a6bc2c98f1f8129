import Foundation
import XCTest

/// At a real terminal (tmux): the passphrase prompt does not echo, a long import draws a progress
/// bar (and never when stderr is a pipe), and reports use colour unless `NO_COLOR` is set.
final class TerminalOutputTests: XCTestCase {
    func testPassphrasePromptDoesNotEcho() throws {
        let harness = try RecordsHarness()
        var environment = harness.environment
        environment["KETLOG_PASSWORD"] = nil
        let terminal = try TmuxTerminal(["patient", "list"], environment: environment, directory: harness.directory)
        defer { terminal.close() }
        try terminal.waitFor("Passphrase for admin:")
        try terminal.type(RecordsHarness.adminPassword)
        try terminal.press("Enter")
        XCTAssertEqual(try terminal.exitStatus(), 0)
        let screen = try terminal.screen()
        XCTAssertTrue(screen.contains("code"), screen)
        XCTAssertFalse(screen.contains(RecordsHarness.adminPassword))
        XCTAssertFalse(terminal.raw().contains(RecordsHarness.adminPassword))
    }

    func testImportDrawsAProgressBarOnlyOnATerminal() throws {
        let harness = try RecordsHarness()
        try harness.ok(["patient", "add", "P-0001", "--substance", "cocaine"])
        var csv = "patient,date,craving,use_days,window_days,substance\n"
        for index in 0..<20000 { csv += "P-0001,2026-0\(1 + index % 9)-1\(index % 9),\(index % 11),\(index % 29),28,\n" }
        let file = try harness.write("scores.csv", csv)
        let terminal = try TmuxTerminal(["import", file, "--kind", "scores"], environment: harness.environment,
                                        directory: harness.directory)
        defer { terminal.close() }
        XCTAssertEqual(try terminal.exitStatus(), 0)
        XCTAssertTrue(terminal.raw().contains("importing "), terminal.raw())
        XCTAssertTrue(terminal.raw().contains("%"), terminal.raw())
        // stderr to a file (as under cron): no bar.
        let piped = try harness.run(["import", file, "--kind", "scores", "--dry-run"])
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stderr, "")
    }

    func testReportColourFollowsNoColor() throws {
        let harness = try RecordsHarness()
        let report = ["report", "weekly", "--week", "2026-W47"]
        let coloured = try TmuxTerminal(report, environment: harness.environment, directory: harness.directory)
        defer { coloured.close() }
        XCTAssertEqual(try coloured.exitStatus(), 0)
        XCTAssertTrue(coloured.raw().contains("\u{1B}[32maudit chain verified"), coloured.raw())
        var environment = harness.environment
        environment["NO_COLOR"] = "1"
        let plain = try TmuxTerminal(report, environment: environment, directory: harness.directory)
        defer { plain.close() }
        XCTAssertEqual(try plain.exitStatus(), 0)
        XCTAssertTrue(plain.raw().contains("audit chain verified"), plain.raw())
        XCTAssertFalse(plain.raw().contains("\u{1B}[32m"), plain.raw())
        XCTAssertFalse(plain.raw().contains("\u{1B}[1m"), plain.raw())
    }
}
