internal import KetlogCrypto

/// One recipient stanza of an age header: `-> type args…` and a base64 body.
struct Stanza: Equatable {
    /// Body bytes per full base64 line (64 columns).
    static let bytesPerLine = 48

    var type: String
    var arguments: [String]
    var body: [UInt8]

    /// True for an argument the spec allows: non-empty, printable ASCII without spaces.
    static func isValidArgument<Text: Collection>(_ text: Text) -> Bool where Text.Element == UInt8 {
        !text.isEmpty && text.allSatisfy { (33...126).contains($0) }
    }

    /// The stanza in canonical form: argument line, 64-column body lines, and a final short
    /// (possibly empty) line.
    var encoded: [UInt8] {
        var output = Array("-> ".utf8) + Array(([type] + arguments).joined(separator: " ").utf8) + [UInt8(ascii: "\n")]
        var offset = 0
        repeat {
            let count = min(Self.bytesPerLine, body.count - offset)
            body.withUnsafeBytes { bytes in
                Base64.encode(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]), padded: false, into: &output)
            }
            output.append(UInt8(ascii: "\n"))
            offset += count
            if count < Self.bytesPerLine { break }
        } while true
        return output
    }
}
