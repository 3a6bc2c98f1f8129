#if FUZZING
import Foundation

/// libFuzzer's entry point (`swift build -c release -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING`);
/// libFuzzer supplies `main`. The harness is chosen by `KETLOG_FUZZ_TARGET`.
private let target: FuzzTarget = {
    guard let target = FuzzTarget.fromEnvironment(ProcessInfo.processInfo.environment) else {
        fatalError("set KETLOG_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = count == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: count))
    target.run(bytes)
    return 0
}
#endif
