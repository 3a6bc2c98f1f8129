internal import KetlogCrypto

/// Decodes age's ASCII armor as an `AgeInput`, strictly: whitespace is allowed only before the
/// begin line and after the end line (at most 1 KiB each), lines end in LF or CRLF, data lines
/// are 64 columns of padded canonical base64 except a final shorter non-empty one, and nothing
/// else (headers, checksums, blank lines, spaces) may appear.
final class ArmorReader: AgeInput {
    private static let maxWhitespace = 1024
    private static let columns = 64

    private let reader: BufferedReader
    private var decoded: [UInt8] = []
    private var decodedOffset = 0
    private var started = false
    private var lastDataLineSeen = false
    private var finished = false

    init(reader: BufferedReader) {
        self.reader = reader
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var written = 0
        while written < buffer.count {
            if decodedOffset < decoded.count {
                let count = min(buffer.count - written, decoded.count - decodedOffset)
                decoded.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(rebasing: buffer[written..<(written + count)])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[decodedOffset..<(decodedOffset + count)]))
                }
                decodedOffset += count
                written += count
                continue
            }
            if finished { break }
            try decodeLines()
        }
        return written
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// The next line without its LF or CRLF; a missing final newline is tolerated.
    private func nextLine() throws -> ArraySlice<UInt8> {
        var line = try reader.readLine(maxLength: Self.columns + 2, tooLong: .malformedArmor)[...]
        guard !line.isEmpty else { throw AgeError.malformedArmor }  // end of input
        if line.last == UInt8(ascii: "\n") { line = line.dropLast() }
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        return line
    }

    /// Decodes a batch of data lines into `decoded`, or reaches the end line.
    private func decodeLines() throws {
        if !started {
            try skipWhitespace(thenRequireEnd: false)
            guard try nextLine().elementsEqual(ArmorWriter.header.utf8) else { throw AgeError.malformedArmor }
            started = true
        }
        decoded.removeAll(keepingCapacity: true)
        decodedOffset = 0
        while decoded.count < 64 * 1024 {
            let line = try nextLine()
            if line.elementsEqual(ArmorWriter.footer.utf8) {
                try skipWhitespace(thenRequireEnd: true)
                finished = true
                return
            }
            guard !lastDataLineSeen, !line.isEmpty, line.count <= Self.columns,
                  let bytes = Base64.decode(line, padded: true)
            else { throw AgeError.malformedArmor }
            decoded += bytes
            lastDataLineSeen = line.count < Self.columns || line.last == UInt8(ascii: "=")
        }
    }

    /// Skips up to 1 KiB of whitespace; after the end line, nothing else may follow.
    private func skipWhitespace(thenRequireEnd: Bool) throws {
        try reader.fill(atLeast: Self.maxWhitespace + 1)
        let count = reader.bytes.prefix(while: Self.isWhitespace).count
        guard count <= Self.maxWhitespace else { throw AgeError.malformedArmor }
        reader.consume(count)
        if thenRequireEnd, reader.available > 0 { throw AgeError.malformedArmor }
    }
}
