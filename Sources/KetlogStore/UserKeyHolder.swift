import Foundation
import KetlogCrypto

/// Whatever holds a user's private keys while the store is unlocked: `UserKeys` in this
/// process (after the KDF), or the unlock agent in another (`KetlogAgent`), which unwraps the
/// data key and signs for its client without handing the private keys out. Audit entries and
/// checkpoints are signed through this, so they are the same bytes either way (Ed25519 is
/// deterministic).
public protocol UserKeyHolder: Sendable {
    /// The X25519 public key the store's data key is wrapped to.
    var agreementPublic: [UInt8] { get }
    /// The Ed25519 public key that verifies the user's signatures.
    var signingPublic: [UInt8] { get }
    /// Opens the slot's wrap of the data key (`UserKeys.wrap`).
    func unwrapDataKey(_ wrap: [UInt8], userName: String) throws -> SecureBytes
    /// Signs an audit entry's message, which starts with `UserKeys.auditSignatureContext`.
    func signAuditEntry(_ message: [UInt8]) throws -> [UInt8]
    /// Signs a signed-note checkpoint's text (c2sp.org/signed-note: the text's UTF-8 bytes).
    func signNote(_ text: String) throws -> [UInt8]
}

extension UserKeys: UserKeyHolder {
    /// What every audit entry's signed message starts with; a holder signs nothing else as an entry.
    public static var auditSignatureContext: [UInt8] { Roster.signatureContext }

    /// What every checkpoint's text starts with (its origin line is `ketlog/<store id>`).
    public static let checkpointPrefix = "ketlog/"

    public func unwrapDataKey(_ wrap: [UInt8], userName: String) throws -> SecureBytes {
        try unwrap(wrap, userName: userName)
    }

    public func signAuditEntry(_ message: [UInt8]) throws -> [UInt8] {
        try signing.signature(for: message)
    }

    public func signNote(_ text: String) throws -> [UInt8] {
        try signing.signature(for: Array(text.utf8))
    }
}
