import QuantBench
import QuantCore
import Testing

@Suite("Grid plan axis")
struct PlanAxisTests {
    func cells(_ text: String) throws -> [GridCell] {
        try Experiment(ExperimentFile(file: "plan.toml", text: text)).cells
    }

    @Test func uniformIsLeftOutOfTheHashAndMixedIsCanonical() throws {
        let plain = try cells("model = \"digits-cnn\"\nweights = \"int4\"\n")
        let uniform = try cells("model = \"digits-cnn\"\nweights = \"int4\"\nplan = \"uniform\"\n")
        #expect(plain.map(\.hash) == uniform.map(\.hash))
        let short = try cells("model = \"digits-cnn\"\nweights = \"int4\"\nplan = \"mixed(budget_bits=6)\"\n")
        let long = try cells("model = \"digits-cnn\"\nweights = \"int4\"\nplan = \"mixed(budget_bits=6.0, high=int8, search=exact)\"\n")
        #expect(short.map(\.hash) == long.map(\.hash))
        #expect(short.map(\.hash) != plain.map(\.hash))
        let greedy = try cells("model = \"digits-cnn\"\nweights = \"int4\"\nplan = \"mixed(budget_bits=6, search=greedy)\"\n")
        #expect(greedy.map(\.hash) != short.map(\.hash))
    }

    @Test(arguments: [
        ("mixed(budget_bit=6)", "did you mean budget_bits"),
        ("mixed(high=int8)", "exactly one positive budget"),
        ("mixed(budget_bits=6, budget_mib=2)", "exactly one positive budget"),
        ("mixed(budget_bits=-1)", "exactly one positive budget"),
        ("mixed(budget_bits=6, search=annealing)", "not exact or greedy"),
        ("mixed(budget_bits=6, high=int77)", "int77"),
        ("mixd(budget_bits=6)", "is not uniform or mixed"),
    ])
    func badPlansNameTheLineAndTheProblem(plan: String, expected: String) {
        let text = "model = \"digits-cnn\"\nweights = \"int4\"\nplan = \"\(plan)\"\n"
        #expect {
            _ = try Experiment(ExperimentFile(file: "plan.toml", text: text))
        } throws: { error in
            let message = String(describing: error)
            return message.contains("plan.toml:3") && message.contains(expected)
        }
    }

    @Test func aMixedPlanNeedsQuantizedWeightsAndACompatibleHighFormat() {
        for (text, expected) in [
            ("weights = \"none\"\nplan = \"mixed(budget_bits=6)\"", "needs weights other than"),
            ("weights = \"int4\"\ngranularity = \"per-channel\"\nplan = \"mixed(budget_bits=6, high=mxfp8-e4m3)\"", "per-group(32)"),
        ] {
            #expect {
                _ = try Experiment(ExperimentFile(file: "plan.toml", text: "model = \"digits-cnn\"\n" + text + "\n"))
            } throws: { String(describing: $0).contains(expected) }
        }
    }
}
