import Testing

@testable import clv

/// `clv audiences list|preview|count|export|history`.
extension ParsingCase {
    static let audiencesCommands: [ParsingCase] = [
        .command(
            CLV.AudiencesGroup.List.self, ["audiences", "list", "--project", "/p"],
            refuses: [(["audiences", "list", "--json"], "Unknown option '--json'")]
        ) { list in
            #expect(list.options.project == "/p")
        },
        .command(
            CLV.AudiencesGroup.Preview.self, ["audiences", "preview", "high_value", "--limit", "5"],
            refuses: [
                (["audiences", "preview"], "Missing expected argument '<name>'"),
                (["audiences", "preview", "high_value", "--limit=-1"], "--limit must not be negative"),
            ]
        ) { preview in
            #expect(preview.name == "high_value")
            #expect(preview.limit == 5)
        },
        .command(
            CLV.AudiencesGroup.Count.self, ["audiences", "count", "high_value", "--json"],
            refuses: [(["audiences", "count", "--json"], "Missing expected argument '<name>'")]
        ) { count in
            #expect(count.name == "high_value")
            #expect(count.json)
        },
        .command(
            CLV.AudiencesGroup.Export.self,
            [
                "audiences", "export", "high_value", "--destination", "mailchimp", "--dry-run", "--full",
                "--allow-mass-removal", "--json",
            ],
            refuses: [
                (["audiences", "export", "high_value"], "Missing expected argument '--destination <destination>'"),
                (["audiences", "export", "--destination", "mailchimp"], "Missing expected argument '<name>'"),
            ]
        ) { export in
            #expect(export.name == "high_value")
            #expect(export.destination == "mailchimp")
            #expect(export.dryRun && export.full && export.allowMassRemoval && export.json)
        },
        .command(
            CLV.AudiencesGroup.History.self, ["audiences", "history", "--limit", "3", "--json"],
            refuses: [(["audiences", "history", "--limit=-2"], "--limit must not be negative")]
        ) { history in
            #expect(history.limit == 3)
            #expect(history.json)
        },
    ]
}
