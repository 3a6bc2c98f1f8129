#if FUZZING
import Foundation

/// libFuzzer's driver, from `libclang_rt.fuzzer_no_main` (linked by Scripts/fuzz-build): it
/// takes the command line and calls `callback` once per input.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The libFuzzer build of `ketlog-fuzz` (see Scripts/fuzz-build). The harness is chosen by
/// `KETLOG_FUZZ_TARGET`; arguments are libFuzzer's (`-max_total_time=600 corpus/`).
///
/// Not `-sanitize=fuzzer`: SwiftPM passes `-Xswiftc` flags to the schema plugin's build tool as
/// well, and libFuzzer's `main` collides with every executable's. So the code is instrumented with
/// `-sanitize=address -sanitize-coverage=…`, and this `main` hands control to libFuzzer's driver.
@main
struct FuzzDriver {
    nonisolated(unsafe) static var target: FuzzTarget!

    static func main() {
        guard let target = FuzzTarget.fromEnvironment(ProcessInfo.processInfo.environment) else {
            FileHandle.standardError.write(Data("set KETLOG_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(64)
        }
        Self.target = target
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, count in
            let bytes = count == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: count))
            FuzzDriver.target.run(bytes)
            return 0
        })
    }
}
#endif
