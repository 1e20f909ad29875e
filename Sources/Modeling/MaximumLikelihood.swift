import Foundation

/// A maximum-likelihood fit with its diagnostics.
public struct ModelFit<Model: Sendable>: Sendable {
    public var model: Model
    /// The summed log-likelihood of every customer at the estimate (without the penalty).
    public var logLikelihood: Double
    public var iterations: Int
    public var converged: Bool
    public var customers: Double
}

/// Maximum likelihood of positive parameters θ, searched on their log scale: minimises the mean
/// negative log-likelihood plus `penalizer × Σ θ²` (as the public implementations do), from θ = 1.
enum MaximumLikelihood {
    /// `logLikelihood(θ)` gives the summed log-likelihood and its gradient with respect to θ;
    /// returns the estimate θ̂ and the search's result, or fails naming `model` when it diverged.
    static func fit(
        model: String, parameterCount: Int, customers: Double, penalizer: Double,
        logLikelihood: ([Double]) -> (value: Double, gradient: [Double])
    ) throws -> (parameters: [Double], search: Minimizer.Result) {
        let objective: Minimizer.Objective = { logParameters in
            let parameters = logParameters.map { exp($0) }
            let (value, gradient) = logLikelihood(parameters)
            // d/d(log θ) = θ · d/dθ, of the mean negative log-likelihood and of the penalty.
            let meanGradient = zip(gradient, parameters).map { -$0 * $1 / customers + 2 * penalizer * $1 * $1 }
            let penalty = penalizer * parameters.reduce(0) { $0 + $1 * $1 }
            return (-value / customers + penalty, meanGradient)
        }
        let search = Minimizer().minimize(from: Array(repeating: 0, count: parameterCount), objective)
        let parameters = search.point.map { exp($0) }
        guard parameters.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ModelingError("the \(model) fit diverged (parameters \(parameters))")
        }
        return (parameters, search)
    }
}
