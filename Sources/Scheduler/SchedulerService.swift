import Core
import Foundation
import Logging
import PostgresClient
import ServiceLifecycle

/// The daemon as a long-running service: ticks once a second until graceful shutdown, which lets
/// the running job finish (it is bounded by its schedule's timeout) and then returns.
public struct SchedulerService: Service {
    public let daemon: SchedulerDaemon
    public let loader: ScheduleLoader
    public var tickInterval: Duration = .seconds(1)
    /// History older than this is pruned (hourly).
    public var retention: TimeInterval = 90 * 86_400

    public init(daemon: SchedulerDaemon, loader: ScheduleLoader) {
        self.daemon = daemon
        self.loader = loader
    }

    public func run() async throws {
        let logger = daemon.logger
        let connection = try await PostgresConnection.connect(daemon.databaseURL)
        var schedules = try loader.loadAll()
        var lastPrune = Date.distantPast
        logger.info("scheduler started", metadata: ["daemon": "\(daemon.id)", "schedules": "\(schedules.map(\.name))"])
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            // Re-read the files each tick so an edit takes effect; a broken edit keeps the last good set.
            do { schedules = try loader.loadAll() } catch {
                logger.error("schedules/ has errors; keeping the previous schedules", metadata: ["error": "\(error)"])
            }
            let now = Date()
            do {
                for event in try await daemon.tick(now: now, schedules: schedules, on: connection) {
                    logger.info("scheduler event", metadata: ["event": "\(event)"])
                }
                if now.timeIntervalSince(lastPrune) > 3600 {
                    let pruned = try await daemon.prune(olderThan: retention, now: now, on: connection)
                    if pruned > 0 { logger.info("pruned schedule history", metadata: ["slots": "\(pruned)"]) }
                    lastPrune = now
                }
            } catch {
                logger.error("scheduler tick failed; trying again next tick", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: tickInterval)
        }
        logger.info("scheduler stopped", metadata: ["daemon": "\(daemon.id)"])
    }
}
