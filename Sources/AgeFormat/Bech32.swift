/// Bech32 (BIP 173, the original checksum constant 1, not Bech32m) as age uses it for keys.
///
/// Unlike BIP 173, there is no 90-character limit (age's post-quantum keys are longer). Strings
/// must be all lowercase or all uppercase; the checksum is computed over the lowercase form.
enum Bech32 {
    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)

    private static let charsetIndex: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (index, character) in charset.enumerated() { table[Int(character)] = Int8(index) }
        return table
    }()

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var checksum: UInt32 = 1
        for value in values {
            let top = checksum >> 25
            checksum = (checksum & 0x1ff_ffff) << 5 ^ UInt32(value)
            for bit in 0..<5 where (top >> UInt32(bit)) & 1 == 1 { checksum ^= generator[bit] }
        }
        return checksum
    }

    private static func expand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    /// Regroups bits; when decoding (`pad` false) leftover bits must be fewer than `from` and zero.
    private static func convertBits(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var accumulator = 0
        var bits = 0
        var output: [UInt8] = []
        let maxValue = (1 << to) - 1
        for value in data {
            accumulator = accumulator << from | Int(value)
            bits += from
            while bits >= to {
                bits -= to
                output.append(UInt8(accumulator >> bits & maxValue))
            }
            accumulator &= (1 << bits) - 1
        }
        if pad {
            if bits > 0 { output.append(UInt8(accumulator << (to - bits) & maxValue)) }
        } else if bits >= from || accumulator != 0 {
            return nil
        }
        return output
    }

    /// Encodes `data` under the human-readable part `hrp`, in lowercase.
    static func encode(hrp: String, data: [UInt8]) -> String {
        let hrpBytes = Array(hrp.lowercased().utf8)
        let values = convertBits(data, from: 8, to: 5, pad: true) ?? []
        let checksum = polymod(expand(hrpBytes) + values + [0, 0, 0, 0, 0, 0]) ^ 1
        var output = hrpBytes + [UInt8(ascii: "1")]
        output += values.map { charset[Int($0)] }
        output += (0..<6).map { charset[Int(checksum >> UInt32(5 * (5 - $0)) & 31)] }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes a Bech32 string into its human-readable part (in the case it was written in) and
    /// data bytes, or returns nil for any syntax, case or checksum error.
    static func decode(_ string: String) -> (hrp: String, data: [UInt8])? {
        let bytes = Array(string.utf8)
        guard bytes.allSatisfy({ (33...126).contains($0) }) else { return nil }
        let hasLower = bytes.contains { (97...122).contains($0) }
        let hasUpper = bytes.contains { (65...90).contains($0) }
        guard !(hasLower && hasUpper) else { return nil }
        let lower = bytes.map { (65...90).contains($0) ? $0 + 32 : $0 }
        guard let separator = lower.lastIndex(of: UInt8(ascii: "1")), separator >= 1,
              lower.count - separator - 1 >= 6
        else { return nil }
        var values: [UInt8] = []
        for character in lower[(separator + 1)...] {
            let index = charsetIndex[Int(character)]
            guard index >= 0 else { return nil }
            values.append(UInt8(index))
        }
        let hrp = Array(lower[..<separator])
        guard polymod(expand(hrp) + values) == 1,
              let data = convertBits(Array(values.dropLast(6)), from: 5, to: 8, pad: false)
        else { return nil }
        return (String(decoding: bytes[..<separator], as: UTF8.self), data)
    }
}
