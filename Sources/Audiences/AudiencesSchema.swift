import Core
import Foundation

extension ModuleSchema {
    /// The Audiences module's tables: exports, change sets and acknowledged members (`Sources/Audiences/SQL/schema`).
    public static let audiences = ModuleSchema(module: "Audiences", files: AudiencesSQL.files)
}
