import XCTest
final class KetlogBackupTestsPlaceholder: XCTestCase { func testBuilds() {} }
