import Foundation
import GRDB

/// Records created inside one write transaction, audited together as one entry.
/// Used by single `add` commands (one record) and by imports (all rows or none).
public final class RecordBatch {
    private let store: UnlockedStore
    private let db: Database
    private let stamp: VersionStamp
    private let hasher: RecordHasher
    private var ranges: [AuditEntry.RecordRange] = []
    /// Patients added in this batch by blind index, so later rows can refer to them.
    private var newPatients: [Data: Int64] = [:]

    init(store: UnlockedStore, db: Database, now: Date) throws {
        self.store = store
        self.db = db
        self.stamp = VersionStamp(user: store.user, timeMillis: Int64((now.timeIntervalSince1970 * 1000).rounded()),
                                  reason: nil, isVoid: false)
        self.hasher = try RecordHasher()
    }

    private func insert<Body: RecordBody>(_ body: Body, headSQL: String, headArguments: StatementArguments,
                                          patientID: Int64?) throws -> Versioned<Body> {
        let kind = Body.kind
        try db.cachedStatement(sql: headSQL).execute(arguments: headArguments)
        let id = db.lastInsertedRowID
        let blob = try store.sealBody(body, stamp: stamp, id: id, version: 1, patientID: patientID ?? id)
        try db.cachedStatement(sql: "INSERT INTO \(kind.versionTable) (\(kind.idColumn), version, sealed) VALUES (?, 1, ?)")
            .execute(arguments: [id, Data(blob)])
        try hasher.add(blob)
        if let last = ranges.last, last.kind == kind, last.lastID + 1 == id {
            ranges[ranges.count - 1].lastID = id
        } else {
            ranges.append(.init(kind: kind, firstID: id, lastID: id, version: 1))
        }
        return Versioned(id: id, patientID: patientID ?? id, version: 1, stamp: stamp, body: body)
    }

    /// Adds a patient; throws `duplicatePatientCode` if the code exists in the store or batch.
    public func addPatient(_ patient: Patient) throws -> Versioned<Patient> {
        let index = Data(try store.keys.patientCodeIndex(patient.code))
        guard newPatients[index] == nil,
              try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM patient WHERE code_index = ?"), arguments: [index]) == 0
        else { throw StoreError.duplicatePatientCode }
        let created = try insert(patient, headSQL: "INSERT INTO patient (code_index, current_version) VALUES (?, 1)",
                                 headArguments: [index], patientID: nil)
        newPatients[index] = created.id
        return created
    }

    /// The row id of the patient with `code`, whether stored before or added in this batch.
    public func patientID(code: String) throws -> Int64 {
        let index = Data(try store.keys.patientCodeIndex(code))
        if let id = newPatients[index] { return id }
        return try store.requirePatientID(db, code: code)
    }

    public func addSession(_ session: KetamineSession, patientID: Int64) throws -> Versioned<KetamineSession> {
        try insert(session, headSQL: "INSERT INTO session (patient_id, current_version) VALUES (?, 1)",
                   headArguments: [patientID], patientID: patientID)
    }

    public func addScore(_ score: Score, patientID: Int64) throws -> Versioned<Score> {
        try insert(score, headSQL: "INSERT INTO score (patient_id, current_version) VALUES (?, 1)",
                   headArguments: [patientID], patientID: patientID)
    }

    /// Appends the batch's audit entry.
    /// How many records the batch has added so far.
    public var recordCount: Int64 { ranges.reduce(0) { $0 + $1.count } }

    func finish(action: String, patientID: Int64?, detail: String?) throws {
        try store.audit.append(db, action: action, records: ranges, patientID: patientID,
                               recordsHash: try hasher.finalize(), detail: detail,
                               now: Date(timeIntervalSince1970: Double(stamp.timeMillis) / 1000))
    }
}
