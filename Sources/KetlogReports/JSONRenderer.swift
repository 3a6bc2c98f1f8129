/// `--format json`: snake_case keys in a fixed order, absent statistics as null.
public struct JSONRenderer: TreeRenderer {
    public init() {}

    func render(tree: JSONValue) -> String { tree.encoded() }
}
