import Foundation
import GRDB
import KetlogModel

/// Imports: every row of a file in one IMMEDIATE transaction and one audit entry, or nothing.
extension UnlockedStore {
    /// Validates, seals and inserts every row of `source`; returns how many. The first bad row
    /// (in file order) stops the import with `invalidRow` or `duplicatePatientCode` naming its
    /// line, and nothing is written. With `dryRun` every check runs and everything is rolled back.
    /// `progress` is called on the calling thread after each inserted row.
    ///
    /// Two threads overlap: a worker reads, validates and seals one chunk of rows while this
    /// thread inserts the chunk before it. Ids are reserved per chunk (a record's id is sealed
    /// into it), and chunks keep file order.
    @discardableResult
    public func importRecords(from source: some ImportSource, dryRun: Bool = false, today: ClinicalDate = .today(),
                              now: Date = Date(), progress: () -> Void = {}) throws -> Int {
        try requireRecordWriter(.importRecords(source.kind))
        var count = 0
        do {
            try database.writeImmediate { db in
                let writer = try RecordWriter(store: self, db: db, now: now)
                let owners = source.kind == .patient ? [:] : try liveOwners(db)
                let sessions = source.kind == .vitals ? try liveSessions(db) : [:]
                let preparer = try RowPreparer(source: source, owners: owners, sessions: sessions, today: today, stamp: writer.stamp,
                                               sealer: try writer.makeSealer())
                count = try insertPrepared(preparer, writer: writer, kind: source.kind, progress: progress)
                try writer.finish(action: .importRecords(source.kind), patientID: nil, detail: "\(writer.recordCount) records")
                if dryRun { throw DryRunFinished() }
            }
        } catch is DryRunFinished {}
        return count
    }

    /// Thrown to roll a dry run back after every check passed.
    private struct DryRunFinished: Error {}

    /// Every live patient by folded code, read inside the import's transaction and opened on both
    /// cores (`collectPages`); the last in id order wins, as a lookup by code would find it.
    private func liveOwners(_ db: Database) throws -> [String: Versioned<Patient>] {
        let live = try collectPages(Patient.self, patientID: nil, in: db) { $0.filter { !$0.stamp.isVoid } }
        return Dictionary(live.map { (Rules.foldedCode($0.body.code), $0) }, uniquingKeysWith: { $1 })
    }

    /// Every live session by patient id (date, time, id), for vitals rows to find theirs.
    private func liveSessions(_ db: Database) throws -> [Int64: [SessionKey]] {
        let live = try collectPages(KetamineSession.self, patientID: nil, in: db) { records in
            records.compactMap { $0.stamp.isVoid ? nil : ($0.patientID, SessionKey(date: $0.body.date, time: $0.body.time, id: $0.id)) }
        }
        var sessions: [Int64: [SessionKey]] = [:]
        for (patientID, key) in live { sessions[patientID, default: []].append(key) }
        return sessions
    }

    private func insertPrepared(_ preparer: RowPreparer, writer: RecordWriter, kind: RecordKind,
                                progress: () -> Void) throws -> Int {
        let worker = DispatchQueue(label: "ketlog.import.prepare")
        func submit() throws -> PreparedChunk {
            let chunk = PreparedChunk()
            let first = try writer.reserveIDs(kind, count: PreparedChunk.size)
            worker.async { chunk.finish(preparer.prepare(upTo: PreparedChunk.size, firstID: first)) }
            return chunk
        }
        var count = 0
        var current = try submit()
        while true {
            let prepared = current.wait()
            let next = prepared.endOfInput ? nil : try submit()
            do {
                if kind == .patient {
                    for (line, result) in prepared.rows {
                        do {
                            try writer.insert(try result.get())
                        } catch StoreError.duplicatePatientCode(line: nil) {
                            throw StoreError.duplicatePatientCode(line: line)
                        }
                        count += 1
                        progress()
                    }
                } else {
                    // The rows before the first that failed go in several to a statement; then
                    // that row's error (the transaction is rolled back).
                    var sealed: [SealedRecord] = []
                    sealed.reserveCapacity(prepared.rows.count)
                    var failure: Error?
                    for (_, result) in prepared.rows {
                        switch result {
                        case .success(let record): sealed.append(record)
                        case .failure(let error): failure = error
                        }
                        if failure != nil { break }
                    }
                    try writer.insert(sealed[...])
                    count += sealed.count
                    for _ in sealed { progress() }
                    if let failure { throw failure }
                }
                if let error = prepared.readError { throw error }
            } catch {
                _ = next?.wait()  // let the worker finish with the source and sealer before unwinding
                throw error
            }
            guard let next else { return count }
            current = next
        }
    }
}

/// A chunk of rows read, validated and sealed by the worker: each row's line and its sealed
/// record or the error that stopped it.
private struct PreparedRows {
    var rows: [(line: Int, result: Result<SealedRecord, Error>)] = []
    /// The source failed after the last row here.
    var readError: Error?
    var reachedEnd = false
    var endOfInput: Bool { readError != nil || reachedEnd }
}

/// What the worker thread does: read rows, resolve their patient, validate and seal them.
/// Only the worker touches the source and the sealer.
private final class RowPreparer: @unchecked Sendable {
    let source: any ImportSource
    let owners: [String: Versioned<Patient>]
    let sessions: [Int64: [SessionKey]]
    let today: ClinicalDate
    let stamp: VersionStamp
    let sealer: RecordSealer

    init(source: any ImportSource, owners: [String: Versioned<Patient>], sessions: [Int64: [SessionKey]], today: ClinicalDate,
         stamp: VersionStamp, sealer: RecordSealer) throws {
        self.source = source
        self.owners = owners
        self.sessions = sessions
        self.today = today
        self.stamp = stamp
        self.sealer = sealer
    }

    func prepare(upTo limit: Int, firstID: Int64) -> PreparedRows {
        var prepared = PreparedRows()
        prepared.rows.reserveCapacity(limit)
        while prepared.rows.count < limit {
            let item: ImportItem
            do {
                guard let next = try source.next() else {
                    prepared.reachedEnd = true
                    break
                }
                item = next
            } catch {
                prepared.readError = error
                break
            }
            let id = firstID + Int64(prepared.rows.count)
            prepared.rows.append((item.line, Result {
                do {
                    return try seal(item.draft, id: id)
                } catch let error as ModelError {
                    throw StoreError.invalidRow(line: item.line, error)
                }
            }))
        }
        return prepared
    }

    /// The last code looked up and its patient: a file's rows come grouped by patient, and
    /// folding the code and hashing it for every row was about a tenth of this thread's work.
    private var lastOwner: (code: String, owner: Versioned<Patient>)?

    private func owner(_ code: String) throws -> Versioned<Patient> {
        if let lastOwner, lastOwner.code == code { return lastOwner.owner }
        guard let owner = owners[Rules.foldedCode(code)] else { throw ModelError.invalid(.patient, .livePatient) }
        lastOwner = (code, owner)
        return owner
    }

    private func seal(_ draft: ImportItem.Draft, id: Int64) throws -> SealedRecord {
        guard draft.kind == source.kind else { throw StoreError.corruptStore(detail: "an import row of another kind") }
        switch draft {
        case .patient(let patient):
            return try sealer.sealFirst(try Patient.validate(patient, owner: nil, today: today), stamp: stamp, id: id, patientID: nil)
        case .session(let session, let code):
            let owner = try owner(code)
            let body = try KetamineSession.validate(session, owner: owner.body, today: today)
            return try sealer.sealFirst(body, stamp: stamp, id: id, patientID: owner.id)
        case .score(let score, let code):
            let owner = try owner(code)
            return try sealer.sealFirst(try Score.validate(score, owner: owner.body, today: today), stamp: stamp, id: id,
                                        patientID: owner.id)
        case .vitals(var vitals, let code, let date, let time):
            let owner = try owner(code)
            vitals.sessionID = try session(of: owner.id, date: date, time: time)
            return try sealer.sealFirst(try Vitals.validate(vitals, owner: owner.body, today: today), stamp: stamp, id: id,
                                        patientID: owner.id)
        case .screen(let screen, let code):
            let owner = try owner(code)
            return try sealer.sealFirst(try DrugScreen.validate(screen, owner: owner.body, today: today), stamp: stamp, id: id,
                                        patientID: owner.id)
        case .day(let day, let code):
            let owner = try owner(code)
            return try sealer.sealFirst(try UseDay.validate(day, owner: owner.body, today: today), stamp: stamp, id: id,
                                        patientID: owner.id)
        }
    }

    /// The one live session of the patient on `date` (at `time`, when given). None on that
    /// date names `session_date`; none at that time, or several, names `session_time`.
    private func session(of patientID: Int64, date: ClinicalDate, time: ClockTime?) throws -> Int64 {
        let onDate = (sessions[patientID] ?? []).filter { $0.date == date }
        guard !onDate.isEmpty else { throw ModelError.invalid(.sessionDate, .oneSession(ambiguous: false)) }
        let matching = time.map { time in onDate.filter { $0.time == time } } ?? onDate
        guard matching.count == 1 else { throw ModelError.invalid(.sessionTime, .oneSession(ambiguous: !matching.isEmpty)) }
        return matching[0].id
    }
}

/// A live session as a vitals import row names it: its patient's, on a date, at a time.
struct SessionKey: Sendable {
    let date: ClinicalDate
    let time: ClockTime?
    let id: Int64
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
