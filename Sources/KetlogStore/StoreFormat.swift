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

    /// Throws `newerFormat` when the store has migrations this binary does not know.
    static func checkNotNewer(_ db: Database) throws {
        let known = Set(EmbeddedMigrations.all.map(\.id))
        let applied = try migrator.appliedIdentifiers(db)
        let unknown = applied.subtracting(known)
        if !unknown.isEmpty {
            let found = (try? Int.fetchOne(db, sql: "SELECT format_version FROM store_meta WHERE id = 1")) ?? nil
            throw StoreError.newerFormat(found: found ?? version + unknown.count, supported: version)
        }
    }
}
