import Core

/// One relation of the analyst contract: its transform (name, materialization, key, description,
/// file) and its built columns, each with the meaning its `-- column` line gives.
public struct ContractRelation: Sendable {
    /// A built column and what it means.
    public struct Column: Sendable, Equatable {
        public var name: String
        public var type: String
        public var meaning: String

        public init(name: String, type: String, meaning: String) {
            self.name = name
            self.type = type
            self.meaning = meaning
        }
    }

    public var transform: Transform
    /// In the relation's column order.
    public var columns: [Column]

    public init(transform: Transform, columns: [Column]) {
        self.transform = transform
        self.columns = columns
    }

    /// Pairs every transform with its built relation (`built`, by name) and every built column with
    /// its `-- column` line. Throws ``ContractDrift`` listing every problem: a transform not built,
    /// or built from another version of its file; a built column without a `-- column` line; a
    /// `-- column` line for a column the relation does not have.
    public static func match(_ transforms: [Transform], built: [String: BuiltRelation]) throws -> [ContractRelation] {
        var problems: [WarehouseError] = []
        var relations: [ContractRelation] = []
        for transform in transforms {
            guard let relation = built[transform.name] else {
                problems.append(
                    WarehouseError("\(transform.name) is not built yet: run clv run first", at: transform.file))
                continue
            }
            guard relation.version == transform.version else {
                problems.append(
                    WarehouseError(
                        "\(transform.name) was built from another version of this file: run clv run first",
                        at: transform.file))
                continue
            }
            let meanings = Dictionary(uniqueKeysWithValues: transform.columns.map { ($0.name, $0.meaning) })
            var columns: [Column] = []
            for column in relation.columns {
                guard let meaning = meanings[column.name] else {
                    problems.append(
                        WarehouseError(
                            "column \(column.name) of \(transform.name) is not documented: add '-- column \(column.name): …' to the header",
                            at: transform.file))
                    continue
                }
                columns.append(Column(name: column.name, type: column.type, meaning: meaning))
            }
            let builtNames = Set(relation.columns.map(\.name))
            for documented in transform.columns where !builtNames.contains(documented.name) {
                problems.append(
                    WarehouseError(
                        "'-- column \(documented.name)' documents a column \(transform.name) does not have",
                        at: "\(transform.file):\(documented.line)"))
            }
            relations.append(ContractRelation(transform: transform, columns: columns))
        }
        guard problems.isEmpty else { throw ContractDrift(problems) }
        return relations
    }
}
