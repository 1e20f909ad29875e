import Core
import Foundation
import Logging
import PostgresClient

/// Delivery: the batches of a saved change set to the destination, each recorded once confirmed,
/// then the change set applied to the destination's acknowledged members.
extension AudienceExporter {
    /// Sends every undelivered batch of `exportID`, with `recheckConsent` (an export planned by an
    /// earlier run) after re-reading consent and suppression now (``reviseForConsent``); once all
    /// are confirmed, applies the change set to the destination's members and marks the export
    /// delivered. Returns how many changes were skipped because the member may no longer be mailed.
    @discardableResult
    func deliver(
        exportID: Int, planner: ExportPlanner, sink: any BatchSink, recheckConsent: Bool,
        on connection: PostgresConnection
    ) async throws -> Int {
        let audience = planner.audience
        let destination = planner.destination
        var skipped = 0
        do {
            if recheckConsent { try await reviseForConsent(exportID: exportID, planner: planner, on: connection) }
            let batches = try await undeliveredBatches(of: exportID, on: connection)
            if let copier = FileBatchCopy(planner: planner, sink: sink) {
                for batch in batches {
                    let started = ContinuousClock.now
                    let members = try await copier.deliver(
                        exportID: exportID, number: batch.number, seqs: batch.seqs, on: connection)
                    let skippedInBatch =
                        recheckConsent ? try await skips(in: batch.seqs, of: exportID, on: connection) : 0
                    logDelivered(exportID: exportID, batch: batch.number, members: members, since: started)
                    try await acknowledge(
                        exportID: exportID, batch: batch.number, skipped: skippedInBatch, on: connection)
                    skipped += skippedInBatch
                }
            } else {
                skipped += try await sendOverlapping(
                    batches, exportID: exportID, planner: planner, sink: sink, on: connection)
            }
            let counts = try await connection.query(
                "select added, changed, removed from clv_meta.audience_exports where export_id = \(exportID)")[0]
            try await sink.finish(
                exportID: exportID, audience: audience.name,
                summary: [
                    ("added", try counts.decode(Int.self, "added")),
                    ("changed", try counts.decode(Int.self, "changed")),
                    ("removed", try counts.decode(Int.self, "removed")),
                ])
        } catch {
            _ = try? await connection.execute(
                AudiencesSQL.statement("mark_export_failed", binding: [String(describing: error), exportID]))
            throw error
        }
        try await connection.transaction { connection in
            try await ExportPlanner.joinWholeSets(on: connection)
            try await connection.execute(
                AudiencesSQL.statement("finish_export", binding: [exportID, audience.name, destination.name]))
            try await connection.executeScript("drop table if exists \(ExportPlanner.changeSetTable(exportID))")
        }
        if recheckConsent { try await connection.execute("drop table clv_send_suppressed") }
        return skipped
    }

    /// Sends `batches` with up to the destination's `maxInFlight` at once: while requests travel,
    /// the next batch is read and each confirmed one recorded, all on this one connection (only
    /// this task touches it). A batch is recorded only once its own delivery is confirmed; one
    /// that fails stops the export, and the batches still in flight are cancelled (a confirmed but
    /// unrecorded one is resent with its idempotency key when the export resumes). Returns how
    /// many changes were skipped.
    private func sendOverlapping(
        _ batches: [(number: Int, seqs: ClosedRange<Int>)], exportID: Int, planner: ExportPlanner,
        sink: any BatchSink, on connection: PostgresConnection
    ) async throws -> Int {
        try await withThrowingTaskGroup(
            of: (number: Int, members: Int, skipped: Int, started: ContinuousClock.Instant).self
        ) { group in
            var skipped = 0
            var inFlight = 0
            func recordNext() async throws {
                guard let done = try await group.next() else { return }
                inFlight -= 1
                logDelivered(exportID: exportID, batch: done.number, members: done.members, since: done.started)
                try await acknowledge(exportID: exportID, batch: done.number, skipped: done.skipped, on: connection)
                skipped += done.skipped
            }
            for (number, seqs) in batches {
                let started = ContinuousClock.now
                let loaded = try await load(
                    exportID: exportID, batch: number, seqs: seqs, planner: planner, on: connection)
                while inFlight >= planner.destination.maxInFlight { try await recordNext() }
                group.addTask {
                    if !loaded.batch.members.isEmpty { try await sink.deliver(loaded.batch) }
                    return (number, loaded.batch.members.count, loaded.skipped, started)
                }
                inFlight += 1
            }
            while inFlight > 0 { try await recordNext() }
            return skipped
        }
    }

    /// Records a batch the destination confirmed (`acknowledge_batch`).
    private func acknowledge(exportID: Int, batch: Int, skipped: Int, on connection: PostgresConnection) async throws {
        try await connection.execute(AudiencesSQL.statement("acknowledge_batch", binding: [exportID, batch, skipped]))
    }

    private func logDelivered(exportID: Int, batch: Int, members: Int, since started: ContinuousClock.Instant) {
        logger.info(
            "batch delivered",
            metadata: [
                "export": "\(exportID)", "batch": "\(batch)", "members": "\(members)",
                "seconds": "\((ContinuousClock.now - started).inSeconds)",
            ])
    }

    /// The batches of `exportID` not yet delivered, in order, each with its changes' seq range.
    private func undeliveredBatches(of exportID: Int, on connection: PostgresConnection) async throws
        -> [(number: Int, seqs: ClosedRange<Int>)]
    {
        try await connection.query(
            "select batch, first_seq, last_seq from clv_meta.audience_batches where export_id = \(exportID) and not delivered order by batch"
        ).map {
            (try $0.decode(Int.self, "batch"), try $0.decode(Int.self, "first_seq")...$0.decode(Int.self, "last_seq"))
        }
    }

    /// How many of the changes `seqs` of `exportID` the send-time consent check skipped.
    private func skips(in seqs: ClosedRange<Int>, of exportID: Int, on connection: PostgresConnection) async throws
        -> Int
    {
        try await connection.query(
            "select count(*)::int as n from clv_meta.audience_changes where export_id = \(exportID) and seq between \(seqs.lowerBound) and \(seqs.upperBound) and action = 'skip'"
        )[0].decode(Int.self, "n")
    }

    /// The send-time consent check over the export's undelivered batches: an addition or change for
    /// someone who may no longer be mailed becomes a removal if the destination has them, and is
    /// skipped otherwise (`revise_changes`), against the suppression list as it is now.
    private func reviseForConsent(exportID: Int, planner: ExportPlanner, on connection: PostgresConnection)
        async throws
    {
        let suppression = try ExportPlanner.suppressionTable("clv_send_suppressed", onCommitDrop: false)
        try await connection.executeScript("drop table if exists clv_send_suppressed;\n" + suppression)
        try await connection.transaction { connection in
            try await ExportPlanner.joinWholeSets(on: connection)
            try await connection.execute(
                AudiencesSQL.statement(
                    "revise_changes", binding: [exportID, planner.audience.name, planner.destination.name]))
        }
    }

    /// One batch as the destination receives it, and how many of its changes are skipped. Serves
    /// the destinations that receive members as JSON (HTTP, NDJSON files: the CSV layouts are
    /// written by ``FileBatchCopy``), so attribute values are read as JSON text only.
    private func load(
        exportID: Int, batch: Int, seqs: ClosedRange<Int>, planner: ExportPlanner, on connection: PostgresConnection
    ) async throws -> (batch: ExportBatch, skipped: Int) {
        let attributes = planner.audience.attributes
        let identity = planner.destination.identitySQL("c.identity")
        let columns = attributes.enumerated().map { index, name in
            "coalesce((c.attributes -> \(Identifier.literal(name)))::text, 'null') as j\(index)"
        }
        // Generated: the identity's hashing and the audience's attribute columns are spliced in.
        let rows = try await connection.query(
            """
            select c.action, c.customer_id, \(unsafeSQL: identity) as identity
                \(unsafeSQL: columns.isEmpty ? "" : ", " + columns.joined(separator: ", "))
            from clv_meta.audience_changes as c
            where c.export_id = \(exportID) and c.seq between \(seqs.lowerBound) and \(seqs.upperBound)
            order by c.seq
            """)
        var members: [FileLayout.Member] = []
        members.reserveCapacity(rows.count)
        var skipped = 0
        for row in rows {
            let action = row[0] ?? "skip"
            if action == "skip" {
                skipped += 1
                continue
            }
            members.append(
                FileLayout.Member(
                    action: action, identity: row[2] ?? "", customerID: row[1],
                    jsons: attributes.indices.map { row[3 + $0] ?? "null" }))
        }
        return (
            ExportBatch(
                audience: planner.audience.name, destination: planner.destination.name, exportID: exportID,
                number: batch, members: members, attributes: attributes),
            skipped
        )
    }
}
