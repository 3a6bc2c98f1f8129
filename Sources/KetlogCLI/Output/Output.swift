import Foundation
import KetlogFiles

/// Writing to the standard streams with `write(2)` loops. A closed stdout (`ketlog … | head`)
/// is not an error: further output is dropped and the command ends with exit 0, saying nothing
/// (SIGPIPE is ignored in `KetlogMain`).
enum Output {
    /// Set once a write to stdout failed with EPIPE.
    nonisolated(unsafe) private(set) static var stdoutClosed = false

    static func out(_ text: String) {
        var text = text
        text.withUTF8 { writeStandardOutput($0) }
    }

    static func line(_ text: String = "") { out(text + "\n") }

    static func err(_ text: String) {
        var text = text + "\n"
        text.withUTF8 { try? DescriptorWriter.writeAll(STDERR_FILENO, $0) }
    }

    /// Writes to stdout; on EPIPE remembers that the reader is gone and drops this and later
    /// output. Another failure (a full disk behind a redirect) ends the command: exit 74.
    static func writeStandardOutput(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !stdoutClosed else { return }
        do {
            try DescriptorWriter.writeAll(STDOUT_FILENO, bytes)
        } catch let error as DescriptorWriteError where error.errno == EPIPE {
            stdoutClosed = true
        } catch {
            err("ketlog: error: standard output: \((error as? DescriptorWriteError)?.detail ?? "write failed")")
            exit(ExitStatus.ioError.rawValue)
        }
    }
}
