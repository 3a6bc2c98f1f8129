/// What a user may do. Admins manage users; both roles enter and read records.
public enum Role: String, CaseIterable, Codable, Sendable {
    case admin
    case clinician
}
