/// A signed-note signer key (c2sp.org/signed-note): a key name and an Ed25519 private key,
/// written `PRIVATE+KEY+<name>+<key ID, 8 hex digits>+<base64(0x01 ‖ 32-byte seed)>`.
///
/// The string form holds the seed, so it is a secret: ketlog stores the seed sealed and builds
/// this key from it; the string form exists for interoperability with other signed-note tools.
/// Parsing follows Go's golang.org/x/mod/sumdb/note `NewSigner`, except that the base64 must be
/// canonical.
public struct NoteSignerKey: Sendable {
    public let privateKey: Ed25519PrivateKey
    /// The public half, with the same name and key ID: what verifiers are given.
    public let verifierKey: NoteVerifierKey

    public var name: String { verifierKey.name }
    public var keyID: UInt32 { verifierKey.keyID }

    /// The signer key for `privateKey` under `name`; throws `malformedNoteKey` for a bad name.
    public init(name: String, privateKey: Ed25519PrivateKey) throws {
        self.privateKey = privateKey
        verifierKey = try NoteVerifierKey(name: name, publicKey: privateKey.publicKey)
    }

    /// Parses the string form. Throws `malformedNoteKey` when it does not start with
    /// `PRIVATE+KEY+`, for a bad name or key ID, non-canonical base64, an algorithm other than
    /// Ed25519, a seed that is not 32 bytes, or a key ID that does not match the derived public key.
    public init(parsing text: some StringProtocol) throws {
        let fields = NoteVerifierKey.chop(text, count: 5)
        guard fields.count == 5, fields[0].elementsEqual("PRIVATE".utf8), fields[1].elementsEqual("KEY".utf8),
              let keyID = NoteVerifierKey.parseKeyID(fields[3]),
              var typedSeed = Base64.decode(fields[4], padded: true), !typedSeed.isEmpty
        else { throw CryptoError.malformedNoteKey }
        let name = String(decoding: fields[2], as: UTF8.self)
        let seed = SecureBytes(typedSeed.dropFirst())
        let type = typedSeed[0]
        SecureBytes.wipe(&typedSeed)
        guard type == NoteVerifierKey.ed25519Type, seed.count == Ed25519PrivateKey.seedLength else {
            throw CryptoError.malformedNoteKey
        }
        // The ID names the public key, which only exists once the seed is expanded.
        try self.init(name: name, privateKey: Ed25519PrivateKey(seed: seed))
        guard self.keyID == keyID else { throw CryptoError.malformedNoteKey }
    }

    /// The string form, in wiped-on-release memory (UTF-8), since it contains the seed.
    public func encoded() -> SecureBytes {
        var typedSeed = [NoteVerifierKey.ed25519Type]
        typedSeed.reserveCapacity(1 + Ed25519PrivateKey.seedLength)
        privateKey.seed.withUnsafeBytes { typedSeed.append(contentsOf: $0) }
        var text = Array("PRIVATE+KEY+\(name)+\(NoteVerifierKey.hex(keyID))+".utf8)
        // Reserved up front so appending never moves the seed's base64 and leaves a copy behind.
        text.reserveCapacity(text.count + Base64.encodedLength(typedSeed.count, padded: true))
        typedSeed.withUnsafeBytes { Base64.encode($0, padded: true, into: &text) }
        let secret = SecureBytes(text)
        SecureBytes.wipe(&typedSeed)
        SecureBytes.wipe(&text)
        return secret
    }

    /// The Ed25519 signature of `text`'s UTF-8 bytes.
    func signature(for text: String) throws -> [UInt8] {
        try privateKey.signature(for: Array(text.utf8))
    }
}
