import Foundation
import KetlogStore

/// One row of an import file: its cells in the kind's column order and where it started, for
/// errors.
struct ImportRow {
    /// The line of a CSV file (the header is line 1), or the 1-based item of a JSON array.
    let line: Int
    let kind: ImportKind
    /// One cell per column of `kind.columns`; nil where the file has no such column.
    let cells: [String?]

    func fail(_ field: String, _ problem: String) -> CLIError {
        .badInput(line: line, field: field, problem: problem)
    }

    /// A cell's text, nil when absent or empty.
    func text(_ column: String) -> String? {
        guard let position = kind.position[column], let value = cells[position], !value.isEmpty else { return nil }
        return value
    }

    func required(_ column: String) throws -> String {
        guard let value = text(column) else { throw fail(column, "required") }
        return value
    }

    func integer(_ column: String) throws -> Int? {
        guard let text = text(column) else { return nil }
        // Digits only: no sign, exponent or hex, as for numbers below ("-0" and "+5" are refused).
        let trimmed = text.trimmingWhitespace()
        guard trimmed.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int(trimmed) else {
            throw fail(column, "must be a whole number")
        }
        return value
    }

    func number(_ column: String) throws -> Double? {
        guard let text = text(column) else { return nil }
        let trimmed = text.trimmingWhitespace()
        guard trimmed.utf8.allSatisfy({ (48...57).contains($0) || $0 == UInt8(ascii: ".") }),
              let value = Double(trimmed), value.isFinite else {
            throw fail(column, "must be a plain decimal number")
        }
        return value
    }

    func list(_ column: String) -> [String] {
        (text(column) ?? "").split(separator: ";").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// Runs a validation, turning its error into one naming this row.
    func checked<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch StoreError.invalidValue(let field, let allowed) {
            throw fail(field.replacingOccurrences(of: "-", with: "_"), "must be \(allowed)")
        } catch StoreError.duplicatePatientCode {
            throw fail("code", "a patient with this code exists already")
        }
    }

    func patient(today: String) throws -> Patient {
        let patient = Patient(code: try required("code"), name: text("name"), birthDate: text("birth_date"), sex: text("sex"),
                              substances: list("substances"), notes: text("notes"))
        return try checked { try Validation.patient(patient, today: today) }
    }

    func session(birthDate: String?, allowUnusualDose: Bool, today: String) throws -> KetamineSession {
        let session = KetamineSession(
            date: try required("date"), time: text("time"), route: try required("route"),
            doseMgPerKg: try number("dose_mg_per_kg"), weightKg: try number("weight_kg"), doseMg: try number("dose_mg") ?? 0,
            durationMin: try integer("duration_min"), practitioner: try required("practitioner"),
            counselor: text("counselor"), notes: text("notes"), adverseEvents: list("adverse_events"))
        return try checked { try Validation.session(session, birthDate: birthDate, allowUnusualDose: allowUnusualDose, today: today) }
    }

    func score(birthDate: String?, today: String) throws -> Score {
        let score = Score(date: try required("date"), craving: try integer("craving") ?? -1, useDays: try integer("use_days") ?? -1,
                          windowDays: try integer("window_days") ?? 28, substance: text("substance"))
        return try checked { try Validation.score(score, birthDate: birthDate, today: today) }
    }
}
