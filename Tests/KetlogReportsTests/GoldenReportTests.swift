import KetlogReports
import XCTest

/// Every report in every format against Tests/KetlogReportsTests/Golden (re-record with
/// KETLOG_RECORD_GOLDEN=1), plus the invariants each format must keep.
final class GoldenReportTests: XCTestCase {
    private func outputs() throws -> [(name: String, format: ReportFormat, text: String)] {
        let cocaine = Fixtures.cocaineCohort
        let patient = try PatientTrendReport(dataset: cocaine, patientCode: "P-0001")
        let cohort = CohortReport(dataset: cocaine, query: try CohortQuery())
        let byDose = CohortReport(dataset: cocaine, query: try CohortQuery(grouping: .dose))
        let abstinence = CohortReport(dataset: Fixtures.abstinenceCohort, query: try CohortQuery(grouping: .route))
        let weeklyData = Fixtures.weeklyActivity
        let weekly = WeeklyReport(dataset: weeklyData, week: WeekSelection.last.resolve(today: weeklyData.today))
        var out: [(String, ReportFormat, String)] = []
        for format in ReportFormat.allCases {
            let renderer = format.renderer(colour: false)
            out.append(("patient.\(format.fileExtension)", format, renderer.render(patient)))
            out.append(("cohort.\(format.fileExtension)", format, renderer.render(cohort)))
            out.append(("cohort-by-dose.\(format.fileExtension)", format, renderer.render(byDose)))
            out.append(("cohort-abstinence-by-route.\(format.fileExtension)", format, renderer.render(abstinence)))
            out.append(("weekly.\(format.fileExtension)", format, renderer.render(weekly)))
        }
        out.append(("patient-colour.txt", .text, ReportFormat.text.renderer(colour: true).render(patient)))
        return out
    }

    func testGoldenFiles() throws {
        for output in try outputs() { GoldenFile.assertMatches(output.text, output.name) }
    }

    func testEveryFormatShowsTheAuditHead() throws {
        for output in try outputs() {
            XCTAssertTrue(output.text.contains(Fixtures.audit.head), output.name)
            XCTAssertFalse(output.text.lowercased().contains("nan"), output.name)
        }
    }

    func testTextFitsEightyColumnsAndHasNoColourUnlessAsked() throws {
        for output in try outputs() where output.format == .text {
            let colour = output.name.contains("colour")
            XCTAssertEqual(output.text.contains("\u{1B}["), colour, output.name)
            let plain = output.text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
            for line in plain.split(separator: "\n") {
                XCTAssertLessThanOrEqual(line.count, 80, "\(output.name): \(line)")
            }
        }
    }

    func testHTMLIsSelfContained() throws {
        for output in try outputs() where output.format == .html {
            let lower = output.text.lowercased()
            XCTAssertFalse(lower.contains("<script"), output.name)
            XCTAssertFalse(lower.contains("http"), output.name)
            XCTAssertFalse(lower.contains("src="), output.name)
            if !output.name.hasPrefix("weekly") { XCTAssertTrue(lower.contains("<svg"), output.name) }
        }
    }

    func testHTMLEscapesText() throws {
        let dataset = ReportDataset(
            patients: [ReportPatient(id: 1, code: "<b>&\"x'", substances: ["other"])],
            sessions: [ReportSession(id: 1, patientID: 1, date: Fixtures.date("2026-01-01"), route: "iv",
                                     doseMgPerKg: 0.5, doseMg: 35, practitioner: "<script>alert(1)</script>")],
            scores: [], audit: Fixtures.audit, today: Fixtures.date("2026-01-02"))
        let html = HTMLRenderer().render(try PatientTrendReport(dataset: dataset, patientCode: "<b>&\"x'"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("<b>&"))
        XCTAssertTrue(html.contains("&lt;b&gt;&amp;&quot;x&#39;"))
    }

    func testJSONParsesAndHasTheDesignKeys() throws {
        for output in try outputs() where output.format == .json {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.text.utf8)) as? [String: Any])
            let keys: [String] = switch object["report"] as? String {
            case "patient": ["patient", "treatment_start", "baseline", "latest", "change", "scores", "sessions"]
            case "cohort": ["n", "missing", "baseline", "follow_up", "difference", "wilcoxon_p", "abstinent_pct",
                            "reduced_50_pct", "groups"]
            default: ["week", "from", "to", "sessions", "patients_treated", "new_patients", "scores", "alerts",
                      "overdue", "audit"]
            }
            for key in keys { XCTAssertNotNil(object[key], "\(output.name) lacks \(key)") }
            let audit = try XCTUnwrap(object["audit"] as? [String: Any])
            XCTAssertEqual(audit["head"] as? String, Fixtures.audit.head)
            XCTAssertEqual(audit["verified"] as? Bool, true)
        }
    }
}
