import ArgumentParser
import Foundation
import KetlogFiles
import KetlogModel
import KetlogStore

/// `ketlog audit …`: the tamper-evident trail of every write.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit trail or verify that nothing was altered.",
        subcommands: [Log.self, Verify.self, Disclosures.self, CheckpointCommand.self, AcceptRollback.self]
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
            commandName: "log",
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
            commandName: "verify",
            abstract: "Recompute the chain and every record's presence and hash.",
            discussion: """
                Prints `ok: N entries, head XXXXXXXXXXXXXXXX` and exits 0, or names the first bad
                entry and exits 65. Compare the head with one printed on an earlier report to
                prove the trail was not cut short: --expect-head N:HEX does it (N entries, HEX the
                head a report footer or an earlier `audit verify` printed), and --checkpoint F
                checks a signed checkpoint (`ketlog audit checkpoint`): its signature by a user's
                key as the chain records it, and that the chain holds its head at its count. A
                store older than either is refused, with or without this machine's witness.

                Examples:
                  ketlog audit verify
                  ketlog audit verify --checkpoint monday.checkpoint --expect-head 1234:5f1c8a0b9e2d4c6f
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("A signed checkpoint to check the chain against; repeatable.", valueName: "file"))
        var checkpoint: [String] = []
        @Option(help: ArgumentHelp("A head the chain must hold: N entries, head HEX (16 to 64 hex digits); repeatable.",
                                   valueName: "N:HEX"))
        var expectHead: [String] = []

        func validate() throws {
            for head in expectHead where ExpectedHead(head) == nil {
                throw ValidationError("--expect-head must be N:HEX, N a number of entries and HEX 16 to 64 hex digits")
            }
        }

        /// Benchmarks only (Scripts/bench): `KETLOG_BENCH_SKIP_SIGNATURES=1` leaves out the
        /// Ed25519 checks so that their cost can be measured against the full verify. Honoured
        /// only when set to exactly 1, and then said on stderr and in the result line, so an
        /// `ok` without signatures is never mistaken for a full one.
        static var skipsSignatures: Bool { ProcessInfo.processInfo.environment["KETLOG_BENCH_SKIP_SIGNATURES"] == "1" }

        func run() throws {
            let notes = try checkpoint.map { (path: $0, bytes: try CheckpointFile.read($0)) }
            let skip = Self.skipsSignatures
            if skip { Output.err("ketlog: warning: KETLOG_BENCH_SKIP_SIGNATURES=1: audit entry signatures are not checked") }
            let store = try global.unlocked()
            let result = try store.verifyAudit(signatures: !skip)
            if let problem = result.problem {
                throw CLIError.verificationFailed("audit verify failed: " + AuditProblemText.describe(problem))
            }
            var lines: [String] = []
            for note in notes {
                let match = try store.check(checkpoint: note.bytes, verification: result)
                lines.append("checkpoint \(note.path): signed by \(match.signer ?? "?"), \(match.count) entries, head \(match.head)")
            }
            for head in expectHead.compactMap(ExpectedHead.init) {
                let match = try store.check(expectedHead: head.count, hexPrefix: head.hex, verification: result)
                lines.append("head: \(match.count) entries, head \(match.head)")
            }
            Output.line("ok: \(result.entries) entries, head \(result.head ?? "none")" + (skip ? " (signatures not checked)" : ""))
            for line in lines { Output.line(line) }
        }
    }

    /// `N:HEX` of `--expect-head`.
    struct ExpectedHead {
        let count: Int64
        let hex: String

        init?(_ text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let count = Int64(parts[0]), count >= 1, String(count) == parts[0],
                  (16...64).contains(parts[1].count), parts[1].allSatisfy(\.isHexDigit), parts[1].allSatisfy(\.isASCII)
            else { return nil }
            self.count = count
            hex = String(parts[1])
        }
    }

    struct CheckpointCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Write a signed checkpoint of the audit chain (a C2SP signed note).",
            discussion: """
                The note's body is a tlog checkpoint: the origin `ketlog/<store id in hex>`, the
                number of entries, and base64 of the newest entry's MAC (whose first 16 hex digits
                are the head `status` and reports print). It is signed with your Ed25519 key under
                your user name; `ketlog user list --format json` gives each user's verifier key,
                so any signed-note tool can check it. Keep it anywhere: on paper, in mail, on
                another machine; `ketlog audit verify --checkpoint F` then refuses a store older
                than it. The chain is checked (sequence, seals, MACs, signatures) before signing.

                Examples:
                  ketlog audit checkpoint > monday.checkpoint
                  ketlog audit checkpoint --output /mnt/usb/clinic-2026-11-30.checkpoint
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Write the checkpoint to this file (created 0600) instead of stdout.", valueName: "file"))
        var output: String?
        @Flag(help: "Replace an existing output file.") var force = false

        func run() throws {
            let store = try global.unlocked()
            let result = try store.verifyAudit(records: false)
            if let problem = result.problem {
                throw CLIError.verificationFailed("audit checkpoint refused: " + AuditProblemText.describe(problem))
            }
            let note = try store.checkpoint()
            guard let output else { return Output.out(note) }
            let file = try OutputFile(path: output, overwrite: force)
            do {
                try file.write(note)
                try file.commit()
            } catch {
                file.discard()
                throw error
            }
            Output.err("ketlog: checkpoint written to \(output)")
        }
    }

    struct AcceptRollback: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept-rollback",
            abstract: "Accept that the store is older than this machine last saw it (admin only).",
            discussion: """
                Every command refuses a store that no longer holds the newest audit entry this
                machine saw (the rollback witness, under $XDG_STATE_HOME/ketlog/witness). When you
                know why — a copy put back on purpose, a disk restored — this appends an
                `audit.accept-rollback` entry with your reason and what was lost, and moves the
                witness to it.

                Example:
                  ketlog audit accept-rollback --reason "disk replaced; Friday's copy restored"
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "Why the older store is accepted (required).") var reason: String

        func run() throws {
            let reason = try Rules.reason(reason)
            let store = try global.unlock(checkingWitness: false)
            guard let directory = RollbackWitness.directory(environment: ProcessInfo.processInfo.environment) else {
                throw CLIError.usage("no rollback witness on this machine (neither XDG_STATE_HOME nor HOME is set)")
            }
            let witness = RollbackWitness(directory: directory, storeID: try store.store.chainFacts().storeID)
            guard let seen = try witness.read(), try !store.store.holds(seen) else {
                throw CLIError.usage("nothing to accept: the store holds the newest entry this machine saw")
            }
            let newest = try store.acceptRollback(seen: seen, reason: reason)
            try witness.record(newest)
            Output.line("accepted: this machine saw entry \(seen.seq) (head \(seen.head)); "
                        + "the store now ends at entry \(newest.seq), head \(newest.head)")
        }
    }

    struct Disclosures: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disclosures",
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

/// Signed checkpoint files: read whole, at most 64 KiB (a note with 100 signatures is far less).
enum CheckpointFile {
    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileManager.default.fileExists(atPath: path) ? CLIError.io(path: path, detail: "cannot read the file")
                                                                : CLIError.fileNotFound(path: path)
        }
        guard data.count <= 65_536 else { throw CLIError.invalidField(field: "--checkpoint \(path)", allowed: "a signed note") }
        return Array(data)
    }
}
