/// One batch of member changes on its way to a destination.
public struct ExportBatch: Sendable {
    public var audience: String
    public var destination: String
    public var exportID: Int
    public var number: Int
    public var members: [FileLayout.Member]
    /// Attribute names, in the order of each member's values.
    public var attributes: [String]

    /// The same for every attempt of this batch, so a destination can drop a repeat.
    public var idempotencyKey: String { "clv-\(audience)-\(destination)-\(exportID)-\(number)" }
}

/// Delivers batches; returns only once the destination has confirmed (or the file is in place).
protocol BatchSink: Sendable {
    func deliver(_ batch: ExportBatch) async throws
    /// After the last batch of an export: e.g. the manifest of a file drop.
    func finish(exportID: Int, audience: String, summary: [(String, Int)]) async throws
}
