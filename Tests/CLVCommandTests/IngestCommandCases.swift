import Ingest
import Testing

@testable import clv

/// `clv ingest`, `serve` and `generate`.
extension ParsingCase {
    static let ingestCommands: [ParsingCase] = [
        .command(
            CLV.Ingest.self,
            [
                "ingest", "email-events", "a.csv", "b.ndjson", "--format", "ndjson", "--source", "crm",
                "--skip-bad-rows",
                "--json",
            ],
            refuses: [
                (["ingest", "orders", "a.csv"], "The value 'orders' is invalid for '<kind>'"),
                (["ingest", "clicks"], "Missing expected argument '<files> ...'"),
                (
                    ["ingest", "clicks", "a.csv", "--format", "xml"],
                    "The value 'xml' is invalid for '--format <format>'"
                ),
            ]
        ) { ingest in
            #expect(ingest.kind == .emailEvents)
            #expect(ingest.files == ["a.csv", "b.ndjson"])
            #expect(ingest.format == .ndjson)
            #expect(ingest.source == "crm")
            #expect(ingest.skipBadRows && ingest.json)
        },
        .command(
            CLV.Serve.self, ["serve", "--host", "0.0.0.0", "--port", "0", "--token", "s3cret", "--dashboards", "site"],
            refuses: [
                (["serve", "--port", "70000"], "--port must be from 0 to 65535"),
                (["serve", "--port=-1"], "--port must be from 0 to 65535"),
                (["serve", "--port", "http"], "The value 'http' is invalid for '--port <port>'"),
            ]
        ) { serve in
            #expect(serve.host == "0.0.0.0")
            #expect(serve.port == 0)
            #expect(serve.token == "s3cret")
            #expect(serve.dashboards == "site")
        },
        .command(
            CLV.Generate.self, ["generate", "--customers", "100", "--seed", "7", "--days", "30"],
            refuses: [
                (["generate"], "Missing expected argument '--customers <customers>'"),
                (["generate", "--customers", "0"], "--customers must be positive"),
                (["generate", "--customers", "10", "--days", "0"], "--days must be positive"),
                (["generate", "--customers", "10", "--seed=-1"], "The value '-1' is invalid for '--seed <seed>'"),
            ]
        ) { generate in
            #expect(generate.customers == 100)
            #expect(generate.seed == 7)
            #expect(generate.days == 30)
        },
    ]
}
