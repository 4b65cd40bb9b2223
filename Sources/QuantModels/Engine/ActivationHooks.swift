/// A named point in a forward pass where an activation can be observed or changed.
///
/// Names are stable and human-readable: a weight layer's input is `<layer>.input` (what an A8
/// scheme quantizes), any layer's result is `<layer>.output`, e.g.
/// `encoder.layer.3.intermediate.dense.input`.
public struct ActivationSite: Sendable, Hashable, CustomStringConvertible {
    /// Whether the activation enters a weight layer or leaves a layer.
    public enum Role: String, Sendable, Hashable {
        case input, output
    }

    public let name: String
    public let role: Role
    /// The axis of channels (features): 1 for `[N, C, H, W]` maps, 1 for `[tokens, features]` rows.
    public let channelAxis: Int

    public init(layer: String, role: Role, channelAxis: Int = 1) {
        self.name = "\(layer).\(role.rawValue)"
        self.role = role
        self.channelAxis = channelAxis
    }

    public var description: String { name }
}

/// Something a forward pass calls at every ``ActivationSite``, in forward order, for each batch.
///
/// An observer reads the values; a fake-quantizer overwrites them in place. Token activations
/// are packed: `[tokens, features]` with only real tokens (no padding), so statistics never see
/// padding. A hook is called from the thread running the batch; a hook used while batches run
/// in parallel must be safe for that (observation runs batches in order on one thread).
public protocol ActivationHook: AnyObject, Sendable {
    /// Sees (and may change) one batch's activation at `site`.
    func visit(_ site: ActivationSite, shape: [Int], values: UnsafeMutableBufferPointer<Float>)
}

/// The hooks a forward pass calls.
public struct ForwardContext: Sendable {
    public var hooks: [any ActivationHook]

    public init(hooks: [any ActivationHook] = []) {
        self.hooks = hooks
    }

    /// No hooks: the plain FP32 forward pass.
    public static let plain = ForwardContext()

    /// Calls every hook on `values` at `site`.
    @inline(__always)
    func visit(_ site: ActivationSite, shape: [Int], _ values: inout [Float]) {
        guard !hooks.isEmpty else { return }
        values.withUnsafeMutableBufferPointer { buffer in
            for hook in hooks { hook.visit(site, shape: shape, values: buffer) }
        }
    }
}
