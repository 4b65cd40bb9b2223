/// The character classes of BERT's basic tokenizer, as Hugging Face's Rust `tokenizers` library
/// (the "fast" tokenizer sentence-transformers runs) computes them.
///
/// The rules are those of `BertNormalizer` and `BertPreTokenizer` in `tokenizers`:
/// - *removed*: U+0000, U+FFFD, and categories Cc, Cf and Co except tab, newline and carriage
///   return (unassigned code points are kept, unlike in the Python `BertTokenizer`);
/// - *whitespace*: the Unicode `White_Space` property, mapped to a word break;
/// - *CJK*: the CJK ideograph blocks, each ideograph its own word (note `tokenizers` starts CJK
///   Extension E at U+2B920 where the Python tokenizer starts it at U+2B820);
/// - *punctuation*: ASCII `!`…`/`, `:`…`@`, `[`…`` ` ``, `{`…`~`, and categories P*.
///
/// `tokenizers` classifies with the `unicode_categories` crate, whose tables are Unicode 8.0's
/// (``tableVersion``): a code point assigned later is "unassigned" there, so it is neither
/// removed, nor punctuation, nor a nonspacing mark. This type reproduces that from Swift's own
/// Unicode data with each scalar's `age`, plus the seven code points whose category changed
/// since. Checked against `tokenizers` 0.23.3 on every code point (make_text_fixtures.py).
enum BertUnicode {
    /// What the basic tokenizer does with a scalar before normalization.
    enum ScalarClass: UInt8 {
        case removed, whitespace, cjk, other
    }

    /// The Unicode version of the tables in the Rust `unicode_categories` crate.
    static let tableVersion = (major: 8, minor: 0)

    /// The class of a scalar in raw text.
    @inline(__always)
    static func classify(_ scalar: Unicode.Scalar) -> ScalarClass {
        let value = scalar.value
        if value < 0x80 {
            if value == 0x20 || value == 0x09 || value == 0x0A || value == 0x0D { return .whitespace }
            return value < 0x20 || value == 0x7F ? .removed : .other
        }
        return classifyNonASCII(scalar)
    }

    private static func classifyNonASCII(_ scalar: Unicode.Scalar) -> ScalarClass {
        let value = scalar.value
        if value == 0xFFFD { return .removed }
        switch legacyCategory(scalar) {
        case .control, .format, .privateUse: return .removed
        default: break
        }
        if scalar.properties.isWhitespace { return .whitespace }
        return isCJK(value) ? .cjk : .other
    }

    /// Whether a code point lies in the CJK ideograph ranges of `tokenizers`' `is_chinese_char`.
    static func isCJK(_ value: UInt32) -> Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// Whether a scalar splits words as punctuation.
    @inline(__always)
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value)
                || (123...126).contains(value)
        }
        switch legacyCategory(scalar) {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// Whether a scalar is a nonspacing mark (category Mn), which accent stripping removes.
    static func isNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x300 && legacyCategory(scalar) == .nonspacingMark
    }

    /// The general category as the `unicode_categories` tables see it.
    static func legacyCategory(_ scalar: Unicode.Scalar) -> Unicode.GeneralCategory {
        if let changed = changedSinceTableVersion(scalar.value) { return changed }
        let properties = scalar.properties
        guard let age = properties.age, (age.major, age.minor) <= tableVersion else { return .unassigned }
        return properties.generalCategory
    }

    /// The Unicode 8 category of the code points whose category changed since in a way the
    /// tokenizer sees (punctuation, nonspacing mark, control/format/private use), found by
    /// comparing every code point with `tokenizers` 0.23.
    private static func changedSinceTableVersion(_ value: UInt32) -> Unicode.GeneralCategory? {
        switch value {
        case 0x166D, 0x111C9: return .otherPunctuation  // now So and Mn
        case 0x1734, 0x1171E: return .nonspacingMark  // now Mc
        case 0x1885, 0x1886: return .otherLetter  // now Mn
        case 0xA9BD: return .spacingMark  // now Mn
        default: return nil
        }
    }
}
