import XCTest

/// `ketlog … | head` ends quietly: a closed pipe is exit 0 and nothing on stderr, never a crash.
final class OutputPipeTests: XCTestCase {
    func testListIntoHeadEndsQuietly() throws {
        let harness = try RecordsHarness()
        try harness.addScores(3000)
        // pipefail: the pipeline's status is ketlog's when ketlog fails.
        let list = try harness.shell("\"$KETLOG\" score list | head -1")
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertEqual(list.stderr, "")
        XCTAssertTrue(list.stdout.hasPrefix("id"), list.stdout)
        let export = try harness.shell("\"$KETLOG\" export --kind scores | head -1")
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(export.stderr, "")
        XCTAssertEqual(export.stdout, "patient,date,craving,use_days,window_days,substance\n")
    }
}
