import ArgumentParser

/// `--format` for lists and single records.
enum RecordFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv
}
