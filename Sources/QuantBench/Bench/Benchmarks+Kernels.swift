import QuantCore
import QuantModels

extension Benchmarks {
    /// Histogram collection over a whole tensor: the range pass, the |x| binning pass, and both
    /// together as the observer runs them.
    public static func histogram(_ tensor: Tensor, copy: Double, repeats: Int) -> [Measurement] {
        let bytes = Double(tensor.count * 4)
        var results: [Measurement] = []
        tensor.values.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!, n = buffer.count
            var summary = RangeSummary()
            let range = time(repeats: repeats) { summary = RangeKernels.summarize(base, count: n, stride: 1) }
            let amax = Swift.max(Swift.abs(summary.min), Swift.abs(summary.max))
            let binning = time(repeats: repeats) {
                var h = Histogram(binCount: 2048, lower: 0, upper: amax)
                h.accumulate(base, count: n, stride: 1, absolute: true, skipNonFinite: false)
            }
            let observe = time(repeats: repeats) {
                var s = GranuleStatistics(request: [.range, .absHistogram])
                s.observe(base, partition: .whole(count: n), granule: 0)
            }
            for (name, seconds) in [("range pass (min/max/sum)", range), ("|x| histogram pass, 2048 bins", binning),
                                    ("histogram collection (both passes)", observe)] {
                results.append(Measurement(name: name, gigabytesPerSecond: bytes / seconds / 1e9, ratioToCopy: bytes / seconds / copy))
            }
        }
        return results
    }

    /// Single-thread fake-quantization with parameters already chosen (the kernel alone).
    public static func fakeQuantization(
        _ tensor: Tensor, recipes: [(label: String, recipe: QuantizationRecipe)], copy: Double, repeats: Int
    ) throws -> [Measurement] {
        let bytes = Double(tensor.count * 4)
        var results: [Measurement] = []
        for (label, recipe) in recipes {
            let partition = try recipe.partition(shape: tensor.shape, tensor: tensor.name)
            let (_, report) = try TensorQuantizer(recipe: recipe).quantize(tensor)
            let params = report.granules.map { QuantParams(scale: $0.scale, zeroPoint: $0.zeroPoint) }
            var output = [Float](repeating: 0, count: tensor.count)
            let seconds = tensor.values.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { out in
                    time(repeats: repeats) {
                        for g in 0..<partition.granuleCount {
                            partition.forEachRun(of: g) { start, count, stride in
                                recipe.format.fakeQuantize(
                                    input.baseAddress! + start, out.baseAddress! + start, count: count, stride: stride, params: params[g])
                            }
                        }
                    }
                }
            }
            results.append(Measurement(name: label, gigabytesPerSecond: bytes / seconds / 1e9, ratioToCopy: bytes / seconds / copy))
        }
        return results
    }

    /// The whole `quantize` pipeline (observe, calibrate, fake-quantize, metrics) on `threads` threads.
    public static func pipeline(_ tensor: Tensor, recipe: QuantizationRecipe, label: String, copy: Double, repeats: Int) throws -> Measurement {
        let bytes = Double(tensor.count * 4)
        let seconds = try time(repeats: repeats) { _ = try TensorQuantizer(recipe: recipe).quantize(tensor) }
        return Measurement(
            name: label, gigabytesPerSecond: bytes / seconds / 1e9, ratioToCopy: bytes / seconds / copy,
            note: "\(recipe.threads) threads, end to end")
    }

    /// Milliseconds per granule for each calibrator, from statistics of a 65,536-value granule.
    public static func calibrators(registry: PluginRegistry, names: [String], format: String, repeats: Int) throws -> [Measurement] {
        let tensor = try gaussianTensor(rows: 256, cols: 256, seed: 3)
        let f = try registry.format(format)
        var statistics = GranuleStatistics(request: .all)
        tensor.values.withUnsafeBufferPointer { statistics.observe($0.baseAddress!, partition: .whole(count: $0.count), granule: 0) }
        let input = CalibrationInput(statistics: statistics, format: f, context: ScaleContext(tensorAbsMax: statistics.absMax), tensorName: "bench")
        return try names.map { name in
            let calibrator = try registry.calibrator(name)
            let seconds = try time(repeats: repeats) { _ = try calibrator.calibrate(input) }
            return Measurement(name: "\(calibrator.name) (\(f.name))", millisecondsPerCall: seconds * 1e3)
        }
    }
}

extension Benchmarks {
    /// Reading the tensor back from .safetensors (memory-mapped) and .npy, warm page cache.
    public static func tensorFiles(_ tensor: Tensor, directory: String, copy: Double, repeats: Int) throws -> [Measurement] {
        let bytes = Double(tensor.count * 4)
        var results: [Measurement] = []
        for file in ["bench.safetensors", "bench.npy"] {
            let path = directory + "/" + file
            try TensorFiles.write([tensor], to: path)
            let source = try TensorFiles.open(path: path)
            let name = source.tensors[0].name
            let seconds = try time(repeats: repeats) { _ = try source.load(name) }
            results.append(Measurement(name: "load float32 from \(file.split(separator: ".").last ?? "")", gigabytesPerSecond: bytes / seconds / 1e9, ratioToCopy: bytes / seconds / copy, note: "warm page cache"))
        }
        return results
    }
}
