import Core
import Foundation

extension ModuleSchema {
    /// The Scheduler module's tables: slots, attempts, schedules and daemons (`Sources/Scheduler/SQL/schema`).
    public static let scheduler = ModuleSchema(module: "Scheduler", files: SchedulerSQL.files)
}
