/// What a file holds, and how its columns map onto a raw table.
public enum IngestKind: String, CaseIterable, Sendable {
    case partners, offers, customers, clicks, sends
    case emailEvents = "email-events"
    case conversions, revenue

    /// One input column.
    public struct Column: Sendable {
        /// The name in the file (CSV header or NDJSON key).
        public var input: String
        /// The raw table's column.
        public var target: String
        public var type: InputColumnType
        public var required: Bool
        /// The COPY text written when the value is absent (the raw table's NOT NULL default).
        public var absent: String? = nil
        /// An earlier name still accepted, with a warning, for one release.
        public var formerly: String? = nil
    }

    public var table: String {
        switch self {
        case .partners: "raw.partners"
        case .offers: "raw.offers"
        case .customers: "raw.customers"
        case .clicks: "raw.clicks"
        case .sends: "raw.message_sends"
        case .emailEvents: "raw.email_events"
        case .conversions: "raw.conversions"
        case .revenue: "raw.revenue_imports"
        }
    }

    /// The natural key: a row with the same key is the same fact.
    public var key: [String] {
        switch self {
        case .partners: ["partner_id"]
        case .offers: ["offer_id"]
        case .customers: ["customer_id"]
        case .clicks: ["click_id"]
        case .sends: ["message_id"]
        case .emailEvents: ["contact", "campaign_id", "type", "occurred_at"]
        case .conversions: ["conversion_id"]
        case .revenue: ["click_id", "revenue_date"]
        }
    }

    public var columns: [Column] {
        func c(
            _ input: String, _ type: InputColumnType = .text, required: Bool = false, target: String? = nil,
            absent: String? = nil, formerly: String? = nil
        ) -> Column {
            Column(
                input: input, target: target ?? input, type: type, required: required, absent: absent,
                formerly: formerly)
        }
        switch self {
        case .partners:
            return [c("partner_id", required: true), c("name")]
        case .offers:
            return [
                c("offer_id", required: true), c("name"), c("advertiser_id"),
                c("attribution_window", .duration, absent: "30 days"),
                c("payout_type", .oneOf(["cpa", "revshare"]), absent: "cpa"), c("payout", .numeric, absent: "0"),
            ]
        case .customers:
            return [
                c("user_id", required: true, target: "customer_id"), c("email"), c("name"), c("phone"),
                c("source", .oneOf(["affiliate", "direct", "other"]), absent: "other"), c("partner_id"),
                c("signup_at", .timestamp), c("geo"), c("email_opt_in", .boolean, absent: "f"),
            ]
        case .clicks:
            return [
                c("click_id", required: true), c("occurred_at", .timestamp, required: true), c("partner_id"),
                c("offer_id"), c("message_id"), c("contact"),
            ]
        case .sends:
            return [
                c("message_id", required: true), c("sent_at", .timestamp, required: true), c("campaign_id"),
                c("creative_id"), c("list_id"), c("contact"),
                c("audience_segments", .textList, absent: "{}", formerly: "segments"),
                c("segments_used", .count, absent: "1"), c("cost", .numeric), c("cost_per_segment", .numeric),
            ]
        case .emailEvents:
            return [
                c("occurred_at", .timestamp, required: true), c("campaign_id", required: true),
                c("audience", absent: ""),
                c("contact", required: true),
                c("type", .oneOf(["sent", "open", "click", "bounce", "unsubscribe"]), required: true),
            ]
        case .conversions:
            return [
                c("conversion_id", required: true), c("user_id", target: "customer_id"),
                c("occurred_at", .timestamp, required: true), c("event", absent: "base"), c("offer_id"),
                c("partner_id"), c("click_id"), c("revenue", .numeric, absent: "0"), c("payout", .numeric),
            ]
        case .revenue:
            return [
                c("click_id", required: true), c("amount", .numeric, required: true),
                c("date", .date, required: true, target: "revenue_date"),
            ]
        }
    }

    /// Conversions keep every other column as a custom data point in `params`.
    public var acceptsCustomParameters: Bool { self == .conversions }
}
