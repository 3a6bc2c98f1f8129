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

/// The schema check run on every open (`Store.open`, so `status` and backups too): the store's
/// tables, indexes, triggers and views must be exactly those the embedded migrations create.
/// A dropped append-only trigger, an added trigger (one that turns a `DELETE` into a no-op, say),
/// an added table, index or view, or a changed column is refused naming the object.
///
/// The expected schema is compiled in: EmbedSchema applies the migrations to an in-memory SQLite
/// database at build time and embeds `sqlite_master` after each (`EmbeddedMigrations.schemas`),
/// so an open builds no database to learn it. SQL is compared with comments removed and whitespace collapsed, since a released
/// migration's comments may be corrected (Schema/README.md), and a store keeps the text it was
/// created with.
extension StoreFormat {
    /// One object of `sqlite_master` with its SQL as stored (nil for SQLite's automatic indexes).
    struct SchemaObject: Hashable {
        var type: String
        var name: String
        var table: String
        var sql: String?

        /// The same object: type, name and table, and SQL equal once normalised (the text as
        /// stored is compared first; usually it is the same, and normalising costs more).
        func matches(_ other: SchemaObject) -> Bool {
            guard type == other.type, name == other.name, table == other.table else { return false }
            guard sql != other.sql else { return true }
            guard let sql, let otherSQL = other.sql else { return false }
            return normalisedSQL(sql) == normalisedSQL(otherSQL)
        }
    }

    /// Objects that are not part of the comparison: what SQLite makes by itself (statistics,
    /// the AUTOINCREMENT counter) and GRDB's record of applied migrations, which `checkNotNewer`
    /// reads. Every other object counts, triggers on these tables included.
    static func isBookkeeping(_ object: SchemaObject) -> Bool {
        switch (object.type, object.name) {
        case ("table", "grdb_migrations"), ("index", "sqlite_autoindex_grdb_migrations_1"),
             ("table", "sqlite_sequence"), ("table", "sqlite_stat1"), ("table", "sqlite_stat2"),
             ("table", "sqlite_stat3"), ("table", "sqlite_stat4"):
            return true
        default:
            return false
        }
    }

    /// The schema objects of `db`, in `sqlite_master` order, bookkeeping left out.
    static func schema(_ db: Database) throws -> [SchemaObject] {
        try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid").map { row in
            SchemaObject(type: row["type"] ?? "", name: row["name"] ?? "", table: row["tbl_name"] ?? "",
                         sql: row["sql"])
        }.filter { !isBookkeeping($0) }
    }

    /// The schema that the first `count` migrations create: `sqlite_master` as EmbedSchema read
    /// it after applying them to an in-memory database at build time, bookkeeping left out.
    static func expectedSchema(migrations count: Int) throws -> [SchemaObject] {
        guard count > 0 else { return [] }
        guard count <= EmbeddedMigrations.schemas.count else {
            throw StoreError.newerFormat(found: count, supported: version)
        }
        return EmbeddedMigrations.schemas[count - 1].map { row in
            SchemaObject(type: row.type, name: row.name, table: row.table, sql: row.sql)
        }.filter { !isBookkeeping($0) }
    }

    /// Throws `schemaMismatch` naming the first object that is missing, altered or added,
    /// comparing with what the migrations this store has applied create.
    static func checkSchema(_ db: Database) throws {
        let known = EmbeddedMigrations.all.map(\.id)
        let applied = try migrator.appliedIdentifiers(db)
        // Applied migrations are a prefix of the known ones (`checkNotNewer` ran first).
        let count = known.prefix { applied.contains($0) }.count
        guard count == applied.count else {
            throw StoreError.corruptStore(detail: "the applied migrations are not in order")
        }
        let expected = try expectedSchema(migrations: count)
        let actual = try schema(db)
        let byKey = Dictionary(actual.map { (SchemaKey($0), $0) }, uniquingKeysWith: { first, _ in first })
        for object in expected {
            guard let found = byKey[SchemaKey(object)] else {
                throw StoreError.schemaMismatch(type: object.type, name: object.name, change: .missing)
            }
            guard found.matches(object) else {
                throw StoreError.schemaMismatch(type: object.type, name: object.name, change: .altered)
            }
        }
        let expectedKeys = Set(expected.map(SchemaKey.init))
        var seen = Set<SchemaKey>()
        for object in actual where !expectedKeys.contains(SchemaKey(object)) || !seen.insert(SchemaKey(object)).inserted {
            throw StoreError.schemaMismatch(type: object.type, name: object.name, change: .added)
        }
    }

    /// Objects are matched by type and name (SQLite compares names case-insensitively).
    private struct SchemaKey: Hashable {
        var type: String
        var name: String
        init(_ object: SchemaObject) {
            type = object.type
            name = object.name.lowercased()
        }
    }

    /// `sql` with its comments (`-- …` to the end of the line, `/* … */`) replaced by a space,
    /// runs of whitespace collapsed to one space, and the ends trimmed. Quoted text — string
    /// literals and quoted identifiers — is kept as it is.
    static func normalisedSQL(_ sql: String) -> String {
        let characters = Array(sql.unicodeScalars)
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        func emit(_ scalar: Unicode.Scalar) {
            if pendingSpace && !out.isEmpty { out.append(" ") }
            pendingSpace = false
            out.append(scalar)
        }
        var index = 0
        while index < characters.count {
            let scalar = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            switch scalar {
            case "-" where next == "-":
                while index < characters.count && characters[index] != "\n" { index += 1 }
                pendingSpace = true
            case "/" where next == "*":
                index += 2
                while index < characters.count && !(characters[index] == "*" && index + 1 < characters.count
                                                    && characters[index + 1] == "/") { index += 1 }
                index += 2
                pendingSpace = true
            case "'", "\"", "`", "[":
                let close: Unicode.Scalar = scalar == "[" ? "]" : scalar
                emit(scalar)
                index += 1
                while index < characters.count {
                    out.append(characters[index])
                    if characters[index] == close {
                        // A doubled quote inside a quoted text stands for the quote itself.
                        if close != "]", index + 1 < characters.count, characters[index + 1] == close {
                            out.append(characters[index + 1])
                            index += 2
                            continue
                        }
                        break
                    }
                    index += 1
                }
                index += 1
            case " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}":
                pendingSpace = true
                index += 1
            default:
                emit(scalar)
                index += 1
            }
        }
        return String(out)
    }
}
