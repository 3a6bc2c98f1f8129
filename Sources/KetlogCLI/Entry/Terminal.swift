import Foundation

/// The controlling terminal: prompts go there (not to stdout), passphrases are read without echo,
/// colour is used only on a terminal and never with `NO_COLOR`.
enum Terminal {
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Colour on stdout: a terminal, and `NO_COLOR` unset or empty.
    static var colourEnabled: Bool {
        let noColour = ProcessInfo.processInfo.environment["NO_COLOR"] ?? ""
        return stdoutIsTerminal && noColour.isEmpty
    }

    /// Whether a prompt can be shown: `/dev/tty` opens.
    static var isAvailable: Bool {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    /// Asks on `/dev/tty` and reads one line; nil when there is no terminal or input ended.
    static func ask(_ prompt: String, echo: Bool = true) -> String? {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var saved = termios()
        let haveAttributes = tcgetattr(fd, &saved) == 0
        if !echo && haveAttributes {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            quiet.c_lflag |= tcflag_t(ECHONL)
            tcsetattr(fd, TCSAFLUSH, &quiet)
        }
        defer { if !echo && haveAttributes { tcsetattr(fd, TCSAFLUSH, &saved) } }
        // The prompt only after echo is off: TCSAFLUSH discards typed-ahead input, and anything
        // typed (or pasted) between the prompt and the switch would be echoed and then lost.
        write(fd, prompt)
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }

    static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        _ = Foundation.write(fd, &bytes, bytes.count)
    }
}
