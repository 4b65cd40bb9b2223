import PythonBridge
import QuantCore
import Testing

extension Tag {
    /// Tests that need the embedded Python with numpy (CI installs python3-numpy).
    @Tag static var python: Self
}

/// Whether the embedded Python imports numpy. CI installs Debian's python3-numpy, so the
/// numpy tests run there; without it they are reported as skipped with this condition's comment.
let numpyAvailable = (try? Python.import("numpy")) != nil

/// Whether ml_dtypes imports (not packaged by Debian: scripts/setup installs it with pip, or use a
/// venv named by QUANTBENCH_PYTHON_VENV).
let mlDtypesAvailable = (try? Python.import("ml_dtypes")) != nil

/// How an array is laid out in memory before it crosses the bridge.
enum MemoryOrder: String, CaseIterable, Sendable {
    case c, fortran, negativeStrides, transposed

    /// A Python expression for the array `a` in this order (same logical values for c/fortran).
    var expression: String {
        switch self {
        case .c: "np.ascontiguousarray(a)"
        case .fortran: "np.asfortranarray(a)"
        case .negativeStrides: "a[::-1, :, ::-2]"
        case .transposed: "a.transpose(2, 0, 1)"
        }
    }
}

let numericDTypes = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool"]

@Suite("numpy ⇄ Tensor", .tags(.python), .enabled(if: numpyAvailable, "needs python3-numpy for /usr/bin/python3 (CI installs it)"))
struct NumpyRoundTripTests {
    /// Builds `a` (3×4×5, values chosen so every dtype holds them: negatives only for signed types),
    /// the view in `order`, and numpy's own float32 conversion of that view as the oracle.
    func namespace(dtype: String, order: MemoryOrder) throws -> PythonObject {
        try Python.run("""
            import numpy as np
            dtype = '\(dtype)'
            raw = np.arange(60, dtype=np.float64).reshape(3, 4, 5)
            if dtype == 'bool':
                a = (raw.astype(np.int64) % 3 == 0)
            elif dtype.startswith('float') or dtype == 'bfloat16':
                a = ((raw - 30.0) * 1.37 + 0.1).astype(dtype)
            elif dtype.startswith('uint'):
                a = (raw * 3 + 1).astype(dtype)
            else:
                a = ((raw - 30) * 3).astype(dtype)
            if dtype in ('int64', 'float64'):
                a[0, 0, 0] = 123456789  # rounds when narrowed to float32
            view = \(order.expression)
            expected = np.ascontiguousarray(view).astype(np.float32)
            expected_list = expected.ravel().tolist()
            expected_shape = list(view.shape)
            """)
    }

    /// numpy → Tensor → numpy for one dtype and memory order, element by element against numpy.
    func checkRoundTrip(dtype: String, order: MemoryOrder) throws {
        let ns = try namespace(dtype: dtype, order: order)
        let tensor = try NumpyBridge.tensor(fromNumpy: try ns.item("view"), name: "t")
        let expectedShape = try ns.item("expected_shape").asArray().map { try $0.asInt() }
        let expected = try ns.item("expected_list").asArray().map { Float(try $0.asDouble()) }
        #expect(tensor.shape == expectedShape)
        #expect(tensor.sourceDType == dtype)
        try #require(tensor.values.count == expected.count)
        // Conversion, not computation: bit-exact equality is the claim.
        for (index, (got, want)) in zip(tensor.values, expected).enumerated() where got.bitPattern != want.bitPattern {
            Issue.record("\(dtype) \(order) element \(index): got \(got), numpy says \(want)")
        }
        let back = try NumpyBridge.numpy(from: tensor)
        let equal = try Python.evaluate("np.array_equal", in: ns).call([back, try ns.item("expected")])
        #expect(try equal.asBool(), "\(dtype) \(order): numpy(from:) differs from numpy's astype(float32)")
        #expect(try back.attribute("dtype").attribute("name").asString() == "float32")
    }

    @Test("round trip", arguments: numericDTypes, MemoryOrder.allCases)
    func roundTrip(dtype: String, order: MemoryOrder) throws {
        try checkRoundTrip(dtype: dtype, order: order)
    }

    @Test("bfloat16 through ml_dtypes", .enabled(if: mlDtypesAvailable, "needs ml_dtypes: scripts/setup installs it (CI runs it)"),
        arguments: MemoryOrder.allCases)
    func bfloat16(order: MemoryOrder) throws {
        try Python.run("import ml_dtypes")
        try checkRoundTrip(dtype: "bfloat16", order: order)
    }

    @Test("large strided views cross tile boundaries", arguments: [
        "np.asfortranarray(np.arange(200 * 301, dtype=np.float64).reshape(200, 301))",
        "np.arange(7 * 130 * 70, dtype=np.int32).reshape(7, 130, 70).transpose(2, 1, 0)[::-1, 3:, ::3]",
        "np.arange(5 * 3 * 200 * 90, dtype=np.float32).reshape(5, 3, 200, 90)[:, ::-1, ::2, :].swapaxes(2, 3)",
    ])
    func largeViews(expression: String) throws {
        let ns = try Python.run("import numpy as np\nview = \(expression)\nexpected = np.ascontiguousarray(view).astype(np.float32)")
        let tensor = try NumpyBridge.tensor(fromNumpy: try ns.item("view"), name: "large")
        let expected = try NumpyBridge.tensor(fromNumpy: try ns.item("expected"), name: "expected")  // contiguous float32: memcpy
        #expect(tensor.shape == expected.shape)
        #expect(tensor.values.map(\.bitPattern) == expected.values.map(\.bitPattern))
        let equal = try Python.evaluate("np.array_equal", in: ns).call([try NumpyBridge.numpy(from: tensor), try ns.item("expected")])
        #expect(try equal.asBool())
    }

    @Test("scalars, empty arrays and non-native byte order")
    func edgeCases() throws {
        let ns = try Python.run("""
            import numpy as np
            scalar = np.array(2.5, dtype=np.float32)
            empty = np.zeros((0, 3), dtype=np.int16)
            big = np.arange(6, dtype='>f4').reshape(2, 3)
            """)
        let scalar = try NumpyBridge.tensor(fromNumpy: try ns.item("scalar"), name: "s")
        #expect(scalar.shape == [] && scalar.values == [2.5])
        let empty = try NumpyBridge.tensor(fromNumpy: try ns.item("empty"), name: "e")
        #expect(empty.shape == [0, 3] && empty.values.isEmpty)
        let big = try NumpyBridge.tensor(fromNumpy: try ns.item("big"), name: "b")
        #expect(big.values == [0, 1, 2, 3, 4, 5])
    }

    @Test("unsupported dtypes say what to do")
    func unsupported() throws {
        let array = try Python.evaluate("__import__('numpy').zeros(3, dtype='complex64')")
        #expect(throws: PythonBridgeError.unsupportedDType("complex64")) {
            try NumpyBridge.tensor(fromNumpy: array, name: "c")
        }
        #expect(PythonBridgeError.unsupportedDType("complex64").description.contains("astype(numpy.float32)"))
    }
}
