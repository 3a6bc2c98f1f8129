import Foundation
import GRDB
import KetlogCrypto
import KetlogModel
@testable import KetlogStore
import XCTest

/// `UnlockedStore.rekey` and `removeUser(_:rekey:)`: a new data key for everything, in one
/// transaction. The raw GRDB connection (`StoreFixture.attacker`) reads what is on disk; the
/// store's own crypto (reached with `@testable`) plays a former user holding the old key.
final class RekeyTests: XCTestCase {
    /// alice (admin), nurse (clinician), cron (reporter); two patients, amended and voided records.
    private func populated() throws -> (StoreFixture, UnlockedStore) {
        let fixture = try StoreFixture()
        let admin = try fixture.createWithOneOfEach()
        try admin.addUser("nurse", role: .clinician, passphrase: secret("nurse-pass"))
        try admin.addUser("cron", role: .reporter, passphrase: secret("cron-pass"))
        let nurse = try fixture.unlock("nurse", "nurse-pass")
        try nurse.add(Sample.otherPatient)
        try nurse.add(Sample.score, patient: "P-0008")
        try nurse.amend(Score.self, id: 1, reason: "recount") { $0.useDays = 11 }
        try nurse.amend(Patient.self, id: 2, reason: "code corrected") { $0.code = "P-0009" }
        try admin.void(KetamineSession.self, id: 1, reason: "wrong patient")
        return (fixture, admin)
    }

    /// Everything a reader sees: every version of every record, as the store decodes it.
    private func readable(_ store: UnlockedStore) throws -> [String] {
        var seen: [String] = []
        for patient in try store.all(Patient.self) { seen += try store.history(Patient.self, id: patient.id).map { "\($0)" } }
        for session in try store.all(KetamineSession.self) {
            seen += try store.history(KetamineSession.self, id: session.id).map { "\($0)" }
        }
        for score in try store.all(Score.self) { seen += try store.history(Score.self, id: score.id).map { "\($0)" } }
        return seen
    }

    /// What is on disk: each table's rows as text, by column, in key order.
    private func rows(_ fixture: StoreFixture, _ sql: String) throws -> [[String: DatabaseValue]] {
        try fixture.attacker { db in
            try Row.fetchAll(db, sql: sql).map { row in
                Dictionary(uniqueKeysWithValues: row.columnNames.map { ($0, row[$0] as DatabaseValue) })
            }
        }
    }

    private func schema(_ fixture: StoreFixture) throws -> [[String: DatabaseValue]] {
        try rows(fixture, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
    }

    private func blobs(_ fixture: StoreFixture) throws -> [Data] {
        try ["patient_version", "session_version", "score_version", "audit_entry"].flatMap { table in
            try fixture.attacker { db in try Data.fetchAll(db, sql: "SELECT sealed FROM \(table) ORDER BY 1") }
        }
    }

    func testEveryRecordReadsTheSameAndTheChainVerifies() throws {
        let (fixture, admin) = try populated()
        let before = try readable(admin)
        let entries = try admin.auditLog().count
        let result = try admin.rekey()
        XCTAssertEqual(result.recordVersions, 8)
        XCTAssertEqual(result.auditEntries, entries)
        XCTAssertEqual(result.users, ["alice", "cron", "nurse"])
        XCTAssertEqual(try readable(result.store), before)
        XCTAssertEqual(try readable(fixture.unlock("alice", "alice-pass")), before)
        let verification = try result.store.verifyAudit()
        XCTAssertNil(verification.problem)
        XCTAssertEqual(verification.entries, entries + 1)
        let last = try XCTUnwrap(result.store.auditLog().last)
        XCTAssertEqual(last.action, .rekey)
        XCTAssertEqual(last.user, "alice")
        XCTAssertEqual(last.detail, "8 record versions re-sealed")
        XCTAssertEqual(last.grants.map(\.userName).sorted(), ["alice", "cron", "nurse"])
        // A patient found by code goes through the blind index, recomputed under the new key.
        XCTAssertEqual(try result.store.patient(code: "p-0009").id, 2)
        // The rekeyed store takes new records, and they verify.
        try result.store.add(Sample.score, patient: "P-0007")
        XCTAssertNil(try fixture.unlock("nurse", "nurse-pass").verifyAudit().problem)
    }

    func testEveryUserUnlocksWithTheirUnchangedPassphrase() throws {
        let (fixture, admin) = try populated()
        let before = try readable(admin)
        let saltsBefore = try rows(fixture, "SELECT user_name, kdf_salt, sealed_private, x25519_public, ed25519_public FROM key_slot")
        _ = try admin.rekey()
        for (user, passphrase) in [("alice", "alice-pass"), ("nurse", "nurse-pass"), ("cron", "cron-pass")] {
            let unlocked = try fixture.unlock(user, passphrase)
            XCTAssertEqual(try readable(unlocked), before, user)
            XCTAssertNil(try unlocked.verifyAudit().problem, user)
        }
        // No one's passphrase was needed: salts, sealed private keys and public keys are untouched.
        XCTAssertEqual(try rows(fixture, "SELECT user_name, kdf_salt, sealed_private, x25519_public, ed25519_public FROM key_slot"),
                       saltsBefore)
        XCTAssertThrowsStoreError(.wrongPassphrase(user: "nurse"), try fixture.unlock("nurse", "alice-pass"))
    }

    func testEverySealChangesButTheSchemaAndTheSignedBytesDoNot() throws {
        let (fixture, admin) = try populated()
        let schemaBefore = try schema(fixture)
        let blobsBefore = try blobs(fixture)
        let meta = "SELECT key_check FROM store_meta"
        let keyCheckBefore = try rows(fixture, meta)
        let indexesBefore = try rows(fixture, "SELECT id, code_index FROM patient ORDER BY id")
        let macsBefore = try rows(fixture, "SELECT seq, mac FROM audit_entry ORDER BY seq")
        let signaturesBefore = try rows(fixture, "SELECT seq, signature FROM audit_entry ORDER BY seq")
        let wrapsBefore = try rows(fixture, "SELECT user_name, key_wrap FROM key_slot ORDER BY user_name")
        let result = try admin.rekey()

        // The triggers were dropped and re-created with the very text the store held.
        XCTAssertEqual(try schema(fixture), schemaBefore)
        XCTAssertNoThrow(try fixture.open())
        XCTAssertNotEqual(try rows(fixture, meta), keyCheckBefore)
        let blobsAfter = try blobs(fixture)
        XCTAssertEqual(blobsAfter.count, blobsBefore.count + 1)  // the rekey's own entry
        XCTAssertTrue(Set(blobsAfter).isDisjoint(with: blobsBefore), "every sealed blob is new")
        for (before, after) in zip(try rows(fixture, "SELECT id, code_index FROM patient ORDER BY id"), indexesBefore) {
            XCTAssertNotEqual(before["code_index"], after["code_index"])
        }
        for (after, before) in zip(try rows(fixture, "SELECT seq, mac FROM audit_entry ORDER BY seq"), macsBefore) {
            XCTAssertNotEqual(after["mac"], before["mac"], "entry \(String(describing: before["seq"]))")
        }
        XCTAssertEqual(Array(try rows(fixture, "SELECT seq, signature FROM audit_entry ORDER BY seq").dropLast()), signaturesBefore)
        for (after, before) in zip(try rows(fixture, "SELECT user_name, key_wrap FROM key_slot ORDER BY user_name"), wrapsBefore) {
            XCTAssertNotEqual(after["key_wrap"], before["key_wrap"])
        }
        // The old key check no longer matches, the new one does.
        let storeID = try fixture.attacker { db in try XCTUnwrap(Data.fetchOne(db, sql: "SELECT store_id FROM store_meta")) }
        XCTAssertEqual(try result.store.keys.keyCheck(storeID: Array(storeID)),
                       Array(try XCTUnwrap(try rows(fixture, meta).first?["key_check"].flatMap { Data.fromDatabaseValue($0) })))
    }

    func testTheOldKeyOpensNothingTheStoreHoldsAfterARemovalWithRekey() throws {
        let (fixture, admin) = try populated()
        // What the nurse can keep: their own unlock gives them the data key and its sub-keys.
        let nurse = try fixture.unlock("nurse", "nurse-pass")
        let oldKeys = nurse.keys
        let sealed = { (keys: KeyRing) throws -> (opened: Int, total: Int) in try self.openable(fixture, keys) }
        XCTAssertEqual(try sealed(oldKeys).opened, try sealed(oldKeys).total, "before: the old key opens everything")

        let result = try XCTUnwrap(try admin.removeUser("nurse", rekey: true))
        XCTAssertEqual(result.users, ["alice", "cron"])
        try result.store.add(Sample.score, patient: "P-0007")
        let after = try sealed(oldKeys)
        XCTAssertEqual(after.opened, 0, "the old key opens none of the \(after.total) blobs")
        XCTAssertEqual(try sealed(result.store.keys).opened, after.total, "the new key opens them all")
        XCTAssertThrowsStoreError(.unknownUser("nurse"), try fixture.unlock("nurse", "nurse-pass"))
        // The removal and the rekey are adjacent entries of one transaction.
        XCTAssertEqual(try result.store.auditLog().suffix(3).map(\.action.rawValue), ["user.remove", "store.rekey", "score.add"])
        XCTAssertNil(try result.store.verifyAudit().problem)
    }

    /// How many of the store's sealed blobs (record versions and audit entries) `keys` opens.
    private func openable(_ fixture: StoreFixture, _ keys: KeyRing) throws -> (opened: Int, total: Int) {
        try fixture.attacker { db in
            var opened = 0, total = 0
            for kind in RecordKind.allCases {
                let rows = try Row.fetchAll(db, sql: """
                    SELECT v.\(kind.idColumn) AS id, v.version, v.sealed, h.\(kind.ownerColumn) AS owner
                    FROM \(kind.versionTable) v JOIN \(kind.table) h ON h.id = v.\(kind.idColumn)
                    """)
                for row in rows {
                    total += 1
                    if (try? keys.open(Array(row["sealed"] as Data), table: kind.versionTable, id: row["id"],
                                       version: row["version"], patientID: row["owner"])) != nil { opened += 1 }
                }
            }
            for row in try Row.fetchAll(db, sql: "SELECT seq, sealed FROM audit_entry") {
                total += 1
                if (try? keys.open(Array(row["sealed"] as Data), table: "audit_entry", id: row["seq"], version: 1,
                                   patientID: 0)) != nil { opened += 1 }
            }
            return (opened, total)
        }
    }

    func testOnlyAnAdminRekeysAndARefusalWritesNothing() throws {
        let (fixture, _) = try populated()
        let before = try fixture.snapshot()
        XCTAssertThrowsStoreError(.permissionDenied(action: "rekey", role: .clinician),
                                  try fixture.unlock("nurse", "nurse-pass").rekey())
        XCTAssertThrowsStoreError(.permissionDenied(action: "rekey", role: .reporter),
                                  try fixture.unlock("cron", "cron-pass").rekey())
        XCTAssertThrowsStoreError(.permissionDenied(action: "user remove", role: .clinician),
                                  try fixture.unlock("nurse", "nurse-pass").removeUser("cron", rekey: true))
        XCTAssertEqual(try fixture.snapshot(), before)
    }

    func testAStoreThatDoesNotVerifyIsNotRekeyedNorTheUserRemoved() throws {
        let (fixture, admin) = try populated()
        // Version 1 of sco-1 replaced by version 2's blob: it no longer opens as version 1.
        let trigger = try fixture.attacker { db in
            try XCTUnwrap(String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'score_version_no_update'"))
        }
        let other = try fixture.sealed("score_version", idColumn: "score_id", id: 1, version: 2)
        try fixture.replaceSealed("score_version", idColumn: "score_id", id: 1, version: 1, with: other)
        try fixture.attacker { db in try db.execute(sql: trigger) }
        let problem = try XCTUnwrap(try admin.verifyAudit().problem)
        let before = try fixture.snapshot()
        XCTAssertThrowsStoreError(.unverifiedStore(problem), try admin.rekey())
        // The removal was in the same transaction: it is undone with the refused rekey.
        XCTAssertThrowsStoreError(.unverifiedStore(problem), try admin.removeUser("nurse", rekey: true))
        XCTAssertEqual(try fixture.open().users().map(\.name), ["alice", "cron", "nurse"])
        XCTAssertEqual(try fixture.snapshot(), before)
    }

    func testAVersionReplacedAfterTheRekeyIsNamedAtTheRekeyEntry() throws {
        // An insider holding the new key re-seals a different score as sco-1 version 1 (a
        // version audited before the rekey, whose own entry's hash is over a blob now gone).
        let (fixture, admin) = try populated()
        let result = try admin.rekey()
        let rekeySeq = try XCTUnwrap(result.store.auditLog().last?.seq)
        var forged = ByteWriter()
        VersionStamp(user: "nurse", timeMillis: 0, reason: nil, isVoid: false).encode(into: &forged)
        var score = Sample.scoreRecord
        score.craving = 0
        score.encode(into: &forged)
        let blob = try result.store.keys.seal(forged.bytes, table: "score_version", id: 1, version: 1, patientID: 1)
        try fixture.replaceSealed("score_version", idColumn: "score_id", id: 1, version: 1, with: blob)
        XCTAssertEqual(try result.store.verifyAudit().problem, .recordMismatch(seq: rekeySeq, record: "8 records"))
    }

    func testARekeyEntryThatLeavesOutAVersionIsNamed() throws {
        // Only an admin's key can sign a rekey entry; this one, signed, names one version fewer
        // than the chain audited: verify compares the lists, not only the hash of what is named.
        let (fixture, admin) = try populated()
        let seq = try admin.database.writeImmediate { db -> Int64 in
            var runs = VersionRuns()
            for entry in try admin.audit.entries(db) { for range in entry.records { runs.add(range) } }
            var ranges = runs.ranges
            ranges[ranges.count - 1].lastID -= 1
            let grants = try KeySlot.order(KeySlot.Columns.userName).fetchAll(db).map(UnlockedStore.grant(for:))
            return try admin.audit.append(db, action: .rekey, records: ranges, patientID: nil,
                                          recordsHash: try XCTUnwrap(AuditTrail.recordsHash(db, ranges)), detail: nil,
                                          grants: grants).seq
        }
        XCTAssertEqual(try admin.verifyAudit().problem, .rekeyMismatch(seq: seq))
        XCTAssertEqual(try fixture.unlock("nurse", "nurse-pass").verifyAudit().problem, .rekeyMismatch(seq: seq))
    }
}
