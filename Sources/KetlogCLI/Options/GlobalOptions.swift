import ArgumentParser
import Foundation
import KetlogCrypto
import KetlogFiles
import KetlogStore

/// Options every store command takes: which store, who acts, where the passphrase comes from.
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The store file (default: $KETLOG_STORE, else $XDG_DATA_HOME/ketlog/ketlog.db).",
                               valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp("Who acts (default: $KETLOG_USER, else $USER when it has a key slot, else the only user).",
                               valueName: "name"))
    var user: String?

    @Option(help: ArgumentHelp("Read the passphrase from this file (first line).", valueName: "file"))
    var passwordFile: String?

    @Option(help: ArgumentHelp("Run this command and read the passphrase from its output.", valueName: "command"))
    var passwordCommand: String?

    var storePath: String { StoreLocation.resolve(store) }

    /// Opens the store without a passphrase.
    func openStore() throws -> Store {
        let store = try Store.open(path: storePath)
        Self.warnIfDirectoryIsShared(storePath)
        return store
    }

    nonisolated(unsafe) private static var warned = false

    /// One warning line (not an error) when group or others may write the store's directory:
    /// they could plant or swap its -wal or -shm, or replace the file.
    static func warnIfDirectoryIsShared(_ path: String) {
        guard !warned, let directory = Directories.writableByOthers(directoryOf: path) else { return }
        warned = true
        Output.err("ketlog: warning: the store's directory \(directory) is writable by group or others; make it 0700")
    }

    /// Opens and unlocks the store as the acting user.
    func unlock() throws -> (UnlockedStore, SecureBytes) {
        let store = try openStore()
        let environment = ProcessInfo.processInfo.environment
        let name = try store.resolveUser(explicit: user ?? environment["KETLOG_USER"].flatMap { $0.isEmpty ? nil : $0 },
                                         loginName: environment["USER"])
        let passphrase = try PassphraseReader().current(file: passwordFile, command: passwordCommand,
                                                        prompt: "Passphrase for \(name): ")
        return (try store.unlock(user: name, passphrase: passphrase), passphrase)
    }

    /// Opens and unlocks, dropping the passphrase.
    func unlocked() throws -> UnlockedStore { try unlock().0 }
}
