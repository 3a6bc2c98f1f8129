/// Which characters stored text may hold, and how text from the store is shown on a terminal.
///
/// Control characters (C0 but line break and tab, DEL, C1) and bidirectional overrides can
/// rewrite what a terminal shows: a CR hides what came before it, ESC starts a control
/// sequence, U+202E reverses the text after it. Single-line fields refuse them all at entry;
/// notes keep line breaks and tabs. Output escapes any that reach it anyway (old records, the
/// audit trail's file names).
public enum TextSafety {
    /// The bidirectional formatting characters (embeddings, overrides, isolates and marks).
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// Whether `text` may be stored: no control, unassigned, private-use or separator
    /// characters and no bidi controls; line feeds and tabs only when `multiline`.
    public static func isClean(_ text: String, multiline: Bool) -> Bool {
        var ascii = true
        for byte in text.utf8 {
            if byte >= 0x80 { ascii = false; break }
            if byte >= 0x20 && byte != 0x7F { continue }
            if multiline && (byte == 0x0A || byte == 0x09) { continue }
            return false
        }
        if ascii { return true }
        return text.unicodeScalars.allSatisfy { scalar in
            if multiline && (scalar == "\n" || scalar == "\t") { return true }
            if isBidiControl(scalar) { return false }
            switch scalar.properties.generalCategory {
            case .control, .unassigned, .surrogate, .privateUse, .lineSeparator, .paragraphSeparator: return false
            default: return true
            }
        }
    }

    /// `text` with every control character (but line break and tab when `multiline`) and every
    /// bidi control written as `\u{1B}`, so that stored data cannot drive the terminal.
    public static func escaped(_ text: String, multiline: Bool = false) -> String {
        let needs = text.utf8.contains { $0 < 0x20 || $0 == 0x7F || $0 >= 0x80 }
        guard needs else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let control = value < 0x20 || (0x7F...0x9F).contains(value) || isBidiControl(scalar)
            if control && !(multiline && (scalar == "\n" || scalar == "\t")) {
                out += "\\u{" + String(value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
