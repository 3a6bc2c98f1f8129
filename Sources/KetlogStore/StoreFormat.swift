import GRDB

/// The store's on-disk format: migrations compiled in from Schema/*.sql, and the format version
/// (the number of migrations this binary knows). A store with a migration this binary does not
/// know was written by a newer ketlog and is refused.
enum StoreFormat {
    static var version: Int { EmbeddedMigrations.all.count }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in EmbeddedMigrations.all {
            migrator.registerMigration(migration.id) { db in try db.execute(sql: migration.sql) }
        }
        return migrator
    }

    /// Throws `newerFormat` when the store has migrations this binary does not know, or records
    /// a format version above this binary's.
    static func checkNotNewer(_ db: Database) throws {
        let known = Set(EmbeddedMigrations.all.map(\.id))
        let applied = try migrator.appliedIdentifiers(db)
        let unknown = applied.subtracting(known)
        let recorded = (try? Int.fetchOne(db, sql: "SELECT format_version FROM store_meta WHERE id = 1")) ?? nil
        if !unknown.isEmpty || (recorded ?? 0) > version {
            // A newer ketlog may not have bumped store_meta yet when it added a migration: report
            // at least one more than this binary knows.
            throw StoreError.newerFormat(found: max(recorded ?? 0, version + unknown.count), supported: version)
        }
    }

    /// Applies the migrations an older store lacks and records the new format version.
    /// Migrations change the schema only; no sealed record is rewritten.
    static func migrateForward(_ database: DatabaseQueue) throws {
        let behind = try database.readMapped { db in try !migrator.hasCompletedMigrations(db) }
        guard behind else { return }
        do {
            try migrator.migrate(database)
            try database.writeImmediate { db in
                try db.execute(sql: "UPDATE store_meta SET format_version = ? WHERE id = 1", arguments: [version])
            }
        } catch let error as DatabaseError {
            throw StoreError.from(error)
        }
    }
}
