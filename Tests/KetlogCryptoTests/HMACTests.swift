import KetlogCrypto
import XCTest

final class HMACTests: XCTestCase {
    func testKnownAnswers() throws {
        for entry in try VectorFile(named: "hmac-sha256").entries {
            let key = try entry.bytes("Key"), data = try entry.bytes("Data"), mac = try entry.bytes("MAC")
            XCTAssertEqual(try HMAC.sha256(key: key, message: data), mac, entry.name)
            XCTAssertTrue(try HMAC.verifySHA256(tag: mac, key: key, message: data), entry.name)
            var wrong = mac
            wrong[31] ^= 1
            XCTAssertFalse(try HMAC.verifySHA256(tag: wrong, key: key, message: data), entry.name)
        }
    }
}
