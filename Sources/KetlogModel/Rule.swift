/// What a field allows: the half of a validation failure that says how to put it right.
///
/// Rules carry no value the user typed, only the constraint; the CLI writes the sentence.
public enum Rule: Sendable, Equatable {
    /// An existing calendar day written `YYYY-MM-DD`; `notInFuture` when after today is refused.
    case isoDate(notInFuture: Bool)
    /// A date on or after the patient's birth date.
    case onOrAfterBirthDate
    /// `HH:MM`, 24-hour.
    case clockTime
    /// One of a fixed vocabulary (raw values in their order).
    case oneOf([String])
    /// At least one of a fixed vocabulary.
    case atLeastOneOf([String])
    /// A whole number in the range.
    case wholeNumber(ClosedRange<Int>)
    /// A finite number above zero and at most `maximum` (in `unit`).
    case positiveNumber(maximum: Double, unit: String)
    /// Any number, where text was given (a prompt's answer).
    case number
    /// Trimmed text of at most `limit` characters; `multiline` allows line breaks and tabs.
    case text(limit: Int, multiline: Bool)
    /// Text that is not empty.
    case nonEmptyText
    /// Text without `;`, which separates list items in CSV.
    case noSemicolon
    /// A patient code: 1–32 ASCII letters, digits, `-`, `_` or `.`.
    case patientCode
    /// A patient in the store who is not void.
    case livePatient
    /// Total mg equal to mg/kg × weight, within rounding, when all three are given.
    case doseAgreesWithWeight
    /// A body weight, because the dose was given per kg.
    case weightForDosePerKg
    /// A body weight, because the route's band is in mg/kg.
    case weightForRoute(Route)
    /// A dose: mg/kg with a weight, or total mg.
    case doseGiven
    /// A dose inside the route's usual band, unless an unusual dose is allowed.
    case withinBand(Route)
    /// The infusion length, required for the route.
    case requiredForRoute(Route)
    /// A value is required here.
    case required
    /// A whole number above the value of the other field (systolic above diastolic).
    case above(Field)
    /// A whole number at most the value of the other field (ready within the monitoring time).
    case atMost(Field)
    /// At least one of these fields must be given.
    case atLeastOneField([Field])
    /// Blood pressure as `SYS/DIA`: whole numbers in the systolic and diastolic ranges.
    case bloodPressure(systolic: ClosedRange<Int>, diastolic: ClosedRange<Int>)
    /// When vitals were taken: `pre`, `discharge`, or minutes after the first dose in the range.
    case vitalsMoment(ClosedRange<Int>)
    /// The last day of a range of days: on or after the first, not in the future, at most
    /// `maxDays` days in all.
    case dayRange(maxDays: Int)
    /// A session in the store that is not void.
    case liveSession
    /// Exactly one live session of the row's patient on that date (and time, when given):
    /// `ambiguous` when there are several, else there is none.
    case oneSession(ambiguous: Bool)
}
