/// A headed part of a `ReportDocument`.
public struct DocumentSection: Sendable {
    public var heading: String
    public var blocks: [DocumentBlock]
}
