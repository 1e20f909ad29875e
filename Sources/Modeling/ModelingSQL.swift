import Core
import Foundation

/// The predictions' fixed SQL (`Sources/Modeling/SQL`).
enum ModelingSQL {
    /// `SQL/NAME.sql` of this module.
    static func text(_ name: String) throws -> String { try ModuleSQL.read(name, in: Bundle.module) }
}
