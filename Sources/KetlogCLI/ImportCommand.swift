import ArgumentParser
import Foundation
import KetlogStore

/// `ketlog import`: all rows or none.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import patients, sessions or scores from CSV or JSON (all rows or none).",
        discussion: """
            CSV needs a header row; JSON is an array of objects with the same keys. The kind's
            columns are those `ketlog export` writes:
              patients: \(RecordFields.patientColumns.joined(separator: ","))
              sessions: \(RecordFields.sessionColumns.joined(separator: ","))
              scores:   \(RecordFields.scoreColumns.joined(separator: ","))
            Lists (substances, adverse_events) are ';'-separated in CSV, arrays or text in JSON.
            The first bad row stops the import with its line and field; nothing is written.

            Examples:
              ketlog import patients.csv --kind patients --dry-run
              ketlog import scores.json --kind scores
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "A .csv or .json file.") var file: String
    @Option(help: "What the file holds: patients, sessions or scores.") var kind: ImportKind
    @Flag(help: "Check every row and report, writing nothing.") var dryRun = false
    @Flag(help: "Accept session doses outside the route's usual band (recorded on each such session).")
    var allowUnusualDose = false

    /// Thrown to roll a dry run back after every check has passed.
    private struct DryRunFinished: Error {}

    func run() throws {
        // The whole file is checked for encoding and its header before a passphrase is asked.
        let source = try ImportFile(path: file, kind: kind)
        let store = try global.unlocked()
        // Read before the write transaction: the store's one connection is not reentrant.
        let owners = kind == .patients ? nil : try PatientIndex(store)
        let progress = ProgressBar("importing", total: source.estimatedRows)
        defer { progress.finish() }
        var count = 0
        do {
            try store.importBatch(action: "import.\(kind.rawValue)") { batch in
                count = try load(source, into: batch, owners: owners, progress: progress)
                if dryRun { throw DryRunFinished() }
            }
        } catch is DryRunFinished {
            progress.finish()
            Output.line("dry run: \(count) \(kind.rawValue) rows are valid; nothing was written")
            return
        }
        progress.finish()
        Output.line("imported \(count) \(kind.rawValue)")
    }

    /// Validates and adds every row; returns how many. Any error rolls the whole import back.
    private func load(_ source: ImportFile, into batch: RecordBatch, owners: PatientIndex?, progress: ProgressBar) throws -> Int {
        // Read once: looking today up (environment, calendar) per row was half of an import's time.
        let today = Validation.today()
        var count = 0
        while let row = try source.next() {
            switch kind {
            case .patients:
                let patient = try row.patient(today: today)
                _ = try row.checked { try batch.addPatient(patient) }
            case .sessions:
                let owner = try owners!.lookup(try row.required("patient"), row: row)
                _ = try batch.addSession(try row.session(birthDate: owner.birthDate, allowUnusualDose: allowUnusualDose,
                                                         today: today),
                                         patientID: owner.id)
            case .scores:
                let owner = try owners!.lookup(try row.required("patient"), row: row)
                _ = try batch.addScore(try row.score(birthDate: owner.birthDate, today: today), patientID: owner.id)
            }
            count += 1
            progress.advance()
        }
        return count
    }
}

/// Patients by case-folded code, read once, for imports that name them.
struct PatientIndex {
    struct Owner {
        let id: Int64
        let code: String
        let birthDate: String?
    }

    private var byCode: [String: Owner] = [:]

    init(_ store: UnlockedStore) throws {
        try store.forEach(Patient.self) { patient in
            guard !patient.stamp.isVoid else { return }
            byCode[patient.body.code.lowercased()] = Owner(id: patient.id, code: patient.body.code, birthDate: patient.body.birthDate)
        }
    }

    func lookup(_ code: String, row: ImportRow) throws -> Owner {
        guard let owner = byCode[code.trimmingWhitespace().lowercased()] else {
            throw row.fail("patient", "no such patient in the store")
        }
        return owner
    }
}
