import Foundation

/// The clinical rules every entry path applies (commands, interactive entry, imports). Each
/// failure is `StoreError.invalidValue(field:allowed:)` naming the field and what is allowed,
/// never echoing the value.
public enum Validation {
    public static let maxText = 200
    public static let maxNotes = 20_000

    /// Today's date in the clinic, `YYYY-MM-DD`. `KETLOG_TODAY` overrides it for reproducible
    /// reports and tests.
    public static func today(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let value = environment["KETLOG_TODAY"], (try? date(value, field: "KETLOG_TODAY", allowFuture: true)) != nil {
            return value
        }
        let parts = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// A strict ISO date `YYYY-MM-DD` that exists in the calendar, from 1900 on, not after today.
    @discardableResult
    public static func date(_ text: String, field: String, allowFuture: Bool = false, today: String? = nil) throws -> String {
        // Byte by byte: an import checks a million dates.
        var year = 0, month = 0, day = 0
        var wellFormed = text.utf8.count == 10
        if wellFormed {
            for (offset, byte) in text.utf8.enumerated() {
                if offset == 4 || offset == 7 {
                    wellFormed = wellFormed && byte == UInt8(ascii: "-")
                    continue
                }
                guard (48...57).contains(byte) else {
                    wellFormed = false
                    break
                }
                let digit = Int(byte) - 48
                switch offset {
                case 0...3: year = year * 10 + digit
                case 5...6: month = month * 10 + digit
                default: day = day * 10 + digit
                }
            }
        }
        guard wellFormed, (1900...2999).contains(year), (1...12).contains(month), day >= 1,
              day <= daysIn(month: month, year: year),
              allowFuture || text <= (today ?? Self.today())
        else {
            throw StoreError.invalidValue(field: field, allowed: "an ISO date YYYY-MM-DD" + (allowFuture ? "" : ", not in the future"))
        }
        return text
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `HH:MM`, 24-hour.
    public static func time(_ text: String) throws -> String {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard text.utf8.count == 5, parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              (0...23).contains(hour), (0...59).contains(minute)
        else { throw StoreError.invalidValue(field: "time", allowed: "HH:MM, 24-hour") }
        return text
    }

    /// Free text: trimmed, non-empty when `required`, no control characters (newlines and tabs
    /// only where `multiline`), at most `limit` characters.
    public static func text(_ value: String?, field: String, required: Bool = false, multiline: Bool = false,
                            limit: Int = maxText) throws -> String? {
        let trimmed = value?.trimmingWhitespace(newlines: true)
        guard let trimmed, !trimmed.isEmpty else {
            if required { throw StoreError.invalidValue(field: field, allowed: "non-empty text") }
            return nil
        }
        let clean = isCleanText(trimmed, multiline: multiline)
        guard clean, trimmed.utf8.count <= limit || trimmed.count <= limit else {
            throw StoreError.invalidValue(field: field, allowed: "text of at most \(limit) characters"
                                          + (multiline ? " without control characters" : " on one line"))
        }
        return trimmed
    }

    /// No control, unassigned, private-use or separator characters; tabs and line breaks only
    /// when `multiline`. Printable ASCII, the common case, is checked byte by byte.
    static func isCleanText(_ text: String, multiline: Bool) -> Bool {
        var ascii = true
        for byte in text.utf8 {
            if byte >= 0x80 { ascii = false; break }
            if byte >= 0x20 && byte != 0x7F { continue }
            if multiline && (byte == 0x0A || byte == 0x09 || byte == 0x0D) { continue }
            return false
        }
        if ascii { return true }
        return text.unicodeScalars.allSatisfy { scalar in
            if multiline && (scalar == "\n" || scalar == "\t" || scalar == "\r") { return true }
            switch scalar.properties.generalCategory {
            case .control, .unassigned, .surrogate, .privateUse, .lineSeparator, .paragraphSeparator: return false
            default: return true
            }
        }
    }

    /// A patient code: 1–32 letters, digits, '-', '_' or '.'.
    public static func patientCode(_ code: String) throws -> String {
        let trimmed = code.trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.count <= 32,
              trimmed.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) })
        else { throw StoreError.invalidValue(field: "patient code", allowed: "1–32 letters, digits, '-', '_' or '.'") }
        return trimmed
    }

    public static func substance(_ text: String, field: String = "substance") throws -> String {
        guard let value = Substance(rawValue: text.trimmingWhitespace().lowercased()) else {
            throw StoreError.invalidValue(field: field, allowed: "one of \(Substance.allowedList)")
        }
        return value.rawValue
    }

    public static func route(_ text: String) throws -> Route {
        guard let value = Route(rawValue: text.trimmingWhitespace().lowercased()) else {
            throw StoreError.invalidValue(field: "route", allowed: "one of \(Route.allowedList)")
        }
        return value
    }

    public static func sex(_ text: String) throws -> String {
        guard let value = Sex(rawValue: text.trimmingWhitespace().lowercased()) else {
            throw StoreError.invalidValue(field: "sex", allowed: "one of \(Sex.allowedList)")
        }
        return value.rawValue
    }

    /// A whole number in `range`.
    public static func integer(_ value: Int, field: String, in range: ClosedRange<Int>) throws -> Int {
        guard range.contains(value) else {
            throw StoreError.invalidValue(field: field, allowed: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A finite positive number no larger than `maximum`.
    public static func positive(_ value: Double, field: String, maximum: Double, unit: String) throws -> Double {
        guard value.isFinite, value > 0, value <= maximum else {
            throw StoreError.invalidValue(field: field, allowed: "a number above 0 and at most \(format(maximum)) \(unit)")
        }
        return value
    }

    /// A full patient record, normalised.
    public static func patient(_ patient: Patient, today: String? = nil) throws -> Patient {
        var result = patient
        result.code = try patientCode(patient.code)
        result.name = try text(patient.name, field: "name")
        if let birth = patient.birthDate { result.birthDate = try date(birth, field: "birth date", today: today) }
        if let sex = patient.sex { result.sex = try self.sex(sex) }
        guard !patient.substances.isEmpty else {
            throw StoreError.invalidValue(field: "substance", allowed: "at least one of \(Substance.allowedList)")
        }
        var substances: [String] = []
        for item in patient.substances {
            let value = try substance(item)
            if !substances.contains(value) { substances.append(value) }
        }
        result.substances = substances
        result.notes = try text(patient.notes, field: "notes", multiline: true, limit: maxNotes)
        return result
    }

    /// A full session record, normalised: dose arithmetic, bands, duration for iv.
    /// `allowUnusualDose` lets a dose outside the route's band through (and is recorded);
    /// non-positive or absurd doses are refused regardless.
    public static func session(_ session: KetamineSession, birthDate: String?, allowUnusualDose: Bool,
                               today: String? = nil) throws -> KetamineSession {
        var result = session
        result.date = try date(session.date, field: "date", today: today)
        if let birthDate, result.date < birthDate {
            throw StoreError.invalidValue(field: "date", allowed: "a date on or after the patient's birth date")
        }
        if let time = session.time { result.time = try self.time(time) }
        let route = try self.route(session.route)
        result.route = route.rawValue
        if let weight = session.weightKg { result.weightKg = try positive(weight, field: "weight-kg", maximum: 400, unit: "kg") }
        if let perKg = session.doseMgPerKg {
            result.doseMgPerKg = try positive(perKg, field: "dose-mg-per-kg", maximum: 10, unit: "mg/kg")
        }
        // 0 means "not given"; a negative or NaN dose-mg is given, and refused below as dose-mg.
        switch (result.doseMgPerKg, result.weightKg, session.doseMg != 0 ? session.doseMg : nil) {
        case let (perKg?, weight?, mg?):
            _ = try positive(mg, field: "dose-mg", maximum: 1000, unit: "mg")
            let computed = perKg * weight
            guard abs(computed - mg) <= max(0.5, mg * 0.005) else {
                throw StoreError.invalidValue(field: "dose-mg",
                                              allowed: "dose-mg-per-kg × weight-kg (within rounding) when all three are given")
            }
            result.doseMg = mg
        case let (perKg?, weight?, nil):
            result.doseMg = (perKg * weight * 100).rounded() / 100
        case (_?, nil, _):
            throw StoreError.invalidValue(field: "weight-kg", allowed: "a weight in kg when the dose is given in mg/kg")
        case let (nil, weight, mg?):
            result.doseMg = try positive(mg, field: "dose-mg", maximum: 1000, unit: "mg")
            if let weight { result.doseMgPerKg = (mg / weight * 1000).rounded() / 1000 }
        case (nil, _, nil):
            throw StoreError.invalidValue(field: "dose", allowed: "--dose-mg-per-kg with --weight-kg, or --dose-mg")
        }
        _ = try positive(result.doseMg, field: "dose-mg", maximum: 1000, unit: "mg")
        if let perKg = result.doseMgPerKg { _ = try positive(perKg, field: "dose-mg-per-kg", maximum: 10, unit: "mg/kg") }
        let inBand: Bool
        switch route.band {
        case .mgPerKg(let range):
            guard let perKg = result.doseMgPerKg else {
                throw StoreError.invalidValue(field: "weight-kg",
                                              allowed: "a weight in kg for route \(route.rawValue), whose dose band is in mg/kg")
            }
            inBand = range.contains((perKg * 1000).rounded() / 1000)
        case .mg(let range, let step):
            let multiple = step.map { abs(result.doseMg / $0 - (result.doseMg / $0).rounded()) < 1e-9 } ?? true
            inBand = range.contains(result.doseMg) && multiple
        }
        if !inBand && !allowUnusualDose {
            throw StoreError.invalidValue(field: "dose",
                                          allowed: "within \(route.band.description) for \(route.rawValue) (or pass --allow-unusual-dose)")
        }
        result.unusualDoseAllowed = !inBand
        if route == .iv && session.durationMin == nil {
            throw StoreError.invalidValue(field: "duration-min", allowed: "the infusion length in minutes (required for iv)")
        }
        if let minutes = session.durationMin { result.durationMin = try integer(minutes, field: "duration-min", in: 1...1440) }
        result.practitioner = try text(session.practitioner, field: "practitioner", required: true)!
        result.counselor = try text(session.counselor, field: "counselor")
        result.notes = try text(session.notes, field: "notes", multiline: true, limit: maxNotes)
        result.adverseEvents = try session.adverseEvents.compactMap { event in
            let value = try text(event, field: "adverse event", limit: 500)
            if let value, value.utf8.contains(UInt8(ascii: ";")) {
                throw StoreError.invalidValue(field: "adverse event", allowed: "text without ';' (it separates events in CSV)")
            }
            return value
        }
        return result
    }

    /// A full score record, normalised.
    public static func score(_ score: Score, birthDate: String?, today: String? = nil) throws -> Score {
        var result = score
        result.date = try date(score.date, field: "date", today: today)
        if let birthDate, result.date < birthDate {
            throw StoreError.invalidValue(field: "date", allowed: "a date on or after the patient's birth date")
        }
        result.craving = try integer(score.craving, field: "craving", in: 0...10)
        result.windowDays = try integer(score.windowDays, field: "window-days", in: 1...90)
        result.useDays = try integer(score.useDays, field: "use-days", in: 0...result.windowDays)
        if let substance = score.substance { result.substance = try self.substance(substance) }
        return result
    }
}
