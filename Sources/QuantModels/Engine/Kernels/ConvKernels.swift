/// The sizes one convolution works with.
struct ConvGeometry {
    let batch: Int, height: Int, width: Int
    let kernel: Int, stride: Int, padding: Int, dilation: Int
    let outHeight: Int, outWidth: Int

    var plane: Int { height * width }
    var outPlane: Int { outHeight * outWidth }
}

/// Convolution kernels over `[N, C, H, W]` buffers.
enum ConvKernels {
    /// im2col + GEMM per group over the whole batch.
    static func grouped(
        _ x: [Float], weight: [Float], inChannels: Int, outChannels: Int, groups: Int, _ g: ConvGeometry
    ) -> [Float] {
        let cinG = inChannels / groups, coutG = outChannels / groups
        let rows = cinG * g.kernel * g.kernel, columns = g.batch * g.outPlane
        // im2col, the GEMM (beta = 0) and the scatter write every element: no zero-filling.
        var cols = [Float](unsafeUninitializedCapacity: rows * columns) { $1 = rows * columns }
        var product = [Float](unsafeUninitializedCapacity: coutG * columns) { $1 = coutG * columns }
        var y = [Float](unsafeUninitializedCapacity: g.batch * outChannels * g.outPlane) { $1 = g.batch * outChannels * g.outPlane }
        for group in 0..<groups {
            x.withUnsafeBufferPointer { input in
                cols.withUnsafeMutableBufferPointer { c in
                    im2col(input.baseAddress!, channels: inChannels, first: group * cinG, count: cinG, g, into: c.baseAddress!)
                }
            }
            weight.withUnsafeBufferPointer { w in
                cols.withUnsafeBufferPointer { c in
                    product.withUnsafeMutableBufferPointer { p in
                        BLAS.sgemm(coutG, columns, rows, w.baseAddress! + group * coutG * rows, lda: rows,
                                   c.baseAddress!, ldb: columns, p.baseAddress!, ldc: columns)
                    }
                }
            }
            // product is [coutG, N, Ho·Wo]; scatter to [N, out, Ho·Wo].
            product.withUnsafeBufferPointer { p in
                y.withUnsafeMutableBufferPointer { out in
                    for o in 0..<coutG {
                        for n in 0..<g.batch {
                            let target = out.baseAddress! + (n * outChannels + group * coutG + o) * g.outPlane
                            target.update(from: p.baseAddress! + (o * g.batch + n) * g.outPlane, count: g.outPlane)
                        }
                    }
                }
            }
        }
        return y
    }

    /// Writes the `[count·k·k, N·Ho·Wo]` patch matrix of channels `first..<first+count`.
    private static func im2col(
        _ x: UnsafePointer<Float>, channels: Int, first: Int, count: Int, _ g: ConvGeometry, into cols: UnsafeMutablePointer<Float>
    ) {
        let columns = g.batch * g.outPlane
        for c in 0..<count {
            for ky in 0..<g.kernel {
                for kx in 0..<g.kernel {
                    let row = cols + ((c * g.kernel + ky) * g.kernel + kx) * columns
                    for n in 0..<g.batch {
                        let plane = x + (n * channels + first + c) * g.plane
                        let target = row + n * g.outPlane
                        let span = validColumns(kx, g)
                        for oy in 0..<g.outHeight {
                            let iy = oy * g.stride - g.padding + ky * g.dilation
                            let line = target + oy * g.outWidth
                            guard iy >= 0, iy < g.height, !span.isEmpty else {
                                line.update(repeating: 0, count: g.outWidth)
                                continue
                            }
                            line.update(repeating: 0, count: span.lowerBound)
                            let source = plane + iy * g.width - g.padding + kx * g.dilation
                            if g.stride == 1 {
                                (line + span.lowerBound).update(from: source + span.lowerBound, count: span.count)
                            } else {
                                for ox in span { line[ox] = source[ox * g.stride] }
                            }
                            (line + span.upperBound).update(repeating: 0, count: g.outWidth - span.upperBound)
                        }
                    }
                }
            }
        }
    }

    /// The output columns whose input column `ox·stride − padding + kx·dilation` lies inside
    /// the image (the others read padding).
    @inline(__always)
    private static func validColumns(_ kx: Int, _ g: ConvGeometry) -> Range<Int> {
        let offset = kx * g.dilation - g.padding
        // ox·stride + offset ≥ 0  ⇔  ox ≥ ⌈−offset / stride⌉;  ox·stride + offset < width  ⇔  ox < ⌈(width − offset) / stride⌉.
        let lower = offset >= 0 ? 0 : (-offset + g.stride - 1) / g.stride
        let upper = g.width - offset <= 0 ? 0 : (g.width - offset + g.stride - 1) / g.stride
        let clampedLower = min(max(lower, 0), g.outWidth)
        return clampedLower..<max(clampedLower, min(upper, g.outWidth))
    }

    /// One k×k filter per channel, direct.
    static func depthwise(_ x: [Float], weight: [Float], channels: Int, _ g: ConvGeometry) -> [Float] {
        var y = [Float](repeating: 0, count: g.batch * channels * g.outPlane)
        x.withUnsafeBufferPointer { input in
            weight.withUnsafeBufferPointer { w in
                y.withUnsafeMutableBufferPointer { out in
                    for n in 0..<g.batch {
                        for c in 0..<channels {
                            let plane = input.baseAddress! + (n * channels + c) * g.plane
                            let filter = w.baseAddress! + c * g.kernel * g.kernel
                            let target = out.baseAddress! + (n * channels + c) * g.outPlane
                            depthwisePlane(plane, filter, g, into: target)
                        }
                    }
                }
            }
        }
        return y
    }

    private static func depthwisePlane(
        _ plane: UnsafePointer<Float>, _ filter: UnsafePointer<Float>, _ g: ConvGeometry, into target: UnsafeMutablePointer<Float>
    ) {
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                var sum: Float = 0
                for ky in 0..<g.kernel {
                    let iy = oy * g.stride - g.padding + ky * g.dilation
                    guard iy >= 0, iy < g.height else { continue }
                    for kx in 0..<g.kernel {
                        let ix = ox * g.stride - g.padding + kx * g.dilation
                        if ix >= 0, ix < g.width { sum += plane[iy * g.width + ix] * filter[ky * g.kernel + kx] }
                    }
                }
                target[oy * g.outWidth + ox] = sum
            }
        }
    }

    /// Adds `bias[c]` to every value of channel `c` in `[N, C, plane]`.
    static func addChannelBias(_ y: inout [Float], _ bias: [Float], batch: Int, plane: Int) {
        let channels = bias.count
        y.withUnsafeMutableBufferPointer { out in
            for n in 0..<batch {
                for c in 0..<channels {
                    let b = bias[c]
                    let base = out.baseAddress! + (n * channels + c) * plane
                    for i in 0..<plane { base[i] += b }
                }
            }
        }
    }
}
