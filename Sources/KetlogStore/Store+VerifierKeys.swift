import Foundation
import GRDB
import KetlogCrypto

extension Store {
    /// Each user's signed-note verifier key (`name+<key ID>+base64(0x01 ‖ Ed25519 public key)`),
    /// from the key slot's public key: no passphrase needed. Users still on a format-1 slot have
    /// none. Every unlock and `audit verify` check the slots against the signed chain.
    public func verifierKeys() throws -> [String: NoteVerifierKey] {
        try database.readMapped { db in
            var keys: [String: NoteVerifierKey] = [:]
            for slot in try KeySlot.fetchAll(db) {
                guard let raw = slot.ed25519Public, let publicKey = try? Ed25519PublicKey(rawRepresentation: Array(raw)) else {
                    continue
                }
                keys[slot.userName] = try NoteVerifierKey(name: slot.userName, publicKey: publicKey)
            }
            return keys
        }
    }
}
