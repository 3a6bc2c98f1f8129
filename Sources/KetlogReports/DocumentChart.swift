/// A chart in format-neutral terms: lines over days (with vertical markers), or paired bars per category.
public struct DocumentChart: Sendable {
    /// What the chart draws.
    public enum Kind: Sendable {
        /// One line per series over x = days; `markers` are x positions of vertical lines.
        case lines(markers: [Double], xLabel: String)
        /// One bar per series per category; `categories[i]` pairs with each series' `values[i]`.
        case bars(categories: [String])
        /// A survival curve per series: steps down at each point, x = days from 0 to `xMax`.
        case steps(xMax: Double, xLabel: String)
    }

    /// One measure or one arm (baseline, follow-up).
    public struct Series: Sendable {
        public var name: String
        /// For `.lines`: (x, y) points in x order. For `.bars`: x is the category index.
        public var points: [(x: Double, y: Double)]
    }

    public var title: String
    public var kind: Kind
    /// The y axis runs from 0 to `yMax` (28 for use days, 10 for craving).
    public var yMax: Double
    public var series: [Series]
}
