/// A log-linear latency histogram (HdrHistogram's layout, 3 significant digits, fixed
/// memory): values in microseconds up to about 1.2 hours; larger ones are clamped.
public struct Histogram: Sendable {
    private static let subBucketCount = 2048
    private static let subBucketHalfCount = 1024
    private static let subBucketHalfMagnitude = 10
    private static let bucketCount = 23
    private var counts = [UInt64](repeating: 0, count: (bucketCount + 1) * subBucketHalfCount)
    /// Number of recorded values.
    public private(set) var count: UInt64 = 0
    /// Largest recorded value (exact).
    public private(set) var max: UInt64 = 0
    /// Smallest recorded value (exact).
    public private(set) var min: UInt64 = .max

    public init() {}

    /// Largest value kept exactly enough (≈ 2^32 µs).
    public static var highestTrackable: UInt64 { (UInt64(subBucketCount) << UInt64(bucketCount - 1)) - 1 }

    /// Records one value.
    public mutating func record(_ value: UInt64) {
        let v = Swift.min(value, Self.highestTrackable)
        counts[Self.index(of: v)] += 1
        count += 1
        if value > max { max = value }
        if value < min { min = value }
    }

    /// Adds every value of `other`.
    public mutating func merge(_ other: Histogram) {
        for i in counts.indices { counts[i] += other.counts[i] }
        count += other.count
        max = Swift.max(max, other.max)
        min = Swift.min(min, other.min)
    }

    /// The value at `percentile` (0–100): the highest value equivalent to the smallest
    /// recorded value at or above that rank; 0 when empty.
    public func value(atPercentile percentile: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let rank = Swift.max(1, UInt64((percentile / 100 * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for (i, c) in counts.enumerated() where c > 0 {
            seen += c
            if seen >= rank { return Swift.min(Self.highestEquivalent(index: i), max) }
        }
        return max
    }

    static func index(of value: UInt64) -> Int {
        let bucket = 64 - (value | UInt64(subBucketCount - 1)).leadingZeroBitCount - (subBucketHalfMagnitude + 1)
        let subBucket = Int(value >> UInt64(bucket))
        return (bucket + 1) << subBucketHalfMagnitude + (subBucket - subBucketHalfCount)
    }

    static func lowestEquivalent(index: Int) -> UInt64 {
        var bucket = (index >> subBucketHalfMagnitude) - 1
        var subBucket = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
        if bucket < 0 {
            subBucket -= subBucketHalfCount
            bucket = 0
        }
        return UInt64(subBucket) << UInt64(bucket)
    }

    static func highestEquivalent(index: Int) -> UInt64 {
        let low = lowestEquivalent(index: index)
        let bucket = Swift.max(0, (index >> subBucketHalfMagnitude) - 1)
        return low + (UInt64(1) << UInt64(bucket)) - 1
    }
}
