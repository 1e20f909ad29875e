import Core
import Foundation

/// A query in `sql/tests` that must return no rows. With `-- audits: schema.relation` it also
/// guards that transform's builds: it runs on the staged rows before they are published.
public struct DataTest: Sendable {
    /// The file name without `.sql`.
    public var name: String
    /// Relative to the project folder.
    public var file: String
    public var text: String
    public var audits: [String]
    public var description: String

    static let headerKeys: Set<String> = ["audits", "description"]

    /// The query, without trailing `;` and blanks.
    public var body: String { statementBody(of: text) }

    /// Loads every test; an audit of an unknown transform is an error naming the file.
    public static func loadAll(_ project: Project, catalog: TransformCatalog) throws -> [DataTest] {
        try project.sqlFiles(in: project.testsDirectory).map { url in
            let file = project.relativePath(url)
            let text = try project.read(url)
            let header = try SQLFileHeader.parse(text, file: file, allowedKeys: headerKeys)
            let audits = header.list("audits").map { $0.lowercased() }
            for name in audits where catalog[name] == nil {
                throw WarehouseError(
                    "audits \(name), which no file in sql/transforms defines",
                    at: "\(file):\(header.fields["audits"]!.line)")
            }
            return DataTest(
                name: url.deletingPathExtension().lastPathComponent, file: file, text: text, audits: audits,
                description: header.fields["description"]?.value ?? "")
        }
    }
}
