/// What can stop `ketlog-synth`; each case is printed as one `ketlog-synth: error: …` line.
enum SynthError: Error, CustomStringConvertible {
    case usage(String)
    case io(String)

    /// sysexits-style, like ketlog: 64 usage, 74 I/O.
    var exitCode: Int32 {
        switch self {
        case .usage: return 64
        case .io: return 74
        }
    }

    var description: String {
        switch self {
        case .usage(let message): return message
        case .io(let path): return "cannot write \(path)"
        }
    }
}
