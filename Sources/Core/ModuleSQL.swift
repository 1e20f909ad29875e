import PostgresClient

/// Fixed SQL a module owns (`Sources/MODULE/SQL/NAME.sql`), compiled into the module by the
/// EmbedSQL plugin as its `EmbeddedSQL.files`: a user's project never carries engine SQL, and the
/// `clv` binary carries its SQL wherever it is installed.
public enum ModuleSQL {
    /// The text of `SQL/NAME.sql` among `files` (the module's `EmbeddedSQL.files`).
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
