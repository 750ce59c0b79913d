import Foundation

/// Exp(1) samples by the ziggurat method.
///
/// The method is Marsaglia and Tsang 2000, "The Ziggurat Method for Generating Random Variables",
/// in the variant numpy and Rust's rand_distr use: 256 layers of equal area under e^−x; a draw
/// picks a layer and a point in it from one 64-bit value and, 98.9% of the time, returns without a
/// logarithm or an exponential. The result is exactly Exp(1) (the wedge and tail cases are handled,
/// not approximated), at about a third of the cost of −ln(1 − u).
///
/// Unlike `Distribution.exponential` (inversion, one stream value per draw), a draw here takes one
/// stream value usually and more now and then, and the value is not a monotone function of the
/// first uniform: use it where speed matters more than common random numbers across scenarios (the
/// PHOLD load).
public struct ExponentialZiggurat: @unchecked Sendable {
    /// The start of the tail (the base layer's right edge under the curve).
    @usableFromInline static var r: Double { 7.69711747013104972 }
    /// The area of each layer.
    static var layerArea: Double { 0.0039496598225815571993 }
    static var layers: Int { 256 }

    /// The tables, shared and never freed (they are immutable once built).
    public static let standard = ExponentialZiggurat()

    /// The layer table: `x[0 ... 256]` then `f[0 ... 256]`, where f = e^−x.
    ///
    /// Layer i covers [0, x[i]] × [f[i], f[i+1]] (layer 0 is the base strip [0, x[0]] × [0, f(r)],
    /// whose part beyond r stands for the tail).
    @usableFromInline let x: UnsafePointer<Double>
    @usableFromInline let f: UnsafePointer<Double>

    init() {
        let n = ExponentialZiggurat.layers, r = ExponentialZiggurat.r, v = ExponentialZiggurat.layerArea
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 2 * (n + 1))
        let x = table, f = table + (n + 1)
        // The base strip has area v: width v / f(r). Each layer above has area v too:
        // x[i] · (f(x[i+1]) − f(x[i])) = v gives x[i+1] = −ln(v / x[i] + f(x[i])).
        x[0] = v * exp(r)
        x[1] = r
        for i in 1..<(n - 1) { x[i + 1] = -log(v / x[i] + exp(-x[i])) }
        x[n] = 0  // the layers meet the top of the curve (r and v are chosen so)
        for i in 0...n { f[i] = exp(-x[i]) }
        self.x = UnsafePointer(x)
        self.f = UnsafePointer(f)
    }

    /// One Exp(1) sample.
    @inlinable @inline(__always)
    public func sample(_ rng: inout RandomStream) -> Double {
        while true {
            let bits = rng.next()
            let i = Int(bits & 0xFF)
            // The high 53 bits, independent of the layer's 8 low bits.
            let u = Double(bits >> 11) * 0x1p-53
            let px = x[i]
            let value = u * px
            if value < x[i &+ 1] { return value }  // inside the layer's rectangle under the curve
            if _slowPath(i == 0) {
                // Beyond r: the tail, Exp(1) shifted by r (memorylessness).
                return ExponentialZiggurat.r - log(1 - rng.nextUnit())
            }
            // The wedge between the rectangle and the curve: accept if a uniform height in
            // the layer falls under e^−value.
            if f[i &+ 1] + (f[i] - f[i &+ 1]) * rng.nextUnit() < exp(-value) { return value }
        }
    }
}
