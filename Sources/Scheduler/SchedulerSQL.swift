import Core
import Foundation
import PostgresClient

/// The scheduler's fixed SQL (`Sources/Scheduler/SQL`).
enum SchedulerSQL {
    /// The statement of `SQL/NAME.sql` of this module, its `$1`, `$2`… bound to `values`.
    static func statement(_ name: String, binding values: [any PostgresEncodable] = []) throws -> SQL {
        try ModuleSQL.statement(name, from: EmbeddedSQL.files, module: "Scheduler", binding: values)
    }
}
