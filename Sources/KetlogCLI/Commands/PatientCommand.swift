import ArgumentParser
import Foundation
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
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
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
        @Option(help: "Full name (optional).") var name: String?
        @Option(help: ArgumentHelp("Birth date.", valueName: "YYYY-MM-DD")) var birthDate: String?
        @Option(help: "Sex: \(Sex.allowedList).") var sex: String?
        @Option(help: "A substance treated (repeatable): \(Substance.allowedList).") var substance: [String] = []
        @Option(help: "Notes.") var notes: String?
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            var entry = Entry()
            let code = entry.require(code, flag: "CODE", prompt: "Patient code", parse: Validation.patientCode)
            let substances = entry.require(substance.isEmpty ? nil : substance, flag: "--substance", prompt: "Substance",
                                           allowed: Substance.allowedList) { [try Validation.substance($0)] }
            try entry.finish()
            let patient = try Validation.patient(Patient(code: code!, name: name, birthDate: birthDate, sex: sex,
                                                         substances: substances!, notes: notes))
            let store = try global.unlocked()
            let created = try store.addPatient(patient)
            RecordOutput.created(created, fields: RecordFields.patient(created.body), format: format)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List patients (void ones are marked).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Output format: text, json or csv.") var format: RecordFormat = .text

        func run() throws {
            let store = try global.unlocked()
            let patients = try store.all(Patient.self)
            let table = RecordTable(
                columns: ["id", "code", "substances", "birth_date", "void"],
                rows: patients.map { [.text($0.shortID), .text($0.body.code), .list($0.body.substances),
                                      FieldValue($0.body.birthDate), .bool($0.stamp.isVoid)] })
            Output.out(table.render(format))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a patient, or every version with --history.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Patient code.") var code: String
        @Flag(help: "List every version with who, when and why.") var history = false
        @Option(help: "Output format: text, json or csv.") var format: RecordFormat = .text

        func run() throws {
            let store = try global.unlocked()
            let id = try store.patientID(code: code)
            try RecordOutput.show(store, Patient.self, id: id, history: history, format: format) { RecordFields.patient($0.body) }
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
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
        @Option(help: "Full name.") var name: String?
        @Option(help: ArgumentHelp("Birth date.", valueName: "YYYY-MM-DD")) var birthDate: String?
        @Option(help: "Sex: \(Sex.allowedList).") var sex: String?
        @Option(help: "Substances (repeatable; replaces the list).") var substance: [String] = []
        @Option(help: "Notes (replaces them).") var notes: String?
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            let reason = try Validation.text(reason, field: "reason", required: true)!
            let store = try global.unlocked()
            let id = try store.patientID(code: code)
            let amended = try store.amend(Patient.self, id: id, reason: reason) { patient in
                if let newCode { patient.code = newCode }
                if let name { patient.name = name }
                if let birthDate { patient.birthDate = birthDate }
                if let sex { patient.sex = sex }
                if !substance.isEmpty { patient.substances = substance }
                if let notes { patient.notes = notes }
                patient = try Validation.patient(patient)
            }
            RecordOutput.changed(amended, verb: "amended", fields: RecordFields.patient(amended.body), format: format)
        }
    }

    struct VoidRecord: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "void", abstract: "Mark a patient void (reports ignore them).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Patient code.") var code: String
        @Option(help: "Why (required).") var reason: String

        func run() throws {
            let reason = try Validation.text(reason, field: "reason", required: true)!
            let store = try global.unlocked()
            let voided = try store.void(Patient.self, id: try store.patientID(code: code), reason: reason)
            Output.line("voided \(voided.shortID) (version \(voided.version))")
        }
    }
}
