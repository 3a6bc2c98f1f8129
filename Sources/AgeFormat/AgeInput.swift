/// A source of bytes that an age encryptor or decryptor pulls from.
///
/// Readers call `read(into:)` with large buffers (about 1 MiB) and never hold more than that,
/// so a file of any size is processed in constant memory.
public protocol AgeInput: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer` and returns how many; 0 means end of input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}
