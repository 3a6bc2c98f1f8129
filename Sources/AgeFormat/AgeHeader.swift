internal import KetlogCrypto

/// The textual age v1 header: intro line, recipient stanzas, and the MAC line.
///
/// Parsing is strict: every line ends in LF, arguments are printable ASCII, bodies and the MAC
/// are canonical unpadded base64, and a stanza body ends with its first short line.
struct AgeHeader {
    static let intro = Array("age-encryption.org/v1\n".utf8)
    private static let macPrefix = Array("---".utf8)
    private static let stanzaPrefix = Array("->".utf8)
    /// Guards against a header that never ends; real headers are a few hundred bytes.
    private static let maxLineLength = 16 * 1024
    private static let maxHeaderLength = 1 << 20

    var stanzas: [Stanza]
    var mac: [UInt8]
    /// The header bytes the MAC covers: everything up to and including `---`.
    var macInput: [UInt8]

    /// Reads a header from `reader`, leaving it positioned at the payload nonce.
    static func parse(from reader: BufferedReader) throws -> AgeHeader {
        let first = try reader.readLine(maxLength: maxLineLength, tooLong: .malformedHeader)
        guard first == intro else {
            throw first.starts(with: Array("age-encryption.org/".utf8)) && first.last == UInt8(ascii: "\n")
                ? AgeError.unsupportedVersion : AgeError.malformedHeader
        }
        var raw = first
        var stanzas: [Stanza] = []
        func nextLine() throws -> ArraySlice<UInt8> {
            let line = try reader.readLine(maxLength: maxLineLength, tooLong: .malformedHeader)
            guard line.last == UInt8(ascii: "\n") else { throw AgeError.malformedHeader }
            raw += line
            guard raw.count <= maxHeaderLength else { throw AgeError.malformedHeader }
            return line.dropLast()
        }
        while true {
            let line = try nextLine()
            let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            if line.starts(with: macPrefix) {
                guard fields.count == 2, fields[0].elementsEqual(macPrefix),
                      let mac = Base64.decode(fields[1], padded: false), mac.count == HMAC.length
                else { throw AgeError.malformedHeader }
                let macInput = Array(raw[..<(raw.count - line.count - 1 + macPrefix.count)])
                return AgeHeader(stanzas: stanzas, mac: mac, macInput: macInput)
            }
            guard line.starts(with: stanzaPrefix), fields[0].elementsEqual(stanzaPrefix), fields.count >= 2,
                  fields.dropFirst().allSatisfy({ Stanza.isValidArgument($0) })
            else { throw AgeError.malformedHeader }
            let arguments = fields.dropFirst().map { String(decoding: $0, as: UTF8.self) }
            var body: [UInt8] = []
            while true {
                guard let chunk = Base64.decode(try nextLine(), padded: false),
                      chunk.count <= Stanza.bytesPerLine
                else { throw AgeError.malformedHeader }
                body += chunk
                if chunk.count < Stanza.bytesPerLine { break }
            }
            stanzas.append(Stanza(type: arguments[0], arguments: Array(arguments.dropFirst()), body: body))
        }
    }

    /// The MAC key for `fileKey`: HKDF-SHA256(ikm: file key, salt: empty, info: "header").
    private static func macKey(fileKey: SecureBytes) throws -> SecureBytes {
        try HKDF.sha256(key: fileKey, info: Array("header".utf8), length: 32)
    }

    /// Checks the MAC in constant time under `fileKey`.
    func verifyMAC(fileKey: SecureBytes) throws {
        guard try HMAC.verifySHA256(tag: mac, key: Self.macKey(fileKey: fileKey), message: macInput) else {
            throw AgeError.headerMACMismatch
        }
    }

    /// The complete header for `stanzas`, MAC line included.
    static func encode(stanzas: [Stanza], fileKey: SecureBytes) throws -> [UInt8] {
        var output = intro
        for stanza in stanzas { output += stanza.encoded }
        output += macPrefix
        let mac = try HMAC.sha256(key: macKey(fileKey: fileKey), message: output)
        output += Array(" \(Base64.encode(mac))\n".utf8)
        return output
    }
}
