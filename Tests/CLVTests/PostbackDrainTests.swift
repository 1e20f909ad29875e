import Foundation
import PostgresClient
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `clv serve` as a real process under load, stopped with SIGTERM half-way: it stops accepting,
/// finishes the requests in flight and exits 0, and every postback it answered 200 is committed.
@Suite struct PostbackDrainTests {
    /// One postback to send: its conversion id (nil when malformed) and query string.
    struct Postback: Sendable {
        var key: String?
        var query: String
    }

    /// What one postback got: nil status when the server was gone or closed the connection.
    struct Answer: Sendable {
        var postback: Postback
        var status: Int?
        var body: [String: String]
    }

    /// Hands out postbacks to the clients and collects the answers; sends SIGTERM once
    /// `stopAfter` answers have arrived.
    actor Load {
        let postbacks: [Postback]
        let serverPID: Int32
        let stopAfter: Int
        private var next = 0
        private(set) var answers: [Answer] = []

        init(postbacks: [Postback], serverPID: Int32, stopAfter: Int) {
            self.postbacks = postbacks
            self.serverPID = serverPID
            self.stopAfter = stopAfter
        }

        func take() -> Postback? {
            defer { next += 1 }
            return next < postbacks.count ? postbacks[next] : nil
        }

        func record(_ answer: Answer) {
            answers.append(answer)
            if answer.status != nil, answers.count(where: { $0.status != nil }) == stopAfter {
                kill(serverPID, SIGTERM)
            }
        }
    }

    /// 2,000 postbacks: unique conversions, every fifth a repeat of an earlier one, 1% malformed.
    static func postbacks() -> [Postback] {
        (0..<2000).map { index in
            if index % 100 == 7 { return Postback(key: nil, query: "conversion_id=drain-bad-\(index)&revenue=abc") }
            let key = index % 5 == 4 ? "drain-\(index - 3)" : "drain-\(index)"
            return Postback(key: key, query: "conversion_id=\(key)&user_id=cust_\(index % 300)&revenue=12.50&geo=EU1")
        }
    }

    @Test func sigtermMidLoadDrainsWithoutLosingAcceptedPostbacks() async throws {
        let database = try await TestDatabase.make()
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        #expect(
            try await CLVBinary.runOnThread(["migrate", "--project", repository.path, "--database-url", database.url])
                .status == 0)
        let folder = try TemporaryDirectory.make(prefix: "clv-drain")
        let output = folder.url.appendingPathComponent("serve.out")
        try Data().write(to: output)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CLVBinary.path)
        server.arguments = ["serve", "--port", "0", "--database-url", database.url]
        server.standardOutput = try FileHandle(forWritingTo: output)
        server.standardError = FileHandle.nullDevice
        try server.run()
        var port: Int?
        for _ in 0..<300 where port == nil {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            port = text.firstRange(of: /127\.0\.0\.1:(\d+)/).flatMap { Int(text[$0].split(separator: ":")[1]) }
            if port == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let listening = try #require(port, "clv serve did not start")

        let load = Load(postbacks: Self.postbacks(), serverPID: server.processIdentifier, stopAfter: 1000)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 10
        configuration.timeoutIntervalForRequest = 60
        let session = URLSession(configuration: configuration)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    while let postback = await load.take() {
                        let url = URL(string: "http://127.0.0.1:\(listening)/postback?\(postback.query)")!
                        let answer: Answer
                        if let (data, response) = try? await session.data(from: url) {
                            let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: String] ?? [:]
                            answer = Answer(
                                postback: postback, status: (response as? HTTPURLResponse)?.statusCode, body: body)
                        } else {
                            answer = Answer(postback: postback, status: nil, body: [:])
                        }
                        await load.record(answer)
                    }
                }
            }
        }
        while server.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(server.terminationReason == .exit)
        #expect(server.terminationStatus == 0)

        let answers = await load.answers
        #expect(answers.count(where: { $0.status != nil }) >= 1000)
        let accepted = Set(answers.filter { $0.postback.key != nil && $0.status == 200 }.compactMap(\.postback.key))
        let connection = try await database.connect()
        let stored = try await connection.query(
            "select conversion_id, count(*)::int as n from raw.conversions group by conversion_id")
        let counts = Dictionary(
            uniqueKeysWithValues: try stored.map {
                (try $0.decode(String.self, "conversion_id"), try $0.decode(Int.self, "n"))
            })
        #expect(accepted.filter { counts[$0] != 1 }.isEmpty, "answered 200 but not stored exactly once")
        // Drained, not cut off: a conversion the server stored was answered.
        let unanswered = Set(answers.filter { $0.status == nil }.compactMap(\.postback.key)).subtracting(accepted)
        #expect(unanswered.filter { counts[$0] != nil }.isEmpty, "stored but never answered")
        for answer in answers where answer.status != nil {
            if answer.postback.key == nil {
                #expect(answer.status == 400)
                #expect(answer.body["parameter"] == "revenue")
                #expect(answer.body["error"]?.isEmpty == false)
            } else {
                #expect(answer.status == 200, "\(answer.postback.query): \(answer.body)")
            }
        }
        folder.remove()
        try await database.drop()
    }
}
