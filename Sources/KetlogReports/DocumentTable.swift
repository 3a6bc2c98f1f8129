/// A table of already formatted cells; `numeric` columns are right-aligned.
public struct DocumentTable: Sendable {
    public var headers: [String]
    /// Indices of columns to right-align.
    public var numeric: Set<Int>
    public var rows: [[String]]
}
