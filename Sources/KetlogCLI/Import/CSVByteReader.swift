/// A small RFC 4180 reader over the UTF-8 bytes of an import file, for `ImportFile`.
///
/// It reads the bytes in place and makes each cell's `String` from its slice at once (a short
/// cell needs no allocation), where a general CSV library decodes the file one Unicode scalar at
/// a time and appends each to a string: that was a third of the import's reading thread (issue 16).
///
/// The dialect is the one ketlog's exports write and the importer has always read: cells are
/// separated by `,`; a row ends at LF, CR LF or a lone CR, or at the end of the file; a cell that
/// starts with `"` is quoted, may hold commas, quotes written twice and line breaks, and ends at
/// the quote that is followed by a comma, a line break or the end; a quote inside an unquoted
/// cell is an ordinary character. One leading byte order mark is skipped. A quoted cell whose
/// closing quote is followed by anything else is an error (`textAfterQuote`), as is one that
/// the file never closes (`unterminatedQuote`): neither is guessed at.
///
/// `line` counts rows and the line feeds inside quoted cells, as the importer numbers lines
/// (the header is line 1).
struct CSVByteReader {
    enum Failure: Error, Equatable {
        /// A quoted cell's closing quote is followed by other text, on this line.
        case textAfterQuote(line: Int)
        /// A quoted cell opened on this line is never closed.
        case unterminatedQuote(line: Int)
    }

    private let bytes: [UInt8]
    private var offset: Int
    /// The line on which the next row starts.
    private(set) var line = 1

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        offset = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// Reads the next row's cells into `cells` (emptied first); false at the end of the file.
    /// A blank line is a row of one empty cell.
    mutating func nextRow(into cells: inout [String]) throws(Failure) -> Bool {
        cells.removeAll(keepingCapacity: true)
        guard offset < bytes.count else { return false }
        var offset = self.offset, line = self.line
        defer { self.offset = offset; self.line = line }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(Failure) -> Bool in
            let count = buffer.count
            while true {
                // One cell, starting at `offset`.
                if offset < count && buffer[offset] == Self.quote {
                    let opened = line
                    var text: [UInt8] = []
                    var start = offset + 1, index = start
                    while true {
                        guard index < count else { throw .unterminatedQuote(line: opened) }
                        let byte = buffer[index]
                        if byte == Self.lf {
                            line += 1
                        } else if byte == Self.quote {
                            text.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<index]))
                            let next = index + 1
                            if next < count && buffer[next] == Self.quote {  // a quote written twice
                                text.append(Self.quote)
                                start = next + 1
                                index = start
                                continue
                            }
                            cells.append(String(decoding: text, as: UTF8.self))
                            offset = next
                            break
                        }
                        index += 1
                    }
                    // After the closing quote: a comma, a line break or the end.
                    if offset >= count { line += 1; return true }
                    switch buffer[offset] {
                    case Self.comma: offset += 1; continue
                    case Self.lf, Self.cr: offset = Self.skipLineBreak(buffer, at: offset); line += 1; return true
                    default: throw .textAfterQuote(line: line)
                    }
                }
                var end = offset
                while end < count {
                    let byte = buffer[end]
                    if byte == Self.comma || byte == Self.lf || byte == Self.cr { break }
                    end += 1
                }
                cells.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[offset..<end]), as: UTF8.self))
                if end < count && buffer[end] == Self.comma {
                    offset = end + 1
                    continue
                }
                offset = end < count ? Self.skipLineBreak(buffer, at: end) : end
                line += 1
                return true
            }
        }
    }

    /// The offset after the line break (LF, CR LF or CR) at `offset`.
    private static func skipLineBreak(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int {
        buffer[offset] == cr && offset + 1 < buffer.count && buffer[offset + 1] == lf ? offset + 2 : offset + 1
    }
}
