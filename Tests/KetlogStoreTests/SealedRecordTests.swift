import Foundation
import GRDB
import KetlogModel
import KetlogStore
import XCTest

final class SealedRecordTests: XCTestCase {
    func testRecordsRoundTripAndVersion() throws {
        let fixture = try StoreFixture()
        let store = try fixture.create()
        let patient = try store.add(Sample.patient)
        let session = try store.add(Sample.session, patient: "p-0007")
        let score = try store.add(Sample.score, patient: "P-0007")
        XCTAssertEqual([patient.shortID, session.shortID, score.shortID], ["pat-1", "ses-1", "sco-1"])
        XCTAssertEqual(session.patientID, patient.id)

        let reopened = try fixture.unlock("alice", "alice-pass")
        XCTAssertEqual(try reopened.record(KetamineSession.self, id: session.id).body, Sample.sessionRecord)
        XCTAssertEqual(try reopened.record(Score.self, id: score.id).body, Sample.scoreRecord)
        XCTAssertEqual(try reopened.patient(code: " p-0007 ").body, Sample.patientRecord)

        try reopened.amend(Score.self, id: score.id, reason: "typo") { $0.craving = 6 }
        try reopened.void(KetamineSession.self, id: session.id, reason: "wrong patient")
        let history = try reopened.history(Score.self, id: score.id)
        XCTAssertEqual(history.map(\.body.craving), [7, 6])
        XCTAssertEqual(history.map(\.stamp.reason), [nil, "typo"])
        XCTAssertTrue(try reopened.record(KetamineSession.self, id: session.id).stamp.isVoid)
        XCTAssertThrowsStoreError(.recordVoid(kind: .session, id: 1),
                                  try reopened.void(KetamineSession.self, id: session.id, reason: "again"))
        XCTAssertThrowsStoreError(.duplicatePatientCode(line: nil), try reopened.add(PatientDraft(code: "p-0007", substances: [.other])))
    }

    func testABlobMovedToAnotherRowFailsToOpenNamingTheRecord() throws {
        let fixture = try StoreFixture()
        let store = try fixture.create()
        try store.add(Sample.patient)
        try store.add(Sample.otherPatient)
        let first = try fixture.sealed("patient_version", idColumn: "patient_id", id: 1, version: 1)
        try fixture.replaceSealed("patient_version", idColumn: "patient_id", id: 2, version: 1, with: first)

        let expected = StoreError.tamperedRecord(table: "patient_version", id: 2, version: 1)
        XCTAssertThrowsStoreError(expected, try store.record(Patient.self, id: 2))
        XCTAssertThrowsStoreError(expected, try store.patient(code: Sample.otherPatient.code!))
        // Listing stops at the bad record instead of skipping it.
        XCTAssertThrowsStoreError(expected, try store.all(Patient.self))
        XCTAssertEqual(try store.record(Patient.self, id: 1).body, Sample.patientRecord, "the source row still opens")
    }

    func testABlobMovedToAnotherTableFailsToOpen() throws {
        let fixture = try StoreFixture()
        let store = try fixture.createWithOneOfEach()
        let session = try fixture.sealed("session_version", idColumn: "session_id", id: 1, version: 1)
        try fixture.replaceSealed("score_version", idColumn: "score_id", id: 1, version: 1, with: session)
        XCTAssertThrowsStoreError(.tamperedRecord(table: "score_version", id: 1, version: 1), try store.record(Score.self, id: 1))
    }

    func testAnOlderVersionReplayedAsTheCurrentOneFailsToOpen() throws {
        let fixture = try StoreFixture()
        let store = try fixture.create()
        try store.add(Sample.patient)
        try store.amend(Patient.self, id: 1, reason: "new notes") { $0.notes = "second visit" }
        let old = try fixture.sealed("patient_version", idColumn: "patient_id", id: 1, version: 1)
        try fixture.replaceSealed("patient_version", idColumn: "patient_id", id: 1, version: 2, with: old)
        let expected = StoreError.tamperedRecord(table: "patient_version", id: 1, version: 2)
        XCTAssertThrowsStoreError(expected, try store.record(Patient.self, id: 1))
        XCTAssertThrowsStoreError(expected, try store.history(Patient.self, id: 1))
    }

    func testOneFlippedBitAnywhereInABlobFailsToOpen() throws {
        let fixture = try StoreFixture()
        let store = try fixture.create()
        try store.add(Sample.patient)
        let session = try store.add(Sample.session, patient: Sample.patient.code!)
        let original = try fixture.sealed("session_version", idColumn: "session_id", id: session.id, version: 1)
        XCTAssertEqual(original[0], 1, "blob format version byte")
        // The version byte, the nonce, the ciphertext and the tag.
        let positions = [0, 1, 12, 13, original.count / 2, original.count - 17, original.count - 1]
        for position in positions {
            var flipped = original
            flipped[position] ^= 0x08
            try fixture.replaceSealed("session_version", idColumn: "session_id", id: session.id, version: 1, with: flipped)
            XCTAssertThrowsStoreError(.tamperedRecord(table: "session_version", id: session.id, version: 1),
                                      try store.record(KetamineSession.self, id: session.id), "bit flipped at byte \(position)")
        }
        for truncated in [original.prefix(original.count - 1), original.prefix(20), Data()] {
            try fixture.replaceSealed("session_version", idColumn: "session_id", id: session.id, version: 1, with: Data(truncated))
            XCTAssertThrowsStoreError(.tamperedRecord(table: "session_version", id: session.id, version: 1),
                                      try store.record(KetamineSession.self, id: session.id), "truncated to \(truncated.count)")
        }
        try fixture.replaceSealed("session_version", idColumn: "session_id", id: session.id, version: 1, with: original)
        XCTAssertEqual(try store.record(KetamineSession.self, id: session.id).body, Sample.sessionRecord, "restored blob opens again")
    }

    func testBlobLayoutIsVersionNonceCiphertextTag() throws {
        let fixture = try StoreFixture()
        let store = try fixture.create()
        try store.add(Sample.patient)
        try store.add(Sample.patient.with(code: "P-0009"))
        let a = try fixture.sealed("patient_version", idColumn: "patient_id", id: 1, version: 1)
        let b = try fixture.sealed("patient_version", idColumn: "patient_id", id: 2, version: 1)
        // Same plaintext length (codes of one length, same stamp fields): same blob length,
        // 1 + 12 + 16 bytes longer than the plaintext; nonces differ.
        XCTAssertEqual(a.count, b.count)
        XCTAssertNotEqual(a[1..<13], b[1..<13], "a fresh nonce per seal")
        // Big-endian u64 length before every string and list; one byte before every optional.
        func text(_ value: String) -> Int { 8 + value.utf8.count }
        let stamp = text("alice") + 8 + 1 + 1                        // user, time, no reason, not void
        let fields: [Int] = [
            text(Sample.patient.code!),
            1 + text("Jordan Example"), 1 + text("1980-02-03"), 1 + text("female"),
            8 + text("cocaine") + text("alcohol"),
            1 + text("first referral"),
        ]
        XCTAssertEqual(a.count, 1 + 12 + stamp + fields.reduce(0, +) + 16)
    }

    func testThePatientCodeLookupIsCaseInsensitiveThroughTheBlindIndex() throws {
        let fixture = try StoreFixture()
        let store = try fixture.create()
        try store.add(Sample.patient)
        let index = try fixture.attacker { db in try Data.fetchOne(db, sql: "SELECT code_index FROM patient")! }
        XCTAssertEqual(index.count, 32)
        XCTAssertNil(index.range(of: Data("0007".utf8)))
        XCTAssertEqual(try store.patientID(code: "p-0007"), 1)
        XCTAssertThrowsError(try store.patientID(code: "P-0070"))
    }
}

extension PatientDraft {
    func with(code: String) -> PatientDraft {
        var copy = self
        copy.code = code
        return copy
    }
}
