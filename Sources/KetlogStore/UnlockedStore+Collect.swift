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

    /// `collect` a page at a time: `transform` maps the records of one page, in id order.
    @usableFromInline
    func collectPages<Body: RecordBody, T: Sendable>(_ type: Body.Type, patientID: Int64?,
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
            try database.readMapped { db in
                // Through the SQLite C API: a million rows, each copied once into its page.
                let statement = try db.makeStatement(sql: request.sql)
                try statement.setArguments(request.arguments)
                let handle = statement.sqliteStatement
                defer { sqlite3_reset(handle) }
                var page = SealedPage()
                var index = 0
                func hand() {
                    work.submit(index, page)
                    index += 1
                    page = SealedPage()
                    // The other thread is busy and a page waits: open it here rather than read ahead.
                    while let (waiting, backlog) = work.nextIfAny() { work.finish(waiting, process(backlog, nil)) }
                }
                while !work.failed {
                    let code = sqlite3_step(handle)
                    if code == SQLITE_DONE { break }
                    guard code == SQLITE_ROW else { throw StoreError.database(code: code, message: "read failed (SQLite \(code))") }
                    page.append(handle)
                    if page.isFull { hand() }
                }
                if !page.isEmpty { hand() }
            }
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

    /// Appends the row a `CurrentVersionRequest` statement is on (id, patient id, version, sealed).
    mutating func append(_ handle: SQLiteStatement) {
        if ids.isEmpty {
            ids.reserveCapacity(Self.capacity)
            owners.reserveCapacity(Self.capacity)
            versions.reserveCapacity(Self.capacity)
            ends.reserveCapacity(Self.capacity)
            bytes.reserveCapacity(Self.capacity * 128)
        }
        ids.append(sqlite3_column_int64(handle, 0))
        owners.append(sqlite3_column_int64(handle, 1))
        versions.append(sqlite3_column_int64(handle, 2))
        guard sqlite3_column_type(handle, 3) != SQLITE_NULL else {
            ends.append(-1)
            return
        }
        // The blob before its length, as SQLite asks; an empty blob is a NULL pointer.
        if let blob = sqlite3_column_blob(handle, 3) {
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: blob, count: Int(sqlite3_column_bytes(handle, 3))))
        }
        ends.append(bytes.count)
    }
}

/// The pages of one `collect`, handed between its two threads, and their results.
private final class PageWork<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [(index: Int, page: SealedPage)] = []
    private var open = true
    private var done: [Int: Result<[T], Error>] = [:]
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

    /// The next page if one waits (the other thread, if running, is busy with another).
    func nextIfAny() -> (Int, SealedPage)? {
        condition.withLock { waiting.isEmpty ? nil : waiting.removeFirst() }
    }

    func finish(_ index: Int, _ result: Result<[T], Error>) {
        condition.withLock {
            if case .failure = result { anyFailed = true }
            done[index] = result
        }
    }

    /// Every page's records in order, or the first page's error.
    func results() throws -> [T] {
        try condition.withLock {
            var all: [T] = []
            all.reserveCapacity(done.values.reduce(0) { $0 + ((try? $1.get())?.count ?? 0) })
            for index in done.keys.sorted() { all.append(contentsOf: try done[index]!.get()) }
            return all
        }
    }
}
