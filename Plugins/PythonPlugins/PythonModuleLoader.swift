import Foundation
import PythonBridge
import Synchronization

/// Loads Python plug-in modules once per process and finds their functions.
///
/// Loaded modules are cached by dotted name or absolute path behind a `Mutex`. The lock is
/// only held for dictionary reads and writes, never while Python runs: the interpreter may hand
/// the GIL to another thread in the middle of an import, and that thread must not then wait
/// for the lock while holding the GIL. Two threads loading the same file at once may both run
/// it; the first to finish wins and the other's module is dropped.
enum PythonModuleLoader {
    /// Loaded modules, keyed by ``PythonFunctionReference/moduleName``.
    private static let modules = Mutex<[String: PythonObject]>([:])
    /// The namespace of ``helperSource``, made on first use.
    private static let helpers = Mutex<PythonObject?>(nil)

    /// Python helpers: load a file as a module, list a module's functions, build the statistics
    /// dict, and classify a returned value.
    static let helperSource = """
        import importlib.util, numbers

        def load_file(path, name):
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is None or spec.loader is None:
                raise ImportError(f"cannot load a Python module from {path!r}")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module

        def public_functions(module):
            return sorted(n for n, v in vars(module).items() if callable(v) and not n.startswith('_'))

        def make_stats(abs_counts, abs_edges, counts, edges, batch_ranges, fmt, scalars):
            import numpy as np
            def array(values):
                return None if values is None else np.asarray(values, dtype=np.float64)
            stats = dict(abs_hist_counts=array(abs_counts), abs_hist_edges=array(abs_edges),
                         hist_counts=array(counts), hist_edges=array(edges))
            stats.update(zip(['min', 'max', 'abs_max', 'mean', 'std', 'kurtosis'], scalars[:6]))
            stats['count'], stats['non_finite_count'] = int(scalars[6]), int(scalars[7])
            stats['batch_ranges'] = [(float(lo), float(hi)) for lo, hi in batch_ranges]
            stats['format'] = dict(name=fmt[0], range_mode=fmt[1], element_bits=int(fmt[2]), levels_per_side=int(fmt[3]))
            return stats

        def classify(result):
            text = repr(result)
            text = text if len(text) <= 200 else text[:200] + '...'
            def real(v):
                return isinstance(v, numbers.Real) and not isinstance(v, bool) or getattr(v, 'shape', None) == ()
            if isinstance(result, (str, bytes, bool)):
                return ('bad', 0.0, 0.0, text)
            if real(result):
                try:
                    return ('number', float(result), 0.0, text)
                except (TypeError, ValueError):
                    return ('bad', 0.0, 0.0, text)
            try:
                items = list(result)
            except TypeError:
                return ('bad', 0.0, 0.0, text)
            if len(items) != 2 or not all(real(v) and not isinstance(v, (str, bytes)) for v in items):
                return ('bad', 0.0, 0.0, text)
            try:
                return ('pair', float(items[0]), float(items[1]), text)
            except (TypeError, ValueError):
                return ('bad', 0.0, 0.0, text)
        """

    /// The helper function `name`; the caller holds the GIL.
    static func helper(_ name: String) throws -> PythonObject {
        if let namespace = helpers.withLock({ $0 }) { return try namespace.item(name) }
        let made = try Python.run(helperSource)
        let namespace = helpers.withLock { stored -> PythonObject in
            if let stored { return stored }
            stored = made
            return made
        }
        return try namespace.item(name)
    }

    /// The function a reference names, loading its module on first use; the caller holds the GIL.
    ///
    /// - Throws: ``PythonPluginError`` naming the module or the function.
    static func function(for reference: PythonFunctionReference) throws -> PythonObject {
        let module = try self.module(for: reference)
        do {
            let function = try module.attribute(reference.function)
            let isCallable = try Python.import("builtins").attribute("callable").call([function]).asBool()
            if isCallable { return function }
        } catch PythonBridgeError.exception(type: "AttributeError", message: _, traceback: _) {
            // Reported below with the module's functions.
        } catch {
            throw PythonPluginError.calling(error, reference: reference.text)
        }
        let available = (try? helper("public_functions").call([module]).asArray().map { try $0.asString() }) ?? []
        throw PythonPluginError.functionNotFound(reference: reference.text, module: reference.moduleName, available: available)
    }

    /// The loaded module, from the cache or freshly loaded; the caller holds the GIL.
    private static func module(for reference: PythonFunctionReference) throws -> PythonObject {
        let key = reference.moduleName
        if let cached = modules.withLock({ $0[key] }) { return cached }
        let loaded: PythonObject
        do {
            switch reference.module {
            case let .named(name):
                loaded = try Python.import(name)
            case let .file(path):
                guard FileManager.default.fileExists(atPath: path) else {
                    throw PythonPluginError.moduleFileNotFound(reference: reference.text, path: path)
                }
                loaded = try helper("load_file").call([path, moduleName(forFile: path)])
            }
        } catch {
            throw PythonPluginError.loading(error, reference: reference.text, module: key)
        }
        return modules.withLock { cache in
            if let winner = cache[key] { return winner }
            cache[key] = loaded
            return loaded
        }
    }

    /// A Python module name for a file: `quantbench_plugin_` and the file's stem, made an identifier.
    private static func moduleName(forFile path: String) -> String {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let identifier = String(stem.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        return "quantbench_plugin_" + identifier
    }
}
