import Core
import Foundation

/// The rules' fixed SQL (`Sources/Rules/SQL`).
enum RulesSQL {
    /// `SQL/NAME.sql` of this module.
    static func text(_ name: String) throws -> String { try ModuleSQL.read(name, in: Bundle.module) }
}
