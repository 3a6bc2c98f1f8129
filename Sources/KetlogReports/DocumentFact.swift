/// A label and its value; `tone` lets a coloured terminal or HTML highlight it.
public struct DocumentFact: Sendable {
    /// How a value should stand out, when the format can show it.
    public enum Tone: Sendable {
        case plain
        case good
        case warning
    }

    public var label: String
    public var value: String
    public var tone: Tone

    public init(_ label: String, _ value: String, tone: Tone = .plain) {
        self.label = label
        self.value = value
        self.tone = tone
    }
}
