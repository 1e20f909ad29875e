/// A migration clv once shipped in the project's `sql/schema` whose tables a module now owns
/// (`Sources/MODULE/SQL/absorbed/NNNN_name.sql`, the file as it was shipped). A database that ran
/// some of them keeps them: the module finishes the rest and adopts its first script, and the
/// migrator neither asks for the files nor applies copies left in a project.
public struct AbsorbedMigration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var text: String
    public var checksum: String

    /// Whether `version` and `name` are this migration's (a project may reuse a free number).
    public func isNamed(_ version: Int, _ name: String) -> Bool { self.version == version && self.name == name }
}
