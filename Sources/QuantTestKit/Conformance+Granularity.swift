import QuantCore

extension Conformance {
    /// A granularity must cover every element of the shapes it accepts exactly once, report
    /// granule sizes that match its runs, and refuse the shapes it cannot cut with an error
    /// rather than a trap.
    public static func check(granularity: any Granularity, shapes: [[Int]] = [[64], [8, 32], [4, 6, 128], [3, 5, 2, 256], [1, 1]])
        -> [ConformanceFailure]
    {
        var failures: [ConformanceFailure] = []
        for shape in shapes {
            let partition: GranulePartition
            do {
                partition = try granularity.partition(shape: shape, tensor: "conformance")
            } catch {
                continue  // refusing a shape with an error is allowed
            }
            let count = shape.reduce(1, *)
            var seen = [Int](repeating: 0, count: count)
            var outOfBounds = false
            for g in 0..<partition.granuleCount {
                var size = 0
                partition.forEachRun(of: g) { start, n, stride in
                    for i in 0..<n {
                        let p = start + i * stride
                        if p < 0 || p >= count { outOfBounds = true } else { seen[p] += 1 }
                    }
                    size += n
                }
                if size != partition.granuleSize(g) {
                    failures.append(.init(plugin: granularity.name, check: "granule size", detail: "shape \(shape), granule \(g): runs hold \(size), granuleSize says \(partition.granuleSize(g))"))
                }
            }
            if outOfBounds || seen.contains(where: { $0 != 1 }) {
                failures.append(.init(plugin: granularity.name, check: "exact cover", detail: "shape \(shape): some element is missed, repeated or out of bounds"))
            }
        }
        return failures
    }
}
