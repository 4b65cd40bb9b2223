extension BertTokenizer {
    /// The throughput of one ``BertTokenizer/measureThroughput(on:repetitions:clock:)`` run.
    public struct Throughput: Sendable, Equatable, CustomStringConvertible {
        /// The texts encoded, repetitions included.
        public var textCount: Int
        /// The word pieces produced (no `[CLS]`/`[SEP]`, no truncation).
        public var tokenCount: Int
        /// The input size in UTF-8 bytes, repetitions included.
        public var byteCount: Int
        /// The wall-clock time spent encoding.
        public var duration: Duration

        /// Word pieces per second.
        public var tokensPerSecond: Double { Double(tokenCount) / seconds }
        /// Input megabytes (10⁶ bytes) per second.
        public var megabytesPerSecond: Double { Double(byteCount) / 1e6 / seconds }

        private var seconds: Double {
            let (whole, fraction) = duration.components
            return max(Double(whole) + Double(fraction) * 1e-18, .leastNonzeroMagnitude)
        }

        public var description: String {
            let rate = (tokensPerSecond / 1e3).rounded() / 1e3
            let speed = (megabytesPerSecond * 100).rounded() / 100
            return "\(textCount) texts, \(tokenCount) tokens in \(duration): \(rate) M tokens/s, \(speed) MB/s"
        }
    }

    /// Times the tokenization of texts: the pieces of each, without truncation, on one thread.
    ///
    /// This is the kernel the `quantbench` benchmark command reports; Hugging Face's Rust
    /// tokenizer does about 0.5 M tokens/s per thread on `lee_background.cor` (one `encode` call
    /// per document).
    ///
    /// - Parameters:
    ///   - texts: The texts, for example the documents of `lee_background.cor`.
    ///   - repetitions: How many times to encode the whole list (at least 1).
    ///   - clock: The clock to time with.
    /// - Returns: Counts and the elapsed time.
    public func measureThroughput(
        on texts: [String], repetitions: Int = 1, clock: ContinuousClock = .init()
    ) -> Throughput {
        var scratch = BertScratch()
        var ids: [Int32] = []
        var tokenCount = 0
        let rounds = max(1, repetitions)
        let duration = clock.measure {
            for _ in 0..<rounds {
                for text in texts {
                    ids.removeAll(keepingCapacity: true)
                    appendPieceIDs(of: text, to: &ids, limit: .max, scratch: &scratch)
                    tokenCount += ids.count
                }
            }
        }
        let bytes = texts.reduce(0) { $0 + $1.utf8.count } * rounds
        return Throughput(
            textCount: texts.count * rounds, tokenCount: tokenCount, byteCount: bytes, duration: duration)
    }
}
