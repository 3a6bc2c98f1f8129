/// The clinic's field rules, each a function that returns the normalised value or throws
/// `ModelError.invalid(field, rule)`. Drafts, prompts and imports all call these, so a rule and
/// its limits are written once.
public enum Rules {
    /// Longest single-line text (names, practitioner, reasons).
    public static let maxText = 200
    /// Longest notes.
    public static let maxNotes = 20_000
    /// Longest adverse-event description.
    public static let maxAdverseEvent = 500
    /// Craving scale.
    public static let craving = 0...10
    /// A score's recall window in days.
    public static let windowDays = 1...90
    /// The default recall window (DESIGN: use days in the past 28).
    public static let defaultWindowDays = 28
    /// An infusion's length in minutes.
    public static let durationMin = 1...1440
    /// Above these a value is absurd, whatever the route or an allowance says.
    public static let maxWeightKg = 400.0
    public static let maxDoseMg = 1000.0
    public static let maxDoseMgPerKg = 10.0
    /// Session monitoring: minutes from the first dose to the end of monitoring, and until the
    /// patient was ready to leave (never after monitoring ended, when both are given).
    public static let monitoringMin = 0...1440
    public static let readyMin = 0...1440
    /// A vial's lot number.
    public static let maxLot = 64
    /// Vitals (DESIGN "Monitoring"): blood pressure in mmHg (systolic above diastolic), heart
    /// rate per minute, SpO2 in %, respiratory rate per minute, MOAA/S 5 (awake) … 0
    /// (unresponsive), CADSS total of 23 items scored 0–4.
    public static let systolic = 50...260
    public static let diastolic = 20...160
    public static let heartRate = 20...250
    public static let spo2 = 50...100
    public static let respiratoryRate = 4...60
    public static let moaas = 0...5
    public static let cadss = 0...92
    /// Longest note on a vitals record, and a day's amount.
    public static let maxVitalsNote = 500
    /// The most days one `day add --date … --to …` may record (a leap year).
    public static let maxDayRange = 366
    /// Years a clinical date may lie in.
    public static let years = 1900...2999

    // MARK: Parsing text at the edge

    /// A date typed as `YYYY-MM-DD`; the future check is the draft's (it knows today).
    public static func date(_ text: String, _ field: Field, notInFuture: Bool = true) throws -> ClinicalDate {
        guard let date = ClinicalDate(iso: text.trimmingWhitespace()), years.contains(date.year) else {
            throw ModelError.invalid(field, .isoDate(notInFuture: notInFuture))
        }
        return date
    }

    /// A time typed as `HH:MM`.
    public static func time(_ text: String, _ field: Field = .time) throws -> ClockTime {
        guard let time = ClockTime(text.trimmingWhitespace()) else { throw ModelError.invalid(field, .clockTime) }
        return time
    }

    /// A value of a fixed vocabulary, ignoring case and surrounding spaces.
    public static func term<T: RawRepresentable & CaseIterable>(_ text: String, _ field: Field) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: text.trimmingWhitespace().lowercased()) else {
            throw ModelError.invalid(field, .oneOf(T.allCases.map(\.rawValue)))
        }
        return value
    }

    /// A whole number typed as text (a prompt's answer), then checked against `range` if given.
    public static func wholeNumber(_ text: String, _ field: Field, in range: ClosedRange<Int>? = nil) throws -> Int {
        guard let value = Int(text.trimmingWhitespace()) else {
            throw ModelError.invalid(field, range.map(Rule.wholeNumber) ?? .wholeNumber(Int.min...Int.max))
        }
        return try range.map { try wholeNumber(value, field, in: $0) } ?? value
    }

    /// A number typed as text (a prompt's answer).
    public static func number(_ text: String, _ field: Field) throws -> Double {
        guard let value = Double(text.trimmingWhitespace()), value.isFinite else { throw ModelError.invalid(field, .number) }
        return value
    }

    /// A patient code: 1–32 letters, digits, '-', '_' or '.', trimmed.
    public static func patientCode(_ text: String, _ field: Field = .code) throws -> String {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.utf8.count <= 32,
              trimmed.utf8.allSatisfy({ byte in
                  (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
                      || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
              })
        else { throw ModelError.invalid(field, .patientCode) }
        return trimmed
    }

    /// A patient code as compared: codes are unique ignoring ASCII case.
    public static func foldedCode(_ code: String) -> String { code.trimmingWhitespace().lowercased() }

    // MARK: Checking typed values

    /// A whole number in `range`.
    public static func wholeNumber(_ value: Int, _ field: Field, in range: ClosedRange<Int>) throws -> Int {
        guard range.contains(value) else { throw ModelError.invalid(field, .wholeNumber(range)) }
        return value
    }

    /// A finite number above zero and at most `maximum`.
    public static func positive(_ value: Double, _ field: Field, maximum: Double, unit: String) throws -> Double {
        guard value.isFinite, value > 0, value <= maximum else {
            throw ModelError.invalid(field, .positiveNumber(maximum: maximum, unit: unit))
        }
        return value
    }

    /// A date no earlier than 1900 and, when `today` is given, not after it.
    public static func date(_ date: ClinicalDate, _ field: Field, notAfter today: ClinicalDate?) throws -> ClinicalDate {
        guard years.contains(date.year), today.map({ date <= $0 }) ?? true else {
            throw ModelError.invalid(field, .isoDate(notInFuture: today != nil))
        }
        return date
    }

    /// A record's required date: given, not after `today`, not before the birth date (if known).
    public static func recordDate(_ value: ClinicalDate?, birthDate: ClinicalDate?, today: ClinicalDate) throws -> ClinicalDate {
        guard let value else { throw ModelError.invalid(.date, .required) }
        _ = try date(value, .date, notAfter: today)
        if let birthDate, value < birthDate { throw ModelError.invalid(.date, .onOrAfterBirthDate) }
        return value
    }

    /// Free text: trimmed; nil when empty (an error when `required`); no control characters or
    /// bidirectional overrides (line breaks and tabs only where `multiline`, CRLF and CR turned
    /// into LF); at most `limit` characters.
    public static func text(_ value: String?, _ field: Field, required: Bool = false, multiline: Bool = false,
                            limit: Int = maxText) throws -> String? {
        guard var trimmed = value?.trimmingWhitespace(newlines: true), !trimmed.isEmpty else {
            if required { throw ModelError.invalid(field, .nonEmptyText) }
            return nil
        }
        if multiline && trimmed.utf8.contains(0x0D) {
            trimmed = trimmed.replacingCarriageReturns()
        }
        guard TextSafety.isClean(trimmed, multiline: multiline), trimmed.utf8.count <= limit || trimmed.count <= limit else {
            throw ModelError.invalid(field, .text(limit: limit, multiline: multiline))
        }
        return trimmed
    }

    /// `text` that must be given.
    public static func requiredText(_ value: String?, _ field: Field, limit: Int = maxText) throws -> String {
        guard let text = try text(value, field, required: true, limit: limit) else {
            throw ModelError.invalid(field, .nonEmptyText)
        }
        return text
    }

    /// Blood pressure typed as `SYS/DIA` (`120/80`): the two whole numbers, each checked in its range.
    public static func bloodPressure(_ text: String) throws -> (systolic: Int, diastolic: Int) {
        let parts = text.trimmingWhitespace().split(separator: "/", omittingEmptySubsequences: false)
            .map { String($0).trimmingWhitespace() }
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 4 && $0.utf8.allSatisfy { (48...57).contains($0) } }),
              let systolic = Int(parts[0]), let diastolic = Int(parts[1])
        else { throw ModelError.invalid(.bp, .bloodPressure(systolic: Rules.systolic, diastolic: Rules.diastolic)) }
        return (systolic, diastolic)
    }

    /// When vitals were taken: `pre`, `discharge` or minutes 0–720.
    public static func vitalsMoment(_ text: String, _ field: Field = .at) throws -> VitalsMoment {
        guard let moment = VitalsMoment(parsing: text) else { throw ModelError.invalid(field, .vitalsMoment(VitalsMoment.minutesRange)) }
        return moment
    }

    /// Every day from `first` to `last` (inclusive): `last` on or after `first`, not after
    /// `today`, and at most `maxDayRange` days in all; else `to` (the field of `last`) is named.
    public static func days(from first: ClinicalDate, to last: ClinicalDate, today: ClinicalDate) throws -> [ClinicalDate] {
        let count = last.days(since: first) + 1
        guard count >= 1, count <= maxDayRange, last <= today else {
            throw ModelError.invalid(.to, .dayRange(maxDays: maxDayRange))
        }
        return (0..<count).map { first.adding(days: $0) }
    }

    /// Why an amendment or a void is made: required, one line.
    public static func reason(_ value: String?) throws -> String { try requiredText(value, .reason) }
}

extension String {
    /// CRLF and lone CR as LF: notes keep line breaks, and a bare CR would let text hide
    /// earlier text on a terminal.
    func replacingCarriageReturns() -> String {
        var scalars = String.UnicodeScalarView()
        var previousCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                scalars.append("\n")
                previousCR = true
                continue
            }
            if !(scalar == "\n" && previousCR) { scalars.append(scalar) }
            previousCR = false
        }
        return String(scalars)
    }
}
