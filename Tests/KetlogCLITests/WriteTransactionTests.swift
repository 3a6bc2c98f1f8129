import Foundation
@testable import KetlogCLI
import KetlogCrypto
@testable import KetlogStore
import XCTest

/// Each writing command takes exactly one write transaction: the store resolves the patient,
/// refuses a void one, validates, seals, inserts and audits inside it. Counted with GRDB's trace
/// of every statement the commands' connections run, with the commands run in this process.
final class WriteTransactionTests: XCTestCase {
    private var directory: URL!
    private var store: String!
    private var passwordFile: String!
    /// Every SQL statement traced, in order.
    private static let statements = StatementLog()

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ketlog-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = directory.appendingPathComponent("ketlog.db").path
        passwordFile = directory.appendingPathComponent("pass").path
        try "alice-pass\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        _ = try Store.create(path: store, admin: "alice", passphrase: SecureBytes(Array("alice-pass".utf8)), workFactor: 10)
        DatabaseConnection.statementObserver = { Self.statements.append($0) }
    }

    override func tearDownWithError() throws {
        DatabaseConnection.statementObserver = nil
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `ketlog ARGS --store … --user alice --password-file …` in this process and returns
    /// how many transactions it began IMMEDIATE (the store's only way to write).
    private func writeTransactions(_ arguments: [String]) throws -> Int {
        Self.statements.reset()
        var command = try Ketlog.parseAsRoot(arguments + ["--store", store, "--user", "alice", "--password-file", passwordFile])
        try command.run()
        return Self.statements.all.filter { $0.uppercased().hasPrefix("BEGIN IMMEDIATE") }.count
    }

    func testScoreAddSessionAddAndImportEachTakeOneWriteTransaction() throws {
        XCTAssertEqual(try writeTransactions(["patient", "add", "P-0001", "--substance", "cocaine", "--birth-date", "1980-01-01"]), 1)
        XCTAssertEqual(try writeTransactions(["score", "add", "--patient", "P-0001", "--date", "2026-11-20", "--craving", "6",
                                              "--use-days", "18"]), 1)
        XCTAssertEqual(try writeTransactions(["session", "add", "--patient", "p-0001", "--date", "2026-11-20", "--route", "iv",
                                              "--dose-mg-per-kg", "0.5", "--weight-kg", "70", "--duration-min", "40",
                                              "--practitioner", "Dr Lee"]), 1)
        let csv = directory.appendingPathComponent("scores.csv").path
        let rows = (1...5000).map { "P-0001,2026-11-\(10 + $0 % 10),\($0 % 11),\($0 % 29)" }
        try (["patient,date,craving,use_days"] + rows).joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        XCTAssertEqual(try writeTransactions(["import", csv, "--kind", "scores"]), 1, "5000 rows, more than two chunks")
        XCTAssertEqual(try writeTransactions(["score", "amend", "sco-1", "--reason", "typo", "--craving", "5"]), 1)
        XCTAssertEqual(try writeTransactions(["score", "void", "sco-2", "--reason", "duplicate"]), 1)
    }

    func testADayRangeVitalsAndAScreenEachTakeOneWriteTransaction() throws {
        XCTAssertEqual(try writeTransactions(["patient", "add", "P-0001", "--substance", "cocaine", "--birth-date", "1980-01-01"]), 1)
        XCTAssertEqual(try writeTransactions(["day", "add", "--patient", "P-0001", "--date", "2025-06-01", "--to", "2025-08-30",
                                              "--abstinent"]), 1, "91 days, one transaction")
        XCTAssertEqual(try writeTransactions(["session", "add", "--patient", "P-0001", "--date", "2025-06-02", "--route", "intranasal",
                                              "--dose-mg", "56", "--practitioner", "Dr Lee"]), 1)
        XCTAssertEqual(try writeTransactions(["vitals", "add", "--session", "ses-1", "--at", "pre", "--bp", "128/82"]), 1)
        XCTAssertEqual(try writeTransactions(["screen", "add", "--patient", "P-0001", "--date", "2025-06-02", "--substance", "cocaine",
                                              "--result", "negative"]), 1)
        // One audit entry names the 91 days as one run of ids.
        let unlocked = try Store.open(path: store).unlock(user: "alice", passphrase: SecureBytes(Array("alice-pass".utf8)))
        let days = try unlocked.auditLog().filter { $0.action == .record(.day, .add) }
        XCTAssertEqual(days.count, 1)
        XCTAssertEqual(days.first?.records.map(\.count), [Int64(91)])
    }

    func testARefusedAddBeginsNoWriteAfterTheRuleFails() throws {
        XCTAssertEqual(try writeTransactions(["patient", "add", "P-0001", "--substance", "cocaine"]), 1)
        // A craving out of range fails before the store is unlocked: no transaction at all.
        Self.statements.reset()
        var bad = try Ketlog.parseAsRoot(["score", "add", "--patient", "P-0001", "--date", "2026-11-20", "--craving", "11",
                                          "--use-days", "1", "--store", store, "--user", "alice", "--password-file", passwordFile])
        XCTAssertThrowsError(try bad.run())
        XCTAssertEqual(Self.statements.all.filter { $0.uppercased().hasPrefix("BEGIN IMMEDIATE") }.count, 0)
    }
}

/// A thread-safe list of traced statements (the import's worker thread reads nothing, but the
/// trace callback must not race with the test thread).
final class StatementLog: @unchecked Sendable {
    private let lock = NSLock()
    private var statements: [String] = []

    func append(_ sql: String) { lock.withLock { statements.append(sql) } }
    func reset() { lock.withLock { statements.removeAll() } }
    var all: [String] { lock.withLock { statements } }
}
