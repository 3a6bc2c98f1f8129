import Foundation
import KetlogModel
import KetlogStore
import XCTest

/// `UnlockedStore.collect`: records opened on two threads come back as `forEach` gives them, in
/// id order, and the first record that fails, in id order, names the error whichever thread met it.
final class CollectTests: XCTestCase {
    /// More than two pages of day records of one patient (a page is 1024 rows).
    private static let dayCount = 2600

    private func storeWithDays() throws -> (StoreFixture, UnlockedStore) {
        let fixture = try StoreFixture()
        let store = try fixture.create()
        try store.add(Sample.patient)
        let first = ClinicalDate(iso: "2019-01-01")!
        let drafts = (0..<Self.dayCount).map { UseDayDraft(date: first.adding(days: $0), used: $0 % 3 == 0) }
        try store.add(days: drafts, patient: Sample.patient.code!, today: Sample.today)
        return (fixture, store)
    }

    func testCollectGivesWhatForEachGivesInIDOrderLeavingOutNil() throws {
        let (_, store) = try storeWithDays()
        let expected = try store.all(UseDay.self)
        XCTAssertEqual(expected.count, Self.dayCount)
        let collected = try store.collect(UseDay.self) { ($0.id, $0.version, $0.body) }
        XCTAssertEqual(collected.map(\.0), expected.map(\.id))
        XCTAssertEqual(collected.map(\.1), expected.map(\.version))
        XCTAssertEqual(collected.map(\.2), expected.map(\.body))
        let used = try store.collect(UseDay.self, patientID: 1) { $0.body.used ? $0.id : nil }
        XCTAssertEqual(used, expected.filter(\.body.used).map(\.id))
        XCTAssertEqual(try store.collect(UseDay.self, patientID: 2) { $0.id }, [], "another patient has none")
    }

    func testAmendedAndVoidRecordsComeAtTheirCurrentVersion() throws {
        let (_, store) = try storeWithDays()
        try store.amend(UseDay.self, id: 5, reason: "typo", today: Sample.today) { $0.used = true }
        try store.amend(UseDay.self, id: 1500, reason: "typo", today: Sample.today) { $0.used = false }
        try store.amend(UseDay.self, id: 1500, reason: "again", today: Sample.today) { $0.amount = "a little" }
        try store.void(UseDay.self, id: Int64(Self.dayCount), reason: "wrong patient")
        // The whole kind is read as two merged scans; `all` reads through the join.
        let expected = try store.all(UseDay.self)
        let collected = try store.collect(UseDay.self) { ($0.id, $0.version, $0.stamp.isVoid, $0.body) }
        XCTAssertEqual(collected.map(\.0), expected.map(\.id))
        XCTAssertEqual(collected.map(\.1), expected.map(\.version))
        XCTAssertEqual(collected.map(\.2), expected.map(\.stamp.isVoid))
        XCTAssertEqual(collected.map(\.3), expected.map(\.body))
        XCTAssertEqual(collected.filter { $0.1 > 1 }.map { [$0.0, $0.1] }, [[5, 2], [1500, 3], [Int64(Self.dayCount), 2]])
        XCTAssertEqual(collected.first { $0.0 == 1500 }?.3.amount, "a little")
    }

    func testACurrentVersionThatDoesNotExistStopsTheStream() throws {
        let (fixture, store) = try storeWithDays()
        try store.amend(UseDay.self, id: 1100, reason: "typo", today: Sample.today) { $0.used = true }
        try fixture.attacker { db in
            try db.execute(sql: "UPDATE day SET current_version = 3 WHERE id = 1100")
            XCTAssertEqual(db.changesCount, 1, "the tampering itself must have happened")
        }
        XCTAssertThrowsStoreError(.tamperedRecord(table: "day_version", id: 1100, version: 3),
                                  try store.collect(UseDay.self) { $0.id })
    }

    func testTheFirstBadRecordInIDOrderNamesTheErrorWhicheverThreadOpenedIt() throws {
        let (fixture, store) = try storeWithDays()
        // Record 1500 lies in the second page, 2500 in the third: a blob of another row in each.
        let other = try fixture.sealed("day_version", idColumn: "day_id", id: 1, version: 1)
        for id: Int64 in [2500, 1500] {
            try fixture.replaceSealed("day_version", idColumn: "day_id", id: id, version: 1, with: other)
        }
        for _ in 0..<5 {
            XCTAssertThrowsStoreError(.tamperedRecord(table: "day_version", id: 1500, version: 1),
                                      try store.collect(UseDay.self) { $0.id })
        }
        // An error the transform throws counts at its record too: one before 1500 comes first.
        struct Refused: Error, Equatable { let id: Int64 }
        XCTAssertThrowsError(try store.collect(UseDay.self) { record -> Int64 in
            if record.id == 1200 || record.id == 2000 { throw Refused(id: record.id) }
            return record.id
        }) { error in XCTAssertEqual(error as? Refused, Refused(id: 1200)) }
        XCTAssertThrowsStoreError(.tamperedRecord(table: "day_version", id: 1500, version: 1),
                                  try store.collect(UseDay.self) { record -> Int64 in
                                      if record.id == 2000 { throw Refused(id: record.id) }
                                      return record.id
                                  })
    }

    func testARecordWhoseVersionRowIsMissingStopsTheStream() throws {
        let (fixture, store) = try storeWithDays()
        try fixture.attacker { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DROP TRIGGER IF EXISTS day_version_no_delete")
            try db.execute(sql: "DELETE FROM day_version WHERE day_id = 1100")
            XCTAssertEqual(db.changesCount, 1, "the tampering itself must have happened")
        }
        XCTAssertThrowsStoreError(.tamperedRecord(table: "day_version", id: 1100, version: 1),
                                  try store.collect(UseDay.self) { $0.id })
    }
}
