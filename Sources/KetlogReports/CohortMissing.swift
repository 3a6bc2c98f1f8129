import KetlogModel
/// A patient in the cohort without a complete baseline/follow-up pair or daily-use window. Listed,
/// never dropped.
public struct CohortMissing: Sendable, Hashable {
    /// Which part of the pair is missing.
    public enum Reason: String, Sendable, Hashable {
        case noBaseline = "no baseline score on or before treatment start"
        case noFollowUp = "no follow-up score in the window"
        case noBaselineOrFollowUp = "no baseline and no follow-up score"
        /// No day record or positive screen in days 1…F (only when the clinic keeps the calendar).
        case noDailyData = "no daily data in the window"
        /// T0 + F is after the report's today: the window has days not yet observed.
        case windowIncomplete = "follow-up window not yet complete"
    }

    public var patientCode: String
    public var treatmentStart: ClinicalDate
    public var reason: Reason
}
