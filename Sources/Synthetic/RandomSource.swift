import Foundation

/// SplitMix64: small, fast and reproducible on every platform (the same seed gives the same data).
struct RandomSource {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed &+ 0x9E37_79B9_7F4A_7C15
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in 0..<bound.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// Pareto with minimum `scale` and shape `alpha`: a long tail of large values (whales).
    mutating func pareto(scale: Double, alpha: Double) -> Double {
        scale / pow(1 - unit(), 1 / alpha)
    }

    /// Log-normal around 1.
    mutating func logNormal(sigma: Double) -> Double {
        let u1 = max(unit(), 1e-12)
        let u2 = unit()
        return exp(sigma * sqrt(-2 * log(u1)) * cos(2 * .pi * u2))
    }

    /// Geometric count with the given mean (0, 1, 2, …).
    mutating func geometric(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        let p = 1 / (1 + mean)
        return Int(log(max(1 - unit(), 1e-12)) / log(1 - p))
    }

    /// An index drawn with the given cumulative weights (last = total).
    mutating func weighted(_ cumulative: [Double]) -> Int {
        let target = unit() * cumulative[cumulative.count - 1]
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
