import Foundation
import GRDB
import KetlogModel

/// Consistent copies of a store and checks of a copy's soundness, for backups.
extension Store {
    /// Copies the store into a new file at `path` (created 0600, must not exist) with SQLite's
    /// online backup API: a consistent snapshot even while other processes write.
    public func snapshot(to path: String) throws {
        try StoreFiles.createEmptyStoreFile(at: path)
        do {
            // The copy is a scratch file that is encrypted and then removed (its bytes are the
            // store's, sealed records and all): no journal and no syncs while it is written.
            var configuration = DatabaseConnection.configuration()
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = OFF")
                try db.execute(sql: "PRAGMA synchronous = OFF")
            }
            let destination = try DatabaseQueue(path: path, configuration: configuration)
            try database.backup(to: destination)
            try destination.close()
            try StoreFiles.removeCompanions(of: path)
        } catch {
            StoreFiles.removeStoreFiles(at: path)
            if let error = error as? DatabaseError { throw StoreError.from(error) }
            throw error
        }
    }

    /// What a backup's soundness check found: SQLite's integrity check, the format version,
    /// and row counts.
    public struct Soundness: Sendable, Codable {
        public let formatVersion: Int
        public let users: Int
        public let patients: Int
        public let sessions: Int
        public let scores: Int
        public let recordVersions: Int
        public let auditEntries: Int
    }

    /// Runs `PRAGMA integrity_check` and `foreign_key_check`, and reads the format and counts.
    /// Throws `corruptStore` naming the first problem.
    public func checkSoundness() throws -> Soundness {
        try database.readMapped { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            guard integrity == ["ok"] else { throw StoreError.corruptStore(detail: "SQLite integrity check failed") }
            guard try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") == nil else {
                throw StoreError.corruptStore(detail: "a record refers to a missing row")
            }
            func count(_ table: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
            guard let version = try Int.fetchOne(db, sql: "SELECT format_version FROM store_meta WHERE id = 1") else {
                throw StoreError.corruptStore(detail: "store_meta is missing")
            }
            guard version <= StoreFormat.version else { throw StoreError.newerFormat(found: version, supported: StoreFormat.version) }
            let users = try count("key_slot")
            guard users > 0 else { throw StoreError.corruptStore(detail: "no key slots") }
            return Soundness(formatVersion: version, users: users, patients: try count("patient"),
                             sessions: try count("session"), scores: try count("score"),
                             // A store of an older format has no tables for the newer kinds.
                             recordVersions: try RecordKind.allCases.reduce(0) { sum, kind in
                                 try db.tableExists(kind.versionTable) ? sum + (try count(kind.versionTable)) : sum
                             },
                             auditEntries: try count("audit_entry"))
        }
    }

    /// Checkpoints the WAL into the main file and truncates it, so that the file alone is the
    /// whole store (before it is replaced by a restore).
    public func checkpoint() throws {
        do {
            try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        } catch let error as DatabaseError {
            throw StoreError.from(error)
        }
    }

    /// Closes every connection.
    public func close() throws {
        isClosed = true
        do { try database.close() } catch let error as DatabaseError { throw StoreError.from(error) }
        for fd in outsideDescriptors { Foundation.close(fd) }
        outsideDescriptors = []
    }

    /// Runs `body` with a read-only descriptor of the store file and its length in bytes, at a
    /// moment when that file alone is the whole store: the WAL is checkpointed and empty, and a
    /// read transaction held throughout keeps any checkpoint from writing into the file (WAL
    /// frames that other processes commit meanwhile stay in the WAL). A backup can then stream
    /// the file itself instead of first copying it. Returns false without calling `body` when
    /// other processes keep the WAL busy; the caller copies with `snapshot(to:)` instead.
    public func withQuiescentFile(_ body: (Int32, Int64) throws -> Void) throws -> Bool {
        do {
            for _ in 0..<3 {
                try database.writeWithoutTransaction { db in _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
                let done = try database.read { db -> Bool in
                    // The first read takes the read lock; only then does the WAL's size tell.
                    let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
                    let pageCount = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                    _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM store_meta")
                    var info = stat()
                    let walEmpty = stat(path + "-wal", &info) != 0 ? errno == ENOENT : info.st_size == 0
                    guard walEmpty, pageSize > 0, pageCount > 0 else { return false }
                    let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
                    guard fd >= 0 else { throw StoreError.io(path: path, detail: String(cString: strerror(errno))) }
                    outsideDescriptors.append(fd)
                    try body(fd, pageSize * pageCount)
                    return true
                }
                if done { return true }
            }
            return false
        } catch let error as DatabaseError {
            throw StoreError.from(error)
        }
    }
}

extension UnlockedStore {
    /// Opens every version of every record; throws `tamperedRecord` naming the first that fails.
    /// Returns how many versions were opened.
    @discardableResult
    public func openEveryRecord() throws -> Int {
        var opened = 0
        try database.readMapped { db in
            for kind in RecordKind.allCases {
                let patientColumn = kind == .patient ? "h.id" : "h.patient_id"
                let cursor = try Row.fetchCursor(db, sql: """
                    SELECT v.\(kind.idColumn) AS id, v.version AS version, \(patientColumn) AS patient_id, v.sealed AS sealed
                    FROM \(kind.versionTable) v JOIN \(kind.table) h ON h.id = v.\(kind.idColumn)
                    """)
                while let row = try cursor.next() {
                    let blob = Array(row["sealed"] as Data)
                    let id: Int64 = row["id"]
                    let version: Int64 = row["version"]
                    switch kind {
                    case .patient: _ = try openBody(blob, id: id, version: version, patientID: id) as Versioned<Patient>
                    case .session: _ = try openBody(blob, id: id, version: version, patientID: row["patient_id"]) as Versioned<KetamineSession>
                    case .score: _ = try openBody(blob, id: id, version: version, patientID: row["patient_id"]) as Versioned<Score>
                    case .vitals: _ = try openBody(blob, id: id, version: version, patientID: row["patient_id"]) as Versioned<Vitals>
                    case .screen: _ = try openBody(blob, id: id, version: version, patientID: row["patient_id"]) as Versioned<DrugScreen>
                    case .day: _ = try openBody(blob, id: id, version: version, patientID: row["patient_id"]) as Versioned<UseDay>
                    }
                    opened += 1
                }
            }
        }
        return opened
    }

    /// Appends an audit entry for a store-level event (backup export, restore).
    public func recordEvent(_ action: AuditAction, detail: String?) throws {
        try database.writeImmediate { db in
            try audit.append(db, action: action, records: [], patientID: nil, recordsHash: [], detail: detail)
        }
    }
}

extension Store {
    /// Moves a verified snapshot file into place as the store at `path`: fsyncs it, and when a
    /// store is there (only with `replacing`) checkpoints it and removes its -wal and -shm first
    /// so no stale WAL meets the new file; then renames atomically and fsyncs the directory.
    /// The snapshot must be in the same directory as `path`.
    public static func install(snapshot: String, at path: String, replacing: Bool) throws {
        if FileManager.default.fileExists(atPath: path) {
            guard replacing else { throw StoreError.storeExists(path: path) }
            let old = try Store.openForReplacement(path: path)
            try old.checkpoint()
            try old.close()
            try StoreFiles.removeCompanions(of: path)
        }
        try StoreFiles.removeCompanions(of: snapshot)
        try StoreFiles.fsync(path: snapshot)
        guard rename(snapshot, path) == 0 else {
            throw StoreError.io(path: path, detail: String(cString: strerror(errno)))
        }
        try StoreFiles.fsync(path: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }
}
