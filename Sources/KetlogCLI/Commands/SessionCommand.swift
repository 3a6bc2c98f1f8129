import ArgumentParser
import Foundation
import KetlogModel
import KetlogStore

/// `ketlog session …`: ketamine administrations.
struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Record ketamine sessions; list, show, amend or void them.",
        subcommands: [Add.self, RecordSubcommands.list(KetamineSession.self), RecordSubcommands.show(KetamineSession.self), Amend.self, RecordSubcommands.void(KetamineSession.self)]
    )
}

extension SessionCommand {
    /// The session fields `add` and `amend` share.
    struct Fields: ParsableArguments {
        @Option(help: ArgumentHelp("Date of the session.", valueName: "YYYY-MM-DD")) var date: String?
        @Option(help: ArgumentHelp("Start time.", valueName: "HH:MM")) var time: String?
        @Option(help: "Route: \(Route.allowedList).") var route: String?
        @Option(help: ArgumentHelp("Dose per kg body weight (needs --weight-kg).", valueName: "mg/kg")) var doseMgPerKg: Double?
        @Option(help: ArgumentHelp("Body weight.", valueName: "kg")) var weightKg: Double?
        @Option(help: ArgumentHelp("Total dose.", valueName: "mg")) var doseMg: Double?
        @Option(help: ArgumentHelp("Infusion length (required for iv).", valueName: "minutes")) var durationMin: Int?
        @Option(help: "Who gave the ketamine.") var practitioner: String?
        @Option(help: "Integration counselor.") var counselor: String?
        @Option(help: "Integration-counseling notes.") var notes: String?
        @Option(help: ArgumentHelp("Read the notes from a file.", valueName: "file")) var notesFile: String?
        @Flag(help: "Write the notes in $VISUAL or $EDITOR.") var editNotes = false
        @Option(help: "An adverse event (repeatable).") var adverseEvent: [String] = []
        @Flag(help: "Accept a dose outside the route's usual band (recorded on the session and in the audit trail).")
        var allowUnusualDose = false
        @Option(help: ArgumentHelp("The vial's lot number.", valueName: "text")) var lot: String?
        @Option(help: ArgumentHelp("Minutes from the first dose to the end of monitoring (\(Rules.monitoringMin.lowerBound)–"
                                   + "\(Rules.monitoringMin.upperBound)).", valueName: "minutes")) var monitoringMin: Int?
        @Option(help: ArgumentHelp("Minutes from the first dose until the patient was ready to leave (at most "
                                   + "--monitoring-min).", valueName: "minutes")) var readyMin: Int?
        @Option(help: "A sedating co-medication (repeatable): \(Comedication.allowedList).") var comedication: [String] = []

        func validate() throws {
            let sources = [notes != nil, notesFile != nil, editNotes].filter { $0 }.count
            if sources > 1 { throw ValidationError("give at most one of --notes, --notes-file, --edit-notes") }
        }

        var parsedDate: ClinicalDate? { get throws { try date.map { try Rules.date($0, .date) } } }
        var parsedTime: ClockTime? { get throws { try time.map { try Rules.time($0) } } }
        var parsedRoute: Route? { get throws { try route.map { try Rules.term($0, .route) } } }
        var parsedComedications: [Comedication] { get throws { try comedication.map { try Rules.term($0, .comedications) } } }

        /// The monitoring fields given, over `existing` (an amendment changes only what is given;
        /// co-medications given replace the list).
        func monitoring(over existing: SessionMonitoring = SessionMonitoring()) throws -> SessionMonitoring {
            var result = existing
            if let lot { result.lot = lot }
            if let monitoringMin { result.monitoringMin = monitoringMin }
            if let readyMin { result.readyMin = readyMin }
            let comedications = try parsedComedications
            if !comedications.isEmpty { result.comedications = comedications }
            return result
        }

        /// Refuses a given dose or weight that no route allows (≤ 0, not finite, above the maximum).
        func checkGivenDose() throws {
            _ = try doseMgPerKg.map { try Rules.positive($0, .doseMgPerKg, maximum: Rules.maxDoseMgPerKg, unit: "mg/kg") }
            _ = try weightKg.map { try Rules.positive($0, .weightKg, maximum: Rules.maxWeightKg, unit: "kg") }
            _ = try doseMg.map { try Rules.positive($0, .doseMg, maximum: Rules.maxDoseMg, unit: "mg") }
        }

        /// The notes from whichever source was given; nil when none was.
        func resolvedNotes(existing: String? = nil) throws -> String? {
            if let notes { return notes }
            if let notesFile { return try TextFile.read(notesFile) }
            if editNotes { return try Editor.edit(existing ?? "") }
            return nil
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record a ketamine administration.",
            discussion: """
                Dose: --dose-mg-per-kg with --weight-kg (total mg computed), or --dose-mg
                (--weight-kg too for iv, im, oral, subcutaneous). Usual bands: iv 0.1–1.0 mg/kg,
                im 0.1–2.0 mg/kg, oral 0.25–7 mg/kg, subcutaneous 0.1–1.0 mg/kg, sublingual
                25–400 mg, intranasal 28–84 mg in multiples of 28. Outside a band the entry is
                refused unless --allow-unusual-dose. iv needs --duration-min. Asked at a
                terminal, the dose is asked in the route's unit (mg/kg and weight, or mg).

                Examples:
                  ketlog session add --patient P-0007 --date 2026-11-20 --time 09:30 --route iv \\
                      --dose-mg-per-kg 0.5 --weight-kg 72 --duration-min 40 \\
                      --practitioner "Dr Lee" --counselor "J. Ortiz" --notes-file notes.txt
                  ketlog session add --patient P-0008 --date 2026-11-21 --route intranasal \\
                      --dose-mg 56 --practitioner "Dr Lee" --adverse-event "mild nausea"
                  ketlog session add --patient P-0009 --date 2026-11-22 --route intranasal --dose-mg 84 \\
                      --practitioner "Dr Lee" --lot EK2291 --monitoring-min 120 --ready-min 95 \\
                      --comedication benzodiazepine
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "Patient code.") var patient: String?
        @OptionGroup var fields: Fields
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            // A dose given but absurd is refused as such, before anything is asked for.
            try fields.checkGivenDose()
            var entry = Entry()
            let code = entry.require(try patient.map { try Rules.patientCode($0, .patient) }, flag: "--patient",
                                     prompt: "Patient code") { try Rules.patientCode($0, .patient) }
            let date = entry.require(try fields.parsedDate, flag: "--date", prompt: "Date", allowed: "YYYY-MM-DD") {
                try Rules.date($0, .date)
            }
            let route = entry.require(try fields.parsedRoute, flag: "--route", prompt: "Route",
                                      allowed: Route.allowedList) { try Rules.term($0, .route) as Route }
            var draft = SessionDraft(date: date, time: try fields.parsedTime, route: route, doseMgPerKg: fields.doseMgPerKg,
                                     weightKg: fields.weightKg, doseMg: fields.doseMg, durationMin: fields.durationMin,
                                     counselor: fields.counselor, adverseEvents: fields.adverseEvent,
                                     allowUnusualDose: fields.allowUnusualDose, monitoring: try fields.monitoring())
            askDose(&draft, route: route, entry: &entry)
            if route?.needsDuration == true {
                draft.durationMin = entry.require(draft.durationMin, flag: "--duration-min", prompt: "Infusion length",
                                                  allowed: "minutes") { try Rules.wholeNumber($0, .durationMin, in: Rules.durationMin) }
            }
            draft.practitioner = entry.require(fields.practitioner, flag: "--practitioner", prompt: "Practitioner") {
                try Rules.requiredText($0, .practitioner)
            }
            try entry.finish()
            // Refuse bad values before asking for a passphrase or opening an editor; the store
            // checks again, with the patient's birth date, as it writes.
            _ = try draft.validated(birthDate: nil, today: .today())
            draft.notes = try fields.resolvedNotes()
            let created = try global.unlocked().add(draft, patient: code!)
            let session = created.record.body
            RecordOutput.created(created.record, fields: RecordFields.sessionRecord(session, patientCode: created.patientCode),
                                 format: format)
            if session.unusualDoseAllowed && format == .text {
                Output.err("ketlog: note: dose outside the usual band for \(session.route.rawValue), recorded as allowed")
            }
        }

        /// Asks for the dose in the unit of the route's band: mg/kg and the weight for iv, im,
        /// oral and subcutaneous; total mg for sublingual and intranasal. Without a terminal,
        /// the missing options are listed.
        private func askDose(_ draft: inout SessionDraft, route: Route?, entry: inout Entry) {
            let given = draft.doseMgPerKg != nil || draft.doseMg != nil
            if route?.dosedPerKg ?? false {
                if !given {
                    draft.doseMgPerKg = entry.require(nil, flag: "--dose-mg-per-kg (or --dose-mg)", prompt: "Dose",
                                                      allowed: "mg/kg") {
                        try Rules.positive(try Rules.number($0, .doseMgPerKg), .doseMgPerKg, maximum: Rules.maxDoseMgPerKg, unit: "mg/kg")
                    }
                }
                draft.weightKg = entry.require(draft.weightKg, flag: "--weight-kg", prompt: "Weight", allowed: "kg") {
                    try Rules.positive(try Rules.number($0, .weightKg), .weightKg, maximum: Rules.maxWeightKg, unit: "kg")
                }
            } else if !given {
                draft.doseMg = entry.require(nil, flag: "--dose-mg (or --dose-mg-per-kg with --weight-kg)", prompt: "Total dose",
                                             allowed: "mg") {
                    try Rules.positive(try Rules.number($0, .doseMg), .doseMg, maximum: Rules.maxDoseMg, unit: "mg")
                }
            } else if draft.doseMgPerKg != nil {
                draft.weightKg = entry.require(draft.weightKg, flag: "--weight-kg", prompt: "Weight", allowed: "kg") {
                    try Rules.positive(try Rules.number($0, .weightKg), .weightKg, maximum: Rules.maxWeightKg, unit: "kg")
                }
            }
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "amend",
            abstract: "Write a new version of a session with the given fields changed.",
            discussion: """
                A new dose replaces the old one whole (give --allow-unusual-dose again for a new
                dose outside the band).

                Example:
                  ketlog session amend ses-12 --reason "counselor notes added" --notes-file notes.txt
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session id (ses-N).") var id: String
        @Option(help: "Why the record changes (required).") var reason: String
        @OptionGroup var fields: Fields
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            let rowID = try RecordID.parse(id, kind: .session)
            let reason = try Rules.reason(reason)
            let date = try fields.parsedDate, time = try fields.parsedTime, route = try fields.parsedRoute
            _ = try fields.parsedComedications
            let store = try global.unlocked()
            // The editor starts from the current notes; read before the write transaction.
            let notes = try fields.editNotes ? fields.resolvedNotes(existing: store.record(KetamineSession.self, id: rowID).body.notes)
                                              : fields.resolvedNotes()
            let amended = try store.amend(KetamineSession.self, id: rowID, reason: reason) { session in
                if let date { session.date = date }
                if let time { session.time = time }
                session.replaceDose(route: route, doseMgPerKg: fields.doseMgPerKg, weightKg: fields.weightKg,
                                    doseMg: fields.doseMg, allow: fields.allowUnusualDose)
                if let value = fields.durationMin { session.durationMin = value }
                if let value = fields.practitioner { session.practitioner = value }
                if let value = fields.counselor { session.counselor = value }
                if let notes { session.notes = notes }
                if !fields.adverseEvent.isEmpty { session.adverseEvents = fields.adverseEvent }
                session.monitoring = try fields.monitoring(over: session.monitoring)
            }
            RecordOutput.changed(amended.record, verb: "amended",
                                 fields: RecordFields.sessionRecord(amended.record.body, patientCode: amended.patientCode),
                                 format: format)
        }
    }
}
