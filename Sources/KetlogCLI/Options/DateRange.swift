import ArgumentParser
import KetlogModel

/// `--from` / `--to` date filters (inclusive).
struct DateRange: ParsableArguments {
    @Option(help: ArgumentHelp("Only on or after this date.", valueName: "YYYY-MM-DD")) var from: String?
    @Option(help: ArgumentHelp("Only on or before this date.", valueName: "YYYY-MM-DD")) var to: String?

    /// The filter, with both dates parsed once.
    func predicate() throws -> (ClinicalDate) -> Bool {
        let from = try from.map { try Self.parse($0, option: "--from") }
        let to = try to.map { try Self.parse($0, option: "--to") }
        return { date in (from.map { date >= $0 } ?? true) && (to.map { date <= $0 } ?? true) }
    }

    /// A date option that may lie in the future (a filter, not a record).
    static func parse(_ text: String, option: String) throws -> ClinicalDate {
        guard let date = try? Rules.date(text, .date, notInFuture: false) else {
            throw CLIError.invalidField(field: option, allowed: "an ISO date YYYY-MM-DD")
        }
        return date
    }
}
