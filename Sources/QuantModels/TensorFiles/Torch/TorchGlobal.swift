/// The globals a checkpoint's pickle may name: the classes, functions, dtypes and storage types
/// a state dict is made of. Any other `module.name` is refused before anything is built.
///
/// The list follows what `torch.load(weights_only=True)` allows for plain tensors and
/// containers (`torch/_weights_only_unpickler.py`), without quantized, sparse or subclass tensors.
/// Protocol 2 pickles name builtins as `__builtin__`; both spellings are accepted.
enum TorchGlobal: Hashable {
    case orderedDict, counter
    case rebuildTensor, rebuildTensorV2, rebuildTensorV3
    case rebuildParameter, rebuildParameterWithState
    case rebuildFromTypeV2
    case tensorClass, parameterClass
    /// A storage type; `nil` for `torch.UntypedStorage`.
    case storageClass(TorchDType?)
    /// A dtype global such as `torch.float8_e4m3fn`.
    case dtype(TorchDType)
    case size, device
    case set, frozenset, bytes, bytearray, complex
    case codecsEncode

    /// The global `module.name`, or `nil` when it is not whitelisted.
    init?(module: String, name: String) {
        let builtin = module == "builtins" || module == "__builtin__"
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("collections", "Counter"): self = .counter
        case ("torch._utils", "_rebuild_tensor"): self = .rebuildTensor
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensorV2
        case ("torch._utils", "_rebuild_tensor_v3"): self = .rebuildTensorV3
        case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
        case ("torch._utils", "_rebuild_parameter_with_state"): self = .rebuildParameterWithState
        case ("torch._tensor", "_rebuild_from_type_v2"), ("torch.tensor", "_rebuild_from_type_v2"): self = .rebuildFromTypeV2
        case ("torch", "Tensor"), ("torch._tensor", "Tensor"): self = .tensorClass
        case ("torch.nn.parameter", "Parameter"): self = .parameterClass
        case ("torch", "UntypedStorage"), ("torch.storage", "UntypedStorage"): self = .storageClass(nil)
        case ("torch", "Size"): self = .size
        case ("torch", "device"): self = .device
        case ("_codecs", "encode"): self = .codecsEncode
        case (_, "set") where builtin: self = .set
        case (_, "frozenset") where builtin: self = .frozenset
        case (_, "bytes") where builtin: self = .bytes
        case (_, "bytearray") where builtin: self = .bytearray
        case (_, "complex") where builtin: self = .complex
        case let ("torch", storage) where storage.hasSuffix("Storage"):
            guard let dtype = TorchDType(storageClass: storage) else { return nil }
            self = .storageClass(dtype)
        case let ("torch", dtype):
            guard let known = TorchDType.known[dtype] else { return nil }
            self = .dtype(known)
        default:
            return nil
        }
    }

    /// The global as Python names it (`torch._utils._rebuild_tensor_v2`), for messages.
    var qualifiedName: String {
        switch self {
        case .orderedDict: return "collections.OrderedDict"
        case .counter: return "collections.Counter"
        case .rebuildTensor: return "torch._utils._rebuild_tensor"
        case .rebuildTensorV2: return "torch._utils._rebuild_tensor_v2"
        case .rebuildTensorV3: return "torch._utils._rebuild_tensor_v3"
        case .rebuildParameter: return "torch._utils._rebuild_parameter"
        case .rebuildParameterWithState: return "torch._utils._rebuild_parameter_with_state"
        case .rebuildFromTypeV2: return "torch._tensor._rebuild_from_type_v2"
        case .tensorClass: return "torch.Tensor"
        case .parameterClass: return "torch.nn.parameter.Parameter"
        case let .storageClass(dtype):
            let name = dtype.flatMap { dtype in TorchDType.storageClasses.first { $0.value == dtype.name }?.key }
            return "torch." + (name ?? "UntypedStorage")
        case let .dtype(dtype): return "torch." + dtype.name
        case .size: return "torch.Size"
        case .device: return "torch.device"
        case .set: return "builtins.set"
        case .frozenset: return "builtins.frozenset"
        case .bytes: return "builtins.bytes"
        case .bytearray: return "builtins.bytearray"
        case .complex: return "builtins.complex"
        case .codecsEncode: return "_codecs.encode"
        }
    }

    /// The name of the global's Python type, as `type(value).__name__` gives it.
    var typeName: String {
        switch self {
        case .dtype: return "dtype"
        case .rebuildTensor, .rebuildTensorV2, .rebuildTensorV3, .rebuildParameter, .rebuildParameterWithState,
             .rebuildFromTypeV2:
            return "function"
        case .codecsEncode: return "builtin_function_or_method"
        default: return "type"
        }
    }

    /// Whether the global is one of the functions that rebuild a tensor or parameter.
    var rebuildsTensor: Bool {
        switch self {
        case .rebuildTensor, .rebuildTensorV2, .rebuildTensorV3, .rebuildParameter, .rebuildParameterWithState,
             .rebuildFromTypeV2:
            return true
        default:
            return false
        }
    }
}
