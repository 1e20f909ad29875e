import Core
import Foundation
import Ingest
import Logging
import PostgresClient

/// The `ingest` step: loads every file in a folder or matching a `*` glob, then moves each loaded
/// file into a `done/` folder beside it (a re-run after a crash finds it loaded by checksum).
struct IngestStep {
    let project: Project
    let logger: Logger

    func run(kind: String, path: String, on connection: PostgresConnection) async throws -> String {
        guard let ingestKind = IngestKind(rawValue: kind) else {
            throw JobRunner.Failure(kind: .permanent, message: "unknown ingest kind \(kind)", steps: [])
        }
        let files = try matching(path)
        let loader = FileLoader(logger: logger)
        var rows = 0
        for file in files {
            let summary = try await loader.load(file, options: FileLoader.Options(kind: ingestKind), on: connection)
            rows += summary.inserted + summary.updated
            let done = file.deletingLastPathComponent().appendingPathComponent("done")
            try FileManager.default.createDirectory(at: done, withIntermediateDirectories: true)
            let target = done.appendingPathComponent(file.lastPathComponent)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.moveItem(at: file, to: target)
        }
        return "\(files.count) file(s), \(rows) row(s) inserted or updated"
    }

    /// Files of a folder, or of a `folder/prefix*suffix` glob, in name order.
    private func matching(_ path: String) throws -> [URL] {
        let url = URL(fileURLWithPath: path, relativeTo: project.root).standardizedFileURL
        var isFolder: ObjCBool = false
        let folder: URL
        var pattern = "*"
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            folder = url
        } else {
            folder = url.deletingLastPathComponent()
            pattern = url.lastPathComponent
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        return names.sorted().filter { name in
            guard !name.hasPrefix("."), name != "done", !name.hasSuffix(".rejects.csv") else { return false }
            if parts.count == 1 { return name == pattern }
            return name.hasPrefix(parts.first!) && name.hasSuffix(parts.last!)
        }.map { folder.appendingPathComponent($0) }
    }
}
