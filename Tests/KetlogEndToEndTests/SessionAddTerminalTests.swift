import Foundation
import XCTest

/// Interactive `session add` on a real terminal (tmux): from an empty command line to a saved
/// session, asking for the dose in the unit of the route's band — mg/kg and the weight for iv,
/// total mg for intranasal — and asking again after a bad answer.
final class SessionAddTerminalTests: XCTestCase {
    private func start() throws -> (RecordsHarness, TmuxTerminal) {
        let harness = try RecordsHarness()
        try harness.ok(["patient", "add", "P-0001", "--substance", "cocaine"])
        let terminal = try TmuxTerminal(["session", "add"], environment: harness.environment, directory: harness.directory)
        return (harness, terminal)
    }

    private func answer(_ terminal: TmuxTerminal, _ prompt: String, _ text: String) throws {
        _ = try terminal.waitFor(prompt)
        try terminal.type(text)
        try terminal.press("Enter")
    }

    func testIntravenousAsksForMgPerKgAndWeight() throws {
        let (harness, terminal) = try start()
        defer { terminal.close() }
        try answer(terminal, "Patient code", "P-0001")
        try answer(terminal, "Date (YYYY-MM-DD)", "2026-11-20")
        try answer(terminal, "Route (iv, im, intranasal", "iv")
        try answer(terminal, "Dose (mg/kg)", "0.5")
        try answer(terminal, "Weight (kg)", "0")
        _ = try terminal.waitFor("--weight-kg: must be a number above 0")
        try answer(terminal, "Weight (kg)", "72")
        try answer(terminal, "Infusion length (minutes)", "40")
        try answer(terminal, "Practitioner", "Dr Lee")
        let status = try terminal.exitStatus()
        let shown = try terminal.screen()
        XCTAssertEqual(status, 0, shown)
        XCTAssertFalse(try terminal.screen().contains("Total dose"), "iv's band is in mg/kg: no total mg is asked")
        let session = try harness.object(["session", "show", "ses-1"])
        XCTAssertEqual(session["route"] as? String, "iv")
        XCTAssertEqual(session["dose_mg_per_kg"] as? Double, 0.5)
        XCTAssertEqual(session["weight_kg"] as? Double, 72)
        XCTAssertEqual(session["dose_mg"] as? Double, 36)
        XCTAssertEqual(session["duration_min"] as? Int, 40)
    }

    func testIntranasalAsksForTotalMg() throws {
        let (harness, terminal) = try start()
        defer { terminal.close() }
        try answer(terminal, "Patient code", "P-0001")
        try answer(terminal, "Date (YYYY-MM-DD)", "2026-11-21")
        try answer(terminal, "Route (iv, im, intranasal", "intranasal")
        try answer(terminal, "Total dose (mg)", "56")
        try answer(terminal, "Practitioner", "Dr Lee")
        let status = try terminal.exitStatus()
        let shown = try terminal.screen()
        XCTAssertEqual(status, 0, shown)
        let screen = try terminal.screen()
        XCTAssertFalse(screen.contains("Weight (kg)") || screen.contains("Infusion length"), screen)
        let session = try harness.object(["session", "show", "ses-1"])
        XCTAssertEqual(session["route"] as? String, "intranasal")
        XCTAssertEqual(session["dose_mg"] as? Double, 56)
        XCTAssertTrue(session["weight_kg"] is NSNull)
    }
}
