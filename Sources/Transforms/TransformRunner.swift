import Core
import Foundation
import Logging
import PostgresClient

/// Builds transforms in dependency order, each atomically, under one run lock per database.
public struct TransformRunner: Sendable {
    public let project: Project
    public let logger: Logger

    public init(project: Project, logger: Logger) {
        self.project = project
        self.logger = logger
    }

    /// What `clv run` is asked to do.
    public struct Options: Sendable {
        public var select: [String] = []
        public var fullRefresh = false
        /// Exit at once when another run holds the lock, instead of waiting.
        public var noWait = false
        /// The reference time transforms see as `clv_meta.as_of()`; now when nil.
        public var asOf: Date?
        /// Recorded in the run history.
        public var command = "run"

        public init() {}
    }

    /// One built step.
    public struct StepResult: Sendable, Codable {
        public var transform: String
        public var mode: String
        public var reasons: [String]
        public var rows: Int
        public var seconds: Double

        /// What the step made, for people: `view` for a view (it holds no rows of its own), else
        /// `N rows` with the build mode.
        public var outcome: String {
            mode == BuildMode.view.description ? "view" : "\(rows) rows, \(mode)"
        }
    }

    /// What a run did.
    public struct Report: Sendable, Codable {
        public var runID: Int64
        public var built: [StepResult]
        public var upToDate: [String]
    }

    /// Plans without building (for `clv plan`).
    public func plan(_ connection: PostgresConnection, options: Options) async throws -> (Plan, WarehouseSnapshot) {
        try await ModuleSchema.core.ensure(on: connection)
        let catalog = try TransformCatalog.load(project)
        return try await plan(connection, catalog: catalog, options: options)
    }

    private func plan(_ connection: PostgresConnection, catalog: TransformCatalog, options: Options) async throws
        -> (Plan, WarehouseSnapshot)
    {
        let selected = try Selection(options.select).resolve(in: catalog)
        let watermark = try await LoadWatermark.read(connection)
        let snapshot = try await WarehouseSnapshot.read(connection, catalog: catalog, watermark: watermark)
        let asOf = (options.asOf ?? Date()).roundedToMicroseconds
        let plan = try Planner(catalog: catalog, selected: selected, fullRefresh: options.fullRefresh, asOf: asOf)
            .plan(snapshot)
        return (plan, snapshot)
    }

    /// Builds what the plan says. A failing step stops the run; steps built before it stay.
    public func run(_ connection: PostgresConnection, options: Options) async throws -> Report {
        try await ModuleSchema.core.ensure(on: connection)
        let catalog = try TransformCatalog.load(project)
        let tests = try DataTest.loadAll(project, catalog: catalog)
        try await acquireRunLock(connection, noWait: options.noWait)
        do {
            let report = try await runLocked(connection, catalog: catalog, tests: tests, options: options)
            try await connection.advisoryUnlock(LockKeys.run)
            return report
        } catch {
            try? await connection.advisoryUnlock(LockKeys.run)
            throw error
        }
    }

    private func acquireRunLock(_ connection: PostgresConnection, noWait: Bool) async throws {
        if try await connection.tryAdvisoryLock(LockKeys.run) { return }
        let holder = try await connection.advisoryLockHolder(LockKeys.run).map { "pid \($0)" } ?? "another session"
        if noWait {
            throw WarehouseError(
                "another clv run (\(holder)) is building in this database; run again without --no-wait to wait for it")
        }
        logger.info("waiting for another clv run to finish", metadata: ["holder": "\(holder)"])
        try await connection.advisoryLock(LockKeys.run)
    }

    /// Analyzes the raw tables that changed by more than a tenth since their statistics were taken
    /// (e.g. just loaded in bulk, before autovacuum got to them): plans built on stale statistics
    /// pick nested loops over millions of rows.
    private func refreshStatistics(_ connection: PostgresConnection) async throws {
        let stale = try await connection.query(
            """
            select schemaname || '.' || relname as relation
            from pg_stat_user_tables
            where schemaname = 'raw' and n_mod_since_analyze > greatest(1000, n_live_tup / 10)
            order by 1
            """)
        for row in stale {
            let relation = try row.decode(String.self, "relation")
            logger.info("analyzing a changed raw table", metadata: ["relation": "\(relation)"])
            try await connection.execute("analyze \(ident: relation)")
        }
    }

    private func runLocked(
        _ connection: PostgresConnection, catalog: TransformCatalog, tests: [DataTest], options: Options
    ) async throws -> Report {
        // Holding the lock, any run still marked running belongs to a process that died.
        try await connection.execute(
            """
            update clv_meta.runs set status = 'abandoned', finished_at = clock_timestamp(),
                error = 'the process ended before the run finished'
            where status = 'running'
            """)
        let (plan, snapshot) = try await plan(connection, catalog: catalog, options: options)
        if !plan.steps.isEmpty { try await refreshStatistics(connection) }
        let runID = try await connection.query(
            """
            insert into clv_meta.runs (command, status, as_of, load_watermark)
            values (\(options.command), 'running', \(plan.asOf), \(plan.watermark)) returning run_id
            """)[0].decode(Int64.self, "run_id")
        var relations = snapshot.relations
        var built: [StepResult] = []
        for step in plan.steps {
            let started = ContinuousClock.now
            try await connection.execute(
                """
                insert into clv_meta.run_steps (run_id, transform, version, materialized, mode, reason, status)
                values (\(runID), \(step.transform.name), \(step.transform.version), \(step.transform.materialization.rawValue),
                        \(step.mode.description), \(step.reasons.map(\.description).joined(separator: "; ")), 'running')
                """)
            do {
                let rows = try await StepBuilder(
                    step: step, catalog: catalog, tests: tests, relations: relations, plan: plan, runID: runID
                ).build(on: connection)
                relations[step.transform.name] = step.mode == .view ? "v" : "r"
                try await connection.execute(
                    """
                    update clv_meta.run_steps set status = 'success', finished_at = clock_timestamp(), rows = \(rows)
                    where run_id = \(runID) and transform = \(step.transform.name)
                    """)
                let seconds = (ContinuousClock.now - started).inSeconds
                built.append(
                    StepResult(
                        transform: step.transform.name, mode: step.mode.description,
                        reasons: step.reasons.map(\.description), rows: rows, seconds: seconds))
                logger.info(
                    "built transform",
                    metadata: [
                        "transform.name": "\(step.transform.name)", "run.id": "\(runID)", "rows": "\(rows)",
                        "mode": "\(step.mode)", "seconds": "\(String(format: "%.3f", seconds))",
                    ])
            } catch {
                let message = String(describing: error)
                _ = try? await connection.execute(
                    """
                    update clv_meta.run_steps set status = 'failed', finished_at = clock_timestamp(), error = \(message)
                    where run_id = \(runID) and transform = \(step.transform.name)
                    """)
                _ = try? await connection.execute(
                    """
                    update clv_meta.runs set status = 'failed', finished_at = clock_timestamp(), error = \(message)
                    where run_id = \(runID)
                    """)
                throw error
            }
        }
        if !plan.steps.isEmpty { try await ChangePruner(catalog: catalog).prune(on: connection) }
        try await connection.execute(
            "update clv_meta.runs set status = 'success', finished_at = clock_timestamp() where run_id = \(runID)")
        return Report(runID: runID, built: built, upToDate: plan.upToDate.map(\.name))
    }
}

extension Date {
    /// PostgreSQL keeps microseconds; rounding first makes a stored reference time compare equal.
    var roundedToMicroseconds: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000)
    }
}
