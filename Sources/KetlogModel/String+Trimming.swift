import Foundation

extension String {
    /// The text without leading and trailing whitespace (`CharacterSet.whitespaces`, or
    /// `.whitespacesAndNewlines` when `newlines`), as Foundation trims it. Foundation's trimming
    /// bridges through NSString and showed up at ~10% of an import, where nearly every cell needs
    /// none; so when both ends are ASCII and not whitespace the text is returned as it is.
    public func trimmingWhitespace(newlines: Bool = false) -> String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        func plain(_ byte: UInt8) -> Bool {
            byte < 0x80 && byte != 0x20 && byte != 0x09 && (!newlines || !(0x0A...0x0D).contains(byte))
        }
        if plain(first) && plain(last) { return self }
        return trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
    }
}
