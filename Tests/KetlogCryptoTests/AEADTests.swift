import KetlogCrypto
import XCTest

final class AEADTests: XCTestCase {
    private func runVectors(_ file: String, _ algorithm: AEADKey.Algorithm) throws {
        for entry in try VectorFile(named: file).entries {
            let key = try AEADKey(algorithm, key: SecureBytes(try entry.bytes("Key")))
            let nonce = try entry.bytes("IV"), aad = try entry.bytes("AAD")
            let sealed = try entry.bytes("CT") + entry.bytes("Tag")
            switch entry.fields["Result"] {
            case "pass":
                XCTAssertEqual(try key.seal(nonce: nonce, plaintext: entry.bytes("PT"), aad: aad), sealed, entry.name)
                XCTAssertEqual(try key.open(nonce: nonce, sealed: sealed, aad: aad), try entry.bytes("PT"), entry.name)
            case "fail":
                XCTAssertThrowsError(try key.open(nonce: nonce, sealed: sealed, aad: aad), entry.name) {
                    XCTAssertEqual($0 as? CryptoError, .authenticationFailure, entry.name)
                }
            default:
                XCTFail("\(entry.name): Result must be pass or fail")
            }
        }
    }

    func testAES256GCMKnownAnswers() throws { try runVectors("aes-256-gcm", .aes256GCM) }

    func testChaCha20Poly1305KnownAnswers() throws { try runVectors("chacha20-poly1305", .chacha20Poly1305) }

    /// Flipping any single bit of ciphertext, tag or associated data must make open fail.
    func testBitFlipsFailAuthentication() throws {
        for algorithm in [AEADKey.Algorithm.aes256GCM, .chacha20Poly1305] {
            let key = try AEADKey(algorithm, key: SecureBytes.random(count: 32))
            let nonce = try SecureRandom.bytes(12), aad = Array("patients/42/v3".utf8)
            let plaintext = Array("craving 7, use days 12 of 28".utf8)
            let sealed = try key.seal(nonce: nonce, plaintext: plaintext, aad: aad)
            XCTAssertEqual(try key.open(nonce: nonce, sealed: sealed, aad: aad), plaintext)
            for bit in [0, 7, plaintext.count * 8 - 1, plaintext.count * 8, sealed.count * 8 - 1] {
                var tampered = sealed
                tampered[bit / 8] ^= 1 << UInt8(bit % 8)
                XCTAssertThrowsError(try key.open(nonce: nonce, sealed: tampered, aad: aad), "\(algorithm) bit \(bit)") {
                    XCTAssertEqual($0 as? CryptoError, .authenticationFailure)
                }
            }
            var tamperedAAD = aad
            tamperedAAD[3] ^= 0x20
            XCTAssertThrowsError(try key.open(nonce: nonce, sealed: sealed, aad: tamperedAAD)) {
                XCTAssertEqual($0 as? CryptoError, .authenticationFailure)
            }
            XCTAssertThrowsError(try key.open(nonce: nonce, sealed: sealed, aad: [])) {
                XCTAssertEqual($0 as? CryptoError, .authenticationFailure)
            }
            XCTAssertThrowsError(try key.open(nonce: nonce, sealed: Array(sealed.dropLast()), aad: aad)) {
                XCTAssertEqual($0 as? CryptoError, .authenticationFailure)
            }
        }
    }

    func testRejectsWrongKeyLength() {
        XCTAssertThrowsError(try AEADKey(.aes256GCM, key: SecureBytes([UInt8](repeating: 1, count: 16)))) {
            XCTAssertEqual($0 as? CryptoError, .invalidLength)
        }
    }

    /// One key object keys its context once per direction and then only changes nonces: sealing
    /// and opening interleaved (and after a failed open) must give what fresh keys give.
    func testReusedKeyMatchesFreshKeysAcrossDirectionsAndFailures() throws {
        for algorithm in [AEADKey.Algorithm.aes256GCM, .chacha20Poly1305] {
            let keyBytes = try SecureBytes.random(count: 32)
            let reused = try AEADKey(algorithm, key: keyBytes)
            for round in 0..<20 {
                let nonce = try SecureRandom.bytes(12)
                let message = Array("record \(round) ".utf8) + (try SecureRandom.bytes(round * 7))
                let aad = Array("row \(round)".utf8)
                let sealed = try reused.seal(nonce: nonce, plaintext: message, aad: aad)
                XCTAssertEqual(sealed, try AEADKey(algorithm, key: keyBytes).seal(nonce: nonce, plaintext: message, aad: aad))
                if round % 3 == 0 {
                    var damaged = sealed
                    damaged[damaged.count - 1] ^= 1
                    XCTAssertThrowsError(try reused.open(nonce: nonce, sealed: damaged, aad: aad))
                }
                XCTAssertEqual(try reused.open(nonce: nonce, sealed: sealed, aad: aad), message)
            }
        }
    }
}
