import ArgumentParser
import KetlogStore

/// The session fields `add` and `amend` share.
struct SessionFields: ParsableArguments {
    @Option(help: ArgumentHelp("Date of the session.", valueName: "YYYY-MM-DD")) var date: String?
    @Option(help: ArgumentHelp("Start time.", valueName: "HH:MM")) var time: String?
    @Option(help: "Route: \(Route.allowedList).") var route: String?
    @Option(help: ArgumentHelp("Dose per kg body weight (needs --weight-kg).", valueName: "mg/kg")) var doseMgPerKg: Double?
    @Option(help: ArgumentHelp("Body weight.", valueName: "kg")) var weightKg: Double?
    @Option(help: ArgumentHelp("Total dose.", valueName: "mg")) var doseMg: Double?
    @Option(help: ArgumentHelp("Infusion length (required for iv).", valueName: "minutes")) var durationMin: Int?
    @Option(help: "Who gave the ketamine.") var practitioner: String?
    @Option(help: "Integration counselor.") var counselor: String?
    @Option(help: "Integration-counseling notes.") var notes: String?
    @Option(help: ArgumentHelp("Read the notes from a file.", valueName: "file")) var notesFile: String?
    @Flag(help: "Write the notes in $VISUAL or $EDITOR.") var editNotes = false
    @Option(help: "An adverse event (repeatable).") var adverseEvent: [String] = []
    @Flag(help: "Accept a dose outside the route's usual band (recorded on the session and in the audit trail).")
    var allowUnusualDose = false

    func validate() throws {
        let sources = [notes != nil, notesFile != nil, editNotes].filter { $0 }.count
        if sources > 1 { throw ValidationError("give at most one of --notes, --notes-file, --edit-notes") }
    }

    /// The notes from whichever source was given; nil when none was.
    func resolvedNotes(existing: String? = nil) throws -> String? {
        if let notes { return notes }
        if let notesFile { return try TextFile.read(notesFile) }
        if editNotes { return try Editor.edit(existing ?? "") }
        return nil
    }
}
