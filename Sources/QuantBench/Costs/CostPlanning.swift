import QuantCore
import QuantModels

/// Builds the ``CostPlan`` that cost models read from a model's layer geometry and the recipes a
/// cell (or a mixed-precision plan) quantizes it with.
///
/// No weight is quantized here: a layer's granule count comes from cutting its shape, exactly as
/// ``TensorQuantizer`` cuts it (convolutions as `[out, in·kh·kw]`), so a stored cell can be
/// costed again without re-running it.
public enum CostPlanning {
    /// The plan for `task` with every quantizable weight held by `recipes[weight]` (absent: FP32)
    /// and every layer input by `activations` (nil: the model's float type).
    ///
    /// - Throws: a granularity that cannot cut a layer's weight, naming the tensor.
    public static func plan(
        task: any ModelTask, recipes: [String: QuantizationRecipe], activations: ActivationRecipe?,
        measurement: CostPlan.Measurement? = nil
    ) throws -> CostPlan {
        var layers: [LayerPlan] = []
        var quantizedElements = 0
        for geometry in task.layerGeometry {
            let shape = [geometry.outFeatures, geometry.inFeatures]
            let (weights, granules) = try weightEncoding(recipes[geometry.weight], shape: shape, tensor: geometry.weight)
            quantizedElements += geometry.weightElements
            layers.append(
                LayerPlan(
                    geometry: geometry, weights: weights, weightGranules: granules,
                    activations: activations.map { activationEncoding($0, inFeatures: geometry.inFeatures) }))
        }
        return CostPlan(
            model: task.modelName, layers: layers, unquantizedParameters: max(0, task.parameterCount - quantizedElements),
            measurement: measurement)
    }

    /// The plan for a uniform cell: one weight recipe (or none) for every layer.
    public static func plan(
        task: any ModelTask, weights: QuantizationRecipe?, activations: ActivationRecipe?, measurement: CostPlan.Measurement? = nil
    ) throws -> CostPlan {
        var recipes: [String: QuantizationRecipe] = [:]
        if let weights { for name in task.quantizableWeights { recipes[name] = weights } }
        return try plan(task: task, recipes: recipes, activations: activations, measurement: measurement)
    }

    /// A weight's encoding and exact granule count; FP32 with no granules when unquantized.
    static func weightEncoding(_ recipe: QuantizationRecipe?, shape: [Int], tensor: String) throws -> (OperandEncoding, Int) {
        guard let recipe else { return (.float(bits: 32), 0) }
        let partition = try recipe.partition(shape: shape, tensor: tensor)
        let granules = partition.granuleCount
        let format = recipe.format
        let encoding = OperandEncoding(
            format: format.name, kind: format.numberKind, elementBits: format.elementBits,
            granuleSize: granules > 0 ? partition.elementCount / granules : partition.elementCount,
            granuleOverheadBits: format.granuleOverheadBits, tensorOverheadBits: format.tensorOverheadBits)
        return (encoding, granules)
    }

    /// A layer input's encoding: one rescale per K products for per-tensor, per-channel and
    /// per-token cuts (REFERENCE §6), one per block for block formats.
    static func activationEncoding(_ recipe: ActivationRecipe, inFeatures: Int) -> OperandEncoding {
        let format = recipe.format
        return OperandEncoding(
            format: format.name, kind: format.numberKind, elementBits: format.elementBits,
            granuleSize: format.requiredBlockSize ?? inFeatures, granuleOverheadBits: format.granuleOverheadBits,
            tensorOverheadBits: format.tensorOverheadBits)
    }
}
