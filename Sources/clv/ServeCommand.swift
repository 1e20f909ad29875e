import ArgumentParser
import Core
import Foundation
import Ingest
import Server

extension CLV {
    /// Runs the HTTP server for S2S postbacks.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve postbacks, health, published dashboards and live widget JSON until SIGTERM or SIGINT.")
        @OptionGroup var options: GlobalOptions

        @Option(help: "Address to listen on.")
        var host = "127.0.0.1"

        @Option(help: "Port to listen on (0: any free port).")
        var port = 8080

        @Option(help: "Shared secret postbacks must carry (token=… or X-CLV-Token); default CLV_POSTBACK_TOKEN.")
        var token: String?

        @Option(help: "Folder of published dashboards to serve at /dashboards (default: .clv/dashboards).")
        var dashboards: String?

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        }

        func run() async throws {
            try await reportingErrors {
                let url = try await options.resolveDatabaseURL()
                let connection = try await options.connect()
                try await ModuleSchema.ingest.ensure(on: connection)
                var configuration = PostbackServer.Configuration()
                configuration.host = host
                configuration.port = port
                configuration.token =
                    token ?? ProcessInfo.processInfo.environment["CLV_POSTBACK_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
                configuration.project = options.warehouseProject
                configuration.publishedDashboards = dashboards.map {
                    options.projectPath($0)
                }
                let server = PostbackServer(databaseURL: url, configuration: configuration, logger: options.logger)
                try await server.run { port in
                    print(
                        "clv serve: listening on http://\(host):\(port) (postbacks at /postback, dashboards at /dashboards/, live widgets at /api/dashboards/NAME/widgets/ID)"
                    )
                    // Now, not when the buffer fills: scripts that start the server read the port from here.
                    fflush(nil)
                }
            }
        }
    }
}
