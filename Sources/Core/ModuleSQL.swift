import PostgresClient

/// Fixed SQL a module owns (`Sources/MODULE/SQL/NAME.sql`), compiled into the module by the
/// EmbedSQL plugin as `enum MODULESQL` (e.g. `RulesSQL`), whose `text` and `statement` read through
/// here: a user's project never carries engine SQL, and the
/// `clv` binary carries its SQL wherever it is installed.
public enum ModuleSQL {
    /// The text of `SQL/NAME.sql` among `files` (a module's `MODULESQL.files`).
    public static func read(_ name: String, from files: [String: String], module: String) throws -> String {
        guard let text = files[name] else {
            throw WarehouseError("the build of \(module) has no Sources/\(module)/SQL/\(name).sql")
        }
        return text
    }

    /// The statement of `SQL/NAME.sql` among `files` with its `$1`, `$2`… placeholders bound to
    /// `values`, in order.
    public static func statement(
        _ name: String, from files: [String: String], module: String, binding values: [any PostgresEncodable] = []
    ) throws -> SQL {
        SQL(unsafeSQL: try read(name, from: files, module: module), binding: values)
    }
}
