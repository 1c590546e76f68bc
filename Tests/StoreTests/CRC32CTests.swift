import Store
import Testing

@Suite struct CRC32CTests {
    /// RFC 3720's check values (iSCSI, appendix B.4), which every CRC-32C must give.
    @Test func knownValues() {
        let digits = Array("123456789".utf8)
        #expect(digits.withUnsafeBytes { CRC32C.checksum($0) } == 0xE306_9283)
        #expect(digits.withUnsafeBytes { CRC32C.software($0) } == 0xE306_9283)
        let zeros = [UInt8](repeating: 0, count: 32)
        #expect(zeros.withUnsafeBytes { CRC32C.checksum($0) } == 0x8A91_36AA)
        let ones = [UInt8](repeating: 0xFF, count: 32)
        #expect(ones.withUnsafeBytes { CRC32C.checksum($0) } == 0x62A8_AB43)
        let ascending = (0..<32).map { UInt8($0) }
        #expect(ascending.withUnsafeBytes { CRC32C.checksum($0) } == 0x46DD_794E)
    }

    /// The instruction path and the tables agree on every length and alignment, whole or in pieces.
    @Test func hardwareMatchesTables() {
        #if arch(x86_64)
        #expect(CRC32C.hardware, "every x86-64 CPU since 2008 has SSE 4.2's crc32")
        #endif
        let bytes = (0..<1100).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }  // varied, reproducible bytes
        bytes.withUnsafeBytes { all in
            for start in 0..<9 {
                for length in [0, 1, 7, 8, 9, 15, 16, 63, 64, 65, 300, 1000] {
                    let slice = UnsafeRawBufferPointer(rebasing: all[start..<(start + length)])
                    let whole = CRC32C.software(slice)
                    #expect(CRC32C.checksum(slice) == whole)
                    let cut = length / 3
                    let first = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: slice[0..<cut]))
                    #expect(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: slice[cut...]), continuing: first) == whole)
                }
            }
        }
    }
}
