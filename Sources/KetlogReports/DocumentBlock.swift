/// One piece of content in a `DocumentSection`.
public enum DocumentBlock: Sendable {
    /// Label/value pairs.
    case facts([DocumentFact])
    /// Rows under headers.
    case table(DocumentTable)
    /// A sentence, e.g. why a statistic is absent.
    case note(String)
    /// A chart (sparklines in text, SVG in HTML).
    case chart(DocumentChart)
    /// A daily calendar (rows of marks in text, a heat map in HTML).
    case calendar(DocumentCalendar)
}
