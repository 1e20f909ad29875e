import Core
import Foundation
import Testing

@testable import Transforms

/// Signed sources (`-- signed:`) without a database: the header's checks, and what the engine puts
/// in place of each reference in a full and an incremental build.
@Suite struct SignedSourcesTests {
    /// Order counts per customer from raw orders and an order log that keeps changes
    /// (``MergeStrategyTests/orderLog``).
    static let sales = """
        -- name: analytics.sales
        -- materialized: incremental
        -- strategy: add
        -- unique_key: customer_id
        -- signed: raw.orders, analytics.order_log
        -- depends_on: raw.orders, analytics.order_log
        select customer_id, sum(_sign) as orders from (
            select o._sign, o.customer_id from raw.orders as o
            union all
            select l._sign, l.customer_id from analytics.order_log as l
        ) as x group by customer_id
        """

    static func parse(_ text: String, _ file: String = "sql/transforms/sales.sql") throws -> Transform {
        try TransformCatalog.parse(file: file, text: text)
    }

    /// The error `text` (as sales.sql) is refused with, by parsing or, with the order log, cataloguing.
    static func refusal(_ text: String, log: String = MergeStrategyTests.orderLog) -> String? {
        do {
            _ = try TransformCatalog([
                try parse(log, "sql/transforms/order_log.sql"), try parse(text),
            ])
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func theHeaderListsTheRelationsReadAsSignedRows() throws {
        let sales = try Self.parse(Self.sales)
        #expect(sales.signed == ["raw.orders", "analytics.order_log"])
        #expect(Self.refusal(Self.sales) == nil)
        #expect(try Self.parse(MergeStrategyTests.orderLog).signed.isEmpty)
    }

    @Test func aSignedDeclarationIsChecked() {
        #expect(
            Self.refusal(Self.sales.replacingOccurrences(of: "-- signed: raw.orders,", with: "-- signed: orders,"))
                == "sql/transforms/sales.sql:5: signed must be a list of schema.relation; got 'orders, analytics.order_log'"
        )
        #expect(
            Self.refusal(Self.sales.replacingOccurrences(of: "-- strategy: add\n", with: ""))
                == "sql/transforms/sales.sql:4: signed needs '-- materialized: incremental' and '-- strategy: add': an incremental build's rows are the changes, added into the published totals"
        )
        #expect(
            Self.refusal(
                Self.sales.replacingOccurrences(of: "-- depends_on: raw.orders, ", with: "-- depends_on: "))
                == "sql/transforms/sales.sql:5: signed reads raw.orders but depends_on does not list it")
        #expect(
            Self.refusal(
                Self.sales.replacingOccurrences(of: "analytics.order_log\n", with: "analytics.order_log, raw.refunds\n")
            )
                == "sql/transforms/sales.sql:5: signed lists raw.refunds but the SQL never reads it")
        #expect(
            Self.refusal(Self.sales.replacingOccurrences(of: "from raw.orders as o", with: "from raw.orders o"))
                == "sql/transforms/sales.sql:8:40: read the signed source raw.orders as 'raw.orders as alias': clv puts its rows there as a subquery"
        )
    }

    @Test func aSignedSourceHasChangesAndNothingElseIsReadWhole() {
        #expect(
            Self.refusal(
                Self.sales,
                log: MergeStrategyTests.orderLog.replacingOccurrences(of: "-- keeps_changes: true\n", with: ""))
                == "sql/transforms/sales.sql: signed reads the changes of analytics.order_log, which keeps none (add '-- keeps_changes: true' to sql/transforms/order_log.sql)"
        )
        let crm = Self.sales.replacingOccurrences(of: "raw.orders", with: "crm.orders")
        #expect(
            Self.refusal(crm)
                == "sql/transforms/sales.sql: signed reads the changes of crm.orders: only raw tables and transforms that keep changes have them"
        )
        // A raw table read whole would leave its changes out of an incremental build.
        let joined = Self.sales.replacingOccurrences(
            of: "from raw.orders as o", with: "from raw.orders as o join raw.customers as c using (customer_id)"
        ).replacingOccurrences(of: "-- depends_on: raw.orders,", with: "-- depends_on: raw.orders, raw.customers,")
        #expect(
            Self.refusal(joined)
                == "sql/transforms/sales.sql:8:61: reads raw.customers whole beside signed sources: its changes would never reach the totals (list it in '-- signed:')"
        )
    }

    @Test func aRawTableReadsItsVersionsVisibleAtTheWindowsEnds() {
        let columns = ["order_id", "amount", "_load_id"]
        #expect(
            SignedSources.rows(of: "raw.orders", columns: columns, incremental: false) == """
                (select 1 as _sign, r."order_id", r."amount", r."_load_id" from "raw"."orders" as r where r._load_id <= clv_meta.until_load()
                    union all
                    select 1, h."order_id", h."amount", h."_load_id" from "raw_history"."orders" as h
                    where h._load_id <= clv_meta.until_load() and h._replaced_by > clv_meta.until_load())
                """)
        // Loaded in the window and visible at its end: +1; visible at its start and replaced or
        // deleted in it: -1. A version loaded and replaced inside the window is neither.
        #expect(
            SignedSources.rows(of: "raw.orders", columns: columns, incremental: true) == """
                (select 1 as _sign, r."order_id", r."amount", r."_load_id" from "raw"."orders" as r
                    where r._load_id > clv_meta.since_load() and r._load_id <= clv_meta.until_load()
                    union all
                    select 1, h."order_id", h."amount", h."_load_id" from "raw_history"."orders" as h
                    where h._load_id > clv_meta.since_load() and h._load_id <= clv_meta.until_load()
                        and h._replaced_by > clv_meta.until_load()
                    union all
                    select -1, h."order_id", h."amount", h."_load_id" from "raw_history"."orders" as h
                    where h._load_id <= clv_meta.since_load()
                        and h._replaced_by > clv_meta.since_load() and h._replaced_by <= clv_meta.until_load())
                """)
    }

    @Test func aTransformReadsItsRowsOrItsChangeRecords() {
        #expect(
            SignedSources.rows(of: "analytics.order_log", columns: ["order_id"], incremental: false)
                == "(select 1 as _sign, t.\"order_id\" from \"analytics\".\"order_log\" as t)")
        #expect(
            SignedSources.rows(of: "analytics.order_log", columns: ["order_id"], incremental: true) == """
                (select c._sign::integer as _sign, c."order_id" from "clv_changes"."analytics__order_log" as c
                    where c._build_seq > clv_meta.since_build())
                """)
        // Before the relation exists (`clv plan --sql`), a placeholder stands for its columns.
        #expect(
            SignedSources.rows(of: "analytics.order_log", columns: [], incremental: false)
                == "(select 1 as _sign, t.<columns of analytics.order_log> from \"analytics\".\"order_log\" as t)")
    }

    @Test func eachReferenceIsReplacedAndErrorPositionsMapBack() throws {
        let sales = try Self.parse(Self.sales)
        let columns = ["raw.orders": ["order_id", "customer_id"], "analytics.order_log": ["order_id", "customer_id"]]
        let expanded = SignedSources.expand(sales.body, of: sales, columns: columns, incremental: true)
        let orders = SignedSources.rows(of: "raw.orders", columns: columns["raw.orders"]!, incremental: true)
        let log = SignedSources.rows(
            of: "analytics.order_log", columns: columns["analytics.order_log"]!, incremental: true)
        #expect(
            expanded.text
                == sales.body.replacingOccurrences(of: "from raw.orders as", with: "from \(orders) as")
                .replacingOccurrences(of: "from analytics.order_log as", with: "from \(log) as"))
        // The header's own mention of the names is a comment, left alone.
        #expect(expanded.text.hasPrefix("-- name: analytics.sales\n"))
        let offset = { (needle: String, text: String) in
            text.unicodeScalars.distance(from: text.startIndex, to: text.range(of: needle)!.lowerBound)
        }
        // Before, inside and after a replacement.
        let (text, body) = (expanded.text, sales.body)
        #expect(expanded.originalOffset(of: offset("sum(_sign)", text)) == offset("sum(_sign)", body))
        #expect(expanded.originalOffset(of: offset("clv_changes", text)) == offset("analytics.order_log as", body))
        #expect(expanded.originalOffset(of: offset("as l", text)) == offset("as l", body))
        #expect(expanded.originalOffset(of: offset("group by", text)) == offset("group by", body))
    }

    @Test func aBuildReadsTheExpandedSQL() throws {
        let sales = try Self.parse(Self.sales)
        let step = { (mode: BuildMode) in
            BuildScript.make(
                for: PlanStep(transform: sales, reasons: [.new], mode: mode, resetsDependents: false),
                existingKind: "r", columns: ["customer_id", "orders"],
                sourceColumns: ["raw.orders": ["customer_id"], "analytics.order_log": ["customer_id"]])
        }
        let full = try #require(step(.full).build.first?.sql)
        #expect(full.contains("from (select 1 as _sign, r.\"customer_id\" from \"raw\".\"orders\" as r where"))
        #expect(!full.contains("clv_changes"))
        let incremental = try #require(step(.incremental(since: 4)).build.first?.sql)
        #expect(incremental.hasPrefix("create temp table clv_delta on commit drop as\n"))
        #expect(incremental.contains("from \"clv_changes\".\"analytics__order_log\" as c"))
    }
}
