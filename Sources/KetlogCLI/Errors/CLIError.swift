/// Errors raised by the command layer itself. Messages never contain clinical values.
public enum CLIError: Error, Equatable, Sendable {
    /// A flag or argument is malformed or contradicts another (usage, exit 64).
    case usage(String)
    /// A value is invalid: the field, and what is allowed (exit 65).
    case invalidField(field: String, allowed: String)
    /// Required values are missing and there is no terminal to ask for them (exit 64).
    case missingValues([String])
    /// No passphrase source and no terminal to prompt on (exit 64).
    case noPassphraseSource(purpose: String)
    /// The two entries of a new passphrase differ (exit 64).
    case passphraseMismatch
    /// `--password-command` or `KETLOG_PASSWORD_COMMAND` failed (exit 77: no passphrase).
    case passwordCommandFailed(status: Int32)
    /// The password command ran too long or printed too much and was killed (exit 77).
    case passwordCommandUnusable(problem: String)
    /// Another program ketlog started (the editor) failed (exit 1).
    case toolFailed(what: String, status: Int32)
    /// A file could not be read (exit 66).
    case fileNotFound(path: String)
    /// A file exists and the command will not overwrite it (exit 73).
    case refusesOverwrite(path: String)
    /// `report --output` onto a file it may not replace, and why (exit 73).
    case refusesReplace(path: String, reason: String)
    /// Reading or writing a file failed (exit 74).
    case io(path: String, detail: String)
    /// An input file is malformed (line, field, what is wrong; exit 65).
    case badInput(line: Int, field: String, problem: String)
    /// A check failed (audit verify, backup verify; exit 65).
    case verificationFailed(String)
}
