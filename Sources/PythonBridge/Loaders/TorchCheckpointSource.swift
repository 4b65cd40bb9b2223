import Foundation
import QuantCore

/// The tensors of a PyTorch checkpoint (`.pt`, `.pth`, `.bin`, `.ckpt`), read through the embedded Python.
///
/// The file is opened with `torch.load(path, map_location="cpu", weights_only=True)`, which
/// unpickles only tensors and plain containers; a file that needs more (a pickled module, custom
/// classes) is refused with ``PythonBridgeError/refusedUnsafe(path:reason:)`` and never
/// re-read unsafely. Accepted contents: a state dict; a dict whose only dict of tensors sits under
/// `state_dict`, `model` or `module` (training checkpoints); nested dicts, flattened to dotted
/// names (`{"encoder": {"w": t}}` → `encoder.w`); or one bare tensor, named after the file's stem.
/// Non-tensor entries (epochs, optimizer step counts, strings) are skipped and listed in
/// ``skippedEntries``. Tensors are listed at open and converted one at a time by ``load(_:)``
/// (`.detach().cpu().contiguous().numpy()`; bfloat16 through `.float()`, which is exact).
public struct TorchCheckpointSource: TensorSource {
    public let path: String
    public var tensors: [TensorInfo] { table.tensors }
    /// Entries that are not tensors and were skipped, as `name (type)`.
    public var skippedEntries: [String] { table.skipped }
    private let table: PythonTensorTable

    /// Loads the checkpoint's dict (kept in Python) and lists its tensors.
    ///
    /// - Parameter path: The checkpoint file.
    /// - Throws: ``PythonBridgeError/missingPackage(name:installCommand:)`` without torch;
    ///   ``PythonBridgeError/interpreterUnavailable(reason:)`` without Python;
    ///   ``PythonBridgeError/notAStateDict(path:found:)`` for a list, a dict without tensors or
    ///   other objects; ``PythonBridgeError/refusedUnsafe(path:reason:)`` when `weights_only`
    ///   refuses the file; ``PythonBridgeError/unreadable(path:format:reason:)`` for damaged files.
    public init(path: String) throws {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        self.path = path
        self.table = try PythonTensorTable(
            path: path, module: "torch", format: "PyTorch checkpoint", script: Self.script, arguments: [path, stem])
    }

    /// Converts one tensor to `Float`, keeping the torch dtype (numpy spelling) in ``Tensor/sourceDType``.
    ///
    /// - Throws: ``PythonBridgeError/tensorNotFound(path:name:available:)`` for an unknown name;
    ///   ``PythonBridgeError/unsupportedDType(_:)`` for complex tensors.
    public func load(_ name: String) throws -> Tensor {
        try table.load(name)
    }

    /// `open_file(path, stem)` and `to_numpy(tensor)`, run in the embedded Python.
    static let script = """
        import pickle
        import torch

        WRAPPERS = ("state_dict", "model", "module")

        def _flatten(mapping, prefix, tensors, skipped):
            for key, value in mapping.items():
                name = prefix + str(key)
                if isinstance(value, torch.Tensor):
                    tensors[name] = value
                elif isinstance(value, dict):
                    _flatten(value, name + ".", tensors, skipped)
                else:
                    skipped.append("%s (%s)" % (name, type(value).__name__))

        def _describe(obj):
            if isinstance(obj, (list, tuple)):
                return "a %s of %d items" % (type(obj).__name__, len(obj))
            if isinstance(obj, dict):
                keys = ", ".join(repr(k) for k in list(obj)[:8])
                return "a dict with no tensors (keys: %s)" % (keys or "none")
            return "a %s.%s object" % (type(obj).__module__, type(obj).__qualname__)

        def _unwrap(obj, skipped):
            if any(isinstance(v, torch.Tensor) for v in obj.values()):
                return obj
            for key in WRAPPERS:
                if isinstance(obj.get(key), dict):
                    skipped.extend("%s (%s)" % (k, type(v).__name__) for k, v in obj.items() if k != key)
                    return obj[key]
            return obj

        def open_file(path, stem):
            try:
                obj = torch.load(path, map_location="cpu", weights_only=True)
            except pickle.UnpicklingError as error:
                text = str(error)
                unsafe = "Unsupported class" in text or "Unsupported global" in text
                return ("refused" if unsafe else "unreadable", text.split("WeightsUnpickler error: ")[-1])
            except Exception as error:
                return ("unreadable", "%s: %s" % (type(error).__name__, error))
            tensors, skipped = {}, []
            if isinstance(obj, torch.Tensor):
                tensors[stem] = obj
            elif isinstance(obj, dict):
                _flatten(_unwrap(obj, skipped), "", tensors, skipped)
            if not tensors:
                return ("not-state-dict", _describe(obj))
            infos = [(n, str(t.dtype).replace("torch.", ""), list(t.shape)) for n, t in tensors.items()]
            return ("ok", tensors, infos, skipped, None)

        def to_numpy(tensor):
            tensor = tensor.detach().cpu().contiguous()
            if tensor.dtype == torch.bfloat16:
                tensor = tensor.float()  # exact: every bfloat16 value is a float32 value
            return tensor.numpy()
        """
}
