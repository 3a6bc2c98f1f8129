import Foundation
import XCTest

/// A store written by an older ketlog keeps opening: `Fixtures/format1/store.db` was made by the
/// binary of commit 44ec89b (store format 1, before the typed model) with `make-fixture.sh`,
/// which also kept what that binary printed. Today's binary upgrades it at the admin's first
/// unlock (one `store.upgrade` entry, signed), then must verify the chain and print the same
/// reports, byte for byte but for the footer's entry count and head, and export the same records.
/// One deliberate exception: the two `<svg>` charts of `expected/report-patient.html` were
/// re-rendered by today's binary when the day axis gained regular ticks (it labelled only its two
/// ends); everything outside those `<svg>` elements is still the old binary's output.
final class FormatCompatibilityTests: XCTestCase {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/format1")

    private var ketlog: KetlogProcess!
    private var store: String!

    override func setUpWithError() throws {
        ketlog = try KetlogProcess()
        store = ketlog.path("store.db")
        try FileManager.default.copyItem(atPath: Self.fixtures.appendingPathComponent("store.db").path, toPath: store)
    }

    private func run(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try ketlog.run(arguments, environment: ["KETLOG_STORE": store, "KETLOG_PASSWORD": "format-one-fixture",
                                                             "KETLOG_USER": "admin", "KETLOG_TODAY": "2026-11-30"],
                                    file: file, line: line)
        XCTAssertEqual(result.status, 0, "ketlog \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return result.stdout
    }

    private func expected(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: Self.fixtures.appendingPathComponent("expected/\(name)")), as: UTF8.self)
    }

    /// The old binary's head and count, and today's after the upgrade (which `audit verify`,
    /// the first unlock here, performs).
    private static let oldHead = "a5d364e72b3a0d39"

    private func upgradedHead() throws -> String {
        let verify = try run(["audit", "verify"])
        XCTAssertTrue(verify.hasPrefix("ok: 19 entries, head "), verify)
        return String(verify.dropFirst("ok: 19 entries, head ".count).prefix(16))
    }

    /// What the old binary printed, with the audit footer moved on by the upgrade entry.
    private func expectedAfterUpgrade(_ name: String, head: String) throws -> String {
        try expected(name).replacingOccurrences(of: Self.oldHead, with: head)
            .replacingOccurrences(of: "18 entries", with: "19 entries")
            .replacingOccurrences(of: "\"entries\": 18", with: "\"entries\": 19")
            .replacingOccurrences(of: "audit.entries,18", with: "audit.entries,19")
    }

    private func json(_ text: String) throws -> NSObject {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? NSObject)
    }

    func testTheOlderStoreIsUpgradedByTheAdminsUnlockAndVerifies() throws {
        XCTAssertEqual(try expected("audit-verify.txt"), "ok: 18 entries, head \(Self.oldHead)\n")
        // `status` needs no passphrase and does not upgrade; the admin's first unlock does.
        XCTAssertTrue(try run(["status"]).contains("18"))
        let head = try upgradedHead()
        XCTAssertNotEqual(head, Self.oldHead)
        let log = try ketlog.run(["audit", "log", "--format", "csv"], environment: [
            "KETLOG_STORE": store, "KETLOG_PASSWORD": "format-one-fixture", "KETLOG_USER": "admin"]).stdout
        XCTAssertTrue(log.split(separator: "\n").last?.contains(",admin,store.upgrade,") ?? false, log)
        // The clinician registers key pairs at their own first unlock, proving their passphrase.
        let nurse = try ketlog.run(["audit", "verify"], environment: ["KETLOG_STORE": store, "KETLOG_PASSWORD": "nurse-pass",
                                                                      "KETLOG_USER": "nurse"])
        XCTAssertTrue(nurse.stdout.hasPrefix("ok: 20 entries, head "), nurse.stdout + nurse.stderr)
    }

    func testEveryReportIsByteIdenticalButForTheUpgradeInTheFooter() throws {
        let head = try upgradedHead()
        for format in ["text", "json", "csv", "markdown", "html"] {
            XCTAssertEqual(try run(["report", "patient", "P-0102", "--format", format]),
                           try expectedAfterUpgrade("report-patient.\(format)", head: head), format)
            XCTAssertEqual(try run(["report", "cohort", "--by", "dose", "--format", format]),
                           try expectedAfterUpgrade("report-cohort.\(format)", head: head), format)
            XCTAssertEqual(try run(["report", "weekly", "--week", "2026-W44", "--format", format]),
                           try expectedAfterUpgrade("report-weekly.\(format)", head: head), format)
        }
    }

    func testExportsHoldTheSameRecords() throws {
        for kind in ["patients", "sessions", "scores"] {
            // Format 3 gave sessions four monitoring columns; a format-1 session has none of them.
            let csv = try expected("export-\(kind).csv")
            XCTAssertEqual(try run(["export", "--kind", kind, "--format", "csv"]),
                           kind == "sessions" ? Self.withEmptyMonitoringColumns(csv) : csv, kind)
            let json = try json(try expected("export-\(kind).json"))
            XCTAssertEqual(try self.json(try run(["export", "--kind", kind, "--format", "json"])),
                           kind == "sessions" ? Self.withEmptyMonitoring(json) : json, kind)
        }
        XCTAssertEqual(try json(try run(["session", "show", "ses-2", "--history", "--format", "json"])),
                       Self.withEmptyMonitoring(try json(try expected("session-history.json"))))
    }

    /// The old binary's sessions CSV with the four monitoring columns added, empty.
    private static func withEmptyMonitoringColumns(_ csv: String) -> String {
        var out = "", quoted = false, header = true
        for character in csv {
            if character == "\"" { quoted.toggle() }
            if character == "\n" && !quoted {
                out += header ? ",lot,monitoring_min,ready_min,comedications" : ",,,,"
                header = false
            }
            out.append(character)
        }
        return out
    }

    /// Sessions as JSON objects (an array of them) with the monitoring keys added, empty.
    private static func withEmptyMonitoring(_ value: NSObject) -> NSObject {
        let empty: [String: Any] = ["lot": NSNull(), "monitoring_min": NSNull(), "ready_min": NSNull(), "comedications": [Any]()]
        guard let rows = value as? [[String: Any]] else { return value }
        return rows.map { $0.merging(empty) { old, _ in old } } as NSArray
    }

    func testTheOlderStoreTakesNewRecordsAndStillVerifies() throws {
        _ = try run(["score", "add", "--patient", "P-0102", "--date", "2026-11-29", "--craving", "1", "--use-days", "0"])
        _ = try run(["session", "amend", "ses-9", "--reason", "time corrected", "--time", "10:00"])
        XCTAssertTrue(try run(["audit", "verify"]).hasPrefix("ok: 21 entries, head "))
    }
}
