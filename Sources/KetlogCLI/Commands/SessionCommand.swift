import ArgumentParser
import Foundation
import KetlogStore

/// `ketlog session …`: ketamine administrations.
struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Record ketamine sessions; list, show, amend or void them.",
        subcommands: [Add.self, List.self, Show.self, Amend.self, VoidRecord.self]
    )
}

extension SessionCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a ketamine administration.",
            discussion: """
                Dose: --dose-mg-per-kg with --weight-kg (total mg computed), or --dose-mg
                (--weight-kg too for iv, im, oral, subcutaneous). Usual bands: iv 0.1–1.0 mg/kg,
                im 0.1–2.0 mg/kg, oral 0.25–7 mg/kg, subcutaneous 0.1–1.0 mg/kg, sublingual
                25–400 mg, intranasal 28–84 mg in multiples of 28. Outside a band the entry is
                refused unless --allow-unusual-dose. iv needs --duration-min.

                Examples:
                  ketlog session add --patient P-0007 --date 2026-11-20 --time 09:30 --route iv \\
                      --dose-mg-per-kg 0.5 --weight-kg 72 --duration-min 40 \\
                      --practitioner "Dr Lee" --counselor "J. Ortiz" --notes-file notes.txt
                  ketlog session add --patient P-0008 --date 2026-11-21 --route intranasal \\
                      --dose-mg 56 --practitioner "Dr Lee" --adverse-event "mild nausea"
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "Patient code.") var patient: String?
        @OptionGroup var fields: SessionFields
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            var entry = Entry()
            let code = entry.require(patient, flag: "--patient", prompt: "Patient code", parse: Validation.patientCode)
            let date = entry.require(fields.date, flag: "--date", prompt: "Date", allowed: "YYYY-MM-DD", parse: Answer.date("date"))
            let route = entry.require(fields.route, flag: "--route", prompt: "Route", allowed: Route.allowedList) {
                try Validation.route($0).rawValue
            }
            var doseMg = fields.doseMg
            if fields.doseMgPerKg == nil && doseMg == nil {
                doseMg = entry.require(nil, flag: "--dose-mg (or --dose-mg-per-kg with --weight-kg)", prompt: "Total dose",
                                       allowed: "mg", parse: Answer.number("dose-mg"))
            }
            var weight = fields.weightKg
            if fields.doseMgPerKg != nil && weight == nil {
                weight = entry.require(nil, flag: "--weight-kg", prompt: "Weight", allowed: "kg", parse: Answer.number("weight-kg"))
            }
            var duration = fields.durationMin
            if route == Route.iv.rawValue && duration == nil {
                duration = entry.require(nil, flag: "--duration-min", prompt: "Infusion length", allowed: "minutes",
                                         parse: Answer.integer("duration-min"))
            }
            let practitioner = entry.require(fields.practitioner, flag: "--practitioner", prompt: "Practitioner",
                                             parse: Answer.text("practitioner"))
            try entry.finish()
            let draft = KetamineSession(date: date!, time: fields.time, route: route!, doseMgPerKg: fields.doseMgPerKg,
                                        weightKg: weight, doseMg: doseMg ?? 0, durationMin: duration,
                                        practitioner: practitioner!, counselor: fields.counselor, notes: nil,
                                        adverseEvents: fields.adverseEvent)
            // Check the values before asking for a passphrase or opening an editor.
            _ = try Validation.session(draft, birthDate: nil, allowUnusualDose: fields.allowUnusualDose)
            var session = draft
            session.notes = try fields.resolvedNotes()
            let store = try global.unlocked()
            let owner = try store.patient(code: code!)
            // A void patient takes no new records (amend the patient back first if that was a mistake).
            guard !owner.stamp.isVoid else { throw CLIError.invalidField(field: "patient", allowed: "a patient who is not void") }
            session = try Validation.session(session, birthDate: owner.body.birthDate, allowUnusualDose: fields.allowUnusualDose)
            let created = try store.addSession(session, patientCode: code!)
            RecordOutput.created(created, fields: RecordFields.sessionRecord(created.body, patientCode: owner.body.code), format: format)
            if created.body.unusualDoseAllowed && format == .text {
                Output.err("ketlog: note: dose outside the usual band for \(created.body.route), recorded as allowed")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List sessions.",
            discussion: """
                Examples:
                  ketlog session list --patient P-0007
                  ketlog session list --from 2026-11-01 --to 2026-11-30 --format csv
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this patient's sessions.") var patient: String?
        @OptionGroup var range: DateRange
        @Option(help: "Output format: text, json or csv.") var format: RecordFormat = .text

        func run() throws {
            let store = try global.unlocked()
            let patientID = try patient.map { try store.patientID(code: $0) }
            let directory = try PatientDirectory(store)
            let sessions = try store.all(KetamineSession.self, patientID: patientID).filter { range.contains($0.body.date) }
            let rows: [[FieldValue]] = sessions.sorted { ($0.body.date, $0.id) < ($1.body.date, $1.id) }.map { s in
                [.text(s.shortID), .text(directory.code(s.patientID)), .text(s.body.date), .text(s.body.route),
                 FieldValue(s.body.doseMgPerKg), .number(s.body.doseMg), .text(s.body.practitioner), .bool(s.stamp.isVoid)]
            }
            Output.out(RecordTable(columns: ["id", "patient", "date", "route", "mg_per_kg", "mg", "practitioner", "void"],
                                   rows: rows).render(format))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a session, or every version with --history.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session id (ses-N).") var id: String
        @Flag(help: "List every version with who, when and why.") var history = false
        @Option(help: "Output format: text, json or csv.") var format: RecordFormat = .text

        func run() throws {
            let rowID = try RecordID.parse(id, kind: .session)
            let store = try global.unlocked()
            // One patient's code, not every patient's: a record never changes owner.
            let owner = try store.record(Patient.self, id: try store.record(KetamineSession.self, id: rowID).patientID)
            try RecordOutput.show(store, KetamineSession.self, id: rowID, history: history, format: format) {
                RecordFields.sessionRecord($0.body, patientCode: owner.body.code)
            }
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new version of a session with the given fields changed.",
            discussion: """
                Example:
                  ketlog session amend ses-12 --reason "counselor notes added" --notes-file notes.txt
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session id (ses-N).") var id: String
        @Option(help: "Why the record changes (required).") var reason: String
        @OptionGroup var fields: SessionFields
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            let rowID = try RecordID.parse(id, kind: .session)
            let reason = try Validation.text(reason, field: "reason", required: true)!
            let store = try global.unlocked()
            let current = try store.record(KetamineSession.self, id: rowID)
            let owner = try store.record(Patient.self, id: current.patientID)
            let notes = try fields.resolvedNotes(existing: current.body.notes)
            let amended = try store.amend(KetamineSession.self, id: rowID, reason: reason) { session in
                if let value = fields.date { session.date = value }
                if let value = fields.time { session.time = value }
                if let value = fields.route { session.route = value }
                if fields.doseMgPerKg != nil || fields.doseMg != nil || fields.weightKg != nil {
                    // A new dose replaces the old one whole; the other form is recomputed.
                    session.doseMgPerKg = fields.doseMgPerKg
                    session.doseMg = fields.doseMg ?? 0
                    session.weightKg = fields.weightKg ?? session.weightKg
                }
                if let value = fields.durationMin { session.durationMin = value }
                if let value = fields.practitioner { session.practitioner = value }
                if let value = fields.counselor { session.counselor = value }
                if let notes { session.notes = notes }
                if !fields.adverseEvent.isEmpty { session.adverseEvents = fields.adverseEvent }
                // An allowance covers the dose it was given for: a new dose or route needs the flag again.
                let doseChanged = fields.route != nil || fields.doseMgPerKg != nil || fields.doseMg != nil || fields.weightKg != nil
                session = try Validation.session(session, birthDate: owner.body.birthDate,
                                                 allowUnusualDose: fields.allowUnusualDose
                                                     || (session.unusualDoseAllowed && !doseChanged))
            }
            RecordOutput.changed(amended, verb: "amended",
                                 fields: RecordFields.sessionRecord(amended.body, patientCode: owner.body.code), format: format)
        }
    }

    struct VoidRecord: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "void", abstract: "Mark a session void (reports ignore it).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session id (ses-N).") var id: String
        @Option(help: "Why (required).") var reason: String

        func run() throws {
            let rowID = try RecordID.parse(id, kind: .session)
            let reason = try Validation.text(reason, field: "reason", required: true)!
            let voided = try global.unlocked().void(KetamineSession.self, id: rowID, reason: reason)
            Output.line("voided \(voided.shortID) (version \(voided.version))")
        }
    }
}
