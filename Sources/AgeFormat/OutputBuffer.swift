/// Collects output into one large buffer and hands it to an `AgeOutput` in big writes, so the
/// STREAM code can seal or open each chunk straight into place without per-chunk allocations.
final class OutputBuffer {
    private let sink: any AgeOutput
    private let buffer: WipedBuffer
    private var storage: UnsafeMutableRawBufferPointer { buffer.bytes }
    private var used = 0

    init(sink: any AgeOutput, capacity: Int) {
        self.sink = sink
        buffer = WipedBuffer(capacity: capacity)
    }

    /// Reserves `count` bytes and lets `body` fill them; if `body` throws, nothing is added.
    func append(count: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        precondition(count <= storage.count, "record larger than the output buffer")
        if used + count > storage.count { try flush() }
        try body(UnsafeMutableRawBufferPointer(rebasing: storage[used..<(used + count)]))
        used += count
    }

    /// Appends a copy of `bytes`.
    func append(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = min(bytes.count - offset, storage.count)
            try append(count: count) { destination in
                bytes.withUnsafeBytes { destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)])) }
            }
            offset += count
        }
    }

    /// Writes everything buffered to the sink.
    func flush() throws {
        guard used > 0 else { return }
        let count = used
        used = 0
        try sink.write(UnsafeRawBufferPointer(rebasing: storage[0..<count]))
    }
}
