import XCTest
final class KetlogEndToEndTestsPlaceholder: XCTestCase { func testBuilds() {} }
