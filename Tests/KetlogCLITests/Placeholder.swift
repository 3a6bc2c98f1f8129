import XCTest
final class KetlogCLITestsPlaceholder: XCTestCase { func testBuilds() {} }
