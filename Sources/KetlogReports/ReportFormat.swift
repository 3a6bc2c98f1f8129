/// `--format text|markdown|json|csv|html`.
public enum ReportFormat: String, Sendable, Hashable, CaseIterable {
    case text
    case markdown
    case json
    case csv
    case html

    /// The renderer for this format. `colour` matters only for text: the CLI passes true when
    /// stdout is a terminal and `NO_COLOR` is unset.
    public func renderer(colour: Bool = false) -> any ReportRenderer {
        switch self {
        case .text: TextRenderer(colour: colour)
        case .markdown: MarkdownRenderer()
        case .json: JSONRenderer()
        case .csv: CSVRenderer()
        case .html: HTMLRenderer()
        }
    }

    /// The usual file extension, for `--output` defaults and golden files.
    public var fileExtension: String {
        switch self {
        case .text: "txt"
        case .markdown: "md"
        case .json: "json"
        case .csv: "csv"
        case .html: "html"
        }
    }
}
