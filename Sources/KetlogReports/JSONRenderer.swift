/// `--format json`: snake_case keys in a fixed order, absent statistics as null.
public struct JSONRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: some RenderableReport) -> String { report.jsonValue.encoded() }
}
