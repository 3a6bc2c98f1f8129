/// Everything that can go wrong while selecting or computing a report.
///
/// Cases carry no patient data; the CLI writes the message for each case once.
public enum ReportError: Error, Sendable, Equatable {
    /// A `--week` value that is neither `last`, `this` nor an existing `YYYY-Www`.
    case invalidWeek
    /// A date that is not an existing `YYYY-MM-DD` day.
    case invalidDate
    /// The patient asked for is not in the dataset (the code is deliberately not repeated).
    case patientNotFound
    /// A parameter outside its allowed range (follow-up or tolerance days negative, `from` after `to`).
    case invalidParameter(name: String)
    /// A whole-number parameter outside the range it must lie in (`--follow-up-days` 1…365).
    case outOfRange(name: String, allowed: ClosedRange<Int>)
}
