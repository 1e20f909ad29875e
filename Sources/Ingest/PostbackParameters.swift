/// Maps the parameter names that affiliate platforms put in postback URLs onto conversion columns.
///
/// Names match case-insensitively. A canonical name wins over an alias when both are sent.
public enum PostbackParameters {
    /// `(column, accepted names, where the names come from)`: the README's mapping table.
    public static let aliases: [(column: String, names: [String], platforms: String)] = [
        (
            "conversion_id", ["conversion_id", "adv_sub", "order_id", "orderid", "oid", "action_id", "actionid"],
            "TUNE/HasOffers `adv_sub`; Everflow `order_id`; Impact `OrderId`, `ActionId`"
        ),
        (
            "click_id", ["click_id", "transaction_id", "clickid", "irclickid", "tid"],
            "TUNE/HasOffers and Everflow `transaction_id`; Impact `ClickId`, `irclickid`"
        ),
        ("payout", ["payout", "payout_amount"], "all three: `payout`"),
        (
            "revenue", ["revenue", "sale_amount", "amount", "saleamount"],
            "TUNE/HasOffers `sale_amount`, `amount`; Everflow `sale_amount`, `amount`; Impact `SaleAmount`, `Amount`"
        ),
        (
            "event", ["event", "goal_name", "goal_id", "event_id", "adv_event_id", "eventtypeid", "actiontrackerid"],
            "TUNE/HasOffers `goal_name`, `goal_id`; Everflow `event_id`, `adv_event_id`; Impact `EventTypeId`, `ActionTrackerId`"
        ),
        (
            "occurred_at", ["occurred_at", "datetime", "timestamp", "conversion_time", "eventdate"],
            "TUNE/HasOffers `datetime`; Everflow `timestamp`, `conversion_time`; Impact `EventDate`"
        ),
        (
            "offer_id", ["offer_id", "campaignid", "campaign_id"],
            "TUNE/HasOffers and Everflow `offer_id`; Impact `CampaignId`"
        ),
        (
            "partner_id", ["partner_id", "affiliate_id", "aff_id", "mediapartnerid"],
            "TUNE/HasOffers `affiliate_id`; Everflow `affiliate_id`, `aff_id`; Impact `MediaPartnerId`"
        ),
        ("user_id", ["user_id", "customer_id", "customerid"], "Impact `CustomerId`"),
    ]

    private static let lookup: [String: (column: String, canonical: Bool)] = {
        var table: [String: (String, Bool)] = [:]
        for entry in aliases {
            for name in entry.names { table[name] = (entry.column, name == entry.column) }
        }
        return table
    }()

    /// Renames known parameters to their columns; everything else stays a custom data point.
    /// A postback without a conversion id gets `CLICK_ID/EVENT` (one conversion per click and
    /// event), so a repeated delivery is recognised.
    public static func canonicalize(_ parameters: [(String, FieldValue)]) -> [(String, FieldValue)] {
        var columns: [String: (value: FieldValue, canonical: Bool)] = [:]
        var order: [String] = []
        var custom: [(String, FieldValue)] = []
        for (name, value) in parameters {
            guard let (column, canonical) = lookup[name.lowercased()] else {
                custom.append((name, value))
                continue
            }
            if let existing = columns[column], existing.canonical || !canonical { continue }
            if columns[column] == nil { order.append(column) }
            columns[column] = (value, canonical)
        }
        if columns["conversion_id"] == nil, let click = columns["click_id"]?.value.scalarText, !click.isEmpty {
            let event = columns["event"]?.value.scalarText ?? "base"
            columns["conversion_id"] = (.text("\(click)/\(event.isEmpty ? "base" : event)"), true)
            order.append("conversion_id")
        }
        return order.map { ($0, columns[$0]!.value) } + custom
    }
}
