/// Recognises a file that ketlog wrote as a report, by its content, so that `report --output`
/// replaces only an earlier report (cron writes the same path every week) and never, say, a
/// spreadsheet someone saved under that name.
///
/// The check: the file ends with the audit footer of one of the five renderers, exactly as they
/// write it (after the final newline is dropped):
/// - text, markdown: the last line is `audit chain verified|NOT VERIFIED, N entries, head H`;
/// - html: it starts `<!DOCTYPE html>` and ends `<footer class="good|warning">` + that line +
///   `</footer>`, `</body>`, `</html>` on their own lines;
/// - json: it starts `{` + newline + `  "report": "` and ends with the `audit` object
///   (`"verified": true|false`, `"head": "H"`, `"entries": N`) closing the document;
/// - csv: it starts `field,value` + newline + `report,` and ends with the lines
///   `audit.verified,true|false`, `audit.head,H`, `audit.entries,N`.
/// N is a decimal number and H is 16 lowercase hex digits. Callers pass the first and last few
/// hundred bytes (`headLength`, `tailLength`); the rest of the file does not matter.
public enum ReportSignature {
    public static let headLength = 64
    public static let tailLength = 512

    public static func isReport(head: [UInt8], tail: [UInt8]) -> Bool {
        // Either end may cut a multi-byte character: drop the partial one.
        let tail = tail.drop { $0 & 0xC0 == 0x80 }
        guard let start = prefixText(head), var end = String(validating: tail, as: UTF8.self) else { return false }
        if end.hasSuffix("\n") { end.removeLast() }
        let lines = end.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let last = lines.last else { return false }
        if isAuditLine(last) { return true }  // text and markdown
        if start.hasPrefix("<!DOCTYPE html>"), lines.count >= 3,
           lines[lines.count - 2] == "</body>", last == "</html>" {
            let footer = lines[lines.count - 3]
            for opening in ["<footer class=\"good\">", "<footer class=\"warning\">"] where footer.hasPrefix(opening) && footer.hasSuffix("</footer>") {
                return isAuditLine(String(footer.dropFirst(opening.count).dropLast("</footer>".count)))
            }
            return false
        }
        if start.hasPrefix("{\n  \"report\": \""), lines.count >= 6 {
            let audit = Array(lines.suffix(6))
            return audit[0] == "  \"audit\": {"
                && ["    \"verified\": true,", "    \"verified\": false,"].contains(audit[1])
                && isHead(audit[2], prefix: "    \"head\": \"", suffix: "\",")
                && isCount(audit[3], prefix: "    \"entries\": ", suffix: "")
                && audit[4] == "  }" && audit[5] == "}"
        }
        if start.hasPrefix("field,value\nreport,"), lines.count >= 3 {
            let audit = lines.suffix(3)
            return ["audit.verified,true", "audit.verified,false"].contains(audit[audit.startIndex])
                && isHead(audit[audit.startIndex + 1], prefix: "audit.head,", suffix: "")
                && isCount(audit[audit.startIndex + 2], prefix: "audit.entries,", suffix: "")
        }
        return false
    }

    /// `audit chain verified|NOT VERIFIED, N entries, head H`.
    static func isAuditLine(_ line: String) -> Bool {
        for state in ["verified", "NOT VERIFIED"] {
            let prefix = "audit chain \(state), "
            guard line.hasPrefix(prefix) else { continue }
            let rest = line.dropFirst(prefix.count)
            guard let space = rest.firstIndex(of: " ") else { return false }
            return isCount(String(rest[..<space]), prefix: "", suffix: "")
                && isHead(String(rest[space...]), prefix: " entries, head ", suffix: "")
        }
        return false
    }

    private static func isHead(_ text: String, prefix: String, suffix: String) -> Bool {
        guard text.hasPrefix(prefix), text.hasSuffix(suffix), text.count == prefix.count + 16 + suffix.count else { return false }
        return text.dropFirst(prefix.count).dropLast(suffix.count).allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    private static func isCount(_ text: String, prefix: String, suffix: String) -> Bool {
        guard text.hasPrefix(prefix), text.hasSuffix(suffix) else { return false }
        let digits = text.dropFirst(prefix.count).dropLast(suffix.count)
        return !digits.isEmpty && digits.count <= 19 && digits.allSatisfy { ("0"..."9").contains($0) }
    }

    /// The head may end inside a multi-byte character: keep the valid part.
    private static func prefixText(_ head: [UInt8]) -> String? {
        var bytes = Array(head.prefix(headLength))
        while !bytes.isEmpty {
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            bytes.removeLast()
        }
        return nil
    }
}
