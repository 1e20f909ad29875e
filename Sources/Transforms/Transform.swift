import Core

/// How a transform's relation is kept in the database.
public enum Materialization: String, Sendable, Codable {
    /// A view: always current, rebuilt only when its definition changes.
    case view
    /// A table rebuilt in full whenever it or its inputs change.
    case table
    /// A table whose rows for changed keys are recomputed from new input data.
    case incremental
}

/// How an incremental build's rows are merged into the published table.
public enum MergeStrategy: String, Sendable {
    /// A new row replaces the row with its key (a row with `_deleted` true removes it).
    case replace
    /// A new row's columns are added to the row with its key (every non-key column is a number);
    /// a row whose columns all sum to zero is removed. For aggregates kept up to date from deltas.
    case add
}

/// One derived relation, defined by one file in `sql/transforms`.
public struct Transform: Sendable {
    /// `schema.name`, lower case.
    public var name: String
    public var materialization: Materialization
    /// Columns that identify a row (required for incremental transforms).
    public var uniqueKey: [String]
    /// How incremental builds merge (`-- strategy:`).
    public var strategy: MergeStrategy = .replace
    /// Whether builds record the rows they remove and add in `clv_changes.<schema>__<relation>`
    /// (`-- keeps_changes: true`), for dependents that fold changes in instead of re-reading everything.
    public var keepsChanges = false
    /// Secondary indexes a table gets on every full build (`-- indexes: (a, b), (c)`), for
    /// dependents that read it in order or look rows up by those columns.
    public var indexes: [[String]] = []
    /// Relations this one reads: other transforms, or sources (raw tables and any other table or
    /// view in the database, whether clv loaded it or not).
    public var dependsOn: [String]
    /// For sources clv does not load (no `_load_id`): the column whose growth marks their changes
    /// (`-- changes_by: raw.orders.updated_at`), by source. Without one, an untracked source makes
    /// this transform rebuild in full on every run.
    public var changesBy: [String: String] = [:]
    /// The declared change set (`-- recompute: KEY from …`): the SQL is plain, and incremental builds
    /// recompute the keys its sources changed.
    public var recompute: Recompute? = nil
    /// Relations the SQL reads as signed changes (`-- signed: raw.X, schema.transform, …`): each
    /// reference reads rows with a `_sign` column, all of them (+1) on a full build and only what
    /// changed since the last build on an incremental one (see ``SignedSources``).
    public var signed: [String] = []
    public var description: String
    /// The columns the header documents (`-- column NAME: meaning`), in file order.
    public var columns: [SQLFileHeader.Column] = []
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
    /// The table of recorded changes (see ``keepsChanges``): `_build_seq`, `_sign` (-1 removed, 1
    /// added), then the relation's columns.
    public var changesName: String { Self.changesName(of: name) }

    /// ``changesName`` of the transform named `name` (`schema.relation`).
    static func changesName(of name: String) -> String {
        "clv_changes." + name.split(separator: ".").joined(separator: "__")
    }
}
