import Foundation

/// The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV: using
/// iso-value curves for customer base analysis"): a customer's transaction values are Gamma(p, ν)
/// with ν ~ Gamma(q, γ); here `v` is γ.
public struct GammaGammaModel: Sendable, Equatable, Codable {
    public var p: Double
    public var q: Double
    public var v: Double

    public init(p: Double, q: Double, v: Double) {
        self.p = p
        self.q = q
        self.v = v
    }

    /// A maximum-likelihood fit with its diagnostics.
    public typealias Fit = ModelFit<GammaGammaModel>

    /// Fits the model by maximum likelihood on the log scale; `penalizer` as for ``BGNBDModel``.
    public static func fit(_ data: SpendSummaries, penalizer: Double = 0) throws -> Fit {
        guard !data.isEmpty else { throw ModelingError("no repeat customers to fit the Gamma-Gamma model on") }
        let prepared = Prepared(data)
        let total = data.customers
        let (estimate, search) = try MaximumLikelihood.fit(
            model: "Gamma-Gamma", parameterCount: 3, customers: total, penalizer: penalizer
        ) { GammaGammaModel(p: $0[0], q: $0[1], v: $0[2]).logLikelihood(prepared) }
        let model = GammaGammaModel(p: estimate[0], q: estimate[1], v: estimate[2])
        return Fit(
            model: model, logLikelihood: model.logLikelihood(prepared).value, iterations: search.iterations,
            converged: search.converged, customers: total)
    }

    /// The population mean spend per transaction, p·v / (q − 1); defined only for q > 1.
    public var populationMeanSpend: Double? { q > 1 ? p * v / (q - 1) : nil }

    /// E[M | x, m̄ₓ]: the expected mean transaction value of a customer with `frequency` repeat
    /// purchases of mean value `monetaryValue` (the population mean when frequency is 0).
    public func expectedAverageValue(frequency x: Int, monetaryValue: Double) -> Double? {
        guard let populationMean = populationMeanSpend else { return nil }
        let individualWeight = p * Double(x) / (p * Double(x) + q - 1)
        return (1 - individualWeight) * populationMean + individualWeight * monetaryValue
    }

    /// Summaries with their logarithms taken once, grouped by frequency.
    struct Prepared {
        var groups: [(frequency: Double, logFrequency: Double, range: Range<Int>)] = []
        var monetaryValue: [Double] = []
        var logMonetaryValue: [Double] = []
        var weight: [Double] = []

        init(_ data: SpendSummaries) {
            let order = data.frequency.indices.sorted { data.frequency[$0] < data.frequency[$1] }
            monetaryValue = order.map { data.monetaryValue[$0] }
            logMonetaryValue = monetaryValue.map { log($0) }
            weight = order.map { data.weight[$0] }
            let frequency = order.map { data.frequency[$0] }
            var start = 0
            while start < frequency.count {
                var end = start
                while end < frequency.count && frequency[end] == frequency[start] { end += 1 }
                let x = Double(frequency[start])
                groups.append((x, log(x), start..<end))
                start = end
            }
        }
    }

    /// The weighted log-likelihood and its gradient with respect to (p, q, v).
    func logLikelihood(_ data: Prepared) -> (value: Double, gradient: [Double]) {
        let lg = SpecialFunctions.logGamma
        let psi = SpecialFunctions.digamma
        let logV = log(v)
        let logGammaQ = lg(q)
        let psiQ = psi(q)
        var value = 0.0
        var dP = 0.0
        var dQ = 0.0
        var dV = 0.0
        for (x, logX, range) in data.groups {
            let px = p * x
            let constant = lg(px + q) - lg(px) - logGammaQ + q * logV + px * logX
            let psiPXQ = psi(px + q)
            let psiPX = psi(px)
            var weights = 0.0
            var sumLogM = 0.0
            var sumLogXMV = 0.0
            var sumInvXMV = 0.0
            for i in range {
                let w = data.weight[i]
                let xmv = x * data.monetaryValue[i] + v
                let logXMV = log(xmv)
                weights += w
                sumLogM += w * data.logMonetaryValue[i]
                sumLogXMV += w * logXMV
                sumInvXMV += w / xmv
            }
            value += weights * constant + (px - 1) * sumLogM - (px + q) * sumLogXMV
            dP += x * (weights * (psiPXQ - psiPX + logX) + sumLogM - sumLogXMV)
            dQ += weights * (psiPXQ - psiQ + logV) - sumLogXMV
            dV += weights * q / v - (px + q) * sumInvXMV
        }
        return (value, [dP, dQ, dV])
    }
}
