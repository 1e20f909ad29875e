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
    let fields: [String]

    /// The copy path for `sink`: every file format but NDJSON (whose lines clv writes itself); nil
    /// for the others and for HTTP.
    init?(planner: ExportPlanner, sink: any BatchSink) {
        guard let sink = sink as? FileSink,
            let fields = FileLayout.sqlFields(
                sink.settings.format, attributes: planner.audience.attributes,
                identity: planner.destination.identitySQL("c.identity"), customerID: "c.customer_id",
                action: "c.action", attribute: { "c.attributes ->> \(Identifier.literal($0))" })
        else { return nil }
        self.planner = planner
        self.sink = sink
        self.fields = fields
    }

    /// Writes batch `number` (the changes `seqs` of `exportID`); returns how many rows it wrote.
    func deliver(exportID: Int, number: Int, seqs: ClosedRange<Int>, on connection: PostgresConnection) async throws
        -> Int
    {
        let parts: [(kind: String, actions: String)] =
            sink.settings.format.separatesRemovals
            ? [("upserts", "('add', 'update')"), ("removals", "('remove')")]
            : [("changes", "('add', 'update', 'remove')")]
        var rows = 0
        for part in parts {
            let writer = sink.partWriter(
                audience: planner.audience.name, exportID: exportID, kind: part.kind, number: number,
                attributes: planner.audience.attributes)
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
