import KetlogCrypto
import XCTest

final class ScryptTests: XCTestCase {
    func testKnownAnswers() throws {
        for entry in try VectorFile(named: "scrypt").entries {
            let derived = try Scrypt.derive(password: entry.bytes("Password"), salt: entry.bytes("Salt"),
                                            logN: entry.int("LogN"), r: entry.int("R"), p: entry.int("P"),
                                            length: entry.bytes("DK").count)
            XCTAssertEqual(derived.unsafeArray, try entry.bytes("DK"), entry.name)
        }
    }

    func testRefusesWorkFactorAbove22() {
        XCTAssertThrowsError(try Scrypt.derive(password: [UInt8](), salt: [], logN: 23)) {
            XCTAssertEqual($0 as? CryptoError, .invalidParameter)
        }
        XCTAssertThrowsError(try Scrypt.derive(password: [UInt8](), salt: [], logN: 0)) {
            XCTAssertEqual($0 as? CryptoError, .invalidParameter)
        }
    }
}
