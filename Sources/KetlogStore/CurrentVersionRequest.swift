import GRDB
import KetlogModel

/// The head-joins-version query: for each record of a kind, its owner, its current version
/// number and that version's sealed blob, in id order. Columns by position: id, patient_id,
/// version, sealed (NULL when the version row is missing, which readers report as tampering).
struct CurrentVersionRequest {
    enum Filter {
        case all
        case record(Int64)
        case patient(Int64)
    }

    let kind: RecordKind
    let filter: Filter

    var sql: String {
        let owner = "h.\(kind.ownerColumn)"
        var sql = """
            SELECT h.id, \(owner), h.current_version, v.sealed
            FROM \(kind.table) h LEFT JOIN \(kind.versionTable) v ON v.\(kind.idColumn) = h.id AND v.version = h.current_version
            """
        switch filter {
        case .all: break
        case .record: sql += " WHERE h.id = ?"
        case .patient: sql += " WHERE \(owner) = ?"
        }
        return sql + " ORDER BY h.id"
    }

    var arguments: StatementArguments {
        switch filter {
        case .all: return []
        case .record(let id), .patient(let id): return [id]
        }
    }

    /// A cursor over the rows.
    func fetchCursor(_ db: Database) throws -> RowCursor {
        try Row.fetchCursor(db, sql: sql, arguments: arguments)
    }
}
