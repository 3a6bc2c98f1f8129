import Foundation
import KetlogCrypto
import XCTest

final class SignedNoteTests: XCTestCase {
    private var vectors: [VectorFile.Entry] = []

    override func setUpWithError() throws {
        vectors = try VectorFile(named: "signed-note-go").entries
    }

    private func entry(_ name: String) throws -> VectorFile.Entry {
        try XCTUnwrap(vectors.first { $0.name == name }, "no vector named \(name)")
    }

    private func verifier(named keyName: String) throws -> NoteVerifierKey {
        let entry = try XCTUnwrap(vectors.first { $0.fields["KeyName"] == keyName && $0.fields["VerifierKey"] != nil })
        return try NoteVerifierKey(parsing: entry.text("VerifierKey"))
    }

    // MARK: Go's key vectors

    func testGoKeysParseAndFormatBack() throws {
        for entry in vectors where entry.fields["KeyName"] != nil {
            let encoded = try entry.text("VerifierKey")
            let key = try NoteVerifierKey(parsing: encoded)
            XCTAssertEqual(key.name, try entry.text("KeyName"), entry.name)
            XCTAssertEqual(key.keyID, UInt32(try entry.text("KeyID"), radix: 16), entry.name)
            XCTAssertEqual(key.description, encoded, entry.name)
            XCTAssertEqual(try NoteVerifierKey(name: key.name, publicKey: key.publicKey), key, entry.name)

            guard let signerText = entry.fields["SignerKey"] else { continue }
            let signer = try NoteSignerKey(parsing: signerText)
            XCTAssertEqual(signer.verifierKey, key, entry.name)
            XCTAssertEqual(signer.encoded(), SecureBytes(Array(signerText.utf8)), entry.name)
        }
    }

    func testGoMalformedVerifierKeys() throws {
        for entry in vectors where entry.fields["BadVerifierKey"] != nil {
            assertMalformedVerifierKey(try entry.text("BadVerifierKey"), entry.name)
        }
        // As Go's TestNewVerifier: every proper substring, and every single-byte increment.
        let good = Array(try entry("PeterNeumann key").text("VerifierKey").utf8)
        for variant in Self.manglings(of: good) {
            assertMalformedVerifierKey(String(decoding: variant, as: UTF8.self), "mangled")
        }
    }

    func testGoMalformedSignerKeys() throws {
        let good = Array(try entry("PeterNeumann key").text("SignerKey").utf8)
        for variant in Self.manglings(of: good) {
            let text = String(decoding: variant, as: UTF8.self)
            XCTAssertThrowsError(try NoteSignerKey(parsing: text), "accepted \(text)") {
                XCTAssertEqual($0 as? CryptoError, .malformedNoteKey, text)
            }
        }
    }

    private func assertMalformedVerifierKey(_ text: String, _ message: String) {
        XCTAssertThrowsError(try NoteVerifierKey(parsing: text), "\(message): accepted \(text)") {
            XCTAssertEqual($0 as? CryptoError, .malformedNoteKey, text)
        }
    }

    /// Every substring but the whole, then the whole with each byte in turn incremented.
    private static func manglings(of bytes: [UInt8]) -> [[UInt8]] {
        var variants: [[UInt8]] = []
        for start in 0...bytes.count {
            for end in (start + 1)..<(bytes.count + 1) where start != 0 || end != bytes.count {
                variants.append(Array(bytes[start..<end]))
            }
        }
        for index in bytes.indices {
            var copy = bytes
            copy[index] &+= 1
            variants.append(copy)
        }
        return variants
    }

    func testKeyNamesFollowTheSpecification() throws {
        let publicKey = try Ed25519PrivateKey().publicKey
        for bad in ["", "a+b", "a b", "a\tb", "a\nb", "a\u{00A0}b", "a\u{2003}b", "a\u{2028}b", "a\u{3000}b", "a\u{0085}b"] {
            XCTAssertThrowsError(try NoteVerifierKey(name: bad, publicKey: publicKey), "accepted \(bad.debugDescription)") {
                XCTAssertEqual($0 as? CryptoError, .malformedNoteKey)
            }
        }
        for good in ["ketlog/0123abcd", "dr.müller", "a\u{200B}b"] {
            let key = try NoteVerifierKey(name: good, publicKey: publicKey)
            XCTAssertEqual(try NoteVerifierKey(parsing: key.description), key, good)
        }
    }

    // MARK: Go's note vectors

    func testGoSign() throws {
        let vector = try entry("Sign")
        let signer = try NoteSignerKey(parsing: vector.text("SignerKey"))
        let text = String(decoding: try vector.escaped("Text"), as: UTF8.self)
        let expected = String(decoding: try vector.escaped("Signed"), as: UTF8.self)
        var note = try SignedNote(text: text, signer: signer)
        XCTAssertEqual(note.formatted, expected)

        // Signing again with the same key replaces the signature rather than adding one.
        try note.addSignature(by: signer)
        XCTAssertEqual(note.formatted, expected)

        let parsed = try SignedNote(parsing: expected)
        XCTAssertEqual(parsed, note)
        XCTAssertEqual(parsed.text, text)

        let bad = try entry("Sign with short text")
        XCTAssertThrowsError(try SignedNote(text: bad.text("BadText"), signer: signer)) {
            XCTAssertEqual($0 as? CryptoError, .malformedNote)
        }
    }

    func testGoOpen() throws {
        let cases = vectors.filter { $0.name.hasPrefix("Open: ") }
        XCTAssertEqual(cases.count, 14)
        for vector in cases {
            let names = try vector.text("Verifiers")
            let verifiers = try names == "none" ? [] : names.split(separator: " ").map { try verifier(named: String($0)) }
            let outcome = Result { try SignedNote(parsing: vector.escaped("Note")).verify(with: verifiers) }
            if let expected = vector.fields["Verified"] {
                XCTAssertEqual(try outcome.get().map(\.keyName), expected.split(separator: " ").map(String.init), vector.name)
                continue
            }
            let errors: [String: CryptoError] = [
                "malformed": .malformedNote, "unverified": .unverifiedNote,
                "ambiguous": .ambiguousNoteKey, "invalid-signature": .authenticationFailure,
            ]
            let expected = try XCTUnwrap(errors[try vector.text("Error")], vector.name)
            XCTAssertThrowsError(try outcome.get(), vector.name) { XCTAssertEqual($0 as? CryptoError, expected, vector.name) }
        }
    }

    func testGoTooManySignatures() throws {
        let signed = try entry("Sign").escaped("Signed")
        let note = try SignedNote(parsing: signed)
        let line = note.signatures[0].line + "\n"
        let peter = try verifier(named: "PeterNeumann")
        let hundred = note.text + "\n" + String(repeating: line, count: 100)
        XCTAssertEqual(try SignedNote(parsing: hundred).verify(with: [peter]).count, 1)
        for verifiers in [[peter], []] {
            XCTAssertThrowsError(try SignedNote(parsing: hundred + line).verify(with: verifiers)) {
                XCTAssertEqual($0 as? CryptoError, .malformedNote)
            }
        }
    }

    func testNonCanonicalBase64IsMalformed() throws {
        let signed = String(decoding: try entry("Sign").escaped("Signed"), as: UTF8.self)
        // The signature's last character before '=' carries two unused bits; 'M' sets one.
        XCTAssertTrue(signed.hasSuffix("AM=\n"))
        XCTAssertThrowsError(try SignedNote(parsing: signed.replacingOccurrences(of: "AM=\n", with: "AN=\n"))) {
            XCTAssertEqual($0 as? CryptoError, .malformedNote)
        }
    }

    func testTextMayHoldBlankLinesAndTheLastOneSplits() throws {
        let signer = try NoteSignerKey(name: "ketlog/test", privateKey: Ed25519PrivateKey())
        let text = "first\n\n\u{2014} not a signature\n\n"
        let note = try SignedNote(text: text, signer: signer)
        let parsed = try SignedNote(parsing: note.formatted)
        XCTAssertEqual(parsed.text, text)
        XCTAssertEqual(try parsed.verify(with: [signer.verifierKey]).count, 1)
        XCTAssertThrowsError(try SignedNote(text: "tab\there\n", signer: signer)) {
            XCTAssertEqual($0 as? CryptoError, .malformedNote)
        }
    }

    func testCosignatures() throws {
        let log = try NoteSignerKey(name: "ketlog/store", privateKey: Ed25519PrivateKey())
        let witness = try NoteSignerKey(name: "witness.example/w1", privateKey: Ed25519PrivateKey())
        var note = try SignedNote(text: "hello\n", signer: log)
        try note.addSignature(by: witness)
        let parsed = try SignedNote(parsing: note.formatted)
        XCTAssertEqual(try parsed.verify(with: [log.verifierKey]).map(\.keyName), ["ketlog/store"])
        XCTAssertEqual(try parsed.verify(with: [witness.verifierKey]).map(\.keyName), ["witness.example/w1"])
        XCTAssertEqual(try parsed.verify(with: [witness.verifierKey, log.verifierKey]).map(\.keyName),
                       ["ketlog/store", "witness.example/w1"])
        // Same name, different key: an unknown key, so ignored, and nothing else verifies.
        let impostor = try NoteVerifierKey(name: "ketlog/store", publicKey: Ed25519PrivateKey().publicKey)
        XCTAssertThrowsError(try parsed.verify(with: [impostor])) { XCTAssertEqual($0 as? CryptoError, .unverifiedNote) }
    }

    // MARK: Checkpoints

    func testSignedCheckpointRoundTripAndTampering() throws {
        let signer = try NoteSignerKey(name: "alice", privateKey: Ed25519PrivateKey())
        let head = try SHA256.hash(Array("entry 1234".utf8))
        let checkpoint = try Checkpoint(origin: "ketlog/00112233445566778899aabbccddeeff", treeSize: 1234, rootHash: head)
        let formatted = try SignedNote(text: checkpoint.body, signer: signer).formatted
        XCTAssertTrue(formatted.hasPrefix("ketlog/00112233445566778899aabbccddeeff\n1234\n\(Base64.encode(head, padded: true))\n\n\u{2014} alice "))

        let note = try SignedNote(parsing: formatted)
        XCTAssertEqual(try note.verify(with: [signer.verifierKey]).count, 1)
        XCTAssertEqual(try Checkpoint(parsing: note.text), checkpoint)

        var otherHead = head
        otherHead[0] ^= 1
        let edits = [
            formatted.replacingOccurrences(of: "\n1234\n", with: "\n1235\n"),
            formatted.replacingOccurrences(of: Base64.encode(head, padded: true), with: Base64.encode(otherHead, padded: true)),
            formatted.replacingOccurrences(of: "ketlog/0011", with: "ketlog/0012"),
        ]
        for edited in edits {
            XCTAssertNotEqual(edited, formatted)
            XCTAssertThrowsError(try SignedNote(parsing: edited).verify(with: [signer.verifierKey])) {
                XCTAssertEqual($0 as? CryptoError, .authenticationFailure)
            }
        }
        let stranger = try NoteVerifierKey(name: "bob", publicKey: Ed25519PrivateKey().publicKey)
        XCTAssertThrowsError(try note.verify(with: [stranger])) { XCTAssertEqual($0 as? CryptoError, .unverifiedNote) }
    }

    func testCheckpointParsingIsStrict() throws {
        let hash = Base64.encode([UInt8](repeating: 7, count: 32), padded: true)
        let good = try Checkpoint(parsing: "example.com/log\n0\n\(hash)\nextension one\n")
        XCTAssertEqual(good.treeSize, 0)
        XCTAssertEqual(good.extensionLines, ["extension one"])
        XCTAssertEqual(good.body, "example.com/log\n0\n\(hash)\nextension one\n")
        XCTAssertEqual(try Checkpoint(parsing: "o\n18446744073709551615\n\(hash)\n").treeSize, UInt64.max)

        let short = Base64.encode([UInt8](repeating: 7, count: 31), padded: true)
        let bad = [
            "o\n1\n\(hash)", "o\n1\n", "\n1\n\(hash)\n", "o\n01\n\(hash)\n", "o\n00\n\(hash)\n", "o\n-1\n\(hash)\n",
            "o\n+1\n\(hash)\n", "o\n 1\n\(hash)\n", "o\n\n\(hash)\n", "o\n18446744073709551616\n\(hash)\n",
            "o\n1\n\(short)\n", "o\n1\n\(hash.dropLast())\n", "o\n1\n\(hash)\n\n", "o\n1\n\(hash)\next\n\n",
            "o\r\n1\n\(hash)\n", "o\n1\r\n\(hash)\n", "o\n\u{0661}\n\(hash)\n",
        ]
        for body in bad {
            XCTAssertThrowsError(try Checkpoint(parsing: body), "accepted \(body.debugDescription)") {
                XCTAssertEqual($0 as? CryptoError, .malformedCheckpoint)
            }
        }
        XCTAssertThrowsError(try Checkpoint(origin: "a\nb", treeSize: 1, rootHash: [UInt8](repeating: 0, count: 32)))
        XCTAssertThrowsError(try Checkpoint(origin: "o", treeSize: 1, rootHash: [UInt8](repeating: 0, count: 32), extensionLines: [""]))
    }

    // MARK: An independent implementation

    /// Python's `cryptography` (OpenSSL underneath, but its own key handling, base64 and note
    /// parsing written here) checks a note the Swift code signed, refuses it once edited, and
    /// signs a note of its own that the Swift code must accept.
    func testPythonCryptographyAgreesOnSignedNotes() throws {
        let probe = try Self.python(["-c", "import cryptography"])
        // A failure, not a skip: Scripts/bootstrap installs python3-cryptography, and an
        // independent check that silently did not run would prove nothing.
        guard probe.status == 0 else {
            return XCTFail("python3 -c 'import cryptography' failed (run Scripts/bootstrap, which installs python3-cryptography): "
                           + probe.output)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ketlog-note-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let signer = try NoteSignerKey(name: "ketlog/0011aabb", privateKey: Ed25519PrivateKey())
        let checkpoint = try Checkpoint(origin: "ketlog/0011aabb", treeSize: 42, rootHash: try SHA256.hash([1, 2, 3]))
        let formatted = try SignedNote(text: checkpoint.body, signer: signer).formatted
        let good = directory.appendingPathComponent("good.note"), edited = directory.appendingPathComponent("edited.note")
        try Data(formatted.utf8).write(to: good)
        try Data(formatted.replacingOccurrences(of: "\n42\n", with: "\n43\n").utf8).write(to: edited)

        let verifierKey = signer.verifierKey.description
        let accepted = try Self.python(["-c", Self.pythonVerifier, verifierKey, good.path])
        XCTAssertEqual(accepted.status, 0, accepted.output)
        XCTAssertEqual(accepted.output.trimmingCharacters(in: .whitespacesAndNewlines), "ok")
        let refused = try Self.python(["-c", Self.pythonVerifier, verifierKey, edited.path])
        XCTAssertNotEqual(refused.status, 0, refused.output)

        let made = try Self.python(["-c", Self.pythonSigner, "python.example/k1"])
        XCTAssertEqual(made.status, 0, made.output)
        let parts = made.output.components(separatedBy: "\u{0}")
        XCTAssertEqual(parts.count, 2, made.output)
        let theirs = try NoteVerifierKey(parsing: parts[0])
        let note = try SignedNote(parsing: parts[1])
        XCTAssertEqual(try note.verify(with: [theirs]).map(\.keyName), ["python.example/k1"])
        XCTAssertEqual(note.text, "made in python\n")
    }

    /// argv: verifier key, note file. Exits 0 and prints "ok" only if the key's signature verifies.
    private static let pythonVerifier = #"""
    import base64, hashlib, sys
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    name, key_id, key64 = sys.argv[1].split("+", 2)
    typed = base64.b64decode(key64, validate=True)
    assert typed[0] == 1 and len(typed) == 33, "not an Ed25519 verifier key"
    assert hashlib.sha256(name.encode() + b"\n" + typed).digest()[:4].hex() == key_id, "key ID mismatch"
    note = open(sys.argv[2], "rb").read()
    split = note.rindex(b"\n\n")
    text, lines = note[:split + 1], note[split + 2:].decode().splitlines()
    for line in lines:
        assert line.startswith("\u2014 "), "not a signature line"
        sig_name, sig64 = line[2:].split(" ", 1)
        raw = base64.b64decode(sig64, validate=True)
        if sig_name == name and raw[:4].hex() == key_id:
            Ed25519PublicKey.from_public_bytes(typed[1:]).verify(raw[4:], text)  # raises if forged
            print("ok")
            sys.exit(0)
    sys.exit("no signature by that key")
    """#

    /// argv: key name. Prints the verifier key, a NUL, and a note signed by a fresh key.
    private static let pythonSigner = #"""
    import base64, hashlib, sys
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    name = sys.argv[1]
    key = Ed25519PrivateKey.generate()
    typed = b"\x01" + key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key_id = hashlib.sha256(name.encode() + b"\n" + typed).digest()[:4]
    text = b"made in python\n"
    line = "\u2014 " + name + " " + base64.b64encode(key_id + key.sign(text)).decode() + "\n"
    sys.stdout.write(name + "+" + key_id.hex() + "+" + base64.b64encode(typed).decode() + "\0")
    sys.stdout.write(text.decode() + "\n" + line)
    """#

    private static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
