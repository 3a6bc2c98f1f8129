import ArgumentParser
import KetlogStore

/// `--from` / `--to` date filters (inclusive).
struct DateRange: ParsableArguments {
    @Option(help: ArgumentHelp("Only on or after this date.", valueName: "YYYY-MM-DD")) var from: String?
    @Option(help: ArgumentHelp("Only on or before this date.", valueName: "YYYY-MM-DD")) var to: String?

    func validate() throws {
        if let from { try Validation.date(from, field: "--from", allowFuture: true) }
        if let to { try Validation.date(to, field: "--to", allowFuture: true) }
    }

    func contains(_ date: String) -> Bool {
        (from.map { date >= $0 } ?? true) && (to.map { date <= $0 } ?? true)
    }
}
