import KetlogCrypto
import XCTest

final class X25519Tests: XCTestCase {
    private static let basePoint = [9] + [UInt8](repeating: 0, count: 31)

    func testKnownAnswers() throws {
        for entry in try VectorFile(named: "x25519").entries {
            let scalar = SecureBytes(try entry.bytes("Scalar")), u = try entry.bytes("U"), output = try entry.bytes("Output")
            XCTAssertEqual(try X25519.sharedSecret(privateKey: scalar, publicKey: u).unsafeArray, output, entry.name)
            if u == Self.basePoint {
                XCTAssertEqual(try X25519.publicKey(for: scalar), output, entry.name)
            }
        }
    }

    func testRejectsLowOrderPoint() throws {
        let key = try X25519.generatePrivateKey()
        XCTAssertThrowsError(try X25519.sharedSecret(privateKey: key, publicKey: [UInt8](repeating: 0, count: 32))) {
            XCTAssertEqual($0 as? CryptoError, .invalidParameter)
        }
    }
}
