import KetlogModel
/// A change to an existing record, counted by the weekly report.
public struct ReportAmendment: Sendable, Hashable {
    /// Whether a record got a new version or was voided.
    public enum Kind: String, Sendable, Hashable {
        /// `… amend ID --reason …`: a new version.
        case amend
        /// `… void ID --reason …`: the record no longer counts.
        case void
    }

    /// The day the change was made (UTC date of the audit entry, as the caller chooses).
    public var date: ClinicalDate
    /// Amendment or void.
    public var kind: Kind

    public init(date: ClinicalDate, kind: Kind) {
        self.date = date
        self.kind = kind
    }
}
