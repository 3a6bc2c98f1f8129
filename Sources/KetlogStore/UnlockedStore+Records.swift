import Foundation
import GRDB
import KetlogCrypto
import KetlogModel

/// Writing and reading sealed, versioned records. Every write is one IMMEDIATE transaction
/// that resolves the patient, refuses a void one, validates against the model's rules (with
/// the patient's birth date), seals, inserts and audits.
extension UnlockedStore {
    // MARK: Creating

    /// Adds a patient; a code that exists (ignoring case) throws `duplicatePatientCode`.
    @discardableResult
    public func add(_ draft: PatientDraft, today: ClinicalDate = .today(), now: Date = Date()) throws -> Owned<Patient> {
        try requireRecordWriter(.record(.patient, .add))
        return try database.writeImmediate { db in
            let writer = try RecordWriter(store: self, db: db, now: now)
            let created = try writer.add(try Patient.validate(draft, owner: nil, today: today), patientID: nil)
            try writer.finish(action: .record(.patient, .add), patientID: created.id, detail: nil)
            return Owned(record: created, patientCode: created.body.code)
        }
    }

    /// Adds a session for the live patient with code `patient`.
    @discardableResult
    public func add(_ draft: SessionDraft, patient code: String, today: ClinicalDate = .today(),
                    now: Date = Date()) throws -> Owned<KetamineSession> {
        try addRecord(KetamineSession.self, draft, patientCode: code, today: today, now: now)
    }

    /// Adds a score for the live patient with code `patient`.
    @discardableResult
    public func add(_ draft: ScoreDraft, patient code: String, today: ClinicalDate = .today(),
                    now: Date = Date()) throws -> Owned<Score> {
        try addRecord(Score.self, draft, patientCode: code, today: today, now: now)
    }

    /// Adds a drug screen for the live patient with code `patient`.
    @discardableResult
    public func add(_ draft: DrugScreenDraft, patient code: String, today: ClinicalDate = .today(),
                    now: Date = Date()) throws -> Owned<DrugScreen> {
        try addRecord(DrugScreen.self, draft, patientCode: code, today: today, now: now)
    }

    /// Adds vitals to the live session `draft.sessionID` (of a live patient): the record
    /// belongs to the session's patient.
    @discardableResult
    public func add(_ draft: VitalsDraft, today: ClinicalDate = .today(), now: Date = Date()) throws -> Owned<Vitals> {
        try requireRecordWriter(.record(.vitals, .add))
        let body = try draft.validated()
        return try database.writeImmediate { db in
            let session = try liveSession(db, id: body.sessionID)
            let owner: Versioned<Patient> = try currentVersion(db, id: session.patientID)
            guard !owner.stamp.isVoid else { throw ModelError.invalid(.patient, .livePatient) }
            let writer = try RecordWriter(store: self, db: db, now: now)
            let created = try writer.add(try Vitals.validate(draft, owner: owner.body, today: today), patientID: owner.id)
            try writer.finish(action: .record(.vitals, .add), patientID: owner.id, detail: nil)
            return Owned(record: created, patientCode: owner.body.code)
        }
    }

    /// Adds one day record per draft (a range of days) for the live patient with code `patient`,
    /// in one transaction with one audit entry; the first bad day stops them all.
    @discardableResult
    public func add(days drafts: [UseDayDraft], patient code: String, today: ClinicalDate = .today(),
                    now: Date = Date()) throws -> [Owned<UseDay>] {
        try requireRecordWriter(.record(.day, .add))
        return try database.writeImmediate { db in
            let owner = try livePatient(db, code: code)
            let writer = try RecordWriter(store: self, db: db, now: now)
            let created = try drafts.map { draft in
                Owned(record: try writer.add(try UseDay.validate(draft, owner: owner.body, today: today), patientID: owner.id),
                      patientCode: owner.body.code)
            }
            try writer.finish(action: .record(.day, .add), patientID: owner.id, detail: nil)
            return created
        }
    }

    /// The session `id`, which must exist and not be void (vitals are taken at a live one).
    func liveSession(_ db: Database, id: Int64) throws -> Versioned<KetamineSession> {
        let session: Versioned<KetamineSession> = try currentVersion(db, id: id)
        guard !session.stamp.isVoid else { throw ModelError.invalid(.session, .liveSession) }
        return session
    }

    private func addRecord<Body: RecordBody>(_ type: Body.Type, _ draft: Body.Draft, patientCode: String,
                                             today: ClinicalDate, now: Date) throws -> Owned<Body> {
        try requireRecordWriter(.record(Body.kind, .add))
        return try database.writeImmediate { db in
            let owner = try livePatient(db, code: patientCode)
            let writer = try RecordWriter(store: self, db: db, now: now)
            let created = try writer.add(try Body.validate(draft, owner: owner.body, today: today), patientID: owner.id)
            try writer.finish(action: .record(Body.kind, .add), patientID: owner.id, detail: created.body.auditDetail)
            return Owned(record: created, patientCode: owner.body.code)
        }
    }

    // MARK: Amending and voiding

    /// Writes a new version of a record with `change` applied to its draft and the result
    /// validated again; the old versions stay. A void record cannot change.
    @discardableResult
    public func amend<Body: RecordBody>(_ type: Body.Type, id: Int64, reason: String, today: ClinicalDate = .today(),
                                        now: Date = Date(), _ change: (inout Body.Draft) throws -> Void) throws -> Owned<Body> {
        try requireRecordWriter(.record(Body.kind, .amend))
        let reason = try Rules.reason(reason)
        return try database.writeImmediate { db in
            let current: Versioned<Body> = try currentVersion(db, id: id)
            guard !current.stamp.isVoid else { throw StoreError.recordVoid(kind: Body.kind, id: id) }
            let owner: Versioned<Patient>? = Body.kind == .patient ? nil : try currentVersion(db, id: current.patientID)
            var draft = current.body.draft
            try change(&draft)
            let body = try Body.validate(draft, owner: owner?.body, today: today)
            let writer = try RecordWriter(store: self, db: db, now: now, reason: reason)
            if let patient = body as? Patient, let old = current.body as? Patient,
               Rules.foldedCode(patient.code) != Rules.foldedCode(old.code) {
                try writer.reindexPatient(id, code: patient.code)
            }
            let amended = try writer.appendVersion(body, id: id, version: current.version + 1, patientID: current.patientID)
            try writer.finish(action: .record(Body.kind, .amend), patientID: current.patientID, detail: body.auditDetail)
            return Owned(record: amended, patientCode: owner?.body.code ?? (body as? Patient)?.code ?? "")
        }
    }

    /// Marks a record void with a new version; reports ignore it from then on.
    @discardableResult
    public func void<Body: RecordBody>(_ type: Body.Type, id: Int64, reason: String, now: Date = Date()) throws -> Versioned<Body> {
        try requireRecordWriter(.record(Body.kind, .void))
        let reason = try Rules.reason(reason)
        return try database.writeImmediate { db in
            let current: Versioned<Body> = try currentVersion(db, id: id)
            guard !current.stamp.isVoid else { throw StoreError.recordVoid(kind: Body.kind, id: id) }
            let writer = try RecordWriter(store: self, db: db, now: now, reason: reason, isVoid: true)
            let voided = try writer.appendVersion(current.body, id: id, version: current.version + 1, patientID: current.patientID)
            try writer.finish(action: .record(Body.kind, .void), patientID: current.patientID, detail: nil)
            return voided
        }
    }

    // MARK: Reading

    /// The patient with `code`, checked against the blind index it was found by.
    func requirePatient(_ db: Database, code: String) throws -> Versioned<Patient> {
        let index = try keys.patientCodeIndex(code)
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM patient WHERE code_index = ?", arguments: [Data(index)]) else {
            throw StoreError.patientNotFound
        }
        // The blind index is a plain column: check that the row it leads to carries this code,
        // so that an index swapped in the file cannot attach a record to the wrong patient.
        let patient: Versioned<Patient> = try currentVersion(db, id: id)
        guard Rules.foldedCode(patient.body.code) == Rules.foldedCode(code) else {
            throw StoreError.tamperedRecord(table: RecordKind.patient.table, id: id, version: patient.version)
        }
        return patient
    }

    /// The patient with `code`, who must not be void (a void patient takes no new records).
    func livePatient(_ db: Database, code: String) throws -> Versioned<Patient> {
        let patient = try requirePatient(db, code: code)
        guard !patient.stamp.isVoid else { throw ModelError.invalid(.patient, .livePatient) }
        return patient
    }

    func currentVersion<Body: RecordBody>(_ db: Database, id: Int64) throws -> Versioned<Body> {
        let cursor = try CurrentVersionRequest(kind: Body.kind, filter: .record(id)).fetchCursor(db)
        guard let row = try cursor.next() else { throw StoreError.recordNotFound(kind: Body.kind, id: id) }
        return try open(row)
    }

    /// Opens one row of a `CurrentVersionRequest`.
    private func open<Body: RecordBody>(_ row: Row) throws -> Versioned<Body> {
        let id: Int64 = row[0]
        let version: Int64 = row[2]
        let blob: [UInt8]? = try row.withUnsafeData(atIndex: 3) { data in data.map { Array($0) } }
        guard let blob else { throw StoreError.tamperedRecord(table: Body.kind.versionTable, id: id, version: version) }
        return try openBody(blob, id: id, version: version, patientID: row[1])
    }

    func openBody<Body: RecordBody>(_ blob: [UInt8], id: Int64, version: Int64, patientID: Int64) throws -> Versioned<Body> {
        var aad = KeyRing.AssociatedData(table: Body.kind.versionTable)
        return try blob.withUnsafeBytes { try openBody($0, id: id, version: version, patientID: patientID, context: nil, aad: &aad) }
    }

    /// `openBody` of a blob read in place, with the owning thread's cipher context or `context`;
    /// `aad` is the associated data of `Body`'s version table (`KeyRing.open`).
    func openBody<Body: RecordBody>(_ blob: UnsafeRawBufferPointer, id: Int64, version: Int64, patientID: Int64,
                                    context: AEADKey?, aad: inout KeyRing.AssociatedData) throws -> Versioned<Body> {
        let plaintext = try keys.open(blob, table: Body.kind.versionTable, id: id, version: version, patientID: patientID,
                                      context: context, aad: &aad)
        var reader = ByteReader(plaintext)
        do {
            let stamp = try VersionStamp(from: &reader)
            let body = try Body(from: &reader)
            guard reader.isAtEnd else { throw ByteReader.Malformed() }
            return Versioned(id: id, patientID: patientID, version: version, stamp: stamp, body: body)
        } catch {
            throw StoreError.undecodableRecord(kind: Body.kind, id: id, version: version)
        }
    }

    /// The current version of a record.
    public func record<Body: RecordBody>(_ type: Body.Type, id: Int64) throws -> Versioned<Body> {
        try database.readMapped { db in try currentVersion(db, id: id) }
    }

    /// The current version of a record with its patient's code, read together.
    public func owned<Body: RecordBody>(_ type: Body.Type, id: Int64) throws -> Owned<Body> {
        try database.readMapped { db in
            let record: Versioned<Body> = try currentVersion(db, id: id)
            if let patient = record.body as? Patient { return Owned(record: record, patientCode: patient.code) }
            let owner: Versioned<Patient> = try currentVersion(db, id: record.patientID)
            return Owned(record: record, patientCode: owner.body.code)
        }
    }

    /// The current version of the patient with `code` (case-insensitive).
    public func patient(code: String) throws -> Versioned<Patient> {
        try database.readMapped { db in try requirePatient(db, code: code) }
    }

    /// The head row id of the patient with `code`, for filters.
    public func patientID(code: String) throws -> Int64 {
        try patient(code: code).id
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

    /// Streams the current version of every record of a kind without holding them all. A record
    /// that fails to open or decode stops the stream with an error naming it; none is skipped.
    // Reports stream a million records through here from another module: export specialised
    // copies so the per-record work is not done through generic metadata lookups.
    @_specialize(exported: true, where Body == Score)
    @_specialize(exported: true, where Body == KetamineSession)
    @_specialize(exported: true, where Body == Patient)
    @_specialize(exported: true, where Body == Vitals)
    @_specialize(exported: true, where Body == DrugScreen)
    @_specialize(exported: true, where Body == UseDay)
    public func forEach<Body: RecordBody>(_ type: Body.Type, patientID: Int64? = nil,
                                          _ body: (Versioned<Body>) throws -> Void) throws {
        let request = CurrentVersionRequest(kind: Body.kind, filter: patientID.map { .patient($0) } ?? .all)
        try database.readMapped { db in
            let cursor = try request.fetchCursor(db)
            while let row = try cursor.next() { try body(try open(row)) }
        }
    }
}
