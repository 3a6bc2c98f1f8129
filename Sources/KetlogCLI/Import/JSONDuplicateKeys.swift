import Foundation

/// Finds a key that appears twice in one item of an import's JSON array. `JSONSerialization`
/// keeps one of the two values silently; an import must not guess which the clinic meant.
///
/// Runs only on text that `JSONSerialization` has already accepted, so it can scan lexically:
/// it tracks nesting, and in each object that is an element of the top-level array it collects
/// the keys (a string directly followed by `:`), decoding escapes only when a key has any.
enum JSONDuplicateKeys {
    /// The first duplicate: the 1-based item of the array and the key.
    static func first(in bytes: [UInt8]) -> (item: Int, key: String)? {
        var depth = 0          // containers open, the top-level array included
        var item = 0           // elements of the top-level array seen so far
        var keys = Set<[UInt8]>()
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth == 2 { item += 1; keys.removeAll(keepingCapacity: true) }
                index += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
                index += 1
            case UInt8(ascii: "\""):
                let start = index + 1
                var end = start, escaped = false
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                    if bytes[end] == UInt8(ascii: "\\") { escaped = true; end += 1 }
                    end += 1
                }
                index = end + 1
                guard depth == 2 else { continue }
                var next = index
                while next < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[next]) { next += 1 }
                guard next < bytes.count, bytes[next] == UInt8(ascii: ":") else { continue }
                let literal = Array(bytes[start..<min(end, bytes.count)])
                let key = escaped ? decoded(literal) : literal
                if !keys.insert(key).inserted { return (item, String(decoding: key, as: UTF8.self)) }
            default:
                index += 1
            }
        }
        return nil
    }

    /// A string literal's contents with its escapes resolved (as UTF-8).
    private static func decoded(_ literal: [UInt8]) -> [UInt8] {
        let json = Data([UInt8(ascii: "[")] + [UInt8(ascii: "\"")] + literal + [UInt8(ascii: "\"")] + [UInt8(ascii: "]")])
        guard let array = try? JSONSerialization.jsonObject(with: json) as? [String], let text = array.first else { return literal }
        return Array(text.utf8)
    }
}
