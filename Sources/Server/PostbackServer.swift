import Core
import Dashboards
import Foundation
import Hummingbird
import Ingest
import Logging
import PostgresClient

/// The HTTP server: `GET|POST /postback` records S2S conversions, `GET /health` checks the database,
/// and, for a project, `/dashboards/…` and `/api/dashboards/…` serve its dashboards.
public struct PostbackServer: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        /// When set, every postback must carry it (`token` parameter or `X-CLV-Token` header).
        public var token: String?
        /// Largest accepted request body, in bytes.
        public var maxBodyBytes = 64 * 1024
        /// Most parameters accepted in one postback.
        public var maxParameters = 100
        public var connections = 4
        /// When set, also serves the dashboards of this project: the published pages from
        /// `publishedDashboards` and live widget JSON under `/api/dashboards`.
        public var project: Project?
        public var publishedDashboards: URL?
        /// Statement timeout of live widget queries.
        public var widgetTimeoutMilliseconds = 30_000

        public init() {}
    }

    public let databaseURL: String
    public let configuration: Configuration
    public let logger: Logger

    public init(databaseURL: String, configuration: Configuration, logger: Logger) {
        self.databaseURL = databaseURL
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until SIGTERM or SIGINT; `onRunning` gets the bound port (useful with port 0).
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = makeRouter()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "clv"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await app.runService()
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let pool = ConnectionPool(url: databaseURL, size: configuration.connections)
        let handler = PostbackHandler(pool: pool, configuration: configuration, logger: logger)
        let router = Router()
        router.get("/health") { _, _ in
            do {
                _ = try await pool.withConnection { try await $0.query("select 1") }
                return JSONResponse.make(.ok, ["status": "ok"])
            } catch {
                return JSONResponse.make(.serviceUnavailable, ["status": "error", "error": "\(error)"])
            }
        }
        router.get("/postback") { request, _ in await handler.handle(request) }
        router.post("/postback") { request, _ in await handler.handle(request) }
        if let project = configuration.project {
            DashboardRoutes(
                project: project,
                published: configuration.publishedDashboards ?? project.publishedDashboardsDirectory,
                pool: pool, runner: WidgetRunner(statementTimeoutMilliseconds: configuration.widgetTimeoutMilliseconds),
                logger: logger
            ).add(to: router)
        }
        return router
    }
}

/// Small JSON responses.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ fields: [String: String]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
