import Foundation

/// A progress bar on stderr for long work (import, export, backup, restore), drawn only when
/// stderr is a terminal and at most ten times a second.
final class ProgressBar {
    private let label: String
    private let total: Int
    private let enabled: Bool
    private var done = 0
    private var lastDraw = Date.distantPast

    init(_ label: String, total: Int, enabled: Bool = Terminal.stderrIsTerminal) {
        self.label = label
        self.total = max(total, 1)
        self.enabled = enabled
    }

    func advance(by count: Int = 1) {
        done += count
        guard enabled else { return }
        let now = Date()
        if now.timeIntervalSince(lastDraw) >= 0.1 || done >= total {
            lastDraw = now
            draw()
        }
    }

    /// Sets progress as a fraction of the whole (for byte-counted work).
    func set(fraction: Double) {
        let target = Int(fraction * Double(total))
        if target > done { advance(by: target - done) }
    }

    private func draw() {
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        Terminal.write(STDERR_FILENO, "\r\(label) \(bar) \(Int(fraction * 100))%")
    }

    /// Clears the line.
    func finish() {
        guard enabled else { return }
        Terminal.write(STDERR_FILENO, "\r\u{1B}[2K")
    }
}
