import Core
import Foundation

/// Every transform in `sql/transforms`, validated, with its dependency graph.
public struct TransformCatalog: Sendable {
    /// Transforms in build order (dependencies first).
    public let ordered: [Transform]
    public let graph: DependencyGraph

    static let headerKeys: Set<String> = [
        "name", "materialized", "unique_key", "depends_on", "description", "strategy", "keeps_changes", "indexes",
        "changes_by", "recompute", "signed", SQLFileHeader.columnKey,
    ]
    /// Schemas a transform may not build into.
    static let reservedSchemas: Set<String> = [
        "raw", "clv_meta", "clv_staging", "pg_catalog", "information_schema", "public",
    ]
    /// The schema of ingested facts: dependencies on it are raw tables, not transforms.
    /// Whether `name` (`schema.relation`) is a raw table.
    static func isRaw(_ name: String) -> Bool { name.hasPrefix(RawTables.schema + ".") }

    /// Dependencies no transform defines: tables and views transforms read from the database.
    public var sources: [String] {
        Array(Set(ordered.flatMap(\.dependsOn).filter { self[$0] == nil })).sorted()
    }

    public subscript(name: String) -> Transform? { ordered.first { $0.name == name } }

    /// Loads and validates every transform file of `project`.
    public static func load(_ project: Project) throws -> TransformCatalog {
        var transforms: [Transform] = []
        for url in try project.sqlFiles(in: project.transformsDirectory) {
            transforms.append(try parse(file: project.relativePath(url), text: try project.read(url)))
        }
        return try TransformCatalog(transforms)
    }

    /// Validates names and dependencies and orders `transforms`.
    public init(_ transforms: [Transform]) throws {
        var byName: [String: Transform] = [:]
        for transform in transforms {
            if let other = byName[transform.name] {
                throw WarehouseError("\(transform.name) is also defined in \(other.file)", at: transform.file)
            }
            byName[transform.name] = transform
        }
        // A source may live in any schema but those transforms build into, where an unknown name is a
        // typo — unless the transform names its change column (a table written beside the transforms).
        let builtSchemas = Set(transforms.map(\.schema))
        for transform in transforms {
            for dependency in transform.dependsOn
            where byName[dependency] == nil && transform.changesBy[dependency] == nil {
                let schema = String(dependency.split(separator: ".")[0])
                guard schema == RawTables.schema || !builtSchemas.contains(schema) else {
                    throw WarehouseError(
                        "depends_on names \(dependency), which no file in sql/transforms defines (transforms build \(schema))",
                        at: transform.file)
                }
            }
            try Self.checkReads(of: transform, known: byName)
            // A recompute source marked with changes_by or read as a rolling window needs no changes.
            let recomputed = transform.recompute?.sources.filter {
                transform.changesBy[$0.relation] == nil && $0.window == nil
            }
            try Self.checkChangeSources(
                recomputed?.map(\.relation) ?? [], declaredBy: "recompute", of: transform, known: byName)
            try Self.checkChangeSources(transform.signed, declaredBy: "signed", of: transform, known: byName)
        }
        let graph = DependencyGraph(
            edges: Dictionary(
                uniqueKeysWithValues: transforms.map { ($0.name, $0.dependsOn.filter { byName[$0] != nil }) }))
        let order = try graph.topologicalOrder()
        self.ordered = order.map { byName[$0]! }
        self.graph = graph
    }

    /// Parses one transform file.
    public static func parse(file: String, text: String) throws -> Transform {
        let header = try SQLFileHeader.parse(text, file: file, allowedKeys: headerKeys)
        guard let nameField = header.fields["name"] else {
            throw WarehouseError("missing '-- name: schema.relation' header", at: file)
        }
        let name = nameField.value.lowercased()
        guard isRelationName(name) else {
            throw WarehouseError(
                "name must be schema.relation (letters, digits, _), got '\(nameField.value)'",
                at: "\(file):\(nameField.line)")
        }
        let schema = String(name.split(separator: ".")[0])
        guard !reservedSchemas.contains(schema) else {
            throw WarehouseError("transforms may not build into schema \(schema)", at: "\(file):\(nameField.line)")
        }
        guard let materializedField = header.fields["materialized"] else {
            throw WarehouseError("missing '-- materialized: view|table|incremental' header", at: file)
        }
        guard let materialization = Materialization(rawValue: materializedField.value) else {
            throw WarehouseError(
                "materialized must be view, table or incremental, got '\(materializedField.value)'",
                at: "\(file):\(materializedField.line)")
        }
        let uniqueKey = header.list("unique_key").map { $0.lowercased() }
        if materialization == .incremental && uniqueKey.isEmpty {
            throw WarehouseError("an incremental transform needs a '-- unique_key:' header", at: file)
        }
        let dependsOn = header.list("depends_on").map { $0.lowercased() }
        for dependency in dependsOn where dependency.split(separator: ".").count != 2 {
            throw WarehouseError(
                "depends_on entries must be schema.relation, got '\(dependency)'",
                at: "\(file):\(header.fields["depends_on"]!.line)")
        }
        var strategy = MergeStrategy.replace
        if let field = header.fields["strategy"] {
            guard let value = MergeStrategy(rawValue: field.value), materialization == .incremental else {
                throw WarehouseError(
                    "strategy must be replace or add, on an incremental transform; got '\(field.value)'",
                    at: "\(file):\(field.line)")
            }
            strategy = value
        }
        var keepsChanges = false
        if let field = header.fields["keeps_changes"] {
            guard ["true", "false"].contains(field.value), materialization == .incremental else {
                throw WarehouseError(
                    "keeps_changes must be true or false, on an incremental transform; got '\(field.value)'",
                    at: "\(file):\(field.line)")
            }
            keepsChanges = field.value == "true"
        }
        var indexes: [[String]] = []
        if let field = header.fields["indexes"] {
            indexes = parseIndexes(field.value) ?? []
            guard materialization != .view, !indexes.isEmpty else {
                throw WarehouseError(
                    "indexes must be parenthesised column lists, e.g. (clv, customer_id), on a table; got '\(field.value)'",
                    at: "\(file):\(field.line)")
            }
        }
        var changesBy: [String: String] = [:]
        if let field = header.fields["changes_by"] {
            for entry in header.list("changes_by").map({ $0.lowercased() }) {
                let parts = entry.split(separator: ".", omittingEmptySubsequences: false)
                let source = parts.prefix(2).joined(separator: ".")
                guard parts.count == 3, parts.allSatisfy(isPlainName), dependsOn.contains(source) else {
                    throw WarehouseError(
                        "changes_by entries must be schema.relation.column of a relation in depends_on, got '\(entry)'",
                        at: "\(file):\(field.line)")
                }
                changesBy[source] = String(parts[2])
            }
        }
        var recompute: Recompute?
        if let field = header.fields["recompute"] {
            guard let parsed = Recompute.parse(field.value) else {
                throw WarehouseError(
                    "recompute must be 'KEY from schema.relation, schema.relation(column -> schema.lookup), …'; got '\(field.value)'",
                    at: "\(file):\(field.line)")
            }
            guard materialization == .incremental, strategy == .replace, uniqueKey.contains(parsed.key) else {
                throw WarehouseError(
                    "recompute needs an incremental transform with strategy replace whose unique_key holds \(parsed.key)",
                    at: "\(file):\(field.line)")
            }
            for relation in parsed.relations where !dependsOn.contains(relation) {
                throw WarehouseError(
                    "recompute reads \(relation) but depends_on does not list it", at: "\(file):\(field.line)")
            }
            recompute = parsed
            // The published rows of a changed key are found by index: one led by the key, unless
            // the unique key or a declared index already is.
            if uniqueKey.first != parsed.key, !indexes.contains(where: { $0.first == parsed.key }) {
                indexes.append([parsed.key])
            }
        }
        let signed = try SignedSources.declared(
            by: header, file: file, text: text, incremental: materialization == .incremental, strategy: strategy,
            dependsOn: dependsOn)
        let references = SQLLexer.qualifiedNames(in: text)
        return Transform(
            name: name,
            materialization: materialization,
            uniqueKey: uniqueKey,
            strategy: strategy,
            keepsChanges: keepsChanges,
            indexes: indexes,
            dependsOn: dependsOn,
            changesBy: changesBy,
            recompute: recompute,
            signed: signed,
            description: header.fields["description"]?.value ?? "",
            columns: header.columns,
            file: file,
            text: text,
            version: SHA256.hex(text),
            usesReferenceTime: references.contains { $0.name == "clv_meta.as_of" })
    }

    /// `schema.relation`, each part a plain name.
    static func isRelationName(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy(isPlainName)
    }

    /// A non-empty name of letters, digits and `_`: a schema, relation or column written without quotes.
    static func isPlainName(_ name: some StringProtocol) -> Bool {
        !name.isEmpty && name.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
    }

    /// `(a, b), (c)` → `[["a", "b"], ["c"]]`; nil unless every list is parenthesised and every name non-empty.
    static func parseIndexes(_ value: String) -> [[String]]? {
        var indexes: [[String]] = []
        var rest = Substring(value)
        while true {
            rest = rest.drop { $0 == " " }
            guard rest.first == "(", let close = rest.firstIndex(of: ")") else { return nil }
            let columns = rest[rest.index(after: rest.startIndex)..<close].split(
                separator: ",", omittingEmptySubsequences: false
            ).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard columns.allSatisfy(isPlainName)
            else { return nil }
            indexes.append(columns)
            rest = rest[rest.index(after: close)...].drop { $0 == " " }
            if rest.isEmpty { return indexes }
            guard rest.first == "," else { return nil }
            rest = rest.dropFirst()
        }
    }

    /// A declared change set and signed sources read the changes of raw tables (their history)
    /// and of transforms that keep changes (a declared change set's marked and rolling-window
    /// sources are left out by the caller).
    private static func checkChangeSources(
        _ relations: [String], declaredBy key: String, of transform: Transform, known: [String: Transform]
    ) throws {
        for relation in relations {
            if let upstream = known[relation] {
                guard upstream.keepsChanges else {
                    throw WarehouseError(
                        "\(key) reads the changes of \(relation), which keeps none (add '-- keeps_changes: true' to \(upstream.file))",
                        at: transform.file)
                }
            } else if !isRaw(relation) {
                throw WarehouseError(
                    "\(key) reads the changes of \(relation): only raw tables and transforms that keep changes have them"
                        + (key == "recompute" ? " (or mark it with changes_by, or read it as a rolling window)" : ""),
                    at: transform.file)
            }
        }
    }

    /// A transform must declare every transform and raw table its SQL reads, so the build order is
    /// right; one with signed sources reads only them.
    private static func checkReads(of transform: Transform, known: [String: Transform]) throws {
        for reference in SQLLexer.qualifiedNames(in: transform.text) {
            let isTransform = known[reference.name] != nil
            let isRaw = Self.isRaw(reference.name)
            guard isTransform || isRaw else { continue }
            let location = SourceLocation.at(
                characterOffset: reference.range.lowerBound, in: transform.text, file: transform.file)
            if reference.name == transform.name {
                throw WarehouseError("\(transform.name) reads itself", at: location)
            }
            if !transform.dependsOn.contains(reference.name) {
                throw WarehouseError("reads \(reference.name) but depends_on does not list it", at: location)
            }
            // Beside signed sources, a relation read whole would not bring its changes to the totals.
            if !transform.signed.isEmpty && !transform.signed.contains(reference.name) {
                throw WarehouseError(
                    "reads \(reference.name) whole beside signed sources: its changes would never reach the totals (list it in '-- signed:')",
                    at: location)
            }
        }
    }
}
