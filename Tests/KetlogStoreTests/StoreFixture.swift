import Foundation
import GRDB
import KetlogCrypto
import KetlogModel
import KetlogStore
import XCTest

/// A fresh directory with a store path in it, removed after the test. Every store here uses
/// work factor 10 so that scrypt costs about a millisecond.
final class StoreFixture {
    static let workFactor = 10

    let directory: URL
    /// Inside a subdirectory that does not exist yet, so creation makes it.
    let path: String

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ketlog-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("clinic/ketlog.db").path
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// A store with admin `alice`.
    func create(admin: String = "alice", passphrase: String = "alice-pass") throws -> UnlockedStore {
        try Store.create(path: path, admin: admin, passphrase: secret(passphrase), workFactor: Self.workFactor)
    }

    /// A store with admin `alice` and the sample patient with one session and one score.
    func createWithOneOfEach() throws -> UnlockedStore {
        let store = try create()
        try store.add(Sample.patient)
        try store.add(Sample.session, patient: Sample.patient.code!)
        try store.add(Sample.score, patient: Sample.patient.code!)
        return store
    }

    func open() throws -> Store { try Store.open(path: path) }

    func unlock(_ user: String, _ passphrase: String) throws -> UnlockedStore {
        try open().unlock(user: user, passphrase: secret(passphrase))
    }

    /// A second, raw connection to the file: what someone with write access to it can do.
    func attacker<T>(_ body: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: path)
        return try queue.write(body)
    }

    func sealed(_ table: String, idColumn: String, id: Int64, version: Int64) throws -> Data {
        try attacker { db in
            try XCTUnwrap(Data.fetchOne(db, sql: "SELECT sealed FROM \(table) WHERE \(idColumn) = ? AND version = ?",
                                        arguments: [id, version]))
        }
    }

    /// Replaces a version's sealed blob, first dropping the trigger that forbids it.
    func replaceSealed(_ table: String, idColumn: String, id: Int64, version: Int64, with blob: Data) throws {
        try attacker { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS \(table)_no_update")
            try db.execute(sql: "UPDATE \(table) SET sealed = ? WHERE \(idColumn) = ? AND version = ?",
                           arguments: [blob, id, version])
            XCTAssertEqual(db.changesCount, 1, "the tampering itself must have happened")
        }
    }

    /// Every byte of the store file and its -wal, if any.
    func snapshot() throws -> [String: Data] {
        var files: [String: Data] = [:]
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: path + suffix) {
            files[suffix] = try Data(contentsOf: URL(fileURLWithPath: path + suffix))
        }
        return files
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}

func secret(_ text: String) -> SecureBytes { SecureBytes(Array(text.utf8)) }

/// Asserts that `body` throws exactly `expected`.
func XCTAssertThrowsStoreError<T>(_ expected: StoreError, _ body: @autoclosure () throws -> T,
                                  _ message: @autoclosure () -> String = "",
                                  file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try body(), message(), file: file, line: line) { error in
        XCTAssertEqual(error as? StoreError, expected, message(), file: file, line: line)
    }
}

enum Sample {
    static let patient = PatientDraft(code: "P-0007", name: "Jordan Example", birthDate: ClinicalDate(iso: "1980-02-03"),
                                      sex: .female, substances: [.cocaine, .alcohol], notes: "first referral")
    static let otherPatient = PatientDraft(code: "P-0008", substances: [.opioids])
    static let session = SessionDraft(date: ClinicalDate(iso: "2026-03-02"), time: ClockTime("09:30"), route: .iv,
                                      doseMgPerKg: 0.5, weightKg: 70, doseMg: 35, durationMin: 40, practitioner: "dr.lee",
                                      counselor: "sam", notes: "tolerated well", adverseEvents: ["nausea"])
    static let score = ScoreDraft(date: ClinicalDate(iso: "2026-03-01"), craving: 7, useDays: 12)

    /// The drafts as the store keeps them once validated.
    static let today = ClinicalDate(iso: "2026-11-30")!
    static let patientRecord = try! patient.validated(today: today)
    static let sessionRecord = try! session.validated(birthDate: patientRecord.birthDate, today: today)
    static let scoreRecord = try! score.validated(birthDate: patientRecord.birthDate, today: today)
}
