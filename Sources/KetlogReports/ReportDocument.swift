/// A report laid out for people: titled sections of facts, tables, notes and charts, plus the
/// audit footer. Text, Markdown and HTML render this one structure, so they always show the same
/// content; JSON and CSV render `JSONValue` trees instead.
public struct ReportDocument: Sendable {
    public var title: String
    public var sections: [DocumentSection]
    public var audit: AuditStatus

    /// The footer line every format shows, e.g. "audit chain verified, 42 entries, head 0123…".
    public var auditLine: String {
        let state = audit.verified ? "verified" : "NOT VERIFIED"
        return "audit chain \(state), \(audit.entries) entries, head \(audit.head)"
    }
}
