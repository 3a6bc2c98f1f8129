import ArgumentParser
import Foundation
import KetlogStore

/// `ketlog score …`: patient-reported craving and use days.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Record check-in scores (craving 0–10, days used); list, show, amend or void them.",
        subcommands: [Add.self, List.self, Show.self, Amend.self, VoidRecord.self]
    )
}

extension ScoreCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a check-in.",
            discussion: """
                Examples:
                  ketlog score add --patient P-0007 --date 2026-11-20 --craving 6 --use-days 18
                  ketlog score add --patient P-0007 --date 2026-12-18 --craving 2 --use-days 1 --window-days 14
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "Patient code.") var patient: String?
        @OptionGroup var fields: ScoreFields
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            var entry = Entry()
            let code = entry.require(patient, flag: "--patient", prompt: "Patient code", parse: Validation.patientCode)
            let date = entry.require(fields.date, flag: "--date", prompt: "Date", allowed: "YYYY-MM-DD", parse: Answer.date("date"))
            let craving = entry.require(fields.craving, flag: "--craving", prompt: "Craving", allowed: "0-10") {
                try Validation.integer(try Answer.integer("craving")($0), field: "craving", in: 0...10)
            }
            let window = fields.windowDays ?? 28
            let useDays = entry.require(fields.useDays, flag: "--use-days", prompt: "Days of use in the past \(window)",
                                        allowed: "0-\(window)") {
                try Validation.integer(try Answer.integer("use-days")($0), field: "use-days", in: 0...max(0, window))
            }
            try entry.finish()
            var score = try Validation.score(Score(date: date!, craving: craving!, useDays: useDays!, windowDays: window,
                                                   substance: fields.substance), birthDate: nil)
            let store = try global.unlocked()
            let owner = try store.patient(code: code!)
            // A void patient takes no new records (amend the patient back first if that was a mistake).
            guard !owner.stamp.isVoid else { throw CLIError.invalidField(field: "patient", allowed: "a patient who is not void") }
            score = try Validation.score(score, birthDate: owner.body.birthDate)
            let created = try store.addScore(score, patientCode: code!)
            RecordOutput.created(created, fields: RecordFields.score(created.body, patientCode: owner.body.code), format: format)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List scores.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this patient's scores.") var patient: String?
        @OptionGroup var range: DateRange
        @Option(help: "Output format: text, json or csv.") var format: RecordFormat = .text

        func run() throws {
            let store = try global.unlocked()
            let patientID = try patient.map { try store.patientID(code: $0) }
            let directory = try PatientDirectory(store)
            let scores = try store.all(Score.self, patientID: patientID).filter { range.contains($0.body.date) }
            let rows: [[FieldValue]] = scores.sorted { ($0.body.date, $0.id) < ($1.body.date, $1.id) }.map { s in
                [.text(s.shortID), .text(directory.code(s.patientID)), .text(s.body.date), .integer(s.body.craving),
                 .integer(s.body.useDays), .integer(s.body.windowDays), FieldValue(s.body.substance), .bool(s.stamp.isVoid)]
            }
            Output.out(RecordTable(columns: ["id", "patient", "date", "craving", "use_days", "window_days", "substance", "void"],
                                   rows: rows).render(format))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a score, or every version with --history.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Score id (sco-N).") var id: String
        @Flag(help: "List every version with who, when and why.") var history = false
        @Option(help: "Output format: text, json or csv.") var format: RecordFormat = .text

        func run() throws {
            let rowID = try RecordID.parse(id, kind: .score)
            let store = try global.unlocked()
            // One patient's code, not every patient's: a record never changes owner.
            let owner = try store.record(Patient.self, id: try store.record(Score.self, id: rowID).patientID)
            try RecordOutput.show(store, Score.self, id: rowID, history: history, format: format) {
                RecordFields.score($0.body, patientCode: owner.body.code)
            }
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new version of a score with the given fields changed.",
            discussion: """
                Example:
                  ketlog score amend sco-31 --reason "patient corrected the count" --use-days 3
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Score id (sco-N).") var id: String
        @Option(help: "Why the record changes (required).") var reason: String
        @OptionGroup var fields: ScoreFields
        @Option(help: "Output format: text or json.") var format: RecordFormat = .text

        func run() throws {
            let rowID = try RecordID.parse(id, kind: .score)
            let reason = try Validation.text(reason, field: "reason", required: true)!
            let store = try global.unlocked()
            let current = try store.record(Score.self, id: rowID)
            let owner = try store.record(Patient.self, id: current.patientID)
            let amended = try store.amend(Score.self, id: rowID, reason: reason) { score in
                if let value = fields.date { score.date = value }
                if let value = fields.craving { score.craving = value }
                if let value = fields.useDays { score.useDays = value }
                if let value = fields.windowDays { score.windowDays = value }
                if let value = fields.substance { score.substance = value }
                score = try Validation.score(score, birthDate: owner.body.birthDate)
            }
            RecordOutput.changed(amended, verb: "amended",
                                 fields: RecordFields.score(amended.body, patientCode: owner.body.code), format: format)
        }
    }

    struct VoidRecord: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "void", abstract: "Mark a score void (reports ignore it).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Score id (sco-N).") var id: String
        @Option(help: "Why (required).") var reason: String

        func run() throws {
            let rowID = try RecordID.parse(id, kind: .score)
            let reason = try Validation.text(reason, field: "reason", required: true)!
            let voided = try global.unlocked().void(Score.self, id: rowID, reason: reason)
            Output.line("voided \(voided.shortID) (version \(voided.version))")
        }
    }
}
