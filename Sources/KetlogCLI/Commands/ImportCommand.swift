import ArgumentParser
import Foundation
import KetlogModel
import KetlogStore

/// `ketlog import`: all rows or none.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import patients, sessions, scores, vitals, screens or days from CSV or JSON (all rows or none).",
        discussion: """
            CSV needs a header row; JSON is an array of objects with the same keys. The kind's
            columns are those `ketlog export` writes:
              patients: \(ImportKind.patients.columns.joined(separator: ","))
              sessions: \(ImportKind.sessions.columns.joined(separator: ","))
              scores:   \(ImportKind.scores.columns.joined(separator: ","))
              vitals:   \(ImportKind.vitals.columns.joined(separator: ","))
              screens:  \(ImportKind.screens.columns.joined(separator: ","))
              days:     \(ImportKind.days.columns.joined(separator: ","))
            Lists (substances, adverse_events, comedications) are ';'-separated in CSV, arrays or
            text in JSON. A vitals row belongs to its patient's one live session on session_date
            (at session_time, when given); days have used yes or no.
            The first bad row stops the import with its line and field; nothing is written.

            Examples:
              ketlog import patients.csv --kind patients --dry-run
              ketlog import scores.json --kind scores
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "A .csv or .json file.") var file: String
    @Option(help: "What the file holds: patients, sessions, scores, vitals, screens or days.") var kind: ImportKind
    @Flag(help: "Check every row and report, writing nothing.") var dryRun = false
    @Flag(help: "Accept session doses outside the route's usual band (recorded on each such session).")
    var allowUnusualDose = false

    func run() throws {
        // The whole file is checked for encoding and its header before a passphrase is asked.
        let file = try ImportFile(path: self.file, kind: kind, allowUnusualDose: allowUnusualDose)
        let store = try global.unlocked()
        // Close explicitly: a store left open at exit keeps its -wal and -shm files beside it.
        defer { try? store.store.close() }
        let progress = ProgressBar("importing", total: file.estimatedRows)
        defer { progress.finish() }
        let count = try store.importRecords(from: file, dryRun: dryRun) { progress.advance() }
        progress.finish()
        Output.line(dryRun ? "dry run: \(count) \(kind.rawValue) rows are valid; nothing was written"
                           : "imported \(count) \(kind.rawValue)")
    }
}
