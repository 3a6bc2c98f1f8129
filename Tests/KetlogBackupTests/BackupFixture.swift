import Foundation
import KetlogCrypto
import KetlogModel
import KetlogStore
import KetlogBackup
import XCTest

/// A small store in a private directory for library-level backup tests (KDF work factor 10).
final class BackupFixture {
    static let admin = "drlee"
    static let passphrase = SecureBytes(Array("correct horse clinic".utf8))

    let directory: String
    let storePath: String
    let unlocked: UnlockedStore
    var store: Store { unlocked.store }

    /// Creates the store with `patients` patients, one session and `scoresPerPatient` scores each.
    init(patients: Int = 3, scoresPerPatient: Int = 2) throws {
        directory = NSTemporaryDirectory() + "ketlog-backup-unit-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        storePath = directory + "/clinic.db"
        unlocked = try Store.create(path: storePath, admin: Self.admin, passphrase: Self.passphrase, workFactor: 10)
        for index in 0..<patients {
            let code = "P-\(index)"
            try unlocked.add(PatientDraft(code: code, birthDate: ClinicalDate(iso: "1980-01-01"), sex: .female,
                                          substances: [.alcohol]))
            try unlocked.add(SessionDraft(date: ClinicalDate(iso: "2025-01-06"), route: .iv, doseMgPerKg: 0.5, weightKg: 70,
                                          doseMg: 35, durationMin: 40, practitioner: Self.admin), patient: code)
            for day in 0..<scoresPerPatient {
                try unlocked.add(ScoreDraft(date: ClinicalDate(iso: String(format: "2025-02-%02d", day + 1)), craving: day % 11,
                                            useDays: day % 29), patient: code)
            }
        }
    }

    func path(_ name: String) -> String { directory + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    var unlock: Backup.Unlock { Backup.Unlock(user: Self.admin, loginName: nil, passphrase: Self.passphrase) }

    func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// Names in the directory that a backup must not leave behind.
    func leftovers() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.contains(".restore-") || $0.contains(".partial-") || $0.hasPrefix(".ketlog-backup-") }
    }
}
