import ArgumentParser
import KetlogModel
import KetlogStore

/// A kind whose records are named by short id (`ses-12`, `sco-31`), with the fields `show`
/// prints: every kind but patients shares its `show` and `void` commands.
protocol ShownRecord: RecordBody {
    /// Every field, as `show` prints them.
    static func fields(_ record: Owned<Self>) -> [(String, FieldValue)]
}

/// A shown kind with a date of its own, listed by `ListRecords` (vitals take their session's
/// date and have a list of their own).
protocol ListedRecord: ShownRecord {
    /// The columns of `list` after `id` and `patient`, and before `void`: keys as in `show`.
    static var listColumns: [Field] { get }
    /// One `list` row's values for `listColumns`.
    var listValues: [FieldValue] { get }
    /// The day the record is about, for `--from`/`--to` and the list's order.
    var date: ClinicalDate { get }
}

extension KetamineSession: ListedRecord {
    static func fields(_ record: Owned<KetamineSession>) -> [(String, FieldValue)] {
        RecordFields.sessionRecord(record.body, patientCode: record.patientCode)
    }

    static let listColumns: [Field] = [.date, .route, .doseMgPerKg, .doseMg, .practitioner]

    var listValues: [FieldValue] {
        [.text(date.description), .text(route.rawValue), FieldValue(doseMgPerKg), .number(doseMg), .text(practitioner)]
    }
}

extension Score: ListedRecord {
    static func fields(_ record: Owned<Score>) -> [(String, FieldValue)] {
        RecordFields.score(record.body, patientCode: record.patientCode)
    }

    static let listColumns: [Field] = [.date, .craving, .useDays, .windowDays, .substance]

    var listValues: [FieldValue] {
        [.text(date.description), .integer(craving), .integer(useDays), .integer(windowDays), FieldValue(substance?.rawValue)]
    }
}

extension DrugScreen: ListedRecord {
    static func fields(_ record: Owned<DrugScreen>) -> [(String, FieldValue)] {
        RecordFields.screen(record.body, patientCode: record.patientCode)
    }

    static let listColumns: [Field] = [.date, .substance, .result, .method]

    var listValues: [FieldValue] {
        [.text(date.description), .text(substance.rawValue), .text(result.rawValue), FieldValue(method?.rawValue)]
    }
}

extension UseDay: ListedRecord {
    static func fields(_ record: Owned<UseDay>) -> [(String, FieldValue)] {
        RecordFields.day(record.body, patientCode: record.patientCode)
    }

    static let listColumns: [Field] = [.date, .used, .substance, .amount]

    var listValues: [FieldValue] { [.text(date.description), .bool(used), FieldValue(substance?.rawValue), FieldValue(amount)] }
}

extension Vitals: ShownRecord {
    static func fields(_ record: Owned<Vitals>) -> [(String, FieldValue)] {
        RecordFields.vitalsRecord(record.body, patientCode: record.patientCode)
    }
}

/// The generic subcommands of one kind, for a `subcommands:` list. Written as
/// `ListRecords<Score>.self` there, each type's metadata is made from its mangled name, and
/// checking `Score: ListedRecord` then scans every protocol-conformance record of the binary
/// (about 0.3 M instructions each, on every run, since the whole command tree is built to parse
/// any command). Here, unspecialised, the conformance is passed in: nothing is looked up.
enum RecordSubcommands {
    @_semantics("optimize.sil.specialize.generic.never") @inline(never)
    static func list<Body: ListedRecord>(_: Body.Type) -> ParsableCommand.Type { ListRecords<Body>.self }

    @_semantics("optimize.sil.specialize.generic.never") @inline(never)
    static func show<Body: ShownRecord>(_: Body.Type) -> ParsableCommand.Type { ShowRecord<Body>.self }

    @_semantics("optimize.sil.specialize.generic.never") @inline(never)
    static func void<Body: ShownRecord>(_: Body.Type) -> ParsableCommand.Type { VoidRecord<Body>.self }
}

/// `ketlog session|score list [--patient CODE] [--from D] [--to D] [--include-void]`.
struct ListRecords<Body: ListedRecord>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "list", abstract: "List \(Body.kind.rawValue)s by date (void ones with --include-void).",
            discussion: """
                Examples:
                  ketlog \(Body.kind.rawValue) list --patient P-0007
                  ketlog \(Body.kind.rawValue) list --from 2026-11-01 --to 2026-11-30 --format csv
                """)
    }
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this patient's records.") var patient: String?
    @OptionGroup var range: DateRange
    @Flag(help: "Include void records.") var includeVoid = false
    @Option(help: "Output format: text, json or csv.") var format: RecordFormat = .text

    func run() throws {
        let inRange = try range.predicate()
        let store = try global.unlocked()
        let patientID = try patient.map { try store.patientID(code: $0) }
        let directory = try PatientDirectory(store)
        let records = try store.all(Body.self, patientID: patientID)
            .filter { (includeVoid || !$0.stamp.isVoid) && inRange($0.body.date) }
            .sorted { ($0.body.date, $0.id) < ($1.body.date, $1.id) }
        let rows: [[FieldValue]] = try records.map { record in
            [.text(record.shortID), .text(try directory.code(record.patientID))] + record.body.listValues + [.bool(record.stamp.isVoid)]
        }
        let columns = ["id", Field.patient.column] + Body.listColumns.map(\.column) + ["void"]
        Output.out(RecordTable(columns: columns, rows: rows).render(format))
    }
}

/// `ketlog session|score show ID [--history]`.
struct ShowRecord<Body: ShownRecord>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "show", abstract: "Show a \(Body.kind.rawValue), or every version with --history.")
    }
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The \(Body.kind.rawValue)'s id (\(Body.kind.idPrefix)-N).", valueName: "id")) var id: String
    @Flag(help: "List every version with who, when and why.") var history = false
    @Option(help: "Output format: text, json or csv.") var format: RecordFormat = .text

    func run() throws {
        let rowID = try RecordID.parse(id, kind: Body.kind)
        try RecordOutput.show(try global.unlocked(), Body.self, id: rowID, history: history, format: format, fields: Body.fields)
    }
}

/// `ketlog session|score void ID --reason TEXT`.
struct VoidRecord<Body: ShownRecord>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "void", abstract: "Mark a \(Body.kind.rawValue) void (reports ignore it).")
    }
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The \(Body.kind.rawValue)'s id (\(Body.kind.idPrefix)-N).", valueName: "id")) var id: String
    @Option(help: "Why (required).") var reason: String

    func run() throws {
        let rowID = try RecordID.parse(id, kind: Body.kind)
        let reason = try Rules.reason(reason)
        let voided = try global.unlocked().void(Body.self, id: rowID, reason: reason)
        Output.line("voided \(voided.shortID) (version \(voided.version))")
    }
}
