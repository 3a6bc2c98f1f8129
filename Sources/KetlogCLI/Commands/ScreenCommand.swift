import ArgumentParser
import Foundation
import KetlogModel
import KetlogStore

/// `ketlog screen …`: drug screens.
struct ScreenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen",
        abstract: "Record drug screens (urine, saliva, breath); list, show, amend or void them.",
        subcommands: [Add.self, RecordSubcommands.list(DrugScreen.self), RecordSubcommands.show(DrugScreen.self), Amend.self, RecordSubcommands.void(DrugScreen.self)]
    )
}

extension ScreenCommand {
    /// The fields `add` and `amend` share.
    struct Fields: ParsableArguments {
        @Option(help: ArgumentHelp("Date of the screen.", valueName: "YYYY-MM-DD")) var date: String?
        @Option(help: "The substance tested for: \(Substance.allowedList).") var substance: String?
        @Option(help: "Result: \(ScreenResult.allowedList).") var result: String?
        @Option(help: "How the sample was taken: \(ScreenMethod.allowedList).") var method: String?

        var parsedDate: ClinicalDate? { get throws { try date.map { try Rules.date($0, .date) } } }
        var parsedSubstance: Substance? { get throws { try substance.map { try Rules.term($0, .substance) } } }
        var parsedResult: ScreenResult? { get throws { try result.map { try Rules.term($0, .result) } } }
        var parsedMethod: ScreenMethod? { get throws { try method.map { try Rules.term($0, .method) } } }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record a drug screen.",
            discussion: """
                Examples:
                  ketlog screen add --patient P-0007 --date 2026-11-20 --substance cocaine --result negative --method urine
                  ketlog screen add --patient P-0007 --date 2026-11-27 --substance alcohol --result positive --method breath
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "Patient code.") var patient: String?
        @OptionGroup var fields: Fields
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            var draft = DrugScreenDraft(result: try fields.parsedResult, method: try fields.parsedMethod)
            let given = (date: try fields.parsedDate, substance: try fields.parsedSubstance)
            var entry = Entry()
            let code = entry.require(try patient.map { try Rules.patientCode($0, .patient) }, flag: "--patient",
                                     prompt: "Patient code") { try Rules.patientCode($0, .patient) }
            draft.date = entry.require(given.date, flag: "--date", prompt: "Date", allowed: "YYYY-MM-DD") { try Rules.date($0, .date) }
            draft.substance = entry.require(given.substance, flag: "--substance", prompt: "Substance tested for",
                                            allowed: Substance.allowedList) { try Rules.term($0, .substance) as Substance }
            draft.result = entry.require(draft.result, flag: "--result", prompt: "Result",
                                         allowed: ScreenResult.allowedList) { try Rules.term($0, .result) as ScreenResult }
            try entry.finish()
            _ = try draft.validated(birthDate: nil, today: .today())
            let created = try global.unlocked().add(draft, patient: code!)
            RecordOutput.created(created.record, fields: RecordFields.screen(created.record.body, patientCode: created.patientCode),
                                 format: format)
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "amend",
            abstract: "Write a new version of a drug screen with the given fields changed.",
            discussion: """
                Example:
                  ketlog screen amend scr-4 --reason "lab confirmation" --result negative
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Screen id (scr-N).") var id: String
        @Option(help: "Why the record changes (required).") var reason: String
        @OptionGroup var fields: Fields
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            let rowID = try RecordID.parse(id, kind: .screen)
            let reason = try Rules.reason(reason)
            let date = try fields.parsedDate, substance = try fields.parsedSubstance
            let result = try fields.parsedResult, method = try fields.parsedMethod
            let amended = try global.unlocked().amend(DrugScreen.self, id: rowID, reason: reason) { screen in
                if let date { screen.date = date }
                if let substance { screen.substance = substance }
                if let result { screen.result = result }
                if let method { screen.method = method }
            }
            RecordOutput.changed(amended.record, verb: "amended",
                                 fields: RecordFields.screen(amended.record.body, patientCode: amended.patientCode), format: format)
        }
    }
}
