/// A signed note (c2sp.org/signed-note): a text, a blank line, and one or more signature lines
/// `— <key name> <base64(key ID ‖ signature)>`, signed with Ed25519 (signature type 0x01).
///
/// Parsing checks only the form; the text must be ignored until `verify(with:)` has returned.
/// It rejects what Go's golang.org/x/mod/sumdb/note `Open` rejects as malformed: invalid UTF-8,
/// an ASCII control character other than newline, no blank line before the signatures, a
/// signature block not ending in a newline, a line that is not a signature, a bad key name,
/// a signature shorter than five bytes, more than 100 signatures. It also rejects base64 that is
/// not canonical, which Go accepts. As the specification allows, the text may itself contain
/// blank lines: the last blank line in the note is the one before the signatures.
public struct SignedNote: Sendable, Equatable {
    /// One signature line, as parsed; it says nothing until `verify(with:)` checked it.
    public struct Signature: Sendable, Hashable {
        public let keyName: String
        public let keyID: UInt32
        /// The signature without its key ID (64 bytes for Ed25519; other types differ).
        public let bytes: [UInt8]

        /// The line without its newline: `— <key name> <base64>`.
        public var line: String {
            let idBytes = (0..<4).map { UInt8(truncatingIfNeeded: keyID >> (24 - 8 * $0)) }
            return "\(SignedNote.signaturePrefix)\(keyName) \(Base64.encode(idBytes + bytes, padded: true))"
        }
    }

    /// More signatures than this make a note malformed, so a reader never spends unbounded work
    /// (the specification asks verifiers to accept at least 16; Go's reference stops at 100).
    public static let maximumSignatures = 100
    /// Em dash (U+2014) and a space.
    static let signaturePrefix = "\u{2014} "

    /// The signed text, ending in a newline.
    public let text: String
    /// Every signature line in order, duplicates and unknown keys included. Never empty.
    public private(set) var signatures: [Signature]

    /// Signs `text` with `signer`. Throws `malformedNote` unless `text` ends in a newline and
    /// holds no control character other than newline (what a reader would refuse).
    public init(text: String, signer: NoteSignerKey) throws {
        try self.init(text: text, verifierKey: signer.verifierKey, signature: signer.signature(for:))
    }

    /// Signs `text` through `signature`, which returns the Ed25519 signature of the text's UTF-8
    /// bytes by `verifierKey`'s private half held elsewhere (the unlock agent). Same checks.
    public init(text: String, verifierKey: NoteVerifierKey, signature: (String) throws -> [UInt8]) throws {
        guard text.utf8.last == UInt8(ascii: "\n"), Self.hasOnlyAllowedCharacters(text) else {
            throw CryptoError.malformedNote
        }
        self.text = text
        let bytes = try signature(text)
        guard verifierKey.publicKey.isValidSignature(bytes, for: Array(text.utf8)) else { throw CryptoError.malformedNote }
        signatures = [Signature(keyName: verifierKey.name, keyID: verifierKey.keyID, bytes: bytes)]
    }

    /// Parses a note read from a file or a stream; see the type's summary for what is refused
    /// (always as `malformedNote`).
    public init(parsing note: [UInt8]) throws {
        guard let whole = String(validating: note, as: UTF8.self), Self.hasOnlyAllowedCharacters(whole),
              let split = Self.lastBlankLine(in: note)
        else { throw CryptoError.malformedNote }
        let block = note[(split + 2)...]
        guard block.last == UInt8(ascii: "\n") else { throw CryptoError.malformedNote }
        let lines = block.dropLast().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.count <= Self.maximumSignatures else { throw CryptoError.malformedNote }
        text = String(decoding: note[...split], as: UTF8.self)
        signatures = try lines.map(Self.parseSignatureLine)
    }

    /// Parses a note held as a string.
    public init(parsing note: some StringProtocol) throws {
        try self.init(parsing: Array(note.utf8))
    }

    /// Adds `signer`'s signature (a cosignature), replacing any earlier one by the same key
    /// name and ID.
    public mutating func addSignature(by signer: NoteSignerKey) throws {
        let signature = try Self.signature(of: text, by: signer)
        let replaced = KeyReference(name: signer.name, keyID: signer.keyID)
        signatures.removeAll { KeyReference(name: $0.keyName, keyID: $0.keyID) == replaced }
        signatures.append(signature)
    }

    /// The note as written: text, blank line, one line per signature.
    public var formatted: String {
        text + "\n" + signatures.map { $0.line + "\n" }.joined()
    }

    /// Checks the signatures against `verifiers` and returns those that verified, in note order,
    /// once per key. Signatures whose key name and ID match no verifier are ignored, as the
    /// specification requires. Throws `authenticationFailure` when a signature from a known key
    /// fails (the whole note is then rejected), `ambiguousNoteKey` when a signature's name and
    /// ID match more than one verifier, and `unverifiedNote` when no known key signed.
    public func verify(with verifiers: [NoteVerifierKey]) throws -> [Signature] {
        let known = Dictionary(grouping: verifiers) { KeyReference(name: $0.name, keyID: $0.keyID) }
        var verified: [Signature] = []
        var seen: Set<KeyReference> = []
        let message = Array(text.utf8)
        for signature in signatures {
            let reference = KeyReference(name: signature.keyName, keyID: signature.keyID)
            guard let candidates = known[reference] else { continue }
            guard candidates.count == 1 else { throw CryptoError.ambiguousNoteKey }
            // A key's first signature decides; later repeats of it are not looked at, as in Go.
            guard seen.insert(reference).inserted else { continue }
            guard candidates[0].isValidSignature(signature.bytes, for: message) else {
                throw CryptoError.authenticationFailure
            }
            verified.append(signature)
        }
        guard !verified.isEmpty else { throw CryptoError.unverifiedNote }
        return verified
    }

    /// A key name and ID; the name compared as UTF-8 bytes, as the key ID was computed over
    /// them, not by Swift's canonical equivalence of strings.
    private struct KeyReference: Hashable {
        let name: [UInt8]
        let keyID: UInt32

        init(name: String, keyID: UInt32) {
            self.name = Array(name.utf8)
            self.keyID = keyID
        }
    }

    private static func signature(of text: String, by signer: NoteSignerKey) throws -> Signature {
        Signature(keyName: signer.name, keyID: signer.keyID, bytes: try signer.signature(for: text))
    }

    /// Newline is the only control character a note may hold.
    private static func hasOnlyAllowedCharacters(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 0x20 || $0 == "\n" }
    }

    /// The index of the first newline of the last "\n\n".
    private static func lastBlankLine(in note: [UInt8]) -> Int? {
        var index = note.count - 2
        while index >= 0 {
            if note[index] == UInt8(ascii: "\n"), note[index + 1] == UInt8(ascii: "\n") { return index }
            index -= 1
        }
        return nil
    }

    /// Works on bytes, as Go's reference does: a space followed by a combining mark still ends
    /// the name, where Swift's Characters would join the two.
    private static func parseSignatureLine(_ line: ArraySlice<UInt8>) throws -> Signature {
        let prefix = Array(signaturePrefix.utf8)
        guard line.starts(with: prefix) else { throw CryptoError.malformedNote }
        let parts = line.dropFirst(prefix.count).split(separator: UInt8(ascii: " "), maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(decoding: parts[0], as: UTF8.self)
        guard parts.count == 2, NoteVerifierKey.isValidName(name),
              let decoded = Base64.decode(parts[1], padded: true), decoded.count >= 5
        else { throw CryptoError.malformedNote }
        let keyID = decoded[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return Signature(keyName: name, keyID: keyID, bytes: Array(decoded[4...]))
    }
}
