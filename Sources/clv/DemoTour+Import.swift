import Core
import Foundation
import Ingest
import Logging
import Pipeline
import PostgresClient
import Transforms

extension DemoTour {
    /// Imports revenue for two clicks, then refreshes incrementally: k7's postback carried no
    /// revenue, so its import moves cust_2's CLV and decile and the spring campaign's revenue; k6's
    /// postback already did, so its import changes nothing. Ends with the campaign's ROI.
    func importRevenue(project: Project, logger: Logger) async throws {
        let customer = """
            select v.clv::text as clv, coalesce(d.decile_365d::text, '-') as decile
            from analytics.customer_value as v left join analytics.clv_deciles as d using (customer_id)
            where v.customer_id = 'cust_2'
            """
        let before = try await connection.query(SQL(unsafeSQL: customer))[0]
        let summary = try await FileLoader(logger: logger).load(
            project.root.appendingPathComponent("examples/demo/revenue.csv"), options: .init(kind: .revenue),
            on: connection)
        _ = try await Pipeline(project: project, logger: logger).refresh(options: runOptions, on: connection)
        let after = try await connection.query(SQL(unsafeSQL: customer))[0]
        print(
            """
            11. revenue import examples/demo/revenue.csv (\(summary.inserted) new, \(summary.supersededByPostback) \
            already carried by a postback): cust_2's CLV \(before["clv"] ?? "-") → \(after["clv"] ?? "-"), \
            365-day decile \(before["decile"] ?? "-") → \(after["decile"] ?? "-"); campaign performance:
            """)
        let campaigns = try await connection.query(
            """
            select key as campaign_id, sends, segments_used, messaging_cost, clicks, orders, revenue,
                round(revenue_per_send, 2) as revenue_per_send, round(roi, 2) as roi, net_revenue
            from analytics.performance where dimension = 'campaign' order by key
            """)
        print(TextTable.render(columns: campaigns.columns, rows: campaigns.map(\.values)))
    }
}
