import Foundation

/// Which slots of a schedule are due at an instant, given the last slot already recorded. Pure.
public enum SlotPlanner {
    /// What to record for a schedule now.
    public struct Due: Equatable, Sendable {
        /// The slot to run, if any.
        public var run: Date?
        /// Missed slots recorded as skipped (catch_up: skip, or the older ones under once).
        public var skipped: [Date]
    }

    /// - A schedule never run before starts with its first slot after `firstSeen` (no backfill).
    /// - `catch_up: once` runs the latest missed slot and records the older ones as skipped;
    ///   `skip` runs a slot only when it is the latest one due, records older ones as skipped, and
    ///   skips even the latest when it is older than `grace` (the daemon was down at that time).
    public static func due(
        _ schedule: Schedule, lastSlot: Date?, firstSeen: Date, now: Date, grace: TimeInterval = 120, limit: Int = 1000
    ) -> Due {
        var missed: [Date] = []
        var cursor = lastSlot ?? firstSeen
        while missed.count < limit, let next = schedule.cron.next(after: cursor, in: schedule.timeZone), next <= now {
            missed.append(next)
            cursor = next
        }
        guard let latest = missed.last else { return Due(run: nil, skipped: []) }
        let older = Array(missed.dropLast())
        switch schedule.catchUp {
        case .once:
            return Due(run: latest, skipped: older)
        case .skip:
            if now.timeIntervalSince(latest) <= grace { return Due(run: latest, skipped: older) }
            return Due(run: nil, skipped: missed)
        }
    }

    /// Exponential backoff: `base × 2^(attempt − 1)`.
    public static func backoff(base: Int, afterAttempt attempt: Int) -> Int {
        base * (1 << max(0, min(attempt - 1, 20)))
    }
}
