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
        let dailyPatient = try PatientTrendReport(dataset: Fixtures.dailyPatient, patientCode: "D-01")
        let endpointsByDose = CohortReport(dataset: Fixtures.dailyCohort, query: try CohortQuery(grouping: .dose))
        let safetyData = Fixtures.weeklySafety
        let weeklySafety = WeeklyReport(dataset: safetyData, week: WeekSelection.last.resolve(today: safetyData.today))
        var out: [(String, ReportFormat, String)] = []
        for format in ReportFormat.allCases {
            let renderer = format.renderer(colour: false)
            out.append(("patient.\(format.fileExtension)", format, renderer.render(patient)))
            out.append(("cohort.\(format.fileExtension)", format, renderer.render(cohort)))
            out.append(("cohort-by-dose.\(format.fileExtension)", format, renderer.render(byDose)))
            out.append(("cohort-abstinence-by-route.\(format.fileExtension)", format, renderer.render(abstinence)))
            out.append(("weekly.\(format.fileExtension)", format, renderer.render(weekly)))
            out.append(("patient-daily.\(format.fileExtension)", format, renderer.render(dailyPatient)))
            out.append(("cohort-endpoints-by-dose.\(format.fileExtension)", format, renderer.render(endpointsByDose)))
            out.append(("weekly-safety.\(format.fileExtension)", format, renderer.render(weeklySafety)))
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
            let daily = output.name.contains("daily") || output.name.contains("endpoints") || output.name.contains("safety")
            let dailyKeys = switch object["report"] as? String {
            case "patient": ["endpoints", "calendar", "screens", "vitals"]
            case "cohort": ["endpoints"]
            default: ["safety", "positive_screens"]
            }
            for key in dailyKeys { XCTAssertEqual(object[key] != nil, daily, "\(output.name): \(key)") }
            let audit = try XCTUnwrap(object["audit"] as? [String: Any])
            XCTAssertEqual(audit["head"] as? String, Fixtures.audit.head)
            XCTAssertEqual(audit["verified"] as? Bool, true)
        }
    }
}

/// The key layout of the daily-use endpoints in JSON, as DESIGN names it.
final class EndpointsJSONTests: XCTestCase {
    func testCohortAndGroupEndpointKeys() throws {
        let report = CohortReport(dataset: Fixtures.dailyCohort, query: try CohortQuery(grouping: .dose, missingRule: .ignore))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(JSONRenderer().render(report).utf8)) as? [String: Any])
        let groups = try XCTUnwrap(object["groups"] as? [[String: Any]])
        XCTAssertEqual(groups.count, 2)
        for endpoints in try [object["endpoints"]] + groups.map({ $0["endpoints"] }) {
            let e = try XCTUnwrap(endpoints as? [String: Any])
            XCTAssertEqual(e["missing_rule"] as? String, "ignore")
            XCTAssertEqual(e["window_days"] as? Int, 28)
            for key in ["patients_with_daily_data", "pct_days_abstinent", "longest_abstinence_days", "abstinent_last_14_pct", "relapse"] {
                XCTAssertNotNil(e[key], key)
            }
            for summary in ["pct_days_abstinent", "longest_abstinence_days"] {
                XCTAssertEqual(Set((e[summary] as? [String: Any] ?? [:]).keys), ["mean", "sd", "median"])
            }
            let relapse = try XCTUnwrap(e["relapse"] as? [String: Any])
            XCTAssertEqual(Set(relapse.keys), ["events", "censored", "median_days", "survival_14", "survival_28", "curve"])
            let curve = try XCTUnwrap(relapse["curve"] as? [[String: Any]])
            XCTAssertFalse(curve.isEmpty)
            XCTAssertEqual(Set(curve[0].keys), ["day", "at_risk", "events", "survival"])
        }
        let missing = try XCTUnwrap(object["missing"] as? [[String: Any]])
        XCTAssertEqual(missing.filter { $0["reason"] as? String == "no daily data in the window" }.map { $0["patient"] as? String },
                       ["D-14", "D-15"])
    }

    func testPatientEndpointKeysAndCalendar() throws {
        let report = try PatientTrendReport(dataset: Fixtures.dailyPatient, patientCode: "D-12")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(JSONRenderer().render(report).utf8)) as? [String: Any])
        let endpoints = try XCTUnwrap(object["endpoints"] as? [String: Any])
        // D-12: day 3 use (contradictory records), day 9 missing (voided) → use under the default rule.
        XCTAssertEqual(endpoints["relapse_day"] as? Int, 3)
        XCTAssertTrue(endpoints["censored_day"] is NSNull)
        XCTAssertEqual(endpoints["longest_abstinence_days"] as? Int, 19)
        XCTAssertEqual(endpoints["abstinent_last_14"] as? Bool, true)
        let calendar = try XCTUnwrap(object["calendar"] as? [[String: Any]])
        XCTAssertEqual(calendar.count, 28)
        XCTAssertEqual(calendar[2]["status"] as? String, "use")
        XCTAssertEqual(calendar[8]["status"] as? String, "missing")
        XCTAssertEqual(calendar[0]["date"] as? String, "2026-03-15")
    }
}

extension EndpointsJSONTests {
    /// A patient without a session has no window: the endpoints are null, the calendar empty.
    func testPatientWithoutTreatmentStartHasNullEndpoints() throws {
        var dataset = Fixtures.dailyCohort
        dataset.patients.append(ReportPatient(id: 99, code: "D-99", substances: ["cocaine"]))
        dataset.days.append(ReportDay(id: 9999, patientID: 99, date: Fixtures.date("2026-04-01"), substance: nil, used: true))
        let report = try PatientTrendReport(dataset: dataset, patientCode: "D-99")
        XCTAssertNil(report.dailyUse)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(JSONRenderer().render(report).utf8)) as? [String: Any])
        let endpoints = try XCTUnwrap(object["endpoints"] as? [String: Any])
        for key in ["pct_days_abstinent", "longest_abstinence_days", "abstinent_last_14", "relapse_day", "censored_day"] {
            XCTAssertTrue(endpoints[key] is NSNull, key)
        }
        XCTAssertEqual((object["calendar"] as? [Any])?.count, 0)
    }
}
