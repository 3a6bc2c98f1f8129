import ArgumentParser
import Foundation
import AgeFormat
import KetlogAgent
import KetlogBackup
import KetlogCrypto
import KetlogModel
import KetlogReports
import KetlogStore

/// Turns any error into one line for stderr and an exit code: the one place where messages are
/// written. No message contains a clinical value.
enum ErrorPresenter {
    static func present(_ error: Error) -> (message: String, status: ExitStatus) {
        switch error {
        case let error as ModelError: return (FieldContext.commandLine.describe(error), .badData)
        case let error as StoreError: return present(error)
        case let error as CLIError: return present(error)
        case let error as ReportError: return present(error)
        case let error as BackupError: return present(error)
        case let error as AgeError: return present(BackupError.age(error))
        case let error as AgentError: return present(error)
        case is CryptoError: return ("a cryptographic operation failed", .failure)
        case let error as ValidationError: return (error.message, .usage)
        default: return ("unexpected failure (\(type(of: error)))", .failure)
        }
    }

    static func present(_ error: StoreError) -> (String, ExitStatus) {
        switch error {
        case .storeNotFound(let path):
            return ("no store at \(path) (create one with `ketlog init`, or pass --store)", .notFound)
        case .storeExists(let path):
            return ("\(path) already exists; refusing to touch it", .refusesOverwrite)
        case .newerFormat(let found, let supported):
            return ("the store has format \(found) but this ketlog reads up to \(supported); upgrade ketlog", .badData)
        case .corruptStore(let detail):
            return ("the store is damaged: \(detail)", .badData)
        case .schemaMismatch(let type, let name, let change):
            let object = "\(TextSafety.escaped(type)) \(TextSafety.escaped(name))"
            switch change {
            case .missing: return ("the store's schema was altered: \(object) is missing (refusing to open it)", .badData)
            case .altered: return ("the store's schema was altered: \(object) differs from ketlog's (refusing to open it)", .badData)
            case .added: return ("the store's schema was altered: \(object) is not part of ketlog's (refusing to open it)", .badData)
            }
        case .wrongPassphrase(let user):
            return ("wrong passphrase for \(user)", .denied)
        case .unknownUser(let user):
            return ("no user named \(user)", .denied)
        case .userAmbiguous(let candidates):
            return ("several users (\(candidates.joined(separator: ", "))): choose one with --user or KETLOG_USER", .usage)
        case .permissionDenied(let action, let role):
            return ("\(action) needs an admin; you are a \(role.rawValue)", .denied)
        case .readOnly(let action):
            return ("\(action): a reporter only reads (reports, audit, backup export)", .denied)
        case .heldKeysChanged(let user):
            return ("the agent holds keys of \(user) that are no longer theirs in this store (rekey, passwd or remove): "
                    + "run `ketlog lock`, then `ketlog unlock` again", .denied)
        case .passphraseNeeded(let action):
            return ("\(action) re-seals your own keys and needs your passphrase, which the agent does not hold: "
                    + "give it with --password-file, KETLOG_PASSWORD… or at the prompt", .denied)
        case .slotMismatch(let user):
            return ("the key slot of \(user) is not what the signed audit chain records for them "
                    + "(put back, replaced or edited in the file)", .badData)
        case .unverifiedStore(let problem):
            return ("the store does not verify (\(AuditProblemText.describe(problem))): refusing to rekey it; "
                    + "run `ketlog audit verify`", .badData)
        case .auditRefused(let seq, let reason):
            return ("audit entry \(seq) does not count: \(reason)", .badData)
        case .userPending(let name):
            return ("\(name) has not unlocked since the store's upgrade to key pairs: "
                    + "they unlock once, or an admin resets their passphrase", .badData)
        case .userExists(let name):
            return ("a user named \(name) exists already", .badData)
        case .lastAdmin:
            return ("the last admin cannot be removed", .badData)
        case .invalidUserName:
            return ("user name: must be 1–64 characters: letters, digits, '.', '_', '-'", .badData)
        case .workFactorOutOfRange(let range):
            return ("--kdf-work-factor: must be a whole number from \(range.lowerBound) to \(range.upperBound)", .badData)
        case .invalidRow(let line, let error):
            return ("line \(line): \(FieldContext.importFile.describe(error))", .badData)
        case .tamperedRecord(let table, let id, let version):
            return ("record \(table) #\(id) version \(version) failed to open: it was altered, moved or replayed", .badData)
        case .undecodableRecord(let kind, let id, let version):
            return ("record \(kind.shortID(id)) version \(version) opened but is not a valid \(kind.rawValue): "
                    + "it was written by something other than ketlog", .badData)
        case .blindIndexMismatch(let id):
            return ("\(RecordKind.patient.shortID(id))'s code index does not match its sealed code: the store was altered "
                    + "(run `ketlog audit verify`)", .badData)
        case .recordNotFound(let kind, let id):
            return ("no \(kind.rawValue) with \(kind.shortID(id))", .badData)
        case .patientNotFound:
            return ("no patient with the given code", .badData)
        case .duplicatePatientCode(let line?):
            return ("line \(line): code: a patient with this code exists already", .badData)
        case .duplicatePatientCode(nil):
            return ("patient code: a patient with this code exists already (codes are compared case-insensitively)", .badData)
        case .recordVoid(let kind, let id):
            return ("\(kind.rawValue) \(kind.shortID(id)) is void: a void record cannot be amended or voided again", .badData)
        case .database(let code, let message):
            return ("database error \(code) (\(message))", code & 0xff == 10 ? .ioError : .failure)
        case .io(let path, let detail):
            return ("\(path): \(detail)", .ioError)
        case .crypto(let detail):
            return ("cryptographic failure: \(detail)", .failure)
        case .rolledBack(let seen, let head, let ends, let replaced):
            let now = replaced ? "the store holds another entry \(seen) (it ends at \(ends))" : "the store ends at \(ends)"
            return ("the store was rolled back or truncated: this machine saw entry \(seen) (head \(head)) but \(now); "
                    + "an admin who knows why runs `ketlog audit accept-rollback --reason TEXT`", .badData)
        case .witnessDamaged(let path):
            return ("the rollback witness \(path) is damaged; refusing to trust the store without it", .badData)
        case .checkpointRefused(let reason):
            return ("checkpoint refused: \(reason)", .badData)
        }
    }

    static func present(_ error: BackupError) -> (String, ExitStatus) {
        switch error {
        case .age(let age):
            switch age {
            case .noMatchingIdentity: return ("backup: \(AgeErrorText.describe(age))", .denied)
            case .io: return ("backup: \(AgeErrorText.describe(age))", .ioError)
            default: return ("backup: \(AgeErrorText.describe(age))", .badData)
            }
        case .notAStore(let detail): return ("backup: the payload is not a sound ketlog store (\(detail))", .badData)
        case .store(let store): return present(store)
        case .exists(let path): return ("\(path) exists; refusing to overwrite it (use --force)", .refusesOverwrite)
        case .io(let path, let detail): return ("\(path): \(detail)", .ioError)
        case .otherStore(let backup, let existing, let path):
            return ("backup: it is a backup of store \(backup), not of the store at \(path) (store \(existing)); "
                    + "a backup of another store is never written over a store", .badData)
        case .olderBackup(let ends, let missing, let head, let seenBy):
            let who = seenBy.map { "the store at \($0) holds" } ?? "this machine saw"
            return ("backup: it ends at entry \(ends) and does not hold entry \(missing) (head \(head)) that \(who): "
                    + "restoring it would roll the store back; pass --allow-rollback (with the store passphrase) if that is intended",
                    .badData)
        case .rollbackNeedsPassphrase:
            return ("backup: --allow-rollback needs the store passphrase: the rollback is recorded in the audit trail", .usage)
        }
    }

    static func present(_ error: ReportError) -> (String, ExitStatus) {
        switch error {
        case .invalidWeek: return ("--week: must be YYYY-Www (an ISO week that exists), last or this", .usage)
        case .invalidDate: return ("date: must be an ISO date YYYY-MM-DD", .usage)
        case .patientNotFound: return ("no such patient, or the patient is void", .badData)
        case .invalidParameter(let name): return ("--\(name.replacingOccurrences(of: "_", with: "-")): out of range", .usage)
        case .outOfRange(let name, let allowed):
            return ("--\(name): must be a whole number from \(allowed.lowerBound) to \(allowed.upperBound)", .usage)
        }
    }

    static func present(_ error: AgentError) -> (String, ExitStatus) {
        switch error {
        case .unsafeSocket(let path, let what, let owner, let mode):
            let reason = owner != getuid() ? "owned by uid \(owner), not you" : "mode " + String(format: "%04o", mode) + ", not " + (what == "socket" ? "0600" : "0700")
            return ("refusing the agent \(what) \(path): \(reason); nothing was sent to it (remove it, or set KETLOG_NO_AGENT=1)", .denied)
        case .gone(let detail):
            return ("the agent stopped answering during the command (\(detail)); nothing more was written: "
                    + "run `ketlog unlock` again, or give a passphrase source", .ioError)
        case .keysChanged(let user):
            return ("the agent for this store ended because the keys of \(user) changed (rekey, passwd or remove): "
                    + "run `ketlog unlock` again, or give a passphrase source", .denied)
        case .refused(let reason):
            return ("the agent refused the request: \(reason)", .denied)
        case .versionMismatch(let found):
            return ("the agent speaks protocol version \(found), not 1 (another ketlog started it): run `ketlog lock`", .failure)
        case .notRunning:
            return ("no agent holds this store", .notFound)
        case .startFailed(let detail):
            return ("the agent could not start: \(detail)", .failure)
        }
    }

    static func present(_ error: CLIError) -> (String, ExitStatus) {
        switch error {
        case .usage(let message): return (message, .usage)
        case .invalidField(let field, let allowed): return ("\(field): must be \(allowed)", .badData)
        case .missingValues(let names):
            return ("missing \(names.joined(separator: ", ")) (no terminal to ask on)", .usage)
        case .noPassphraseSource(let purpose):
            return ("no terminal to ask for \(purpose): use --password-file, --password-command, KETLOG_PASSWORD, "
                    + "KETLOG_PASSWORD_FILE or KETLOG_PASSWORD_COMMAND", .usage)
        case .passphraseMismatch: return ("the two passphrases differ", .usage)
        case .passwordCommandFailed(let status): return ("the password command failed (exit \(status))", .denied)
        case .passwordCommandUnusable(let problem): return ("the password command \(problem); it was stopped", .denied)
        case .toolFailed(let what, let status): return ("\(what) failed (exit \(status))", .failure)
        case .fileNotFound(let path): return ("\(path): no such file", .notFound)
        case .refusesOverwrite(let path): return ("\(path) exists; refusing to overwrite it", .refusesOverwrite)
        case .refusesReplace(let path, let reason): return ("\(path): \(reason)", .refusesOverwrite)
        case .io(let path, let detail): return ("\(path): \(detail)", .ioError)
        case .badInput(let line, let field, let problem): return ("line \(line): \(field): \(problem)", .badData)
        case .verificationFailed(let message): return (message, .badData)
        }
    }
}
