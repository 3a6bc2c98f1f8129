import ArgumentParser
import Foundation
import KetlogModel
import KetlogStore

/// `ketlog audit …`: the tamper-evident trail of every write.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit trail or verify that nothing was altered.",
        subcommands: [Log.self, Verify.self]
    )
}

extension AuditCommand {
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Who entered or changed what, and when.",
            discussion: """
                Examples:
                  ketlog audit log
                  ketlog audit log --patient P-0007 --since 2026-11-01 --format csv
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only entries about this patient.") var patient: String?
        @Option(help: ArgumentHelp("Only entries on or after this date (UTC).", valueName: "YYYY-MM-DD")) var since: String?
        @Option(help: "Output format: text, json or csv.") var format: RecordFormat = .text

        func run() throws {
            let since = try since.map { try DateRange.parse($0, option: "--since") }
            let store = try global.unlocked()
            let patientID = try patient.map { try store.patientID(code: $0) }
            let sinceDate = since.map { Date(timeIntervalSince1970: Double($0.daysSinceEpoch) * 86_400) }
            let entries = try store.auditLog(patientID: patientID, since: sinceDate)
            let rows: [[FieldValue]] = entries.map { entry in
                [.integer(Int(entry.seq)),
                 .text(format == .text ? String(Timestamp.iso(entry.date).prefix(16)).replacingOccurrences(of: "T", with: " ")
                                       : Timestamp.iso(entry.date)), .text(entry.user), .text(entry.action.rawValue),
                 .text(entry.recordLabel), FieldValue(entry.detail),
                 .text(entry.recordsHash.isEmpty ? "" : entry.recordsHash.prefix(format == .text ? 4 : 32).map { String(format: "%02x", $0) }.joined())]
            }
            Output.out(RecordTable(columns: ["seq", "time", "user", "action", "record", "detail", "hash"], rows: rows)
                .render(format))
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the chain and every record's presence and hash.",
            discussion: """
                Prints `ok: N entries, head XXXXXXXXXXXXXXXX` and exits 0, or names the first bad
                entry and exits 65. Compare the head with one printed on an earlier report to
                prove the trail was not cut short.
                """
        )
        @OptionGroup var global: GlobalOptions

        /// Benchmarks only (Scripts/bench): `KETLOG_BENCH_SKIP_SIGNATURES=1` leaves out the
        /// Ed25519 checks so that their cost can be measured against the full verify. Honoured
        /// only when set to exactly 1, and then said on stderr and in the result line, so an
        /// `ok` without signatures is never mistaken for a full one.
        static var skipsSignatures: Bool { ProcessInfo.processInfo.environment["KETLOG_BENCH_SKIP_SIGNATURES"] == "1" }

        func run() throws {
            let skip = Self.skipsSignatures
            if skip { Output.err("ketlog: warning: KETLOG_BENCH_SKIP_SIGNATURES=1: audit entry signatures are not checked") }
            let result = try global.unlocked().verifyAudit(signatures: !skip)
            guard let problem = result.problem else {
                Output.line("ok: \(result.entries) entries, head \(result.head ?? "none")" + (skip ? " (signatures not checked)" : ""))
                return
            }
            throw CLIError.verificationFailed("audit verify failed: " + AuditProblemText.describe(problem))
        }
    }
}
