import Foundation
import XCTest

/// A known-answer file under Vectors/: `#` comments, then blocks of `Field = value` lines
/// separated by blank lines. Byte fields are hex; text fields may use Go's escapes (`escaped`).
struct VectorFile {
    struct Entry {
        let fields: [String: String]

        var name: String { fields["Name"] ?? "?" }

        func bytes(_ key: String, file: StaticString = #filePath, line: UInt = #line) throws -> [UInt8] {
            let text = try XCTUnwrap(fields[key], "\(name): no \(key)", file: file, line: line)
            return try XCTUnwrap(VectorFile.hex(text), "\(name): \(key) is not hex", file: file, line: line)
        }

        func text(_ key: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
            try XCTUnwrap(fields[key], "\(name): no \(key)", file: file, line: line)
        }

        /// A field written with Go's string escapes (`\n`, `\xHH`, `\\`), as raw bytes: notes
        /// need newlines, which a line-based file cannot hold, and invalid UTF-8.
        func escaped(_ key: String, file: StaticString = #filePath, line: UInt = #line) throws -> [UInt8] {
            let source = Array(try text(key, file: file, line: line).utf8)
            var bytes: [UInt8] = []
            var index = 0
            while index < source.count {
                guard source[index] == UInt8(ascii: "\\"), index + 1 < source.count else {
                    bytes.append(source[index])
                    index += 1
                    continue
                }
                switch source[index + 1] {
                case UInt8(ascii: "n"):
                    bytes.append(0x0A)
                    index += 2
                case UInt8(ascii: "\\"):
                    bytes.append(UInt8(ascii: "\\"))
                    index += 2
                case UInt8(ascii: "x"):
                    let digits = try XCTUnwrap(index + 4 <= source.count ? VectorFile.hex(String(decoding: source[(index + 2)..<(index + 4)], as: UTF8.self)) : nil,
                                               "\(name): bad \\x escape in \(key)", file: file, line: line)
                    bytes += digits
                    index += 4
                default:
                    XCTFail("\(name): unknown escape in \(key)", file: file, line: line)
                    throw CocoaError(.fileReadCorruptFile)
                }
            }
            return bytes
        }

        func int(_ key: String, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
            try XCTUnwrap(fields[key].flatMap { Int($0) }, "\(name): \(key) is not a number", file: file, line: line)
        }
    }

    let entries: [Entry]

    init(named name: String) throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Vectors"))
        var entries: [Entry] = []
        var fields: [String: String] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#") { continue }
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if !fields.isEmpty { entries.append(Entry(fields: fields)) }
                fields = [:]
                continue
            }
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw CocoaError(.fileReadCorruptFile) }
            fields[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        if !fields.isEmpty { entries.append(Entry(fields: fields)) }
        XCTAssertFalse(entries.isEmpty, "\(name) has no vectors")
        self.entries = entries
    }

    static func hex(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let byte = UInt8(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
            index += 2
        }
        return bytes
    }
}
