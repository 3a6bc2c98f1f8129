import ArgumentParser
import Foundation
import KetlogModel
import KetlogStore

/// `ketlog patient …`
struct PatientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patient",
        abstract: "Add, list, show, amend or void patients.",
        subcommands: [Add.self, List.self, Show.self, Amend.self, VoidRecord.self]
    )
}

extension PatientCommand {
    /// The patient fields `add` and `amend` share, parsed into model types.
    struct Fields: ParsableArguments {
        @Option(help: "Full name (optional).") var name: String?
        @Option(help: ArgumentHelp("Birth date.", valueName: "YYYY-MM-DD")) var birthDate: String?
        @Option(help: "Sex: \(Sex.allowedList).") var sex: String?
        @Option(help: "A substance treated (repeatable; on amend, replaces the list): \(Substance.allowedList).")
        var substance: [String] = []
        @Option(help: "Notes (on amend, replaces them).") var notes: String?

        var parsedBirthDate: ClinicalDate? { get throws { try birthDate.map { try Rules.date($0, .birthDate) } } }
        var parsedSex: Sex? { get throws { try sex.map { try Rules.term($0, .sex) } } }
        var parsedSubstances: [Substance] { get throws { try substance.map { try Rules.term($0, .substances) } } }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a patient by the clinic's patient code.",
            discussion: """
                Substances: \(Substance.allowedList).
                Sex: \(Sex.allowedList).

                Examples:
                  ketlog patient add P-0007 --substance cocaine
                  ketlog patient add P-0008 --name "A. Example" --birth-date 1984-03-02 \\
                      --sex female --substance alcohol --substance cannabis
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The clinic's patient code (unique, case-insensitive).") var code: String?
        @OptionGroup var fields: Fields
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            var entry = Entry()
            let code = entry.require(code, flag: "CODE", prompt: "Patient code") { try Rules.patientCode($0) }
            let given = try fields.parsedSubstances
            let substances = entry.require(given.isEmpty ? nil : given, flag: "--substance", prompt: "Substance",
                                           allowed: Substance.allowedList) { [try Rules.term($0, .substances) as Substance] }
            try entry.finish()
            let draft = PatientDraft(code: code, name: fields.name, birthDate: try fields.parsedBirthDate, sex: try fields.parsedSex,
                                     substances: substances ?? [], notes: fields.notes)
            // Refuse bad values before asking for a passphrase; the store checks again as it writes.
            _ = try draft.validated(today: .today())
            let created = try global.unlocked().add(draft)
            RecordOutput.created(created.record, fields: RecordFields.patient(created.record.body), format: format)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List patients (void ones with --include-void).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Include void patients.") var includeVoid = false
        @Option(help: "Output format: text, json or csv.") var format: RecordFormat = .text

        func run() throws {
            let store = try global.unlocked()
            let patients = try store.all(Patient.self).filter { includeVoid || !$0.stamp.isVoid }
            let table = RecordTable(
                columns: ["id", "code", "substances", "birth_date", "void"],
                rows: patients.map { [.text($0.shortID), .text($0.body.code), .list($0.body.substances.map(\.rawValue)),
                                      FieldValue($0.body.birthDate?.description), .bool($0.stamp.isVoid)] })
            Output.out(table.render(format))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a patient, or every version with --history.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Patient code.") var code: String
        @Flag(help: "List every version with who, when and why.") var history = false
        @Option(help: "Output format: text, json or csv.") var format: RecordFormat = .text

        func run() throws {
            let store = try global.unlocked()
            let id = try store.patientID(code: code)
            try RecordOutput.show(store, Patient.self, id: id, history: history, format: format) { RecordFields.patient($0.record.body) }
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "amend",
            abstract: "Write a new version of a patient with the given fields changed.",
            discussion: """
                Example:
                  ketlog patient amend P-0007 --reason "second substance disclosed" --substance cocaine --substance alcohol
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Patient code.") var code: String
        @Option(help: "Why the record changes (required).") var reason: String
        @Option(help: "New patient code.") var newCode: String?
        @OptionGroup var fields: Fields
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            let reason = try Rules.reason(reason)
            let newCode = try newCode.map { try Rules.patientCode($0) }
            let birthDate = try fields.parsedBirthDate, sex = try fields.parsedSex, substances = try fields.parsedSubstances
            let store = try global.unlocked()
            let amended = try store.amend(Patient.self, id: try store.patientID(code: code), reason: reason) { patient in
                if let newCode { patient.code = newCode }
                if let name = fields.name { patient.name = name }
                if let birthDate { patient.birthDate = birthDate }
                if let sex { patient.sex = sex }
                if !substances.isEmpty { patient.substances = substances }
                if let notes = fields.notes { patient.notes = notes }
            }
            RecordOutput.changed(amended.record, verb: "amended", fields: RecordFields.patient(amended.record.body), format: format)
        }
    }

    struct VoidRecord: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "void", abstract: "Mark a patient void (reports ignore them).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Patient code.") var code: String
        @Option(help: "Why (required).") var reason: String

        func run() throws {
            let reason = try Rules.reason(reason)
            let store = try global.unlocked()
            let voided = try store.void(Patient.self, id: try store.patientID(code: code), reason: reason)
            Output.line("voided \(voided.shortID) (version \(voided.version))")
        }
    }
}
