import Foundation

/// Reading user-named text files (notes) as UTF-8.
enum TextFile {
    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileManager.default.fileExists(atPath: path) ? CLIError.io(path: path, detail: "cannot read the file")
                                                                : CLIError.fileNotFound(path: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError.invalidField(field: "notes file", allowed: "UTF-8 text")
        }
        return text
    }
}
