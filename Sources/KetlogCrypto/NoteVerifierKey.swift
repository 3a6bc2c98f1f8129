/// A signed-note verifier key (c2sp.org/signed-note): a key name, its 32-bit key ID and an
/// Ed25519 public key, written `<name>+<key ID, 8 hex digits>+<base64(0x01 ‖ public key)>`.
///
/// The key ID is the first four bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key), so any
/// signed-note tool given this string can check a note ketlog signed. Parsing follows Go's
/// golang.org/x/mod/sumdb/note `NewVerifier`, except that the base64 must be canonical.
public struct NoteVerifierKey: Sendable, Hashable, CustomStringConvertible {
    /// The signature type byte of Ed25519 in signed notes; the only type ketlog reads or writes.
    static let ed25519Type: UInt8 = 0x01

    public let name: String
    public let keyID: UInt32
    public let publicKey: Ed25519PublicKey

    /// The verifier key for `publicKey` under `name`; throws `malformedNoteKey` when `name` is
    /// empty or holds a plus sign or any Unicode space.
    public init(name: String, publicKey: Ed25519PublicKey) throws {
        guard Self.isValidName(name) else { throw CryptoError.malformedNoteKey }
        self.name = name
        self.publicKey = publicKey
        keyID = try Self.keyID(name: name, typedKey: [Self.ed25519Type] + publicKey.rawRepresentation)
    }

    /// Parses the string form. Throws `malformedNoteKey` for a bad name, a key ID that is not
    /// 8 hex digits or does not match the key, non-canonical base64, an algorithm other than
    /// Ed25519, or a key that is not 32 bytes.
    public init(parsing text: some StringProtocol) throws {
        let fields = Self.chop(text, count: 3)
        guard fields.count == 3, let keyID = Self.parseKeyID(fields[1]),
              let typedKey = Base64.decode(fields[2], padded: true), !typedKey.isEmpty
        else { throw CryptoError.malformedNoteKey }
        let name = String(decoding: fields[0], as: UTF8.self)
        // The ID covers the type byte too, so it is checked before the type, as Go's reference does.
        guard Self.isValidName(name), try Self.keyID(name: name, typedKey: typedKey) == keyID,
              typedKey[0] == Self.ed25519Type, typedKey.count == 1 + Ed25519PublicKey.length
        else { throw CryptoError.malformedNoteKey }
        try self.init(name: name, publicKey: Ed25519PublicKey(rawRepresentation: typedKey.dropFirst()))
    }

    /// The string form, `<name>+<hex key ID>+<base64>`.
    public var description: String {
        "\(name)+\(Self.hex(keyID))+\(Base64.encode([Self.ed25519Type] + publicKey.rawRepresentation, padded: true))"
    }

    /// True when `signature` is this key's Ed25519 signature of `message`.
    public func isValidSignature(_ signature: some ContiguousBytes, for message: some ContiguousBytes) -> Bool {
        publicKey.isValidSignature(signature, for: message)
    }

    /// The naming rule shared by keys and signature lines: non-empty, no `+`, no Unicode space
    /// (the White_Space property, which is what Go's `unicode.IsSpace` tests).
    static func isValidName(_ name: some StringProtocol) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace }
    }

    /// SHA-256(name ‖ "\n" ‖ type byte ‖ key)[0..<4], big-endian.
    static func keyID(name: String, typedKey: [UInt8]) throws -> UInt32 {
        let digest = try SHA256.hash(Array(name.utf8) + [UInt8(ascii: "\n")] + typedKey)
        return digest[0..<4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Exactly 8 hex digits, either case (Go's `strconv.ParseUint(s, 16, 32)` with a length check;
    /// Swift's own parser would also take a sign, which Go's does not).
    static func parseKeyID(_ text: ArraySlice<UInt8>) -> UInt32? {
        let isHexDigit = { (byte: UInt8) in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        }
        guard text.count == 8, text.allSatisfy(isHexDigit) else { return nil }
        return UInt32(String(decoding: text, as: UTF8.self), radix: 16)
    }

    /// Lowercase, zero-padded to 8 digits.
    static func hex(_ keyID: UInt32) -> String {
        let digits = String(keyID, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// Splits the UTF-8 bytes at the first `count - 1` plus signs; the last field keeps any
    /// further ones (base64 uses `+`). Fewer plus signs give fewer fields. Bytes, not Characters,
    /// as in Go: a `+` followed by a combining mark is still a separator, and no field compares
    /// equal to a different spelling of the same text.
    static func chop(_ text: some StringProtocol, count: Int) -> [ArraySlice<UInt8>] {
        Array(text.utf8).split(separator: UInt8(ascii: "+"), maxSplits: count - 1, omittingEmptySubsequences: false)
    }
}
