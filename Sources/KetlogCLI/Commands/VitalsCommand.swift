import ArgumentParser
import Foundation
import KetlogModel
import KetlogStore

/// `ketlog vitals …`: measurements taken during a session.
struct VitalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vitals",
        abstract: "Record vitals taken during a session (BP, heart rate, SpO2, respiratory rate, MOAA/S, CADSS); "
            + "list, show, amend or void them.",
        subcommands: [Add.self, List.self, RecordSubcommands.show(Vitals.self), Amend.self, RecordSubcommands.void(Vitals.self)]
    )

    /// A `--session` value (`ses-12` or `12`).
    static func sessionID(_ text: String) throws -> Int64 {
        guard let id = RecordKind.session.parseID(text) else {
            throw CLIError.invalidField(field: "--session", allowed: "a session id like \(RecordKind.session.shortID(12))")
        }
        return id
    }
}

extension VitalsCommand {
    /// The fields `add` and `amend` share.
    struct Fields: ParsableArguments {
        @Option(help: ArgumentHelp("When: pre (before dosing), minutes after the first dose "
                                   + "(\(VitalsMoment.minutesRange.lowerBound)–\(VitalsMoment.minutesRange.upperBound)), or discharge.",
                                   valueName: "pre|MINUTES|discharge")) var at: String?
        @Option(help: ArgumentHelp("Blood pressure: systolic \(Rules.systolic.lowerBound)–\(Rules.systolic.upperBound) above "
                                   + "diastolic \(Rules.diastolic.lowerBound)–\(Rules.diastolic.upperBound) mmHg.",
                                   valueName: "SYS/DIA")) var bp: String?
        @Option(help: ArgumentHelp("Heart rate, \(Rules.heartRate.lowerBound)–\(Rules.heartRate.upperBound) per minute.",
                                   valueName: "bpm")) var hr: Int?
        @Option(help: ArgumentHelp("Oxygen saturation, \(Rules.spo2.lowerBound)–\(Rules.spo2.upperBound) %.", valueName: "pct"))
        var spo2: Int?
        @Option(help: ArgumentHelp("Respiratory rate, \(Rules.respiratoryRate.lowerBound)–\(Rules.respiratoryRate.upperBound) "
                                   + "per minute.", valueName: "per-min")) var rr: Int?
        @Option(help: ArgumentHelp("MOAA/S sedation score, 5 (awake) … 0 (unresponsive).", valueName: "0-5")) var moaas: Int?
        @Option(help: ArgumentHelp("CADSS dissociation total, \(Rules.cadss.lowerBound)–\(Rules.cadss.upperBound).",
                                   valueName: "0-92")) var cadss: Int?
        @Option(help: "A note (one line).") var note: String?

        var parsedAt: VitalsMoment? { get throws { try at.map { try Rules.vitalsMoment($0) } } }

        /// The measurements given, over `existing` (an amendment changes only what is given).
        func measurements(over existing: VitalsMeasurements = VitalsMeasurements()) throws -> VitalsMeasurements {
            var result = existing
            if let bp {
                let pressure = try Rules.bloodPressure(bp)
                (result.systolic, result.diastolic) = (pressure.systolic, pressure.diastolic)
            }
            if let hr { result.heartRate = hr }
            if let spo2 { result.spo2 = spo2 }
            if let rr { result.respiratoryRate = rr }
            if let moaas { result.moaas = moaas }
            if let cadss { result.cadss = cadss }
            return result
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record a set of vitals at a session (at least one measurement).",
            discussion: """
                Examples:
                  ketlog vitals add --session ses-12 --at pre --bp 128/82 --hr 74 --spo2 98
                  ketlog vitals add --session ses-12 --at 40 --bp 151/94 --moaas 4 --cadss 18
                  ketlog vitals add --session ses-12 --at discharge --bp 124/80 --moaas 5
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The session the vitals were taken at.", valueName: "ses-N")) var session: String?
        @OptionGroup var fields: Fields
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            let measurements = try fields.measurements()
            var entry = Entry()
            let sessionID = entry.require(try session.map(VitalsCommand.sessionID), flag: "--session", prompt: "Session id",
                                          allowed: "ses-N", parse: VitalsCommand.sessionID)
            let at = entry.require(try fields.parsedAt, flag: "--at", prompt: "When",
                                   allowed: "pre, minutes after the first dose, or discharge") { try Rules.vitalsMoment($0) }
            try entry.finish()
            let draft = VitalsDraft(sessionID: sessionID, at: at, measurements: measurements, note: fields.note)
            // Refuse bad values before asking for a passphrase; the store checks the session.
            _ = try draft.validated()
            let created = try global.unlocked().add(draft)
            RecordOutput.created(created.record, fields: RecordFields.vitalsRecord(created.record.body, patientCode: created.patientCode),
                                 format: format)
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "amend",
            abstract: "Write a new version of a vitals record with the given fields changed (the session stays).",
            discussion: """
                Example:
                  ketlog vitals amend vit-7 --reason "transcription error" --bp 132/84
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Vitals id (vit-N).") var id: String
        @Option(help: "Why the record changes (required).") var reason: String
        @OptionGroup var fields: Fields
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            let rowID = try RecordID.parse(id, kind: .vitals)
            let reason = try Rules.reason(reason)
            let at = try fields.parsedAt
            _ = try fields.measurements()
            let amended = try global.unlocked().amend(Vitals.self, id: rowID, reason: reason) { vitals in
                if let at { vitals.at = at }
                vitals.measurements = try fields.measurements(over: vitals.measurements)
                if let note = fields.note { vitals.note = note }
            }
            RecordOutput.changed(amended.record, verb: "amended",
                                 fields: RecordFields.vitalsRecord(amended.record.body, patientCode: amended.patientCode),
                                 format: format)
        }
    }

    /// `ketlog vitals list [--patient CODE] [--session ses-N] [--from D] [--to D] [--include-void]`:
    /// dates are the sessions'.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List vitals by session date and time taken (void ones with --include-void).",
            discussion: """
                Examples:
                  ketlog vitals list --session ses-12
                  ketlog vitals list --patient P-0007 --from 2026-11-01 --format csv
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this patient's records.") var patient: String?
        @Option(help: ArgumentHelp("Only this session's records.", valueName: "ses-N")) var session: String?
        @OptionGroup var range: DateRange
        @Flag(help: "Include void records.") var includeVoid = false
        @Option(help: "Output format: text, json or csv.") var format: RecordFormat = .text

        func run() throws {
            let inRange = try range.predicate()
            let sessionID = try session.map(VitalsCommand.sessionID)
            let store = try global.unlocked()
            let patientID = try patient.map { try store.patientID(code: $0) }
            let sessions = Dictionary(uniqueKeysWithValues: try store.all(KetamineSession.self, patientID: patientID).map { ($0.id, $0.body) })
            let records = try store.all(Vitals.self, patientID: patientID).compactMap { record -> (Versioned<Vitals>, ClinicalDate)? in
                guard includeVoid || !record.stamp.isVoid, sessionID.map({ $0 == record.body.sessionID }) ?? true,
                      let date = sessions[record.body.sessionID]?.date, inRange(date) else { return nil }
                return (record, date)
            }.sorted { ($0.1, $0.0.body.sessionID, $0.0.body.at.order, $0.0.id) < ($1.1, $1.0.body.sessionID, $1.0.body.at.order, $1.0.id) }
            let rows: [[FieldValue]] = records.map { record, date in
                let m = record.body.measurements
                let bp = m.systolic.flatMap { systolic in m.diastolic.map { "\(systolic)/\($0)" } }
                return [.text(record.shortID), .text(RecordKind.session.shortID(record.body.sessionID)), .text(date.description),
                        .text(record.body.at.text), FieldValue(bp), FieldValue(m.heartRate), FieldValue(m.spo2), FieldValue(m.moaas),
                        FieldValue(m.cadss), .bool(record.stamp.isVoid)]
            }
            // One row per set of vitals in 80 columns: the session stands for its patient, the
            // pressure is one `SYS/DIA` cell, and the keys are the options' (`hr` for `--hr`).
            // `show` and `export` give every field.
            let columns = ["id", Field.session.column, Field.date.column, Field.at.column, "bp", "hr", "spo2", "moaas", "cadss", "void"]
            Output.out(RecordTable(columns: columns, rows: rows).render(format))
        }
    }
}
