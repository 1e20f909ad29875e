import Foundation

/// The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting your customers the
/// easy way"): while alive, a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase
/// they drop out with probability p ~ Beta(a, b).
public struct BGNBDModel: Sendable, Equatable, Codable {
    public var r: Double
    public var alpha: Double
    public var a: Double
    public var b: Double

    public init(r: Double, alpha: Double, a: Double, b: Double) {
        self.r = r
        self.alpha = alpha
        self.a = a
        self.b = b
    }

    /// A maximum-likelihood fit with its diagnostics.
    public typealias Fit = ModelFit<BGNBDModel>

    /// Fits the model by maximum likelihood on the log scale of the parameters. `penalizer` adds
    /// `penalizer × Σ θ²` to the mean negative log-likelihood (as the public implementations do).
    public static func fit(_ data: PurchaseSummaries, penalizer: Double = 0) throws -> Fit {
        guard !data.isEmpty else { throw ModelingError("no customers to fit the BG/NBD model on") }
        let (rows, groups) = data.groupedByFrequency()
        let total = rows.customers
        let (estimate, search) = try MaximumLikelihood.fit(
            model: "BG/NBD", parameterCount: 4, customers: total, penalizer: penalizer
        ) { BGNBDModel(parameters: $0).logLikelihood(rows, groups: groups) }
        let model = BGNBDModel(parameters: estimate)
        return Fit(
            model: model, logLikelihood: model.logLikelihood(rows, groups: groups).value,
            iterations: search.iterations, converged: search.converged, customers: total)
    }

    init(parameters p: [Double]) {
        self.init(r: p[0], alpha: p[1], a: p[2], b: p[3])
    }

    /// The weighted log-likelihood and its gradient with respect to (r, α, a, b).
    func logLikelihood(_ rows: PurchaseSummaries, groups: [(frequency: Int, range: Range<Int>)]) -> (
        value: Double, gradient: [Double]
    ) {
        let lg = SpecialFunctions.logGamma
        let psi = SpecialFunctions.digamma
        let logAlpha = log(alpha)
        let psiR = psi(r)
        let psiB = psi(b)
        let psiAB = psi(a + b)
        let logGammaR = lg(r)
        let logGammaB = lg(b)
        let logGammaAB = lg(a + b)
        var value = 0.0
        var dR = 0.0
        var dAlpha = 0.0
        var dA = 0.0
        var dB = 0.0
        for (x, range) in groups {
            let xd = Double(x)
            let rx = r + xd
            // Terms that depend only on x.
            let a1 = lg(rx) - logGammaR + r * logAlpha
            let a2 = logGammaAB + lg(b + xd) - logGammaB - lg(a + b + xd)
            let dA1dR = psi(rx) - psiR + logAlpha
            let dA2dA = psiAB - psi(a + b + xd)
            let dA2dB = psiAB + psi(b + xd) - psiB - psi(a + b + xd)
            let logDropout = x > 0 ? log(a) - log(b + xd - 1) : 0
            var groupValue = 0.0
            var groupWeight = 0.0
            var sumW3LogT = 0.0
            var sumW4LogTx = 0.0
            var sumW3InvT = 0.0
            var sumW4InvTx = 0.0
            var sumW4 = 0.0
            for i in range {
                let weight = rows.weight[i]
                let logAlphaT = log(alpha + rows.age[i])
                let a3 = -rx * logAlphaT
                var total = a3
                var share4 = 0.0
                var logAlphaTx = 0.0
                if x > 0 {
                    logAlphaTx = log(alpha + rows.recency[i])
                    let a4 = logDropout - rx * logAlphaTx
                    total = SpecialFunctions.logAddExp(a3, a4)
                    share4 = exp(a4 - total)
                }
                let share3 = 1 - share4
                groupValue += weight * total
                groupWeight += weight
                sumW3LogT += weight * share3 * logAlphaT
                sumW4LogTx += weight * share4 * logAlphaTx
                sumW3InvT += weight * share3 / (alpha + rows.age[i])
                sumW4InvTx += x > 0 ? weight * share4 / (alpha + rows.recency[i]) : 0
                sumW4 += weight * share4
            }
            value += groupWeight * (a1 + a2) + groupValue
            dR += groupWeight * dA1dR - sumW3LogT - sumW4LogTx
            dAlpha += groupWeight * r / alpha - rx * (sumW3InvT + sumW4InvTx)
            dA += groupWeight * dA2dA + (x > 0 ? sumW4 / a : 0)
            dB += groupWeight * dA2dB - (x > 0 ? sumW4 / (b + xd - 1) : 0)
        }
        return (value, [dR, dAlpha, dA, dB])
    }

    /// P(alive) after `frequency` repeat purchases, the last at `recency`, observed until `age`.
    public func probabilityAlive(frequency x: Int, recency: Double, age: Double) -> Double {
        guard x > 0 else { return 1 }
        let xd = Double(x)
        let logOdds = (r + xd) * log((alpha + age) / (alpha + recency)) + log(a / (b + xd - 1))
        return 1 / (1 + exp(logOdds))
    }

    /// E[X(t) | x, tₓ, T]: the expected number of purchases in the next `t` units.
    public func expectedPurchases(_ t: Double, frequency x: Int, recency: Double, age: Double) -> Double {
        guard t > 0 else { return 0 }
        let xd = Double(x)
        let hyperA = r + xd
        let hyperB = b + xd
        let hyperC = a + b + xd - 1
        let z = t / (alpha + age + t)
        let logHyper = log(SpecialFunctions.hypergeometric2F1(hyperA, hyperB, hyperC, z))
        let first = (a + b + xd - 1) / (a - 1)
        let second = 1 - exp(logHyper + (r + xd) * log((alpha + age) / (alpha + age + t)))
        let denominator =
            x > 0 ? 1 + (a / (b + xd - 1)) * exp((r + xd) * log((alpha + age) / (alpha + recency))) : 1
        return first * second / denominator
    }
}
