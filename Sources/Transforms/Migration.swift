import Core
import Foundation

/// One file of `sql/schema`: `NNNN_name.sql`, applied once, in order.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    /// Relative to the project folder.
    public var file: String
    public var text: String
    public var checksum: String

    /// Loads every migration of `project`, checking names and that versions are unique.
    public static func loadAll(_ project: Project) throws -> [Migration] {
        var migrations: [Migration] = []
        for url in try project.sqlFiles(in: project.schemaDirectory) {
            let file = project.relativePath(url)
            let base = url.deletingPathExtension().lastPathComponent
            let parts = base.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, let version = Int(parts[0]), parts[0].allSatisfy(\.isNumber) else {
                throw WarehouseError("migration files are named NNNN_name.sql", at: file)
            }
            if let other = migrations.first(where: { $0.version == version }) {
                throw WarehouseError("version \(version) is also used by \(other.file)", at: file)
            }
            let text = try project.read(url)
            migrations.append(
                Migration(version: version, name: String(parts[1]), file: file, text: text, checksum: SHA256.hex(text)))
        }
        return migrations.sorted { $0.version < $1.version }
    }
}
