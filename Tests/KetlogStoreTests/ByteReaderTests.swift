@testable import KetlogStore
import XCTest

/// Strings in sealed records decode only when they are valid UTF-8, whatever their position.
final class ByteReaderTests: XCTestCase {
    private func encoded(_ payload: [UInt8], after prefix: [UInt8] = []) -> [UInt8] {
        var writer = ByteWriter()
        writer.raw(prefix)
        writer.raw(payload)
        return writer.bytes
    }

    func testValidStringsRoundTrip() throws {
        for text in ["", "a", "dr.lee", "Zoë Ångström", "🙂 ketamine 0.5 mg/kg", String(repeating: "x", count: 300)] {
            var writer = ByteWriter()
            writer.string("before")
            writer.string(text)
            var reader = ByteReader(writer.bytes)
            XCTAssertEqual(try reader.string(), "before")
            XCTAssertEqual(try reader.string(), text)
            XCTAssertTrue(reader.isAtEnd)
        }
    }

    func testInvalidUTF8IsMalformedNotRepaired() {
        let invalid: [[UInt8]] = [
            [0xC3],                    // a lead byte without its continuation
            [0x41, 0x80, 0x42],        // a lone continuation byte
            [0xF0, 0x9F, 0x98],        // a 4-byte sequence cut short (would repair to one U+FFFD)
            [0xED, 0xA0, 0x80],        // a UTF-16 surrogate
            [0xC0, 0xAF],              // an overlong encoding
            [0xFF],
        ]
        for bytes in invalid {
            var reader = ByteReader(encoded(bytes, after: Array("ok".utf8)))
            XCTAssertEqual(try reader.string(), "ok")
            XCTAssertThrowsError(try reader.string(), "\(bytes)") { XCTAssertTrue($0 is ByteReader.Malformed) }
        }
        // The replacement character itself is valid text and comes back as it was.
        var reader = ByteReader(encoded(Array("\u{FFFD}".utf8)))
        XCTAssertEqual(try reader.string(), "", "the empty prefix")
        XCTAssertEqual(try reader.string(), "\u{FFFD}")
    }
}
