import Foundation
import PackagePlugin

/// Compiles a module's fixed SQL (`Sources/MODULE/SQL/**/*.sql`) into the module as `enum
/// MODULESQL` (its `files`, and the `text` and `statement` accessors every module reads them by), so the `clv` binary carries its SQL wherever it is copied (resource
/// bundles stay beside the build and are missing once the binary is installed elsewhere).
@main
struct EmbedSQL: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let folder = target.directoryURL.appending(path: "SQL")
        let files = Self.sqlFiles(under: folder)
        let output = context.pluginWorkDirectoryURL.appending(path: "\(target.name)SQL.swift")
        return [
            .buildCommand(
                displayName: "Embedding the SQL of \(target.name)",
                executable: try context.tool(named: "EmbedSQLTool").url,
                arguments: [target.name, folder.path(percentEncoded: false), output.path(percentEncoded: false)]
                    + files.map { $0.path(percentEncoded: false) },
                inputFiles: files,
                outputFiles: [output])
        ]
    }

    /// Every `.sql` file below `folder`, in path order.
    static func sqlFiles(under folder: URL) -> [URL] {
        guard let walk = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return walk.compactMap { $0 as? URL }.filter { $0.pathExtension == "sql" }
            .sorted { $0.path < $1.path }
    }
}
