import AgeFormat
import KetlogCLI

/// One fuzzing harness: feeds arbitrary bytes to a parser that reads untrusted files. Thrown
/// errors are the expected outcome for bad input; a crash (a trap, an overflow, an out-of-range
/// index) is a bug.
enum FuzzTarget: String, CaseIterable {
    /// The age v1 binary format: header, stanzas, header MAC, STREAM payload.
    case age
    /// age's ASCII armor around the same.
    case armor
    /// `ketlog import` of a CSV file, every kind.
    case csv
    /// `ketlog import` of a JSON file, every kind.
    case json

    /// A fixed X25519 identity, for fuzzing only: seed files encrypted to it reach the payload.
    static let identity = "AGE-SECRET-KEY-1XCV8QEWQXE72VH9ZA4ZRN4NN4WGFTWT600PZ8PS3CLVMQ4WVMWSSG9KQFM"

    private static let decryptors: [AgeDecryptor.Armor: AgeDecryptor] = {
        let identities = [try! AgeIdentity(parsing: identity)]
        return [.forbidden: AgeDecryptor(identities: identities, armor: .forbidden),
                .required: AgeDecryptor(identities: identities, armor: .required)]
    }()

    /// The target named by `KETLOG_FUZZ_TARGET`.
    static func fromEnvironment(_ environment: [String: String]) -> FuzzTarget? {
        environment["KETLOG_FUZZ_TARGET"].flatMap(FuzzTarget.init(rawValue:))
    }

    /// Runs the harness on one input; returns whether the input was accepted.
    @discardableResult
    func run(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .age: return (try? Self.decryptors[.forbidden]!.decrypt(bytes)) != nil
        case .armor: return (try? Self.decryptors[.required]!.decrypt(bytes)) != nil
        case .csv, .json:
            var accepted = false
            for kind in ["patients", "sessions", "scores", "vitals", "screens", "days"] {
                do {
                    try ImportParsing.check(bytes, fileExtension: rawValue, kind: kind)
                    accepted = true
                } catch {
                    // Every rejection must still render as one line without a crash.
                    let (message, _) = ImportParsing.describe(error)
                    precondition(!message.contains("\n"), "an error message spans several lines")
                }
            }
            return accepted
        }
    }
}
