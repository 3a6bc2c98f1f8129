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
        // Close explicitly: the worker thread may still hold the store when an error unwinds, and
        // a store left open at exit keeps its -wal and -shm files beside it.
        defer { try? store.store.close() }
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
    ///
    /// Two threads overlap: a worker parses, validates and seals one chunk of rows while this
    /// thread inserts the chunk before it. Chunks keep file order, ids are reserved per chunk
    /// (a record's id is sealed into it), and the first bad row in file order is the one reported.
    private func load(_ source: ImportFile, into batch: RecordBatch, owners: PatientIndex?, progress: ProgressBar) throws -> Int {
        // Read once: looking today up (environment, calendar) per row was half of an import's time.
        let preparer = RowPreparer(source: source, kind: kind, owners: owners, today: Validation.today(),
                                   allowUnusualDose: allowUnusualDose, sealer: try batch.makeSealer())
        let worker = DispatchQueue(label: "ketlog.import.prepare")
        let recordKind: RecordKind = switch kind {
        case .patients: .patient
        case .sessions: .session
        case .scores: .score
        }
        func submit() throws -> PreparedChunk {
            let chunk = PreparedChunk()
            let first = try batch.reserveIDs(recordKind, count: PreparedChunk.size)
            worker.async { chunk.finish(preparer.prepare(upTo: PreparedChunk.size, firstID: first)) }
            return chunk
        }
        var count = 0
        var current = try submit()
        while true {
            let prepared = current.wait()
            let next = prepared.endOfInput ? nil : try submit()
            do {
                for (row, result) in prepared.rows {
                    let sealed = try result.get()
                    try row.checked { try batch.insert(sealed) }
                    count += 1
                    progress.advance()
                }
            } catch {
                _ = next?.wait()  // let the worker finish with the file and sealer before unwinding
                throw error
            }
            if let error = prepared.parseError { throw error }
            guard let next else { return count }
            current = next
        }
    }
}

/// A chunk of rows parsed, validated and sealed by the worker.
private struct PreparedRows {
    var rows: [(ImportRow, Result<SealedRecord, Error>)] = []
    /// The file could not be read past the last row here.
    var parseError: Error?
    var endOfInput: Bool { parseError != nil || reachedEnd }
    var reachedEnd = false
}

/// The work an import hands to its worker thread: reading rows, validating and sealing them.
/// Only the worker touches the file and the sealer.
private final class RowPreparer: @unchecked Sendable {
    let source: ImportFile
    let kind: ImportKind
    let owners: PatientIndex?
    let today: String
    let allowUnusualDose: Bool
    let sealer: RecordSealer

    init(source: ImportFile, kind: ImportKind, owners: PatientIndex?, today: String, allowUnusualDose: Bool,
         sealer: RecordSealer) {
        self.source = source
        self.kind = kind
        self.owners = owners
        self.today = today
        self.allowUnusualDose = allowUnusualDose
        self.sealer = sealer
    }

    func prepare(upTo limit: Int, firstID: Int64) -> PreparedRows {
        var prepared = PreparedRows()
        prepared.rows.reserveCapacity(limit)
        while prepared.rows.count < limit {
            let row: ImportRow
            do {
                guard let next = try source.next() else {
                    prepared.reachedEnd = true
                    break
                }
                row = next
            } catch {
                prepared.parseError = error
                break
            }
            let id = firstID + Int64(prepared.rows.count)
            prepared.rows.append((row, Result { try seal(row, id: id) }))
        }
        return prepared
    }

    private func seal(_ row: ImportRow, id: Int64) throws -> SealedRecord {
        switch kind {
        case .patients:
            return try row.checked { try sealer.seal(try row.patient(today: today), id: id, patientID: nil) }
        case .sessions:
            let owner = try owners!.lookup(try row.required("patient"), row: row)
            let session = try row.session(birthDate: owner.birthDate, allowUnusualDose: allowUnusualDose, today: today)
            return try sealer.seal(session, id: id, patientID: owner.id)
        case .scores:
            let owner = try owners!.lookup(try row.required("patient"), row: row)
            return try sealer.seal(try row.score(birthDate: owner.birthDate, today: today), id: id, patientID: owner.id)
        }
    }
}

/// One chunk's results, handed from the worker to the inserting thread.
private final class PreparedChunk: @unchecked Sendable {
    static let size = 2048
    private let done = DispatchSemaphore(value: 0)
    private var prepared = PreparedRows()

    func finish(_ prepared: PreparedRows) {
        self.prepared = prepared
        done.signal()
    }

    /// Blocks until the worker has finished the chunk.
    func wait() -> PreparedRows {
        done.wait()
        done.signal()  // later waits return at once
        return prepared
    }
}
