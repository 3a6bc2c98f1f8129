import KetlogCrypto
import XCTest

final class HKDFTests: XCTestCase {
    func testKnownAnswers() throws {
        for entry in try VectorFile(named: "hkdf-sha256").entries {
            let okm = try HKDF.sha256(key: entry.bytes("IKM"), salt: entry.bytes("Salt"), info: entry.bytes("Info"),
                                      length: entry.int("L"))
            XCTAssertEqual(okm.unsafeArray, try entry.bytes("OKM"), entry.name)
        }
    }
}
