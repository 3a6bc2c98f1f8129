/// Turns a report into the bytes of one output format. One conforming type per format; pick it
/// with `ReportFormat.renderer(colour:)`.
public protocol ReportRenderer: Sendable {
    func render(_ report: PatientTrendReport) -> String
    func render(_ report: CohortReport) -> String
    func render(_ report: WeeklyReport) -> String
}

/// A renderer for people's formats: it renders the report's `ReportDocument`.
protocol DocumentRenderer: ReportRenderer {
    func render(document: ReportDocument) -> String
}

extension DocumentRenderer {
    public func render(_ report: PatientTrendReport) -> String { render(document: report.document) }
    public func render(_ report: CohortReport) -> String { render(document: report.document) }
    public func render(_ report: WeeklyReport) -> String { render(document: report.document) }
}

/// A renderer for machines' formats: it renders the report's `JSONValue` tree.
protocol TreeRenderer: ReportRenderer {
    func render(tree: JSONValue) -> String
}

extension TreeRenderer {
    public func render(_ report: PatientTrendReport) -> String { render(tree: report.jsonValue) }
    public func render(_ report: CohortReport) -> String { render(tree: report.jsonValue) }
    public func render(_ report: WeeklyReport) -> String { render(tree: report.jsonValue) }
}
