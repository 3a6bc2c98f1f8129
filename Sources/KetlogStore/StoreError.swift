import KetlogModel

/// Everything that can go wrong in KetlogStore. Cases carry record ids, fields and user names,
/// never clinical values or SQL arguments; the CLI writes the messages and exit codes. A broken
/// clinical rule is thrown as the model's `ModelError`, or as `invalidRow` inside an import.
public enum StoreError: Error, Equatable, Sendable {
    /// No store at the path.
    case storeNotFound(path: String)
    /// `init` found a file at the path and left it alone.
    case storeExists(path: String)
    /// The store was written by a newer ketlog (its format version, ours).
    case newerFormat(found: Int, supported: Int)
    /// The file is not a ketlog store, or its structure is damaged.
    case corruptStore(detail: String)
    /// The store's schema is not exactly what the migrations create: an object (`type` is
    /// table, index, trigger or view) is missing, altered, or not part of ketlog's schema.
    case schemaMismatch(type: String, name: String, change: SchemaChange)
    /// The passphrase does not open the named user's key slot.
    case wrongPassphrase(user: String)
    /// The named user has no key slot.
    case unknownUser(String)
    /// Several users and none chosen: pass `--user`.
    case userAmbiguous(candidates: [String])
    /// The acting user's role does not allow the action.
    case permissionDenied(action: String, role: Role)
    /// A reporter tried to write records (reporters only read).
    case readOnly(action: String)
    /// A user of that name exists already.
    case userExists(String)
    /// The user has not unlocked since the store's upgrade to format 2, so has no key pairs yet.
    case userPending(String)
    /// The keys another process holds for `user` (the agent) are no longer the ones their key
    /// slot holds: their keys changed (rekey, passwd, remove) since it was started.
    case heldKeysChanged(user: String)
    /// `action` re-seals the acting user's own keys, so it needs their passphrase, not the agent.
    case passphraseNeeded(action: String)
    /// The last admin cannot be removed or demoted.
    case lastAdmin
    /// A user name outside `UserName`'s rule (1–64 letters, digits, '.', '_', '-').
    case invalidUserName
    /// A KDF work factor outside the range a key slot accepts.
    case workFactorOutOfRange(ClosedRange<Int>)
    /// A key slot does not match what the signed audit chain last recorded for its user (put
    /// back after a removal, an old wrap restored, a role edited), or the chain lists no such user.
    case slotMismatch(user: String)
    /// Audit entry `seq` does not count: unsigned, mis-signed, or its signer was not allowed to
    /// do what it records (the reason names no clinical value).
    case auditRefused(seq: Int64, reason: String)
    /// A rekey refused to re-seal a store that does not pass `audit verify` (its first problem):
    /// re-sealing would make altered history look as sound as the rest.
    case unverifiedStore(AuditVerification.Problem)
    /// A sealed blob failed to open: it was altered, moved or replayed (table, record id, version).
    case tamperedRecord(table: String, id: Int64, version: Int64)
    /// A sealed blob opened but does not decode as its kind: written by something else.
    case undecodableRecord(kind: RecordKind, id: Int64, version: Int64)
    /// A patient's blind index is not the HMAC of its sealed code: the index column was changed
    /// in the file (swapped, copied or moved), so codes cannot be checked for duplicates.
    case blindIndexMismatch(patientID: Int64)
    /// The requested record does not exist.
    case recordNotFound(kind: RecordKind, id: Int64)
    /// No patient has the given code (the code is not repeated).
    case patientNotFound
    /// A patient with that code exists already (compared case-insensitively); in an import,
    /// the file's line or item.
    case duplicatePatientCode(line: Int?)
    /// The record is void and cannot be amended or voided again.
    case recordVoid(kind: RecordKind, id: Int64)
    /// Row `line` of an import (a CSV line, or a JSON item) breaks a clinical rule.
    case invalidRow(line: Int, ModelError)
    /// An SQLite failure (the SQLite result code only; never arguments).
    case database(code: Int32, message: String)
    /// A file-system failure.
    case io(path: String, detail: String)
    /// The store no longer holds the newest entry this machine saw (the rollback witness): the
    /// whole file was put back, or its tail cut. `replaced`: it holds a different entry there.
    case rolledBack(seen: Int64, seenHead: String, storeEnds: Int64, replaced: Bool)
    /// The rollback witness file does not parse (or names another store).
    case witnessDamaged(path: String)
    /// A signed checkpoint, or a head to expect, does not match the chain (why, naming no value).
    case checkpointRefused(reason: String)
    /// A cryptographic primitive failed unexpectedly.
    case crypto(String)
}

/// How a schema object differs from what the migrations create.
public enum SchemaChange: Sendable, Equatable {
    case missing
    case altered
    case added
}
