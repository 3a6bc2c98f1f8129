/// Everything that can go wrong in KetlogStore. Cases carry record ids, field names and user
/// names, never clinical values or SQL arguments; the CLI writes the messages and exit codes.
public enum StoreError: Error, Equatable, Sendable {
    /// No store at the path.
    case storeNotFound(path: String)
    /// `init` found a file at the path and left it alone.
    case storeExists(path: String)
    /// The store was written by a newer ketlog (its format version, ours).
    case newerFormat(found: Int, supported: Int)
    /// The file is not a ketlog store, or its structure is damaged.
    case corruptStore(detail: String)
    /// The passphrase does not open the named user's key slot.
    case wrongPassphrase(user: String)
    /// The named user has no key slot.
    case unknownUser(String)
    /// Several users and none chosen: pass `--user`.
    case userAmbiguous(candidates: [String])
    /// The acting user's role does not allow the action.
    case permissionDenied(action: String, role: Role)
    /// A user of that name exists already.
    case userExists(String)
    /// The last admin cannot be removed or demoted.
    case lastAdmin
    /// A user name or other plain value is invalid (field, what is allowed).
    case invalidValue(field: String, allowed: String)
    /// A sealed blob failed to open: it was altered, moved or replayed (table, record id, version).
    case tamperedRecord(table: String, id: Int64, version: Int64)
    /// The requested record does not exist.
    case recordNotFound(kind: String, id: String)
    /// A patient with that code exists already (compared case-insensitively).
    case duplicatePatientCode
    /// The record is void and cannot be amended or voided again.
    case recordVoid(kind: String, id: String)
    /// An SQLite failure (the SQLite result code only; never arguments).
    case database(code: Int32, message: String)
    /// A file-system failure.
    case io(path: String, detail: String)
    /// A cryptographic primitive failed unexpectedly.
    case crypto(String)
}
