import ArgumentParser
import Foundation
import KetlogCrypto
import KetlogStore

/// `--format` for lists and single records.
enum RecordFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv
}
