import Core
import Foundation
import Ingest
import Logging
import PostgresClient

/// Writes a realistic, reproducible data set into every raw table through COPY.
///
/// Time runs from 2025-01-01 for `days` days whatever today is, so the same seed gives the same
/// rows. Customers are generated in chunks, each with a seed of its own and its own load id; the
/// next chunk is generated while the current one is copied.
public struct SyntheticGenerator: Sendable {
    public struct Options: Sendable {
        public var customers: Int
        public var seed: UInt64 = 1
        public var days = 365
        public var chunkSize = 20_000

        public init(customers: Int) {
            self.customers = customers
        }

        var description: String { "generate --customers \(customers) --seed \(seed) --days \(days)" }
    }

    /// What was written.
    public struct Summary: Sendable, Codable {
        public var customers: Int
        public var conversions: Int
        public var seconds: Double
        /// Set when this exact data set was generated before: nothing was written.
        public var alreadyGenerated: Bool
    }

    public let logger: Logger
    static let start = 1_735_689_600  // 2025-01-01T00:00:00Z

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Generates the data set; `progress(customersDone, conversionsDone)` is called after each chunk.
    public func generate(
        _ options: Options, on connection: PostgresConnection, progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> Summary {
        let started = ContinuousClock.now
        try await ModuleSchema.ingest.ensure(on: connection)
        let checksum = SHA256.hex(options.description)
        if try await !connection.query(
            "select 1 from clv_meta.loads where kind = 'generate' and checksum = \(checksum)"
        ).isEmpty {
            return Summary(customers: 0, conversions: 0, seconds: 0, alreadyGenerated: true)
        }
        if try await !connection.query("select 1 from raw.customers where customer_id = 'cust_0'").isEmpty {
            throw WarehouseError(
                "raw.customers already holds synthetic customers from another generate run; use a fresh database (clv db reset)"
            )
        }
        var worldRandom = RandomSource(seed: options.seed)
        let world = SyntheticWorld(random: &worldRandom)
        let firstLoad = try await writeDimensions(world, on: connection)

        let chunks = stride(from: 0, to: options.customers, by: options.chunkSize).map {
            $0..<min($0 + options.chunkSize, options.customers)
        }
        var customersDone = 0
        var conversionsDone = 0
        var pending: Task<SyntheticBatch, Never>? = chunks.first.map { range in
            Task { Self.batch(range, chunk: 0, world: world, options: options) }
        }
        for (number, _) in chunks.enumerated() {
            let batch = await pending!.value
            pending =
                number + 1 < chunks.count
                ? Task { [range = chunks[number + 1]] in
                    Self.batch(range, chunk: number + 1, world: world, options: options)
                }
                : nil
            try await write(batch, on: connection)
            customersDone += batch.customerCount
            conversionsDone += batch.conversionCount
            progress(customersDone, conversionsDone)
        }
        let elapsed = (ContinuousClock.now - started).inSeconds
        try await connection.execute(
            """
            insert into clv_meta.loads (load_id, kind, file, format, checksum, rows_read, inserted, updated, duplicates, rejected, seconds)
            values (\(firstLoad), 'generate', \(options.description), 'synthetic', \(checksum), \(conversionsDone), \(conversionsDone), 0, 0, 0, \(elapsed))
            """)
        return Summary(
            customers: customersDone, conversions: conversionsDone, seconds: elapsed, alreadyGenerated: false)
    }

    static func batch(_ range: Range<Int>, chunk: Int, world: SyntheticWorld, options: Options) -> SyntheticBatch {
        var random = RandomSource(seed: options.seed &* 0x100_0000_01B3 &+ UInt64(chunk) &+ 1)
        var batch = SyntheticBatch()
        for index in range {
            batch.addCustomer(index, world: world, random: &random, start: start, days: options.days)
        }
        return batch
    }

    /// Every line of `text` with `\t<value>` added before its newline.
    static func appendingColumn(_ value: String, toEachLineOf text: String) -> [UInt8] {
        let suffix = Array("\t\(value)\n".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        for byte in text.utf8 {
            if byte == 10 { output.append(contentsOf: suffix) } else { output.append(byte) }
        }
        return output
    }

    /// Partners, advertisers and offers; returns their load id.
    private func writeDimensions(_ world: SyntheticWorld, on connection: PostgresConnection) async throws -> Int64 {
        try await connection.transaction { connection in
            let loadID = try await connection.query("select clv_meta.next_load_id() as id")[0].decode(Int64.self, "id")
            let partners = world.partners.map { "\($0.id)\tPartner \($0.id)\t\(loadID)\n" }.joined()
            try await connection.copyIn("copy raw.partners (partner_id, name, _load_id) from stdin") {
                try $0.write(partners)
            }
            let advertisers = Set(world.offers.map(\.advertiser)).sorted().map {
                "\($0)\tAdvertiser \($0)\t\(loadID)\n"
            }.joined()
            try await connection.copyIn("copy raw.advertisers (advertiser_id, name, _load_id) from stdin") {
                try $0.write(advertisers)
            }
            let offers = world.offers.map {
                "\($0.id)\tOffer \($0.id)\t\($0.advertiser)\t\($0.window)\t\($0.payoutType)\t\($0.payout)\t\(loadID)\n"
            }.joined()
            try await connection.copyIn(
                "copy raw.offers (offer_id, name, advertiser_id, attribution_window, payout_type, payout, _load_id) from stdin"
            ) { try $0.write(offers) }
            return loadID
        }
    }

    /// One chunk in one transaction, under one load id.
    private func write(_ batch: SyntheticBatch, on connection: PostgresConnection) async throws {
        try await connection.transaction { connection in
            let loadID = String(
                try await connection.query("select clv_meta.next_load_id() as id")[0].decode(Int64.self, "id"))
            let tables: [(String, String)] = [
                (
                    "raw.customers (customer_id, email, name, phone, source, partner_id, signup_at, geo, email_opt_in, _load_id)",
                    batch.customers
                ),
                (
                    "raw.message_sends (message_id, sent_at, campaign_id, creative_id, list_id, contact, audience_segments, cost, _load_id)",
                    batch.sends
                ),
                ("raw.email_events (occurred_at, campaign_id, audience, contact, type, _load_id)", batch.emailEvents),
                (
                    "raw.clicks (click_id, occurred_at, partner_id, offer_id, message_id, contact, _load_id)",
                    batch.clicks
                ),
                (
                    "raw.conversions (conversion_id, customer_id, occurred_at, event, offer_id, partner_id, click_id, revenue, payout, params, _load_id)",
                    batch.conversions
                ),
            ]
            for (target, text) in tables {
                try await connection.copyIn(SQL(unsafeSQL: "copy \(target) from stdin")) { writer in
                    try Self.appendingColumn(loadID, toEachLineOf: text).withUnsafeBytes { try writer.write(bytes: $0) }
                }
            }
        }
    }
}
