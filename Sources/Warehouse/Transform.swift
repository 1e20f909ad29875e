/// How a transform's relation is kept in the database.
public enum Materialization: String, Sendable, Codable {
    /// A view: always current, rebuilt only when its definition changes.
    case view
    /// A table rebuilt in full whenever it or its inputs change.
    case table
    /// A table whose rows for changed keys are recomputed from new input data.
    case incremental
}

/// One derived relation, defined by one file in `sql/transforms`.
public struct Transform: Sendable {
    /// `schema.name`, lower case.
    public var name: String
    public var materialization: Materialization
    /// Columns that identify a row (required for incremental transforms).
    public var uniqueKey: [String]
    /// Relations this one reads: other transforms, or raw tables.
    public var dependsOn: [String]
    public var description: String
    /// The file, relative to the project folder.
    public var file: String
    /// The whole file text; the statement body is this minus trailing `;` and blanks.
    public var text: String
    /// SHA-256 of the file: the transform's version.
    public var version: String
    /// Whether the SQL reads `clv_meta.as_of()` (so a new reference time means a rebuild).
    public var usesReferenceTime: Bool

    /// The SELECT statement, as written in the file (header comments included).
    public var body: String { statementBody(of: text) }

    public var schema: String { String(name.split(separator: ".")[0]) }
    public var relation: String { String(name.split(separator: ".")[1]) }
    /// The relation's name inside `clv_staging` while it is built.
    public var stagingName: String { "clv_staging.\(schema)__\(relation)" }
}
