/// `report cohort --by …`: how the cohort is split into groups.
///
/// Every grouping is by treatment start: dose, route and practitioner are those of the patient's
/// first session. By substance, a patient is in one group per substance listed, so groups can overlap.
public enum CohortGrouping: String, Sendable, Hashable, CaseIterable {
    /// The first session's mg/kg, as "0.41 mg/kg"; flat doses as "56 mg".
    case dose
    case route
    case substance
    case practitioner
}
