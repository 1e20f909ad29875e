import PostgresClient

/// The COPY text for one chunk of customers and everything they did, per raw table.
struct SyntheticBatch {
    var customers = ""
    var clicks = ""
    var sends = ""
    var emailEvents = ""
    var conversions = ""
    var customerCount = 0
    var conversionCount = 0

    /// Generates customer `index` with its messages, clicks, conversions and email engagement.
    mutating func addCustomer(
        _ index: Int, world: SyntheticWorld, random: inout RandomSource, start: Int, days: Int
    ) {
        customerCount += 1
        let id = "cust_\(index)"
        let email = "user\(index)@example.com"
        let geo = world.geos[random.weighted(world.geoWeights)]
        let roll = random.unit()
        let source = roll < 0.7 ? "affiliate" : roll < 0.9 ? "direct" : "other"
        let partner = source == "affiliate" ? world.partners[random.weighted(world.partnerWeights)] : nil
        let offer = world.offers[random.below(world.offers.count)]
        let span = days * 86_400
        let signup = start + random.below(max(span, 1))
        let optIn = random.chance(0.8)
        let quality = partner?.quality ?? 0.8
        customers +=
            "\(id)\t\(email)\tCustomer \(index)\t\\N\t\(source)\t\(partner?.id ?? "\\N")\t\(PostgresTimestamp.format(epochSeconds: signup))\t\(geo.name)\t\(optIn ? "t" : "f")\n"

        // Messages before signup; engagement on each; the "other" customers came from a message click.
        var messageID: String?
        for send in 0..<random.below(4) {
            let campaign = random.below(world.campaigns) + 1
            let sentAt = signup - 3600 * (1 + random.below(24 * 14)) - send
            let message = "m\(index)_\(send)"
            sends +=
                "\(message)\t\(PostgresTimestamp.format(epochSeconds: sentAt))\tc\(campaign)\tcr\(campaign)_\(random.below(world.creativesPerCampaign) + 1)\tl\(random.below(world.lists) + 1)\t\(email)\t{}\t0.002\n"
            emailEvents += "\(PostgresTimestamp.format(epochSeconds: sentAt))\tc\(campaign)\t\t\(email)\tsent\n"
            if random.chance(0.4) {
                emailEvents +=
                    "\(PostgresTimestamp.format(epochSeconds: sentAt + 600 + random.below(7200)))\tc\(campaign)\t\t\(email)\topen\n"
                if random.chance(0.25) {
                    emailEvents +=
                        "\(PostgresTimestamp.format(epochSeconds: sentAt + 9000 + random.below(3600)))\tc\(campaign)\t\t\(email)\tclick\n"
                    messageID = message
                }
            }
            if random.chance(0.005) {
                emailEvents +=
                    "\(PostgresTimestamp.format(epochSeconds: sentAt + 20000))\tc\(campaign)\t\t\(email)\tunsubscribe\n"
            }
        }
        let clickID = "k\(index)"
        let clickAt = signup - 60 - random.below(3600)
        clicks +=
            "\(clickID)\t\(PostgresTimestamp.format(epochSeconds: clickAt))\t\(partner?.id ?? "\\N")\t\(offer.id)\t\(messageID ?? "\\N")\t\(email)\n"

        // Base conversion, then deposits (long-tailed amounts) and trades or levels over time.
        let end = start + span
        var sequence = 0
        func conversion(_ at: Int, _ event: String, revenue: String, payout: String, params: String) {
            sequence += 1
            conversionCount += 1
            conversions +=
                "cv\(index)_\(sequence)\t\(id)\t\(PostgresTimestamp.format(epochSeconds: at))\t\(event)\t\(offer.id)\t\(partner?.id ?? "\\N")\t\(clickID)\t\(revenue)\t\(payout)\t\(params)\n"
        }
        conversion(
            signup, "base", revenue: "0", payout: offer.payoutType == "cpa" ? money(offer.payout) : "0",
            params: "{\"geo\": \"\(geo.name)\"}")
        let deposits = random.geometric(mean: 5.5 * quality * geo.spend)
        var level = 1
        var at = signup
        for _ in 0..<deposits {
            at += 3600 * (1 + random.below(24 * 20))
            if at >= end { break }
            let amount = random.pareto(scale: 10, alpha: 1.6) * quality * geo.spend
            let share = offer.payoutType == "revshare" ? amount * offer.payout / 100 : 0
            conversion(
                at, "deposit", revenue: money(amount), payout: money(share), params: "{\"deposit\": \(money(amount))}")
            let followUps = random.geometric(mean: 0.8)
            for _ in 0..<followUps {
                let followAt = at + 60 * (1 + random.below(60 * 48))
                if followAt >= end { break }
                if offer.isGaming {
                    level += 1 + random.below(3)
                    conversion(followAt, "level", revenue: "0", payout: "0", params: "{\"level\": \(level)}")
                } else {
                    let volume = Int(random.pareto(scale: 20, alpha: 1.5))
                    conversion(
                        followAt, "trade", revenue: money(Double(volume) * 0.02), payout: "0",
                        params: "{\"usm_num\": \(volume)}")
                }
            }
        }
    }

    /// Two decimals, fast.
    private func money(_ value: Double) -> String {
        let cents = Int((value * 100).rounded())
        let fraction = cents % 100
        return "\(cents / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
