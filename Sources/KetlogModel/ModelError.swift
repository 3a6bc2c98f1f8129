/// A clinical rule that a draft broke: which field, and what it allows. Never the value.
public enum ModelError: Error, Sendable, Equatable {
    /// `field` must satisfy `rule`.
    case invalid(Field, Rule)
}
