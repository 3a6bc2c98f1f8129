/// Errors of the file-system layer. Messages are written by the callers' error types; these
/// carry only paths (never file contents) and the system's reason.
public enum FileError: Error, Equatable, Sendable {
    /// Something is already at the path and the caller asked for a new file.
    case exists(path: String)
    /// A system call failed: the path and `strerror` of its errno.
    case io(path: String, detail: String)
    /// The half-written file was swapped for something else before it could be renamed into
    /// place (a racer in a shared directory): nothing was published.
    case replaced(path: String)
}
