/// The encoding of one text: BERT input ids and their attention mask.
public struct TokenizedText: Sendable, Equatable {
    /// `[CLS]`, the word-piece ids, `[SEP]`.
    public var ids: [Int]
    /// One per id: 1 for a real token, 0 for padding (always 1 for a single, unpadded text).
    public var attentionMask: [Int]

    /// An unpadded encoding: the mask is all ones.
    public init(ids: [Int]) {
        self.ids = ids
        self.attentionMask = [Int](repeating: 1, count: ids.count)
    }
}

/// The encodings of several texts, padded to a common length and stored row-major, ready to be
/// shaped `[rowCount, sequenceLength]`.
///
/// BERT's token type ids (segment ids) are all zero for single sentences and are not stored.
public struct PaddedTokenBatch: Sendable, Equatable {
    /// The number of texts.
    public let rowCount: Int
    /// The length of every row: the longest encoding in the batch (0 for an empty batch).
    public let sequenceLength: Int
    /// The ids, row after row, each row padded at the end with the `[PAD]` id.
    public let ids: [Int]
    /// 1 over real tokens and 0 over padding, laid out like ``ids``.
    public let attentionMask: [Int]
    /// The unpadded length of each row.
    public let lengths: [Int]

    /// Pads encodings to the longest one.
    ///
    /// - Parameters:
    ///   - rows: The encodings, in order.
    ///   - paddingID: The id that fills the tail of shorter rows (`[PAD]`, 0 in BERT vocabularies).
    public init(rows: [TokenizedText], paddingID: Int) {
        let length = rows.map(\.ids.count).max() ?? 0
        var ids: [Int] = []
        var mask: [Int] = []
        ids.reserveCapacity(rows.count * length)
        mask.reserveCapacity(rows.count * length)
        for row in rows {
            let padding = length - row.ids.count
            ids += row.ids
            ids += repeatElement(paddingID, count: padding)
            mask += row.attentionMask
            mask += repeatElement(0, count: padding)
        }
        rowCount = rows.count
        sequenceLength = length
        self.ids = ids
        attentionMask = mask
        lengths = rows.map(\.ids.count)
    }

    /// The padded ids of one row.
    ///
    /// - Precondition: `row` is in `0..<rowCount`.
    public func ids(ofRow row: Int) -> ArraySlice<Int> {
        ids[row * sequenceLength..<(row + 1) * sequenceLength]
    }

    /// The attention mask of one row.
    ///
    /// - Precondition: `row` is in `0..<rowCount`.
    public func attentionMask(ofRow row: Int) -> ArraySlice<Int> {
        attentionMask[row * sequenceLength..<(row + 1) * sequenceLength]
    }
}
