import Dispatch
import Foundation
import GRDB
import GRDBSQLite
import KetlogCrypto
import KetlogModel

extension UnlockedStore {
    /// The current version of every record of a kind (optionally of one patient), opened, decoded
    /// and passed through `transform`, in id order; records it maps to nil are left out.
    ///
    /// Opening is done on both cores: this thread reads the rows in pages inside one read
    /// transaction (one consistent snapshot) while a second thread opens and decodes the pages it
    /// hands over, and this one opens pages too whenever the other is behind. A record that fails
    /// to open or decode, or that `transform` throws on, stops the reading, and the error of the
    /// first such record in id order is thrown: none is skipped. `transform` runs on both threads.
    // Inlinable, so that the caller's module specialises the per-record loop for its types.
    @inlinable
    public func collect<Body: RecordBody, T: Sendable>(_ type: Body.Type, patientID: Int64? = nil,
                                                       _ transform: @escaping @Sendable (Versioned<Body>) throws -> T?) throws -> [T] {
        try collectPages(type, patientID: patientID) { records in try records.compactMap(transform) }
    }

    /// `collect` a page at a time: `transform` maps the records of one page, in id order. With
    /// `db`, the rows are read through that connection, inside the transaction it is in (an
    /// import's), instead of in a read transaction of their own.
    @usableFromInline
    func collectPages<Body: RecordBody, T: Sendable>(_ type: Body.Type, patientID: Int64?, in db: Database? = nil,
                                                     _ transform: @escaping @Sendable ([Versioned<Body>]) throws -> [T]) throws -> [T] {
        let request = CurrentVersionRequest(kind: Body.kind, filter: patientID.map { .patient($0) } ?? .all)
        let work = PageWork<T>()
        let otherContext = try keys.makeSealContext()
        // What one thread does with one page: the records that opened go through `transform`
        // first, so that an error it throws on one of them comes before the page's bad record.
        let process = { @Sendable (page: SealedPage, context: AEADKey?) -> Result<[T], Error> in
            let (records, failure) = self.open(page, Body.self, context: context)
            return Result {
                let mapped = try transform(records)
                if let failure { throw failure }
                return mapped
            }
        }
        let worker = DispatchGroup()
        DispatchQueue(label: "ketlog.read.open").async(group: worker) {
            while let (index, page) = work.next() { work.finish(index, process(page, otherContext)) }
        }
        do {
            defer {
                work.close()
                worker.wait()
            }
            let read = { (db: Database) throws -> Void in
                // Through the SQLite C API: a million rows, each copied once into its page.
                var rows = try CurrentVersionRows(db, request)
                defer { rows.reset() }
                var page = SealedPage()
                var index = 0
                func hand() {
                    work.submit(index, page)
                    index += 1
                    page = SealedPage()
                    // The other thread is behind (pages wait beside the one it will take next):
                    // open one here rather than read ahead.
                    while let (waiting, backlog) = work.nextIfBehind() { work.finish(waiting, process(backlog, nil)) }
                }
                while !work.failed, try rows.next(into: &page) {
                    if page.isFull { hand() }
                }
                if !page.isEmpty { hand() }
            }
            if let db { try read(db) } else { try database.readMapped(read) }
            work.close()
            while let (index, page) = work.nextIfAny() { work.finish(index, process(page, nil)) }
        }
        return try work.results()
    }

    /// Opens and decodes one page with `context` (nil: this store's own) up to its first record
    /// that fails, and that record's error.
    @_specialize(where Body == Patient)
    @_specialize(where Body == KetamineSession)
    @_specialize(where Body == Score)
    @_specialize(where Body == Vitals)
    @_specialize(where Body == DrugScreen)
    @_specialize(where Body == UseDay)
    private func open<Body: RecordBody>(_ page: SealedPage, _ type: Body.Type,
                                        context: AEADKey?) -> (records: [Versioned<Body>], failure: Error?) {
        var records: [Versioned<Body>] = []
        records.reserveCapacity(page.count)
        var aad = KeyRing.AssociatedData(table: Body.kind.versionTable)
        let failure: Error? = page.bytes.withUnsafeBytes { bytes in
            var start = 0
            for row in 0..<page.count {
                let (id, version, end) = (page.ids[row], page.versions[row], page.ends[row])
                guard end >= start else { return StoreError.tamperedRecord(table: Body.kind.versionTable, id: id, version: version) }
                do {
                    records.append(try openBody(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), id: id, version: version,
                                                patientID: page.owners[row], context: context, aad: &aad))
                } catch {
                    return error
                }
                start = end
            }
            return nil
        }
        return (records, failure)
    }
}

/// Rows read but not yet opened: ids, owners and versions, and the sealed blobs end to end.
struct SealedPage: Sendable {
    static let capacity = 1024

    private(set) var ids: [Int64] = []
    private(set) var owners: [Int64] = []
    private(set) var versions: [Int64] = []
    /// Where each row's blob ends in `bytes`; -1 for a row whose version is missing (tampering,
    /// reported when the page is opened, in id order).
    private(set) var ends: [Int] = []
    private(set) var bytes: [UInt8] = []

    var count: Int { ids.count }
    var isEmpty: Bool { ids.isEmpty }
    var isFull: Bool { ids.count >= Self.capacity }

    /// Appends a record: its current version's sealed blob, or nil when that version is missing.
    mutating func append(id: Int64, owner: Int64, version: Int64, blob: UnsafeRawBufferPointer?) {
        if ids.isEmpty {
            ids.reserveCapacity(Self.capacity)
            owners.reserveCapacity(Self.capacity)
            versions.reserveCapacity(Self.capacity)
            ends.reserveCapacity(Self.capacity)
            bytes.reserveCapacity(Self.capacity * 128)
        }
        ids.append(id)
        owners.append(owner)
        versions.append(version)
        guard let blob else {
            ends.append(-1)
            return
        }
        bytes.append(contentsOf: blob)
        ends.append(bytes.count)
    }
}

/// The rows of a `CurrentVersionRequest` through the SQLite C API. For a whole kind, as two scans
/// in id order merged here: the head rows, and the version rows, each head matched to its current
/// version as the second scan passes it (SQLite's join searches the version table's key once per
/// head row, an eighth of a report's instructions). For one patient or record, the join itself.
private struct CurrentVersionRows {
    private let heads: Statement
    private let versions: Statement?
    /// Where the version scan is: the (id, version) of its current row, nil before the first
    /// step and after the last.
    private var at: (id: Int64, version: Int64)?
    private var versionsDone = false

    init(_ db: Database, _ request: CurrentVersionRequest) throws {
        let kind = request.kind
        if case .all = request.filter {
            heads = try db.makeStatement(sql: "SELECT id, \(kind.ownerColumn), current_version FROM \(kind.table) ORDER BY id")
            versions = try db.makeStatement(sql: """
                SELECT \(kind.idColumn), version, sealed FROM \(kind.versionTable) ORDER BY \(kind.idColumn), version
                """)
        } else {
            heads = try db.makeStatement(sql: request.sql)
            try heads.setArguments(request.arguments)
            versions = nil
        }
    }

    /// Ends both scans (before the read transaction does).
    func reset() {
        sqlite3_reset(heads.sqliteStatement)
        if let versions { sqlite3_reset(versions.sqliteStatement) }
    }

    private static func step(_ statement: Statement) throws -> Bool {
        let code = sqlite3_step(statement.sqliteStatement)
        if code == SQLITE_DONE { return false }
        guard code == SQLITE_ROW else { throw StoreError.database(code: code, message: "read failed (SQLite \(code))") }
        return true
    }

    private static func blob(_ handle: SQLiteStatement, _ column: Int32) -> UnsafeRawBufferPointer? {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
        // The blob before its length, as SQLite asks; an empty blob is a NULL pointer.
        let start = sqlite3_column_blob(handle, column)
        return UnsafeRawBufferPointer(start: start, count: start == nil ? 0 : Int(sqlite3_column_bytes(handle, column)))
    }

    /// Appends the next record to `page`; false after the last.
    mutating func next(into page: inout SealedPage) throws -> Bool {
        guard try Self.step(heads) else { return false }
        let head = heads.sqliteStatement
        let (id, owner, current) = (sqlite3_column_int64(head, 0), sqlite3_column_int64(head, 1), sqlite3_column_int64(head, 2))
        guard let versions else {
            page.append(id: id, owner: owner, version: current, blob: Self.blob(head, 3))
            return true
        }
        while !versionsDone, at.map({ ($0.id, $0.version) < (id, current) }) ?? true {
            if try Self.step(versions) {
                at = (sqlite3_column_int64(versions.sqliteStatement, 0), sqlite3_column_int64(versions.sqliteStatement, 1))
            } else {
                (at, versionsDone) = (nil, true)
            }
        }
        let found = at.map { $0.id == id && $0.version == current } ?? false
        page.append(id: id, owner: owner, version: current, blob: found ? Self.blob(versions.sqliteStatement, 2) : nil)
        return true
    }
}

/// The pages of one `collect`, handed between its two threads, and their records, gathered in
/// page order as pages finish (each page's own array freed at once, so the records are held
/// about once, not twice).
private final class PageWork<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [(index: Int, page: SealedPage)] = []
    private var open = true
    /// Finished pages not yet gathered (a later page finished before an earlier one).
    private var finished: [Int: Result<[T], Error>] = [:]
    private var gathered: [T] = []
    private var nextToGather = 0
    /// The error of the first page, in page order, that failed.
    private var firstError: Error?
    private var anyFailed = false

    /// Whether a page has failed (no point reading further).
    var failed: Bool { condition.withLock { anyFailed } }

    func submit(_ index: Int, _ page: SealedPage) {
        condition.withLock {
            waiting.append((index, page))
            condition.signal()
        }
    }

    /// No more pages will come.
    func close() {
        condition.withLock {
            open = false
            condition.broadcast()
        }
    }

    /// The next page, waiting for one; nil once closed and empty.
    func next() -> (Int, SealedPage)? {
        condition.withLock {
            while waiting.isEmpty && open { condition.wait() }
            return waiting.isEmpty ? nil : waiting.removeFirst()
        }
    }

    /// The next page if one waits.
    func nextIfAny() -> (Int, SealedPage)? {
        condition.withLock { waiting.isEmpty ? nil : waiting.removeFirst() }
    }

    /// The next page if more than one waits: one is always left for the other thread, which
    /// takes it as soon as it is free (taking the only one would leave that thread idle).
    func nextIfBehind() -> (Int, SealedPage)? {
        condition.withLock { waiting.count < 2 ? nil : waiting.removeFirst() }
    }

    func finish(_ index: Int, _ result: Result<[T], Error>) {
        condition.withLock {
            if case .failure = result { anyFailed = true }
            finished[index] = result
            while let ready = finished.removeValue(forKey: nextToGather) {
                nextToGather += 1
                guard firstError == nil else { continue }
                switch ready {
                case .success(let records): gathered.append(contentsOf: records)
                case .failure(let error): firstError = error
                }
            }
        }
    }

    /// Every page's records in order, or the first failed page's error.
    func results() throws -> [T] {
        try condition.withLock {
            if let firstError { throw firstError }
            return gathered
        }
    }
}
