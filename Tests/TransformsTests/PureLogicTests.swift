import Testing

@testable import Core
@testable import Transforms

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        // FIPS 180-4 examples.
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex(String(repeating: "a", count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func chunkedUpdatesGiveTheSameDigest() {
        let bytes = Array("The quick brown fox jumps over the lazy dog, again and again and again.".utf8)
        var whole = SHA256()
        whole.update(bytes)
        var pieces = SHA256()
        pieces.update(Array(bytes[0..<5]))
        pieces.update(Array(bytes[5..<70]))
        pieces.update(Array(bytes[70...]))
        #expect(whole.finalizeHex() == pieces.finalizeHex())
    }
}

@Suite struct SQLLexerTests {
    @Test func findsQualifiedNamesOutsideStringsAndComments() {
        let sql = """
            -- reads analytics.not_this
            select 'analytics.nor_this', $$ analytics.nope $$, "Analytics"."Mixed"
            from analytics.customer_value v join RAW.Conversions c on c.id = v.id /* analytics.skip */
            """
        let names = SQLLexer.qualifiedNames(in: sql).map(\.name)
        #expect(names.contains("analytics.customer_value"))
        #expect(names.contains("raw.conversions"))
        #expect(names.contains("Analytics.Mixed"))
        #expect(
            !names.contains {
                $0.contains("not_this") || $0.contains("nor_this") || $0.contains("nope") || $0.contains("skip")
            })
    }

    @Test func replacesReferencesOnly() {
        let sql = "select * from analytics.x where note <> 'analytics.x' and analytics.xy is null"
        let replaced = SQLLexer.replacingReferences(
            to: "analytics.x", with: "\"clv_staging\".\"analytics__x\"", in: sql)
        #expect(
            replaced
                == "select * from \"clv_staging\".\"analytics__x\" where note <> 'analytics.x' and analytics.xy is null"
        )
    }

    @Test func locatesCharacterOffsets() {
        let text = "-- é header\nselect\n  bad"
        // Offset of "bad": 12 scalars on line 1 (incl. newline), 7 on line 2, then 2 spaces.
        #expect(
            SourceLocation.at(characterOffset: 21, in: text, file: "f.sql")
                == SourceLocation(file: "f.sql", line: 3, column: 3))
    }
}

@Suite struct CatalogTests {
    func transform(_ name: String, _ materialized: String = "table", deps: [String] = [], body: String? = nil) -> String
    {
        """
        -- name: \(name)
        -- materialized: \(materialized)
        \(deps.isEmpty ? "" : "-- depends_on: \(deps.joined(separator: ", "))")
        \(body ?? "select 1 as id \(deps.isEmpty ? "" : "from " + deps[0])")
        """
    }

    @Test func ordersDependenciesFirst() throws {
        let catalog = try TransformCatalog([
            try TransformCatalog.parse(
                file: "c.sql",
                text: transform(
                    "analytics.c", deps: ["analytics.b", "analytics.a"], body: "select 1 from analytics.b, analytics.a")
            ),
            try TransformCatalog.parse(file: "b.sql", text: transform("analytics.b", deps: ["analytics.a"])),
            try TransformCatalog.parse(file: "a.sql", text: transform("analytics.a", deps: ["raw.conversions"])),
            try TransformCatalog.parse(file: "d.sql", text: transform("analytics.d")),
        ])
        #expect(catalog.ordered.map(\.name) == ["analytics.a", "analytics.d", "analytics.b", "analytics.c"])
        #expect(catalog.graph.downstream(of: "analytics.a") == ["analytics.b", "analytics.c"])
        #expect(catalog.graph.upstream(of: "analytics.c") == ["analytics.a", "analytics.b"])
    }

    @Test func cycleIsRefusedAndPrinted() throws {
        let error = #expect(throws: WarehouseError.self) {
            try TransformCatalog([
                try TransformCatalog.parse(file: "a.sql", text: transform("analytics.a", deps: ["analytics.c"])),
                try TransformCatalog.parse(file: "b.sql", text: transform("analytics.b", deps: ["analytics.a"])),
                try TransformCatalog.parse(file: "c.sql", text: transform("analytics.c", deps: ["analytics.b"])),
            ])
        }
        #expect(error?.description == "dependency cycle: analytics.a → analytics.c → analytics.b → analytics.a")
    }

    @Test func unknownDependencyNamesFileAndRelation() throws {
        let error = #expect(throws: WarehouseError.self) {
            try TransformCatalog([
                try TransformCatalog.parse(
                    file: "sql/transforms/a.sql", text: transform("analytics.a", deps: ["analytics.missing"]))
            ])
        }
        #expect(error?.location == "sql/transforms/a.sql")
        #expect(error?.message.contains("analytics.missing") == true)
    }

    @Test func undeclaredReadIsRefusedWithItsPosition() throws {
        let text = transform("analytics.b", deps: ["analytics.a"], body: "select *\nfrom analytics.a, raw.clicks")
        let error = #expect(throws: WarehouseError.self) {
            try TransformCatalog([
                try TransformCatalog.parse(file: "b.sql", text: text),
                try TransformCatalog.parse(file: "a.sql", text: transform("analytics.a")),
            ])
        }
        // Header lines 1-3, "select *" on 4, "from analytics.a, raw.clicks" on 5: raw.clicks at column 19.
        #expect(error?.location == "b.sql:5:19")
        #expect(error?.message == "reads raw.clicks but depends_on does not list it")
    }

    @Test func headerErrorsNameTheLine() throws {
        let typo = #expect(throws: WarehouseError.self) {
            try TransformCatalog.parse(file: "x.sql", text: "-- name: analytics.x\n-- materialised: table\nselect 1")
        }
        #expect(typo?.location == "x.sql:2")
        let kind = #expect(throws: WarehouseError.self) {
            try TransformCatalog.parse(file: "x.sql", text: "-- name: analytics.x\n-- materialized: snapshot\nselect 1")
        }
        #expect(kind?.location == "x.sql:2")
        let noKey = #expect(throws: WarehouseError.self) {
            try TransformCatalog.parse(
                file: "x.sql", text: "-- name: analytics.x\n-- materialized: incremental\nselect 1")
        }
        #expect(noKey?.message.contains("unique_key") == true)
        let reserved = #expect(throws: WarehouseError.self) {
            try TransformCatalog.parse(file: "x.sql", text: "-- name: raw.x\n-- materialized: table\nselect 1")
        }
        #expect(reserved?.location == "x.sql:1")
    }

    @Test func selectionPatterns() throws {
        let catalog = try TransformCatalog([
            try TransformCatalog.parse(file: "a.sql", text: transform("analytics.a")),
            try TransformCatalog.parse(file: "b.sql", text: transform("analytics.b", deps: ["analytics.a"])),
            try TransformCatalog.parse(file: "c.sql", text: transform("analytics.c", deps: ["analytics.b"])),
        ])
        #expect(try Selection(["b"]).resolve(in: catalog) == ["analytics.b"])
        #expect(try Selection(["analytics.b+"]).resolve(in: catalog) == ["analytics.b", "analytics.c"])
        #expect(try Selection(["+b"]).resolve(in: catalog) == ["analytics.a", "analytics.b"])
        #expect(try Selection([]).resolve(in: catalog).count == 3)
        #expect(throws: WarehouseError.self) { try Selection(["nope"]).resolve(in: catalog) }
    }
}
