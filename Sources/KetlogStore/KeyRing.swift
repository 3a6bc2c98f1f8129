import Foundation
import KetlogCrypto
import KetlogModel

/// The sub-keys derived from a store's data key with HKDF-SHA256, and the sealed-blob format.
///
/// Sealed blob (format 1): `0x01 ‖ nonce (12) ‖ AES-256-GCM ciphertext ‖ tag (16)`, with
/// associated data `"ketlog/v1/" ‖ table ‖ 0x00 ‖ row id (8, BE) ‖ version (8, BE) ‖
/// patient id (8, BE)`, so a blob moved to another row, replayed from another version, or a
/// session or score re-attached to another patient through the plain `patient_id` column fails
/// to open. A patient's own versions carry its own id; audit entries carry 0.
public final class KeyRing: @unchecked Sendable {
    static let blobVersion: UInt8 = 1
    static let overhead = 1 + AEADKey.nonceLength + AEADKey.tagLength

    private let sealKeyBytes: SecureBytes
    /// The cipher context of the thread that owns the store; `makeSealContext` gives others
    /// their own (a context must not be shared between threads).
    private let sealKey: AEADKey
    private let indexKey: SecureBytes
    let auditKey: SecureBytes

    /// Derives the sub-keys from the 32-byte data key.
    init(dataKey: SecureBytes) throws {
        sealKeyBytes = try HKDF.sha256(key: dataKey, info: Array("ketlog/v1/seal".utf8), length: 32)
        sealKey = try AEADKey(.aes256GCM, key: sealKeyBytes)
        indexKey = try HKDF.sha256(key: dataKey, info: Array("ketlog/v1/blind-index".utf8), length: 32)
        auditKey = try HKDF.sha256(key: dataKey, info: Array("ketlog/v1/audit".utf8), length: 32)
    }

    static func associatedData(table: String, id: Int64, version: Int64, patientID: Int64) -> [UInt8] {
        var aad = AssociatedData(table: table)
        aad.set(id: id, version: version, patientID: patientID)
        return aad.bytes
    }

    /// The associated data of one table's blobs, `"ketlog/v1/" ‖ table ‖ 0x00` then row id,
    /// version and patient id (8 bytes each, BE), which `set` rewrites in place: reading many
    /// rows of a table allocates it once.
    struct AssociatedData {
        private static let rowBytes = 24
        private(set) var bytes: [UInt8]

        init(table: String) {
            bytes = Array("ketlog/v1/".utf8) + Array(table.utf8) + [0] + [UInt8](repeating: 0, count: Self.rowBytes)
        }

        mutating func set(id: Int64, version: Int64, patientID: Int64) {
            let start = bytes.count - Self.rowBytes
            bytes.withUnsafeMutableBytes { raw in
                raw.storeBytes(of: UInt64(bitPattern: id).bigEndian, toByteOffset: start, as: UInt64.self)
                raw.storeBytes(of: UInt64(bitPattern: version).bigEndian, toByteOffset: start + 8, as: UInt64.self)
                raw.storeBytes(of: UInt64(bitPattern: patientID).bigEndian, toByteOffset: start + 16, as: UInt64.self)
            }
        }
    }

    /// A cipher context of its own for another thread.
    func makeSealContext() throws -> AEADKey {
        try AEADKey(.aes256GCM, key: sealKeyBytes)
    }

    /// Seals `plaintext` for row `id`, `version` of `table`, belonging to `patientID`, with the
    /// owning thread's context or `context`, and a nonce fresh from the CSPRNG (drawn in batches
    /// through `nonces` when given).
    func seal(_ plaintext: [UInt8], table: String, id: Int64, version: Int64, patientID: Int64,
              context: AEADKey? = nil, nonces: NoncePool? = nil) throws -> Data {
        let sealKey = context ?? self.sealKey
        let aad = Self.associatedData(table: table, id: id, version: version, patientID: patientID)
        // Written in place: version byte, a fresh random nonce, then ciphertext ‖ tag.
        var blob = Data(count: plaintext.count + Self.overhead)
        try blob.withUnsafeMutableBytes { out in
            out[0] = Self.blobVersion
            let nonce = UnsafeMutableRawBufferPointer(rebasing: out[1...AEADKey.nonceLength])
            if let nonces { try nonces.take(into: nonce) } else { try SecureRandom.fill(nonce) }
            try plaintext.withUnsafeBytes { p in
                try aad.withUnsafeBytes { a in
                    try sealKey.seal(nonce: UnsafeRawBufferPointer(nonce), plaintext: p, aad: a,
                                     into: UnsafeMutableRawBufferPointer(rebasing: out[(1 + AEADKey.nonceLength)...]))
                }
            }
        }
        return blob
    }

    /// Opens a blob sealed for row `id`, `version` of `table`, belonging to `patientID`, or throws
    /// `tamperedRecord`.
    func open(_ blob: [UInt8], table: String, id: Int64, version: Int64, patientID: Int64) throws -> [UInt8] {
        var aad = AssociatedData(table: table)
        return try blob.withUnsafeBytes { b in try open(b, table: table, id: id, version: version, patientID: patientID, aad: &aad) }
    }

    /// `open` of a blob read in place, with the owning thread's context or `context`; `aad` is
    /// this table's associated data, set here to the row's.
    func open(_ blob: UnsafeRawBufferPointer, table: String, id: Int64, version: Int64, patientID: Int64,
              context: AEADKey? = nil, aad: inout AssociatedData) throws -> [UInt8] {
        guard blob.count >= Self.overhead, blob[0] == Self.blobVersion else {
            throw StoreError.tamperedRecord(table: table, id: id, version: version)
        }
        let sealKey = context ?? self.sealKey
        aad.set(id: id, version: version, patientID: patientID)
        var plaintext = [UInt8](repeating: 0, count: blob.count - Self.overhead)
        do {
            try aad.bytes.withUnsafeBytes { a in
                try plaintext.withUnsafeMutableBytes { out in
                    try sealKey.open(nonce: UnsafeRawBufferPointer(rebasing: blob[1...AEADKey.nonceLength]),
                                     sealed: UnsafeRawBufferPointer(rebasing: blob[(1 + AEADKey.nonceLength)...]),
                                     aad: a, into: out)
                }
            }
        } catch {
            throw StoreError.tamperedRecord(table: table, id: id, version: version)
        }
        return plaintext
    }

    /// The blind index of a patient code: HMAC-SHA256 over the case-folded code.
    func patientCodeIndex(_ code: String) throws -> [UInt8] {
        try HMAC.sha256(key: indexKey, message: Array("patient-code\u{0}\(Rules.foldedCode(code))".utf8))
    }

    /// The audit MAC over `previous ‖ entry`.
    func auditMAC(previous: [UInt8], entry: [UInt8]) throws -> [UInt8] {
        try HMAC.sha256(key: auditKey, message: previous + entry)
    }
}

extension KeyRing {
    /// The MAC stored in `store_meta.key_check`: proves a data key belongs to this store.
    func keyCheck(storeID: [UInt8]) throws -> [UInt8] {
        try HMAC.sha256(key: auditKey, message: Array("ketlog/v1/key-check\u{0}".utf8) + storeID)
    }
}
