import QuantCore
import Testing

@Suite struct PluginSpecTests {
    @Test func parsesIdsAndArguments() throws {
        #expect(try PluginSpec(parsing: "minmax") == PluginSpec(id: "minmax"))
        let p = try PluginSpec(parsing: " per-group( 128 , axis=-1 ) ")
        #expect(p.id == "per-group")
        #expect(p.positional == ["128"])
        #expect(p.named.map(\.key) == ["axis"])
        #expect(p.named.map(\.value) == ["-1"])
        #expect(try PluginSpec(parsing: "percentile()").positional.isEmpty)
        #expect(try PluginSpec(parsing: "int4(symmetric=false)").description == "int4(symmetric=false)")
    }

    @Test(arguments: ["per-group(128", "x(,)", "x(a=)", "x(=1)", "x(a=1, 2)", "x(a=1, a=2)", "(1)", "9lives", "x((1))", ""])
    func rejectsMalformedNames(_ text: String) {
        #expect(throws: QuantCoreError.self) { try PluginSpec(parsing: text) }
    }

    static let descriptor = PluginDescriptor<Int>(
        .prefixed("int", numberParameter: "bits"),
        parameters: [
            PluginParameter("bits", .integer(2...16), default: "8", "bits"),
            PluginParameter("symmetric", .boolean, default: "true", "symmetric"),
            PluginParameter("p", .real(0...100, openLower: true), default: "99.99", "percent"),
            PluginParameter("mode", .choice(["a", "b"]), default: "a", "mode"),
        ],
        summary: "test") { args in args.integer("bits") }

    @Test func bindsNumberInIdAndDefaults() throws {
        let args = try Self.descriptor.arguments(for: PluginSpec(parsing: "int4(symmetric=false)"))
        #expect(args.integer("bits") == 4)
        #expect(args.boolean("symmetric") == false)
        #expect(args.real("p") == 99.99)
        #expect(args.choice("mode") == "a")
        #expect(args.canonicalName == "int4(symmetric=false)")
        // A parameter set to its default does not appear in the canonical name.
        #expect(try Self.descriptor.arguments(for: PluginSpec(parsing: "int8(symmetric=true)")).canonicalName == "int8")
    }

    @Test(arguments: ["int1", "int17", "int8(symmetric=maybe)", "int8(p=0)", "int8(p=101)", "int8(mode=c)", "int8(colour=red)", "int8(bits=4)"])
    func rejectsBadParameters(_ text: String) throws {
        let spec = try PluginSpec(parsing: text)
        #expect(throws: QuantCoreError.self) { try Self.descriptor.arguments(for: spec) }
    }

    @Test func badParameterMessageSaysWhatIsAllowed() throws {
        do {
            _ = try Self.descriptor.arguments(for: PluginSpec(parsing: "int1"))
            Issue.record("int1 was accepted")
        } catch {
            #expect(String(describing: error).contains("integer 2…16"))
        }
    }

    @Test func closeMatchesFindTypos() {
        #expect(closeMatches("percentil", in: ["minmax", "percentile", "mse", "kl"]).first == "percentile")
        #expect(closeMatches("mimnax", in: ["minmax", "percentile", "mse", "kl"]).first == "minmax")
        #expect(closeMatches("zzzzzzzz", in: ["minmax", "kl"]).isEmpty)
    }
}
