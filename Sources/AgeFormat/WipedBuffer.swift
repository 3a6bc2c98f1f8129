/// A fixed-size heap buffer that is zeroed before it is freed, because the read and write
/// buffers of the age streams hold plaintext.
final class WipedBuffer {
    let bytes: UnsafeMutableRawBufferPointer

    init(capacity: Int) {
        bytes = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
        bytes.deallocate()
    }
}
