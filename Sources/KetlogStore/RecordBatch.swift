import Foundation
import GRDB
import GRDBSQLite

/// Records created inside one write transaction, audited together as one entry.
/// Used by single `add` commands (one record) and by imports (all rows or none).
public final class RecordBatch {
    private let store: UnlockedStore
    private let db: Database
    private let stamp: VersionStamp
    private let hasher: RecordHasher
    private var ranges: [AuditEntry.RecordRange] = []
    /// Patients added in this batch by blind index, so later rows can refer to them.
    private var newPatients: [Data: Int64] = [:]

    init(store: UnlockedStore, db: Database, now: Date) throws {
        self.store = store
        self.db = db
        self.stamp = VersionStamp(user: store.user, timeMillis: Int64((now.timeIntervalSince1970 * 1000).rounded()),
                                  reason: nil, isVoid: false)
        self.hasher = try RecordHasher()
    }

    /// The sealer of the store's own thread, for single adds.
    private lazy var ownSealer = Result { try RecordSealer(store: store, stamp: stamp) }
    /// The next free row id per kind; rows are inserted with explicit ids so that they can be
    /// sealed (their id is in the associated data) before they are inserted.
    private var nextIDs: [RecordKind: Int64] = [:]
    /// The two insert statements per kind, prepared once per batch (a million rows must not
    /// rebuild and look up their SQL a million times).
    private var statements: [RecordKind: (head: Statement, version: Statement)] = [:]

    private func insertStatements(_ kind: RecordKind) throws -> (head: Statement, version: Statement) {
        if let prepared = statements[kind] { return prepared }
        let head = kind == .patient
            ? try db.makeStatement(sql: "INSERT INTO patient (id, code_index, current_version) VALUES (?, ?, 1)")
            : try db.makeStatement(sql: "INSERT INTO \(kind.table) (id, patient_id, current_version) VALUES (?, ?, 1)")
        let version = try db.makeStatement(sql: "INSERT INTO \(kind.versionTable) (\(kind.idColumn), version, sealed) VALUES (?, 1, ?)")
        statements[kind] = (head, version)
        return (head, version)
    }

    /// A sealer for another thread, stamped like every record of this batch.
    public func makeSealer() throws -> RecordSealer {
        try RecordSealer(store: store, stamp: stamp)
    }

    /// Reserves `count` consecutive row ids of `kind` and returns the first. The batch holds the
    /// write lock, so nobody else can take them.
    public func reserveIDs(_ kind: RecordKind, count: Int) throws -> Int64 {
        let first: Int64
        if let next = nextIDs[kind] {
            first = next
        } else {
            first = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM \(kind.table)") ?? 0) + 1
        }
        nextIDs[kind] = first + Int64(count)
        return first
    }

    /// Inserts a record sealed for one of this batch's reserved ids; a patient whose code exists
    /// in the store or earlier in the batch throws `duplicatePatientCode`.
    public func insert(_ sealed: SealedRecord) throws {
        let kind = sealed.kind
        let (head, version) = try insertStatements(kind)
        switch kind {
        case .patient:
            guard let index = sealed.codeIndex else { throw StoreError.corruptStore(detail: "patient without blind index") }
            guard newPatients[index] == nil,
                  try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM patient WHERE code_index = ?"),
                                   arguments: [index]) == 0
            else { throw StoreError.duplicatePatientCode }
            try Self.step(head, sealed.id, index)
            newPatients[index] = sealed.id
        case .session, .score:
            try Self.step(head, sealed.id, sealed.patientID)
        }
        try Self.step(version, sealed.id, sealed.blob)
        try sealed.blob.withUnsafeBytes { try hasher.add($0) }
        if let last = ranges.last, last.kind == kind, last.lastID + 1 == sealed.id {
            ranges[ranges.count - 1].lastID = sealed.id
        } else {
            ranges.append(.init(kind: kind, firstID: sealed.id, lastID: sealed.id, version: 1))
        }
    }

    // An import inserts two rows per record, a million times: bind and step GRDB's prepared
    // statements through the SQLite C API rather than building `StatementArguments` each time.
    // These statements are this batch's own, so nothing else sees their state.

    private static func step(_ statement: Statement, _ first: Int64, _ second: Int64) throws {
        let handle = statement.sqliteStatement
        sqlite3_bind_int64(handle, 1, first)
        sqlite3_bind_int64(handle, 2, second)
        try finishStep(handle)
    }

    private static func step(_ statement: Statement, _ first: Int64, _ blob: Data) throws {
        let handle = statement.sqliteStatement
        sqlite3_bind_int64(handle, 1, first)
        try blob.withUnsafeBytes { bytes in
            // No destructor (SQLITE_STATIC): the bytes outlive the step, and the binding is
            // cleared before they go.
            sqlite3_bind_blob(handle, 2, bytes.baseAddress, Int32(bytes.count), nil)
            defer { sqlite3_clear_bindings(handle) }
            try finishStep(handle)
        }
    }

    private static func finishStep(_ handle: OpaquePointer?) throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw StoreError.database(code: code, message: "insert failed (SQLite \(code))")
        }
    }

    private func add<Body: RecordBody>(_ body: Body, patientID: Int64?) throws -> Versioned<Body> {
        let id = try reserveIDs(Body.kind, count: 1)
        let sealed = try ownSealer.get().seal(body, id: id, patientID: patientID)
        try insert(sealed)
        return Versioned(id: id, patientID: sealed.patientID, version: 1, stamp: stamp, body: body)
    }

    /// Adds a patient; throws `duplicatePatientCode` if the code exists in the store or batch.
    public func addPatient(_ patient: Patient) throws -> Versioned<Patient> {
        try add(patient, patientID: nil)
    }

    /// The row id of the patient with `code`, whether stored before or added in this batch.
    public func patientID(code: String) throws -> Int64 {
        let index = Data(try store.keys.patientCodeIndex(code))
        if let id = newPatients[index] { return id }
        return try store.requirePatientID(db, code: code)
    }

    public func addSession(_ session: KetamineSession, patientID: Int64) throws -> Versioned<KetamineSession> {
        try add(session, patientID: patientID)
    }

    public func addScore(_ score: Score, patientID: Int64) throws -> Versioned<Score> {
        try add(score, patientID: patientID)
    }

    /// How many records the batch has added so far.
    public var recordCount: Int64 { ranges.reduce(0) { $0 + $1.count } }

    /// Appends the batch's audit entry.
    func finish(action: String, patientID: Int64?, detail: String?) throws {
        try store.audit.append(db, action: action, records: ranges, patientID: patientID,
                               recordsHash: try hasher.finalize(), detail: detail,
                               now: Date(timeIntervalSince1970: Double(stamp.timeMillis) / 1000))
    }
}
