import XCTest
final class AgeFormatTestsPlaceholder: XCTestCase { func testBuilds() {} }
