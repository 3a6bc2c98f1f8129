/// A fixed-size read buffer over an `AgeInput`: refills with large reads, lets the caller look
/// ahead (the STREAM reader must know whether more bytes follow a chunk) and split lines.
final class BufferedReader {
    private let input: any AgeInput
    private let buffer: WipedBuffer
    private var storage: UnsafeMutableRawBufferPointer { buffer.bytes }
    private var start = 0
    private var end = 0
    /// True once the input has returned end of file.
    private(set) var reachedEnd = false

    init(input: any AgeInput, capacity: Int) {
        self.input = input
        buffer = WipedBuffer(capacity: capacity)
    }

    /// Number of bytes buffered and not yet consumed.
    var available: Int { end - start }

    /// The buffered bytes; valid until the next `fill` or `consume`.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: storage[start..<end]) }

    /// Reads until at least `count` bytes are buffered or the input ends; returns `available`.
    @discardableResult
    func fill(atLeast count: Int) throws -> Int {
        precondition(count <= storage.count, "look-ahead larger than the buffer")
        guard available < count, !reachedEnd else { return available }
        if storage.count - start < count {
            let pending = available
            if pending > 0 {
                storage.baseAddress!.copyMemory(from: storage.baseAddress! + start, byteCount: pending)
            }
            start = 0
            end = pending
        }
        while available < count, !reachedEnd {
            let read = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: storage[end...]))
            if read == 0 { reachedEnd = true } else { end += read }
        }
        return available
    }

    /// Drops `count` buffered bytes.
    func consume(_ count: Int) {
        precondition(count <= available)
        start += count
    }

    /// The next line including its `\n`, or the bytes left before end of input when there is no
    /// newline (possibly empty). Throws `tooLong` when no newline comes within `maxLength` bytes.
    func readLine(maxLength: Int, tooLong: AgeError) throws -> [UInt8] {
        var scanned = 0
        while true {
            if let newline = bytes[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(bytes[...newline])
                consume(newline + 1)
                return line
            }
            scanned = available
            if scanned >= maxLength { throw tooLong }
            if reachedEnd {
                let line = Array(bytes)
                consume(available)
                return line
            }
            try fill(atLeast: min(scanned + 4096, maxLength + 1))
        }
    }
}
