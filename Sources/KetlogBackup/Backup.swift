import AgeFormat
import Foundation
import KetlogCrypto
import KetlogFiles
import KetlogModel
import KetlogStore

/// Backups: a consistent SQLite snapshot of the store (records stay sealed inside it) as the
/// payload of an age v1 file. See Schema/BACKUP.md.
public enum Backup {
    /// Writes a backup of `store` to `output` (created 0600 beside its final name and renamed
    /// into place), encrypted to `recipients`. Needs no store passphrase.
    /// `progress` receives (bytes done, bytes total).
    public static func export(_ store: Store, to output: String, recipients: [AgeRecipient], armor: Bool,
                              overwrite: Bool, progress: @escaping (Int64, Int64) -> Void = { _, _ in }) throws {
        let encryptor = try mapped { try AgeEncryptor(recipients: recipients, armor: armor) }
        // Created O_EXCL|O_NOFOLLOW 0600 beside `output`, written through its descriptor only,
        // renamed into place by `commit`; removed on failure or on SIGINT/SIGTERM/SIGHUP.
        let partial = try mapped { try NewFile(path: output, overwrite: overwrite, temporarySuffix: ".partial-\(getpid())") }
        do {
            func encrypt(_ input: Int32, length: Int64?) throws {
                let source = length.map { BoundedInput(AgeFileDescriptor(input), length: $0) as any AgeInput }
                    ?? AgeFileDescriptor(input)
                let total = length ?? BackupFiles.size(input)
                try mapped {
                    try encryptor.encrypt(from: CountingInput(source) { progress($0, total) }, to: WritebackOutput(partial.fd))
                }
            }
            // Stream the store file itself while it is quiescent; if other writers keep its WAL
            // busy, copy a consistent snapshot with SQLite's online backup first.
            let streamed = try mapped { try store.withQuiescentFile { fd, length in try encrypt(fd, length: length) } }
            if !streamed {
                let workDirectory = try BackupFiles.privateDirectory(near: store.path)
                defer { BackupFiles.removeTree(workDirectory) }
                let snapshot = workDirectory + "/snapshot.db"
                TemporaryFiles.registerFile(snapshot)
                defer { TemporaryFiles.unregister(snapshot) }
                try mapped { try store.snapshot(to: snapshot) }
                let input = try BackupFiles.openForReading(snapshot)
                defer { close(input) }
                try encrypt(input, length: nil)
            }
            try mapped { try partial.commit() }
        } catch {
            partial.discard()
            throw error
        }
    }

    /// How to check the records inside a backup, when the store passphrase is at hand.
    public struct Unlock: Sendable {
        public let user: String?
        public let loginName: String?
        public let passphrase: SecureBytes

        public init(user: String?, loginName: String?, passphrase: SecureBytes) {
            self.user = user
            self.loginName = loginName
            self.passphrase = passphrase
        }
    }

    /// What verification found.
    public struct Verification: Sendable {
        public let payloadBytes: Int64
        public let soundness: Store.Soundness
        /// Set when the records were checked with a store passphrase.
        public let audit: AuditVerification?
        public let recordsOpened: Int?
        /// The backup's store id, entry count and newest entry (plain columns).
        public let chain: ChainFacts
        /// The signed checkpoints it was checked against, each matched.
        public var checkpoints: [CheckpointMatch] = []
        /// After a restore with `allowRollback` that rolled the store back: the entry it no
        /// longer holds (recorded in an `audit.accept-rollback` entry).
        public var rolledBackFrom: ChainPoint?
        /// After a restore: the restored store's newest entry (with any entry the restore added).
        public var restoredNewest: ChainPoint?
    }

    /// Decrypts `backup` (every chunk authenticated) into a private temporary file and checks
    /// it: SQLite integrity, format version, counts; with `unlock`, the audit chain and every
    /// record. Nothing is left behind.
    public static func verify(_ backup: String, identities: [AgeIdentity], unlock: Unlock?, checkpoints: [[UInt8]] = [],
                              progress: @escaping (Int64, Int64) -> Void = { _, _ in }) throws -> Verification {
        let workDirectory = try BackupFiles.privateDirectory()
        defer { BackupFiles.removeTree(workDirectory) }
        let snapshot = workDirectory + "/snapshot.db"
        for suffix in ["", "-wal", "-shm"] { TemporaryFiles.registerFile(snapshot + suffix) }
        defer { for suffix in ["", "-wal", "-shm"] { TemporaryFiles.unregister(snapshot + suffix) } }
        let bytes = try decrypt(backup, identities: identities, to: snapshot, progress: progress)
        return try check(snapshot, payloadBytes: bytes, unlock: unlock, checkpoints: checkpoints)
    }

    /// Verifies `backup` into a file beside `target`, then moves it into place atomically.
    /// An existing store is replaced only with `overwrite`; on any failure it is untouched.
    /// With `unlock` the restored store records a `backup.restore` audit event.
    ///
    /// A restore never undoes or replaces a store silently: over an existing store the backup
    /// must be of the same store (store id and key check) and hold its newest entry; and it must
    /// hold the entry this machine's rollback witness (in `witnessDirectory`) saw for that store.
    /// An older backup of the same store needs `allowRollback` and `unlock`, and is recorded by
    /// an `audit.accept-rollback` entry instead of `backup.restore`.
    public static func restore(_ backup: String, to target: String, identities: [AgeIdentity], unlock: Unlock?,
                               overwrite: Bool, allowRollback: Bool = false, witnessDirectory: String? = nil,
                               checkpoints: [[UInt8]] = [],
                               progress: @escaping (Int64, Int64) -> Void = { _, _ in }) throws -> Verification {
        if !overwrite && FileManager.default.fileExists(atPath: target) { throw BackupError.exists(path: target) }
        let directory = URL(fileURLWithPath: target).deletingLastPathComponent().path
        do { try Directories.makePrivate(directory) } catch {
            throw BackupError.io(path: directory, detail: "cannot create the directory")
        }
        // What the store there holds now (plain columns; nil when there is none, or it is not
        // readable as a store, which a restore may replace as before).
        let existing = FileManager.default.fileExists(atPath: target) ? Store.chainFactsIfReadable(path: target) : nil
        let incoming = directory + "/.\(URL(fileURLWithPath: target).lastPathComponent).restore-\(getpid())"
        for suffix in ["", "-wal", "-shm"] { TemporaryFiles.registerFile(incoming + suffix) }
        defer {
            for suffix in ["", "-wal", "-shm"] {
                unlink(incoming + suffix)
                TemporaryFiles.unregister(incoming + suffix)
            }
        }
        let bytes = try decrypt(backup, identities: identities, to: incoming, progress: progress)
        var rolledBackFrom: ChainPoint?
        var verification = try check(incoming, payloadBytes: bytes, unlock: unlock, checkpoints: checkpoints) { snapshot, facts in
            // Entries the backup must hold: the existing store's newest, and the witness's.
            var required: [(ChainPoint, String?)] = []
            if let existing {
                guard existing.storeID == facts.storeID, existing.keyCheck == facts.keyCheck else {
                    throw BackupError.otherStore(backup: facts.storeIDHex, existing: existing.storeIDHex, path: target)
                }
                if let newest = existing.newest { required.append((newest, target)) }
            }
            if let witnessDirectory, let seen = try mapped({ try RollbackWitness(directory: witnessDirectory, storeID: facts.storeID).read() }) {
                required.append((seen, nil))
            }
            for (point, seenBy) in required.sorted(by: { $0.0.seq > $1.0.seq }) where try !mapped({ try snapshot.holds(point) }) {
                guard allowRollback else {
                    throw BackupError.olderBackup(backupEnds: facts.newest?.seq ?? 0, missing: point.seq, missingHead: point.head,
                                                  seenBy: seenBy)
                }
                guard unlock != nil else { throw BackupError.rollbackNeedsPassphrase }
                rolledBackFrom = rolledBackFrom ?? point
            }
        }
        try mapped { try Store.install(snapshot: incoming, at: target, replacing: overwrite) }
        try mapped {
            let restored = try Store.open(path: target)
            defer { try? restored.close() }
            if let unlock {
                let user = try restored.resolveUser(explicit: unlock.user, loginName: unlock.loginName)
                let unlocked = try restored.unlock(user: user, passphrase: unlock.passphrase)
                let name = URL(fileURLWithPath: backup).lastPathComponent
                if let rolledBackFrom {
                    try unlocked.acceptRollback(seen: rolledBackFrom, reason: "backup restore of \(name) with --allow-rollback")
                } else {
                    try unlocked.recordEvent(.backupRestore, detail: name)
                }
            }
            verification.restoredNewest = try restored.chainFacts().newest
        }
        verification.rolledBackFrom = rolledBackFrom
        return verification
    }

    private static func decrypt(_ backup: String, identities: [AgeIdentity], to path: String,
                                progress: @escaping (Int64, Int64) -> Void) throws -> Int64 {
        let total = BackupFiles.size(backup)
        let input = try BackupFiles.openForReading(backup)
        defer { close(input) }
        let output = try BackupFiles.createExclusive(path)
        defer { close(output) }
        do {
            try mapped {
                try AgeDecryptor(identities: identities).decrypt(from: CountingInput(AgeFileDescriptor(input)) { progress($0, total) },
                                                                to: AgeFileDescriptor(output))
            }
            try BackupFiles.fsync(output, path: path)
        } catch {
            // Plaintext of chunks before a bad one may have been written: truncate it away.
            _ = ftruncate(output, 0)
            throw error
        }
        return BackupFiles.size(path)
    }

    private static func check(_ snapshot: String, payloadBytes: Int64, unlock: Unlock?, checkpoints: [[UInt8]],
                              inspect: ((Store, ChainFacts) throws -> Void)? = nil) throws -> Verification {
        try mapped {
            // Only the first 16 bytes: reading the whole file would cost memory as large as the store.
            let header = Array((try? FileHandle(forReadingFrom: URL(fileURLWithPath: snapshot)).read(upToCount: 16)) ?? Data())
            guard header == Array("SQLite format 3\u{0}".utf8) else {
                throw BackupError.notAStore(detail: "the payload is not an SQLite database")
            }
            let store: Store
            let soundness: Store.Soundness
            let facts: ChainFacts
            do {
                // `open` checks the schema exactly as on every open of a store.
                store = try Store.open(path: snapshot)
                soundness = try store.checkSoundness()
                facts = try store.chainFacts()
            } catch StoreError.corruptStore(let detail) {
                throw BackupError.notAStore(detail: detail)
            }
            defer { try? store.close() }
            var audit: AuditVerification?
            var opened: Int?
            var matches: [CheckpointMatch] = []
            if let unlock {
                let user = try store.resolveUser(explicit: unlock.user, loginName: unlock.loginName)
                let unlocked = try store.unlock(user: user, passphrase: unlock.passphrase)
                let verification = try unlocked.verifyAudit()
                audit = verification
                opened = try unlocked.openEveryRecord()
                if verification.ok {
                    matches = try checkpoints.map { try unlocked.check(checkpoint: $0, verification: verification) }
                }
            } else if !checkpoints.isEmpty {
                throw StoreError.checkpointRefused(reason: "checking a checkpoint needs the store passphrase")
            }
            try inspect?(store, facts)
            var result = Verification(payloadBytes: payloadBytes, soundness: soundness, audit: audit, recordsOpened: opened,
                                      chain: facts)
            result.checkpoints = matches
            return result
        }
    }

    /// Maps lower layers' errors into `BackupError`.
    static func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as AgeError {
            throw BackupError.age(error)
        } catch let error as StoreError {
            throw BackupError.store(error)
        } catch let error as FileError {
            switch error {
            case .exists(let path): throw BackupError.exists(path: path)
            case .io(let path, let detail): throw BackupError.io(path: path, detail: detail)
            case .replaced(let path):
                throw BackupError.io(path: path, detail: "the file being written was replaced by someone else; nothing was written")
            }
        }
    }
}
