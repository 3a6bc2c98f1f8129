import ArgumentParser
import Foundation
import KetlogModel
import KetlogStore

/// `ketlog score …`: patient-reported craving and use days.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Record check-in scores (craving 0–10, days used); list, show, amend or void them.",
        subcommands: [Add.self, RecordSubcommands.list(Score.self), RecordSubcommands.show(Score.self), Amend.self, RecordSubcommands.void(Score.self)]
    )
}

extension ScoreCommand {
    /// The score fields `add` and `amend` share.
    struct Fields: ParsableArguments {
        @Option(help: ArgumentHelp("Date of the check-in.", valueName: "YYYY-MM-DD")) var date: String?
        @Option(help: ArgumentHelp("Craving, 0 (none) to 10 (worst).", valueName: "0-10")) var craving: Int?
        @Option(help: ArgumentHelp("Days of use in the window.", valueName: "n")) var useDays: Int?
        @Option(help: ArgumentHelp("Length of the recall window, \(Rules.windowDays.lowerBound)–\(Rules.windowDays.upperBound) days "
                                   + "(default \(Rules.defaultWindowDays)).", valueName: "days")) var windowDays: Int?
        @Option(help: "The substance the use days count: \(Substance.allowedList).") var substance: String?

        var parsedDate: ClinicalDate? { get throws { try date.map { try Rules.date($0, .date) } } }
        var parsedSubstance: Substance? { get throws { try substance.map { try Rules.term($0, .substance) } } }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record a check-in.",
            discussion: """
                Examples:
                  ketlog score add --patient P-0007 --date 2026-11-20 --craving 6 --use-days 18
                  ketlog score add --patient P-0007 --date 2026-12-18 --craving 2 --use-days 1 --window-days 14
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "Patient code.") var patient: String?
        @OptionGroup var fields: Fields
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            var entry = Entry()
            let code = entry.require(try patient.map { try Rules.patientCode($0, .patient) }, flag: "--patient",
                                     prompt: "Patient code") { try Rules.patientCode($0, .patient) }
            var draft = ScoreDraft(windowDays: fields.windowDays, substance: try fields.parsedSubstance)
            draft.date = entry.require(try fields.parsedDate, flag: "--date", prompt: "Date", allowed: "YYYY-MM-DD") {
                try Rules.date($0, .date)
            }
            draft.craving = entry.require(fields.craving, flag: "--craving", prompt: "Craving",
                                          allowed: "\(Rules.craving.lowerBound)-\(Rules.craving.upperBound)") {
                try Rules.wholeNumber($0, .craving, in: Rules.craving)
            }
            let window = draft.effectiveWindowDays
            draft.useDays = entry.require(fields.useDays, flag: "--use-days", prompt: "Days of use in the past \(window)",
                                          allowed: "0-\(window)") { try Rules.wholeNumber($0, .useDays, in: 0...max(0, window)) }
            try entry.finish()
            // Refuse bad values before asking for a passphrase; the store checks again as it writes.
            _ = try draft.validated(birthDate: nil, today: .today())
            let created = try global.unlocked().add(draft, patient: code!)
            RecordOutput.created(created.record, fields: RecordFields.score(created.record.body, patientCode: created.patientCode),
                                 format: format)
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "amend",
            abstract: "Write a new version of a score with the given fields changed.",
            discussion: """
                Example:
                  ketlog score amend sco-31 --reason "patient corrected the count" --use-days 3
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Score id (sco-N).") var id: String
        @Option(help: "Why the record changes (required).") var reason: String
        @OptionGroup var fields: Fields
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            let rowID = try RecordID.parse(id, kind: .score)
            let reason = try Rules.reason(reason)
            let date = try fields.parsedDate, substance = try fields.parsedSubstance
            let amended = try global.unlocked().amend(Score.self, id: rowID, reason: reason) { score in
                if let date { score.date = date }
                if let value = fields.craving { score.craving = value }
                if let value = fields.useDays { score.useDays = value }
                if let value = fields.windowDays { score.windowDays = value }
                if let substance { score.substance = substance }
            }
            RecordOutput.changed(amended.record, verb: "amended",
                                 fields: RecordFields.score(amended.record.body, patientCode: amended.patientCode), format: format)
        }
    }
}
