#if !FUZZING
import Foundation

/// The normal build of `ketlog-fuzz`: replays a corpus through one harness, so that CI checks
/// every committed input without libFuzzer.
///
///     KETLOG_FUZZ_TARGET=csv ketlog-fuzz Tests/FuzzCorpus/csv
///
/// Arguments are files or directories (read one level deep). Prints how many inputs ran and how
/// many the parser accepted; a crash on an input is the failure this exists to catch.
@main
struct CorpusReplayer {
    static func main() {
        if CommandLine.arguments.dropFirst() == ["--experimental-dump-help"] { describe() }
        let environment = ProcessInfo.processInfo.environment
        guard let target = FuzzTarget.fromEnvironment(environment), CommandLine.arguments.count > 1 else {
            FileHandle.standardError.write(Data("""
                usage: KETLOG_FUZZ_TARGET=\(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) ketlog-fuzz FILE|DIR…

                """.utf8))
            exit(64)
        }
        var ran = 0, accepted = 0
        for path in inputs(CommandLine.arguments.dropFirst()) {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("ketlog-fuzz: cannot read \(path)\n".utf8))
                exit(66)
            }
            if target.run(Array(data)) { accepted += 1 }
            ran += 1
        }
        print("\(target.rawValue): \(ran) inputs, \(accepted) accepted")
        exit(ran > 0 ? 0 : 66)
    }

    /// What swift-argument-parser's GenerateManual plugin reads from every executable product that
    /// links ArgumentParser (this one does, through KetlogCLI): so that `swift package plugin
    /// generate-manual` runs over the whole package and also makes ketlog-fuzz.1.
    static func describe() -> Never {
        let info: [String: Any] = ["serializationVersion": 0, "command": [
            "commandName": "ketlog-fuzz",
            "abstract": "Replay a fuzzing corpus through one of ketlog's parsers (age, armor, csv, json).",
            "discussion": "KETLOG_FUZZ_TARGET=age|armor|csv|json ketlog-fuzz FILE|DIR... runs every input and prints how many "
                + "the parser accepted. A crash is the failure it exists to catch. See RELIABILITY.md.",
        ] as [String: Any]]
        let data = (try? JSONSerialization.data(withJSONObject: info, options: [.sortedKeys])) ?? Data()
        FileHandle.standardOutput.write(data)
        exit(0)
    }

    /// Files named, and the regular files inside directories named, in a stable order.
    static func inputs(_ arguments: ArraySlice<String>) -> [String] {
        arguments.flatMap { argument -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue else {
                return [argument]
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
            return names.sorted().map { "\(argument)/\($0)" }.filter { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            }
        }
    }
}
#endif
