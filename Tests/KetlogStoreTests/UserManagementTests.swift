import Foundation
import GRDB
import KetlogModel
import KetlogStore
import XCTest

final class UserManagementTests: XCTestCase {
    /// alice (admin) and nurse (clinician).
    private func storeWithNurse() throws -> (StoreFixture, UnlockedStore) {
        let fixture = try StoreFixture()
        let admin = try fixture.create()
        try admin.addUser("nurse", role: .clinician, passphrase: secret("nurse-pass"))
        return (fixture, admin)
    }

    func testAddedUserUnlocksWithTheirOwnPassphraseAndRole() throws {
        let (fixture, _) = try storeWithNurse()
        let nurse = try fixture.unlock("nurse", "nurse-pass")
        XCTAssertEqual(nurse.role, .clinician)
        XCTAssertThrowsStoreError(.wrongPassphrase(user: "nurse"), try fixture.unlock("nurse", "alice-pass"))
        XCTAssertEqual(try fixture.open().users().map(\.name), ["alice", "nurse"])
        // Both slots hold the same data key: what one writes the other reads.
        try nurse.add(Sample.patient)
        XCTAssertEqual(try fixture.unlock("alice", "alice-pass").patient(code: "p-0007").body, Sample.patientRecord)
    }

    func testAddUserTakesTheActingAdminsWorkFactorByDefault() throws {
        let (fixture, admin) = try storeWithNurse()
        XCTAssertEqual(try fixture.open().workFactor(of: "nurse"), StoreFixture.workFactor)
        try admin.addUser("locum", role: .clinician, passphrase: secret("locum-pass"), workFactor: 11)
        XCTAssertEqual(try fixture.open().workFactor(of: "locum"), 11)
    }

    func testAddUserRefusesDuplicatesAndBadNames() throws {
        let (fixture, admin) = try storeWithNurse()
        XCTAssertThrowsStoreError(.userExists("nurse"),
                                  try admin.addUser("nurse", role: .admin, passphrase: secret("x")))
        for bad in ["", "-rf", "has space", "ünicode", String(repeating: "a", count: 65)] {
            XCTAssertThrowsError(try admin.addUser(bad, role: .clinician, passphrase: secret("x")), bad) { error in
                guard case .invalidUserName = error as? StoreError else { return XCTFail("\(bad): \(error)") }
            }
        }
        // The unlocked admin holds the data key: no second passphrase is asked for (format 2).
        XCTAssertEqual(try fixture.open().users().map(\.name), ["alice", "nurse"])
    }

    func testClinicianCannotManageUsers() throws {
        let (fixture, _) = try storeWithNurse()
        let nurse = try fixture.unlock("nurse", "nurse-pass")
        XCTAssertThrowsStoreError(.permissionDenied(action: "user add", role: .clinician),
                                  try nurse.addUser("bob", role: .admin, passphrase: secret("b")))
        XCTAssertThrowsStoreError(.permissionDenied(action: "user remove", role: .clinician), try nurse.removeUser("alice"))
        XCTAssertThrowsStoreError(.permissionDenied(action: "user passwd for another user", role: .clinician),
                                  try nurse.changePassphrase(of: "alice", to: secret("mine now")))
        XCTAssertNoThrow(try fixture.unlock("alice", "alice-pass"))
        XCTAssertEqual(try fixture.open().users().count, 2)
    }

    func testChangingAPassphraseRewrapsOnlyThatSlot() throws {
        let (fixture, _) = try storeWithNurse()
        let nurse = try fixture.unlock("nurse", "nurse-pass")
        try nurse.add(Sample.patient)
        try nurse.changePassphrase(of: "nurse", to: secret("nurse-new"))
        XCTAssertThrowsStoreError(.wrongPassphrase(user: "nurse"), try fixture.unlock("nurse", "nurse-pass"))
        XCTAssertEqual(try fixture.unlock("nurse", "nurse-new").patient(code: "P-0007").body, Sample.patientRecord)
        XCTAssertNoThrow(try fixture.unlock("alice", "alice-pass"))
    }

    func testAnAdminMayResetAnotherUsersPassphrase() throws {
        let (fixture, admin) = try storeWithNurse()
        try admin.changePassphrase(of: "nurse", to: secret("reset"))
        XCTAssertEqual(try fixture.unlock("nurse", "reset").role, .clinician)
        XCTAssertEqual(try fixture.open().workFactor(of: "nurse"), StoreFixture.workFactor)
    }

    func testARemovedUsersPassphraseNoLongerOpensTheStore() throws {
        let (fixture, admin) = try storeWithNurse()
        try admin.removeUser("nurse")
        XCTAssertThrowsStoreError(.unknownUser("nurse"), try fixture.unlock("nurse", "nurse-pass"))
        // Nor does it open any remaining slot.
        XCTAssertThrowsStoreError(.wrongPassphrase(user: "alice"), try fixture.unlock("alice", "nurse-pass"))
        XCTAssertEqual(try fixture.open().users().map(\.name), ["alice"])
        XCTAssertEqual(try fixture.attacker { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM key_slot") }, 1)
    }

    func testTheLastAdminCannotBeRemoved() throws {
        let (fixture, admin) = try storeWithNurse()
        XCTAssertThrowsStoreError(.lastAdmin, try admin.removeUser("alice"))
        XCTAssertThrowsStoreError(.unknownUser("ghost"), try admin.removeUser("ghost"))
        try admin.addUser("bob", role: .admin, passphrase: secret("bob-pass"))
        try admin.removeUser("alice")
        XCTAssertThrowsStoreError(.lastAdmin, try fixture.unlock("bob", "bob-pass").removeUser("bob"))
        XCTAssertEqual(try fixture.open().users().map(\.name), ["bob", "nurse"])
    }

    func testPromotingAClinicianInTheFileBreaksTheirSlot() throws {
        let (fixture, _) = try storeWithNurse()
        try fixture.attacker { db in try db.execute(sql: "UPDATE key_slot SET role = 'admin' WHERE user_name = 'nurse'") }
        // The chain, not the column, says who is admin: the edited slot no longer matches it.
        XCTAssertThrowsStoreError(.slotMismatch(user: "nurse"), try fixture.unlock("nurse", "nurse-pass"))
        XCTAssertThrowsStoreError(.slotMismatch(user: "nurse"), try fixture.unlock("alice", "alice-pass"))
    }

    func testRenamingASlotInTheFileBreaksIt() throws {
        let (fixture, _) = try storeWithNurse()
        try fixture.attacker { db in try db.execute(sql: "UPDATE key_slot SET user_name = 'boss' WHERE user_name = 'nurse'") }
        XCTAssertThrowsStoreError(.wrongPassphrase(user: "boss"), try fixture.unlock("boss", "nurse-pass"))
    }

    func testUserResolution() throws {
        let fixture = try StoreFixture()
        _ = try fixture.create()
        let single = try fixture.open()
        XCTAssertEqual(try single.resolveUser(explicit: nil, loginName: "root"), "alice", "the only slot")
        try fixture.unlock("alice", "alice-pass").addUser("nurse", role: .clinician, passphrase: secret("n"))
        let store = try fixture.open()
        XCTAssertEqual(try store.resolveUser(explicit: "nurse", loginName: "alice"), "nurse", "--user wins")
        XCTAssertEqual(try store.resolveUser(explicit: nil, loginName: "nurse"), "nurse", "$USER with a slot")
        XCTAssertThrowsStoreError(.userAmbiguous(candidates: ["alice", "nurse"]),
                                  try store.resolveUser(explicit: nil, loginName: "root"))
        XCTAssertThrowsStoreError(.unknownUser("bob"), try store.resolveUser(explicit: "bob", loginName: "alice"))
    }

    func testUserChangesAreAudited() throws {
        let (fixture, admin) = try storeWithNurse()
        try admin.changePassphrase(of: "nurse", to: secret("n2"))
        try admin.removeUser("nurse")
        let log = try fixture.unlock("alice", "alice-pass").auditLog()
        XCTAssertEqual(log.map(\.action.rawValue), ["init", "user.add", "user.passwd", "user.remove"])
        XCTAssertEqual(log.map(\.user), ["alice", "alice", "alice", "alice"])
        XCTAssertTrue(try admin.verifyAudit().ok)
    }
}
