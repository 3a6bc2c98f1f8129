/// What `ketlog status` prints: nothing clinical, nothing secret.
public struct StoreStatus: Sendable, Codable {
    public struct User: Sendable, Codable {
        public let name: String
        public let role: Role
    }

    public let path: String
    /// `store_meta.store_id` in hex: names the store in witnesses, checkpoints and backups.
    public let storeID: String?
    public let formatVersion: Int
    public let users: [User]
    public let patients: Int
    public let sessions: Int
    public let scores: Int
    /// Records of the kinds format 3 added (0 in a store not yet migrated).
    public let vitals: Int
    public let screens: Int
    public let days: Int
    public let auditEntries: Int
    /// The first 16 hex digits of the newest audit MAC.
    public let auditHead: String?
}
