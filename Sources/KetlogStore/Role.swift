/// What a user may do. Admins manage users and do everything; clinicians enter, amend, void and
/// read records; reporters only read (reports, `audit`, `backup export`): the least privilege a
/// cron job's passphrase file should carry.
public enum Role: String, CaseIterable, Codable, Sendable {
    case admin
    case clinician
    case reporter

    /// Whether the role may create, amend or void records, or import them.
    public var mayWriteRecords: Bool { self != .reporter }
    /// Whether the role may add, remove or re-role users, reset their passphrases, or rekey.
    public var mayManageUsers: Bool { self == .admin }
}
