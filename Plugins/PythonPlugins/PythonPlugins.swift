import QuantCore

/// The plug-ins written in Python, for the registry.
///
/// Building these descriptors, and the plug-ins they make, never starts Python: `quantbench
/// list` and every run that does not use them work without it. The module is loaded at the
/// first calibration.
public enum PythonPlugins {
    /// `python(module:function)` and `python(path/to/file.py:function)`.
    public static var descriptors: [PluginDescriptor<any Calibrator>] {
        [
            PluginDescriptor(
                .exact("python"),
                parameters: [
                    PluginParameter(
                        required: "function", .text,
                        "the Python function: module:function (module on sys.path) or path/to/file.py:function")
                ],
                summary: "a calibrator written as a Python function(stats) -> (low, high) or t (see Plugins/PythonPlugins/examples)"
            ) { args in try PythonCalibrator(function: args.text("function")) },
        ]
    }
}
