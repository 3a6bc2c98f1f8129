/// Strict, canonical base64 (RFC 4648 standard alphabet), as the age header and armor and the
/// signed-note format need it.
///
/// Decoding rejects every character outside the alphabet (including CR, LF and spaces), bad
/// lengths, and final characters whose unused bits are not zero, so that each byte string has
/// exactly one accepted encoding.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = UInt8(index) }
        return table
    }()

    /// Length of the encoding of `count` bytes, with or without padding.
    public static func encodedLength(_ count: Int, padded: Bool) -> Int {
        padded ? (count + 2) / 3 * 4 : (count * 4 + 2) / 3
    }

    /// Encodes `bytes` by appending ASCII characters to `output`.
    public static func encode(_ bytes: UnsafeRawBufferPointer, padded: Bool, into output: inout [UInt8]) {
        var index = 0
        while index + 3 <= bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output.append(alphabet[Int(value >> 18 & 63)])
            output.append(alphabet[Int(value >> 12 & 63)])
            output.append(alphabet[Int(value >> 6 & 63)])
            output.append(alphabet[Int(value & 63)])
            index += 3
        }
        let rest = bytes.count - index
        guard rest > 0 else { return }
        let value = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
        output.append(alphabet[Int(value >> 18 & 63)])
        output.append(alphabet[Int(value >> 12 & 63)])
        if rest == 2 { output.append(alphabet[Int(value >> 6 & 63)]) }
        if padded { output.append(contentsOf: rest == 2 ? [UInt8(ascii: "=")] : [UInt8(ascii: "="), UInt8(ascii: "=")]) }
    }

    /// The encoding of `bytes` as a string: unpadded by default (age stanza arguments, MACs),
    /// padded for signed notes and keys.
    public static func encode<Bytes: Collection>(_ bytes: Bytes, padded: Bool = false) -> String where Bytes.Element == UInt8 {
        var output: [UInt8] = []
        output.reserveCapacity(encodedLength(bytes.count, padded: padded))
        Array(bytes).withUnsafeBytes { encode($0, padded: padded, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes `text`, or returns nil when it is not the canonical encoding of anything.
    /// With `padded`, the length must be a multiple of four and `=` fills the last group.
    public static func decode<Text: Collection>(_ text: Text, padded: Bool) -> [UInt8]? where Text.Element == UInt8 {
        var characters = Array(text)
        if padded {
            guard characters.count % 4 == 0 else { return nil }
            var padding = 0
            while padding < 2, characters.last == UInt8(ascii: "=") {
                characters.removeLast()
                padding += 1
            }
            // Padding must be exactly what the unpadded length implies.
            guard (4 - characters.count % 4) % 4 == padding else { return nil }
        }
        guard characters.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(characters.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in characters {
            let value = decodeTable[Int(character)]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // Leftover bits must be zero, or two encodings would decode to the same bytes.
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return output
    }

    /// Decodes a string: unpadded by default (age stanza arguments), padded for signed notes.
    public static func decode(_ text: some StringProtocol, padded: Bool = false) -> [UInt8]? {
        decode(Array(text.utf8), padded: padded)
    }
}
