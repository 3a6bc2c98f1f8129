import Foundation
import GRDB
import GRDBSQLite
import KetlogCrypto
import KetlogModel

/// The writes of one IMMEDIATE transaction, audited together as one entry: the one path by
/// which record versions enter the store, for a single `add`, an amendment or void, and every
/// row of an import alike.
///
/// Rows are inserted with explicit ids so that they can be sealed (the id is in the associated
/// data) before they are inserted; the writer holds the write lock, so nobody else takes them.
final class RecordWriter {
    private let store: UnlockedStore
    private let keys: KeyRing
    private let audit: AuditTrail
    private let db: Database
    /// Who writes and when, sealed into every version this writer creates.
    let stamp: VersionStamp
    private let now: Date
    private let hasher: RecordHasher
    private var ranges: [AuditEntry.RecordRange] = []
    /// Patients added by this writer, by blind index, so a duplicate within an import is caught.
    private var newPatients: Set<Data> = []
    /// Whether the store's blind indexes were checked against the patients' sealed codes, which
    /// a new or changed code needs before its index can prove it is not a duplicate.
    private var codeIndexesChecked = false
    /// The next free row id per kind.
    private var nextIDs: [RecordKind: Int64] = [:]
    /// The two insert statements per kind, prepared once (a million rows must not rebuild and
    /// look up their SQL a million times).
    private var statements: [RecordKind: (head: Statement, version: Statement)] = [:]
    /// The same for `rowsPerStatement` rows at a time.
    private var batchStatements: [RecordKind: (head: Statement, version: Statement)] = [:]
    /// The sealer of the store's own thread.
    private lazy var ownSealer = Result { try RecordSealer(keys: keys) }

    init(store: UnlockedStore, db: Database, now: Date, reason: String? = nil, isVoid: Bool = false) throws {
        self.store = store
        keys = store.keys
        audit = store.audit
        self.db = db
        self.now = now
        stamp = VersionStamp(user: store.user, timeMillis: Int64((now.timeIntervalSince1970 * 1000).rounded()),
                             reason: reason, isVoid: isVoid)
        hasher = try RecordHasher()
    }

    /// A sealer for another thread.
    func makeSealer() throws -> RecordSealer { try RecordSealer(keys: keys) }

    /// Reserves `count` consecutive row ids of `kind` and returns the first.
    func reserveIDs(_ kind: RecordKind, count: Int) throws -> Int64 {
        let first = try nextIDs[kind] ?? (Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM \(kind.table)") ?? 0) + 1
        nextIDs[kind] = first + Int64(count)
        return first
    }

    /// Seals and inserts `body` as a new record; `patientID` is the owner (nil for a patient).
    func add<Body: RecordBody>(_ body: Body, patientID: Int64?) throws -> Versioned<Body> {
        let id = try reserveIDs(Body.kind, count: 1)
        let sealed = try ownSealer.get().sealFirst(body, stamp: stamp, id: id, patientID: patientID)
        try insert(sealed)
        return Versioned(id: id, patientID: sealed.patientID, version: 1, stamp: stamp, body: body)
    }

    /// Inserts a first version sealed for a reserved id; a patient whose code exists in the
    /// store or earlier in this writer throws `duplicatePatientCode`.
    func insert(_ sealed: SealedRecord) throws {
        let kind = sealed.kind
        let (head, version) = try insertStatements(kind)
        if kind == .patient {
            guard let index = sealed.codeIndex else { throw StoreError.corruptStore(detail: "patient without blind index") }
            try checkCodeIndexes()
            guard !newPatients.contains(index), try !codeExists(index) else { throw StoreError.duplicatePatientCode(line: nil) }
            try Self.step(head, sealed.id, index)
            newPatients.insert(index)
        } else {
            try Self.step(head, sealed.id, sealed.patientID)
        }
        try Self.step(version, sealed.id, sealed.blob)
        try account(kind, id: sealed.id, version: 1, blob: sealed.blob)
    }

    /// Inserts first versions sealed for reserved ids, in order, as `insert` one by one would;
    /// rows of any kind but patients (whose codes are checked one by one) go in several to a
    /// statement. An import inserts millions of rows, and SQLite's cost per statement (opening
    /// cursors, the statement journal, halting) is as large as its cost per row.
    func insert(_ records: ArraySlice<SealedRecord>) throws {
        var index = records.startIndex
        while index < records.endIndex {
            let kind = records[index].kind
            let batch = records[index..<min(index + Self.rowsPerStatement, records.endIndex)]
            guard kind != .patient, batch.count == Self.rowsPerStatement, batch.allSatisfy({ $0.kind == kind }) else {
                try insert(records[index])
                index += 1
                continue
            }
            let (head, version) = try batchStatements(kind)
            var parameter: Int32 = 1
            for record in batch {
                sqlite3_bind_int64(head.sqliteStatement, parameter, record.id)
                sqlite3_bind_int64(head.sqliteStatement, parameter + 1, record.patientID)
                sqlite3_bind_int64(version.sqliteStatement, parameter, record.id)
                // SQLite copies each blob (SQLITE_TRANSIENT): a Data's bytes are only lent inside a closure.
                try record.blob.withUnsafeBytes { bytes in
                    guard sqlite3_bind_blob(version.sqliteStatement, parameter + 1, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                                            Int32(bytes.count), Self.transient) == SQLITE_OK
                    else { throw StoreError.database(code: SQLITE_NOMEM, message: "insert failed (cannot bind a blob)") }
                }
                parameter += 2
            }
            try Self.finishStep(head.sqliteStatement)
            defer { sqlite3_clear_bindings(version.sqliteStatement) }
            try Self.finishStep(version.sqliteStatement)
            for record in batch { try account(kind, id: record.id, version: 1, blob: record.blob) }
            index += Self.rowsPerStatement
        }
    }

    /// Rows per statement of a batched insert.
    static let rowsPerStatement = 64
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Appends version `version` of an existing record and makes it current.
    func appendVersion<Body: RecordBody>(_ body: Body, id: Int64, version: Int64, patientID: Int64) throws -> Versioned<Body> {
        let kind = Body.kind
        let blob = try ownSealer.get().seal(body, stamp: stamp, id: id, version: version, patientID: patientID)
        try db.execute(sql: "INSERT INTO \(kind.versionTable) (\(kind.idColumn), version, sealed) VALUES (?, ?, ?)",
                       arguments: [id, version, blob])
        try db.execute(sql: "UPDATE \(kind.table) SET current_version = ? WHERE id = ?", arguments: [version, id])
        try account(kind, id: id, version: version, blob: blob)
        return Versioned(id: id, patientID: patientID, version: version, stamp: stamp, body: body)
    }

    /// Points patient `id` at the blind index of `code`, refusing a code another patient has.
    func reindexPatient(_ id: Int64, code: String) throws {
        let index = Data(try keys.patientCodeIndex(code))
        try checkCodeIndexes()
        guard try !codeExists(index) else { throw StoreError.duplicatePatientCode(line: nil) }
        try db.execute(sql: "UPDATE patient SET code_index = ? WHERE id = ?", arguments: [index, id])
    }

    /// How many record versions this writer has written.
    var recordCount: Int64 { ranges.reduce(0) { $0 + $1.count } }

    /// Appends the audit entry covering everything written.
    func finish(action: AuditAction, patientID: Int64?, detail: String?) throws {
        try audit.append(db, action: action, records: ranges, patientID: patientID, recordsHash: try hasher.finalize(),
                         detail: detail, now: now)
    }

    // MARK: Private

    /// An index is only as good as the column it is in: one swapped, copied or moved in the file
    /// would let a second patient with an existing code in. Before the first code this writer
    /// adds, every patient's current version is opened and its code's index compared with the
    /// stored one (`blindIndexMismatch` names the first that differs).
    private func checkCodeIndexes() throws {
        guard !codeIndexesChecked else { return }
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT h.id, h.code_index, h.current_version, v.sealed
            FROM patient h LEFT JOIN patient_version v ON v.patient_id = h.id AND v.version = h.current_version
            ORDER BY h.id
            """)
        while let row = try cursor.next() {
            let id: Int64 = row[0]
            let version: Int64 = row[2]
            guard let blob = row[3] as Data? else { throw StoreError.tamperedRecord(table: "patient_version", id: id, version: version) }
            let patient: Versioned<Patient> = try store.openBody(Array(blob), id: id, version: version, patientID: id)
            guard ConstantTime.equal(try keys.patientCodeIndex(patient.body.code), Array(row[1] as Data)) else {
                throw StoreError.blindIndexMismatch(patientID: id)
            }
        }
        codeIndexesChecked = true
    }

    private func codeExists(_ index: Data) throws -> Bool {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM patient WHERE code_index = ?"), arguments: [index]) != 0
    }

    private func account(_ kind: RecordKind, id: Int64, version: Int64, blob: Data) throws {
        try blob.withUnsafeBytes { try hasher.add($0) }
        if let last = ranges.last, last.kind == kind, last.version == version, last.lastID + 1 == id {
            ranges[ranges.count - 1].lastID = id
        } else {
            ranges.append(.init(kind: kind, firstID: id, lastID: id, version: version))
        }
    }

    /// The two insert statements of `rowsPerStatement` rows of `kind`, prepared once.
    private func batchStatements(_ kind: RecordKind) throws -> (head: Statement, version: Statement) {
        if let prepared = batchStatements[kind] { return prepared }
        let rows = Self.rowsPerStatement
        let head = try db.makeStatement(sql: "INSERT INTO \(kind.table) (id, patient_id, current_version) VALUES "
            + Array(repeating: "(?, ?, 1)", count: rows).joined(separator: ", "))
        let version = try db.makeStatement(sql: "INSERT INTO \(kind.versionTable) (\(kind.idColumn), version, sealed) VALUES "
            + Array(repeating: "(?, 1, ?)", count: rows).joined(separator: ", "))
        batchStatements[kind] = (head, version)
        return (head, version)
    }

    private func insertStatements(_ kind: RecordKind) throws -> (head: Statement, version: Statement) {
        if let prepared = statements[kind] { return prepared }
        let head = kind == .patient
            ? try db.makeStatement(sql: "INSERT INTO patient (id, code_index, current_version) VALUES (?, ?, 1)")
            : try db.makeStatement(sql: "INSERT INTO \(kind.table) (id, patient_id, current_version) VALUES (?, ?, 1)")
        let version = try db.makeStatement(sql: "INSERT INTO \(kind.versionTable) (\(kind.idColumn), version, sealed) VALUES (?, 1, ?)")
        statements[kind] = (head, version)
        return (head, version)
    }

    // An import inserts two rows per record, a million times: bind and step the prepared
    // statements through the SQLite C API rather than building `StatementArguments` each time.
    // These statements are this writer's own, so nothing else sees their state.

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
        guard code == SQLITE_DONE else { throw StoreError.database(code: code, message: "insert failed (SQLite \(code))") }
    }
}
