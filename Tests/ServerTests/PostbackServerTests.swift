import Core
import Foundation
import Ingest
import Logging
import Pipeline
import PostgresClient
import Server
import TestSupport
import Testing
import Transforms

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Starts the real server on a free loopback port against a fresh database.
struct RunningServer {
    let database: TestDatabase
    let task: Task<Void, any Error>
    let port: Int

    static func start(
        token: String? = nil,
        configure: (inout PostbackServer.Configuration, TestDatabase) async throws -> Void = { _, _ in }
    ) async throws -> RunningServer {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        try await Pipeline(project: Project(root: repository), logger: Logger(label: "test")).migrate(on: connection)
        var configuration = PostbackServer.Configuration()
        configuration.port = 0
        configuration.token = token
        configuration.maxBodyBytes = 1024
        try await configure(&configuration, database)
        var logger = Logger(label: "test")
        logger.logLevel = .critical  // stopping the server by cancelling its task logs a shutdown error
        let server = PostbackServer(databaseURL: database.url, configuration: configuration, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await server.run { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        return RunningServer(database: database, task: task, port: port)
    }

    /// Sends a GET; returns the status, the content type and the body.
    func get(_ pathAndQuery: String) async throws -> (status: Int, type: String, body: Data) {
        let (data, response) = try await URLSession.shared.data(
            from: URL(string: "http://127.0.0.1:\(port)\(pathAndQuery)")!)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "Content-Type") ?? "", data)
    }

    /// Sends a request; returns the status and the JSON body.
    func send(
        _ pathAndQuery: String, method: String = "GET", body: String? = nil, contentType: String? = nil,
        headers: [String: String] = [:]
    )
        async throws -> (Int, [String: String])
    {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(pathAndQuery)")!)
        request.httpMethod = method
        if let body { request.httpBody = Data(body.utf8) }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: String] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
    }

    func rows(_ sql: String) async throws -> [[String?]] {
        try await database.connect().query(SQL(unsafeSQL: sql)).map(\.values)
    }

    func stop() async throws {
        task.cancel()
        _ = await task.result
        try await database.drop()
    }
}

@Suite(.serialized) struct PostbackServerTests {
    @Test func canonicalPostbackIsRecordedOnceAndDuplicatesAnswer200() async throws {
        let server = try await RunningServer.start()
        let query =
            "/postback?conversion_id=cv1&user_id=cust_778&occurred_at=2025-01-03T10:00:00Z&revenue=0&payout=40&geo=EU1"
        let (status, body) = try await server.send(query)
        #expect(status == 200)
        #expect(body == ["status": "recorded", "conversion_id": "cv1"])
        let (again, againBody) = try await server.send(query)
        #expect(again == 200)
        #expect(againBody["status"] == "duplicate")
        #expect(
            try await server.rows("select conversion_id, customer_id, payout::text, params::text from raw.conversions")
                == [
                    ["cv1", "cust_778", "40", "{\"geo\": \"EU1\"}"]
                ])
        #expect(try await server.send("/health").0 == 200)
        try await server.stop()
    }

    @Test func platformParameterNamesMapToConversionColumns() async throws {
        let server = try await RunningServer.start()
        // TUNE/HasOffers style GET, no conversion id: the id is click/event.
        let tune = try await server.send(
            "/postback?transaction_id=abc123&goal_name=deposit&sale_amount=150.50&payout=5&affiliate_id=p7&offer_id=o1&user_id=cust_1&deposit=150&note=hello+world%21"
        )
        #expect(tune.0 == 200)
        #expect(tune.1["conversion_id"] == "abc123/deposit")
        // Impact style form POST.
        let impact = try await server.send(
            "/postback", method: "POST",
            body: "ClickId=k9&OrderId=ord-77&SaleAmount=20&Payout=2&EventDate=2025-02-01T12:00:00Z&CustomerId=cust_2",
            contentType: "application/x-www-form-urlencoded")
        #expect(impact.0 == 200)
        #expect(impact.1["conversion_id"] == "ord-77")
        // Everflow style JSON POST.
        let everflow = try await server.send(
            "/postback", method: "POST",
            body:
                #"{"transaction_id": "ef1", "order_id": "ef-order", "amount": 12.5, "timestamp": "1735689600", "params": {"level": 10}}"#,
            contentType: "application/json")
        #expect(everflow.0 == 200)
        let rows = try await server.rows(
            "select conversion_id, click_id, event, revenue::text, coalesce(payout::text, '-'), coalesce(partner_id, '-'), customer_id, occurred_at::text, params::text from raw.conversions order by 1"
        )
        #expect(
            rows[0] == [
                "abc123/deposit", "abc123", "deposit", "150.50", "5", "p7", "cust_1", rows[0][7],
                "{\"note\": \"hello world!\", \"deposit\": 150}",
            ])
        #expect(
            rows[1] == ["ef-order", "ef1", "base", "12.5", "-", "-", nil, "2025-01-01 00:00:00+00", "{\"level\": 10}"])
        #expect(rows[2] == ["ord-77", "k9", "base", "20", "2", "-", "cust_2", "2025-02-01 12:00:00+00", "{}"])
        try await server.stop()
    }

    @Test func badRequestsSayWhichParameter() async throws {
        let server = try await RunningServer.start()
        let badNumber = try await server.send("/postback?conversion_id=x&revenue=abc")
        #expect(badNumber.0 == 400)
        #expect(badNumber.1["parameter"] == "revenue")
        let missing = try await server.send("/postback?revenue=10")
        #expect(missing.0 == 400)
        #expect(missing.1["parameter"] == "conversion_id")
        let badEscape = try await server.send("/postback?conversion_id=x&geo=%C3%28")
        #expect(badEscape.0 == 400)
        #expect(badEscape.1["parameter"] == "geo")
        let tooBig = try await server.send(
            "/postback", method: "POST", body: "conversion_id=x&pad=" + String(repeating: "a", count: 2000),
            contentType: "application/x-www-form-urlencoded")
        #expect(tooBig.0 == 413)
        let many = (0..<101).map { "p\($0)=1" }.joined(separator: "&")
        #expect(try await server.send("/postback?conversion_id=x&\(many)").0 == 400)
        #expect(try await server.rows("select count(*)::text from raw.conversions") == [["0"]])
        try await server.stop()
    }

    @Test func sharedSecretIsRequiredWhenConfigured() async throws {
        let server = try await RunningServer.start(token: "s3cret")
        #expect(try await server.send("/postback?conversion_id=t1").0 == 401)
        #expect(try await server.send("/postback?conversion_id=t1&token=nope").0 == 401)
        #expect(try await server.send("/postback?conversion_id=t1&token=s3cret&occurred_at=2025-01-01").0 == 200)
        #expect(
            try await server.send(
                "/postback?conversion_id=t2&occurred_at=2025-01-01", headers: ["X-CLV-Token": "s3cret"]
            ).0 == 200)
        // The token is not stored as a data point.
        #expect(
            try await server.rows("select params::text from raw.conversions where conversion_id = 't1'") == [["{}"]])
        try await server.stop()
    }
}
