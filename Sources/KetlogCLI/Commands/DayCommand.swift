import ArgumentParser
import Foundation
import KetlogModel
import KetlogStore

/// `ketlog day …`: the daily-use calendar (Timeline Followback), one record per day.
struct DayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "day",
        abstract: "Record days of the daily-use calendar (used or abstinent); list, show, amend or void them.",
        subcommands: [Add.self, RecordSubcommands.list(UseDay.self), RecordSubcommands.show(UseDay.self), Amend.self, RecordSubcommands.void(UseDay.self)]
    )
}

extension DayCommand {
    /// What `add` and `amend` share: used or abstinent (at most one of the two flags), the
    /// substance and the amount.
    struct Use: ParsableArguments {
        @Flag(help: "The patient used that day.") var used = false
        @Flag(help: "The patient did not use that day.") var abstinent = false
        @Option(help: "The substance: \(Substance.allowedList).") var substance: String?
        @Option(help: "How much, as the patient said it (one line).") var amount: String?

        var parsedSubstance: Substance? { get throws { try substance.map { try Rules.term($0, .substance) } } }

        func validate() throws {
            if used && abstinent { throw ValidationError("give one of --used, --abstinent, not both") }
        }

        /// nil when neither was given.
        var value: Bool? { used ? true : abstinent ? false : nil }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record a day, or with --to one record per day of a range (one audit entry).",
            discussion: """
                A range holds at most \(Rules.maxDayRange) days and may not reach into the future.

                Examples:
                  ketlog day add --patient P-0007 --date 2026-11-20 --used --substance cocaine --amount "1 g"
                  ketlog day add --patient P-0007 --date 2026-11-21 --to 2026-11-30 --abstinent
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "Patient code.") var patient: String?
        @Option(help: ArgumentHelp("The day (the first of a range).", valueName: "YYYY-MM-DD")) var date: String?
        @Option(help: ArgumentHelp("The last day of a range (inclusive).", valueName: "YYYY-MM-DD")) var to: String?
        @OptionGroup var use: Use
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            let substance = try use.parsedSubstance
            let last = try to.map { try Rules.date($0, .to) }
            var entry = Entry()
            let code = entry.require(try patient.map { try Rules.patientCode($0, .patient) }, flag: "--patient",
                                     prompt: "Patient code") { try Rules.patientCode($0, .patient) }
            let first = entry.require(try date.map { try Rules.date($0, .date) }, flag: "--date", prompt: "Date",
                                      allowed: "YYYY-MM-DD") { try Rules.date($0, .date) }
            let used = entry.require(use.value, flag: "--used or --abstinent", prompt: "Used that day", allowed: "yes or no") { answer in
                switch answer.lowercased() {
                case "yes", "y", "used": return true
                case "no", "n", "abstinent": return false
                default: throw ModelError.invalid(.used, .oneOf(["yes", "no"]))
                }
            }
            try entry.finish()
            let today = ClinicalDate.today()
            let days = try last.map { try Rules.days(from: first!, to: $0, today: today) } ?? [first!]
            let drafts = days.map { UseDayDraft(date: $0, used: used, substance: substance, amount: use.amount) }
            for draft in drafts { _ = try draft.validated(birthDate: nil, today: today) }
            let created = try global.unlocked().add(days: drafts, patient: code!, today: today)
            switch format {
            case .text:
                Output.line(created.count == 1 ? created[0].shortID : "\(created[0].shortID)…\(created[created.count - 1].shortID)")
            case .json, .csv:
                let rows = created.map { record in
                    RecordFields.header(record.record) + RecordFields.day(record.body, patientCode: record.patientCode)
                        + RecordFields.stamp(record.stamp)
                }
                Output.out(RecordTable(columns: rows.first?.map(\.0) ?? [], rows: rows.map { $0.map(\.1) }).render(format))
            }
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "amend",
            abstract: "Write a new version of a day with the given fields changed.",
            discussion: """
                Example:
                  ketlog day amend day-40 --reason "patient recalled use" --used --amount "2 drinks"
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Day id (day-N).") var id: String
        @Option(help: "Why the record changes (required).") var reason: String
        @Option(help: ArgumentHelp("The day.", valueName: "YYYY-MM-DD")) var date: String?
        @OptionGroup var use: Use
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            let rowID = try RecordID.parse(id, kind: .day)
            let reason = try Rules.reason(reason)
            let date = try date.map { try Rules.date($0, .date) }
            let substance = try use.parsedSubstance
            let amended = try global.unlocked().amend(UseDay.self, id: rowID, reason: reason) { day in
                if let date { day.date = date }
                if let used = use.value { day.used = used }
                if let substance { day.substance = substance }
                if let amount = use.amount { day.amount = amount }
            }
            RecordOutput.changed(amended.record, verb: "amended",
                                 fields: RecordFields.day(amended.record.body, patientCode: amended.patientCode), format: format)
        }
    }
}
