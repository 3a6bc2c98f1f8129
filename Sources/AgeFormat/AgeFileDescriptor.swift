#if canImport(Glibc)
internal import Glibc
private let systemRead = Glibc.read
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
internal import Darwin
private let systemRead = Darwin.read
private let systemWrite = Darwin.write
#endif

/// A POSIX file descriptor as age input or output: `read(2)` / `write(2)` with retries on
/// `EINTR` and short writes. Never closes or syncs the descriptor; that stays with the caller.
public final class AgeFileDescriptor: AgeInput, AgeOutput {
    private let fileDescriptor: Int32

    public init(_ fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            let count = systemRead(fileDescriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw AgeError.io(errno: errno) }
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = systemWrite(fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count > 0 {
                offset += count
            } else if count < 0, errno != EINTR {
                throw AgeError.io(errno: errno)
            }
        }
    }
}
