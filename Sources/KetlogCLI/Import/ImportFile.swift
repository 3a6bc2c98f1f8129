import Foundation
import KetlogModel
import KetlogStore

/// Reads an import file row by row: CSV with a header row, or a JSON array of objects, chosen
/// by the file's extension. The file is checked whole for UTF-8 and NUL bytes and its header (or
/// shape) before any row is handed out; rows are then parsed as they are read, so an import of a
/// million rows never holds them all. Malformed input fails with the line (CSV) or item (JSON).
final class ImportFile: ImportSource, @unchecked Sendable {
    let importKind: ImportKind
    var kind: RecordKind { importKind.recordKind }
    /// About how many rows there are (for the progress bar).
    let estimatedRows: Int
    private var readRow: () throws -> ImportRow?

    /// Sessions may have doses outside their route's band (`import --allow-unusual-dose`).
    var allowUnusualDose = false

    convenience init(path: String, kind: ImportKind, allowUnusualDose: Bool = false) throws {
        guard let bytes = Self.contents(atPath: path) else {
            throw FileManager.default.fileExists(atPath: path) ? CLIError.io(path: path, detail: "cannot read the file")
                                                                : CLIError.fileNotFound(path: path)
        }
        try self.init(bytes: bytes, fileExtension: URL(fileURLWithPath: path).pathExtension, kind: kind)
        self.allowUnusualDose = allowUnusualDose
    }

    /// The whole file, read straight into one array, or nil if it cannot be read. At L a file is
    /// ~100 MB: reading it as `Data` and copying that into an array held it twice at once, the
    /// import's peak memory.
    private static func contents(atPath path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT != S_IFDIR else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(0, Int(status.st_size)))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    /// Reads a file's bytes as the importer does; `fileExtension` chooses CSV or JSON.
    convenience init(_ data: Data, fileExtension: String, kind: ImportKind) throws {
        try self.init(bytes: [UInt8](data), fileExtension: fileExtension, kind: kind)
    }

    init(bytes: [UInt8], fileExtension: String, kind: ImportKind) throws {
        importKind = kind
        let (newlines, nul) = Self.scan(bytes)
        if let nul {
            throw CLIError.badInput(line: Self.scan(bytes[..<nul]).newlines + 1, field: "file", problem: "contains a NUL byte")
        }
        guard Self.isUTF8(bytes) else {
            throw CLIError.badInput(line: Self.line(ofFirstInvalidByteIn: bytes), field: "file", problem: "is not valid UTF-8")
        }
        switch fileExtension.lowercased() {
        case "csv":
            estimatedRows = max(0, newlines - 1)
            readRow = try Self.csvRows(bytes, kind: kind)
        case "json":
            let items = try Self.jsonItems(bytes, kind: kind)
            estimatedRows = items.count
            var index = 0
            readRow = {
                guard index < items.count else { return nil }
                index += 1
                return try Self.jsonRow(items[index - 1], item: index, kind: kind)
            }
        default:
            throw CLIError.usage("import reads .csv or .json files (by extension)")
        }
    }

    /// Counts line feeds and finds the first NUL byte, with memchr rather than byte by byte.
    private static func scan(_ bytes: ArraySlice<UInt8>) -> (newlines: Int, nul: Int?) {
        bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> (newlines: Int, nul: Int?) in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return (0, nil) }
            var nul: Int?
            if let hit = memchr(base, 0, buffer.count) { nul = base.distance(to: UnsafeRawPointer(hit)) }
            var count = 0
            var offset = 0
            while offset < buffer.count, let hit = memchr(base + offset, 0x0A, buffer.count - offset) {
                count += 1
                offset = base.distance(to: UnsafeRawPointer(hit)) + 1
            }
            return (count, nul)
        }
    }

    private static func scan(_ bytes: [UInt8]) -> (newlines: Int, nul: Int?) { scan(bytes[...]) }

    /// Whether `bytes` are UTF-8, checked a megabyte at a time so that the check never copies
    /// the whole file (at L, a second copy was the import's peak memory). Each piece ends at an
    /// ASCII byte, which is never inside a character.
    static func isUTF8(_ bytes: [UInt8], piece: Int = 1 << 20) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                var end = min(start + piece, buffer.count)
                while end < buffer.count && buffer[end - 1] >= 0x80 { end += 1 }
                guard String(validating: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self) != nil else { return false }
                start = end
            }
            return true
        }
    }

    /// The next row, or nil at the end.
    func nextRow() throws -> ImportRow? { try readRow() }

    /// The next row as a draft (`ImportSource`), or nil at the end.
    func next() throws -> ImportItem? { try readRow()?.item(allowUnusualDose: allowUnusualDose) }

    /// How an error names a column or key that is not one of ketlog's: by its name only when it
    /// looks like an identifier (`mood`, `patient_id`), else by `position`. A header that is
    /// really a row of data (a file without a header) holds clinical values, and errors never echo
    /// those; nor may a name with a line break split the one-line error.
    static func label(_ name: String, or position: String) -> String {
        let identifier = name.utf8.count <= 32 && name.utf8.first.map({ (97...122).contains($0) }) == true
            && name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "_") }
        return identifier ? name : position
    }

    /// The line on which the first byte sequence that is not UTF-8 stands.
    private static func line(ofFirstInvalidByteIn bytes: [UInt8]) -> Int {
        var line = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput, .error: return line
            }
        }
    }

    private static func checkHeader(_ header: [String], kind: ImportKind) throws {
        for (index, column) in header.enumerated() where !kind.columns.contains(column) {
            throw CLIError.badInput(line: 1, field: column.isEmpty ? "header" : label(column, or: "header column \(index + 1)"),
                                    problem: "unknown column (allowed: \(kind.columns.joined(separator: ", ")))")
        }
        if let duplicate = header.first(where: { name in header.filter { $0 == name }.count > 1 }) {
            throw CLIError.badInput(line: 1, field: label(duplicate, or: "a header column"), problem: "column appears twice")
        }
        for column in kind.requiredColumns where !header.contains(column) {
            throw CLIError.badInput(line: 1, field: column, problem: "required column is missing")
        }
    }

    /// Checks the header, then returns a reader of the rows that follow it.
    private static func csvRows(_ bytes: [UInt8], kind: ImportKind) throws -> () throws -> ImportRow? {
        if let line = lineOfUnterminatedQuote(bytes) {
            throw CLIError.badInput(line: line, field: "row", problem: "has a quote that is never closed")
        }
        var reader = CSVByteReader(bytes)
        var cells: [String] = []
        guard try nextCells(&reader, into: &cells, field: "header") else {
            throw CLIError.badInput(line: 1, field: "header", problem: "is not valid CSV")
        }
        let header = cells.map { $0.trimmingWhitespace() }
        guard header != [""] else {
            throw CLIError.badInput(line: 1, field: "header", problem: "is missing")
        }
        try checkHeader(header, kind: kind)
        let positions = header.map { kind.position[$0]! }
        let columns = kind.fields.count
        return {
            while true {
                let line = reader.line
                guard try nextCells(&reader, into: &cells, field: "row") else { return nil }
                if cells.count == 1 && cells[0].isEmpty { continue }  // a blank line
                guard cells.count == header.count else {
                    throw CLIError.badInput(line: line, field: "row", problem: "has \(cells.count) fields, the header has \(header.count)")
                }
                var values = [String?](repeating: nil, count: columns)
                for (position, cell) in zip(positions, cells) { values[position] = CSVText.unneutralised(cell) }
                return ImportRow(line: line, kind: kind, cells: values)
            }
        }
    }

    /// The reader's next row, its failure named as `field` (the header or a row) on its line.
    private static func nextCells(_ reader: inout CSVByteReader, into cells: inout [String], field: String) throws -> Bool {
        do throws(CSVByteReader.Failure) {
            return try reader.nextRow(into: &cells)
        } catch .unterminatedQuote(let line) {
            throw CLIError.badInput(line: line, field: field, problem: "has a quote that is never closed")
        } catch .textAfterQuote(let line) {
            throw CLIError.badInput(line: line, field: field,
                                    problem: "has text after a closing quote (write a quote inside a quoted cell twice)")
        }
    }

    /// The line on which a quoted field opens that the file never closes, or nil. Checked over
    /// the whole file before any row, so that such a file is named for its quote rather than
    /// for a row further on that the open quote swallowed. (One leading byte order mark is
    /// skipped, as the reader skips it.)
    static func lineOfUnterminatedQuote(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, memchr(base, Int32(UInt8(ascii: "\"")), buffer.count) != nil else { return nil }
            var line = 1, openedOn = 1
            var quoted = false, atFieldStart = true, pendingQuote = false
            for byte in buffer[(buffer.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0)...] {
                if pendingQuote {  // a quote inside a quoted field: doubled (literal) or the closing one
                    pendingQuote = false
                    if byte == UInt8(ascii: "\"") { continue }
                    quoted = false
                }
                switch byte {
                case UInt8(ascii: "\""):
                    if quoted { pendingQuote = true } else if atFieldStart { quoted = true; openedOn = line }
                    atFieldStart = false
                case UInt8(ascii: ","):
                    atFieldStart = !quoted
                case UInt8(ascii: "\n"):
                    line += 1
                    atFieldStart = !quoted
                case UInt8(ascii: "\r"):
                    break
                default:
                    atFieldStart = false
                }
            }
            return quoted && !pendingQuote ? openedOn : nil
        }
    }

    private static func jsonItems(_ bytes: [UInt8], kind: ImportKind) throws -> [Any] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            throw CLIError.badInput(line: 1, field: "file", problem: "is not valid JSON")
        }
        guard let items = parsed as? [Any] else {
            throw CLIError.badInput(line: 1, field: "file", problem: "must be a JSON array of objects")
        }
        if let duplicate = JSONDuplicateKeys.first(in: bytes) {
            throw CLIError.badInput(line: duplicate.item, field: kind.columns.contains(duplicate.key) ? duplicate.key : "item",
                                    problem: "key appears twice")
        }
        return items
    }

    private static func jsonRow(_ item: Any, item number: Int, kind: ImportKind) throws -> ImportRow {
        guard let object = item as? [String: Any] else {
            throw CLIError.badInput(line: number, field: "item", problem: "must be a JSON object")
        }
        var values = [String?](repeating: nil, count: kind.fields.count)
        for (key, value) in object {
            guard let position = kind.position[key] else {
                throw CLIError.badInput(line: number, field: label(key, or: "a key"),
                                        problem: "unknown key (allowed: \(kind.columns.joined(separator: ", ")))")
            }
            values[position] = try jsonCell(value, key: key, item: number)
        }
        for column in kind.requiredColumns where values[kind.position[column]!] == nil {
            throw CLIError.badInput(line: number, field: column, problem: "required")
        }
        return ImportRow(line: number, kind: kind, cells: values)
    }

    private static func jsonCell(_ value: Any, key: String, item: Int) throws -> String? {
        switch value {
        case is NSNull: return nil
        case let text as String: return text
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" {  // how Foundation marks true/false
                // A day's `used` is yes or no; export writes it as JSON true or false.
                if key == Field.used.column { return number.boolValue ? "yes" : "no" }
                throw CLIError.badInput(line: item, field: key, problem: "must be a number or text, not true/false")
            }
            guard number.doubleValue.isFinite else { throw CLIError.badInput(line: item, field: key, problem: "must be finite") }
            return number.stringValue
        case let list as [Any]:
            let texts = list.compactMap { $0 as? String }
            guard texts.count == list.count else {
                throw CLIError.badInput(line: item, field: key, problem: "must be a list of text")
            }
            return texts.joined(separator: ";")
        default:
            throw CLIError.badInput(line: item, field: key, problem: "must be text, a number, a list or null")
        }
    }
}
