import ArgumentParser
import Foundation
import KetlogModel
import KetlogReports
import KetlogStore

/// `ketlog report …`: patient trend, cohort pre/post comparison, weekly activity.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Patient trend, cohort pre/post comparison, and the weekly report.",
        discussion: """
            Definitions: treatment start T0 is the patient's first non-void session; use
            days are normalised to 28 days; the baseline is the latest score on or before
            T0; the follow-up is the score after T0 closest to T0 + --follow-up-days
            within ±--tolerance-days (a tie goes to the later score). Every report ends
            with the audit head and whether the chain verified.

            Daily-use endpoints cover days 1…F after T0 (F: --follow-up-days, \(FollowUpRule.allowedDaysText)). A
            day is use when a day record says used or a screen that day is positive;
            abstinent when a day record says so and nothing says use; else missing.
            --missing use (the default) counts a missing day as use; ignore leaves it out.
            A day after today is not yet observed (neither use, abstinent nor missing):
            until T0 + F has passed, the cohort leaves the patient out of the endpoints
            and the relapse curve (listed as missing: follow-up window not yet complete),
            and the patient report computes them over the days so far (abstinent in the
            last 14 days only once the window is complete; without a relapse, censored at
            the last observed day).
            """,
        subcommands: [PatientReport.self, CohortReportCommand.self, WeeklyReportCommand.self]
    )
}

extension ReportFormat: ExpressibleByArgument {}

extension FollowUpRule {
    /// "1-365", for the help text.
    static var allowedDaysText: String { "\(allowedDays.lowerBound)-\(allowedDays.upperBound)" }
}
extension CohortGrouping: ExpressibleByArgument {}
extension MissingDayRule: ExpressibleByArgument {}

/// `--format` and `--output` of every report.
struct ReportOutputOptions: ParsableArguments {
    @Option(help: "text, markdown, json, csv or html (default: from --output's extension, else text).")
    var format: ReportFormat?

    @Option(help: ArgumentHelp("Write to this file (0600, replaced atomically) instead of stdout.", valueName: "file"))
    var output: String?

    @Flag(help: "Replace --output even when it is not an earlier ketlog report (never the store).")
    var force = false

    @Option(help: ArgumentHelp("With --output: who receives the report and why, for the accounting of disclosures.",
                               valueName: "text"))
    var purpose: String?

    var resolvedFormat: ReportFormat {
        if let format { return format }
        if let output {
            let ext = URL(fileURLWithPath: output).pathExtension.lowercased()
            if let match = ReportFormat.allCases.first(where: { $0.fileExtension == ext }) { return match }
        }
        return .text
    }

    /// Refuses an --output that is the store, or an existing file that is not a ketlog report
    /// (without --force): before the passphrase is asked for.
    func checkTarget(storePath: String) throws {
        if let output { try ReportTarget.check(output, storePath: storePath, force: force) }
        _ = try Rules.text(purpose, .purpose)
    }

    /// Prints the report, or writes it to `--output` and records that disclosure: which
    /// patients' data the report was made from, how many records, where to and why.
    func emit(_ report: some RenderableReport, kind: String, dataset: ReportDataset, store: UnlockedStore,
              storePath: String) throws {
        try checkTarget(storePath: storePath)
        let purpose = try Rules.text(purpose, .purpose)
        let format = resolvedFormat
        let colour = output == nil && format == .text && Terminal.colourEnabled
        var text = format.renderer(colour: colour).render(report)
        if !text.hasSuffix("\n") { text += "\n" }
        guard let output else {
            Output.out(text)
            return
        }
        let file = try OutputFile(path: output, overwrite: true)
        do {
            try file.write(text)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
        try store.recordDisclosure(Disclosure(what: "report", kind: kind, format: format.rawValue,
                                              patients: dataset.patients.map(\.id),
                                              records: dataset.sessions.count + dataset.scores.count + dataset.days.count
                                                  + dataset.screens.count + dataset.vitals.count,
                                              to: OutputFile.displayName(output), purpose: purpose))
        Output.err("ketlog: wrote \(output)")
    }
}

extension ReportCommand {
    struct PatientReport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "patient",
            abstract: "One patient's use days and craving over time, against baseline.",
            discussion: """
                Examples:
                  ketlog report patient P-0007
                  ketlog report patient P-0007 --output p0007.html
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Patient code.") var code: String
        @Option(help: "Daily-use endpoints: only day records of this substance (or of none) and its screens.")
        var substance: String?
        @Option(help: ArgumentHelp("Daily-use window: days 1…F after T0 (\(FollowUpRule.allowedDaysText)).", valueName: "days"))
        var followUpDays = 28
        @Option(help: "A day without a day record or positive screen: use (the default) or ignore.")
        var missing: MissingDayRule = .use
        @OptionGroup var out: ReportOutputOptions

        func run() throws {
            let substance: Substance? = try substance.map { try Rules.term($0, .substance) }
            let options = EndpointOptions(missingRule: missing, windowDays: try FollowUpRule(days: followUpDays).days,
                                          substance: substance)
            try out.checkTarget(storePath: global.storePath)
            let store = try global.unlocked()
            let dataset = try ReportDatasetLoader.load(store, patientCode: code, inputs: .patient)
            try out.emit(try PatientTrendReport(dataset: dataset, patientCode: code, endpoints: options), kind: "patient",
                         dataset: dataset, store: store, storePath: global.storePath)
        }
    }

    struct CohortReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cohort",
            abstract: "Pre/post use days across patients, with statistics, optionally grouped.",
            discussion: """
                Filters apply to the patient (substance) or their first session (route,
                practitioner); --from/--to bound T0; --substance also picks the day records
                and screens of the daily-use endpoints (days 1…--follow-up-days after T0). Statistics: mean, SD, median; the paired
                difference with a Student-t 95% CI; the Wilcoxon signed-rank p-value (as scipy's
                wilcoxon with its defaults); percent abstinent and with ≥50% reduction.

                Examples:
                  ketlog report cohort
                  ketlog report cohort --substance cocaine --by dose
                  ketlog report cohort --from 2026-01-01 --to 2026-06-30 --format json
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only patients treated for this substance.") var substance: String?
        @Option(help: "Only patients whose first session used this route.") var route: String?
        @Option(help: "Only patients whose first session this practitioner gave.") var practitioner: String?
        @OptionGroup var range: DateRange
        @Option(help: ArgumentHelp(
            "Days after T0 of the follow-up score, and the daily-use window (\(FollowUpRule.allowedDaysText)).",
            valueName: "days"))
        var followUpDays = 28
        @Option(help: ArgumentHelp("How far the follow-up may lie from its target.", valueName: "days")) var toleranceDays = 7
        @Option(help: "Group by dose, route, substance or practitioner.") var by: CohortGrouping?
        @Option(help: "Daily-use endpoints: a day without a day record or positive screen counts as use (the default) or is ignored.")
        var missing: MissingDayRule = .use
        @OptionGroup var out: ReportOutputOptions

        func run() throws {
            let substance: Substance? = try substance.map { try Rules.term($0, .substance) }
            let route: Route? = try route.map { try Rules.term($0, .route) }
            let query = try CohortQuery(
                substance: substance?.rawValue, route: route?.rawValue, practitioner: practitioner,
                from: try range.from.map { try DateRange.parse($0, option: "--from") },
                to: try range.to.map { try DateRange.parse($0, option: "--to") },
                followUp: try FollowUpRule(days: followUpDays, toleranceDays: toleranceDays), grouping: by,
                missingRule: missing)
            try out.checkTarget(storePath: global.storePath)
            let store = try global.unlocked()
            let dataset = try ReportDatasetLoader.load(store, inputs: .cohort)
            try out.emit(CohortReport(dataset: dataset, query: query), kind: "cohort", dataset: dataset, store: store,
                         storePath: global.storePath)
        }
    }

    struct WeeklyReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "weekly",
            abstract: "Last week's sessions, new patients, scores, alerts and overdue check-ins.",
            discussion: """
                Meant for cron, e.g. every Monday at 06:00:
                  0 6 * * 1  KETLOG_PASSWORD_FILE=/etc/ketlog/pass ketlog report weekly --output /srv/reports/weekly.html

                Examples:
                  ketlog report weekly
                  ketlog report weekly --week 2026-W47 --format markdown
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("YYYY-Www, last (the last complete ISO week) or this.", valueName: "week"))
        var week: String = "last"
        @OptionGroup var out: ReportOutputOptions

        func run() throws {
            let selection = try WeekSelection(parsing: week)
            try out.checkTarget(storePath: global.storePath)
            let store = try global.unlocked()
            // Only the week's sessions are checked against the vitals thresholds: load their vitals only.
            let today = ClinicalDate.today()
            let week = selection.resolve(today: today)
            let dataset = try ReportDatasetLoader.load(store, inputs: .weekly, vitalsDated: week.monday...week.sunday, today: today)
            try out.emit(WeeklyReport(dataset: dataset, week: week), kind: "weekly", dataset: dataset,
                         store: store, storePath: global.storePath)
        }
    }
}
