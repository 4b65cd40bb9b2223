import Foundation
import QuantModels
import Testing

@Suite("Assets: fetching from fake wheels")
struct AssetFetcherTests {
    @Test("extracts exactly the pinned files, verifies them, and a second run downloads nothing")
    func extractsAndVerifies() throws {
        let setup = try FakeWheelSetup()
        defer { setup.scratch.remove() }
        let asset = setup.asset()
        let (fetcher, downloader) = setup.fetcher(asset)

        let first = try fetcher.fetch(asset)
        #expect(first == AssetFetchResult(asset: "fake", action: .fetched, fetchedFiles: ["a.txt", "sub/b.txt"]))
        #expect(setup.cacheListing() == ["fake/a.txt", "fake/sub/b.txt"], "only the pinned files, no temporary ones")
        let store = setup.store(asset)
        #expect(try String(contentsOfFile: store.path(asset: "fake", file: "a.txt"), encoding: .utf8) == "abc")
        #expect(try String(contentsOfFile: store.path(asset: "fake", file: "sub/b.txt"), encoding: .utf8) == "hello\n")
        #expect(try coreutilsSHA256(store.path(asset: "fake", file: "a.txt")) == KnownDigests.abc.1)
        #expect(store.verify().allSatisfy { $0.isComplete })
        #expect(try store.require(asset: "fake", file: "sub/b.txt") == setup.cacheRoot + "/fake/sub/b.txt")

        let second = try fetcher.fetch(asset)
        #expect(second.action == .present)
        #expect(downloader.callCount == 1, "a complete asset is not downloaded again")
    }

    @Test("a wheel whose SHA-256 is not the pin is refused before anything is extracted")
    func wrongWheelHashRefused() throws {
        let setup = try FakeWheelSetup()
        defer { setup.scratch.remove() }
        let asset = setup.asset(wheelSHA256: KnownDigests.abc.1)
        let (fetcher, _) = setup.fetcher(asset)
        expectAssetError(mentioning: [FakeWheelSetup.wheelName, "fake==1.0", KnownDigests.abc.1, setup.wheelSHA256]) {
            _ = try fetcher.fetch(asset)
        }
        #expect(setup.cacheListing().isEmpty)
    }

    @Test("a tampered cache file is reported by verify, naming it and the fix, and a fetch replaces it")
    func tamperedFileDetected() throws {
        let setup = try FakeWheelSetup()
        defer { setup.scratch.remove() }
        let asset = setup.asset()
        let (fetcher, _) = setup.fetcher(asset)
        _ = try fetcher.fetch(asset)
        let store = setup.store(asset)
        let path = store.path(asset: "fake", file: "a.txt")
        try Data("abd".utf8).write(to: URL(fileURLWithPath: path))  // same size, other bytes

        let status = try #require(store.verify().first)
        #expect(status.files.map(\.state) == [.wrongHash, .present])
        let message = try #require(status.problems.first).description
        for fragment in [path, KnownDigests.abc.1, "a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9",
            "Delete it and re-run 'quantbench fetch-assets'"]
        {
            #expect(message.contains(fragment), "'\(fragment)' missing from: \(message)")
        }
        expectAssetError(mentioning: [path]) { try store.verifyAll() }

        let repaired = try fetcher.fetch(asset)
        #expect(repaired.fetchedFiles == ["a.txt"] && repaired.replacedFiles == ["a.txt"])
        #expect(store.verify().allSatisfy { $0.isComplete })
    }

    @Test("a half-written temporary file is never taken for the real one")
    func partialFileIgnored() throws {
        let setup = try FakeWheelSetup()
        defer { setup.scratch.remove() }
        let asset = setup.asset()
        let store = setup.store(asset)
        let folder = store.directory(asset: "fake")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // What an interrupted fetch leaves: the right bytes, but under the temporary name only.
        try Data("abc".utf8).write(to: URL(fileURLWithPath: folder + "/.a.txt.partial-1234"))

        expectAssetError(mentioning: ["/fake/a.txt", "run 'quantbench fetch-assets'"]) {
            _ = try store.require(asset: "fake", file: "a.txt")
        }
        #expect(store.verify().first?.files.first?.state == .missing)
        let (fetcher, downloader) = setup.fetcher(asset)
        #expect(try fetcher.fetch(asset).fetchedFiles == ["a.txt", "sub/b.txt"])
        #expect(downloader.callCount == 1)
    }

    @Test("an extracted file whose hash is not the pin leaves nothing under its name, not even a temporary file")
    func extractedHashMismatchLeavesNothing() throws {
        let setup = try FakeWheelSetup()
        defer { setup.scratch.remove() }
        let wrongPin = AssetFile(pathInWheel: "fake/data/a.txt", name: "a.txt", size: 3, sha256: KnownDigests.hello.1)
        let asset = setup.asset(files: [wrongPin])
        let (fetcher, _) = setup.fetcher(asset)
        expectAssetError(mentioning: ["/fake/a.txt", KnownDigests.hello.1, KnownDigests.abc.1, "quantbench fetch-assets"]) {
            _ = try fetcher.fetch(asset)
        }
        #expect(setup.cacheListing().isEmpty, "found \(setup.cacheListing())")
    }

    @Test("a pin naming a file the wheel lacks is an error that names the entry, and writes nothing")
    func fileMissingFromWheel() throws {
        let setup = try FakeWheelSetup()
        defer { setup.scratch.remove() }
        let asset = setup.asset(files: [
            AssetFile(pathInWheel: "fake/data/a.txt", name: "a.txt", size: 3, sha256: KnownDigests.abc.1),
            AssetFile(pathInWheel: "fake/data/absent.bin", name: "absent.bin", size: 1, sha256: KnownDigests.abc.1),
        ])
        let (fetcher, _) = setup.fetcher(asset)
        expectAssetError(mentioning: [FakeWheelSetup.wheelName, "fake/data/absent.bin"]) { _ = try fetcher.fetch(asset) }
        #expect(setup.cacheListing().isEmpty)
    }
}

@Suite("Assets: store, pip, and the real catalog")
struct AssetStoreTests {
    @Test("require() of a missing file names it and says to run fetch-assets; unknown names list the known ones")
    func requireMissing() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let store = AssetStore(root: scratch.path("empty-cache"))
        let error = expectAssetError(mentioning: ["empty-cache/sklearn-digits/digits.csv.gz", "run 'quantbench fetch-assets'"]) {
            _ = try store.require(asset: "sklearn-digits", file: "digits.csv.gz")
        }
        #expect(error == .missingFile(path: scratch.path("empty-cache") + "/sklearn-digits/digits.csv.gz"))
        expectAssetError(mentioning: ["'mnist'", "digits-cnn", "minilm"]) { _ = try store.require(asset: "mnist", file: "x") }
        expectAssetError(mentioning: ["vocab.txt", "model.safetensors"]) { _ = try store.require(asset: "minilm", file: "vocab.json") }
    }

    @Test("require() refuses a file of the wrong size")
    func requireWrongSize() throws {
        let setup = try FakeWheelSetup()
        defer { setup.scratch.remove() }
        let store = setup.store(setup.asset())
        try FileManager.default.createDirectory(atPath: store.directory(asset: "fake"), withIntermediateDirectories: true)
        try Data("ab".utf8).write(to: URL(fileURLWithPath: store.path(asset: "fake", file: "a.txt")))
        expectAssetError(mentioning: ["/fake/a.txt", "2 bytes, expected 3", "quantbench fetch-assets"]) {
            _ = try store.require(asset: "fake", file: "a.txt")
        }
    }

    @Test("the root is $QUANTBENCH_ASSETS when set, else .assets in the current directory")
    func defaultRoot() {
        #expect(AssetStore.defaultRoot(environment: [:], currentDirectory: "/pkg") == "/pkg/.assets")
        #expect(AssetStore.defaultRoot(environment: ["QUANTBENCH_ASSETS": ""], currentDirectory: "/pkg") == "/pkg/.assets")
        #expect(AssetStore.defaultRoot(environment: ["QUANTBENCH_ASSETS": "/data/qb"], currentDirectory: "/pkg") == "/data/qb")
        #expect(AssetStore.defaultRoot(environment: ["QUANTBENCH_ASSETS": "cache"], currentDirectory: "/pkg") == "/pkg/cache")
    }

    @Test("pip that cannot start, or fails, is an error showing the command")
    func pipFailures() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let asset = try #require(AssetCatalog.pinned.asset(id: "sklearn-digits"))
        let directory = URL(fileURLWithPath: scratch.path(""))
        expectAssetError(mentioning: ["/nonexistent/python3", "pip download", "scikit-learn==1.5.2", "python3-pip"]) {
            _ = try PipWheelDownloader(python: "/nonexistent/python3").download(asset, into: directory)
        }
        // /bin/false stands in for a pip that exits with an error, without touching the network.
        expectAssetError(mentioning: ["status 1", "/bin/false -m pip download", "--platform manylinux_2_17_x86_64"]) {
            _ = try PipWheelDownloader(python: "/bin/false").download(asset, into: directory)
        }
    }

    @Test("the real catalog's pins are well formed: 64 hex digits, unique ids and destinations")
    func pinnedCatalogWellFormed() {
        let catalog = AssetCatalog.pinned
        #expect(catalog.ids == ["digits-cnn", "sklearn-digits", "minilm", "gensim-data"])
        let isHex64 = { (text: String) in text.count == 64 && text.allSatisfy { "0123456789abcdef".contains($0) } }
        var destinations = Set<String>()
        for asset in catalog.assets {
            #expect(isHex64(asset.wheelSHA256), "\(asset.id) wheel")
            #expect(asset.wheelFileName.hasSuffix(".whl") && asset.requirement.contains("=="), "\(asset.id)")
            for file in asset.files {
                #expect(isHex64(file.sha256), "\(asset.id)/\(file.name)")
                #expect(file.size > 0 && file.pathInWheel.hasSuffix("/" + file.name), "\(asset.id)/\(file.name)")
                #expect(destinations.insert(asset.id + "/" + file.name).inserted, "duplicate \(asset.id)/\(file.name)")
            }
        }
        #expect(destinations.count == 17)
    }

    @Test("the real cache holds all four assets with their pinned hashes (scripts/setup fetches them)")
    func realCacheVerified() {
        let statuses = realAssetStore.verify()
        #expect(statuses.map(\.asset) == AssetCatalog.pinned.ids)
        for status in statuses {
            let complete = status.isComplete
            #expect(complete, "\(status.asset): \(status.problems.map(\.description).joined(separator: "\n"))")
        }
    }
}
