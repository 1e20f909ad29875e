import Core
import Foundation
import PostgresClient

/// Delivers one batch of a change set to a file drop in a CSV layout by letting PostgreSQL write
/// the lines (`COPY … TO STDOUT` in CSV) and streaming them into the batch's file parts: no row
/// is decoded on the way. ESP layouts get an `upserts` file and, when the batch holds removals
/// (its own, or changes the send-time consent check turned into removals), a `removals` file;
/// the generic CSV one `changes` file with the action in a column.
struct FileBatchCopy {
    let planner: ExportPlanner
    let sink: FileSink

    /// The copy path serves every file format but NDJSON (whose lines clv writes itself).
    static func serves(_ destination: Destination) -> FileSink? {
        guard case .file(let settings) = destination.kind, settings.format != .ndjson else { return nil }
        return AudienceExporter.sink(for: destination) as? FileSink
    }

    /// Writes batch `number` (the changes `seqs` of `exportID`); returns how many rows it wrote.
    func deliver(exportID: Int, number: Int, seqs: ClosedRange<Int>, on connection: PostgresConnection) async throws
        -> Int
    {
        let format = sink.settings.format
        let attributes = planner.audience.attributes
        let identity = sink.hashIdentity ? "encode(sha256(convert_to(c.identity, 'UTF8')), 'hex')" : "c.identity"
        guard
            let fields = FileLayout.sqlFields(
                format, attributes: attributes, identity: identity, customerID: "c.customer_id",
                action: "c.action", attribute: { "c.attributes ->> \(Identifier.literal($0))" })
        else { return 0 }
        let parts: [(kind: String, actions: String)] =
            format.separatesRemovals
            ? [("upserts", "('add', 'update')"), ("removals", "('remove')")]
            : [("changes", "('add', 'update', 'remove')")]
        var rows = 0
        for part in parts {
            let writer = sink.partWriter(
                audience: planner.audience.name, exportID: exportID, kind: part.kind, number: number,
                attributes: attributes)
            // Generated: the layout's fields and the identity's hashing are spliced in.
            try await connection.copyOut(
                SQL(
                    unsafeSQL: """
                        copy (
                            select \(fields.joined(separator: ", "))
                            from clv_meta.audience_changes as c
                            where c.export_id = \(exportID) and c.seq between \(seqs.lowerBound) and \(seqs.upperBound)
                                and c.action in \(part.actions)
                            order by c.seq
                        ) to stdout with (format csv)
                        """)
            ) { row in try writer.append(row) }
            rows += try writer.finish()
        }
        return rows
    }
}
