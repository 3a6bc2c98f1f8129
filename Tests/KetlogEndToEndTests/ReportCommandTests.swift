import Foundation
import XCTest

/// `ketlog report …` run as a clinician would, over fixture cohorts imported from CSV.
final class ReportCommandTests: XCTestCase {
    private var ketlog: KetlogProcess!
    private var store: String!
    private let passphrase = "reports-e2e-passphrase"

    private var environment: [String: String] {
        ["KETLOG_PASSWORD": passphrase, "KETLOG_STORE": store, "KETLOG_TODAY": "2026-09-01"]
    }

    override func setUpWithError() throws {
        ketlog = try KetlogProcess()
        ketlog.secrets = [passphrase]
        store = ketlog.path("reports.db")
        let created = try ketlog.run(["init", "--kdf-work-factor", "10"], environment: environment)
        XCTAssertEqual(created.status, 0, created.stderr)
    }

    private var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    /// Imports the 8-patient cocaine fixture: one IV infusion each, four at 0.41 and four at
    /// 0.71 mg/kg, baseline use days averaging 22/28 and four-week follow-up averaging 5/28.
    private func importCocaineFixture() throws {
        for kind in ["patients", "sessions", "scores"] {
            let file = fixtures.appendingPathComponent("cocaine8-\(kind).csv").path
            let result = try ketlog.run(["import", file, "--kind", kind], environment: environment)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
    }

    private func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try ketlog.run(arguments + ["--format", "json"], environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func testCohortReproducesThePublishedMeans() throws {
        try importCocaineFixture()
        let text = try ketlog.run(["report", "cohort"], environment: environment)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("baseline   22.0"), text.stdout)
        XCTAssertTrue(text.stdout.contains("follow-up   5.0"), text.stdout)

        let cohort = try json(["report", "cohort"])
        XCTAssertEqual(cohort["n"] as? Int, 8)
        let baseline = try XCTUnwrap(cohort["baseline"] as? [String: Any])
        let followUp = try XCTUnwrap(cohort["follow_up"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(baseline["mean"] as? Double), 22, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(followUp["mean"] as? Double), 5, accuracy: 1e-9)
        // scipy.stats.wilcoxon([5,4,6,5,3,7,5,5], [20,22,24,22,21,23,22,22]).pvalue == 0.0078125
        // (tied differences, n = 8: the exhaustive sign-flip distribution).
        XCTAssertEqual(try XCTUnwrap(cohort["wilcoxon_p"] as? Double), 0.0078125, accuracy: 1e-6)
        XCTAssertEqual((cohort["missing"] as? [Any])?.count, 0)
    }

    func testByDoseSplitsTheCohortInTwo() throws {
        try importCocaineFixture()
        let cohort = try json(["report", "cohort", "--by", "dose"])
        let groups = try XCTUnwrap(cohort["groups"] as? [[String: Any]])
        XCTAssertEqual(groups.compactMap { $0["key"] as? String }, ["0.41 mg/kg", "0.71 mg/kg"])
        XCTAssertEqual(groups.compactMap { $0["n"] as? Int }, [4, 4])
    }

    func testEveryFormatCarriesTheAuditHead() throws {
        try importCocaineFixture()
        let verify = try ketlog.run(["audit", "verify"], environment: environment)
        let head = try XCTUnwrap(verify.stdout.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(head.count, 16)
        for format in ["text", "markdown", "json", "csv", "html"] {
            for report in [["report", "patient", "C-001"], ["report", "cohort"], ["report", "weekly", "--week", "2026-W28"]] {
                let result = try ketlog.run(report + ["--format", format], environment: environment)
                XCTAssertEqual(result.status, 0, "\(report) \(format): \(result.stderr)")
                XCTAssertTrue(result.stdout.contains(head), "\(report) \(format) lacks the audit head")
            }
        }
    }

    func testHTMLReportIsSelfContainedAndPrivate() throws {
        try importCocaineFixture()
        let output = ketlog.path("patient.html")
        let result = try ketlog.run(["report", "patient", "C-003", "--output", output], environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try ketlog.mode(output), 0o600)
        let html = try String(contentsOfFile: output, encoding: .utf8)
        XCTAssertTrue(html.contains("<svg"))
        XCTAssertFalse(html.lowercased().contains("<script"))
        XCTAssertFalse(html.contains("http://") || html.contains("https://"))
    }

    func testTextReportsFitEightyColumns() throws {
        try importCocaineFixture()
        for report in [["report", "patient", "C-001"], ["report", "cohort", "--by", "dose"], ["report", "weekly", "--week", "2026-W28"]] {
            let result = try ketlog.run(report, environment: environment)
            XCTAssertEqual(result.status, 0, result.stderr)
            for line in result.stdout.split(separator: "\n") {
                XCTAssertLessThanOrEqual(line.count, 80, "\(report): \(line)")
            }
        }
    }

    func testReportErrors() throws {
        try importCocaineFixture()
        let unknown = try ketlog.run(["report", "patient", "NOPE-1"], environment: environment)
        XCTAssertEqual(unknown.status, 65)
        XCTAssertEqual(unknown.stderrLines.count, 1)
        let badWeek = try ketlog.run(["report", "weekly", "--week", "2026-W60"], environment: environment)
        XCTAssertEqual(badWeek.status, 64)
        XCTAssertTrue(badWeek.stderr.contains("--week"))
        let badSubstance = try ketlog.run(["report", "cohort", "--substance", "tea"], environment: environment)
        XCTAssertEqual(badSubstance.status, 65)
        XCTAssertTrue(badSubstance.stderr.contains("substance"))
    }

    /// `--missing use|ignore` parses at the edge (patient and cohort) and is refused with the
    /// allowed values otherwise; a store without day records or screens shows no endpoints.
    func testMissingRuleOption() throws {
        try importCocaineFixture()
        for report in [["report", "cohort"], ["report", "patient", "C-001"]] {
            let bad = try ketlog.run(report + ["--missing", "sometimes"], environment: environment)
            XCTAssertEqual(bad.status, 64, report.joined(separator: " "))
            XCTAssertTrue(bad.stderr.contains("--missing") && bad.stderr.contains("ignore"), bad.stderr)
            let object = try json(report + ["--missing", "ignore"])
            XCTAssertNil(object["endpoints"], report.joined(separator: " "))
        }
        let badWindow = try ketlog.run(["report", "patient", "C-001", "--follow-up-days", "0"], environment: environment)
        XCTAssertEqual(badWindow.status, 64)
        XCTAssertTrue(badWindow.stderr.contains("--follow-up-days"), badWindow.stderr)
    }

    /// `--follow-up-days` is 1…365 (patient and cohort): outside, one line naming the option and
    /// the range, exit 64, before the passphrase, and no --output file; 365 itself is a report.
    func testFollowUpDaysIsBounded() throws {
        try importCocaineFixture()
        for report in [["report", "cohort"], ["report", "patient", "C-001"]] {
            for days in ["366", "0"] {
                let output = ketlog.path("bounded-\(days).json")
                let bad = try ketlog.run(report + ["--follow-up-days", days, "--output", output],
                                         environment: environment.filter { $0.key != "KETLOG_PASSWORD" })
                XCTAssertEqual(bad.status, 64, "\(report) \(days): \(bad.stderr)")
                XCTAssertEqual(bad.stderrLines, ["ketlog: error: --follow-up-days: must be a whole number from 1 to 365"],
                               "\(report) \(days)")
                XCTAssertFalse(FileManager.default.fileExists(atPath: output))
            }
            let longest = try json(report + ["--follow-up-days", "365"])
            XCTAssertNotNil(longest["audit"], report.joined(separator: " "))
        }
    }
}
