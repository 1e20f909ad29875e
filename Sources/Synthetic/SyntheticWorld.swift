/// The fixed cast of a synthetic data set: partners of different quality, advertisers, offers
/// with their attribution windows and payouts, campaigns and geo tiers. Drawn from the seed.
struct SyntheticWorld {
    struct Partner {
        var id: String
        /// Multiplies deposit counts and amounts: good partners bring customers who spend.
        var quality: Double
        var volume: Double
    }

    struct Offer {
        var id: String
        var advertiser: String
        var window: String
        var payoutType: String
        var payout: Double
        /// iGaming offers carry a `level` data point; trading offers `usm_num`.
        var isGaming: Bool
    }

    struct GeoTier {
        var name: String
        var share: Double
        var spend: Double
    }

    let partners: [Partner]
    let partnerWeights: [Double]
    let offers: [Offer]
    let geos: [GeoTier] = [
        GeoTier(name: "EU1", share: 0.30, spend: 1.6), GeoTier(name: "EU2", share: 0.20, spend: 1.0),
        GeoTier(name: "US", share: 0.25, spend: 1.4), GeoTier(name: "LATAM", share: 0.15, spend: 0.5),
        GeoTier(name: "APAC", share: 0.10, spend: 0.8),
    ]
    let geoWeights: [Double]
    let campaigns = 30
    let creativesPerCampaign = 3
    let lists = 5

    init(random: inout RandomSource) {
        var partners: [Partner] = []
        for index in 1...200 {
            partners.append(
                Partner(
                    id: "p\(String(format3: index))", quality: random.logNormal(sigma: 0.6),
                    volume: random.pareto(scale: 1, alpha: 1.2)))
        }
        self.partners = partners
        partnerWeights = partners.reduce(into: []) { $0.append(($0.last ?? 0) + $1.volume) }
        let windows = ["24 hours", "7 days", "30 days"]
        var offers: [Offer] = []
        for index in 1...40 {
            let revshare = index % 4 == 0
            offers.append(
                Offer(
                    id: "o\(String(format3: index))", advertiser: "adv\(index % 10 + 1)", window: windows[index % 3],
                    payoutType: revshare ? "revshare" : "cpa",
                    payout: revshare ? Double(10 + index % 3 * 5) : Double(20 + index % 5 * 10),
                    isGaming: index % 2 == 0))
        }
        self.offers = offers
        geoWeights = geos.reduce(into: []) { $0.append(($0.last ?? 0) + $1.share) }
    }
}

extension String {
    /// Zero-padded to three digits.
    init(format3 value: Int) {
        self = value < 10 ? "00\(value)" : value < 100 ? "0\(value)" : "\(value)"
    }
}
