import AgeFormat
import ArgumentParser

/// Where the identities for reading a backup come from: `--identity` files, else the backup
/// passphrase (`KETLOG_BACKUP_PASSWORD` or a prompt).
struct BackupIdentityOptions: ParsableArguments {
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
                throw CLIError.invalidField(field: "--identity \(path)", allowed: "an age identity file (\(AgeErrorText.describe(error)))")
            }
        }
    }
}
