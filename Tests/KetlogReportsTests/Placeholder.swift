import XCTest
final class KetlogReportsTestsPlaceholder: XCTestCase { func testBuilds() {} }
