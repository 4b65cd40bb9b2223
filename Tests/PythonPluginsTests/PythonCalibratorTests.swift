import Foundation
import PythonBridge
import PythonPlugins
import QuantBench
import QuantCore
import QuantTestKit
import Testing

@Suite(
    "Python calibrators", .tags(.python),
    .enabled(if: numpyAvailable, "needs python3-numpy for /usr/bin/python3 (CI installs it)"))
struct PythonCalibratorTests {
    static let formats = ["int8", "int8(symmetric=false)", "int4", "int4(symmetric=false)"]

    @Test("the example percentile.py equals the built-in percentile(99.99)", arguments: formats)
    func exampleMatchesBuiltIn(format: String) throws {
        let registry = PluginRegistry.builtIn
        let python = try registry.calibrator("python(\(examplePath):clip)")
        let builtIn = try registry.calibrator("percentile(99.99)")
        for sample in sampleTensors() {
            let statistics = observe(sample.values, request: python.requirements.union(builtIn.requirements))
            let expected = try calibrate("percentile(99.99)", format, on: statistics)
            let actual = try calibrate("python(\(examplePath):clip)", format, on: statistics)
            #expect(ulpDistance(actual.lower, expected.lower) <= 1, "\(sample.name), \(format): \(actual) vs \(expected)")
            #expect(ulpDistance(actual.upper, expected.upper) <= 1, "\(sample.name), \(format): \(actual) vs \(expected)")
        }
    }

    @Test("the example passes QuantTestKit's calibrator conformance")
    func conformance() throws {
        let registry = PluginRegistry.builtIn
        let calibrator = try registry.calibrator("python(\(examplePath):clip)")
        let formats = try Self.formats.map { try registry.format($0) }
        let failures = Conformance.check(calibrator: calibrator, formats: formats)
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("the name keeps the reference as written")
    func name() throws {
        let calibrator = try PluginRegistry.builtIn.calibrator("python(examples/percentile.py:clip)")
        #expect(calibrator.name == "python(examples/percentile.py:clip)")
    }

    @Test("the stats dict carries every documented key")
    func statsDict() throws {
        let path = try temporaryPlugin(named: "echo", """
            import numpy as np

            def echo(stats):
                keys = {'abs_hist_counts', 'abs_hist_edges', 'hist_counts', 'hist_edges', 'min', 'max', 'abs_max',
                        'count', 'non_finite_count', 'mean', 'std', 'kurtosis', 'batch_ranges', 'format'}
                assert keys <= set(stats), sorted(keys - set(stats))
                for name in ('abs_hist', 'hist'):
                    counts, edges = stats[name + '_counts'], stats[name + '_edges']
                    assert counts.dtype == np.float64 and edges.dtype == np.float64
                    assert len(edges) == len(counts) + 1 == 2049
                assert stats['count'] == 4 and stats['non_finite_count'] == 1
                assert stats['batch_ranges'] == [(-1.0, 3.0)], stats['batch_ranges']
                assert stats['format'] == dict(name='int8(symmetric=false)', range_mode='affine',
                                               element_bits=8, levels_per_side=128), stats['format']
                assert abs(stats['mean'] - 1.0) < 1e-12 and stats['abs_max'] == 3.0
                return (stats['min'], stats['max'])
            """)
        let statistics = observe([-1, 0, 2, 3, .nan], request: pythonRequirements)
        let range = try calibrate("python(\(path):echo)", "int8(symmetric=false)", on: statistics)
        #expect(range == ClipRange(lower: -1, upper: 3))
    }

    @Test("a threshold means ±t for symmetric and [max(min, −t), min(max, t)] for affine formats")
    func threshold() throws {
        let path = try temporaryPlugin(named: "threshold", "def two(stats):\n    return 2.0\n")
        let statistics = observe([-1, 0.5, 3], request: pythonRequirements)
        #expect(try calibrate("python(\(path):two)", "int8", on: statistics) == ClipRange(symmetric: 2))
        #expect(try calibrate("python(\(path):two)", "int8(symmetric=false)", on: statistics) == ClipRange(lower: -1, upper: 2))
    }

    @Test("four concurrent tasks calibrate without deadlock and agree")
    func concurrent() async throws {
        let calibrator = try PluginRegistry.builtIn.calibrator("python(\(examplePath):clip)")
        let format = try PluginRegistry.builtIn.format("int8")
        let samples = sampleTensors()
        let expected = try samples.map {
            try calibrate("python(\(examplePath):clip)", "int8", on: observe($0.values, request: calibrator.requirements))
        }
        try await withThrowingTaskGroup(of: [ClipRange].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try samples.map { sample in
                        let statistics = observe(sample.values, request: calibrator.requirements)
                        let input = CalibrationInput(
                            statistics: statistics, format: format, context: ScaleContext(tensorAbsMax: statistics.absMax),
                            tensorName: sample.name)
                        return try calibrator.calibrate(input).range
                    }
                }
            }
            for try await ranges in group {
                // The same statistics through the same function: bit-identical ranges are the claim.
                #expect(ranges == expected)
            }
        }
    }
}
