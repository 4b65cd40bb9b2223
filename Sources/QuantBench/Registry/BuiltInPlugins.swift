import Calibrators
import CostModels
import Examples
import Formats
import Granularities
import PythonPlugins
import QuantCore

extension PluginRegistry {
    /// Every built-in format, granularity, calibrator and cost model, and the example plug-ins of
    /// `Plugins/Examples`. This is the one place a plug-in family is registered: a new family
    /// (a target under `Plugins/`) adds one line here. Custom plug-ins can also be added to a copy:
    ///
    ///     var registry = PluginRegistry.builtIn
    ///     registry.register(calibrator: myDescriptor)
    public static var builtIn: PluginRegistry {
        var registry = PluginRegistry()
        FormatPlugins.descriptors.forEach { registry.register(format: $0) }
        GranularityPlugins.descriptors.forEach { registry.register(granularity: $0) }
        CalibratorPlugins.descriptors.forEach { registry.register(calibrator: $0) }
        PythonPlugins.descriptors.forEach { registry.register(calibrator: $0) }
        ExamplePlugins.descriptors.forEach { registry.register(calibrator: $0) }
        CostModelPlugins.descriptors.forEach { registry.register(costModel: $0) }
        return registry
    }
}
