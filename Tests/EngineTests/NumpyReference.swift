import Foundation
import PythonBridge
import QuantCore
import Testing

extension Tag {
    @Tag static var python: Self
}

/// Whether the embedded Python has numpy (scripts/setup installs python3-numpy; CI runs these tests).
let numpyReady = (try? Python.import("numpy")) != nil

/// Runs a numpy reference implementation written in the test, fed the same arrays as the engine.
///
/// `inputs` become numpy float32 arrays of the given shapes, bound to their names; the code
/// leaves its results in a dict `out`. The reference computes in float64 unless it says otherwise.
func numpyReference(_ code: String, inputs: [String: ([Int], [Float])]) throws -> [String: Tensor] {
    try Python.withGIL {
        let namespace = try Python.run("import numpy as np\nimport math\nout = {}")
        let setItem = try namespace.attribute("__setitem__")
        for (name, (shape, values)) in inputs {
            let array = try NumpyBridge.numpy(from: Tensor(name: name, shape: shape, values: values))
            try setItem.call([name, array])
        }
        let exec = try Python.import("builtins").attribute("exec")
        try exec.call([code, namespace])
        let out = try namespace.item("out")
        var result: [String: Tensor] = [:]
        for key in try out.callMethod("keys").asArray() {
            let name = try key.asString()
            let array = try Python.import("numpy").callMethod("asarray", [out.item(name)], keywords: ["dtype": "float32"])
            result[name] = try NumpyBridge.tensor(fromNumpy: array, name: name)
        }
        return result
    }
}

/// max |a − b| / max |b|: the relative error of a whole activation against its reference.
func relativeError(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    var worst: Float = 0, scale: Float = 0
    for i in 0..<a.count {
        worst = max(worst, abs(a[i] - b[i]))
        scale = max(scale, abs(b[i]))
    }
    return scale == 0 ? worst : worst / scale
}

/// Deterministic pseudo-random values in [−scale, scale).
func randomValues(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in (Float(generator.next() >> 40) / Float(1 << 24) * 2 - 1) * scale }
}
