/// Turns a report into the text of one output format. One conforming type per format; pick it
/// with `ReportFormat.renderer(colour:)`. Text, Markdown and HTML render the report's
/// `ReportDocument`; JSON and CSV render its `JSONValue` tree.
public protocol ReportRenderer: Sendable {
    func render(_ report: some RenderableReport) -> String
}
