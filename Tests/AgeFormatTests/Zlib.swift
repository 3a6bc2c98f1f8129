import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// zlib `uncompress` through `dlopen`, for the CCTV vectors stored compressed; keeps the test
/// target free of a link dependency the product does not need.
enum Zlib {
    private typealias Uncompress = @convention(c) (
        UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt>?, UnsafePointer<UInt8>?, UInt
    ) -> Int32

    struct Failure: Error { let reason: String }

    static func inflate(_ compressed: [UInt8]) throws -> [UInt8] {
        guard let library = dlopen("libz.so.1", RTLD_NOW) else { throw Failure(reason: "libz.so.1 not found") }
        defer { dlclose(library) }
        guard let symbol = dlsym(library, "uncompress") else { throw Failure(reason: "no uncompress in libz") }
        let uncompress = unsafeBitCast(symbol, to: Uncompress.self)
        var capacity = max(compressed.count * 8, 1 << 16)
        while capacity <= 1 << 30 {
            var output = [UInt8](repeating: 0, count: capacity)
            var length = UInt(capacity)
            let status = output.withUnsafeMutableBufferPointer { out in
                compressed.withUnsafeBufferPointer { input in
                    uncompress(out.baseAddress, &length, input.baseAddress, UInt(input.count))
                }
            }
            if status == 0 { return Array(output[..<Int(length)]) }
            guard status == -5 else { throw Failure(reason: "zlib status \(status)") }  // Z_BUF_ERROR: grow
            capacity *= 4
        }
        throw Failure(reason: "inflated size too large")
    }
}
