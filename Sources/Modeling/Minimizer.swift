/// Quasi-Newton (BFGS) minimisation of a smooth function with a known gradient.
struct Minimizer: Sendable {
    /// An objective: the value and the gradient at a point.
    typealias Objective = ([Double]) -> (value: Double, gradient: [Double])

    /// Where the search ended.
    struct Result: Sendable {
        var point: [Double]
        var value: Double
        var gradientNorm: Double
        var iterations: Int
        var converged: Bool
    }

    /// Stop when the largest gradient component is below this.
    var gradientTolerance = 1e-9
    var maxIterations = 1_000

    /// Minimises `objective` from `start`.
    func minimize(from start: [Double], _ objective: Objective) -> Result {
        let n = start.count
        var x = start
        var (value, gradient) = objective(x)
        var inverseHessian = identity(n)
        var iterations = 0
        while iterations < maxIterations {
            if maxNorm(gradient) < gradientTolerance {
                return Result(
                    point: x, value: value, gradientNorm: maxNorm(gradient), iterations: iterations, converged: true)
            }
            iterations += 1
            var direction = multiply(inverseHessian, gradient).map { -$0 }
            var slope = dot(direction, gradient)
            if !(slope < 0) {
                // Not a descent direction (lost curvature information): restart along the gradient.
                inverseHessian = identity(n)
                direction = gradient.map { -$0 }
                slope = dot(direction, gradient)
            }
            guard let step = lineSearch(x, value, direction, slope, objective) else {
                let norm = maxNorm(gradient)
                return Result(
                    point: x, value: value, gradientNorm: norm, iterations: iterations, converged: norm < 1e-5)
            }
            let s = zip(step.point, x).map { $0 - $1 }
            let y = zip(step.gradient, gradient).map { $0 - $1 }
            x = step.point
            let previous = value
            value = step.value
            gradient = step.gradient
            let sy = dot(s, y)
            if sy > 1e-12 {
                updateInverseHessian(&inverseHessian, s: s, y: y, sy: sy)
            }
            if abs(previous - value) <= 1e-15 * max(1, abs(value)) && maxNorm(gradient) < 1e-6 {
                return Result(
                    point: x, value: value, gradientNorm: maxNorm(gradient), iterations: iterations, converged: true)
            }
        }
        return Result(point: x, value: value, gradientNorm: maxNorm(gradient), iterations: iterations, converged: false)
    }

    /// Backtracking with the Armijo condition; nil when no step decreases the function.
    private func lineSearch(
        _ x: [Double], _ value: Double, _ direction: [Double], _ slope: Double, _ objective: Objective
    ) -> (point: [Double], value: Double, gradient: [Double])? {
        var length = 1.0
        // Keep the first trial inside a sane box: parameters live on the log scale.
        let longest = direction.map(abs).max() ?? 0
        if longest * length > 5 { length = 5 / longest }
        for _ in 0..<60 {
            let point = zip(x, direction).map { $0 + length * $1 }
            let trial = objective(point)
            if trial.value.isFinite && trial.value <= value + 1e-4 * length * slope {
                return (point, trial.value, trial.gradient)
            }
            length *= 0.5
        }
        return nil
    }

    private func updateInverseHessian(_ h: inout [[Double]], s: [Double], y: [Double], sy: Double) {
        let n = s.count
        let hy = multiply(h, y)
        let yhy = dot(y, hy)
        let scale = (sy + yhy) / (sy * sy)
        for i in 0..<n {
            for j in 0..<n {
                h[i][j] += scale * s[i] * s[j] - (hy[i] * s[j] + s[i] * hy[j]) / sy
            }
        }
    }

    private func identity(_ n: Int) -> [[Double]] {
        (0..<n).map { i in (0..<n).map { i == $0 ? 1 : 0 } }
    }

    private func multiply(_ m: [[Double]], _ v: [Double]) -> [Double] {
        m.map { dot($0, v) }
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    }

    private func maxNorm(_ v: [Double]) -> Double {
        v.map(abs).max() ?? 0
    }
}
