import Core
import Foundation
import PostgresClient

/// Generates the analyst contract of a project from its `analytics` transforms and the relations
/// they built: reads the document, the transform files and the catalog; writes nothing.
public struct ContractGenerator: Sendable {
    /// The contract document, relative to the project folder.
    public static let defaultPath = "docs/contract.md"

    public var project: Project
    /// The document, relative to the project folder.
    public var path: String

    public init(project: Project, path: String = ContractGenerator.defaultPath) {
        self.project = project
        self.path = path
    }

    /// The document as it is and as `clv docs` would write it.
    public struct Outcome: Sendable {
        /// The document's path, relative to the project folder.
        public var path: String
        /// Its text now; nil when it does not exist.
        public var current: String?
        public var generated: String

        public var isUpToDate: Bool { current == generated }
    }

    /// Renders the contract into the document's generated part (a new document when there is none).
    /// Throws ``ContractDrift`` when the transforms' column lines and the built relations disagree.
    public func generate(on connection: PostgresConnection) async throws -> Outcome {
        let transforms = try TransformCatalog.load(project).ordered.filter { $0.schema == ContractDocument.schema }
        let built = try await BuiltRelation.read(schema: ContractDocument.schema, on: connection)
        let relations = try ContractRelation.match(transforms, built: built)
        let generated = ContractDocument.render(relations, documentPath: path)
        let url = project.root.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            return Outcome(path: path, current: nil, generated: ContractDocument.new(with: generated))
        }
        let current = try project.read(url)
        return Outcome(
            path: path, current: current, generated: try ContractDocument.splice(generated, into: current, file: path))
    }
}
