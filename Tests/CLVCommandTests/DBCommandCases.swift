import Testing

@testable import clv

/// `clv db start|stop|status|url|reset`: the shared options only.
extension ParsingCase {
    static let dbCommands: [ParsingCase] = [
        .command(
            CLV.DB.Start.self, ["db", "start", "--project", "/p", "-v"],
            refuses: [(["db", "start", "--port", "5432"], "Unknown option '--port'")]
        ) { start in
            #expect(start.options.project == "/p")
            #expect(start.options.verbose)
        },
        .command(
            CLV.DB.Stop.self, ["db", "stop", "--project", "/p"],
            refuses: [(["db", "stop", "now"], "Unexpected argument 'now'")]
        ) { stop in
            #expect(stop.options.project == "/p")
        },
        .command(
            CLV.DB.Status.self, ["db", "status", "--verbose"],
            refuses: [(["db", "status", "--json"], "Unknown option '--json'")]
        ) { status in
            #expect(status.options.verbose)
            #expect(status.options.project == ".")
        },
        .command(
            CLV.DB.URL.self, ["db", "url", "--project", "/p"],
            refuses: [(["db", "url", "--database-url"], "Missing value for '--database-url <database-url>'")]
        ) { url in
            #expect(url.options.project == "/p")
        },
        .command(
            CLV.DB.Reset.self, ["db", "reset", "--project", "/p"],
            refuses: [(["db", "reset", "--force"], "Unknown option '--force'")]
        ) { reset in
            #expect(reset.options.project == "/p")
        },
    ]
}
