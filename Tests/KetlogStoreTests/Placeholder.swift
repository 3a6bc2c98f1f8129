import XCTest
final class KetlogStoreTestsPlaceholder: XCTestCase { func testBuilds() {} }
