import Core
import Foundation

extension ModuleSchema {
    /// The Ingest module's tables: load records (`clv_meta.loads`) (`Sources/Ingest/SQL/schema`).
    public static let ingest = ModuleSchema(module: "Ingest", files: IngestSQL.files)
}
