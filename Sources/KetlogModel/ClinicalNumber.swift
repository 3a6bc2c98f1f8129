import Foundation

/// Numbers as the clinic writes them.
public enum ClinicalNumber {
    /// No trailing `.0`, at most three decimals: `0.5`, `36`, `0.417`.
    public static func format(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
        var text = String(format: "%.3f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
