/// The numbers of ``ModelBenchmarks``.
public struct ModelBenchmarkReport: Sendable, Codable {
    public struct Throughput: Sendable, Codable {
        public var sequences: Int
        public var tokens: Int
        public var packedTokensPerSecond: Double
        public var perSequenceTokensPerSecond: Double
    }

    public struct Peers: Sendable, Codable {
        public var numpyTokensPerSecond: Double?
        public var numpyErf: String?
        public var onnxRuntimeTokensPerSecond: Double?
        public var onnxRuntimeVersion: String?
        public var onnxRuntimeNote: String?
        /// The smallest cosine between our embedding and numpy's over the documents.
        public var minimumCosineToNumpy: Double
    }

    public struct GEMM: Sendable, Codable {
        public var shape: String
        public var ffnOneThread: Double
        public var ffnAllCores: Double
        public var peakOneThread: Double
        public var peakAllCores: Double
        public var cores: Int
    }

    public struct Observation: Sendable, Codable {
        public var documents: Int
        public var sites: Int
        public var forwardSeconds: Double
        public var observedSeconds: Double
        public var calibratorSeconds: [String: Double]
    }

    public struct Overhead: Sendable, Codable {
        public var fp32Seconds: Double
        public var fakeQuantSeconds: Double
        public var sites: Int
    }

    public var miniLM: Throughput?
    public var peers: Peers?
    public var sgemm: GEMM?
    public var observation: Observation?
    public var fakeQuant: Overhead?
}
