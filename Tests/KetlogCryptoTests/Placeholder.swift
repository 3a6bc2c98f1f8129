import XCTest
final class KetlogCryptoTestsPlaceholder: XCTestCase { func testBuilds() {} }
