import ArgumentParser
import Foundation
import KetlogModel
import KetlogReports
import KetlogStore

/// `ketlog export`: the columns `import` reads, so an export imports into a new store.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export one kind of record as CSV or JSON, or every record as FHIR R4 (void records are left out).",
        discussion: """
            The output holds clinical data in plaintext: it is created 0600, and an
            existing file is not overwritten without --force. Text cells starting with
            =, +, - or @ get a leading ' so spreadsheets do not run them; import
            removes it again. Vitals of a void session are left out with it.

            --format fhir writes one FHIR R4 Bundle (type collection) of every live
            record: Patient, Practitioner, MedicationAdministration (sessions),
            Observation (scores, vitals, screens, days) and a Provenance for each
            amended record, each labelled 42 CFR Part 2 (restricted). Ids are the
            same on every export of the store. --format fhir-ndjson --output DIR
            writes the FHIR Bulk Data layout: one <ResourceType>.ndjson per type
            (DIR made 0700).

            Examples:
              ketlog export --kind patients --format csv --output patients.csv
              ketlog export --kind scores --format json > scores.json
              ketlog export --format fhir --output clinic.json --purpose "EHR"
              ketlog export --format fhir-ndjson --output fhir-export/
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, json, fhir
        case fhirNDJSON = "fhir-ndjson"

        var isFHIR: Bool { self == .fhir || self == .fhirNDJSON }
    }

    @OptionGroup var global: GlobalOptions
    @Option(help: "What to export with csv or json: patients, sessions, scores, vitals, screens or days.")
    var kind: ImportKind?
    @Option(help: "csv, json, fhir (one FHIR R4 Bundle) or fhir-ndjson (one file per resource type in --output DIR).")
    var format: Format = .csv
    @Option(help: ArgumentHelp("Write to this file (0600) instead of stdout; with fhir-ndjson, into this directory.",
                               valueName: "path"))
    var output: String?
    @Flag(help: "Replace an existing --output file.") var force = false
    @Option(help: ArgumentHelp("Who receives the data and why, for the accounting of disclosures.", valueName: "text"))
    var purpose: String?

    func validate() throws {
        switch (format.isFHIR, kind) {
        case (false, nil): throw ValidationError("--kind is required with --format csv or json (patients, sessions, scores, vitals, screens or days)")
        case (true, .some): throw ValidationError("--kind: --format \(format.rawValue) exports every kind; leave --kind out")
        default: break
        }
        if format == .fhirNDJSON && output == nil { throw ValidationError("--format fhir-ndjson needs --output DIR") }
    }

    func run() throws {
        let purpose = try Rules.text(purpose, .purpose)
        let store = try global.unlocked()
        guard let kind else { return try exportFHIR(store, purpose: purpose) }
        let file = try output.map { try OutputFile(path: $0, overwrite: force) }
        let stream = file?.stream ?? OutputFile.memory()
        do {
            let (rows, owners) = try collect(store, kind: kind)
            let progress = ProgressBar("exporting", total: rows.count, enabled: file != nil && Terminal.stderrIsTerminal)
            defer { progress.finish() }
            if format == .csv {
                try CSVText.write(header: kind.columns, rows: rows.lazy.map { row in
                    progress.advance()
                    return row.map(\.1.cell)
                }, to: stream)
            } else {
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
            // Every export is a disclosure (42 CFR Part 2 asks for an accounting of them).
            try store.recordDisclosure(Disclosure(what: "export", kind: kind.rawValue, format: format.rawValue, patients: owners,
                                                  records: rows.count, to: output.map(OutputFile.displayName) ?? "standard output",
                                                  purpose: purpose))
            if let output { Output.err("ketlog: exported \(rows.count) \(kind.rawValue) to \(output)") }
        } catch {
            file?.discard()
            throw error
        }
    }

    /// `--format fhir` and `fhir-ndjson`: every live record, then one disclosure entry.
    private func exportFHIR(_ store: UnlockedStore, purpose: String?) throws {
        let export = try FHIRExport(store)
        let total = export.all.count
        let progress = ProgressBar("exporting", total: total, enabled: output != nil && Terminal.stderrIsTerminal)
        defer { progress.finish() }
        if let output, format == .fhirNDJSON {
            _ = try export.writeNDJSON(to: output, overwrite: force) { progress.advance() }
        } else {
            let file = try output.map { try OutputFile(path: $0, overwrite: force) }
            let stream = file?.stream ?? OutputFile.memory()
            do {
                try export.writeBundle(to: stream, timestamp: Date()) { progress.advance() }
                if file == nil { OutputFile.flushToStandardOutput(stream) }
                try file?.commit()
            } catch {
                file?.discard()
                throw error
            }
        }
        try store.recordDisclosure(Disclosure(what: "export", kind: "all", format: format.rawValue, patients: export.patients,
                                              records: export.records, to: output.map(OutputFile.displayName) ?? "standard output",
                                              purpose: purpose))
        if let output { Output.err("ketlog: exported \(export.records) records as \(total) FHIR resources to \(output)") }
    }

    /// The rows and, for the accounting of disclosures, the patient each came from.
    private func collect(_ store: UnlockedStore, kind: ImportKind) throws -> (rows: [[(String, FieldValue)]], patients: [Int64]) {
        switch kind {
        case .patients:
            let live = try store.all(Patient.self).filter { !$0.stamp.isVoid }
            return (live.map { RecordFields.patient($0.body) }, live.map(\.id))
        case .sessions: return try Self.live(KetamineSession.self, store, RecordFields.session)
        case .scores: return try Self.live(Score.self, store, RecordFields.score)
        case .vitals:
            // Vitals of a void session are left out with it: they name their session by date and
            // time, and an import finds only live sessions.
            let sessions = Dictionary(uniqueKeysWithValues: try store.all(KetamineSession.self).filter { !$0.stamp.isVoid }
                .map { ($0.id, $0.body) })
            return try Self.live(Vitals.self, store, where: { sessions[$0.sessionID] != nil }) { vitals, code in
                RecordFields.vitals(vitals, patientCode: code, session: sessions[vitals.sessionID])
            }
        case .screens: return try Self.live(DrugScreen.self, store, RecordFields.screen)
        case .days: return try Self.live(UseDay.self, store, RecordFields.day)
        }
    }

    /// Every live record of a kind that belongs to a patient, as `fields` names it with its patient's code.
    private static func live<Body: RecordBody>(_ type: Body.Type, _ store: UnlockedStore, where keep: (Body) -> Bool = { _ in true },
                                               _ fields: (Body, String) -> [(String, FieldValue)])
    throws -> (rows: [[(String, FieldValue)]], patients: [Int64]) {
        let directory = try PatientDirectory(store)
        let live = try store.all(type).filter { !$0.stamp.isVoid && keep($0.body) }
        return (try live.map { fields($0.body, try directory.code($0.patientID)) }, live.map(\.patientID))
    }
}
