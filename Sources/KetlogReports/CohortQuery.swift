import KetlogModel
/// The filters and options of `report cohort`. Route and practitioner filters apply to the first
/// session (the one that fixes T0); `from`/`to` bound T0, both inclusive.
public struct CohortQuery: Sendable, Hashable {
    /// Keep patients who list this substance.
    public var substance: String?
    /// Keep patients whose first session used this route.
    public var route: String?
    /// Keep patients whose first session was given by this practitioner.
    public var practitioner: String?
    public var from: ClinicalDate?
    public var to: ClinicalDate?
    public var followUp: FollowUpRule
    public var grouping: CohortGrouping?
    /// `--missing`: how the daily-use endpoints count a day without data.
    public var missingRule: MissingDayRule

    /// - Throws: `ReportError.invalidParameter(name: "from")` when `from` is after `to`.
    public init(substance: String? = nil, route: String? = nil, practitioner: String? = nil,
                from: ClinicalDate? = nil, to: ClinicalDate? = nil, followUp: FollowUpRule = .standard,
                grouping: CohortGrouping? = nil, missingRule: MissingDayRule = .use) throws(ReportError) {
        if let from, let to, from > to { throw .invalidParameter(name: "from") }
        (self.substance, self.route, self.practitioner, self.from, self.to, self.followUp, self.grouping)
            = (substance, route, practitioner, from, to, followUp, grouping)
        self.missingRule = missingRule
    }
}

extension CohortQuery {
    /// The daily-use endpoints' options: window F = the follow-up days, the substance filter.
    public var endpointOptions: EndpointOptions {
        EndpointOptions(missingRule: missingRule, windowDays: followUp.days, substance: substance.flatMap(Substance.init(rawValue:)))
    }
}
