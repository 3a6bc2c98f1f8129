import ArgumentParser
import Foundation
import KetlogModel
import KetlogReports
import KetlogStore

/// `ketlog export`: the columns `import` reads, so an export imports into a new store.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export patients, sessions or scores as CSV or JSON (void records are left out).",
        discussion: """
            The output holds clinical data in plaintext: it is created 0600, and an existing file
            is not overwritten without --force. Text cells starting with =, +, - or @ get a
            leading ' so spreadsheets do not run them; import removes it again.

            Examples:
              ketlog export --kind patients --format csv --output patients.csv
              ketlog export --kind scores --format json > scores.json
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @OptionGroup var global: GlobalOptions
    @Option(help: "What to export: patients, sessions or scores.") var kind: ImportKind
    @Option(help: "csv or json.") var format: Format = .csv
    @Option(help: ArgumentHelp("Write to this file (0600) instead of stdout.", valueName: "file")) var output: String?
    @Flag(help: "Replace an existing --output file.") var force = false

    func run() throws {
        let store = try global.unlocked()
        let file = try output.map { try OutputFile(path: $0, overwrite: force) }
        let stream = file?.stream ?? OutputFile.memory()
        do {
            let rows = try collect(store)
            let progress = ProgressBar("exporting", total: rows.count, enabled: file != nil && Terminal.stderrIsTerminal)
            defer { progress.finish() }
            switch format {
            case .csv:
                try CSVText.write(header: kind.columns, rows: rows.lazy.map { row in
                    progress.advance()
                    return row.map(\.1.cell)
                }, to: stream)
            case .json:
                try stream.write(text: rows.isEmpty ? "[]\n" : "[\n")
                for (index, row) in rows.enumerated() {
                    // One object at a time (an export streams): each indented as an array item.
                    let object = FieldValue.object(row).encoded().dropLast().replacingOccurrences(of: "\n", with: "\n  ")
                    try stream.write(text: "  " + object + (index + 1 < rows.count ? ",\n" : "\n]\n"))
                    progress.advance()
                }
            }
            if file == nil { OutputFile.flushToStandardOutput(stream) }
            try file?.commit()
            if let output { Output.err("ketlog: exported \(rows.count) \(kind.rawValue) to \(output)") }
        } catch {
            file?.discard()
            throw error
        }
    }

    private func collect(_ store: UnlockedStore) throws -> [[(String, FieldValue)]] {
        switch kind {
        case .patients:
            return try store.all(Patient.self).filter { !$0.stamp.isVoid }.map { RecordFields.patient($0.body) }
        case .sessions:
            let directory = try PatientDirectory(store)
            return try store.all(KetamineSession.self).filter { !$0.stamp.isVoid }
                .map { RecordFields.session($0.body, patientCode: try directory.code($0.patientID)) }
        case .scores:
            let directory = try PatientDirectory(store)
            return try store.all(Score.self).filter { !$0.stamp.isVoid }
                .map { RecordFields.score($0.body, patientCode: try directory.code($0.patientID)) }
        }
    }
}
