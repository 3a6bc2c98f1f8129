import Foundation
import GRDB
import KetlogCrypto
import KetlogModel
import KetlogStore
import XCTest

final class AuditVerifyTests: XCTestCase {
    /// init, user.add, patient.add, session.add, score.add, score.amend, session.void: 7 entries.
    private func busyStore() throws -> (StoreFixture, UnlockedStore) {
        let fixture = try StoreFixture()
        let store = try fixture.create()
        try store.addUser("nurse", role: .clinician, passphrase: secret("nurse-pass"))
        try store.add(Sample.patient)
        try store.add(Sample.session, patient: Sample.patient.code!)
        try store.add(Sample.score, patient: Sample.patient.code!)
        try store.amend(Score.self, id: 1, reason: "typo") { $0.useDays = 11 }
        try store.void(KetamineSession.self, id: 1, reason: "entered twice")
        return (fixture, store)
    }

    private func attackAuditTrail(_ fixture: StoreFixture, _ sql: String, _ arguments: StatementArguments = []) throws {
        try fixture.attacker { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_entry_no_update; DROP TRIGGER IF EXISTS audit_entry_no_delete")
            try db.execute(sql: sql, arguments: arguments)
            XCTAssertGreaterThan(db.changesCount, 0, "the tampering itself must have happened")
        }
    }

    func testVerifiesAfterWrites() throws {
        let (fixture, store) = try busyStore()
        let result = try store.verifyAudit()
        XCTAssertNil(result.problem)
        XCTAssertEqual(result.entries, 7)
        let status = try fixture.open().status()
        XCTAssertEqual(result.head, status.auditHead)
        XCTAssertEqual(status.auditEntries, 7)
        let log = try store.auditLog()
        XCTAssertEqual(log.map(\.seq), Array(1...7))
        XCTAssertEqual(log.map(\.action.rawValue), ["init", "user.add", "patient.add", "session.add", "score.add", "score.amend", "session.void"])
        XCTAssertEqual(log[5].recordLabel, "sco-1")
        XCTAssertEqual(try store.auditLog(patientID: 1).count, 5)
    }

    func testTheDatabaseRefusesToEditOrDeleteAuditEntries() throws {
        let (fixture, _) = try busyStore()
        XCTAssertThrowsError(try fixture.attacker { db in try db.execute(sql: "DELETE FROM audit_entry WHERE seq = 7") })
        XCTAssertThrowsError(try fixture.attacker { db in try db.execute(sql: "UPDATE audit_entry SET mac = mac WHERE seq = 1") })
        XCTAssertThrowsError(try fixture.attacker { db in try db.execute(sql: "DELETE FROM session_version") })
        XCTAssertThrowsError(try fixture.attacker { db in try db.execute(sql: "UPDATE score_version SET version = 3") })
        XCTAssertThrowsError(try fixture.attacker { db in try db.execute(sql: "DELETE FROM patient") })
    }

    func testAnEditedEntryBlobIsFound() throws {
        let (fixture, store) = try busyStore()
        let sealed = try fixture.attacker { db in try Data.fetchOne(db, sql: "SELECT sealed FROM audit_entry WHERE seq = 4")! }
        var flipped = sealed
        flipped[flipped.count / 2] ^= 1
        try attackAuditTrail(fixture, "UPDATE audit_entry SET sealed = ? WHERE seq = 4", [flipped])
        XCTAssertEqual(try store.verifyAudit().problem, .unreadableEntry(seq: 4))
        XCTAssertEqual(try store.verifyAudit().entries, 3, "counts the entries verified before the bad one")
    }

    func testAnEditedMACIsFound() throws {
        let (fixture, store) = try busyStore()
        try attackAuditTrail(fixture, "UPDATE audit_entry SET mac = zeroblob(32) WHERE seq = 3")
        XCTAssertEqual(try store.verifyAudit().problem, .brokenChain(seq: 3))
    }

    func testADeletedEntryIsFound() throws {
        let (fixture, store) = try busyStore()
        try attackAuditTrail(fixture, "DELETE FROM audit_entry WHERE seq = 2")
        XCTAssertEqual(try store.verifyAudit().problem, .gap(expected: 2, found: 3))
    }

    func testADeletedEntryWithTheRestRenumberedIsFound() throws {
        let (fixture, store) = try busyStore()
        try attackAuditTrail(fixture, "DELETE FROM audit_entry WHERE seq = 2")
        try fixture.attacker { db in try db.execute(sql: "UPDATE audit_entry SET seq = seq - 1 WHERE seq > 2") }
        XCTAssertEqual(try store.verifyAudit().problem, .unreadableEntry(seq: 2))
    }

    /// A user added and the entry that added them cut off: the slot no longer matches the chain.
    func testATruncatedUserAdditionIsFound() throws {
        let (fixture, store) = try busyStore()
        try store.addUser("locum", role: .clinician, passphrase: secret("l"))
        try attackAuditTrail(fixture, "DELETE FROM audit_entry WHERE seq = 8")
        XCTAssertEqual(try store.verifyAudit().problem, .slotMismatch(user: "locum"))
    }

    func testADeletedTailEntryThatCreatedARecordIsFound() throws {
        let (fixture, store) = try busyStore()
        try attackAuditTrail(fixture, "DELETE FROM audit_entry WHERE seq = 7")
        XCTAssertEqual(try store.verifyAudit().problem, .unaudited(count: 1))
    }

    /// The documented limit: removing trailing entries that created no record and changed no
    /// user leaves a valid, shorter chain. Only a head printed earlier (a report footer,
    /// `audit verify` output) shows it.
    func testTailTruncationIsOnlyVisibleAgainstAPrintedHead() throws {
        let (fixture, store) = try busyStore()
        try store.recordEvent(.backupExport, detail: "nightly.age")
        let printedHead = try store.verifyAudit().head
        try attackAuditTrail(fixture, "DELETE FROM audit_entry WHERE seq = 8")
        let after = try store.verifyAudit()
        XCTAssertNil(after.problem)
        XCTAssertEqual(after.entries, 7)
        XCTAssertNotEqual(after.head, printedHead)
    }

    func testARolledBackCurrentVersionIsFound() throws {
        let (fixture, store) = try busyStore()
        try fixture.attacker { db in try db.execute(sql: "UPDATE score SET current_version = 1 WHERE id = 1") }
        XCTAssertEqual(try store.verifyAudit().problem, .rolledBack(record: "sco-1"))
    }

    func testACurrentVersionRaisedWithoutAnAmendmentIsFound() throws {
        let (fixture, store) = try busyStore()
        try store.add(Sample.otherPatient)
        try fixture.attacker { db in try db.execute(sql: "UPDATE patient SET current_version = 2 WHERE id = 2") }
        XCTAssertEqual(try store.verifyAudit().problem, .rolledBack(record: "pat-2"))
    }

    func testAnUnauditedVersionRowIsFound() throws {
        let (fixture, store) = try busyStore()
        // A replayed blob as a "new version": it does not even open, but verify must say so too.
        let blob = try fixture.sealed("patient_version", idColumn: "patient_id", id: 1, version: 1)
        try fixture.attacker { db in
            try db.execute(sql: "INSERT INTO patient_version (patient_id, version, sealed) VALUES (1, 2, ?)", arguments: [blob])
        }
        XCTAssertEqual(try store.verifyAudit().problem, .unaudited(count: 1))
    }

    func testAnUnauditedRecordHeadIsFound() throws {
        let (fixture, store) = try busyStore()
        try fixture.attacker { db in try db.execute(sql: "INSERT INTO score (patient_id, current_version) VALUES (1, 1)") }
        XCTAssertEqual(try store.verifyAudit().problem, .unaudited(count: 1))
    }

    func testARecordBlobReplacedAfterItWasAuditedIsFound() throws {
        let (fixture, store) = try busyStore()
        let other = try fixture.sealed("score_version", idColumn: "score_id", id: 1, version: 2)
        try fixture.replaceSealed("score_version", idColumn: "score_id", id: 1, version: 1, with: other)
        XCTAssertEqual(try store.verifyAudit().problem, .recordMismatch(seq: 5, record: "sco-1"))
    }

    func testARecordRaisedPastItsNewestAuditedVersionIsFound() throws {
        let (fixture, store) = try busyStore()
        try fixture.attacker { db in try db.execute(sql: "UPDATE score SET current_version = 3 WHERE id = 1") }
        XCTAssertEqual(try store.verifyAudit().problem, .rolledBack(record: "sco-1"))
    }

    func testTheChainAloneTellsEachRecordsNewestVersion() throws {
        let (_, store) = try busyStore()
        let chain = try store.verifyAudit(records: false)
        XCTAssertNil(chain.problem)
        XCTAssertEqual(chain.versions.newest(.score, id: 1), 2)
        XCTAssertEqual(chain.versions.newest(.session, id: 1), 2)
        XCTAssertEqual(chain.versions.newest(.patient, id: 1), 1)
    }

    func testAScoreRepointedToAnotherPatientIsNamedByVerify() throws {
        let (fixture, store) = try busyStore()
        try store.add(Sample.otherPatient)
        try fixture.attacker { db in try db.execute(sql: "UPDATE score SET patient_id = 2 WHERE id = 1") }
        XCTAssertEqual(try store.verifyAudit().problem, .unopenable(record: "sco-1", version: 1))
    }

    func testBlindIndexesSwappedOrCopiedAreNamedAndNoDuplicateCanBeAdded() throws {
        let attacks = [
            // swapped between the two patients
            "UPDATE patient SET code_index = randomblob(32) WHERE id = 1;"
                + "UPDATE patient SET code_index = (SELECT code_index FROM original WHERE id = 1) WHERE id = 2;"
                + "UPDATE patient SET code_index = (SELECT code_index FROM original WHERE id = 2) WHERE id = 1",
            // pat-2's copied onto pat-1 (pat-2's replaced, the column being unique)
            "UPDATE patient SET code_index = randomblob(32) WHERE id = 2;"
                + "UPDATE patient SET code_index = (SELECT code_index FROM original WHERE id = 2) WHERE id = 1",
        ]
        for attack in attacks {
            let (fixture, store) = try busyStore()
            try store.add(Sample.otherPatient)
            try fixture.attacker { db in
                try db.execute(sql: "CREATE TEMP TABLE original AS SELECT id, code_index FROM patient")
                try db.execute(sql: attack)
            }
            XCTAssertEqual(try store.verifyAudit().problem, .blindIndex(record: "pat-1"), attack)
            XCTAssertThrowsStoreError(.blindIndexMismatch(patientID: 1), try store.add(Sample.patient), attack)
            XCTAssertThrowsStoreError(.blindIndexMismatch(patientID: 1),
                                      try store.add(PatientDraft(code: "P-0100", substances: [.other])), attack)
            // A code change trusts the index no more than an add does.
            XCTAssertThrowsStoreError(.blindIndexMismatch(patientID: 1),
                                      try store.amend(Patient.self, id: 2, reason: "typo") { $0.code = Sample.patient.code }, attack)
            XCTAssertEqual(try fixture.open().status().patients, 2, attack)
        }
    }

    func testASessionMovedToAnotherPatientFailsToOpen() throws {
        let (fixture, store) = try busyStore()
        try store.add(Sample.otherPatient)
        try store.add(Sample.score, patient: Sample.otherPatient.code!)
        try fixture.attacker { db in try db.execute(sql: "UPDATE score SET patient_id = 2 WHERE id = 1") }
        XCTAssertThrowsStoreError(.tamperedRecord(table: "score_version", id: 1, version: 2), try store.record(Score.self, id: 1))
        XCTAssertThrowsStoreError(.tamperedRecord(table: "score_version", id: 1, version: 2), try store.all(Score.self, patientID: 2))
    }

    // MARK: Signatures checked on a second thread

    /// A chain of `count` entries: init, the patient, then score adds.
    private func longChain(_ count: Int) throws -> (StoreFixture, UnlockedStore) {
        let fixture = try StoreFixture()
        let store = try fixture.create()
        try store.add(Sample.patient)
        for _ in 3...count { try store.add(Sample.score, patient: Sample.patient.code!) }
        return (fixture, store)
    }

    private func flipSignatureBit(_ fixture: StoreFixture, seq: Int, byte: Int) throws {
        var signature = try fixture.attacker { db in
            try XCTUnwrap(Data.fetchOne(db, sql: "SELECT signature FROM audit_entry WHERE seq = ?", arguments: [seq]))
        }
        signature[byte] ^= 0x01
        try attackAuditTrail(fixture, "UPDATE audit_entry SET signature = ? WHERE seq = ?", [signature, seq])
    }

    /// `audit verify` checks signatures on another thread while it replays the chain, in batches:
    /// whatever the order the two threads finish in, it must report what a one-thread replay
    /// would, the earliest problem, with the count of entries before it.
    func testTheEarliestBadSignatureIsReportedAcrossBatchesAndBeforeALaterBrokenMAC() throws {
        let (fixture, store) = try longChain(600)
        XCTAssertNil(try store.verifyAudit().problem)
        XCTAssertEqual(try store.verifyAudit().entries, 600)

        // A later problem the replay itself finds (a MAC), and an earlier bad signature, three
        // batches before it: the signature is reported.
        try attackAuditTrail(fixture, "UPDATE audit_entry SET mac = randomblob(32) WHERE seq = 450")
        let macOnly = try store.verifyAudit()
        XCTAssertEqual(macOnly.problem, .brokenChain(seq: 450))
        XCTAssertEqual(macOnly.entries, 449)

        try flipSignatureBit(fixture, seq: 300, byte: 10)
        let both = try store.verifyAudit()
        XCTAssertEqual(both.problem, .refused(seq: 300, reason: "its signature does not verify with its signer's key"))
        XCTAssertEqual(both.entries, 299)
        // The head is the last entry that verified, named as everywhere: SHA-256 of its signature.
        let signature299 = try fixture.attacker { db in try Data.fetchOne(db, sql: "SELECT signature FROM audit_entry WHERE seq = 299")! }
        XCTAssertEqual(both.head, AuditTrail.headString(try SHA256.hash(Array(signature299))))
    }

    func testABadSignatureOnTheLastEntryOfAPartialBatchIsReported() throws {
        let (fixture, store) = try longChain(300)
        try flipSignatureBit(fixture, seq: 300, byte: 0)
        let result = try store.verifyAudit()
        XCTAssertEqual(result.problem, .refused(seq: 300, reason: "its signature does not verify with its signer's key"))
        XCTAssertEqual(result.entries, 299)
        // Without the signature checks (the benchmark's switch) the same chain passes: the
        // refusal above came from the Ed25519 check itself.
        XCTAssertNil(try store.verifyAudit(signatures: false).problem)
    }
}
