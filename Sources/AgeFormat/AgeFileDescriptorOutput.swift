#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Writes to a POSIX file descriptor with `write(2)`, retrying on `EINTR` and short writes.
/// Does not close or sync it.
public final class AgeFileDescriptorOutput: AgeOutput {
    private let fileDescriptor: Int32

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.write(fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count > 0 {
                offset += count
            } else if count < 0, errno != EINTR {
                throw AgeError.io(errno: errno)
            }
        }
    }
}
