/// A sink of bytes that an age encryptor or decryptor pushes to.
///
/// Writes come in large batches (about 1 MiB). A decryptor may write plaintext from chunks that
/// authenticated before it throws, as age does; a caller that must not keep partial plaintext
/// should write to a temporary place and discard it on error.
public protocol AgeOutput: AnyObject {
    /// Writes all of `bytes`, or throws.
    func write(_ bytes: UnsafeRawBufferPointer) throws
}
