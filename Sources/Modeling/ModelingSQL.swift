import Core
import Foundation
import PostgresClient

/// The predictions' fixed SQL (`Sources/Modeling/SQL`).
enum ModelingSQL {
    /// `SQL/NAME.sql` of this module.
    static func text(_ name: String) throws -> String {
        try ModuleSQL.read(name, from: EmbeddedSQL.files, module: "Modeling")
    }

    /// The statement of `SQL/NAME.sql` of this module, its `$1`, `$2`… bound to `values`.
    static func statement(_ name: String, binding values: [any PostgresEncodable] = []) throws -> SQL {
        try ModuleSQL.statement(name, from: EmbeddedSQL.files, module: "Modeling", binding: values)
    }
}
