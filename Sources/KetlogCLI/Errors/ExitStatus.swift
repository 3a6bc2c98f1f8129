/// ketlog's exit codes (sysexits.h), listed in the README and asserted by end-to-end tests.
public enum ExitStatus: Int32, Sendable {
    case ok = 0
    case failure = 1
    case usage = 64
    case badData = 65
    case notFound = 66
    case refusesOverwrite = 73
    case ioError = 74
    case denied = 77
}
