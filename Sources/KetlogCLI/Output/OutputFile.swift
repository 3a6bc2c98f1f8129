import Foundation
import KetlogFiles

/// A file ketlog writes with clinical content (`export --output`, `report --output`): see
/// `NewFile` — created 0600 with O_EXCL|O_NOFOLLOW beside its final name, written through that
/// descriptor only, renamed into place when complete, removed on a signal. Refuses an existing
/// file unless `overwrite`.
final class OutputFile {
    /// How a disclosure names where the data went: the file's name, without its directories.
    static func displayName(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }

    let path: String
    private let file: NewFile
    /// What writers that take an `OutputStream` (CSV.swift) write into; it feeds the descriptor.
    let stream: OutputStream

    init(path: String, overwrite: Bool) throws {
        self.path = path
        do { file = try NewFile(path: path, overwrite: overwrite) } catch let error as FileError { throw Self.cliError(error) }
        let file = self.file
        stream = DescriptorOutputStream { bytes in try file.write(bytes) }
    }

    /// Writes text straight to the file.
    func write(_ text: String) throws {
        do { try file.write(text) } catch let error as FileError { throw Self.cliError(error) }
    }

    /// Renames the finished file into place.
    func commit() throws {
        do {
            try (stream as? DescriptorOutputStream)?.check()
            try file.commit()
        } catch let error as FileError {
            file.discard()
            throw Self.cliError(error)
        }
    }

    /// Removes the unfinished file.
    func discard() { file.discard() }

    static func cliError(_ error: FileError) -> CLIError {
        switch error {
        case .exists(let path): return .refusesOverwrite(path: path)
        case .io(let path, let detail): return .io(path: path, detail: detail)
        case .replaced(let path): return .io(path: path, detail: "the file being written was replaced by someone else; nothing was written")
        }
    }

    /// A stream whose bytes `flushToStandardOutput` writes to stdout at the end.
    static func memory() -> OutputStream {
        let stream = OutputStream(toMemory: ())
        stream.open()
        return stream
    }

    static func flushToStandardOutput(_ stream: OutputStream) {
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        stream.close()
        data.withUnsafeBytes { Output.writeStandardOutput($0.bindMemory(to: UInt8.self)) }
    }
}

/// An `OutputStream` that hands every write to a closure (a `NewFile`'s buffered descriptor
/// writer), so stream-based writers never need a path to re-open.
final class DescriptorOutputStream: OutputStream {
    private let sink: (UnsafeBufferPointer<UInt8>) throws -> Void
    private var failure: Error?

    init(sink: @escaping (UnsafeBufferPointer<UInt8>) throws -> Void) {
        self.sink = sink
        super.init(toMemory: ())
        super.open()
    }

    required init(toMemory: ()) {
        sink = { _ in }
        super.init(toMemory: ())
        super.open()
    }

    override func write(_ buffer: UnsafePointer<UInt8>, maxLength length: Int) -> Int {
        guard failure == nil else { return -1 }
        do {
            try sink(UnsafeBufferPointer(start: buffer, count: length))
            return length
        } catch {
            failure = error
            return -1
        }
    }

    override var hasSpaceAvailable: Bool { failure == nil }

    /// Throws the first write failure, if any.
    func check() throws {
        if let failure { throw failure }
    }
}

extension OutputStream {
    /// Writes all of `text`, or throws.
    func write(text: String) throws {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeMutableBufferPointer { write($0.baseAddress!, maxLength: $0.count) }
            guard written > 0 else {
                if let stream = self as? DescriptorOutputStream {
                    do { try stream.check() } catch let error as FileError { throw OutputFile.cliError(error) }
                }
                throw CLIError.io(path: "output", detail: "write failed")
            }
            offset += written
        }
        bytes.removeAll()
    }
}
