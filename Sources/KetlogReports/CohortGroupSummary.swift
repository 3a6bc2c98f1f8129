/// The cohort statistics of one group (or of the whole cohort, key "all").
public struct CohortGroupSummary: Sendable, Hashable {
    /// The group's name: "all", "0.41 mg/kg", "iv", "cocaine", a practitioner.
    public var key: String
    /// Patients with a complete pair.
    public var n: Int
    public var missing: [CohortMissing]
    /// Use days per 28: the primary outcome.
    public var useDays: PairedComparison
    /// Craving 0–10, compared the same way.
    public var craving: PairedComparison
    /// The daily-use endpoints; nil when the dataset holds no day records or screens at all.
    public var endpoints: CohortEndpoints?
}
