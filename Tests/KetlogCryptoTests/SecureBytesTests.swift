import KetlogCrypto
import XCTest

final class SecureBytesTests: XCTestCase {
    func testEqualityComparesContentsAndLength() throws {
        let bytes: [UInt8] = [1, 2, 3, 4]
        XCTAssertEqual(SecureBytes(bytes), SecureBytes(bytes))
        XCTAssertNotEqual(SecureBytes(bytes), SecureBytes([1, 2, 3, 5]))
        XCTAssertNotEqual(SecureBytes(bytes), SecureBytes([1, 2, 3]))
        XCTAssertEqual(SecureBytes([UInt8]()), SecureBytes([UInt8]()))
        let random = try SecureBytes.random(count: 32)
        XCTAssertEqual(random, random)
        XCTAssertNotEqual(random, try SecureBytes.random(count: 32))
        XCTAssertEqual(random.unsafeArray.count, 32)
    }
}
