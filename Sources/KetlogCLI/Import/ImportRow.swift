import Foundation
import KetlogModel
import KetlogStore

/// One row of an import file: its cells in the kind's column order and where it started, for
/// errors. It parses its cells into a draft; the store validates the draft.
struct ImportRow {
    /// The line of a CSV file (the header is line 1), or the 1-based item of a JSON array.
    let line: Int
    let kind: ImportKind
    /// One cell per column of `kind.columns`; nil where the file has no such column.
    let cells: [String?]

    func fail(_ field: Field, _ problem: String) -> CLIError {
        .badInput(line: line, field: field.column, problem: problem)
    }

    /// A cell's text, nil when absent or empty. (The field is found among the kind's few fields
    /// by comparing cases: hashing its column name cost more, at several cells a row.)
    func text(_ field: Field) -> String? {
        guard let position = kind.fields.firstIndex(of: field), let value = cells[position], !value.isEmpty else { return nil }
        return value
    }

    func required(_ field: Field) throws -> String {
        guard let value = text(field) else { throw fail(field, "required") }
        return value
    }

    func integer(_ field: Field) throws -> Int? {
        guard let text = text(field) else { return nil }
        // Digits only: no sign, exponent or hex, as for numbers below ("-0" and "+5" are refused).
        let trimmed = text.trimmingWhitespace()
        guard trimmed.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int(trimmed) else {
            throw fail(field, "must be a whole number")
        }
        return value
    }

    func number(_ field: Field) throws -> Double? {
        guard let text = text(field) else { return nil }
        let trimmed = text.trimmingWhitespace()
        guard trimmed.utf8.allSatisfy({ (48...57).contains($0) || $0 == UInt8(ascii: ".") }),
              let value = Double(trimmed), value.isFinite else {
            throw fail(field, "must be a plain decimal number")
        }
        return value
    }

    func list(_ field: Field) -> [String] {
        (text(field) ?? "").split(separator: ";").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// A date, time or vocabulary cell parsed by the model's rule; its failure names this row.
    private func parsed<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ModelError {
            throw StoreError.invalidRow(line: line, error)
        }
    }

    /// The row as the store's import item.
    func item(allowUnusualDose: Bool = false) throws -> ImportItem {
        switch kind {
        case .patients: return ImportItem(line: line, draft: .patient(try patient()))
        case .sessions:
            let patient = try required(.patient)
            var draft = try session()
            draft.allowUnusualDose = allowUnusualDose
            return ImportItem(line: line, draft: .session(draft, patient: patient))
        case .scores: return ImportItem(line: line, draft: .score(try score(), patient: try required(.patient)))
        case .vitals:
            let patient = try required(.patient), date = try required(.sessionDate)
            let draft = try vitals()
            return try parsed {
                ImportItem(line: line, draft: .vitals(draft, patient: patient, sessionDate: try Rules.date(date, .sessionDate),
                                                      sessionTime: try text(.sessionTime).map { try Rules.time($0, .sessionTime) }))
            }
        case .screens: return ImportItem(line: line, draft: .screen(try screen(), patient: try required(.patient)))
        case .days: return ImportItem(line: line, draft: .day(try day(), patient: try required(.patient)))
        }
    }

    func vitals() throws -> VitalsDraft {
        let at = try required(.at)
        let measurements = VitalsMeasurements(systolic: try integer(.bpSystolic), diastolic: try integer(.bpDiastolic),
                                              heartRate: try integer(.heartRate), spo2: try integer(.spo2),
                                              respiratoryRate: try integer(.respiratoryRate), moaas: try integer(.moaas),
                                              cadss: try integer(.cadss))
        return try parsed { VitalsDraft(at: try Rules.vitalsMoment(at), measurements: measurements, note: text(.note)) }
    }

    func screen() throws -> DrugScreenDraft {
        let date = try required(.date), substance = try required(.substance), result = try required(.result)
        return try parsed {
            DrugScreenDraft(date: try Rules.date(date, .date), substance: try Rules.term(substance, .substance),
                            result: try Rules.term(result, .result), method: try text(.method).map { try Rules.term($0, .method) })
        }
    }

    func day() throws -> UseDayDraft {
        let date = try required(.date), used = try required(.used)
        return try parsed {
            let flag: Bool
            switch used.trimmingWhitespace().lowercased() {
            case "yes": flag = true
            case "no": flag = false
            default: throw ModelError.invalid(.used, .oneOf(["yes", "no"]))
            }
            return UseDayDraft(date: try Rules.date(date, .date), used: flag,
                               substance: try text(.substance).map { try Rules.term($0, .substance) }, amount: text(.amount))
        }
    }

    func patient() throws -> PatientDraft {
        let code = try required(.code)
        return try parsed {
            PatientDraft(code: code, name: text(.name), birthDate: try text(.birthDate).map { try Rules.date($0, .birthDate) },
                         sex: try text(.sex).map { try Rules.term($0, .sex) },
                         substances: try list(.substances).map { try Rules.term($0, .substances) }, notes: text(.notes))
        }
    }

    func session() throws -> SessionDraft {
        let date = try required(.date), route = try required(.route)
        let perKg = try number(.doseMgPerKg), weight = try number(.weightKg), mg = try number(.doseMg)
        let duration = try integer(.durationMin)
        let monitoring = try integer(.monitoringMin), ready = try integer(.readyMin)
        let practitioner = try required(.practitioner)
        return try parsed {
            SessionDraft(date: try Rules.date(date, .date), time: try text(.time).map { try Rules.time($0) },
                         route: try Rules.term(route, .route), doseMgPerKg: perKg, weightKg: weight, doseMg: mg,
                         durationMin: duration, practitioner: practitioner, counselor: text(.counselor), notes: text(.notes),
                         adverseEvents: list(.adverseEvents),
                         monitoring: SessionMonitoring(lot: text(.lot), monitoringMin: monitoring, readyMin: ready,
                                                       comedications: try list(.comedications).map { try Rules.term($0, .comedications) }))
        }
    }

    func score() throws -> ScoreDraft {
        let date = try required(.date)
        let craving = try integer(.craving), useDays = try integer(.useDays), window = try integer(.windowDays)
        return try parsed {
            ScoreDraft(date: try Rules.date(date, .date), craving: craving, useDays: useDays, windowDays: window,
                       substance: try text(.substance).map { try Rules.term($0, .substance) })
        }
    }
}
