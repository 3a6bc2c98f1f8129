import Foundation

/// Student's t distribution, computed rather than tabulated: the CDF through the regularized
/// incomplete beta function, the quantile by bisection on the CDF.
public enum StudentT {
    /// P(T ≤ t) for `degreesOfFreedom` > 0; nil for non-finite input.
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double? {
        guard t.isFinite, nu.isFinite, nu > 0 else { return nil }
        // P(|T| > |t|) = I_x(ν/2, 1/2) with x = ν / (ν + t²).
        let x = nu / (nu + t * t)
        let tail = 0.5 * regularizedIncompleteBeta(x, a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The t with P(T ≤ t) = p, for 0 < p < 1; nil otherwise. Accurate to about 1e-12.
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double? {
        guard p > 0, p < 1, nu.isFinite, nu > 0 else { return nil }
        if p == 0.5 { return 0 }
        if p < 0.5 { return quantile(1 - p, degreesOfFreedom: nu).map { -$0 } }
        var low = 0.0
        var high = 1.0
        while let c = cdf(high, degreesOfFreedom: nu), c < p {
            low = high
            high *= 2
            if high > 1e12 { return nil }
        }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            guard let c = cdf(mid, degreesOfFreedom: nu) else { return nil }
            if c < p { low = mid } else { high = mid }
            if high - low <= 1e-13 * max(1, high) { break }
        }
        return (low + high) / 2
    }

    /// I_x(a, b), the regularized incomplete beta function, by Lentz's continued fraction
    /// (Numerical Recipes §6.4), using the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) where it converges faster.
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a) + lgamma(b) - lgamma(a + b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let logFront = logPowers - logBeta
        let front = exp(logFront)
        if x < (a + 1) / (a + b + 2) {
            return front * continuedFraction(x, a: a, b: b) / a
        }
        return 1 - front * continuedFraction(1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b
        let qap = a + 1
        let qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }
}
