import Foundation

/// Fixed SQL a module owns, shipped as a resource of that module (`Sources/MODULE/SQL/NAME.sql`),
/// so a user's project never has to carry engine SQL.
public enum ModuleSQL {
    /// The text of `SQL/NAME.sql` in `bundle` (the module's `Bundle.module`).
    public static func read(_ name: String, in bundle: Bundle) throws -> String {
        guard let url = bundle.url(forResource: name, withExtension: "sql", subdirectory: "SQL") else {
            throw WarehouseError("the build is missing its resource SQL/\(name).sql (\(bundle.bundlePath))")
        }
        guard let data = FileManager.default.contents(atPath: url.path),
            let text = String(data: data, encoding: .utf8)
        else {
            throw WarehouseError("cannot read the resource \(url.path)")
        }
        return text
    }
}
