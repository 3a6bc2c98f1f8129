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

    /// Opens the store without a passphrase, and first refuses a store that no longer holds the
    /// newest entry this machine's rollback witness saw (`checkingWitness: false` only for
    /// `audit accept-rollback`).
    func openStore(checkingWitness: Bool = true) throws -> Store {
        let store = try Store.open(path: storePath)
        Self.warnIfDirectoryIsShared(storePath)
        if let witness = try Self.track(store), checkingWitness { try witness.check(store) }
        return store
    }

    /// The store this command opened and its rollback witness, moved forward when the command
    /// succeeds (`advanceWitness`), else dropped (`dropWitness`).
    nonisolated(unsafe) private static var tracked: (store: Store, witness: RollbackWitness)?

    /// After a failed command: the witness stays where it was, and the store is let go.
    static func dropWitness() { tracked = nil }

    /// Remembers `store` so that its witness moves forward when the command succeeds; returns its
    /// witness (nil when neither XDG_STATE_HOME nor HOME is set).
    @discardableResult
    static func track(_ store: Store) throws -> RollbackWitness? {
        guard let directory = RollbackWitness.directory(environment: ProcessInfo.processInfo.environment) else { return nil }
        let witness = RollbackWitness(directory: directory, storeID: try store.chainFacts().storeID)
        tracked = (store, witness)
        return witness
    }

    /// After a successful command: the witness of the store it opened moves forward to the
    /// store's newest entry. A witness that cannot be written is a warning, not a failure of the
    /// command that already did its work.
    static func advanceWitness() {
        guard let tracked else { return }
        Self.tracked = nil
        var store: Store?
        do {
            // A command may have closed its store (import does): read it again.
            store = tracked.store.isClosed ? try Store.open(path: tracked.store.path) : tracked.store
            try store.map(tracked.witness.advance)
        } catch {
            Output.err("ketlog: warning: the rollback witness was not updated: \(ErrorPresenter.present(error).message)")
        }
        if let store { closeForExit(store) }
    }

    /// Closes the store (SQLite checkpoints and removes the -wal) and keeps the object until the
    /// process exits. Releasing it would dispose of the database's dispatch queue, and disposing
    /// of a queue starts a worker thread that the exit then has to wait for: about 1 ms of every
    /// command, spent after its work was done (strace of `ketlog status`). If the close fails, the
    /// object is released and closes as it always did.
    private static func closeForExit(_ store: Store) {
        guard (try? store.close()) != nil else { return }
        closedAtExit = store
    }
    nonisolated(unsafe) private static var closedAtExit: Store?

    nonisolated(unsafe) private static var warned = false

    /// One warning line (not an error) when group or others may write the store's directory:
    /// they could plant or swap its -wal or -shm, or replace the file.
    static func warnIfDirectoryIsShared(_ path: String) {
        guard !warned, let directory = Directories.writableByOthers(directoryOf: path) else { return }
        warned = true
        Output.err("ketlog: warning: the store's directory \(directory) is writable by group or others; make it 0700")
    }

    /// Opens and unlocks the store as the acting user: through the agent that holds this store
    /// for them when no passphrase source is set (`AgentAccess`; not with `agent: false`), else
    /// with the passphrase and the KDF.
    func unlock(checkingWitness: Bool = true, agent: Bool = true) throws -> UnlockedStore {
        let store = try openStore(checkingWitness: checkingWitness)
        let environment = ProcessInfo.processInfo.environment
        let name = try store.resolveUser(explicit: user ?? environment["KETLOG_USER"].flatMap { $0.isEmpty ? nil : $0 },
                                         loginName: environment["USER"])
        let reader = PassphraseReader()
        if agent, !reader.hasSource(file: passwordFile, command: passwordCommand),
           let held = try AgentAccess.unlock(store, user: name, environment: environment) {
            return held
        }
        let passphrase = try reader.current(file: passwordFile, command: passwordCommand, prompt: "Passphrase for \(name): ")
        return try store.unlock(user: name, passphrase: passphrase)
    }

    /// Opens and unlocks.
    func unlocked() throws -> UnlockedStore { try unlock() }
}
