import KetlogModel

/// Where a field's value came from, and so what an error calls it.
enum FieldContext {
    /// An option on the command line (or its prompt): `--weight-kg`.
    case commandLine
    /// A column of an import file (or a JSON key): `weight_kg`.
    case importFile

    /// The name of `field` in this context.
    func name(_ field: Field) -> String {
        switch self {
        case .importFile: return field.column
        case .commandLine: return Self.flag(field)
        }
    }

    /// The option that sets a field; the patient code is the `CODE` argument of `patient add`
    /// (and `--new-code` of `patient amend`), so it is named in words.
    private static func flag(_ field: Field) -> String {
        switch field {
        case .code: return "patient code"
        case .dose: return "dose"
        case .substances: return "--substance"
        case .adverseEvents: return "--adverse-event"
        case .comedications: return "--comedication"
        case .bpSystolic: return "--bp systolic"
        case .bpDiastolic: return "--bp diastolic"
        case .heartRate: return "--hr"
        case .respiratoryRate: return "--rr"
        case .measurements: return "vitals"
        case .used: return "--used or --abstinent"
        default: return "--" + field.column.replacingOccurrences(of: "_", with: "-")
        }
    }

    /// What `rule` allows, in a phrase that follows "must be".
    func allowed(_ rule: Rule) -> String {
        switch rule {
        case .isoDate(let notInFuture): return "an ISO date YYYY-MM-DD" + (notInFuture ? ", not in the future" : "")
        case .onOrAfterBirthDate: return "a date on or after the patient's birth date"
        case .clockTime: return "HH:MM, 24-hour"
        case .oneOf(let terms): return "one of \(terms.joined(separator: ", "))"
        case .atLeastOneOf(let terms): return "at least one of \(terms.joined(separator: ", "))"
        case .wholeNumber(let range):
            return range == Int.min...Int.max ? "a whole number" : "a whole number from \(range.lowerBound) to \(range.upperBound)"
        case .positiveNumber(let maximum, let unit): return "a number above 0 and at most \(ClinicalNumber.format(maximum)) \(unit)"
        case .number: return "a number"
        case .text(let limit, let multiline):
            return "text of at most \(limit) characters" + (multiline ? " without control characters" : " on one line")
        case .nonEmptyText: return "non-empty text"
        case .noSemicolon: return "text without ';' (it separates events in CSV)"
        case .patientCode: return "1–32 letters, digits, '-', '_' or '.'"
        case .livePatient: return "a patient who is not void"
        case .doseAgreesWithWeight:
            return "\(name(.doseMgPerKg)) × \(name(.weightKg)) (within rounding) when all three are given"
        case .weightForDosePerKg: return "a weight in kg when the dose is given in mg/kg"
        case .weightForRoute(let route): return "a weight in kg for route \(route.rawValue), whose dose band is in mg/kg"
        case .doseGiven: return "\(name(.doseMgPerKg)) with \(name(.weightKg)), or \(name(.doseMg))"
        case .withinBand(let route):
            return "within \(route.band.description) for \(route.rawValue) (or pass --allow-unusual-dose)"
        case .requiredForRoute(let route): return "the infusion length in minutes (required for \(route.rawValue))"
        case .required: return "given"
        case .above(let other): return "above \(name(other))"
        case .atMost(let other): return "at most \(name(other))"
        case .atLeastOneField(let fields):
            let names = self == .importFile
                ? fields.flatMap { $0 == .bp ? [Field.bpSystolic, .bpDiastolic] : [$0] }.map(\.column) : fields.map(name)
            return "at least one measurement: \(names.joined(separator: ", "))"
        case .bloodPressure(let systolic, let diastolic):
            return "SYS/DIA, whole numbers: systolic \(systolic.lowerBound)–\(systolic.upperBound) above diastolic "
                + "\(diastolic.lowerBound)–\(diastolic.upperBound)"
        case .vitalsMoment(let minutes):
            return "pre, discharge, or whole minutes after the first dose from \(minutes.lowerBound) to \(minutes.upperBound)"
        case .dayRange(let maxDays):
            return "a date on or after \(name(.date)), not in the future, at most \(maxDays) days in all"
        case .liveSession: return "a session that is not void"
        case .oneSession(let ambiguous):
            return ambiguous ? "one time that picks exactly one of the patient's sessions on that date (several match)"
                             : "the date and time of one live session of the patient (none matches)"
        }
    }

    /// The message for a broken rule: `field: must be …`.
    func describe(_ error: ModelError) -> String {
        switch error {
        case .invalid(let field, .required) where self == .importFile: return "\(name(field)): required"
        case .invalid(.patient, .livePatient) where self == .importFile: return "patient: no such patient in the store"
        case .invalid(let field, let rule): return "\(name(field)): must be \(allowed(rule))"
        }
    }
}
