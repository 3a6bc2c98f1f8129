import Foundation
import GRDB

/// Opens SQLite the way every ketlog process must: WAL, foreign keys, a busy timeout, and write
/// transactions that begin IMMEDIATE so that concurrent processes queue instead of failing.
///
/// One serial connection (`DatabaseQueue`), not a `DatabasePool`: opening a pool on a store whose
/// -wal file is absent (every store at rest) commits a dummy transaction to create one, and a
/// command that fails on a wrong passphrase, or `status`, must leave the file untouched. WAL mode
/// is set once, at creation, and persists in the file; other processes still read while one writes.
enum DatabaseConnection {
    static let busyTimeout: TimeInterval = 30

    /// Sees every SQL statement each new connection runs (GRDB's trace), when set. Only tests
    /// set it (`@testable import`), to count the write transactions a command takes.
    nonisolated(unsafe) static var statementObserver: (@Sendable (String) -> Void)?

    static func configuration(readonly: Bool = false, creating: Bool = false) -> Configuration {
        var config = Configuration()
        if creating { config.journalMode = .wal }
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        config.readonly = readonly
        config.label = "ketlog"
        // Statement arguments stay out of error messages (GRDB's default); say so explicitly.
        config.publicStatementArguments = false
        config.prepareDatabase { db in
            // Temporary tables and indices in memory, never in a temp file on disk.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            try db.execute(sql: "PRAGMA secure_delete = ON")
            if let observer = statementObserver {
                db.trace(options: .statement) { event in
                    if case .statement(let statement) = event { observer(statement.sql) }
                }
            }
        }
        return config
    }

    static func open(path: String, readonly: Bool = false, creating: Bool = false) throws -> DatabaseQueue {
        do {
            return try DatabaseQueue(path: path, configuration: configuration(readonly: readonly, creating: creating))
        } catch let error as DatabaseError {
            throw StoreError.from(error)
        }
    }
}

extension DatabaseWriter {
    /// Runs `body` in a transaction that begins IMMEDIATE, committing when it returns.
    @discardableResult
    func writeImmediate<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let error as DatabaseError {
            throw StoreError.from(error)
        }
    }

    /// Reads with database errors mapped to `StoreError`.
    func readMapped<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try read(body)
        } catch let error as DatabaseError {
            throw StoreError.from(error)
        }
    }
}

extension StoreError {
    /// A GRDB error without its SQL or arguments.
    static func from(_ error: DatabaseError) -> StoreError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return .corruptStore(detail: "not a ketlog store, or damaged (SQLite: \(error.resultCode))")
        default:
            return .database(code: error.extendedResultCode.rawValue, message: "\(error.resultCode)")
        }
    }
}
