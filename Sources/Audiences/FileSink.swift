import Core
import Foundation

/// Writes each batch as a file part in the drop folder (temp file, then rename), and a manifest
/// once every part is in place.
struct FileSink: BatchSink {
    let destination: String
    let settings: Destination.FileSettings
    let hashIdentity: Bool

    /// Writes the batch's members as NDJSON lines (the CSV layouts are written by
    /// ``FileBatchCopy``): its `changes` file, cut into parts at `maxFileBytes`.
    func deliver(_ batch: ExportBatch) async throws {
        let writer = partWriter(
            audience: batch.audience, exportID: batch.exportID, kind: "changes", number: batch.number,
            attributes: batch.attributes)
        for member in batch.members {
            let line = FileLayout.ndjsonLine(member, attributes: batch.attributes, hashed: hashIdentity)
            try Array(line.utf8).withUnsafeBytes { try writer.append($0) }
        }
        _ = try writer.finish()
    }

    /// A writer of the file parts of one batch's `kind` (`upserts`, `removals` or `changes`), fed
    /// line by line.
    func partWriter(audience: String, exportID: Int, kind: String, number: Int, attributes: [String]) -> PartWriter {
        PartWriter(
            folder: settings.folder,
            base: "\(audience)-\(String(format: "%06d", exportID))-\(kind)-\(String(format: "%04d", number))",
            fileExtension: settings.format.fileExtension,
            header: Array(
                (FileLayout.header(settings.format, attributes: attributes, hashed: hashIdentity) ?? "").utf8),
            maxFileBytes: settings.maxFileBytes)
    }

    /// `AUDIENCE-EXPORT.manifest.json`: the audience, the export, its counts and each file with its
    /// rows and SHA-256, written last, so a complete manifest means a complete drop.
    func finish(exportID: Int, audience: String, summary: [(String, Int)]) async throws {
        try FileManager.default.createDirectory(at: settings.folder, withIntermediateDirectories: true)
        let prefix = "\(audience)-\(String(format: "%06d", exportID))-"
        let names = try FileManager.default.contentsOfDirectory(atPath: settings.folder.path)
            .filter { $0.hasPrefix(prefix) && !$0.hasSuffix(".manifest.json") && !$0.hasPrefix(".") }.sorted()
        var files: [String] = []
        var all = SHA256()
        for name in names {
            let data = try Data(contentsOf: settings.folder.appendingPathComponent(name))
            var hash = SHA256()
            data.withUnsafeBytes { hash.update($0) }
            let digest = hash.finalizeHex()
            all.update(Array(digest.utf8))
            let lines = data.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            let rows = lines - (settings.format == .ndjson ? 0 : 1)
            files.append(
                "{\"name\":\(JSONText.quoted(name)),\"rows\":\(rows),\"bytes\":\(data.count),\"sha256\":\"\(digest)\"}"
            )
        }
        let counts = summary.map { "\(JSONText.quoted($0.0)):\($0.1)" }.joined(separator: ",")
        let manifest = """
            {"audience":\(JSONText.quoted(audience)),"destination":\(JSONText.quoted(destination)),\
            "export_id":\(exportID),"format":"\(settings.format.rawValue)",\
            "hashed_identity":\(hashIdentity),"counts":{\(counts)},"files":[\(files.joined(separator: ","))],\
            "checksum":"\(all.finalizeHex())"}

            """
        try Self.writeAtomically(
            Data(manifest.utf8), to: settings.folder.appendingPathComponent("\(prefix.dropLast()).manifest.json"))
    }

    /// Temp file in the same folder, then rename: readers see the whole file or none of it.
    static func writeAtomically(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        try data.write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            throw WarehouseError(
                "cannot rename \(temporary.lastPathComponent) into place (errno \(errno))", at: url.path)
        }
    }
}

/// Collects the lines of one batch's file parts: the header, then lines, cut into a new part
/// (`…-2.csv`, `…-3.csv`) before a part would grow past `maxFileBytes`. Each part is written
/// atomically; a batch without lines writes nothing.
final class PartWriter: @unchecked Sendable {
    let folder: URL
    let base: String
    let fileExtension: String
    let header: [UInt8]
    let maxFileBytes: Int?
    private var buffer: [UInt8]
    private var part = 1
    private var linesInPart = 0
    private var lines = 0

    init(folder: URL, base: String, fileExtension: String, header: [UInt8], maxFileBytes: Int?) {
        self.folder = folder
        self.base = base
        self.fileExtension = fileExtension
        self.header = header
        self.maxFileBytes = maxFileBytes
        buffer = header
    }

    /// Adds one line (with its line feed).
    func append(_ line: UnsafeRawBufferPointer) throws {
        if let limit = maxFileBytes, linesInPart > 0, buffer.count + line.count > limit {
            try flush()
            part += 1
            buffer = header
            linesInPart = 0
        }
        buffer.append(contentsOf: line)
        linesInPart += 1
        lines += 1
    }

    /// Writes the last part; returns how many lines the batch had.
    func finish() throws -> Int {
        if linesInPart > 0 { try flush() }
        return lines
    }

    private func flush() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = part == 1 ? "\(base).\(fileExtension)" : "\(base)-\(part).\(fileExtension)"
        try FileSink.writeAtomically(Data(buffer), to: folder.appendingPathComponent(name))
    }
}
