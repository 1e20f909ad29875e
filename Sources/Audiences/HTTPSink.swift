import Core
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// POSTs each batch as JSON with an idempotency key. 429 is back-pressure (waited out, honouring
/// `Retry-After`); 5xx and transport errors are retried with exponential backoff, up to
/// `maxAttempts`; any other 4xx fails at once. A batch counts as delivered only on a 2xx.
struct HTTPSink: BatchSink {
    let settings: Destination.HTTPSettings
    let hashIdentity: Bool
    let pacer: Pacer
    let session: URLSession

    init(settings: Destination.HTTPSettings, hashIdentity: Bool) {
        self.settings = settings
        self.hashIdentity = hashIdentity
        self.pacer = Pacer(perSecond: settings.requestsPerSecond)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = settings.timeoutSeconds
        self.session = URLSession(configuration: configuration)
    }

    /// Why a batch could not be delivered.
    struct DeliveryError: Error, CustomStringConvertible {
        var description: String
    }

    func deliver(_ batch: ExportBatch) async throws {
        var request = URLRequest(url: settings.url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(batch.idempotencyKey, forHTTPHeaderField: "Idempotency-Key")
        // No `Expect: 100-continue`: a server that does not answer it would cost a second per request.
        request.setValue("", forHTTPHeaderField: "Expect")
        for (name, value) in settings.headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = Data(body(batch).utf8)
        var failures = 0
        var throttled = 0
        while true {
            try Task.checkCancellation()
            await pacer.wait()
            let status: Int
            let retryAfter: Double?
            do {
                let (_, response) = try await session.data(for: request)
                let http = response as? HTTPURLResponse
                status = http?.statusCode ?? 0
                retryAfter = http?.value(forHTTPHeaderField: "Retry-After").flatMap(Self.retryAfter)
            } catch {
                failures += 1
                guard failures < settings.maxAttempts else {
                    throw DeliveryError(
                        description:
                            "batch \(batch.number): gave up after \(failures) attempts: \(error.localizedDescription)")
                }
                try await Task.sleep(for: .seconds(backoff(failures)))
                continue
            }
            switch status {
            case 200..<300:
                return
            case 429:
                throttled += 1
                guard throttled <= settings.maxThrottledRetries else {
                    throw DeliveryError(
                        description: "batch \(batch.number): still throttled (429) after \(throttled) waits")
                }
                try await Task.sleep(for: .seconds(retryAfter ?? backoff(throttled)))
            case 500..<600:
                failures += 1
                guard failures < settings.maxAttempts else {
                    throw DeliveryError(
                        description: "batch \(batch.number): gave up after \(failures) attempts (HTTP \(status))")
                }
                try await Task.sleep(for: .seconds(retryAfter ?? backoff(failures)))
            default:
                throw DeliveryError(description: "batch \(batch.number): refused with HTTP \(status)")
            }
        }
    }

    func finish(exportID: Int, audience: String, summary: [(String, Int)]) async throws {}

    /// `backoff × 2^(n−1)`, at most a minute.
    private func backoff(_ attempt: Int) -> Double {
        min(60, settings.backoffSeconds * pow(2, Double(attempt - 1)))
    }

    /// `Retry-After` as seconds: a number, or an HTTP date.
    static func retryAfter(_ value: String) -> Double? {
        if let seconds = Double(value.trimmingCharacters(in: .whitespaces)) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }

    /// `{"audience","destination","export_id","batch","members":[{"action","email"|"email_sha256","customer_id","attributes"}]}`.
    /// A removal is `"action":"remove"`: take the member off the list, never unsubscribe them.
    func body(_ batch: ExportBatch) -> String {
        var out =
            "{\"audience\":\(JSONText.quoted(batch.audience)),\"destination\":\(JSONText.quoted(batch.destination)),\"export_id\":\(batch.exportID),\"batch\":\(batch.number),\"members\":["
        for (index, member) in batch.members.enumerated() {
            if index > 0 { out += "," }
            out +=
                "{\"action\":\(JSONText.quoted(member.action)),\"\(hashIdentity ? "email_sha256" : "email")\":\(JSONText.quoted(member.identity)),\"customer_id\":\(member.customerID.map(JSONText.quoted) ?? "null"),\"attributes\":{"
            out += zip(batch.attributes, member.jsons).map { "\(JSONText.quoted($0)):\($1)" }.joined(
                separator: ",")
            out += "}}"
        }
        return out + "]}"
    }
}

/// Spaces requests to at most `perSecond`.
actor Pacer {
    private let interval: Duration?
    private var next = ContinuousClock.now

    init(perSecond: Double?) {
        interval = perSecond.map { .milliseconds(Int64(1000 / $0)) }
    }

    func wait() async {
        guard let interval else { return }
        let now = ContinuousClock.now
        let start = max(now, next)
        next = start + interval
        if start > now { try? await Task.sleep(until: start, clock: .continuous) }
    }
}
