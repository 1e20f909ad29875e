import Foundation
import PostgresClient

/// Fixed SQL a module owns, shipped as a resource of that module (`Sources/MODULE/SQL/NAME.sql`),
/// so a user's project never has to carry engine SQL. Each file is read from disk once per process.
public enum ModuleSQL {
    /// The text of `SQL/NAME.sql` in `bundle` (the module's `Bundle.module`).
    public static func read(_ name: String, in bundle: Bundle) throws -> String {
        guard let url = bundle.url(forResource: name, withExtension: "sql", subdirectory: "SQL") else {
            throw WarehouseError("the build is missing its resource SQL/\(name).sql (\(bundle.bundlePath))")
        }
        if let text = ModuleSQLCache.shared.text(at: url.path) { return text }
        guard let data = FileManager.default.contents(atPath: url.path),
            let text = String(data: data, encoding: .utf8)
        else {
            throw WarehouseError("cannot read the resource \(url.path)")
        }
        ModuleSQLCache.shared.keep(text, at: url.path)
        return text
    }

    /// The statement of `SQL/NAME.sql` in `bundle` with its `$1`, `$2`… placeholders bound to
    /// `values`, in order.
    public static func statement(
        _ name: String, in bundle: Bundle, binding values: [any PostgresEncodable] = []
    ) throws -> SQL {
        SQL(unsafeSQL: try read(name, in: bundle), binding: values)
    }
}
