import Foundation
import GRDB
import KetlogCrypto

/// Reading and writing sealed, versioned records.
extension UnlockedStore {
    /// The stamp and the body in the record encoding, sealed for one version of one record.
    func sealBody<Body: RecordBody>(_ body: Body, stamp: VersionStamp, id: Int64, version: Int64,
                                    patientID: Int64, context: AEADKey? = nil) throws -> Data {
        var writer = ByteWriter(capacity: 256)
        stamp.encode(into: &writer)
        body.encode(into: &writer)
        return try keys.seal(writer.bytes, table: Body.kind.versionTable, id: id, version: version, patientID: patientID,
                             context: context)
    }

    func openBody<Body: RecordBody>(_ blob: [UInt8], id: Int64, version: Int64, patientID: Int64) throws -> Versioned<Body> {
        let plaintext = try keys.open(blob, table: Body.kind.versionTable, id: id, version: version, patientID: patientID)
        var reader = ByteReader(plaintext)
        do {
            let stamp = try VersionStamp(from: &reader)
            let body = try Body(from: &reader)
            guard reader.isAtEnd else { throw ByteReader.Malformed() }
            return Versioned(id: id, patientID: Body.kind == .patient ? id : patientID, version: version,
                             stamp: stamp, body: body)
        } catch {
            throw StoreError.tamperedRecord(table: Body.kind.versionTable, id: id, version: version)
        }
    }

    private func stamp(reason: String?, isVoid: Bool, now: Date) -> VersionStamp {
        VersionStamp(user: user, timeMillis: Int64((now.timeIntervalSince1970 * 1000).rounded()), reason: reason, isVoid: isVoid)
    }

    // MARK: Creating

    /// Adds a patient; throws `duplicatePatientCode` when the code (case-insensitive) exists.
    @discardableResult
    public func addPatient(_ patient: Patient, now: Date = Date()) throws -> Versioned<Patient> {
        try database.writeImmediate { db in
            let batch = try RecordBatch(store: self, db: db, now: now)
            let created = try batch.addPatient(patient)
            try batch.finish(action: "patient.add", patientID: created.id, detail: nil)
            return created
        }
    }

    /// Adds a session for the patient with `patientCode`.
    @discardableResult
    public func addSession(_ session: KetamineSession, patientCode: String, now: Date = Date()) throws -> Versioned<KetamineSession> {
        try database.writeImmediate { db in
            let batch = try RecordBatch(store: self, db: db, now: now)
            let created = try batch.addSession(session, patientID: try requirePatientID(db, code: patientCode))
            try batch.finish(action: "session.add", patientID: created.patientID,
                             detail: session.unusualDoseAllowed ? "allow-unusual-dose" : nil)
            return created
        }
    }

    /// Adds a score for the patient with `patientCode`.
    @discardableResult
    public func addScore(_ score: Score, patientCode: String, now: Date = Date()) throws -> Versioned<Score> {
        try database.writeImmediate { db in
            let batch = try RecordBatch(store: self, db: db, now: now)
            let created = try batch.addScore(score, patientID: try requirePatientID(db, code: patientCode))
            try batch.finish(action: "score.add", patientID: created.patientID, detail: nil)
            return created
        }
    }

    /// Runs `body` with a batch in one IMMEDIATE transaction and one audit entry (imports).
    /// Nothing is written if `body` throws.
    /// The audit entry's detail is `detail`, or "N records" when nil.
    public func importBatch<T>(action: String, detail: String? = nil, now: Date = Date(),
                               _ body: (RecordBatch) throws -> T) throws -> T {
        try database.writeImmediate { db in
            let batch = try RecordBatch(store: self, db: db, now: now)
            let result = try body(batch)
            try batch.finish(action: action, patientID: nil, detail: detail ?? "\(batch.recordCount) records")
            return result
        }
    }

    // MARK: Amending and voiding

    /// Writes a new version of a record with `change` applied; the old versions stay.
    @discardableResult
    public func amend<Body: RecordBody>(_ type: Body.Type, id: Int64, reason: String, now: Date = Date(),
                                        _ change: (inout Body) throws -> Void) throws -> Versioned<Body> {
        try writeVersion(type, id: id, reason: reason, isVoid: false, now: now, change)
    }

    /// Marks a record void with a new version; reports ignore it from then on.
    @discardableResult
    public func void<Body: RecordBody>(_ type: Body.Type, id: Int64, reason: String, now: Date = Date()) throws -> Versioned<Body> {
        try writeVersion(type, id: id, reason: reason, isVoid: true, now: now) { _ in }
    }

    private func writeVersion<Body: RecordBody>(_ type: Body.Type, id: Int64, reason: String, isVoid: Bool, now: Date,
                                                _ change: (inout Body) throws -> Void) throws -> Versioned<Body> {
        let kind = Body.kind
        let action = isVoid ? "void" : "amend"
        return try database.writeImmediate { db in
            let current: Versioned<Body> = try currentVersion(db, id: id)
            guard !current.stamp.isVoid else { throw StoreError.recordVoid(kind: kind.rawValue, id: kind.shortID(id)) }
            var body = current.body
            try change(&body)
            if let patient = body as? Patient, let old = current.body as? Patient,
               KeyRing.foldedCode(patient.code) != KeyRing.foldedCode(old.code) {
                let index = try keys.patientCodeIndex(patient.code)
                guard try Int.fetchOne(db, sql: "SELECT count(*) FROM patient WHERE code_index = ?", arguments: [Data(index)]) == 0 else {
                    throw StoreError.duplicatePatientCode
                }
                try db.execute(sql: "UPDATE patient SET code_index = ? WHERE id = ?", arguments: [Data(index), id])
            }
            let version = current.version + 1
            let stamp = stamp(reason: reason, isVoid: isVoid, now: now)
            let blob = try sealBody(body, stamp: stamp, id: id, version: version, patientID: current.patientID)
            try db.execute(sql: "INSERT INTO \(kind.versionTable) (\(kind.idColumn), version, sealed) VALUES (?, ?, ?)",
                           arguments: [id, version, blob])
            try db.execute(sql: "UPDATE \(kind.table) SET current_version = ? WHERE id = ?", arguments: [version, id])
            let hasher = try RecordHasher()
            try blob.withUnsafeBytes { try hasher.add($0) }
            // A version that carries a dose outside its band is audited as allowed, like `session add`.
            let unusual = !isVoid && (body as? KetamineSession)?.unusualDoseAllowed == true
            try audit.append(db, action: "\(kind.rawValue).\(action)",
                             records: [.init(kind: kind, firstID: id, lastID: id, version: version)],
                             patientID: current.patientID, recordsHash: try hasher.finalize(),
                             detail: unusual ? "allow-unusual-dose" : nil, now: now)
            return Versioned(id: id, patientID: current.patientID, version: version, stamp: stamp, body: body)
        }
    }

    // MARK: Reading

    func requirePatientID(_ db: Database, code: String) throws -> Int64 {
        let index = try keys.patientCodeIndex(code)
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM patient WHERE code_index = ?", arguments: [Data(index)]) else {
            throw StoreError.recordNotFound(kind: "patient", id: "the given code")
        }
        // The blind index is a plain column: check that the row it leads to carries this code,
        // so that an index swapped in the file cannot attach a record to the wrong patient.
        let patient: Versioned<Patient> = try currentVersion(db, id: id)
        guard KeyRing.foldedCode(patient.body.code) == KeyRing.foldedCode(code) else {
            throw StoreError.tamperedRecord(table: RecordKind.patient.table, id: id, version: patient.version)
        }
        return id
    }

    private func currentVersion<Body: RecordBody>(_ db: Database, id: Int64) throws -> Versioned<Body> {
        let kind = Body.kind
        let patientColumn = kind == .patient ? "h.id" : "h.patient_id"
        guard let row = try Row.fetchOne(db, sql: """
            SELECT \(patientColumn) AS patient_id, h.current_version AS version, v.sealed AS sealed
            FROM \(kind.table) h LEFT JOIN \(kind.versionTable) v ON v.\(kind.idColumn) = h.id AND v.version = h.current_version
            WHERE h.id = ?
            """, arguments: [id]) else {
            throw StoreError.recordNotFound(kind: kind.rawValue, id: kind.shortID(id))
        }
        let version: Int64 = row["version"]
        guard let sealed = row["sealed"] as Data? else {
            throw StoreError.tamperedRecord(table: kind.versionTable, id: id, version: version)
        }
        return try openBody(Array(sealed), id: id, version: version, patientID: row["patient_id"])
    }

    /// The current version of a record.
    public func record<Body: RecordBody>(_ type: Body.Type, id: Int64) throws -> Versioned<Body> {
        try database.readMapped { db in try currentVersion(db, id: id) }
    }

    /// The current version of the patient with `code` (case-insensitive).
    public func patient(code: String) throws -> Versioned<Patient> {
        try database.readMapped { db in try currentVersion(db, id: try requirePatientID(db, code: code)) }
    }

    /// Every version of a record, oldest first.
    public func history<Body: RecordBody>(_ type: Body.Type, id: Int64) throws -> [Versioned<Body>] {
        let kind = Body.kind
        return try database.readMapped { db in
            let current: Versioned<Body> = try currentVersion(db, id: id)
            return try Row.fetchAll(db, sql: "SELECT version, sealed FROM \(kind.versionTable) WHERE \(kind.idColumn) = ? ORDER BY version",
                                    arguments: [id]).map { row in
                try openBody(Array(row["sealed"] as Data), id: id, version: row["version"], patientID: current.patientID)
            }
        }
    }

    /// The current version of every record of a kind, optionally of one patient, in id order.
    /// Includes void records (check `stamp.isVoid`).
    public func all<Body: RecordBody>(_ type: Body.Type, patientID: Int64? = nil) throws -> [Versioned<Body>] {
        var result: [Versioned<Body>] = []
        try forEach(type, patientID: patientID) { result.append($0) }
        return result
    }

    /// Streams the current version of every record of a kind without holding them all.
    // Reports stream a million records through here from another module: export specialised
    // copies so the per-record work is not done through generic metadata lookups.
    @_specialize(exported: true, where Body == Score)
    @_specialize(exported: true, where Body == KetamineSession)
    @_specialize(exported: true, where Body == Patient)
    public func forEach<Body: RecordBody>(_ type: Body.Type, patientID: Int64? = nil,
                                          _ body: (Versioned<Body>) throws -> Void) throws {
        let kind = Body.kind
        let patientColumn = kind == .patient ? "h.id" : "h.patient_id"
        var sql = """
            SELECT h.id AS id, \(patientColumn) AS patient_id, h.current_version AS version, v.sealed AS sealed
            FROM \(kind.table) h LEFT JOIN \(kind.versionTable) v ON v.\(kind.idColumn) = h.id AND v.version = h.current_version
            """
        var arguments: StatementArguments = []
        if let patientID {
            sql += " WHERE \(patientColumn) = ?"
            arguments = [patientID]
        }
        sql += " ORDER BY h.id"
        try database.readMapped { db in
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            // Columns by position (id, patient_id, version, sealed): looking each up by name cost a
            // string comparison per column per row, a few percent of every report.
            while let row = try cursor.next() {
                let id: Int64 = row[0]
                let version: Int64 = row[2]
                let blob: [UInt8]? = try row.withUnsafeData(atIndex: 3) { data in data.map { Array($0) } }
                guard let blob else { throw StoreError.tamperedRecord(table: kind.versionTable, id: id, version: version) }
                try body(try openBody(blob, id: id, version: version, patientID: row[1]))
            }
        }
    }
}
