/// Which score counts as a patient's follow-up: the one closest to T0 + `days`, within
/// ±`toleranceDays`, dated after T0; a tie goes to the later score.
public struct FollowUpRule: Sendable, Hashable {
    /// `--follow-up-days F` (default 28).
    public var days: Int
    /// `--tolerance-days T` (default 7).
    public var toleranceDays: Int

    /// - Throws: `ReportError.invalidParameter` for `days` < 1 or a negative tolerance.
    public init(days: Int = 28, toleranceDays: Int = 7) throws(ReportError) {
        guard days >= 1 else { throw .invalidParameter(name: "follow-up-days") }
        guard toleranceDays >= 0 else { throw .invalidParameter(name: "tolerance-days") }
        self.days = days
        self.toleranceDays = toleranceDays
    }

    /// 28 ± 7 days.
    public static let standard = try! FollowUpRule()
}
