/// Which score counts as a patient's follow-up: the one closest to T0 + `days`, within
/// ±`toleranceDays`, dated after T0; a tie goes to the later score. `days` is also F, the
/// daily-use window (days 1…F after T0).
public struct FollowUpRule: Sendable, Hashable {
    /// `--follow-up-days F` (default 28).
    public var days: Int
    /// `--tolerance-days T` (default 7).
    public var toleranceDays: Int

    /// What `--follow-up-days` may be: a day up to a year after T0.
    public static let allowedDays = 1...365

    /// - Throws: `ReportError.outOfRange` for `days` outside `allowedDays`,
    ///   `ReportError.invalidParameter` for a negative tolerance.
    public init(days: Int = 28, toleranceDays: Int = 7) throws(ReportError) {
        guard FollowUpRule.allowedDays.contains(days) else {
            throw .outOfRange(name: "follow-up-days", allowed: FollowUpRule.allowedDays)
        }
        guard toleranceDays >= 0 else { throw .invalidParameter(name: "tolerance-days") }
        self.days = days
        self.toleranceDays = toleranceDays
    }

    /// 28 ± 7 days.
    public static let standard = try! FollowUpRule()
}
