import Foundation
import PostgresClient

/// A row PostgreSQL refused during COPY (a value its input function or a constraint rejected),
/// located by the error's context: `COPY conversions, line 3, column occurred_at: "…"`.
struct CopyRefusal {
    /// The row's line in the COPY stream (1-based), not in the source file.
    var copyLine: Int
    /// The table column, when PostgreSQL names one.
    var column: String?
    var message: String

    /// Nil unless `error` is a data or constraint error (SQLSTATE class 22 or 23) about one COPY row.
    init?(_ error: PostgresError) {
        guard error.kind == .server, let state = error.sqlState, state.hasPrefix("22") || state.hasPrefix("23"),
            let context = error.context
        else { return nil }
        for entry in context.split(separator: "\n") where entry.hasPrefix("COPY ") {
            guard let marker = entry.range(of: ", line ") else { continue }
            let rest = entry[marker.upperBound...]
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let line = Int(digits) else { continue }
            let after = rest.dropFirst(digits.count)
            copyLine = line
            column =
                after.hasPrefix(", column ")
                ? String(after.dropFirst(", column ".count).prefix { $0 != ":" }) : error.column
            message = error.message
            return
        }
        return nil
    }
}
