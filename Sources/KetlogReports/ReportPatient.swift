/// A patient as reports see one: the clinic's code and substances, never a name.
public struct ReportPatient: Sendable, Hashable {
    /// The store's row id; sessions and scores refer to it.
    public var id: Int64
    /// The clinic's patient code, e.g. `P-0007`.
    public var code: String
    /// Substances from the fixed vocabulary (cocaine, opioids, heroin, prescription-opioids,
    /// methamphetamine, alcohol, cannabis, benzodiazepines, other), in the order recorded.
    public var substances: [String]

    public init(id: Int64, code: String, substances: [String]) {
        self.id = id
        self.code = code
        self.substances = substances
    }
}
