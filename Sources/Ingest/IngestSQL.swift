import Core
import Foundation
import PostgresClient

/// The loads' fixed SQL (`Sources/Ingest/SQL`).
enum IngestSQL {
    /// The statement of `SQL/NAME.sql` of this module, its `$1`, `$2`… bound to `values`.
    static func statement(_ name: String, binding values: [any PostgresEncodable] = []) throws -> SQL {
        try ModuleSQL.statement(name, from: EmbeddedSQL.files, module: "Ingest", binding: values)
    }
}
