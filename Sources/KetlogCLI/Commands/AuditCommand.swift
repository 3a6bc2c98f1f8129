import ArgumentParser
import Foundation
import KetlogModel
import KetlogStore

/// `ketlog audit …`: the tamper-evident trail of every write.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit trail or verify that nothing was altered.",
        subcommands: [Log.self, Verify.self, Disclosures.self]
    )
}

extension AuditCommand {
    /// `--patient` and `--since`, shared by `log` and `disclosures`.
    struct Filter: ParsableArguments {
        @Option(help: "Only entries about this patient.") var patient: String?
        @Option(help: ArgumentHelp("Only entries on or after this date (UTC).", valueName: "YYYY-MM-DD")) var since: String?
        @Option(help: "Output format: text, json or csv.") var format: RecordFormat = .text

        /// The start of `--since` in UTC, parsed before anything is unlocked.
        func sinceDate() throws -> Date? {
            try since.map { Date(timeIntervalSince1970: Double(try DateRange.parse($0, option: "--since").daysSinceEpoch) * 86_400) }
        }

        func patientID(_ store: UnlockedStore) throws -> Int64? { try patient.map { try store.patientID(code: $0) } }
    }

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
        @OptionGroup var filter: Filter
        var format: RecordFormat { filter.format }

        func run() throws {
            let since = try filter.sinceDate()
            let store = try global.unlocked()
            let entries = try store.auditLog(patientID: try filter.patientID(store), since: since)
            let rows: [[FieldValue]] = entries.map { entry in
                [.integer(Int(entry.seq)),
                 .text(format == .text ? String(Timestamp.iso(entry.date).prefix(16)).replacingOccurrences(of: "T", with: " ")
                                       : Timestamp.iso(entry.date)), .text(entry.user), .text(entry.action.rawValue),
                 .text(entry.recordLabel), FieldValue(entry.action == .disclosure ? Disclosure.decode(entry.detail)?.summary : entry.detail),
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

    struct Disclosures: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What left the store, to whom, for which patients (an accounting of disclosures).",
            discussion: """
                Every export and every report written with --output is a disclosure entry in the
                audit trail: what (kind, format), how many patients and records, where (the file's
                name), who, and the --purpose given. Substance-use treatment records fall under
                42 CFR Part 2, which asks for this accounting.

                Examples:
                  ketlog audit disclosures --patient P-0007
                  ketlog audit disclosures --since 2026-01-01 --format csv
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var filter: Filter

        func run() throws {
            let since = try filter.sinceDate()
            let store = try global.unlocked()
            let found = try store.disclosures(patientID: try filter.patientID(store), since: since)
            let rows: [[FieldValue]] = found.map { entry, disclosure in
                [.integer(Int(entry.seq)), .text(Timestamp.iso(entry.date)), .text(entry.user), .text(disclosure.what),
                 .text(disclosure.kind), .text(disclosure.format), .integer(disclosure.patients.count), .integer(disclosure.records),
                 .text(disclosure.to), FieldValue(disclosure.purpose)]
            }
            Output.out(RecordTable(columns: ["seq", "time", "user", "what", "kind", "format", "patients", "records", "to", "purpose"],
                                   rows: rows).render(filter.format))
        }
    }
}

extension Disclosure {
    /// One line for `audit log`: `export sessions csv: 12 patients, 340 records to sessions.csv`.
    var summary: String {
        "\(what) \(kind) \(format): \(patients.count) patients, \(records) records to \(to)" + (purpose.map { " (\($0))" } ?? "")
    }
}
