import Foundation
import Hummingbird
import Logging
import NIOCore

/// A list API on loopback for the tests: it records every batch it accepts by idempotency key,
/// and can be told to fail (429 with Retry-After, 503, or 500 forever) before accepting.
public final class HTTPSinkServer: @unchecked Sendable {
    public enum Behaviour: Sendable {
        /// Each batch: 503 once, then 429 (Retry-After: 0) once, then 200.
        case flaky
        /// Always 500: the destination is down.
        case down
        case healthy
        /// Accepts (stores) each batch, then waits this long before answering: a sender killed
        /// meanwhile never hears the destination confirm.
        case acceptThenStall(seconds: Double)
        /// Accepts each batch, answering 200 after this long: requests overlap if the sender lets them.
        case slow(seconds: Double)
    }

    private let lock = NSLock()
    private var behaviour: Behaviour
    private var attemptsByKey: [String: Int] = [:]
    private var acceptedBodies: [String: Data] = [:]
    private var open = 0
    private var mostOpen = 0
    public private(set) var port = 0
    private var task: Task<Void, any Error>?

    public init(_ behaviour: Behaviour) {
        self.behaviour = behaviour
    }

    public func set(_ behaviour: Behaviour) { lock.withLock { self.behaviour = behaviour } }

    /// Accepted batches by idempotency key (a repeat of an accepted key is acknowledged, not stored twice).
    public var accepted: [String: Data] { lock.withLock { acceptedBodies } }
    public var attempts: Int { lock.withLock { attemptsByKey.values.reduce(0, +) } }

    /// The most requests that were being answered at one time.
    public var mostInFlight: Int { lock.withLock { mostOpen } }

    /// How many times a batch with `key` was sent.
    public func attempts(_ key: String) -> Int { lock.withLock { attemptsByKey[key] ?? 0 } }

    /// Every member accepted, as (action, email) in arrival order of their batches' keys.
    public func members() throws -> [(String, String)] {
        try accepted.keys.sorted().flatMap { key -> [(String, String)] in
            let body = try JSONSerialization.jsonObject(with: accepted[key]!) as? [String: Any]
            return (body?["members"] as? [[String: Any]] ?? []).map {
                ($0["action"] as? String ?? "", ($0["email"] ?? $0["email_sha256"]) as? String ?? "")
            }
        }
    }

    public func start() async throws {
        let router = Router()
        router.post("/members") { request, _ -> Response in
            let key = request.headers[.init("Idempotency-Key")!] ?? ""
            let body = try await request.body.collect(upTo: 10_000_000)
            let (status, retryAfter, stall) = self.answer(key: key, body: Data(body.readableBytesView))
            if stall > 0 { try await Task.sleep(for: .seconds(stall)) }
            self.lock.withLock { self.open -= 1 }
            var headers = HTTPFields()
            if let retryAfter { headers[.retryAfter] = retryAfter }
            return Response(status: status, headers: headers)
        }
        var logger = Logger(label: "sink")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        task = Task { try await app.runService() }
        var iterator = ports.makeAsyncIterator()
        port = await iterator.next() ?? 0
    }

    public func stop() async {
        task?.cancel()
        _ = await task?.result
    }

    private func answer(key: String, body: Data) -> (HTTPResponse.Status, String?, Double) {
        lock.withLock {
            open += 1
            mostOpen = max(mostOpen, open)
            attemptsByKey[key, default: 0] += 1
            let attempt = attemptsByKey[key]!
            switch behaviour {
            case .down: return (.internalServerError, nil, 0)
            case .flaky where attempt == 1: return (.serviceUnavailable, nil, 0)
            case .flaky where attempt == 2: return (.tooManyRequests, "0", 0)
            case .acceptThenStall(let seconds), .slow(let seconds):
                if acceptedBodies[key] == nil { acceptedBodies[key] = body }
                return (.ok, nil, seconds)
            default:
                if acceptedBodies[key] == nil { acceptedBodies[key] = body }
                return (.ok, nil, 0)
            }
        }
    }
}
