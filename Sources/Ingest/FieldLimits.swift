/// What any value must satisfy before PostgreSQL sees it, whatever its column.
enum FieldLimits {
    /// The longest value clv accepts, in UTF-8 bytes (1 MiB): far above any real id, name or
    /// data point, far below PostgreSQL's 1 GB field limit, and it bounds a row's memory.
    static let maxBytes = 1 << 20

    /// Nil when `text` can be stored, else why not: PostgreSQL text cannot hold a NUL byte.
    static func problem(_ text: String) -> String? {
        if text.utf8.count > maxBytes { return "longer than 1 MiB (\(text.utf8.count) bytes)" }
        let hasNUL = text.utf8.withContiguousStorageIfAvailable { $0.contains(0) } ?? text.utf8.contains(0)
        if hasNUL { return "contains a NUL byte, which PostgreSQL text cannot hold" }
        return nil
    }
}
