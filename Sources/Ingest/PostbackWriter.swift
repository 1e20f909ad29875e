import Foundation
import PostgresClient

/// Records one server-to-server postback as a conversion, exactly once.
public struct PostbackWriter: Sendable {
    /// What happened to a postback.
    public enum Outcome: Sendable, Equatable {
        case inserted(conversionID: String)
        /// Already recorded: nothing was written.
        case duplicate(conversionID: String)
    }

    /// A postback refused for a parameter, with the reason.
    public struct Refused: Error, Sendable, CustomStringConvertible {
        public var parameter: String
        public var reason: String
        public var description: String { "\(parameter): \(reason)" }
    }

    private let encoder = RowEncoder(kind: .conversions)

    public init() {}

    /// Validates the parameters like a conversions file row and inserts the conversion; a
    /// conversion id already present is a duplicate. Returns only once the row is committed.
    public func record(
        _ parameters: [(String, FieldValue)], receivedAt: Date, on connection: PostgresConnection
    ) async throws -> Outcome {
        var fields = PostbackParameters.canonicalize(parameters)
        if !fields.contains(where: { $0.0 == "occurred_at" }) {
            fields.append(("occurred_at", .text(PostgresTimestamp.format(receivedAt))))
        }
        let row: RowEncoder.Row
        switch encoder.validate(InputRecord(line: 1, fields: fields)) {
        case .success(let valid): row = valid
        case .failure(let refusal):
            let first = refusal.reasons[0]
            let parameter = first.split(separator: ":", maxSplits: 1).first.map(String.init) ?? "request"
            let reason =
                first.split(separator: ":", maxSplits: 1).dropFirst().first.map { String($0).trimmingSpaces } ?? first
            throw Refused(parameter: parameter, reason: reason)
        }
        let conversionID = row.values[0]!
        var sql = SQL(
            unsafeSQL: "insert into raw.conversions (\(encoder.targetColumns.joined(separator: ", "))) values (")
        for (index, value) in (row.values + [row.params]).enumerated() {
            sql.text += (index == 0 ? "" : ", ") + "$\(index + 1)"
            sql.binds.append(value)
        }
        sql.text += ") on conflict (conversion_id) do nothing"
        let inserted = try await connection.execute(sql)
        return inserted == 1 ? .inserted(conversionID: conversionID) : .duplicate(conversionID: conversionID)
    }
}
