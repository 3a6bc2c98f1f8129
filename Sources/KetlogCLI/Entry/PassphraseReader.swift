import Foundation
import KetlogCrypto

/// Finds a passphrase. A passphrase is never taken as a command-line value.
///
/// The acting user's: `--password-file`, `--password-command`, `KETLOG_PASSWORD`,
/// `KETLOG_PASSWORD_FILE`, `KETLOG_PASSWORD_COMMAND`, else a no-echo prompt on the terminal.
/// A new one (`user add`, `user passwd`): `--new-password-file`, `KETLOG_NEW_PASSWORD`, else a
/// prompt asked twice. A file or command yields its first line. Reading any passphrase first
/// turns core dumps off for the process (`CoreDumps`): every command that unlocks, and `init`,
/// comes through here.
struct PassphraseReader {
    var environment: [String: String] = ProcessInfo.processInfo.environment

    /// The acting user's passphrase. `confirm` asks twice at a prompt (used by `init`).
    func current(file: String?, command: String?, prompt: String, confirm: Bool = false) throws -> SecureBytes {
        CoreDumps.disable()
        if let file { return try Self.read(file: file) }
        if let command { return try Self.fromCommand(command) }
        if let value = environment["KETLOG_PASSWORD"], !value.isEmpty { return SecureBytes(Array(value.utf8)) }
        if let file = environment["KETLOG_PASSWORD_FILE"], !file.isEmpty { return try Self.read(file: file) }
        if let command = environment["KETLOG_PASSWORD_COMMAND"], !command.isEmpty { return try Self.fromCommand(command) }
        return try Self.prompt(prompt, confirm: confirm, purpose: "the store passphrase")
    }

    /// Whether a source of the acting user's passphrase is set (anything but the prompt): then
    /// that passphrase acts, and no agent is asked.
    func hasSource(file: String?, command: String?) -> Bool {
        file != nil || command != nil
            || ["KETLOG_PASSWORD", "KETLOG_PASSWORD_FILE", "KETLOG_PASSWORD_COMMAND"].contains { !(environment[$0] ?? "").isEmpty }
    }

    /// A new passphrase for a user.
    func new(file: String?, prompt: String) throws -> SecureBytes {
        CoreDumps.disable()
        if let file { return try Self.read(file: file) }
        if let value = environment["KETLOG_NEW_PASSWORD"], !value.isEmpty { return SecureBytes(Array(value.utf8)) }
        return try Self.prompt(prompt, confirm: true, purpose: "the new passphrase")
    }

    /// The backup passphrase (`backup export --passphrase`): `KETLOG_BACKUP_PASSWORD`, else a prompt
    /// asked twice when `confirm`.
    func backup(prompt: String, confirm: Bool) throws -> SecureBytes {
        CoreDumps.disable()
        if let value = environment["KETLOG_BACKUP_PASSWORD"], !value.isEmpty { return SecureBytes(Array(value.utf8)) }
        return try Self.prompt(prompt, confirm: confirm, purpose: "the backup passphrase")
    }

    /// The first line (without its CR LF or LF); a file or command may say more after it.
    private static func trimmed(_ bytes: [UInt8]) throws -> SecureBytes {
        var end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        if end > 0 && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        guard end > 0 else { throw CLIError.invalidField(field: "passphrase", allowed: "a non-empty passphrase") }
        return SecureBytes(bytes[0..<end])
    }

    static func read(file: String) throws -> SecureBytes {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw FileManager.default.fileExists(atPath: file)
                ? CLIError.io(path: file, detail: "cannot read the passphrase file")
                : CLIError.fileNotFound(path: file)
        }
        var bytes = Array(data)
        defer { for index in bytes.indices { bytes[index] = 0 } }
        return try trimmed(bytes)
    }

    private static func fromCommand(_ command: String) throws -> SecureBytes {
        var bytes = try ChildEnvironment.captureOutput(of: command)
        defer { for index in bytes.indices { bytes[index] = 0 } }
        return try trimmed(bytes)
    }

    private static func prompt(_ prompt: String, confirm: Bool, purpose: String) throws -> SecureBytes {
        guard Terminal.isAvailable, let first = Terminal.ask(prompt, echo: false) else {
            throw CLIError.noPassphraseSource(purpose: purpose)
        }
        let value = try trimmed(Array(first.utf8))
        if confirm {
            guard let second = Terminal.ask("Repeat it: ", echo: false) else { throw CLIError.noPassphraseSource(purpose: purpose) }
            guard value == (try trimmed(Array(second.utf8))) else { throw CLIError.passphraseMismatch }
        }
        return value
    }
}
