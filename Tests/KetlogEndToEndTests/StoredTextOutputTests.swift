import Foundation
import XCTest

/// What reaches the terminal from stored data: a CR, an ESC sequence or a bidirectional override
/// can hide or rewrite what a clinician sees. Single-line fields refuse them at entry; notes keep
/// line breaks (a CR becomes one); text output escapes whatever is stored anyway.
final class StoredTextOutputTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws {
        ketlog = try RecordsHarness()
        try ketlog.ok(["patient", "add", "P-0001", "--substance", "cocaine"])
    }

    func testControlAndBidiCharactersAreRefusedInSingleLineFields() throws {
        try ketlog.refuse(["patient", "add", "P-0002", "--substance", "alcohol", "--name", "Ann\u{202E}eoR"], status: 65, field: "--name")
        try ketlog.refuse(["patient", "add", "P-0002", "--substance", "alcohol", "--name", "Ann\rRoe"], status: 65, field: "--name")
        try ketlog.refuse(["session", "add", "--patient", "P-0001", "--date", "2026-11-20", "--route", "intranasal", "--dose-mg", "56",
                           "--practitioner", "Dr \u{1B}[2JLee"], status: 65, field: "--practitioner")
    }

    func testACarriageReturnInNotesCannotHideTextInShow() throws {
        try ketlog.ok(["session", "add", "--patient", "P-0001", "--date", "2026-11-20", "--route", "intranasal", "--dose-mg", "56",
                       "--practitioner", "Dr Lee", "--notes", "patient agitated\rall fine"])
        let shown = try ketlog.ok(["session", "show", "ses-1"])
        XCTAssertFalse(shown.contains("\r"), shown)
        XCTAssertTrue(shown.contains("patient agitated\n"), shown)
        XCTAssertTrue(shown.contains("all fine"), shown)
    }

    func testAnEscapeSequenceInABackupFileNameIsShownEscapedInTheAuditLog() throws {
        let name = "nightly\u{1B}[2J\u{1B}[H.age"
        let output = ketlog.directory.appendingPathComponent(name).path
        try ketlog.ok(["backup", "export", "--output", output, "--passphrase"], env: ["KETLOG_BACKUP_PASSWORD": "backup pass"])
        let log = try ketlog.ok(["audit", "log"])
        XCTAssertFalse(log.contains("\u{1B}"), "a raw ESC reached the terminal: \(log.debugDescription)")
        XCTAssertTrue(log.contains("nightly\\u{1B}[2J"), log)  // the table cuts long cells to fit 80 columns
        // JSON keeps the name as it is, escaped as JSON.
        XCTAssertTrue(try ketlog.ok(["audit", "log", "--format", "json"]).contains("nightly\\u001b[2J"))
    }
}
