import ArgumentParser
import KetlogStore

/// The score fields `add` and `amend` share.
struct ScoreFields: ParsableArguments {
    @Option(help: ArgumentHelp("Date of the check-in.", valueName: "YYYY-MM-DD")) var date: String?
    @Option(help: ArgumentHelp("Craving, 0 (none) to 10 (worst).", valueName: "0-10")) var craving: Int?
    @Option(help: ArgumentHelp("Days of use in the window.", valueName: "n")) var useDays: Int?
    @Option(help: ArgumentHelp("Length of the recall window, 1–90 days (default 28).", valueName: "days")) var windowDays: Int?
    @Option(help: "The substance the use days count: \(Substance.allowedList).") var substance: String?
}
