import KetlogCrypto
import XCTest

final class Ed25519Tests: XCTestCase {
    func testKnownAnswers() throws {
        let entries = try VectorFile(named: "ed25519-rfc8032").entries
        XCTAssertEqual(entries.count, 5)
        for entry in entries {
            let seed = SecureBytes(try entry.bytes("Seed")), expectedPublicKey = try entry.bytes("PublicKey")
            let message = try entry.bytes("Message"), expected = try entry.bytes("Signature")
            let key = try Ed25519PrivateKey(seed: seed)
            XCTAssertEqual(key.publicKey.rawRepresentation, expectedPublicKey, entry.name)
            XCTAssertEqual(try key.signature(for: message), expected, entry.name)

            let publicKey = try Ed25519PublicKey(rawRepresentation: expectedPublicKey)
            XCTAssertTrue(publicKey.isValidSignature(expected, for: message), entry.name)
            // One flipped bit anywhere must fail: in the message, the signature, or the key.
            if !message.isEmpty {
                XCTAssertFalse(publicKey.isValidSignature(expected, for: flipped(message, bit: message.count * 8 - 1)), entry.name)
            }
            XCTAssertFalse(publicKey.isValidSignature(expected, for: message + [0]), entry.name)
            for bit in [0, 255, 256, 511] {
                XCTAssertFalse(publicKey.isValidSignature(flipped(expected, bit: bit), for: message), "\(entry.name) bit \(bit)")
            }
            for bit in [0, 128, 254] {
                let otherKey = try Ed25519PublicKey(rawRepresentation: flipped(expectedPublicKey, bit: bit))
                XCTAssertFalse(otherKey.isValidSignature(expected, for: message), "\(entry.name) key bit \(bit)")
            }
        }
    }

    func testGeneratedKeySignsAndItsSeedRestoresIt() throws {
        let key = try Ed25519PrivateKey()
        XCTAssertEqual(key.seed.count, 32)
        let message = Array("ketlog audit entry 1".utf8)
        let signature = try key.signature(for: message)
        XCTAssertEqual(signature.count, 64)
        XCTAssertTrue(key.publicKey.isValidSignature(signature, for: message))

        let restored = try Ed25519PrivateKey(seed: key.seed)
        XCTAssertEqual(restored.publicKey, key.publicKey)
        XCTAssertEqual(try restored.signature(for: message), signature, "Ed25519 signatures are deterministic")

        let other = try Ed25519PrivateKey()
        XCTAssertNotEqual(other.publicKey, key.publicKey)
        XCTAssertFalse(other.publicKey.isValidSignature(signature, for: message))
    }

    func testWrongLengthsAreRefusedOrFalse() throws {
        XCTAssertThrowsError(try Ed25519PrivateKey(seed: SecureBytes([UInt8](repeating: 1, count: 31)))) {
            XCTAssertEqual($0 as? CryptoError, .invalidLength)
        }
        XCTAssertThrowsError(try Ed25519PublicKey(rawRepresentation: [UInt8](repeating: 1, count: 33))) {
            XCTAssertEqual($0 as? CryptoError, .invalidLength)
        }
        let key = try Ed25519PrivateKey()
        let signature = try key.signature(for: [UInt8]())
        XCTAssertTrue(key.publicKey.isValidSignature(signature, for: [UInt8]()))
        XCTAssertFalse(key.publicKey.isValidSignature(Array(signature.dropLast()), for: [UInt8]()))
        XCTAssertFalse(key.publicKey.isValidSignature(signature + [0], for: [UInt8]()))
        XCTAssertFalse(key.publicKey.isValidSignature([UInt8](), for: [UInt8]()))
    }

    private func flipped(_ bytes: [UInt8], bit: Int) -> [UInt8] {
        var copy = bytes
        copy[bit / 8] ^= 1 << UInt8(bit % 8)
        return copy
    }
}
