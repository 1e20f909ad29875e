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
                    "select action, identity, attributes::text from clv_diff where action in ('add', 'update', 'remove') order by action, identity limit 10"
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
