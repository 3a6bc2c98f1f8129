import AgeFormat
import Foundation
import KetlogCrypto
import XCTest

/// AgeFormat against the reference Go `age` binary, in both directions.
final class InteropTests: XCTestCase {
    /// Empty, one byte, 200 KiB (three chunks, short last), and exactly two full chunks.
    static let sizes = [0, 1, 200 * 1024, 2 * 65536]

    private var tool: AgeTool!

    override func setUpWithError() throws {
        tool = try AgeTool()
    }

    override func tearDown() {
        tool?.remove()
    }

    func testAgeDecryptsWhatWeEncryptToX25519() throws {
        let identity = try AgeIdentity.generateX25519()
        let keyFile = try tool.write("key.txt", Array("# test key\n\(try XCTUnwrap(identity.encoded))\n".utf8))
        for armor in [false, true] {
            for size in Self.sizes {
                let plaintext = RoundTripTests.pattern(size, seed: 7)
                let sealed = try tool.write("sealed", try AgeEncryptor(recipients: [identity.recipient()], armor: armor).encrypt(plaintext))
                // stdout rather than -o: age creates an -o file only when it writes something.
                let opened = try tool.run("age", ["-d", "-i", keyFile.path, sealed.path])
                XCTAssertTrue(opened == plaintext, "size \(size) armor \(armor): got \(opened.count) bytes")
            }
        }
    }

    func testWeDecryptWhatAgeEncryptsToX25519() throws {
        let keyFile = tool.file("key.txt")
        try tool.run("age-keygen", ["-o", keyFile.path])
        let identities = try AgeIdentity.parseIdentityFile(String(decoding: try tool.read("key.txt"), as: UTF8.self))
        XCTAssertEqual(identities.count, 1)
        // Our Bech32 recipient encoding must match age-keygen's for the same key.
        let recipient = String(decoding: try tool.run("age-keygen", ["-y", keyFile.path]), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(try identities[0].recipient().encoded, recipient)
        for armor in [false, true] {
            for size in Self.sizes {
                let plaintext = RoundTripTests.pattern(size, seed: 9)
                let input = try tool.write("plain", plaintext)
                let sealed = try tool.run("age", ["-r", recipient] + (armor ? ["-a"] : []) + [input.path])
                XCTAssertEqual(sealed.starts(with: Array("-----BEGIN AGE ENCRYPTED FILE-----".utf8)), armor)
                let opened = try AgeDecryptor(identities: identities).decrypt(sealed)
                XCTAssertTrue(opened == plaintext, "size \(size) armor \(armor): got \(opened.count) bytes")
            }
        }
    }

    func testAgeDecryptsWhatWeEncryptWithAPassphrase() throws {
        let plaintext = RoundTripTests.pattern(200 * 1024, seed: 3)
        let passphrase = "clinic backup passphrase"
        let sealed = try AgeEncryptor(recipients: [.scrypt(passphrase: SecureBytes(Array(passphrase.utf8)), workFactor: 12)], armor: true)
            .encrypt(plaintext)
        let sealedFile = try tool.write("sealed", sealed)
        try tool.runWithTerminal(["-d", "-o", tool.file("opened").path, sealedFile.path], answers: [passphrase])
        XCTAssertEqual(try tool.read("opened"), plaintext)
    }

    func testWeDecryptWhatAgeEncryptsWithAPassphrase() throws {
        let plaintext = RoundTripTests.pattern(70_000, seed: 5)
        let passphrase = "another clinic passphrase"
        let input = try tool.write("plain", plaintext)
        try tool.runWithTerminal(["-p", "-o", tool.file("sealed").path, input.path], answers: [passphrase, passphrase])
        let sealed = try tool.read("sealed")
        let identity = AgeIdentity.scrypt(passphrase: SecureBytes(Array(passphrase.utf8)))
        XCTAssertEqual(try AgeDecryptor(identities: [identity]).decrypt(sealed), plaintext)
        XCTAssertThrowsError(try AgeDecryptor(identities: [.scrypt(passphrase: SecureBytes(Array("nope".utf8)))]).decrypt(sealed)) {
            XCTAssertEqual($0 as? AgeError, .noMatchingIdentity)
        }
    }
}
