import Foundation

/// Appends values in ketlog's record encoding: big-endian integers, length-prefixed UTF-8.
/// A compact binary encoding keeps sealing and opening a million records cheap.
public struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 128) { bytes.reserveCapacity(capacity) }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    /// Bytes as they are, without a length.
    mutating func append(_ value: String.UTF8View) { bytes.append(contentsOf: value) }

    mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }

    mutating func bool(_ value: Bool) { u8(value ? 1 : 0) }

    mutating func double(_ value: Double) { u64(value.bitPattern) }

    mutating func raw(_ value: [UInt8]) {
        u64(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// The same bytes as `raw(Array(value.utf8))`, without the array.
    mutating func string(_ value: String) {
        u64(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    mutating func optionalBytes(_ value: [UInt8]?) {
        bool(value != nil)
        if let value { raw(value) }
    }

    mutating func optionalString(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    mutating func optionalDouble(_ value: Double?) {
        bool(value != nil)
        if let value { double(value) }
    }

    mutating func optionalInt(_ value: Int64?) {
        bool(value != nil)
        if let value { i64(value) }
    }

    mutating func strings(_ values: [String]) {
        u64(UInt64(values.count))
        for value in values { string(value) }
    }
}

/// Reads what `ByteWriter` wrote; any overrun or malformed value throws `ByteReader.Malformed`.
public struct ByteReader {
    struct Malformed: Error {}

    /// A decoded text form that must parse (a date, a vocabulary term), or `Malformed`.
    static func parse<T>(_ value: T?) throws -> T {
        guard let value else { throw Malformed() }
        return value
    }

    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func u8() throws -> UInt8 {
        guard offset < bytes.count else { throw Malformed() }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u64() throws -> UInt64 {
        guard bytes.count - offset >= 8 else { throw Malformed() }
        var value: UInt64 = 0
        for index in offset..<offset + 8 { value = value << 8 | UInt64(bytes[index]) }
        offset += 8
        return value
    }

    mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }

    mutating func bool() throws -> Bool {
        switch try u8() {
        case 0: return false
        case 1: return true
        default: throw Malformed()
        }
    }

    mutating func double() throws -> Double { Double(bitPattern: try u64()) }

    mutating func raw() throws -> [UInt8] {
        let count = try u64()
        guard count <= UInt64(bytes.count - offset) else { throw Malformed() }
        defer { offset += Int(count) }
        return Array(bytes[offset..<offset + Int(count)])
    }

    mutating func string() throws -> String {
        let count = try u64()
        guard count <= UInt64(bytes.count - offset) else { throw Malformed() }
        defer { offset += Int(count) }
        guard let value = Self.validUTF8(bytes, offset..<offset + Int(count)) else { throw Malformed() }
        return value
    }

    /// The string `bytes[range]` holds, or nil when it is not valid UTF-8. Decoding from a buffer
    /// takes the standard library's specialised path (`String(validating:)` over a slice is
    /// generic at run time, a metadata lookup per string); decoding repairs what is invalid, so
    /// the bytes come back unchanged exactly when they were valid.
    private static func validUTF8(_ bytes: [UInt8], _ range: Range<Int>) -> String? {
        bytes.withUnsafeBufferPointer { all in
            let source = UnsafeBufferPointer(rebasing: all[range])
            var value = String(decoding: source, as: UTF8.self)
            let unchanged = value.withUTF8 { decoded in
                decoded.count == source.count && (source.isEmpty || memcmp(decoded.baseAddress!, source.baseAddress!, source.count) == 0)
            }
            return unchanged ? value : nil
        }
    }

    mutating func optionalString() throws -> String? { try bool() ? try string() : nil }
    mutating func optionalBytes() throws -> [UInt8]? { try bool() ? try raw() : nil }
    mutating func optionalDouble() throws -> Double? { try bool() ? try double() : nil }
    mutating func optionalInt() throws -> Int64? { try bool() ? try i64() : nil }

    mutating func strings() throws -> [String] {
        let count = try u64()
        guard count <= UInt64(bytes.count - offset) else { throw Malformed() }
        return try (0..<count).map { _ in try string() }
    }
}
