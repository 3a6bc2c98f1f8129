/// What an audit entry records. The raw value is what the entry stores and `audit log` shows.
public enum AuditAction: Sendable, Hashable, CustomStringConvertible {
    /// The store was created with its first admin.
    case initialize
    case userAdd, userPasswd, userRemove
    /// An admin changed a user's role.
    case userRole
    /// A user registered key pairs at their first unlock after the store's upgrade to format 2.
    case userKeys
    /// An admin's unlock upgraded a format-1 store to per-user keys (format 2).
    case storeUpgrade
    /// An admin made a new data key and re-sealed everything under it.
    case rekey
    /// A record was created, amended or voided.
    case record(RecordKind, RecordChange)
    /// An import of one kind (all rows in one entry).
    case importRecords(RecordKind)
    case backupExport, backupRestore
    /// Clinical data written out of the store (an export, a report's `--output`): what, how many
    /// patients and records, where to, why — an accounting of disclosures (42 CFR Part 2).
    case disclosure
    /// An admin accepted that the store is older than this machine's rollback witness (a copy
    /// put back, a backup restored with `--allow-rollback`), with their reason.
    case acceptRollback

    /// How a record changed.
    public enum RecordChange: String, Sendable, CaseIterable {
        case add, amend, void
    }

    /// The stored spelling: `init`, `user.add`, `session.amend`, `import.scores`, `backup.export`, …
    public var rawValue: String {
        switch self {
        case .initialize: return "init"
        case .userAdd: return "user.add"
        case .userPasswd: return "user.passwd"
        case .userRemove: return "user.remove"
        case .userRole: return "user.role"
        case .userKeys: return "user.keys"
        case .storeUpgrade: return "store.upgrade"
        case .rekey: return "store.rekey"
        case .record(let kind, let change): return "\(kind.rawValue).\(change.rawValue)"
        case .importRecords(let kind): return "import.\(Self.importNoun(kind))"
        case .backupExport: return "backup.export"
        case .backupRestore: return "backup.restore"
        case .disclosure: return "disclosure"
        case .acceptRollback: return "audit.accept-rollback"
        }
    }

    /// Parses a stored spelling; nil for one this ketlog does not know.
    public init?(rawValue: String) {
        switch rawValue {
        case "init": self = .initialize
        case "user.add": self = .userAdd
        case "user.passwd": self = .userPasswd
        case "user.remove": self = .userRemove
        case "user.role": self = .userRole
        case "user.keys": self = .userKeys
        case "store.upgrade": self = .storeUpgrade
        case "store.rekey": self = .rekey
        case "backup.export": self = .backupExport
        case "backup.restore": self = .backupRestore
        case "disclosure": self = .disclosure
        case "audit.accept-rollback": self = .acceptRollback
        default:
            let parts = rawValue.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            if parts[0] == "import", let kind = RecordKind.allCases.first(where: { Self.importNoun($0) == parts[1] }) {
                self = .importRecords(kind)
            } else if let kind = RecordKind(rawValue: parts[0]), let change = RecordChange(rawValue: parts[1]) {
                self = .record(kind, change)
            } else {
                return nil
            }
        }
    }

    public var description: String { rawValue }

    /// Whether the entry changes who may do what (its grants are the chain's membership).
    public var changesMembership: Bool {
        switch self {
        case .initialize, .userAdd, .userPasswd, .userRemove, .userRole, .userKeys, .storeUpgrade, .rekey: return true
        case .record, .importRecords, .backupExport, .backupRestore, .disclosure, .acceptRollback: return false
        }
    }

    /// The change a record-writing action made, if it is one.
    public var recordChange: RecordChange? {
        if case .record(_, let change) = self { return change }
        return nil
    }

    /// Imports are named by the plural the `--kind` option uses.
    private static func importNoun(_ kind: RecordKind) -> String {
        switch kind {
        case .patient: return "patients"
        case .session: return "sessions"
        case .score: return "scores"
        case .vitals: return "vitals"
        case .screen: return "screens"
        case .day: return "days"
        }
    }
}
