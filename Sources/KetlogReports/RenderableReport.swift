/// A computed report in the two shapes renderers need: laid out for people, and as a JSON tree.
/// `PatientTrendReport`, `CohortReport` and `WeeklyReport` conform.
public protocol RenderableReport: Sendable {
    /// Titled sections for text, Markdown and HTML, with the audit footer.
    var document: ReportDocument { get }
    /// Snake_case keys in a fixed order for JSON and CSV.
    var jsonValue: JSONValue { get }
}

extension PatientTrendReport: RenderableReport {}
extension CohortReport: RenderableReport {}
extension WeeklyReport: RenderableReport {}
