/// One shared copy of each distinct string.
struct StringPool {
    private var pool: [String: String] = [:]

    mutating func intern(_ text: String) -> String {
        if let shared = pool[text] { return shared }
        pool[text] = text
        return text
    }
}
