import Core
import Foundation
import Logging
import PostgresClient

/// `clv audiences export`: diff against what the destination acknowledged, save the change set,
/// deliver it batch by batch, and record each batch as acknowledged only after the destination
/// confirmed it. A killed or failed export is resumed by the next run before a new diff is made.
public struct AudienceExporter: Sendable {
    public let project: Project
    public let logger: Logger

    public init(project: Project, logger: Logger) {
        self.project = project
        self.logger = logger
    }

    /// How an export runs.
    public struct Options: Sendable {
        public var dryRun = false
        /// Send every member, not just the changes.
        public var full = false
        public var allowMassRemoval = false
        public init() {}
    }

    /// What an export did (or, for a dry run, would do).
    public struct Report: Sendable, Codable {
        public var audience: String
        public var destination: String
        public var exportID: Int?
        public var dryRun: Bool
        public var mode: String
        public var resumedExports: [Int]
        public var membersBefore: Int
        public var rowsRead: Int
        public var invalidEmails: Int
        public var duplicates: Int
        public var suppressed: Int
        public var added: Int
        public var changed: Int
        public var removed: Int
        public var unchanged: Int
        public var skippedAtSend: Int
        public var batches: Int
        public var sample: [[String]]
        public var seconds: Double
    }

    /// The blast-radius guard stopped the sync before anything was sent.
    public struct MassRemoval: Error, CustomStringConvertible {
        public var description: String
    }

    /// Resumes any unfinished export of the pair, then diffs, saves and delivers today's changes.
    public func export(
        _ audienceName: String, to destinationName: String, options: Options, on connection: PostgresConnection
    ) async throws -> Report {
        let started = ContinuousClock.now
        let catalog = try AudienceCatalog.load(project)
        let audience = try catalog.audience(audienceName)
        let destination = try DestinationLoader(project: project).destination(destinationName)
        let planner = ExportPlanner(audience: audience, destination: destination, sql: catalog.expandedSQL(audience))
        try await ModuleSchema.audiences.ensure(on: connection)
        // One exporter per audience and destination: a lock keyed by the pair's name.
        let lockKey = try await connection.query(
            "select hashtext(\("clv-audience:\(audience.name):\(destination.name)"))::bigint as key")[0].decode(
                Int64.self, "key")
        return try await connection.withAdvisoryLock(lockKey) {
            try await run(planner, options: options, started: started, on: connection)
        }
    }

    private func run(
        _ planner: ExportPlanner, options: Options, started: ContinuousClock.Instant, on connection: PostgresConnection
    ) async throws -> Report {
        let audience = planner.audience
        let destination = planner.destination
        var report = Report(
            audience: audience.name, destination: destination.name, exportID: nil, dryRun: options.dryRun,
            mode: options.full ? "full" : "diff", resumedExports: [], membersBefore: 0, rowsRead: 0, invalidEmails: 0,
            duplicates: 0, suppressed: 0, added: 0, changed: 0, removed: 0, unchanged: 0, skippedAtSend: 0,
            batches: 0, sample: [], seconds: 0)
        if options.dryRun {
            let (counts, sample) = try await connection.rollingBack { connection in
                let counts = try await planner.diff(full: options.full, on: connection)
                let sample = try await connection.query(
                    "select action, identity, attributes::text from clv_diff where action <> 'keep' order by action, identity limit 10"
                ).map { $0.values.map { $0 ?? "" } }
                return (counts, sample)
            }
            report.apply(counts)
            report.sample = sample
            report.seconds = (ContinuousClock.now - started).inSeconds
            return report
        }
        let sink = Self.sink(for: destination)
        // First, anything an earlier run left undelivered (killed, or the destination was down).
        let unfinished = try await connection.query(
            AudiencesSQL.statement("unfinished_exports", binding: [audience.name, destination.name])
        ).map { try $0.decode(Int.self, "export_id") }
        for exportID in unfinished {
            logger.notice("resuming export", metadata: ["export": "\(exportID)", "audience": "\(audience.name)"])
            try await connection.execute(
                "update clv_meta.audience_exports set status = 'running', error = null where export_id = \(exportID)")
            try await deliver(exportID: exportID, planner: planner, sink: sink, recheckConsent: true, on: connection)
            report.resumedExports.append(exportID)
        }
        // Then today's changes.
        let planned = try await connection.transaction { connection -> (Int, ExportPlanner.Counts, String?) in
            let counts = try await planner.diff(full: options.full, on: connection)
            var stop: String?
            if counts.membersBefore > 0,
                Double(counts.removed) > destination.maxRemovalShare * Double(counts.membersBefore),
                !options.allowMassRemoval
            {
                stop =
                    "would remove \(counts.removed) of \(counts.membersBefore) members of \(destination.name) (more than \(Int(destination.maxRemovalShare * 100))%); nothing was sent. Check the audience, or rerun with --allow-mass-removal"
            }
            let exportID = try await connection.query(
                AudiencesSQL.statement(
                    "record_export",
                    binding: [
                        audience.name, destination.name, options.full ? "full" : "diff",
                        stop == nil ? "running" : "stopped", counts.membersBefore, counts.rowsRead,
                        counts.invalidEmails, counts.duplicates, counts.suppressed, counts.added, counts.changed,
                        counts.removed, counts.unchanged, stop, stop != nil,
                    ]))[0].decode(Int.self, "export_id")
            if stop == nil {
                let batches = try await planner.save(
                    exportID: exportID, upserts: counts.added + counts.changed, on: connection)
                try await connection.execute(
                    "update clv_meta.audience_exports set batches = \(batches) where export_id = \(exportID)")
            }
            return (exportID, counts, stop)
        }
        report.exportID = planned.0
        report.apply(planned.1)
        logger.info(
            "export planned",
            metadata: ["export": "\(planned.0)", "seconds": "\((ContinuousClock.now - started).inSeconds)"])
        if let stop = planned.2 { throw MassRemoval(description: stop) }
        // Consent was read a moment ago, in the transaction that planned the export.
        report.skippedAtSend = try await deliver(
            exportID: planned.0, planner: planner, sink: sink, recheckConsent: false, on: connection)
        report.batches = try await connection.query(
            "select batches from clv_meta.audience_exports where export_id = \(planned.0)")[0].decode(
                Int.self, "batches")
        report.seconds = (ContinuousClock.now - started).inSeconds
        return report
    }

    static func sink(for destination: Destination) -> any BatchSink {
        switch destination.kind {
        case .file(let settings):
            FileSink(destination: destination.name, settings: settings, hashIdentity: destination.hashIdentity)
        case .http(let settings): HTTPSink(settings: settings, hashIdentity: destination.hashIdentity)
        }
    }

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
            let batches = try await connection.query(
                "select batch, first_seq, last_seq from clv_meta.audience_batches where export_id = \(exportID) and not delivered order by batch"
            ).map { (try $0.decode(Int.self, "batch"), try $0.decode(Int.self, "first_seq"), try $0.decode(Int.self, "last_seq")) }
            if let copier = FileBatchCopy.serves(destination).map({ FileBatchCopy(planner: planner, sink: $0) }) {
                for (number, first, last) in batches {
                    let started = ContinuousClock.now
                    let members = try await copier.deliver(
                        exportID: exportID, number: number, seqs: first...last, on: connection)
                    let skippedInBatch =
                        recheckConsent
                        ? try await connection.query(
                            "select count(*)::int as n from clv_meta.audience_changes where export_id = \(exportID) and seq between \(first) and \(last) and action = 'skip'"
                        )[0].decode(Int.self, "n") : 0
                    logDelivered(exportID: exportID, batch: number, members: members, since: started)
                    try await acknowledge(exportID: exportID, batch: number, skipped: skippedInBatch, on: connection)
                    skipped += skippedInBatch
                }
            } else {
                skipped += try await sendOverlapping(
                    batches.map { (number: $0.0, seqs: $0.1...$0.2) }, exportID: exportID, planner: planner,
                    sink: sink, on: connection)
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
        try await withThrowingTaskGroup(of: (number: Int, members: Int, skipped: Int, started: ContinuousClock.Instant).self)
        { group in
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

    /// One batch as the destination receives it, and how many of its changes are skipped.
    private func load(
        exportID: Int, batch: Int, seqs: ClosedRange<Int>, planner: ExportPlanner, on connection: PostgresConnection
    ) async throws -> (batch: ExportBatch, skipped: Int) {
        let attributes = planner.audience.attributes
        let identity =
            planner.destination.hashIdentity ? "encode(sha256(convert_to(c.identity, 'UTF8')), 'hex')" : "c.identity"
        let needsJSON = planner.destination.sendsJSON
        let columns = attributes.enumerated().map { index, name in
            "c.attributes ->> \(Identifier.literal(name)) as t\(index)"
                + (needsJSON ? ", coalesce((c.attributes -> \(Identifier.literal(name)))::text, 'null') as j\(index)" : "")
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
        let stride = needsJSON ? 2 : 1
        var members: [FileLayout.Member] = []
        members.reserveCapacity(rows.count)
        var skipped = 0
        var removals = true
        for row in rows {
            let action = row[0] ?? "skip"
            if action == "skip" {
                skipped += 1
                continue
            }
            removals = removals && action == "remove"
            members.append(
                FileLayout.Member(
                    action: action, identity: row[2] ?? "", customerID: row[1],
                    texts: attributes.indices.map { row[3 + stride * $0] },
                    jsons: needsJSON ? attributes.indices.map { row[4 + stride * $0] ?? "null" } : []))
        }
        return (
            ExportBatch(
                audience: planner.audience.name, destination: planner.destination.name, exportID: exportID,
                number: batch, removals: removals && !members.isEmpty, members: members, attributes: attributes),
            skipped
        )
    }
}

extension AudienceExporter.Report {
    mutating func apply(_ counts: ExportPlanner.Counts) {
        membersBefore = counts.membersBefore
        rowsRead = counts.rowsRead
        invalidEmails = counts.invalidEmails
        duplicates = counts.duplicates
        suppressed = counts.suppressed
        added = counts.added
        changed = counts.changed
        removed = counts.removed
        unchanged = counts.unchanged
    }
}
