import AgeFormat
import ArgumentParser
import Foundation
import KetlogBackup
import KetlogCrypto
import KetlogModel
import KetlogStore

/// `ketlog backup …`: age-encrypted snapshots that the standard `age` tool can open.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Export, verify and restore encrypted backups (age v1 files).",
        discussion: """
            A backup is an age file whose payload is a consistent SQLite snapshot of the store;
            the records inside stay sealed. `age -d -i key.txt backup.age > ketlog.db` opens it.
            """,
        subcommands: [Export.self, Verify.self, Restore.self]
    )

    /// Where the identities for reading a backup come from: `--identity` files, else the backup
    /// passphrase (`KETLOG_BACKUP_PASSWORD` or a prompt).
    struct IdentityOptions: ParsableArguments {
        @Option(help: ArgumentHelp("An age identity file (AGE-SECRET-KEY-1…); repeatable.", valueName: "file"))
        var identity: [String] = []

        func identities() throws -> [AgeIdentity] {
            guard !identity.isEmpty else {
                return [.scrypt(passphrase: try PassphraseReader().backup(prompt: "Backup passphrase: ", confirm: false))]
            }
            return try identity.flatMap { path in
                do {
                    return try AgeIdentity.parseIdentityFile(try TextFile.read(path))
                } catch let error as AgeError {
                    throw CLIError.invalidField(field: "--identity \(path)",
                                                allowed: "an age identity file (\(AgeErrorText.describe(error)))")
                }
            }
        }
    }

    /// The summary line(s) of verify and restore: counts, then the backup's store id, entry
    /// count and head (to compare with `status`, a report footer or a checkpoint).
    static func printSummary(_ result: Backup.Verification, verb: String) throws {
        let s = result.soundness
        Output.line("\(verb): format \(s.formatVersion), \(s.users) users, \(s.patients) patients, \(s.sessions) sessions, "
                    + "\(s.scores) scores, \(s.auditEntries) audit entries, \(result.payloadBytes) bytes")
        Output.line("store \(result.chain.storeIDHex): \(result.chain.entries) entries, head \(result.chain.newest?.head ?? "none")")
        for match in result.checkpoints {
            Output.line("checkpoint: signed by \(match.signer ?? "?"), \(match.count) entries, head \(match.head)")
        }
        if let from = result.rolledBackFrom, let now = result.restoredNewest {
            Output.line("rolled back from entry \(from.seq) (head \(from.head)); audited as entry \(now.seq), head \(now.head)")
        }
        if let audit = result.audit {
            guard let problem = audit.problem else {
                Output.line("records: \(result.recordsOpened ?? 0) versions open; audit ok: \(audit.entries) entries, "
                            + "head \(audit.head ?? "none")")
                return
            }
            throw CLIError.verificationFailed("the backup's audit trail failed: " + AuditProblemText.describe(problem))
        }
    }
}

/// Store-passphrase options for checking records inside a backup.
extension GlobalOptions {
    /// The store passphrase when a non-interactive source is set (or `ask`), for deep checks.
    func backupUnlock(ask: Bool) throws -> Backup.Unlock? {
        let environment = ProcessInfo.processInfo.environment
        let configured = passwordFile != nil || passwordCommand != nil
            || ["KETLOG_PASSWORD", "KETLOG_PASSWORD_FILE", "KETLOG_PASSWORD_COMMAND"].contains { !(environment[$0] ?? "").isEmpty }
        guard configured || ask else { return nil }
        let passphrase = try PassphraseReader().current(file: passwordFile, command: passwordCommand,
                                                        prompt: "Store passphrase (to check the records): ")
        return Backup.Unlock(user: user ?? environment["KETLOG_USER"].flatMap { $0.isEmpty ? nil : $0 },
                             loginName: environment["USER"], passphrase: passphrase)
    }
}

extension BackupCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write an encrypted backup of the store.",
            discussion: """
                To X25519 recipients no store passphrase is needed, so a nightly cron job holds
                no secret. With --passphrase the backup passphrase comes from
                KETLOG_BACKUP_PASSWORD or a prompt asked twice.

                Examples:
                  age-keygen -o backup-key.txt        # keep the key offline; note its age1… line
                  ketlog backup export --output nightly.age --recipient age1qyqs…
                  ketlog backup export --output offsite.age --recipients-file team.txt --armor
                  ketlog backup export --output usb.age --passphrase
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The backup file (created 0600).", valueName: "file")) var output: String
        @Option(help: ArgumentHelp("An age X25519 recipient (age1…); repeatable.", valueName: "age1…")) var recipient: [String] = []
        @Option(help: ArgumentHelp("A file of recipients, one per line.", valueName: "file")) var recipientsFile: String?
        @Flag(help: "Encrypt to a passphrase (scrypt) instead of recipients.") var passphrase = false
        @Option(help: ArgumentHelp("scrypt work factor for --passphrase (default 18, as age).", valueName: "n"))
        var passphraseWorkFactor: Int = AgeRecipient.defaultWorkFactor
        @Flag(help: "ASCII armor (PEM-style text).") var armor = false
        @Flag(help: "Replace an existing output file.") var force = false

        func validate() throws {
            if passphrase && (!recipient.isEmpty || recipientsFile != nil) {
                throw ValidationError("--passphrase cannot be combined with --recipient or --recipients-file")
            }
            if !passphrase && recipient.isEmpty && recipientsFile == nil {
                throw ValidationError("give --recipient, --recipients-file or --passphrase")
            }
            if !Store.workFactorRange.contains(passphraseWorkFactor) {
                throw ValidationError("--passphrase-work-factor must be an integer from \(Store.workFactorRange.lowerBound) to "
                                      + "\(Store.workFactorRange.upperBound)")
            }
        }

        func run() throws {
            var recipients: [AgeRecipient] = []
            do {
                recipients = try recipient.map { try AgeRecipient(parsing: $0) }
                if let recipientsFile { recipients += try AgeRecipient.parseRecipientsFile(try TextFile.read(recipientsFile)) }
            } catch let error as AgeError {
                throw CLIError.invalidField(field: "recipient", allowed: "an age X25519 recipient age1… (\(AgeErrorText.describe(error)))")
            }
            if passphrase {
                let secret = try PassphraseReader().backup(prompt: "Backup passphrase: ", confirm: true)
                recipients = [.scrypt(passphrase: secret, workFactor: passphraseWorkFactor)]
            }
            let store = try global.openStore()
            let progress = ProgressBar("backing up", total: 1000)
            defer { progress.finish() }
            try Backup.export(store, to: output, recipients: recipients, armor: armor, overwrite: force) { done, total in
                progress.set(fraction: total > 0 ? Double(done) / Double(total) : 1)
            }
            progress.finish()
            // An audit event when the passphrase is at hand without asking (cron holds none).
            if let unlock = try global.backupUnlock(ask: false) {
                let user = try store.resolveUser(explicit: unlock.user, loginName: unlock.loginName)
                try store.unlock(user: user, passphrase: unlock.passphrase)
                    .recordEvent(.backupExport, detail: URL(fileURLWithPath: output).lastPathComponent)
            }
            Output.err("ketlog: backup written to \(output)")
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check a backup: every chunk, SQLite integrity, format version and counts.",
            discussion: """
                With a store passphrase source (--password-file, KETLOG_PASSWORD, …) or
                --records, it also verifies the audit chain and opens every record.

                Examples:
                  ketlog backup verify nightly.age --identity backup-key.txt
                  KETLOG_PASSWORD_FILE=pass ketlog backup verify usb.age
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The backup file.") var file: String
        @OptionGroup var identities: IdentityOptions
        @Flag(help: "Ask for the store passphrase and check every record too.") var records = false
        @Option(help: ArgumentHelp("A signed checkpoint (`ketlog audit checkpoint`) the backup's chain must hold; "
                                   + "repeatable; needs the store passphrase.", valueName: "file"))
        var checkpoint: [String] = []

        func run() throws {
            guard FileManager.default.fileExists(atPath: file) else { throw CLIError.fileNotFound(path: file) }
            let notes = try checkpoint.map(CheckpointFile.read)
            let identities = try identities.identities()
            let unlock = try global.backupUnlock(ask: records || !notes.isEmpty)
            let progress = ProgressBar("verifying", total: 1000)
            defer { progress.finish() }
            let result = try Backup.verify(file, identities: identities, unlock: unlock, checkpoints: notes) { done, total in
                progress.set(fraction: total > 0 ? Double(done) / Double(total) : 1)
            }
            progress.finish()
            try BackupCommand.printSummary(result, verb: "ok")
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Verify a backup, then move it into place as a store (atomically).",
            discussion: """
                An existing store is never replaced without --force, and never by a backup that
                fails verification. Stop other ketlog processes on the target first.

                Examples:
                  ketlog backup restore nightly.age --to /srv/ketlog/ketlog.db --identity backup-key.txt
                  ketlog backup restore usb.age --to ./ketlog.db --force
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The backup file.") var file: String
        @Option(help: ArgumentHelp("Where the restored store goes.", valueName: "path")) var to: String
        @OptionGroup var identities: IdentityOptions
        @Flag(help: "Replace an existing store at --to (only by a backup of that same store that holds its newest entry).")
        var force = false
        @Flag(help: "Accept a backup older than the store it replaces, or than this machine last saw (audited; needs the store passphrase).")
        var allowRollback = false
        @Option(help: ArgumentHelp("A signed checkpoint the backup's chain must hold; repeatable; needs the store passphrase.",
                                   valueName: "file"))
        var checkpoint: [String] = []

        func run() throws {
            guard FileManager.default.fileExists(atPath: file) else { throw CLIError.fileNotFound(path: file) }
            if !force && FileManager.default.fileExists(atPath: to) { throw CLIError.refusesOverwrite(path: to) }
            let notes = try checkpoint.map(CheckpointFile.read)
            let identities = try identities.identities()
            let unlock = try global.backupUnlock(ask: allowRollback || !notes.isEmpty)
            let witnesses = RollbackWitness.directory(environment: ProcessInfo.processInfo.environment)
            let progress = ProgressBar("restoring", total: 1000)
            defer { progress.finish() }
            let result = try Backup.restore(file, to: to, identities: identities, unlock: unlock, overwrite: force,
                                            allowRollback: allowRollback, witnessDirectory: witnesses,
                                            checkpoints: notes) { done, total in
                progress.set(fraction: total > 0 ? Double(done) / Double(total) : 1)
            }
            progress.finish()
            // The restored store's newest entry is what this machine has now seen of it.
            if let witnesses, let newest = result.restoredNewest, result.audit?.problem == nil {
                try RollbackWitness(directory: witnesses, storeID: result.chain.storeID).record(newest)
            }
            try BackupCommand.printSummary(result, verb: "restored to \(to)")
        }
    }
}
