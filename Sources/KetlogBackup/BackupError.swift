import AgeFormat
import KetlogStore

/// Everything that can go wrong exporting, verifying or restoring a backup. Messages are written
/// at the CLI boundary; no case carries key material or clinical data.
public enum BackupError: Error, Equatable, Sendable {
    /// The age layer failed: wrong identity or passphrase, damaged or truncated file, bad armor.
    case age(AgeError)
    /// The decrypted payload is not a sound ketlog store (what was wrong, without data).
    case notAStore(detail: String)
    /// The store layer failed (format too new, tampered record, I/O).
    case store(StoreError)
    /// The output or target exists and `--force` was not given.
    case exists(path: String)
    /// A file could not be opened, read or written.
    case io(path: String, detail: String)
    /// The backup is of another store (store ids in hex) than the one at the target: it is
    /// never written over it.
    case otherStore(backup: String, existing: String, path: String)
    /// The backup does not hold an entry the target store holds (`seenBy`: the store at the
    /// path) or this machine's rollback witness saw (`seenBy` nil): restoring it would roll the
    /// store back, which needs `allowRollback`.
    case olderBackup(backupEnds: Int64, missing: Int64, missingHead: String, seenBy: String?)
    /// `allowRollback` without the store passphrase: the rollback must be audited.
    case rollbackNeedsPassphrase
}
