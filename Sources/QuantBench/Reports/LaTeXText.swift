/// Text made safe for LaTeX: specials escaped, a few Unicode symbols spelled as commands, so a
/// table compiles with pdflatex and no packages beyond booktabs.
enum LaTeXText {
    /// `text` with `\ { } $ & # _ % ^ ~ < > | "` escaped and `— – ± × ↑ ↓ ≤ ≥ ∞` and Greek
    /// letters replaced by their LaTeX spelling.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if let replacement = replacements[character] {
                result += replacement
            } else if let name = greek[character] {
                result += "$\\\(name)$"
            } else {
                result.append(character)
            }
        }
        return result
    }

    static let replacements: [Character: String] = [
        "\\": "\\textbackslash{}", "{": "\\{", "}": "\\}", "$": "\\$", "&": "\\&", "#": "\\#", "_": "\\_", "%": "\\%",
        "^": "\\textasciicircum{}", "~": "\\textasciitilde{}", "<": "\\textless{}", ">": "\\textgreater{}",
        "|": "\\textbar{}", "\"": "\\texttt{\"}", "—": "---", "–": "--", "±": "$\\pm$", "×": "$\\times$",
        "↑": "$\\uparrow$", "↓": "$\\downarrow$", "≤": "$\\leq$", "≥": "$\\geq$", "∞": "$\\infty$",
    ]

    static let greek: [Character: String] = [
        "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "θ": "theta", "κ": "kappa",
        "λ": "lambda", "μ": "mu", "ν": "nu", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "φ": "phi",
        "χ": "chi", "ψ": "psi", "ω": "omega", "Δ": "Delta", "Σ": "Sigma", "Ω": "Omega",
    ]
}
