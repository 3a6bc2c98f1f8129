import XCTest

/// Argument errors name the option or the position, never the value typed: a name typed without
/// quotes must not end up in cron mail.
final class ArgumentErrorTests: XCTestCase {
    func testAnUnquotedNameIsNotEchoed() throws {
        let harness = try RecordsHarness()
        let result = try harness.run(["patient", "add", "Jane", "Roe"])
        XCTAssertEqual(result.status, 64)
        XCTAssertFalse(result.stderr.contains("Roe"), result.stderr)
        XCTAssertFalse(result.stderr.contains("Jane"), result.stderr)
        XCTAssertEqual(result.errorLines.count, 1, result.stderr)
        XCTAssertTrue(result.errorLines.first?.contains("argument 4") ?? false, result.stderr)
    }

    func testABadValueNamesItsOptionOnly() throws {
        let harness = try RecordsHarness()
        let result = try harness.run(["score", "add", "--patient", "P-0001", "--date", "2026-11-01", "--craving", "Smith",
                                      "--use-days", "3"])
        XCTAssertEqual(result.status, 64)
        XCTAssertFalse(result.stderr.contains("Smith"), result.stderr)
        XCTAssertTrue(result.errorLines.first?.contains("--craving") ?? false, result.stderr)
        let inline = try harness.run(["patient", "add", "P-0009", "--substance", "cocaine", "--nmae=Jane Roe"])
        XCTAssertEqual(inline.status, 64)
        XCTAssertFalse(inline.stderr.contains("Jane"), inline.stderr)
    }

    func testHelpStillWorks() throws {
        let harness = try RecordsHarness()
        let help = try harness.run(["help", "patient"])
        XCTAssertEqual(help.status, 0, help.stderr)
        XCTAssertTrue(help.stdout.contains("USAGE: ketlog patient"), help.stdout)
    }
}
