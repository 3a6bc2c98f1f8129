import Foundation
import XCTest

/// `--edit-notes` runs `$VISUAL`/`$EDITOR` in the terminal's foreground process group, so a real
/// `vi` and `nano` can read the keyboard and draw; driven here through tmux.
final class TerminalEditorTests: XCTestCase {
    static let sessionAdd = ["session", "add", "--patient", "P-0001", "--date", "2026-11-20", "--route", "iv",
                             "--dose-mg-per-kg", "0.5", "--weight-kg", "72", "--duration-min", "40",
                             "--practitioner", "Lee", "--edit-notes"]

    func edit(with editor: String, drive: (TmuxTerminal) throws -> Void) throws -> (status: Int32?, notes: String?) {
        let harness = try RecordsHarness()
        try harness.ok(["patient", "add", "P-0001", "--substance", "cocaine"])
        var environment = harness.environment
        environment["EDITOR"] = editor
        let terminal = try TmuxTerminal(Self.sessionAdd, environment: environment, directory: harness.directory)
        defer { terminal.close() }
        try drive(terminal)
        let status = try terminal.exitStatus()
        guard status == 0 else { return (status, nil) }
        let session = try harness.object(["session", "show", "ses-1"])
        return (status, session["notes"] as? String)
    }

    func testVi() throws {
        let result = try edit(with: "vi") { terminal in
            try terminal.waitFor("notes.txt")
            try terminal.type("iintegration went well")
            try terminal.press("Escape")
            try terminal.type(":wq")
            try terminal.press("Enter")
        }
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.notes?.trimmingCharacters(in: .newlines), "integration went well")
    }

    func testNano() throws {
        let result = try edit(with: "nano") { terminal in
            try terminal.waitFor("notes.txt")  // the title bar; a long path pushes "GNU nano" out
            try terminal.type("slept through the session")
            try terminal.press("C-o")
            try terminal.waitFor("File Name to Write")
            try terminal.press("Enter")
            try terminal.press("C-x")
        }
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.notes?.trimmingCharacters(in: .newlines), "slept through the session")
    }
}
